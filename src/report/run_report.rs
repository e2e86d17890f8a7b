//! Everything a certification report says, in one value every renderer reads: run metadata,
//! the scenarios, the check verdicts, and a verdict per IdP. report.json is this, serialized.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::checks::{CheckVerdict, Severity, Status};

/// The version of report.json's shape (docs/report.schema.json). A change that removes or
/// renames a field bumps the major number; an added field bumps the minor one.
pub const SCHEMA_VERSION: &str = "1.0";

/// Where a report's transcripts live, relative to the report: the report's evidence and
/// scenarios point into `transcripts/<feature>/<scenario>.jsonl`.
pub const TRANSCRIPTS_DIR: &str = "transcripts";

/// A whole run, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunReport {
    /// [`SCHEMA_VERSION`].
    pub schema_version: &'static str,
    /// Who made it and against what.
    pub run: RunMeta,
    /// One verdict per IdP that played scenarios, in `entra`, `okta` order.
    pub verdicts: Vec<IdpVerdict>,
    /// Every scenario, in run order.
    pub scenarios: Vec<ScenarioResult>,
    /// Every check of the catalogue, in catalogue order.
    pub checks: Vec<CheckVerdict>,
}

/// Run metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunMeta {
    /// The scimsim version (`CARGO_PKG_VERSION`).
    pub scimsim_version: String,
    /// The target's base URL without credentials, or `embedded reference server`.
    pub target: String,
    /// When the run started, RFC 3339 UTC.
    pub started_at: String,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// The IdPs played and the dialects each used (`entra`: `legacy`, `aadOptscim062020`).
    pub idps: BTreeMap<String, Vec<String>>,
    /// The tag expression that selected the scenarios, if any.
    pub tags: Option<String>,
}

impl RunMeta {
    /// The run's duration for people: `850 ms`, `4.3 s`, `2 min 5 s`.
    pub fn duration_label(&self) -> String {
        let ms = self.duration_ms;
        match ms {
            0..1_000 => format!("{ms} ms"),
            1_000..60_000 => format!("{:.1} s", ms as f64 / 1_000.0),
            _ => format!("{} min {} s", ms / 60_000, ms / 1_000 % 60),
        }
    }

    /// The IdPs and their dialects on one line: `entra (legacy, aadOptscim062020), okta (oin)`.
    pub fn idps_label(&self) -> String {
        let idps: Vec<String> =
            self.idps.iter().map(|(idp, dialects)| format!("{idp} ({})", dialects.join(", "))).collect();
        idps.join(", ")
    }
}

/// How reports name an IdP to people: `Entra` for `entra`, `Okta` for `okta`, any other id as
/// it is.
pub fn idp_name(idp: &str) -> &str {
    match idp {
        "entra" => "Entra",
        "okta" => "Okta",
        other => other,
    }
}

/// How one scenario ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioResult {
    /// The feature file (`features/entra/groups.feature`).
    pub feature: String,
    /// The scenario's name.
    pub name: String,
    /// `entra` or `okta`; `None` when the scenario failed before choosing one.
    pub idp: Option<String>,
    /// The dialect of its first exchange (`legacy`, `oin`, …), if it sent any.
    pub dialect: Option<String>,
    /// Whether every step passed.
    pub passed: bool,
    /// The failed step and its message, when it failed.
    pub failure: Option<String>,
    /// How many exchanges it recorded.
    pub exchanges: usize,
    /// Whether its exchanges were judged: not when the scenario shaped the target on purpose
    /// (a behaviour profile, an injected fault), whose answers are the story, not the server's.
    pub judged: bool,
    /// Its transcript, relative to the report, when transcripts were written.
    pub transcript: Option<String>,
}

/// The verdict for one IdP: compatible unless a check that binds it failed in one of its
/// scenarios.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdpVerdict {
    /// `entra` or `okta`.
    pub idp: String,
    /// No MUST and no requirement of this IdP failed.
    pub compatible: bool,
    /// Failed checks (counted once each) by severity label, for this IdP's scenarios only.
    pub failures: BTreeMap<String, usize>,
    /// This IdP's scenarios that passed.
    pub scenarios_passed: usize,
    /// This IdP's scenarios that failed.
    pub scenarios_failed: usize,
}

impl IdpVerdict {
    /// Folds the check verdicts and scenarios of `idp` into its verdict.
    pub fn of(idp: &str, checks: &[CheckVerdict], scenarios: &[ScenarioResult]) -> Self {
        let mut failures: BTreeMap<String, usize> = BTreeMap::new();
        // By the per-IdP tally rather than the evidence: evidence stops at MAX_EVIDENCE items,
        // which could all come from the other IdP's scenarios.
        for check in checks.iter().filter(|c| c.status_for(idp) == Status::Fail) {
            *failures.entry(check.severity.label().to_string()).or_default() += 1;
        }
        let compatible =
            !Severity::ALL.iter().any(|s| s.blocks(idp) && failures.get(s.label()).is_some_and(|n| *n > 0));
        let own = || scenarios.iter().filter(|s| s.idp.as_deref() == Some(idp));
        Self {
            idp: idp.to_string(),
            compatible,
            failures,
            scenarios_passed: own().filter(|s| s.passed).count(),
            scenarios_failed: own().filter(|s| !s.passed).count(),
        }
    }

    /// The console's verdict line: `Entra: compatible`, `Okta: 3 MUST failures, 1 Okta requires
    /// failure`.
    pub fn line(&self) -> String {
        let name = idp_name(&self.idp);
        let blocking: Vec<String> = Severity::ALL
            .iter()
            .filter(|s| s.blocks(&self.idp))
            .filter_map(|s| {
                let n = *self.failures.get(s.label())?;
                (n > 0).then(|| format!("{n} {} failure{}", s.label(), if n == 1 { "" } else { "s" }))
            })
            .collect();
        if blocking.is_empty() { format!("{name}: compatible") } else { format!("{name}: {}", blocking.join(", ")) }
    }
}

impl RunReport {
    /// A report of `scenarios` and `checks`, with a verdict for each IdP that played a
    /// scenario (`entra` before `okta`).
    pub fn new(run: RunMeta, scenarios: Vec<ScenarioResult>, checks: Vec<CheckVerdict>) -> Self {
        let mut idps: Vec<String> = scenarios.iter().filter_map(|s| s.idp.clone()).collect();
        idps.sort();
        idps.dedup();
        let verdicts = idps.iter().map(|idp| IdpVerdict::of(idp, &checks, &scenarios)).collect();
        Self { schema_version: SCHEMA_VERSION, run, verdicts, scenarios, checks }
    }

    /// Whether every scenario passed and every IdP's verdict is "compatible": the run's exit
    /// status.
    pub fn succeeded(&self) -> bool {
        self.scenarios.iter().all(|s| s.passed) && self.verdicts.iter().all(|v| v.compatible)
    }
}
