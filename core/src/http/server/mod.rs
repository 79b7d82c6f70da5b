//! The Streamable HTTP server (and the legacy HTTP+SSE one), as an exchange machine.
//!
//! Inputs: [`HttpServer::handle_request_head`] (which returns the exchange's id),
//! [`HttpServer::handle_request_body`], [`HttpServer::handle_request_end`],
//! [`HttpServer::handle_exchange_closed`] (the client went away, or the response was fully
//! written), commands from handler tasks ([`HttpServer::handle_command`]) and timeouts. Outputs
//! ([`HttpServer::poll_output`]): response heads, body chunks and ends per exchange, tasks to
//! spawn and abort, diagnostics.
//!
//! Each legacy session (`Mcp-Session-Id`) and each stateless request has its own
//! [`Driver`]; they share one [`Server`].

mod config;
mod events;

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use bytes::Bytes;

pub use config::HttpConfig;
pub use events::{EventStore, MemoryEventStore};

use super::head::{accepts, is_json};
use super::{HeaderPairs, Headers, HttpMethod, RequestHead};
use crate::driver::{Command, CommandSink, Driver, DriverOutput, Task, TaskId};
use crate::framing::{encode_comment, encode_event};
use crate::jsonrpc::{self, ErrorCode, ErrorObject, Message, RequestId};
use crate::methods as m;
use crate::server::{Server, SharedServer};
use crate::session::{Framing, MessageKind, Transmit};
use crate::time::Instant;
use crate::version::{Era, ProtocolVersion};

/// Identifies one HTTP request/response exchange.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct ExchangeId(pub u64);

/// Identifies a connection of the protocol: a legacy session, or one stateless request.
/// [`ConnId::SERVER`] addresses the whole server (its [`ServerHandle`](crate::server::ServerHandle)).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct ConnId(pub u64);

impl ConnId {
    /// The server as a whole: commands sent here reach every session.
    pub const SERVER: ConnId = ConnId(0);
}

/// Makes the command sink of each connection: the runtime's channel into its loop, tagged
/// with the connection the command belongs to.
pub trait SinkFactory: Send + Sync {
    /// The sink for `conn`'s handler tasks.
    fn sink(&self, conn: ConnId) -> Arc<dyn CommandSink>;
}

/// Unpredictable bytes for session ids (the runtime's operating-system randomness).
pub trait Entropy: Send {
    /// Fills `buf`.
    fn fill(&mut self, buf: &mut [u8]);
}

/// One item from [`HttpServer::poll_output`].
pub enum HttpOutput {
    /// Start the response of `exchange`.
    Head {
        /// The exchange.
        exchange: ExchangeId,
        /// The status code.
        status: u16,
        /// Response headers.
        headers: HeaderPairs,
    },
    /// Bytes of the response body.
    Body {
        /// The exchange.
        exchange: ExchangeId,
        /// The bytes.
        bytes: Bytes,
    },
    /// The response is complete.
    End {
        /// The exchange.
        exchange: ExchangeId,
    },
    /// Spawn a handler task of `conn`; its output goes to [`HttpServer::handle_command`] with
    /// the same `conn` when it completes.
    Spawn {
        /// The connection.
        conn: ConnId,
        /// The task.
        task: Task,
    },
    /// Stop a task of `conn`.
    Abort {
        /// The connection.
        conn: ConnId,
        /// The task.
        task: TaskId,
    },
    /// A line for the log.
    Diagnostic(String),
}

impl core::fmt::Debug for HttpOutput {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            HttpOutput::Head { exchange, status, .. } => write!(f, "Head({exchange:?}, {status})"),
            HttpOutput::Body { exchange, bytes } => {
                write!(f, "Body({exchange:?}, {} bytes)", bytes.len())
            }
            HttpOutput::End { exchange } => write!(f, "End({exchange:?})"),
            HttpOutput::Spawn { conn, task } => write!(f, "Spawn({conn:?}, {:?})", task.id),
            HttpOutput::Abort { conn, task } => write!(f, "Abort({conn:?}, {task:?})"),
            HttpOutput::Diagnostic(d) => write!(f, "Diagnostic({d})"),
        }
    }
}

/// A request body as it arrives: one chunk is kept as it came; more are joined.
enum RequestBody {
    Empty,
    One(Bytes),
    Joined(Vec<u8>),
}

impl RequestBody {
    fn len(&self) -> usize {
        match self {
            RequestBody::Empty => 0,
            RequestBody::One(b) => b.len(),
            RequestBody::Joined(v) => v.len(),
        }
    }

    /// Adds a chunk that is already `Bytes`.
    fn push(&mut self, chunk: Bytes) {
        match self {
            RequestBody::Empty => *self = RequestBody::One(chunk),
            _ => self.extend(&chunk),
        }
    }

    /// Adds a borrowed chunk (copied).
    fn extend(&mut self, chunk: &[u8]) {
        match self {
            RequestBody::Empty => *self = RequestBody::Joined(chunk.to_vec()),
            RequestBody::One(first) => {
                let mut joined = Vec::with_capacity(first.len() + chunk.len());
                joined.extend_from_slice(first);
                joined.extend_from_slice(chunk);
                *self = RequestBody::Joined(joined);
            }
            RequestBody::Joined(v) => v.extend_from_slice(chunk),
        }
    }

    fn into_bytes(self) -> Bytes {
        match self {
            RequestBody::Empty => Bytes::new(),
            RequestBody::One(b) => b,
            RequestBody::Joined(v) => Bytes::from(v),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// A POST to the MCP endpoint.
    Post,
    /// A POST to the legacy HTTP+SSE message endpoint.
    LegacyPost,
    /// A GET stream (standalone or resumed).
    Get,
    /// The legacy HTTP+SSE stream.
    LegacySse,
    /// Answered already; the rest of the request is ignored.
    Answered,
}

struct Exchange {
    kind: Kind,
    conn: Option<ConnId>,
    body: RequestBody,
    /// The request body is complete (or its reading timed out): later body input is ignored,
    /// so the request is handled once.
    body_ended: bool,
    version: Option<ProtocolVersion>,
    session: Option<String>,
    /// The request's headers, kept for the checks made once its body is read (`Mcp-Method`,
    /// `Mcp-Name`, `Mcp-Param-{Name}`); empty for anything but a POST to the MCP endpoint.
    headers: Headers,
    head_sent: bool,
    ended: bool,
    /// `Mcp-Session-Id` to put on the response head (a session made by this request).
    new_session: Option<String>,
    /// Whether the response is an SSE stream (and so needs keep-alives).
    streaming: bool,
    /// An `MCP-Protocol-Version` this server does not know (answered once the body gives the
    /// request id).
    unknown_version: Option<String>,
    last_write: Instant,
}

struct Stream {
    exchange: Option<ExchangeId>,
    pending: BTreeSet<RequestId>,
}

struct Conn {
    driver: Driver,
    session: Option<String>,
    version: Option<ProtocolVersion>,
    /// The request a stream answers: request id → stream number.
    routes: BTreeMap<RequestId, u32>,
    streams: BTreeMap<u32, Stream>,
    next_stream: u32,
    next_seq: u64,
    /// The standalone GET stream (stream 0).
    get_stream: Option<ExchangeId>,
    /// The 2024-11-05 HTTP+SSE stream carrying everything.
    legacy_sse: Option<ExchangeId>,
    /// Ends with its one request (stateless).
    ephemeral: bool,
    /// 2026-07-28: no event ids, no resumption; closing the stream cancels.
    modern: bool,
    last_active: Instant,
}

/// The HTTP side of an MCP server. See the [module docs](self).
pub struct HttpServer {
    config: HttpConfig,
    server: SharedServer,
    sinks: Arc<dyn SinkFactory>,
    entropy: Box<dyn Entropy>,
    store: Box<dyn EventStore>,
    exchanges: BTreeMap<ExchangeId, Exchange>,
    /// Boxed: a connection holds a whole driver, and the map moves its values as it changes.
    conns: BTreeMap<ConnId, Box<Conn>>,
    sessions: BTreeMap<String, ConnId>,
    next_exchange: u64,
    next_conn: u64,
    out: VecDeque<HttpOutput>,
    shutting_down: bool,
}

impl core::fmt::Debug for HttpServer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpServer")
            .field("exchanges", &self.exchanges.len())
            .field("conns", &self.conns.len())
            .field("sessions", &self.sessions.len())
            .finish()
    }
}

fn error_body(id: Option<&RequestId>, code: ErrorCode, message: &str) -> Bytes {
    let error = ErrorObject::new(code, message);
    Message::Error(jsonrpc::ErrorResponse { id: id.cloned(), error }).to_bytes()
}

/// The HTTP status of a 2026-07-28 JSON error answer.
fn modern_status(error: Option<ErrorCode>) -> u16 {
    match error.map(|c| c.0) {
        Some(-32601) => 404,
        Some(-32022..=-32020) => 400,
        _ => 200,
    }
}

impl HttpServer {
    /// An HTTP endpoint serving `server`.
    pub fn new(
        server: Server,
        config: HttpConfig,
        sinks: Arc<dyn SinkFactory>,
        entropy: Box<dyn Entropy>,
        store: Box<dyn EventStore>,
    ) -> HttpServer {
        HttpServer {
            config,
            server: Arc::new(spin::RwLock::new(server)),
            sinks,
            entropy,
            store,
            exchanges: BTreeMap::new(),
            conns: BTreeMap::new(),
            sessions: BTreeMap::new(),
            next_exchange: 0,
            next_conn: 1,
            out: VecDeque::new(),
            shutting_down: false,
        }
    }

    /// Live legacy sessions.
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }

    /// Exchanges not yet closed.
    pub fn exchange_count(&self) -> usize {
        self.exchanges.len()
    }

    /// Connections (sessions and stateless requests) alive.
    pub fn conn_count(&self) -> usize {
        self.conns.len()
    }

    /// Stops accepting requests (they get 503) and ends the long-lived streams (standalone GET
    /// and HTTP+SSE streams); requests in flight finish.
    pub fn begin_shutdown(&mut self) {
        self.shutting_down = true;
        let streams: Vec<ExchangeId> = self
            .conns
            .values()
            .flat_map(|c| c.get_stream.into_iter().chain(c.legacy_sse))
            .collect();
        for x in streams {
            self.end(x);
        }
    }

    /// Whether no request is still waiting for its answer (for graceful shutdown).
    pub fn is_idle(&self) -> bool {
        !self
            .exchanges
            .values()
            .any(|e| matches!(e.kind, Kind::Post | Kind::LegacyPost) && !e.ended)
    }

    // ----- outputs -----

    /// The next output; drain after every input.
    pub fn poll_output(&mut self) -> Option<HttpOutput> {
        self.out.pop_front()
    }

    /// When [`HttpServer::handle_timeout`] must run next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let drivers = self.conns.values().filter_map(|c| c.driver.poll_timeout());
        let keep_alive = self
            .exchanges
            .values()
            .filter(|e| e.streaming && !e.ended)
            .map(|e| e.last_write + self.config.keep_alive);
        let idle = self
            .conns
            .values()
            .filter(|c| c.session.is_some())
            .map(|c| c.last_active + self.config.session_idle_timeout);
        drivers.chain(keep_alive).chain(idle).min()
    }

    // ----- inputs -----

    /// A request's head arrived. The returned id names the exchange in every later input and
    /// output. Everything that can be checked before the body is checked here.
    pub fn handle_request_head(&mut self, now: Instant, head: RequestHead) -> ExchangeId {
        let id = ExchangeId(self.next_exchange);
        self.next_exchange += 1;
        let session = head.headers.get("mcp-session-id").map(String::from);
        let version_text = head.headers.get("mcp-protocol-version");
        let mut ex = Exchange {
            kind: Kind::Answered,
            conn: None,
            body: RequestBody::Empty,
            body_ended: false,
            version: None,
            session,
            headers: Headers::default(),
            head_sent: false,
            ended: false,
            new_session: None,
            streaming: false,
            last_write: now,
            unknown_version: None,
        };
        let refuse =
            |status: u16, code: ErrorCode, msg: &str| Some((status, code, String::from(msg)));
        let mut refusal = None;
        if self.shutting_down {
            refusal = refuse(503, ErrorCode::INTERNAL_ERROR, "the server is shutting down");
        } else if let Some(e) = self.check_origin(&head) {
            refusal = Some(e);
        }
        if let Some(text) = version_text {
            match ProtocolVersion::parse(text) {
                Some(v) => ex.version = Some(v),
                // POSTs get the -32022 answer with their request id once the body is read.
                None if head.method == HttpMethod::Post => {
                    ex.unknown_version = Some(String::from(text))
                }
                None if refusal.is_none() => {
                    refusal = refuse(
                        400,
                        ErrorCode::INVALID_REQUEST,
                        &alloc::format!("Unsupported MCP-Protocol-Version: {text}"),
                    );
                }
                None => {}
            }
        }
        let path = head.path.as_str();
        let legacy_sse = self.config.sse_path.as_deref() == Some(path);
        let legacy_post = path == self.config.messages_path && self.config.sse_path.is_some();
        if refusal.is_none() {
            refusal = if path == self.config.mcp_path {
                self.check_mcp_head(&head, &mut ex)
            } else if legacy_sse && head.method == HttpMethod::Get {
                if accepts(&head.headers, "text/event-stream") {
                    ex.kind = Kind::LegacySse;
                    None
                } else {
                    refuse(
                        406,
                        ErrorCode::INVALID_REQUEST,
                        "Not Acceptable: Accept must include text/event-stream",
                    )
                }
            } else if legacy_post && head.method == HttpMethod::Post {
                match head.query_param("sessionId").and_then(|s| self.sessions.get(s)) {
                    Some(conn) if self.conns.get(conn).is_some_and(|c| c.legacy_sse.is_some()) => {
                        ex.conn = Some(*conn);
                        ex.kind = Kind::LegacyPost;
                        None
                    }
                    _ => refuse(404, ErrorCode::INVALID_REQUEST, "Session not found"),
                }
            } else if legacy_sse || legacy_post {
                refuse(405, ErrorCode::INVALID_REQUEST, "Method not allowed")
            } else {
                refuse(404, ErrorCode::INVALID_REQUEST, "Not found")
            };
        }
        if let Some(len) = head.headers.get("content-length").and_then(|l| l.parse::<usize>().ok())
        {
            if len > self.config.max_body_len && refusal.is_none() {
                refusal = refuse(413, ErrorCode::INVALID_REQUEST, "Payload too large");
            }
        }
        self.exchanges.insert(id, ex);
        if let Some((status, code, msg)) = refusal {
            self.respond_error(id, status, None, code, &msg);
            return id;
        }
        match self.exchanges.get_mut(&id) {
            Some(ex) if ex.kind == Kind::Get => self.open_get(now, id, &head),
            Some(ex) if ex.kind == Kind::LegacySse => self.open_legacy_sse(now, id),
            Some(ex) if ex.kind == Kind::Post => ex.headers = head.headers,
            _ => {}
        }
        if head.method == HttpMethod::Delete {
            self.delete_session(now, id);
        }
        id
    }

    /// Checks `Host` and `Origin` against the allow-lists (DNS-rebinding protection).
    fn check_origin(&self, head: &RequestHead) -> Option<(u16, ErrorCode, String)> {
        if let (Some(allowed), Some(host)) = (&self.config.allowed_hosts, head.headers.get("host"))
        {
            if !allowed.iter().any(|h| h.eq_ignore_ascii_case(host)) {
                return Some((
                    403,
                    ErrorCode::INVALID_REQUEST,
                    alloc::format!("Forbidden: Host {host} is not allowed"),
                ));
            }
        }
        if let (Some(allowed), Some(origin)) =
            (&self.config.allowed_origins, head.headers.get("origin"))
        {
            if !allowed.iter().any(|o| o.eq_ignore_ascii_case(origin)) {
                return Some((
                    403,
                    ErrorCode::INVALID_REQUEST,
                    alloc::format!("Forbidden: Origin {origin} is not allowed"),
                ));
            }
        }
        None
    }

    fn check_mcp_head(
        &mut self,
        head: &RequestHead,
        ex: &mut Exchange,
    ) -> Option<(u16, ErrorCode, String)> {
        let refuse =
            |status: u16, msg: &str| Some((status, ErrorCode::INVALID_REQUEST, String::from(msg)));
        let modern = ex.version.is_some_and(|v| v.era() == Era::Stateless);
        match head.method {
            HttpMethod::Post => {
                if !(accepts(&head.headers, "application/json")
                    && accepts(&head.headers, "text/event-stream"))
                {
                    return refuse(
                        406,
                        "Not Acceptable: Accept must include application/json and text/event-stream",
                    );
                }
                if !is_json(&head.headers) {
                    return refuse(
                        415,
                        "Unsupported Media Type: Content-Type must be application/json",
                    );
                }
                ex.kind = Kind::Post;
                None
            }
            HttpMethod::Get | HttpMethod::Delete if modern || self.config.stateless => {
                refuse(405, "Method not allowed: this endpoint has no sessions for this request")
            }
            HttpMethod::Get | HttpMethod::Delete => {
                if head.method == HttpMethod::Get && !accepts(&head.headers, "text/event-stream") {
                    return refuse(406, "Not Acceptable: Accept must include text/event-stream");
                }
                let Some(session) = &ex.session else {
                    return refuse(400, "Bad Request: Mcp-Session-Id header is required");
                };
                match self.sessions.get(session) {
                    Some(conn) => {
                        ex.conn = Some(*conn);
                        ex.kind =
                            if head.method == HttpMethod::Get { Kind::Get } else { Kind::Answered };
                        None
                    }
                    None => Some((404, ErrorCode::INVALID_REQUEST, "Session not found".into())),
                }
            }
            HttpMethod::Options | HttpMethod::Other => refuse(405, "Method not allowed"),
        }
    }

    /// A chunk of a request body.
    pub fn handle_request_body(&mut self, now: Instant, id: ExchangeId, chunk: &[u8]) {
        self.add_body(now, id, chunk.len(), |body| body.extend(chunk));
    }

    /// [`HttpServer::handle_request_body`] with the chunk as `Bytes`: a body that comes in one
    /// chunk, as most do, is then kept as it is, without a copy.
    pub fn handle_request_body_bytes(&mut self, now: Instant, id: ExchangeId, chunk: Bytes) {
        self.add_body(now, id, chunk.len(), |body| body.push(chunk));
    }

    fn add_body(
        &mut self,
        _now: Instant,
        id: ExchangeId,
        len: usize,
        add: impl FnOnce(&mut RequestBody),
    ) {
        let max = self.config.max_body_len;
        let Some(ex) = self.exchanges.get_mut(&id) else { return };
        if !matches!(ex.kind, Kind::Post | Kind::LegacyPost) || ex.body_ended {
            return;
        }
        if ex.body.len() + len > max {
            ex.kind = Kind::Answered;
            ex.body = RequestBody::Empty;
            self.respond_error(id, 413, None, ErrorCode::INVALID_REQUEST, "Payload too large");
            return;
        }
        add(&mut ex.body);
    }

    /// The request body is complete. Only the first call counts: the request is handled once,
    /// and body chunks that come after it are ignored.
    pub fn handle_request_end(&mut self, now: Instant, id: ExchangeId) {
        let Some(ex) = self.exchanges.get_mut(&id) else { return };
        if core::mem::replace(&mut ex.body_ended, true) {
            // Ended already: the request is being handled, or was answered.
            return;
        }
        let body = core::mem::replace(&mut ex.body, RequestBody::Empty).into_bytes();
        match ex.kind {
            Kind::Post => self.post(now, id, body),
            Kind::LegacyPost => self.legacy_post(now, id, body),
            _ => {}
        }
    }

    /// The request body stopped arriving (the runtime's read timeout): the exchange is answered
    /// with 408 and the partial body dropped. Once the body has ended the request is being
    /// handled, and this is ignored.
    pub fn handle_request_timed_out(&mut self, _now: Instant, id: ExchangeId) {
        let Some(ex) = self.exchanges.get_mut(&id) else { return };
        if matches!(ex.kind, Kind::Post | Kind::LegacyPost) && !ex.head_sent && !ex.body_ended {
            ex.body_ended = true;
            ex.body = RequestBody::Empty;
            self.respond_error(
                id,
                408,
                None,
                ErrorCode::INVALID_REQUEST,
                "Request Timeout: the body did not arrive in time",
            );
        }
    }

    /// The exchange is over: its response was written completely, or the client went away.
    pub fn handle_exchange_closed(&mut self, now: Instant, id: ExchangeId) {
        let Some(ex) = self.exchanges.remove(&id) else { return };
        let Some(conn_id) = ex.conn else { return };
        let Some(conn) = self.conns.get_mut(&conn_id) else { return };
        if conn.ephemeral && !ex.ended {
            // 2026-07-28 (and stateless legacy): closing the stream cancels the request.
            conn.driver.handle_eof(now);
            self.pump(now, conn_id);
            self.remove_conn(conn_id);
            return;
        }
        if conn.legacy_sse == Some(id) {
            // The 2024-11-05 session lives as long as its stream.
            conn.driver.handle_eof(now);
            self.pump(now, conn_id);
            self.remove_conn(conn_id);
            return;
        }
        if conn.get_stream == Some(id) {
            conn.get_stream = None;
        }
        for s in conn.streams.values_mut() {
            if s.exchange == Some(id) {
                // Legacy: a disconnect is not a cancellation; events wait for a resumption.
                s.exchange = None;
            }
        }
    }

    /// A command from a handler task of `conn` (or from the server's handle, [`ConnId::SERVER`]).
    pub fn handle_command(&mut self, now: Instant, conn: ConnId, command: Command) {
        // Changes to what the server offers concern every session, whoever asks for them.
        let server_wide = matches!(
            command,
            Command::UpdateServer(_)
                | Command::ResourceUpdated { .. }
                | Command::ListChanged { .. }
        );
        if conn == ConnId::SERVER || server_wide {
            return self.server_command(now, command);
        }
        match self.conns.get_mut(&conn) {
            Some(c) => {
                c.driver.handle_command(now, command);
                self.pump(now, conn);
            }
            None => {
                // The connection is gone; answer waiters so they do not hang.
                let _ = DeadDriver::answer(command);
            }
        }
    }

    fn server_command(&mut self, now: Instant, command: Command) {
        let ids: Vec<ConnId> = self.conns.keys().copied().collect();
        match command {
            Command::UpdateServer(f) => {
                let changed = {
                    let mut server = self.server.write();
                    f(server.registry_mut());
                    server.registry_mut().take_changes()
                };
                for id in ids {
                    if let Some(c) = self.conns.get_mut(&id) {
                        c.driver.announce_changes(now, changed);
                    }
                    self.pump(now, id);
                }
            }
            Command::ResourceUpdated { uri } => {
                for id in ids {
                    if let Some(c) = self.conns.get_mut(&id) {
                        c.driver.handle_command(now, Command::ResourceUpdated { uri: uri.clone() });
                    }
                    self.pump(now, id);
                }
            }
            Command::ListChanged { method } => {
                for id in ids {
                    if let Some(c) = self.conns.get_mut(&id) {
                        c.driver.handle_command(now, Command::ListChanged { method });
                    }
                    self.pump(now, id);
                }
            }
            Command::Shutdown => self.begin_shutdown(),
            other => {
                let _ = DeadDriver::answer(other);
            }
        }
    }

    /// A task of `conn` panicked.
    pub fn handle_task_panicked(&mut self, now: Instant, conn: ConnId, task: TaskId) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.driver.handle_task_panicked(now, task);
            self.pump(now, conn);
        }
    }

    /// Time reached [`HttpServer::poll_timeout`].
    pub fn handle_timeout(&mut self, now: Instant) {
        let due: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| c.driver.poll_timeout().is_some_and(|t| t <= now))
            .map(|(id, _)| *id)
            .collect();
        for id in due {
            if let Some(c) = self.conns.get_mut(&id) {
                c.driver.handle_timeout(now);
            }
            self.pump(now, id);
        }
        let keep_alive = self.config.keep_alive;
        let quiet: Vec<ExchangeId> = self
            .exchanges
            .iter()
            .filter(|(_, e)| e.streaming && !e.ended && e.last_write + keep_alive <= now)
            .map(|(id, _)| *id)
            .collect();
        for id in quiet {
            let mut comment = Vec::new();
            encode_comment(&mut comment, "keep-alive");
            self.write(now, id, Bytes::from(comment));
        }
        let idle = self.config.session_idle_timeout;
        let expired: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(id, c)| {
                c.session.is_some()
                    && c.last_active + idle <= now
                    && !self.exchanges.values().any(|e| e.conn == Some(**id) && !e.ended)
            })
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            self.out.push_back(HttpOutput::Diagnostic(alloc::format!(
                "session {id:?} idle for {idle:?}; ended"
            )));
            if let Some(c) = self.conns.get_mut(&id) {
                c.driver.handle_eof(now);
            }
            self.pump(now, id);
            self.remove_conn(id);
        }
    }

    // ----- POST -----

    fn post(&mut self, now: Instant, id: ExchangeId, body: Bytes) {
        let decoded = match jsonrpc::decode(body.clone()) {
            Ok(d) => d,
            Err(e) => {
                let bytes = Message::Error(e.to_error_response()).to_bytes();
                return self.respond_json(id, 400, bytes);
            }
        };
        let Some(ex) = self.exchanges.get(&id) else { return };
        if let Some(requested) = ex.unknown_version.clone() {
            let rid = match &decoded {
                jsonrpc::Decoded::Single(Message::Request(r)) => Some(r.id.clone()),
                _ => None,
            };
            return self.unsupported_version(id, rid.as_ref(), &requested);
        }
        let header_modern = ex.version.is_some_and(|v| v.era() == Era::Stateless);
        let body_modern = !header_modern
            && ex.session.is_none()
            && matches!(&decoded, jsonrpc::Decoded::Single(m)
                if routing::Routing::of(m).protocol_version().is_some());
        if header_modern || body_modern {
            let jsonrpc::Decoded::Single(message) = decoded else {
                return self.respond_error(
                    id,
                    400,
                    None,
                    ErrorCode::INVALID_REQUEST,
                    "batches are not supported",
                );
            };
            return self.modern_post(now, id, message);
        }
        self.legacy_streamable_post(now, id, decoded, body);
    }

    /// SEP-2243: every `x-mcp-header` argument of the tool called must come with its
    /// `Mcp-Param-{Name}` header, carrying the same value (decoded when base64-wrapped).
    fn check_param_headers(
        &self,
        x: ExchangeId,
        request: &jsonrpc::Request,
        name: Option<&str>,
    ) -> Result<(), String> {
        use crate::http::param_headers::{decode, plain_value};
        #[derive(serde::Deserialize)]
        struct Arguments {
            #[serde(default)]
            arguments: serde_json::Value,
        }
        let Some(ex) = self.exchanges.get(&x) else { return Ok(()) };
        let Some(params) = request.params.as_ref() else { return Ok(()) };
        let Some(name) = name else { return Ok(()) };
        let server = self.server.read();
        let Some(headers) = server.registry().tool_header_args(name) else { return Ok(()) };
        // Most tools declare none: their arguments are not parsed a second time.
        if headers.is_empty() && !ex.headers.iter().any(|(n, _)| n.starts_with("mcp-param-")) {
            return Ok(());
        }
        let Ok(call) = params.parse_owned::<Arguments>() else { return Ok(()) };
        for h in headers {
            let sent = ex.headers.iter().find_map(|(n, v)| {
                n.strip_prefix("mcp-param-").filter(|n| n.eq_ignore_ascii_case(&h.name)).map(|_| v)
            });
            match (plain_value(&call.arguments, &h.path), sent) {
                (Some(body), Some(header)) => match decode(header) {
                    Some(decoded) if decoded == body => {}
                    Some(_) => {
                        return Err(alloc::format!(
                            "Mcp-Param-{} does not match the argument",
                            h.name
                        ));
                    }
                    None => {
                        return Err(alloc::format!(
                            "Mcp-Param-{} is not a valid header value",
                            h.name
                        ));
                    }
                },
                (Some(_), None) => return Err(alloc::format!("Mcp-Param-{} is missing", h.name)),
                (None, Some(_)) => {
                    return Err(alloc::format!("Mcp-Param-{} has no argument in the body", h.name));
                }
                (None, None) => {}
            }
        }
        Ok(())
    }

    /// `-32022` with the versions this server speaks (HTTP 400).
    fn unsupported_version(&mut self, x: ExchangeId, id: Option<&RequestId>, requested: &str) {
        let mut supported: Vec<String> = self
            .server
            .read()
            .shared_session_config()
            .versions
            .iter()
            .map(|v| String::from(v.as_str()))
            .collect();
        supported.sort_unstable_by(|a, b| b.cmp(a));
        let data =
            crate::types::UnsupportedProtocolVersionData { supported, requested: requested.into() };
        let error = ErrorObject::new(
            ErrorCode::UNSUPPORTED_PROTOCOL_VERSION,
            "Unsupported protocol version",
        )
        .with_data(crate::jsonrpc::RawJson::to_raw(&data));
        let body = Message::Error(jsonrpc::ErrorResponse { id: id.cloned(), error }).to_bytes();
        if let Some(ex) = self.exchanges.get_mut(&x) {
            ex.kind = Kind::Answered;
        }
        self.respond_json(x, 400, body);
    }

    /// A 2026-07-28 request: its headers must agree with its body, and it runs on a driver of
    /// its own.
    fn modern_post(&mut self, now: Instant, id: ExchangeId, message: Message) {
        let Some(ex) = self.exchanges.get(&id) else { return };
        let request = match &message {
            Message::Request(r) => r,
            Message::Notification(_) => return self.accepted(id),
            Message::Response(_) | Message::Error(_) => {
                return self.respond_error(
                    id,
                    400,
                    None,
                    ErrorCode::INVALID_REQUEST,
                    "2026-07-28 clients send no responses",
                );
            }
        };
        let rid = Some(&request.id);
        let mismatch = |what: &str| alloc::format!("Header mismatch: {what}");
        if ex.headers.get("mcp-method") != Some(&*request.method) {
            return self.respond_error(
                id,
                400,
                rid,
                ErrorCode::HEADER_MISMATCH,
                &mismatch("Mcp-Method must equal the method"),
            );
        }
        let routing = routing::Routing::of(&message);
        if let Some(name) = routing.target(&request.method) {
            // The header may carry the name base64-encoded.
            let header = ex.headers.get("mcp-name").and_then(crate::http::param_headers::decode);
            if header.as_deref() != Some(name) {
                return self.respond_error(
                    id,
                    400,
                    rid,
                    ErrorCode::HEADER_MISMATCH,
                    &mismatch("Mcp-Name must equal the name or uri"),
                );
            }
        }
        if request.method == m::TOOLS_CALL {
            if let Err(why) = self.check_param_headers(id, request, routing.name()) {
                return self.respond_error(
                    id,
                    400,
                    rid,
                    ErrorCode::HEADER_MISMATCH,
                    &mismatch(&why),
                );
            }
        }
        if matches!(
            &*request.method,
            m::INITIALIZE
                | m::PING
                | m::LOGGING_SET_LEVEL
                | m::RESOURCES_SUBSCRIBE
                | m::RESOURCES_UNSUBSCRIBE
        ) {
            // Methods 2026-07-28 removed.
            let body = error_body(
                rid,
                ErrorCode::METHOD_NOT_FOUND,
                &alloc::format!("Method not found: {}", request.method),
            );
            return self.respond_json(id, 404, body);
        }
        if !routing.has_client_capabilities() {
            return self.respond_error(
                id,
                400,
                rid,
                ErrorCode::INVALID_PARAMS,
                "missing _meta io.modelcontextprotocol/clientCapabilities",
            );
        }
        match (routing.protocol_version(), ex.version) {
            (None, _) => {
                return self.respond_error(
                    id,
                    400,
                    rid,
                    ErrorCode::INVALID_PARAMS,
                    "missing _meta io.modelcontextprotocol/protocolVersion",
                );
            }
            (Some(body), Some(header)) if body != header.as_str() => {
                return self.respond_error(
                    id,
                    400,
                    rid,
                    ErrorCode::HEADER_MISMATCH,
                    &mismatch("MCP-Protocol-Version must equal _meta protocolVersion"),
                );
            }
            _ => {}
        }
        let request_id = request.id.clone();
        let conn = self.new_conn(now, None, None, true, true, None);
        self.open_stream(id, conn, alloc::vec![request_id]);
        if let Some(c) = self.conns.get_mut(&conn) {
            c.driver.handle_message(now, message);
        }
        self.pump(now, conn);
    }

    fn legacy_streamable_post(
        &mut self,
        now: Instant,
        id: ExchangeId,
        decoded: jsonrpc::Decoded,
        body: Bytes,
    ) {
        let Some(ex) = self.exchanges.get(&id) else { return };
        let messages: Vec<&Message> = match &decoded {
            jsonrpc::Decoded::Single(m) => alloc::vec![m],
            jsonrpc::Decoded::Batch(items) => {
                items.iter().filter_map(|i| i.as_ref().ok()).collect()
            }
        };
        let requests: Vec<RequestId> = messages
            .iter()
            .filter_map(|m| if let Message::Request(r) = m { Some(r.id.clone()) } else { None })
            .collect();
        let initialize = messages.iter().any(|m| m.method() == Some(m::INITIALIZE));
        let version = ex.version.unwrap_or(ProtocolVersion::V2025_03_26);
        let conn = if self.config.stateless {
            // Every request stands alone; `initialize` still gets its handshake answer.
            let preinit = (!initialize).then_some(version);
            self.new_conn(now, None, preinit, true, false, None)
        } else if let Some(session) = ex.session.clone() {
            match self.sessions.get(&session) {
                Some(c) => *c,
                None => {
                    return self.respond_error(
                        id,
                        404,
                        None,
                        ErrorCode::INVALID_REQUEST,
                        "Session not found",
                    );
                }
            }
        } else if initialize {
            if self.sessions.len() >= self.config.max_sessions {
                return self.respond_error(
                    id,
                    503,
                    None,
                    ErrorCode::INTERNAL_ERROR,
                    "Too many sessions",
                );
            }
            let session = self.new_session_id();
            let conn = self.new_conn(now, Some(session.clone()), None, false, false, None);
            self.sessions.insert(session.clone(), conn);
            if let Some(ex) = self.exchanges.get_mut(&id) {
                ex.new_session = Some(session);
            }
            conn
        } else {
            return self.respond_error(
                id,
                400,
                None,
                ErrorCode::INVALID_REQUEST,
                "Bad Request: Mcp-Session-Id header is required",
            );
        };
        if let Some(c) = self.conns.get_mut(&conn) {
            c.last_active = now;
        }
        if let Some(ex) = self.exchanges.get_mut(&id) {
            ex.conn = Some(conn);
        }
        if requests.is_empty() {
            self.accepted(id);
        } else {
            self.open_stream(id, conn, requests);
        }
        if let Some(c) = self.conns.get_mut(&conn) {
            match decoded {
                jsonrpc::Decoded::Single(m) => c.driver.handle_message(now, m),
                jsonrpc::Decoded::Batch(_) => c.driver.handle_frame(now, body),
            }
        }
        self.pump(now, conn);
    }

    fn legacy_post(&mut self, now: Instant, id: ExchangeId, body: Bytes) {
        let Some(conn) = self.exchanges.get(&id).and_then(|e| e.conn) else { return };
        if let Err(e) = jsonrpc::decode(body.clone()) {
            let bytes = Message::Error(e.to_error_response()).to_bytes();
            return self.respond_json(id, 400, bytes);
        }
        self.accepted(id);
        if let Some(c) = self.conns.get_mut(&conn) {
            c.last_active = now;
            c.driver.handle_frame(now, body);
        }
        self.pump(now, conn);
    }

    // ----- GET and DELETE -----

    fn open_get(&mut self, now: Instant, id: ExchangeId, head: &RequestHead) {
        let Some(conn_id) = self.exchanges.get(&id).and_then(|e| e.conn) else { return };
        let last = head.headers.get("last-event-id").and_then(events::parse_event_id);
        let Some(conn) = self.conns.get_mut(&conn_id) else { return };
        conn.last_active = now;
        let session = conn.session.clone().unwrap_or_default();
        match last {
            Some((stream, seq)) => {
                let replay = self.store.replay_after(&session, stream, seq);
                let Some(conn) = self.conns.get_mut(&conn_id) else { return };
                let live = if stream == 0 {
                    conn.get_stream = Some(id);
                    true
                } else if let Some(s) = conn.streams.get_mut(&stream) {
                    s.exchange = Some(id);
                    true
                } else {
                    false
                };
                self.sse_head(id);
                for event in replay {
                    self.write(now, id, event);
                }
                if !live {
                    self.end(id);
                }
            }
            None => {
                if conn.get_stream.is_some_and(|g| self.exchanges.contains_key(&g)) {
                    return self.respond_error(
                        id,
                        409,
                        None,
                        ErrorCode::INVALID_REQUEST,
                        "Conflict: a GET stream is already open for this session",
                    );
                }
                conn.get_stream = Some(id);
                self.sse_head(id);
                self.prime(now, conn_id, id, 0);
            }
        }
    }

    fn delete_session(&mut self, now: Instant, id: ExchangeId) {
        let Some(conn) = self.exchanges.get(&id).and_then(|e| e.conn) else { return };
        if let Some(c) = self.conns.get_mut(&conn) {
            c.driver.handle_eof(now);
        }
        self.pump(now, conn);
        self.remove_conn(conn);
        self.respond_json(id, 200, Bytes::new());
    }

    fn open_legacy_sse(&mut self, now: Instant, id: ExchangeId) {
        if self.sessions.len() >= self.config.max_sessions {
            return self.respond_error(
                id,
                503,
                None,
                ErrorCode::INTERNAL_ERROR,
                "Too many sessions",
            );
        }
        let session = self.new_session_id();
        let conn = self.new_conn(now, Some(session.clone()), None, false, false, Some(id));
        self.sessions.insert(session.clone(), conn);
        if let Some(ex) = self.exchanges.get_mut(&id) {
            ex.conn = Some(conn);
        }
        self.sse_head(id);
        let mut event = Vec::new();
        let endpoint = alloc::format!("{}?sessionId={session}", self.config.messages_path);
        let _ = encode_event(&mut event, Some("endpoint"), None, &endpoint);
        self.write(now, id, Bytes::from(event));
    }

    // ----- connections and streams -----

    fn new_session_id(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.entropy.fill(&mut bytes);
        bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
    }

    fn new_conn(
        &mut self,
        now: Instant,
        session: Option<String>,
        preinitialized: Option<ProtocolVersion>,
        ephemeral: bool,
        modern: bool,
        legacy_sse: Option<ExchangeId>,
    ) -> ConnId {
        let id = ConnId(self.next_conn);
        self.next_conn += 1;
        let sink = self.sinks.sink(id);
        let driver = match preinitialized {
            Some(v) => {
                Driver::server_preinitialized(self.server.clone(), v, Framing::Messages, sink)
            }
            None => Driver::server_shared(self.server.clone(), Framing::Messages, sink),
        };
        let conn = Box::new(Conn {
            driver,
            session,
            version: preinitialized,
            routes: BTreeMap::new(),
            streams: BTreeMap::new(),
            next_stream: 1,
            next_seq: 0,
            get_stream: None,
            legacy_sse,
            ephemeral,
            modern,
            last_active: now,
        });
        self.conns.insert(id, conn);
        id
    }

    fn remove_conn(&mut self, id: ConnId) {
        if let Some(c) = self.conns.remove(&id) {
            if let Some(s) = &c.session {
                self.sessions.remove(s);
                self.store.forget(s);
            }
            // Streams of the session that are still open end now.
            let open: Vec<ExchangeId> = self
                .exchanges
                .iter()
                .filter(|(_, e)| e.conn == Some(id) && e.head_sent && !e.ended)
                .map(|(x, _)| *x)
                .collect();
            for x in open {
                self.end(x);
            }
        }
    }

    /// The exchange answers these requests of `conn` (as JSON or an SSE stream).
    fn open_stream(&mut self, id: ExchangeId, conn: ConnId, requests: Vec<RequestId>) {
        if let Some(ex) = self.exchanges.get_mut(&id) {
            ex.conn = Some(conn);
        }
        let Some(c) = self.conns.get_mut(&conn) else { return };
        let n = c.next_stream;
        c.next_stream += 1;
        for r in &requests {
            c.routes.insert(r.clone(), n);
        }
        c.streams.insert(n, Stream { exchange: Some(id), pending: requests.into_iter().collect() });
    }

    fn pump(&mut self, now: Instant, conn_id: ConnId) {
        loop {
            let Some(conn) = self.conns.get_mut(&conn_id) else { return };
            let Some(out) = conn.driver.poll_output() else { break };
            match out {
                DriverOutput::Transmit(t) => self.route(now, conn_id, t),
                DriverOutput::Spawn(task) => {
                    self.out.push_back(HttpOutput::Spawn { conn: conn_id, task })
                }
                DriverOutput::Abort(task) => {
                    self.out.push_back(HttpOutput::Abort { conn: conn_id, task })
                }
                DriverOutput::Diagnostic(d) => self.out.push_back(HttpOutput::Diagnostic(d)),
                DriverOutput::Closed => {}
            }
        }
        let Some(conn) = self.conns.get(&conn_id) else { return };
        if let Some(v) = conn.driver.session().protocol_version() {
            if let Some(c) = self.conns.get_mut(&conn_id) {
                c.version = Some(v);
            }
        }
        let conn = &self.conns[&conn_id];
        if conn.ephemeral && conn.streams.is_empty() && conn.driver.tasks_in_flight() == 0 {
            self.remove_conn(conn_id);
        }
    }

    /// Sends a message of `conn` where it belongs: the stream of the request it relates to, or
    /// the session's standalone stream.
    fn route(&mut self, now: Instant, conn_id: ConnId, t: Transmit) {
        let Some(conn) = self.conns.get_mut(&conn_id) else { return };
        let error_code = t.error_code();
        let json = t.bytes;
        if let Some(sse) = conn.legacy_sse {
            let mut event = Vec::new();
            let _ = encode_event(
                &mut event,
                Some("message"),
                None,
                core::str::from_utf8(&json).unwrap_or(""),
            );
            return self.write(now, sse, Bytes::from(event));
        }
        let stream = t.related.as_ref().and_then(|id| conn.routes.get(id).copied());
        let Some(n) = stream else {
            // Without a standalone stream there is nowhere to carry it.
            if let Some(g) = conn.get_stream {
                let event = self.event(conn_id, 0, &json);
                self.write(now, g, event);
            }
            return;
        };
        let completes = t.kind == MessageKind::Response;
        if completes {
            if let Some(r) = &t.related {
                conn.routes.remove(r);
                if let Some(s) = conn.streams.get_mut(&n) {
                    s.pending.remove(r);
                }
            }
        }
        let done = conn.streams.get(&n).is_none_or(|s| s.pending.is_empty()) && completes;
        let target = conn.streams.get(&n).and_then(|s| s.exchange);
        let modern = conn.modern;
        if done {
            conn.streams.remove(&n);
        }
        let Some(x) = target else {
            // The client went away: keep the event for a resumption (legacy), or drop it.
            if !modern {
                let _ = self.event(conn_id, n, &json);
            }
            return;
        };
        let head_sent = self.exchanges.get(&x).is_some_and(|e| e.head_sent);
        if !head_sent && done {
            let status = if modern { modern_status(error_code) } else { 200 };
            return self.respond_json(x, status, json);
        }
        if !head_sent {
            self.sse_head(x);
            self.prime(now, conn_id, x, n);
        }
        let event = self.event(conn_id, n, &json);
        self.write(now, x, event);
        if done {
            self.end(x);
        }
    }

    /// Encodes an SSE event of `stream`; on legacy sessions it gets an id and is stored.
    fn event(&mut self, conn_id: ConnId, stream: u32, json: &[u8]) -> Bytes {
        let text = core::str::from_utf8(json).unwrap_or("");
        let mut out = Vec::new();
        let Some(conn) = self.conns.get_mut(&conn_id) else { return Bytes::new() };
        match (&conn.session, conn.modern) {
            (Some(session), false) => {
                conn.next_seq += 1;
                let id = alloc::format!("{stream}.{}", conn.next_seq);
                let _ = encode_event(&mut out, None, Some(&id), text);
                let bytes = Bytes::from(out);
                let session = session.clone();
                let seq = conn.next_seq;
                self.store.append(&session, stream, seq, bytes.clone());
                bytes
            }
            _ => {
                let _ = encode_event(&mut out, None, None, text);
                Bytes::from(out)
            }
        }
    }

    /// The priming event of a new stream (2025-11-25 sessions): an id with empty data, and the
    /// reconnection delay.
    fn prime(&mut self, now: Instant, conn_id: ConnId, x: ExchangeId, stream: u32) {
        let Some(conn) = self.conns.get(&conn_id) else { return };
        let primes = conn.session.is_some()
            && !conn.modern
            && conn.version.is_some_and(|v| v >= ProtocolVersion::V2025_11_25);
        if !primes {
            return;
        }
        let mut bytes = Vec::new();
        crate::framing::encode_retry(
            &mut bytes,
            u64::try_from(self.config.retry.as_millis()).unwrap_or(u64::MAX),
        );
        let event = self.event(conn_id, stream, b"");
        bytes.extend_from_slice(&event);
        self.write(now, x, Bytes::from(bytes));
    }

    // ----- writing responses -----

    fn sse_head(&mut self, x: ExchangeId) {
        let Some(ex) = self.exchanges.get_mut(&x) else { return };
        if ex.head_sent {
            return;
        }
        ex.head_sent = true;
        ex.streaming = true;
        let mut headers = alloc::vec![
            ("content-type", "text/event-stream".into()),
            ("cache-control", "no-cache".into()),
            ("x-accel-buffering", "no".into()),
        ];
        if let Some(s) =
            ex.new_session.take().or_else(|| ex.session.clone().filter(|_| ex.kind == Kind::Post))
        {
            headers.push(("mcp-session-id", s.into()));
        }
        self.out.push_back(HttpOutput::Head { exchange: x, status: 200, headers });
    }

    fn write(&mut self, now: Instant, x: ExchangeId, bytes: Bytes) {
        let Some(ex) = self.exchanges.get_mut(&x) else { return };
        if ex.ended || bytes.is_empty() {
            return;
        }
        ex.last_write = now;
        self.out.push_back(HttpOutput::Body { exchange: x, bytes });
    }

    fn end(&mut self, x: ExchangeId) {
        let Some(ex) = self.exchanges.get_mut(&x) else { return };
        if ex.ended {
            return;
        }
        ex.ended = true;
        self.out.push_back(HttpOutput::End { exchange: x });
    }

    fn respond_json(&mut self, x: ExchangeId, status: u16, body: Bytes) {
        let Some(ex) = self.exchanges.get_mut(&x) else { return };
        if ex.head_sent {
            return;
        }
        ex.head_sent = true;
        let mut headers = alloc::vec![("content-type", "application/json".into())];
        if let Some(s) = ex.new_session.take() {
            headers.push(("mcp-session-id", s.into()));
        }
        if body.is_empty() {
            headers.clear();
        }
        self.out.push_back(HttpOutput::Head { exchange: x, status, headers });
        if !body.is_empty() {
            self.out.push_back(HttpOutput::Body { exchange: x, bytes: body });
        }
        self.end(x);
    }

    fn respond_error(
        &mut self,
        x: ExchangeId,
        status: u16,
        id: Option<&RequestId>,
        code: ErrorCode,
        message: &str,
    ) {
        if let Some(ex) = self.exchanges.get_mut(&x) {
            ex.kind = Kind::Answered;
        }
        self.respond_json(x, status, error_body(id, code, message));
        if status == 405 {
            // RFC 9110: a 405 names the methods that are allowed.
            let allow = if self.config.stateless { "POST" } else { "GET, POST, DELETE" };
            for out in self.out.iter_mut().rev() {
                if let HttpOutput::Head { exchange, headers, .. } = out {
                    if *exchange == x {
                        headers.push(("allow", allow.into()));
                        break;
                    }
                }
            }
        }
    }

    fn accepted(&mut self, x: ExchangeId) {
        let Some(ex) = self.exchanges.get_mut(&x) else { return };
        if ex.head_sent {
            return;
        }
        ex.head_sent = true;
        let mut headers = Vec::new();
        if let Some(s) = ex.new_session.take() {
            headers.push(("mcp-session-id", s.into()));
        }
        self.out.push_back(HttpOutput::Head { exchange: x, status: 202, headers });
        self.end(x);
    }
}

/// Answers the waiters of a command whose connection is gone.
struct DeadDriver;

impl DeadDriver {
    fn answer(command: Command) -> Option<()> {
        match command {
            Command::Request { reply, .. } => {
                reply.send(Err(crate::driver::CallError::Closed)).ok()
            }
            Command::Connect { reply } => reply.send(Err("the connection closed".into())).ok(),
            _ => None,
        }
    }
}

mod routing;
#[cfg(test)]
mod tests;
