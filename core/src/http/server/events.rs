//! Where SSE events wait for a client that reconnects with `Last-Event-ID`.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::string::String;
use alloc::vec::Vec;

use bytes::Bytes;

/// Keeps the events sent on a session's streams so that a client can resume one with
/// `Last-Event-ID`. Event ids are `<stream>.<sequence>`, the sequence counting per session.
pub trait EventStore: Send {
    /// Records an encoded SSE event (`id:`… `data:`…) of `stream` in `session`.
    fn append(&mut self, session: &str, stream: u32, seq: u64, event: Bytes);
    /// The events of `stream` in `session` after `seq`, oldest first.
    fn replay_after(&self, session: &str, stream: u32, seq: u64) -> Vec<Bytes>;
    /// Drops everything about a session (it ended).
    fn forget(&mut self, session: &str);
}

/// The default [`EventStore`]: the last `capacity` events of each session, in memory.
#[derive(Debug)]
pub struct MemoryEventStore {
    capacity: usize,
    sessions: BTreeMap<String, VecDeque<(u32, u64, Bytes)>>,
}

impl MemoryEventStore {
    /// Keeps up to `capacity` events per session; older ones are dropped (a client resuming
    /// from before them gets only what is left).
    pub fn new(capacity: usize) -> Self {
        MemoryEventStore { capacity, sessions: BTreeMap::new() }
    }
}

impl EventStore for MemoryEventStore {
    fn append(&mut self, session: &str, stream: u32, seq: u64, event: Bytes) {
        if self.capacity == 0 {
            return;
        }
        let q = self.sessions.entry(session.into()).or_default();
        if q.len() == self.capacity {
            q.pop_front();
        }
        q.push_back((stream, seq, event));
    }

    fn replay_after(&self, session: &str, stream: u32, seq: u64) -> Vec<Bytes> {
        self.sessions
            .get(session)
            .map(|q| {
                q.iter()
                    .filter(|(s, n, _)| *s == stream && *n > seq)
                    .map(|(_, _, e)| e.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn forget(&mut self, session: &str) {
        self.sessions.remove(session);
    }
}

/// Parses an event id written by the server: `<stream>.<sequence>`.
pub(crate) fn parse_event_id(id: &str) -> Option<(u32, u64)> {
    let (stream, seq) = id.split_once('.')?;
    Some((stream.parse().ok()?, seq.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replays_one_stream_after_an_id_within_capacity() {
        let mut s = MemoryEventStore::new(3);
        for seq in 1..=4 {
            s.append("a", (seq % 2) as u32, seq, Bytes::from(alloc::format!("e{seq}")));
        }
        assert_eq!(s.replay_after("a", 1, 0), [Bytes::from("e3")], "e1 fell out of the window");
        assert_eq!(s.replay_after("a", 0, 2), [Bytes::from("e4")]);
        s.forget("a");
        assert!(s.replay_after("a", 0, 0).is_empty());
        assert_eq!(parse_event_id("3.17"), Some((3, 17)));
        assert_eq!(parse_event_id("x"), None);
    }
}
