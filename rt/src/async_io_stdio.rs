//! This process's stdin and stdout for the runtimes on async-io's reactor (smol, async-std):
//! on the reactor when [`stdio_fds`](crate::stdio_fds) allows it, on a helper thread each
//! otherwise.

use std::fs::File;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use async_io::Async;
use blocking::Unblock;
use futures_io::{AsyncRead, AsyncWrite};

use crate::stdio_fds::{RestoreBlocking, reactor_stdin, reactor_stdout};

/// What a helper thread buffers per stream: an oversized line from the peer is refused by the
/// core's line decoder, not held whole in a buffer first.
const THREAD_BUFFER: usize = 64 * 1024;

/// This process's stdin as an async stream.
#[derive(Debug)]
pub struct Stdin(Stream<io::Stdin>);

/// This process's stdout as an async stream.
#[derive(Debug)]
pub struct Stdout(Stream<io::Stdout>);

#[derive(Debug)]
enum Stream<T> {
    /// Made blocking again when dropped (after the stream is deregistered).
    Reactor {
        io: Async<File>,
        _restore: RestoreBlocking,
    },
    Thread(Unblock<T>),
}

/// This process's stdin and stdout: on the reactor when they are pipes or sockets, on a
/// helper thread each otherwise (see [`stdio_fds`](crate::stdio_fds)).
pub fn stdio() -> (Stdin, Stdout) {
    let stdin = match reactor_stdin().and_then(|(f, r)| Some((Async::new(f).ok()?, r))) {
        Some((io, restore)) => Stream::Reactor { io, _restore: restore },
        None => Stream::Thread(Unblock::with_capacity(THREAD_BUFFER, io::stdin())),
    };
    let stdout = match reactor_stdout().and_then(|(f, r)| Some((Async::new(f).ok()?, r))) {
        Some((io, restore)) => Stream::Reactor { io, _restore: restore },
        None => Stream::Thread(Unblock::with_capacity(THREAD_BUFFER, io::stdout())),
    };
    (Stdin(stdin), Stdout(stdout))
}

impl AsyncRead for Stdin {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        match &mut self.0 {
            Stream::Reactor { io, .. } => Pin::new(io).poll_read(cx, buf),
            Stream::Thread(io) => Pin::new(io).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stdout {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match &mut self.0 {
            Stream::Reactor { io, .. } => Pin::new(io).poll_write(cx, buf),
            Stream::Thread(io) => Pin::new(io).poll_write(cx, buf),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.0 {
            Stream::Reactor { io, .. } => Pin::new(io).poll_flush(cx),
            Stream::Thread(io) => Pin::new(io).poll_flush(cx),
        }
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.0 {
            Stream::Reactor { io, .. } => Pin::new(io).poll_close(cx),
            Stream::Thread(io) => Pin::new(io).poll_close(cx),
        }
    }
}
