//! The options that name a target and say how to reach it, shared by `scimsim run` and
//! `scimsim certify`.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use reqwest::Method;
use serde_json::Value;

use crate::bdd::{RunId, TargetChoice};
use crate::target::{
    Auth, CertificateTrust, ExchangeMeta, MAX_TIMEOUT, OutgoingRequest, PrivateCa, TargetClient, TargetConfig,
    Transport,
};

/// The variable that holds the target's token unless `--token-env` names another.
const DEFAULT_TOKEN_ENV: &str = "SCIMSIM_TOKEN";

/// Where the IdP's requests go, and how they get there.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The SCIM base URL of the target; without it, each scenario gets a fresh embedded
    /// reference server.
    #[arg(long, env = "SCIMSIM_TARGET_URL", value_name = "URL")]
    pub target: Option<String>,
    /// The environment variable holding the target's bearer token.
    #[arg(long, default_value = DEFAULT_TOKEN_ENV, value_name = "VAR")]
    pub token_env: String,
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

impl TargetArgs {
    /// The embedded server, or the named target with the token read from `--token-env`'s
    /// variable (a usage error naming the variable when it is unset).
    pub fn choice(&self) -> anyhow::Result<TargetChoice> {
        let Some(url) = &self.target else { return Ok(TargetChoice::Embedded) };
        let token = std::env::var(&self.token_env).with_context(|| {
            format!("--target needs a bearer token: set {} (or name another variable with --token-env)", self.token_env)
        })?;
        Ok(TargetChoice::Remote { url: url.clone(), token })
    }

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

    /// Probes a named target once with `GET /ServiceProviderConfig`, sent as every request of
    /// the run is (`transport`, the bearer token, the body limit), and fails when no complete
    /// HTTP answer arrives (refused, unknown host, TLS failure, timeout, a body cut short or
    /// too large), so a run reports that once, with exit code 3, instead of failing every
    /// scenario; a base URL the client refuses (plain http to another machine) is a usage
    /// error. Any HTTP answer, even an error status, counts as reachable; a successful JSON
    /// one is returned, so the run's checks need not read it again.
    pub async fn probe(&self, choice: &TargetChoice, transport: &Transport) -> anyhow::Result<Option<Value>> {
        let TargetChoice::Remote { url, token } = choice else { return Ok(None) };
        let cannot_reach = || format!("the target {} cannot be reached", self.description());
        let config = TargetConfig::with_transport(url.clone(), Auth::Bearer(token.clone()), transport.clone());
        let client = TargetClient::new(config)?;
        let request = OutgoingRequest::new(Method::GET, "/ServiceProviderConfig");
        let (reply, _exchange) = client.send(&request, ExchangeMeta::default()).await;
        let reply = reply.with_context(cannot_reach)?;
        // A body that is not JSON is recorded as `{"raw": …}`: not a configuration.
        let success = reply.is_success();
        Ok(reply.body.filter(|body| success && body.is_object() && body.get("raw").is_none()))
    }

    /// The command that removes what run `run_id` left on this target.
    pub fn cleanup_command(&self, run_id: &RunId) -> String {
        let token_env = if self.token_env == DEFAULT_TOKEN_ENV {
            String::new()
        } else {
            format!(" --token-env {}", self.token_env)
        };
        format!("scimsim cleanup --target {}{token_env} --run-id {run_id}", self.description())
    }

    /// The target as a report names it: the URL without credentials, query or fragment, or
    /// `embedded reference server`.
    pub fn description(&self) -> String {
        let Some(url) = &self.target else { return "embedded reference server".into() };
        match reqwest::Url::parse(url) {
            Ok(mut parsed) => {
                let _ = parsed.set_username("");
                let _ = parsed.set_password(None);
                parsed.set_query(None);
                parsed.set_fragment(None);
                parsed.to_string()
            }
            Err(_) => "the named target (its URL does not parse)".into(),
        }
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
        target: TargetArgs,
    }

    fn parse(args: &[&str]) -> Result<TargetArgs, clap::Error> {
        Line::try_parse_from([&["scimsim"], args].concat()).map(|line| line.target)
    }

    #[test]
    fn a_report_never_names_credentials() {
        let mut args = parse(&["--target", "https://qa:secret@h.example/scim/v2?key=k"]).unwrap();
        assert_eq!(args.description(), "https://h.example/scim/v2");
        args.target = None;
        assert_eq!(args.description(), "embedded reference server");
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
