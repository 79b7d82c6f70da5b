//! The MCP HTTP endpoint as a tower `Service`: heads and bodies move between hyper and one
//! loop task that owns the core's [`HttpServer`], which decides everything about each exchange.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context as TaskCx, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_channel::{mpsc, oneshot};
use futures_util::{SinkExt, StreamExt};
use http::{Request, Response, StatusCode};
use http_body::{Body, Frame};
use http_body_util::{BodyExt, Either, Full};
use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink, TaskId};
use mcp_sansio::http::server::{
    ConnId, Entropy, ExchangeId, HttpConfig, HttpOutput, HttpServer, MemoryEventStore, SinkFactory,
};
use mcp_sansio::http::{Headers, HttpMethod, RequestHead};
use mcp_sansio::server::{Server, ServerHandle};

use crate::{COMMAND_QUEUE, Clock, Ended, Runtime, TaskSet};

/// Bytes a response may have queued for a client that reads slowly before it is cut off.
const MAX_QUEUED_PER_EXCHANGE: usize = 16 * 1024 * 1024;

/// Requests waiting for the loop before new ones wait too.
const REQUEST_QUEUE: usize = 1024;

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
    Shutdown(oneshot::Sender<()>),
}

enum FromLoop {
    Head(u16, Vec<(&'static str, String)>),
    Body(Bytes),
}

type Tagged = (ConnId, Command);

struct TaggedSink {
    conn: ConnId,
    tx: mpsc::Sender<Tagged>,
    urgent: mpsc::UnboundedSender<Tagged>,
}

impl CommandSink for TaggedSink {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        let mut tx = self.tx.clone();
        let conn = self.conn;
        Box::pin(async move { tx.send((conn, command)).await.map_err(|_| Closed) })
    }
    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.urgent.unbounded_send((self.conn, command)).map_err(|_| Closed)
    }
}

struct Sinks {
    tx: mpsc::Sender<Tagged>,
    urgent: mpsc::UnboundedSender<Tagged>,
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
    pub header_read: Duration,
    /// Between chunks of a request body (the request is answered with 408 after it).
    pub body_read: Duration,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        HttpTimeouts { header_read: Duration::from_secs(10), body_read: Duration::from_secs(30) }
    }
}

/// A running MCP HTTP endpoint: clone it into a hyper or axum app as a `Service`, or serve it
/// on a listener with the runtime crate's `serve_service`.
pub struct McpHttpService<R> {
    runtime: R,
    to_loop: mpsc::Sender<ToLoop>,
    /// Exchanges whose response was dropped; unbounded because `Drop` cannot wait, and holds
    /// at most one message per exchange.
    closed: mpsc::UnboundedSender<ExchangeId>,
    timeouts: HttpTimeouts,
}

impl<R: Clone> Clone for McpHttpService<R> {
    fn clone(&self) -> Self {
        McpHttpService {
            runtime: self.runtime.clone(),
            to_loop: self.to_loop.clone(),
            closed: self.closed.clone(),
            timeouts: self.timeouts,
        }
    }
}

impl<R> std::fmt::Debug for McpHttpService<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("McpHttpService")
    }
}

/// Starts the loop that owns the HTTP machine for `server` on `runtime`. Returns the service to
/// mount and the server's handle (resources updated, tools added).
pub fn service<R: Runtime>(
    runtime: R,
    mut server: Server,
    config: HttpConfig,
) -> io::Result<(McpHttpService<R>, ServerHandle)> {
    server.ensure_request_state_key(crate::random_key()?);
    let (tx, commands) = mpsc::channel(COMMAND_QUEUE);
    let (urgent, urgent_rx) = mpsc::unbounded();
    let sinks = Arc::new(Sinks { tx, urgent });
    let handle = ServerHandle::new(sinks.sink(ConnId::SERVER));
    let store = Box::new(MemoryEventStore::new(config.events_per_session));
    let machine = HttpServer::new(server, config, sinks, Box::new(OsEntropy), store);
    let (to_loop, from_service) = mpsc::channel(REQUEST_QUEUE);
    let (closed, closed_rx) = mpsc::unbounded();
    let inputs = Inputs { from_service, closed: closed_rx, commands, urgent: urgent_rx };
    runtime.spawn(run_loop(runtime.clone(), machine, inputs));
    Ok((McpHttpService { runtime, to_loop, closed, timeouts: HttpTimeouts::default() }, handle))
}

struct Exchange {
    events: mpsc::UnboundedSender<FromLoop>,
    queued: Arc<AtomicUsize>,
}

struct Inputs {
    from_service: mpsc::Receiver<ToLoop>,
    closed: mpsc::UnboundedReceiver<ExchangeId>,
    commands: mpsc::Receiver<Tagged>,
    urgent: mpsc::UnboundedReceiver<Tagged>,
}

/// What woke the loop.
enum Wake {
    Service(Option<ToLoop>),
    Closed(ExchangeId),
    Command(Tagged),
    TaskEnded((ConnId, TaskId), Ended),
    Timeout,
}

/// How many event sources the loop polls: service, closes, urgent, commands, tasks, timer.
const SOURCES: usize = 6;

async fn run_loop<R: Runtime>(runtime: R, mut machine: HttpServer, mut inputs: Inputs) {
    let clock = Clock::new(runtime.now());
    let mut exchanges: HashMap<ExchangeId, Exchange> = HashMap::new();
    let mut tasks: TaskSet<R, (ConnId, TaskId)> = TaskSet::new(runtime.clone());
    let mut shutdown_waiters: Vec<oneshot::Sender<()>> = Vec::new();
    let mut timer: Option<(std::time::Instant, Pin<Box<R::Sleep>>)> = None;
    let mut turn = 0usize;
    loop {
        while let Some(out) = machine.poll_output() {
            match out {
                HttpOutput::Head { exchange, status, headers } => {
                    if let Some(x) = exchanges.get(&exchange) {
                        let _ = x.events.unbounded_send(FromLoop::Head(status, headers));
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
                        machine.handle_exchange_closed(clock.at(runtime.now()), exchange);
                    } else if let Some(x) = exchanges.get(&exchange) {
                        let _ = x.events.unbounded_send(FromLoop::Body(bytes));
                    }
                }
                // Dropping the sender ends the response body.
                HttpOutput::End { exchange } => {
                    exchanges.remove(&exchange);
                }
                HttpOutput::Spawn { conn, task } => tasks.spawn((conn, task.id), task.future),
                HttpOutput::Abort { conn, task } => tasks.abort((conn, task)),
                HttpOutput::Diagnostic(d) => eprintln!("mcp-sansio: {d}"),
            }
        }
        if !shutdown_waiters.is_empty() && machine.is_idle() {
            for w in shutdown_waiters.drain(..) {
                let _ = w.send(());
            }
        }
        match machine.poll_timeout().map(|t| clock.deadline(t)) {
            None => timer = None,
            Some(at) if timer.as_ref().is_some_and(|t| t.0 == at) => {}
            Some(at) => timer = Some((at, Box::pin(runtime.sleep_until(at)))),
        }
        // A rotating start: no source can starve the others.
        turn = (turn + 1) % SOURCES;
        let wake = std::future::poll_fn(|cx| {
            for source in (0..SOURCES).map(|i| (turn + i) % SOURCES) {
                let ready = match source {
                    0 => inputs.from_service.poll_next_unpin(cx).map(Wake::Service),
                    1 => match inputs.closed.poll_next_unpin(cx) {
                        Poll::Ready(Some(id)) => Poll::Ready(Wake::Closed(id)),
                        _ => Poll::Pending,
                    },
                    2 => match inputs.urgent.poll_next_unpin(cx) {
                        Poll::Ready(Some(c)) => Poll::Ready(Wake::Command(c)),
                        _ => Poll::Pending,
                    },
                    3 => match inputs.commands.poll_next_unpin(cx) {
                        Poll::Ready(Some(c)) => Poll::Ready(Wake::Command(c)),
                        _ => Poll::Pending,
                    },
                    4 => tasks.poll_ended(cx).map(|(key, ended)| Wake::TaskEnded(key, ended)),
                    _ => match timer.as_mut() {
                        Some((_, sleep)) => sleep.as_mut().poll(cx).map(|_| Wake::Timeout),
                        None => Poll::Pending,
                    },
                };
                if ready.is_ready() {
                    return ready;
                }
            }
            Poll::Pending
        })
        .await;
        let now = clock.at(runtime.now());
        match wake {
            Wake::Service(Some(ToLoop::Head(head, events, queued, reply))) => {
                let id = machine.handle_request_head(now, head);
                exchanges.insert(id, Exchange { events, queued });
                let _ = reply.send(id);
            }
            Wake::Service(Some(ToLoop::Body(id, bytes))) => {
                machine.handle_request_body(now, id, &bytes);
            }
            Wake::Service(Some(ToLoop::End(id))) => machine.handle_request_end(now, id),
            Wake::Service(Some(ToLoop::TimedOut(id))) => machine.handle_request_timed_out(now, id),
            Wake::Service(Some(ToLoop::Shutdown(done))) => {
                machine.begin_shutdown();
                shutdown_waiters.push(done);
            }
            // Every service clone is gone: nobody can reach this endpoint any more.
            Wake::Service(None) => break,
            Wake::Closed(id) => {
                exchanges.remove(&id);
                machine.handle_exchange_closed(now, id);
            }
            Wake::Command((conn, cmd)) => machine.handle_command(now, conn, cmd),
            Wake::TaskEnded((conn, task), Ended::Panicked) => {
                machine.handle_task_panicked(now, conn, task);
            }
            Wake::TaskEnded(_, Ended::Completed | Ended::Aborted) => {}
            Wake::Timeout => {
                timer = None;
                machine.handle_timeout(now);
            }
        }
    }
    tasks.stop().await;
}

/// The response body: what the loop sends for one exchange. Dropping it (the response was
/// written, or the client went away) tells the loop.
pub struct ExchangeBody {
    id: ExchangeId,
    rx: mpsc::UnboundedReceiver<FromLoop>,
    queued: Arc<AtomicUsize>,
    closed: mpsc::UnboundedSender<ExchangeId>,
}

impl std::fmt::Debug for ExchangeBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExchangeBody").field("id", &self.id).finish_non_exhaustive()
    }
}

impl Body for ExchangeBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut TaskCx<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.rx.poll_next_unpin(cx) {
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
        // The loop may be gone already; then nobody needs to know.
        let _ = self.closed.unbounded_send(self.id);
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

/// The response type of [`McpHttpService`].
pub type McpResponse = Response<Either<ExchangeBody, Full<Bytes>>>;

fn plain(status: StatusCode, text: &'static str) -> McpResponse {
    let mut r = Response::new(Either::Right(Full::new(Bytes::from_static(text.as_bytes()))));
    *r.status_mut() = status;
    r
}

impl<R: Runtime> McpHttpService<R> {
    /// Handles one HTTP request.
    pub async fn handle<B>(&self, req: Request<B>) -> McpResponse
    where
        B: Body<Data = Bytes> + Send + Unpin + 'static,
        B::Error: std::fmt::Display + Send,
    {
        let head = head_of(&req);
        let (events_tx, events) = mpsc::unbounded();
        let queued = Arc::new(AtomicUsize::new(0));
        let (reply, id) = oneshot::channel();
        let mut to_loop = self.to_loop.clone();
        if to_loop.send(ToLoop::Head(head, events_tx, queued.clone(), reply)).await.is_err() {
            return plain(StatusCode::SERVICE_UNAVAILABLE, "the MCP server has stopped");
        }
        let Ok(id) = id.await else {
            return plain(StatusCode::SERVICE_UNAVAILABLE, "the MCP server has stopped");
        };
        // From here on, the exchange must be closed even if this future is dropped.
        let mut body = ExchangeBody { id, rx: events, queued, closed: self.closed.clone() };
        let mut incoming = req.into_body();
        let mut complete = true;
        loop {
            match crate::timeout(&self.runtime, self.timeouts.body_read, incoming.frame()).await {
                Some(Some(Ok(f))) => {
                    if let Ok(data) = f.into_data() {
                        if to_loop.send(ToLoop::Body(id, data)).await.is_err() {
                            break;
                        }
                    }
                }
                Some(None) => break,
                Some(Some(Err(_))) => {
                    complete = false;
                    break;
                }
                None => {
                    // A slow or half-sent body: give up on it.
                    let _ = to_loop.send(ToLoop::TimedOut(id)).await;
                    complete = false;
                    break;
                }
            }
        }
        if complete {
            let _ = to_loop.send(ToLoop::End(id)).await;
        }
        let Some(FromLoop::Head(status, headers)) = body.rx.next().await else {
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "no response");
        };
        let mut response = Response::new(Either::Left(body));
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

    /// The read timeouts in force.
    pub fn timeouts(&self) -> HttpTimeouts {
        self.timeouts
    }

    /// Stops accepting requests and waits for those in flight to finish.
    pub async fn shutdown(&self) {
        let (done, wait) = oneshot::channel();
        if self.to_loop.clone().send(ToLoop::Shutdown(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

impl<R, B> tower_service::Service<Request<B>> for McpHttpService<R>
where
    R: Runtime,
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
