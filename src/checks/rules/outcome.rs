//! How a rule reports on one exchange: it held, or it failed at a JSON pointer for a reason;
//! and the loop most rules are, one judgement per answered exchange of their kind.

use crate::checks::{Judged, Observation};
use crate::transcript::{Exchange, RecordedResponse};

/// A rule that did not hold: where in the exchange, and what was answered against what is
/// required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Failure {
    /// A JSON pointer into the exchange (`/response/status`).
    pub pointer: String,
    /// One sentence naming the clause.
    pub message: String,
}

impl Failure {
    /// A failure at `pointer`.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), message: message.into() }
    }

    /// This failure as exchange `seq`'s observation.
    pub fn observed(self, seq: u64) -> Observation {
        Observation::fail(seq, self.pointer, self.message)
    }
}

/// What a rule made of one exchange.
pub(super) type Outcome = Result<(), Failure>;

/// The observation of exchange `seq`.
pub(super) fn observation(seq: u64, outcome: Outcome) -> Observation {
    outcome.map_or_else(|failure| failure.observed(seq), |()| Observation::pass(seq))
}

/// Runs `judge` on every answered exchange; it returns `None` for exchanges that are not of the
/// rule's kind. Exchanges without a response (transport errors) are judged by no rule.
pub(super) fn each_answered(
    judged: &Judged<'_>,
    mut judge: impl FnMut(&Exchange, &RecordedResponse) -> Option<Outcome>,
) -> Vec<Observation> {
    judged
        .exchanges
        .iter()
        .filter_map(|exchange| {
            let response = exchange.response.as_ref()?;
            judge(exchange, response).map(|outcome| observation(exchange.seq, outcome))
        })
        .collect()
}

/// Whether `status` is a success (2xx).
pub(super) fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// `POST /Users`: the request as messages name it.
pub(super) fn request_line(exchange: &Exchange) -> String {
    format!("{} {}", exchange.request.method, exchange.request.path)
}
