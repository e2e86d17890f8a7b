//! How long the whole bundled scenario suite takes against the embedded reference server: runs
//! the release binary's `scimsim run` (a fresh embedded server per scenario, scenarios
//! concurrent) three times and reports each run's wall time, as a user starting it sees it,
//! with the run's own count of scenarios and exchanges.
//!
//! Run: `cargo bench --bench suite` (optionally `-- RUNS`).

// A benchmark reports its figures on stdout.
#![allow(clippy::print_stdout)]

use std::process::Command;
use std::time::Instant;

fn main() {
    let runs: usize = std::env::args().skip(1).find(|a| !a.starts_with('-')).and_then(|a| a.parse().ok()).unwrap_or(3);
    let binary = env!("CARGO_BIN_EXE_scimsim");
    for n in 1..=runs {
        let started = Instant::now();
        let output = Command::new(binary)
            .arg("run")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("SCIMSIM_TARGET_URL")
            .env_remove("SCIMSIM_TAGS")
            .output()
            .expect("scimsim runs");
        let wall = started.elapsed();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut last = stdout.lines().rev();
        let (verdict, totals) = (last.next().unwrap_or_default(), last.next().unwrap_or_default());
        assert!(output.status.success(), "run {n} failed: {verdict}\n{}", String::from_utf8_lossy(&output.stderr));
        println!("suite run {n}: {:.2} s wall ({totals}; {verdict})", wall.as_secs_f64());
    }
}
