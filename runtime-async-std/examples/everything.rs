//! The conformance "everything" server on async-std: every fixture the official MCP
//! conformance suite calls by name, over stdio or HTTP.
//!
//! ```sh
//! cargo run -p mcp-sansio-async-std --example everything -- stdio
//! cargo run -p mcp-sansio-async-std --example everything -- http --bind 127.0.0.1:3000 [--stateless]
//! ```
//!
//! Over HTTP it serves Streamable HTTP at `/mcp` (sessions for 2025-11-25 and older, stateless
//! 2026-07-28 on the same endpoint) and the 2024-11-05 HTTP+SSE transport at `/sse` and
//! `/messages`. The same server runs on tokio and smol with the same command line.

use mcp_sansio_async_std::{AsyncStd, http};
use mcp_sansio_fixtures::{Transport, everything, shutdown_signal, watch};

#[async_std::main]
async fn main() -> std::io::Result<()> {
    let (handle, serving) = match Transport::from_args() {
        Transport::Stdio => {
            let stdio = mcp_sansio_async_std::stdio();
            let (handle, serving) =
                mcp_sansio_async_std::serving(everything::server(AsyncStd), stdio.0, stdio.1)?;
            (handle, async_std::task::spawn(serving))
        }
        Transport::Http { bind, config } => {
            let listener = async_std::net::TcpListener::bind(&bind).await?;
            eprintln!("everything: MCP over HTTP at http://{}/mcp", listener.local_addr()?);
            let config = http::protect_loopback(&listener, *config)?;
            let (svc, handle) = http::service(everything::server(AsyncStd), config)?;
            (handle, async_std::task::spawn(http::serve_service(listener, svc, shutdown_signal())))
        }
    };
    let watcher = async_std::task::spawn(watch(AsyncStd, handle));
    let result = serving.await;
    watcher.cancel().await;
    result
}
