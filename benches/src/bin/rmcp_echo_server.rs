//! rmcp's echo server on stdio (tokio, current-thread like ours), for the stdio round trips of
//! the `roundtrip` bench.

use mcp_sansio_benches::rmcp_echo::Echo;
use rmcp::ServiceExt;

fn main() -> std::io::Result<()> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
        let running =
            Echo::default().serve(rmcp::transport::stdio()).await.map_err(std::io::Error::other)?;
        running.waiting().await.map_err(std::io::Error::other)?;
        Ok(())
    })
}
