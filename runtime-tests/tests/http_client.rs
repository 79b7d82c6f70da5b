//! Who does the work of an HTTP call, and what becomes of the connections it used: our HTTP
//! client against our server on 127.0.0.1, on every runtime.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use futures_channel::oneshot;
use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::server::{Context as ToolContext, Server, ServerBuilder};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::Implementation;
use mcp_sansio_rt::http::Connect;
use mcp_sansio_runtime_tests::{BoxFuture, TestRuntime, on_every_runtime};

on_every_runtime!(
    a_caller_makes_its_http_calls_while_the_clients_loop_waits,
    a_kept_connection_the_server_closed_is_replaced,
    a_call_left_unpolled_does_not_hold_up_another
);

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Echo {
    n: usize,
}

/// `echo` answers at once, `slow_echo` after 50 ms.
fn echo_server<R: TestRuntime>() -> Server {
    ServerBuilder::new("http-echo", "1.0.0")
        .tool("echo", "Echo", |v: Echo, _ctx: ToolContext| async move { v.n.to_string() })
        .tool("slow_echo", "Echo, slowly", |v: Echo, _ctx: ToolContext| async move {
            R::sleep(Duration::from_millis(50)).await;
            v.n.to_string()
        })
        .build()
        .unwrap()
}

/// `echo_server()` served by the crate's `http::serve` on `bind`, until `stop` is sent.
async fn serve<R: TestRuntime>(
    bind: SocketAddr,
) -> (SocketAddr, oneshot::Sender<()>, BoxFuture<io::Result<()>>) {
    let listener = std::net::TcpListener::bind(bind).unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = Box::pin(async {
        let _ = stopped.await;
    });
    let l =
        R::serve_http(listener, echo_server::<R>(), HttpConfig::default(), shutdown).await.unwrap();
    (l.addr, stop, l.done)
}

/// A runtime that counts the TCP connections its HTTP clients open.
#[derive(Clone, Default)]
struct Counting<Rt> {
    rt: Rt,
    opened: Arc<AtomicUsize>,
}

impl<Rt: mcp_sansio_rt::Runtime> mcp_sansio_rt::Runtime for Counting<Rt> {
    type Sleep = Rt::Sleep;
    fn spawn<F: Future<Output = ()> + Send + 'static>(&self, future: F) {
        self.rt.spawn(future);
    }
    fn now(&self) -> Instant {
        self.rt.now()
    }
    fn sleep_until(&self, deadline: Instant) -> Self::Sleep {
        self.rt.sleep_until(deadline)
    }
    fn spawns_here(&self) -> bool {
        self.rt.spawns_here()
    }
}

impl<Rt: Connect> Connect for Counting<Rt> {
    type Tcp = Rt::Tcp;
    fn connect_tcp(
        &self,
        host: String,
        port: u16,
    ) -> Pin<Box<dyn Future<Output = io::Result<Self::Tcp>> + Send>> {
        self.opened.fetch_add(1, Ordering::SeqCst);
        self.rt.connect_tcp(host, port)
    }
}

/// A client of `url` on a counting runtime, and its loop (not yet running).
fn client<R: TestRuntime>(
    url: &str,
    versions: &[ProtocolVersion],
) -> (Client, impl Future<Output = ()> + Send + 'static, Arc<AtomicUsize>) {
    let runtime = Counting { rt: R::Rt::default(), opened: Arc::default() };
    let opened = runtime.opened.clone();
    let mut config = ClientConfig::new(Implementation::new("http-client", "1.0.0"));
    config.versions = versions.to_vec();
    let tls = mcp_sansio_rt::http::default_tls().unwrap();
    let (client, run) =
        mcp_sansio_rt::http::client(runtime, url, config, ClientHandlers::new(), tls).unwrap();
    (client, run, opened)
}

async fn echo(client: &Client, n: usize) {
    echo_with(client, "echo", n).await;
}

async fn echo_with(client: &Client, tool: &str, n: usize) {
    let r = client.call_tool(tool, serde_json::json!({ "n": n })).await.unwrap();
    assert_eq!(r.content[0].as_text(), Some(n.to_string().as_str()));
}

/// One poll of `f`, with a waker that does nothing.
fn poll_once<F: Future>(f: Pin<&mut F>) -> Poll<F::Output> {
    f.poll(&mut Context::from_waker(Waker::noop()))
}

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// The client's loop is polled once, as a freshly spawned task is, and then left alone: a
/// caller that finds it idle writes its request itself, and reads the response while it waits,
/// on the one kept connection.
async fn a_caller_makes_its_http_calls_while_the_clients_loop_waits<R: TestRuntime>() {
    let (addr, stop, done) = serve::<R>(loopback()).await;
    let url = format!("http://{addr}/mcp");
    for versions in [&[ProtocolVersion::V2025_11_25][..], &ProtocolVersion::ALL] {
        let (client, run, opened) = client::<R>(&url, versions);
        let mut run = Box::pin(run);
        assert!(poll_once(run.as_mut()).is_pending());
        let calls = async {
            client.connect().await.unwrap();
            echo(&client, 0).await;
            let after_first = opened.load(Ordering::SeqCst);
            for n in 1..=10 {
                echo(&client, n).await;
            }
            // Each response was read to its end before the next request: one connection does.
            assert_eq!(opened.load(Ordering::SeqCst), after_first, "the kept connection serves");
        };
        R::timeout(Duration::from_secs(10), calls)
            .await
            .expect("calls complete without the client's loop");
        client.close().await;
        R::timeout(Duration::from_secs(5), run).await.expect("the client's loop ends");
    }
    let _ = stop.send(());
    R::timeout(Duration::from_secs(5), done).await.expect("the server stops").unwrap();
}

/// An idle kept connection is not watched; when the server has closed it (here: the server
/// restarted on the same address), the next request goes out again on a fresh one.
async fn a_kept_connection_the_server_closed_is_replaced<R: TestRuntime>() {
    let (addr, stop, done) = serve::<R>(loopback()).await;
    let url = format!("http://{addr}/mcp");
    // Stateless (2026-07-28): no session for the restarted server to have forgotten.
    let (client, run, opened) = client::<R>(&url, &ProtocolVersion::ALL);
    let (ended, run_ended) = oneshot::channel();
    R::spawn(Box::pin(async move {
        run.await;
        let _ = ended.send(());
    }));
    client.connect().await.unwrap();
    echo(&client, 1).await;
    let before = opened.load(Ordering::SeqCst);

    let _ = stop.send(());
    R::timeout(Duration::from_secs(5), done).await.expect("the server stops").unwrap();
    let (again, stop, done) = serve::<R>(addr).await;
    assert_eq!(again, addr);

    R::timeout(Duration::from_secs(10), echo(&client, 2)).await.expect("the call is answered");
    assert!(opened.load(Ordering::SeqCst) > before, "a fresh connection was opened");
    client.close().await;
    R::timeout(Duration::from_secs(5), run_ended).await.expect("the client's loop ends").unwrap();
    let _ = stop.send(());
    R::timeout(Duration::from_secs(5), done).await.expect("the server stops").unwrap();
}

/// A caller that took the client's input and then is not polled (its future sits in a
/// `select!` busy elsewhere) holds up nobody: the loop reads on its watch.
async fn a_call_left_unpolled_does_not_hold_up_another<R: TestRuntime>() {
    let (addr, stop, done) = serve::<R>(loopback()).await;
    let url = format!("http://{addr}/mcp");
    let (client, task) = R::connect_http(
        &url,
        ClientConfig::new(Implementation::new("c", "1")),
        ClientHandlers::new(),
    )
    .unwrap();
    client.connect().await.unwrap();
    {
        // Slow, so that it cannot be answered in the poll that sends it.
        let mut first = pin!(echo_with(&client, "slow_echo", 1));
        assert!(poll_once(first.as_mut()).is_pending(), "the first call waits");
        R::timeout(Duration::from_secs(5), echo(&client, 2))
            .await
            .expect("the second call is answered while the first is not polled");
        R::timeout(Duration::from_secs(5), first).await.expect("the first call is answered too");
    }
    client.close().await;
    R::timeout(Duration::from_secs(5), task).await.expect("the client's loop ends");
    let _ = stop.send(());
    R::timeout(Duration::from_secs(5), done).await.expect("the server stops").unwrap();
}
