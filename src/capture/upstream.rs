//! The real SCIM endpoint behind the recording proxy, and carrying one request to it
//! unchanged.

use std::fmt;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::header::{self, HeaderMap, HeaderName};
use axum::http::{Method, StatusCode};
use reqwest::Url;

use crate::target::{
    Auth, BodyError, MAX_TIMEOUT, TargetConfig, TargetError, Transport, check_base_url, describe, is_loopback,
    read_body_within, send_failure,
};

/// Headers that describe one hop of a connection, not the message (RFC 9110 §7.6.1, and
/// `Proxy-Connection` and `Keep-Alive` of older clients): never forwarded. `Host` names the
/// proxy, not the target, and reqwest writes the target's. `Expect: 100-continue` was answered
/// by the proxy, which reads the whole body before forwarding.
const HOP_BY_HOP: [HeaderName; 11] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
    header::HOST,
    header::EXPECT,
];

/// The target of a recording: its base URL, and the HTTP client that reaches it.
#[derive(Debug)]
pub(crate) struct Upstream {
    config: TargetConfig,
    http: reqwest::Client,
    /// The largest response body carried back.
    body_limit: usize,
}

/// A complete answer from the target.
#[derive(Debug)]
pub(crate) struct UpstreamReply {
    /// Its status.
    pub(crate) status: StatusCode,
    /// Its end-to-end headers, in order, repeated names kept.
    pub(crate) headers: HeaderMap,
    /// Its body, exactly as read.
    pub(crate) body: Bytes,
}

/// Why no complete answer could be carried back.
#[derive(Debug)]
pub(crate) enum UpstreamFailure {
    /// No answer (refused, timed out, TLS, a broken connection or body).
    NoAnswer(TargetError),
    /// An answer whose body is larger than the proxy holds.
    TooLarge {
        /// The request, `METHOD URL`.
        request: String,
        /// The status that arrived.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
}

impl fmt::Display for UpstreamFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpstreamFailure::NoAnswer(error) => error.fmt(f),
            UpstreamFailure::TooLarge { request, status, limit } => write!(
                f,
                "{request}: HTTP {status} arrived but its body exceeds {} MiB, the most scimsim record holds",
                limit >> 20
            ),
        }
    }
}

impl Upstream {
    /// The target at `base_url`, reached as `transport` says. Checked as every target is (an
    /// absolute http(s) URL without credentials, query or fragment; plain http only to this
    /// machine unless allowed); environment proxies are never used for a loopback target.
    pub(crate) fn new(base_url: &str, transport: Transport, body_limit: usize) -> Result<Self, TargetError> {
        let mut config = TargetConfig::with_transport(base_url, Auth::None, transport);
        check_base_url(&config)?;
        if Url::parse(config.trimmed_base_url()).is_ok_and(|url| is_loopback(&url)) {
            config.use_env_proxy = false;
        }
        config.timeout = config.timeout.min(MAX_TIMEOUT);
        let http = config.transport().client()?;
        Ok(Self { config, http, body_limit })
    }

    /// The base URL, without trailing slashes.
    pub(crate) fn base_url(&self) -> &str {
        self.config.trimmed_base_url()
    }

    /// Sends `method` to the base URL + `path` (+ `?query` verbatim) with the end-to-end
    /// `headers` and `body` as received, and reads the whole answer within the timeout.
    /// Returns the outcome and how long the target took.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: Bytes,
    ) -> (Result<UpstreamReply, UpstreamFailure>, Duration) {
        let url = self.config.url_for(path, query);
        let request = format!("{method} {url}");
        let timeout = self.config.timeout;
        let url = match Url::parse(&url) {
            Ok(url) => url,
            Err(err) => {
                let error = TargetError::InvalidUrl { request, reason: err.to_string() };
                return (Err(UpstreamFailure::NoAnswer(error)), Duration::ZERO);
            }
        };
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + timeout;
        let timed_out =
            |request: &str| UpstreamFailure::NoAnswer(TargetError::Timeout { request: request.into(), timeout });
        let sending = self.http.request(method, url).headers(end_to_end(headers)).body(body).send();
        let response = match tokio::time::timeout_at(deadline, sending).await {
            Err(_) => return (Err(timed_out(&request)), started.elapsed()),
            Ok(Err(err)) => {
                let error = send_failure(&err, request, describe(&err), timeout);
                return (Err(UpstreamFailure::NoAnswer(error)), started.elapsed());
            }
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        let headers = end_to_end(response.headers());
        let body = match tokio::time::timeout_at(deadline, read_body_within(response, self.body_limit)).await {
            Err(_) => Err(timed_out(&request)),
            Ok(Err(BodyError::TooLarge)) => {
                Err(UpstreamFailure::TooLarge { request, status: status.as_u16(), limit: self.body_limit })
            }
            Ok(Err(error)) => {
                Err(UpstreamFailure::NoAnswer(error.into_target_error(&request, status.as_u16(), timeout, describe)))
            }
            Ok(Ok(body)) => Ok(UpstreamReply { status, headers, body: Bytes::from(body) }),
        };
        (body, started.elapsed())
    }
}

/// `headers` without the hop-by-hop ones: [`HOP_BY_HOP`], and any the `Connection` header
/// names (RFC 9110 §7.6.1).
pub(crate) fn end_to_end(headers: &HeaderMap) -> HeaderMap {
    let named: Vec<String> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    let mut kept = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if !HOP_BY_HOP.contains(name) && !named.iter().any(|hop| hop == name.as_str()) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn hop_by_hop_headers_are_dropped_and_the_rest_kept_in_order() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("host", "127.0.0.1:8099"),
            ("connection", "keep-alive, X-Hop"),
            ("x-hop", "1"),
            ("keep-alive", "timeout=5"),
            ("transfer-encoding", "chunked"),
            ("authorization", "Bearer t"),
            ("accept-encoding", "gzip,deflate"),
            ("x-multi", "a"),
            ("x-multi", "b"),
            ("expect", "100-continue"),
        ] {
            headers.append(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        let kept = end_to_end(&headers);
        let names: Vec<&str> = kept.keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["authorization", "accept-encoding", "x-multi"]);
        assert_eq!(kept.get_all("x-multi").iter().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn a_target_is_checked_as_every_target_is() {
        let transport = Transport::default();
        let remote_http = Upstream::new("http://scim.example.com/scim", transport.clone(), 1).unwrap_err();
        assert!(remote_http.to_string().contains("--allow-http"), "{remote_http}");
        assert!(Upstream::new("https://scim.example.com/scim?aadOptscim062020", transport.clone(), 1).is_err());
        let local = Upstream::new("http://127.0.0.1:9/scim/v2/", transport, 1).unwrap();
        assert_eq!(local.base_url(), "http://127.0.0.1:9/scim/v2");
        assert!(!local.config.use_env_proxy, "no environment proxy for a loopback target");
    }
}
