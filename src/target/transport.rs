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

/// What makes two clients different: the request timeout, whether environment proxies apply,
/// and whether invalid certificates are accepted. Redirects are never followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transport {
    /// The whole-request timeout.
    pub timeout: Duration,
    /// Honour `HTTPS_PROXY` and friends (not for loopback targets).
    pub use_env_proxy: bool,
    /// Accept any certificate (only when the user names it).
    pub accept_invalid_certs: bool,
}

impl Transport {
    /// A new HTTP client with these options.
    pub fn client(self) -> Result<reqwest::Client, TargetError> {
        let mut builder = reqwest::Client::builder().timeout(self.timeout).redirect(reqwest::redirect::Policy::none());
        if !self.use_env_proxy {
            builder = builder.no_proxy();
        }
        if self.accept_invalid_certs {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        builder.build().map_err(|err| TargetError::Client { reason: describe(&err) })
    }
}
