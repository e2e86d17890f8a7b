//! Rules that need the scenario's history (who exists, what was deleted) read it in order: a
//! ledger learns from each exchange after the exchange is judged on what came before it.

use crate::checks::{Judged, Observation};
use crate::transcript::Exchange;

use super::outcome::{Outcome, observation};

/// What a rule remembers of a scenario as it reads the exchanges in order.
pub(super) trait Ledger: Default {
    /// Learns what `exchange` shows.
    fn observe(&mut self, exchange: &Exchange);
}

/// Runs `judge` on every answered exchange with what the ledger learnt before it; `judge`
/// returns `None` for exchanges that are not of the rule's kind.
pub(super) fn judge_in_order<L: Ledger>(
    judged: &Judged<'_>,
    judge: impl Fn(&Exchange, &L) -> Option<Outcome>,
) -> Vec<Observation> {
    let mut ledger = L::default();
    let mut observations = Vec::new();
    for exchange in judged.exchanges {
        if exchange.response.is_some()
            && let Some(outcome) = judge(exchange, &ledger)
        {
            observations.push(observation(exchange.seq, outcome));
        }
        ledger.observe(exchange);
    }
    observations
}
