//! MCP client over Streamable HTTP (and the legacy HTTP+SSE it falls back to) on hyper.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::task::Poll;

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

use super::pool::{Connect, Origin, Pool, Sender};
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
    Origin::of(&uri)?;
    let (sink, commands) = channel();
    let (machine, client) = HttpClient::new(config, handlers, Arc::new(sink));
    let pool = Arc::new(Pool::new(runtime.clone(), tls));
    Ok((client, run(runtime, machine, uri, pool, commands)))
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

/// One request in flight, as the parts of its response; polled by the loop itself, so a
/// response reaches the core without a hop through a task of its own.
type Exchange = Abortable<BoxStream<'static, Response>>;

async fn run<R: Connect>(
    runtime: R,
    mut machine: HttpClient,
    uri: http::Uri,
    pool: Arc<Pool<R>>,
    mut commands: CommandReceiver,
) {
    let clock = Clock::new(runtime.now());
    let mut requests: SelectAll<Exchange> = SelectAll::new();
    let mut in_flight: HashMap<HttpRequestId, AbortHandle> = HashMap::new();
    let mut tasks: TaskSet<R, TaskId, Command> = TaskSet::new(runtime.clone());
    let mut timer = DeadlineTimer::<R>::default();
    let mut closed = false;
    let mut turn = 0usize;
    let mut now = clock.at(runtime.now());
    loop {
        while let Some(out) = machine.poll_output() {
            match out {
                ClientOutput::Send(id, req) => {
                    let (handle, registration) = AbortHandle::new_pair();
                    in_flight.insert(id, handle);
                    let parts = exchange(pool.clone(), uri.clone(), id, req);
                    requests.push(Abortable::new(parts, registration));
                }
                // Its stream ends without a word; the core has forgotten the request.
                ClientOutput::Abort(id) => {
                    if let Some(handle) = in_flight.remove(&id) {
                        handle.abort();
                    }
                }
                ClientOutput::Spawn(task) => {
                    if let Some(answer) = tasks.spawn(task.id, task.future) {
                        commands.answer_in_order(answer, |c| machine.handle_command(now, c));
                    }
                }
                ClientOutput::AbortTask(t) => tasks.abort(t),
                ClientOutput::Diagnostic(d) => eprintln!("mcp-sansio: {d}"),
                ClientOutput::Closed => closed = true,
            }
        }
        if closed && in_flight.is_empty() {
            break;
        }
        timer.set(&runtime, machine.poll_timeout().map(|t| clock.deadline(t)));
        turn = (turn + 1) % SOURCES;
        let wake = std::future::poll_fn(|cx| {
            for source in (0..SOURCES).map(|i| (turn + i) % SOURCES) {
                let ready = match source {
                    0 => match commands.poll_recv(cx) {
                        Poll::Ready(Some(c)) => Poll::Ready(Wake::Command(c)),
                        _ => Poll::Pending,
                    },
                    1 => match requests.poll_next_unpin(cx) {
                        Poll::Ready(Some(r)) => Poll::Ready(Wake::Response(r)),
                        _ => Poll::Pending,
                    },
                    2 => tasks.poll_ended(cx).map(|(id, ended)| Wake::TaskEnded(id, ended)),
                    _ => timer.poll(cx).map(|()| Wake::Timeout),
                };
                if ready.is_ready() {
                    return ready;
                }
            }
            Poll::Pending
        })
        .await;
        now = clock.at(runtime.now());
        match wake {
            Wake::Command(cmd) => machine.handle_command(now, cmd),
            Wake::Response(Response::Head(id, status, headers)) => {
                machine.handle_response_head(now, id, status, &headers);
            }
            Wake::Response(Response::Body(id, bytes)) => {
                machine.handle_response_body(now, id, &bytes);
            }
            Wake::Response(Response::End(id, error)) => {
                in_flight.remove(&id);
                machine.handle_response_end(now, id, error.as_deref());
            }
            Wake::TaskEnded(_, Ended::Completed(answer)) => {
                commands.answer_in_order(answer, |c| machine.handle_command(now, c));
            }
            Wake::TaskEnded(id, Ended::Panicked) => machine.handle_task_panicked(now, id),
            Wake::TaskEnded(_, Ended::Aborted) => {}
            Wake::Timeout => machine.handle_timeout(now),
        }
    }
    drop(requests);
    tasks.stop().await;
}

/// An HTTP/1.1 connection that can go back to the pool.
type Http1Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// Where one request is in its exchange.
enum Step<R: Connect> {
    Start(Arc<Pool<R>>, http::Uri, OutgoingRequest),
    Body(Arc<Pool<R>>, Incoming, Option<(Origin, Http1Sender)>),
    Done,
}

/// One HTTP request as the parts of its response: the head, each body chunk, and the end
/// (with the error that cut it short, if one did). A kept-alive connection goes back to the
/// pool once the body has been read to its end.
fn exchange<R: Connect>(
    pool: Arc<Pool<R>>,
    uri: http::Uri,
    id: HttpRequestId,
    req: OutgoingRequest,
) -> BoxStream<'static, Response> {
    stream::unfold(Step::Start(pool, uri, req), move |step| async move {
        match step {
            Step::Start(pool, uri, req) => match send(&pool, uri, &req).await {
                Ok((response, kept)) => {
                    let mut headers = Headers::default();
                    for (n, v) in response.headers() {
                        if let Ok(v) = v.to_str() {
                            headers.push(n.as_str(), v);
                        }
                    }
                    let head = Response::Head(id, response.status().as_u16(), headers);
                    Some((head, Step::Body(pool, response.into_body(), kept)))
                }
                Err(e) => Some((Response::End(id, Some(e)), Step::Done)),
            },
            Step::Body(pool, mut body, kept) => loop {
                match body.frame().await {
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data() {
                            return Some((Response::Body(id, data), Step::Body(pool, body, kept)));
                        }
                    }
                    Some(Err(e)) => {
                        return Some((Response::End(id, Some(e.to_string())), Step::Done));
                    }
                    None => {
                        if let Some((origin, sender)) = kept {
                            pool.keep(&origin, sender);
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

/// Sends `req` on a kept or a new connection; returns the response and the HTTP/1.1
/// connection to keep once its body is read.
async fn send<R: Connect>(
    pool: &Pool<R>,
    uri: http::Uri,
    req: &OutgoingRequest,
) -> Result<(http::Response<Incoming>, Option<(Origin, Http1Sender)>), String> {
    let target = match &req.url {
        Some(u) => {
            resolve(&uri, u).ok_or_else(|| format!("the server named a bad endpoint: {u}"))?
        }
        None => uri,
    };
    let origin = Origin::of(&target).map_err(|e| e.to_string())?;
    let mut reused = pool.reuse(&origin);
    loop {
        let was_reused = reused.is_some();
        let sender = match reused.take() {
            Some(s) => s,
            None => pool.open(&origin).await.map_err(|e| e.to_string())?,
        };
        let request = build(&target, req).map_err(|e| e.to_string())?;
        let result = match sender {
            Sender::Http1(mut s) => {
                let request = origin_form(request);
                match s.ready().await {
                    Ok(()) => s.send_request(request).await.map(|r| (r, Some(s))),
                    Err(e) => Err(e),
                }
            }
            Sender::Http2(mut s) => s.send_request(request).await.map(|r| (r, None)),
        };
        match result {
            Ok((response, kept)) => return Ok((response, kept.map(|s| (origin, s)))),
            // A kept connection the server closed meanwhile: try once on a fresh one.
            Err(e)
                if was_reused
                    && (e.is_canceled() || e.is_closed() || e.is_incomplete_message()) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

fn build(target: &http::Uri, req: &OutgoingRequest) -> Result<Request<Full<Bytes>>, http::Error> {
    let method = match req.method {
        ClientMethod::Post => Method::POST,
        ClientMethod::Get => Method::GET,
        ClientMethod::Delete => Method::DELETE,
    };
    let mut builder = Request::builder().method(method).uri(target.clone());
    for (name, value) in &req.headers {
        builder = builder.header(*name, value.as_str());
    }
    for (name, value) in &req.param_headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder.body(Full::new(req.body.clone()))
}

/// An HTTP/1.1 request line names the path only; the authority moves to `Host`.
fn origin_form(mut request: Request<Full<Bytes>>) -> Request<Full<Bytes>> {
    if let Some(authority) = request.uri().authority().cloned() {
        if !request.headers().contains_key(http::header::HOST) {
            if let Ok(host) = http::HeaderValue::from_str(authority.as_str()) {
                request.headers_mut().insert(http::header::HOST, host);
            }
        }
    }
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    if let Ok(path) = path.parse() {
        *request.uri_mut() = path;
    }
    request
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
        let target: http::Uri = "http://127.0.0.1:8000/mcp?x=1".parse().unwrap();
        let req = origin_form(Request::get(target).body(Full::new(Bytes::new())).unwrap());
        assert_eq!(req.uri().to_string(), "/mcp?x=1");
        assert_eq!(req.headers()[http::header::HOST], "127.0.0.1:8000");
    }
}
