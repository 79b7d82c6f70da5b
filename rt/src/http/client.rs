//! MCP client over Streamable HTTP (and the legacy HTTP+SSE it falls back to) on hyper.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

use bytes::Bytes;
use futures_channel::mpsc;
use futures_util::{SinkExt, StreamExt};
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::driver::TaskId;
use mcp_sansio::http::Headers;
use mcp_sansio::http::client::{
    ClientMethod, ClientOutput, HttpClient, HttpRequestId, OutgoingRequest,
};
use mcp_sansio::session::ClientConfig;

use super::pool::{Connect, Origin, Pool, Sender};
use crate::{Clock, CommandReceiver, Ended, TaskSet, channel};

/// Response parts waiting for the loop before the connections reading them wait too.
const RESPONSE_QUEUE: usize = 64;

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
    Command(mcp_sansio::driver::Command),
    Response(Response),
    TaskEnded(TaskId, Ended),
    RequestEnded,
    Timeout,
}

/// How many event sources the loop polls: commands, responses, handlers, requests, timer.
const SOURCES: usize = 5;

async fn run<R: Connect>(
    runtime: R,
    mut machine: HttpClient,
    uri: http::Uri,
    pool: Arc<Pool<R>>,
    mut commands: CommandReceiver,
) {
    let clock = Clock::new(runtime.now());
    let (responses_tx, mut responses) = mpsc::channel(RESPONSE_QUEUE);
    let mut requests: TaskSet<R, HttpRequestId> = TaskSet::new(runtime.clone());
    let mut tasks: TaskSet<R, TaskId> = TaskSet::new(runtime.clone());
    let mut timer: Option<(std::time::Instant, Pin<Box<R::Sleep>>)> = None;
    let mut closed = false;
    let mut turn = 0usize;
    loop {
        while let Some(out) = machine.poll_output() {
            match out {
                ClientOutput::Send(id, req) => {
                    let perform = perform(pool.clone(), uri.clone(), id, req, responses_tx.clone());
                    requests.spawn(id, perform);
                }
                ClientOutput::Abort(id) => requests.abort(id),
                ClientOutput::Spawn(task) => tasks.spawn(task.id, task.future),
                ClientOutput::AbortTask(t) => tasks.abort(t),
                ClientOutput::Diagnostic(d) => eprintln!("mcp-sansio: {d}"),
                ClientOutput::Closed => closed = true,
            }
        }
        if closed && requests.is_empty() {
            break;
        }
        match machine.poll_timeout().map(|t| clock.deadline(t)) {
            None => timer = None,
            Some(at) if timer.as_ref().is_some_and(|t| t.0 == at) => {}
            Some(at) => timer = Some((at, Box::pin(runtime.sleep_until(at)))),
        }
        turn = (turn + 1) % SOURCES;
        let wake = std::future::poll_fn(|cx| {
            for source in (0..SOURCES).map(|i| (turn + i) % SOURCES) {
                let ready = match source {
                    0 => match commands.poll_recv(cx) {
                        Poll::Ready(Some(c)) => Poll::Ready(Wake::Command(c)),
                        _ => Poll::Pending,
                    },
                    1 => match responses.poll_next_unpin(cx) {
                        Poll::Ready(Some(r)) => Poll::Ready(Wake::Response(r)),
                        _ => Poll::Pending,
                    },
                    2 => tasks.poll_ended(cx).map(|(id, ended)| Wake::TaskEnded(id, ended)),
                    3 => requests.poll_ended(cx).map(|_| Wake::RequestEnded),
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
            Wake::Command(cmd) => machine.handle_command(now, cmd),
            Wake::Response(Response::Head(id, status, headers)) => {
                machine.handle_response_head(now, id, status, &headers);
            }
            Wake::Response(Response::Body(id, bytes)) => {
                machine.handle_response_body(now, id, &bytes);
            }
            Wake::Response(Response::End(id, error)) => {
                machine.handle_response_end(now, id, error.as_deref());
            }
            Wake::TaskEnded(id, Ended::Panicked) => machine.handle_task_panicked(now, id),
            Wake::TaskEnded(..) | Wake::RequestEnded => {}
            Wake::Timeout => {
                timer = None;
                machine.handle_timeout(now);
            }
        }
    }
    requests.stop().await;
    tasks.stop().await;
}

/// Makes one HTTP request and reports its head, body chunks and end to the loop.
async fn perform<R: Connect>(
    pool: Arc<Pool<R>>,
    uri: http::Uri,
    id: HttpRequestId,
    req: OutgoingRequest,
    mut tx: mpsc::Sender<Response>,
) {
    let end = match exchange(&pool, uri, id, req, &mut tx).await {
        Ok(()) => Response::End(id, None),
        Err(e) => Response::End(id, Some(e)),
    };
    let _ = tx.send(end).await;
}

async fn exchange<R: Connect>(
    pool: &Pool<R>,
    uri: http::Uri,
    id: HttpRequestId,
    req: OutgoingRequest,
    tx: &mut mpsc::Sender<Response>,
) -> Result<(), String> {
    let target = match &req.url {
        Some(u) => {
            resolve(&uri, u).ok_or_else(|| format!("the server named a bad endpoint: {u}"))?
        }
        None => uri,
    };
    let origin = Origin::of(&target).map_err(|e| e.to_string())?;
    let mut reused = pool.reuse(&origin);
    let (response, kept) = loop {
        let was_reused = reused.is_some();
        let sender = match reused.take() {
            Some(s) => s,
            None => pool.open(&origin).await.map_err(|e| e.to_string())?,
        };
        let request = build(&target, &req).map_err(|e| e.to_string())?;
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
            Ok(done) => break done,
            // A kept connection the server closed meanwhile: try once on a fresh one.
            Err(e)
                if was_reused
                    && (e.is_canceled() || e.is_closed() || e.is_incomplete_message()) => {}
            Err(e) => return Err(e.to_string()),
        }
    };
    let mut headers = Headers::default();
    for (n, v) in response.headers() {
        if let Ok(v) = v.to_str() {
            headers.push(n.as_str(), v);
        }
    }
    let status = response.status().as_u16();
    if tx.send(Response::Head(id, status, headers)).await.is_err() {
        return Ok(());
    }
    let mut body = response.into_body();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| e.to_string())?;
        if let Ok(data) = frame.into_data() {
            if tx.send(Response::Body(id, data)).await.is_err() {
                return Ok(());
            }
        }
    }
    if let Some(sender) = kept {
        pool.keep(&origin, sender);
    }
    Ok(())
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
