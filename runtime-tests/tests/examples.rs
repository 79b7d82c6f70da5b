//! The examples as users run them: the README's quick start over stdio, driven by a client on
//! every runtime.

use std::time::Duration;

use mcp_sansio::client::ClientHandlers;
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::{Implementation, ResourceContents};
use mcp_sansio_rt::ServerCommand;
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};

on_every_runtime!(the_quickstart_answers_as_the_readme_says);

async fn the_quickstart_answers_as_the_readme_says<R: TestRuntime>() {
    let command = ServerCommand::new(env!("CARGO_BIN_EXE_quickstart"));
    let config = ClientConfig::new(Implementation::new("examples-test", "1.0.0"));
    let child = R::spawn_child(command, config, ClientHandlers::new()).unwrap();
    let c = &child.client;
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
    let status = (child.shutdown)(Duration::from_secs(2)).await.unwrap();
    assert!(status.success(), "the server exits by itself when its stdin closes: {status}");
}
