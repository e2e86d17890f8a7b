//! The transport options an HTTP client is built with, and building it.
//!
//! Building a rustls client reads and parses the system's root certificates, which costs
//! milliseconds; a caller that makes many [`TargetClient`](super::TargetClient)s in one Tokio
//! runtime (a suite run: several per scenario) builds one client per [`Transport`] and hands it
//! to [`TargetClient::with_http`](super::TargetClient::with_http). A client must not outlive
//! its runtime's use (its pooled connections belong to the runtime that opened them), so there
//! is no process-wide cache.

use std::time::Duration;

use super::error::{TargetError, describe};
use super::{CertificateTrust, DEFAULT_TIMEOUT, MAX_TIMEOUT};

/// How requests reach the target: the request timeout, whether environment proxies apply,
/// which certificates are trusted, and whether plain HTTP may leave this machine. Redirects
/// are never followed.
#[derive(Debug, Clone)]
pub struct Transport {
    /// The whole-request timeout: connect, send, read the whole response.
    pub timeout: Duration,
    /// Honour `HTTPS_PROXY` and friends (not for loopback targets).
    pub use_env_proxy: bool,
    /// Which server certificates are accepted.
    pub trust: CertificateTrust,
    /// Allow a plain `http://` base URL to a host other than this machine (`--allow-http`).
    /// Not a client setting: [`TargetClient`](super::TargetClient) checks the base URL
    /// against it, so a token never crosses a network unencrypted by accident.
    pub allow_http: bool,
}

impl Default for Transport {
    /// The default timeout, environment proxies honoured, the system's roots trusted, plain
    /// HTTP to loopback only.
    fn default() -> Self {
        Self { timeout: DEFAULT_TIMEOUT, use_env_proxy: true, trust: CertificateTrust::System, allow_http: false }
    }
}

impl Transport {
    /// A new HTTP client with these options (a timeout above [`MAX_TIMEOUT`] is cut to it).
    pub fn client(&self) -> Result<reqwest::Client, TargetError> {
        let mut builder = reqwest::Client::builder()
            .timeout(self.timeout.min(MAX_TIMEOUT))
            .redirect(reqwest::redirect::Policy::none());
        if !self.use_env_proxy {
            builder = builder.no_proxy();
        }
        builder = match &self.trust {
            CertificateTrust::System => builder,
            CertificateTrust::SystemAndPrivateCa(ca) => builder.tls_certs_merge(ca.certificates()),
            CertificateTrust::Any => builder.tls_danger_accept_invalid_certs(true),
        };
        builder.build().map_err(|err| TargetError::Client { reason: describe(&err) })
    }
}
