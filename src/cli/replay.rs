//! `scimsim replay`: a recorded transcript sent again to a target (a fresh embedded server
//! without `--target`), each answer diffed with the recorded one, and what the replay created
//! on a named target removed at the end.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use clap::Args;

use crate::bdd::TargetChoice;
use crate::capture::{self, ReplayOptions};
use crate::server::{ServerConfig, spawn};
use crate::target::{
    Auth, CreatedObject, Leftover, Removal, Remover, TargetClient, TargetConfig, Transport, WriteGuard,
};

use super::stop_signal::stop_signal;
use super::target_args::TargetArgs;
use super::transcript_file;

/// Options of `scimsim replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The recording: a transcript (JSON Lines, one exchange a line) from `scimsim record`
    /// or `scimsim run --transcript DIR`.
    #[arg(value_name = "TRANSCRIPT")]
    pub transcript: PathBuf,
    /// The target; without one, a fresh embedded reference server.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Write the replay's exchanges to FILE as a transcript (JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Stop at the first exchange that differs or cannot be sent.
    #[arg(long)]
    pub stop_at_first: bool,
    /// Leave what the replay creates on a named target; it is removed at the end otherwise.
    #[arg(long)]
    pub keep: bool,
}

/// Replays the transcript and returns the exit code: 0 when every answer matched the
/// recorded one, 1 when one differed or an exchange could not be sent, 3 when the target
/// cannot be reached, 130 when Ctrl-C or SIGTERM stopped it. A transcript that cannot be
/// read is a usage error (2) naming the line.
pub async fn run(args: ReplayArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let recording = transcript_file::read(&args.transcript)?;
    let choice = args.target.choice()?;
    // No reachability probe: a replay sends the recording's requests and nothing else (a
    // probe would show in a recording made of the replay), and its first request tells an
    // unreachable target as well.
    let transport = args.target.transport(&mut std::io::stderr())?;
    let (config, server) = match &choice {
        TargetChoice::Embedded => {
            let server = spawn(ServerConfig::default()).await?;
            // A loopback server: no proxy stands between.
            let transport = Transport { use_env_proxy: false, ..transport.clone() };
            let auth = Auth::Bearer(server.token().to_string());
            (TargetConfig::with_transport(server.url(), auth, transport), Some(server))
        }
        TargetChoice::Remote { url, token } => {
            let mut config = TargetConfig::with_transport(url.clone(), Auth::Bearer(token.clone()), transport.clone());
            // A shared target: change nothing the replay did not create.
            config.guard = Some(Arc::new(WriteGuard::default()));
            (config, None)
        }
    };
    let client = TargetClient::new(config)?;
    writeln!(
        out,
        "replaying {} exchanges of {} against {}",
        recording.len(),
        args.transcript.display(),
        args.target.description()
    )?;
    let options = ReplayOptions { stop_at_first: args.stop_at_first };
    let summary = capture::replay(&recording, &client, options, stop_signal(), out).await?;
    if let TargetChoice::Remote { url, token } = &choice {
        let remover = Remover::new(transport.client()?, url, token);
        clean_up(&summary.created, args.keep, &remover, &args.target.description(), out).await?;
    }
    if let Some(server) = server {
        // The replay is over: a server that does not stop cleanly changes nothing.
        let _ = server.shutdown().await;
    }
    if let Some(path) = &args.out {
        let file = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        summary
            .transcript
            .write_jsonl(std::io::BufWriter::new(file))
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
        writeln!(out, "the replay's exchanges: {}", path.display())?;
    }
    if let Some(error) = &summary.unreachable {
        writeln!(
            std::io::stderr(),
            "error: the target {} cannot be reached, the replay stopped: {error}",
            args.target.description()
        )?;
    }
    if summary.interrupted {
        writeln!(out, "interrupted: the replay stopped before its end")?;
    }
    writeln!(out, "{}", summary.line())?;
    Ok(summary.exit_code())
}

/// Says what the replay created on the named target, and removes it (groups first, then
/// users, newest first) unless `keep`.
async fn clean_up(
    created: &[CreatedObject],
    keep: bool,
    remover: &Remover,
    target: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if created.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = created.iter().map(ToString::to_string).collect();
    let objects = if created.len() == 1 { "object" } else { "objects" };
    writeln!(out, "the replay created {} {objects} on {target}: {}", created.len(), names.join(", "))?;
    if keep {
        writeln!(out, "kept on the target (--keep); remove them yourself when done")?;
        return Ok(());
    }
    let mut order: Vec<&CreatedObject> = created.iter().rev().collect();
    order.sort_by_key(|object| object.endpoint == "Users");
    let (mut deleted, mut gone, mut leftovers) = (0, 0, Vec::new());
    for object in order {
        match remover.remove(&object.to_string()).await {
            Removal::Deleted => deleted += 1,
            Removal::AlreadyGone => gone += 1,
            removal => leftovers.push(Leftover { path: object.to_string(), removal }),
        }
    }
    write!(out, "cleaned up: removed {} of {}", deleted + gone, created.len())?;
    if gone > 0 {
        write!(out, " ({gone} the replay had deleted itself)")?;
    }
    writeln!(out)?;
    for leftover in &leftovers {
        writeln!(out, "  still on the target: {leftover}")?;
    }
    Ok(())
}
