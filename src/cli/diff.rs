//! `scimsim diff TRANSCRIPT`: infers the story behind a recording, plays it through scimsim's
//! own engine against a fresh embedded server, and reports every difference between what was
//! recorded and what scimsim sends, request by request, with the section of the reference
//! each one touches. `--emit-feature FILE` writes the story as a feature file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::bdd::{self, FeatureSource, Progress, RunConfig};
use crate::capture::{self, IdpDetector, WireNormalizer};
use crate::exit_code;
use crate::transcript::Exchange;

use super::transcript_file;

/// Options of `scimsim diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The recording: a transcript in JSON Lines, as `scimsim record` or `--transcript` write.
    #[arg(value_name = "TRANSCRIPT")]
    pub transcript: PathBuf,
    /// Also write the inferred story as a feature file, to keep as a regression scenario.
    #[arg(long, value_name = "FILE")]
    pub emit_feature: Option<PathBuf>,
}

/// Reads the recording, infers and plays its story, prints the differences; exit code 0 when
/// there are none, 1 when there are.
pub async fn run(args: DiffArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let recorded = read(&args.transcript)?;
    let detected = IdpDetector::over(&recorded);
    let (idp, dialect) = recorded_idp(&recorded, (detected.idp, detected.dialect));
    let name = args.transcript.file_stem().map_or_else(|| "recording".into(), |s| s.to_string_lossy().into_owned());
    let inference = capture::infer(&recorded, &idp, &dialect, &name)
        .with_context(|| format!("cannot tell the story of {}", args.transcript.display()))?;
    let feature = inference.story.to_feature();
    if let Some(path) = &args.emit_feature {
        // Not an I/O failure of the target: the user names another file (exit 2, not 3).
        std::fs::write(path, &feature).map_err(|e| {
            anyhow::anyhow!("cannot write the feature to {}: {e}; name a writable file", path.display())
        })?;
    }
    writeln!(out, "recording {}: {} exchanges from {idp} ({dialect})", args.transcript.display(), recorded.len())?;
    if detected.is_mixed() {
        writeln!(out, "  the recorded requests disagree: {}", detected.describe())?;
    }
    for note in &inference.notes {
        writeln!(out, "  not in the story: {note}")?;
    }
    let (model, run_prefix, failure) = play(&feature).await?;
    writeln!(out, "scimsim's {idp} engine sent {} requests for the inferred story", model.len())?;
    if let Some(failure) = failure {
        writeln!(out, "  the story did not play to its end: {failure}")?;
    }
    if let Some(path) = &args.emit_feature {
        writeln!(out, "story written to {}", path.display())?;
    }
    let recorded_normal = WireNormalizer::new(&recorded, None);
    let model_normal = WireNormalizer::new(&model, Some(run_prefix));
    let left: Vec<_> = recorded.iter().map(|e| recorded_normal.request(e)).collect();
    let right: Vec<_> = model.iter().map(|e| model_normal.request(e)).collect();
    let differences = capture::compare(&idp, &left, &right);
    for difference in &differences {
        writeln!(out, "{difference}")?;
    }
    if differences.is_empty() {
        writeln!(out, "no differences: scimsim sends what was recorded")?;
        Ok(exit_code::SUCCESS)
    } else {
        let s = if differences.len() == 1 { "" } else { "s" };
        writeln!(out, "{} difference{s} between the recording and scimsim's model", differences.len())?;
        Ok(exit_code::FAILED)
    }
}

/// The transcript at `path`, in the order its requests arrived.
fn read(path: &Path) -> anyhow::Result<Vec<Exchange>> {
    // A recording is written in completion order; `seq` is the order the requests arrived in.
    let mut exchanges: Vec<Exchange> = transcript_file::read(path)?.into_iter().collect();
    exchanges.sort_by_key(|e| e.seq);
    Ok(exchanges)
}

/// The IdP and dialect the recording was made from: the values its exchanges carry most
/// often (`scimsim record` wrote what its detector knew at the time), leaving out the undecided
/// ones; where none is decided, what the `detected` requests say.
fn recorded_idp(exchanges: &[Exchange], detected: (&str, &str)) -> (String, String) {
    let most = |values: Vec<&str>| {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for value in values.into_iter().filter(|v| !matches!(*v, "" | "unknown" | "undetermined" | "mixed")) {
            match counts.iter_mut().find(|(v, _)| *v == value) {
                Some((_, n)) => *n += 1,
                None => counts.push((value, 1)),
            }
        }
        counts.into_iter().max_by_key(|(_, n)| *n).map(|(v, _)| v.to_string())
    };
    let idp = most(exchanges.iter().map(|e| e.idp.as_str()).collect()).unwrap_or_else(|| detected.0.to_string());
    let dialect =
        most(exchanges.iter().map(|e| e.dialect.as_str()).collect()).unwrap_or_else(|| detected.1.to_string());
    (idp, dialect)
}

/// Plays the story's feature against a fresh embedded server, silently: the engine's
/// exchanges, the prefix of the names the run gave its objects, and why the scenario failed
/// if it did.
async fn play(feature: &str) -> anyhow::Result<(Vec<Exchange>, String, Option<String>)> {
    let source = FeatureSource { path: "recorded.feature".into(), text: feature.to_string().into() };
    let snapshots = std::env::temp_dir().join(format!("scimsim-diff-{}", std::process::id()));
    let config = RunConfig { progress: Progress::Silent, concurrency: 1, ..RunConfig::embedded(snapshots) };
    // The story is one scenario, the run's first: its objects' names start with prefix 0.
    let run_prefix = config.run_id.scenario_prefix(0);
    let summary = bdd::run(&[source], config).await.context("the inferred story could not be played")?;
    let scenario = summary.scenarios.into_iter().next().context("the inferred story has no scenario")?;
    let failure = if scenario.passed { None } else { scenario.failure.or_else(|| Some("a step failed".into())) };
    Ok((scenario.exchanges, run_prefix, failure))
}
