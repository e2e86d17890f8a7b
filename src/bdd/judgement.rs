//! Judging a finished run: every check of the catalogue over every judged scenario's
//! exchanges, folded into the run's report.

use std::collections::BTreeMap;

use crate::checks::{Judged, ScenarioRef, catalogue, judge};
use crate::report::{RunMeta, RunReport, ScenarioResult, TRANSCRIPTS_DIR};

use super::runner::RunSummary;

/// What the run was, for the report's metadata.
#[derive(Debug, Clone)]
pub struct RunDescription {
    /// The target's base URL without credentials, or `embedded reference server`.
    pub target: String,
    /// The tag expression that selected the scenarios.
    pub tags: Option<String>,
    /// When the run started, RFC 3339 UTC.
    pub started_at: String,
}

impl RunDescription {
    /// A run against `target` selected by `tags`, starting now.
    pub fn starting_now(target: String, tags: Option<String>) -> Self {
        let started_at =
            time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        Self { target, tags, started_at }
    }
}

/// The report of a run: scenarios, check verdicts, a verdict per IdP.
pub fn report(summary: &RunSummary, description: RunDescription) -> RunReport {
    let judged: Vec<(ScenarioRef, Judged<'_>)> = summary
        .scenarios
        .iter()
        .filter(|s| s.judged)
        .filter_map(|s| {
            let idp = s.idp.as_deref()?;
            let scenario = ScenarioRef {
                feature: s.feature.clone(),
                scenario: s.name.clone(),
                idp: idp.to_string(),
                transcript: report_path(s.transcript.as_deref()),
            };
            let judged = Judged {
                idp,
                exchanges: &s.exchanges,
                service_provider_config: summary.service_provider_config.as_ref(),
            };
            Some((scenario, judged))
        })
        .collect();
    let checks = judge(&catalogue(), &judged);
    let mut idps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for exchange in summary.scenarios.iter().flat_map(|s| s.exchanges.iter()) {
        let dialects = idps.entry(exchange.idp.clone()).or_default();
        if !dialects.contains(&exchange.dialect) {
            dialects.push(exchange.dialect.clone());
        }
    }
    let scenarios = summary
        .scenarios
        .iter()
        .map(|s| ScenarioResult {
            feature: s.feature.clone(),
            name: s.name.clone(),
            idp: s.idp.clone(),
            dialect: s.exchanges.first().map(|e| e.dialect.clone()),
            passed: s.passed,
            failure: s.failure.clone(),
            exchanges: s.exchanges.len(),
            judged: s.judged,
            transcript: report_path(s.transcript.as_deref()),
        })
        .collect();
    let run = RunMeta {
        scimsim_version: env!("CARGO_PKG_VERSION").to_string(),
        target: description.target,
        started_at: description.started_at,
        duration_ms: u64::try_from(summary.elapsed.as_millis()).unwrap_or(u64::MAX),
        idps,
        tags: description.tags,
    };
    RunReport::new(run, scenarios, checks)
}

/// A transcript's path relative to the report that points into it.
fn report_path(transcript: Option<&str>) -> Option<String> {
    transcript.map(|t| format!("{TRANSCRIPTS_DIR}/{t}"))
}
