//! The shared driver loop on every runtime: a panicking handler is an internal error and a log
//! line, and a peer that vanishes mid-call stops its handler and ends the loop.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use mcp_sansio::driver::Driver;
use mcp_sansio::server::{Context, NoArguments, ServerBuilder};
use mcp_sansio::session::Framing;
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};
use serde_json::Value;

on_every_runtime!(a_panicking_handler_is_an_internal_error_and_a_log_line);

async fn a_panicking_handler_is_an_internal_error_and_a_log_line<R: TestRuntime>() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let d = dropped.clone();
    let server = ServerBuilder::new("panicky", "1")
        .tool("boom", "Panics", |_: NoArguments, _ctx: Context| async {
            if true {
                panic!("boom");
            }
            ""
        })
        .tool("wait", "Waits forever", move |_: NoArguments, _ctx: Context| {
            let d = d.clone();
            async move {
                struct Guard(Arc<AtomicUsize>);
                impl Drop for Guard {
                    fn drop(&mut self) {
                        self.0.fetch_add(1, Ordering::SeqCst);
                    }
                }
                let _g = Guard(d);
                std::future::pending::<()>().await;
                ""
            }
        })
        .build()
        .unwrap();
    let (client_io, server_io) = mcp_sansio_rt::duplex(64 * 1024);
    let (sink, rx) = mcp_sansio_rt::channel();
    let sink = Arc::new(sink);
    let driver = Driver::server(server, Framing::Lines, sink.clone());
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let l = log.clone();
    let (serving, done) =
        futures_util::FutureExt::remote_handle(mcp_sansio_rt::run_with_diagnostics(
            R::Rt::default(),
            driver,
            server_io.reader,
            server_io.writer,
            rx,
            move |t| l.lock().unwrap().push(t.to_owned()),
        ));
    R::spawn(Box::pin(serving));
    drop(sink);

    let mut write = client_io.writer;
    let mut lines = BufReader::new(client_io.reader).lines();
    write.write_all(br#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"boom"}}
"#).await.unwrap();
    let _init = lines.next().await.unwrap().unwrap();
    let reply: Value = serde_json::from_str(&lines.next().await.unwrap().unwrap()).unwrap();
    assert_eq!(reply["id"], 1);
    assert_eq!(reply["error"]["code"], -32603);
    assert!(
        log.lock().unwrap().iter().any(|l| l.contains("handler for request 1 panicked")),
        "{:?}",
        log.lock().unwrap()
    );

    // The server is still up; then the client vanishes mid-call.
    write.write_all(b"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"wait\"}}\n").await.unwrap();
    R::sleep(Duration::from_millis(50)).await;
    drop(write);
    drop(lines);
    R::timeout(Duration::from_secs(5), done).await.expect("the loop ends").unwrap();
    assert_eq!(dropped.load(Ordering::SeqCst), 1, "the in-flight handler was dropped");
    assert!(
        log.lock().unwrap().iter().any(|l| l.contains("1 request(s) in flight")),
        "{:?}",
        log.lock().unwrap()
    );
}
