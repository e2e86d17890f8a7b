//! How many exchanges a check judged and how many of those failed: the two numbers its status
//! follows from, over a whole run or over one IdP's scenarios.

use serde::Serialize;

use super::verdict::Status;

/// Judged and failed exchanges of one check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// How many exchanges the check judged.
    pub judged: usize,
    /// How many of those failed.
    pub failed: usize,
}

impl Tally {
    /// Not applicable when nothing was judged, failed when anything failed, passed otherwise.
    pub fn status(self) -> Status {
        match (self.judged, self.failed) {
            (0, _) => Status::NotApplicable,
            (_, 0) => Status::Pass,
            _ => Status::Fail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_counts() {
        assert_eq!(Tally::default().status(), Status::NotApplicable);
        assert_eq!(Tally { judged: 3, failed: 0 }.status(), Status::Pass);
        assert_eq!(Tally { judged: 3, failed: 1 }.status(), Status::Fail);
    }
}
