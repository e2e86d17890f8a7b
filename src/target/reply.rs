//! What the target answered, for the IdP engine to act on.

use std::borrow::Cow;
use std::time::Duration;

use reqwest::header::{AsHeaderName, HeaderMap};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

use super::AnswerBody;

/// The target's answer to one request. Unlike the recorded exchange, nothing here is
/// redacted: the engine needs the real values (ids, ETags).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The headers as the HTTP stack read them: kept, not copied, since the engines read
    /// few of them ([`Reply::header`]).
    pub headers: HeaderMap,
    /// The body, decoded when read: parsed JSON, `{"raw": "…"}` when it is not JSON, `None`
    /// when empty.
    pub body: AnswerBody,
    /// How long the target asked the IdP to wait (`Retry-After` in seconds or as an
    /// HTTP-date), for Okta's 429 back-off and Entra's escrow retries.
    pub retry_after: Option<Duration>,
    /// Wall-clock time from sending the request to reading the whole response.
    pub elapsed: Duration,
}

impl Reply {
    /// A header's value by name (a `&str` in any case, or a `HeaderName`), as the transcript
    /// records it: read as lossy UTF-8, a repeated header's values joined with `, ` in order
    /// (RFC 9110 §5.3).
    pub fn header(&self, name: impl AsHeaderName) -> Option<Cow<'_, str>> {
        let mut values = self.headers.get_all(name).iter().map(|value| String::from_utf8_lossy(value.as_bytes()));
        let first = values.next()?;
        Some(values.fold(first, |joined, value| Cow::Owned(format!("{joined}, {value}"))))
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The longest wait a `Retry-After` asks for that scimsim honours: one day. The IdPs wait on
/// a virtual clock, so a longer value costs no time, but a server's nonsense
/// (`Retry-After: 99999999999999999999`, a date in the year 9999) would otherwise carry that
/// clock past what a `Duration` holds.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Reads `Retry-After` (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date measured from the
/// response's `Date` when it has one (the server's clock), else from `now`. A date in the
/// past means no wait; a wait above [`MAX_RETRY_AFTER`] is cut to it. Only the IMF-fixdate
/// form of HTTP-date is understood, the one senders must generate (RFC 9110 §5.6.7); anything
/// else (negative, fractional, garbage) is `None`.
pub(crate) fn parse_retry_after(value: &str, date: Option<&str>, now: OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Some(seconds) = delay_seconds(value) {
        return Some(seconds);
    }
    let at = OffsetDateTime::parse(value, &Rfc2822).ok()?;
    let base = date.and_then(|date| OffsetDateTime::parse(date.trim(), &Rfc2822).ok()).unwrap_or(now);
    Some(Duration::try_from(at - base).unwrap_or(Duration::ZERO).min(MAX_RETRY_AFTER))
}

/// `Retry-After`'s delay-seconds form: ASCII digits only, as a wait of at most
/// [`MAX_RETRY_AFTER`] (however many digits); `None` for anything else.
pub(crate) fn delay_seconds(value: &str) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(value.parse().map_or(MAX_RETRY_AFTER, Duration::from_secs).min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2015-10-21 07:27:00 UTC);

    #[test]
    fn seconds() {
        assert_eq!(parse_retry_after("120", None, NOW), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 0 ", None, NOW), Some(Duration::ZERO));
    }

    #[test]
    fn waits_are_capped_at_a_day() {
        for huge in ["99999999999999999999", "99999999999999999999999", "86401", "18446744073709551615"] {
            assert_eq!(parse_retry_after(huge, None, NOW), Some(MAX_RETRY_AFTER), "{huge}");
        }
        assert_eq!(parse_retry_after("86400", None, NOW), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", None, NOW), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn http_dates() {
        let at = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(parse_retry_after(at, None, NOW), Some(Duration::from_secs(60)));
        // The server's own Date wins over the local clock.
        assert_eq!(parse_retry_after(at, Some("Wed, 21 Oct 2015 07:27:30 GMT"), NOW), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after(at, Some("Wed, 21 Oct 2015 08:00:00 GMT"), NOW), Some(Duration::ZERO));
    }

    #[test]
    fn headers_read_as_recorded() {
        let mut headers = HeaderMap::new();
        headers.append("set-cookie", "a=1".parse().unwrap());
        headers.append("set-cookie", "b=2".parse().unwrap());
        headers.append("x-name", reqwest::header::HeaderValue::from_bytes(b"caf\xe9").unwrap());
        let reply =
            Reply { status: 200, headers, body: AnswerBody::default(), retry_after: None, elapsed: Duration::ZERO };
        assert_eq!(reply.header("Set-Cookie").as_deref(), Some("a=1, b=2"));
        assert_eq!(reply.header("x-name").as_deref(), Some("caf\u{fffd}"));
        assert_eq!(reply.header("etag"), None);
    }

    #[test]
    fn garbage() {
        assert_eq!(parse_retry_after("", None, NOW), None);
        assert_eq!(parse_retry_after("soon", None, NOW), None);
        assert_eq!(parse_retry_after("-5", None, NOW), None);
        assert_eq!(parse_retry_after("1.5", None, NOW), None);
        assert_eq!(parse_retry_after("+5", None, NOW), None);
        assert_eq!(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", None, NOW), Some(Duration::ZERO));
    }
}
