//! MCP over HTTP on hyper: a standalone server, a tower `Service` to mount in a hyper
//! application, and the client. The server and client are the shared ones in
//! [`mcp_sansio_rt::http`]; this module hands them async-std's sockets.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;

use async_std::net::{TcpListener, TcpStream};
use async_std::task::JoinHandle;
use futures_core::Stream;
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::server::{Server, ServerHandle};
use mcp_sansio::session::ClientConfig;

use crate::AsyncStd;

pub use mcp_sansio_rt::http::{ExchangeBody, HttpTimeouts, McpResponse};

/// A running MCP HTTP endpoint on async-std: mount it in a hyper app as a `Service`, or use
/// [`serve_service`].
pub type McpHttpService = mcp_sansio_rt::http::McpHttpService<AsyncStd>;

/// Starts the loop that owns the HTTP machine for `server`. Returns the service to mount and
/// the server's handle (resources updated, tools added).
pub fn service(server: Server, config: HttpConfig) -> io::Result<(McpHttpService, ServerHandle)> {
    mcp_sansio_rt::http::service(AsyncStd, server, config)
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
    mcp_sansio_rt::http::serve(AsyncStd, addr, incoming(listener), server, config, shutdown).await
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
    mcp_sansio_rt::http::serve_connections(AsyncStd, incoming(listener), svc, None, shutdown).await
}

/// Like [`serve_service`], over TLS (rustls): `https://`. Set `alpn_protocols` in `tls` to
/// offer HTTP/2 (`h2`) as well as HTTP/1.1.
pub async fn serve_service_tls(
    listener: TcpListener,
    svc: McpHttpService,
    tls: Arc<rustls::ServerConfig>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    mcp_sansio_rt::http::serve_connections(AsyncStd, incoming(listener), svc, Some(tls), shutdown)
        .await
}

/// Starts a client of the MCP server at `url` (its Streamable HTTP endpoint, `http://` or
/// `https://`, the latter checked against the Mozilla root certificates); call
/// [`Client::connect`] next. The returned task runs the connection's loop until
/// [`Client::close`] (which sends `DELETE` for a session); dropping it detaches the loop.
pub fn connect_http(
    url: &str,
    config: ClientConfig,
    handlers: ClientHandlers,
) -> io::Result<(Client, JoinHandle<()>)> {
    connect_https(url, config, handlers, mcp_sansio_rt::http::default_tls()?)
}

/// Like [`connect_http`], with your own TLS settings (private roots, client certificates).
pub fn connect_https(
    url: &str,
    config: ClientConfig,
    handlers: ClientHandlers,
    tls: Arc<rustls::ClientConfig>,
) -> io::Result<(Client, JoinHandle<()>)> {
    let (client, run) = mcp_sansio_rt::http::client(AsyncStd, url, config, handlers, tls)?;
    Ok((client, async_std::task::spawn(run)))
}

/// The connections `listener` accepts.
fn incoming(listener: TcpListener) -> impl Stream<Item = io::Result<TcpStream>> {
    futures_util::stream::unfold(listener, |listener| async move {
        let accepted = listener.accept().await.map(|(stream, _)| {
            // MCP messages are small and latency-bound.
            let _ = stream.set_nodelay(true);
            stream
        });
        Some((accepted, listener))
    })
}

impl mcp_sansio_rt::http::Connect for AsyncStd {
    type Tcp = TcpStream;

    fn connect_tcp(
        &self,
        host: String,
        port: u16,
    ) -> Pin<Box<dyn Future<Output = io::Result<TcpStream>> + Send>> {
        Box::pin(async move {
            let stream = TcpStream::connect((host.as_str(), port)).await?;
            stream.set_nodelay(true)?;
            Ok(stream)
        })
    }
}
