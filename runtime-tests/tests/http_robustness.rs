//! Bad input over real sockets on 127.0.0.1: half-sent requests time out, oversized bodies get
//! 413, a hostile Host gets 403, a client that drops a 2026-07-28 stream cancels its handler,
//! and one that stops reading its stream is cut off once 16 MiB wait for it — on every runtime
//! (the raw sockets here are async-io's, which run beside any executor).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_io::Async;
use futures_channel::oneshot;
use futures_util::{AsyncReadExt, AsyncWriteExt};
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::server::{Context, NoArguments, ServerBuilder};
use mcp_sansio_rt::http::{self, HttpTimeouts};
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};

on_every_runtime!(
    slow_oversized_and_hostile_requests_are_refused,
    a_client_dropping_a_2026_stream_cancels_the_handler,
    an_answer_ready_with_its_head_is_sent_with_its_length,
    a_client_that_stops_reading_its_stream_is_cut_off
);

type TcpStream = Async<std::net::TcpStream>;

struct Guard(Arc<AtomicUsize>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Progress messages the `flood` tool sends, 64 KiB each: far more than the 16 MiB a
/// response may queue for a client plus what the sockets buffer.
const FLOOD: u32 = 2000;

async fn start<R: TestRuntime>(dropped: Arc<AtomicUsize>) -> (String, oneshot::Sender<()>) {
    let flooded = dropped.clone();
    let server = ServerBuilder::new("robust", "1")
        .tool(
            "flood",
            "Sends progress it was not asked to stop",
            move |_: NoArguments, ctx: Context| {
                let d = flooded.clone();
                async move {
                    let _g = Guard(d);
                    let text = "x".repeat(64 * 1024);
                    for i in 0..FLOOD {
                        ctx.progress(f64::from(i), None, Some(&text)).await;
                    }
                    // Only reached if nothing cut the stream off: the test sees it as 100 drops.
                    _g.0.fetch_add(99, Ordering::SeqCst);
                    ""
                }
            },
        )
        .tool("wait", "Waits forever", move |_: NoArguments, _ctx: Context| {
            let d = dropped.clone();
            async move {
                let _g = Guard(d);
                std::future::pending::<()>().await;
                ""
            }
        })
        .tool("now", "Answers at once", |_: NoArguments, _ctx: Context| async move { "now" })
        .build()
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let local = listener.local_addr().unwrap();
    let config =
        http::protect_loopback(local, HttpConfig { max_body_len: 1024, ..HttpConfig::default() });
    let (svc, _handle) = http::service(<R::Rt>::default(), server, config).unwrap();
    let svc = svc.with_timeouts(HttpTimeouts {
        header_read: Duration::from_millis(300),
        body_read: Duration::from_millis(300),
    });
    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = Box::pin(async {
        let _ = stopped.await;
    });
    let listening = R::serve_service(listener, svc, None, shutdown).await.unwrap();
    R::spawn(Box::pin(async move {
        let _ = listening.done.await;
    }));
    (local.to_string(), stop)
}

/// Writes `request` and reads what comes back until the server closes or `wait` passes.
async fn raw<R: TestRuntime>(addr: &str, request: &[u8], wait: Duration) -> String {
    let mut s = connect(addr).await;
    s.write_all(request).await.unwrap();
    let mut out = Vec::new();
    let _ = R::timeout(wait, s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn connect(addr: &str) -> TcpStream {
    TcpStream::connect(addr.parse::<std::net::SocketAddr>().unwrap()).await.unwrap()
}

fn post(addr: &str, body_len: usize, extra: &str) -> String {
    format!(
        "POST /mcp HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: {body_len}\r\nConnection: close\r\n{extra}\r\n"
    )
}

async fn slow_oversized_and_hostile_requests_are_refused<R: TestRuntime>() {
    let (addr, _stop) = start::<R>(Arc::new(AtomicUsize::new(0))).await;

    // Headers that never finish: the connection is closed.
    let reply = raw::<R>(&addr, b"POST /mcp HTTP/1.1\r\nHost: x", Duration::from_secs(3)).await;
    assert!(!reply.contains("200"), "{reply}");

    // A body that stops halfway: 408.
    let mut request = post(&addr, 100, "").into_bytes();
    request.extend_from_slice(b"{\"jsonrpc\":");
    let reply = raw::<R>(&addr, &request, Duration::from_secs(3)).await;
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");

    // A body over the limit: 413.
    let mut request = post(&addr, 5000, "").into_bytes();
    request.extend_from_slice(&[b' '; 5000]);
    let reply = raw::<R>(&addr, &request, Duration::from_secs(3)).await;
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");

    // A foreign Host (DNS rebinding): 403.
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    let head = format!(
        "POST /mcp HTTP/1.1\r\nHost: evil.example.com\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let reply = raw::<R>(&addr, head.as_bytes(), Duration::from_secs(3)).await;
    assert!(reply.starts_with("HTTP/1.1 403"), "{reply}");
}

/// A 2026-07-28 `tools/call` of `tool`, as a client on `addr` sends it (asking for progress).
fn call_2026(addr: &str, tool: &str) -> String {
    let body = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"{tool}","_meta":{{"progressToken":7,"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{{}}}}}}}}"#
    );
    let extra = format!(
        "MCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/call\r\nMcp-Name: {tool}\r\n"
    );
    post(addr, body.len(), &extra) + &body
}

async fn an_answer_ready_with_its_head_is_sent_with_its_length<R: TestRuntime>() {
    let (addr, _stop) = start::<R>(Arc::new(AtomicUsize::new(0))).await;
    let reply = raw::<R>(&addr, call_2026(&addr, "now").as_bytes(), Duration::from_secs(3)).await;
    let (head, body) = reply.split_once("\r\n\r\n").expect("a whole response");
    let head = head.to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{reply}");
    assert!(!head.contains("transfer-encoding"), "not chunked: {head}");
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .unwrap_or_else(|| panic!("no content-length: {head}"));
    assert_eq!(length.parse::<usize>().unwrap(), body.len());
    let answer: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(answer["result"]["content"][0]["text"], "now");
}

async fn a_client_dropping_a_2026_stream_cancels_the_handler<R: TestRuntime>() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let (addr, _stop) = start::<R>(dropped.clone()).await;
    let request = call_2026(&addr, "wait");
    let mut s = connect(&addr).await;
    s.write_all(request.as_bytes()).await.unwrap();
    R::sleep(Duration::from_millis(200)).await;
    assert_eq!(dropped.load(Ordering::SeqCst), 0, "the handler is running");
    drop(s);
    for _ in 0..100 {
        if dropped.load(Ordering::SeqCst) == 1 {
            return;
        }
        R::sleep(Duration::from_millis(20)).await;
    }
    panic!("closing the stream did not cancel the handler");
}

async fn a_client_that_stops_reading_its_stream_is_cut_off<R: TestRuntime>() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let (addr, _stop) = start::<R>(dropped.clone()).await;
    // Asks for a stream of progress and never reads it.
    let mut s = connect(&addr).await;
    s.write_all(call_2026(&addr, "flood").as_bytes()).await.unwrap();
    let mut cut = false;
    for _ in 0..500 {
        if dropped.load(Ordering::SeqCst) > 0 {
            cut = true;
            break;
        }
        R::sleep(Duration::from_millis(20)).await;
    }
    assert!(cut, "the handler kept running for a client that does not read");
    assert_eq!(dropped.load(Ordering::SeqCst), 1, "the handler was stopped, not finished");
    // The server lives on for everyone else.
    let reply = raw::<R>(&addr, call_2026(&addr, "now").as_bytes(), Duration::from_secs(3)).await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    drop(s);
}
