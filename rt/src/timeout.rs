//! A deadline on any future, from the runtime's timer.

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;

use crate::Runtime;

/// `future`'s output, or `None` if `duration` passes first (the future is then dropped).
///
/// The timer is armed only if the future is not ready at once: the common case — a request
/// body already read, a channel with room — then costs no timer registration (which on
/// async-io's reactor is a wake-up of the reactor thread).
pub async fn timeout<Rt: Runtime, F: Future>(
    runtime: &Rt,
    duration: Duration,
    future: F,
) -> Option<F::Output> {
    let deadline = runtime.now() + duration;
    let mut future = pin!(future);
    let mut sleep: Option<Pin<Box<Rt::Sleep>>> = None;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(out) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(out));
        }
        let sleep = sleep.get_or_insert_with(|| Box::pin(runtime.sleep_until(deadline)));
        sleep.as_mut().poll(cx).map(|_| None)
    })
    .await
}
