//! The floor under our HTTP round trips: `n` POSTs of the benches' `tools/call` of `echo`
//! (`SMALL_TOOLS_CALL`) to a hyper HTTP/1.1 server that echoes it, with no MCP on either
//! side, on the runtime the `calls` example and the round-trip bench use (tokio, 2 workers):
//!
//! ```sh
//! cargo run --release -p mcp-sansio-benches --example hyper_floor -- 5000        # caller in block_on
//! cargo run --release -p mcp-sansio-benches --example hyper_floor -- 5000 task   # caller in a task
//! ```
//!
//! The caller in `block_on` is how the bench and `#[tokio::main]` code call; in a task it
//! shares the workers with the connections, which saves the hand-off to the bench thread.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;

use mcp_sansio_benches::SMALL_TOOLS_CALL;

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
async fn round_trips(addr: std::net::SocketAddr, n: u32) -> Duration {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connects");
    stream.set_nodelay(true).expect("nodelay");
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("handshake");
    tokio::spawn(conn);
    let start = Instant::now();
    for _ in 0..n {
        sender.ready().await.expect("ready");
        let req = hyper::Request::post("/mcp")
            .header(hyper::header::HOST, "127.0.0.1")
            .body(Full::new(Bytes::from_static(SMALL_TOOLS_CALL.as_bytes())))
            .expect("a request");
        let response = sender.send_request(req).await.expect("a response");
        let body = response.into_body().collect().await.expect("a body").to_bytes();
        assert_eq!(body.len(), SMALL_TOOLS_CALL.len());
    }
    start.elapsed() / n
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u32 = args.get(1).map_or(5000, |s| s.parse().expect("a count"));
    let in_task = args.get(2).is_some_and(|a| a == "task");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("a port");
    let addr = listener.local_addr().expect("an address");
    rt.spawn(serve(listener));
    let per = if in_task {
        rt.block_on(rt.spawn(round_trips(addr, n))).expect("the task finishes")
    } else {
        rt.block_on(round_trips(addr, n))
    };
    let caller = if in_task { "in a task" } else { "in block_on" };
    println!("{n} hyper round trips, {per:?} each (caller {caller})");
}
