//! `tools/call` round trips of an `echo` tool, mcp-sansio (on tokio, smol and async-std) beside
//! the official Rust SDK, rmcp (on tokio), in the same run:
//!
//! - `roundtrip/in_process`: client and server in one process. Ours: `memory_pair`, the two
//!   cores joined directly (a call whose handler does not wait runs on the caller's thread),
//!   and `mcp-sansio-tokio-pipe`, a server loop and a client loop on `tokio::io::duplex` as
//!   over stdio. rmcp: `serve` on both ends of `tokio::io::duplex` (64 KiB), its in-process
//!   setup.
//! - `roundtrip/stdio`: the client spawns a release-built echo server as a child process
//!   (`mcp-sansio-echo-server <runtime>`, or `rmcp-echo-server`) and talks to it over stdio.
//! - `roundtrip/http_1_client` and `roundtrip/http_16_clients`: Streamable HTTP on
//!   127.0.0.1, server and clients in this process on the same runtime. With 16 clients each
//!   client makes its calls one after another, all 16 at once; an iteration is one call by
//!   each client (criterion's throughput line counts the 16 calls).
//! - `roundtrip/http_1_client_2proc`: one client, the server in a process of its own
//!   (`mcp-sansio-echo-server <runtime> http`, or `rmcp-echo-server http`), as MCP clients
//!   and servers run in practice.
//!
//! Both SDKs run with their defaults (protocol version, session handling, HTTP framing). One
//! criterion id per implementation and runtime, e.g. `roundtrip/stdio/mcp-sansio-smol` or
//! `roundtrip/stdio/rmcp-tokio`; `benches/ratios.py` turns the results into ratios.
// criterion_group! generates undocumented items.
#![allow(missing_docs)]

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::pin::Pin;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use futures_channel::oneshot;
use futures_util::future::join_all;
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::Implementation;
use mcp_sansio_benches::{ECHO_TEXT, ECHO_TOOL, echo_server, rmcp_echo};
use mcp_sansio_tokio::ServerCommand;
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::service::{RoleClient, RunningService};

/// How many clients the concurrent HTTP case runs.
const CONCURRENT_CLIENTS: usize = 16;

/// The grace period a child server gets to exit after its stdin closes.
const GRACE: Duration = Duration::from_secs(5);

/// A future the bench does not need to send between threads.
type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// A connected client and how to end its connection cleanly.
struct Session<C> {
    client: C,
    close: Box<dyn FnOnce() -> LocalFuture<()>>,
}

/// What the bench needs from one of our runtime crates.
trait Ours {
    /// The runtime's name, as it appears in benchmark ids and in the echo server's argument.
    const NAME: &'static str;

    /// Runs `future` to completion on this runtime.
    fn block_on<F: Future>(&self, future: F) -> F::Output;

    /// The crate's `memory_pair` around [`echo_server`].
    fn memory_pair(&self) -> Session<Client>;

    /// The crate's `ChildProcess::spawn` of `mcp-sansio-echo-server <NAME>`.
    fn spawn_child(&self) -> Session<Client>;

    /// The crate's `http::serve` of [`echo_server`] on `listener`, as a task that stops when
    /// `stop` fires.
    fn serve_http(&self, listener: TcpListener, stop: oneshot::Receiver<()>);

    /// The crate's `connect_http` to `url`.
    fn connect_http(&self, url: &str) -> Session<Client>;
}

fn client_config() -> ClientConfig {
    ClientConfig::new(Implementation::new("roundtrip-bench", "1.0.0"))
}

fn echo_command(runtime: &str) -> ServerCommand {
    ServerCommand::new(env!("CARGO_BIN_EXE_mcp-sansio-echo-server")).arg(runtime)
}

/// The tokio runtime both SDKs' tokio cases run on: multi-threaded, one worker per core of
/// the machine the benches were written on.
fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// tokio and `mcp-sansio-tokio`.
struct Tokio(tokio::runtime::Runtime);

impl Tokio {
    /// A server loop and a client loop on `tokio::io::duplex` (64 KiB, as rmcp's in-process
    /// case), each a task of its own.
    fn pipe_pair(&self) -> Session<Client> {
        let _entered = self.0.enter();
        let (client_io, server_io) = tokio::io::duplex(64 * 1024);
        let (server_read, server_write) = tokio::io::split(server_io);
        let (_handle, serving) =
            mcp_sansio_tokio::serving(echo_server(), server_read, server_write)
                .expect("a server loop");
        let server = tokio::spawn(serving);
        let (client_read, client_write) = tokio::io::split(client_io);
        let (client, task) = mcp_sansio_tokio::connect(
            client_read,
            client_write,
            client_config(),
            ClientHandlers::new(),
        );
        let handle = client.clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                handle.close().await;
                let _ = task.await;
                let _ = server.await;
            })
        });
        Session { client, close }
    }
}

impl Ours for Tokio {
    const NAME: &'static str = "tokio";

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.0.block_on(future)
    }

    fn memory_pair(&self) -> Session<Client> {
        let _entered = self.0.enter();
        let p =
            mcp_sansio_tokio::memory_pair(echo_server(), client_config(), ClientHandlers::new())
                .expect("a memory pair");
        let client = p.client.clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                client.close().await;
                let _ = p.task.await;
                drop(p.server);
            })
        });
        Session { client: p.client, close }
    }

    fn spawn_child(&self) -> Session<Client> {
        let _entered = self.0.enter();
        let child = mcp_sansio_tokio::ChildProcess::spawn(
            echo_command(Self::NAME),
            client_config(),
            ClientHandlers::new(),
        )
        .expect("the echo server starts");
        let client = child.client().clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                child.shutdown(GRACE).await.expect("the echo server exits");
            })
        });
        Session { client, close }
    }

    fn serve_http(&self, listener: TcpListener, stop: oneshot::Receiver<()>) {
        let _entered = self.0.enter();
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
        let shutdown = async move {
            let _ = stop.await;
        };
        tokio::spawn(mcp_sansio_tokio::http::serve(
            listener,
            echo_server(),
            HttpConfig::default(),
            shutdown,
        ));
    }

    fn connect_http(&self, url: &str) -> Session<Client> {
        let _entered = self.0.enter();
        let (client, task) =
            mcp_sansio_tokio::connect_http(url, client_config(), ClientHandlers::new())
                .expect("an HTTP client");
        let c = client.clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                c.close().await;
                let _ = task.await;
            })
        });
        Session { client, close }
    }
}

/// smol's global executor and `mcp-sansio-smol`.
struct Smol;

impl Ours for Smol {
    const NAME: &'static str = "smol";

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        smol::block_on(future)
    }

    fn memory_pair(&self) -> Session<Client> {
        let p = mcp_sansio_smol::memory_pair(echo_server(), client_config(), ClientHandlers::new())
            .expect("a memory pair");
        let client = p.client.clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                client.close().await;
                let _ = p.task.await;
                drop(p.server);
            })
        });
        Session { client: p.client, close }
    }

    fn spawn_child(&self) -> Session<Client> {
        let child = mcp_sansio_smol::ChildProcess::spawn(
            echo_command(Self::NAME),
            client_config(),
            ClientHandlers::new(),
        )
        .expect("the echo server starts");
        let client = child.client().clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                child.shutdown(GRACE).await.expect("the echo server exits");
            })
        });
        Session { client, close }
    }

    fn serve_http(&self, listener: TcpListener, stop: oneshot::Receiver<()>) {
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let listener = smol::net::TcpListener::try_from(listener).expect("a smol listener");
        let shutdown = async move {
            let _ = stop.await;
        };
        smol::spawn(mcp_sansio_smol::http::serve(
            listener,
            echo_server(),
            HttpConfig::default(),
            shutdown,
        ))
        .detach();
    }

    fn connect_http(&self, url: &str) -> Session<Client> {
        let (client, task) =
            mcp_sansio_smol::connect_http(url, client_config(), ClientHandlers::new())
                .expect("an HTTP client");
        let c = client.clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                c.close().await;
                task.await;
            })
        });
        Session { client, close }
    }
}

/// async-std's executor and `mcp-sansio-async-std`.
struct AsyncStd;

impl Ours for AsyncStd {
    const NAME: &'static str = "async-std";

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        async_std::task::block_on(future)
    }

    fn memory_pair(&self) -> Session<Client> {
        let p = mcp_sansio_async_std::memory_pair(
            echo_server(),
            client_config(),
            ClientHandlers::new(),
        )
        .expect("a memory pair");
        let client = p.client.clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                client.close().await;
                let _ = p.task.await;
                drop(p.server);
            })
        });
        Session { client: p.client, close }
    }

    fn spawn_child(&self) -> Session<Client> {
        let child = mcp_sansio_async_std::ChildProcess::spawn(
            echo_command(Self::NAME),
            client_config(),
            ClientHandlers::new(),
        )
        .expect("the echo server starts");
        let client = child.client().clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                child.shutdown(GRACE).await.expect("the echo server exits");
            })
        });
        Session { client, close }
    }

    fn serve_http(&self, listener: TcpListener, stop: oneshot::Receiver<()>) {
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let listener = async_std::net::TcpListener::from(listener);
        let shutdown = async move {
            let _ = stop.await;
        };
        drop(async_std::task::spawn(mcp_sansio_async_std::http::serve(
            listener,
            echo_server(),
            HttpConfig::default(),
            shutdown,
        )));
    }

    fn connect_http(&self, url: &str) -> Session<Client> {
        let (client, task) =
            mcp_sansio_async_std::connect_http(url, client_config(), ClientHandlers::new())
                .expect("an HTTP client");
        let c = client.clone();
        let close = Box::new(move || -> LocalFuture<()> {
            Box::pin(async move {
                c.close().await;
                task.await;
            })
        });
        Session { client, close }
    }
}

/// `iters` round trips by each of `clients`, all clients at once, timed.
async fn round_trips<'a, C, F, Fut>(clients: &'a [C], iters: u64, call: F) -> Duration
where
    F: Fn(&'a C) -> Fut,
    Fut: Future<Output = ()> + 'a,
{
    let start = Instant::now();
    join_all(clients.iter().map(|c| {
        let call = &call;
        async move {
            for _ in 0..iters {
                call(c).await;
            }
        }
    }))
    .await;
    start.elapsed()
}

/// One `tools/call` of `echo` with our client.
async fn ours_call(client: &Client, arguments: &serde_json::Value) {
    let r = client.call_tool(ECHO_TOOL, arguments).await.expect("echo answers");
    debug_assert_eq!(r.content[0].as_text(), Some(ECHO_TEXT));
}

/// One `tools/call` of `echo` with rmcp's client.
async fn rmcp_call(client: &RmcpClient, arguments: &serde_json::Map<String, serde_json::Value>) {
    let params = CallToolRequestParams::new(ECHO_TOOL).with_arguments(arguments.clone());
    let r = client.call_tool(params).await.expect("echo answers");
    debug_assert_eq!(r.content.len(), 1);
}

/// Connects `sessions`, checks that `echo` echoes, benchmarks round trips as
/// `mcp-sansio-<runtime>`, and closes the sessions.
fn bench_ours<R: Ours>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    rt: &R,
    sessions: Vec<Session<Client>>,
) {
    bench_ours_as(g, rt, &format!("mcp-sansio-{}", R::NAME), sessions);
}

/// Like [`bench_ours`], under the criterion id `id`.
fn bench_ours_as<R: Ours>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    rt: &R,
    id: &str,
    sessions: Vec<Session<Client>>,
) {
    let arguments = serde_json::json!({ "text": ECHO_TEXT });
    let (clients, closes): (Vec<_>, Vec<_>) =
        sessions.into_iter().map(|s| (s.client, s.close)).unzip();
    rt.block_on(async {
        for c in &clients {
            c.connect().await.expect("the client connects");
            let r = c.call_tool(ECHO_TOOL, &arguments).await.expect("echo answers");
            assert_eq!(r.content[0].as_text(), Some(ECHO_TEXT));
        }
    });
    g.bench_function(id, |b| {
        b.iter_custom(|iters| {
            rt.block_on(round_trips(&clients, iters, |c| ours_call(c, &arguments)))
        })
    });
    rt.block_on(join_all(closes.into_iter().map(|close| close())));
}

/// rmcp's client with no handler of its own.
type RmcpClient = RunningService<RoleClient, ()>;

/// Checks that `echo` echoes on every client, benchmarks round trips as `rmcp-tokio`, and
/// cancels the clients.
fn bench_rmcp(
    g: &mut BenchmarkGroup<'_, WallTime>,
    rt: &tokio::runtime::Runtime,
    clients: Vec<RmcpClient>,
) {
    let serde_json::Value::Object(arguments) = serde_json::json!({ "text": ECHO_TEXT }) else {
        unreachable!("a JSON object")
    };
    rt.block_on(async {
        for c in &clients {
            let params = CallToolRequestParams::new(ECHO_TOOL).with_arguments(arguments.clone());
            let r = c.call_tool(params).await.expect("echo answers");
            let content = serde_json::to_value(&r.content).expect("serializable content");
            assert_eq!(content[0]["text"], ECHO_TEXT);
        }
    });
    g.bench_function("rmcp-tokio", |b| {
        b.iter_custom(|iters| {
            rt.block_on(round_trips(&clients, iters, |c| rmcp_call(c, &arguments)))
        })
    });
    rt.block_on(join_all(clients.into_iter().map(|c| async move {
        let _ = c.cancel().await;
    })));
}

/// A benchmark group whose iterations are `calls` round trips.
fn group<'a>(c: &'a mut Criterion, name: &str, calls: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(calls as u64));
    g
}

fn in_process(c: &mut Criterion) {
    let mut g = group(c, "roundtrip/in_process", 1);
    fn ours<R: Ours>(g: &mut BenchmarkGroup<'_, WallTime>, rt: R) {
        let session = rt.memory_pair();
        bench_ours(g, &rt, vec![session]);
    }
    ours(&mut g, Tokio(tokio_runtime()));
    ours(&mut g, Smol);
    ours(&mut g, AsyncStd);
    // The same two loops a stdio connection runs, over rmcp's pipe: what `memory_pair`'s
    // joined cores save, beside what the loops cost.
    let rt = Tokio(tokio_runtime());
    let session = rt.pipe_pair();
    bench_ours_as(&mut g, &rt, "mcp-sansio-tokio-pipe", vec![session]);

    let rt = tokio_runtime();
    let client = rt.block_on(async {
        let (server_io, client_io) = tokio::io::duplex(64 * 1024);
        tokio::spawn(async move {
            let server = rmcp_echo::Echo::default().serve(server_io).await?;
            server.waiting().await?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        });
        ().serve(client_io).await.expect("the rmcp client connects")
    });
    bench_rmcp(&mut g, &rt, vec![client]);
    g.finish();
}

fn stdio(c: &mut Criterion) {
    let mut g = group(c, "roundtrip/stdio", 1);
    fn ours<R: Ours>(g: &mut BenchmarkGroup<'_, WallTime>, rt: R) {
        let session = rt.spawn_child();
        bench_ours(g, &rt, vec![session]);
    }
    ours(&mut g, Tokio(tokio_runtime()));
    ours(&mut g, Smol);
    ours(&mut g, AsyncStd);

    let rt = tokio_runtime();
    let client = rt.block_on(async {
        let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_rmcp-echo-server"));
        let transport =
            rmcp::transport::TokioChildProcess::new(command).expect("the rmcp server starts");
        ().serve(transport).await.expect("the rmcp client connects")
    });
    bench_rmcp(&mut g, &rt, vec![client]);
    g.finish();
}

fn loopback_listener() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a port on 127.0.0.1");
    let addr = listener.local_addr().expect("the listener's address");
    (listener, addr)
}

/// Streamable HTTP with `clients` clients, each SDK's server and clients on one runtime.
fn http_with(c: &mut Criterion, name: &str, clients: usize) {
    let mut g = group(c, name, clients);
    fn ours<R: Ours>(g: &mut BenchmarkGroup<'_, WallTime>, rt: R, clients: usize) {
        let (listener, addr) = loopback_listener();
        let (stop, stopped) = oneshot::channel();
        rt.serve_http(listener, stopped);
        let url = format!("http://{addr}/mcp");
        let sessions = (0..clients).map(|_| rt.connect_http(&url)).collect();
        bench_ours(g, &rt, sessions);
        let _ = stop.send(());
    }
    ours(&mut g, Tokio(tokio_runtime()), clients);
    ours(&mut g, Smol, clients);
    ours(&mut g, AsyncStd, clients);

    let rt = tokio_runtime();
    let (listener, addr) = loopback_listener();
    let server = rt.block_on(mcp_sansio_benches::rmcp_http_server(listener));
    let url = format!("http://{addr}/mcp");
    let rmcp_clients = rt.block_on(async {
        let mut all = Vec::with_capacity(clients);
        for _ in 0..clients {
            let transport = rmcp::transport::StreamableHttpClientTransport::from_uri(url.as_str());
            all.push(().serve(transport).await.expect("the rmcp client connects"));
        }
        all
    });
    bench_rmcp(&mut g, &rt, rmcp_clients);
    server.abort();
    g.finish();
}

/// Spawn to initialized over stdio: the time from spawning the echo server to the client's
/// handshake completing (shutting the server down again is not timed).
fn startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("startup/stdio");
    fn ours<R: Ours>(g: &mut BenchmarkGroup<'_, WallTime>, rt: R) {
        g.bench_function(format!("mcp-sansio-{}", R::NAME), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let started = std::time::Instant::now();
                    let session = rt.spawn_child();
                    rt.block_on(session.client.connect()).expect("the client connects");
                    total += started.elapsed();
                    rt.block_on((session.close)());
                }
                total
            })
        });
    }
    ours(&mut g, Tokio(tokio_runtime()));
    ours(&mut g, Smol);
    ours(&mut g, AsyncStd);

    let rt = tokio_runtime();
    g.bench_function("rmcp-tokio", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let started = std::time::Instant::now();
                    let command =
                        tokio::process::Command::new(env!("CARGO_BIN_EXE_rmcp-echo-server"));
                    let transport = rmcp::transport::TokioChildProcess::new(command)
                        .expect("the rmcp server starts");
                    let client = ().serve(transport).await.expect("the rmcp client connects");
                    total += started.elapsed();
                    let _ = client.cancel().await;
                }
                total
            })
        })
    });
    g.finish();
}

fn http(c: &mut Criterion) {
    http_with(c, "roundtrip/http_1_client", 1);
    http_with(c, "roundtrip/http_16_clients", CONCURRENT_CLIENTS);
    http_two_processes(c);
}

/// Streamable HTTP with one client, the server in a process of its own on the same runtime
/// (current-thread tokio, smol, async-std; rmcp's on current-thread tokio), as MCP clients and
/// servers run in practice. In one process, smol's and async-std's client thread drives
/// async-io's reactor for the server too.
fn http_two_processes(c: &mut Criterion) {
    let mut g = group(c, "roundtrip/http_1_client_2proc", 1);
    fn ours<R: Ours>(g: &mut BenchmarkGroup<'_, WallTime>, rt: R) {
        let (server, url) = mcp_sansio_benches::HttpServerProcess::spawn(
            env!("CARGO_BIN_EXE_mcp-sansio-echo-server"),
            &[R::NAME, "http"],
        );
        bench_ours(g, &rt, vec![rt.connect_http(&url)]);
        drop(server);
    }
    ours(&mut g, Tokio(tokio_runtime()));
    ours(&mut g, Smol);
    ours(&mut g, AsyncStd);

    let rt = tokio_runtime();
    let (server, url) = mcp_sansio_benches::HttpServerProcess::spawn(
        env!("CARGO_BIN_EXE_rmcp-echo-server"),
        &["http"],
    );
    let client = rt.block_on(async {
        let transport = rmcp::transport::StreamableHttpClientTransport::from_uri(url.as_str());
        ().serve(transport).await.expect("the rmcp client connects")
    });
    bench_rmcp(&mut g, &rt, vec![client]);
    drop(server);
    g.finish();
}

criterion_group! {
    name = benches;
    // Short runs: the whole bench (25 benchmarks) finishes in about four minutes.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = in_process, stdio, http, startup
}
criterion_main!(benches);
