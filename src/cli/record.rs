//! `scimsim record`: a recording reverse proxy between a real IdP and a real SCIM endpoint,
//! until Ctrl-C.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use tokio::sync::mpsc;

use crate::capture::{RecordingConfig, RecordingProxy};
use crate::exit_code;
use crate::target::is_loopback_ip;

use super::TransportArgs;
use super::stop_signal::stop_signal;

/// Options of `scimsim record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Where the IdP's requests arrive: a loopback address your tunnel forwards to, e.g.
    /// 127.0.0.1:8099 (port 0 picks a free port).
    #[arg(long, value_name = "IP:PORT")]
    pub listen: SocketAddr,
    /// The real SCIM endpoint's base URL; each request goes to it + the path received, e.g.
    /// `https://your-app.example.com/scim/v2`.
    #[arg(long, value_name = "URL")]
    pub target: String,
    /// The directory the recording goes to, as `recording-<UTC time>.jsonl` (created if
    /// missing).
    #[arg(long, default_value = "recordings", value_name = "DIR")]
    pub out: PathBuf,
    /// How the target is reached.
    #[command(flatten)]
    pub transport: TransportArgs,
    /// Allow --listen to be an address other machines can reach. The IdP's bearer token then
    /// arrives from the network over plain http; prefer a tunnel to 127.0.0.1.
    #[arg(long)]
    pub listen_non_loopback: bool,
}

/// Starts the proxy, prints where it listens, forwards and records, prints one line per
/// exchange as it completes, and on Ctrl-C or SIGTERM lets the exchanges in flight finish and
/// prints what was recorded.
pub async fn run(args: RecordArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut warnings = std::io::stderr();
    let transport = args.transport.transport(&mut warnings)?;
    let (live, mut lines) = mpsc::unbounded_channel();
    let config = RecordingConfig {
        listen: args.listen,
        listen_non_loopback: args.listen_non_loopback,
        target: args.target,
        transport,
        out_dir: args.out,
        live: Some(live),
    };
    let proxy = RecordingProxy::start(config).await?;
    if !is_loopback_ip(proxy.addr().ip()) {
        writeln!(
            warnings,
            "warning: listening on {}: anyone who can reach this address can send requests through to the target, and the IdP's token arrives in plain http",
            proxy.addr()
        )?;
    }
    writeln!(out, "scimsim record: listening on {}, forwarding to {}", proxy.url(), proxy.target())?;
    writeln!(out, "recording to {}; Ctrl-C stops", proxy.file().display())?;
    out.flush()?;
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            line = lines.recv() => match line {
                Some(line) => {
                    writeln!(out, "{line}")?;
                    out.flush()?;
                }
                None => break,
            },
            () = &mut stop => break,
        }
    }
    let summary = proxy.stop().await;
    while let Ok(line) = lines.try_recv() {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", summary?)?;
    out.flush()?;
    Ok(exit_code::SUCCESS)
}
