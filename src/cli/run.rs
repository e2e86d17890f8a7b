//! `scimsim run`: the feature suite (the bundled one, or the user's files) against the
//! embedded reference server or a named target.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::bdd::{self, FeatureSource, RunConfig, RunDescription, RunId, SnapshotStore};
use crate::exit_code;

use super::cleanup;
use super::concurrency;
use super::stop_signal::stop_signal;
use super::target_args::TargetArgs;

/// Options of `scimsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Feature files or directories to run instead of the bundled suite.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// The target.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Run only the scenarios this tag expression selects, e.g. "@okta and not @slow".
    #[arg(long, env = "SCIMSIM_TAGS", value_name = "EXPR")]
    pub tags: Option<String>,
    /// Write each scenario's exchanges as JSON Lines under this directory.
    #[arg(long, value_name = "DIR")]
    pub transcript: Option<PathBuf>,
    /// Where snapshots live (`<DIR>/<idp>/<feature>/<scenario>.snap`). Defaults to
    /// ./snapshots; against a named target, keep one directory per tenant.
    #[arg(long, env = "SCIMSIM_SNAPSHOTS", value_name = "DIR")]
    pub snapshots: Option<PathBuf>,
    /// How many scenarios run at once.
    #[arg(long, default_value_t = 16, value_name = "N", value_parser = concurrency::parse)]
    pub concurrency: usize,
    /// Print each request and response like `curl -v` (token redacted); one scenario at a
    /// time.
    #[arg(short, long)]
    pub verbose: bool,
    /// Leave what the run creates on a named target, for inspection (`scimsim cleanup
    /// --run-id` removes it later).
    #[arg(long)]
    pub keep: bool,
}

/// Runs the features and returns the exit code: 0 when every scenario passed and every check
/// that binds an IdP held, 1 otherwise, 130 when Ctrl-C or SIGTERM stopped it. Prints a
/// verdict line per IdP before the totals.
pub async fn run(args: RunArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let target = args.target.choice()?;
    let transport = args.target.transport(&mut std::io::stderr())?;
    let service_provider_config = args.target.probe(&target, &transport).await?;
    let bundled = args.paths.is_empty();
    let sources = if bundled { FeatureSource::bundled() } else { FeatureSource::from_paths(&args.paths)? };
    let snapshots = SnapshotStore::choose(args.snapshots, PathBuf::from("snapshots"), &target, bundled);
    if snapshots.record_missing {
        writeln!(out, "snapshots of this target: {} (missing ones are recorded)", snapshots.root.display())?;
    }
    let tags = args.tags.filter(|t| !t.trim().is_empty());
    let description = RunDescription::starting_now(args.target.description(), tags.clone());
    let run_id = RunId::generate();
    cleanup::announce(&args.target, &target, &run_id, out)?;
    let config = RunConfig {
        target,
        tags,
        snapshots,
        transcripts: args.transcript,
        verbose: args.verbose,
        concurrency: args.concurrency,
        per_feature_progress: false,
        service_provider_config,
        run_id,
        keep: args.keep,
        transport,
    };
    let summary = bdd::run_until(&sources, config, stop_signal()).await?;
    cleanup::report(&args.target, &summary, out)?;
    if summary.interrupted {
        writeln!(out, "{}", summary.line())?;
        return Ok(exit_code::INTERRUPTED);
    }
    let report = bdd::report(&summary, description);
    for verdict in &report.verdicts {
        writeln!(out, "{}", verdict.line())?;
    }
    writeln!(out, "{}", summary.totals())?;
    writeln!(out, "{}", summary.line())?;
    Ok(if report.succeeded() { exit_code::SUCCESS } else { exit_code::FAILED })
}
