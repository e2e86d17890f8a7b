//! `scimsim`: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ExitCode::from(scimsim::cli::run(scimsim::cli::Cli::parse()))
}
