//! MCP over HTTP on hyper: a standalone server, and a tower `Service` to mount inside an
//! existing axum or hyper application. The server and client are the shared ones in
//! [`mcp_sansio_rt::http`]; this module hands them tokio's sockets.

use std::future::Future;
use std::io;

use futures_core::Stream;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::compat::{Compat, TokioAsyncReadCompatExt};

use crate::Tokio;

pub use mcp_sansio_rt::http::{ExchangeBody, HttpTimeouts, McpResponse};

mcp_sansio_rt::http_api! {
    runtime: Tokio, Tokio;
    listener: TcpListener;
    incoming: incoming;
    task: tokio::task::JoinHandle<()>, tokio::spawn;
}

/// The connections `listener` accepts, as futures-io streams.
fn incoming(listener: TcpListener) -> impl Stream<Item = io::Result<Compat<TcpStream>>> {
    futures_util::stream::unfold(listener, |listener| async move {
        let accepted = listener.accept().await.map(|(stream, _)| {
            // MCP messages are small and latency-bound.
            let _ = stream.set_nodelay(true);
            stream.compat()
        });
        Some((accepted, listener))
    })
}

impl mcp_sansio_rt::http::Connect for Tokio {
    type Tcp = Compat<TcpStream>;

    fn connect_tcp(
        &self,
        host: String,
        port: u16,
    ) -> std::pin::Pin<Box<dyn Future<Output = io::Result<Self::Tcp>> + Send>> {
        Box::pin(async move {
            let stream = TcpStream::connect((host.as_str(), port)).await?;
            stream.set_nodelay(true)?;
            Ok(stream.compat())
        })
    }
}
