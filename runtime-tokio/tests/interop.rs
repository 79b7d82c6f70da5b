//! Interop with the official SDKs over stdio, both directions: the Python and TypeScript SDK
//! clients drive our `everything` server, and our client drives servers written with each SDK.
//!
//! The peers live in `interop/` and are installed by `interop/setup.sh` (which `scripts/test`
//! runs first) at the versions pinned there. `interop_http.rs` runs the same SDK clients over
//! Streamable HTTP; `support/peers.rs` is shared by both.

#[path = "support/peers.rs"]
mod peers;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::{CallOptions, Client, ClientHandlers};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::{
    CompleteRequestParams, ContentBlock, CreateMessageResult, ElicitRequestParams, ElicitResult,
    Implementation, LoggingLevel, ResourceContents,
};
use mcp_sansio_tokio::{ChildProcess, ServerCommand, Stderr};
use peers::{PeerClient, everything, python, repo, typescript};
use serde_json::json;

/// Runs an SDK client against our server over stdio: every scenario of the `all` group must
/// be reported and pass, and `protocol` must be the version negotiated.
fn run_peer_client(client: PeerClient, protocol: &str) {
    let expected = client.scenarios("all");
    let report =
        client.run(["all".as_ref(), "--".as_ref(), everything().as_os_str(), "stdio".as_ref()]);
    report.assert_all_passed(&expected, "");
    let detail = report.get("initialize")["detail"].as_str().unwrap_or_default();
    assert!(detail.starts_with(&format!("protocol {protocol},")), "{detail}");
}

#[test]
fn python_sdk_client_legacy() {
    run_peer_client(PeerClient::Python("legacy"), "2025-11-25");
}

#[test]
fn python_sdk_client_2026_07_28() {
    run_peer_client(PeerClient::Python("modern"), "2026-07-28");
}

#[test]
fn python_sdk_client_auto() {
    run_peer_client(PeerClient::Python("auto"), "2026-07-28");
}

#[test]
fn typescript_sdk_client() {
    run_peer_client(PeerClient::TypeScript, "2025-11-25");
}

// ----- our client against the SDKs' servers -----

fn handlers(logs: Arc<Mutex<Vec<String>>>) -> ClientHandlers {
    ClientHandlers::new()
        .on_sampling(false, |_p| async move {
            let r = json!({"role": "assistant", "model": "test-model", "stopReason": "endTurn",
                "content": {"type": "text", "text": "This is a test response"}});
            Ok::<CreateMessageResult, _>(serde_json::from_value(r).unwrap())
        })
        .on_elicitation(false, |p: ElicitRequestParams| async move {
            let wants_user = serde_json::to_value(&p)
                .unwrap()
                .pointer("/requestedSchema/properties/username")
                .is_some();
            // For the defaults form, accept with nothing filled in: the client adds the defaults.
            let content = if wants_user {
                json!({"username": "testuser", "email": "test@example.com"})
            } else {
                json!({})
            };
            Ok::<ElicitResult, _>(
                serde_json::from_value(json!({"action": "accept", "content": content})).unwrap(),
            )
        })
        .on_log(move |m| logs.lock().unwrap().push(m.data.to_string()))
}

fn text(blocks: &[ContentBlock]) -> String {
    blocks.iter().filter_map(ContentBlock::as_text).collect::<Vec<_>>().join("\n")
}

fn block_type(b: &ContentBlock) -> String {
    serde_json::to_value(b).unwrap()["type"].as_str().unwrap().to_owned()
}

async fn drive(
    server: ServerCommand,
    versions: &[ProtocolVersion],
    expect: ProtocolVersion,
    expect_name: &str,
) {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let mut config = ClientConfig::new(Implementation::new("mcp-sansio-interop", "0.1.0"));
    config.versions = versions.to_vec();
    let child = ChildProcess::spawn(server.stderr(Stderr::Null), config, handlers(logs.clone()))
        .expect("the server starts");
    let c: Client = child.client().clone();

    let info = c.connect().await.expect("connect");
    assert_eq!(info.protocol_version, expect);
    assert_eq!(info.implementation.as_ref().unwrap().name, expect_name);
    let legacy = expect.era() == mcp_sansio::Era::Legacy;

    // Three pages of tools, followed to the end.
    let tools = c.list_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tools.len(), 12, "{names:?}");
    assert!(names.contains(&"add_numbers"));

    let r = c.call_tool("test_simple_text", ()).await.unwrap();
    assert_eq!(text(&r.content), "This is a simple text response for testing.");
    for (tool, kind) in [
        ("test_image_content", "image"),
        ("test_audio_content", "audio"),
        ("test_embedded_resource", "resource"),
    ] {
        let r = c.call_tool(tool, json!({})).await.unwrap();
        assert_eq!(block_type(&r.content[0]), kind, "{tool}");
    }
    let r = c.call_tool("test_multiple_content_types", json!({})).await.unwrap();
    assert!(r.content.len() >= 3);
    let r = c.call_tool("test_error_handling", json!({})).await.unwrap();
    assert_eq!(r.is_error, Some(true));

    c.set_logging_level(LoggingLevel::Debug).await.unwrap();
    let r = c.call_tool("test_tool_with_logging", json!({})).await.unwrap();
    assert!(text(&r.content).contains("successfully"));
    for _ in 0..50 {
        if logs.lock().unwrap().len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(logs.lock().unwrap().len() >= 3, "log messages: {:?}", logs.lock().unwrap());

    let progress = Arc::new(Mutex::new(Vec::new()));
    let p = progress.clone();
    let options = CallOptions {
        on_progress: Some(Box::new(move |v, _, _| p.lock().unwrap().push(v))),
        ..Default::default()
    };
    c.call_tool_with("test_tool_with_progress", json!({}), options).await.unwrap();
    let seen = progress.lock().unwrap().clone();
    assert!(seen.len() >= 3 && seen.windows(2).all(|w| w[0] < w[1]), "progress: {seen:?}");

    let r =
        c.call_tool("test_sampling", json!({"prompt": "Test prompt for sampling"})).await.unwrap();
    assert!(text(&r.content).contains("This is a test response"), "{r:?}");
    let r = c
        .call_tool("test_elicitation", json!({"message": "Please provide your information"}))
        .await
        .unwrap();
    assert!(text(&r.content).contains("testuser"), "{r:?}");
    let r = c.call_tool("test_elicitation_sep1034_defaults", json!({})).await.unwrap();
    assert!(text(&r.content).contains("John Doe"), "{r:?}");

    // Structured output, checked against the tool's outputSchema by the client.
    let r = c.call_tool("add_numbers", json!({"a": 5, "b": 10})).await.unwrap();
    assert_eq!(r.structured_content.as_ref().unwrap()["result"].as_f64(), Some(15.0));

    let resources = c.list_resources().await.unwrap();
    assert!(resources.iter().any(|r| r.uri == "test://static-text"));
    let r = c.read_resource("test://static-text").await.unwrap();
    assert!(
        matches!(&r.contents[0], ResourceContents::Text(t) if t.text == "This is the content of the static text resource.")
    );
    let r = c.read_resource("test://static-binary").await.unwrap();
    assert!(
        matches!(&r.contents[0], ResourceContents::Blob(b) if b.mime_type.as_deref() == Some("image/png"))
    );
    let templates = c.list_resource_templates().await.unwrap();
    assert!(templates.iter().any(|t| t.uri_template == "test://template/{id}/data"));
    let r = c.read_resource("test://template/123/data").await.unwrap();
    assert!(matches!(&r.contents[0], ResourceContents::Text(t) if t.text.contains("123")));
    if legacy {
        c.subscribe("test://watched-resource").await.unwrap();
        c.unsubscribe("test://watched-resource").await.unwrap();
    }

    let prompts = c.list_prompts().await.unwrap();
    assert_eq!(prompts.len(), 4);
    let r = c.get_prompt("test_simple_prompt", []).await.unwrap();
    assert_eq!(
        text(&r.messages.iter().map(|m| m.content.clone()).collect::<Vec<_>>()),
        "This is a simple prompt for testing."
    );
    let args = [
        ("arg1".to_string(), "testValue1".to_string()),
        ("arg2".to_string(), "testValue2".to_string()),
    ];
    let r = c.get_prompt("test_prompt_with_arguments", args).await.unwrap();
    let t = text(&r.messages.iter().map(|m| m.content.clone()).collect::<Vec<_>>());
    assert!(t.contains("testValue1") && t.contains("testValue2"), "{t}");
    let r = c
        .get_prompt(
            "test_prompt_with_embedded_resource",
            [("resourceUri".to_string(), "test://example-resource".to_string())],
        )
        .await
        .unwrap();
    assert_eq!(block_type(&r.messages[0].content), "resource");
    let r = c.get_prompt("test_prompt_with_image", []).await.unwrap();
    assert_eq!(block_type(&r.messages[0].content), "image");

    let complete: CompleteRequestParams = serde_json::from_value(json!({
        "ref": {"type": "ref/prompt", "name": "test_prompt_with_arguments"},
        "argument": {"name": "arg1", "value": "test"}
    }))
    .unwrap();
    let r = c.complete(complete).await.unwrap();
    assert_eq!(r.completion.values, ["testValue1", "testValue2"]);

    if legacy {
        c.ping().await.unwrap();
    }
    let status = child.shutdown(Duration::from_secs(2)).await.unwrap();
    assert!(status.success() || status.code().is_none(), "server exit: {status}");
}

fn python_server() -> ServerCommand {
    ServerCommand::new(python()).arg(repo().join("interop/python/server.py"))
}

const LEGACY: &[ProtocolVersion] = &[ProtocolVersion::V2025_06_18, ProtocolVersion::V2025_11_25];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_python_sdk_server_legacy() {
    drive(python_server(), LEGACY, ProtocolVersion::V2025_11_25, "interop-python-server").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_python_sdk_server_2026_07_28() {
    drive(
        python_server(),
        &ProtocolVersion::ALL,
        ProtocolVersion::V2026_07_28,
        "interop-python-server",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_typescript_sdk_server() {
    // The TypeScript SDK 1.x has no 2026-07-28: discovery fails and the client falls back.
    let server = ServerCommand::new("node").arg(typescript("server.mjs"));
    drive(server, &ProtocolVersion::ALL, ProtocolVersion::V2025_11_25, "interop-typescript-server")
        .await;
}
