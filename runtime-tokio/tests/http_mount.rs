//! Several MCP servers mounted in one existing hyper application under their own paths, and a
//! graceful shutdown that lets a call in flight finish.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{Either, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::ClientHandlers;
use mcp_sansio::http::server::HttpConfig;
use mcp_sansio::server::{Context, NoArguments, Server, ServerBuilder};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::Implementation;
use mcp_sansio_tokio::http::{self, McpHttpService};

fn named(name: &str) -> Server {
    let answer = name.to_owned();
    ServerBuilder::new(name, "1")
        .tool("who", "Says which server answers", move |_: NoArguments, _ctx: Context| {
            let a = answer.clone();
            async move { a }
        })
        .tool("slow", "Takes a while", |_: NoArguments, _ctx: Context| async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            "finished"
        })
        .build()
        .unwrap()
}

fn mounted(path: &str, port: u16) -> McpHttpService {
    let config = HttpConfig { mcp_path: path.to_owned(), sse_path: None, ..HttpConfig::default() }
        .loopback_only(port);
    http::service(named(path), config).unwrap().0
}

async fn client(url: &str) -> mcp_sansio::client::Client {
    let mut config = ClientConfig::new(Implementation::new("c", "1"));
    config.versions = vec![ProtocolVersion::V2025_11_25];
    let (client, _task) =
        mcp_sansio_tokio::connect_http(url, config, ClientHandlers::new()).unwrap();
    client.connect().await.unwrap();
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_in_one_app_and_a_graceful_shutdown() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let a = mounted("/tenants/a/mcp", addr.port());
    let b = mounted("/tenants/b/mcp", addr.port());
    let (a2, b2) = (a.clone(), b.clone());
    // The host application: its own route, and the two MCP servers under theirs.
    tokio::spawn(async move {
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
            tokio::spawn(async move {
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, app).await;
            });
        }
    });

    let ca = client(&format!("http://{addr}/tenants/a/mcp")).await;
    let cb = client(&format!("http://{addr}/tenants/b/mcp")).await;
    assert_eq!(ca.call_tool("who", ()).await.unwrap().content[0].as_text(), Some("/tenants/a/mcp"));
    assert_eq!(cb.call_tool("who", ()).await.unwrap().content[0].as_text(), Some("/tenants/b/mcp"));

    // Shutting server A down waits for its call in flight, then refuses new ones.
    let slow = tokio::spawn(async move { ca.call_tool("slow", ()).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    tokio::time::timeout(Duration::from_secs(5), a.shutdown())
        .await
        .expect("the shutdown completes");
    let r = slow.await.unwrap().unwrap();
    assert_eq!(r.content[0].as_text(), Some("finished"), "the call in flight finished");
    assert!(
        client_result(&format!("http://{addr}/tenants/a/mcp")).await.is_err(),
        "new requests are refused"
    );
    // B is untouched.
    assert_eq!(cb.call_tool("who", ()).await.unwrap().content[0].as_text(), Some("/tenants/b/mcp"));
}

async fn client_result(url: &str) -> Result<(), mcp_sansio::driver::CallError> {
    let mut config = ClientConfig::new(Implementation::new("c", "1"));
    config.versions = vec![ProtocolVersion::V2025_11_25];
    let (client, _task) =
        mcp_sansio_tokio::connect_http(url, config, ClientHandlers::new()).unwrap();
    client.connect().await.map(|_| ())
}
