//! `scimsim`: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ExitCode::from(match scimsim::cli::Cli::try_parse() {
        Ok(cli) => scimsim::cli::run(cli),
        Err(error) => scimsim::cli::refused(&error),
    })
}
