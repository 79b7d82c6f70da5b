//! Requests we sent and are waiting on: correlation, progress routing and deadlines.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::string::String;
use core::time::Duration;

use crate::jsonrpc::{Method, ProgressToken, RawJson, RequestId};
use crate::time::Instant;

/// Why the session sent a request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Purpose {
    /// The application's request; its outcome is reported as an event.
    App,
    /// The legacy handshake.
    Initialize,
    /// The stateless era's discovery (also the era probe of `connect`).
    Discover,
}

#[derive(Debug)]
pub(crate) struct Pending {
    /// The id the application knows the request by (its first wire id).
    pub logical: RequestId,
    pub method: Method,
    pub purpose: Purpose,
    /// The params as first sent, kept for MRTR retries.
    pub params: Option<RawJson>,
    pub progress_token: Option<ProgressToken>,
    pub last_progress: Option<f64>,
    pub timeout: Duration,
    pub reset_on_progress: bool,
    /// `None` while waiting for the application's input (MRTR) or for a long-lived
    /// `subscriptions/listen`.
    pub deadline: Option<Instant>,
    pub hard_deadline: Option<Instant>,
    pub related: Option<RequestId>,
    /// Set while the server waits for input: the `requestState` to echo on the retry.
    pub awaiting_input: Option<Option<String>>,
}

/// How many ids of requests that ended early (cancelled, timed out) are remembered, so that a
/// late response to one is ignored quietly instead of reported as a protocol violation.
const RECENTLY_ENDED: usize = 64;

#[derive(Debug, Default)]
pub(crate) struct Outgoing {
    by_wire: BTreeMap<RequestId, Pending>,
    wire_of: BTreeMap<RequestId, RequestId>,
    by_token: BTreeMap<ProgressToken, RequestId>,
    recently_ended: VecDeque<RequestId>,
    next_id: i64,
}

impl Outgoing {
    pub fn len(&self) -> usize {
        self.by_wire.len()
    }

    /// Whether a request sent under `wire` still waits for an answer (one that came back
    /// `input_required` got its answer; its retry goes under a new id).
    pub fn contains_wire(&self, wire: &RequestId) -> bool {
        self.by_wire.get(wire).is_some_and(|p| p.awaiting_input.is_none())
    }

    pub fn next_id(&mut self) -> RequestId {
        let id = RequestId::Number(self.next_id);
        self.next_id += 1;
        id
    }

    pub fn insert(&mut self, wire: RequestId, pending: Pending) {
        if let Some(t) = &pending.progress_token {
            self.by_token.insert(t.clone(), wire.clone());
        }
        self.wire_of.insert(pending.logical.clone(), wire.clone());
        self.by_wire.insert(wire, pending);
    }

    /// Removes the request answered under `wire`.
    pub fn take(&mut self, wire: &RequestId) -> Option<Pending> {
        let p = self.by_wire.remove(wire)?;
        if let Some(t) = &p.progress_token {
            self.by_token.remove(t);
        }
        self.wire_of.remove(&p.logical);
        Some(p)
    }

    /// Removes the request the application knows as `logical`, returning its wire id too.
    pub fn take_logical(&mut self, logical: &RequestId) -> Option<(RequestId, Pending)> {
        let wire = self.wire_of.get(logical)?.clone();
        self.take(&wire).map(|p| (wire, p))
    }

    pub fn get_logical(&self, logical: &RequestId) -> Option<&Pending> {
        self.by_wire.get(self.wire_of.get(logical)?)
    }

    pub fn by_token_mut(&mut self, token: &ProgressToken) -> Option<&mut Pending> {
        let wire = self.by_token.get(token)?;
        self.by_wire.get_mut(wire)
    }

    pub fn remember_ended(&mut self, wire: RequestId) {
        if self.recently_ended.len() == RECENTLY_ENDED {
            self.recently_ended.pop_front();
        }
        self.recently_ended.push_back(wire);
    }

    pub fn ended_recently(&self, wire: &RequestId) -> bool {
        self.recently_ended.contains(wire)
    }

    pub fn earliest_deadline(&self) -> Option<Instant> {
        self.by_wire.values().filter_map(|p| p.deadline).min()
    }

    /// Removes and returns every request whose deadline is at or before `now`.
    pub fn take_expired(&mut self, now: Instant) -> alloc::vec::Vec<(RequestId, Pending)> {
        let expired: alloc::vec::Vec<RequestId> = self
            .by_wire
            .iter()
            .filter(|(_, p)| p.deadline.is_some_and(|d| d <= now))
            .map(|(id, _)| id.clone())
            .collect();
        expired.into_iter().filter_map(|id| self.take(&id).map(|p| (id, p))).collect()
    }

    pub fn drain_all(&mut self) -> alloc::vec::Vec<(RequestId, Pending)> {
        self.by_token.clear();
        self.wire_of.clear();
        core::mem::take(&mut self.by_wire).into_iter().collect()
    }
}
