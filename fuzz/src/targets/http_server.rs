//! The Streamable HTTP server exchange machine ([`HttpServer`]) with arbitrary heads and
//! bodies.
//!
//! The first byte configures the server (sessions or stateless, DNS-rebinding allow-lists).
//! Each later byte picks an operation: a request head (built from plausible parts chosen by
//! the input, or entirely arbitrary), body chunks (well-formed MCP messages or arbitrary
//! bytes), the end of a body, a body read timeout, the end of an exchange, the clock, running
//! the handler tasks the server spawned (their commands are fed back), or shutdown.
//!
//! Checks:
//!
//! - every output belongs to an exchange that is open: at most one head, bodies and the end
//!   only after it, nothing after the end;
//! - the server's exchange count matches the exchanges opened and not closed, sessions stay
//!   under `max_sessions`, and connections never outnumber sessions plus open exchanges;
//! - each operation's output (count and bytes) is bounded by the input it consumed;
//! - once every exchange is closed, every task has run and the sessions' idle timeout has
//!   passed, nothing is left: no session, no connection, no exchange.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll, Waker};
use std::time::Duration;

use mcp_sansio::Instant;
use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink, TaskId};
use mcp_sansio::http::server::{
    ConnId, Entropy, ExchangeId, HttpConfig, HttpOutput, HttpServer, MemoryEventStore, SinkFactory,
};
use mcp_sansio::http::{Headers, HttpMethod, RequestHead};
use mcp_sansio::server::{Context, NoArguments, ServerBuilder};

use super::Input;

const MAX_BODY: usize = 4096;
const MAX_SESSIONS: usize = 3;
const IDLE_MS: u64 = 60_000;

/// Commands the handler tasks sent, waiting to be fed to the server.
type Mailbox = Arc<Mutex<Vec<(ConnId, Command)>>>;

struct Sink {
    conn: ConnId,
    mailbox: Mailbox,
}

impl CommandSink for Sink {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        let result = self.try_send(command);
        Box::pin(async move { result })
    }

    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.mailbox.lock().unwrap().push((self.conn, command));
        Ok(())
    }
}

struct Sinks(Mailbox);

impl SinkFactory for Sinks {
    fn sink(&self, conn: ConnId) -> Arc<dyn CommandSink> {
        Arc::new(Sink { conn, mailbox: self.0.clone() })
    }
}

/// Deterministic "randomness": session ids only need to differ here.
struct Counter(u64);

impl Entropy for Counter {
    fn fill(&mut self, buf: &mut [u8]) {
        self.0 += 1;
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (self.0 >> (8 * (i % 8))) as u8;
        }
    }
}

/// What the harness knows of an exchange it opened.
#[derive(Default, Debug)]
struct Exchange {
    head: bool,
    ended: bool,
}

type Task = Pin<Box<dyn Future<Output = Command> + Send>>;

struct Harness {
    server: HttpServer,
    mailbox: Mailbox,
    now: u64,
    /// Exchanges opened and not yet closed.
    open: BTreeMap<ExchangeId, Exchange>,
    /// Handler tasks spawned and not finished or aborted.
    tasks: BTreeMap<(ConnId, TaskId), Task>,
    /// Session ids the server handed out (a few).
    sessions: Vec<String>,
    /// SSE event ids seen in bodies (a few).
    event_ids: Vec<String>,
}

const PATHS: &[&str] = &["/mcp", "/mcp", "/mcp", "/sse", "/messages", "/", "/mcp/"];
const VERSIONS: &[&str] = &["2025-11-25", "2025-03-26", "2024-11-05", "2026-07-28", "1999-01-01"];
const ACCEPTS: &[&str] = &[
    "application/json, text/event-stream",
    "application/json, text/event-stream",
    "text/event-stream",
    "application/json",
    "*/*",
    "text/*;q=0.5, application/*",
];
const META: &str = r#""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#;

/// Runs the target on one input.
pub fn run(data: &[u8]) {
    let mut input = Input::new(data);
    let mut h = Harness::new(input.byte());
    let mut ops = 0;
    while !input.is_empty() && ops < 128 {
        ops += 1;
        h.op(&mut input);
    }
    h.wind_down();
}

impl Harness {
    fn new(setup: u8) -> Harness {
        let server = ServerBuilder::new("fuzz", "1")
            .tool("echo", "Echoes", |_: NoArguments, _ctx: Context| async { "echo" })
            .build()
            .expect("the server builds");
        let mut config = HttpConfig {
            max_body_len: MAX_BODY,
            max_sessions: MAX_SESSIONS,
            session_idle_timeout: Duration::from_millis(IDLE_MS),
            stateless: setup & 1 != 0,
            keep_alive: Duration::from_millis(1_000),
            events_per_session: 8,
            ..HttpConfig::default()
        };
        if setup & 2 != 0 {
            config = config.loopback_only(3000);
        }
        if setup & 4 != 0 {
            config.sse_path = None;
        }
        let mailbox = Mailbox::default();
        let server = HttpServer::new(
            server,
            config,
            Arc::new(Sinks(mailbox.clone())),
            Box::new(Counter(0)),
            Box::new(MemoryEventStore::new(8)),
        );
        Harness {
            server,
            mailbox,
            now: 0,
            open: BTreeMap::new(),
            tasks: BTreeMap::new(),
            sessions: Vec::new(),
            event_ids: Vec::new(),
        }
    }

    fn instant(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    fn op(&mut self, input: &mut Input<'_>) {
        match input.byte() % 12 {
            0 | 1 => {
                let head = self.head(input);
                self.open_exchange(head);
            }
            2 | 3 => {
                let x = self.pick(input);
                let body = self.body(input);
                let cut = input.choose(body.len() + 1);
                // Each chunk borrowed (copied) or handed over as `Bytes` (kept), chosen by the
                // cut so that the corpus reads as it did before there were two ways.
                for (i, chunk) in [&body[..cut], &body[cut..]].into_iter().enumerate() {
                    if (cut + i) % 2 == 0 {
                        self.server.handle_request_body(self.instant(), x, chunk);
                    } else {
                        let owned = bytes::Bytes::copy_from_slice(chunk);
                        self.server.handle_request_body_bytes(self.instant(), x, owned);
                    }
                    self.drain(chunk.len());
                }
            }
            4 => {
                let x = self.pick(input);
                self.server.handle_request_end(self.instant(), x);
                self.drain(0);
            }
            5 => {
                let x = self.pick(input);
                self.server.handle_request_timed_out(self.instant(), x);
                self.drain(0);
            }
            6 => {
                let x = self.pick(input);
                self.close(x);
            }
            7 => {
                self.now += u64::from(input.u16());
                self.server.handle_timeout(self.instant());
                self.drain(0);
            }
            8 => self.run_tasks(),
            9 | 10 => {
                // A whole POST in one go, the common case.
                let mut head = self.head(input);
                head.method = HttpMethod::Post;
                let x = self.open_exchange(head);
                let body = self.body(input);
                let len = body.len();
                self.server.handle_request_body_bytes(self.instant(), x, bytes::Bytes::from(body));
                self.drain(len);
                self.server.handle_request_end(self.instant(), x);
                self.drain(0);
            }
            _ => {
                if input.byte() == 0xff {
                    self.server.begin_shutdown();
                    self.drain(0);
                } else {
                    let head = raw_head(input);
                    self.open_exchange(head);
                }
            }
        }
    }

    /// A plausible request head, its parts chosen by the input.
    fn head(&self, input: &mut Input<'_>) -> RequestHead {
        let method = match input.byte() % 8 {
            0..=3 => HttpMethod::Post,
            4 | 5 => HttpMethod::Get,
            6 => HttpMethod::Delete,
            _ => HttpMethod::Options,
        };
        let path = PATHS[input.choose(PATHS.len())];
        let flags = input.u16();
        let mut headers = Headers::default();
        let mut query = None;
        if flags & 1 == 0 {
            headers.push("content-type", "application/json");
        }
        if flags & 2 == 0 {
            headers.push("accept", ACCEPTS[input.choose(ACCEPTS.len())]);
        }
        if flags & 4 == 0 {
            headers.push("host", if flags & 8 == 0 { "localhost:3000" } else { "evil.example" });
        }
        if flags & 16 != 0 {
            headers.push("origin", if flags & 8 == 0 { "http://localhost:3000" } else { "null" });
        }
        if flags & 32 != 0 {
            let session = self.pick_session(input);
            if path == "/messages" {
                query = Some(format!("sessionId={session}"));
            } else {
                headers.push("mcp-session-id", &session);
            }
        }
        if flags & 64 != 0 {
            headers.push("mcp-protocol-version", VERSIONS[input.choose(VERSIONS.len())]);
        }
        if flags & 128 != 0 {
            let id = match self.event_ids.len() {
                0 => "0.0".to_string(),
                n => self.event_ids[input.choose(n)].clone(),
            };
            headers.push("last-event-id", &id);
        }
        if flags & 256 != 0 {
            headers.push("mcp-method", ["tools/call", "tools/list", "ping"][input.choose(3)]);
            headers.push("mcp-name", ["echo", "ZWNobw==", "=?base64?ZWNobw==?="][input.choose(3)]);
        }
        if flags & 512 != 0 {
            headers.push("content-length", &input.u16().to_string());
        }
        if flags & 1024 != 0 {
            headers.push("mcp-param-x", &String::from_utf8_lossy(input.slice()));
        }
        RequestHead { method, path: path.into(), query, headers }
    }

    /// A request body: a well-formed MCP message most of the time.
    fn body(&self, input: &mut Input<'_>) -> Vec<u8> {
        let id = input.byte() % 4;
        let text = match input.byte() % 12 {
            0 => format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"initialize","params":{{"protocolVersion":"2025-11-25","capabilities":{{}},"clientInfo":{{"name":"c","version":"1"}}}}}}"#
            ),
            1 => r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.into(),
            2 => format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#),
            3 => format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"echo","arguments":{{}}}}}}"#
            ),
            4 => format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"echo","arguments":{{}},{META}}}}}"#
            ),
            5 => format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/list","params":{{{META}}}}}"#
            ),
            6 => format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"server/discover","params":{{{META}}}}}"#
            ),
            7 => format!(
                r#"[{{"jsonrpc":"2.0","id":{id},"method":"ping"}},{{"jsonrpc":"2.0","method":"notifications/initialized"}}]"#
            ),
            8 => format!(
                r#"{{"jsonrpc":"2.0","method":"notifications/cancelled","params":{{"requestId":{id}}}}}"#
            ),
            9 => format!(r#"{{"jsonrpc":"2.0","id":{id},"result":{{}}}}"#),
            _ => return input.slice().to_vec(),
        };
        text.into_bytes()
    }

    fn open_exchange(&mut self, head: RequestHead) -> ExchangeId {
        let fed = head.path.len()
            + head.query.as_ref().map_or(0, String::len)
            + head.headers.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>();
        let x = self.server.handle_request_head(self.instant(), head);
        assert!(self.open.insert(x, Exchange::default()).is_none(), "exchange id {x:?} reused");
        self.drain(fed);
        x
    }

    fn close(&mut self, x: ExchangeId) {
        self.server.handle_exchange_closed(self.instant(), x);
        self.open.remove(&x);
        self.drain(0);
    }

    /// An exchange: mostly an open one, sometimes any.
    fn pick(&self, input: &mut Input<'_>) -> ExchangeId {
        let b = input.byte();
        if b & 1 == 0 && !self.open.is_empty() {
            return *self.open.keys().nth(usize::from(b >> 1) % self.open.len()).unwrap();
        }
        ExchangeId(u64::from(b >> 1))
    }

    fn pick_session(&self, input: &mut Input<'_>) -> String {
        match self.sessions.len() {
            0 => "00000000000000000000000000000000".into(),
            n => self.sessions[input.choose(n)].clone(),
        }
    }

    /// Polls every task once, feeds the commands they sent to the server, and repeats while
    /// that gets anywhere (a few rounds at most).
    fn run_tasks(&mut self) {
        let waker = Waker::noop();
        let mut cx = TaskContext::from_waker(waker);
        for _ in 0..4 {
            let mut answers = Vec::new();
            self.tasks.retain(|&(conn, _), task| match task.as_mut().poll(&mut cx) {
                Poll::Ready(answer) => {
                    answers.push((conn, answer));
                    false
                }
                Poll::Pending => true,
            });
            let mut commands = std::mem::take(&mut *self.mailbox.lock().unwrap());
            commands.extend(answers);
            if commands.is_empty() {
                break;
            }
            for (conn, command) in commands {
                self.server.handle_command(self.instant(), conn, command);
                self.drain(0);
            }
        }
    }

    /// Drains the outputs of one input, checking each. `fed` is how many bytes of input it
    /// consumed.
    fn drain(&mut self, fed: usize) {
        let open = self.open.len() + self.tasks.len() + 1;
        let (mut count, mut bytes) = (0usize, 0usize);
        while let Some(output) = self.server.poll_output() {
            count += 1;
            match output {
                HttpOutput::Head { exchange, status, headers } => {
                    assert!((100..600).contains(&status));
                    let ex = self.open.get_mut(&exchange).expect("a head for a closed exchange");
                    assert!(!ex.head, "two heads for {exchange:?}");
                    ex.head = true;
                    for (name, value) in headers {
                        bytes += name.len() + value.len();
                        if name == "mcp-session-id" && !self.sessions.iter().any(|s| *s == value) {
                            if self.sessions.len() == 8 {
                                self.sessions.remove(0);
                            }
                            self.sessions.push(value.into_owned());
                        }
                    }
                }
                HttpOutput::Body { exchange, bytes: body } => {
                    let ex = self.open.get(&exchange).expect("a body for a closed exchange");
                    assert!(ex.head && !ex.ended, "a body outside its response: {ex:?}");
                    bytes += body.len();
                    self.saw_body(&body);
                }
                HttpOutput::End { exchange } => {
                    let ex = self.open.get_mut(&exchange).expect("an end for a closed exchange");
                    assert!(ex.head && !ex.ended, "an end outside its response: {ex:?}");
                    ex.ended = true;
                }
                HttpOutput::Spawn { conn, task } => {
                    let key = (conn, task.id);
                    assert!(self.tasks.insert(key, task.future).is_none(), "task spawned twice");
                }
                HttpOutput::Abort { conn, task } => {
                    self.tasks.remove(&(conn, task));
                }
                HttpOutput::Diagnostic(d) => bytes += d.len(),
            }
        }
        assert!(count <= 16 + 4 * fed + 16 * open, "{count} outputs for {fed} bytes in");
        assert!(bytes <= 8192 + 64 * fed + 4096 * open, "{bytes} bytes out for {fed} in");
        assert_eq!(self.server.exchange_count(), self.open.len(), "exchanges leaked or lost");
        assert!(self.server.session_count() <= MAX_SESSIONS, "more sessions than allowed");
        assert!(
            self.server.conn_count() <= self.server.session_count() + self.open.len(),
            "more connections than sessions and exchanges"
        );
    }

    /// Notes the SSE event ids of a body, for `Last-Event-ID`.
    fn saw_body(&mut self, body: &[u8]) {
        for line in body.split(|&b| b == b'\n') {
            if let Some(id) = line.strip_prefix(b"id: ") {
                let id = String::from_utf8_lossy(id).into_owned();
                if self.event_ids.len() == 8 {
                    self.event_ids.remove(0);
                }
                self.event_ids.push(id);
            }
        }
    }

    /// Closes everything, runs what is left, and lets the sessions expire: nothing may remain.
    fn wind_down(&mut self) {
        let open: Vec<ExchangeId> = self.open.keys().copied().collect();
        for x in open {
            self.close(x);
        }
        self.run_tasks();
        self.now += IDLE_MS + 1;
        self.server.handle_timeout(self.instant());
        self.drain(0);
        self.run_tasks();
        let open: Vec<ExchangeId> = self.open.keys().copied().collect();
        for x in open {
            self.close(x);
        }
        assert_eq!(self.server.exchange_count(), 0, "exchanges left");
        assert_eq!(self.server.session_count(), 0, "sessions left after their idle timeout");
        assert_eq!(self.server.conn_count(), 0, "connections left after everything ended");
    }
}

/// A head made of arbitrary bytes.
fn raw_head(input: &mut Input<'_>) -> RequestHead {
    let method = HttpMethod::parse(&String::from_utf8_lossy(input.take(7)));
    let path = String::from_utf8_lossy(input.slice()).into_owned();
    let query = (input.byte() & 1 != 0).then(|| String::from_utf8_lossy(input.slice()).into());
    let mut headers = Headers::default();
    for _ in 0..input.byte() % 8 {
        let name = String::from_utf8_lossy(input.slice()).into_owned();
        let value = String::from_utf8_lossy(input.slice()).into_owned();
        headers.push(&name, &value);
    }
    RequestHead { method, path, query, headers }
}
