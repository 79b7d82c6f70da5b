//! async-std as an [`mcp_sansio_rt::Runtime`].

use std::future::Future;
use std::time::Instant;

/// async-std's executor and `async-io` timers, as the shared loops see them.
#[derive(Clone, Copy, Debug, Default)]
pub struct AsyncStd;

impl mcp_sansio_rt::Runtime for AsyncStd {
    type Sleep = async_io::Timer;

    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // Dropping the handle detaches the task.
        drop(async_std::task::spawn(future));
    }

    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep_until(&self, deadline: Instant) -> Self::Sleep {
        async_io::Timer::at(deadline)
    }
}
