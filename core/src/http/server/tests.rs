//! The HTTP exchange machine by hand: heads, bodies and ends in; statuses and bodies out.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::*;
use crate::driver::{BoxFuture, Closed};
use crate::http::{HeaderPairs, Headers};
use crate::server::{Context, NoArguments, ServerBuilder};

struct NullSink;

impl CommandSink for NullSink {
    fn send(&self, _: Command) -> BoxFuture<'static, Result<(), Closed>> {
        alloc::boxed::Box::pin(async { Err(Closed) })
    }
    fn try_send(&self, _: Command) -> Result<(), Closed> {
        Err(Closed)
    }
}

struct Sinks;

impl SinkFactory for Sinks {
    fn sink(&self, _: ConnId) -> Arc<dyn CommandSink> {
        Arc::new(NullSink)
    }
}

struct Counter(u8);

impl Entropy for Counter {
    fn fill(&mut self, buf: &mut [u8]) {
        self.0 += 1;
        buf.fill(self.0);
    }
}

fn machine(config: HttpConfig) -> HttpServer {
    let server = ServerBuilder::new("t", "1")
        .tool("echo", "Echoes", |_: NoArguments, _ctx: Context| async { "echo" })
        .build()
        .unwrap();
    HttpServer::new(
        server,
        config,
        Arc::new(Sinks),
        Box::new(Counter(0)),
        Box::new(MemoryEventStore::new(16)),
    )
}

const T: Instant = Instant::ZERO;

fn post_head(extra: &[(&str, &str)]) -> RequestHead {
    let mut headers = Headers::from_pairs([
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("host", "localhost:3000"),
    ]);
    for (k, v) in extra {
        headers.push(k, v);
    }
    RequestHead { method: HttpMethod::Post, path: "/mcp".into(), query: None, headers }
}

/// Sends a whole request; returns the status, the headers and the body of its response.
fn exchange(m: &mut HttpServer, head: RequestHead, body: &str) -> (u16, HeaderPairs, String) {
    let id = m.handle_request_head(T, head);
    m.handle_request_body(T, id, body.as_bytes());
    m.handle_request_end(T, id);
    let (mut status, mut headers, mut text) = (0, Vec::new(), String::new());
    while let Some(out) = m.poll_output() {
        match out {
            HttpOutput::Head { exchange, status: s, headers: h } if exchange == id => {
                status = s;
                headers = h;
            }
            HttpOutput::Body { exchange, bytes } if exchange == id => {
                text.push_str(core::str::from_utf8(&bytes).unwrap())
            }
            _ => {}
        }
    }
    (status, headers, text)
}

fn init() -> String {
    json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}).to_string()
}

#[test]
fn sessions_are_created_required_and_checked() {
    let mut m = machine(HttpConfig::default());
    let (status, headers, body) = exchange(&mut m, post_head(&[]), &init());
    assert_eq!(status, 200);
    let session =
        headers.iter().find(|(n, _)| *n == "mcp-session-id").map(|(_, v)| v.clone()).unwrap();
    assert_eq!(session.len(), 32, "128 random bits in hex");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["result"]["protocolVersion"],
        "2025-11-25"
    );
    assert_eq!(m.session_count(), 1);

    let ping = json!({"jsonrpc":"2.0","id":2,"method":"ping"}).to_string();
    assert_eq!(exchange(&mut m, post_head(&[]), &ping).0, 400, "a session id is required");
    assert_eq!(exchange(&mut m, post_head(&[("mcp-session-id", "nope")]), &ping).0, 404);
    let (status, _, body) = exchange(&mut m, post_head(&[("mcp-session-id", &session)]), &ping);
    assert_eq!((status, body.as_str()), (200, r#"{"jsonrpc":"2.0","id":2,"result":{}}"#));
    let note = json!({"jsonrpc":"2.0","method":"notifications/initialized"}).to_string();
    assert_eq!(exchange(&mut m, post_head(&[("mcp-session-id", &session)]), &note).0, 202);

    let mut delete = post_head(&[("mcp-session-id", &session)]);
    delete.method = HttpMethod::Delete;
    assert_eq!(exchange(&mut m, delete, "").0, 200);
    assert_eq!(m.session_count(), 0);
    assert_eq!(exchange(&mut m, post_head(&[("mcp-session-id", &session)]), &ping).0, 404);
}

#[test]
fn bad_input_gets_a_clear_status() {
    let mut m =
        machine(HttpConfig { max_body_len: 64, ..HttpConfig::default() }.loopback_only(3000));
    assert_eq!(exchange(&mut m, post_head(&[]), "{oops").0, 400);
    let big = "x".repeat(100);
    let (status, _, body) = exchange(&mut m, post_head(&[]), &big);
    assert_eq!(status, 413, "{body}");
    let mut evil = post_head(&[]);
    evil.headers = Headers::from_pairs([
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("host", "evil.example.com"),
    ]);
    assert_eq!(exchange(&mut m, evil, &init()).0, 403, "DNS rebinding: a foreign Host");
    assert_eq!(
        exchange(&mut m, post_head(&[("origin", "http://evil.example.com")]), &init()).0,
        403
    );
    let mut no_accept = post_head(&[]);
    no_accept.headers.retain(|n, _| n != "accept");
    assert_eq!(exchange(&mut m, no_accept, &init()).0, 406);
    let mut text = post_head(&[]);
    text.headers.retain(|n, _| n != "content-type");
    text.headers.push("content-type", "text/plain");
    assert_eq!(exchange(&mut m, text, &init()).0, 415);
    assert_eq!(m.exchange_count(), 6, "answered exchanges wait for the runtime to close them");
    assert_eq!(m.session_count(), 0, "no refused request made a session");
}

#[test]
fn a_2026_request_needs_consistent_headers_and_gets_its_status() {
    let mut m = machine(HttpConfig::default());
    let meta = json!({"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}});
    let call =
        json!({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","_meta":meta}})
            .to_string();
    let v = ("mcp-protocol-version", "2026-07-28");
    let (status, _, body) = exchange(
        &mut m,
        post_head(&[v, ("mcp-method", "tools/call"), ("mcp-name", "other")]),
        &call,
    );
    assert_eq!(status, 400);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((body["id"].clone(), body["error"]["code"].clone()), (json!(7), json!(-32020)));

    let (status, _, body) =
        exchange(&mut m, post_head(&[("mcp-protocol-version", "1999-01-01")]), &call);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (status, body["error"]["code"].clone(), body["id"].clone()),
        (400, json!(-32022), json!(7))
    );
    assert_eq!(body["error"]["data"]["requested"], "1999-01-01");

    let ping = json!({"jsonrpc":"2.0","id":8,"method":"ping","params":{"_meta":meta}}).to_string();
    assert_eq!(
        exchange(&mut m, post_head(&[v, ("mcp-method", "ping")]), &ping).0,
        404,
        "removed methods"
    );

    // An error the session answers with picks the status by its code (-32601: 404).
    let unknown =
        json!({"jsonrpc":"2.0","id":9,"method":"no/such","params":{"_meta":meta}}).to_string();
    let (status, _, body) = exchange(&mut m, post_head(&[v, ("mcp-method", "no/such")]), &unknown);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((status, body["error"]["code"].clone()), (404, json!(-32601)), "{body}");

    let mut get = post_head(&[v]);
    get.method = HttpMethod::Get;
    let (status, headers, _) = exchange(&mut m, get, "");
    assert_eq!(status, 405, "no GET stream in 2026-07-28");
    assert!(headers.iter().any(|(n, v)| *n == "allow" && v.contains("POST")), "{headers:?}");
    assert_eq!(m.conn_count(), 0, "nothing stays behind");
}

#[test]
fn a_client_that_drops_a_2026_stream_cancels_the_request() {
    let mut m = machine(HttpConfig::default());
    let meta = json!({"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}});
    let call =
        json!({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","_meta":meta}})
            .to_string();
    let id = m.handle_request_head(
        T,
        post_head(&[
            ("mcp-protocol-version", "2026-07-28"),
            ("mcp-method", "tools/call"),
            ("mcp-name", "echo"),
        ]),
    );
    m.handle_request_body(T, id, call.as_bytes());
    m.handle_request_end(T, id);
    let spawned: Vec<HttpOutput> = core::iter::from_fn(|| m.poll_output()).collect();
    assert!(spawned.iter().any(|o| matches!(o, HttpOutput::Spawn { .. })), "{spawned:?}");
    assert_eq!(m.conn_count(), 1);
    m.handle_exchange_closed(T, id);
    let after: Vec<HttpOutput> = core::iter::from_fn(|| m.poll_output()).collect();
    assert!(after.iter().any(|o| matches!(o, HttpOutput::Abort { .. })), "{after:?}");
    assert_eq!((m.conn_count(), m.exchange_count()), (0, 0), "nothing leaks");
}

fn session_of(headers: &HeaderPairs) -> String {
    headers.iter().find(|(n, _)| *n == "mcp-session-id").map(|(_, v)| v.to_string()).unwrap()
}

#[test]
fn idle_sessions_end_and_live_sessions_are_capped() {
    let mut m = machine(HttpConfig {
        max_sessions: 1,
        session_idle_timeout: core::time::Duration::from_secs(60),
        ..HttpConfig::default()
    });
    let (status, headers, _) = exchange(&mut m, post_head(&[]), &init());
    assert_eq!(status, 200);
    let session = session_of(&headers);
    assert_eq!(exchange(&mut m, post_head(&[]), &init()).0, 503, "one session at most");
    assert_eq!(m.poll_timeout(), Some(T + core::time::Duration::from_secs(60)));
    m.handle_timeout(T + core::time::Duration::from_secs(61));
    while m.poll_output().is_some() {}
    assert_eq!(m.session_count(), 0, "the idle session ended");
    let ping = json!({"jsonrpc":"2.0","id":2,"method":"ping"}).to_string();
    assert_eq!(exchange(&mut m, post_head(&[("mcp-session-id", &session)]), &ping).0, 404);
    assert_eq!(exchange(&mut m, post_head(&[]), &init()).0, 200, "room for a new one");
}

#[test]
fn a_dropped_stream_is_resumed_with_last_event_id() {
    let server = ServerBuilder::new("t", "1")
        .tool("steps", "Reports progress", |_: NoArguments, ctx: Context| async move {
            ctx.progress(1.0, None, None).await;
            "done"
        })
        .build()
        .unwrap();
    // Commands from the tool's task come back through this sink.
    #[derive(Default)]
    struct Keep(spin::Mutex<Vec<Command>>);
    impl CommandSink for Keep {
        fn send(&self, c: Command) -> BoxFuture<'static, Result<(), Closed>> {
            self.0.lock().push(c);
            alloc::boxed::Box::pin(async { Ok(()) })
        }
        fn try_send(&self, c: Command) -> Result<(), Closed> {
            self.0.lock().push(c);
            Ok(())
        }
    }
    struct One(Arc<Keep>);
    impl SinkFactory for One {
        fn sink(&self, _: ConnId) -> Arc<dyn CommandSink> {
            self.0.clone()
        }
    }
    let keep = Arc::new(Keep::default());
    let mut m = HttpServer::new(
        server,
        HttpConfig::default(),
        Arc::new(One(keep.clone())),
        Box::new(Counter(0)),
        Box::new(MemoryEventStore::new(16)),
    );
    let (_, headers, _) = exchange(&mut m, post_head(&[]), &init());
    let session = session_of(&headers);
    let s = ("mcp-session-id", session.as_str());
    exchange(
        &mut m,
        post_head(&[s]),
        &json!({"jsonrpc":"2.0","method":"notifications/initialized"}).to_string(),
    );

    // The call starts; its task is taken but not run yet.
    let call = json!({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"steps","_meta":{"progressToken":"p"}}}).to_string();
    let x = m.handle_request_head(T, post_head(&[s]));
    m.handle_request_body(T, x, call.as_bytes());
    m.handle_request_end(T, x);
    let mut task = None;
    while let Some(o) = m.poll_output() {
        if let HttpOutput::Spawn { task: t, conn } = o {
            task = Some((conn, t));
        }
    }
    let (conn, task) = task.expect("the tool runs as a task");
    // Progress goes out on an SSE stream: a priming event (with retry) and the notification.
    let waker = core::task::Waker::noop();
    let mut cx = core::task::Context::from_waker(waker);
    let mut fut = task.future;
    let core::task::Poll::Ready(answer) = fut.as_mut().poll(&mut cx) else {
        panic!("the tool finishes")
    };
    let mut commands: Vec<Command> = core::mem::take(&mut *keep.0.lock());
    commands.push(answer);
    let mut commands = commands.into_iter();
    let progress = commands.next().unwrap();
    m.handle_command(T, conn, progress);
    let mut streamed = String::new();
    while let Some(o) = m.poll_output() {
        if let HttpOutput::Body { bytes, .. } = o {
            streamed.push_str(core::str::from_utf8(&bytes).unwrap());
        }
    }
    assert!(
        streamed.contains("retry: 1000") && streamed.contains("notifications/progress"),
        "{streamed}"
    );
    let last_id =
        streamed.lines().filter_map(|l| l.strip_prefix("id: ")).next_back().unwrap().to_string();

    // The client goes away; the answer arrives meanwhile and waits in the event store.
    m.handle_exchange_closed(T, x);
    for c in commands {
        m.handle_command(T, conn, c);
    }
    while m.poll_output().is_some() {}

    // It comes back with Last-Event-ID and gets the answer.
    let mut get = post_head(&[s, ("last-event-id", &last_id)]);
    get.method = HttpMethod::Get;
    get.headers.retain(|n, _| n != "accept");
    get.headers.push("accept", "text/event-stream");
    let (status, _, body) = exchange(&mut m, get, "");
    assert_eq!(status, 200);
    assert!(body.contains(r#""id":5,"result""#) && body.contains("done"), "{body}");
    assert!(
        !body.contains("notifications/progress"),
        "only what came after the last event id: {body}"
    );
}

#[test]
fn a_request_is_handled_once_whatever_follows_its_end() {
    // Found by the `http_server` fuzz target: a second `handle_request_end` handled the POST
    // again with an empty body, so a 400 went out while the first handling was still running,
    // and the stateless connection it had made outlived its exchange.
    let mut m = machine(HttpConfig::default());
    let call = json!({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo",
        "arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
        "io.modelcontextprotocol/clientCapabilities":{}}}})
    .to_string();
    let head = post_head(&[("mcp-method", "tools/call"), ("mcp-name", "echo")]);
    let id = m.handle_request_head(T, head);
    m.handle_request_body(T, id, call.as_bytes());
    m.handle_request_end(T, id);
    let first: Vec<HttpOutput> = core::iter::from_fn(|| m.poll_output()).collect();
    assert!(first.iter().any(|o| matches!(o, HttpOutput::Spawn { .. })), "{first:?}");
    assert!(!first.iter().any(|o| matches!(o, HttpOutput::Head { .. })), "{first:?}");

    m.handle_request_body(T, id, b"{}");
    m.handle_request_end(T, id);
    m.handle_request_timed_out(T, id);
    let again: Vec<HttpOutput> = core::iter::from_fn(|| m.poll_output()).collect();
    assert!(again.is_empty(), "input after the end was acted on: {again:?}");

    m.handle_exchange_closed(T, id);
    while m.poll_output().is_some() {}
    assert_eq!((m.exchange_count(), m.conn_count()), (0, 0));
}

#[test]
fn a_2026_call_of_a_tool_with_header_arguments_needs_matching_headers() {
    #[derive(serde::Deserialize, schemars::JsonSchema)]
    struct Args {
        #[allow(dead_code)]
        region: String,
    }
    let schema = json!({"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"}},"required":["region"]});
    let mut def = crate::server::ToolDef::new("where", "Names a region");
    def.input_schema = schema.as_object().cloned();
    let server = ServerBuilder::new("t", "1")
        .tool("echo", "Echoes", |_: NoArguments, _ctx: Context| async { "echo" })
        .tool_with(def, |_: Args, _ctx: Context| async { "here" })
        .build()
        .unwrap();
    let mut m = HttpServer::new(
        server,
        HttpConfig::default(),
        Arc::new(Sinks),
        Box::new(Counter(0)),
        Box::new(MemoryEventStore::new(16)),
    );
    let meta = json!({"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}});
    let call = |name: &str, args: Value| {
        json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":name,"arguments":args,"_meta":meta}})
            .to_string()
    };
    let head = |name: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut h = alloc::vec![
            ("mcp-protocol-version", "2026-07-28"),
            ("mcp-method", "tools/call"),
            ("mcp-name", name)
        ];
        h.extend_from_slice(extra);
        post_head(&h)
    };
    let eu = call("where", json!({"region": "eu"}));
    let code = |(status, _, body): (u16, HeaderPairs, String)| {
        let body: Value = serde_json::from_str(&body).unwrap();
        (status, body["error"]["code"].clone())
    };
    // Accepted: the handler starts (its answer would follow from the task).
    let started = |m: &mut HttpServer, head: RequestHead, body: &str| {
        let id = m.handle_request_head(T, head);
        m.handle_request_body(T, id, body.as_bytes());
        m.handle_request_end(T, id);
        let mut spawned = false;
        while let Some(out) = m.poll_output() {
            match out {
                HttpOutput::Spawn { .. } => spawned = true,
                HttpOutput::Head { status, .. } => panic!("refused with {status}"),
                _ => {}
            }
        }
        spawned
    };
    assert!(started(&mut m, head("where", &[("mcp-param-region", "eu")]), &eu));
    assert_eq!(
        code(exchange(&mut m, head("where", &[("mcp-param-region", "us")]), &eu)),
        (400, json!(-32020)),
        "a header that does not match its argument"
    );
    assert_eq!(
        code(exchange(&mut m, head("where", &[]), &eu)),
        (400, json!(-32020)),
        "a missing header"
    );
    // A tool without header arguments ignores stray Mcp-Param headers.
    let echo = call("echo", json!({}));
    assert!(started(&mut m, head("echo", &[("mcp-param-region", "eu")]), &echo));
}

#[test]
fn a_body_reads_the_same_in_one_chunk_in_several_and_as_bytes_or_slices() {
    let init = init();
    let (a, b) = init.as_bytes().split_at(20);
    let run = |feed: &dyn Fn(&mut HttpServer, ExchangeId)| {
        let mut m = machine(HttpConfig::default());
        let id = m.handle_request_head(T, post_head(&[]));
        feed(&mut m, id);
        m.handle_request_end(T, id);
        let mut answer = String::new();
        while let Some(out) = m.poll_output() {
            if let HttpOutput::Body { bytes, .. } = out {
                answer.push_str(core::str::from_utf8(&bytes).unwrap());
            }
        }
        let answer: Value = serde_json::from_str(&answer).unwrap();
        answer["result"]["protocolVersion"].clone()
    };
    let whole = run(&|m, id| m.handle_request_body_bytes(T, id, Bytes::from(init.clone())));
    assert_eq!(whole, json!("2025-11-25"));
    let split = |m: &mut HttpServer, id| {
        m.handle_request_body_bytes(T, id, Bytes::copy_from_slice(a));
        m.handle_request_body_bytes(T, id, Bytes::copy_from_slice(b));
    };
    assert_eq!(run(&split), whole);
    let mixed = |m: &mut HttpServer, id| {
        m.handle_request_body_bytes(T, id, Bytes::copy_from_slice(a));
        m.handle_request_body(T, id, b);
    };
    assert_eq!(run(&mixed), whole);
    let slices = |m: &mut HttpServer, id| {
        m.handle_request_body(T, id, a);
        m.handle_request_body_bytes(T, id, Bytes::copy_from_slice(b));
    };
    assert_eq!(run(&slices), whole);
}
