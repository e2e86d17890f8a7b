//! Bearer-token authentication on every endpoint (RFC 7644 §2, RFC 6750).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::scim::ScimError;

/// The token clients must present.
#[derive(Debug, Clone)]
pub(crate) struct BearerToken(pub(crate) Arc<str>);

/// Rejects requests without `Authorization: Bearer <token>` with a SCIM `401`.
pub(crate) async fn require_bearer(State(expected): State<BearerToken>, request: Request, next: Next) -> Response {
    let presented = request.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::trim);
    let detail = match presented {
        None => "missing Authorization header; send Authorization: Bearer <token>",
        Some(value) => match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
                if constant_time_eq(token.trim().as_bytes(), expected.0.as_bytes()) {
                    return next.run(request).await;
                }
                "the bearer token is not the one this server was started with"
            }
            _ => "the Authorization header is not a bearer token; send Authorization: Bearer <token>",
        },
    };
    ScimError::new(401, detail).into_response()
}

/// Compares without an early exit, so response timing does not reveal a token's prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
