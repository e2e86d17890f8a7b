//! One header of an IdP's request, checked once, when it is made.

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};

/// Why a header value cannot be sent: the HTTP stack refuses control characters in a value.
const BAD_VALUE: &str = "the value holds a control character or a non-ASCII byte";

/// One header an IdP puts on a request. Its name and value are checked as HTTP requires when
/// it is made, not when each request is sent: an IdP's envelope makes its fixed headers once
/// and hands every request a clone, which shares their bytes, so a load run does not check
/// and copy the same `Content-Type` thousands of times a second.
///
/// A header that cannot go on the wire (a space in its name, a line break in its value) is
/// kept as written, with the reason: the client fails the request that carries it, naming it
/// ([`TargetError::InvalidHeader`](super::TargetError::InvalidHeader)), as it fails for
/// anything else wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHeader(Form);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    /// A header the HTTP stack sends as it is.
    Sendable(HeaderName, HeaderValue),
    /// A header as written, and what is wrong with it.
    Unsendable { name: String, value: String, reason: String },
}

impl RequestHeader {
    /// `name: value`, checked.
    pub fn new(name: &str, value: impl Into<String>) -> Self {
        match HeaderName::from_bytes(name.as_bytes()) {
            Ok(checked) => Self::with_value(checked, name, value.into()),
            Err(err) => Self::unsendable(name, value.into(), err.to_string()),
        }
    }

    /// A header whose name is known to be valid (a constant), with `value` checked.
    pub fn named(name: &HeaderName, value: String) -> Self {
        Self::with_value(name.clone(), name.as_str(), value)
    }

    /// `name: value` with `value` checked; a value that cannot be sent is reported under
    /// `written`, the name as written.
    fn with_value(name: HeaderName, written: &str, value: String) -> Self {
        // The value's own buffer becomes the header's, shared by every clone of it (the HTTP
        // stack clones each header it sends) rather than copied.
        let bytes = Bytes::from_owner(value);
        match HeaderValue::from_maybe_shared(bytes.clone()) {
            Ok(checked) => Self(Form::Sendable(name, checked)),
            Err(_) => Self::unsendable(written, String::from_utf8_lossy(&bytes).into_owned(), BAD_VALUE.into()),
        }
    }

    /// A header made of constants. Panics when `value` holds anything but visible ASCII, as
    /// [`HeaderValue::from_static`] does: for values written in the source only.
    pub const fn from_static(name: HeaderName, value: &'static str) -> Self {
        Self(Form::Sendable(name, HeaderValue::from_static(value)))
    }

    fn unsendable(name: &str, value: String, reason: String) -> Self {
        Self(Form::Unsendable { name: name.to_string(), value, reason })
    }

    /// The name: lower-case for a header that can be sent (as it goes on the wire), as
    /// written for one that cannot.
    pub fn name(&self) -> &str {
        match &self.0 {
            Form::Sendable(name, _) => name.as_str(),
            Form::Unsendable { name, .. } => name,
        }
    }

    /// The value as written.
    pub fn value(&self) -> &str {
        match &self.0 {
            // Made from a `str`, so always UTF-8 (a value may hold non-ASCII characters).
            Form::Sendable(_, value) => std::str::from_utf8(value.as_bytes()).unwrap_or_default(),
            Form::Unsendable { value, .. } => value,
        }
    }

    /// The name and value to put on the wire; or, for a header that cannot be sent, its name
    /// as written and why it cannot.
    pub(crate) fn sendable(&self) -> Result<(&HeaderName, &HeaderValue), (&str, &str)> {
        match &self.0 {
            Form::Sendable(name, value) => Ok((name, value)),
            Form::Unsendable { name, reason, .. } => Err((name, reason)),
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::CONTENT_TYPE;

    use super::*;

    #[test]
    fn valid_headers_are_sendable_under_their_lower_case_name() {
        let header = RequestHeader::new("ADSCIMVersion", "Date:2026-01-01, ActivityId:é");
        assert_eq!((header.name(), header.value()), ("adscimversion", "Date:2026-01-01, ActivityId:é"));
        let (name, value) = header.sendable().unwrap();
        assert_eq!((name.as_str(), value.as_bytes()), ("adscimversion", "Date:2026-01-01, ActivityId:é".as_bytes()));
        let fixed = RequestHeader::from_static(CONTENT_TYPE, "application/scim+json");
        assert_eq!(fixed, RequestHeader::new("Content-Type", "application/scim+json"));
        assert_eq!(RequestHeader::named(&CONTENT_TYPE, "application/scim+json".into()), fixed);
    }

    #[test]
    fn invalid_headers_keep_what_was_written_and_why() {
        let name = RequestHeader::new("Bad Name", "x");
        assert_eq!((name.name(), name.value()), ("Bad Name", "x"));
        assert_eq!(name.sendable().unwrap_err(), ("Bad Name", "invalid HTTP header name"));
        let value = RequestHeader::new("X-Note", "one\ntwo");
        assert_eq!((value.name(), value.value()), ("X-Note", "one\ntwo"));
        assert_eq!(value.sendable().unwrap_err(), ("X-Note", BAD_VALUE));
        let named = RequestHeader::named(&CONTENT_TYPE, "a\rb".into());
        assert_eq!(named.sendable().unwrap_err(), ("content-type", BAD_VALUE));
    }
}
