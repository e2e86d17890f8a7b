//! Runs features with cucumber: parses them, selects scenarios by tag, registers the step
//! language, and reports `N passed, N failed`.
//!
//! Cucumber never parses scimsim's own arguments (its CLI is replaced by defaults, see
//! rust-style-anchors §2.6). Unknown and ambiguous steps stop the run before any scenario
//! runs (`step_check`); should one slip through, it fails its scenario with the feature file
//! and line (`fail_on_skipped`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::gherkin::{Feature, Rule, Scenario};
use cucumber::tag::Ext as _;
use cucumber::writer::{Coloring, Verbosity};
use cucumber::{Cucumber, StatsWriter as _, WriterExt as _, event, runner, step, writer};
use serde_json::Value;

use super::error::BddError;
use super::failure_wording::FailureWording;
use super::feature_source::FeatureSource;
use super::parser::FeatureParser;
use super::run_cleanup::{CleanupOutcome, RunCleanup};
use super::run_config::{Progress, RunConfig, TargetChoice};
use super::run_id::RunId;
use super::run_recorder::RunRecorder;
use super::scenario_record::ScenarioRecord;
use super::snapshot::slug;
use super::world::{RunHttp, ScenarioInfo, ScimWorld};
use super::{step_check, steps, transcripts};
use crate::target::{Remover, WriteGuard};

/// A boxed future that stays on its thread, as cucumber's hooks return.
type LocalBoxFuture<'a> = std::pin::Pin<Box<dyn Future<Output = ()> + 'a>>;

/// The tag of scenarios that need the embedded server (a behaviour profile, an injected
/// fault): they are left out of runs against a named target.
pub const EMBEDDED_TAG: &str = "embedded";

/// How a run ended.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios that failed (a failed, unknown or ambiguous step).
    pub failed: usize,
    /// Scenarios the run left out (their tags did not match, or they need the embedded
    /// server).
    pub left_out: usize,
    /// Requests the IdPs sent, with their responses, over all scenarios.
    pub exchanges: usize,
    /// How long the run took.
    pub elapsed: Duration,
    /// Every scenario that ran, in feature and line order, with its exchanges.
    pub scenarios: Vec<ScenarioRecord>,
    /// The target's `/ServiceProviderConfig`, as read after the first judged scenario.
    pub service_provider_config: Option<Value>,
    /// The run's id, the start of every name it gave an object on the target.
    pub run_id: RunId,
    /// What became of the objects the run created on a named target.
    pub cleanup: CleanupOutcome,
    /// Ctrl-C or SIGTERM stopped the run before every scenario ran.
    pub interrupted: bool,
}

impl RunSummary {
    /// The last line of a run: `N passed, N failed`.
    pub fn line(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }

    /// What the run did and how long it took: `127 scenarios, 1834 exchanges in 1.62 s`.
    pub fn totals(&self) -> String {
        format!(
            "{} scenarios, {} exchanges in {:.2} s",
            self.passed + self.failed,
            self.exchanges,
            self.elapsed.as_secs_f64()
        )
    }

    /// True when no scenario failed.
    pub fn succeeded(&self) -> bool {
        self.failed == 0
    }
}

/// Parses `sources`, or reports the first file that is not valid Gherkin.
pub fn parse(sources: &[FeatureSource]) -> Result<Vec<Feature>, BddError> {
    sources.iter().map(FeatureSource::parse).collect()
}

/// Parses a tag expression (`@okta and not @slow`).
pub fn parse_tags(expression: &str) -> Result<TagOperation, BddError> {
    expression.parse::<TagOperation>().map_err(|e| BddError::tags(expression, &e.to_string()))
}

/// Keeps the scenarios `keep` accepts (given the tags inherited from feature and rule);
/// returns how many were left out.
fn select(features: &mut [Feature], keep: &dyn Fn(&Feature, Option<&Rule>, &Scenario) -> bool) -> usize {
    let mut left_out = 0;
    for feature in features.iter_mut() {
        let snapshot = feature.clone();
        let before = feature.scenarios.len();
        feature.scenarios.retain(|s| keep(&snapshot, None, s));
        left_out += before - feature.scenarios.len();
        for rule in &mut feature.rules {
            let rule_snapshot = rule.clone();
            let before = rule.scenarios.len();
            rule.scenarios.retain(|s| keep(&snapshot, Some(&rule_snapshot), s));
            left_out += before - rule.scenarios.len();
        }
    }
    left_out
}

/// Whether the scenario's own, rule and feature tags include `tag`.
fn tagged(feature: &Feature, rule: Option<&Rule>, scenario: &Scenario, tag: &str) -> bool {
    feature.tags.iter().chain(rule.iter().flat_map(|r| r.tags.iter())).chain(scenario.tags.iter()).any(|t| t == tag)
}

/// Snapshot names: each scenario's name as a slug, numbered when a feature repeats one
/// (outline rows without a placeholder in the name).
fn snapshot_names(features: &[Feature]) -> HashMap<(PathBuf, usize, usize), String> {
    let mut names = HashMap::new();
    for feature in features {
        let path = feature.path.clone().unwrap_or_default();
        let mut seen: HashSet<String> = HashSet::new();
        let scenarios = feature.scenarios.iter().chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()));
        for scenario in scenarios {
            let base = slug(&scenario.name);
            let mut name = base.clone();
            let mut n = 1;
            while !seen.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            names.insert((path.clone(), scenario.position.line, scenario.position.col), name);
        }
    }
    names
}

/// How many scenarios each feature file runs, for per-feature progress.
fn scenarios_per_feature(features: &[Feature]) -> HashMap<String, usize> {
    features
        .iter()
        .map(|f| {
            let count = f.scenarios.len() + f.rules.iter().map(|r| r.scenarios.len()).sum::<usize>();
            (f.path.as_deref().unwrap_or(Path::new("")).display().to_string(), count)
        })
        .collect()
}

/// Runs `sources` with `config`; cucumber prints progress and failures to stdout.
pub async fn run(sources: &[FeatureSource], config: RunConfig) -> Result<RunSummary, BddError> {
    run_until(sources, config, std::future::pending()).await
}

/// Runs `sources` with `config` until they are done or `stop` resolves (Ctrl-C, SIGTERM).
/// Either way, what the run created on a named target is removed before it returns (unless
/// `config.keep`); a stopped run also sweeps the target for names under its run id.
pub async fn run_until(
    sources: &[FeatureSource],
    mut config: RunConfig,
    stop: impl Future<Output = ()>,
) -> Result<RunSummary, BddError> {
    let started = Instant::now();
    let mut features = parse(sources)?;
    // insta reads a relative snapshot path from its own source file; anchor it here.
    config.snapshots.root = std::path::absolute(&config.snapshots.root)
        .map_err(|reason| BddError::Read { path: config.snapshots.root.clone(), reason })?;
    let tags = config.tags.as_deref().map(parse_tags).transpose()?;
    let remote = matches!(config.target, TargetChoice::Remote { .. });
    let left_out = select(&mut features, &|feature, rule, scenario| {
        let inherited: Vec<String> = feature
            .tags
            .iter()
            .chain(rule.iter().flat_map(|r| r.tags.iter()))
            .chain(scenario.tags.iter())
            .cloned()
            .collect();
        let wanted = tags.as_ref().is_none_or(|t| t.eval(inherited.iter()));
        wanted && !(remote && tagged(feature, rule, scenario, EMBEDDED_TAG))
    });
    step_check::check(&features)?;
    let names = Arc::new(snapshot_names(&features));
    let concurrency = if config.verbose { 1 } else { config.concurrency.max(1) };
    let config = Arc::new(config);
    let run_id = config.run_id.clone();
    let http = RunHttp::new(&config.transport).map_err(BddError::Http)?;
    let remover = match &config.target {
        TargetChoice::Remote { url, token } => Some(Remover::new(http.client(false), url, token)),
        TargetChoice::Embedded => None,
    };
    let guard = remover.is_some().then(|| Arc::new(WriteGuard::default()));
    let cleanup = Arc::new(RunCleanup::new(remover, config.keep));
    let before_cleanup = Arc::clone(&cleanup);
    let counter = Arc::new(AtomicUsize::new(0));
    let per_feature = (config.progress == Progress::PerFeature).then(|| scenarios_per_feature(&features));
    let recorder = Arc::new(RunRecorder::new(per_feature, config.service_provider_config.clone()));
    let after_recorder = Arc::clone(&recorder);

    let mut collection = step::Collection::new();
    for def in steps::all() {
        let regex = regex::Regex::new(def.pattern)
            .map_err(|e| BddError::StepPattern { pattern: def.pattern.into(), detail: e.to_string() })?;
        for kind in def.kinds {
            collection = match kind {
                cucumber::gherkin::StepType::Given => collection.given(None, regex.clone(), def.run),
                cucumber::gherkin::StepType::When => collection.when(None, regex.clone(), def.run),
                cucumber::gherkin::StepType::Then => collection.then(None, regex.clone(), def.run),
            };
        }
    }
    let before_config = Arc::clone(&config);
    let runner = runner::Basic::default()
        .max_concurrent_scenarios(concurrency)
        .steps(collection)
        .before(move |feature, _rule, scenario, world: &mut ScimWorld| {
            let path = feature.path.clone().unwrap_or_default();
            let snapshot_name = names
                .get(&(path.clone(), scenario.position.line, scenario.position.col))
                .cloned()
                .unwrap_or_else(|| slug(&scenario.name));
            let n = counter.fetch_add(1, Ordering::Relaxed);
            world.info = Some(ScenarioInfo {
                config: Arc::clone(&before_config),
                feature: path,
                name: scenario.name.clone(),
                snapshot_name,
                prefix: run_id.scenario_prefix(n),
                http: http.clone(),
                cleanup: Arc::clone(&before_cleanup),
                guard: guard.clone(),
            });
            Box::pin(async {}) as LocalBoxFuture<'_>
        })
        .after(
            move |feature, _rule, scenario, finished: &event::ScenarioFinished, mut world: Option<&mut ScimWorld>| {
                let recorder = Arc::clone(&after_recorder);
                Box::pin(async move {
                    let feature = feature.path.as_deref().unwrap_or(Path::new("")).display().to_string();
                    let mut transcript = None;
                    if let Some(world) = world.as_deref_mut() {
                        recorder.read_service_provider_config(world).await;
                        transcript = transcripts::finish_scenario(world).await;
                    }
                    recorder.finish(ScenarioRecord::new(feature, scenario, finished, world.as_deref(), transcript));
                }) as LocalBoxFuture<'_>
            },
        );
    let (output, coloring): (Box<dyn std::io::Write>, _) = if config.progress != Progress::Steps {
        (Box::new(std::io::sink()), Coloring::Never)
    } else {
        (Box::new(FailureWording::new(std::io::stdout())), Coloring::Auto)
    };
    let writer = writer::Basic::new(output, coloring, Verbosity::Default).summarized().fail_on_skipped();
    let cucumber: Cucumber<_, _, _, _, _, cucumber::cli::Empty> =
        Cucumber::custom(FeatureParser, runner, writer).with_default_cli();
    let finished = tokio::select! {
        writer = cucumber.run(features) => Some(writer),
        () = stop => None,
    };
    // Stopped: the unfinished scenarios were dropped with the run and handed over what they
    // created; remove it, and whatever a cut-off request created under the run id.
    if finished.is_none() {
        cleanup.after_interruption(&config.run_id.name_prefix()).await;
    }
    let (scenarios, service_provider_config) = recorder.take();
    let (passed, failed) = match &finished {
        Some(writer) => {
            let stats = writer.scenarios_stats();
            (stats.passed, stats.failed + writer.parsing_errors() + writer.hook_errors())
        }
        None => {
            let failed = scenarios.iter().filter(|s| !s.passed).count();
            (scenarios.len() - failed, failed)
        }
    };
    Ok(RunSummary {
        passed,
        failed,
        left_out,
        exchanges: scenarios.iter().map(|s| s.exchanges.len()).sum(),
        elapsed: started.elapsed(),
        scenarios,
        service_provider_config,
        run_id: config.run_id.clone(),
        cleanup: cleanup.outcome(),
        interrupted: finished.is_none(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(text: &str) -> Vec<Feature> {
        parse(&[FeatureSource { path: "f.feature".into(), text: text.to_string().into() }]).unwrap()
    }

    #[test]
    fn tags_and_the_embedded_tag_select_scenarios() {
        let mut parsed = features(
            "@okta\nFeature: f\n  Scenario: a\n    Given x\n  @embedded\n  Scenario: b\n    Given x\n  @slow\n  Scenario: c\n    Given x\n",
        );
        let tags = parse_tags("@okta and not @slow").unwrap();
        let left_out = select(&mut parsed, &|f, r, s| {
            let all: Vec<String> =
                f.tags.iter().chain(r.iter().flat_map(|r| r.tags.iter())).chain(s.tags.iter()).cloned().collect();
            tags.eval(all.iter()) && !tagged(f, r, s, EMBEDDED_TAG)
        });
        assert_eq!(left_out, 2);
        let names: Vec<&str> = parsed[0].scenarios.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a"]);
        assert!(parse_tags("@a and").is_err());
    }

    #[test]
    fn repeated_names_are_numbered() {
        let parsed = features("Feature: f\n  Scenario: same\n    Given x\n  Scenario: same\n    Given x\n");
        let mut names: Vec<String> = snapshot_names(&parsed).into_values().collect();
        names.sort();
        assert_eq!(names, ["same", "same_2"]);
    }

    #[test]
    fn summaries() {
        let summary = RunSummary {
            passed: 3,
            failed: 1,
            left_out: 2,
            exchanges: 1834,
            elapsed: Duration::from_millis(1600),
            ..RunSummary::default()
        };
        assert_eq!(summary.line(), "3 passed, 1 failed");
        assert_eq!(summary.totals(), "4 scenarios, 1834 exchanges in 1.60 s");
        assert!(!summary.succeeded());
    }
}
