//! MCP client over Streamable HTTP on hyper.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;

use bytes::Bytes;
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use mcp_sansio::client::{Client, ClientHandlers};
use mcp_sansio::driver::TaskId;
use mcp_sansio::http::Headers;
use mcp_sansio::http::client::{
    ClientMethod, ClientOutput, HttpClient, HttpRequestId, OutgoingRequest,
};
use mcp_sansio::session::ClientConfig;
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};

use crate::{Clock, CommandReceiver, channel};

enum Response {
    Head(HttpRequestId, u16, Headers),
    Body(HttpRequestId, Bytes),
    End(HttpRequestId, Option<String>),
}

type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// Starts a client of the MCP server at `url` (its Streamable HTTP endpoint, `http://` or
/// `https://`, the latter checked against the Mozilla root certificates); call
/// [`Client::connect`] next. The returned task runs the connection's loop until
/// [`Client::close`] (which sends `DELETE` for a session).
pub fn connect_http(
    url: &str,
    config: ClientConfig,
    handlers: ClientHandlers,
) -> io::Result<(Client, JoinHandle<()>)> {
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(io::Error::other)?
    .with_root_certificates(rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    })
    .with_no_client_auth();
    connect_https(url, config, handlers, Arc::new(tls))
}

/// Like [`connect_http`], with your own TLS settings (private roots, client certificates).
pub fn connect_https(
    url: &str,
    config: ClientConfig,
    handlers: ClientHandlers,
    tls: Arc<rustls::ClientConfig>,
) -> io::Result<(Client, JoinHandle<()>)> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("{url}: {e}")))?;
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config((*tls).clone())
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .build();
    let http: HyperClient<Connector, Full<Bytes>> =
        HyperClient::builder(TokioExecutor::new()).build(connector);
    let (sink, commands) = channel();
    let (machine, client) = HttpClient::new(config, handlers, Arc::new(sink));
    let task = tokio::spawn(run(machine, uri, http, commands));
    Ok((client, task))
}

async fn run(
    mut machine: HttpClient,
    uri: http::Uri,
    http: HyperClient<Connector, Full<Bytes>>,
    mut commands: CommandReceiver,
) {
    let clock = Clock::new();
    let (responses_tx, mut responses) = mpsc::unbounded_channel();
    let mut requests: HashMap<HttpRequestId, tokio::task::AbortHandle> = HashMap::new();
    let mut tasks: JoinSet<()> = JoinSet::new();
    let mut task_ids: HashMap<tokio::task::Id, TaskId> = HashMap::new();
    let mut aborts: HashMap<TaskId, tokio::task::AbortHandle> = HashMap::new();
    let mut closed = false;
    loop {
        while let Some(out) = machine.poll_output() {
            match out {
                ClientOutput::Send(id, req) => {
                    let handle = tokio::spawn(perform(
                        http.clone(),
                        uri.clone(),
                        id,
                        req,
                        responses_tx.clone(),
                    ));
                    requests.insert(id, handle.abort_handle());
                }
                ClientOutput::Abort(id) => {
                    if let Some(h) = requests.remove(&id) {
                        h.abort();
                    }
                }
                ClientOutput::Spawn(task) => {
                    let h = tasks.spawn(task.future);
                    task_ids.insert(h.id(), task.id);
                    aborts.insert(task.id, h);
                }
                ClientOutput::AbortTask(t) => {
                    if let Some(h) = aborts.remove(&t) {
                        h.abort();
                    }
                }
                ClientOutput::Diagnostic(d) => eprintln!("mcp-sansio: {d}"),
                ClientOutput::Closed => closed = true,
            }
        }
        if closed && requests.is_empty() {
            break;
        }
        let deadline = machine.poll_timeout().map(|t| clock.deadline(t));
        tokio::select! {
            Some(cmd) = commands.recv() => machine.handle_command(clock.now(), cmd),
            Some(r) = responses.recv() => match r {
                Response::Head(id, status, headers) => machine.handle_response_head(clock.now(), id, status, &headers),
                Response::Body(id, bytes) => machine.handle_response_body(clock.now(), id, &bytes),
                Response::End(id, error) => {
                    requests.remove(&id);
                    machine.handle_response_end(clock.now(), id, error.as_deref());
                }
            },
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => match done {
                Ok((id, ())) => {
                    if let Some(t) = task_ids.remove(&id) {
                        aborts.remove(&t);
                    }
                }
                Err(e) => {
                    if let Some(t) = task_ids.remove(&e.id()) {
                        aborts.remove(&t);
                        if e.is_panic() {
                            machine.handle_task_panicked(clock.now(), t);
                        }
                    }
                }
            },
            () = async { match deadline { Some(d) => tokio::time::sleep_until(d).await, None => std::future::pending().await } }, if deadline.is_some() => {
                machine.handle_timeout(clock.now());
            }
        }
    }
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
}

async fn perform(
    http: HyperClient<Connector, Full<Bytes>>,
    uri: http::Uri,
    id: HttpRequestId,
    req: OutgoingRequest,
    tx: mpsc::UnboundedSender<Response>,
) {
    let method = match req.method {
        ClientMethod::Post => Method::POST,
        ClientMethod::Get => Method::GET,
        ClientMethod::Delete => Method::DELETE,
    };
    let target = match &req.url {
        Some(u) => match resolve(&uri, u) {
            Some(t) => t,
            None => {
                let _ = tx
                    .send(Response::End(id, Some(format!("the server named a bad endpoint: {u}"))));
                return;
            }
        },
        None => uri,
    };
    let mut builder = Request::builder().method(method).uri(target);
    for (name, value) in &req.headers {
        builder = builder.header(*name, value.as_str());
    }
    for (name, value) in &req.param_headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let request = match builder.body(Full::new(req.body)) {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.send(Response::End(id, Some(e.to_string())));
            return;
        }
    };
    let response = match http.request(request).await {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.send(Response::End(id, Some(e.to_string())));
            return;
        }
    };
    let mut headers = Headers::default();
    for (n, v) in response.headers() {
        if let Ok(v) = v.to_str() {
            headers.push(n.as_str(), v);
        }
    }
    let _ = tx.send(Response::Head(id, response.status().as_u16(), headers));
    let mut body = response.into_body();
    loop {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    let _ = tx.send(Response::Body(id, data));
                }
            }
            Some(Err(e)) => {
                let _ = tx.send(Response::End(id, Some(e.to_string())));
                return;
            }
            None => break,
        }
    }
    let _ = tx.send(Response::End(id, None));
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
