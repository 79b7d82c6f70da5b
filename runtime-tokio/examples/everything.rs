//! The conformance "everything" server on tokio: every fixture the official MCP conformance
//! suite calls by name, over stdio or HTTP.
//!
//! ```sh
//! cargo run -p mcp-sansio-tokio --example everything -- stdio
//! cargo run -p mcp-sansio-tokio --example everything -- http --bind 127.0.0.1:3000 [--stateless]
//! ```
//!
//! Over HTTP it serves Streamable HTTP at `/mcp` (sessions for 2025-11-25 and older, stateless
//! 2026-07-28 on the same endpoint) and the 2024-11-05 HTTP+SSE transport at `/sse` and
//! `/messages`. The same server runs on smol and async-std with the same command line.

use mcp_sansio_fixtures::{Transport, everything, shutdown_signal, watch};
use mcp_sansio_tokio::{Tokio, http};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let (handle, serving) = match Transport::from_args() {
        Transport::Stdio => {
            let stdio = (tokio::io::stdin(), tokio::io::stdout());
            let (handle, serving) =
                mcp_sansio_tokio::serving(everything::server(Tokio), stdio.0, stdio.1)?;
            (handle, tokio::spawn(serving))
        }
        Transport::Http { bind, config } => {
            let listener = tokio::net::TcpListener::bind(&bind).await?;
            eprintln!("everything: MCP over HTTP at http://{}/mcp", listener.local_addr()?);
            let config = http::protect_loopback(&listener, *config)?;
            let (svc, handle) = http::service(everything::server(Tokio), config)?;
            (handle, tokio::spawn(http::serve_service(listener, svc, shutdown_signal())))
        }
    };
    let watcher = tokio::spawn(watch(Tokio, handle));
    let result = serving.await.map_err(std::io::Error::other)?;
    watcher.abort();
    result
}
