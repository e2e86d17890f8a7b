//! The options that name a target, shared by `scimsim run` and `scimsim certify`.

use anyhow::Context;
use clap::Args;

use crate::bdd::TargetChoice;

/// Where the IdP's requests go.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The SCIM base URL of the target; without it, each scenario gets a fresh embedded
    /// reference server.
    #[arg(long, env = "SCIMSIM_TARGET_URL", value_name = "URL")]
    pub target: Option<String>,
    /// The environment variable holding the target's bearer token.
    #[arg(long, default_value = "SCIMSIM_TOKEN", value_name = "VAR")]
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
