//! The bundled feature suite under `cargo test` (harness = false: cucumber owns the output).
//!
//! It is `scimsim run` with no arguments, configured from the environment as the binary is:
//! against the embedded reference server by default; against a staging tenant with
//! `SCIMSIM_TARGET_URL` and `SCIMSIM_TOKEN` (scenarios tagged `@embedded` are left out), with
//! `SCIMSIM_TAGS` for a tag expression and `SCIMSIM_SNAPSHOTS` for the tenant's own snapshot
//! directory. Prints a verdict line per IdP and ends with a plain `N passed, N failed` line;
//! fails when a scenario or a check that binds an IdP failed.

// A harness = false target reports on stdout itself.
#![allow(clippy::print_stdout)]

use std::process::ExitCode;

use clap::Parser as _;
use scimsim::cli::{Cli, run};

fn main() -> ExitCode {
    // libtest's flags (`--test-threads`, `-q`, `--list`) are not cucumber's: a listing gets
    // one entry, so test runners that ask see the suite, and everything else is ignored.
    if std::env::args().any(|a| a == "--list") {
        println!("features: test");
        return ExitCode::SUCCESS;
    }
    // cargo runs tests in the package root, so `snapshots/` is the committed set.
    ExitCode::from(run(Cli::parse_from(["scimsim", "run"])))
}
