//! `scimsim run`: the feature suite (the bundled one, or the user's files) against the
//! embedded reference server or a named target.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::bdd::{self, FeatureSource, RunDescription, SnapshotStore};
use crate::exit_code;

use super::suite_args::SuiteArgs;

/// Options of `scimsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Feature files or directories to run instead of the bundled suite.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// The target, how many scenarios run at once, `--keep`.
    #[command(flatten)]
    pub suite: SuiteArgs,
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
    /// Print each request and response like `curl -v` (token redacted); one scenario at a
    /// time.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Runs the features and returns the exit code: 0 when every scenario passed and every check
/// that binds an IdP held, 1 otherwise, 130 when Ctrl-C or SIGTERM stopped it. Prints a
/// verdict line per IdP before the totals.
pub async fn run(args: RunArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut config = args.suite.start().await?;
    let bundled = args.paths.is_empty();
    let sources = if bundled { FeatureSource::bundled() } else { FeatureSource::from_paths(&args.paths)? };
    config.snapshots = SnapshotStore::choose(args.snapshots, PathBuf::from("snapshots"), &config.target, bundled);
    if config.snapshots.record_missing {
        writeln!(out, "snapshots of this target: {} (missing ones are recorded)", config.snapshots.root.display())?;
    }
    config.tags = args.tags.filter(|t| !t.trim().is_empty());
    config.transcripts = args.transcript;
    config.verbose = args.verbose;
    let description = RunDescription::starting_now(args.suite.target.description(), config.tags.clone());
    let summary = args.suite.play(&sources, config, out).await?;
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
