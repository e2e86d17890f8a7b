//! The Gherkin scenario suite: the step language of DESIGN.md on cucumber, the bundled
//! features compiled into the binary, per-scenario worlds, snapshots and transcripts.
//!
//! ```no_run
//! # async fn demo() -> Result<(), scimsim::bdd::BddError> {
//! use scimsim::bdd::{FeatureSource, RunConfig, run};
//! let summary = run(&FeatureSource::bundled(), RunConfig::embedded("snapshots".into())).await?;
//! println!("{}", summary.line()); // "42 passed, 0 failed"
//! # Ok(())
//! # }
//! ```
//!
//! Steps are registered by hand rather than through `inventory`, so the linker cannot drop
//! them (rust-style-anchors §2.6); scenarios run concurrently, each against its own embedded
//! server or under its own name prefix on a named target.

mod bundled_snapshot;
mod error;
mod failure_wording;
mod feature_layout;
mod feature_source;
mod idp;
mod judgement;
mod parser;
mod run_cleanup;
mod run_config;
mod run_id;
mod run_recorder;
mod runner;
mod scenario_record;
mod snapshot;
mod step_check;
mod step_phrasing;
mod steps;
mod transcripts;
mod verbose;
mod world;

pub use error::BddError;
pub use feature_source::FeatureSource;
pub use idp::Idp;
pub use judgement::{RunDescription, report};
pub use run_cleanup::{CleanupOutcome, RunCleanup};
pub use run_config::{Progress, RunConfig, SnapshotStore, TargetChoice};
pub use run_id::{BadRunId, RunId};
pub use runner::{EMBEDDED_TAG, RunSummary, parse, parse_tags, run, run_until};
pub use scenario_record::ScenarioRecord;
pub use step_check::StepProblem;
pub use world::{RunHttp, ScenarioInfo, ScenarioTarget, ScimWorld};
