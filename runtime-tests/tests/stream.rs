//! A client and a server on a byte stream (the loop stdio and child processes run), on every
//! runtime: who does the work of a call.

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use mcp_sansio::client::ClientHandlers;
use mcp_sansio::server::{Context as ToolContext, ServerBuilder};
use mcp_sansio::session::ClientConfig;
use mcp_sansio::types::Implementation;
use mcp_sansio_runtime_tests::{TestRuntime, on_every_runtime};

on_every_runtime!(a_caller_writes_its_own_request_while_the_clients_loop_waits);

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
/// see it; a caller that finds the loop idle writes the request itself, and the client's loop
/// runs only for the answer.
async fn a_caller_writes_its_own_request_while_the_clients_loop_waits<R: TestRuntime>() {
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
        assert!(call.as_mut().poll(&mut cx).is_pending(), "the client has not read yet");
        assert!(run.as_mut().poll(&mut cx).is_pending());
        match call.as_mut().poll(&mut cx) {
            Poll::Ready(Ok(result)) => {
                assert_eq!(result.content[0].as_text(), Some(n.to_string().as_str()));
            }
            other => panic!("answered after one run of each loop, got {other:?}"),
        }
    }
}
