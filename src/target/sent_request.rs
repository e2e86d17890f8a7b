//! A request as it went on the wire, kept to be sent again: `scimsim load --baseline` sends a
//! load run's requests once more through a plain reqwest loop, and needs them as they were
//! sent, not as the IdP engine built them.

use bytes::Bytes;
use reqwest::Method;

use super::RequestHeader;

/// One request as sent, for a client whose [`Recording`](super::Recording) keeps them: the
/// path and query relative to the base URL, the IdP's own headers (not the `Authorization`
/// the client added), the body's bytes, and the id a `201` to a create returned, by which
/// later requests name the object.
#[derive(Debug, Clone)]
pub struct SentRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path relative to the base URL, e.g. `/Users/42`.
    pub path: String,
    /// The encoded query, without `?`.
    pub query: Option<String>,
    /// The IdP's headers, in order (their bytes shared with the request's, not copied).
    pub headers: Vec<RequestHeader>,
    /// The body as serialized on the wire: shared with the request that carried it, not a copy.
    pub body: Option<Bytes>,
    /// The id of the object a `201` to this create made.
    pub created: Option<String>,
}
