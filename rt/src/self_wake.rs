//! Wake-ups a future gives itself while it is being polled, handled by polling it again.
//!
//! hyper wakes the task polling a connection from inside that poll: its server's body
//! channel tells the service, polled in the connection's task, that a chunk is there (and
//! its client's dispatcher wakes the request handle the same way; the HTTP client's input
//! waker handles that one, see `InputWaker::poll_input`). tokio treats a task that wakes
//! itself as one that yields: it goes to the back of the queue, and an idle worker thread is
//! woken to steal it. On a two-thread runtime that is a futex (or an eventfd) wake-up of the
//! other thread per wake, and the work often moves there. [`PollAgain`] instead notes the
//! wake-up and polls once more before returning.

use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(feature = "http")]
use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, Wake, Waker},
};

#[cfg(feature = "http")]
use futures_util::task::AtomicWaker;

/// Polls in a row before a future that keeps waking itself is left to the executor, so one
/// busy connection cannot keep a thread from its other tasks.
#[cfg(feature = "http")]
const MAX_POLLS: usize = 16;

/// The state a waker shares with the loop polling through it: while a poll is under way, a
/// wake only asks for another poll.
#[derive(Default)]
pub(crate) struct PollGate {
    polling: AtomicBool,
    again: AtomicBool,
}

impl PollGate {
    /// For a waker: whether this wake is served by the poll under way (it will poll again),
    /// so it need not be passed on.
    pub(crate) fn absorbs_wake(&self) -> bool {
        if self.polling.load(Ordering::SeqCst) {
            self.again.store(true, Ordering::SeqCst);
            return true;
        }
        false
    }

    /// Runs `poll` until it is ready, or pending without having been woken meanwhile. `None`
    /// when it was still waking itself after [`MAX_POLLS`] polls: the caller then wakes its
    /// task, so a busy future yields to the executor.
    #[cfg(feature = "http")]
    pub(crate) fn poll<T>(&self, mut poll: impl FnMut() -> Poll<T>) -> Option<Poll<T>> {
        for _ in 0..MAX_POLLS {
            self.again.store(false, Ordering::SeqCst);
            self.polling.store(true, Ordering::SeqCst);
            let polled = poll();
            self.polling.store(false, Ordering::SeqCst);
            // A wake after the store above was passed on as well; polling again is harmless.
            if polled.is_ready() || !self.again.load(Ordering::SeqCst) {
                return Some(polled);
            }
        }
        None
    }
}

/// The waker [`PollAgain`]'s future sees: during a poll a wake asks for another poll;
/// otherwise it wakes the task that last polled.
#[cfg(feature = "http")]
#[derive(Default)]
struct Relay {
    gate: PollGate,
    task: AtomicWaker,
}

#[cfg(feature = "http")]
impl Wake for Relay {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.gate.absorbs_wake() {
            self.task.wake();
        }
    }
}

/// `future`, polled again at once when it wakes itself during a poll.
#[cfg(feature = "http")]
pub(crate) struct PollAgain<F> {
    future: F,
    relay: Arc<Relay>,
    waker: Waker,
}

#[cfg(feature = "http")]
impl<F> PollAgain<F> {
    pub(crate) fn new(future: F) -> Self {
        let relay = Arc::new(Relay::default());
        let waker = Waker::from(relay.clone());
        PollAgain { future, relay, waker }
    }
}

#[cfg(feature = "http")]
impl<F: Future + Unpin> Future for PollAgain<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.relay.task.register(cx.waker());
        let (future, waker) = (&mut this.future, &this.waker);
        match this.relay.gate.poll(|| Pin::new(&mut *future).poll(&mut Context::from_waker(waker)))
        {
            Some(polled) => polled,
            None => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }
}

#[cfg(all(test, feature = "http"))]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Ready on its `n`th poll, waking itself on each poll before that.
    struct WakesItself {
        polls: usize,
        n: usize,
    }

    impl Future for WakesItself {
        type Output = usize;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            self.polls += 1;
            if self.polls == self.n {
                return Poll::Ready(self.polls);
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    #[derive(Default)]
    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn self_wakes_are_polled_again_without_waking_the_task() {
        let count = Arc::new(Count::default());
        let waker = Waker::from(count.clone());
        let mut f = PollAgain::new(WakesItself { polls: 0, n: 5 });
        let polled = Pin::new(&mut f).poll(&mut Context::from_waker(&waker));
        assert_eq!(polled, Poll::Ready(5));
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_future_that_keeps_waking_itself_yields_to_the_executor() {
        let count = Arc::new(Count::default());
        let waker = Waker::from(count.clone());
        let mut f = PollAgain::new(WakesItself { polls: 0, n: usize::MAX });
        assert!(Pin::new(&mut f).poll(&mut Context::from_waker(&waker)).is_pending());
        assert_eq!(f.future.polls, MAX_POLLS);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_wake_after_the_poll_wakes_the_task() {
        let count = Arc::new(Count::default());
        let waker = Waker::from(count.clone());
        let mut f = PollAgain::new(std::future::pending::<()>());
        assert!(Pin::new(&mut f).poll(&mut Context::from_waker(&waker)).is_pending());
        f.waker.wake_by_ref();
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
    }
}
