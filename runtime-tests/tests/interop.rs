//! Interop with the official SDKs over stdio, both directions, on every runtime: the Python and TypeScript SDK
//! clients drive our `everything` server, and our client drives servers written with each SDK.
//!
//! The peers live in `interop/` and are installed by `interop/setup.sh` (which `scripts/test`
//! runs first) at the versions pinned there. `interop_http.rs` does the same over Streamable
//! HTTP; `support/peers.rs` (the SDK peers) and `support/our_client.rs` (our client's scenario
//! list) are shared by both.

#[path = "support/bins.rs"]
mod bins;
#[path = "support/our_client.rs"]
mod our_client;
#[path = "support/peers.rs"]
mod peers;

use std::time::Duration;

use bins::everything;
use mcp_sansio::ProtocolVersion;
use mcp_sansio_rt::{ServerCommand, Stderr};
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};
use our_client::{Expect, LEGACY, Scenarios};
use peers::{PeerClient, python, repo, typescript};

on_every_runtime!(
    python_sdk_client_legacy,
    python_sdk_client_2026_07_28,
    python_sdk_client_auto,
    typescript_sdk_client,
    our_client_python_sdk_server_legacy,
    our_client_python_sdk_server_2026_07_28,
    our_client_typescript_sdk_server
);

/// Runs an SDK client against our server (on runtime `R`) over stdio: every scenario of the
/// `all` group must be reported and pass, and `protocol` must be the version negotiated.
fn run_peer_client<R: TestRuntime>(client: PeerClient, protocol: &str) {
    let expected = client.scenarios("all");
    let server = everything(R::NAME);
    let report = client.run(["all".as_ref(), "--".as_ref(), server.as_os_str(), "stdio".as_ref()]);
    report.assert_all_passed(&expected, "");
    let detail = report.get("initialize")["detail"].as_str().unwrap_or_default();
    assert!(detail.starts_with(&format!("protocol {protocol},")), "{detail}");
}

async fn python_sdk_client_legacy<R: TestRuntime>() {
    run_peer_client::<R>(PeerClient::Python("legacy"), "2025-11-25");
}

async fn python_sdk_client_2026_07_28<R: TestRuntime>() {
    run_peer_client::<R>(PeerClient::Python("modern"), "2026-07-28");
}

async fn python_sdk_client_auto<R: TestRuntime>() {
    run_peer_client::<R>(PeerClient::Python("auto"), "2026-07-28");
}

async fn typescript_sdk_client<R: TestRuntime>() {
    run_peer_client::<R>(PeerClient::TypeScript, "2025-11-25");
}

// ----- our client against the SDKs' servers -----

/// Runs the scenarios of `support/our_client.rs` with our stdio client against `server`, then
/// shuts the server down (stdin closed; it must exit by itself).
async fn drive<R: TestRuntime>(
    server: ServerCommand,
    versions: &[ProtocolVersion],
    expect: Expect,
) {
    let run = Scenarios::new(versions);
    let child = R::spawn_child(server.stderr(Stderr::Null), run.config(), run.handlers())
        .expect("the server starts");
    run.drive::<R>(&child.client, &expect, &[]).await;
    let status = (child.shutdown)(Duration::from_secs(2)).await.unwrap();
    assert!(status.success() || status.code().is_none(), "server exit: {status}");
}

fn python_server() -> ServerCommand {
    ServerCommand::new(python()).arg(repo().join("interop/python/server.py"))
}

const PYTHON: &str = "interop-python-server";
const TYPESCRIPT: &str = "interop-typescript-server";

async fn our_client_python_sdk_server_legacy<R: TestRuntime>() {
    let expect = Expect { version: ProtocolVersion::V2025_11_25, server: PYTHON };
    drive::<R>(python_server(), LEGACY, expect).await;
}

async fn our_client_python_sdk_server_2026_07_28<R: TestRuntime>() {
    let expect = Expect { version: ProtocolVersion::V2026_07_28, server: PYTHON };
    drive::<R>(python_server(), &ProtocolVersion::ALL, expect).await;
}

async fn our_client_typescript_sdk_server<R: TestRuntime>() {
    // The TypeScript SDK 1.x has no 2026-07-28: discovery fails and the client falls back.
    let server = ServerCommand::new("node").arg(typescript("server.mjs"));
    let expect = Expect { version: ProtocolVersion::V2025_11_25, server: TYPESCRIPT };
    drive::<R>(server, &ProtocolVersion::ALL, expect).await;
}
