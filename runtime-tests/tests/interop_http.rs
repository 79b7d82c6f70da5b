//! Interop with the official SDKs over Streamable HTTP, both directions, on every runtime:
//!
//! - the Python and TypeScript SDK clients (their Streamable HTTP client transports) drive our
//!   `everything` server, started as `everything http --bind 127.0.0.1:<port>` — stateful (an
//!   `Mcp-Session-Id` session for ≤ 2025-11-25, stateless 2026-07-28 on the same endpoint) and
//!   with `--stateless`;
//! - our client (each runtime crate's `connect_http`) drives the SDK peer servers, started as
//!   `server.py --http <port> [--stateless]` / `server.mjs --http <port> [--stateless]`, with
//!   the scenario list of `support/our_client.rs` (the one `interop.rs` runs over stdio).
//!
//! The peers live in `interop/` and are installed by `interop/setup.sh` (which `scripts/test`
//! runs first) at the versions pinned there. Everything talks to 127.0.0.1 only, on free ports;
//! every server is killed when its test ends, also on failure.

#[path = "support/bins.rs"]
mod bins;
#[path = "support/our_client.rs"]
mod our_client;
#[path = "support/peers.rs"]
mod peers;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use bins::everything;
use futures_util::FutureExt;
use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::{CallOptions, ClientHandlers};
use mcp_sansio::driver::CallError;
use mcp_sansio::types::CreateMessageResult;
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};
use our_client::{LEGACY, Scenarios};
use peers::{ChildGuard, PeerClient, Report, drain, python, repo, typescript};
use serde_json::json;

on_every_runtime!(
    python_sdk_client_legacy,
    python_sdk_client_2026_07_28,
    python_sdk_client_auto,
    typescript_sdk_client,
    python_sdk_client_legacy_stateless,
    python_sdk_client_2026_07_28_stateless,
    typescript_sdk_client_stateless,
    our_client_python_sdk_server_legacy,
    our_client_python_sdk_server_2026_07_28,
    our_client_python_sdk_server_stateless_legacy,
    our_client_python_sdk_server_stateless_2026_07_28,
    our_client_typescript_sdk_server_legacy,
    our_client_typescript_sdk_server_all_versions,
    our_client_typescript_sdk_server_stateless_legacy,
    our_client_typescript_sdk_server_stateless_all_versions,
    python_sdk_server_stateless_has_no_back_channel,
    typescript_sdk_server_stateless_drops_answers,
);

/// Scenarios of the `all` group that cannot pass against `everything http --stateless` with a
/// ≤ 2025-11-25 client. Each needs a server→client request (`sampling/createMessage`,
/// `elicitation/create`) in the middle of a `tools/call`:
///
/// 1. Without a session the server has no record of the client's `initialize`: every POST is a
///    connection of its own, pre-initialized at the `MCP-Protocol-Version` of its header, with
///    no client capabilities. So it does not know that the client declared `sampling` /
///    `elicitation`, and the tool ends with `isError: true`, "request not sent:
///    sampling/createMessage needs the peer's sampling capability, which it did not declare".
/// 2. Even if it sent the request (down the SSE response of the `tools/call` POST, which both
///    SDKs read and answer), the answer comes back as a POST of its own, which a stateless
///    server cannot tie to the pending call: it gets 202 and is dropped ("response to unknown
///    request id").
///
/// 2026-07-28 has no such problem (client capabilities ride in every request's `_meta`, and
/// sampling/elicitation are `input_required` results retried by the client), so the Python
/// client in 2026-07-28 mode runs them all against the stateless server too.
const NEED_SERVER_TO_CLIENT_REQUESTS: [&str; 3] =
    ["test_sampling", "test_elicitation", "test_elicitation_sep1034_defaults"];

/// A server on a free loopback port (`everything http` or an SDK peer server); killed when
/// dropped (also when a test fails).
struct HttpServer {
    child: ChildGuard,
    url: String,
    stderr: mpsc::Receiver<String>,
}

impl HttpServer {
    /// `everything http` of runtime crate `runtime`, stateful or `--stateless`.
    fn everything(runtime: &str, stateless: bool) -> HttpServer {
        HttpServer::start(&format!("everything http ({runtime})"), |port| {
            let mut cmd = Command::new(everything(runtime));
            cmd.args(["http", "--bind", &format!("127.0.0.1:{port}")]);
            if stateless {
                cmd.arg("--stateless");
            }
            cmd
        })
    }

    /// Runs `command(port)` for a free port until it listens there.
    fn start(what: &str, command: impl Fn(u16) -> Command) -> HttpServer {
        // Another process may take the port between our probe and the server's bind: try again.
        let mut failures = Vec::new();
        for _ in 0..3 {
            let port = {
                let probe = TcpListener::bind("127.0.0.1:0").expect("a free port");
                probe.local_addr().expect("its address").port()
            };
            let mut cmd = command(port);
            cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
            let mut child = ChildGuard(cmd.spawn().expect("the server starts"));
            let stderr = drain(child.0.stderr.take().expect("piped"));
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                    return HttpServer { child, url: format!("http://{addr}/mcp"), stderr };
                }
                if let Some(status) = child.0.try_wait().expect("wait") {
                    let log = stderr.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
                    failures.push(format!("port {port}: exited with {status}: {log}"));
                    break;
                }
                if Instant::now() > deadline {
                    failures.push(format!("port {port}: not listening after 20 s"));
                    break; // the guard kills it
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("{what} did not start: {failures:#?}");
    }

    /// Checks that the server is still running (it did not crash under the client), stops it
    /// and returns its log.
    fn stop(mut self) -> String {
        let running = matches!(self.child.0.try_wait(), Ok(None));
        let _ = self.child.0.kill();
        let _ = self.child.0.wait();
        let log = self.stderr.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
        assert!(running, "the server exited during the run; its log:\n{log}");
        log
    }

    /// Sends SIGTERM and waits for the server to exit (5 s at most, then it is killed): its
    /// exit status (`None` if it had to be killed or had exited already) and its log.
    fn terminate(mut self) -> (Option<ExitStatus>, String) {
        let running = matches!(self.child.0.try_wait(), Ok(None));
        let mut status = None;
        if running {
            let pid = libc::pid_t::try_from(self.child.0.id()).expect("a pid");
            // SAFETY: kill(2) on our own child, which has not been reaped (try_wait said it
            // is running), so the pid is still its.
            unsafe { libc::kill(pid, libc::SIGTERM) };
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Some(s) = self.child.0.try_wait().expect("wait") {
                    status = Some(s);
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        drop(self.child); // kills it if it is still running
        let log = self.stderr.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
        (status, log)
    }
}

enum Expect {
    /// An `Mcp-Session-Id` session (≤ 2025-11-25 against the stateful server).
    Session,
    /// No session: 2026-07-28, or the `--stateless` server.
    NoSession,
}

/// Runs `client` with `--url` against a fresh server: every scenario of the `all` group but
/// `skip` must be reported and pass, `protocol` must be the version negotiated.
fn run<R: TestRuntime>(
    client: PeerClient,
    stateless: bool,
    skip: &[&str],
    protocol: &str,
    session: Expect,
) {
    let scenarios: Vec<String> =
        client.scenarios("all").into_iter().filter(|s| !skip.contains(&s.as_str())).collect();
    let server = HttpServer::everything(R::NAME, stateless);
    let only = scenarios.join(",");
    let report: Report = client.run(["--url", server.url.as_str(), "--only", only.as_str()]);
    let log = server.stop();
    let context = format!("server log:\n{log}");
    report.assert_all_passed(&scenarios, &context);

    let init = report.get("initialize");
    let detail = init["detail"].as_str().unwrap_or_default();
    assert!(detail.starts_with(&format!("protocol {protocol},")), "{detail}\n{context}");
    match session {
        Expect::Session => assert!(
            init["session"].as_str().is_some_and(|s| !s.is_empty()),
            "no Mcp-Session-Id: {init}\n{context}"
        ),
        Expect::NoSession => assert!(init["session"].is_null(), "a session: {init}\n{context}"),
    }
}

// ----- SDK clients → `everything http`: sessions for ≤ 2025-11-25, stateless 2026-07-28 -----

async fn python_sdk_client_legacy<R: TestRuntime>() {
    run::<R>(PeerClient::Python("legacy"), false, &[], "2025-11-25", Expect::Session);
}

async fn python_sdk_client_2026_07_28<R: TestRuntime>() {
    run::<R>(PeerClient::Python("modern"), false, &[], "2026-07-28", Expect::NoSession);
}

async fn python_sdk_client_auto<R: TestRuntime>() {
    // `server/discover` succeeds on the same endpoint, so auto lands on 2026-07-28.
    run::<R>(PeerClient::Python("auto"), false, &[], "2026-07-28", Expect::NoSession);
}

async fn typescript_sdk_client<R: TestRuntime>() {
    run::<R>(PeerClient::TypeScript, false, &[], "2025-11-25", Expect::Session);
}

// ----- SDK clients → `everything http --stateless`: no sessions, no GET stream -----

async fn python_sdk_client_legacy_stateless<R: TestRuntime>() {
    let skip = NEED_SERVER_TO_CLIENT_REQUESTS;
    run::<R>(PeerClient::Python("legacy"), true, &skip, "2025-11-25", Expect::NoSession);
}

async fn python_sdk_client_2026_07_28_stateless<R: TestRuntime>() {
    run::<R>(PeerClient::Python("modern"), true, &[], "2026-07-28", Expect::NoSession);
}

async fn typescript_sdk_client_stateless<R: TestRuntime>() {
    let skip = NEED_SERVER_TO_CLIENT_REQUESTS;
    run::<R>(PeerClient::TypeScript, true, &skip, "2025-11-25", Expect::NoSession);
}

// ----- our client (`connect_http`) → the SDK peer servers -----

/// An SDK peer server of `interop/`, served over Streamable HTTP.
#[derive(Clone, Copy, Debug)]
enum PeerServer {
    /// `interop/python/server.py --http PORT [--stateless]` (the SDK's Streamable HTTP app on
    /// uvicorn; serves 2026-07-28 on the same endpoint, stateful or not).
    Python,
    /// `node interop/typescript/server.mjs --http PORT [--stateless]`
    /// (`StreamableHTTPServerTransport` in the SDK's express app; ≤ 2025-11-25 only).
    TypeScript,
}

impl PeerServer {
    fn start(self, stateless: bool) -> HttpServer {
        HttpServer::start(&format!("{self:?} peer server"), |port| {
            let mut cmd = match self {
                PeerServer::Python => {
                    let mut c = Command::new(python());
                    c.arg(repo().join("interop/python/server.py"));
                    c
                }
                PeerServer::TypeScript => {
                    let mut c = Command::new("node");
                    c.arg(typescript("server.mjs"));
                    c
                }
            };
            cmd.args(["--http", &port.to_string()]);
            if stateless {
                cmd.arg("--stateless");
            }
            cmd
        })
    }

    fn name(self) -> &'static str {
        match self {
            PeerServer::Python => "interop-python-server",
            PeerServer::TypeScript => "interop-typescript-server",
        }
    }
}

/// Runs the scenarios of `support/our_client.rs` with our HTTP client against a fresh `server`
/// (stateful, or `--stateless`), all but `skip`; `version` must be negotiated and `session` be
/// how it went. Then the client closes (DELETE for a session: the server must log
/// `HTTP DELETE /mcp 200`), its loop must end, and the server must exit 0 on SIGTERM.
async fn run_ours<R: TestRuntime>(
    server: PeerServer,
    stateless: bool,
    versions: &[ProtocolVersion],
    version: ProtocolVersion,
    skip: &[&'static str],
    session: Expect,
) {
    let http = server.start(stateless);
    let url = http.url.clone();
    let scenarios = Scenarios::new(versions);
    let expect = our_client::Expect { version, server: server.name() };
    // A failed assertion is caught, so that the server's log can be shown with it.
    let run = async {
        let (client, task) =
            R::connect_http(&url, scenarios.config(), scenarios.handlers()).expect("connect_http");
        scenarios.drive::<R>(&client, &expect, skip).await;
        client.close().await;
        R::timeout(Duration::from_secs(10), task)
            .await
            .expect("the client's loop ends after close()");
    };
    let outcome = std::panic::AssertUnwindSafe(R::timeout(Duration::from_secs(150), run))
        .catch_unwind()
        .await;
    let (status, log) = http.terminate();
    match outcome {
        Ok(Some(())) => {}
        Ok(None) => panic!("the run did not end in 150 s\n{server:?} server log:\n{log}"),
        Err(panic) => {
            eprintln!("{server:?} server log:\n{log}");
            std::panic::resume_unwind(panic)
        }
    }
    let context = format!("{server:?} server log:\n{log}");
    assert!(status.is_some_and(|s| s.success()), "exit on SIGTERM: {status:?}\n{context}");

    let deleted = log.contains("HTTP DELETE /mcp 200");
    let streamed = log.contains("HTTP GET /mcp 200");
    match session {
        // A session: the GET stream was opened, and close() ended the session.
        Expect::Session => {
            assert!(deleted && streamed, "GET {streamed}, DELETE {deleted}\n{context}")
        }
        // No session: nothing to stream from or to delete.
        Expect::NoSession => assert!(
            !log.contains("HTTP DELETE") && !log.contains("HTTP GET"),
            "a GET or DELETE without a session\n{context}"
        ),
    }
}

/// Scenarios that cannot pass with a ≤ 2025-11-25 client against either SDK's server in
/// stateless mode: each needs a server→client request (`sampling/createMessage`,
/// `elicitation/create`) in the middle of a `tools/call`, and the answer to it would be a POST
/// of its own, which a stateless server cannot tie to the pending call.
///
/// - Python (`mcp` 2.3.0): the stateless connection is built with `can_send_request=False`,
///   so the tool fails at once: JSON-RPC error -32600 "Cannot send 'sampling/createMessage':
///   this transport context has no back-channel for server-initiated requests"
///   (`python_sdk_server_stateless_has_no_back_channel` checks it).
/// - TypeScript (1.32.2): the request does go out on the `tools/call` POST's SSE stream and
///   our client answers it, but the answer's POST reaches a fresh server and transport that
///   never sent it (202, dropped), so the tool waits for the SDK's 60 s request timeout
///   (`typescript_sdk_server_stateless_drops_answers` checks it, with a short timeout).
///
/// 2026-07-28 has no such problem (the Python server's sampling/elicitation are MRTR
/// `input_required` results that the client retries), so with every version the Python
/// stateless server passes them all.
const SERVER_TO_CLIENT_REQUESTS: [&str; 3] =
    ["test_sampling", "test_elicitation", "test_elicitation_sep1034_defaults"];

async fn our_client_python_sdk_server_legacy<R: TestRuntime>() {
    let v = ProtocolVersion::V2025_11_25;
    run_ours::<R>(PeerServer::Python, false, LEGACY, v, &[], Expect::Session).await;
}

async fn our_client_python_sdk_server_2026_07_28<R: TestRuntime>() {
    // `server/discover` (POST, `MCP-Protocol-Version: 2026-07-28`) is served statelessly on the
    // same endpoint: no session, sampling/elicitation as MRTR, no subscribe/ping (not in 2026).
    let v = ProtocolVersion::V2026_07_28;
    run_ours::<R>(PeerServer::Python, false, &ProtocolVersion::ALL, v, &[], Expect::NoSession)
        .await;
}

async fn our_client_python_sdk_server_stateless_legacy<R: TestRuntime>() {
    let (v, skip) = (ProtocolVersion::V2025_11_25, &SERVER_TO_CLIENT_REQUESTS);
    run_ours::<R>(PeerServer::Python, true, LEGACY, v, skip, Expect::NoSession).await;
}

async fn our_client_python_sdk_server_stateless_2026_07_28<R: TestRuntime>() {
    let v = ProtocolVersion::V2026_07_28;
    run_ours::<R>(PeerServer::Python, true, &ProtocolVersion::ALL, v, &[], Expect::NoSession).await;
}

async fn our_client_typescript_sdk_server_legacy<R: TestRuntime>() {
    let v = ProtocolVersion::V2025_11_25;
    run_ours::<R>(PeerServer::TypeScript, false, LEGACY, v, &[], Expect::Session).await;
}

async fn our_client_typescript_sdk_server_all_versions<R: TestRuntime>() {
    // No 2026-07-28 in the SDK 1.x: `server/discover` without a session id is refused with
    // HTTP 400 (only an initialize may open a session); the client falls back to initialize.
    let v = ProtocolVersion::V2025_11_25;
    run_ours::<R>(PeerServer::TypeScript, false, &ProtocolVersion::ALL, v, &[], Expect::Session)
        .await;
}

async fn our_client_typescript_sdk_server_stateless_legacy<R: TestRuntime>() {
    let (v, skip) = (ProtocolVersion::V2025_11_25, &SERVER_TO_CLIENT_REQUESTS);
    run_ours::<R>(PeerServer::TypeScript, true, LEGACY, v, skip, Expect::NoSession).await;
}

async fn our_client_typescript_sdk_server_stateless_all_versions<R: TestRuntime>() {
    // `server/discover` gets HTTP 400 (the transport refuses `MCP-Protocol-Version:
    // 2026-07-28`); the client falls back to initialize.
    let (v, skip) = (ProtocolVersion::V2025_11_25, &SERVER_TO_CLIENT_REQUESTS);
    run_ours::<R>(PeerServer::TypeScript, true, &ProtocolVersion::ALL, v, skip, Expect::NoSession)
        .await;
}

// ----- why SERVER_TO_CLIENT_REQUESTS cannot work statelessly (≤ 2025-11-25) -----

/// Our client (legacy, with a sampling handler that counts its calls) against `server
/// --stateless`: calls `test_sampling` with a 3 s timeout and returns the outcome, how often
/// the handler ran, and the server's log.
async fn sampling_against_stateless<R: TestRuntime>(
    server: PeerServer,
) -> (Result<String, CallError>, usize, String) {
    let http = server.start(true);
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let handlers = ClientHandlers::new().on_sampling(false, move |_p| {
        counter.fetch_add(1, Ordering::SeqCst);
        async move {
            let r = json!({"role": "assistant", "model": "test-model", "stopReason": "endTurn",
                "content": {"type": "text", "text": "This is a test response"}});
            Ok::<CreateMessageResult, _>(serde_json::from_value(r).unwrap())
        }
    });
    let scenarios = Scenarios::new(LEGACY);
    let outcome = async {
        let (client, task) = R::connect_http(&http.url, scenarios.config(), handlers).unwrap();
        let info = client.connect().await.expect("connect");
        assert_eq!(info.protocol_version, ProtocolVersion::V2025_11_25);
        let options =
            CallOptions { timeout: Some(Duration::from_secs(3)), ..CallOptions::default() };
        let args = json!({"prompt": "Test prompt for sampling"});
        let outcome = client.call_tool_with("test_sampling", args, options).await;
        client.close().await;
        let _ = R::timeout(Duration::from_secs(10), task).await;
        outcome.map(|r| format!("{r:?}"))
    }
    .await;
    let (_, log) = http.terminate();
    (outcome, calls.load(Ordering::SeqCst), log)
}

async fn python_sdk_server_stateless_has_no_back_channel<R: TestRuntime>() {
    // The SDK refuses to send the request at all: the tool fails at once with -32600, and
    // our sampling handler never runs.
    let (outcome, calls, log) = sampling_against_stateless::<R>(PeerServer::Python).await;
    let Err(CallError::Error(e)) = &outcome else { panic!("{outcome:?}\n{log}") };
    assert_eq!(e.code.0, -32600, "{e:?}");
    assert!(e.message.contains("no back-channel"), "{e:?}");
    assert_eq!(calls, 0);
}

async fn typescript_sdk_server_stateless_drops_answers<R: TestRuntime>() {
    // The SDK sends the request down the tools/call POST's SSE stream and our handler answers
    // it, but the answer's POST reaches a server and transport of its own that never sent it
    // (202, dropped): the tool never completes, and our 3 s timeout ends the call.
    let (outcome, calls, log) = sampling_against_stateless::<R>(PeerServer::TypeScript).await;
    assert!(matches!(outcome, Err(CallError::TimedOut)), "{outcome:?}\n{log}");
    assert_eq!(calls, 1, "{log}");
    assert!(log.contains("Received a response for an unknown message ID"), "{log}");
}
