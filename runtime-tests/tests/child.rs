//! A client spawning its server as a child process over stdio, and the spec's shutdown
//! sequence, on every runtime (the server runs on the same runtime as the client).

use std::time::{Duration, Instant};

use mcp_sansio::client::ClientHandlers;
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::Implementation;
use mcp_sansio_rt::{ServerCommand, Stderr};
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};

on_every_runtime!(
    a_stdio_server_answers_and_exits_when_its_stdin_closes,
    a_server_ignoring_stdin_is_terminated,
    a_server_ignoring_sigterm_is_killed
);

fn config() -> ClientConfig {
    ClientConfig::new(Implementation::new("child-test", "1.0.0"))
}

async fn a_stdio_server_answers_and_exits_when_its_stdin_closes<R: TestRuntime>() {
    let command = ServerCommand::new(env!("CARGO_BIN_EXE_stdio_server")).arg(R::NAME);
    let child = R::spawn_child(command, config(), ClientHandlers::new()).unwrap();
    let info = child.client.connect().await.unwrap();
    assert_eq!(info.implementation.unwrap().name, "stdio-server");
    let r = child.client.call_tool("echo", serde_json::json!({"text": "hi"})).await.unwrap();
    assert_eq!(r.content[0].as_text(), Some("hi"));
    // Closing stdin is enough: the server exits on its own, well within the grace period.
    let started = Instant::now();
    let status = (child.shutdown)(Duration::from_secs(10)).await.unwrap();
    assert!(status.success(), "{status:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "the server ignored its closed stdin");
}

async fn a_server_ignoring_stdin_is_terminated<R: TestRuntime>() {
    let command = ServerCommand::new("sleep").arg("30").stderr(Stderr::Null);
    let child = R::spawn_child(command, config(), ClientHandlers::new()).unwrap();
    let status = (child.shutdown)(Duration::from_millis(200)).await.unwrap();
    // `sleep` does not read stdin; SIGTERM ends it.
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(15), "{status:?}");
    }
}

async fn a_server_ignoring_sigterm_is_killed<R: TestRuntime>() {
    // Ignores stdin closing and SIGTERM (the trap is set before the shell answers anything).
    let command = ServerCommand::new("sh")
        .args(["-c", "trap '' TERM; sleep 30 & wait; sleep 30"])
        .stderr(Stderr::Null);
    let child = R::spawn_child(command, config(), ClientHandlers::new()).unwrap();
    R::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let status = (child.shutdown)(Duration::from_millis(200)).await.unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "{status:?}");
    }
    assert!(started.elapsed() < Duration::from_secs(5));
}
