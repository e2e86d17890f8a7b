//! A request exactly as an IdP would send it.

use reqwest::Method;

use super::{RequestBody, RequestHeader};

/// One request an IdP engine wants on the wire. The client sends it unchanged: the path
/// appended to the base URL, the query verbatim (the IdP chose its encoding: Entra
/// `filter=userName+eq+%22x%22`, Okta `filter=userName%20eq%20%22x%22&startIndex=1&count=100`),
/// the headers as given, the body's JSON text (a document's in its key order). The client adds
/// only `Authorization`; it adds no `Content-Type` or `User-Agent` of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path relative to the base URL, e.g. `/Users/42`.
    pub path: String,
    /// The query string, already encoded, without the `?`.
    pub query: Option<String>,
    /// The IdP's own headers in order (`Content-Type`, `Accept`, `User-Agent`,
    /// `ADSCIMVersion`, …), each checked when it was made.
    pub headers: Vec<RequestHeader>,
    /// The JSON body.
    pub body: Option<RequestBody>,
}

impl OutgoingRequest {
    /// A request with no query, headers or body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self { method, path: path.into(), query: None, headers: Vec::new(), body: None }
    }

    /// Sets the already-encoded query string.
    #[must_use]
    pub fn with_query(mut self, query: impl Into<String>) -> Self {
        self.query = Some(query.into());
        self
    }

    /// Adds one header (names are sent lower-case, as HTTP/1.1 allows).
    #[must_use]
    pub fn with_header(self, name: &str, value: impl Into<String>) -> Self {
        self.with(RequestHeader::new(name, value))
    }

    /// Adds one header made beforehand (an envelope's fixed headers are made once).
    #[must_use]
    pub fn with(mut self, header: RequestHeader) -> Self {
        self.headers.push(header);
        self
    }

    /// Sets the JSON body.
    #[must_use]
    pub fn with_body(mut self, body: impl Into<RequestBody>) -> Self {
        self.body = Some(body.into());
        self
    }
}
