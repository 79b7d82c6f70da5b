//! mcp-sansio's echo server on the runtime named by the first argument (`tokio`, `smol` or
//! `async-std`): on stdio, for the stdio round trips of the `roundtrip` bench, or with a second
//! argument `http` on Streamable HTTP at a free port of 127.0.0.1, whose URL it prints as its
//! first line (the `calls` example's `http2p` transport: client and server in two processes).

use std::future::Future;
use std::net::TcpListener;

use mcp_sansio::http::server::HttpConfig;
use mcp_sansio_benches::echo_server;

fn main() -> std::io::Result<()> {
    let server = echo_server();
    let runtime = std::env::args().nth(1);
    if std::env::args().nth(2).as_deref() == Some("http") {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        println!("http://{}/mcp", listener.local_addr()?);
        let never = std::future::pending::<()>;
        let http = HttpConfig::default();
        return match runtime.as_deref() {
            Some("tokio") => tokio_main(async move {
                let l = tokio::net::TcpListener::from_std(listener)?;
                mcp_sansio_tokio::http::serve(l, server, http, never()).await
            }),
            Some("smol") => smol::block_on(async move {
                let l = smol::net::TcpListener::try_from(listener)?;
                mcp_sansio_smol::http::serve(l, server, http, never()).await
            }),
            Some("async-std") => async_std::task::block_on(async move {
                let l = async_std::net::TcpListener::from(listener);
                mcp_sansio_async_std::http::serve(l, server, http, never()).await
            }),
            other => usage(other),
        };
    }
    match runtime.as_deref() {
        Some("tokio") => tokio_main(mcp_sansio_tokio::serve_stdio(server)),
        Some("smol") => smol::block_on(mcp_sansio_smol::serve_stdio(server)),
        Some("async-std") => async_std::task::block_on(mcp_sansio_async_std::serve_stdio(server)),
        other => usage(other),
    }
}

/// `main` on a current-thread tokio runtime.
fn tokio_main(main: impl Future<Output = std::io::Result<()>>) -> std::io::Result<()> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(main)
}

fn usage(got: Option<&str>) -> std::io::Result<()> {
    Err(std::io::Error::other(format!(
        "usage: mcp-sansio-echo-server tokio|smol|async-std [http] (got {got:?})"
    )))
}
