//! A stdio MCP server on the runtime named by the first argument (`tokio`, `smol` or
//! `async-std`), for the child-process tests.

use mcp_sansio::server::{Context, ServerBuilder};
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Deserialize, JsonSchema)]
struct Echo {
    text: String,
}

fn main() -> std::io::Result<()> {
    let server = ServerBuilder::new("stdio-server", "1.0.0")
        .tool("echo", "Echoes its arguments", |e: Echo, _ctx: Context| async move { e.text })
        .build()
        .map_err(std::io::Error::other)?;
    match std::env::args().nth(1).as_deref() {
        Some("tokio") => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(mcp_sansio_tokio::serve_stdio(server)),
        Some("smol") => smol::block_on(mcp_sansio_smol::serve_stdio(server)),
        Some("async-std") => async_std::task::block_on(mcp_sansio_async_std::serve_stdio(server)),
        other => Err(std::io::Error::other(format!("unknown runtime {other:?}"))),
    }
}
