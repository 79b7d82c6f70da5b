//! MCP client over Streamable HTTP (and the legacy HTTP+SSE it falls back to) on hyper.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::future::{AbortHandle, Abortable};
use futures_util::stream::{self, BoxStream, SelectAll};
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::driver::{Command, TaskId};
use mcp_sansio::http::Headers;
use mcp_sansio::http::client::{
    ClientMethod, ClientOutput, HttpClient, HttpRequestId, OutgoingRequest,
};
use mcp_sansio::session::ClientConfig;

use super::pool::{Connect, Http1, Origin, Pool, Sender};
use crate::direct::{DirectSink, LoopState, SharedLoop};
use crate::input::{InputWaker, InputWatch, ReadInput};
use crate::{Clock, CommandReceiver, DeadlineTimer, Ended, TaskSet, channel};

enum Response {
    Head(HttpRequestId, u16, Headers),
    Body(HttpRequestId, Bytes),
    End(HttpRequestId, Option<String>),
}

/// TLS settings trusting the Mozilla root certificates (webpki-roots), offering HTTP/2 and
/// HTTP/1.1.
pub fn default_tls() -> io::Result<Arc<rustls::ClientConfig>> {
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(io::Error::other)?
    .with_root_certificates(rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    })
    .with_no_client_auth();
    Ok(Arc::new(tls))
}

/// A client of the MCP server at `url` (`http://` or `https://`, the latter checked with
/// `tls`) and the loop that runs its connection: spawn the loop, then call
/// [`Client::connect`]. The loop ends after [`Client::close`] (which sends `DELETE` for a
/// session) once the requests in flight are done.
///
/// A call made while the loop is idle is applied, and its HTTP request written, by the caller
/// itself ([`DirectSink`]); while it waits, the first waiting caller reads the responses
/// (`CommandSink::take_input`). An HTTP/1.1 connection is driven by the exchange using it
/// (see the pool), so a plain call runs on its caller's task from request to answer.
pub fn client<R: Connect>(
    runtime: R,
    url: &str,
    config: ClientConfig,
    handlers: ClientHandlers,
    tls: Arc<rustls::ClientConfig>,
) -> io::Result<(Client, impl Future<Output = ()> + Send + 'static)> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("{url}: {e}")))?;
    let target = Arc::new(Target::of(uri)?);
    let (channel, commands) = channel();
    let sink = DirectSink::new(channel, 0);
    let (machine, client) = HttpClient::new(config, handlers, sink.clone());
    let pool = Arc::new(Pool::new(runtime.clone(), tls));
    let input = Arc::new(InputWaker::default());
    let conn = Conn {
        clock: Clock::new(runtime.now()),
        tasks: TaskSet::new(runtime.clone()),
        runtime: runtime.clone(),
        machine,
        target,
        pool,
        commands,
        requests: SelectAll::new(),
        in_flight: HashMap::new(),
        timer: DeadlineTimer::default(),
        closed: false,
        turn: 0,
        waker: None,
        input_waker: Waker::from(input.clone()),
        input: input.clone(),
        input_watch: InputWatch::default(),
    };
    let shared = SharedLoop::bind(runtime, input, conn, &sink);
    Ok((client, run(shared)))
}

/// What woke the loop.
enum Wake {
    Command(Command),
    Response(Response),
    TaskEnded(TaskId, Ended<Command>),
    Timeout,
}

/// How many event sources the loop polls: commands, responses, handlers, timer.
const SOURCES: usize = 4;

/// Wake-ups one poll of the loop handles before it yields to other tasks.
const BUDGET: usize = 64;

/// One request in flight, as the parts of its response; polled by whoever holds the input
/// (the loop, or a waiting caller), so a response reaches the core without a hop through a
/// task of its own.
type Exchange = Abortable<BoxStream<'static, Response>>;

/// The loop's whole state, polled by its task and by senders of commands.
struct Conn<R: Connect> {
    runtime: R,
    clock: Clock,
    machine: HttpClient,
    /// The server's URL, where requests go unless the server named another endpoint.
    target: Arc<Target>,
    pool: Arc<Pool<R>>,
    commands: CommandReceiver,
    requests: SelectAll<Exchange>,
    in_flight: HashMap<HttpRequestId, AbortHandle>,
    tasks: TaskSet<R, TaskId, Command>,
    timer: DeadlineTimer<R>,
    closed: bool,
    turn: usize,
    /// The loop's task, woken when a command applied elsewhere leaves it work.
    waker: Option<Waker>,
    /// The one waker the requests in flight are polled with, and what it forwards to (the
    /// loop's task, or a waiter that took the input).
    input: Arc<InputWaker>,
    input_waker: Waker,
    input_watch: InputWatch,
}

impl<R: Connect> Conn<R> {
    fn now(&self) -> mcp_sansio::Instant {
        self.clock.at(self.runtime.now())
    }

    /// The timer's next deadline: the core's, or sooner the watch over input a waiter took.
    fn deadline(&self) -> Option<std::time::Instant> {
        self.input_watch.sooner(self.machine.poll_timeout().map(|t| self.clock.deadline(t)))
    }

    fn watch_input(&mut self) {
        self.input_watch.update(&self.input, self.runtime.now());
    }

    /// Wakes the loop's task if it must end, or arm its timer sooner.
    fn wake_loop_if_due(&self) {
        if self.finished() || !self.timer.covers(self.deadline()) {
            if let Some(waker) = &self.waker {
                waker.wake_by_ref();
            }
        }
    }

    /// Drains the core's output: requests start, handlers start (answered at once when they
    /// finish inline).
    fn drain(&mut self) {
        let now = self.now();
        while let Some(out) = self.machine.poll_output() {
            match out {
                ClientOutput::Send(id, req) => {
                    let (handle, registration) = AbortHandle::new_pair();
                    self.in_flight.insert(id, handle);
                    let parts = exchange(self.pool.clone(), self.target.clone(), id, req);
                    self.requests.push(Abortable::new(parts, registration));
                }
                // Its stream ends without a word; the core has forgotten the request.
                ClientOutput::Abort(id) => {
                    if let Some(handle) = self.in_flight.remove(&id) {
                        handle.abort();
                    }
                }
                ClientOutput::Spawn(task) => {
                    if let Some(answer) = self.tasks.spawn(task.id, task.future) {
                        let machine = &mut self.machine;
                        self.commands.answer_in_order(answer, |c| machine.handle_command(now, c));
                    }
                }
                ClientOutput::AbortTask(t) => self.tasks.abort(t),
                ClientOutput::Diagnostic(d) => eprintln!("mcp-sansio: {d}"),
                ClientOutput::Closed => self.closed = true,
            }
        }
    }

    fn finished(&self) -> bool {
        self.closed && self.in_flight.is_empty()
    }

    /// One poll of the loop's task: handles whatever is ready until nothing is; `Ready` once
    /// the client has closed and its last request is done.
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if !self.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            self.waker = Some(cx.waker().clone());
        }
        self.input.register_loop(cx);
        for _ in 0..BUDGET {
            self.drain();
            if self.finished() {
                return Poll::Ready(());
            }
            self.watch_input();
            let deadline = self.deadline();
            self.timer.set(&self.runtime, deadline);
            self.turn = (self.turn + 1) % SOURCES;
            let turn = self.turn;
            let Some(wake) = (0..SOURCES).find_map(|i| self.poll_source((turn + i) % SOURCES, cx))
            else {
                return Poll::Pending;
            };
            self.apply(wake);
        }
        // Busy: let other tasks run, and come back.
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    fn poll_source(&mut self, source: usize, cx: &mut Context<'_>) -> Option<Wake> {
        let ready = match source {
            0 => match self.commands.poll_recv(cx) {
                Poll::Ready(Some(c)) => Poll::Ready(Wake::Command(c)),
                _ => Poll::Pending,
            },
            1 => self.poll_response(),
            2 => self.tasks.poll_ended(cx).map(|(id, ended)| Wake::TaskEnded(id, ended)),
            _ => self.timer.poll(cx).map(|()| Wake::Timeout),
        };
        match ready {
            Poll::Ready(wake) => Some(wake),
            Poll::Pending => None,
        }
    }

    /// The next part of a response, polled with the input waker.
    fn poll_response(&mut self) -> Poll<Wake> {
        let mut cx = Context::from_waker(&self.input_waker);
        let requests = &mut self.requests;
        self.input.poll_input(|| match requests.poll_next_unpin(&mut cx) {
            Poll::Ready(Some(r)) => Poll::Ready(Wake::Response(r)),
            _ => Poll::Pending,
        })
    }

    fn apply(&mut self, wake: Wake) {
        let now = self.now();
        match wake {
            Wake::Command(cmd) => self.machine.handle_command(now, cmd),
            Wake::Response(Response::Head(id, status, headers)) => {
                self.machine.handle_response_head(now, id, status, &headers);
            }
            Wake::Response(Response::Body(id, bytes)) => {
                self.machine.handle_response_body(now, id, &bytes);
            }
            Wake::Response(Response::End(id, error)) => {
                self.in_flight.remove(&id);
                self.machine.handle_response_end(now, id, error.as_deref());
            }
            Wake::TaskEnded(_, Ended::Completed(answer)) => {
                let machine = &mut self.machine;
                self.commands.answer_in_order(answer, |c| machine.handle_command(now, c));
            }
            Wake::TaskEnded(id, Ended::Panicked) => self.machine.handle_task_panicked(now, id),
            Wake::TaskEnded(_, Ended::Aborted) => {}
            Wake::Timeout => self.machine.handle_timeout(now),
        }
    }
}

impl<R: Connect> LoopState for Conn<R> {
    /// Applies `command` for a sender on its own thread and starts the requests it produced
    /// (their responses wake the loop, or a waiter that took the input). `None` when the loop
    /// has not run yet or is done; the command then goes through the channel.
    fn apply_now(&mut self, command: Command) -> Option<Command> {
        if self.finished() || self.waker.is_none() {
            return Some(command);
        }
        // What waits in the channel was sent first.
        while let Some(earlier) = self.commands.try_recv() {
            self.apply(Wake::Command(earlier));
        }
        self.apply(Wake::Command(command));
        self.drain();
        self.read_input();
        None
    }
}

impl<R: Connect> ReadInput for Conn<R> {
    /// Polls the requests in flight (starting those just sent) and applies what arrived; wakes
    /// the loop's task only to arm its timer sooner or to end.
    fn read_input(&mut self) {
        while let Poll::Ready(wake) = self.poll_response() {
            self.apply(wake);
            self.drain();
        }
        self.watch_input();
        self.wake_loop_if_due();
    }

    fn input_taken(&mut self) {
        self.watch_input();
        self.wake_loop_if_due();
    }
}

/// The loop's task: runs until the client has closed and its last request is done, then
/// drops what is left and stops the handlers still running.
async fn run<R: Connect>(shared: Arc<SharedLoop<R, Conn<R>>>) {
    std::future::poll_fn(|cx| shared.lock().poll(cx)).await;
    {
        let mut conn = shared.lock();
        conn.requests = SelectAll::new();
        conn.tasks.abort_all();
    }
    std::future::poll_fn(|cx| shared.lock().tasks.poll_stopped(cx)).await;
}

/// Where one request is in its exchange.
enum Step<R: Connect> {
    Start(Arc<Pool<R>>, Arc<Target>, OutgoingRequest),
    Body(Arc<Pool<R>>, Incoming, Option<(Arc<Target>, Http1)>),
    Done,
}

/// One HTTP request as the parts of its response: the head, each body chunk, and the end
/// (with the error that cut it short, if one did). A kept-alive connection goes back to the
/// pool once the body has been read to its end.
fn exchange<R: Connect>(
    pool: Arc<Pool<R>>,
    target: Arc<Target>,
    id: HttpRequestId,
    req: OutgoingRequest,
) -> BoxStream<'static, Response> {
    stream::unfold(Step::Start(pool, target, req), move |step| async move {
        match step {
            Step::Start(pool, target, req) => match send(&pool, target, &req).await {
                Ok((response, kept)) => {
                    let headers = super::headers::to_core(response.headers());
                    let head = Response::Head(id, response.status().as_u16(), headers);
                    Some((head, Step::Body(pool, response.into_body(), kept)))
                }
                Err(e) => Some((Response::End(id, Some(e)), Step::Done)),
            },
            Step::Body(pool, mut body, mut kept) => loop {
                let frame = match &mut kept {
                    Some((_, h1)) => h1.drive(|_| body.frame()).await,
                    None => body.frame().await,
                };
                match frame {
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data() {
                            return Some((Response::Body(id, data), Step::Body(pool, body, kept)));
                        }
                    }
                    Some(Err(e)) => {
                        return Some((Response::End(id, Some(e.to_string())), Step::Done));
                    }
                    None => {
                        if let Some((target, h1)) = kept {
                            pool.keep(&target.origin, h1);
                        }
                        return Some((Response::End(id, None), Step::Done));
                    }
                }
            },
            Step::Done => None,
        }
    })
    .boxed()
}

/// Where requests go: the URL, its origin, and its HTTP/1.1 request target and `Host`,
/// worked out once rather than on every request.
struct Target {
    uri: http::Uri,
    origin: Origin,
    path: http::Uri,
    host: Option<http::HeaderValue>,
}

impl Target {
    fn of(uri: http::Uri) -> io::Result<Target> {
        let origin = Origin::of(&uri)?;
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let path = path.parse().map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let host = uri.authority().and_then(|a| http::HeaderValue::from_str(a.as_str()).ok());
        Ok(Target { uri, origin, path, host })
    }
}

/// Sends `req` on a kept or a new connection; returns the response and the HTTP/1.1
/// connection to keep (with where it goes) once its body is read.
async fn send<R: Connect>(
    pool: &Pool<R>,
    base: Arc<Target>,
    req: &OutgoingRequest,
) -> Result<(http::Response<Incoming>, Option<(Arc<Target>, Http1)>), String> {
    let target = match &req.url {
        Some(u) => {
            let uri = resolve(&base.uri, u)
                .ok_or_else(|| format!("the server named a bad endpoint: {u}"))?;
            Arc::new(Target::of(uri).map_err(|e| e.to_string())?)
        }
        None => base,
    };
    let mut reused = pool.reuse(&target.origin);
    loop {
        let was_reused = reused.is_some();
        let sender = match reused.take() {
            Some(s) => s,
            None => pool.open(&target.origin).await.map_err(|e| e.to_string())?,
        };
        let result = match sender {
            Sender::Http1(mut h1) => {
                // An HTTP/1.1 request line names the path only; the authority goes in `Host`.
                let request =
                    build(&target.path, target.host.as_ref(), req).map_err(|e| e.to_string())?;
                let sent = h1
                    .drive(|sender| async move {
                        sender.ready().await?;
                        sender.send_request(request).await
                    })
                    .await;
                sent.map(|r| (r, Some(h1)))
            }
            Sender::Http2(mut s) => {
                let request = build(&target.uri, None, req).map_err(|e| e.to_string())?;
                s.send_request(request).await.map(|r| (r, None))
            }
        };
        match result {
            Ok((response, kept)) => return Ok((response, kept.map(|s| (target, s)))),
            // A kept connection the server closed meanwhile: try once on a fresh one.
            Err(e)
                if was_reused
                    && (e.is_canceled() || e.is_closed() || e.is_incomplete_message()) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// The request `req` to `uri`, with `host` as its `Host` header when given.
fn build(
    uri: &http::Uri,
    host: Option<&http::HeaderValue>,
    req: &OutgoingRequest,
) -> Result<Request<Full<Bytes>>, http::Error> {
    let mut request = Request::new(Full::new(req.body.clone()));
    *request.method_mut() = match req.method {
        ClientMethod::Post => Method::POST,
        ClientMethod::Get => Method::GET,
        ClientMethod::Delete => Method::DELETE,
    };
    *request.uri_mut() = uri.clone();
    let headers = request.headers_mut();
    headers.reserve(req.headers.len() + req.param_headers.len() + 1);
    if let Some(host) = host {
        headers.insert(http::header::HOST, host.clone());
    }
    for (name, value) in &req.headers {
        headers.append(super::headers::name(name)?, super::headers::value(value.clone())?);
    }
    for (name, value) in &req.param_headers {
        let name = http::HeaderName::from_bytes(name.as_bytes())?;
        headers.append(name, http::HeaderValue::from_str(value)?);
    }
    Ok(request)
}

/// `reference` (an absolute URI, an absolute path, or a relative path) resolved against `base`.
fn resolve(base: &http::Uri, reference: &str) -> Option<http::Uri> {
    if reference.starts_with("http://") || reference.starts_with("https://") {
        return reference.parse().ok();
    }
    let scheme = base.scheme_str()?;
    let authority = base.authority()?.as_str();
    let path = if reference.starts_with('/') {
        reference.to_owned()
    } else {
        let dir = base.path().rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{reference}")
    };
    format!("{scheme}://{authority}{path}").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_resolve_against_the_server_url() {
        let base: http::Uri = "http://127.0.0.1:8000/mcp/sse".parse().unwrap();
        let at = |r: &str| resolve(&base, r).map(|u| u.to_string());
        assert_eq!(at("/messages?s=1").as_deref(), Some("http://127.0.0.1:8000/messages?s=1"));
        assert_eq!(at("messages?s=1").as_deref(), Some("http://127.0.0.1:8000/mcp/messages?s=1"));
        assert_eq!(at("https://example.com/x").as_deref(), Some("https://example.com/x"));
    }

    #[test]
    fn http1_requests_name_the_path_and_a_host() {
        let target = Target::of("http://127.0.0.1:8000/mcp?x=1".parse().unwrap()).unwrap();
        let out = OutgoingRequest {
            method: ClientMethod::Post,
            headers: vec![("mcp-method", "tools/call".into())],
            param_headers: vec![("mcp-param-region".into(), "us-west1".into())],
            url: None,
            body: Bytes::from_static(b"{}"),
        };
        let req = build(&target.path, target.host.as_ref(), &out).unwrap();
        assert_eq!(req.method(), Method::POST);
        assert_eq!(req.uri().to_string(), "/mcp?x=1");
        assert_eq!(req.headers()[http::header::HOST], "127.0.0.1:8000");
        assert_eq!(req.headers()["mcp-method"], "tools/call");
        assert_eq!(req.headers()["mcp-param-region"], "us-west1");
        let req = build(&target.uri, None, &out).unwrap();
        assert_eq!(req.uri().to_string(), "http://127.0.0.1:8000/mcp?x=1");
        assert!(req.headers().get(http::header::HOST).is_none());
    }
}
