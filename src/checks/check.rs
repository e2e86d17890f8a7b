//! One entry of the catalogue: a stable id, a title, its source and severity, and the rule.

use super::judged::Judged;
use super::observation::Observation;
use super::severity::Severity;
use super::source::Source;

/// A conformance check.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// A stable id reports and CI filters use; never reused for another rule (`USR-CREATE-201`).
    pub id: &'static str,
    /// What the rule demands, as a sentence (`A successful POST answers 201 Created`).
    pub title: &'static str,
    /// How much a failure matters.
    pub severity: Severity,
    /// The clause the rule comes from.
    pub source: Source,
    /// The rule: one observation per exchange it applies to (none when it applies to none,
    /// which makes the check "not applicable" for the scenario).
    pub rule: fn(&Judged<'_>) -> Vec<Observation>,
}

impl Check {
    /// Runs the rule on a scenario.
    pub fn evaluate(&self, judged: &Judged<'_>) -> Vec<Observation> {
        (self.rule)(judged)
    }
}
