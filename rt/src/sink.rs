//! The command channel into a driver loop.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use futures_channel::mpsc;
use futures_util::{SinkExt, StreamExt};
use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink};

/// How many commands may wait for the loop before handlers sending more wait too.
pub const COMMAND_QUEUE: usize = 1024;

/// The [`CommandSink`] of a driver loop: a bounded channel for handlers, and a side channel
/// for what `Drop` sends (cancellations cannot wait for room). The side channel holds at most
/// one cancellation per call in flight, and calls in flight are capped by the core.
#[derive(Clone, Debug)]
pub struct ChannelSink {
    tx: BoundedSender<Command>,
    urgent: mpsc::UnboundedSender<Command>,
}

/// A bounded sender shared by reference: a send with room needs no sender of its own (a
/// clone of a bounded sender allocates) and no boxed future.
#[derive(Debug)]
pub(crate) struct BoundedSender<T>(Mutex<mpsc::Sender<T>>);

impl<T> Clone for BoundedSender<T> {
    fn clone(&self) -> Self {
        BoundedSender(Mutex::new(self.lock().clone()))
    }
}

impl<T> BoundedSender<T> {
    pub(crate) fn new(tx: mpsc::Sender<T>) -> Self {
        BoundedSender(Mutex::new(tx))
    }

    fn lock(&self) -> MutexGuard<'_, mpsc::Sender<T>> {
        // A sender has no invariant a panic elsewhere could have broken.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Send + 'static> BoundedSender<T> {
    /// Sends `item`, waiting for room if the queue is full.
    pub(crate) fn send(&self, item: T) -> BoxFuture<'static, Result<(), Closed>> {
        let mut tx = self.lock();
        let item = match tx.try_send(item) {
            Ok(()) => return Box::pin(Sent),
            Err(e) if e.is_disconnected() => return Box::pin(Gone),
            Err(e) => e.into_inner(),
        };
        let mut tx = tx.clone();
        Box::pin(async move { tx.send(item).await.map_err(|_| Closed) })
    }
}

/// A send that already happened. Zero-sized, so boxing it allocates nothing.
pub(crate) struct Sent;

impl Future for Sent {
    type Output = Result<(), Closed>;
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(Ok(()))
    }
}

/// A send to a loop that is gone. Zero-sized, like [`Sent`].
struct Gone;

impl Future for Gone {
    type Output = Result<(), Closed>;
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(Err(Closed))
    }
}

/// The loop's end of the channel.
#[derive(Debug)]
pub struct CommandReceiver {
    rx: mpsc::Receiver<Command>,
    urgent: mpsc::UnboundedReceiver<Command>,
    open: bool,
}

impl CommandReceiver {
    /// The next command, cancellations first; `None` once every sender is gone.
    pub async fn recv(&mut self) -> Option<Command> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next command, cancellations first. `Ready(None)` once both channels are
    /// closed and empty; after that it stays pending, so a loop can keep polling it.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Command>> {
        if !self.open {
            return Poll::Pending;
        }
        let urgent = match self.urgent.poll_next_unpin(cx) {
            Poll::Ready(Some(c)) => return Poll::Ready(Some(c)),
            Poll::Ready(None) => true,
            Poll::Pending => false,
        };
        match self.rx.poll_next_unpin(cx) {
            Poll::Ready(Some(c)) => Poll::Ready(Some(c)),
            Poll::Ready(None) if urgent => {
                self.open = false;
                Poll::Ready(None)
            }
            _ => Poll::Pending,
        }
    }
}

impl CommandReceiver {
    /// A command already waiting, cancellations first, without registering for a wake-up.
    pub fn try_recv(&mut self) -> Option<Command> {
        if !self.open {
            return None;
        }
        self.urgent.try_recv().or_else(|_| self.rx.try_recv()).ok()
    }

    /// Hands `apply` the commands already waiting, then a task's `answer`: what the task sent
    /// before it answered (progress, log messages) must reach the core, and the peer, first.
    pub fn answer_in_order(&mut self, answer: Command, mut apply: impl FnMut(Command)) {
        while let Some(c) = self.try_recv() {
            apply(c);
        }
        apply(answer);
    }
}

impl CommandSink for ChannelSink {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        self.tx.send(command)
    }

    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.urgent.unbounded_send(command).map_err(|_| Closed)
    }
}

/// A new channel: the sink for the driver and its handles, the receiver for the loop.
pub fn channel() -> (ChannelSink, CommandReceiver) {
    let (tx, rx) = mpsc::channel(COMMAND_QUEUE);
    let (urgent_tx, urgent) = mpsc::unbounded();
    let tx = BoundedSender::new(tx);
    (ChannelSink { tx, urgent: urgent_tx }, CommandReceiver { rx, urgent, open: true })
}

#[cfg(test)]
mod tests {
    use mcp_sansio::jsonrpc::RequestId;

    use super::*;

    fn progress(n: f64) -> Command {
        Command::Progress { id: RequestId::Number(1), progress: n, total: None, message: None }
    }

    #[test]
    fn a_task_answer_comes_after_what_the_task_sent_before_it() {
        let (sink, mut rx) = channel();
        // A handler polled inline: two progress updates, then its answer (the task's output).
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        for n in [1.0, 2.0] {
            assert!(sink.send(progress(n)).as_mut().poll(&mut cx).is_ready(), "room to send");
        }
        let mut seen = Vec::new();
        rx.answer_in_order(Command::Shutdown, |c| {
            seen.push(match c {
                Command::Progress { progress, .. } => format!("progress {progress}"),
                other => format!("{other:?}"),
            })
        });
        assert_eq!(seen, ["progress 1", "progress 2", "Shutdown"]);
    }

    #[test]
    fn a_full_queue_makes_the_sender_wait_and_nothing_is_lost() {
        let (sink, mut rx) = channel();
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut waiting = Vec::new();
        for n in 0..COMMAND_QUEUE + 8 {
            let mut send = sink.send(progress(n as f64));
            if send.as_mut().poll(&mut cx).is_pending() {
                waiting.push(send);
            }
        }
        assert!(!waiting.is_empty(), "a bounded queue pushes back");
        let mut received = 0;
        while rx.try_recv().is_some() {
            received += 1;
        }
        for mut send in waiting {
            assert!(send.as_mut().poll(&mut cx).is_ready());
        }
        while rx.try_recv().is_some() {
            received += 1;
        }
        assert_eq!(received, COMMAND_QUEUE + 8);
    }
}
