//! What a loop needs from an executor.

use std::future::Future;
use std::time::Instant;

/// An async executor as the loops see it: a way to start a task, a monotonic clock, and a
/// timer on that clock.
///
/// The clock is the runtime's own so that a runtime with virtual time (tokio's paused clock)
/// drives the core's deadlines too.
pub trait Runtime: Clone + Send + Sync + Unpin + 'static {
    /// The future [`Runtime::sleep_until`] returns; its output is ignored.
    type Sleep: Future + Send + Sync + 'static;

    /// Starts `future` as a task of its own; it runs to completion unless it is dropped by
    /// the wrapper the caller put around it.
    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static;

    /// The present moment on the runtime's clock.
    fn now(&self) -> Instant;

    /// A future that completes at `deadline`.
    fn sleep_until(&self, deadline: Instant) -> Self::Sleep;

    /// Whether [`Runtime::spawn`] works on the calling thread. A loop applies a command on
    /// the sender's own thread only then (its handlers may need a task); elsewhere the command
    /// goes through the loop's channel. True unless the executor is bound to its threads.
    fn spawns_here(&self) -> bool {
        true
    }
}
