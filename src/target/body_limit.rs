//! The most of a response body scimsim reads, and reading a body within it.
//!
//! A SCIM answer is kilobytes: a page of 100 users is about 100 KiB. A half-finished server,
//! or something else at the URL, may instead send a file, a log or a body that never ends. The
//! body is read chunk by chunk and given up as soon as it passes the limit, so memory stays
//! bounded whatever the target sends and however long the timeout is.

use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

use super::TargetError;
use super::error::describe;

/// The largest response body scimsim reads: 8 MiB, far above any SCIM answer an IdP asks for
/// (Entra reads groups without their members, Okta pages users 100 at a time) and small enough
/// that a few scenarios at once never hold much memory.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The most of a body an error message quotes.
const SNIPPET_CHARS: usize = 500;

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is larger than the limit ([`MAX_BODY_BYTES`] unless the reader chose another):
    /// its `Content-Length` says so, or reading passed the limit.
    TooLarge,
    /// The connection failed or timed out while reading.
    Read(reqwest::Error),
}

impl BodyError {
    /// The error of `request`, whose `status` arrived before its body failed; `reason` turns
    /// a read failure into text (the client redacts it).
    pub(crate) fn into_target_error(
        self,
        request: &str,
        status: u16,
        timeout: Duration,
        reason: impl FnOnce(&reqwest::Error) -> String,
    ) -> TargetError {
        let request = request.to_string();
        match self {
            BodyError::TooLarge => TargetError::BodyTooLarge { request, status },
            BodyError::Read(err) if err.is_timeout() => TargetError::Timeout { request, timeout },
            BodyError::Read(err) => TargetError::Body { request, status, reason: reason(&err) },
        }
    }
}

/// Reads `response`'s body, failing as soon as it is known to exceed [`MAX_BODY_BYTES`].
///
/// The body is copied into a buffer of its own size even when it came in one chunk: the
/// engines keep some answers for a whole cycle ([`AnswerBody`](super::AnswerBody)), and a
/// chunk split from the HTTP stack's read buffer would keep that whole buffer alive.
pub(crate) async fn read_body(response: reqwest::Response) -> Result<Vec<u8>, BodyError> {
    read_body_within(response, MAX_BODY_BYTES).await
}

/// Reads `response`'s body, failing as soon as it is known to exceed `limit` bytes: before
/// reading when `Content-Length` says so, otherwise at the chunk that passes the limit.
pub(crate) async fn read_body_within(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, BodyError> {
    let length = response.content_length().unwrap_or_default();
    if length > limit as u64 {
        return Err(BodyError::TooLarge);
    }
    // The length is within the limit, so it fits a usize.
    let mut body = Vec::with_capacity(usize::try_from(length).unwrap_or_default());
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The body as JSON, read within the limit; `None` when it is too large, unreadable or not
/// JSON. For a read whose failure only means "not known" (the target's
/// `/ServiceProviderConfig`).
pub(crate) async fn json_body(response: reqwest::Response) -> Option<Value> {
    serde_json::from_slice(&read_body(response).await.ok()?).ok()
}

/// The JSON answer to `request` (`METHOD URL`), a read or write of the target outside the
/// IdP's traffic (assertions, setup steps): `Null` for an empty body. A body that is not JSON,
/// too large, unreadable or late (`timeout`) is an error naming the request and quoting the
/// start of the body.
pub(crate) async fn read_json(request: &str, response: reqwest::Response, timeout: Duration) -> Result<Value, String> {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map_or("no Content-Type".into(), |v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let bytes = read_body(response)
        .await
        .map_err(|err| err.into_target_error(request, status, timeout, describe).to_string())?;
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&bytes).map_err(|_| {
        format!("{request}: HTTP {status} with a body that is not JSON ({content_type}): {}", snippet(&bytes))
    })
}

/// A body quoted in an error message: lossy UTF-8, trimmed, cut at [`SNIPPET_CHARS`].
pub(crate) fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    if text.is_empty() {
        return "(empty body)".to_string();
    }
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_cut() {
        assert_eq!(snippet(b""), "(empty body)");
        assert_eq!(snippet(b" {\"error\":\"invalid_client\"}\n"), "{\"error\":\"invalid_client\"}");
        let long = "é".repeat(SNIPPET_CHARS + 10);
        assert_eq!(snippet(long.as_bytes()).chars().count(), SNIPPET_CHARS + 1);
    }
}
