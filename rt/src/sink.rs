//! The command channel into a driver loop.

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
    tx: mpsc::Sender<Command>,
    urgent: mpsc::UnboundedSender<Command>,
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
    pub fn poll_recv(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Command>> {
        use std::task::Poll;
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

impl CommandSink for ChannelSink {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        let mut tx = self.tx.clone();
        Box::pin(async move { tx.send(command).await.map_err(|_| Closed) })
    }

    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.urgent.unbounded_send(command).map_err(|_| Closed)
    }
}

/// A new channel: the sink for the driver and its handles, the receiver for the loop.
pub fn channel() -> (ChannelSink, CommandReceiver) {
    let (tx, rx) = mpsc::channel(COMMAND_QUEUE);
    let (urgent_tx, urgent) = mpsc::unbounded();
    (ChannelSink { tx, urgent: urgent_tx }, CommandReceiver { rx, urgent, open: true })
}
