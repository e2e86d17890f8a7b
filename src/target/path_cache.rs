//! The parsed URL of the path a client sent to last, for the next requests to that path.

use std::sync::{Mutex, PoisonError};

use reqwest::Url;

/// The URL of the last request, without its query, as the URL parser read it. An IdP sends
/// request after request to one collection (Entra's match query `GET /Users?filter=…`, then
/// its `POST /Users`; Okta's the same), and parsing a URL costs thousands of instructions, most
/// of them on the path. A request to the same path starts from this parse and has only its
/// query read, by the same parser, so its URL is the one parsing it whole gives.
#[derive(Debug, Default)]
pub(super) struct PathCache(Mutex<Option<(String, Url)>>);

impl PathCache {
    /// `url` (a whole request URL) parsed, when its path is the cached one and its query is
    /// read the same after a parsed path as within the whole URL; `None` otherwise.
    pub(super) fn get(&self, url: &str) -> Option<Url> {
        let (path, query) = split(url)?;
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

    /// Keeps the path of `parsed`, the parse of the whole `url`, for the next requests to it.
    /// A URL whose query [`PathCache::get`] could not add to it again is not kept.
    pub(super) fn keep(&self, url: &str, parsed: &Url) {
        let Some((path, _)) = split(url) else { return };
        if parsed.fragment().is_some() {
            return;
        }
        let mut bare = parsed.clone();
        bare.set_query(None);
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some((path.to_string(), bare));
    }
}

/// `url` split at its first `?` into its path (all before) and its query; `None` when the URL
/// parser reads either differently apart than together. Parsing a whole URL trims spaces and
/// control characters from its end, which would be the path's end when parsed alone, and drops
/// tabs and line breaks; a `#` in the query starts a fragment. A query of other characters
/// (non-ASCII ones are percent-encoded alike either way) is read the same.
fn split(url: &str) -> Option<(&str, Option<&str>)> {
    let Some((path, query)) = url.split_once('?') else { return Some((url, None)) };
    let plain = |byte: u8| byte > b' ' && byte != 0x7f && byte != b'#';
    let path_end_kept = path.bytes().last().is_none_or(|byte| byte > b' ');
    (path_end_kept && query.bytes().all(plain)).then_some((path, Some(query)))
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
        let first = "https://h/scim/Users?filter=userName+eq+%22a%22";
        assert_eq!(cache.get(first), None, "nothing cached yet");
        cache.keep(first, &parse(first));
        for url in ["https://h/scim/Users", "https://h/scim/Users?b=%22%C3%A9%22&c=é", "https://h/scim/Users?"] {
            assert_eq!(cache.get(url).as_ref(), Some(&parse(url)), "{url}");
        }
        assert_eq!(cache.get("https://h/scim/Groups"), None, "another path");
        cache.keep("https://h/scim/Groups/1", &parse("https://h/scim/Groups/1"));
        assert_eq!(cache.get("https://h/scim/Users"), None, "only the last path is kept");
    }

    #[test]
    fn queries_the_parser_reads_differently_alone_are_not_added() {
        let cache = PathCache::default();
        cache.keep("https://h/Users", &parse("https://h/Users"));
        for url in ["https://h/Users?a b", "https://h/Users?a ", "https://h/Users?a\tb", "https://h/Users?a#b"] {
            assert_eq!(cache.get(url), None, "{url:?}");
        }
        assert_eq!(split("https://h/Users ?a"), None, "a path ending in a space");
        assert_eq!(split("https://h/Users?a?b"), Some(("https://h/Users", Some("a?b"))));
    }
}
