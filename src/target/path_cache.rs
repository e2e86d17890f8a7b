//! The parsed URL of the path a client sent to last, for the next requests to that path.

use std::sync::{Mutex, PoisonError};

use reqwest::Url;

/// The URL of the last request, without its query, as the URL parser read it, under the
/// request's path. An IdP sends request after request to one collection (Entra's match query
/// `GET /Users?filter=…`, then its `POST /Users`; Okta's the same), and parsing a URL costs
/// thousands of instructions, most of them on the path. A request to the same path starts from
/// this parse and has only its query read, by the same parser, so its URL is the one parsing
/// it whole gives. One client sends to one base URL, so the path names the URL.
#[derive(Debug, Default)]
pub(super) struct PathCache(Mutex<Option<(String, Url)>>);

impl PathCache {
    /// The URL of a request to `path` with `query` (as [`OutgoingRequest`](super::OutgoingRequest)
    /// holds them), when `path` is the cached one and both are read the same apart as in the
    /// whole URL; `None` otherwise.
    pub(super) fn get(&self, path: &str, query: Option<&str>) -> Option<Url> {
        let query = reusable(path, query)?;
        let mut parsed = {
            let cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            match &*cached {
                Some((cached_path, parsed)) if cached_path == path => parsed.clone(),
                _ => return None,
            }
        };
        if query.is_some() {
            parsed.set_query(query);
        }
        Some(parsed)
    }

    /// Keeps `parsed`, the whole URL of a request to `path` with `query`, for the next
    /// requests to `path`; not when [`PathCache::get`] could not use it.
    pub(super) fn keep(&self, path: &str, query: Option<&str>, parsed: &Url) {
        if reusable(path, query).is_none() || parsed.fragment().is_some() {
            return;
        }
        let mut bare = parsed.clone();
        bare.set_query(None);
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some((path.to_string(), bare));
    }
}

/// The query a URL with `path` and `query` has (an empty one adds none), when the URL parser
/// reads the path and the query apart as it reads them in the whole URL; `None` when it may
/// not. A `?` or `#` in the path starts the query or a fragment there. Parsing a whole URL
/// trims spaces and control characters from its end, which is the path's end when the path is
/// parsed alone (the base URL's end for an empty path, so that is not cached), and drops tabs
/// and line breaks anywhere; a `#` in the query starts a fragment. A query of other characters
/// (non-ASCII ones are percent-encoded alike either way) is read the same.
fn reusable<'q>(path: &str, query: Option<&'q str>) -> Option<Option<&'q str>> {
    let plain = |byte: u8| byte > b' ' && byte != 0x7f && byte != b'#';
    let path_plain = !path.contains(['?', '#']) && path.bytes().last().is_some_and(|byte| byte > b' ');
    let query = query.filter(|query| !query.is_empty());
    (path_plain && query.is_none_or(|query| query.bytes().all(plain))).then_some(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Url {
        Url::parse(url).unwrap()
    }

    #[test]
    fn a_request_to_the_last_path_reuses_its_parse_with_its_own_query() {
        let cache = PathCache::default();
        let first = Some("filter=userName+eq+%22a%22");
        assert_eq!(cache.get("/Users", first), None, "nothing cached yet");
        cache.keep("/Users", first, &parse("https://h/scim/Users?filter=userName+eq+%22a%22"));
        let users = |query: &str| Some(parse(&format!("https://h/scim/Users{query}")));
        assert_eq!(cache.get("/Users", None), users(""));
        assert_eq!(cache.get("/Users", Some("")), users(""), "an empty query adds none");
        assert_eq!(cache.get("/Users", Some("b=%22%C3%A9%22&c=é")), users("?b=%22%C3%A9%22&c=é"));
        assert_eq!(cache.get("/Groups", None), None, "another path");
        cache.keep("/Groups/1", None, &parse("https://h/scim/Groups/1"));
        assert_eq!(cache.get("/Users", None), None, "only the last path is kept");
    }

    #[test]
    fn what_the_parser_reads_differently_apart_is_not_cached() {
        let cache = PathCache::default();
        cache.keep("/Users", None, &parse("https://h/Users"));
        for query in ["a b", "a ", "a\tb", "a#b", "a\u{7f}"] {
            assert_eq!(cache.get("/Users", Some(query)), None, "{query:?}");
        }
        for path in ["/Users ", "/Users\t", "/Users?x", "/Us#ers", ""] {
            assert_eq!(reusable(path, None), None, "{path:?}");
        }
        assert_eq!(reusable("/Users", Some("a?b")), Some(Some("a?b")));
    }
}
