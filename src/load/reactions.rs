//! How the IdP would have reacted to what the target answered during a load run: objects that
//! failed (Entra puts them in escrow for a later cycle, entra-wire.md §4.2; Okta leaves a task
//! in Dashboard → Tasks, okta-wire.md §1.11), 429s it backed off from (§4.2 / okta-wire.md
//! §5), and jobs it quarantined (entra-wire.md §4.3).

use std::collections::BTreeMap;

use crate::idp::entra::{CycleOutcome, EntraTenant, Status};
use crate::idp::okta::{OktaOrg, Outcome};

/// The IdP's reactions, summed over a run's jobs.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IdpReactions {
    /// Objects whose operation failed: in escrow for a retry (Entra), or a failed task (Okta).
    pub failed_objects: u64,
    /// Answers of 429 the IdP waited on before sending again: the run's count of 429s over
    /// every operation ([`run`](super::run) fills it in).
    pub throttled: u64,
    /// Okta tasks paused by a 429 and rescheduled.
    pub rescheduled_tasks: u64,
    /// Entra jobs that ended their cycle in quarantine, by reason.
    pub quarantined_jobs: BTreeMap<String, u64>,
}

impl IdpReactions {
    /// What one Entra job's cycle ended with (its 429s are counted with the run's operations).
    pub fn of_entra(entra: &EntraTenant, outcome: &CycleOutcome) -> Self {
        let mut reactions = Self {
            failed_objects: entra.log().entries().iter().filter(|e| e.status == Status::Failure).count() as u64,
            ..Self::default()
        };
        if let CycleOutcome::Quarantined(reason) = outcome {
            reactions.quarantined_jobs.insert(reason.to_string(), 1);
        }
        reactions
    }

    /// What one Okta job's tasks ended with (its 429s are counted with the run's operations).
    pub fn of_okta(okta: &OktaOrg) -> Self {
        let count = |outcome: Outcome| okta.events().iter().filter(|e| e.outcome == outcome).count() as u64;
        Self {
            failed_objects: count(Outcome::Failure),
            rescheduled_tasks: count(Outcome::RateLimited),
            ..Self::default()
        }
    }

    /// Adds `other` to these.
    pub fn merge(&mut self, other: &IdpReactions) {
        self.failed_objects += other.failed_objects;
        self.throttled += other.throttled;
        self.rescheduled_tasks += other.rescheduled_tasks;
        for (reason, jobs) in &other.quarantined_jobs {
            *self.quarantined_jobs.entry(reason.clone()).or_default() += jobs;
        }
    }
}
