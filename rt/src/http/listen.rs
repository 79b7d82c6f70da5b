//! Serving an [`McpHttpService`] on a stream of accepted connections: HTTP/1.1 and HTTP/2
//! (hyper's auto builder), optional TLS (rustls), graceful shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use futures_channel::{mpsc, oneshot};
use futures_core::Stream;
use futures_io::{AsyncRead, AsyncWrite};
use futures_util::StreamExt;
use futures_util::future::{Either, FutureExt, select};
use http::Request;
use hyper_util::server::conn::auto;
use mcp_sansio::http::server::HttpConfig;

use super::hyper_rt::{HyperExecutor, HyperIo, HyperTimer};
use super::service::McpHttpService;
use crate::Runtime;
use crate::self_wake::PollAgain;

/// How long to wait before accepting again after `accept` failed (out of file descriptors,
/// say), so a persistent failure does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// `config` with DNS-rebinding protection when the server listens on a loopback `addr` and
/// the config sets no allow-lists of its own.
pub fn protect_loopback(addr: SocketAddr, config: HttpConfig) -> HttpConfig {
    if addr.ip().is_loopback() && config.allowed_hosts.is_none() && config.allowed_origins.is_none()
    {
        config.loopback_only(addr.port())
    } else {
        config
    }
}

/// Serves `svc` on every connection `incoming` yields until `shutdown` completes; then lets
/// requests in flight finish, ends long-lived streams and closes every connection. With `tls`,
/// each connection is a TLS server handshake first (set `alpn_protocols` to offer `h2`).
pub async fn serve_connections<R, L, S>(
    runtime: R,
    incoming: L,
    svc: McpHttpService<R>,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()>
where
    R: Runtime,
    L: Stream<Item = io::Result<S>>,
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let mut builder = auto::Builder::new(HyperExecutor(runtime.clone()));
    builder
        .http1()
        .timer(HyperTimer(runtime.clone()))
        .header_read_timeout(svc.timeouts().header_read);
    builder.http2().timer(HyperTimer(runtime.clone()));
    let builder = Arc::new(builder);
    let acceptor = tls.map(futures_rustls::TlsAcceptor::from);
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let stop = stop_rx.shared();
    // Each connection task holds a sender; once all are gone, every connection has closed.
    let (alive, mut all_closed) = mpsc::channel::<()>(0);
    // Boxed so it can be dropped (closing the listener) before the wait for connections.
    let mut incoming = Box::pin(incoming.fuse());
    let mut shutdown = pin!(shutdown.fuse());
    loop {
        let accepted = match select(incoming.next(), shutdown.as_mut()).await {
            Either::Left((Some(accepted), _)) => accepted,
            Either::Left((None, _)) | Either::Right(_) => break,
        };
        let stream = match accepted {
            Ok(stream) => stream,
            Err(_) => {
                runtime.sleep_until(runtime.now() + ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let conn = Connection {
            runtime: runtime.clone(),
            svc: svc.clone(),
            builder: builder.clone(),
            stop: stop.clone(),
            _alive: alive.clone(),
        };
        let acceptor = acceptor.clone();
        runtime.spawn(async move {
            match acceptor {
                Some(acceptor) => {
                    // A handshake that stalls is dropped like a request that does.
                    let handshake = acceptor.accept(stream);
                    let timeout = conn.svc.timeouts().header_read;
                    if let Some(Ok(stream)) =
                        crate::timeout(&conn.runtime, timeout, handshake).await
                    {
                        conn.serve(stream).await;
                    }
                }
                None => conn.serve(stream).await,
            }
        });
    }
    drop(incoming);
    // Requests in flight finish; long-lived streams end; then every connection closes, idle
    // keep-alive ones included.
    svc.shutdown().await;
    let _ = stop_tx.send(());
    drop(alive);
    while all_closed.next().await.is_some() {}
    Ok(())
}

/// One accepted connection and what it needs to be served.
struct Connection<R: Runtime> {
    runtime: R,
    svc: McpHttpService<R>,
    builder: Arc<auto::Builder<HyperExecutor<R>>>,
    stop: futures_util::future::Shared<oneshot::Receiver<()>>,
    _alive: mpsc::Sender<()>,
}

impl<R: Runtime> Connection<R> {
    /// Serves the connection until it ends or the server stops (then gracefully: the request
    /// in progress completes, nothing new is read).
    async fn serve<S>(self, stream: S)
    where
        S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
    {
        let svc = self.svc.clone();
        let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
            let svc = svc.clone();
            async move { Ok::<_, Infallible>(svc.handle(req).await) }
        });
        let mut conn = pin!(self.builder.serve_connection(HyperIo::new(stream), service));
        // hyper's body channel wakes the service, polled here in the connection's task.
        if let Either::Right(_) = select(PollAgain::new(conn.as_mut()), self.stop.clone()).await {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Serves `server` with `config` on the connections of a listener bound to `addr` until
/// `shutdown` completes (see [`serve_connections`]). On a loopback address, DNS-rebinding
/// protection is on unless the config already sets allow-lists.
pub async fn serve<R, L, S>(
    runtime: R,
    addr: SocketAddr,
    incoming: L,
    server: mcp_sansio::server::Server,
    config: HttpConfig,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()>
where
    R: Runtime,
    L: Stream<Item = io::Result<S>>,
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let config = protect_loopback(addr, config);
    let (svc, _handle) = super::service(runtime.clone(), server, config)?;
    serve_connections(runtime, incoming, svc, None, shutdown).await
}
