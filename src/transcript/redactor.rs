//! Keeping secrets out of transcripts, reports and error messages.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use memchr::memmem::Finder;
use serde_json::{Map, Value};

use super::Exchange;

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Header names whose values are credentials whatever they hold: the IdP's token, and the
/// session cookies a target may hand out and take back.
const CREDENTIAL_HEADERS: [&str; 4] = ["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// Replaces known secrets with [`REDACTED`] wherever they appear: header values, JSON strings
/// and object keys at any depth, paths, queries and error messages.
///
/// DESIGN.md: tokens never appear in output. Secrets can be added while a run goes on
/// ([`add_secret`](Self::add_secret)), because OAuth access tokens arrive mid-run. A secret
/// shorter than [`MIN_SECRET_LEN`](Self::MIN_SECRET_LEN) is ignored: replacing two-letter
/// strings would shred every body, and such a secret protects nothing anyway. Each secret is
/// also looked for in its form-encoded, percent-encoded and JSON-escaped spellings, the ways a
/// target or token endpoint may echo it back.
#[derive(Clone, Default)]
pub struct Redactor {
    /// A searcher for every spelling to look for, without duplicates: a searcher is set up
    /// once per secret, not for every text searched (an engine's log redacts each message).
    needles: Vec<Finder<'static>>,
}

impl fmt::Debug for Redactor {
    /// Says how many spellings it knows, never what they are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor").field("needles", &self.needles.len()).finish()
    }
}

impl Redactor {
    /// The shortest secret that is redacted.
    pub const MIN_SECRET_LEN: usize = 4;

    /// A redactor that knows `secrets` (short or empty ones are skipped).
    pub fn new<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let mut redactor = Self::default();
        for secret in secrets {
            redactor.add_secret(secret.as_ref());
        }
        redactor
    }

    /// Learns one more secret (and its encoded spellings); later redactions hide it too.
    pub fn add_secret(&mut self, secret: &str) {
        if secret.chars().count() < Self::MIN_SECRET_LEN {
            return;
        }
        let form: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let percent = form.replace('+', "%20");
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json.trim_matches('"').to_string();
        for needle in [secret.to_string(), form, percent, json] {
            if needle.len() >= Self::MIN_SECRET_LEN && !self.needles.iter().any(|n| n.needle() == needle.as_bytes()) {
                self.needles.push(Finder::new(&needle).into_owned());
            }
        }
    }

    /// Learns the secrets in an `Authorization` (or `Proxy-Authorization`) value: the whole
    /// value, the credential after its scheme (`Bearer <token>`, Okta's `SSWS <token>`), and
    /// for `Basic` the decoded `user:password` and the password, so an echo of any of them is
    /// hidden.
    pub fn add_authorization(&mut self, value: &str) {
        self.add_secret(value);
        let Some((scheme, credential)) = value.trim().split_once(' ') else { return };
        let credential = credential.trim();
        self.add_secret(credential);
        if scheme.eq_ignore_ascii_case("basic") {
            use base64::Engine as _;
            let decoded = base64::engine::general_purpose::STANDARD.decode(credential).unwrap_or_default();
            let decoded = String::from_utf8_lossy(&decoded);
            if let Some((_user, password)) = decoded.split_once(':') {
                self.add_secret(password);
                self.add_secret(&decoded);
            }
        }
    }

    /// Whether no secret is known.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// `text` with every occurrence of a secret replaced; overlapping or adjacent occurrences
    /// become one [`REDACTED`].
    pub fn redact_str<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut spans: Vec<(usize, usize)> = self
            .needles
            .iter()
            // Most texts are shorter than a secret: skipping them spares setting up a search.
            .filter(|needle| needle.needle().len() <= text.len())
            // A match of a whole UTF-8 needle starts and ends on character boundaries.
            .flat_map(|needle| needle.find_iter(text.as_bytes()).map(|start| (start, start + needle.needle().len())))
            .collect();
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        spans.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut cursor = 0;
        let mut spans = spans.into_iter().peekable();
        while let Some((start, mut end)) = spans.next() {
            while let Some(&(next_start, next_end)) = spans.peek() {
                if next_start > end {
                    break;
                }
                end = end.max(next_end);
                spans.next();
            }
            out.push_str(&text[cursor..start]);
            out.push_str(REDACTED);
            cursor = end;
        }
        out.push_str(&text[cursor..]);
        Cow::Owned(out)
    }

    /// Redacts a string in place.
    pub fn redact_string(&self, text: &mut String) {
        if let Cow::Owned(redacted) = self.redact_str(text) {
            *text = redacted;
        }
    }

    /// Redacts every string in a JSON document, object keys included, at any depth.
    pub fn redact_value(&self, value: &mut Value) {
        if self.is_empty() {
            return;
        }
        match value {
            Value::String(text) => self.redact_string(text),
            Value::Array(items) => items.iter_mut().for_each(|item| self.redact_value(item)),
            // Keys seldom hold a secret: the object is rebuilt (re-keyed) only when one does.
            Value::Object(map) if !map.keys().any(|key| matches!(self.redact_str(key), Cow::Owned(_))) => {
                map.values_mut().for_each(|item| self.redact_value(item));
            }
            Value::Object(map) => {
                let entries = std::mem::take(map);
                *map = entries
                    .into_iter()
                    .map(|(mut key, mut item)| {
                        self.redact_string(&mut key);
                        self.redact_value(&mut item);
                        (key, item)
                    })
                    .collect::<Map<String, Value>>();
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Redacts header values (names are lower-case); `authorization`, `proxy-authorization`,
    /// `cookie` and `set-cookie` become [`REDACTED`] whatever they hold.
    pub fn redact_headers(&self, headers: &mut BTreeMap<String, String>) {
        for (name, value) in headers.iter_mut() {
            if CREDENTIAL_HEADERS.contains(&name.as_str()) {
                *value = REDACTED.to_string();
            } else {
                self.redact_string(value);
            }
        }
    }

    /// Redacts everything in an exchange that could carry a secret: path, query, headers,
    /// bodies (including a secret the target echoes back), the error, and the scenario texts.
    pub fn redact_exchange(&self, exchange: &mut Exchange) {
        for text in [&mut exchange.scenario, &mut exchange.step, &mut exchange.request.path] {
            self.redact_string(text);
        }
        if let Some(query) = &mut exchange.request.query {
            self.redact_string(query);
        }
        self.redact_headers(&mut exchange.request.headers);
        if let Some(body) = &mut exchange.request.body {
            self.redact_value(body);
        }
        if let Some(response) = &mut exchange.response {
            self.redact_headers(&mut response.headers);
            if let Some(body) = &mut response.body {
                self.redact_value(body);
            }
        }
        if let Some(error) = &mut exchange.error {
            self.redact_string(error);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::transcript::{RecordedRequest, RecordedResponse};

    #[test]
    fn strings_are_redacted_everywhere_a_secret_occurs() {
        let redactor = Redactor::new(["s3cr3t-token"]);
        assert_eq!(redactor.redact_str("Bearer s3cr3t-token"), "Bearer [redacted]");
        assert_eq!(redactor.redact_str("s3cr3t-tokens3cr3t-token!"), "[redacted]!");
        assert_eq!(redactor.redact_str("a s3cr3t-token b s3cr3t-token"), "a [redacted] b [redacted]");
        assert!(matches!(redactor.redact_str("nothing here"), Cow::Borrowed("nothing here")));
    }

    #[test]
    fn short_and_empty_secrets_are_ignored() {
        let redactor = Redactor::new(["", "abc", "a"]);
        assert!(redactor.is_empty());
        assert_eq!(redactor.redact_str("abc a"), "abc a");
        assert_eq!(Redactor::new(["abcd"]).redact_str("xabcdx"), "x[redacted]x");
    }

    #[test]
    fn overlapping_secrets_redact_the_union() {
        let redactor = Redactor::new(["abcdef", "defghi", "cdef"]);
        assert_eq!(redactor.redact_str("xxabcdefghixx"), "xx[redacted]xx");
        // A secret that is part of the marker does not mangle it on a second pass.
        let dact = Redactor::new(["dact", "token123"]);
        let once = dact.redact_str("token123").into_owned();
        assert_eq!(once, "[redacted]");
        assert_eq!(Redactor::new(["token123"]).redact_str(&once), "[redacted]");
    }

    #[test]
    fn encoded_spellings_are_redacted() {
        let redactor = Redactor::new(["p@ss w+rd\"x"]);
        assert_eq!(redactor.redact_str("client_secret=p%40ss+w%2Brd%22x&a=1"), "client_secret=[redacted]&a=1");
        assert_eq!(redactor.redact_str("q=p%40ss%20w%2Brd%22x"), "q=[redacted]");
        assert_eq!(redactor.redact_str(r#"{"s":"p@ss w+rd\"x"}"#), r#"{"s":"[redacted]"}"#);
    }

    #[test]
    fn json_values_keys_and_nested_arrays() {
        let redactor = Redactor::new(["hunter22"]);
        let mut body = json!({
            "schemas": ["urn:x"],
            "hunter22": "key is the secret",
            "nested": {"list": [1, true, null, ["deep hunter22 deep"], {"k": "hunter22"}]},
            "z": "last"
        });
        redactor.redact_value(&mut body);
        assert_eq!(
            body.to_string(),
            r#"{"schemas":["urn:x"],"[redacted]":"key is the secret","nested":{"list":[1,true,null,["deep [redacted] deep"],{"k":"[redacted]"}]},"z":"last"}"#
        );
    }

    #[test]
    fn credential_headers_are_always_redacted() {
        let redactor = Redactor::default();
        let mut headers = BTreeMap::from([
            ("authorization".to_string(), "Basic Zm9vOmJhcg==".to_string()),
            ("proxy-authorization".to_string(), "x".to_string()),
            ("cookie".to_string(), "session=abc".to_string()),
            ("set-cookie".to_string(), "session=abc; HttpOnly".to_string()),
            ("x-other".to_string(), "visible".to_string()),
        ]);
        redactor.redact_headers(&mut headers);
        assert_eq!(headers["authorization"], REDACTED);
        assert_eq!(headers["proxy-authorization"], REDACTED);
        assert_eq!(headers["cookie"], REDACTED);
        assert_eq!(headers["set-cookie"], REDACTED);
        assert_eq!(headers["x-other"], "visible");
    }

    #[test]
    fn authorization_values_teach_their_credentials() {
        let mut redactor = Redactor::default();
        redactor.add_authorization("Bearer tok-12345");
        assert_eq!(redactor.redact_str("echo tok-12345"), "echo [redacted]");
        // RFC 7617 §2's example: the password is hidden where a target quotes it decoded.
        redactor.add_authorization("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(redactor.redact_str("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="), "[redacted]");
        assert_eq!(redactor.redact_str("bad password: open sesame"), "bad password: [redacted]");
        assert_eq!(redactor.redact_str("user Aladdin"), "user Aladdin");
        redactor.add_authorization("raw-api-token-without-scheme");
        assert_eq!(redactor.redact_str("raw-api-token-without-scheme"), "[redacted]");
    }

    #[test]
    fn secrets_added_later_are_redacted_later() {
        let mut redactor = Redactor::new(["static-token"]);
        assert_eq!(redactor.redact_str("access-xyz"), "access-xyz");
        redactor.add_secret("access-xyz");
        assert_eq!(redactor.redact_str("static-token access-xyz"), "[redacted] [redacted]");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let redactor = Redactor::new(["very-secret"]);
        assert!(!format!("{redactor:?}").contains("very-secret"));
    }

    #[test]
    fn a_whole_exchange_is_redacted() {
        let redactor = Redactor::new(["tok-9876"]);
        let mut exchange = Exchange {
            seq: 3,
            idp: "okta".into(),
            dialect: "oin".into(),
            scenario: "s".into(),
            step: "t".into(),
            scheduled_at: "PT0S".into(),
            request: RecordedRequest {
                method: "GET".into(),
                path: "/Users/tok-9876".into(),
                query: Some("token=tok-9876".into()),
                headers: BTreeMap::from([
                    ("authorization".into(), "Bearer tok-9876".into()),
                    ("x-echo".into(), "tok-9876".into()),
                ]),
                body: Some(json!({"a": ["tok-9876"]})),
            },
            response: Some(RecordedResponse {
                status: 401,
                headers: BTreeMap::from([("www-authenticate".into(), "Bearer error=tok-9876".into())]),
                body: Some(json!({"raw": "<p>you sent Bearer tok-9876</p>"})),
            }),
            error: Some("failed with tok-9876".into()),
            elapsed_ms: 0.5,
        };
        redactor.redact_exchange(&mut exchange);
        let text = serde_json::to_string(&exchange).unwrap();
        assert!(!text.contains("tok-9876"), "{text}");
        assert_eq!(exchange.request.headers["authorization"], REDACTED);
        assert_eq!(exchange.request.path, "/Users/[redacted]");
        assert_eq!(exchange.response.unwrap().body.unwrap()["raw"], "<p>you sent Bearer [redacted]</p>");
    }
}
