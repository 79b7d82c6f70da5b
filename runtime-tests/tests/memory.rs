//! A server and a client joined in memory: the high-level API end to end, both eras, on
//! every runtime.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::{CallOptions, ClientHandlers};
use mcp_sansio::driver::CallError;
use mcp_sansio::jsonrpc::ErrorCode;
use mcp_sansio::server::{Context, Json, NoArguments, Server, ServerBuilder, ToolDef};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::{
    ElicitAction, ElicitRequestFormParams, ElicitRequestParams, ElicitResult, Implementation,
    RequestedSchema,
};
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, JsonSchema)]
struct AddArgs {
    a: i64,
    b: i64,
}

#[derive(Serialize, JsonSchema)]
struct Sum {
    result: i64,
}

#[derive(Deserialize, JsonSchema)]
struct Slow {
    millis: u64,
}

fn server<R: TestRuntime>(dropped: Arc<AtomicUsize>) -> Server {
    ServerBuilder::new("memory-server", "1.0.0")
        .tool("add", "Add two numbers", |a: AddArgs, _ctx: Context| async move {
            Json(Sum { result: a.a + a.b })
        })
        .tool("slow", "Sleeps, reporting progress", move |s: Slow, ctx: Context| {
            let dropped = dropped.clone();
            async move {
                struct Guard(Arc<AtomicUsize>);
                impl Drop for Guard {
                    fn drop(&mut self) {
                        self.0.fetch_add(1, Ordering::SeqCst);
                    }
                }
                let _guard = Guard(dropped);
                for i in 1..=3 {
                    ctx.progress(f64::from(i), Some(3.0), Some("working")).await;
                    R::sleep(Duration::from_millis(s.millis)).await;
                }
                "done"
            }
        })
        .tool("boom", "Panics", |_: NoArguments, _ctx: Context| async move {
            if true {
                panic!("the handler exploded");
            }
            "unreachable"
        })
                .tool_with(
            ToolDef {
                output_schema: Some(
                    serde_json::from_value(serde_json::json!({
                        "type": "object", "properties": {"result": {"type": "integer"}}, "required": ["result"]
                    }))
                    .unwrap(),
                ),
                ..ToolDef::new("liar", "Returns output that does not match its schema")
            },
            |_: NoArguments, _ctx: Context| async { Json(serde_json::json!({"result": "not a number"})) },
        )
        .tool("ask", "Asks the user for a name", |_: NoArguments, ctx: Context| async move {
            let schema: RequestedSchema = serde_json::from_value(serde_json::json!({
                "type": "object", "properties": {"name": {"type": "string", "default": "Ada"}}
            }))
            .unwrap();
            let answer = ctx
                .elicit(ElicitRequestParams::Form(ElicitRequestFormParams::new("Name?", schema)))
                .await?;
            let name = answer
                .content
                .and_then(|c| c.get("name").cloned())
                .map(|v| serde_json::to_string(&v).unwrap());
            Ok::<_, CallError>(format!("hello {}", name.unwrap_or_default()))
        })
        .build()
        .unwrap()
}

fn handlers() -> ClientHandlers {
    ClientHandlers::new().on_elicitation(false, |_params| async move {
        // Accept without filling the field: the client fills the schema's default.
        Ok(ElicitResult {
            action: ElicitAction::Accept,
            content: Some(Default::default()),
            meta: None,
            extra: Default::default(),
        })
    })
}

fn config(versions: &[ProtocolVersion]) -> ClientConfig {
    let mut c = ClientConfig::new(Implementation::new("memory-client", "1.0.0"));
    c.versions = versions.to_vec();
    c
}

async fn exercise<R: TestRuntime>(versions: &[ProtocolVersion], expect: ProtocolVersion) {
    let dropped = Arc::new(AtomicUsize::new(0));
    let pair = R::memory_pair(server::<R>(dropped.clone()), config(versions), handlers()).unwrap();
    let client = pair.client;
    let info = client.connect().await.unwrap();
    assert_eq!(info.protocol_version, expect);

    let tools = client.list_tools().await.unwrap();
    assert_eq!(
        tools.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["add", "slow", "boom", "liar", "ask"]
    );
    assert_eq!(tools[0].output_schema.as_ref().unwrap()["properties"]["result"]["type"], "integer");

    let r = client.call_tool("add", serde_json::json!({"a": 2, "b": 40})).await.unwrap();
    assert_eq!(r.structured_content, Some(serde_json::json!({"result": 42})));
    assert_eq!(r.is_error, None);

    // Bad arguments are a tool error the model can read, not a protocol error.
    let r = client.call_tool("add", serde_json::json!({"a": "two"})).await.unwrap();
    assert_eq!(r.is_error, Some(true));
    assert!(r.content[0].as_text().unwrap().contains("Invalid arguments"), "{r:?}");

    // Structured output that does not match the tool's outputSchema is refused by the client.
    let e = client.call_tool("liar", ()).await.unwrap_err();
    assert!(matches!(&e, CallError::InvalidResult(m) if m.contains("outputSchema")), "{e:?}");

    let e = client.call_tool("nope", ()).await.unwrap_err();
    assert!(matches!(e, CallError::Error(ref o) if o.code == ErrorCode::INVALID_PARAMS), "{e:?}");

    // Progress reaches the callback.
    let seen = Arc::new(AtomicUsize::new(0));
    let s = seen.clone();
    let options = CallOptions {
        on_progress: Some(Box::new(move |_, _, _| {
            s.fetch_add(1, Ordering::SeqCst);
        })),
        ..Default::default()
    };
    let r = client.call_tool_with("slow", serde_json::json!({"millis": 1}), options).await.unwrap();
    assert_eq!(r.content[0].as_text(), Some("done"));
    assert_eq!(seen.load(Ordering::SeqCst), 3);

    // A panicking handler becomes an internal error and the server stays up.
    let e = client.call_tool("boom", ()).await.unwrap_err();
    assert!(matches!(e, CallError::Error(ref o) if o.code == ErrorCode::INTERNAL_ERROR), "{e:?}");

    // Elicitation: a server→client request (legacy) or an MRTR round (2026-07-28), same handler.
    let r = client.call_tool("ask", ()).await.unwrap();
    assert_eq!(r.content[0].as_text(), Some("hello \"Ada\""), "{r:?}");

    // Dropping a call cancels it: the server aborts the handler.
    let before = dropped.load(Ordering::SeqCst);
    let call = client.call_tool("slow", serde_json::json!({"millis": 10_000}));
    assert!(R::timeout(Duration::from_millis(100), call).await.is_none());
    for _ in 0..100 {
        if dropped.load(Ordering::SeqCst) > before {
            break;
        }
        R::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(dropped.load(Ordering::SeqCst), before + 1, "the cancelled handler was not dropped");
    assert_eq!(
        client
            .call_tool("add", serde_json::json!({"a": 1, "b": 1}))
            .await
            .unwrap()
            .structured_content,
        Some(serde_json::json!({"result": 2}))
    );

    client.close().await;
    pair.done.await.unwrap();
}

on_every_runtime!(stateless_2026, legacy_2025_11_25);

async fn stateless_2026<R: TestRuntime>() {
    exercise::<R>(&ProtocolVersion::ALL, ProtocolVersion::V2026_07_28).await;
}

async fn legacy_2025_11_25<R: TestRuntime>() {
    exercise::<R>(
        &[ProtocolVersion::V2025_06_18, ProtocolVersion::V2025_11_25],
        ProtocolVersion::V2025_11_25,
    )
    .await;
}

on_every_runtime!(a_call_that_does_not_wait_is_answered_in_the_callers_first_poll);

/// The pair's task is never polled here: with the two cores joined in one state, connecting
/// and a call whose handler does not wait happen entirely inside the caller's own poll.
async fn a_call_that_does_not_wait_is_answered_in_the_callers_first_poll<R: TestRuntime>() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let (client, _server, unpolled) = mcp_sansio_rt::joined(
        R::Rt::default(),
        server::<R>(dropped),
        config(&[ProtocolVersion::V2025_11_25]),
        handlers(),
    )
    .unwrap();
    {
        // No await in here: the context with its no-op waker never crosses one.
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let connect = std::pin::pin!(client.connect());
        assert!(matches!(connect.poll(&mut cx), std::task::Poll::Ready(Ok(_))), "connected");
        let call = std::pin::pin!(client.call_tool("add", serde_json::json!({"a": 2, "b": 3})));
        match call.poll(&mut cx) {
            std::task::Poll::Ready(Ok(result)) => {
                assert_eq!(result.structured_content, Some(serde_json::json!({"result": 5})));
            }
            other => panic!("answered in the first poll, got {other:?}"),
        }
    }
    drop(unpolled);
    // With the pair gone, calls fail instead of waiting forever.
    assert!(matches!(
        client.call_tool("add", serde_json::json!({"a": 1, "b": 1})).await,
        Err(CallError::Closed)
    ));
}

on_every_runtime!(calls_from_a_thread_outside_the_runtime_are_answered);

/// A thread that is not the runtime's (on tokio, one where no task can be started) sends
/// through the pair's channel; its calls, the waiting ones included, are answered all the same.
async fn calls_from_a_thread_outside_the_runtime_are_answered<R: TestRuntime>() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let pair =
        R::memory_pair(server::<R>(dropped), config(&[ProtocolVersion::V2025_11_25]), handlers())
            .unwrap();
    pair.client.connect().await.unwrap();
    let client = pair.client.clone();
    let (tx, rx) = futures_channel::oneshot::channel();
    std::thread::spawn(move || {
        let answers = block_on_thread(async move {
            let add = client.call_tool("add", serde_json::json!({"a": 20, "b": 22})).await;
            let slow = client.call_tool("slow", serde_json::json!({"millis": 1})).await;
            (
                add.map(|r| r.structured_content),
                slow.map(|r| r.content[0].as_text().map(String::from)),
            )
        });
        let _ = tx.send(answers);
    });
    let (add, slow) = rx.await.unwrap();
    assert_eq!(add.unwrap(), Some(serde_json::json!({"result": 42})));
    assert_eq!(slow.unwrap().as_deref(), Some("done"));
    pair.client.close().await;
    pair.done.await.unwrap();
}

/// Runs `future` on the calling thread, parking it between polls.
fn block_on_thread<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

on_every_runtime!(a_call_times_out_on_the_pairs_timer, a_server_that_shuts_down_ends_the_pair);

/// The pair's task arms its timer for a deadline set on the caller's thread: a call whose
/// handler outlasts the call's timeout ends with `TimedOut`, and the handler is stopped.
async fn a_call_times_out_on_the_pairs_timer<R: TestRuntime>() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let pair = R::memory_pair(
        server::<R>(dropped.clone()),
        config(&[ProtocolVersion::V2025_11_25]),
        handlers(),
    )
    .unwrap();
    pair.client.connect().await.unwrap();
    let options = CallOptions { timeout: Some(Duration::from_millis(50)), ..Default::default() };
    let call = pair.client.call_tool_with("slow", serde_json::json!({"millis": 2000}), options);
    let outcome = R::timeout(Duration::from_secs(5), call).await;
    assert!(matches!(outcome, Some(Err(CallError::TimedOut))), "{outcome:?}");
    for _ in 0..200 {
        if dropped.load(Ordering::SeqCst) == 1 {
            break;
        }
        R::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(dropped.load(Ordering::SeqCst), 1, "the timed-out handler was not stopped");
    // The pair goes on.
    let r = pair.client.call_tool("add", serde_json::json!({"a": 1, "b": 2})).await.unwrap();
    assert_eq!(r.structured_content, Some(serde_json::json!({"result": 3})));
    pair.client.close().await;
    pair.done.await.unwrap();
}

/// Shutting the server down ends the pair: the client's input ends, its calls fail with
/// `Closed`, and the pair's task completes.
async fn a_server_that_shuts_down_ends_the_pair<R: TestRuntime>() {
    let pair = R::memory_pair(
        server::<R>(Arc::new(AtomicUsize::new(0))),
        config(&[ProtocolVersion::V2025_11_25]),
        handlers(),
    )
    .unwrap();
    pair.client.connect().await.unwrap();
    pair.server.shutdown().await.unwrap();
    let e = pair.client.call_tool("add", serde_json::json!({"a": 1, "b": 2})).await.unwrap_err();
    assert_eq!(e, CallError::Closed);
    R::timeout(Duration::from_secs(5), pair.done).await.expect("the pair ends").unwrap();
}
