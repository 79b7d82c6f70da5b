//! The client the official conformance suite drives, on async-std: `conformance client
//! --command "<this binary>"` runs it once per scenario with the server URL as the last
//! argument.
//!
//! ```sh
//! cargo run -p mcp-sansio-async-std --example conformance_client -- http://127.0.0.1:3000/mcp
//! ```

use mcp_sansio_async_std::AsyncStd;
use mcp_sansio_fixtures::conformance::{self, Invocation};

#[async_std::main]
async fn main() {
    let invocation = Invocation::from_env();
    let (client, task) = mcp_sansio_async_std::connect_http(
        &invocation.url,
        conformance::config(),
        conformance::handlers(),
    )
    .unwrap_or_else(|e| {
        eprintln!("conformance_client: {e}");
        std::process::exit(2)
    });
    conformance::run(AsyncStd, &invocation, client, task).await;
}
