//! What a check saw in one exchange: that it held, or how it failed and where.

use serde::Serialize;

/// One judgement of one exchange by one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// The exchange's `seq` in its scenario's transcript.
    pub seq: u64,
    /// `None` when the rule held; otherwise what is wrong and what to do, in one sentence
    /// (`POST /Users answered 200; RFC 7644 §3.3 requires 201 Created`).
    pub failure: Option<String>,
    /// A JSON pointer into the exchange's transcript line naming the offending part, for
    /// reports to highlight: `/response/status`, `/response/headers/content-type`,
    /// `/response/body/startIndex`. `None` when the whole exchange is the evidence.
    pub pointer: Option<String>,
}

impl Observation {
    /// The rule held for exchange `seq`.
    pub fn pass(seq: u64) -> Self {
        Self { seq, failure: None, pointer: None }
    }

    /// The rule failed for exchange `seq` at `pointer`, because of `message`.
    pub fn fail(seq: u64, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { seq, failure: Some(message.into()), pointer: Some(pointer.into()) }
    }

    /// Whether the rule held.
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }
}
