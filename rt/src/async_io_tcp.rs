//! A TCP stream on async-io's reactor (smol's and async-std's) that remembers when it found
//! nothing to read.
//!
//! async-io's own `poll_read` tries the socket first on every poll and registers interest only
//! after `EWOULDBLOCK`: a `recvfrom` and an `epoll_ctl` each time. hyper polls a connection's
//! reader whenever its task wakes for any reason (a response part queued, a body wanted), so
//! an echo call cost about nine failed reads and ten re-registrations. This stream waits for
//! the reactor's readiness once a read came back empty, as tokio's streams do.

use std::io::{self, Read};
use std::net::TcpStream;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use async_io::Async;
use futures_io::{AsyncRead, AsyncWrite};

/// A TCP stream on async-io's reactor that reads only once the reactor says it is readable.
#[derive(Debug)]
pub struct ReadinessTcp {
    io: Arc<Async<TcpStream>>,
    /// The last read found nothing: wait for readiness before the next.
    drained: bool,
}

impl ReadinessTcp {
    /// Wraps a stream registered with async-io's reactor.
    pub fn new(io: Arc<Async<TcpStream>>) -> Self {
        ReadinessTcp { io, drained: false }
    }
}

impl AsyncRead for ReadinessTcp {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        loop {
            if self.drained {
                // Cheap while nothing arrived: the reactor already holds this task's waker.
                ready!(self.io.poll_readable(cx))?;
                self.drained = false;
            }
            match self.io.get_ref().read(buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.drained = true,
                result => return Poll::Ready(result),
            }
        }
    }
}

impl AsyncWrite for ReadinessTcp {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut &*self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut &*self.io).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut &*self.io).poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut &*self.io).poll_close(cx)
    }
}
