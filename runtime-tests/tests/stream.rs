//! A client and a server on a byte stream (the loop stdio and child processes run), on every
//! runtime: who does the work of a call.

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};

use std::task::{Context, Poll, Waker};

use mcp_sansio::ProtocolVersion;
use mcp_sansio::client::ClientHandlers;
use mcp_sansio::server::{Context as ToolContext, ServerBuilder};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::Implementation;
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};

on_every_runtime!(a_caller_makes_its_call_while_the_clients_loop_waits);

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Echo {
    n: usize,
}

/// One direction of an in-memory stream that, unlike a real pipe, never yields at random:
/// this test counts polls.
#[derive(Clone, Default)]
struct Wire(Arc<Mutex<(VecDeque<u8>, Option<Waker>)>>);

impl futures_util::io::AsyncRead for Wire {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let mut wire = self.0.lock().unwrap();
        if wire.0.is_empty() {
            wire.1 = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let n = buf.len().min(wire.0.len());
        for (b, byte) in buf.iter_mut().zip(wire.0.drain(..n)) {
            *b = byte;
        }
        Poll::Ready(Ok(n))
    }
}

impl futures_util::io::AsyncWrite for Wire {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let mut wire = self.0.lock().unwrap();
        wire.0.extend(buf);
        if let Some(waker) = wire.1.take() {
            waker.wake();
        }
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// Both loops are polled by hand here, so the test knows who did what. Through a channel, a
/// call would need a run of the client's loop to write its request before the server could
/// see it, and another to read the answer; a caller that finds the loop idle writes the
/// request itself, and while it waits it reads the answer itself.
async fn a_caller_makes_its_call_while_the_clients_loop_waits<R: TestRuntime>() {
    let server = ServerBuilder::new("stream-server", "1.0.0")
        .tool("echo", "Echo", |v: Echo, _ctx: ToolContext| async move { v.n.to_string() })
        .build()
        .unwrap();
    let (to_server, to_client) = (Wire::default(), Wire::default());
    let (_handle, serving) =
        mcp_sansio_rt::serving(R::Rt::default(), server, to_server.clone(), to_client.clone())
            .unwrap();
    let config = ClientConfig::new(Implementation::new("stream-client", "1.0.0"));
    let (client, run) = mcp_sansio_rt::client(
        R::Rt::default(),
        to_client,
        to_server,
        config,
        ClientHandlers::new(),
    );
    let mut cx = Context::from_waker(Waker::noop());
    let (mut serving, mut run) = (pin!(serving), pin!(run));
    let mut connect = pin!(client.connect());
    let mut connected = false;
    for _ in 0..100 {
        assert!(run.as_mut().poll(&mut cx).is_pending());
        assert!(serving.as_mut().poll(&mut cx).is_pending());
        if let Poll::Ready(info) = connect.as_mut().poll(&mut cx) {
            info.unwrap();
            connected = true;
            break;
        }
    }
    assert!(connected, "the handshake completes with both loops polled by hand");

    for n in 0..3 {
        // Settle both loops (a first call also arms the client's timer).
        for _ in 0..3 {
            assert!(run.as_mut().poll(&mut cx).is_pending());
            assert!(serving.as_mut().poll(&mut cx).is_pending());
        }
        let mut call = pin!(client.call_tool("echo", serde_json::json!({ "n": n })));
        assert!(call.as_mut().poll(&mut cx).is_pending(), "no answer before the server runs");
        // The server finds the request on the wire without the client's loop having run.
        assert!(serving.as_mut().poll(&mut cx).is_pending());
        // And the waiting caller reads its answer itself: the client's loop never runs.
        match call.as_mut().poll(&mut cx) {
            Poll::Ready(Ok(result)) => {
                assert_eq!(result.content[0].as_text(), Some(n.to_string().as_str()));
            }
            other => panic!("answered without the client's loop, got {other:?}"),
        }
    }
}

/// A legacy client and server on an in-memory stream, their loops running as tasks.
struct Connected {
    client: mcp_sansio::client::Client,
    handle: mcp_sansio::server::ServerHandle,
    /// The notifications the client has seen, by method.
    seen: Arc<Mutex<Vec<String>>>,
    /// The client loop's end.
    done: futures_channel::oneshot::Receiver<std::io::Result<()>>,
}

async fn connected<R: TestRuntime>(server: mcp_sansio::server::Server) -> Connected {
    let (client_io, server_io) = mcp_sansio_rt::duplex(64 * 1024);
    let (handle, serving) =
        mcp_sansio_rt::serving(R::Rt::default(), server, server_io.reader, server_io.writer)
            .unwrap();
    R::spawn(Box::pin(async move {
        let _ = serving.await;
    }));
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    let handlers = ClientHandlers::new()
        .on_notification(move |method, _| log.lock().unwrap().push(method.to_owned()));
    // A legacy session: the server sends list changes to it unasked.
    let mut config = ClientConfig::new(Implementation::new("stream-client", "1.0.0"));
    config.versions = vec![ProtocolVersion::V2025_11_25];
    let (client, run) = mcp_sansio_rt::client(
        R::Rt::default(),
        client_io.reader,
        client_io.writer,
        config,
        handlers,
    );
    let (done_tx, done) = futures_channel::oneshot::channel();
    R::spawn(Box::pin(async move {
        let _ = done_tx.send(run.await);
    }));
    client.connect().await.unwrap();
    Connected { client, handle, seen, done }
}

/// Waits up to three seconds for the client to have seen `method`.
async fn saw<R: TestRuntime>(seen: &Mutex<Vec<String>>, method: &str) -> bool {
    for _ in 0..300 {
        if seen.lock().unwrap().iter().any(|m| m == method) {
            return true;
        }
        R::sleep(std::time::Duration::from_millis(10)).await;
    }
    false
}

on_every_runtime!(concurrent_calls_and_notifications_between_calls_all_arrive);

/// With the loops running as tasks: sixteen calls at once (one caller reads for all, or the
/// loop does) all get their own answers, and a notification sent while no call waits (the
/// input handed back to the loop) still reaches the client.
async fn concurrent_calls_and_notifications_between_calls_all_arrive<R: TestRuntime>() {
    let server = ServerBuilder::new("stream-server", "1.0.0")
        .tool("echo", "Echo", |v: Echo, _ctx: ToolContext| async move { v.n.to_string() })
        .build()
        .unwrap();
    let Connected { client, handle, seen, done } = connected::<R>(server).await;

    for round in 0..3 {
        let calls = (0..16).map(|n| {
            let client = client.clone();
            async move {
                let n = round * 100 + n;
                let r = client.call_tool("echo", serde_json::json!({ "n": n })).await.unwrap();
                assert_eq!(r.content[0].as_text(), Some(n.to_string().as_str()));
            }
        });
        let all = futures_util::future::join_all(calls);
        R::timeout(std::time::Duration::from_secs(10), all).await.expect("every call answered");

        // Nobody waits now: the notification is the loop's to read.
        seen.lock().unwrap().clear();
        handle.tools_changed().await.unwrap();
        let arrived = saw::<R>(&seen, "notifications/tools/list_changed").await;
        assert!(arrived, "round {round}: the notification did not arrive");
    }
    client.close().await;
    done.await.unwrap().unwrap();
}

on_every_runtime!(a_waiter_left_unpolled_does_not_hold_up_the_servers_messages);

/// A call's future polled once (so it took the loop's input) and then left alone, as inside a
/// `select!` busy in another branch: a notification from the server still arrives, read by
/// the loop on its watch over taken input.
async fn a_waiter_left_unpolled_does_not_hold_up_the_servers_messages<R: TestRuntime>() {
    let server = ServerBuilder::new("stream-server", "1.0.0")
        .tool("wait", "Waits a long time", |_: Echo, _ctx: ToolContext| async move {
            R::sleep(std::time::Duration::from_secs(30)).await;
            "late"
        })
        .build()
        .unwrap();
    let Connected { client, handle, seen, .. } = connected::<R>(server).await;

    let mut call = Box::pin(client.call_tool("wait", serde_json::json!({ "n": 1 })));
    {
        let mut cx = Context::from_waker(Waker::noop());
        assert!(call.as_mut().poll(&mut cx).is_pending(), "the tool waits");
    }
    // The call now holds the input, and nothing polls it again.
    handle.tools_changed().await.unwrap();
    let arrived = saw::<R>(&seen, "notifications/tools/list_changed").await;
    assert!(arrived, "the notification waited for the unpolled call");
    drop(call);
    client.close().await;
}
