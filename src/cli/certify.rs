//! `scimsim certify`: the whole bundled suite as a certification run, judged by every check,
//! written as report.html, report.json, junit.xml and transcripts/ in one directory.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::bdd::{self, FeatureSource, Progress, RunDescription, SnapshotStore, TargetChoice};
use crate::exit_code;
use crate::report::{self, RunReport};

use super::suite_args::SuiteArgs;

/// Which IdP's scenarios a certification runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IdpChoice {
    /// Microsoft Entra ID's scenarios.
    Entra,
    /// Okta's scenarios.
    Okta,
    /// Both.
    All,
}

/// Options of `scimsim certify`.
#[derive(Debug, Args)]
pub struct CertifyArgs {
    /// The target, how many scenarios run at once, `--keep`.
    #[command(flatten)]
    pub suite: SuiteArgs,
    /// Which IdP to certify against.
    #[arg(long, value_enum, default_value_t = IdpChoice::All)]
    pub idp: IdpChoice,
    /// Where the report goes: report.html, report.json, junit.xml and transcripts/.
    #[arg(long, default_value = "scimsim-report", value_name = "DIR")]
    pub out: PathBuf,
}

/// Runs the certification and returns the exit code: 0 when every scenario passed and every
/// IdP's verdict is "compatible", 1 otherwise, 130 when Ctrl-C or SIGTERM stopped it (no
/// report is written for a partial run: its verdict would mislead).
pub async fn run(args: CertifyArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut config = args.suite.start().await?;
    config.tags = match args.idp {
        IdpChoice::Entra => Some("@entra".to_string()),
        IdpChoice::Okta => Some("@okta".to_string()),
        IdpChoice::All => None,
    };
    prepare(&args.out)?;
    config.snapshots = match &config.target {
        // The reference server is held to the committed snapshots (or those compiled in).
        TargetChoice::Embedded => SnapshotStore::choose(None, PathBuf::from("snapshots"), &config.target, true),
        // A vendor's server gets its snapshots recorded with the report, for the next run to
        // compare by hand.
        TargetChoice::Remote { .. } => {
            SnapshotStore { root: args.out.join("snapshots"), record_missing: true, bundled_fallback: false }
        }
    };
    config.transcripts = Some(args.out.join(report::TRANSCRIPTS_DIR));
    config.progress = Progress::PerFeature;
    let description = RunDescription::starting_now(args.suite.target.description(), config.tags.clone());
    writeln!(out, "certifying {} ({})", description.target, idp_names(args.idp))?;
    let summary = args.suite.play(&FeatureSource::bundled(), config, out).await?;
    if summary.interrupted {
        writeln!(out, "no report written: the certification did not finish")?;
        return Ok(exit_code::INTERRUPTED);
    }
    let report = bdd::report(&summary, description);
    write_files(&report, &args.out)?;
    write!(out, "{}", report::summary(&report))?;
    writeln!(out, "{}", summary.totals())?;
    writeln!(out, "report: {}", args.out.join("report.html").display())?;
    Ok(if report.succeeded() { exit_code::SUCCESS } else { exit_code::FAILED })
}

/// Creates the report directory, emptying what an earlier certification left in it. A
/// directory that holds anything else is refused rather than mixed with (or emptied).
fn prepare(dir: &Path) -> anyhow::Result<()> {
    let earlier_report = dir.join("report.json").is_file();
    let has_other_files = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if has_other_files && !earlier_report {
        anyhow::bail!(
            "--out {} already holds files that are not a scimsim report; name a new or empty directory",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the report directory {}", dir.display()))?;
    for stale in [report::TRANSCRIPTS_DIR, "snapshots"] {
        let path = dir.join(stale);
        if path.exists() {
            std::fs::remove_dir_all(&path).with_context(|| format!("cannot empty {}", path.display()))?;
        }
    }
    Ok(())
}

/// Writes report.json, junit.xml and report.html into `dir`.
fn write_files(report: &RunReport, dir: &Path) -> anyhow::Result<()> {
    let files = [
        ("report.json", report::to_json(report)),
        ("junit.xml", report::to_junit(report)),
        ("report.html", report::to_html(report)),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// How the first line names the IdPs played: `as Microsoft Entra ID and Okta`, ….
fn idp_names(choice: IdpChoice) -> &'static str {
    match choice {
        IdpChoice::Entra => "as Microsoft Entra ID",
        IdpChoice::Okta => "as Okta",
        IdpChoice::All => "as Microsoft Entra ID and Okta",
    }
}
