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

/// The most of hyper's read buffer offered to one read; what is offered must be initialised
/// first, so offering all of a large buffer would cost a large memset per read.
const MAX_READ: usize = 64 * 1024;

/// A futures-io byte stream as hyper's I/O.
#[derive(Debug)]
pub struct HyperIo<T>(pub T);

impl<T: AsyncRead + Unpin> hyper::rt::Read for HyperIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        // SAFETY: only initialised bytes are exposed: the offered prefix is zeroed below, and
        // `advance` is called with the count the reader reports having written.
        let spare = unsafe { buf.as_mut() };
        let len = spare.len().min(MAX_READ);
        let spare = &mut spare[..len];
        spare.fill(MaybeUninit::new(0));
        // SAFETY: every byte of `spare` was just initialised.
        let bytes = unsafe { &mut *(spare as *mut [MaybeUninit<u8>] as *mut [u8]) };
        match Pin::new(&mut self.0).poll_read(cx, bytes) {
            Poll::Ready(Ok(n)) => {
                // SAFETY: the reader wrote (initialised) `n <= len` bytes.
                unsafe { buf.advance(n.min(len)) };
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncWrite + Unpin> hyper::rt::Write for HyperIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_close(cx)
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

struct HyperSleep<S>(Pin<Box<S>>);

impl<S: Future> Future for HyperSleep<S> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.0.as_mut().poll(cx).map(|_| ())
    }
}

impl<S: Future + Send + Sync + 'static> hyper::rt::Sleep for HyperSleep<S> {}

impl<R: Runtime> hyper::rt::Timer for HyperTimer<R> {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(self.0.now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(HyperSleep(Box::pin(self.0.sleep_until(deadline))))
    }

    fn now(&self) -> Instant {
        self.0.now()
    }
}
