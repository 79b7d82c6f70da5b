//! A command sink that applies a command on the sender's own thread when its loop is free.
//!
//! Through a channel, every command costs a wake-up of the loop's task, and on a
//! multi-threaded executor that is often a wake-up of another thread. A loop whose state sits
//! behind a lock can instead take the command right where it is sent: lock, apply, drain the
//! core's output, unlock. The channel stays for when the lock is taken (the loop is running,
//! or the sender is the loop itself, a handler polled inline) and for threads that may not
//! start tasks.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::task::Context;

use mcp_sansio::driver::{BoxFuture, Closed, Command, CommandSink};

use crate::input::{self, InputWaker, ReadInput};
use crate::sink::Sent;
use crate::{ChannelSink, Runtime};

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

/// A loop's state that a command's sender may use on its own thread.
pub(crate) trait LoopState: ReadInput + Send {
    /// Applies `command` now, or hands it back when the loop cannot take it here (it has not
    /// run yet, or is ending); the command then goes through the channel.
    fn apply_now(&mut self, command: Command) -> Option<Command>;
}

/// A loop's state behind the lock its task, its [`DirectSink`] and waiting callers share.
pub(crate) struct SharedLoop<Rt, C> {
    runtime: Rt,
    input: Arc<InputWaker>,
    state: Mutex<C>,
}

impl<Rt: Runtime, C: LoopState + 'static> SharedLoop<Rt, C> {
    /// `state` shared, and `sink` bound to it; `input` is the waker its input is polled with.
    pub(crate) fn bind(
        runtime: Rt,
        input: Arc<InputWaker>,
        state: C,
        sink: &DirectSink,
    ) -> Arc<Self> {
        let shared = Arc::new(SharedLoop { runtime, input, state: Mutex::new(state) });
        sink.bind(Arc::downgrade(&shared) as Weak<Self>);
        shared
    }

    /// The loop's state.
    pub(crate) fn lock(&self) -> MutexGuard<'_, C> {
        // A panic inside the core is a broken invariant; the state it left is what the next
        // input sees, as on a loop without a lock.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<Rt: Runtime, C: LoopState> ApplyNow for SharedLoop<Rt, C> {
    fn apply_now(&self, _lane: usize, command: Command) -> Option<Command> {
        if !self.runtime.spawns_here() {
            return Some(command);
        }
        match self.state.try_lock() {
            Ok(mut state) => state.apply_now(command),
            Err(_) => Some(command),
        }
    }

    fn take_input(&self, cx: &mut Context<'_>, driving: bool) -> bool {
        input::take(&self.input, &self.state, self.runtime.spawns_here(), cx, driving)
    }

    fn release_input(&self) {
        input::release(&self.input, &self.state);
    }
}
