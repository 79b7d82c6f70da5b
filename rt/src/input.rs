//! A loop's input taken by the task that waits for an answer.
//!
//! Through the loop's task, an answer costs two hand-offs: the reactor wakes the loop, and the
//! loop wakes the waiting caller. On an executor with several threads both can be wake-ups of
//! another thread. A caller that waits while nobody else does can instead read the input
//! itself (`CommandSink::take_input`): the reactor wakes the caller instead of the loop, and
//! the caller takes the loop's lock, reads, and finds its answer. Byte-stream loops read their
//! stream; the HTTP client polls its exchanges, each driving its HTTP/1.1 connection (with
//! hyper's connection as a task of its own, each part of a response was a hand-over from that
//! task instead, and taking the input measured slower on tokio).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
#[cfg(feature = "http")]
use std::task::Poll;
use std::task::{Context, Wake};
use std::time::{Duration, Instant};

use futures_util::task::AtomicWaker;

use crate::self_wake::PollGate;

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
    /// The loop's task was woken for input it has not polled since: a waiter taking the
    /// input reads it at once rather than wait for a task that may be slow to run.
    unread: AtomicBool,
    /// Set while the input is being polled, which polls again if woken meanwhile.
    gate: PollGate,
}

impl Wake for InputWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // A wake-up from inside the poll (hyper's dispatcher telling its request handle it
        // may send, a stream set rescheduling a member) is served by polling again; passed
        // on, it would wake a task that is running or about to: on tokio, a task woken from
        // its own poll counts as yielding, and another worker thread is woken to take it.
        if self.gate.absorbs_wake() {
            return;
        }
        if self.taken.load(Ordering::SeqCst) {
            self.waiter.wake();
        } else {
            self.unread.store(true, Ordering::SeqCst);
            self.loop_task.wake();
        }
    }
}

impl InputWaker {
    /// The loop's task, woken for input nobody has taken; registered on each of its polls,
    /// which then polls the input.
    pub(crate) fn register_loop(&self, cx: &Context<'_>) {
        self.loop_task.register(cx.waker());
        self.unread.store(false, Ordering::SeqCst);
    }

    /// Polls the input with `poll` until it is ready, or pending and not woken meanwhile
    /// ([`PollGate::poll`]); an input that keeps waking itself has the wake-up passed on, so
    /// it cannot keep its reader from other work.
    #[cfg(feature = "http")]
    pub(crate) fn poll_input<T>(self: &Arc<Self>, poll: impl FnMut() -> Poll<T>) -> Poll<T> {
        self.gate.poll(poll).unwrap_or_else(|| {
            self.wake_by_ref();
            Poll::Pending
        })
    }

    /// Whether a waiter holds the input.
    pub(crate) fn is_taken(&self) -> bool {
        self.taken.load(Ordering::SeqCst)
    }
}

/// How long input taken by a waiter may go unread before the loop reads it itself.
const INPUT_WATCH: Duration = Duration::from_millis(100);

/// When the loop reads input a waiter took, in case the waiter is not polled: while a waiter
/// holds the input, the loop's timer fires every [`INPUT_WATCH`].
#[derive(Default)]
pub(crate) struct InputWatch(Option<Instant>);

impl InputWatch {
    /// Follows the input: due [`INPUT_WATCH`] after it was taken, and again each time it has
    /// fired while the input stays taken.
    pub(crate) fn update(&mut self, input: &InputWaker, now: Instant) {
        if !input.is_taken() {
            self.0 = None;
        } else if self.0.is_none_or(|at| at <= now) {
            self.0 = Some(now + INPUT_WATCH);
        }
    }

    /// The loop's next deadline: `deadline`, or the watch if it is due sooner.
    pub(crate) fn sooner(&self, deadline: Option<Instant>) -> Option<Instant> {
        match (deadline, self.0) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// A loop's state that can read and apply its input on a waiter's thread.
pub(crate) trait ReadInput {
    /// Reads and applies what has arrived, and sends what that produced.
    fn read_input(&mut self);

    /// A waiter has just taken the input: arrange for the loop to read it should the waiter
    /// not be polled. Nothing is read: nothing arrived since the loop last polled its input.
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
        // Nothing arrived since the loop last polled its input: a read here, right after the
        // request went out, would only find nothing (a failed read on async-io, which tries
        // the descriptor before waiting).
        Ok(mut conn) if !driving && !input.unread.swap(false, Ordering::SeqCst) => {
            conn.input_taken()
        }
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
