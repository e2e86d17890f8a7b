//! What a run keeps while scenarios finish: each scenario's record, the target's
//! ServiceProviderConfig (read once, for the checks that judge what it advertises), and, when
//! the run reports per feature, a line as each feature completes.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

use super::scenario_record::ScenarioRecord;
use super::world::ScimWorld;

/// Per-feature progress: scenarios expected, and what finished so far.
#[derive(Debug, Default)]
struct FeatureProgress {
    total: usize,
    finished: usize,
    passed: usize,
    exchanges: usize,
}

/// The run's collector, shared by the after hooks.
#[derive(Debug, Default)]
pub(crate) struct RunRecorder {
    records: Mutex<Vec<ScenarioRecord>>,
    service_provider_config: Mutex<Option<Value>>,
    /// `Some` when a line is printed per finished feature: scenarios per feature file.
    progress: Option<Mutex<HashMap<String, FeatureProgress>>>,
}

impl RunRecorder {
    /// A recorder; with `per_feature` (scenario counts by feature file) it prints a line on
    /// stdout as each feature completes. A `known` ServiceProviderConfig is not read again.
    pub(crate) fn new(per_feature: Option<HashMap<String, usize>>, known: Option<Value>) -> Self {
        let progress = per_feature.map(|counts| {
            Mutex::new(
                counts
                    .into_iter()
                    .map(|(f, total)| (f, FeatureProgress { total, ..FeatureProgress::default() }))
                    .collect(),
            )
        });
        Self { progress, service_provider_config: Mutex::new(known), ..Self::default() }
    }

    /// Reads the target's `/ServiceProviderConfig` through the world's target, the first time
    /// a judged scenario finishes; a target that does not answer it with JSON leaves it unknown.
    pub(crate) async fn read_service_provider_config(&self, world: &ScimWorld) {
        if world.shaped_target || self.service_provider_config.lock().unwrap_or_else(PoisonError::into_inner).is_some()
        {
            return;
        }
        let Some(target) = world.target.as_ref() else { return };
        if let Some(body) = target.service_provider_config().await {
            *self.service_provider_config.lock().unwrap_or_else(PoisonError::into_inner) = Some(body);
        }
    }

    /// Keeps a finished scenario; prints its feature's line when it was the feature's last.
    pub(crate) fn finish(&self, record: ScenarioRecord) {
        if let Some(progress) = &self.progress {
            let mut progress = progress.lock().unwrap_or_else(PoisonError::into_inner);
            let feature = progress.entry(record.feature.clone()).or_default();
            feature.finished += 1;
            feature.passed += usize::from(record.passed);
            feature.exchanges += record.exchanges.len();
            if feature.finished == feature.total {
                let mark = if feature.passed == feature.total { "✔" } else { "✘" };
                let line = format!(
                    "{mark} {}: {} of {} scenarios passed, {} exchanges\n",
                    record.feature, feature.passed, feature.total, feature.exchanges
                );
                let _ = std::io::stdout().lock().write_all(line.as_bytes());
            }
        }
        self.records.lock().unwrap_or_else(PoisonError::into_inner).push(record);
    }

    /// Takes the records, in feature and line order, and the ServiceProviderConfig read.
    pub(crate) fn take(&self) -> (Vec<ScenarioRecord>, Option<Value>) {
        let mut records = std::mem::take(&mut *self.records.lock().unwrap_or_else(PoisonError::into_inner));
        records.sort_by(|a, b| (&a.feature, a.line).cmp(&(&b.feature, b.line)));
        (records, self.service_provider_config.lock().unwrap_or_else(PoisonError::into_inner).take())
    }
}
