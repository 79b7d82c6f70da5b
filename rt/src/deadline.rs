//! The one timer a loop keeps, aimed at the core's next deadline.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use crate::Runtime;

/// A loop's timer. It is re-armed only when the core's deadline moves *earlier* than the armed
/// one: a deadline that moves later (a request timeout pushed back by each new call, a session
/// idle timeout renewed by each request) or goes away keeps the timer armed where it is. That
/// timer may then fire early, and the core's `handle_timeout` finds nothing due and hands back
/// the real deadline. The point is cost: arming a timer is a registration with the runtime's
/// timer (on async-io a wake-up of the reactor thread), which otherwise happens on every call.
pub struct DeadlineTimer<R: Runtime> {
    armed: Option<(Instant, Pin<Box<R::Sleep>>)>,
}

impl<R: Runtime> Default for DeadlineTimer<R> {
    fn default() -> Self {
        DeadlineTimer { armed: None }
    }
}

impl<R: Runtime> std::fmt::Debug for DeadlineTimer<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeadlineTimer").field("at", &self.armed.as_ref().map(|a| a.0)).finish()
    }
}

impl<R: Runtime> DeadlineTimer<R> {
    /// Aims the timer at `deadline` (the core's `poll_timeout`, on the runtime's clock).
    pub fn set(&mut self, runtime: &R, deadline: Option<Instant>) {
        match (deadline, &self.armed) {
            (Some(at), Some((armed, _))) if *armed <= at => {}
            (Some(at), _) => self.armed = Some((at, Box::pin(runtime.sleep_until(at)))),
            (None, _) => {}
        }
    }

    /// Whether the timer as armed serves `deadline` without moving (it fires at or before it).
    pub fn covers(&self, deadline: Option<Instant>) -> bool {
        match (deadline, &self.armed) {
            (None, _) => true,
            (Some(at), Some((armed, _))) => *armed <= at,
            (Some(_), None) => false,
        }
    }

    /// Ready once the armed deadline has passed; the timer is then disarmed until the next
    /// [`DeadlineTimer::set`].
    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some((_, sleep)) = self.armed.as_mut() else { return Poll::Pending };
        match sleep.as_mut().poll(cx) {
            Poll::Ready(_) => {
                self.armed = None;
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
