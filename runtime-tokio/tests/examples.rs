//! The examples as users run them: the quick start over stdio, and the child-process shutdown
//! sequence the spec prescribes.

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mcp_sansio::client::ClientHandlers;
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::{Implementation, ResourceContents};
use mcp_sansio_tokio::{ChildProcess, ServerCommand, Stderr};

fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let dir = exe.parent().and_then(Path::parent).expect("target/<profile>");
    dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn config() -> ClientConfig {
    ClientConfig::new(Implementation::new("examples-test", "1.0.0"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_answers_as_the_readme_says() {
    let child = ChildProcess::spawn(
        ServerCommand::new(example("quickstart")),
        config(),
        ClientHandlers::new(),
    )
    .unwrap();
    let c = child.client().clone();
    let info = c.connect().await.unwrap();
    assert_eq!(info.implementation.unwrap().name, "Demo");
    let r = c.call_tool("add", serde_json::json!({"a": 1, "b": 2})).await.unwrap();
    assert_eq!(r.content[0].as_text(), Some("3"));
    let r = c.read_resource("greeting://Alice").await.unwrap();
    assert!(matches!(&r.contents[0], ResourceContents::Text(t) if t.text == "Hello, Alice!"));
    let r = c
        .get_prompt(
            "greet_user",
            [("name".into(), "Bob".into()), ("style".into(), "formal".into())],
        )
        .await
        .unwrap();
    let text =
        serde_json::to_value(&r.messages[0].content).unwrap()["text"].as_str().unwrap().to_owned();
    assert_eq!(text, "Please write a formal, professional greeting for someone named Bob.");
    let status = child.shutdown(Duration::from_secs(2)).await.unwrap();
    assert!(status.success(), "the server exits by itself when its stdin closes: {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_escalates_to_sigterm_then_sigkill() {
    // Ignores stdin closing, dies on SIGTERM.
    let cmd = ServerCommand::new("sleep").arg("30").stderr(Stderr::Null);
    let child = ChildProcess::spawn(cmd, config(), ClientHandlers::new()).unwrap();
    let start = Instant::now();
    let status = child.shutdown(Duration::from_millis(200)).await.unwrap();
    assert_eq!(status.signal(), Some(libc_sigterm()), "{status}");
    assert!(start.elapsed() < Duration::from_secs(5));

    // Ignores stdin closing and SIGTERM: SIGKILL ends it.
    let cmd = ServerCommand::new("sh")
        .args(["-c", "trap '' TERM; sleep 30 & wait; sleep 30"])
        .stderr(Stderr::Null);
    let child = ChildProcess::spawn(cmd, config(), ClientHandlers::new()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let status = child.shutdown(Duration::from_millis(200)).await.unwrap();
    assert_eq!(status.signal(), Some(9), "{status}");
}

fn libc_sigterm() -> i32 {
    15
}
