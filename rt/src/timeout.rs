//! A deadline on any future, from the runtime's timer.

use std::future::Future;
use std::time::Duration;

use futures_util::future::{Either, select};

use crate::Runtime;

/// `future`'s output, or `None` if `duration` passes first (the future is then dropped).
pub async fn timeout<Rt: Runtime, F: Future>(
    runtime: &Rt,
    duration: Duration,
    future: F,
) -> Option<F::Output> {
    let sleep = runtime.sleep_until(runtime.now() + duration);
    match select(Box::pin(future), Box::pin(sleep)).await {
        Either::Left((out, _)) => Some(out),
        Either::Right(_) => None,
    }
}
