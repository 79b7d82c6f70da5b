//! Maps smol's monotonic clock onto the core's [`Instant`].

use core::time::Duration;

use mcp_sansio::Instant;

/// The clock a driver loop passes to the core.
///
/// The core measures time from an origin of the caller's choosing; this type fixes that origin
/// when it is created and converts in both directions: [`Clock::now`] for the `now` argument
/// of every input, and [`Clock::deadline`] for arming a timer at the core's next deadline.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    origin: std::time::Instant,
}

impl Clock {
    /// A clock whose origin is the present moment.
    pub fn new() -> Self {
        Clock { origin: std::time::Instant::now() }
    }

    /// The present moment on the core's clock.
    pub fn now(&self) -> Instant {
        Instant::from_elapsed(self.origin.elapsed())
    }

    /// The runtime instant of a deadline the core asked for.
    pub fn deadline(&self, at: Instant) -> std::time::Instant {
        self.origin
            .checked_add(at.elapsed_since_origin())
            // A deadline beyond the runtime clock's range is as good as never.
            .unwrap_or_else(|| self.origin + Duration::from_secs(86_400 * 365))
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}
