//! A command sink that applies a command on the sender's own thread when its loop is free.
//!
//! Through a channel, every command costs a wake-up of the loop's task, and on a
//! multi-threaded executor that is often a wake-up of another thread. A loop whose state sits
//! behind a lock can instead take the command right where it is sent: lock, apply, drain the
//! core's output, unlock. The channel stays for when the lock is taken (the loop is running,
//! or the sender is the loop itself, a handler polled inline) and for threads that may not
//! start tasks.

use std::sync::{Arc, OnceLock, Weak};
use std::task::Context;

use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink};

use crate::ChannelSink;
use crate::sink::Sent;

/// A loop that can apply a command at once.
pub trait ApplyNow: Send + Sync {
    /// Applies `command` to the driver `lane` names (a loop with one driver ignores it), or
    /// hands it back when that cannot happen now: the loop is busy or gone, or this thread may
    /// not start the tasks the command could need.
    fn apply_now(&self, lane: usize, command: Command) -> Option<Command>;

    /// [`CommandSink::take_input`] for the loop's input; the default declines.
    fn take_input(&self, cx: &mut Context<'_>, driving: bool) -> bool {
        let _ = (cx, driving);
        false
    }

    /// [`CommandSink::release_input`].
    fn release_input(&self) {}
}

/// A [`CommandSink`] that applies each command through its loop's [`ApplyNow`] when it can,
/// and sends it through the loop's channel when not.
///
/// A loop applying a command now must first apply what already waits in its channel, so
/// that one sender's commands keep their order.
#[derive(Debug)]
pub struct DirectSink {
    channel: ChannelSink,
    lane: usize,
    target: OnceLock<Weak<dyn ApplyNow>>,
}

impl DirectSink {
    /// A sink for driver `lane` that uses `channel` until [`DirectSink::bind`] names its loop.
    pub fn new(channel: ChannelSink, lane: usize) -> Arc<Self> {
        Arc::new(DirectSink { channel, lane, target: OnceLock::new() })
    }

    /// Names the loop that applies commands; only the first call counts.
    pub fn bind(&self, target: Weak<dyn ApplyNow>) {
        let _ = self.target.set(target);
    }

    /// The command back if it was not applied.
    fn apply_now(&self, command: Command) -> Option<Command> {
        match self.target.get().and_then(Weak::upgrade) {
            Some(target) => target.apply_now(self.lane, command),
            None => Some(command),
        }
    }
}

impl CommandSink for DirectSink {
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>> {
        match self.apply_now(command) {
            None => Box::pin(Sent),
            Some(command) => self.channel.send(command),
        }
    }

    fn try_send(&self, command: Command) -> Result<(), Closed> {
        match self.apply_now(command) {
            None => Ok(()),
            Some(command) => self.channel.try_send(command),
        }
    }

    fn take_input(&self, cx: &mut Context<'_>, driving: bool) -> bool {
        match self.target.get().and_then(Weak::upgrade) {
            Some(target) => target.take_input(cx, driving),
            // The loop is gone; a waiter that was driving stays so, to release in turn.
            None => driving,
        }
    }

    fn release_input(&self) {
        if let Some(target) = self.target.get().and_then(Weak::upgrade) {
            target.release_input();
        }
    }
}
