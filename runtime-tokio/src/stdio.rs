//! This process's stdin and stdout on tokio: pipes on tokio's reactor when
//! [`stdio_fds`](mcp_sansio_rt::stdio_fds) allows it (no helper thread, so no thread hand-off
//! per message), tokio's own blocking-thread streams otherwise.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// This process's stdin as a tokio stream.
#[derive(Debug)]
pub struct Stdin(Input);

/// This process's stdout as a tokio stream.
#[derive(Debug)]
pub struct Stdout(Output);

#[derive(Debug)]
enum Input {
    #[cfg(unix)]
    Pipe {
        io: tokio::net::unix::pipe::Receiver,
        _restore: mcp_sansio_rt::stdio_fds::RestoreBlocking,
    },
    Thread(tokio::io::Stdin),
}

#[derive(Debug)]
enum Output {
    #[cfg(unix)]
    Pipe {
        io: tokio::net::unix::pipe::Sender,
        _restore: mcp_sansio_rt::stdio_fds::RestoreBlocking,
    },
    Thread(tokio::io::Stdout),
}

/// This process's stdin and stdout: pipes go on tokio's reactor, anything else (a terminal, a
/// file, a socket) through tokio's blocking-thread streams. Call it inside the runtime.
pub fn stdio() -> (Stdin, Stdout) {
    #[cfg(unix)]
    {
        use mcp_sansio_rt::stdio_fds::{reactor_stdin, reactor_stdout};
        use tokio::net::unix::pipe;
        let input = reactor_stdin()
            .and_then(|(f, restore)| {
                Some(Input::Pipe { io: pipe::Receiver::from_file(f).ok()?, _restore: restore })
            })
            .unwrap_or_else(|| Input::Thread(tokio::io::stdin()));
        let output = reactor_stdout()
            .and_then(|(f, restore)| {
                Some(Output::Pipe { io: pipe::Sender::from_file(f).ok()?, _restore: restore })
            })
            .unwrap_or_else(|| Output::Thread(tokio::io::stdout()));
        (Stdin(input), Stdout(output))
    }
    #[cfg(not(unix))]
    {
        (Stdin(Input::Thread(tokio::io::stdin())), Stdout(Output::Thread(tokio::io::stdout())))
    }
}

impl AsyncRead for Stdin {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match &mut self.0 {
            #[cfg(unix)]
            Input::Pipe { io, .. } => Pin::new(io).poll_read(cx, buf),
            Input::Thread(io) => Pin::new(io).poll_read(cx, buf),
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
            Output::Pipe { io, .. } => Pin::new(io).poll_write(cx, buf),
            Output::Thread(io) => Pin::new(io).poll_write(cx, buf),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.0 {
            #[cfg(unix)]
            Output::Pipe { io, .. } => Pin::new(io).poll_flush(cx),
            Output::Thread(io) => Pin::new(io).poll_flush(cx),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.0 {
            #[cfg(unix)]
            Output::Pipe { io, .. } => Pin::new(io).poll_shutdown(cx),
            Output::Thread(io) => Pin::new(io).poll_shutdown(cx),
        }
    }
}
