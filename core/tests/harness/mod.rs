//! Drives a client core and a server core against each other in memory, on a virtual clock.
//!
//! Bytes written by one side reach the other after a fixed latency, cut into chunks of
//! pseudo-random sizes (seeded, so runs repeat). Everything that crosses the wire and every
//! event either side raises is written to a transcript, which tests compare with golden files.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::time::Duration;

use bytes::Bytes;
use mcp_sansio::session::{Event, Outcome, Output, Session};
use mcp_sansio::{Instant, ProtocolVersion};

/// Which end of the link.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    Client,
    Server,
}

struct InTransit {
    at: Instant,
    to: Side,
    bytes: Bytes,
}

/// How the link behaves.
#[derive(Clone, Copy, Debug)]
pub struct LinkConfig {
    /// One-way delay.
    pub latency: Duration,
    /// Largest chunk a write is cut into (1 = byte by byte).
    pub max_chunk: usize,
    /// Seed for chunk sizes.
    pub seed: u64,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig { latency: Duration::from_millis(5), max_chunk: 4096, seed: 1 }
    }
}

/// Two sessions, a wire between them, a clock and a transcript.
pub struct Harness {
    pub client: Session,
    pub server: Session,
    pub now: Instant,
    link: LinkConfig,
    rng: u64,
    wire: VecDeque<InTransit>,
    pub transcript: String,
    pub client_events: VecDeque<Event>,
    pub server_events: VecDeque<Event>,
    /// Every message sent: by whom, under which revision (the sender's, once it has one), and
    /// its bytes.
    pub sent: Vec<(Side, Option<ProtocolVersion>, Bytes)>,
}

impl Harness {
    pub fn new(client: Session, server: Session, link: LinkConfig) -> Self {
        Harness {
            client,
            server,
            now: Instant::ZERO,
            rng: link.seed.max(1),
            link,
            wire: VecDeque::new(),
            transcript: String::new(),
            client_events: VecDeque::new(),
            server_events: VecDeque::new(),
            sent: Vec::new(),
        }
    }

    fn next_rand(&mut self) -> u64 {
        // xorshift64: deterministic chunk sizes without a dependency.
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    fn stamp(&self) -> String {
        format!("{:>6}ms", self.now.elapsed_since_origin().as_millis())
    }

    /// Collects the outputs of both sides after a command.
    pub fn drain(&mut self) {
        self.drain_side(Side::Client);
        self.drain_side(Side::Server);
    }

    fn drain_side(&mut self, side: Side) {
        loop {
            let out = match side {
                Side::Client => self.client.poll_output(),
                Side::Server => self.server.poll_output(),
            };
            let Some(out) = out else { break };
            match out {
                Output::Transmit(t) => {
                    let (arrow, to) = match side {
                        Side::Client => ("C->S", Side::Server),
                        Side::Server => ("S->C", Side::Client),
                    };
                    let version = match side {
                        Side::Client => self.client.protocol_version(),
                        Side::Server => self.server.protocol_version(),
                    };
                    self.sent.push((side, version, t.bytes.clone()));
                    let text = String::from_utf8_lossy(&t.bytes);
                    let _ =
                        writeln!(self.transcript, "{} {arrow} {}", self.stamp(), text.trim_end());
                    self.wire.push_back(InTransit {
                        at: self.now + self.link.latency,
                        to,
                        bytes: t.bytes,
                    });
                }
                Output::Event(e) => {
                    let who = match side {
                        Side::Client => "client",
                        Side::Server => "server",
                    };
                    let _ = writeln!(self.transcript, "{} {who}: {}", self.stamp(), summarize(&e));
                    match side {
                        Side::Client => self.client_events.push_back(e),
                        Side::Server => self.server_events.push_back(e),
                    }
                }
            }
        }
    }

    /// Delivers everything in flight (advancing the clock by the latency as needed) and fires
    /// timers that fall due on the way, until the wire is empty.
    pub fn settle(&mut self) {
        self.drain();
        while let Some(at) = self.wire.front().map(|t| t.at) {
            self.advance_to(at);
        }
    }

    /// Moves the clock forward by `d`, delivering bytes and firing timers in time order.
    pub fn advance(&mut self, d: Duration) {
        let until = self.now + d;
        self.advance_to(until);
    }

    fn advance_to(&mut self, until: Instant) {
        loop {
            self.drain();
            let next_wire = self.wire.front().map(|t| t.at);
            let next_timer = [self.client.poll_timeout(), self.server.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            let next = [next_wire, next_timer].into_iter().flatten().min();
            match next {
                Some(t) if t <= until => {
                    self.now = self.now.max(t);
                    if next_wire == Some(t) {
                        let item = self.wire.pop_front().expect("front exists");
                        self.deliver(item);
                    } else {
                        self.client.handle_timeout(self.now);
                        self.drain();
                        self.server.handle_timeout(self.now);
                    }
                }
                _ => break,
            }
        }
        self.now = self.now.max(until);
        self.drain();
    }

    fn deliver(&mut self, item: InTransit) {
        let mut rest = item.bytes;
        while !rest.is_empty() {
            let n = 1 + (self.next_rand() as usize % self.link.max_chunk.max(1));
            let chunk = rest.split_to(n.min(rest.len()));
            let now = self.now;
            match item.to {
                Side::Client => self.client.handle_bytes(now, &chunk),
                Side::Server => self.server.handle_bytes(now, &chunk),
            }
            self.drain_side(item.to);
        }
    }

    /// Notes a step of the scenario in the transcript.
    pub fn note(&mut self, text: &str) {
        let _ = writeln!(self.transcript, "{} -- {text}", self.stamp());
    }

    /// The next client event, which must exist.
    pub fn client_event(&mut self) -> Event {
        self.client_events.pop_front().expect("a client event")
    }

    /// The next server event, which must exist.
    pub fn server_event(&mut self) -> Event {
        self.server_events.pop_front().expect("a server event")
    }
}

/// A one-line description of an event for transcripts.
pub fn summarize(e: &Event) -> String {
    match e {
        Event::Connected(p) => format!(
            "connected {} to {}",
            p.protocol_version,
            p.implementation.as_ref().map_or("?", |i| i.name.as_str())
        ),
        Event::ConnectFailed { reason } => format!("connect failed: {reason}"),
        Event::Request(r) => format!(
            "request {} {} {}",
            r.id,
            r.method,
            r.params.as_ref().map_or("-".into(), |p| p.to_string())
        ),
        Event::Notification { method, params } => {
            format!(
                "notification {method} {}",
                params.as_ref().map_or("-".into(), |p| p.to_string())
            )
        }
        Event::Outcome { id, outcome } => match outcome {
            Outcome::Result(r) => format!("outcome {id} result {r}"),
            Outcome::Error(e) => format!("outcome {id} error {} {}", e.code, e.message),
            other => format!("outcome {id} {other:?}"),
        },
        Event::InputRequired { id, input_requests } => format!(
            "input required {id} {}",
            input_requests.as_ref().map_or("-".into(), |p| p.to_string())
        ),
        Event::Progress { id, progress, total, message } => {
            format!("progress {id} {progress} of {total:?} {message:?}")
        }
        Event::Cancelled { id, reason } => format!("cancelled {id} {reason:?}"),
        other => format!("{other:?}"),
    }
}

/// Compares `actual` with `tests/golden/<name>.txt`; `UPDATE_GOLDEN=1` rewrites the file.
pub fn assert_golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display())
    });
    if expected != actual {
        panic!(
            "transcript {name} differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}
