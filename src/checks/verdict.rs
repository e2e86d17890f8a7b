//! A check's verdict over a whole run: whether it held, on how many exchanges, and the evidence
//! of each failure, pointing into the transcripts.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::transcript::Exchange;

use super::check::Check;
use super::judged::Judged;
use super::severity::Severity;
use super::source::Source;
use super::tally::Tally;

/// How a check came out over a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It applied to at least one exchange and held on every one.
    Pass,
    /// It failed on at least one exchange.
    Fail,
    /// No exchange of the run was of the kind it judges.
    NotApplicable,
}

/// Where a scenario's exchanges are: enough for a reader to open the transcript line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioRef {
    /// The feature file, as the run names it (`features/entra/groups.feature`).
    pub feature: String,
    /// The scenario's name.
    pub scenario: String,
    /// The IdP that played it: `entra` or `okta`.
    pub idp: String,
    /// The transcript file relative to the report (`transcripts/groups/a_group.jsonl`), when
    /// transcripts were written.
    pub transcript: Option<String>,
}

impl std::fmt::Display for ScenarioRef {
    /// `features/entra/groups.feature › A renamed group is patched`: how reports name it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} › {}", self.feature, self.scenario)
    }
}

/// One failure of a check, with the exchange that shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The scenario it happened in.
    #[serde(flatten)]
    pub scenario: ScenarioRef,
    /// The exchange's `seq` in the transcript.
    pub seq: u64,
    /// A JSON pointer into the exchange naming the offending part (`/response/status`).
    pub pointer: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The exchange itself, already redacted, so a report can show it without the transcript.
    pub exchange: Exchange,
}

impl std::fmt::Display for Evidence {
    /// `features/entra/groups.feature › A renamed group is patched (entra), seq 3: <message>`:
    /// one line that finds the exchange in its transcript and says what is wrong with it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}), seq {}: {}", self.scenario, self.scenario.idp, self.seq, self.message)
    }
}

/// A check's verdict over a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckVerdict {
    /// The check's stable id.
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// Its source clause.
    pub source: Source,
    /// Pass, fail or not applicable.
    pub status: Status,
    /// How many exchanges it judged.
    pub judged: usize,
    /// How many of those failed.
    pub failed: usize,
    /// The same two counts for each IdP whose scenarios it judged (`entra`, `okta`): a check
    /// can hold for one IdP's traffic and fail for the other's, and an IdP it never judged is
    /// not applicable for it.
    pub by_idp: BTreeMap<String, Tally>,
    /// The failures, in run order (at most [`MAX_EVIDENCE`] kept; `failed` counts them all).
    pub evidence: Vec<Evidence>,
}

/// How many failures a verdict keeps as evidence: enough to act on, not a copy of the run.
pub const MAX_EVIDENCE: usize = 25;

/// Judges every scenario with every check of `catalogue` and folds the observations into one
/// verdict per check, in catalogue order.
pub fn judge(catalogue: &[Check], scenarios: &[(ScenarioRef, Judged<'_>)]) -> Vec<CheckVerdict> {
    catalogue
        .iter()
        .map(|check| {
            let mut verdict = CheckVerdict {
                id: check.id,
                title: check.title,
                severity: check.severity,
                source: check.source,
                status: Status::NotApplicable,
                judged: 0,
                failed: 0,
                by_idp: BTreeMap::new(),
                evidence: Vec::new(),
            };
            for (scenario, judged) in scenarios {
                for observation in check.evaluate(judged) {
                    verdict.judged += 1;
                    let idp = verdict.by_idp.entry(scenario.idp.clone()).or_default();
                    idp.judged += 1;
                    let Some(message) = observation.failure else { continue };
                    verdict.failed += 1;
                    idp.failed += 1;
                    if verdict.evidence.len() >= MAX_EVIDENCE {
                        continue;
                    }
                    let Some(exchange) = judged.exchanges.iter().find(|e| e.seq == observation.seq) else { continue };
                    verdict.evidence.push(Evidence {
                        scenario: scenario.clone(),
                        seq: observation.seq,
                        pointer: observation.pointer,
                        message,
                        exchange: exchange.clone(),
                    });
                }
            }
            verdict.status = Tally { judged: verdict.judged, failed: verdict.failed }.status();
            verdict
        })
        .collect()
}

impl CheckVerdict {
    /// How the check came out for `idp`'s scenarios alone: not applicable when it judged none
    /// of their exchanges.
    pub fn status_for(&self, idp: &str) -> Status {
        self.by_idp.get(idp).copied().unwrap_or_default().status()
    }
}
