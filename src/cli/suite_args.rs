//! What `scimsim run` and `scimsim certify` share: the target options, how many scenarios run
//! at once and `--keep`; and the course of a suite run — the target chosen and probed, a fresh
//! run id announced, the suite played until done or stopped (Ctrl-C, SIGTERM), and what became
//! of the objects it created reported.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::bdd::{self, FeatureSource, RunConfig, RunId, RunSummary};

use super::cleanup;
use super::concurrency;
use super::stop_signal::stop_signal;
use super::target_args::TargetArgs;

/// The options of a suite run.
#[derive(Debug, Args)]
pub struct SuiteArgs {
    /// The target.
    #[command(flatten)]
    pub target: TargetArgs,
    /// How many scenarios run at once.
    #[arg(long, default_value_t = 16, value_name = "N", value_parser = concurrency::parse)]
    pub concurrency: usize,
    /// Leave what the run creates on a named target, for inspection (`scimsim cleanup
    /// --run-id` removes it later).
    #[arg(long)]
    pub keep: bool,
}

impl SuiteArgs {
    /// The run's configuration as far as these options decide it: the target (a named one
    /// probed once: exit 3 when it cannot be reached), how it is reached, what it advertises,
    /// a fresh run id, the concurrency and `--keep`. The caller sets the rest.
    pub(super) async fn start(&self) -> anyhow::Result<RunConfig> {
        let target = self.target.choice()?;
        let transport = self.target.transport(&mut std::io::stderr())?;
        let service_provider_config = self.target.probe(&target, &transport).await?;
        Ok(RunConfig {
            target,
            transport,
            service_provider_config,
            run_id: RunId::generate(),
            concurrency: self.concurrency,
            keep: self.keep,
            ..RunConfig::embedded(PathBuf::from("snapshots"))
        })
    }

    /// Plays `sources` with `config`: announces the run id on a named target, runs until done
    /// or stopped, and reports what became of the objects the run created.
    pub(super) async fn play(
        &self,
        sources: &[FeatureSource],
        config: RunConfig,
        out: &mut dyn Write,
    ) -> anyhow::Result<RunSummary> {
        cleanup::announce(&self.target, &config.target, &config.run_id, out)?;
        let summary = bdd::run_until(sources, config, stop_signal()).await?;
        cleanup::report(&self.target, &summary, out)?;
        Ok(summary)
    }
}
