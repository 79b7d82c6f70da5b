//! Maps a runtime's monotonic clock onto the core's [`Instant`].

use core::time::Duration;

use mcp_sansio::Instant;

/// The clock a driver loop passes to the core.
///
/// The core measures time from an origin of the caller's choosing; this type fixes that origin
/// and converts in both directions: [`Clock::at`] for the `now` argument of every input, and
/// [`Clock::deadline`] for arming a timer at the core's next deadline.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    origin: std::time::Instant,
}

impl Clock {
    /// A clock whose origin is `origin` (usually the runtime's present moment).
    pub fn new(origin: std::time::Instant) -> Self {
        Clock { origin }
    }

    /// The runtime moment `now` on the core's clock.
    pub fn at(&self, now: std::time::Instant) -> Instant {
        Instant::from_elapsed(now.saturating_duration_since(self.origin))
    }

    /// The runtime instant of a deadline the core asked for.
    pub fn deadline(&self, at: Instant) -> std::time::Instant {
        self.origin
            .checked_add(at.elapsed_since_origin())
            // A deadline beyond the runtime clock's range is as good as never.
            .unwrap_or_else(|| self.origin + Duration::from_secs(86_400 * 365))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_and_deadline_are_inverse() {
        let origin = std::time::Instant::now();
        let clock = Clock::new(origin);
        let later = origin + Duration::from_millis(250);
        let core = clock.at(later);
        assert_eq!(core.elapsed_since_origin(), Duration::from_millis(250));
        assert_eq!(clock.deadline(core), later);
        // Before the origin is the origin, not a panic.
        if let Some(before) = origin.checked_sub(Duration::from_millis(1)) {
            assert_eq!(clock.at(before).elapsed_since_origin(), Duration::ZERO);
        }
    }
}
