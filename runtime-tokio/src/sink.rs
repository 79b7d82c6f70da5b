//! The command channel into a driver loop.

use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink};
use tokio::sync::mpsc;

/// How many commands may wait for the loop before senders wait (handlers) or give up
/// (drop guards).
pub const COMMAND_QUEUE: usize = 1024;

/// The [`CommandSink`] of a tokio driver loop: a bounded tokio channel.
#[derive(Clone, Debug)]
pub struct TokioSink(pub(crate) mpsc::Sender<Command>);

impl CommandSink for TokioSink {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        let tx = self.0.clone();
        Box::pin(async move { tx.send(command).await.map_err(|_| Closed) })
    }

    fn try_send(&self, command: Command) -> Result<(), Closed> {
        self.0.try_send(command).map_err(|_| Closed)
    }
}

/// A new channel: the sink for the driver and its handles, the receiver for the loop.
pub fn channel() -> (TokioSink, mpsc::Receiver<Command>) {
    let (tx, rx) = mpsc::channel(COMMAND_QUEUE);
    (TokioSink(tx), rx)
}
