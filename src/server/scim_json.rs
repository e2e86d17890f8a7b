//! The request-body extractor: JSON in a SCIM media type, at most [`MAX_BODY_BYTES`].

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde_json::Value;

use crate::scim::ScimError;

/// The largest request body accepted; larger ones get `413` (the limit is also enforced while
/// reading, so a lying `Content-Length` cannot get past it).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON request body sent as `application/scim+json` or `application/json` (RFC 7644 §3.1:
/// servers accept both), or with no `Content-Type` at all.
#[derive(Debug)]
pub(crate) struct ScimJson(pub(crate) Value);

impl<S: Send + Sync> FromRequest<S> for ScimJson {
    type Rejection = ScimError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(content_type) = req.headers().get(CONTENT_TYPE) {
            let text = content_type.to_str().unwrap_or_default();
            let essence = text.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            if essence != "application/scim+json" && essence != "application/json" {
                return Err(ScimError::new(
                    415,
                    format!("Content-Type {text:?} is not JSON; send application/scim+json"),
                ));
            }
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status().as_u16() == 413 {
                ScimError::new(413, format!("the request body is larger than {MAX_BODY_BYTES} bytes"))
            } else {
                ScimError::invalid_syntax(format!("could not read the request body: {}", rejection.body_text()))
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ScimError::invalid_syntax("the request body is empty; send a JSON object"));
        }
        serde_json::from_slice(&bytes)
            .map(ScimJson)
            .map_err(|e| ScimError::invalid_syntax(format!("the request body is not valid JSON: {e}")))
    }
}
