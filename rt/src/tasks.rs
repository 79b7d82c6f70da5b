//! The handler tasks a driver spawned: started on the runtime, aborted by id, and reported
//! back to the loop when they end, with whether they panicked.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use futures_channel::mpsc;
use futures_util::future::{AbortHandle, Abortable};
use futures_util::{FutureExt, StreamExt};
use mcp_sansio::driver::TaskId;

use crate::Runtime;

/// How a task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended<T = ()> {
    /// It ran to completion, with this output.
    Completed(T),
    /// It was aborted before completing.
    Aborted,
    /// It panicked.
    Panicked,
}

/// The tasks a loop started, keyed by the driver's [`TaskId`] (or, for loops that serve many
/// connections, by any other copyable key), each with an output of type `T` (a driver's
/// tasks end with the [`Command`](mcp_sansio::driver::Command) that answers their request).
#[derive(Debug)]
pub struct TaskSet<R, K = TaskId, T = ()> {
    runtime: R,
    running: HashMap<K, AbortHandle>,
    done_tx: mpsc::UnboundedSender<(K, Ended<T>)>,
    done: mpsc::UnboundedReceiver<(K, Ended<T>)>,
}

impl<R: Runtime, K: Copy + Eq + Hash + Send + 'static, T: Send + 'static> TaskSet<R, K, T> {
    /// An empty set whose tasks run on `runtime`.
    pub fn new(runtime: R) -> Self {
        let (done_tx, done) = mpsc::unbounded();
        TaskSet { runtime, running: HashMap::new(), done_tx, done }
    }

    /// Starts `future` as task `id`; returns its output if it completed at once.
    ///
    /// The future is polled once right here first ([`first_poll`]): a handler that finishes
    /// without waiting (most tools) is then done without a task, a wake-up and a thread hop of
    /// its own, and its output is returned to the caller instead of reported by
    /// [`TaskSet::poll_ended`]. One that waits becomes a task.
    pub fn spawn<F>(&mut self, id: K, future: F) -> Option<T>
    where
        F: Future<Output = T> + Send + 'static,
    {
        match first_poll(future) {
            FirstPoll::Done(output) => Some(output),
            FirstPoll::Panicked => {
                self.panicked(id);
                None
            }
            FirstPoll::Waiting(waiting) => {
                self.adopt(id, waiting);
                None
            }
        }
    }

    /// Reports task `id` as panicked during a [`first_poll`] made elsewhere, through the same
    /// channel as a task that panicked later.
    pub fn panicked(&mut self, id: K) {
        let (handle, _) = AbortHandle::new_pair();
        self.running.insert(id, handle);
        let _ = self.done_tx.unbounded_send((id, Ended::Panicked));
    }

    /// Runs a future that a [`first_poll`] left waiting as task `id`.
    pub fn adopt(&mut self, id: K, waiting: Waiting<T>) {
        let (handle, registration) = AbortHandle::new_pair();
        let done = self.done_tx.clone();
        let task = Abortable::new(waiting.0, registration);
        self.runtime.spawn(async move {
            let ended = match task.await {
                Ok(Ok(output)) => Ended::Completed(output),
                Ok(Err(_)) => Ended::Panicked,
                Err(_) => Ended::Aborted,
            };
            // The loop may be gone already; then nobody needs to know.
            let _ = done.unbounded_send((id, ended));
        });
        self.running.insert(id, handle);
    }

    /// Aborts task `id` if it is still running; its end is reported like any other.
    pub fn abort(&mut self, id: K) {
        if let Some(handle) = self.running.get(&id) {
            handle.abort();
        }
    }

    /// Whether no task is running.
    pub fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    /// The next task to end.
    ///
    /// With no task running this still registers `cx`'s waker, so a loop whose tasks are
    /// started elsewhere (by a connection's task, say) hears of their ends.
    pub fn poll_ended(&mut self, cx: &mut Context<'_>) -> Poll<(K, Ended<T>)> {
        match self.done.poll_next_unpin(cx) {
            Poll::Ready(Some((id, ended))) => {
                self.running.remove(&id);
                Poll::Ready((id, ended))
            }
            // The set holds a sender itself, so the channel cannot close.
            Poll::Ready(None) | Poll::Pending => Poll::Pending,
        }
    }

    /// Aborts every task and waits until each is gone, so nothing it holds outlives the loop.
    pub async fn stop(&mut self) {
        self.abort_all();
        std::future::poll_fn(|cx| self.poll_stopped(cx)).await;
    }

    /// Aborts every task still running; [`TaskSet::poll_stopped`] then says when all are gone.
    pub fn abort_all(&mut self) {
        for handle in self.running.values() {
            handle.abort();
        }
    }

    /// Ready once no task is running, the ends reported meanwhile dropped: the polling half of
    /// [`TaskSet::stop`], for a loop that cannot hold the set across an await.
    pub fn poll_stopped(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        while !self.running.is_empty() {
            if self.poll_ended(cx).is_pending() {
                return Poll::Pending;
            }
        }
        Poll::Ready(())
    }
}

/// A future [`first_poll`] left waiting, to be run with [`TaskSet::adopt`].
pub struct Waiting<T>(Pin<Box<dyn Future<Output = std::thread::Result<T>> + Send>>);

impl<T> std::fmt::Debug for Waiting<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Waiting")
    }
}

/// What one poll of a new task gave.
#[derive(Debug)]
pub enum FirstPoll<T> {
    /// It finished, with this output.
    Done(T),
    /// It panicked.
    Panicked,
    /// It waits; run it with [`TaskSet::adopt`].
    Waiting(Waiting<T>),
}

/// Polls a new task once, with a no-op waker, catching a panic; needs no [`TaskSet`], so a
/// loop can do it without holding what guards its set. A task that waits is polled again
/// when it runs, and that poll registers the waker that counts.
pub fn first_poll<T, F>(future: F) -> FirstPoll<T>
where
    F: Future<Output = T> + Send + 'static,
{
    let mut future = Box::pin(AssertUnwindSafe(future).catch_unwind());
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Ok(output)) => FirstPoll::Done(output),
        Poll::Ready(Err(_)) => FirstPoll::Panicked,
        Poll::Pending => FirstPoll::Waiting(Waiting(future)),
    }
}
