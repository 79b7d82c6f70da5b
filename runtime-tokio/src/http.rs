//! MCP over HTTP on hyper: a standalone server, and a tower `Service` to mount inside an
//! existing axum or hyper application.
//!
//! The core's [`HttpServer`] decides everything about each exchange; this module moves heads
//! and bodies between hyper and one loop task that owns the machine.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context as TaskCx, Poll};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink, TaskId};
use mcp_sansio::http::server::{
    ConnId, Entropy, ExchangeId, HttpConfig, HttpOutput, HttpServer, MemoryEventStore, SinkFactory,
};
use mcp_sansio::http::{Headers, HttpMethod, RequestHead};
use mcp_sansio::server::{Server, ServerHandle};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use crate::Clock;

/// Bytes a response may have queued for a client that reads slowly before it is cut off.
const MAX_QUEUED_PER_EXCHANGE: usize = 16 * 1024 * 1024;

enum ToLoop {
    Head(
        RequestHead,
        mpsc::UnboundedSender<FromLoop>,
        Arc<AtomicUsize>,
        oneshot::Sender<ExchangeId>,
    ),
    Body(ExchangeId, Bytes),
    End(ExchangeId),
    TimedOut(ExchangeId),
    Closed(ExchangeId),
    Shutdown(oneshot::Sender<()>),
}

enum FromLoop {
    Head(u16, Vec<(&'static str, String)>),
    Body(Bytes),
}

struct TaggedSink {
    conn: ConnId,
    tx: mpsc::Sender<(ConnId, Command)>,
    urgent: mpsc::UnboundedSender<(ConnId, Command)>,
}

impl CommandSink for TaggedSink {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        let tx = self.tx.clone();
        let conn = self.conn;
        Box::pin(async move { tx.send((conn, command)).await.map_err(|_| Closed) })
    }
    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.urgent.send((self.conn, command)).map_err(|_| Closed)
    }
}

struct Sinks {
    tx: mpsc::Sender<(ConnId, Command)>,
    urgent: mpsc::UnboundedSender<(ConnId, Command)>,
}

impl SinkFactory for Sinks {
    fn sink(&self, conn: ConnId) -> Arc<dyn CommandSink> {
        Arc::new(TaggedSink { conn, tx: self.tx.clone(), urgent: self.urgent.clone() })
    }
}

struct OsEntropy;

impl Entropy for OsEntropy {
    fn fill(&mut self, buf: &mut [u8]) {
        // The OS generator only fails on exotic platforms; session ids must not be guessable,
        // so failing loudly beats a weak id.
        getrandom::fill(buf).expect("operating-system randomness");
    }
}

/// How long a client may take, per read, before its request is given up.
#[derive(Clone, Copy, Debug)]
pub struct HttpTimeouts {
    /// For the request line and headers (the connection is closed after it).
    pub header_read: std::time::Duration,
    /// Between chunks of a request body (the request is answered with 408 after it).
    pub body_read: std::time::Duration,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        HttpTimeouts {
            header_read: std::time::Duration::from_secs(10),
            body_read: std::time::Duration::from_secs(30),
        }
    }
}

/// A running MCP HTTP endpoint: clone it into a hyper or axum app as a `Service`, or use
/// [`serve`].
#[derive(Clone)]
pub struct McpHttpService {
    to_loop: mpsc::Sender<ToLoop>,
    timeouts: HttpTimeouts,
}

impl std::fmt::Debug for McpHttpService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("McpHttpService")
    }
}

/// Starts the loop that owns the HTTP machine for `server`. Returns the service to mount and
/// the server's handle (resources updated, tools added, shutdown).
pub fn service(
    mut server: Server,
    config: HttpConfig,
) -> io::Result<(McpHttpService, ServerHandle)> {
    server.ensure_request_state_key(mcp_sansio_rt::random_key()?);
    let (tx, commands) = mpsc::channel(crate::COMMAND_QUEUE);
    let (urgent, urgent_rx) = mpsc::unbounded_channel();
    let sinks = Arc::new(Sinks { tx, urgent });
    let handle = ServerHandle::new(sinks.sink(ConnId::SERVER));
    let store = Box::new(MemoryEventStore::new(config.events_per_session));
    let machine = HttpServer::new(server, config, sinks, Box::new(OsEntropy), store);
    let (to_loop, from_service) = mpsc::channel(1024);
    tokio::spawn(run_loop(machine, from_service, commands, urgent_rx));
    Ok((McpHttpService { to_loop, timeouts: HttpTimeouts::default() }, handle))
}

struct Exchange {
    events: mpsc::UnboundedSender<FromLoop>,
    queued: Arc<AtomicUsize>,
}

async fn run_loop(
    mut machine: HttpServer,
    mut from_service: mpsc::Receiver<ToLoop>,
    mut commands: mpsc::Receiver<(ConnId, Command)>,
    mut urgent: mpsc::UnboundedReceiver<(ConnId, Command)>,
) {
    let clock = Clock::new();
    let mut exchanges: HashMap<ExchangeId, Exchange> = HashMap::new();
    let mut tasks: JoinSet<()> = JoinSet::new();
    let mut task_ids: HashMap<tokio::task::Id, (ConnId, TaskId)> = HashMap::new();
    let mut aborts: HashMap<(ConnId, TaskId), tokio::task::AbortHandle> = HashMap::new();
    let mut shutdown_waiters: Vec<oneshot::Sender<()>> = Vec::new();
    loop {
        while let Some(out) = machine.poll_output() {
            match out {
                HttpOutput::Head { exchange, status, headers } => {
                    if let Some(x) = exchanges.get(&exchange) {
                        let _ = x.events.send(FromLoop::Head(status, headers));
                    }
                }
                HttpOutput::Body { exchange, bytes } => {
                    let over = exchanges.get(&exchange).is_some_and(|x| {
                        x.queued.fetch_add(bytes.len(), Ordering::AcqRel) + bytes.len()
                            > MAX_QUEUED_PER_EXCHANGE
                    });
                    if over {
                        eprintln!("mcp-sansio: a client is not reading its stream; dropping it");
                        exchanges.remove(&exchange);
                        machine.handle_exchange_closed(clock.now(), exchange);
                    } else if let Some(x) = exchanges.get(&exchange) {
                        let _ = x.events.send(FromLoop::Body(bytes));
                    }
                }
                // Dropping the sender ends the response body.
                HttpOutput::End { exchange } => {
                    exchanges.remove(&exchange);
                }
                HttpOutput::Spawn { conn, task } => {
                    let handle = tasks.spawn(task.future);
                    task_ids.insert(handle.id(), (conn, task.id));
                    aborts.insert((conn, task.id), handle);
                }
                HttpOutput::Abort { conn, task } => {
                    if let Some(h) = aborts.remove(&(conn, task)) {
                        h.abort();
                    }
                }
                HttpOutput::Diagnostic(d) => eprintln!("mcp-sansio: {d}"),
            }
        }
        if !shutdown_waiters.is_empty() && machine.is_idle() {
            for w in shutdown_waiters.drain(..) {
                let _ = w.send(());
            }
        }
        let deadline = machine.poll_timeout().map(|t| clock.deadline(t));
        tokio::select! {
            msg = from_service.recv() => match msg {
                Some(ToLoop::Head(head, events, queued, reply)) => {
                    let id = machine.handle_request_head(clock.now(), head);
                    exchanges.insert(id, Exchange { events, queued });
                    let _ = reply.send(id);
                }
                Some(ToLoop::Body(id, bytes)) => machine.handle_request_body(clock.now(), id, &bytes),
                Some(ToLoop::End(id)) => machine.handle_request_end(clock.now(), id),
                Some(ToLoop::TimedOut(id)) => machine.handle_request_timed_out(clock.now(), id),
                Some(ToLoop::Closed(id)) => {
                    exchanges.remove(&id);
                    machine.handle_exchange_closed(clock.now(), id);
                }
                Some(ToLoop::Shutdown(done)) => {
                    machine.begin_shutdown();
                    shutdown_waiters.push(done);
                }
                None => break,
            },
            Some((conn, cmd)) = urgent.recv() => machine.handle_command(clock.now(), conn, cmd),
            Some((conn, cmd)) = commands.recv() => machine.handle_command(clock.now(), conn, cmd),
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => match done {
                Ok((id, ())) => {
                    if let Some(key) = task_ids.remove(&id) {
                        aborts.remove(&key);
                    }
                }
                Err(e) => {
                    if let Some((conn, task)) = task_ids.remove(&e.id()) {
                        aborts.remove(&(conn, task));
                        if e.is_panic() {
                            machine.handle_task_panicked(clock.now(), conn, task);
                        }
                    }
                }
            },
            () = sleep_until(deadline), if deadline.is_some() => machine.handle_timeout(clock.now()),
        }
    }
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// The response body: what the loop sends for one exchange. Dropping it (the response was
/// written, or the client went away) tells the loop.
pub struct ExchangeBody {
    id: ExchangeId,
    rx: mpsc::UnboundedReceiver<FromLoop>,
    queued: Arc<AtomicUsize>,
    to_loop: mpsc::Sender<ToLoop>,
}

impl Body for ExchangeBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut TaskCx<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(FromLoop::Body(b))) => {
                self.queued.fetch_sub(b.len(), Ordering::AcqRel);
                Poll::Ready(Some(Ok(Frame::data(b))))
            }
            // A second head cannot happen; treat it as the end.
            Poll::Ready(Some(FromLoop::Head(..))) | Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for ExchangeBody {
    fn drop(&mut self) {
        let tx = self.to_loop.clone();
        let id = self.id;
        if tx.try_send(ToLoop::Closed(id)).is_err() {
            tokio::spawn(async move {
                let _ = tx.send(ToLoop::Closed(id)).await;
            });
        }
    }
}

fn head_of<B>(req: &Request<B>) -> RequestHead {
    let mut headers = Headers::default();
    for (name, value) in req.headers() {
        if let Ok(v) = value.to_str() {
            headers.push(name.as_str(), v);
        }
    }
    RequestHead {
        method: HttpMethod::parse(req.method().as_str()),
        path: req.uri().path().to_owned(),
        query: req.uri().query().map(String::from),
        headers,
    }
}

fn plain(
    status: StatusCode,
    text: &'static str,
) -> Response<http_body_util::Either<ExchangeBody, http_body_util::Full<Bytes>>> {
    let mut r = Response::new(http_body_util::Either::Right(http_body_util::Full::new(
        Bytes::from_static(text.as_bytes()),
    )));
    *r.status_mut() = status;
    r
}

/// The response type of [`McpHttpService`].
pub type McpResponse = Response<http_body_util::Either<ExchangeBody, http_body_util::Full<Bytes>>>;

impl McpHttpService {
    /// Handles one HTTP request.
    pub async fn handle<B>(&self, req: Request<B>) -> McpResponse
    where
        B: Body<Data = Bytes> + Send + Unpin + 'static,
        B::Error: std::fmt::Display + Send,
    {
        let head = head_of(&req);
        let (events_tx, events) = mpsc::unbounded_channel();
        let queued = Arc::new(AtomicUsize::new(0));
        let (reply, id) = oneshot::channel();
        if self.to_loop.send(ToLoop::Head(head, events_tx, queued.clone(), reply)).await.is_err() {
            return plain(StatusCode::SERVICE_UNAVAILABLE, "the MCP server has stopped");
        }
        let Ok(id) = id.await else {
            return plain(StatusCode::SERVICE_UNAVAILABLE, "the MCP server has stopped");
        };
        // From here on, the exchange must be closed even if this future is dropped.
        let mut body = ExchangeBody { id, rx: events, queued, to_loop: self.to_loop.clone() };
        let mut incoming = req.into_body();
        let mut complete = true;
        loop {
            match tokio::time::timeout(self.timeouts.body_read, incoming.frame()).await {
                Ok(Some(Ok(f))) => {
                    if let Ok(data) = f.into_data() {
                        if self.to_loop.send(ToLoop::Body(id, data)).await.is_err() {
                            break;
                        }
                    }
                }
                Ok(None) => break,
                Ok(Some(Err(_))) => {
                    complete = false;
                    break;
                }
                Err(_) => {
                    // A slow or half-sent body: give up on it.
                    let _ = self.to_loop.send(ToLoop::TimedOut(id)).await;
                    complete = false;
                    break;
                }
            }
        }
        if complete {
            let _ = self.to_loop.send(ToLoop::End(id)).await;
        }
        let Some(FromLoop::Head(status, headers)) = body.rx.recv().await else {
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "no response");
        };
        let mut response = Response::new(http_body_util::Either::Left(body));
        *response.status_mut() =
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        for (name, value) in headers {
            if let Ok(v) = http::HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, v);
            }
        }
        response
    }

    /// The same service with other read timeouts.
    pub fn with_timeouts(mut self, timeouts: HttpTimeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Stops accepting requests and waits for those in flight to finish.
    pub async fn shutdown(&self) {
        let (done, wait) = oneshot::channel();
        if self.to_loop.send(ToLoop::Shutdown(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

impl<B> tower_service::Service<Request<B>> for McpHttpService
where
    B: Body<Data = Bytes> + Send + Unpin + 'static,
    B::Error: std::fmt::Display + Send,
{
    type Response = McpResponse;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<McpResponse, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut TaskCx<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { Ok(this.handle(req).await) })
    }
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
    let config = protect_loopback(&listener, config)?;
    let (svc, _handle) = service(server, config)?;
    serve_service(listener, svc, shutdown).await
}

/// `config` with DNS-rebinding protection when `listener` is on a loopback address and the
/// config sets no allow-lists of its own.
pub fn protect_loopback(listener: &TcpListener, config: HttpConfig) -> io::Result<HttpConfig> {
    let addr: SocketAddr = listener.local_addr()?;
    Ok(
        if addr.ip().is_loopback()
            && config.allowed_hosts.is_none()
            && config.allowed_origins.is_none()
        {
            config.loopback_only(addr.port())
        } else {
            config
        },
    )
}

/// Serves a [`service`] on `listener` (HTTP/1.1 and HTTP/2) until `shutdown` completes, then
/// lets requests in flight finish.
pub async fn serve_service(
    listener: TcpListener,
    svc: McpHttpService,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    serve_connections(listener, svc, None, shutdown).await
}

/// Like [`serve_service`], over TLS (rustls): `https://`. Set `alpn_protocols` in `tls` to
/// offer HTTP/2 (`h2`) as well as HTTP/1.1.
pub async fn serve_service_tls(
    listener: TcpListener,
    svc: McpHttpService,
    tls: Arc<rustls::ServerConfig>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    serve_connections(listener, svc, Some(tokio_rustls::TlsAcceptor::from(tls)), shutdown).await
}

async fn serve_connections(
    listener: TcpListener,
    svc: McpHttpService,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let mut builder =
        hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
    builder
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(svc.timeouts.header_read);
    let builder = Arc::new(builder);
    let header_timeout = svc.timeouts.header_read;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut conns = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let svc = svc.clone();
                let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                    let svc = svc.clone();
                    async move { Ok::<_, Infallible>(svc.handle(req.map(IncomingBody)).await) }
                });
                let builder = builder.clone();
                let tls = tls.clone();
                let mut stop = stop_rx.clone();
                conns.spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            // A handshake that stalls is dropped like a request that does.
                            let Ok(Ok(stream)) = tokio::time::timeout(header_timeout, acceptor.accept(stream)).await else { return };
                            let conn = builder.serve_connection_with_upgrades(hyper_util::rt::TokioIo::new(stream), service);
                            serve_until_stopped(conn, &mut stop).await;
                        }
                        None => {
                            let conn = builder.serve_connection_with_upgrades(hyper_util::rt::TokioIo::new(stream), service);
                            serve_until_stopped(conn, &mut stop).await;
                        }
                    }
                });
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    // Requests in flight finish; long-lived streams end; then every connection closes, idle
    // keep-alive ones included.
    svc.shutdown().await;
    let _ = stop_tx.send(true);
    while conns.join_next().await.is_some() {}
    Ok(())
}

/// Resolves once the server is told to stop.
async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    while !*stop.borrow_and_update() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// Serves one connection until it ends or the server stops (then gracefully: the request in
/// progress completes, nothing new is read).
async fn serve_until_stopped<C: hyper_util::server::graceful::GracefulConnection>(
    conn: C,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) where
    C::Error: std::fmt::Debug,
{
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = stopped(stop) => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// hyper's request body, with an error type that displays.
struct IncomingBody(hyper::body::Incoming);

impl Body for IncomingBody {
    type Data = Bytes;
    type Error = hyper::Error;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut TaskCx<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        Pin::new(&mut self.0).poll_frame(cx)
    }
}
