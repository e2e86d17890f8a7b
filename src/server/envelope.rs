//! Makes every response a SCIM response, including the ones the HTTP framework produces
//! itself (no route, wrong method, unreadable path): errors get an RFC 7644 §3.12 body and
//! `application/scim+json`. Also answers `406` to clients that accept no JSON.

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::scim::ScimError;

use super::response::{SCIM_JSON, error_response};

/// The middleware.
pub(crate) async fn scim_envelope(request: Request, next: Next) -> Response {
    if let Some(accept) = request.headers().get(ACCEPT).and_then(|a| a.to_str().ok())
        && !accepts_json(accept)
    {
        return ScimError::new(406, format!("Accept {accept:?} allows no JSON; accept application/scim+json"))
            .into_response();
    }
    let response = next.run(request).await;
    let is_scim =
        response.headers().get(CONTENT_TYPE).and_then(|c| c.to_str().ok()).is_some_and(|c| c.starts_with(SCIM_JSON));
    let status = response.status();
    if is_scim || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text =
        to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).trim().to_string()).unwrap_or_default();
    let detail = if text.is_empty() { describe(status) } else { text };
    let mut headers = HeaderMap::new();
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            headers.insert(name.clone(), value.clone());
        }
    }
    error_response(&ScimError::new(status.as_u16(), detail), headers)
}

fn describe(status: StatusCode) -> String {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => "method not allowed on this endpoint".into(),
        StatusCode::NOT_FOUND => "no SCIM endpoint at this path".into(),
        other => other.canonical_reason().unwrap_or("error").into(),
    }
}

/// True when the `Accept` header admits `application/scim+json` or `application/json`.
fn accepts_json(accept: &str) -> bool {
    accept.split(',').any(|range| {
        let media = range.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        matches!(media.as_str(), "*/*" | "application/*" | "application/json" | "application/scim+json" | "")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_negotiation() {
        assert!(accepts_json("application/scim+json"));
        assert!(accepts_json("application/json;q=0.9, text/html"));
        assert!(accepts_json("*/*"));
        assert!(!accepts_json("text/html"));
        assert!(!accepts_json("text/html, application/xhtml+xml"));
    }
}
