//! How many checks passed, failed and did not apply: the counts the console table and the
//! HTML header show, over a whole run or one IdP and severity.

use crate::checks::Status;

/// Checks counted by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct StatusCount {
    /// Checks that held on every exchange they judged.
    pub passed: usize,
    /// Checks that failed at least once.
    pub failed: usize,
    /// Checks that judged nothing.
    pub not_applicable: usize,
}

impl StatusCount {
    /// Whether no check was counted at all.
    pub fn is_empty(&self) -> bool {
        self.passed + self.failed + self.not_applicable == 0
    }
}

impl FromIterator<Status> for StatusCount {
    fn from_iter<I: IntoIterator<Item = Status>>(statuses: I) -> Self {
        let mut count = Self::default();
        for status in statuses {
            match status {
                Status::Pass => count.passed += 1,
                Status::Fail => count.failed += 1,
                Status::NotApplicable => count.not_applicable += 1,
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_status() {
        let count: StatusCount =
            [Status::Pass, Status::Fail, Status::Pass, Status::NotApplicable].into_iter().collect();
        assert_eq!(count, StatusCount { passed: 2, failed: 1, not_applicable: 1 });
        assert!(!count.is_empty() && StatusCount::default().is_empty());
    }
}
