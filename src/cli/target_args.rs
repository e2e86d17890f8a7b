//! The options that name a target, shared by `scimsim run` and `scimsim certify`.

use anyhow::Context;
use clap::Args;

use serde_json::Value;

use crate::bdd::{RunId, TargetChoice};
use crate::target::{DEFAULT_TIMEOUT, Transport};

/// The variable that holds the target's token unless `--token-env` names another.
const DEFAULT_TOKEN_ENV: &str = "SCIMSIM_TOKEN";

/// Where the IdP's requests go.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The SCIM base URL of the target; without it, each scenario gets a fresh embedded
    /// reference server.
    #[arg(long, env = "SCIMSIM_TARGET_URL", value_name = "URL")]
    pub target: Option<String>,
    /// The environment variable holding the target's bearer token.
    #[arg(long, default_value = DEFAULT_TOKEN_ENV, value_name = "VAR")]
    pub token_env: String,
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

    /// Probes a named target once with `GET /ServiceProviderConfig` and fails when it cannot
    /// be reached at all (refused, unknown host, TLS failure, timeout), so a run reports that
    /// once, with exit code 3, instead of failing every scenario. Any HTTP answer, even an
    /// error status, counts as reachable; a successful JSON one is returned, so the run's
    /// checks need not read it again.
    pub async fn probe(&self, choice: &TargetChoice) -> anyhow::Result<Option<Value>> {
        let TargetChoice::Remote { url, token } = choice else { return Ok(None) };
        let probe = format!("{}/ServiceProviderConfig", url.trim_end_matches('/'));
        let response = self
            .http_client()?
            .get(&probe)
            .bearer_auth(token)
            .send()
            .await
            .with_context(|| format!("the target {} cannot be reached (GET {probe})", self.description()))?;
        if !response.status().is_success() {
            return Ok(None);
        }
        Ok(response.json::<Value>().await.ok())
    }

    /// An HTTP client for reading and cleaning the named target directly (not as an IdP).
    pub fn http_client(&self) -> anyhow::Result<reqwest::Client> {
        let transport = Transport { timeout: DEFAULT_TIMEOUT, use_env_proxy: true, accept_invalid_certs: false };
        Ok(transport.client()?)
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
    use super::*;

    #[test]
    fn a_report_never_names_credentials() {
        let args =
            TargetArgs { target: Some("https://qa:secret@h.example/scim/v2?key=k".into()), token_env: "T".into() };
        assert_eq!(args.description(), "https://h.example/scim/v2");
        assert_eq!(TargetArgs { target: None, token_env: "T".into() }.description(), "embedded reference server");
    }
}
