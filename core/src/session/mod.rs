//! The MCP session state machine: one peer, client or server role, either era.
//!
//! A [`Session`] is driven by three kinds of call:
//!
//! - **inputs** — [`handle_frame`](Session::handle_frame) (one JSON text),
//!   [`handle_message`](Session::handle_message), [`handle_timeout`](Session::handle_timeout),
//!   [`handle_eof`](Session::handle_eof) — each with the current [`Instant`];
//! - **commands** — [`connect`](Session::connect), [`send_request`](Session::send_request),
//!   [`respond`](Session::respond), [`cancel`](Session::cancel),
//!   [`notify_progress`](Session::notify_progress), … — which return `Err` on misuse and
//!   change nothing when they do;
//! - **outputs** — [`poll_output`](Session::poll_output), drained until it returns `None` after
//!   every input and before the next one (debug builds assert this), and
//!   [`poll_timeout`](Session::poll_timeout), the instant at which
//!   [`handle_timeout`](Session::handle_timeout) must be called next.
//!
//! The session never reads a clock, never blocks and never allocates without bound: requests in
//! flight each way and queued outputs are capped ([`Limits`]).
//!
//! Protocol rules live here once: version negotiation, the `initialize` handshake and
//! `server/discover`, per-request `_meta` on 2026-07-28 (`resultType`, `-32022`, MRTR retries),
//! capability checks both ways, correlation, cancellation, progress, timeouts, `ping`,
//! `logging/setLevel`, resource subscriptions and `subscriptions/listen`.

mod capability;
pub(crate) use capability::client_supports;
mod client;
mod config;
mod error;
mod event;
mod meta;
mod outgoing;
pub mod pagination;
mod server;
#[cfg(test)]
mod tests;

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use bytes::Bytes;

pub use config::{ClientConfig, Limits, RequestOptions, ServerConfig, Timeouts};
pub use error::SendError;
pub use event::{
    Event, IncomingRequest, MessageKind, Outcome, Output, PeerInfo, RequestContext, Transmit,
};

use crate::framing::LineDecoder;
use crate::jsonrpc::{
    self, DecodeError, Decoded, ErrorObject, ErrorResponse, Message, Method, Notification,
    ProgressToken, RawJson, Request, RequestId, Response,
};
use crate::methods as m;
use crate::time::Instant;
use crate::types::{CancelledNotificationParams, LoggingLevel, ProgressNotificationParams};
use crate::version::{Era, ProtocolVersion};
use outgoing::{Outgoing, Pending, Purpose};

/// How transmits are framed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Framing {
    /// Newline-delimited JSON (stdio and other byte streams): every transmit ends with `\n`.
    Lines,
    /// One message per transmit with no delimiter (HTTP bodies and SSE events).
    Messages,
}

/// Where the connection is in its life.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// Nothing exchanged yet.
    Idle,
    /// Client: `server/discover` sent by `connect`.
    Discovering,
    /// Client: `initialize` sent.
    Initializing,
    /// Server: `initialize` answered; waiting for `notifications/initialized`.
    AwaitingInitialized(ProtocolVersion),
    /// A legacy session is established.
    Ready(ProtocolVersion),
    /// Client: talking the stateless protocol at this revision.
    Stateless(ProtocolVersion),
    /// The input ended.
    Closed,
}

#[derive(Debug)]
struct InFlight {
    method: Method,
    context: RequestContext,
    progress_token: Option<ProgressToken>,
    last_progress: Option<f64>,
}

/// One per session, so the size difference between the roles costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Role {
    Client(client::ClientState),
    Server(server::ServerState),
}

/// The MCP protocol state machine for one peer. See the [module docs](self).
#[derive(Debug)]
pub struct Session {
    role: Role,
    phase: Phase,
    framing: Framing,
    limits: Limits,
    timeouts: Timeouts,
    outgoing: Outgoing,
    incoming: BTreeMap<RequestId, InFlight>,
    queue: VecDeque<Output>,
    /// Splits stdio input into lines.
    lines: LineDecoder,
    /// Legacy `resources/subscribe` set (server role).
    subscribed: BTreeSet<String>,
    /// Legacy `logging/setLevel` (server role).
    log_level: Option<LoggingLevel>,
}

impl Session {
    /// A server session.
    pub fn server(config: impl Into<alloc::sync::Arc<ServerConfig>>, framing: Framing) -> Session {
        let config = config.into();
        let limits = config.limits.clone();
        let timeouts = config.timeouts.clone();
        Session::new(Role::Server(server::ServerState::new(config)), framing, limits, timeouts)
    }

    /// A server session that starts as if the `initialize` handshake had happened at
    /// `version`: for HTTP without sessions, where each request stands alone and the client's
    /// details are unknown.
    pub fn server_preinitialized(
        config: impl Into<alloc::sync::Arc<ServerConfig>>,
        framing: Framing,
        version: ProtocolVersion,
    ) -> Session {
        let mut s = Session::server(config, framing);
        if version.era() == Era::Legacy {
            s.phase = Phase::Ready(version);
        }
        s
    }

    /// A client session. Call [`Session::connect`] to start.
    pub fn client(config: ClientConfig, framing: Framing) -> Session {
        let limits = config.limits.clone();
        let timeouts = config.timeouts.clone();
        Session::new(Role::Client(client::ClientState::new(config)), framing, limits, timeouts)
    }

    fn new(role: Role, framing: Framing, limits: Limits, timeouts: Timeouts) -> Session {
        let lines = LineDecoder::new(limits.max_frame_len);
        Session {
            role,
            phase: Phase::Idle,
            framing,
            limits,
            timeouts,
            outgoing: Outgoing::default(),
            incoming: BTreeMap::new(),
            queue: VecDeque::new(),
            lines,
            subscribed: BTreeSet::new(),
            log_level: None,
        }
    }

    // ----- outputs -----

    /// The next output. Drain until `None` after every input or command.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.queue.pop_front()
    }

    /// When [`Session::handle_timeout`] must be called next, if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.outgoing.earliest_deadline()
    }

    /// The revision in effect, once connected (for a server: once a legacy session is set up).
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        match self.phase {
            Phase::Ready(v) | Phase::Stateless(v) | Phase::AwaitingInitialized(v) => Some(v),
            _ => None,
        }
    }

    /// Whether requests may flow: the handshake or discovery is done.
    pub fn is_connected(&self) -> bool {
        matches!(self.phase, Phase::Ready(_) | Phase::Stateless(_))
    }

    /// Whether a request we sent under this wire id still waits for its answer.
    pub fn is_waiting_for(&self, wire: &RequestId) -> bool {
        self.outgoing.contains_wire(wire)
    }

    /// Requests we sent that are still pending.
    pub fn outgoing_in_flight(&self) -> usize {
        self.outgoing.len()
    }

    /// Requests from the peer not yet answered.
    pub fn incoming_in_flight(&self) -> usize {
        self.incoming.len()
    }

    // ----- inputs -----

    /// Bytes from a byte stream carrying newline-delimited JSON (stdio), in chunks of any size
    /// split anywhere. A line longer than [`Limits::max_frame_len`] is refused with an error
    /// reply and skipped; the session goes on with the next line.
    pub fn handle_bytes(&mut self, now: Instant, bytes: &[u8]) {
        self.begin_input();
        self.lines.push(bytes);
        self.drain_lines(now);
    }

    fn drain_lines(&mut self, now: Instant) {
        while let Some(frame) = self.lines.next_frame() {
            match frame {
                Ok(frame) => self.frame_in(now, frame),
                Err(e) => {
                    self.violation(e.to_string());
                    let error = ErrorObject::invalid_request(e);
                    self.reply(ErrorResponse { id: None, error }.into());
                }
            }
        }
    }

    /// One JSON text received from the peer (a line from stdio, an HTTP body, an SSE `data`).
    pub fn handle_frame(&mut self, now: Instant, frame: Bytes) {
        self.begin_input();
        self.frame_in(now, frame);
    }

    fn frame_in(&mut self, now: Instant, frame: Bytes) {
        if self.phase == Phase::Closed {
            return;
        }
        match jsonrpc::decode(frame) {
            Ok(Decoded::Single(msg)) => self.dispatch(now, msg),
            Ok(Decoded::Batch(items)) => self.handle_batch(now, items),
            Err(e) => self.malformed(e),
        }
    }

    /// One decoded message from the peer.
    pub fn handle_message(&mut self, now: Instant, message: Message) {
        self.begin_input();
        if self.phase == Phase::Closed {
            return;
        }
        self.dispatch(now, message);
    }

    /// Time has reached the instant [`Session::poll_timeout`] returned (or later).
    pub fn handle_timeout(&mut self, now: Instant) {
        self.begin_input();
        for (wire, p) in self.outgoing.take_expired(now) {
            self.outgoing.remember_ended(wire.clone());
            // The spec asks the requester to cancel what it stops waiting for.
            if p.purpose != Purpose::Initialize {
                self.send_cancelled(&wire, "request timed out", None);
            }
            match p.purpose {
                Purpose::App => {
                    self.event(Event::Outcome { id: p.logical, outcome: Outcome::TimedOut })
                }
                Purpose::Discover => self.on_discover_failed(now, None),
                Purpose::Initialize => self.connect_failed("initialize timed out"),
            }
        }
    }

    /// The peer's input ended (stdin closed, connection dropped). Every pending request ends
    /// with [`Outcome::Closed`].
    pub fn handle_eof(&mut self, now: Instant) {
        self.begin_input();
        if self.phase == Phase::Closed {
            return;
        }
        // A last line without its newline still counts.
        self.lines.finish();
        self.drain_lines(now);
        self.phase = Phase::Closed;
        for (_, p) in self.outgoing.drain_all() {
            if p.purpose == Purpose::App {
                self.event(Event::Outcome { id: p.logical, outcome: Outcome::Closed });
            }
        }
        self.incoming.clear();
        self.end_all_listens();
        self.event(Event::Closed);
    }

    /// Client over HTTP: the server forgot the session (404). Requests still pending end with
    /// a connection-closed error and the session returns to its unconnected state, ready for
    /// [`Session::connect`] again.
    pub fn handle_session_expired(&mut self, _now: Instant) {
        self.begin_input();
        if self.phase == Phase::Closed || !matches!(self.role, Role::Client(_)) {
            return;
        }
        for (wire, p) in self.outgoing.drain_all() {
            self.outgoing.remember_ended(wire);
            if p.purpose == Purpose::App {
                let e = ErrorObject::new(
                    crate::jsonrpc::ErrorCode::CONNECTION_CLOSED,
                    "the server ended the session",
                );
                self.event(Event::Outcome { id: p.logical, outcome: Outcome::Error(e) });
            }
        }
        self.incoming.clear();
        self.phase = Phase::Idle;
    }

    fn begin_input(&self) {
        debug_assert!(
            self.queue.is_empty(),
            "drain poll_output until it returns None before the next input"
        );
    }

    fn dispatch(&mut self, now: Instant, msg: Message) {
        match msg {
            Message::Request(r) => self.on_request(now, r),
            Message::Notification(n) => self.on_notification(now, n),
            Message::Response(r) => self.on_response(now, r.id, Ok(r.result)),
            Message::Error(e) => match e.id {
                Some(id) => self.on_response(now, id, Err(e.error)),
                None => {
                    self.violation(alloc::format!("peer sent an error without an id: {}", e.error))
                }
            },
        }
    }

    fn handle_batch(&mut self, now: Instant, items: Vec<Result<Message, DecodeError>>) {
        // Batches exist only in 2025-03-26; everywhere else the whole batch is refused.
        if self.protocol_version().is_some_and(ProtocolVersion::allows_batches) {
            for item in items {
                match item {
                    Ok(msg) => self.dispatch(now, msg),
                    Err(e) => self.malformed(e),
                }
            }
        } else {
            let error =
                ErrorObject::invalid_request("batches are not supported in this protocol revision");
            self.violation("peer sent a JSON-RPC batch".into());
            self.reply(ErrorResponse { id: None, error }.into());
        }
    }

    fn malformed(&mut self, e: DecodeError) {
        self.violation(e.to_string());
        if e.reply_due {
            self.reply(Message::Error(e.to_error_response()));
        }
    }

    fn on_notification(&mut self, now: Instant, n: Notification) {
        match &*n.method {
            m::CANCELLED => self.on_cancelled(n.params),
            m::PROGRESS => self.on_progress(now, n.params),
            _ => {
                let handled = match &mut self.role {
                    Role::Server(_) => self.server_notification(&n),
                    Role::Client(_) => false,
                };
                if !handled {
                    self.event(Event::Notification { method: n.method, params: n.params });
                }
            }
        }
    }

    fn on_cancelled(&mut self, params: Option<RawJson>) {
        let Some(p) = params.and_then(|p| p.parse_owned::<CancelledNotificationParams>().ok())
        else {
            return self.violation("notifications/cancelled with invalid params".into());
        };
        let Some(id) = p.request_id else { return };
        // Unknown or finished requests are ignored: the cancellation raced the response.
        let is_initialize = self.incoming.get(&id).map(|f| f.method == m::INITIALIZE);
        match is_initialize {
            Some(true) => self.violation("peer tried to cancel initialize".into()),
            Some(false) => {
                self.incoming.remove(&id);
                self.event(Event::Cancelled { id, reason: p.reason });
            }
            // A listen stream ends when its client cancels it (stdio); anything else is a
            // request that already finished.
            None => {
                self.end_listen_by_peer(&id);
            }
        }
    }

    fn on_progress(&mut self, now: Instant, params: Option<RawJson>) {
        let Some(p) = params.and_then(|p| p.parse_owned::<ProgressNotificationParams>().ok())
        else {
            return self.violation("notifications/progress with invalid params".into());
        };
        let Some(pending) = self.outgoing.by_token_mut(&p.progress_token) else {
            // Progress after completion is a race, not an error.
            return;
        };
        if pending.last_progress.is_some_and(|last| p.progress <= last) || !p.progress.is_finite() {
            return self.violation(alloc::format!(
                "progress for token {} did not increase",
                p.progress_token
            ));
        }
        pending.last_progress = Some(p.progress);
        if pending.reset_on_progress {
            if let (Some(_), Some(hard)) = (pending.deadline, pending.hard_deadline) {
                pending.deadline = Some((now + pending.timeout).min(hard));
            }
        }
        let id = pending.logical.clone();
        if pending.purpose == Purpose::App {
            self.event(Event::Progress {
                id,
                progress: p.progress,
                total: p.total,
                message: p.message,
            });
        }
    }

    fn on_response(
        &mut self,
        now: Instant,
        wire: RequestId,
        payload: Result<RawJson, ErrorObject>,
    ) {
        let Some(mut p) = self.outgoing.take(&wire) else {
            if !self.outgoing.ended_recently(&wire) {
                self.violation(alloc::format!("response to unknown request id {wire}"));
            }
            return;
        };
        match p.purpose {
            Purpose::Initialize => self.on_initialize_response(now, payload),
            Purpose::Discover => self.on_discover_response(now, payload),
            Purpose::App => {
                if let Ok(result) = &payload {
                    if let Some(state) = self.input_required(&p, result) {
                        let input_requests = state.0;
                        p.awaiting_input = Some(state.1);
                        // The user may take their time, but not past the hard maximum.
                        p.deadline = p.hard_deadline;
                        let id = p.logical.clone();
                        self.outgoing.insert(wire, p);
                        return self.event(Event::InputRequired { id, input_requests });
                    }
                }
                let outcome = match payload {
                    Ok(r) => Outcome::Result(r),
                    Err(e) => Outcome::Error(e),
                };
                self.event(Event::Outcome { id: p.logical, outcome });
            }
        }
    }

    // ----- commands shared by both roles -----

    /// Sends a request and returns the id its [`Event::Outcome`] will carry.
    ///
    /// `params` must be a JSON object (or `None`). On 2026-07-28 the session adds the
    /// protocol version, client capabilities and client info to `_meta`; with
    /// `options.progress` it adds a `progressToken`. A request the peer's capabilities do not
    /// cover is refused here instead of being sent.
    pub fn send_request(
        &mut self,
        now: Instant,
        method: &str,
        params: Option<RawJson>,
        options: RequestOptions,
    ) -> Result<RequestId, SendError> {
        self.check_can_send()?;
        if params.as_ref().is_some_and(|p| !p.is_object()) {
            return Err(SendError::NotAnObject);
        }
        if method == m::LOGGING_SET_LEVEL
            && self.is_stateless()
            && matches!(self.role, Role::Client(_))
        {
            self.set_stateless_log_level(params.as_ref())?;
            let id = self.outgoing.next_id();
            self.event(Event::Outcome {
                id: id.clone(),
                outcome: Outcome::Result(RawJson::empty_object()),
            });
            return Ok(id);
        }
        match &self.role {
            Role::Client(_) => self.client_check_request(method)?,
            Role::Server(_) => self.server_check_request(method, params.as_ref())?,
        }
        if self.outgoing.len() >= self.limits.max_outgoing_in_flight {
            return Err(SendError::TooManyInFlight { limit: self.limits.max_outgoing_in_flight });
        }
        let long_lived = method == m::SUBSCRIPTIONS_LISTEN;
        let timeout =
            options.timeout.unwrap_or(self.timeouts.default_request).min(self.timeouts.max_request);
        let id = self.outgoing.next_id();
        let token = options.progress.then(|| match &id {
            RequestId::Number(n) => ProgressToken::Number(*n),
            RequestId::String(s) => ProgressToken::String(s.clone()),
        });
        let keep_params = self.is_stateless() && capability::allows_input_required(method);
        let pending = Pending {
            logical: id.clone(),
            method: crate::methods::intern(method),
            purpose: Purpose::App,
            params: if keep_params { params.clone() } else { None },
            progress_token: token.clone(),
            last_progress: None,
            timeout,
            reset_on_progress: options.reset_timeout_on_progress,
            deadline: (!long_lived).then(|| now + timeout),
            hard_deadline: (!long_lived).then(|| now + self.timeouts.max_request),
            related: options.related_request.clone(),
            awaiting_input: None,
        };
        let params = self.decorate_params(params.as_ref(), token.as_ref(), None)?;
        self.outgoing.insert(id.clone(), pending);
        let msg = Message::Request(Request {
            id: id.clone(),
            method: crate::methods::intern(method),
            params,
        });
        self.transmit(msg, options.related_request);
        Ok(id)
    }

    /// Sends a notification. Protocol notifications the session manages itself
    /// (`notifications/cancelled`, `notifications/progress`, `notifications/initialized`) have
    /// their own commands and are refused here.
    pub fn notify(
        &mut self,
        method: &str,
        params: Option<RawJson>,
        related: Option<RequestId>,
    ) -> Result<(), SendError> {
        self.check_can_send()?;
        if matches!(method, m::CANCELLED | m::PROGRESS | m::INITIALIZED) {
            return Err(SendError::MethodNotAllowed {
                method: method.into(),
                reason: "use the session's own command for this notification",
            });
        }
        if params.as_ref().is_some_and(|p| !p.is_object()) {
            return Err(SendError::NotAnObject);
        }
        match &self.role {
            Role::Server(s) => {
                if let Err(capability) =
                    capability::server_may_notify(&s.config.capabilities, method)
                {
                    return Err(SendError::CapabilityNotDeclared {
                        method: method.into(),
                        capability,
                    });
                }
            }
            Role::Client(c) if method == m::ROOTS_LIST_CHANGED => {
                if self.is_stateless() {
                    return Err(SendError::MethodNotAllowed {
                        method: method.into(),
                        reason: "removed in 2026-07-28",
                    });
                }
                let declared = c
                    .config
                    .capabilities
                    .roots
                    .as_ref()
                    .and_then(|r| r.list_changed)
                    .unwrap_or(false);
                if !declared {
                    return Err(SendError::MethodNotAllowed {
                        method: method.into(),
                        reason: "declare roots.listChanged first",
                    });
                }
            }
            Role::Client(_) => {}
        }
        let msg =
            Message::Notification(Notification { method: crate::methods::intern(method), params });
        self.transmit(msg, related);
        Ok(())
    }

    /// Answers the peer's request `id` with `result` (a JSON object).
    ///
    /// On 2026-07-28 a missing `resultType` is filled in as `"complete"`; an `input_required`
    /// result is only allowed on `tools/call`, `prompts/get` and `resources/read`, and may only
    /// ask for what the client declared.
    pub fn respond(&mut self, id: &RequestId, result: RawJson) -> Result<(), SendError> {
        self.check_queue()?;
        if !result.is_object() {
            return Err(SendError::NotAnObject);
        }
        let flight = self.incoming.get(id).ok_or(SendError::UnknownRequest)?;
        let result = if flight.context.era() == Era::Stateless {
            self.stateless_result(flight, result)?
        } else {
            result
        };
        self.incoming.remove(id);
        let msg = Message::Response(Response { id: id.clone(), result });
        self.transmit(msg, Some(id.clone()));
        Ok(())
    }

    /// Answers the peer's request `id` with an error.
    pub fn respond_error(&mut self, id: &RequestId, error: ErrorObject) -> Result<(), SendError> {
        self.check_queue()?;
        self.incoming.remove(id).ok_or(SendError::UnknownRequest)?;
        self.transmit(ErrorResponse { id: Some(id.clone()), error }.into(), Some(id.clone()));
        Ok(())
    }

    /// Cancels a request we sent: `notifications/cancelled` goes to the peer, the request ends
    /// with [`Outcome::Cancelled`], and a late response is ignored.
    pub fn cancel(&mut self, id: &RequestId, reason: Option<&str>) -> Result<(), SendError> {
        self.check_queue()?;
        let p = self.outgoing.get_logical(id).ok_or(SendError::UnknownRequest)?;
        match p.purpose {
            Purpose::App => {}
            Purpose::Initialize => return Err(SendError::CannotCancelInitialize),
            // `connect` never hands out the id of its `server/discover`: to the application it
            // is unknown. Cancelling it would leave the client discovering forever.
            Purpose::Discover => return Err(SendError::UnknownRequest),
        }
        let (wire, p) = self.outgoing.take_logical(id).ok_or(SendError::UnknownRequest)?;
        self.outgoing.remember_ended(wire.clone());
        self.send_cancelled(&wire, reason.unwrap_or("cancelled"), p.related.clone());
        if p.purpose == Purpose::App {
            self.event(Event::Outcome { id: p.logical, outcome: Outcome::Cancelled });
        }
        Ok(())
    }

    /// Reports progress on the peer's request `id`, which must have asked for it. `progress`
    /// must be greater than the last value reported.
    pub fn notify_progress(
        &mut self,
        id: &RequestId,
        progress: f64,
        total: Option<f64>,
        message: Option<&str>,
    ) -> Result<(), SendError> {
        self.check_queue()?;
        let flight = self.incoming.get_mut(id).ok_or(SendError::UnknownRequest)?;
        let token = flight.progress_token.clone().ok_or(SendError::NoProgressToken)?;
        if !progress.is_finite() || flight.last_progress.is_some_and(|last| progress <= last) {
            return Err(SendError::ProgressNotIncreasing);
        }
        flight.last_progress = Some(progress);
        let params = ProgressNotificationParams {
            progress_token: token,
            progress,
            total,
            message: message.map(Into::into),
            meta: None,
        };
        let msg = Message::Notification(Notification {
            method: m::PROGRESS.into(),
            params: Some(RawJson::to_raw(&params)),
        });
        self.transmit(msg, Some(id.clone()));
        Ok(())
    }

    /// Sends `ping` (legacy only; 2026-07-28 removed it). The answer arrives as an
    /// [`Event::Outcome`].
    pub fn ping(&mut self, now: Instant) -> Result<RequestId, SendError> {
        if self.is_stateless() {
            return Err(SendError::MethodNotAllowed {
                method: m::PING.into(),
                reason: "2026-07-28 has no ping",
            });
        }
        self.send_request(now, m::PING, None, RequestOptions::default())
    }

    // ----- plumbing -----

    fn is_stateless(&self) -> bool {
        matches!(self.phase, Phase::Stateless(_))
    }

    fn check_queue(&self) -> Result<(), SendError> {
        if self.phase == Phase::Closed {
            return Err(SendError::Closed);
        }
        if self.queue.len() >= self.limits.max_queued_outputs {
            return Err(SendError::QueueFull { limit: self.limits.max_queued_outputs });
        }
        Ok(())
    }

    fn check_can_send(&self) -> Result<(), SendError> {
        self.check_queue()
    }

    /// Adds `_meta` entries the protocol requires: a progress token; on 2026-07-28 (client)
    /// the version, capabilities and client info.
    fn decorate_params(
        &self,
        params: Option<&RawJson>,
        token: Option<&ProgressToken>,
        extra: Option<(&str, &str)>,
    ) -> Result<Option<RawJson>, SendError> {
        let token_json = token.map(RawJson::to_raw);
        let mut entries: Vec<(&str, &str)> = Vec::new();
        if let Some(t) = &token_json {
            entries.push((meta::PROGRESS_TOKEN, t.as_str()));
        }
        if let (Role::Client(c), Phase::Stateless(_) | Phase::Discovering) =
            (&self.role, &self.phase)
        {
            entries.extend(c.stateless_meta());
        }
        if let Some(e) = extra {
            entries.push(e);
        }
        if entries.is_empty() {
            return Ok(params.cloned());
        }
        jsonrpc::object::with_meta_entries(params, &entries)
            .map(Some)
            .map_err(|_| SendError::NotAnObject)
    }

    fn send_cancelled(&mut self, wire: &RequestId, reason: &str, related: Option<RequestId>) {
        let params = CancelledNotificationParams {
            request_id: Some(wire.clone()),
            reason: Some(reason.into()),
            meta: None,
        };
        let msg = Message::Notification(Notification {
            method: m::CANCELLED.into(),
            params: Some(RawJson::to_raw(&params)),
        });
        self.transmit(msg, related);
    }

    fn transmit(&mut self, msg: Message, related: Option<RequestId>) {
        let kind = match &msg {
            Message::Request(_) => MessageKind::Request,
            Message::Notification(_) => MessageKind::Notification,
            Message::Response(_) | Message::Error(_) => MessageKind::Response,
        };
        let mut out = Vec::with_capacity(msg.encoded_len_hint() + 1);
        msg.encode_into(&mut out);
        if self.framing == Framing::Lines {
            out.push(b'\n');
        }
        self.queue.push_back(Output::Transmit(Transmit {
            bytes: Bytes::from(out),
            kind,
            related,
            message: msg,
        }));
    }

    /// A reply the session makes on its own (errors for malformed input, protocol answers).
    fn reply(&mut self, msg: Message) {
        let related = msg.id().cloned();
        self.transmit(msg, related);
    }

    fn event(&mut self, event: Event) {
        self.queue.push_back(Output::Event(event));
    }

    fn violation(&mut self, description: String) {
        self.event(Event::ProtocolViolation { description });
    }

    fn connect_failed(&mut self, reason: &str) {
        self.phase = Phase::Idle;
        self.event(Event::ConnectFailed { reason: reason.into() });
    }
}

impl From<ErrorResponse> for Message {
    fn from(e: ErrorResponse) -> Message {
        Message::Error(e)
    }
}
