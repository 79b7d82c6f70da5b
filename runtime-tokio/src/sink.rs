//! The command channel into a driver loop.

use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink};
use tokio::sync::mpsc;

/// How many commands may wait for the loop before handlers sending more wait too.
pub const COMMAND_QUEUE: usize = 1024;

/// The [`CommandSink`] of a tokio driver loop: a bounded channel for handlers, and a side
/// channel for what `Drop` sends (cancellations cannot wait for room). The side channel holds
/// at most one cancellation per call in flight.
#[derive(Clone, Debug)]
pub struct TokioSink {
    tx: mpsc::Sender<Command>,
    urgent: mpsc::UnboundedSender<Command>,
}

/// The loop's end of the channel.
#[derive(Debug)]
pub struct CommandReceiver {
    rx: mpsc::Receiver<Command>,
    urgent: mpsc::UnboundedReceiver<Command>,
}

impl CommandReceiver {
    /// The next command, cancellations first.
    pub async fn recv(&mut self) -> Option<Command> {
        tokio::select! {
            biased;
            Some(c) = self.urgent.recv() => Some(c),
            c = self.rx.recv() => c,
        }
    }
}

impl CommandSink for TokioSink {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        let tx = self.tx.clone();
        Box::pin(async move { tx.send(command).await.map_err(|_| Closed) })
    }

    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.urgent.send(command).map_err(|_| Closed)
    }
}

/// A new channel: the sink for the driver and its handles, the receiver for the loop.
pub fn channel() -> (TokioSink, CommandReceiver) {
    let (tx, rx) = mpsc::channel(COMMAND_QUEUE);
    let (urgent_tx, urgent) = mpsc::unbounded_channel();
    (TokioSink { tx, urgent: urgent_tx }, CommandReceiver { rx, urgent })
}
