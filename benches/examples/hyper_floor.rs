//! The floor under our HTTP round trips: `n` POSTs of the benches' `tools/call` of `echo`
//! (`SMALL_TOOLS_CALL`) to a hyper HTTP/1.1 server that echoes it, with no MCP on either
//! side, on the runtime the `calls` example and the round-trip bench use (tokio, 2 workers):
//!
//! ```sh
//! cargo run --release -p mcp-sansio-benches --example hyper_floor -- 5000        # caller in block_on
//! cargo run --release -p mcp-sansio-benches --example hyper_floor -- 5000 task   # caller in a task
//! cargo run --release -p mcp-sansio-benches --example hyper_floor -- 5000 block mcp
//! cargo run --release -p mcp-sansio-benches --example hyper_floor -- 5000 single mcp
//! ```
//!
//! The caller in `block_on` is how the bench and `#[tokio::main]` code call; in a task it
//! shares the workers with the connections, which saves the hand-off to the bench thread;
//! `single` puts both sides on one `current_thread` runtime, so only CPU counts (compare
//! `calls tokio http N single`).
//! With a third argument `mcp` the server is ours (`mcp_sansio_tokio::http::serve` of the
//! benches' echo server) and the bare hyper client posts the call as a 2026-07-28 client
//! does: our server's share of a round trip, without our client.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;

use mcp_sansio_benches::SMALL_TOOLS_CALL;

/// The benches' call as a 2026-07-28 client sends it, for a hyper client of our server.
const MODERN_TOOLS_CALL: &str = r#"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello world"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#;

/// What our echo server's answer to it carries.
const ECHO_ANSWER: &str = r#"{"type":"text","text":"hello world"}"#;

/// Serves echo POSTs on `listener`, a task per connection.
async fn serve(listener: tokio::net::TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        stream.set_nodelay(true).expect("nodelay");
        tokio::spawn(async move {
            let echo = hyper::service::service_fn(|req: hyper::Request<Incoming>| async move {
                let body = req.into_body().collect().await.map(|b| b.to_bytes());
                Ok::<_, Infallible>(hyper::Response::new(Full::new(body.unwrap_or_default())))
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), echo);
            let _ = conn.await;
        });
    }
}

/// `n` round trips on one kept connection; the time of one.
async fn round_trips(addr: std::net::SocketAddr, n: u32, mcp: bool) -> Duration {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    stream.set_nodelay(true).expect("nodelay");
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
    tokio::spawn(conn);
    let host = format!("127.0.0.1:{}", addr.port());
    let start = Instant::now();
    for _ in 0..n {
        sender.ready().await.expect("ready");
        let body = if mcp { MODERN_TOOLS_CALL } else { SMALL_TOOLS_CALL };
        let req = hyper::Request::post("/mcp")
            .header(hyper::header::HOST, host.as_str())
            .header("accept", "application/json, text/event-stream")
            .header("content-type", "application/json")
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", "tools/call")
            .header("mcp-name", "echo")
            .body(Full::new(Bytes::from_static(body.as_bytes())))
            .expect("a request");
        let response = sender.send_request(req).await.expect("a response");
        let status = response.status();
        let got = response.into_body().collect().await.expect("a body").to_bytes();
        if mcp {
            let text = String::from_utf8_lossy(&got);
            assert!(status.is_success() && text.contains(ECHO_ANSWER), "{status}: {text}");
        } else {
            assert_eq!(got.len(), SMALL_TOOLS_CALL.len());
        }
    }
    start.elapsed() / n
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u32 = args.get(1).map_or(5000, |s| s.parse().expect("a count"));
    let in_task = args.get(2).is_some_and(|a| a == "task");
    let mcp = args.get(3).is_some_and(|a| a == "mcp");
    let single = args.get(2).is_some_and(|a| a == "single");
    let rt = if single {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()
    }
    .expect("a tokio runtime");
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("a port");
    let addr = listener.local_addr().expect("an address");
    if mcp {
        let _entered = rt.enter();
        let http = mcp_sansio::http::server::HttpConfig::default();
        rt.spawn(mcp_sansio_tokio::http::serve(
            listener,
            mcp_sansio_benches::echo_server(),
            http,
            std::future::pending(),
        ));
    } else {
        rt.spawn(serve(listener));
    }
    let per = if in_task {
        rt.block_on(rt.spawn(round_trips(addr, n, mcp))).expect("the task finishes")
    } else {
        rt.block_on(round_trips(addr, n, mcp))
    };
    let caller = if in_task { "in a task" } else { "in block_on" };
    println!("{n} hyper round trips, {per:?} each (caller {caller})");
}
