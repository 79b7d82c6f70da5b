//! The conformance "everything" server on smol: every fixture the official MCP conformance
//! suite calls by name, over stdio or HTTP.
//!
//! ```sh
//! cargo run -p mcp-sansio-smol --example everything -- stdio
//! cargo run -p mcp-sansio-smol --example everything -- http --bind 127.0.0.1:3000 [--stateless]
//! ```
//!
//! Over HTTP it serves Streamable HTTP at `/mcp` (sessions for 2025-11-25 and older, stateless
//! 2026-07-28 on the same endpoint) and the 2024-11-05 HTTP+SSE transport at `/sse` and
//! `/messages`. The same server runs on tokio and async-std with the same command line.

use mcp_sansio_fixtures::{Transport, everything, shutdown_signal, watch};
use mcp_sansio_smol::{Smol, http};

fn main() -> std::io::Result<()> {
    smol::block_on(async {
        let (handle, serving) = match Transport::from_args() {
            Transport::Stdio => {
                let stdio = mcp_sansio_smol::stdio();
                let (handle, serving) =
                    mcp_sansio_smol::serving(everything::server(Smol), stdio.0, stdio.1)?;
                (handle, smol::spawn(serving))
            }
            Transport::Http { bind, config } => {
                let listener = smol::net::TcpListener::bind(&bind).await?;
                eprintln!("everything: MCP over HTTP at http://{}/mcp", listener.local_addr()?);
                let config = http::protect_loopback(&listener, *config)?;
                let (svc, handle) = http::service(everything::server(Smol), config)?;
                (handle, smol::spawn(http::serve_service(listener, svc, shutdown_signal())))
            }
        };
        let _watcher = smol::spawn(watch(Smol, handle));
        serving.await
    })
}
