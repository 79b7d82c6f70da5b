//! Our HTTP client against our HTTP server on 127.0.0.1, both eras: JSON and SSE answers,
//! progress on the request's stream, server→client requests (legacy) and MRTR (2026-07-28),
//! sessions closed with DELETE, https, the HTTP+SSE fallback — on every runtime.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_channel::oneshot;
use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::{CallOptions, Client, ClientHandlers};
use mcp_sansio::driver::CallError;
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::server::{Context, Json, NoArguments, Server, ServerBuilder};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::{ElicitRequestParams, ElicitResult, Implementation};
use mcp_sansio_runtime_tests::{BoxFuture, TestRuntime, on_every_runtime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

on_every_runtime!(
    legacy_session_over_http,
    stateless_2026_over_http,
    https_with_rustls,
    legacy_http_sse_through_the_backwards_compatibility_probe,
    an_expired_session_is_replaced_by_a_fresh_one
);

#[derive(Deserialize, JsonSchema)]
struct Add {
    a: i64,
    b: i64,
}

#[derive(Serialize, JsonSchema)]
struct Sum {
    result: i64,
}

fn server<R: TestRuntime>() -> Server {
    ServerBuilder::new("http-server", "1.0.0")
        .tool("add", "Adds", |a: Add, _ctx: Context| async move { Json(Sum { result: a.a + a.b }) })
        .tool("progress", "Reports progress", |_: NoArguments, ctx: Context| async move {
            for i in 1..=3 {
                ctx.progress(f64::from(i), Some(3.0), None).await;
                R::sleep(Duration::from_millis(5)).await;
            }
            "done"
        })
        .tool("ask", "Asks the user", |_: NoArguments, ctx: Context| async move {
            let form = serde_json::json!({"message": "name?", "requestedSchema": {"type": "object", "properties": {"name": {"type": "string"}}}});
            let params: ElicitRequestParams = serde_json::from_value(form).unwrap();
            let r = ctx.elicit(params).await?;
            Ok::<_, CallError>(serde_json::to_value(&r).unwrap()["content"]["name"].as_str().unwrap_or("?").to_owned())
        })
        .build()
        .unwrap()
}

/// `server::<R>()` served by the crate's `http::serve` on `bind`.
struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    done: BoxFuture<std::io::Result<()>>,
}

impl Running {
    async fn start<R: TestRuntime>(bind: SocketAddr) -> Running {
        let listener = std::net::TcpListener::bind(bind).unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = Box::pin(async {
            let _ = stopped.await;
        });
        let l =
            R::serve_http(listener, server::<R>(), HttpConfig::default(), shutdown).await.unwrap();
        Running { addr: l.addr, stop, done: l.done }
    }

    /// Stops the server; it must be gone within five seconds.
    async fn stop<R: TestRuntime>(self) {
        let _ = self.stop.send(());
        R::timeout(Duration::from_secs(5), self.done).await.expect("the server stops").unwrap();
    }
}

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

fn answering(name: &'static str) -> ClientHandlers {
    ClientHandlers::new().on_elicitation(false, move |_p| async move {
        let r = serde_json::json!({"action": "accept", "content": {"name": name}});
        Ok::<ElicitResult, _>(serde_json::from_value(r).unwrap())
    })
}

/// Closes the client; its loop must end within five seconds.
async fn close<R: TestRuntime>(client: Client, task: BoxFuture<()>) {
    client.close().await;
    R::timeout(Duration::from_secs(5), task).await.expect("the client loop ends");
}

async fn exercise<R: TestRuntime>(versions: &[ProtocolVersion], expect: ProtocolVersion) {
    let running = Running::start::<R>(loopback()).await;
    let url = format!("http://{}/mcp", running.addr);
    let mut config = ClientConfig::new(Implementation::new("http-client", "1.0.0"));
    config.versions = versions.to_vec();
    let (client, task) = R::connect_http(&url, config, answering("Ada")).unwrap();
    let info = client.connect().await.unwrap();
    assert_eq!(info.protocol_version, expect);
    assert_eq!(client.list_tools().await.unwrap().len(), 3);
    let r = client.call_tool("add", serde_json::json!({"a": 40, "b": 2})).await.unwrap();
    assert_eq!(r.structured_content, Some(serde_json::json!({"result": 42})));

    let seen = Arc::new(AtomicUsize::new(0));
    let s = seen.clone();
    let options = CallOptions {
        on_progress: Some(Box::new(move |_, _, _| {
            s.fetch_add(1, Ordering::SeqCst);
        })),
        ..Default::default()
    };
    let r = client.call_tool_with("progress", (), options).await.unwrap();
    assert_eq!(r.content[0].as_text(), Some("done"));
    assert_eq!(seen.load(Ordering::SeqCst), 3, "progress arrives on the request's SSE stream");

    let r = client.call_tool("ask", ()).await.unwrap();
    assert_eq!(r.content[0].as_text(), Some("Ada"));

    close::<R>(client, task).await;
    running.stop::<R>().await;
}

async fn legacy_session_over_http<R: TestRuntime>() {
    exercise::<R>(&[ProtocolVersion::V2025_11_25], ProtocolVersion::V2025_11_25).await;
}

async fn stateless_2026_over_http<R: TestRuntime>() {
    exercise::<R>(&ProtocolVersion::ALL, ProtocolVersion::V2026_07_28).await;
}

async fn https_with_rustls<R: TestRuntime>() {
    // A certificate for localhost, trusted by the client alone.
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let der = cert.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.key_pair.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut server_tls = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![der.clone()], key)
        .unwrap();
    server_tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let mut roots = rustls::RootCertStore::empty();
    roots.add(der).unwrap();
    let client_tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();

    let (svc, _handle) =
        mcp_sansio_rt::http::service(<R::Rt>::default(), server::<R>(), HttpConfig::default())
            .unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = Box::pin(async {
        let _ = stopped.await;
    });
    let listener = std::net::TcpListener::bind(loopback()).unwrap();
    let l = R::serve_service(listener, svc, Some(Arc::new(server_tls)), shutdown).await.unwrap();
    let running = Running { addr: l.addr, stop, done: l.done };
    let url = format!("https://localhost:{}/mcp", running.addr.port());

    let mut config = ClientConfig::new(Implementation::new("https-client", "1.0.0"));
    config.versions = vec![ProtocolVersion::V2025_11_25];
    let (client, task) =
        R::connect_https(&url, config, ClientHandlers::new(), Arc::new(client_tls)).unwrap();
    client.connect().await.unwrap();
    let r = client.call_tool("add", serde_json::json!({"a": 1, "b": 2})).await.unwrap();
    assert_eq!(r.structured_content, Some(serde_json::json!({"result": 3})));
    close::<R>(client, task).await;
    running.stop::<R>().await;
}

async fn legacy_http_sse_through_the_backwards_compatibility_probe<R: TestRuntime>() {
    let running = Running::start::<R>(loopback()).await;
    // The client is pointed at the 2024-11-05 SSE endpoint: its POST there gets 405, so it
    // falls back to GET, reads the `endpoint` event and posts its messages there.
    let url = format!("http://{}/sse", running.addr);
    let mut config = ClientConfig::new(Implementation::new("sse-client", "1.0.0"));
    config.versions = vec![ProtocolVersion::V2024_11_05];
    let (client, task) = R::connect_http(&url, config, answering("Grace")).unwrap();
    let info = client.connect().await.unwrap();
    assert_eq!(info.protocol_version, ProtocolVersion::V2024_11_05);
    let r = client.call_tool("add", serde_json::json!({"a": 2, "b": 2})).await.unwrap();
    assert_eq!(r.structured_content, Some(serde_json::json!({"result": 4})));
    close::<R>(client, task).await;
    running.stop::<R>().await;
}

async fn an_expired_session_is_replaced_by_a_fresh_one<R: TestRuntime>() {
    let running = Running::start::<R>(loopback()).await;
    let addr = running.addr;
    let url = format!("http://{addr}/mcp");
    let mut config = ClientConfig::new(Implementation::new("c", "1"));
    config.versions = vec![ProtocolVersion::V2025_11_25];
    let (client, task) = R::connect_http(&url, config, ClientHandlers::new()).unwrap();
    client.connect().await.unwrap();
    let add = || client.call_tool("add", serde_json::json!({"a": 1, "b": 1}));
    assert!(add().await.is_ok());

    // The server restarts on the same address and knows nothing of the session.
    running.stop::<R>().await;
    let running = Running::start::<R>(addr).await;

    // The call that meets the 404 fails; the client starts a new session and the next works.
    let e = add().await.unwrap_err();
    assert!(
        matches!(&e, CallError::Error(o) if o.code == mcp_sansio::jsonrpc::ErrorCode::CONNECTION_CLOSED),
        "{e:?}"
    );
    let mut last = None;
    for _ in 0..50 {
        match add().await {
            Ok(r) => {
                last = Some(r);
                break;
            }
            Err(_) => R::sleep(Duration::from_millis(50)).await,
        }
    }
    assert_eq!(
        last.expect("a fresh session").structured_content,
        Some(serde_json::json!({"result": 2}))
    );
    close::<R>(client, task).await;
    running.stop::<R>().await;
}

/// A handler busy before its first await (synchronous work on the connection's task) does not
/// hold up other requests: the server's core is not locked while a handler is first polled.
/// Two requests go through one service, each driven by an OS thread of its own (as two
/// connections on two workers would be), so no executor's scheduling is involved; the busy
/// tool waits until the other request has been answered, and gives up after 10 s.
#[test]
fn a_handler_busy_before_its_first_await_does_not_hold_up_other_requests() {
    use http_body_util::{BodyExt, Full};

    let (release, released) = std::sync::mpsc::channel::<()>();
    let released = Arc::new(std::sync::Mutex::new(Some(released)));
    let started = Arc::new(AtomicUsize::new(0));
    let busy_started = started.clone();
    let server = ServerBuilder::new("busy", "1.0.0")
        .tool("busy", "Blocks its thread until released", move |_: NoArguments, _ctx: Context| {
            let released = released.lock().unwrap().take();
            let started = busy_started.clone();
            async move {
                let Some(released) = released else { return "called twice" };
                started.fetch_add(1, Ordering::SeqCst);
                match released.recv_timeout(Duration::from_secs(10)) {
                    Ok(()) => "released",
                    Err(_) => "timed out",
                }
            }
        })
        .tool("add", "Adds", |a: Add, _ctx: Context| async move { Json(Sum { result: a.a + a.b }) })
        .build()
        .unwrap();
    let (svc, _handle) = mcp_sansio_smol::http::service(server, HttpConfig::default()).unwrap();
    // A stateless 2026-07-28 tools/call, answered as the body of the response.
    let call = |id: u32, name: &str, arguments: serde_json::Value| {
        let body = serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": name, "arguments": arguments, "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
                "io.modelcontextprotocol/clientInfo": {"name": "busy-test", "version": "1"}}}});
        let request = hyper::Request::post("http://127.0.0.1/mcp")
            .header("host", "127.0.0.1")
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", "tools/call")
            .header("mcp-name", name)
            .body(Full::new(bytes::Bytes::from(body.to_string())))
            .unwrap();
        let svc = svc.clone();
        async move {
            let response = svc.handle(request).await;
            let body = response.into_body().collect().await.unwrap().to_bytes();
            String::from_utf8_lossy(&body).into_owned()
        }
    };
    let busy = std::thread::spawn({
        let busy = call(1, "busy", serde_json::json!({}));
        move || smol::block_on(busy)
    });
    while started.load(Ordering::SeqCst) == 0 {
        assert!(!busy.is_finished(), "the busy call ended early: {:?}", busy.join());
        std::thread::sleep(Duration::from_millis(5));
    }
    // The busy handler holds its thread now; this request goes through on this one.
    let sum = smol::block_on(call(2, "add", serde_json::json!({"a": 2, "b": 3})));
    assert!(sum.contains(r#""structuredContent":{"result":5}"#), "{sum}");
    let _ = release.send(());
    let busy = busy.join().unwrap();
    assert!(busy.contains("released"), "{busy}");
}
