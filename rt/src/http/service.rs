//! The MCP HTTP endpoint as a tower `Service`. The core's [`HttpServer`] decides everything
//! about each exchange; it sits behind a lock that whoever has input takes: a connection's
//! task feeds its request's head, body and end and runs a handler that answers at once, so a
//! plain call costs no hop to another task; one loop task handles what arrives from nowhere
//! else (commands from handlers still running, their ends, the timer).

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context as TaskCx, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use futures_channel::{mpsc, oneshot};
use futures_util::{FutureExt, StreamExt};
use http::{Request, Response, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::{BodyExt, Either, Full};
use mcp_sansio::Instant;
use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink, TaskId};
use mcp_sansio::http::server::{
    ConnId, Entropy, ExchangeId, HttpConfig, HttpOutput, HttpServer, MemoryEventStore, SinkFactory,
};
use mcp_sansio::http::{HeaderPairs, HttpMethod, RequestHead};
use mcp_sansio::server::{Server, ServerHandle};

use crate::sink::BoundedSender;
use crate::{COMMAND_QUEUE, Clock, DeadlineTimer, Ended, FirstPoll, Runtime, TaskSet};

/// Bytes a response may have queued for a client that reads slowly before it is cut off.
const MAX_QUEUED_PER_EXCHANGE: usize = 16 * 1024 * 1024;

/// Inputs the loop applies per turn before it lets other tasks run.
const LOOP_BATCH: usize = 64;

/// What the machine has sent for one exchange and its response body has not taken yet:
/// pushed by whoever holds the state's lock, taken by the connection's task.
#[derive(Default)]
struct Outbox(Mutex<OutboxParts>);

#[derive(Default)]
struct OutboxParts {
    head: Option<(u16, HeaderPairs)>,
    bodies: Bodies,
    /// Bytes in `bodies`, bounded by [`MAX_QUEUED_PER_EXCHANGE`].
    queued: usize,
    /// The machine is done with the exchange: nothing follows what is here.
    closed: bool,
    /// The body (or the request's task waiting for the head), woken by a push.
    waker: Option<Waker>,
}

/// Body parts in order. The first waits in place: most responses are one part (a JSON
/// answer), which then needs no queue of its own.
#[derive(Default)]
struct Bodies {
    first: Option<Bytes>,
    rest: VecDeque<Bytes>,
}

impl Bodies {
    fn push(&mut self, part: Bytes) {
        if self.is_empty() {
            self.first = Some(part);
        } else {
            self.rest.push_back(part);
        }
    }

    fn pop(&mut self) -> Option<Bytes> {
        self.first.take().or_else(|| self.rest.pop_front())
    }

    fn is_empty(&self) -> bool {
        self.first.is_none() && self.rest.is_empty()
    }

    fn len(&self) -> u64 {
        self.first.iter().chain(&self.rest).map(|b| b.len() as u64).sum()
    }
}

impl Outbox {
    fn parts(&self) -> MutexGuard<'_, OutboxParts> {
        // Nothing panics while holding it.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies `f` to the parts and wakes the taker.
    fn push(&self, f: impl FnOnce(&mut OutboxParts)) {
        let waker = {
            let mut parts = self.parts();
            f(&mut parts);
            parts.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// The response head, once the machine has sent it; `None` if it ended the exchange
    /// without one.
    fn poll_head(&self, cx: &mut TaskCx<'_>) -> Poll<Option<(u16, HeaderPairs)>> {
        let mut parts = self.parts();
        if let Some(head) = parts.head.take() {
            return Poll::Ready(Some(head));
        }
        if parts.closed {
            return Poll::Ready(None);
        }
        parts.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

type Tagged = (ConnId, Command);

/// The loop's command channels, shared by every connection's sink: a stateless request makes
/// a connection, and a sender of its own would cost an allocation and a shared count each time.
struct Channels {
    tx: BoundedSender<Tagged>,
    urgent: mpsc::UnboundedSender<Tagged>,
}

struct TaggedSink {
    conn: ConnId,
    channels: Arc<Channels>,
}

impl CommandSink for TaggedSink {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        self.channels.tx.send((self.conn, command))
    }
    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.channels.urgent.unbounded_send((self.conn, command)).map_err(|_| Closed)
    }
}

struct Sinks(Arc<Channels>);

impl SinkFactory for Sinks {
    fn sink(&self, conn: ConnId) -> Arc<dyn CommandSink> {
        Arc::new(TaggedSink { conn, channels: self.0.clone() })
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
pub struct McpHttpService<R: Runtime> {
    shared: Arc<Shared<R>>,
    /// Dropped with the last clone of the service, which ends the loop.
    _alive: Arc<oneshot::Sender<Infallible>>,
    timeouts: HttpTimeouts,
}

impl<R: Runtime> Clone for McpHttpService<R> {
    fn clone(&self) -> Self {
        McpHttpService {
            shared: self.shared.clone(),
            _alive: self._alive.clone(),
            timeouts: self.timeouts,
        }
    }
}

impl<R: Runtime> std::fmt::Debug for McpHttpService<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("McpHttpService")
    }
}

/// Starts the loop that serves `server` on `runtime`. Returns the service to mount and the
/// server's handle (resources updated, tools added).
pub fn service<R: Runtime>(
    runtime: R,
    mut server: Server,
    config: HttpConfig,
) -> io::Result<(McpHttpService<R>, ServerHandle)> {
    server.ensure_request_state_key(crate::random_key()?);
    let (tx, commands) = mpsc::channel(COMMAND_QUEUE);
    let (urgent, urgent_rx) = mpsc::unbounded();
    let sinks = Arc::new(Sinks(Arc::new(Channels { tx: BoundedSender::new(tx), urgent })));
    let handle = ServerHandle::new(sinks.sink(ConnId::SERVER));
    let store = Box::new(MemoryEventStore::new(config.events_per_session));
    let machine = HttpServer::new(server, config, sinks, Box::new(OsEntropy), store);
    let state = State {
        machine,
        exchanges: HashMap::new(),
        tasks: TaskSet::new(runtime.clone()),
        commands,
        urgent: urgent_rx,
        shutdown_waiters: Vec::new(),
        timer: DeadlineTimer::default(),
        loop_waker: None,
        turn: 0,
        starting: Vec::new(),
        first_polling: HashSet::new(),
    };
    let shared = Arc::new(Shared {
        clock: Clock::new(runtime.now()),
        runtime: runtime.clone(),
        state: Mutex::new(state),
    });
    let (alive, gone) = oneshot::channel();
    runtime.spawn(run_loop(shared.clone(), gone));
    let service =
        McpHttpService { shared, _alive: Arc::new(alive), timeouts: HttpTimeouts::default() };
    Ok((service, handle))
}

/// Where one exchange's response goes; dropping it (the machine ended the response, or gave
/// up on a client that does not read) ends the response body after what is queued.
struct Exchange(Arc<Outbox>);

impl Drop for Exchange {
    fn drop(&mut self) {
        self.0.push(|parts| parts.closed = true);
    }
}

/// The machine and everything its outputs go to; behind [`Shared`]'s lock.
struct State<R: Runtime> {
    machine: HttpServer,
    exchanges: HashMap<ExchangeId, Exchange>,
    tasks: TaskSet<R, (ConnId, TaskId), Command>,
    commands: mpsc::Receiver<Tagged>,
    urgent: mpsc::UnboundedReceiver<Tagged>,
    shutdown_waiters: Vec<oneshot::Sender<()>>,
    timer: DeadlineTimer<R>,
    /// The loop's waker, for input applied elsewhere that moves the deadline earlier.
    loop_waker: Option<Waker>,
    /// Where the loop starts polling its sources, rotating so none starves the others.
    turn: usize,
    /// Handlers just started, to be polled once by whoever holds the lock — after letting go
    /// of it, so that a handler's synchronous work never holds up other connections.
    starting: Vec<((ConnId, TaskId), BoxFuture<'static, Command>)>,
    /// Handlers being polled for the first time, lock let go: one the machine aborts meanwhile
    /// is taken out of here, and not made a task afterwards.
    first_polling: HashSet<(ConnId, TaskId)>,
}

struct Shared<R: Runtime> {
    runtime: R,
    clock: Clock,
    state: Mutex<State<R>>,
}

impl<R: Runtime> Shared<R> {
    fn now(&self) -> Instant {
        self.clock.at(self.runtime.now())
    }

    fn lock(&self) -> MutexGuard<'_, State<R>> {
        // The core never panics on input; a handler that panicked while polled inline was
        // caught. What is left cannot have broken the state's invariants.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies input from a connection's task, routes what it produces, and wakes the loop
    /// if the timer must now fire sooner.
    fn apply<T>(&self, f: impl FnOnce(&mut State<R>, Instant) -> T) -> T {
        let now = self.now();
        let mut st = self.lock();
        let out = f(&mut st, now);
        st.drain(now);
        let st = self.start_handlers(st, now);
        let deadline = st.machine.poll_timeout().map(|t| self.clock.deadline(t));
        if !st.timer.covers(deadline) {
            if let Some(w) = &st.loop_waker {
                w.wake_by_ref();
            }
        }
        out
    }

    /// Polls the handlers the machine just started, once each, with the lock let go; applies
    /// the answers of those that finished and makes tasks of those that wait. Returns with the
    /// lock held again and nothing left to start.
    fn start_handlers<'a>(
        &'a self,
        mut st: MutexGuard<'a, State<R>>,
        now: Instant,
    ) -> MutexGuard<'a, State<R>> {
        // One at a time, in order, so the list keeps its allocation from call to call.
        while !st.starting.is_empty() {
            let (key, future) = st.starting.remove(0);
            st.first_polling.insert(key);
            drop(st);
            let first = crate::first_poll(future);
            st = self.lock();
            let live = st.first_polling.remove(&key);
            match first {
                // An answer for an aborted task is ignored by the machine.
                FirstPoll::Done(answer) => st.answer(now, key.0, answer),
                FirstPoll::Panicked if live => st.tasks.panicked(key),
                FirstPoll::Waiting(waiting) if live => st.tasks.adopt(key, waiting),
                // Aborted while it was first polled: dropped here.
                FirstPoll::Panicked | FirstPoll::Waiting(_) => {}
            }
            st.drain(now);
        }
        st
    }
}

/// What [`ExchangeBody`] needs when it is dropped.
trait CloseExchange: Send + Sync {
    fn close(&self, id: ExchangeId);
}

impl<R: Runtime> CloseExchange for Shared<R> {
    fn close(&self, id: ExchangeId) {
        self.apply(|st, now| {
            st.exchanges.remove(&id);
            st.machine.handle_exchange_closed(now, id);
        });
    }
}

impl<R: Runtime> State<R> {
    /// Routes the machine's outputs: response parts to their exchanges, handlers to
    /// `starting` (see [`Shared::start_handlers`]).
    fn drain(&mut self, now: Instant) {
        while let Some(out) = self.machine.poll_output() {
            match out {
                HttpOutput::Head { exchange, status, headers } => {
                    if let Some(x) = self.exchanges.get(&exchange) {
                        x.0.push(|parts| parts.head = Some((status, headers)));
                    }
                }
                HttpOutput::Body { exchange, bytes } => {
                    let Some(x) = self.exchanges.get(&exchange) else { continue };
                    let mut over = false;
                    x.0.push(|parts| {
                        over = parts.queued + bytes.len() > MAX_QUEUED_PER_EXCHANGE;
                        if !over {
                            parts.queued += bytes.len();
                            parts.bodies.push(bytes);
                        }
                    });
                    if over {
                        eprintln!("mcp-sansio: a client is not reading its stream; dropping it");
                        self.exchanges.remove(&exchange);
                        self.machine.handle_exchange_closed(now, exchange);
                    }
                }
                // Dropping the exchange ends the response body.
                HttpOutput::End { exchange } => {
                    self.exchanges.remove(&exchange);
                }
                HttpOutput::Spawn { conn, task } => {
                    self.starting.push(((conn, task.id), task.future))
                }
                HttpOutput::Abort { conn, task } => {
                    let key = (conn, task);
                    if let Some(i) = self.starting.iter().position(|(k, _)| *k == key) {
                        // Aborted before it was first polled: dropped here.
                        drop(self.starting.remove(i));
                    } else if !self.first_polling.remove(&key) {
                        self.tasks.abort(key);
                    }
                }
                HttpOutput::Diagnostic(d) => eprintln!("mcp-sansio: {d}"),
            }
        }
        if !self.shutdown_waiters.is_empty() && self.machine.is_idle() {
            for w in self.shutdown_waiters.drain(..) {
                let _ = w.send(());
            }
        }
    }

    /// Applies a task's answer, after the commands already waiting: what the task sent before
    /// it answered (progress, log messages) must reach the client first.
    fn answer(&mut self, now: Instant, conn: ConnId, answer: Command) {
        while let Ok((c, command)) = self.urgent.try_recv().or_else(|_| self.commands.try_recv()) {
            self.machine.handle_command(now, c, command);
        }
        self.machine.handle_command(now, conn, answer);
    }

    /// The next input only the loop receives, from a rotating start.
    fn poll_input(&mut self, cx: &mut TaskCx<'_>) -> Poll<LoopInput> {
        const SOURCES: usize = 4;
        self.turn = (self.turn + 1) % SOURCES;
        for source in (0..SOURCES).map(|i| (self.turn + i) % SOURCES) {
            let ready = match source {
                0 => match self.urgent.poll_next_unpin(cx) {
                    Poll::Ready(Some(c)) => Poll::Ready(LoopInput::Command(c)),
                    _ => Poll::Pending,
                },
                1 => match self.commands.poll_next_unpin(cx) {
                    Poll::Ready(Some(c)) => Poll::Ready(LoopInput::Command(c)),
                    _ => Poll::Pending,
                },
                2 => self.tasks.poll_ended(cx).map(|(key, ended)| LoopInput::TaskEnded(key, ended)),
                _ => self.timer.poll(cx).map(|()| LoopInput::Timeout),
            };
            if ready.is_ready() {
                return ready;
            }
        }
        Poll::Pending
    }

    fn apply_loop_input(&mut self, now: Instant, input: LoopInput) {
        match input {
            LoopInput::Command((conn, cmd)) => self.machine.handle_command(now, conn, cmd),
            LoopInput::TaskEnded((conn, _), Ended::Completed(answer)) => {
                self.answer(now, conn, answer);
            }
            LoopInput::TaskEnded((conn, task), Ended::Panicked) => {
                self.machine.handle_task_panicked(now, conn, task);
            }
            LoopInput::TaskEnded(_, Ended::Aborted) => {}
            LoopInput::Timeout => self.machine.handle_timeout(now),
        }
    }
}

/// What only the loop receives.
enum LoopInput {
    Command(Tagged),
    TaskEnded((ConnId, TaskId), Ended<Command>),
    Timeout,
}

/// The loop: commands from handlers that run as tasks, their ends, and the timer; it ends when
/// the last clone of the service is dropped.
async fn run_loop<R: Runtime>(shared: Arc<Shared<R>>, mut gone: oneshot::Receiver<Infallible>) {
    std::future::poll_fn(|cx| {
        if gone.poll_unpin(cx).is_ready() {
            return Poll::Ready(());
        }
        let mut st = shared.lock();
        if !st.loop_waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            st.loop_waker = Some(cx.waker().clone());
        }
        for _ in 0..LOOP_BATCH {
            let now = shared.now();
            st.drain(now);
            st = shared.start_handlers(st, now);
            let deadline = st.machine.poll_timeout().map(|t| shared.clock.deadline(t));
            st.timer.set(&shared.runtime, deadline);
            match st.poll_input(cx) {
                Poll::Ready(input) => st.apply_loop_input(now, input),
                Poll::Pending => return Poll::Pending,
            }
        }
        // A busy turn: let other tasks run, then go on.
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await;
    let mut tasks = {
        let mut st = shared.lock();
        st.loop_waker = None;
        std::mem::replace(&mut st.tasks, TaskSet::new(shared.runtime.clone()))
    };
    tasks.stop().await;
}

/// The response body: what the machine sends for one exchange. Dropping it (the response was
/// written, or the client went away) closes the exchange.
///
/// A response the machine finished with its head (a JSON answer, a refusal) is known whole
/// before hyper writes the head, and says so through `size_hint`: hyper then sends it with a
/// `Content-Length` instead of chunked, which the peer reads in one part (a chunked body is a
/// second hand-over inside hyper's client, a wake-up of another task and often of another
/// thread).
pub struct ExchangeBody {
    id: ExchangeId,
    outbox: Arc<Outbox>,
    closer: Arc<dyn CloseExchange>,
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
        self: Pin<&mut Self>,
        cx: &mut TaskCx<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let mut parts = self.outbox.parts();
        if let Some(b) = parts.bodies.pop() {
            parts.queued -= b.len();
            return Poll::Ready(Some(Ok(Frame::data(b))));
        }
        if parts.closed {
            return Poll::Ready(None);
        }
        parts.waker = Some(cx.waker().clone());
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        let parts = self.outbox.parts();
        parts.closed && parts.bodies.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        // Once closed nothing more is pushed: what is queued is the whole rest.
        let parts = self.outbox.parts();
        if parts.closed { SizeHint::with_exact(parts.bodies.len()) } else { SizeHint::default() }
    }
}

impl Drop for ExchangeBody {
    fn drop(&mut self) {
        self.closer.close(self.id);
    }
}

fn head_of<B>(req: &Request<B>) -> RequestHead {
    RequestHead {
        method: HttpMethod::parse(req.method().as_str()),
        path: req.uri().path().to_owned(),
        query: req.uri().query().map(String::from),
        headers: super::headers::to_core(req.headers()),
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
        let outbox = Arc::new(Outbox::default());
        let exchange = Exchange(outbox.clone());
        let id = self.shared.apply(|st, now| {
            let id = st.machine.handle_request_head(now, head);
            // In place before the head's own output (a refusal) is routed.
            st.exchanges.insert(id, exchange);
            id
        });
        // From here on, the exchange must be closed even if this future is dropped.
        let closer: Arc<dyn CloseExchange> = self.shared.clone();
        let body = ExchangeBody { id, outbox, closer };
        let mut incoming = req.into_body();
        let mut complete = true;
        loop {
            match crate::timeout(&self.shared.runtime, self.timeouts.body_read, incoming.frame())
                .await
            {
                Some(Some(Ok(f))) => {
                    if let Ok(data) = f.into_data() {
                        self.shared
                            .apply(|st, now| st.machine.handle_request_body_bytes(now, id, data));
                    }
                }
                Some(None) => break,
                Some(Some(Err(_))) => {
                    complete = false;
                    break;
                }
                None => {
                    // A slow or half-sent body: give up on it.
                    self.shared.apply(|st, now| st.machine.handle_request_timed_out(now, id));
                    complete = false;
                    break;
                }
            }
        }
        if complete {
            self.shared.apply(|st, now| st.machine.handle_request_end(now, id));
        }
        let Some((status, headers)) = std::future::poll_fn(|cx| body.outbox.poll_head(cx)).await
        else {
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "no response");
        };
        let mut response = Response::new(Either::Left(body));
        *response.status_mut() =
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        for (name, value) in headers {
            if let (Ok(n), Ok(v)) = (super::headers::name(name), super::headers::value(value)) {
                response.headers_mut().insert(n, v);
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
        self.shared.apply(|st, _| {
            st.machine.begin_shutdown();
            st.shutdown_waiters.push(done);
        });
        let _ = wait.await;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_parts_come_out_in_order_whatever_was_taken_between() {
        let part = |s: &'static str| Bytes::from_static(s.as_bytes());
        let mut b = Bodies::default();
        assert!(b.is_empty());
        b.push(part("a"));
        b.push(part("bc"));
        assert_eq!(b.len(), 3);
        assert_eq!(b.pop(), Some(part("a")));
        // The first slot is free again, but "bc" is older than what comes now.
        b.push(part("d"));
        assert_eq!(b.pop(), Some(part("bc")));
        b.push(part("e"));
        assert_eq!(b.pop(), Some(part("d")));
        assert_eq!(b.pop(), Some(part("e")));
        assert_eq!(b.pop(), None);
        assert!(b.is_empty());
    }
}
