//! The client the official conformance suite drives: `conformance client --command
//! "<this binary>"` runs it once per scenario with the server URL as the last argument and the
//! scenario in `MCP_CONFORMANCE_SCENARIO` (and the revision in
//! `MCP_CONFORMANCE_PROTOCOL_VERSION` where the suite sets one).
//!
//! ```sh
//! cargo run -p mcp-sansio-tokio --example conformance_client -- http://127.0.0.1:3000/mcp
//! ```

use std::time::Duration;

use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::{CreateMessageResult, ElicitResult, Implementation, ListRootsResult};

fn handlers() -> ClientHandlers {
    ClientHandlers::new()
        // Accept every form with nothing filled in: the client adds the schema's defaults.
        .on_elicitation(false, |_p| async {
            Ok::<ElicitResult, _>(serde_json::from_value(serde_json::json!({"action": "accept", "content": {}})).expect("valid"))
        })
        .on_sampling(false, |_p| async {
            let r = serde_json::json!({"role": "assistant", "model": "conformance-model", "stopReason": "endTurn",
                "content": {"type": "text", "text": "Paris"}});
            Ok::<CreateMessageResult, _>(serde_json::from_value(r).expect("valid"))
        })
        .on_roots(false, || async {
            Ok::<ListRootsResult, _>(serde_json::from_value(serde_json::json!({"roots": [{"uri": "file:///workspace", "name": "workspace"}]})).expect("valid"))
        })
}

async fn scenario(name: &str, c: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let server = c.connect().await?;
    let has_tools = server.server_capabilities.as_ref().is_some_and(|caps| caps.tools.is_some());
    let tools = if has_tools { c.list_tools().await? } else { Vec::new() };
    match name {
        "initialize" => {}
        "tools_call" => {
            c.call_tool("add_numbers", serde_json::json!({"a": 5, "b": 10})).await?;
        }
        "elicitation-sep1034-client-defaults" => {
            c.call_tool("test_client_elicitation_defaults", serde_json::json!({})).await?;
        }
        "sse-retry" => {
            c.call_tool("test_reconnection", serde_json::json!({})).await?;
        }
        _ => {
            // The scenario may say which calls to make (MCP_CONFORMANCE_CONTEXT); otherwise call
            // every tool the server lists, without arguments.
            let context: serde_json::Value = std::env::var("MCP_CONFORMANCE_CONTEXT")
                .ok()
                .and_then(|c| serde_json::from_str(&c).ok())
                .unwrap_or_default();
            match context.get("toolCalls").and_then(|t| t.as_array()) {
                Some(calls) => {
                    for call in calls {
                        let name = call["name"].as_str().unwrap_or_default();
                        if tools.iter().any(|t| t.name == name) {
                            let _ = c
                                .call_tool(name, call.get("arguments").cloned().unwrap_or_default())
                                .await;
                        }
                    }
                }
                None => {
                    for tool in tools {
                        let _ = c.call_tool(&tool.name, serde_json::json!({})).await;
                    }
                }
            }
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    let url = std::env::args().next_back().unwrap_or_default();
    let name = std::env::var("MCP_CONFORMANCE_SCENARIO").unwrap_or_default();
    let mut config = ClientConfig::new(Implementation::new(
        "mcp-sansio-conformance-client",
        env!("CARGO_PKG_VERSION"),
    ));
    config.versions = match std::env::var("MCP_CONFORMANCE_PROTOCOL_VERSION")
        .ok()
        .and_then(|v| ProtocolVersion::parse(&v))
    {
        Some(v) => vec![v],
        // The stable suite speaks the handshake revisions.
        None => ProtocolVersion::ALL
            .into_iter()
            .filter(|v| v.era() == mcp_sansio::Era::Legacy)
            .collect(),
    };
    config.timeouts.default_request = Duration::from_secs(20);
    let (client, task) = match mcp_sansio_tokio::connect_http(&url, config, handlers()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("conformance_client: {e}");
            std::process::exit(2);
        }
    };
    let result = scenario(&name, &client).await;
    client.close().await;
    let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    if let Err(e) = result {
        eprintln!("conformance_client: scenario {name}: {e}");
        std::process::exit(1);
    }
}
