//! The session state machine driven by arbitrary operation sequences, checked against a small
//! reference model of the requests in flight.
//!
//! The first byte picks the role under test (client or server) and how far the connection is
//! set up before the operations start (nothing, a legacy handshake at 2025-11-25 or at
//! 2025-03-26, which allows batches, or the 2026-07-28 stateless era). Then each byte picks an
//! operation, and the bytes after it its arguments: the application's commands (send a
//! request, respond, respond with an error, cancel, report progress, provide MRTR input, ping),
//! the clock (advance and fire timeouts, jump to the next deadline), the peer (arbitrary bytes,
//! or well-formed responses, progress, cancellations, requests and notifications aimed at the
//! ids actually in flight) and the end of the input.
//!
//! The model checks:
//!
//! - every request the application sent gets exactly one outcome, of the kind the operation
//!   allows (a result or error only from the peer, `TimedOut` only from the clock and never
//!   before the request's deadline, `Cancelled` only from its own cancel, `Closed` only at the
//!   end of the input), and nothing about it (outcome, progress, input request) arrives after
//!   that;
//! - no request outlives its deadline: after a timeout fires at `now`, nothing in flight is
//!   past its hard maximum (or its plain deadline, when progress cannot extend it), and
//!   `poll_timeout` is never later than the earliest of them;
//! - the peer's requests are tracked the same way: each is announced once, a cancellation or
//!   an answer ends it, and the session's count of them matches the model's;
//! - a command that fails changes nothing, and commands on unknown ids fail;
//! - in-flight tables stay under their caps, and every operation's output (events and bytes)
//!   is bounded by the bytes it consumed.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use mcp_sansio::Instant;
use mcp_sansio::jsonrpc::{ErrorObject, Message, RawJson, RequestId, decode_message};
use mcp_sansio::session::{
    ClientConfig, Event, Framing, Limits, Outcome, Output, RequestOptions, SendError, ServerConfig,
    Session, Timeouts,
};
use mcp_sansio::types::{ClientCapabilities, Implementation, ServerCapabilities};
use mcp_sansio::version::ProtocolVersion;

use super::Input;

const LIMITS: Limits = Limits {
    max_outgoing_in_flight: 4,
    max_incoming_in_flight: 4,
    max_queued_outputs: 32,
    max_frame_len: 1024,
    max_subscriptions: 4,
};
const DEFAULT_TIMEOUT_MS: u64 = 1_000;
const MAX_TIMEOUT_MS: u64 = 5_000;

const SERVER_CAPS: &str = r#"{"tools":{"listChanged":true},"resources":{"subscribe":true,"listChanged":true},"prompts":{"listChanged":true},"logging":{},"completions":{}}"#;
const CLIENT_CAPS: &str =
    r#"{"roots":{"listChanged":true},"sampling":{},"elicitation":{"form":{},"url":{}}}"#;
const META_PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
const META_CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";

/// Methods the application may try to send (some are refused, on purpose).
const SEND_METHODS: &[&str] = &[
    "tools/list",
    "tools/call",
    "resources/read",
    "prompts/get",
    "ping",
    "sampling/createMessage",
    "roots/list",
    "elicitation/create",
    "subscriptions/listen",
    "logging/setLevel",
    "completion/complete",
    "resources/subscribe",
    "x/custom",
];
/// Params the application may send with them.
const SEND_PARAMS: &[Option<&str>] = &[
    None,
    Some("{}"),
    Some(r#"{"name":"t","arguments":{}}"#),
    Some(r#"{"level":"debug"}"#),
    Some(r#"{"notifications":{"toolsListChanged":true}}"#),
    Some(r#"{"uri":"file:///a"}"#),
    Some(r#"{"messages":[],"maxTokens":1}"#),
    Some("[]"),
];
/// Methods the peer may send requests for.
const PEER_METHODS: &[&str] = &[
    "ping",
    "tools/list",
    "tools/call",
    "initialize",
    "server/discover",
    "subscriptions/listen",
    "resources/subscribe",
    "resources/unsubscribe",
    "logging/setLevel",
    "sampling/createMessage",
    "roots/list",
    "elicitation/create",
    "x/custom",
];
/// Notifications the peer may send.
const PEER_NOTIFICATIONS: &[&str] = &[
    r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
    r#"{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}"#,
    r#"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":1}}"#,
    r#"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#,
    r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{}}"#,
    r#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"x","progress":1}}"#,
    r#"{"jsonrpc":"2.0","method":"x/custom","params":[]}"#,
];

/// What the current operation may cause, for checking each output against it.
#[derive(Clone, PartialEq, Debug)]
enum Cause {
    /// An application command other than cancel.
    Command,
    /// The application cancelled this request.
    Cancel(RequestId),
    /// The clock.
    Clock,
    /// Input from the peer.
    Peer,
    /// The end of the input (which also reads a last unterminated line).
    Eof,
}

/// A request the application sent, as the model sees it.
#[derive(Debug)]
struct Sent {
    /// Its plain deadline: it may not time out before, and must have ended by then unless
    /// progress or an input request pushed it out.
    deadline: u64,
    /// Its hard maximum; `None` for a long-lived `subscriptions/listen`.
    hard: Option<u64>,
    timeout_ms: u64,
    resets_on_progress: bool,
    awaiting_input: bool,
}

impl Sent {
    /// When it must have ended, at the latest.
    fn due(&self) -> Option<u64> {
        let hard = self.hard?;
        Some(if self.resets_on_progress || self.awaiting_input { hard } else { self.deadline })
    }
}

struct Harness {
    session: Session,
    client: bool,
    stateless: bool,
    now: u64,
    cause: Cause,
    /// The application's requests still in flight, by the id `send_request` returned.
    sent: BTreeMap<RequestId, Sent>,
    /// Every id `send_request` ever returned.
    ever_sent: BTreeSet<RequestId>,
    /// The peer's requests announced and not yet ended.
    incoming: BTreeSet<RequestId>,
    /// Wire ids of the requests we transmitted, newest last (a few).
    wire_ids: Vec<RequestId>,
    closed: bool,
}

/// Runs the target on one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    let setup = input.byte();
    let mut h = Harness::new(setup);
    let mut ops = 0;
    while !input.is_empty() && ops < 256 {
        ops += 1;
        h.op(&mut input);
    }
    // Whatever happened, the end of the input ends everything.
    h.cause = Cause::Eof;
    h.session.handle_eof(Instant::from_millis(h.now));
    h.drain(0);
    assert!(h.sent.is_empty(), "requests left without an outcome at the end: {:?}", h.sent);
    assert_eq!(h.session.outgoing_in_flight(), 0);
    assert_eq!(h.session.incoming_in_flight(), 0);
}

impl Harness {
    fn new(setup: u8) -> Harness {
        let client = setup & 1 == 0;
        let mode = (setup >> 1) % 4;
        let timeouts = Timeouts {
            default_request: Duration::from_millis(DEFAULT_TIMEOUT_MS),
            max_request: Duration::from_millis(MAX_TIMEOUT_MS),
        };
        let session = if client {
            let mut config = ClientConfig::new(Implementation::new("fuzz-client", "1"));
            config.capabilities = serde_json::from_str::<ClientCapabilities>(CLIENT_CAPS).unwrap();
            config.limits = LIMITS;
            config.timeouts = timeouts;
            config.discover_timeout = Duration::from_millis(500);
            if matches!(mode, 1 | 2) {
                config.versions.retain(|v| *v != ProtocolVersion::V2026_07_28);
            }
            Session::client(config, Framing::Lines)
        } else {
            let mut config = ServerConfig::new(Implementation::new("fuzz-server", "1"));
            config.capabilities = serde_json::from_str::<ServerCapabilities>(SERVER_CAPS).unwrap();
            config.limits = LIMITS;
            config.timeouts = timeouts;
            Session::server(config, Framing::Lines)
        };
        let mut h = Harness {
            session,
            client,
            stateless: mode == 3,
            now: 0,
            cause: Cause::Command,
            sent: BTreeMap::new(),
            ever_sent: BTreeSet::new(),
            incoming: BTreeSet::new(),
            wire_ids: Vec::new(),
            closed: false,
        };
        let version = match mode {
            1 => Some("2025-11-25"),
            2 => Some("2025-03-26"),
            _ => None,
        };
        if client {
            h.session.connect(Instant::ZERO).expect("a fresh client connects");
            h.drain(0);
            let wire = h.wire_ids.last().cloned().expect("connect sends a request");
            let result = match (mode, version) {
                (_, Some(v)) => Some(initialize_result(v)),
                (3, _) => Some(discover_result()),
                _ => None,
            };
            if let Some(result) = result {
                h.peer_line(&response(&wire, &result));
                assert!(h.session.is_connected(), "the handshake did not complete");
            }
        } else if let Some(v) = version {
            let init = format!(
                r#"{{"protocolVersion":"{v}","capabilities":{CLIENT_CAPS},"clientInfo":{{"name":"p","version":"1"}}}}"#
            );
            h.peer_line(&request(&RequestId::String("init".into()), "initialize", &init));
            h.peer_line(PEER_NOTIFICATIONS[0]);
            assert!(h.session.is_connected(), "the handshake did not complete");
        }
        h
    }

    fn instant(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    /// Decodes and applies one operation.
    fn op(&mut self, input: &mut Input<'_>) {
        match input.byte() % 16 {
            0 => self.send(input),
            1 | 2 => self.respond(input),
            3 => self.cancel(input),
            4 => self.progress(input),
            5 => {
                self.now += u64::from(input.u16());
                self.fire_timeouts();
            }
            6 => {
                if let Some(t) = self.session.poll_timeout() {
                    let t = u64::try_from(t.elapsed_since_origin().as_millis()).unwrap();
                    self.now = self.now.max(t);
                }
                self.fire_timeouts();
            }
            7 => {
                let bytes = input.slice();
                let cut = input.choose(bytes.len() + 1);
                self.peer_bytes(&bytes[..cut]);
                self.peer_bytes(&bytes[cut..]);
            }
            8 => self.peer_response(input),
            9 => {
                let id = self.pick_wire(input);
                let progress = input.byte();
                let params =
                    format!(r#"{{"progressToken":{},"progress":{progress},"total":9}}"#, json(&id));
                self.peer_line(&notification("notifications/progress", &params));
            }
            10 => {
                let id = self.pick_incoming(input);
                let params = format!(r#"{{"requestId":{},"reason":"r"}}"#, json(&id));
                self.peer_line(&notification("notifications/cancelled", &params));
            }
            11 => self.peer_request(input),
            12 => {
                self.cause = Cause::Eof;
                self.session.handle_eof(self.instant());
                self.drain(0);
                assert!(self.sent.is_empty(), "requests left without an outcome after EOF");
            }
            13 => self.provide_input(input),
            14 => {
                self.cause = Cause::Command;
                let before = self.session.outgoing_in_flight();
                match self.session.ping(self.instant()) {
                    Ok(id) => self.sent(id, "ping", RequestOptions::default()),
                    Err(_) => assert_eq!(self.session.outgoing_in_flight(), before),
                }
                self.drain(0);
            }
            _ => {
                let n = PEER_NOTIFICATIONS[input.choose(PEER_NOTIFICATIONS.len())];
                self.peer_line(n);
            }
        }
        self.check_deadlines();
    }

    // ----- application commands -----

    fn send(&mut self, input: &mut Input<'_>) {
        self.cause = Cause::Command;
        let method = SEND_METHODS[input.choose(SEND_METHODS.len())];
        let params = SEND_PARAMS[input.choose(SEND_PARAMS.len())];
        let flags = input.byte();
        let options = RequestOptions {
            timeout: (flags & 1 != 0).then(|| Duration::from_millis(u64::from(input.u16()))),
            progress: flags & 2 != 0,
            reset_timeout_on_progress: flags & 4 != 0,
            related_request: (flags & 8 != 0).then(|| self.pick_incoming(input)),
        };
        let params = params.map(|p| RawJson::from_string(p.into()).unwrap());
        let before = self.session.outgoing_in_flight();
        match self.session.send_request(self.instant(), method, params, options.clone()) {
            Ok(id) => self.sent(id, method, options),
            Err(_) => {
                assert_eq!(self.session.outgoing_in_flight(), before, "a failed send changed state")
            }
        }
        self.drain(0);
    }

    fn sent(&mut self, id: RequestId, method: &str, options: RequestOptions) {
        assert!(self.ever_sent.insert(id.clone()), "send_request returned id {id} twice");
        let timeout_ms = options.timeout.map_or(DEFAULT_TIMEOUT_MS, |t| {
            u64::try_from(t.as_millis()).unwrap_or(u64::MAX).min(MAX_TIMEOUT_MS)
        });
        let long_lived = method == "subscriptions/listen";
        self.sent.insert(
            id,
            Sent {
                deadline: self.now + timeout_ms,
                hard: (!long_lived).then_some(self.now + MAX_TIMEOUT_MS),
                timeout_ms,
                resets_on_progress: options.reset_timeout_on_progress,
                awaiting_input: false,
            },
        );
    }

    fn respond(&mut self, input: &mut Input<'_>) {
        self.cause = Cause::Command;
        let id = self.pick_incoming(input);
        let known = self.incoming.contains(&id);
        let how = input.byte();
        let result = match how % 4 {
            0 => self.session.respond_error(&id, ErrorObject::internal_error("e")),
            1 => self.session.respond(&id, RawJson::from_string(r#"{"resultType":"input_required","inputRequests":{"a":{"method":"roots/list"}},"requestState":"s"}"#.into()).unwrap()),
            2 => self.session.respond(&id, RawJson::from_string("[]".into()).unwrap()),
            _ => self.session.respond(&id, RawJson::empty_object()),
        };
        match result {
            Ok(()) => {
                assert!(known, "answered a request {id} that was not in flight");
                self.incoming.remove(&id);
            }
            Err(SendError::UnknownRequest) => assert!(!known, "request {id} was in flight"),
            Err(_) => {}
        }
        self.drain(0);
    }

    fn cancel(&mut self, input: &mut Input<'_>) {
        let id = self.pick_sent(input);
        self.cause = Cause::Cancel(id.clone());
        let result = self.session.cancel(&id, Some("fuzz"));
        let known = self.sent.contains_key(&id);
        match &result {
            Ok(()) => assert!(known, "cancelled {id}, which the application never had in flight"),
            Err(SendError::QueueFull { .. } | SendError::Closed) => {}
            Err(e) => assert!(!known, "could not cancel {id}, which is in flight: {e}"),
        }
        self.drain(0);
        if result.is_ok() {
            assert!(!self.sent.contains_key(&id), "cancel gave no outcome");
        }
    }

    fn progress(&mut self, input: &mut Input<'_>) {
        self.cause = Cause::Command;
        let id = self.pick_incoming(input);
        let value = f64::from(input.byte()) / 4.0;
        let total = (input.byte() & 1 != 0).then_some(64.0);
        let result = self.session.notify_progress(&id, value, total, Some("p"));
        if result.is_ok() {
            assert!(self.incoming.contains(&id), "progress on a request not in flight");
        }
        self.drain(0);
    }

    fn provide_input(&mut self, input: &mut Input<'_>) {
        self.cause = Cause::Command;
        let id = self.pick_sent(input);
        let responses = RawJson::from_string(r#"{"a":{"roots":[]}}"#.into()).unwrap();
        if self.session.provide_input(self.instant(), &id, responses).is_ok() {
            let now = self.now;
            let s = self.sent.get_mut(&id).expect("input provided for a request not in flight");
            assert!(s.awaiting_input, "input provided for a request not waiting for it");
            // The retry starts the clock again.
            s.awaiting_input = false;
            s.deadline = now + s.timeout_ms;
            s.hard = s.hard.map(|_| now + MAX_TIMEOUT_MS);
        }
        self.drain(0);
    }

    fn fire_timeouts(&mut self) {
        self.cause = Cause::Clock;
        self.session.handle_timeout(self.instant());
        self.drain(0);
        for (id, s) in &self.sent {
            if let Some(due) = s.due() {
                assert!(due > self.now, "request {id} outlived its deadline {due} at {}", self.now);
            }
        }
    }

    // ----- the peer -----

    fn peer_bytes(&mut self, bytes: &[u8]) {
        self.cause = Cause::Peer;
        self.session.handle_bytes(self.instant(), bytes);
        self.drain(bytes.len());
    }

    fn peer_line(&mut self, line: &str) {
        let mut bytes = Vec::from(line);
        bytes.push(b'\n');
        self.peer_bytes(&bytes);
    }

    fn peer_response(&mut self, input: &mut Input<'_>) {
        let id = self.pick_wire(input);
        let line = match input.byte() % 8 {
            0 | 1 => response(&id, "{}"),
            2 => response(
                &id,
                r#"{"resultType":"input_required","inputRequests":{"a":{"method":"roots/list"}},"requestState":"s"}"#,
            ),
            3 => response(&id, &initialize_result("2025-11-25")),
            4 => response(&id, &discover_result()),
            5 => format!(
                r#"{{"jsonrpc":"2.0","id":{},"error":{{"code":-32022,"message":"u","data":{{"supported":["2026-07-28","2025-06-18"],"requested":"x"}}}}}}"#,
                json(&id)
            ),
            6 => format!(
                r#"{{"jsonrpc":"2.0","id":{},"error":{{"code":-32603,"message":"e"}}}}"#,
                json(&id)
            ),
            _ => response(&id, r#"{"resultType":"complete","content":[]}"#),
        };
        self.peer_line(&line);
    }

    fn peer_request(&mut self, input: &mut Input<'_>) {
        let b = input.byte();
        let id = if b & 0x80 != 0 {
            RequestId::String(format!("s{}", b % 4))
        } else {
            RequestId::Number(i64::from(b % 8))
        };
        let method = PEER_METHODS[input.choose(PEER_METHODS.len())];
        let flags = input.byte();
        let mut meta = Vec::new();
        if flags & 1 != 0 || (self.stateless && flags & 2 == 0) {
            meta.push(format!(r#""{META_PROTOCOL_VERSION}":"2026-07-28""#));
            meta.push(format!(r#""{META_CLIENT_CAPABILITIES}":{CLIENT_CAPS}"#));
        }
        if flags & 4 != 0 {
            meta.push(format!(r#""progressToken":{}"#, flags >> 4));
        }
        let body = match method {
            "initialize" => format!(
                r#""protocolVersion":"2025-11-25","capabilities":{CLIENT_CAPS},"clientInfo":{{"name":"p","version":"1"}}"#
            ),
            "tools/call" => r#""name":"t","arguments":{}"#.into(),
            "resources/subscribe" | "resources/unsubscribe" => {
                format!(r#""uri":"file:///{}""#, flags >> 5)
            }
            "logging/setLevel" => r#""level":"info""#.into(),
            "subscriptions/listen" => {
                r#""notifications":{"toolsListChanged":true,"resourceSubscriptions":["file:///1"]}"#
                    .into()
            }
            "sampling/createMessage" => r#""messages":[],"maxTokens":1"#.into(),
            _ => String::new(),
        };
        let meta = format!(r#""_meta":{{{}}}"#, meta.join(","));
        let params =
            if body.is_empty() { format!("{{{meta}}}") } else { format!("{{{meta},{body}}}") };
        self.peer_line(&request(&id, method, &params));
    }

    // ----- picking ids -----

    /// An id the application may refer to: mostly one in flight, sometimes any small id.
    fn pick_sent(&self, input: &mut Input<'_>) -> RequestId {
        let b = input.byte();
        if b & 1 == 0 && !self.sent.is_empty() {
            let i = usize::from(b >> 1) % self.sent.len();
            return self.sent.keys().nth(i).cloned().unwrap();
        }
        RequestId::Number(i64::from(b >> 1) % 8)
    }

    /// A request of the peer: mostly one in flight, sometimes any small id.
    fn pick_incoming(&self, input: &mut Input<'_>) -> RequestId {
        let b = input.byte();
        if b & 1 == 0 && !self.incoming.is_empty() {
            let i = usize::from(b >> 1) % self.incoming.len();
            return self.incoming.iter().nth(i).cloned().unwrap();
        }
        RequestId::Number(i64::from(b >> 1) % 8)
    }

    /// A wire id we transmitted a request under, or any small id.
    fn pick_wire(&self, input: &mut Input<'_>) -> RequestId {
        let b = input.byte();
        if b & 1 == 0 && !self.wire_ids.is_empty() {
            return self.wire_ids[usize::from(b >> 1) % self.wire_ids.len()].clone();
        }
        RequestId::Number(i64::from(b >> 1) % 16)
    }

    // ----- outputs and the model -----

    /// Drains the outputs of one input or command, checking each against the model. `fed` is
    /// how many bytes of peer input it consumed.
    fn drain(&mut self, fed: usize) {
        let in_flight = self.sent.len() + 1;
        let (mut count, mut bytes) = (0usize, 0usize);
        while let Some(output) = self.session.poll_output() {
            count += 1;
            match output {
                Output::Transmit(t) => {
                    bytes += t.bytes.len();
                    self.transmitted(&t.bytes);
                }
                Output::Event(e) => self.event(e),
            }
        }
        // Each line of peer input, each request in flight and each command gives a few
        // outputs of bounded size: nothing grows out of proportion to what went in.
        assert!(count <= 8 + 4 * fed + 4 * in_flight, "{count} outputs for {fed} bytes");
        assert!(bytes <= 4096 + 256 * fed + 512 * in_flight, "{bytes} bytes out for {fed} in");

        assert_eq!(
            self.session.incoming_in_flight(),
            self.incoming.len(),
            "the session and the model disagree on the peer's requests in flight"
        );
        let outgoing = self.session.outgoing_in_flight();
        assert!(outgoing >= self.sent.len() && outgoing <= self.sent.len() + 1);
        assert!(self.session.incoming_in_flight() <= LIMITS.max_incoming_in_flight);
        assert!(self.sent.len() <= LIMITS.max_outgoing_in_flight, "outgoing cap exceeded");
        assert!(outgoing <= LIMITS.max_outgoing_in_flight + 1);
    }

    fn transmitted(&mut self, bytes: &[u8]) {
        let line = bytes.strip_suffix(b"\n").expect("a line-framed transmit ends with LF");
        assert!(!line.contains(&b'\n'), "a transmit holds two lines");
        let msg = decode_message(bytes::Bytes::copy_from_slice(line))
            .unwrap_or_else(|e| panic!("the session sent something it cannot read: {e}"));
        if let Message::Request(r) = msg {
            if self.wire_ids.len() == 16 {
                self.wire_ids.remove(0);
            }
            self.wire_ids.push(r.id);
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Outcome { id, outcome } => {
                let Some(s) = self.sent.remove(&id) else {
                    panic!("outcome {outcome:?} for {id}, which is not in flight");
                };
                match (&outcome, &self.cause) {
                    (Outcome::Result(_) | Outcome::Error(_), Cause::Peer | Cause::Eof) => {}
                    // The stateless client answers logging/setLevel itself.
                    (Outcome::Result(_), Cause::Command) => {}
                    (Outcome::TimedOut, Cause::Clock) => assert!(
                        self.now >= s.deadline,
                        "{id} timed out at {} before its deadline {}",
                        self.now,
                        s.deadline
                    ),
                    (Outcome::Cancelled, Cause::Cancel(c)) if *c == id => {}
                    (Outcome::Closed, Cause::Eof) => {}
                    (o, c) => panic!("outcome {o:?} for {id} caused by {c:?}"),
                }
            }
            Event::Progress { id, .. } => {
                assert_eq!(self.cause, Cause::Peer);
                assert!(self.sent.contains_key(&id), "progress for {id}, which is not in flight");
            }
            Event::InputRequired { id, .. } => {
                assert_eq!(self.cause, Cause::Peer);
                let s = self.sent.get_mut(&id).expect("input required for a request not in flight");
                // While the user answers, only the hard maximum bounds it.
                s.awaiting_input = true;
            }
            Event::Request(r) => {
                assert!(matches!(self.cause, Cause::Peer | Cause::Eof));
                assert!(!self.closed, "a request after the end of the input");
                assert!(self.incoming.insert(r.id.clone()), "request {} announced twice", r.id);
                assert!(self.incoming.len() <= LIMITS.max_incoming_in_flight);
            }
            Event::Cancelled { id, .. } => {
                assert_eq!(self.cause, Cause::Peer);
                assert!(self.incoming.remove(&id), "the peer cancelled {id}, not in flight");
            }
            Event::Closed => {
                assert_eq!(self.cause, Cause::Eof);
                assert!(!self.closed, "closed twice");
                self.closed = true;
                self.incoming.clear();
            }
            Event::Connected(_) | Event::ConnectFailed { .. } => {
                assert!(self.client || self.cause == Cause::Peer);
            }
            _ => {}
        }
    }

    /// `poll_timeout` is never later than the deadline of anything in flight.
    fn check_deadlines(&self) {
        let due = self.sent.values().filter_map(Sent::due).min();
        if let Some(due) = due {
            let next = self.session.poll_timeout().expect("requests in flight but no deadline");
            assert!(next <= Instant::from_millis(due), "poll_timeout {next:?} is after {due}");
        }
    }
}

fn json(id: &RequestId) -> String {
    RawJson::to_raw(id).as_str().into()
}

fn request(id: &RequestId, method: &str, params: &str) -> String {
    format!(r#"{{"jsonrpc":"2.0","id":{},"method":"{method}","params":{params}}}"#, json(id))
}

fn notification(method: &str, params: &str) -> String {
    format!(r#"{{"jsonrpc":"2.0","method":"{method}","params":{params}}}"#)
}

fn response(id: &RequestId, result: &str) -> String {
    format!(r#"{{"jsonrpc":"2.0","id":{},"result":{result}}}"#, json(id))
}

fn initialize_result(version: &str) -> String {
    format!(
        r#"{{"protocolVersion":"{version}","capabilities":{SERVER_CAPS},"serverInfo":{{"name":"p","version":"1"}}}}"#
    )
}

fn discover_result() -> String {
    format!(
        r#"{{"resultType":"complete","supportedVersions":["2026-07-28"],"capabilities":{SERVER_CAPS}}}"#
    )
}
