//! Memory, beside rmcp 3.9 in the same run (prints a table; not a criterion bench):
//!
//! - **bytes per idle legacy HTTP session**: sessions opened through each SDK's Streamable
//!   HTTP tower service (`initialize` at 2025-11-25, then `notifications/initialized`), with
//!   no network in between, and the heap they keep once idle;
//! - **heap allocations per `tools/call` round trip**: an in-process client and server
//!   (our `memory_pair`, the two cores joined; rmcp over `tokio::io::duplex`), both ends
//!   counted, on a current-thread tokio runtime;
//! - **heap allocations per round trip inside the core**: our client and server drivers
//!   joined by hand, bytes handed from one to the other, no runtime, channel or task at all
//!   (the `Client` handle's call, both sessions, the tool's future and the encoding).
//!
//! A counting global allocator measures both. Run with
//! `cargo bench -p mcp-sansio-benches --bench memory`.
// A bench binary: its items need no docs.
#![allow(missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink, Driver, DriverOutput};
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::session::{ClientConfig, Framing};
use mcp_sansio::types::Implementation;
use mcp_sansio_benches::{ECHO_TEXT, ECHO_TOOL, echo_server, rmcp_echo};
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use tower_service::Service;

/// Counts live heap bytes and allocations.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are only
// statistics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Sessions opened per measurement.
const SESSIONS: usize = 500;
/// Round trips per measurement.
const CALLS: usize = 2000;

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"memory-bench","version":"1"}}}"#;
const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;

fn post(body: &'static str, session: Option<&str>) -> Request<Full<Bytes>> {
    let mut r = Request::post("http://127.0.0.1/mcp")
        .header("host", "127.0.0.1")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25");
    if let Some(s) = session {
        r = r.header("mcp-session-id", s);
    }
    r.body(Full::new(Bytes::from_static(body.as_bytes()))).expect("a valid request")
}

/// Opens one idle session through `svc`: initialize (its answer read to the end), then the
/// initialized notification.
async fn open_session<S, B>(svc: &mut S)
where
    S: Service<Request<Full<Bytes>>, Response = hyper::Response<B>>,
    S::Error: std::fmt::Debug,
    B: hyper::body::Body,
    B::Error: std::fmt::Debug,
{
    std::future::poll_fn(|cx| svc.poll_ready(cx)).await.expect("ready");
    let response = svc.call(post(INITIALIZE, None)).await.expect("initialize answers");
    let session = response
        .headers()
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .map(String::from)
        .expect("a session id");
    let body = response.into_body().collect().await.expect("the initialize body");
    assert!(String::from_utf8_lossy(&body.to_bytes()).contains("protocolVersion"));
    std::future::poll_fn(|cx| svc.poll_ready(cx)).await.expect("ready");
    let response = svc.call(post(INITIALIZED, Some(&session))).await.expect("accepted");
    assert_eq!(response.status(), 202);
    let _ = response.into_body().collect().await;
}

/// Heap bytes kept per session after opening [`SESSIONS`] of them (a few first, so lazily
/// built state is not counted).
async fn per_session<S, B>(mut svc: S) -> f64
where
    S: Service<Request<Full<Bytes>>, Response = hyper::Response<B>>,
    S::Error: std::fmt::Debug,
    B: hyper::body::Body,
    B::Error: std::fmt::Debug,
{
    for _ in 0..10 {
        open_session(&mut svc).await;
    }
    settle().await;
    let before = LIVE.load(Ordering::SeqCst);
    for _ in 0..SESSIONS {
        open_session(&mut svc).await;
    }
    settle().await;
    let after = LIVE.load(Ordering::SeqCst);
    (after - before) as f64 / SESSIONS as f64
}

/// Lets spawned tasks (rmcp runs one per session) reach their idle state.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Heap allocations per round trip of `call`, both ends of the connection counted.
async fn allocations_per_call<F: std::future::Future<Output = ()>>(
    mut call: impl FnMut() -> F,
) -> f64 {
    for _ in 0..100 {
        call().await;
    }
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    for _ in 0..CALLS {
        call().await;
    }
    (ALLOCATIONS.load(Ordering::SeqCst) - before) as f64 / CALLS as f64
}

/// A command sink that keeps what it is sent, for the drivers joined by hand.
#[derive(Default)]
struct Mailbox(std::sync::Mutex<Vec<Command>>);

/// A send that already happened (zero-sized, so boxing it allocates nothing).
struct Sent;

impl std::future::Future for Sent {
    type Output = Result<(), Closed>;
    fn poll(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(Ok(()))
    }
}

impl CommandSink for Mailbox {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        self.0.lock().expect("the mailbox").push(command);
        Box::pin(Sent)
    }
    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.0.lock().expect("the mailbox").push(command);
        Ok(())
    }
}

/// Moves everything between two drivers until neither has more to say: bytes across,
/// spawned tasks polled (the echo tool finishes at once) and their answers fed back, commands
/// from the mailboxes applied.
fn pump(ends: &mut [(&mut Driver, &Mailbox); 2]) {
    let cx = &mut Context::from_waker(Waker::noop());
    let now = mcp_sansio::Instant::ZERO;
    loop {
        let mut quiet = true;
        for side in 0..2 {
            let commands = std::mem::take(&mut *ends[side].1.0.lock().expect("the mailbox"));
            for c in commands {
                quiet = false;
                ends[side].0.handle_command(now, c);
            }
            while let Some(out) = ends[side].0.poll_output() {
                quiet = false;
                match out {
                    DriverOutput::Transmit(t) => ends[1 - side].0.handle_bytes(now, &t.bytes),
                    DriverOutput::Spawn(mut task) => match task.future.as_mut().poll(cx) {
                        Poll::Ready(answer) => ends[side].0.handle_command(now, answer),
                        Poll::Pending => panic!("the echo tool finishes at once"),
                    },
                    DriverOutput::Abort(_) | DriverOutput::Diagnostic(_) => {}
                    DriverOutput::Closed => panic!("the connection closed"),
                }
            }
        }
        if quiet {
            return;
        }
    }
}

/// Heap allocations per `tools/call` round trip with nothing but the core: a client driver
/// and a server driver joined by hand.
fn allocations_in_core() -> f64 {
    let mut server = echo_server();
    server.ensure_request_state_key([7; 32]);
    let server_box = Arc::new(Mailbox::default());
    let mut server = Driver::server(server, Framing::Lines, server_box.clone());
    let client_box = Arc::new(Mailbox::default());
    let (mut client_driver, client) = Driver::client_with_handle(
        ClientConfig::new(Implementation::new("memory-bench", "1")),
        mcp_sansio::client::ClientHandlers::new(),
        Framing::Lines,
        client_box.clone(),
    );
    let cx = &mut Context::from_waker(Waker::noop());
    // Runs a future of the client handle to its end, pumping bytes whenever it waits.
    let mut run = |future: &mut (dyn std::future::Future<Output = ()> + Unpin)| loop {
        if let Poll::Ready(()) = std::pin::Pin::new(&mut *future).poll(cx) {
            return;
        }
        pump(&mut [(&mut client_driver, &*client_box), (&mut server, &*server_box)]);
    };
    run(&mut Box::pin(async {
        client.connect().await.expect("connects");
    }));
    let args = serde_json::json!({ "text": ECHO_TEXT });
    let mut call = |n: usize| {
        for _ in 0..n {
            let mut one = std::pin::pin!(async {
                let r = client.call_tool(ECHO_TOOL, &args).await.expect("echo answers");
                assert_eq!(r.content[0].as_text(), Some(ECHO_TEXT));
            });
            run(&mut one);
        }
    };
    call(100);
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    call(CALLS);
    (ALLOCATIONS.load(Ordering::SeqCst) - before) as f64 / CALLS as f64
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let (svc, _handle) =
            mcp_sansio_tokio::http::service(echo_server(), HttpConfig::default()).expect("ours");
        let ours = per_session(svc.clone()).await;

        use rmcp::transport::StreamableHttpService;
        use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
        let rmcp_svc = StreamableHttpService::new(
            || Ok(rmcp_echo::Echo::default()),
            Arc::new(LocalSessionManager::default()),
            Default::default(),
        );
        let theirs = per_session(rmcp_svc).await;

        println!("| measure | mcp-sansio | rmcp 3.9 | rmcp ÷ mcp-sansio |");
        println!("|---|---:|---:|---:|");
        println!(
            "| heap per idle legacy HTTP session ({SESSIONS} sessions) | {:.1} KiB | {:.1} KiB | {:.1}× |",
            ours / 1024.0,
            theirs / 1024.0,
            theirs / ours
        );

        let pair = mcp_sansio_tokio::memory_pair(
            echo_server(),
            ClientConfig::new(Implementation::new("memory-bench", "1")),
            mcp_sansio::client::ClientHandlers::new(),
        )
        .expect("a pair");
        pair.client.connect().await.expect("connects");
        let args = serde_json::json!({ "text": ECHO_TEXT });
        let client = pair.client.clone();
        let ours = allocations_per_call(|| {
            let (client, args) = (client.clone(), args.clone());
            async move {
                client.call_tool(ECHO_TOOL, args).await.expect("echo answers");
            }
        })
        .await;

        let (server_io, client_io) = tokio::io::duplex(64 * 1024);
        tokio::spawn(async move {
            if let Ok(server) = rmcp_echo::Echo::default().serve(server_io).await {
                let _ = server.waiting().await;
            }
        });
        let rmcp_client = ().serve(client_io).await.expect("the rmcp client connects");
        let arguments = args.as_object().cloned().expect("an object");
        let theirs = allocations_per_call(|| {
            let params = CallToolRequestParams::new(ECHO_TOOL).with_arguments(arguments.clone());
            let peer = rmcp_client.peer().clone();
            async move {
                peer.call_tool(params).await.expect("echo answers");
            }
        })
        .await;
        println!(
            "| heap allocations per in-process tools/call round trip ({CALLS} calls) | {ours:.1} | {theirs:.1} | {:.2}× |",
            theirs / ours
        );
    });
    println!(
        "| heap allocations per tools/call round trip inside the core ({CALLS} calls) | {:.1} | | |",
        allocations_in_core()
    );
}
