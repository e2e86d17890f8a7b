//! `scimsim`: parse the command line, run it, exit with its code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(match scimsim::cli::Cli::try_parse() {
        Ok(cli) => scimsim::cli::run(cli),
        Err(error) => scimsim::cli::refused(&error),
    })
}
