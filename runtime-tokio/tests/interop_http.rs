//! Interop with the official SDKs over Streamable HTTP: the Python and TypeScript SDK clients
//! (their Streamable HTTP client transports) drive our `everything` server, started as
//! `everything http --bind 127.0.0.1:<port>` — stateful (an `Mcp-Session-Id` session for
//! ≤ 2025-11-25, stateless 2026-07-28 on the same endpoint) and with `--stateless`.
//!
//! The peers live in `interop/` and are installed by `interop/setup.sh` (which `scripts/test`
//! runs first) at the versions pinned there. Everything talks to 127.0.0.1 only.

#[path = "support/peers.rs"]
mod peers;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use peers::{ChildGuard, PeerClient, Report, drain, everything};

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

/// `everything http` on a free loopback port; killed when dropped (also when a test fails).
struct HttpServer {
    child: ChildGuard,
    url: String,
    stderr: mpsc::Receiver<String>,
}

impl HttpServer {
    fn start(stateless: bool) -> HttpServer {
        // Another process may take the port between our probe and the server's bind: try again.
        let mut failures = Vec::new();
        for _ in 0..3 {
            let port = {
                let probe = TcpListener::bind("127.0.0.1:0").expect("a free port");
                probe.local_addr().expect("its address").port()
            };
            let mut cmd = Command::new(everything());
            cmd.args(["http", "--bind", &format!("127.0.0.1:{port}")]);
            if stateless {
                cmd.arg("--stateless");
            }
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
        panic!("everything http did not start: {failures:#?}");
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
}

enum Expect {
    /// An `Mcp-Session-Id` session (≤ 2025-11-25 against the stateful server).
    Session,
    /// No session: 2026-07-28, or the `--stateless` server.
    NoSession,
}

/// Runs `client` with `--url` against a fresh server: every scenario of the `all` group but
/// `skip` must be reported and pass, `protocol` must be the version negotiated.
fn run(client: PeerClient, stateless: bool, skip: &[&str], protocol: &str, session: Expect) {
    let scenarios: Vec<String> =
        client.scenarios("all").into_iter().filter(|s| !skip.contains(&s.as_str())).collect();
    let server = HttpServer::start(stateless);
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

// ----- the stateful server: sessions for ≤ 2025-11-25, stateless 2026-07-28 -----

#[test]
fn python_sdk_client_legacy() {
    run(PeerClient::Python("legacy"), false, &[], "2025-11-25", Expect::Session);
}

#[test]
fn python_sdk_client_2026_07_28() {
    run(PeerClient::Python("modern"), false, &[], "2026-07-28", Expect::NoSession);
}

#[test]
fn python_sdk_client_auto() {
    // `server/discover` succeeds on the same endpoint, so auto lands on 2026-07-28.
    run(PeerClient::Python("auto"), false, &[], "2026-07-28", Expect::NoSession);
}

#[test]
fn typescript_sdk_client() {
    run(PeerClient::TypeScript, false, &[], "2025-11-25", Expect::Session);
}

// ----- `everything http --stateless`: no sessions, no GET stream -----

#[test]
fn python_sdk_client_legacy_stateless() {
    let skip = NEED_SERVER_TO_CLIENT_REQUESTS;
    run(PeerClient::Python("legacy"), true, &skip, "2025-11-25", Expect::NoSession);
}

#[test]
fn python_sdk_client_2026_07_28_stateless() {
    run(PeerClient::Python("modern"), true, &[], "2026-07-28", Expect::NoSession);
}

#[test]
fn typescript_sdk_client_stateless() {
    let skip = NEED_SERVER_TO_CLIENT_REQUESTS;
    run(PeerClient::TypeScript, true, &skip, "2025-11-25", Expect::NoSession);
}
