//! The transport envelope of every Okta request (okta-wire.md §1.0): its headers, and the
//! query strings of existence checks and paged reads.

use reqwest::Method;
use reqwest::header;

use crate::target::{OutgoingRequest, RequestBody, RequestHeader};

use super::settings::{FilterEncoding, Options};

/// The `User-Agent` of Okta's SCIM client (CAP2019, REF20, and a current KB article).
pub const USER_AGENT: &str = "Okta SCIM Client 1.0.0";
/// The `Accept` Okta sends; servers that refuse it fail silently (KB, okta-wire.md §1.0).
pub const ACCEPT: &str = "application/scim+json";
/// The `Accept-Charset` Okta sends.
pub const ACCEPT_CHARSET: &str = "utf-8";
/// The body media type of SCIM 2.0 apps (SCIM 1.1 apps send `application/json`).
pub const CONTENT_TYPE: &str = "application/scim+json; charset=utf-8";
/// Okta reads lists in pages of 100 (REF20).
pub const PAGE_SIZE: usize = 100;

/// `filter=<attribute> eq "<value>"&startIndex=1&count=100`, the existence check of REF20, in
/// that parameter order. The value is escaped as a SCIM string, then URL-encoded as Java's
/// `URLEncoder` does, with `%20` for spaces ([`FilterEncoding::Percent`]) or `+`
/// ([`FilterEncoding::Form`]).
pub fn filter_query(attribute: &str, value: &str, encoding: FilterEncoding) -> String {
    let mut query = String::with_capacity(64 + 3 * (attribute.len() + value.len()));
    query.push_str("filter=");
    let space = match encoding {
        FilterEncoding::Percent => "%20",
        FilterEncoding::Form => "+",
    };
    encode_into(&mut query, attribute, space, false);
    encode_into(&mut query, " eq ", space, false);
    // The value as a SCIM string: quoted, `\` and `"` escaped.
    query.push_str("%22");
    encode_into(&mut query, value, space, true);
    query.push_str("%22&");
    push_page_query(&mut query, 1, PAGE_SIZE);
    query
}

/// Appends `text` URL-encoded as Java's `URLEncoder` (and `form_urlencoded::byte_serialize`)
/// does: ASCII letters, digits and `*-._` as they are, a space as `space`, every other byte as
/// `%XX`; with `scim_escape`, each `\` and `"` preceded by an encoded `\`. Runs of plain
/// characters are copied whole: a load run makes one query per user, and encoding byte by
/// byte costs several times the bytes.
fn encode_into(query: &mut String, mut text: &str, space: &str, scim_escape: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let plain = |byte: u8| matches!(byte, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_');
    // Every byte before the first that is not plain is ASCII, so that byte starts a character.
    while let Some(at) = text.bytes().position(|byte| !plain(byte)) {
        let Some(special) = text[at..].chars().next() else { break };
        query.push_str(&text[..at]);
        if scim_escape && matches!(special, '\\' | '"') {
            query.push_str("%5C");
        }
        if special == ' ' {
            query.push_str(space);
        } else {
            for byte in special.encode_utf8(&mut [0; 4]).bytes() {
                query.push('%');
                query.push(char::from(HEX[usize::from(byte >> 4)]));
                query.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
        }
        text = &text[at + special.len_utf8()..];
    }
    query.push_str(text);
}

/// `startIndex=<start>&count=<count>`, Okta's order (REF20; the 2016 suite wrote `count`
/// first).
pub fn page_query(start: usize, count: usize) -> String {
    let mut query = String::with_capacity(32);
    push_page_query(&mut query, start, count);
    query
}

/// Appends [`page_query`]'s parameters to `query`.
fn push_page_query(query: &mut String, start: usize, count: usize) {
    let mut digits = itoa::Buffer::new();
    query.push_str("startIndex=");
    query.push_str(digits.format(start));
    query.push_str("&count=");
    query.push_str(digits.format(count));
}

/// `User-Agent`, `Accept` and `Accept-Charset`, which every request carries: made once, and
/// each request gets a clone, which shares their bytes.
static FIXED_HEADERS: [RequestHeader; 3] = [
    RequestHeader::from_static(header::USER_AGENT, USER_AGENT),
    RequestHeader::from_static(header::ACCEPT, ACCEPT),
    RequestHeader::from_static(header::ACCEPT_CHARSET, ACCEPT_CHARSET),
];

/// The `Content-Type` of requests with a body.
static CONTENT_TYPE_HEADER: RequestHeader = RequestHeader::from_static(header::CONTENT_TYPE, CONTENT_TYPE);

/// Builds Okta's requests.
#[derive(Debug, Clone)]
pub(super) struct Envelope {
    options: Options,
}

impl Envelope {
    pub(super) fn new(options: Options) -> Self {
        Self { options }
    }

    /// The options requests follow.
    pub(super) fn options(&self) -> &Options {
        &self.options
    }

    /// A request with Okta's headers: `User-Agent`, `Accept`, `Accept-Charset` on every
    /// request, `Content-Type` on those with a body (and on DELETE when
    /// [`Options::content_type_on_delete`] says so). The 2019 captures also show
    /// `Connection: Keep-Alive` and `Accept-Encoding: gzip,deflate`; the current docs leave
    /// them out, and so does the simulator.
    pub(super) fn request(
        &self,
        method: Method,
        path: &str,
        query: Option<String>,
        body: Option<RequestBody>,
    ) -> OutgoingRequest {
        let delete = method == Method::DELETE;
        let mut request = OutgoingRequest::new(method, path);
        // Room for Content-Type as well at once.
        request.headers.reserve_exact(FIXED_HEADERS.len() + 1);
        request.headers.extend_from_slice(&FIXED_HEADERS);
        if let Some(query) = query {
            request = request.with_query(query);
        }
        if body.is_some() || (delete && self.options.content_type_on_delete) {
            request = request.with(CONTENT_TYPE_HEADER.clone());
        }
        if let Some(body) = body {
            request = request.with_body(body);
        }
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    proptest! {
        /// The query is what escaping the value as a SCIM string and then encoding each part
        /// with `form_urlencoded` gives, spaces as the encoding says.
        #[test]
        fn filters_encode_as_form_urlencoded_does(
            attribute in "[a-zA-Z.:]{1,12}",
            value in "[ -~\u{e9}\u{1F600}\t]{0,24}",
            percent in any::<bool>(),
        ) {
            let encoding = if percent { FilterEncoding::Percent } else { FilterEncoding::Form };
            let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
            let filter = format!("{attribute} eq \"{escaped}\"");
            let encoded: String = form_urlencoded::byte_serialize(filter.as_bytes())
                .map(|piece| if piece == "+" && percent { "%20" } else { piece })
                .collect();
            prop_assert_eq!(filter_query(&attribute, &value, encoding), format!("filter={encoded}&startIndex=1&count=100"));
        }
    }

    #[test]
    fn filters_are_encoded_as_ref20_and_cap2019_show() {
        assert_eq!(
            filter_query("userName", "test.user@okta.local", FilterEncoding::Percent),
            "filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100"
        );
        assert_eq!(
            filter_query("userName", "jane.doe@example.com", FilterEncoding::Form),
            "filter=userName+eq+%22jane.doe%40example.com%22&startIndex=1&count=100"
        );
        assert_eq!(
            filter_query("displayName", "Test SCIMv2", FilterEncoding::Percent),
            "filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100"
        );
        assert_eq!(
            filter_query("userName", "a+b \"c\"", FilterEncoding::Percent),
            "filter=userName%20eq%20%22a%2Bb%20%5C%22c%5C%22%22&startIndex=1&count=100"
        );
        assert_eq!(
            filter_query("userName", r"a\b", FilterEncoding::Form),
            "filter=userName+eq+%22a%5C%5Cb%22&startIndex=1&count=100"
        );
    }

    #[test]
    fn headers() {
        let envelope = Envelope::new(Options::default());
        let get = envelope.request(Method::GET, "/Users", Some(page_query(1, 2)), None);
        assert_eq!(get.query.as_deref(), Some("startIndex=1&count=2"));
        let written = |name: &str, value: &str| RequestHeader::new(name, value);
        assert_eq!(
            get.headers,
            [written("User-Agent", USER_AGENT), written("Accept", ACCEPT), written("Accept-Charset", ACCEPT_CHARSET)]
        );
        let post = envelope.request(Method::POST, "/Users", None, Some(json!({}).into()));
        assert!(post.headers.contains(&written("Content-Type", CONTENT_TYPE)));
        let delete = envelope.request(Method::DELETE, "/Groups/1", None, None);
        assert!(delete.headers.iter().all(|h| h.name() != "content-type"));
        let captured = Envelope::new(Options { content_type_on_delete: true, ..Options::default() });
        let delete = captured.request(Method::DELETE, "/Groups/1", None, None);
        assert!(delete.headers.iter().any(|h| h.name() == "content-type"));
    }
}
