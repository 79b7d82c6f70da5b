//! A client that spawns a server over stdio, lists what it offers and calls a tool.
//!
//! ```sh
//! cargo build -p mcp-sansio-tokio --example everything
//! cargo run -p mcp-sansio-tokio --example client -- target/debug/examples/everything stdio
//! ```

use std::time::Duration;

use mcp_sansio::client::ClientHandlers;
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::{CreateMessageResult, Implementation, LoggingLevel};
use mcp_sansio_tokio::{ChildProcess, ServerCommand};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let program = args.next().ok_or("usage: client <server program> [args...]")?;
    let command = ServerCommand::new(program).args(args);

    let handlers = ClientHandlers::new()
        .on_log(|m| eprintln!("server log [{:?}]: {}", m.level, m.data))
        .on_sampling(false, |params| async move {
            eprintln!("server asks the model: {} message(s)", params.messages.len());
            let result = serde_json::json!({
                "role": "assistant", "model": "example-model", "stopReason": "endTurn",
                "content": {"type": "text", "text": "This is a test response"}
            });
            Ok::<CreateMessageResult, _>(serde_json::from_value(result).expect("valid result"))
        });
    let child = ChildProcess::spawn(
        command,
        ClientConfig::new(Implementation::new("example-client", "1.0.0")),
        handlers,
    )?;
    let client = child.client().clone();

    let server = client.connect().await?;
    println!(
        "connected to {} with protocol {}",
        server.implementation.as_ref().map_or("?", |i| i.name.as_str()),
        server.protocol_version
    );
    for tool in client.list_tools().await? {
        println!("tool {:<36} {}", tool.name, tool.description.unwrap_or_default());
    }
    // Legacy: logging/setLevel; 2026-07-28: the level travels with every request.
    client.set_logging_level(LoggingLevel::Debug).await?;
    for name in ["test_simple_text", "test_tool_with_logging"] {
        let result = client.call_tool(name, ()).await?;
        println!("{name} -> {}", result.content[0].as_text().unwrap_or("(not text)"));
    }
    let result = client.call_tool("test_sampling", serde_json::json!({"prompt": "Say hi"})).await?;
    println!("test_sampling -> {}", result.content[0].as_text().unwrap_or("(not text)"));

    let status = child.shutdown(Duration::from_secs(2)).await?;
    println!("server exited: {status}");
    Ok(())
}
