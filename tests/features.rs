//! The bundled feature suite under `cargo test` (harness = false: cucumber owns the output).
//!
//! Against the embedded reference server by default; against a staging tenant with
//! `SCIMSIM_TARGET_URL` and `SCIMSIM_TOKEN` (scenarios tagged `@embedded` are left out), with
//! `SCIMSIM_TAGS` for a tag expression and `SCIMSIM_SNAPSHOTS` for the tenant's own snapshot
//! directory. Ends with a plain `N passed, N failed` line.

// A harness = false target reports on stdout and stderr itself.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use scimsim::bdd::{FeatureSource, RunConfig, SnapshotStore, TargetChoice, run};

fn main() -> ExitCode {
    // libtest's flags (`--test-threads`, `-q`, `--list`) are not cucumber's: a listing gets
    // one entry, so test runners that ask see the suite, and everything else is ignored.
    if std::env::args().any(|a| a == "--list") {
        println!("features: test");
        return ExitCode::SUCCESS;
    }
    let target = match (std::env::var("SCIMSIM_TARGET_URL"), std::env::var("SCIMSIM_TOKEN")) {
        (Ok(url), Ok(token)) => TargetChoice::Remote { url, token },
        (Ok(_), Err(_)) => {
            eprintln!("error: SCIMSIM_TARGET_URL is set but SCIMSIM_TOKEN is not: set the target's bearer token too");
            return ExitCode::from(2);
        }
        (Err(_), _) => TargetChoice::Embedded,
    };
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots").into();
    let snapshots = SnapshotStore::choose(std::env::var_os("SCIMSIM_SNAPSHOTS").map(Into::into), base, &target, true);
    if snapshots.record_missing {
        println!("snapshots of this target: {} (missing ones are recorded)", snapshots.root.display());
    }
    let config = RunConfig {
        target,
        tags: std::env::var("SCIMSIM_TAGS").ok().filter(|t| !t.trim().is_empty()),
        snapshots,
        ..RunConfig::embedded(std::path::PathBuf::new())
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a Tokio runtime");
    match runtime.block_on(run(&FeatureSource::bundled(), config)) {
        Ok(summary) => {
            println!("{}", summary.totals());
            println!("{}", summary.line());
            if summary.succeeded() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
