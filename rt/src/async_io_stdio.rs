//! This process's stdin and stdout for the runtimes on async-io's reactor (smol, async-std):
//! on the reactor when `stdio_fds` allows it (unix), on a helper thread each otherwise.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use blocking::Unblock;
use futures_io::{AsyncRead, AsyncWrite};

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
    /// Put back in the mode it was found in when dropped (after it is deregistered).
    #[cfg(unix)]
    Reactor {
        io: async_io::Async<std::fs::File>,
        _restore: crate::stdio_fds::RestoreBlocking,
    },
    Thread(Unblock<T>),
}

/// This process's stdin and stdout as async streams. Pipes and sockets (how an MCP client
/// spawns a stdio server) are read and written on the reactor, with no helper thread (unix; see
/// `stdio_fds`); a terminal or a file goes through a helper thread per stream, buffering at most
/// 64 KiB (an oversized line from the peer is refused by the core's line decoder, not held
/// whole first).
pub fn stdio() -> (Stdin, Stdout) {
    #[cfg(unix)]
    let (stdin, stdout) = {
        use crate::stdio_fds::{reactor_stdin, reactor_stdout};
        let on_reactor = |found: Option<(std::fs::File, _)>| {
            let (file, restore) = found?;
            Some((async_io::Async::new(file).ok()?, restore))
        };
        (on_reactor(reactor_stdin()), on_reactor(reactor_stdout()))
    };
    #[cfg(not(unix))]
    let (stdin, stdout) = (None::<((), ())>, None::<((), ())>);
    let stdin = match stdin {
        #[cfg(unix)]
        Some((io, restore)) => Stream::Reactor { io, _restore: restore },
        _ => Stream::Thread(Unblock::with_capacity(THREAD_BUFFER, io::stdin())),
    };
    let stdout = match stdout {
        #[cfg(unix)]
        Some((io, restore)) => Stream::Reactor { io, _restore: restore },
        _ => Stream::Thread(Unblock::with_capacity(THREAD_BUFFER, io::stdout())),
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
            #[cfg(unix)]
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
            #[cfg(unix)]
            Stream::Reactor { io, .. } => Pin::new(io).poll_write(cx, buf),
            Stream::Thread(io) => Pin::new(io).poll_write(cx, buf),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.0 {
            #[cfg(unix)]
            Stream::Reactor { io, .. } => Pin::new(io).poll_flush(cx),
            Stream::Thread(io) => Pin::new(io).poll_flush(cx),
        }
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.0 {
            #[cfg(unix)]
            Stream::Reactor { io, .. } => Pin::new(io).poll_close(cx),
            Stream::Thread(io) => Pin::new(io).poll_close(cx),
        }
    }
}
