//! The Streamable HTTP client, as an exchange machine around a client
//! [`Driver`].
//!
//! Every message the driver sends becomes a POST; the machine says which request to make
//! ([`ClientOutput::Send`]) and the runtime performs it, handing back the response head, body
//! chunks and end. JSON and SSE responses are both read; a standalone GET stream is opened once
//! a legacy session exists; an SSE stream that ends before its answers arrived is resumed with
//! `Last-Event-ID` after the server's `retry` delay; 404 on a session starts a new one; closing
//! sends DELETE. On 2026-07-28 each POST carries `Mcp-Method`/`Mcp-Name`, and cancelling a
//! request closes its stream instead of sending `notifications/cancelled`.

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::time::Duration;

use bytes::Bytes;

use super::param_headers::{
    NameMember, ParamHeader, encode, header_value, name_member, param_headers,
};
use super::{HeaderPairs, Headers};
use crate::client::ClientHandlers;
use crate::driver::{Command, CommandSink, Driver, DriverOutput, Task, TaskId};
use crate::framing::SseDecoder;
use crate::jsonrpc::{self, Message, RequestId};
use crate::methods as m;
use crate::session::{ClientConfig, Framing, MessageKind, Transmit};
use crate::time::Instant;
use crate::version::{Era, ProtocolVersion};

/// Identifies one HTTP request the client makes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct HttpRequestId(pub u64);

/// The HTTP method of a request to make.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ClientMethod {
    /// `POST` a message.
    Post,
    /// `GET` the standalone stream (or resume one).
    Get,
    /// `DELETE` the session.
    Delete,
}

/// A request the runtime must make to the server's MCP endpoint.
#[derive(Clone, Debug)]
pub struct OutgoingRequest {
    /// The method.
    pub method: ClientMethod,
    /// The headers (Accept, Content-Type, MCP-Protocol-Version, Mcp-Session-Id, …).
    pub headers: HeaderPairs,
    /// `Mcp-Param-{Name}` headers (2026-07-28 `x-mcp-header` parameters), full names.
    pub param_headers: Vec<(String, String)>,
    /// Where to send it: `None` for the endpoint the client was given, or a URI the server
    /// named (the HTTP+SSE message endpoint, possibly relative to that endpoint).
    pub url: Option<String>,
    /// The body (empty for GET and DELETE).
    pub body: Bytes,
}

/// One item from [`HttpClient::poll_output`].
pub enum ClientOutput {
    /// Make this request; report its response with the same id.
    Send(HttpRequestId, OutgoingRequest),
    /// Stop the request (close its response stream).
    Abort(HttpRequestId),
    /// Spawn a handler task; its output goes to [`HttpClient::handle_command`] when it
    /// completes.
    Spawn(Task),
    /// Stop a task.
    AbortTask(TaskId),
    /// A line for the log.
    Diagnostic(String),
    /// The connection is over.
    Closed,
}

impl core::fmt::Debug for ClientOutput {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ClientOutput::Send(id, r) => write!(f, "Send({id:?}, {:?})", r.method),
            ClientOutput::Abort(id) => write!(f, "Abort({id:?})"),
            ClientOutput::Spawn(t) => write!(f, "Spawn({:?})", t.id),
            ClientOutput::AbortTask(t) => write!(f, "AbortTask({t:?})"),
            ClientOutput::Diagnostic(d) => write!(f, "Diagnostic({d})"),
            ClientOutput::Closed => f.write_str("Closed"),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Purpose {
    /// A POST of a message; the requests in it wait for answers on its stream.
    Post {
        pending: BTreeSet<RequestId>,
    },
    /// The standalone GET stream, or a resumption of a POST stream.
    Get {
        pending: BTreeSet<RequestId>,
    },
    Delete,
    /// The 2024-11-05 HTTP+SSE stream: every answer arrives here.
    LegacyStream,
    /// A POST to the HTTP+SSE message endpoint (answered 202; answers come on the stream).
    LegacyPost,
}

#[derive(Debug)]
struct InFlight {
    purpose: Purpose,
    status: Option<u16>,
    sse: Option<SseDecoder>,
    json: Vec<u8>,
    /// What was posted, for a replay on the HTTP+SSE transport.
    sent: Bytes,
}

/// Which transport the server turned out to speak.
#[derive(Debug, PartialEq, Eq)]
enum Transport {
    /// Streamable HTTP (2025-03-26 on).
    Streamable,
    /// HTTP+SSE (2024-11-05): waiting for the stream's `endpoint` event, or posting there.
    LegacySse { endpoint: Option<String>, queued: Vec<Bytes> },
}

/// How a standalone GET stream is doing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum GetStream {
    None,
    Open,
    /// The server answered 405: it has none.
    Unsupported,
}

/// The Streamable HTTP client. See the [module docs](self).
pub struct HttpClient {
    driver: Driver,
    session: Option<String>,
    next: u64,
    inflight: BTreeMap<HttpRequestId, InFlight>,
    /// POSTs carrying each of our requests, for cancellation by closing (2026-07-28).
    request_post: BTreeMap<RequestId, HttpRequestId>,
    get_stream: GetStream,
    last_event_id: Option<String>,
    retry: Duration,
    /// Resumptions waiting for their delay: when, the last event id, the requests still owed.
    resume: Vec<(Instant, Option<String>, BTreeSet<RequestId>)>,
    max_event_len: usize,
    out: VecDeque<ClientOutput>,
    closing: bool,
    /// Our `tools/list` requests in flight (their results are checked for `x-mcp-header`).
    tool_lists: BTreeSet<RequestId>,
    /// The `x-mcp-header` parameters of each tool seen.
    param_headers: BTreeMap<String, Vec<ParamHeader>>,
    transport: Transport,
    /// Whether the endpoint ever answered as Streamable HTTP (then it never falls back).
    streamable_seen: bool,
}

impl core::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpClient")
            .field("session", &self.session)
            .field("inflight", &self.inflight.len())
            .finish()
    }
}

impl HttpClient {
    /// A client over Streamable HTTP, and its [`Client`](crate::client::Client) handle.
    pub fn new(
        config: ClientConfig,
        handlers: ClientHandlers,
        sink: Arc<dyn CommandSink>,
    ) -> (HttpClient, crate::client::Client) {
        let max_event_len = config.limits.max_frame_len;
        let (driver, client) =
            Driver::client_with_handle(config, handlers, Framing::Messages, sink);
        let machine = HttpClient {
            driver,
            session: None,
            next: 0,
            inflight: BTreeMap::new(),
            request_post: BTreeMap::new(),
            get_stream: GetStream::None,
            last_event_id: None,
            retry: Duration::from_secs(1),
            resume: Vec::new(),
            max_event_len,
            out: VecDeque::new(),
            closing: false,
            tool_lists: BTreeSet::new(),
            param_headers: BTreeMap::new(),
            transport: Transport::Streamable,
            streamable_seen: false,
        };
        (machine, client)
    }

    /// The session id the server gave, if any.
    pub fn session_id(&self) -> Option<&str> {
        self.session.as_deref()
    }

    // ----- outputs -----

    /// The next output; drain after every input.
    pub fn poll_output(&mut self) -> Option<ClientOutput> {
        self.out.pop_front()
    }

    /// When [`HttpClient::handle_timeout`] must run next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.resume.iter().map(|r| r.0).chain(self.driver.poll_timeout()).min()
    }

    // ----- inputs -----

    /// A command from the [`Client`](crate::client::Client) or a handler task.
    pub fn handle_command(&mut self, now: Instant, command: Command) {
        if matches!(command, Command::Shutdown) {
            return self.close(now);
        }
        self.driver.handle_command(now, command);
        self.pump(now);
    }

    /// A handler task panicked.
    pub fn handle_task_panicked(&mut self, now: Instant, task: TaskId) {
        self.driver.handle_task_panicked(now, task);
        self.pump(now);
    }

    /// Time reached [`HttpClient::poll_timeout`].
    pub fn handle_timeout(&mut self, now: Instant) {
        let (due, later): (Vec<_>, Vec<_>) =
            core::mem::take(&mut self.resume).into_iter().partition(|r| r.0 <= now);
        self.resume = later;
        for (_, last, pending) in due {
            self.get(last, pending);
        }
        if self.driver.poll_timeout().is_some_and(|t| t <= now) {
            self.driver.handle_timeout(now);
        }
        self.pump(now);
    }

    /// The head of a response arrived.
    pub fn handle_response_head(
        &mut self,
        now: Instant,
        id: HttpRequestId,
        status: u16,
        headers: &Headers,
    ) {
        let Some(req) = self.inflight.get_mut(&id) else { return };
        req.status = Some(status);
        if (200..300).contains(&status) {
            self.streamable_seen = true;
        }
        if let Some(s) = headers.get("mcp-session-id") {
            if self.session.as_deref() != Some(s) {
                self.session = Some(s.into());
            }
        }
        let sse = headers
            .get("content-type")
            .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("text/event-stream"));
        if sse && (200..300).contains(&status) {
            req.sse = Some(SseDecoder::new(self.max_event_len));
        }
        match (&req.purpose, status) {
            (Purpose::Get { .. }, 405) => self.get_stream = GetStream::Unsupported,
            (_, 404) if self.session.is_some() && !matches!(req.purpose, Purpose::Delete) => {
                // The server forgot the session: start a new one.
                self.session = None;
                self.get_stream = GetStream::None;
                self.driver.handle_session_expired(now);
                self.pump(now);
            }
            _ => {}
        }
    }

    /// A chunk of a response body.
    pub fn handle_response_body(&mut self, now: Instant, id: HttpRequestId, chunk: &[u8]) {
        let Some(req) = self.inflight.get_mut(&id) else { return };
        let mut frames = Vec::new();
        let mut endpoint = None;
        match &mut req.sse {
            Some(decoder) => {
                decoder.push(chunk);
                while let Some(event) = decoder.next_event() {
                    match event {
                        Ok(e) => {
                            if let Some(id) = e.id {
                                self.last_event_id = Some(String::from(&*id));
                            }
                            if let Some(r) = e.retry {
                                self.retry = Duration::from_millis(r);
                            }
                            if e.event == "endpoint" && matches!(req.purpose, Purpose::LegacyStream)
                            {
                                endpoint = Some(e.data);
                            } else if !e.data.is_empty() && e.event == "message" {
                                frames.push(Bytes::from(e.data));
                            }
                        }
                        Err(e) => {
                            self.out.push_back(ClientOutput::Diagnostic(alloc::format!("SSE: {e}")))
                        }
                    }
                }
            }
            None => {
                if req.json.len() + chunk.len() <= self.max_event_len {
                    req.json.extend_from_slice(chunk);
                }
            }
        }
        if let Some(url) = endpoint {
            self.legacy_endpoint(url);
        }
        for f in frames {
            self.deliver(now, id, f);
        }
        self.pump(now);
    }

    /// The response is complete (`error` if the connection failed first).
    pub fn handle_response_end(&mut self, now: Instant, id: HttpRequestId, error: Option<&str>) {
        let Some(req) = self.inflight.remove(&id) else { return };
        let status = req.status.unwrap_or(0);
        match req.purpose {
            Purpose::LegacyStream => {
                // The HTTP+SSE session lives as long as its stream.
                self.out.push_back(ClientOutput::Diagnostic("the HTTP+SSE stream ended".into()));
                self.driver.handle_eof(now);
                return self.pump(now);
            }
            Purpose::LegacyPost => {
                if !(200..300).contains(&status) {
                    self.out.push_back(ClientOutput::Diagnostic(alloc::format!(
                        "HTTP+SSE message refused with status {status}"
                    )));
                }
                return self.pump(now);
            }
            _ => {}
        }
        if self.should_fall_back(&req, status) {
            // The backwards-compatibility probe: no Streamable HTTP here, try HTTP+SSE.
            self.out.push_back(ClientOutput::Diagnostic(alloc::format!(
                "POST answered {status} without a JSON-RPC body; trying the HTTP+SSE transport"
            )));
            let mut queued = alloc::vec![req.sent.clone()];
            queued.extend(
                core::mem::take(&mut self.inflight)
                    .into_values()
                    .map(|r| r.sent)
                    .filter(|b| !b.is_empty()),
            );
            self.transport = Transport::LegacySse { endpoint: None, queued };
            let sse_id = self.next_id();
            let headers = alloc::vec![("accept", "text/event-stream".into())];
            self.inflight.insert(
                sse_id,
                InFlight {
                    purpose: Purpose::LegacyStream,
                    status: None,
                    sse: None,
                    json: Vec::new(),
                    sent: Bytes::new(),
                },
            );
            self.out.push_back(ClientOutput::Send(
                sse_id,
                OutgoingRequest {
                    method: ClientMethod::Get,
                    headers,
                    param_headers: Vec::new(),
                    url: None,
                    body: Bytes::new(),
                },
            ));
            return;
        }
        let pending = match req.purpose {
            Purpose::Post { pending } | Purpose::Get { pending } => pending,
            _ => BTreeSet::new(),
        };
        for r in &pending {
            if self.request_post.get(r) == Some(&id) {
                self.request_post.remove(r);
            }
        }
        if req.sse.is_none() && !req.json.is_empty() {
            let body = Bytes::from(req.json);
            match jsonrpc::decode(body.clone()) {
                // The transport spec lets an HTTP error's body be "a JSON-RPC error response
                // that has no id". It answers the one request of this POST (we never batch),
                // if that is still waiting; otherwise it is only worth a log line.
                Ok(jsonrpc::Decoded::Single(Message::Error(e)))
                    if e.id.is_none() && !(200..300).contains(&status) =>
                {
                    let waiting = pending.iter().find(|r| self.driver.session().is_waiting_for(r));
                    match waiting {
                        Some(r) => {
                            let answer = jsonrpc::ErrorResponse { id: Some(r.clone()), ..e };
                            self.driver.handle_message(now, Message::Error(answer));
                        }
                        None => self.out.push_back(ClientOutput::Diagnostic(alloc::format!(
                            "HTTP status {status}: {}",
                            e.error
                        ))),
                    }
                }
                Ok(decoded) => self.deliver_decoded(now, decoded, body),
                Err(_) => {}
            }
        }
        let owed: BTreeSet<RequestId> =
            pending.into_iter().filter(|r| self.driver.session().is_waiting_for(r)).collect();
        let is_get = matches!(self.get_stream, GetStream::Open)
            && owed.is_empty()
            && req.sse.is_some()
            && status == 200;
        if !owed.is_empty() {
            if req.sse.is_some() && (200..300).contains(&status) && error.is_none()
                || req.sse.is_some() && error.is_some()
            {
                // The stream ended before its answers: resume it after the server's delay.
                self.resume.push((now + self.retry, self.last_event_id.clone(), owed));
            } else {
                let reason = match error {
                    Some(e) => alloc::format!("HTTP request failed: {e}"),
                    None => alloc::format!("HTTP status {status} without an answer"),
                };
                for r in owed {
                    self.fail(now, &r, &reason);
                }
            }
        } else if is_get && !self.closing {
            // The standalone stream closed: open it again after the delay.
            self.resume.push((now + self.retry, self.last_event_id.clone(), BTreeSet::new()));
        }
        self.pump(now);
    }

    // ----- internals -----

    /// Whether a POST's answer means the server has no Streamable HTTP endpoint here: the
    /// `initialize` POST (a failed `server/discover` first falls back to `initialize`) answered
    /// 400, 404 or 405 without an answer to it, before the endpoint ever answered as Streamable
    /// HTTP.
    fn should_fall_back(&self, req: &InFlight, status: u16) -> bool {
        // The cheap tests first: this runs for every answer.
        matches!(req.purpose, Purpose::Post { .. })
            && matches!(status, 400 | 404 | 405)
            && self.transport == Transport::Streamable
            && !self.streamable_seen
            && self.session.is_none()
            && !self.driver.session().is_connected()
            && jsonrpc::decode_message(req.sent.clone())
                .is_ok_and(|m| m.method() == Some(m::INITIALIZE))
            && !answers_a_request(&req.json)
    }

    /// The HTTP+SSE stream named its message endpoint: send what waited for it.
    fn legacy_endpoint(&mut self, url: String) {
        let queued = match &mut self.transport {
            Transport::LegacySse { endpoint, queued } => {
                *endpoint = Some(url.clone());
                core::mem::take(queued)
            }
            Transport::Streamable => return,
        };
        for body in queued {
            self.legacy_post(url.clone(), body);
        }
    }

    fn legacy_post(&mut self, url: String, body: Bytes) {
        let headers = alloc::vec![
            ("accept", "application/json, text/event-stream".into()),
            ("content-type", "application/json".into()),
        ];
        let id = self.next_id();
        self.inflight.insert(
            id,
            InFlight {
                purpose: Purpose::LegacyPost,
                status: None,
                sse: None,
                json: Vec::new(),
                sent: Bytes::new(),
            },
        );
        self.out.push_back(ClientOutput::Send(
            id,
            OutgoingRequest {
                method: ClientMethod::Post,
                headers,
                param_headers: Vec::new(),
                url: Some(url),
                body,
            },
        ));
    }

    fn deliver(&mut self, now: Instant, _from: HttpRequestId, frame: Bytes) {
        match jsonrpc::decode(frame.clone()) {
            Ok(decoded) => self.deliver_decoded(now, decoded, frame),
            // The session reports what is wrong with it.
            Err(_) => self.driver.handle_frame(now, frame),
        }
    }

    /// A message (or batch) from the server, decoded from `frame` once.
    fn deliver_decoded(&mut self, now: Instant, decoded: jsonrpc::Decoded, frame: Bytes) {
        match decoded {
            jsonrpc::Decoded::Single(Message::Response(r)) if self.tool_lists.remove(&r.id) => {
                let result = self.check_tools(r.result);
                self.driver
                    .handle_message(now, Message::Response(jsonrpc::Response { id: r.id, result }));
            }
            jsonrpc::Decoded::Single(message) => self.driver.handle_message(now, message),
            jsonrpc::Decoded::Batch(_) => self.driver.handle_frame(now, frame),
        }
    }

    /// 2026-07-28 over HTTP: tools whose `x-mcp-header` annotations break the rules are left
    /// out of the list (with a warning); the others' annotations are remembered for their calls.
    fn check_tools(&mut self, result: jsonrpc::RawJson) -> jsonrpc::RawJson {
        let Ok(mut page) = result.parse_owned::<crate::types::JsonObject>() else { return result };
        let Some(serde_json::Value::Array(tools)) = page.get_mut("tools") else { return result };
        let before = tools.len();
        let mut warnings = Vec::new();
        tools.retain(|tool| {
            let name = tool.get("name").and_then(|n| n.as_str()).unwrap_or("?");
            let Some(schema) = tool.get("inputSchema").and_then(|s| s.as_object()) else {
                return true;
            };
            match param_headers(schema) {
                Ok(h) => {
                    self.param_headers.insert(String::from(name), h);
                    true
                }
                Err(reason) => {
                    warnings.push(alloc::format!("tool {name:?} left out: {reason}"));
                    false
                }
            }
        });
        let dropped = tools.len() != before;
        for w in warnings {
            self.out.push_back(ClientOutput::Diagnostic(w));
        }
        if dropped { jsonrpc::RawJson::to_raw(&page) } else { result }
    }

    /// Ends a request of ours with a transport error.
    fn fail(&mut self, now: Instant, id: &RequestId, reason: &str) {
        let error = jsonrpc::ErrorObject::new(jsonrpc::ErrorCode::CONNECTION_CLOSED, reason);
        let msg = Message::Error(jsonrpc::ErrorResponse { id: Some(id.clone()), error });
        self.driver.handle_message(now, msg);
    }

    fn next_id(&mut self) -> HttpRequestId {
        let id = HttpRequestId(self.next);
        self.next += 1;
        id
    }

    fn version(&self) -> Option<ProtocolVersion> {
        self.driver.session().protocol_version()
    }

    fn base_headers(&self, accept: &'static str) -> HeaderPairs {
        let mut h = Vec::with_capacity(6);
        h.push(("accept", accept.into()));
        if let Some(v) = self.version() {
            h.push(("mcp-protocol-version", v.as_str().into()));
        }
        if let Some(s) = &self.session {
            h.push(("mcp-session-id", s.clone().into()));
        }
        h
    }

    fn get(&mut self, last_event_id: Option<String>, pending: BTreeSet<RequestId>) {
        if self.closing {
            return;
        }
        let mut headers = self.base_headers("text/event-stream");
        if let Some(l) = last_event_id {
            headers.push(("last-event-id", l.into()));
        }
        if pending.is_empty() {
            self.get_stream = GetStream::Open;
        }
        let id = self.next_id();
        self.inflight.insert(
            id,
            InFlight {
                purpose: Purpose::Get { pending },
                status: None,
                sse: None,
                json: Vec::new(),
                sent: Bytes::new(),
            },
        );
        self.out.push_back(ClientOutput::Send(
            id,
            OutgoingRequest {
                method: ClientMethod::Get,
                headers,
                param_headers: Vec::new(),
                url: None,
                body: Bytes::new(),
            },
        ));
    }

    fn close(&mut self, now: Instant) {
        if self.closing {
            return;
        }
        self.closing = true;
        let ids: Vec<HttpRequestId> = self.inflight.keys().copied().collect();
        for id in ids {
            self.out.push_back(ClientOutput::Abort(id));
        }
        self.inflight.clear();
        if self.session.is_some() {
            let headers = self.base_headers("application/json, text/event-stream");
            let id = self.next_id();
            self.inflight.insert(
                id,
                InFlight {
                    purpose: Purpose::Delete,
                    status: None,
                    sse: None,
                    json: Vec::new(),
                    sent: Bytes::new(),
                },
            );
            self.out.push_back(ClientOutput::Send(
                id,
                OutgoingRequest {
                    method: ClientMethod::Delete,
                    headers,
                    param_headers: Vec::new(),
                    url: None,
                    body: Bytes::new(),
                },
            ));
        }
        self.driver.handle_command(now, Command::Shutdown);
        self.pump(now);
    }

    fn pump(&mut self, now: Instant) {
        // Once a legacy session exists, listen for what the server sends on its own — before
        // anything else goes out (the `initialized` notification, the first requests), so the
        // stream is being opened before the server has reason to use it.
        let legacy = self.version().is_some_and(|v| v.era() == Era::Legacy);
        if legacy
            && self.session.is_some()
            && self.get_stream == GetStream::None
            && self.driver.session().is_connected()
        {
            self.get(None, BTreeSet::new());
        }
        while let Some(out) = self.driver.poll_output() {
            match out {
                DriverOutput::Transmit(t) => self.post(t),
                DriverOutput::Spawn(t) => self.out.push_back(ClientOutput::Spawn(t)),
                DriverOutput::Abort(t) => self.out.push_back(ClientOutput::AbortTask(t)),
                DriverOutput::Diagnostic(d) => self.out.push_back(ClientOutput::Diagnostic(d)),
                DriverOutput::Closed => self.out.push_back(ClientOutput::Closed),
            }
        }
        let _ = now;
    }

    fn post(&mut self, t: Transmit) {
        if let Transport::LegacySse { endpoint, queued } = &mut self.transport {
            match endpoint.clone() {
                Some(url) => self.legacy_post(url, t.bytes),
                None => queued.push(t.bytes),
            }
            return;
        }
        let message = t.message;
        let modern = self.version().is_some_and(|v| v.era() == Era::Stateless)
            || message.method() == Some(m::SERVER_DISCOVER);
        if modern && message.method() == Some(m::CANCELLED) {
            // 2026-07-28 over HTTP: cancelling is closing the request's stream.
            if let Some(target) = cancelled_id(&message).and_then(|r| self.request_post.remove(&r))
            {
                self.inflight.remove(&target);
                self.out.push_back(ClientOutput::Abort(target));
            }
            return;
        }
        let mut headers = self.base_headers("application/json, text/event-stream");
        headers.push(("content-type", "application/json".into()));
        let mut params = Vec::new();
        if modern {
            if let Message::Request(r) = &message {
                if !headers.iter().any(|(n, _)| *n == "mcp-protocol-version") {
                    headers.push(("mcp-protocol-version", ProtocolVersion::LATEST.as_str().into()));
                }
                headers.push(("mcp-method", r.method.clone()));
                let named = r.params.as_ref().and_then(|p| p.parse::<Named<'_>>().ok());
                if let Some(name) = named.as_ref().and_then(|n| n.target(&r.method)) {
                    headers.push(("mcp-name", encode(name).into()));
                    if r.method == m::TOOLS_CALL {
                        self.add_param_headers(r, name, &mut params);
                    }
                }
                if r.method == m::TOOLS_LIST {
                    self.tool_lists.insert(r.id.clone());
                }
            }
        }
        let id = self.next_id();
        let mut pending = BTreeSet::new();
        if let (Message::Request(r), MessageKind::Request) = (&message, t.kind) {
            pending.insert(r.id.clone());
            self.request_post.insert(r.id.clone(), id);
        }
        self.inflight.insert(
            id,
            InFlight {
                purpose: Purpose::Post { pending },
                status: None,
                sse: None,
                json: Vec::new(),
                sent: t.bytes.clone(),
            },
        );
        self.out.push_back(ClientOutput::Send(
            id,
            OutgoingRequest {
                method: ClientMethod::Post,
                headers,
                param_headers: params,
                url: None,
                body: t.bytes,
            },
        ));
    }
}

impl HttpClient {
    /// `Mcp-Param-{Name}` for each annotated argument of a `tools/call`.
    fn add_param_headers(
        &self,
        r: &jsonrpc::Request,
        tool: &str,
        headers: &mut Vec<(String, String)>,
    ) {
        #[derive(serde::Deserialize)]
        struct Call {
            #[serde(default)]
            arguments: serde_json::Value,
        }
        // Most tools declare no header arguments: their arguments are not parsed again.
        let Some(list) = self.param_headers.get(tool).filter(|l| !l.is_empty()) else { return };
        let Some(call) = r.params.as_ref().and_then(|p| p.parse_owned::<Call>().ok()) else {
            return;
        };
        for h in list {
            if let Some(value) = header_value(&call.arguments, &h.path) {
                headers.push((alloc::format!("mcp-param-{}", h.name), value));
            }
        }
    }
}

/// Whether a body is a JSON-RPC answer to one of our requests (a result, or an error that
/// names a request id) rather than a transport-level refusal.
fn answers_a_request(body: &[u8]) -> bool {
    match jsonrpc::decode_message(Bytes::copy_from_slice(body)) {
        Ok(Message::Response(_)) => true,
        Ok(Message::Error(e)) => e.id.is_some(),
        _ => false,
    }
}

fn cancelled_id(message: &Message) -> Option<RequestId> {
    let Message::Notification(n) = message else { return None };
    n.params.as_ref()?.parse_owned::<crate::types::CancelledNotificationParams>().ok()?.request_id
}

/// The params members `Mcp-Name` is taken from, borrowed from the request.
#[derive(serde::Deserialize)]
struct Named<'a> {
    #[serde(borrow, default)]
    name: Option<alloc::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    uri: Option<alloc::borrow::Cow<'a, str>>,
}

impl Named<'_> {
    /// What `Mcp-Name` says for `method`: the tool or prompt name, or the resource URI.
    fn target(&self, method: &str) -> Option<&str> {
        match name_member(method)? {
            NameMember::Name => self.name.as_deref(),
            NameMember::Uri => self.uri.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::boxed::Box;
    use alloc::string::ToString;
    use core::future::Future;
    use core::pin::pin;
    use core::task::{Context, Poll, Waker};

    use serde_json::{Value, json};

    use super::*;
    use crate::driver::{BoxFuture, Closed};
    use crate::types::Implementation;

    /// Records what the client handle sends instead of delivering it to a loop.
    #[derive(Default)]
    struct Recorder(spin::Mutex<Vec<Command>>);

    impl CommandSink for Recorder {
        fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
            self.0.lock().push(command);
            Box::pin(async { Ok(()) })
        }
        fn try_send(&self, command: Command) -> Result<(), Closed> {
            self.0.lock().push(command);
            Ok(())
        }
    }

    /// Drains the machine: the requests it asks for (id, method, body as JSON) and its
    /// diagnostics.
    fn drain(m: &mut HttpClient) -> (Vec<(HttpRequestId, ClientMethod, Value)>, Vec<String>) {
        let (mut sent, mut notes) = (Vec::new(), Vec::new());
        while let Some(out) = m.poll_output() {
            match out {
                ClientOutput::Send(id, r) => {
                    let body = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                    sent.push((id, r.method, body));
                }
                ClientOutput::Diagnostic(d) => notes.push(d),
                _ => {}
            }
        }
        (sent, notes)
    }

    /// A server without sessions for 2026-07-28 answers `server/discover` with HTTP 400 and an
    /// id-less JSON-RPC error (what the TypeScript SDK 1.x does, and what the transport spec
    /// allows). That error answers the discover request: the client falls back to
    /// `initialize`, without calling the id-less error a protocol violation.
    #[test]
    fn an_id_less_error_of_an_http_error_answers_the_posted_request() {
        let sink = Arc::new(Recorder::default());
        let mut config = ClientConfig::new(Implementation::new("t", "1"));
        config.versions = ProtocolVersion::ALL.to_vec();
        let (mut m, client) = HttpClient::new(config, ClientHandlers::new(), sink.clone());
        let mut connect = pin!(client.connect());
        let mut cx = Context::from_waker(Waker::noop());
        assert!(connect.as_mut().poll(&mut cx).is_pending());
        let commands: Vec<Command> = core::mem::take(&mut *sink.0.lock());
        for c in commands {
            m.handle_command(Instant::ZERO, c);
        }
        let (sent, _) = drain(&mut m);
        let [(discover, ClientMethod::Post, body)] = &sent[..] else { panic!("{sent:?}") };
        assert_eq!(body["method"], "server/discover");

        let headers = Headers::from_pairs([("content-type", "application/json")]);
        m.handle_response_head(Instant::ZERO, *discover, 400, &headers);
        let error = json!({"jsonrpc": "2.0", "id": null,
            "error": {"code": -32000, "message": "Bad Request: Unsupported protocol version"}});
        m.handle_response_body(Instant::ZERO, *discover, error.to_string().as_bytes());
        m.handle_response_end(Instant::ZERO, *discover, None);
        let (sent, notes) = drain(&mut m);
        assert!(notes.iter().all(|n| !n.contains("without an id")), "{notes:?}");
        let [(init, ClientMethod::Post, body)] = &sent[..] else { panic!("{sent:?}") };
        assert_eq!(body["method"], "initialize");

        let result = json!({"jsonrpc": "2.0", "id": body["id"], "result": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "serverInfo": {"name": "s", "version": "1"}}});
        let headers = Headers::from_pairs([("content-type", "application/json")]);
        m.handle_response_head(Instant::ZERO, *init, 200, &headers);
        m.handle_response_body(Instant::ZERO, *init, result.to_string().as_bytes());
        m.handle_response_end(Instant::ZERO, *init, None);
        drain(&mut m);
        let Poll::Ready(Ok(info)) = connect.as_mut().poll(&mut cx) else { panic!("not connected") };
        assert_eq!(info.protocol_version, ProtocolVersion::V2025_11_25);
    }

    /// Without a request waiting for it (a notification's POST), such an error is a log line.
    #[test]
    fn an_id_less_error_for_no_request_is_a_diagnostic() {
        let sink = Arc::new(Recorder::default());
        let config = ClientConfig::new(Implementation::new("t", "1"));
        let (mut m, _client) = HttpClient::new(config, ClientHandlers::new(), sink);
        let id = m.next_id();
        let purpose = Purpose::Post { pending: BTreeSet::new() };
        m.inflight.insert(
            id,
            InFlight { purpose, status: None, sse: None, json: Vec::new(), sent: Bytes::new() },
        );
        let headers = Headers::from_pairs([("content-type", "application/json")]);
        m.handle_response_head(Instant::ZERO, id, 400, &headers);
        let error =
            json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32000, "message": "nope"}});
        m.handle_response_body(Instant::ZERO, id, error.to_string().as_bytes());
        m.handle_response_end(Instant::ZERO, id, None);
        let (_, notes) = drain(&mut m);
        assert_eq!(notes, ["HTTP status 400: nope (-32000)"]);
    }
}
