//! smol as an [`mcp_sansio_rt::Runtime`].

use std::future::Future;
use std::time::Instant;

/// smol's global executor and `async-io` timers, as the shared loops see them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Smol;

impl mcp_sansio_rt::Runtime for Smol {
    type Sleep = smol::Timer;

    fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        smol::spawn(future).detach();
    }

    fn now(&self) -> Instant {
        Instant::now()
    }

    fn sleep_until(&self, deadline: Instant) -> Self::Sleep {
        smol::Timer::at(deadline)
    }
}
