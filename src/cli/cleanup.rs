//! `scimsim cleanup`: removes what a kept (`--keep`) or interrupted run left on a named
//! target, found by the run id its names start with; and the lines `run`, `certify` and
//! `load` print about their run id and their clean-up.

use std::io::Write;

use anyhow::Context;
use clap::Args;

use crate::bdd::{RunId, RunSummary, TargetChoice};
use crate::exit_code;
use crate::target::{Leftover, Remover, find_named};

use super::target_args::TargetArgs;

/// Options of `scimsim cleanup`.
#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// The target.
    #[command(flatten)]
    pub target: TargetArgs,
    /// The run whose objects to remove, as the run printed it (`run id s3f9a20c1`).
    #[arg(long, value_name = "ID")]
    pub run_id: String,
    /// List what would be removed, and remove nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Finds every user and group on the target whose `userName`, `displayName` or `externalId`
/// starts with the run id and removes it (groups first; a user the target cannot delete is
/// deactivated). Exit 0 when nothing of the run is left, 1 when something is.
pub async fn run(args: CleanupArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let run_id = RunId::parse(&args.run_id)?;
    let TargetChoice::Remote { url, token } = args.target.choice()? else {
        anyhow::bail!(
            "cleanup needs --target (or SCIMSIM_TARGET_URL): runs against the embedded server leave nothing behind"
        );
    };
    let http = args.target.transport(&mut std::io::stderr())?.client()?;
    let remover = Remover::new(http, &url, &token);
    let prefix = run_id.name_prefix();
    let found = find_named(&remover, &prefix).await.context("cannot look for the run's objects")?;
    writeln!(out, "{} objects on {} are named {prefix}…", found.len(), args.target.description())?;
    let mut leftovers = Vec::new();
    for object in found {
        if args.dry_run {
            writeln!(out, "  would remove {} ({})", object.path, object.name)?;
            continue;
        }
        let removal = remover.remove(&object.path).await;
        writeln!(out, "  {} ({}): {removal}", object.path, object.name)?;
        if !removal.removed() {
            leftovers.push(Leftover { path: object.path, removal });
        }
    }
    if leftovers.is_empty() {
        if !args.dry_run {
            writeln!(out, "nothing of run {run_id} is left on the target")?;
        }
        return Ok(exit_code::SUCCESS);
    }
    writeln!(out, "{} objects of run {run_id} are still on the target", leftovers.len())?;
    Ok(exit_code::FAILED)
}

/// The line a run against a named target starts with: its id and what it names its objects.
pub(super) fn announce(
    target: &TargetArgs,
    choice: &TargetChoice,
    run_id: &RunId,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if matches!(choice, TargetChoice::Remote { .. }) {
        writeln!(
            out,
            "run id {run_id}: every user and group this run creates on {} is named {}…",
            target.description(),
            run_id.name_prefix()
        )?;
    }
    Ok(())
}

/// What became of the objects the run created on a named target: kept, removed, or left
/// over (with the command that removes them later).
pub(super) fn report(target: &TargetArgs, summary: &RunSummary, out: &mut dyn Write) -> anyhow::Result<()> {
    let cleanup = &summary.cleanup;
    if cleanup.removed > 0 {
        writeln!(out, "cleaned up: removed {} objects the run created on the target", cleanup.removed)?;
    }
    if cleanup.kept > 0 {
        writeln!(out, "kept on the target (--keep): {} objects named {}…", cleanup.kept, summary.run_id.name_prefix())?;
    }
    if !cleanup.leftovers.is_empty() {
        writeln!(out, "could not remove {} objects the run created:", cleanup.leftovers.len())?;
        for leftover in &cleanup.leftovers {
            writeln!(out, "  {leftover}")?;
        }
    }
    if let Some(error) = &cleanup.sweep_error {
        writeln!(out, "could not look for other objects named {}…: {error}", summary.run_id.name_prefix())?;
    }
    if !cleanup.clean() {
        writeln!(out, "remove them with: {}", target.cleanup_command(&summary.run_id))?;
    }
    if summary.interrupted {
        writeln!(out, "interrupted: stopped after {} scenarios", summary.passed + summary.failed)?;
    }
    Ok(())
}
