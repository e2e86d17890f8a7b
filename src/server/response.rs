//! SCIM responses: `application/scim+json` bodies, SCIM error bodies, and the headers that go
//! with a resource (`ETag`, `Location`).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::scim::ScimError;

/// The media type of every SCIM body (RFC 7644 §8.1).
pub const SCIM_JSON: &str = "application/scim+json";

/// A response with an optional JSON body (already serialized) and extra headers.
#[derive(Debug)]
pub(crate) struct ScimResponse {
    status: StatusCode,
    body: Option<Vec<u8>>,
    headers: HeaderMap,
}

impl ScimResponse {
    /// `status` with `body` as JSON, serialized right away: a body may borrow from the store.
    pub(crate) fn json(status: StatusCode, body: &impl Serialize) -> Self {
        Self { status, body: Some(to_json(body)), headers: HeaderMap::new() }
    }

    /// `status` without a body (204, 304).
    pub(crate) fn empty(status: StatusCode) -> Self {
        Self { status, body: None, headers: HeaderMap::new() }
    }

    /// Adds a header whose value the server produced (a version or a URL).
    pub(crate) fn header(mut self, name: header::HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.insert(name, value);
        }
        self
    }
}

/// `body` as JSON bytes.
fn to_json(body: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec())
}

/// A SCIM JSON response with the serialized `bytes`.
fn scim_body(status: StatusCode, bytes: Vec<u8>, mut headers: HeaderMap) -> Response {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

impl IntoResponse for ScimResponse {
    fn into_response(self) -> Response {
        match self.body {
            Some(bytes) => scim_body(self.status, bytes, self.headers),
            None => {
                let mut response = Response::new(Body::empty());
                *response.status_mut() = self.status;
                *response.headers_mut() = self.headers;
                response
            }
        }
    }
}

/// Renders a [`ScimError`] as its RFC 7644 §3.12 body. A 401 also says how to authenticate.
pub(crate) fn error_response(error: &ScimError, mut headers: HeaderMap) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status == StatusCode::UNAUTHORIZED {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"scimsim\""));
    }
    scim_body(status, to_json(&error.to_json()), headers)
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        error_response(&self, HeaderMap::new())
    }
}
