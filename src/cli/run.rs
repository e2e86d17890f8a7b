//! `scimsim run`: the feature suite (the bundled one, or the user's files) against the
//! embedded reference server or a named target.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::bdd::{self, FeatureSource, RunConfig, SnapshotStore, TargetChoice};
use crate::exit_code;

/// Options of `scimsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Feature files or directories to run instead of the bundled suite.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// The SCIM base URL of the target; without it, each scenario gets a fresh embedded
    /// reference server.
    #[arg(long, env = "SCIMSIM_TARGET_URL", value_name = "URL")]
    pub target: Option<String>,
    /// The environment variable holding the target's bearer token.
    #[arg(long, default_value = "SCIMSIM_TOKEN", value_name = "VAR")]
    pub token_env: String,
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
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub concurrency: usize,
    /// Print each request and response like `curl -v` (token redacted); one scenario at a
    /// time.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Runs the features and returns the exit code: 0 when every scenario passed, 1 when one
/// failed.
pub async fn run(args: RunArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let target = match &args.target {
        None => TargetChoice::Embedded,
        Some(url) => {
            let token = std::env::var(&args.token_env).with_context(|| {
                format!(
                    "--target needs a bearer token: set {} (or name another variable with --token-env)",
                    args.token_env
                )
            })?;
            TargetChoice::Remote { url: url.clone(), token }
        }
    };
    let bundled = args.paths.is_empty();
    let sources = if bundled { FeatureSource::bundled() } else { FeatureSource::from_paths(&args.paths)? };
    let snapshots = SnapshotStore::choose(args.snapshots, PathBuf::from("snapshots"), &target, bundled);
    if snapshots.record_missing {
        writeln!(out, "snapshots of this target: {} (missing ones are recorded)", snapshots.root.display())?;
    }
    let config = RunConfig {
        target,
        tags: args.tags.filter(|t| !t.trim().is_empty()),
        snapshots,
        transcripts: args.transcript,
        verbose: args.verbose,
        concurrency: args.concurrency,
    };
    let summary = bdd::run(&sources, config).await?;
    writeln!(out, "{}", summary.totals())?;
    writeln!(out, "{}", summary.line())?;
    Ok(if summary.succeeded() { exit_code::SUCCESS } else { exit_code::FAILED })
}
