//! Where the target is and how to reach it.

use std::sync::Arc;
use std::time::Duration;

use super::{Auth, CertificateTrust, Pacer, Transport, WriteGuard};

/// How long a request may take before it fails: Okta closes the socket when no response
/// arrives within 60 s (okta-wire.md §1.0 "Timeout").
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The longest request timeout: one day. A longer one is cut to it, so every deadline is a
/// time the clock can represent.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// The target SCIM server and how to talk to it.
#[derive(Debug, Clone)]
pub struct TargetConfig {
    /// The SCIM base URL (Entra's "Tenant URL", Okta's "SCIM connector base URL"), e.g.
    /// `https://api.example.com/scim/v2`. Used as given except that trailing slashes are
    /// trimmed; request paths such as `/Users` are appended to it, as both IdPs do.
    pub base_url: String,
    /// How requests authenticate.
    pub auth: Auth,
    /// The most a request (connect, send, read the whole response) may take; the default is
    /// [`DEFAULT_TIMEOUT`], the most [`MAX_TIMEOUT`].
    pub timeout: Duration,
    /// Whether to honour the `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` environment variables,
    /// as curl does. On by default; tests against loopback servers turn it off.
    pub use_env_proxy: bool,
    /// Which TLS certificates the target may present: the system's roots by default, as
    /// both IdPs verify.
    pub trust: CertificateTrust,
    /// Whether a plain `http://` base URL may name a host other than this machine. Off by
    /// default: the token would cross the network unencrypted.
    pub allow_http: bool,
    /// On a shared target: refuse to change what the run did not create (`None`: no guard,
    /// as against a fresh embedded server).
    pub guard: Option<Arc<WriteGuard>>,
    /// A request rate shared with other clients (`scimsim load --rate`); `None`: as fast as
    /// the IdP's engine sends.
    pub pacer: Option<Arc<Pacer>>,
    /// How much of each exchange the client keeps: everything (the default), or a summary
    /// for a load run.
    pub recording: Recording,
}

/// How much of each exchange a client records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recording {
    /// Everything, redacted: for transcripts, snapshots and the checks.
    #[default]
    Full,
    /// Method, path, query, status and timing; no headers, no bodies. A load run counts
    /// requests and latencies, and copying and redacting every header and body costs as much
    /// as sending the request.
    Summary {
        /// Keep each request as sent too, for [`TargetClient::take_sent`](super::TargetClient::take_sent)
        /// (a load run's `--baseline` sends them again).
        keep_sent: bool,
    },
}

impl TargetConfig {
    /// A target at `base_url` using `auth`, with the default [`Transport`]: the default
    /// timeout, proxy environment variables honoured, certificates verified against the
    /// system's roots, plain HTTP to loopback only.
    pub fn new(base_url: impl Into<String>, auth: Auth) -> Self {
        Self::with_transport(base_url, auth, Transport::default())
    }

    /// A target at `base_url` using `auth`, reached as `transport` says (the options of a
    /// run's command line).
    pub fn with_transport(base_url: impl Into<String>, auth: Auth, transport: Transport) -> Self {
        let Transport { timeout, use_env_proxy, trust, allow_http } = transport;
        Self {
            base_url: base_url.into(),
            auth,
            timeout,
            use_env_proxy,
            trust,
            allow_http,
            guard: None,
            pacer: None,
            recording: Recording::Full,
        }
    }

    /// The transport options its HTTP client is built with.
    pub fn transport(&self) -> Transport {
        Transport {
            timeout: self.timeout,
            use_env_proxy: self.use_env_proxy,
            trust: self.trust.clone(),
            allow_http: self.allow_http,
        }
    }

    /// The base URL without trailing slashes.
    pub fn trimmed_base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The full URL of a request: the trimmed base URL, then `path` (a `/` is put in front when
    /// it lacks one), then `?` and the query exactly as given (already encoded, without the
    /// `?`; an empty query adds nothing). `https://h/scim/` + `/Users` is
    /// `https://h/scim/Users`.
    pub fn url_for(&self, path: &str, query: Option<&str>) -> String {
        let base = self.trimmed_base_url();
        // One allocation: the base, a `/`, the path, a `?` and the query at most.
        let mut url = String::with_capacity(base.len() + path.len() + query.map_or(0, str::len) + 2);
        url.push_str(base);
        if !path.is_empty() && !path.starts_with('/') {
            url.push('/');
        }
        url.push_str(path);
        if let Some(query) = query.filter(|query| !query.is_empty()) {
            url.push('?');
            url.push_str(query);
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str) -> TargetConfig {
        TargetConfig::new(base, Auth::None)
    }

    #[test]
    fn base_url_joining() {
        assert_eq!(config("https://h/scim/").url_for("/Users", None), "https://h/scim/Users");
        assert_eq!(config("https://h/scim").url_for("/Users/42", None), "https://h/scim/Users/42");
        assert_eq!(config("https://h/scim//").url_for("Users", None), "https://h/scim/Users");
        assert_eq!(config("https://h").url_for("/Groups", None), "https://h/Groups");
        assert_eq!(config("https://h/").url_for("", None), "https://h");
        assert_eq!(
            config("https://h/scim/v2").url_for("/Users", Some("filter=userName+eq+%22x%22")),
            "https://h/scim/v2/Users?filter=userName+eq+%22x%22"
        );
        assert_eq!(
            config("https://h/").url_for("/Users", Some("filter=userName%20eq%20%22x%22&startIndex=1&count=100")),
            "https://h/Users?filter=userName%20eq%20%22x%22&startIndex=1&count=100"
        );
        assert_eq!(config("https://h").url_for("/Users", Some("")), "https://h/Users");
    }

    #[test]
    fn defaults() {
        let config = config("http://127.0.0.1:1");
        assert_eq!(config.timeout, Duration::from_secs(60));
        assert!(config.use_env_proxy);
        assert!(matches!(config.trust, CertificateTrust::System));
        assert!(!config.allow_http);
    }
}
