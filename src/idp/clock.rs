//! Virtual time: IdP cycles, back-offs and retention periods run on a simulated clock, so a
//! story spanning weeks runs in milliseconds and nothing ever sleeps (DESIGN.md "Data flow").

use std::time::Duration;

/// One minute.
pub const MINUTE: Duration = Duration::from_secs(60);
/// One hour.
pub const HOUR: Duration = Duration::from_secs(60 * 60);
/// One day.
pub const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// Virtual time elapsed since the simulated tenant started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Clock {
    now: Duration,
}

impl Clock {
    /// The current virtual time.
    pub fn now(&self) -> Duration {
        self.now
    }

    /// Moves time forward by `by`. Saturates at the largest `Duration` rather than
    /// overflowing: waits come from targets (`Retry-After`), and no target may crash a run.
    pub fn advance(&mut self, by: Duration) {
        self.now = self.now.saturating_add(by);
    }

    /// Moves time forward to `at`; a moment in the past changes nothing.
    pub fn advance_to(&mut self, at: Duration) {
        self.now = self.now.max(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_moves_forward() {
        let mut clock = Clock::default();
        clock.advance(40 * MINUTE);
        clock.advance_to(10 * MINUTE);
        assert_eq!(clock.now(), 40 * MINUTE);
        clock.advance_to(DAY);
        assert_eq!(clock.now(), DAY);
    }

    #[test]
    fn saturates_instead_of_overflowing() {
        let mut clock = Clock::default();
        clock.advance(Duration::MAX);
        clock.advance(Duration::MAX);
        assert_eq!(clock.now(), Duration::MAX);
    }
}
