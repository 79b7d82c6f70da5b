//! MCP over HTTP on hyper: a standalone server, and a tower `Service` to mount inside an
//! existing axum or hyper application. The server and client are the shared ones in
//! [`mcp_sansio_rt::http`]; this module hands them tokio's sockets.

use std::future::Future;
use std::io;
use std::sync::Arc;

use futures_core::Stream;
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::server::{Server, ServerHandle};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::compat::{Compat, TokioAsyncReadCompatExt};

use crate::Tokio;

pub use mcp_sansio_rt::http::{ExchangeBody, HttpTimeouts, McpResponse};

/// A running MCP HTTP endpoint on tokio: clone it into a hyper or axum app as a `Service`, or
/// use [`serve_service`].
pub type McpHttpService = mcp_sansio_rt::http::McpHttpService<Tokio>;

/// Starts the loop that owns the HTTP machine for `server`. Returns the service to mount and
/// the server's handle (resources updated, tools added).
pub fn service(server: Server, config: HttpConfig) -> io::Result<(McpHttpService, ServerHandle)> {
    mcp_sansio_rt::http::service(Tokio, server, config)
}

/// Serves `server` over HTTP on `listener` until `shutdown` completes, then lets requests in
/// flight finish. Bound to a loopback address, DNS-rebinding protection is on unless the
/// config already sets allow-lists.
pub async fn serve(
    listener: TcpListener,
    server: Server,
    config: HttpConfig,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let addr = listener.local_addr()?;
    mcp_sansio_rt::http::serve(Tokio, addr, incoming(listener), server, config, shutdown).await
}

/// `config` with DNS-rebinding protection when `listener` is on a loopback address and the
/// config sets no allow-lists of its own.
pub fn protect_loopback(listener: &TcpListener, config: HttpConfig) -> io::Result<HttpConfig> {
    Ok(mcp_sansio_rt::http::protect_loopback(listener.local_addr()?, config))
}

/// Serves a [`service`] on `listener` (HTTP/1.1 and HTTP/2) until `shutdown` completes, then
/// lets requests in flight finish.
pub async fn serve_service(
    listener: TcpListener,
    svc: McpHttpService,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    mcp_sansio_rt::http::serve_connections(Tokio, incoming(listener), svc, None, shutdown).await
}

/// Like [`serve_service`], over TLS (rustls): `https://`. Set `alpn_protocols` in `tls` to
/// offer HTTP/2 (`h2`) as well as HTTP/1.1.
pub async fn serve_service_tls(
    listener: TcpListener,
    svc: McpHttpService,
    tls: Arc<rustls::ServerConfig>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    mcp_sansio_rt::http::serve_connections(Tokio, incoming(listener), svc, Some(tls), shutdown)
        .await
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
