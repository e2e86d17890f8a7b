//! The options that say how scimsim's HTTP requests reach a SCIM server: the timeout, the
//! certificates trusted, whether plain http may leave this machine. Shared by every command
//! that talks to a named target (`run`, `certify`, `cleanup`, `load` through [`TargetArgs`],
//! and `record`, whose target takes no token).
//!
//! [`TargetArgs`]: super::TargetArgs

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::target::{CertificateTrust, MAX_TIMEOUT, PrivateCa, Transport};

/// How requests reach the target.
#[derive(Debug, Args)]
pub struct TransportArgs {
    /// Seconds a request may take (connect, send, read the whole answer) before it fails;
    /// fractions allowed, at most a day. 60 is how long Okta waits.
    #[arg(long, env = "SCIMSIM_TIMEOUT", value_name = "SECS", default_value = "60", value_parser = parse_timeout)]
    pub timeout: Duration,
    /// A PEM file with the certificate of a private CA that issued the target's certificate;
    /// trusted in addition to the system's roots.
    #[arg(long, value_name = "FILE", conflicts_with = "insecure")]
    pub ca_cert: Option<PathBuf>,
    /// Accept any TLS certificate, unverified (a self-signed staging target). Anyone on the
    /// network path could then read the token; prefer --ca-cert.
    #[arg(long)]
    pub insecure: bool,
    /// Allow a plain http:// target on another machine (the token then crosses the network
    /// unencrypted). Plain http to localhost, 127.0.0.0/8 and ::1 needs no flag.
    #[arg(long)]
    pub allow_http: bool,
}

/// What `--insecure` prints on stderr, once per run.
const INSECURE_WARNING: &str = "warning: --insecure: the target's TLS certificate is not verified; anyone on the network path can read the token and answer in the target's place";

/// Reads `--timeout`: seconds, fractions allowed, more than zero and at most [`MAX_TIMEOUT`].
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let most = MAX_TIMEOUT.as_secs();
    let bad = || format!("{text:?} is not a timeout: give seconds, more than 0 and at most {most}, e.g. --timeout 120");
    let seconds: f64 = text.trim().parse().map_err(|_| bad())?;
    if !(seconds > 0.0 && seconds <= MAX_TIMEOUT.as_secs_f64()) {
        return Err(bad());
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| bad())
}

impl TransportArgs {
    /// How requests reach the target: the timeout, the certificates trusted, whether plain
    /// HTTP may leave this machine. Reads `--ca-cert` (a usage error naming the file when it
    /// is unreadable or holds no usable certificate) and prints the `--insecure` warning on
    /// `warnings`.
    pub fn transport(&self, warnings: &mut dyn Write) -> anyhow::Result<Transport> {
        let trust = match (&self.ca_cert, self.insecure) {
            (Some(path), _) => CertificateTrust::SystemAndPrivateCa(PrivateCa::read(path)?),
            (None, true) => {
                writeln!(warnings, "{INSECURE_WARNING}")?;
                CertificateTrust::Any
            }
            (None, false) => CertificateTrust::System,
        };
        Ok(Transport { timeout: self.timeout, use_env_proxy: true, trust, allow_http: self.allow_http })
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;
    use crate::target::DEFAULT_TIMEOUT;

    /// The shared options as a command line parses them.
    #[derive(Debug, Parser)]
    struct Line {
        #[command(flatten)]
        transport: TransportArgs,
    }

    fn parse(args: &[&str]) -> Result<TransportArgs, clap::Error> {
        Line::try_parse_from([&["scimsim"], args].concat()).map(|line| line.transport)
    }

    #[test]
    fn the_timeout_defaults_to_the_clients_and_takes_fractions() {
        // Read from the definition, as SCIMSIM_TIMEOUT may be set where the tests run.
        let command = Line::command();
        let timeout = command.get_arguments().find(|arg| arg.get_id() == "timeout").unwrap();
        let default = timeout.get_default_values()[0].to_str().unwrap();
        assert_eq!(parse_timeout(default), Ok(DEFAULT_TIMEOUT));
        assert_eq!(parse(&["--timeout", "0.5"]).unwrap().timeout, Duration::from_millis(500));
        for bad in ["0", "-1", "soon", "NaN", "inf", "86401"] {
            let err = parse(&[&format!("--timeout={bad}")]).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().contains("give seconds"), "{bad}: {err}");
        }
    }

    #[test]
    fn insecure_warns_once_and_excludes_a_ca() {
        let mut warnings = Vec::new();
        let transport = parse(&["--insecure"]).unwrap().transport(&mut warnings).unwrap();
        assert!(matches!(transport.trust, CertificateTrust::Any));
        assert_eq!(String::from_utf8(warnings).unwrap(), format!("{INSECURE_WARNING}\n"));
        assert!(parse(&["--insecure", "--ca-cert", "ca.pem"]).is_err());
        let mut silent = Vec::new();
        let verified = parse(&["--timeout", "1"]).unwrap().transport(&mut silent).unwrap();
        assert!(matches!(verified.trust, CertificateTrust::System));
        assert!(silent.is_empty());
    }
}
