//! Our client against the official SDKs' servers (`interop/python/server.py`,
//! `interop/typescript/server.mjs`): one scenario list, run on a [`Client`] of any transport.
//! `interop.rs` runs it over stdio (`ChildProcess`), `interop_http.rs` over Streamable HTTP
//! (`connect_http`); the transport's setup and teardown stay there.
//!
//! Included with `#[path = "support/our_client.rs"] mod our_client;`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mcp_sansio::client::{CallOptions, Client, ClientHandlers};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::{
    CompleteRequestParams, ContentBlock, CreateMessageResult, ElicitRequestParams, ElicitResult,
    Implementation, LoggingLevel, ResourceContents,
};
use mcp_sansio::{Era, ProtocolVersion};
use mcp_sansio_runtime_tests::TestRuntime;
use serde_json::json;

/// Our client offering only the handshake era.
pub const LEGACY: &[ProtocolVersion] =
    &[ProtocolVersion::V2025_06_18, ProtocolVersion::V2025_11_25];

/// Every scenario [`Scenarios::drive`] runs, in order. The names follow the peer clients'
/// scenarios (`interop/README.md`) where they test the same thing. `resources-subscribe` and
/// `ping` only run on ≤ 2025-11-25 (2026-07-28 has neither).
pub const SCENARIOS: &[&str] = &[
    "tools-list",
    "test_simple_text",
    "test_image_content",
    "test_audio_content",
    "test_embedded_resource",
    "test_multiple_content_types",
    "test_error_handling",
    "test_tool_with_logging",
    "test_tool_with_progress",
    "test_sampling",
    "test_elicitation",
    "test_elicitation_sep1034_defaults",
    "add_numbers",
    "resources-list",
    "resources-read-text",
    "resources-read-binary",
    "resources-templates-list",
    "resources-templates-read",
    "resources-subscribe",
    "prompts-list",
    "test_simple_prompt",
    "test_prompt_with_arguments",
    "test_prompt_with_embedded_resource",
    "test_prompt_with_image",
    "completion-complete",
    "ping",
];

/// What the connection must come out as.
pub struct Expect {
    /// The negotiated revision.
    pub version: ProtocolVersion,
    /// The server's `serverInfo.name`.
    pub server: &'static str,
}

/// One run: the client's configuration and handlers, and what its logging handler saw.
pub struct Scenarios {
    versions: Vec<ProtocolVersion>,
    logs: Arc<Mutex<Vec<String>>>,
}

impl Scenarios {
    /// A run whose client offers `versions`.
    pub fn new(versions: &[ProtocolVersion]) -> Scenarios {
        Scenarios { versions: versions.to_vec(), logs: Arc::default() }
    }

    /// The client's configuration: `versions`, and a request timeout well below the tests'
    /// own deadlines, so that a request nobody answers fails its scenario instead of hanging.
    pub fn config(&self) -> ClientConfig {
        let mut config = ClientConfig::new(Implementation::new("mcp-sansio-interop", "0.1.0"));
        config.versions = self.versions.clone();
        config.timeouts.default_request = Duration::from_secs(15);
        config
    }

    /// Sampling and elicitation answered as the conformance scenarios expect; log messages
    /// recorded.
    pub fn handlers(&self) -> ClientHandlers {
        let logs = self.logs.clone();
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
                // For the defaults form, accept with nothing filled in: the client adds the
                // defaults.
                let content = if wants_user {
                    json!({"username": "testuser", "email": "test@example.com"})
                } else {
                    json!({})
                };
                Ok::<ElicitResult, _>(
                    serde_json::from_value(json!({"action": "accept", "content": content}))
                        .unwrap(),
                )
            })
            .on_log(move |m| logs.lock().unwrap().push(m.data.to_string()))
    }

    /// Connects `c` (made with [`Scenarios::config`] and [`Scenarios::handlers`]) and runs
    /// every scenario of [`SCENARIOS`] but those in `skip` (each of which must be one of them;
    /// the caller says why it skips it). Panics at the first failure. Leaves the connection
    /// open: closing is the transport's business.
    pub async fn drive<R: TestRuntime>(&self, c: &Client, expect: &Expect, skip: &[&str]) {
        for s in skip {
            assert!(SCENARIOS.contains(s), "no scenario {s} to skip");
        }
        let info = c.connect().await.expect("connect");
        assert_eq!(info.protocol_version, expect.version);
        assert_eq!(info.implementation.as_ref().unwrap().name, expect.server);
        let legacy = expect.version.era() == Era::Legacy;

        let mut ran = Vec::new();
        let mut run = |name: &'static str| {
            assert!(SCENARIOS.contains(&name), "{name} is missing from SCENARIOS");
            let go = !skip.contains(&name);
            if go {
                ran.push(name);
            }
            go
        };

        if run("tools-list") {
            // Three pages of tools, followed to the end.
            let tools = c.list_tools().await.unwrap();
            let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
            assert_eq!(tools.len(), 12, "{names:?}");
            assert!(names.contains(&"add_numbers"));
        }

        if run("test_simple_text") {
            let r = c.call_tool("test_simple_text", ()).await.unwrap();
            assert_eq!(text(&r.content), "This is a simple text response for testing.");
        }
        for (tool, kind) in [
            ("test_image_content", "image"),
            ("test_audio_content", "audio"),
            ("test_embedded_resource", "resource"),
        ] {
            if run(tool) {
                let r = c.call_tool(tool, json!({})).await.unwrap();
                assert_eq!(block_type(&r.content[0]), kind, "{tool}");
            }
        }
        if run("test_multiple_content_types") {
            let r = c.call_tool("test_multiple_content_types", json!({})).await.unwrap();
            assert!(r.content.len() >= 3);
        }
        if run("test_error_handling") {
            let r = c.call_tool("test_error_handling", json!({})).await.unwrap();
            assert_eq!(r.is_error, Some(true));
        }

        if run("test_tool_with_logging") {
            c.set_logging_level(LoggingLevel::Debug).await.unwrap();
            let r = c.call_tool("test_tool_with_logging", json!({})).await.unwrap();
            assert!(text(&r.content).contains("successfully"));
            for _ in 0..50 {
                if self.logs.lock().unwrap().len() >= 3 {
                    break;
                }
                R::sleep(Duration::from_millis(20)).await;
            }
            let logs = self.logs.lock().unwrap();
            assert!(logs.len() >= 3, "log messages: {logs:?}");
        }

        if run("test_tool_with_progress") {
            let progress = Arc::new(Mutex::new(Vec::new()));
            let p = progress.clone();
            let options = CallOptions {
                on_progress: Some(Box::new(move |v, _, _| p.lock().unwrap().push(v))),
                ..Default::default()
            };
            c.call_tool_with("test_tool_with_progress", json!({}), options).await.unwrap();
            let seen = progress.lock().unwrap().clone();
            assert!(seen.len() >= 3 && seen.windows(2).all(|w| w[0] < w[1]), "progress: {seen:?}");
        }

        if run("test_sampling") {
            let args = json!({"prompt": "Test prompt for sampling"});
            let r = c.call_tool("test_sampling", args).await.unwrap();
            assert!(text(&r.content).contains("This is a test response"), "{r:?}");
        }
        if run("test_elicitation") {
            let args = json!({"message": "Please provide your information"});
            let r = c.call_tool("test_elicitation", args).await.unwrap();
            assert!(text(&r.content).contains("testuser"), "{r:?}");
        }
        if run("test_elicitation_sep1034_defaults") {
            let r = c.call_tool("test_elicitation_sep1034_defaults", json!({})).await.unwrap();
            assert!(text(&r.content).contains("John Doe"), "{r:?}");
        }

        if run("add_numbers") {
            // Structured output, checked against the tool's outputSchema by the client.
            let r = c.call_tool("add_numbers", json!({"a": 5, "b": 10})).await.unwrap();
            assert_eq!(r.structured_content.as_ref().unwrap()["result"].as_f64(), Some(15.0));
        }

        if run("resources-list") {
            let resources = c.list_resources().await.unwrap();
            assert!(resources.iter().any(|r| r.uri == "test://static-text"));
        }
        if run("resources-read-text") {
            let r = c.read_resource("test://static-text").await.unwrap();
            assert!(
                matches!(&r.contents[0], ResourceContents::Text(t) if t.text == "This is the content of the static text resource.")
            );
        }
        if run("resources-read-binary") {
            let r = c.read_resource("test://static-binary").await.unwrap();
            assert!(
                matches!(&r.contents[0], ResourceContents::Blob(b) if b.mime_type.as_deref() == Some("image/png"))
            );
        }
        if run("resources-templates-list") {
            let templates = c.list_resource_templates().await.unwrap();
            assert!(templates.iter().any(|t| t.uri_template == "test://template/{id}/data"));
        }
        if run("resources-templates-read") {
            let r = c.read_resource("test://template/123/data").await.unwrap();
            assert!(matches!(&r.contents[0], ResourceContents::Text(t) if t.text.contains("123")));
        }
        if legacy && run("resources-subscribe") {
            c.subscribe("test://watched-resource").await.unwrap();
            c.unsubscribe("test://watched-resource").await.unwrap();
        }

        if run("prompts-list") {
            let prompts = c.list_prompts().await.unwrap();
            assert_eq!(prompts.len(), 4);
        }
        if run("test_simple_prompt") {
            let r = c.get_prompt("test_simple_prompt", []).await.unwrap();
            assert_eq!(
                text(&r.messages.iter().map(|m| m.content.clone()).collect::<Vec<_>>()),
                "This is a simple prompt for testing."
            );
        }
        if run("test_prompt_with_arguments") {
            let args = [
                ("arg1".to_string(), "testValue1".to_string()),
                ("arg2".to_string(), "testValue2".to_string()),
            ];
            let r = c.get_prompt("test_prompt_with_arguments", args).await.unwrap();
            let t = text(&r.messages.iter().map(|m| m.content.clone()).collect::<Vec<_>>());
            assert!(t.contains("testValue1") && t.contains("testValue2"), "{t}");
        }
        if run("test_prompt_with_embedded_resource") {
            let args = [("resourceUri".to_string(), "test://example-resource".to_string())];
            let r = c.get_prompt("test_prompt_with_embedded_resource", args).await.unwrap();
            assert_eq!(block_type(&r.messages[0].content), "resource");
        }
        if run("test_prompt_with_image") {
            let r = c.get_prompt("test_prompt_with_image", []).await.unwrap();
            assert_eq!(block_type(&r.messages[0].content), "image");
        }

        if run("completion-complete") {
            let complete: CompleteRequestParams = serde_json::from_value(json!({
                "ref": {"type": "ref/prompt", "name": "test_prompt_with_arguments"},
                "argument": {"name": "arg1", "value": "test"}
            }))
            .unwrap();
            let r = c.complete(complete).await.unwrap();
            assert_eq!(r.completion.values, ["testValue1", "testValue2"]);
        }

        if legacy && run("ping") {
            c.ping().await.unwrap();
        }

        // Every scenario of the list was reached, in its order (keeps SCENARIOS honest).
        let expected: Vec<&str> = SCENARIOS
            .iter()
            .copied()
            .filter(|s| {
                !skip.contains(s) && (legacy || !matches!(*s, "resources-subscribe" | "ping"))
            })
            .collect();
        assert_eq!(ran, expected);
    }
}

fn text(blocks: &[ContentBlock]) -> String {
    blocks.iter().filter_map(ContentBlock::as_text).collect::<Vec<_>>().join("\n")
}

fn block_type(b: &ContentBlock) -> String {
    serde_json::to_value(b).unwrap()["type"].as_str().unwrap().to_owned()
}
