//! Notifications both ways, both eras: resources updated, lists changed while the server
//! runs, roots asked of the client, application state shared by handlers; on every runtime.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::ClientHandlers;
use mcp_sansio::driver::CallError;
use mcp_sansio::jsonrpc::ErrorObject;
use mcp_sansio::server::{Context, NoArguments, ResourceDef, Server, ServerBuilder, ToolDef};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::{Implementation, ListRootsResult, SubscriptionFilter};
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};

struct Visits(AtomicU64);

fn server() -> Server {
    ServerBuilder::new("notifying", "1.0.0")
        .state(Arc::new(Visits(AtomicU64::new(0))))
        .tool("visit", "Counts visits in shared state", |_: NoArguments, ctx: Context| async move {
            let visits = ctx.state::<Visits>().expect("the state is there");
            (visits.0.fetch_add(1, Ordering::SeqCst) + 1).to_string()
        })
        .tool("roots", "Lists the client's roots", |_: NoArguments, ctx: Context| async move {
            let roots = ctx.list_roots().await?;
            Ok::<_, CallError>(
                roots.roots.iter().map(|r| r.uri.clone()).collect::<Vec<_>>().join(","),
            )
        })
        .resource(ResourceDef::new("test://watched", "watched", "text/plain"), |_ctx| async {
            Ok::<_, ErrorObject>("v1")
        })
        .build()
        .unwrap()
}

fn handlers(seen: Arc<Mutex<Vec<String>>>) -> ClientHandlers {
    ClientHandlers::new()
        .on_roots(true, || async {
            Ok::<ListRootsResult, _>(
                serde_json::from_value(
                    serde_json::json!({"roots": [{"uri": "file:///work", "name": "work"}]}),
                )
                .unwrap(),
            )
        })
        .on_notification(move |method, _params| seen.lock().unwrap().push(method.to_owned()))
}

async fn wait_for<R: TestRuntime>(seen: &Arc<Mutex<Vec<String>>>, method: &str) {
    for _ in 0..200 {
        if seen.lock().unwrap().iter().any(|m| m == method) {
            return;
        }
        R::sleep(Duration::from_millis(10)).await;
    }
    panic!("no {method}; saw {:?}", seen.lock().unwrap());
}

async fn exercise<R: TestRuntime>(versions: &[ProtocolVersion]) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut config = ClientConfig::new(Implementation::new("c", "1"));
    config.versions = versions.to_vec();
    let pair = R::memory_pair(server(), config, handlers(seen.clone())).unwrap();
    let c = pair.client.clone();
    let info = c.connect().await.unwrap();
    let legacy = info.protocol_version.era() == mcp_sansio::Era::Legacy;

    assert_eq!(c.call_tool("visit", ()).await.unwrap().content[0].as_text(), Some("1"));
    assert_eq!(c.call_tool("visit", ()).await.unwrap().content[0].as_text(), Some("2"));
    assert_eq!(c.call_tool("roots", ()).await.unwrap().content[0].as_text(), Some("file:///work"));

    // Subscribe: resources/subscribe (legacy) or a subscriptions/listen stream (2026-07-28).
    let listen = if legacy {
        c.subscribe("test://watched").await.unwrap();
        None
    } else {
        let filter = SubscriptionFilter {
            tools_list_changed: Some(true),
            resource_subscriptions: Some(vec!["test://watched".into()]),
            ..Default::default()
        };
        let lc = c.clone();
        let (listening, stop) = futures_util::future::abortable(async move {
            let _ = lc.listen(filter).await;
        });
        R::spawn(Box::pin(async move {
            let _ = listening.await;
        }));
        wait_for::<R>(&seen, "notifications/subscriptions/acknowledged").await;
        Some(stop)
    };
    pair.server.resource_updated("test://watched").await.unwrap();
    wait_for::<R>(&seen, "notifications/resources/updated").await;

    // A tool added while the server runs: clients hear about it and can call it.
    pair.server
        .update(|r| {
            r.add_tool(
                ToolDef::new("late", "Added later"),
                |_: NoArguments, _ctx: Context| async { "late" },
            )
            .unwrap();
        })
        .await
        .unwrap();
    wait_for::<R>(&seen, "notifications/tools/list_changed").await;
    assert!(c.list_tools().await.unwrap().iter().any(|t| t.name == "late"));
    assert_eq!(c.call_tool("late", ()).await.unwrap().content[0].as_text(), Some("late"));

    if let Some(stop) = listen {
        stop.abort();
    }
    c.close().await;
    pair.done.await.unwrap();
}

on_every_runtime!(legacy_notifications, stateless_notifications);

async fn legacy_notifications<R: TestRuntime>() {
    exercise::<R>(&[ProtocolVersion::V2025_11_25]).await;
}

async fn stateless_notifications<R: TestRuntime>() {
    exercise::<R>(&ProtocolVersion::ALL).await;
}
