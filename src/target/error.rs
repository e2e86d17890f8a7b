//! Why a request to the target produced no usable reply.

use std::path::PathBuf;
use std::time::Duration;

use super::MAX_BODY_BYTES;
use crate::exit_code;

/// A request that failed below HTTP, or could not be made. An HTTP error status is not an
/// error here: it is a [`Reply`](super::Reply) for the engine and the checks to judge.
///
/// Every message names the request (`PATCH https://h/scim/Users/42`) and says what to check.
/// Messages never hold a secret: they are redacted when the error is made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// No connection: refused, host not found, network unreachable.
    #[error(
        "{request}: cannot connect to the target: {reason} (check the base URL's host and port, and that the SCIM server is running and reachable from here)"
    )]
    Connect {
        /// The request, `METHOD URL`.
        request: String,
        /// What the network stack said.
        reason: String,
    },
    /// No complete response within the configured timeout.
    #[error(
        "{request}: no complete response within {} s (the request timeout); check that the target is up and not stuck, or raise the timeout with --timeout SECS (SCIMSIM_TIMEOUT)",
        timeout.as_secs_f64()
    )]
    Timeout {
        /// The request, `METHOD URL`.
        request: String,
        /// The configured timeout.
        timeout: Duration,
    },
    /// The TLS handshake failed.
    #[error(
        "{request}: TLS handshake failed: {reason} (check http vs https in the base URL, and that the server's certificate is valid for its host and trusted)"
    )]
    Tls {
        /// The request, `METHOD URL`.
        request: String,
        /// What the TLS stack said.
        reason: String,
    },
    /// The status and headers arrived but the body could not be read.
    #[error(
        "{request}: HTTP {status} arrived but its body could not be read: {reason} (the target closed the connection early or sent a malformed body)"
    )]
    Body {
        /// The request, `METHOD URL`.
        request: String,
        /// The status that arrived.
        status: u16,
        /// What went wrong while reading.
        reason: String,
    },
    /// The request would have changed an object the run did not create on a named target
    /// ([`WriteGuard`](super::WriteGuard)), so it was not sent.
    #[error("{request}: {reason}")]
    Refused {
        /// The request, `METHOD URL`.
        request: String,
        /// Why it was not sent.
        reason: String,
    },
    /// The status and headers arrived but the body is larger than scimsim reads.
    #[error(
        "{request}: HTTP {status} arrived but its body exceeds {} MiB, the most scimsim reads (a SCIM answer is far smaller: check that the URL is the SCIM endpoint and that the server does not send a file or an endless body)",
        MAX_BODY_BYTES / (1024 * 1024)
    )]
    BodyTooLarge {
        /// The request, `METHOD URL`.
        request: String,
        /// The status that arrived.
        status: u16,
    },
    /// No OAuth access token could be obtained, so the request was not sent.
    #[error(
        "{request}: could not get an OAuth access token from {token_url}: {detail} (check the token URL, client id, client secret and scope)"
    )]
    Token {
        /// The request that needed the token, `METHOD URL`.
        request: String,
        /// The token endpoint.
        token_url: String,
        /// The token endpoint's HTTP status, when it answered.
        status: Option<u16>,
        /// The status and body, or the transport failure (secrets redacted).
        detail: String,
    },
    /// The URL cannot be built from the base URL, path and query.
    #[error("{request}: not a valid URL: {reason} (check the base URL, the request path and the query's encoding)")]
    InvalidUrl {
        /// The request, `METHOD URL`.
        request: String,
        /// What is wrong.
        reason: String,
    },
    /// One of the IdP's headers cannot be put on the wire.
    #[error("{request}: header {name:?} cannot be sent: {reason}")]
    InvalidHeader {
        /// The request, `METHOD URL`.
        request: String,
        /// The header name.
        name: String,
        /// What is wrong with the name or value.
        reason: String,
    },
    /// The connection broke before a response arrived (reset, closed, not HTTP).
    #[error(
        "{request}: the target closed the connection or did not answer in HTTP: {reason} (check the target's logs and anything between it and here, such as a proxy)"
    )]
    Transport {
        /// The request, `METHOD URL`.
        request: String,
        /// What the HTTP stack said.
        reason: String,
    },
    /// The base URL is unusable; no request can be made.
    #[error("target base URL {base_url:?}: {reason}")]
    BaseUrl {
        /// The base URL as configured.
        base_url: String,
        /// What is wrong.
        reason: String,
    },
    /// The private CA file (`--ca-cert`) cannot be used.
    #[error(
        "--ca-cert {}: {reason} (name a PEM file holding the certificate of the CA that issued the target's certificate, e.g. exported with `openssl s_client -showcerts`)",
        path.display()
    )]
    CaCert {
        /// The file as given.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be set up (TLS backend, resolver).
    #[error("cannot set up the HTTP client: {reason}")]
    Client {
        /// What reqwest said.
        reason: String,
    },
}

impl TargetError {
    /// The process exit code this failure maps to (DESIGN.md "Environment and exit codes"):
    /// configuration mistakes, including credentials a token endpoint rejects (4xx), are
    /// [`USAGE`](exit_code::USAGE); everything on the network is
    /// [`TRANSPORT`](exit_code::TRANSPORT).
    pub fn exit_code(&self) -> u8 {
        match self {
            TargetError::BaseUrl { .. }
            | TargetError::InvalidUrl { .. }
            | TargetError::InvalidHeader { .. }
            | TargetError::Client { .. }
            | TargetError::CaCert { .. }
            | TargetError::Token { status: Some(400..=499), .. } => exit_code::USAGE,
            _ => exit_code::TRANSPORT,
        }
    }
}

/// A reqwest failure before any response (`request` is `METHOD URL`) as the error that says
/// what to check: a timeout, a URL reqwest refuses, TLS, no connection, or a broken one.
/// `reason` is the failure as text, already redacted by the caller.
pub(crate) fn send_failure(err: &reqwest::Error, request: String, reason: String, timeout: Duration) -> TargetError {
    if err.is_timeout() {
        TargetError::Timeout { request, timeout }
    } else if err.is_builder() {
        TargetError::InvalidUrl { request, reason }
    } else if is_tls_failure(err) {
        TargetError::Tls { request, reason }
    } else if err.is_connect() {
        TargetError::Connect { request, reason }
    } else {
        TargetError::Transport { request, reason }
    }
}

/// A reqwest error as one line: its causes joined with `: `, starting below reqwest's own
/// "error sending request for url (…)" (the message names the request already).
pub(crate) fn describe(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() { err.to_string() } else { parts.join(": ") }
}

/// Whether a failed connection failed in the TLS layer: rustls reports through an
/// `io::Error` of kind `InvalidData`, and its messages speak of certificates and handshakes.
fn is_tls_failure(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::InvalidData) {
            return true;
        }
        let text = cause.to_string().to_ascii_lowercase();
        if ["tls", "certificate", "handshake", "corrupt message"].iter().any(|word| text.contains(word)) {
            return true;
        }
        source = cause.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_request_and_what_to_check() {
        let timeout = TargetError::Timeout {
            request: "PATCH https://h/scim/Users/42".into(),
            timeout: Duration::from_millis(300),
        };
        assert_eq!(
            timeout.to_string(),
            "PATCH https://h/scim/Users/42: no complete response within 0.3 s (the request timeout); check that the target is up and not stuck, or raise the timeout with --timeout SECS (SCIMSIM_TIMEOUT)"
        );
        let token = TargetError::Token {
            request: "GET https://h/Users".into(),
            token_url: "https://idp/token".into(),
            status: Some(401),
            detail: "HTTP 401: {\"error\":\"invalid_client\"}".into(),
        };
        assert!(
            token.to_string().starts_with(
                "GET https://h/Users: could not get an OAuth access token from https://idp/token: HTTP 401"
            )
        );
        assert_eq!(token.exit_code(), exit_code::USAGE);
        assert_eq!(timeout.exit_code(), exit_code::TRANSPORT);
    }
}
