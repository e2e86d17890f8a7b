//! `scimsim load`: an Entra- or Okta-shaped initial provisioning of a generated directory,
//! measured (requests/s, latency per operation, statuses, the IdP's reactions), optionally
//! against a plain reqwest loop sending the same requests (`--baseline`).

use std::fs::File;
use std::io::{IsTerminal as _, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::bdd::{RunId, TargetChoice};
use crate::exit_code;
use crate::load::{Baseline, ENTRA_GALLERY_RATE, LoadIdp, LoadPlan, LoadReport, LoadTarget};
use crate::server::{ServerConfig, spawn};

use super::cleanup;
use super::stop_signal::stop_signal;
use super::target_args::TargetArgs;

/// Which IdP's initial provisioning to play.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LoadIdpChoice {
    /// Entra ID's initial cycle.
    Entra,
    /// Okta's import, assignments and Group Push.
    Okta,
}

/// Options of `scimsim load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// The IdP whose initial provisioning is played.
    #[arg(long, value_enum)]
    pub idp: LoadIdpChoice,
    /// Users in the generated directory, all assigned to the app.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub users: usize,
    /// Groups, all assigned (Entra) or pushed (Okta).
    #[arg(long, default_value_t = 0, value_name = "G")]
    pub groups: usize,
    /// Members per group.
    #[arg(long, default_value_t = 0, value_name = "M")]
    pub members: usize,
    /// IdP jobs sending at once, each with its own share of the directory.
    #[arg(long, default_value_t = 8, value_name = "C", value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// Requests per second over all jobs, or `entra-gallery` (25/s, the rate Entra's gallery
    /// apps must sustain); unpaced without it.
    #[arg(long, value_name = "R", value_parser = parse_rate)]
    pub rate: Option<f64>,
    /// Also send the same requests through a plain reqwest loop against a fresh embedded
    /// server and print the ratio (embedded target only, without --rate).
    #[arg(long)]
    pub baseline: bool,
    /// Write the report as JSON to FILE as well.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// The target.
    #[command(flatten)]
    pub target: TargetArgs,
}

/// Reads `--rate`: a positive number of requests per second, or a named preset.
fn parse_rate(text: &str) -> Result<f64, String> {
    if text.eq_ignore_ascii_case("entra-gallery") {
        return Ok(ENTRA_GALLERY_RATE);
    }
    match text.trim().parse::<f64>() {
        Ok(rate) if rate > 0.0 && rate.is_finite() => Ok(rate),
        _ => Err(format!("{text:?} is not a rate: give requests per second (e.g. 100) or entra-gallery")),
    }
}

/// Runs the load and returns the exit code: 0 when every request was answered and no object
/// failed, 1 otherwise, 130 when Ctrl-C or SIGTERM stopped it (after the report of what it
/// measured until then).
pub async fn run(args: LoadArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let choice = args.target.choice()?;
    let transport = args.target.transport(&mut std::io::stderr())?;
    if args.baseline && choice != TargetChoice::Embedded {
        anyhow::bail!("--baseline compares with a fresh embedded server: leave out --target (and SCIMSIM_TARGET_URL)");
    }
    if args.baseline && args.rate.is_some() {
        anyhow::bail!(
            "--baseline compares the harness with a plain loop, both as fast as they go: leave out --rate (a paced run's ratio says only how slow the pace is)"
        );
    }
    // Opened before the run, so a path that cannot be written stops it at once, not after it.
    let mut json = args.json.as_deref().map(|path| open_report_file(path).map(|file| (path, file))).transpose()?;
    if args.groups > 0 && args.members == 0 {
        writeln!(out, "note: --groups without --members makes empty groups")?;
    }
    if args.groups > 0 && args.members > args.users {
        let (members, users) = (args.members, args.users);
        writeln!(out, "note: --members {members} is more than --users {users}: each group has all {users} users")?;
    }
    let plan = LoadPlan {
        idp: match args.idp {
            LoadIdpChoice::Entra => LoadIdp::Entra,
            LoadIdpChoice::Okta => LoadIdp::Okta,
        },
        users: args.users,
        groups: args.groups,
        members: args.members.min(args.users),
        concurrency: usize::from(args.concurrency),
        rate: args.rate,
    };
    let run_id = RunId::generate();
    let http = transport.client()?;
    // The embedded server lives until the report is written.
    let (target, _server) = match &choice {
        TargetChoice::Embedded => {
            let server = spawn(ServerConfig::default()).await?;
            let target = LoadTarget {
                url: server.url().to_string(),
                token: server.token().to_string(),
                transport: transport.clone(),
                http: http.clone(),
                shared: false,
            };
            (target, Some(server))
        }
        TargetChoice::Remote { url, token } => {
            args.target.probe(&choice, &transport).await?;
            cleanup::announce(&args.target, &choice, &run_id, out)?;
            let target =
                LoadTarget { url: url.clone(), token: token.clone(), transport, http: http.clone(), shared: true };
            (target, None)
        }
    };
    let bar = progress_bar(plan.users);
    let tick = bar.clone();
    let progress = Arc::new(move |users: usize| tick.inc(users as u64));
    // The baseline's own fresh server, beside the target, until the report is written.
    let baseline_server = if args.baseline { Some(spawn(ServerConfig::default()).await?) } else { None };
    let baseline = baseline_server
        .as_ref()
        .map(|server| Baseline::new(http.clone(), server.url(), server.token(), plan.concurrency));
    let outcome = crate::load::run(&plan, &target, &run_id.name_prefix(), baseline, progress, stop_signal()).await?;
    bar.finish_and_clear();
    let report = LoadReport::new(&plan, args.target.description(), run_id.to_string(), &outcome);
    write!(out, "{}", report.text())?;
    if let Some((path, file)) = &mut json {
        let written = file.set_len(0).and_then(|()| file.write_all(report.to_json().as_bytes()));
        written.map_err(|err| anyhow::anyhow!("cannot write {}: {err}", path.display()))?;
        writeln!(out, "report: {}", path.display())?;
    }
    if target.shared {
        writeln!(
            out,
            "the load's users and groups stay on the target; remove them with: {}",
            args.target.cleanup_command(&run_id)
        )?;
    }
    let clean = report.transport_errors == 0
        && report.reactions.failed_objects == 0
        && report.reactions.quarantined_jobs.is_empty();
    Ok(if report.stopped {
        exit_code::INTERRUPTED
    } else if clean {
        exit_code::SUCCESS
    } else {
        exit_code::FAILED
    })
}

/// `--json`'s file, opened for writing and left as it is until the report replaces its
/// contents, so a run that fails keeps an earlier report. A path that cannot be written is a
/// usage error naming it.
fn open_report_file(path: &Path) -> anyhow::Result<File> {
    File::options().write(true).create(true).truncate(false).open(path).map_err(|err| {
        anyhow::anyhow!(
            "cannot write --json {}: {err} (give a file in a folder that exists and can be written)",
            path.display()
        )
    })
}

/// A progress bar over the users on a terminal's stderr; hidden when stderr is not one.
fn progress_bar(users: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(users as u64), ProgressDrawTarget::stderr());
    // `{per_sec}` prints four decimals; a rate of users is read in whole ones.
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} users  {rate}  eta {eta}") {
        bar.set_style(style.with_key("rate", |state: &ProgressState, out: &mut dyn std::fmt::Write| {
            let _ = write!(out, "{:.0} users/s", state.per_sec());
        }));
    }
    bar
}
