//! The `scimsim` command line: argument definitions and dispatch.
//!
//! Each command lives in its own file; [`run`] turns an outcome into an exit code from
//! [`crate::exit_code`].

mod certify;
mod cleanup;
mod concurrency;
mod diff;
mod features;
mod load;
mod record;
mod replay;
mod run;
mod serve;
mod stop_signal;
mod suite_args;
mod target_args;
mod transcript_file;
mod transport_args;

use std::io::Write;

use clap::{Parser, Subcommand};

use crate::exit_code;
use crate::server::ServerError;

pub use certify::{CertifyArgs, IdpChoice};
pub use cleanup::CleanupArgs;
pub use diff::DiffArgs;
pub use features::FeaturesArgs;
pub use load::{LoadArgs, LoadIdpChoice};
pub use record::RecordArgs;
pub use replay::ReplayArgs;
pub use run::RunArgs;
pub use serve::ServeArgs;
pub use suite_args::SuiteArgs;
pub use target_args::TargetArgs;
pub use transport_args::TransportArgs;

/// An identity-provider simulator and SCIM 2.0 conformance harness.
#[derive(Debug, Parser)]
#[command(name = "scimsim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the feature suite (bundled, or your own files) against the embedded reference
    /// server or a named target.
    Run(RunArgs),
    /// Certify a SCIM server: the whole bundled suite, every check, and a report (HTML, JSON,
    /// JUnit) with a verdict per IdP.
    Certify(CertifyArgs),
    /// Remove what a kept (--keep) or interrupted run left on a named target, found by its
    /// run id.
    Cleanup(CleanupArgs),
    /// Play an Entra or Okta initial provisioning of a generated directory against the target
    /// and measure it: requests/s, latency per operation, statuses, the IdP's reactions.
    Load(LoadArgs),
    /// Infer the story behind a recorded transcript, play it through scimsim's engine, and
    /// report every request that differs, with the reference section it touches.
    Diff(DiffArgs),
    /// Send a recorded transcript again to a target (a fresh embedded server without
    /// --target), ids mapped, and diff each answer with the recorded one.
    Replay(ReplayArgs),
    /// List features, scenarios and tags without running them.
    Features(FeaturesArgs),
    /// Record a real IdP's traffic: a reverse proxy between the IdP and your SCIM endpoint
    /// that forwards everything unchanged and writes each exchange, secrets redacted, to a
    /// transcript until Ctrl-C.
    Record(RecordArgs),
    /// Run the embedded reference SCIM server until Ctrl-C.
    Serve(ServeArgs),
}

/// Runs `cli` and returns the process exit code. Errors are printed to stderr with their
/// causes.
pub fn run(cli: Cli) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(&anyhow::Error::new(e).context("cannot start the async runtime")),
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Run(args) => run::run(args, &mut std::io::stdout()).await,
            Command::Certify(args) => certify::run(args, &mut std::io::stdout()).await,
            Command::Cleanup(args) => cleanup::run(args, &mut std::io::stdout()).await,
            Command::Load(args) => load::run(args, &mut std::io::stdout()).await,
            Command::Diff(args) => diff::run(args, &mut std::io::stdout()).await,
            Command::Record(args) => record::run(args, &mut std::io::stdout()).await,
            Command::Replay(args) => replay::run(args, &mut std::io::stdout()).await,
            Command::Features(args) => features::run(&args, &mut std::io::stdout()).map(|()| exit_code::SUCCESS),
            Command::Serve(args) => {
                serve::run(args, &mut std::io::stdout(), &mut std::io::stderr()).await.map(|()| exit_code::SUCCESS)
            }
        }
    });
    match outcome {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

/// Prints what clap made of a command line it did not run (a usage error, or the help or
/// version asked for) and returns its exit code: [`exit_code::USAGE`] for errors, success for
/// `--help` and `--version`.
pub fn refused(error: &clap::Error) -> u8 {
    let _ = error.print();
    if error.use_stderr() { exit_code::USAGE } else { exit_code::SUCCESS }
}

fn fail(error: &anyhow::Error) -> u8 {
    let _ = writeln!(std::io::stderr(), "error: {error:#}");
    exit_code_for(error)
}

/// The exit code an error maps to: transport problems (a port that cannot be bound, a target
/// that cannot be reached) are [`exit_code::TRANSPORT`], everything the user can fix in the
/// command line or its files (a bad base URL, an unusable `--ca-cert`) is
/// [`exit_code::USAGE`].
pub fn exit_code_for(error: &anyhow::Error) -> u8 {
    if let Some(error) = error.chain().find_map(|e| e.downcast_ref::<crate::bdd::BddError>()) {
        return error.exit_code();
    }
    if let Some(error) = error.chain().find_map(|e| e.downcast_ref::<crate::target::TargetError>()) {
        return error.exit_code();
    }
    match error.chain().find_map(|e| e.downcast_ref::<ServerError>()) {
        Some(ServerError::Bind { .. }) => exit_code::TRANSPORT,
        Some(_) => exit_code::USAGE,
        None if error.chain().any(|e| e.is::<std::io::Error>() || e.is::<reqwest::Error>()) => exit_code::TRANSPORT,
        None => exit_code::USAGE,
    }
}
