//! A loop's input taken by the task that waits for an answer.
//!
//! Through the loop's task, an answer costs two hand-offs: the reactor wakes the loop, and the
//! loop wakes the waiting caller. On an executor with several threads both can be wake-ups of
//! another thread. A caller that waits while nobody else does can instead read the input
//! itself (`CommandSink::take_input`): the reactor wakes the caller instead of the loop, and
//! the caller takes the loop's lock, reads, and finds its answer. (Byte streams only: an HTTP response arrives in parts
//! that hyper's connection task hands over one at a time, and a caller on another thread than
//! that task turned each part into a cross-thread round trip; measured slower on tokio.)

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Wake};

use futures_util::task::AtomicWaker;

/// Where the input's wake-ups go: to the waiter that took the input, else to the loop's task.
/// The input is polled with this one waker whoever reads, so handing it back and forth never
/// re-registers with the reactor (async-io wakes the waker it replaces).
///
/// A waiter's future can sit unpolled inside its task (a `select!` busy in another branch)
/// while it holds the input; the loop then reads on its own timer, at most
/// [`INPUT_WATCH`] after the input was taken, and every [`INPUT_WATCH`] while it stays taken.
#[derive(Default)]
pub(crate) struct InputWaker {
    taken: AtomicBool,
    waiter: AtomicWaker,
    loop_task: AtomicWaker,
}

impl Wake for InputWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.taken.load(Ordering::SeqCst) {
            self.waiter.wake();
        } else {
            self.loop_task.wake();
        }
    }
}

impl InputWaker {
    /// The loop's task, woken for input nobody has taken; registered on each of its polls.
    pub(crate) fn register_loop(&self, cx: &Context<'_>) {
        self.loop_task.register(cx.waker());
    }

    /// Whether a waiter holds the input.
    pub(crate) fn is_taken(&self) -> bool {
        self.taken.load(Ordering::SeqCst)
    }
}

/// How long input taken by a waiter may go unread before the loop reads it itself.
pub(crate) const INPUT_WATCH: std::time::Duration = std::time::Duration::from_millis(100);

/// A loop's state that can read and apply its input on a waiter's thread.
pub(crate) trait ReadInput {
    /// Reads and applies what has arrived, and sends what that produced.
    fn read_input(&mut self);

    /// A waiter has just taken the input: arrange for the loop to read it should the waiter
    /// not be polled. Nothing is read: what arrived before went to the loop's task.
    fn input_taken(&mut self);
}

/// `CommandSink::take_input` for the loop whose state is `conn`: the first waiter to ask
/// (on a thread that may start tasks, `may`) takes the input until it releases it.
pub(crate) fn take<C: ReadInput>(
    input: &InputWaker,
    conn: &Mutex<C>,
    may: bool,
    cx: &mut Context<'_>,
    driving: bool,
) -> bool {
    if !may {
        // A waiter polled on a thread where it may not run the loop's work gives it back.
        if driving {
            release(input, conn);
        }
        return false;
    }
    if !driving
        && input.taken.compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst).is_err()
    {
        return false;
    }
    // Registered before reading, so input arriving after the read wakes this waiter.
    input.waiter.register(cx.waker());
    match conn.try_lock() {
        // Input that arrived before the waiter took it woke the loop, which reads it: a read
        // here, right after the request went out, would only find nothing (a failed read on
        // async-io, which tries the descriptor before waiting).
        Ok(mut conn) if !driving => conn.input_taken(),
        Ok(mut conn) => conn.read_input(),
        // The loop is running: it reads (woken in case it polled its input already).
        Err(_) => input.loop_task.wake(),
    }
    true
}

/// `CommandSink::release_input`: the input goes back to the loop. What arrived while the
/// waiter was leaving woke the waiter, so it is read here, or by the loop.
pub(crate) fn release<C: ReadInput>(input: &InputWaker, conn: &Mutex<C>) {
    input.taken.store(false, Ordering::SeqCst);
    match conn.try_lock() {
        Ok(mut conn) => conn.read_input(),
        Err(_) => input.loop_task.wake(),
    }
}
