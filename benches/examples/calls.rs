//! `n` echo round trips in one process, for `perf` and `strace` (criterion's runs are too
//! short and too mixed to profile one case):
//!
//! ```sh
//! cargo run --release -p mcp-sansio-benches --example calls -- tokio memory 100000
//! strace -f -c target/release/examples/calls async-std http 20000
//! ```
//!
//! The runtime is `tokio` (multi-threaded, 2 workers, the caller in `block_on` as under
//! `#[tokio::main]`, or in a task on the workers with a fourth argument `task`; with `single`
//! client and server share one `current_thread` runtime, so a call costs only CPU, no thread
//! hand-offs: what a call's code costs, apart from how the threads meet), `smol` or
//! `async-std`; the transport `memory` (a `memory_pair`), `stdio` (the benches' echo server
//! as a child process; build it first with `cargo build --release -p mcp-sansio-benches
//! --bins`), `http` (Streamable HTTP on 127.0.0.1, server and client in this process, as in
//! the bench) or `http2p` (the same with the echo server in a process of its own on the same
//! runtime, as client and server run in practice; build the bins first as for `stdio`).

use std::future::Future;
use std::net::TcpListener;
use std::time::Instant;

use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::Implementation;
use mcp_sansio_benches::{ECHO_TEXT, ECHO_TOOL, echo_server};

fn config() -> ClientConfig {
    ClientConfig::new(Implementation::new("calls", "1.0.0"))
}

async fn calls(client: Client, n: u64) {
    client.connect().await.expect("the client connects");
    let arguments = serde_json::json!({ "text": ECHO_TEXT });
    let start = Instant::now();
    for _ in 0..n {
        let r = client.call_tool(ECHO_TOOL, &arguments).await.expect("echo answers");
        assert_eq!(r.content[0].as_text(), Some(ECHO_TEXT));
    }
    let per_call = start.elapsed() / u32::try_from(n).expect("n fits in u32");
    println!("{n} calls, {per_call:?} per call");
}

/// A client of the benches' echo server as a child process on `$krate`'s runtime (left
/// running: the process ends with this one).
macro_rules! child_client {
    ($krate:ident, $runtime:literal) => {{
        let child =
            $krate::ChildProcess::spawn(echo_command($runtime), config(), ClientHandlers::new())
                .expect("the echo server starts");
        let client = child.client().clone();
        std::mem::forget(child);
        client
    }};
}

/// A client of the benches' echo server serving HTTP in a child process on `$krate`'s
/// runtime; the child goes to `$child`, to be killed when it is dropped.
macro_rules! http2p_client {
    ($krate:ident, $runtime:literal, $child:ident) => {{
        let (server, url) =
            mcp_sansio_benches::HttpServerProcess::spawn(echo_command_path(), &[$runtime, "http"]);
        $child = Some(server);
        let (client, task) =
            $krate::connect_http(&url, config(), ClientHandlers::new()).expect("a client");
        // The connection's loop runs on; the process ends with the calls.
        std::mem::forget(task);
        client
    }};
}

/// The benches' echo server process (built with this example, one directory up).
fn echo_command(runtime: &str) -> mcp_sansio_tokio::ServerCommand {
    mcp_sansio_tokio::ServerCommand::new(echo_command_path()).arg(runtime)
}

fn echo_command_path() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the example's path");
    let dir = exe.parent().and_then(|examples| examples.parent()).expect("target/<profile>");
    dir.join("mcp-sansio-echo-server")
}

fn listener() -> (TcpListener, String) {
    let l = TcpListener::bind("127.0.0.1:0").expect("a port");
    l.set_nonblocking(true).expect("non-blocking");
    let url = format!("http://{}/mcp", l.local_addr().expect("an address"));
    (l, url)
}

fn never() -> impl Future<Output = ()> + Send {
    std::future::pending()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (runtime, transport) = (args[1].as_str(), args[2].as_str());
    let n: u64 = args.get(3).map_or(100_000, |s| s.parse().expect("a count"));
    match (runtime, transport) {
        ("tokio", _) => {
            let mode = args.get(4).map(String::as_str);
            let rt = if mode == Some("single") {
                tokio::runtime::Builder::new_current_thread().enable_all().build()
            } else {
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()
            }
            .expect("a runtime");
            let _entered = rt.enter();
            let mut child = None;
            let client = if transport == "http2p" {
                http2p_client!(mcp_sansio_tokio, "tokio", child)
            } else if transport == "http" {
                let (l, url) = listener();
                let l = tokio::net::TcpListener::from_std(l).expect("a listener");
                let http = HttpConfig::default();
                tokio::spawn(mcp_sansio_tokio::http::serve(l, echo_server(), http, never()));
                let (client, task) =
                    mcp_sansio_tokio::connect_http(&url, config(), ClientHandlers::new())
                        .expect("a client");
                drop(task);
                client
            } else if transport == "stdio" {
                child_client!(mcp_sansio_tokio, "tokio")
            } else {
                let p =
                    mcp_sansio_tokio::memory_pair(echo_server(), config(), ClientHandlers::new())
                        .expect("a pair");
                std::mem::forget((p.server, p.task));
                p.client
            };
            if mode == Some("task") {
                // The caller on a worker, beside the connections (`hyper_floor`'s `task`).
                rt.block_on(tokio::spawn(calls(client, n))).expect("the calls finish");
            } else {
                rt.block_on(calls(client, n));
            }
            drop(child);
        }
        ("smol", _) => {
            let mut child = None;
            let client = if transport == "http2p" {
                http2p_client!(mcp_sansio_smol, "smol", child)
            } else if transport == "http" {
                let (l, url) = listener();
                let l = smol::net::TcpListener::try_from(l).expect("a listener");
                let http = HttpConfig::default();
                smol::spawn(mcp_sansio_smol::http::serve(l, echo_server(), http, never())).detach();
                let (client, task) =
                    mcp_sansio_smol::connect_http(&url, config(), ClientHandlers::new())
                        .expect("a client");
                task.detach();
                client
            } else if transport == "stdio" {
                child_client!(mcp_sansio_smol, "smol")
            } else {
                let p =
                    mcp_sansio_smol::memory_pair(echo_server(), config(), ClientHandlers::new())
                        .expect("a pair");
                std::mem::forget((p.server, p.task));
                p.client
            };
            smol::block_on(calls(client, n));
            drop(child);
        }
        ("async-std", _) => {
            let mut child = None;
            let client = if transport == "http2p" {
                http2p_client!(mcp_sansio_async_std, "async-std", child)
            } else if transport == "http" {
                let (l, url) = listener();
                let l = async_std::net::TcpListener::from(l);
                let http = HttpConfig::default();
                drop(async_std::task::spawn(mcp_sansio_async_std::http::serve(
                    l,
                    echo_server(),
                    http,
                    never(),
                )));
                let (client, task) =
                    mcp_sansio_async_std::connect_http(&url, config(), ClientHandlers::new())
                        .expect("a client");
                drop(task);
                client
            } else if transport == "stdio" {
                child_client!(mcp_sansio_async_std, "async-std")
            } else {
                let p = mcp_sansio_async_std::memory_pair(
                    echo_server(),
                    config(),
                    ClientHandlers::new(),
                )
                .expect("a pair");
                std::mem::forget((p.server, p.task));
                p.client
            };
            async_std::task::block_on(calls(client, n));
            drop(child);
        }
        _ => panic!("usage: calls tokio|smol|async-std memory|stdio|http|http2p [n]"),
    }
}
