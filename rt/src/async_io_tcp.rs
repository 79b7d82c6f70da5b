//! A TCP stream on async-io's reactor (smol's and async-std's) that remembers when it found
//! nothing to read.
//!
//! async-io's own `poll_read` tries the socket first on every poll and registers interest only
//! after `EWOULDBLOCK`: a `recvfrom` and an `epoll_ctl` each time. hyper polls a connection's
//! reader whenever its task wakes for any reason (a response part queued, a body wanted), so
//! an echo call cost about nine failed reads and ten re-registrations. This stream waits for
//! the reactor's readiness once a read came back empty, or shorter than the buffer (the socket
//! had no more), as tokio's streams do. Waiting is safe either way: re-arming the socket's
//! interest reports data that is already there.

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
    /// The last read found nothing, or less than it asked for: wait for readiness before the
    /// next.
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
                Ok(n) if n > 0 && n < buf.len() => {
                    self.drained = true;
                    return Poll::Ready(Ok(n));
                }
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

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::net::TcpListener;

    use futures_util::AsyncReadExt;

    use super::*;

    #[test]
    fn data_after_a_short_read_is_still_read() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut writer = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (reader, _) = listener.accept().unwrap();
        let mut reader = ReadinessTcp::new(Arc::new(Async::new(reader).unwrap()));
        async_io::block_on(async {
            let mut buf = [0u8; 64];
            writer.write_all(b"first").unwrap();
            assert_eq!(reader.read(&mut buf).await.unwrap(), 5);
            assert!(reader.drained, "a short read waits for readiness next");
            // Written before the reader waits again: re-arming the interest reports it.
            writer.write_all(b"second").unwrap();
            assert_eq!(reader.read(&mut buf).await.unwrap(), 6);
            assert_eq!(&buf[..6], b"second");
            drop(writer);
            assert_eq!(reader.read(&mut buf).await.unwrap(), 0);
        });
    }
}
