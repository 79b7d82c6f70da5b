//! mcp-sansio's echo server on stdio, on the runtime named by the first argument (`tokio`,
//! `smol` or `async-std`), for the stdio round trips of the `roundtrip` bench.

use mcp_sansio_benches::echo_server;

fn main() -> std::io::Result<()> {
    let server = echo_server();
    match std::env::args().nth(1).as_deref() {
        Some("tokio") => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(mcp_sansio_tokio::serve_stdio(server)),
        Some("smol") => smol::block_on(mcp_sansio_smol::serve_stdio(server)),
        Some("async-std") => async_std::task::block_on(mcp_sansio_async_std::serve_stdio(server)),
        other => Err(std::io::Error::other(format!(
            "usage: mcp-sansio-echo-server tokio|smol|async-std (got {other:?})"
        ))),
    }
}
