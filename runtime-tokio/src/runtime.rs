//! tokio as an [`mcp_sansio_rt::Runtime`].

use std::future::Future;
use std::time::Instant;

/// The tokio runtime the current task runs on, as the shared loops see it. Its clock is
/// tokio's, so a paused test clock drives the core's deadlines too.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tokio;

impl mcp_sansio_rt::Runtime for Tokio {
    type Sleep = tokio::time::Sleep;

    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        drop(tokio::spawn(future));
    }

    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn sleep_until(&self, deadline: Instant) -> Self::Sleep {
        tokio::time::sleep_until(deadline.into())
    }

    fn spawns_here(&self) -> bool {
        tokio::runtime::Handle::try_current().is_ok()
    }
}
