//! The options that name a target and say how to reach it, shared by every command that sends
//! to one (`run`, `certify`, `cleanup`, `load`, `replay`).

use std::io::Write;

use anyhow::Context;
use clap::Args;
use reqwest::Method;
use serde_json::Value;

use crate::bdd::{RunId, TargetChoice};
use crate::target::{Auth, ExchangeMeta, OutgoingRequest, TargetClient, TargetConfig, Transport};

use super::TransportArgs;

/// The variable that holds the target's token unless `--token-env` names another.
const DEFAULT_TOKEN_ENV: &str = "SCIMSIM_TOKEN";

/// Where the IdP's requests go, and how they get there.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The SCIM base URL of the target; without it, the embedded reference server (a fresh one
    /// for each scenario of a suite).
    #[arg(long, env = "SCIMSIM_TARGET_URL", value_name = "URL")]
    pub target: Option<String>,
    /// The environment variable holding the target's bearer token.
    #[arg(long, default_value = DEFAULT_TOKEN_ENV, value_name = "VAR")]
    pub token_env: String,
    /// How requests reach it: timeout, certificates, plain http.
    #[command(flatten)]
    pub transport: TransportArgs,
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

    /// How requests reach the target (see [`TransportArgs::transport`]).
    pub fn transport(&self, warnings: &mut dyn Write) -> anyhow::Result<Transport> {
        self.transport.transport(warnings)
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
        Ok(reply.body.into_value().filter(|body| success && body.is_object() && body.get("raw").is_none()))
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
    use clap::Parser;

    use super::*;

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
}
