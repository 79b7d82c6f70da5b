//! hyper's runtime traits (`Read`/`Write`, `Executor`, `Timer`) on futures-io streams and a
//! [`Runtime`], so one hyper server and client serve every executor.

use std::future::Future;
use std::io;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_io::{AsyncRead, AsyncWrite};

use crate::Runtime;

/// The least and the most of hyper's read buffer offered to one read. What is offered must be
/// initialised first (futures-io reads into `&mut [u8]`), so offering all of a large buffer
/// would cost a large memset per read; the offer grows while reads fill it, and shrinks back
/// when they come in small (MCP messages mostly are).
const MIN_READ: usize = 2 * 1024;
const MAX_READ: usize = 64 * 1024;

/// A futures-io byte stream as hyper's I/O.
#[derive(Debug)]
pub struct HyperIo<T> {
    io: T,
    /// How much of hyper's buffer the next read offers.
    window: usize,
}

impl<T> HyperIo<T> {
    /// `io` as hyper's I/O.
    pub fn new(io: T) -> Self {
        HyperIo { io, window: MIN_READ }
    }
}

impl<T: AsyncRead + Unpin> hyper::rt::Read for HyperIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        // SAFETY: only initialised bytes are exposed: the offered prefix is zeroed below, and
        // `advance` is called with the count the reader reports having written.
        let spare = unsafe { buf.as_mut() };
        let len = spare.len().min(this.window);
        let spare = &mut spare[..len];
        spare.fill(MaybeUninit::new(0));
        // SAFETY: every byte of `spare` was just initialised.
        let bytes = unsafe { &mut *(spare as *mut [MaybeUninit<u8>] as *mut [u8]) };
        match Pin::new(&mut this.io).poll_read(cx, bytes) {
            Poll::Ready(Ok(n)) => {
                let n = n.min(len);
                this.window = next_window(this.window, len, n);
                // SAFETY: the reader wrote (initialised) `n <= len` bytes.
                unsafe { buf.advance(n) };
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The next read's offer: doubled after a read that filled a full offer, halved after one
/// that used less than an eighth of it, within [`MIN_READ`]..=[`MAX_READ`]. A read that the
/// buffer's room, not the offer, held back says nothing.
fn next_window(window: usize, offered: usize, read: usize) -> usize {
    if offered < window {
        window
    } else if read == offered {
        (window * 2).min(MAX_READ)
    } else if read < window / 8 {
        (window / 2).max(MIN_READ)
    } else {
        window
    }
}

impl<T: AsyncWrite + Unpin> hyper::rt::Write for HyperIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_close(cx)
    }
}

/// A [`Runtime`] as hyper's executor (HTTP/2 streams run as tasks of their own).
#[derive(Clone, Debug)]
pub struct HyperExecutor<R>(pub R);

impl<R: Runtime, F: Future<Output = ()> + Send + 'static> hyper::rt::Executor<F>
    for HyperExecutor<R>
{
    fn execute(&self, future: F) {
        self.0.spawn(future);
    }
}

/// A [`Runtime`]'s clock and timers as hyper's timer (header-read timeouts, HTTP/2 pings).
#[derive(Clone, Debug)]
pub struct HyperTimer<R>(pub R);

/// A runtime's sleep as hyper's, held inline: hyper boxes it once (hyper arms one for each
/// request's header-read timeout).
struct HyperSleep<S>(S);

impl<S: Future> Future for HyperSleep<S> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: the sleep is never moved out of its pinned wrapper (no other access to the
        // field exists), so pinning projects to it.
        let sleep = unsafe { self.map_unchecked_mut(|s| &mut s.0) };
        sleep.poll(cx).map(|_| ())
    }
}

impl<S: Future + Send + Sync + 'static> hyper::rt::Sleep for HyperSleep<S> {}

impl<R: Runtime> hyper::rt::Timer for HyperTimer<R> {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(self.0.now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(HyperSleep(self.0.sleep_until(deadline)))
    }

    fn now(&self) -> Instant {
        self.0.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_read_offer_grows_while_reads_fill_it_and_shrinks_when_they_are_small() {
        let mut w = MIN_READ;
        for _ in 0..10 {
            w = next_window(w, w, w);
        }
        assert_eq!(w, MAX_READ);
        // A full read of a buffer that had less room than the offer says nothing.
        assert_eq!(next_window(MAX_READ, 100, 100), MAX_READ);
        assert_eq!(next_window(MAX_READ, MAX_READ, MAX_READ / 2), MAX_READ);
        let mut w = MAX_READ;
        for _ in 0..10 {
            w = next_window(w, w, 200);
        }
        assert_eq!(w, MIN_READ);
    }
}
