//! Several MCP servers mounted in one existing hyper application under their own paths, and a
//! graceful shutdown that lets a call in flight finish — on every runtime, the host app being
//! plain hyper on the runtime (through `mcp_sansio_rt::http::hyper_rt`).

use std::convert::Infallible;
use std::time::Duration;

use async_io::Async;
use bytes::Bytes;
use futures_channel::oneshot;
use http_body_util::{Either, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::ClientHandlers;
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::server::{Context, NoArguments, Server, ServerBuilder};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::Implementation;
use mcp_sansio_rt::http::hyper_rt::HyperIo;
use mcp_sansio_rt::http::{self, McpHttpService};
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};

on_every_runtime!(two_servers_in_one_app_and_a_graceful_shutdown);

fn named<R: TestRuntime>(name: &str) -> Server {
    let answer = name.to_owned();
    ServerBuilder::new(name, "1")
        .tool("who", "Says which server answers", move |_: NoArguments, _ctx: Context| {
            let a = answer.clone();
            async move { a }
        })
        .tool("slow", "Takes a while", |_: NoArguments, _ctx: Context| async {
            R::sleep(Duration::from_millis(300)).await;
            "finished"
        })
        .build()
        .unwrap()
}

fn mounted<R: TestRuntime>(path: &str, port: u16) -> McpHttpService<R::Rt> {
    let config = HttpConfig { mcp_path: path.to_owned(), sse_path: None, ..HttpConfig::default() }
        .loopback_only(port);
    http::service(<R::Rt>::default(), named::<R>(path), config).unwrap().0
}

async fn client<R: TestRuntime>(url: &str) -> mcp_sansio::client::Client {
    let mut config = ClientConfig::new(Implementation::new("c", "1"));
    config.versions = vec![ProtocolVersion::V2025_11_25];
    let (client, task) = R::connect_http(url, config, ClientHandlers::new()).unwrap();
    R::spawn(task);
    client.connect().await.unwrap();
    client
}

async fn two_servers_in_one_app_and_a_graceful_shutdown<R: TestRuntime>() {
    let listener = Async::<std::net::TcpListener>::bind(([127, 0, 0, 1], 0)).unwrap();
    let addr = listener.get_ref().local_addr().unwrap();
    let a = mounted::<R>("/tenants/a/mcp", addr.port());
    let b = mounted::<R>("/tenants/b/mcp", addr.port());
    let (a2, b2) = (a.clone(), b.clone());
    // The host application: its own route, and the two MCP servers under theirs.
    R::spawn(Box::pin(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let (a, b) = (a2.clone(), b2.clone());
            let app = hyper::service::service_fn(move |req: Request<Incoming>| {
                let (a, b) = (a.clone(), b.clone());
                async move {
                    let path = req.uri().path().to_owned();
                    let response = if path.starts_with("/tenants/a/") {
                        a.handle(req).await.map(Either::Left)
                    } else if path.starts_with("/tenants/b/") {
                        b.handle(req).await.map(Either::Left)
                    } else {
                        Response::new(Either::Right(Full::new(Bytes::from_static(b"the host app"))))
                    };
                    Ok::<_, Infallible>(response)
                }
            });
            R::spawn(Box::pin(async move {
                let io = HyperIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, app).await;
            }));
        }
    }));

    let ca = client::<R>(&format!("http://{addr}/tenants/a/mcp")).await;
    let cb = client::<R>(&format!("http://{addr}/tenants/b/mcp")).await;
    assert_eq!(ca.call_tool("who", ()).await.unwrap().content[0].as_text(), Some("/tenants/a/mcp"));
    assert_eq!(cb.call_tool("who", ()).await.unwrap().content[0].as_text(), Some("/tenants/b/mcp"));

    // Shutting server A down waits for its call in flight, then refuses new ones.
    let (done, slow) = oneshot::channel();
    R::spawn(Box::pin(async move {
        let _ = done.send(ca.call_tool("slow", ()).await);
    }));
    R::sleep(Duration::from_millis(50)).await;
    R::timeout(Duration::from_secs(5), a.shutdown()).await.expect("the shutdown completes");
    let r = slow.await.unwrap().unwrap();
    assert_eq!(r.content[0].as_text(), Some("finished"), "the call in flight finished");
    assert!(
        client_result::<R>(&format!("http://{addr}/tenants/a/mcp")).await.is_err(),
        "new requests are refused"
    );
    // B is untouched.
    assert_eq!(cb.call_tool("who", ()).await.unwrap().content[0].as_text(), Some("/tenants/b/mcp"));
}

async fn client_result<R: TestRuntime>(url: &str) -> Result<(), mcp_sansio::driver::CallError> {
    let mut config = ClientConfig::new(Implementation::new("c", "1"));
    config.versions = vec![ProtocolVersion::V2025_11_25];
    let (client, task) = R::connect_http(url, config, ClientHandlers::new()).unwrap();
    R::spawn(task);
    client.connect().await.map(|_| ())
}
