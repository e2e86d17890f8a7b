//! The state of one scenario: the run's configuration, the scenario's target (a fresh
//! embedded server, or the named one), the IdP it plays, and the names it created there.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::idp::directory::ObjectKind;
use crate::server::{RunningServer, ServerConfig, spawn};
use crate::target::{Auth, TargetClient, TargetConfig, Transport, WriteGuard, json_body};
use crate::transcript::translate;

use super::idp::Idp;
use super::run_cleanup::RunCleanup;
use super::run_config::{RunConfig, TargetChoice};
use super::transcripts::created_by;

/// Which scenario a world belongs to; set by the runner before the first step.
#[derive(Debug, Clone)]
pub struct ScenarioInfo {
    /// The run's configuration.
    pub config: Arc<RunConfig>,
    /// The feature file.
    pub feature: PathBuf,
    /// The scenario's name (with its Examples row for an outline).
    pub name: String,
    /// The scenario's snapshot file name: its name as a slug, made unique within the feature.
    pub snapshot_name: String,
    /// Prepended to every name the scenario creates on the target (`s3f9a2-`), so scenarios
    /// running at once, and runs against a shared tenant, never collide. Snapshots and
    /// assertions read values with it removed.
    pub prefix: String,
    /// The run's HTTP clients.
    pub http: RunHttp,
    /// Where the scenario hands what it created on a named target, to be removed.
    pub cleanup: Arc<RunCleanup>,
    /// On a named target: what the run created, the only objects its requests may change.
    pub guard: Option<Arc<WriteGuard>>,
}

/// The HTTP clients of one run, built once in its runtime and shared by every scenario: one
/// for loopback targets (no proxy), one honouring the proxy environment variables. Both use
/// the run's [`Transport`] otherwise (its timeout and the certificates it trusts).
#[derive(Debug, Clone)]
pub struct RunHttp {
    transport: Transport,
    loopback: reqwest::Client,
    proxied: reqwest::Client,
}

impl RunHttp {
    /// Builds the two clients from the run's `transport`.
    pub fn new(transport: &Transport) -> Result<Self, String> {
        let client =
            |use_env_proxy| Transport { use_env_proxy, ..transport.clone() }.client().map_err(|e| e.to_string());
        Ok(Self { transport: transport.clone(), loopback: client(false)?, proxied: client(true)? })
    }

    /// The client for a loopback target, or for any other.
    pub(crate) fn client(&self, loopback: bool) -> reqwest::Client {
        if loopback { self.loopback.clone() } else { self.proxied.clone() }
    }

    /// The transport [`RunHttp::client`] was built with for a loopback target, or any other.
    fn transport(&self, loopback: bool) -> Transport {
        Transport { use_env_proxy: !loopback, ..self.transport.clone() }
    }
}

/// The SCIM server of one scenario and an HTTP client for checking it.
#[derive(Debug)]
pub struct ScenarioTarget {
    /// Its base URL.
    pub url: String,
    /// Its bearer token.
    pub token: String,
    /// Loopback targets are reached without proxies.
    pub loopback: bool,
    /// For the IdP's client and for assertions that read the target directly (built from
    /// `transport`).
    pub http: reqwest::Client,
    /// The run's transport, with proxies for non-loopback targets only.
    pub transport: Transport,
    /// The embedded server, running for the scenario (`None` for a named target).
    pub server: Option<RunningServer>,
    /// On a named target: the run's guard against changing what it did not create.
    pub guard: Option<Arc<WriteGuard>>,
}

impl ScenarioTarget {
    /// The target's `GET /ServiceProviderConfig` body; `None` when it does not answer it with
    /// JSON (checks of what it advertises are then not applicable).
    pub async fn service_provider_config(&self) -> Option<Value> {
        let url = format!("{}/ServiceProviderConfig", self.url.trim_end_matches('/'));
        let response = self.http.get(&url).bearer_auth(&self.token).send().await.ok()?;
        if !response.status().is_success() {
            return None;
        }
        json_body(response).await
    }

    /// A client for the IdP, authenticating as `auth`, reaching the target as the run's
    /// transport says.
    pub fn client(&self, base_url: &str, auth: Auth) -> Result<TargetClient, String> {
        let config = TargetConfig {
            guard: self.guard.clone(),
            ..TargetConfig::with_transport(base_url, auth, self.transport.clone())
        };
        TargetClient::with_http(config, self.http.clone()).map_err(|e| e.to_string())
    }
}

/// One scenario's world. Cucumber makes a fresh one per scenario.
#[derive(Debug, Default)]
pub struct ScimWorld {
    /// The scenario; `None` until the runner's before hook.
    pub(crate) info: Option<ScenarioInfo>,
    /// The target, started when the first step needs it.
    pub(crate) target: Option<ScenarioTarget>,
    /// The server configuration of an embedded target (a behaviour profile).
    pub(crate) server_config: ServerConfig,
    /// The IdP, once a Given step chose it.
    pub(crate) idp: Option<Idp>,
    /// The name each user and group alias has on the target (with the prefix).
    pub(crate) names: HashMap<(ObjectKind, String), String>,
    /// Transcript length when the latest Given or When step started: `Then the IdP sent`
    /// reads the requests after it.
    pub(crate) mark: usize,
    /// Exchanges printed so far with `-v`.
    pub(crate) printed: usize,
    /// The verdict of the latest connection test.
    pub(crate) connection_test: Option<Result<String, String>>,
    /// What the latest Okta import read.
    pub(crate) import: Option<crate::idp::okta::ImportReport>,
    /// Resources the scenario created on the target itself (`Users/<id>`), removed at its end.
    pub(crate) created: Vec<String>,
    /// What the scenario created was handed to the run's clean-up (see [`Drop`]).
    pub(crate) handed_over: bool,
    /// The scenario made the embedded server misbehave on purpose (a behaviour profile, an
    /// injected fault): its answers are the story, so the checks do not judge them.
    pub(crate) shaped_target: bool,
    /// The failed step and its message (`line 12: When …: …`).
    pub(crate) failure: Option<String>,
}

impl cucumber::World for ScimWorld {
    type Error = std::convert::Infallible;

    async fn new() -> Result<Self, Self::Error> {
        Ok(Self::default())
    }
}

impl ScimWorld {
    /// The scenario this world runs.
    pub(crate) fn info(&self) -> Result<&ScenarioInfo, String> {
        self.info.as_ref().ok_or_else(|| "the runner did not start this scenario".to_string())
    }

    /// The IdP, or an error saying which Given step chooses one.
    pub(crate) fn idp(&mut self) -> Result<&mut Idp, String> {
        self.idp.as_mut().ok_or_else(|| {
            "no identity provider yet: start the scenario with `Given an Entra ID tenant` or `Given an Okta org`"
                .to_string()
        })
    }

    /// `name` as the target sees it: with the scenario's prefix.
    pub(crate) fn prefixed(&self, name: &str) -> String {
        match &self.info {
            Some(info) => format!("{}{name}", info.prefix),
            None => name.to_string(),
        }
    }

    /// Makes the scenario play `idp`, whose ids are derived under the scenario's prefix.
    pub(crate) fn play(&mut self, mut idp: Idp) {
        if let Some(info) = &self.info {
            idp.set_id_namespace(&info.prefix);
        }
        self.idp = Some(idp);
    }

    /// What makes this run's values differ from any other run's, and what they read as
    /// without it: the prefix (removed) and the ids the IdP derived under it (their
    /// unprefixed forms).
    pub(crate) fn run_neutral_pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self.idp.as_ref().map(Idp::id_translations).unwrap_or_default();
        if let Some(info) = self.info.as_ref().filter(|i| !i.prefix.is_empty()) {
            pairs.push((info.prefix.clone(), String::new()));
        }
        pairs
    }

    /// `value` as it reads without this run's prefix and run-unique ids.
    pub(crate) fn unprefixed(&self, value: &Value) -> Value {
        translate(value, &self.run_neutral_pairs())
    }

    /// The scenario's target, started on first use: a fresh embedded server with the
    /// scenario's server configuration, or the run's named target.
    pub(crate) async fn target(&mut self) -> Result<&ScenarioTarget, String> {
        if self.target.is_none() {
            let config = Arc::clone(&self.info()?.config);
            let http = self.info()?.http.clone();
            let target = match &config.target {
                TargetChoice::Embedded => {
                    let server = spawn(self.server_config.clone()).await.map_err(|e| e.to_string())?;
                    ScenarioTarget {
                        url: server.url().to_string(),
                        token: server.token().to_string(),
                        loopback: true,
                        http: http.client(true),
                        transport: http.transport(true),
                        server: Some(server),
                        guard: None,
                    }
                }
                TargetChoice::Remote { url, token } => ScenarioTarget {
                    url: url.clone(),
                    token: token.clone(),
                    loopback: false,
                    http: http.client(false),
                    transport: http.transport(false),
                    server: None,
                    guard: self.info()?.guard.clone(),
                },
            };
            self.target = Some(target);
        }
        self.target.as_ref().ok_or_else(|| "the target did not start".to_string())
    }

    /// Everything the scenario created on the target, once: every object a `201 Created`
    /// answered to the IdP (linked or not: an unassigned user or a group unlinked with
    /// "leave" stays on the target, and the IdP forgets it), then what its own steps created;
    /// groups first, so they go before their members.
    pub(crate) fn take_created(&mut self) -> Vec<String> {
        self.handed_over = true;
        let mut paths: Vec<String> =
            self.idp.as_ref().map(|idp| created_by(idp.transcript().exchanges())).unwrap_or_default();
        paths.extend(std::mem::take(&mut self.created).into_iter().rev());
        let mut seen = std::collections::HashSet::new();
        paths.retain(|p| seen.insert(p.clone()));
        paths.sort_by_key(|p| p.starts_with("Users/"));
        paths
    }

    /// `text` with the target's token, and every secret the IdP's client learnt (OAuth access
    /// tokens, an `Authorization` a step set), replaced by `[redacted]`.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut redactor = self.idp.as_ref().map(Idp::redactor).unwrap_or_default();
        if let Some(target) = &self.target {
            redactor.add_secret(&target.token);
        }
        if let Some(TargetChoice::Remote { token, .. }) = self.info.as_ref().map(|i| &i.config.target) {
            redactor.add_secret(token);
        }
        redactor.redact_str(text).into_owned()
    }

    /// True when the scenario runs against the embedded server.
    pub(crate) fn embedded(&self) -> bool {
        self.info.as_ref().is_some_and(|i| i.config.target == TargetChoice::Embedded)
    }
}

/// A scenario dropped before its end (the run was interrupted) hands what it created to the
/// run, which removes it once the run has stopped.
impl Drop for ScimWorld {
    fn drop(&mut self) {
        if !self.handed_over
            && let Some(cleanup) = self.info.as_ref().map(|info| Arc::clone(&info.cleanup))
        {
            cleanup.abandoned(self.take_created());
        }
    }
}
