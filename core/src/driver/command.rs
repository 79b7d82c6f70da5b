//! What handler tasks and application handles ask the driver loop to do.
//!
//! Handlers run as tasks the runtime spawns; they reach the session only through
//! [`Command`]s sent on a [`CommandSink`] the runtime provides (a bounded channel into its
//! loop). Replies come back on oneshot channels, which work on any executor.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use futures_channel::oneshot;

use crate::jsonrpc::{ErrorObject, RawJson, RequestId};
use crate::session::{Outcome, PeerInfo, RequestOptions, SendError};
use crate::types::LoggingLevel;

/// A boxed future that can move between threads.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Identifies a task the driver asked the runtime to spawn.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct TaskId(pub u64);

/// Identifies a call made through a handle, so that it can be cancelled before the driver has
/// given it a request id.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct CallId(pub u64);

/// Why a request sent through a handle produced no result.
#[derive(Clone, Debug, PartialEq)]
pub enum CallError {
    /// The session refused to send it (misuse, a capability the peer lacks, a full queue).
    Rejected(SendError),
    /// The peer answered with an error.
    Error(ErrorObject),
    /// No answer came in time.
    TimedOut,
    /// The call was cancelled.
    Cancelled,
    /// The connection closed first.
    Closed,
    /// The answer could not be understood.
    InvalidResult(String),
    /// 2026-07-28: the client has not answered this input request yet. The server answers the
    /// whole request with `input_required`; return from the handler (with `?`).
    InputRequired,
}

impl CallError {
    pub(crate) fn from_outcome(o: Outcome) -> Result<RawJson, CallError> {
        match o {
            Outcome::Result(r) => Ok(r),
            Outcome::Error(e) => Err(CallError::Error(e)),
            Outcome::TimedOut => Err(CallError::TimedOut),
            Outcome::Cancelled => Err(CallError::Cancelled),
            Outcome::Closed => Err(CallError::Closed),
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Rejected(e) => write!(f, "request not sent: {e}"),
            CallError::Error(e) => write!(f, "peer returned an error: {e}"),
            CallError::TimedOut => f.write_str("request timed out"),
            CallError::Cancelled => f.write_str("request cancelled"),
            CallError::Closed => f.write_str("connection closed"),
            CallError::InvalidResult(e) => write!(f, "invalid result: {e}"),
            CallError::InputRequired => f.write_str("waiting for the client's input"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for CallError {}

/// A failed request to the client, turned into the error a handler returns: the peer's own
/// error passes through, anything else is an internal error.
impl From<CallError> for ErrorObject {
    fn from(e: CallError) -> ErrorObject {
        match e {
            CallError::Error(e) => e,
            other => ErrorObject::internal_error(other),
        }
    }
}

/// Receives progress of a call.
pub type ProgressFn = Box<dyn Fn(f64, Option<f64>, Option<String>) + Send + Sync>;

/// An instruction for the driver loop.
pub enum Command {
    /// Send a request; the outcome goes to `reply`.
    Request {
        /// The handle-side id, for [`Command::Cancel`].
        call: CallId,
        /// The method.
        method: String,
        /// The params (a JSON object).
        params: Option<RawJson>,
        /// Timeout, progress and routing.
        options: RequestOptions,
        /// Progress callback, when `options.progress` is set.
        on_progress: Option<ProgressFn>,
        /// Where the result goes.
        reply: oneshot::Sender<Result<RawJson, CallError>>,
    },
    /// Cancel a call made with [`Command::Request`].
    Cancel {
        /// The call.
        call: CallId,
        /// The reason sent to the peer.
        reason: Option<String>,
    },
    /// Send a notification.
    Notify {
        /// The method.
        method: String,
        /// The params.
        params: Option<RawJson>,
        /// The peer's request this notification belongs to.
        related: Option<RequestId>,
    },
    /// A handler task finished: answer the peer's request (a task's output).
    Respond {
        /// The task that finished.
        task: TaskId,
        /// The peer's request.
        id: RequestId,
        /// The answer.
        result: Result<RawJson, ErrorObject>,
    },
    /// Report progress on the peer's request.
    Progress {
        /// The peer's request.
        id: RequestId,
        /// Progress so far.
        progress: f64,
        /// The total, if known.
        total: Option<f64>,
        /// A message.
        message: Option<String>,
    },
    /// Send a log message to the client (server role).
    Log {
        /// The level.
        level: LoggingLevel,
        /// The logger name.
        logger: Option<String>,
        /// The data (any JSON).
        data: RawJson,
        /// The request the message belongs to.
        related: Option<RequestId>,
    },
    /// Answer the server's `input_required` for a call of ours (client role, 2026-07-28; a
    /// task's output).
    ProvideInput {
        /// The task that gathered the input.
        task: TaskId,
        /// The request waiting for input.
        id: RequestId,
        /// The `inputResponses` object, or why the input could not be gathered.
        responses: Result<RawJson, CallError>,
    },
    /// Connect (client role); the peer's description goes to `reply`.
    Connect {
        /// Where the result goes.
        reply: oneshot::Sender<Result<PeerInfo, String>>,
    },
    /// Tell clients a resource changed (server role).
    ResourceUpdated {
        /// The resource.
        uri: String,
    },
    /// Tell clients a list changed (server role): one of the `notifications/*/list_changed`.
    ListChanged {
        /// The notification method.
        method: &'static str,
    },
    /// Run a closure against the server's registry (add or remove tools, resources, prompts)
    /// inside the loop; list_changed notifications follow as needed.
    UpdateServer(Box<dyn FnOnce(&mut crate::server::Registry) + Send>),
    /// Stop: no more input will be read; pending calls end as closed.
    Shutdown,
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Command::Request { method, .. } => return write!(f, "Request({method})"),
            Command::Cancel { .. } => "Cancel",
            Command::Notify { method, .. } => return write!(f, "Notify({method})"),
            Command::Respond { id, .. } => return write!(f, "Respond({id})"),
            Command::Progress { .. } => "Progress",
            Command::Log { .. } => "Log",
            Command::ProvideInput { .. } => "ProvideInput",
            Command::Connect { .. } => "Connect",
            Command::ResourceUpdated { .. } => "ResourceUpdated",
            Command::ListChanged { .. } => "ListChanged",
            Command::UpdateServer(_) => "UpdateServer",
            Command::Shutdown => "Shutdown",
        };
        f.write_str(name)
    }
}

/// The loop has stopped; the command was not delivered.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Closed;

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the connection's driver loop has stopped")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Closed {}

/// The runtime's way into its driver loop: a bounded channel.
pub trait CommandSink: Send + Sync + 'static {
    /// Sends a command, waiting for room in the channel.
    fn send(&self, command: Command) -> BoxFuture<'static, Result<(), Closed>>;
    /// Sends a command if there is room right now (used from `Drop`, which cannot wait).
    /// A full channel drops the command.
    fn try_send(&self, command: Command) -> Result<(), Closed>;

    /// Offers the task of a handle waiting for an answer to take the peer's input itself:
    /// a loop that can run on the caller's thread reads and applies what has arrived, and
    /// arranges for `cx` to be woken when more does, sparing a hand-off through its own task.
    /// `driving` says whether this waiter already took the input on an earlier poll. Returns
    /// whether it takes the input now; a waiter that did must call
    /// [`CommandSink::release_input`] once it stops waiting. The default declines.
    fn take_input(&self, cx: &mut Context<'_>, driving: bool) -> bool {
        let _ = (cx, driving);
        false
    }

    /// The waiter that took the input (see [`CommandSink::take_input`]) stopped waiting.
    fn release_input(&self) {}
}

/// Waits for `answer`, offering the sink the waiting task for the peer's input meanwhile.
pub(crate) struct WaitAnswer<'a, T> {
    sink: &'a dyn CommandSink,
    answer: oneshot::Receiver<T>,
    driving: bool,
}

impl<'a, T> WaitAnswer<'a, T> {
    pub(crate) fn new(sink: &'a dyn CommandSink, answer: oneshot::Receiver<T>) -> Self {
        WaitAnswer { sink, answer, driving: false }
    }
}

impl<T> Future for WaitAnswer<'_, T> {
    type Output = Result<T, oneshot::Canceled>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Looked at without this task's waker first: the input read below may carry the
        // answer, and an answer arriving then would otherwise wake the very task reading it,
        // which executors take for a task yielding (tokio wakes another worker thread for it).
        let mut unwoken = Context::from_waker(Waker::noop());
        if let Poll::Ready(answer) = Pin::new(&mut self.answer).poll(&mut unwoken) {
            return Poll::Ready(answer);
        }
        self.driving = self.sink.take_input(cx, self.driving);
        // The answer, if the input carried it; else this task's waker is registered now.
        Pin::new(&mut self.answer).poll(cx)
    }
}

impl<T> Drop for WaitAnswer<'_, T> {
    fn drop(&mut self) {
        if self.driving {
            self.sink.release_input();
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use alloc::sync::Arc;
    use core::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    use std::task::Wake;

    /// A sink whose input, once taken, carries the answer.
    struct Answers(Mutex<Option<oneshot::Sender<u32>>>);

    impl CommandSink for Answers {
        fn send(&self, _: Command) -> BoxFuture<'static, Result<(), Closed>> {
            Box::pin(async { Err(Closed) })
        }
        fn try_send(&self, _: Command) -> Result<(), Closed> {
            Err(Closed)
        }
        fn take_input(&self, _cx: &mut Context<'_>, _driving: bool) -> bool {
            if let Some(tx) = self.0.lock().unwrap().take() {
                let _ = tx.send(7);
            }
            true
        }
    }

    #[derive(Default)]
    struct Wakes(AtomicUsize);
    impl Wake for Wakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn an_answer_read_by_its_waiter_does_not_wake_the_waiter() {
        let (tx, rx) = oneshot::channel();
        let sink = Answers(Mutex::new(Some(tx)));
        let wakes = Arc::new(Wakes::default());
        let waker = Waker::from(wakes.clone());
        let mut wait = WaitAnswer::new(&sink, rx);
        let polled = Pin::new(&mut wait).poll(&mut Context::from_waker(&waker));
        assert_eq!(polled, Poll::Ready(Ok(7)));
        assert_eq!(wakes.0.load(Ordering::SeqCst), 0, "no wake-up of the running task");
    }

    #[test]
    fn an_answer_that_comes_later_wakes_the_waiter() {
        let (tx, rx) = oneshot::channel::<u32>();
        let sink = Answers(Mutex::new(None));
        let wakes = Arc::new(Wakes::default());
        let waker = Waker::from(wakes.clone());
        let mut wait = WaitAnswer::new(&sink, rx);
        assert!(Pin::new(&mut wait).poll(&mut Context::from_waker(&waker)).is_pending());
        tx.send(1).unwrap();
        assert_eq!(wakes.0.load(Ordering::SeqCst), 1);
    }
}
