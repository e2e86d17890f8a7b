//! What `scimsim load` prints and writes: requests per second, latency percentiles and
//! statuses per operation, transport errors, how the IdP would have reacted, and the
//! baseline's rate when one ran, as text and as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::baseline::BaselineResult;
use super::load_plan::LoadPlan;
use super::load_run::LoadOutcome;
use super::reactions::IdpReactions;

/// The version of the JSON form; a change that removes or renames a field bumps it.
pub const LOAD_REPORT_VERSION: &str = "1.0";

/// A load run's report.
#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    /// [`LOAD_REPORT_VERSION`].
    pub schema_version: &'static str,
    /// What ran.
    pub plan: LoadPlan,
    /// The target, without credentials.
    pub target: String,
    /// The run id every name started with.
    pub run_id: String,
    /// Wall-clock seconds of the provisioning.
    pub elapsed_s: f64,
    /// Requests sent.
    pub requests: u64,
    /// Requests per second.
    pub requests_per_second: f64,
    /// Per operation, in name order.
    pub operations: Vec<OperationLine>,
    /// Answers by status code, over all operations.
    pub statuses: BTreeMap<u16, u64>,
    /// Requests without an answer.
    pub transport_errors: u64,
    /// How the IdP would have reacted.
    pub reactions: IdpReactions,
    /// The plain loop's figures, with `--baseline` (none when the run was stopped).
    pub baseline: Option<BaselineLine>,
    /// Users whose batch was provisioned to the end: all of them unless the run was stopped.
    pub users_done: usize,
    /// Ctrl-C or SIGTERM stopped the run: the figures are those of the requests sent until then.
    pub stopped: bool,
}

/// One operation's figures.
#[derive(Debug, Clone, Serialize)]
pub struct OperationLine {
    /// `POST /Users`, `GET /Users?filter`, …
    pub operation: String,
    /// Requests.
    pub requests: u64,
    /// Latency percentiles and maximum, in milliseconds.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
    /// Answers by status.
    pub statuses: BTreeMap<u16, u64>,
    /// Requests without an answer.
    pub transport_errors: u64,
}

/// The baseline against the run.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineLine {
    /// What the plain loop did.
    #[serde(flatten)]
    pub result: BaselineResult,
    /// Its requests per second.
    pub requests_per_second: f64,
    /// The run's rate over the baseline's: 0.8 means the harness reached 80 % of a plain loop.
    pub ratio: f64,
}

impl LoadReport {
    /// The report of `outcome`, with its baseline's figures when it had one.
    pub fn new(plan: &LoadPlan, target: String, run_id: String, outcome: &LoadOutcome) -> Self {
        let elapsed_s = outcome.elapsed.as_secs_f64();
        let requests = outcome.operations.requests();
        let requests_per_second = requests as f64 / elapsed_s.max(f64::MIN_POSITIVE);
        let mut statuses = BTreeMap::new();
        let operations: Vec<OperationLine> = outcome
            .operations
            .operations
            .iter()
            .map(|(name, stats)| {
                for (status, count) in &stats.statuses {
                    *statuses.entry(*status).or_default() += count;
                }
                OperationLine {
                    operation: name.clone(),
                    requests: stats.count(),
                    p50_ms: stats.percentile_ms(0.5),
                    p90_ms: stats.percentile_ms(0.9),
                    p99_ms: stats.percentile_ms(0.99),
                    max_ms: stats.max_ms(),
                    statuses: stats.statuses.clone(),
                    transport_errors: stats.transport_errors,
                }
            })
            .collect();
        let transport_errors = operations.iter().map(|o| o.transport_errors).sum();
        let baseline = outcome.baseline.clone().map(|result| {
            let rate = result.rate();
            BaselineLine { requests_per_second: rate, ratio: requests_per_second / rate.max(f64::MIN_POSITIVE), result }
        });
        Self {
            schema_version: LOAD_REPORT_VERSION,
            plan: plan.clone(),
            target,
            run_id,
            elapsed_s,
            requests,
            requests_per_second,
            operations,
            statuses,
            transport_errors,
            reactions: outcome.reactions.clone(),
            baseline,
            users_done: outcome.users_done,
            stopped: outcome.stopped,
        }
    }

    /// The report as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The report as the terminal shows it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let plan = &self.plan;
        let _ = writeln!(
            out,
            "{} initial provisioning of {} users and {} groups of {} members against {}",
            plan.idp.name(),
            plan.users,
            plan.groups,
            plan.members,
            self.target
        );
        if self.stopped {
            let _ = writeln!(
                out,
                "stopped (Ctrl-C or SIGTERM) after {} of {} users: the figures are those of the requests sent until then, the batches in flight cut off",
                self.users_done, plan.users
            );
        }
        let _ = writeln!(
            out,
            "{} requests in {:.2} s: {:.0} requests/s ({} jobs at once{})",
            self.requests,
            self.elapsed_s,
            self.requests_per_second,
            plan.concurrency,
            plan.rate.map(|r| format!(", paced at {r} requests/s")).unwrap_or_default()
        );
        let _ = writeln!(
            out,
            "{:<22} {:>8} {:>9} {:>9} {:>9} {:>9}  statuses",
            "operation", "requests", "p50 ms", "p90 ms", "p99 ms", "max ms"
        );
        for line in &self.operations {
            let statuses: Vec<String> = line.statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
            let errors = if line.transport_errors > 0 {
                format!(" no answer×{}", line.transport_errors)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{:<22} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.2}  {}{errors}",
                line.operation,
                line.requests,
                line.p50_ms,
                line.p90_ms,
                line.p99_ms,
                line.max_ms,
                statuses.join(" ")
            );
        }
        let reactions = &self.reactions;
        let mut line = format!(
            "{}: {} ({}), {} of 429 waited on",
            plan.idp.name(),
            counted(reactions.failed_objects, "object failed", "objects failed"),
            match plan.idp {
                super::LoadIdp::Entra => "in escrow, retried in later cycles",
                super::LoadIdp::Okta => "failed tasks in Dashboard → Tasks",
            },
            counted(reactions.throttled, "answer", "answers"),
        );
        if reactions.rescheduled_tasks > 0 {
            let _ = write!(line, ", {}", counted(reactions.rescheduled_tasks, "task rescheduled", "tasks rescheduled"));
        }
        let quarantined: u64 = reactions.quarantined_jobs.values().sum();
        if quarantined > 0 {
            let reasons: Vec<String> =
                reactions.quarantined_jobs.iter().map(|(reason, jobs)| format!("{reason} ×{jobs}")).collect();
            let _ = write!(
                line,
                ", {} ({})",
                counted(quarantined, "job quarantined", "jobs quarantined"),
                reasons.join(", ")
            );
        }
        let _ = writeln!(out, "{line}");
        if let Some(baseline) = &self.baseline {
            let _ = writeln!(
                out,
                "baseline (a plain reqwest loop, same requests, fresh embedded server): {} requests in {:.2} s: {:.0} requests/s; scimsim reached {:.0} % of it",
                baseline.result.requests,
                baseline.result.elapsed.as_secs_f64(),
                baseline.requests_per_second,
                baseline.ratio * 100.0
            );
        }
        out
    }
}

/// `count` and `one` or `many`, as a sentence says it: "1 answer", "40 answers".
fn counted(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::LoadIdp;

    fn reactions_line(reactions: IdpReactions) -> String {
        let plan = LoadPlan { idp: LoadIdp::Entra, users: 1, groups: 0, members: 0, concurrency: 1, rate: None };
        let mut outcome = LoadOutcome::default();
        outcome.reactions = reactions;
        let text = LoadReport::new(&plan, "t".into(), "r".into(), &outcome).text();
        text.lines().find(|line| line.starts_with("entra: ")).expect("the reactions line").to_string()
    }

    #[test]
    fn reactions_are_counted_in_words_and_quarantines_by_reason() {
        let one = IdpReactions {
            failed_objects: 1,
            throttled: 1,
            rescheduled_tasks: 1,
            quarantined_jobs: [("Unauthorized".to_string(), 1)].into(),
        };
        assert_eq!(
            reactions_line(one),
            "entra: 1 object failed (in escrow, retried in later cycles), 1 answer of 429 waited on, \
             1 task rescheduled, 1 job quarantined (Unauthorized ×1)"
        );
        let many = IdpReactions {
            failed_objects: 30,
            throttled: 40,
            rescheduled_tasks: 0,
            quarantined_jobs: [("EscrowThreshold".to_string(), 2), ("Unauthorized".to_string(), 1)].into(),
        };
        assert_eq!(
            reactions_line(many),
            "entra: 30 objects failed (in escrow, retried in later cycles), 40 answers of 429 waited on, \
             3 jobs quarantined (EscrowThreshold ×2, Unauthorized ×1)"
        );
    }
}
