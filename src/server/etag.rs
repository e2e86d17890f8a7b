//! Entity tags (RFC 7644 §3.14): `If-Match` and `If-None-Match` against `meta.version`.

use axum::http::{HeaderMap, HeaderName};

/// A parsed `If-Match` / `If-None-Match` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntityTags {
    /// `*`: any current version.
    Any,
    /// A list of opaque tags (the `W/` prefix and quotes removed).
    Tags(Vec<String>),
}

impl EntityTags {
    /// Reads `header` from `headers`; `None` when absent.
    pub fn from_header(headers: &HeaderMap, header: &HeaderName) -> Option<Self> {
        let values: Vec<&str> = headers.get_all(header).iter().filter_map(|v| v.to_str().ok()).collect();
        if values.is_empty() {
            return None;
        }
        if values.iter().any(|v| v.trim() == "*") {
            return Some(Self::Any);
        }
        Some(Self::Tags(values.iter().flat_map(|v| v.split(',')).map(opaque).filter(|t| !t.is_empty()).collect()))
    }

    /// Weak comparison with a version such as `W/"3"` (SCIM versions are weak tags).
    pub fn matches(&self, version: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Tags(tags) => tags.iter().any(|t| *t == opaque(version)),
        }
    }
}

fn opaque(tag: &str) -> String {
    let tag = tag.trim();
    let tag = tag.strip_prefix("W/").or_else(|| tag.strip_prefix("w/")).unwrap_or(tag);
    tag.trim_matches('"').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::{IF_MATCH, IF_NONE_MATCH};

    fn tags(value: &str) -> EntityTags {
        let mut headers = HeaderMap::new();
        headers.insert(IF_MATCH, value.parse().unwrap());
        EntityTags::from_header(&headers, &IF_MATCH).unwrap()
    }

    #[test]
    fn weak_comparison() {
        assert!(tags("W/\"3\"").matches("W/\"3\""));
        assert!(tags("\"3\"").matches("W/\"3\""));
        assert!(tags("W/\"1\", W/\"3\"").matches("W/\"3\""));
        assert!(!tags("W/\"2\"").matches("W/\"3\""));
        assert!(tags("*").matches("W/\"9\""));
    }

    #[test]
    fn absent_header() {
        assert_eq!(EntityTags::from_header(&HeaderMap::new(), &IF_NONE_MATCH), None);
    }
}
