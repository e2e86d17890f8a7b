//! Query parameters (RFC 7644 §3.4.2, §3.4.3, §3.9): filter, sorting, paging and attribute
//! selection, read from a URL query string or a `SearchRequest` body.

use serde_json::Value;

use super::{AttrPath, Filter, ScimError, urn};

/// `sortOrder` (RFC 7644 §3.4.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// `ascending` (the default).
    #[default]
    Ascending,
    /// `descending`.
    Descending,
}

/// A parsed query: what to match, in which order, which page, which attributes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListQuery {
    /// `filter`.
    pub filter: Option<Filter>,
    /// `sortBy`.
    pub sort_by: Option<AttrPath>,
    /// `sortOrder`.
    pub sort_order: SortOrder,
    /// `startIndex`, 1-based; values below 1 are read as 1 (RFC 7644 §3.4.2.4).
    pub start_index: u64,
    /// `count`; negative values are read as 0 (RFC 7644 §3.4.2.4). `None` when not given.
    pub count: Option<u64>,
    /// `attributes`.
    pub attributes: Vec<AttrPath>,
    /// `excludedAttributes`.
    pub excluded_attributes: Vec<AttrPath>,
}

impl ListQuery {
    /// Reads the query parameters of a GET (names case-insensitive; unknown ones ignored).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, ScimError> {
        let mut query = Self { start_index: 1, ..Self::default() };
        for (name, value) in pairs {
            query.set(name, &Value::String(value.to_string()))?;
        }
        Ok(query)
    }

    /// Reads a `POST …/.search` body (RFC 7644 §3.4.3).
    pub fn from_search_request(body: &Value) -> Result<Self, ScimError> {
        let Some(object) = body.as_object() else {
            return Err(ScimError::invalid_syntax("a SearchRequest is a JSON object"));
        };
        let schemas = object.iter().find(|(k, _)| k.eq_ignore_ascii_case("schemas")).map(|(_, v)| v);
        let listed = schemas
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(urn::SEARCH_REQUEST))));
        if !listed {
            return Err(ScimError::invalid_value(format!(
                "a SearchRequest must have \"schemas\": [\"{}\"]",
                urn::SEARCH_REQUEST
            )));
        }
        let mut query = Self { start_index: 1, ..Self::default() };
        for (name, value) in object {
            if !name.eq_ignore_ascii_case("schemas") {
                query.set(name, value)?;
            }
        }
        Ok(query)
    }

    fn set(&mut self, name: &str, value: &Value) -> Result<(), ScimError> {
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if is("filter") {
            let text = string(name, value)?;
            let filter =
                text.parse::<Filter>().map_err(|e| ScimError::invalid_filter(format!("filter {text:?}: {e}")))?;
            self.filter = Some(filter);
        } else if is("sortBy") {
            let text = string(name, value)?;
            self.sort_by = Some(text.parse().map_err(|e| ScimError::invalid_value(format!("sortBy {text:?}: {e}")))?);
        } else if is("sortOrder") {
            let text = string(name, value)?;
            self.sort_order = if text.eq_ignore_ascii_case("ascending") {
                SortOrder::Ascending
            } else if text.eq_ignore_ascii_case("descending") {
                SortOrder::Descending
            } else {
                return Err(ScimError::invalid_value(format!(
                    "sortOrder {text:?}: use \"ascending\" or \"descending\""
                )));
            };
        } else if is("startIndex") {
            self.start_index = integer(name, value)?.max(1).unsigned_abs();
        } else if is("count") {
            self.count = Some(integer(name, value)?.max(0).unsigned_abs());
        } else if is("attributes") {
            self.attributes = attribute_list(name, value)?;
        } else if is("excludedAttributes") {
            self.excluded_attributes = attribute_list(name, value)?;
        }
        Ok(())
    }
}

fn string<'v>(name: &str, value: &'v Value) -> Result<&'v str, ScimError> {
    value.as_str().ok_or_else(|| ScimError::invalid_value(format!("{name} must be a string")))
}

fn integer(name: &str, value: &Value) -> Result<i64, ScimError> {
    let parsed = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok().or_else(|| {
            // Out of range for i64 but still an integer: clamp rather than reject.
            let digits = s.trim().strip_prefix('-').unwrap_or(s.trim());
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| if s.trim().starts_with('-') { i64::MIN } else { i64::MAX })
        }),
        _ => None,
    };
    parsed.ok_or_else(|| ScimError::invalid_value(format!("{name} must be an integer, got {value}")))
}

fn attribute_list(name: &str, value: &Value) -> Result<Vec<AttrPath>, ScimError> {
    let items: Vec<&str> = match value {
        Value::String(s) => s.split(',').collect(),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().ok_or_else(|| ScimError::invalid_value(format!("{name} must list strings"))))
            .collect::<Result<_, _>>()?,
        _ => return Err(ScimError::invalid_value(format!("{name} must be a comma-separated string or an array"))),
    };
    items
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.parse().map_err(|e| ScimError::invalid_value(format!("{name} {s:?}: {e}"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(pairs: &[(&str, &str)]) -> Result<ListQuery, ScimError> {
        ListQuery::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn defaults() {
        let query = q(&[]).unwrap();
        assert_eq!((query.start_index, query.count, query.sort_order), (1, None, SortOrder::Ascending));
    }

    #[test]
    fn paging_follows_rfc_semantics() {
        assert_eq!(q(&[("startIndex", "0")]).unwrap().start_index, 1);
        assert_eq!(q(&[("startIndex", "-5")]).unwrap().start_index, 1);
        assert_eq!(q(&[("startIndex", "7")]).unwrap().start_index, 7);
        assert_eq!(q(&[("count", "-1")]).unwrap().count, Some(0));
        assert_eq!(q(&[("count", "0")]).unwrap().count, Some(0));
        assert_eq!(q(&[("count", "99999999999999999999999")]).unwrap().count, Some(i64::MAX as u64));
        assert_eq!(q(&[("count", "ten")]).unwrap_err().detail, "count must be an integer, got \"ten\"");
        assert!(q(&[("startIndex", "1.5")]).is_err());
    }

    #[test]
    fn parameter_names_are_case_insensitive() {
        let query =
            q(&[("FILTER", r#"userName eq "x""#), ("sortby", "userName"), ("SortOrder", "DESCENDING")]).unwrap();
        assert!(query.filter.is_some());
        assert_eq!(query.sort_by, Some(AttrPath::new("userName")));
        assert_eq!(query.sort_order, SortOrder::Descending);
    }

    #[test]
    fn filter_errors_are_invalid_filter_with_column() {
        let err = q(&[("filter", "userName eq")]).unwrap_err();
        assert_eq!(err.scim_type, Some(crate::scim::ScimType::InvalidFilter));
        assert!(err.detail.contains("at column 12"), "{}", err.detail);
    }

    #[test]
    fn attribute_lists() {
        let query = q(&[
            (
                "attributes",
                "userName, name.givenName,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
            ),
            ("excludedAttributes", "members"),
        ])
        .unwrap();
        assert_eq!(query.attributes.len(), 3);
        assert_eq!(query.attributes[1], AttrPath::new("name").with_sub("givenName"));
        assert_eq!(query.excluded_attributes, vec![AttrPath::new("members")]);
        assert!(q(&[("attributes", r#"emails[type eq "work"]"#)]).is_err());
        assert!(q(&[("sortOrder", "up")]).unwrap_err().detail.contains("ascending"));
    }

    #[test]
    fn search_request_body() {
        let query = ListQuery::from_search_request(&json!({
            "schemas": [urn::SEARCH_REQUEST],
            "attributes": ["displayName", "userName"],
            "excludedAttributes": ["emails"],
            "filter": "displayName sw \"smith\"",
            "startIndex": 1,
            "count": 10,
            "sortBy": "userName",
            "sortOrder": "descending"
        }))
        .unwrap();
        assert_eq!(query.count, Some(10));
        assert_eq!(query.attributes.len(), 2);
        assert_eq!(query.sort_order, SortOrder::Descending);
        assert!(
            ListQuery::from_search_request(&json!({"filter": "x pr"})).unwrap_err().detail.contains("SearchRequest")
        );
        assert!(ListQuery::from_search_request(&json!([])).is_err());
        assert!(ListQuery::from_search_request(&json!({"schemas": [urn::SEARCH_REQUEST], "count": "x"})).is_err());
    }
}
