//! `scimsim serve`: the reference SCIM server in the foreground.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::server::{Extension, Profile, ServerConfig, read_local_users, spawn};

use super::stop_signal::stop_signal;

/// Options of `scimsim serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port. Anything but loopback exposes the
    /// server to the network.
    #[arg(long, default_value = "127.0.0.1:0", value_name = "IP:PORT")]
    pub addr: SocketAddr,
    /// Bearer token clients must send (visible to other users in `ps`; prefer --token-env).
    /// Generated and printed when neither is given.
    #[arg(long, conflicts_with = "token_env", value_name = "TOKEN")]
    pub token: Option<String>,
    /// Read the bearer token from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
    /// Path the SCIM endpoints live under ("/" for the root).
    #[arg(long, default_value = "/scim/v2", value_name = "PATH")]
    pub base_path: String,
    /// Register an extension schema (RFC 7643 §7 JSON) for User, or for Group with
    /// `Group=FILE`. Repeatable.
    #[arg(long = "schema", value_name = "[User=|Group=]FILE")]
    pub schemas: Vec<String>,
    /// Behave like a real SCIM server: strict (the RFCs, the default), omni or ivanti.
    #[arg(long, default_value = "strict", value_name = "NAME")]
    pub profile: Profile,
    /// Hold the users in FILE (a JSON array of User resources) as local users, ones not
    /// created through SCIM.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
}

/// Starts the server, prints where it listens, and serves until Ctrl-C or SIGTERM.
pub async fn run(args: ServeArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<()> {
    let token = match (&args.token, &args.token_env) {
        (Some(token), _) => Some(token.clone()),
        (None, Some(var)) => {
            Some(std::env::var(var).with_context(|| format!("--token-env {var}: the variable is not set"))?)
        }
        (None, None) => None,
    };
    if token.as_deref().is_some_and(str::is_empty) {
        anyhow::bail!("the bearer token is empty; pass a non-empty --token or --token-env");
    }
    let generated = token.is_none();
    let extensions = args.schemas.iter().map(|spec| Extension::from_spec(spec)).collect::<Result<Vec<_>, _>>()?;
    let local_users = args.seed.as_deref().map(read_local_users).transpose()?.unwrap_or_default();
    let config = ServerConfig {
        addr: args.addr,
        token,
        base_path: args.base_path,
        extensions,
        profile: args.profile,
        local_users,
        ..ServerConfig::default()
    };
    let server = spawn(config).await?;
    if !server.addr().ip().is_loopback() {
        writeln!(
            err,
            "warning: listening on {}: anyone who can reach this address and knows the token can use the server",
            server.addr()
        )?;
    }
    match args.profile {
        Profile::Strict => writeln!(out, "scimsim reference SCIM server listening; Ctrl-C stops it")?,
        profile => writeln!(out, "scimsim reference SCIM server listening as {profile}; Ctrl-C stops it")?,
    }
    writeln!(out, "SCIMSIM_TARGET_URL={}", server.url())?;
    if generated {
        writeln!(out, "SCIMSIM_TOKEN={}", server.token())?;
    } else {
        writeln!(out, "SCIMSIM_TOKEN=<the token you gave>")?;
    }
    out.flush()?;
    stop_signal().await;
    server.shutdown_for_exit().await.context("the server failed while stopping")?;
    writeln!(out, "stopped")?;
    Ok(())
}
