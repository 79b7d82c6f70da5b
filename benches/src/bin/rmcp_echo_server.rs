//! rmcp's echo server (tokio, current-thread like ours): on stdio, for the stdio round trips of
//! the `roundtrip` bench, or with the argument `http` on Streamable HTTP at a free port of
//! 127.0.0.1, whose URL it prints as its first line (the two-process HTTP round trips).

use mcp_sansio_benches::rmcp_echo::Echo;
use rmcp::ServiceExt;

fn main() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    if std::env::args().nth(1).as_deref() == Some("http") {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        println!("http://{}/mcp", listener.local_addr()?);
        return runtime.block_on(async {
            mcp_sansio_benches::rmcp_http_server(listener)
                .await
                .await
                .map_err(std::io::Error::other)
        });
    }
    runtime.block_on(async {
        let running =
            Echo::default().serve(rmcp::transport::stdio()).await.map_err(std::io::Error::other)?;
        running.waiting().await.map_err(std::io::Error::other)?;
        Ok(())
    })
}
