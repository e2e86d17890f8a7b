//! Sorting query results (RFC 7644 §3.4.2.3).

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::locator::{Locator, compared_leaf, fold};
use super::schema::AttrType;
use super::{AttrPath, ResourceSchema, ScimError, SortOrder, parse_date_time};

/// Orders resources by one attribute.
///
/// Strings sort case-insensitively unless `caseExact`; numbers and dateTimes by value; a
/// multi-valued attribute by its primary value, else its first. Resources without a value sort
/// last when ascending and first when descending.
#[derive(Debug, Clone)]
pub struct Sorter {
    at: Locator,
    kind: AttrType,
    case_exact: bool,
    order: SortOrder,
}

impl Sorter {
    /// Prepares to sort resources of `schema` by `path`.
    pub fn new(schema: &ResourceSchema, path: &AttrPath, order: SortOrder) -> Result<Self, ScimError> {
        let resolved =
            schema.resolve_attribute(path).map_err(|e| ScimError::invalid_value(format!("sortBy: {}", e.detail)))?;
        let leaf = compared_leaf(&resolved);
        if leaf.kind == AttrType::Complex {
            return Err(ScimError::invalid_value(format!(
                "sortBy: {} is complex; sort by one of its sub-attributes, e.g. {path}.{}",
                resolved.describe(),
                leaf.sub_attributes.first().map_or("value", |a| a.name.as_str())
            )));
        }
        Ok(Self { at: Locator::new(&resolved, true), kind: leaf.kind, case_exact: leaf.case_exact, order })
    }

    /// Compares two resources in the requested order.
    pub fn compare(&self, a: &Map<String, Value>, b: &Map<String, Value>) -> Ordering {
        let a = self.at.primary_or_first(a).filter(|v| !v.is_null());
        let b = self.at.primary_or_first(b).filter(|v| !v.is_null());
        let ascending = match (a, b) {
            (None, None) => Ordering::Equal,
            // Missing values go last ascending; reversing below puts them first descending.
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(a), Some(b)) => self.compare_values(a, b),
        };
        match self.order {
            SortOrder::Ascending => ascending,
            SortOrder::Descending => ascending.reverse(),
        }
    }

    fn compare_values(&self, a: &Value, b: &Value) -> Ordering {
        match self.kind {
            AttrType::Integer | AttrType::Decimal => a.as_f64().partial_cmp(&b.as_f64()).unwrap_or(Ordering::Equal),
            AttrType::DateTime => match (a.as_str().and_then(parse_date_time), b.as_str().and_then(parse_date_time)) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => text(a).cmp(text(b)),
            },
            AttrType::Boolean => a.as_bool().cmp(&b.as_bool()),
            _ => fold(text(a), self.case_exact).cmp(&fold(text(b), self.case_exact)),
        }
    }
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sorted(by: &str, order: SortOrder, users: Vec<Value>) -> Vec<String> {
        let schema = ResourceSchema::user();
        let sorter = Sorter::new(&schema, &by.parse().unwrap(), order).unwrap();
        let mut users: Vec<Map<String, Value>> = users.into_iter().map(|u| u.as_object().unwrap().clone()).collect();
        users.sort_by(|a, b| sorter.compare(a, b));
        users.iter().map(|u| u["id"].as_str().unwrap().to_string()).collect()
    }

    #[test]
    fn strings_ignore_case_and_missing_values_go_last() {
        let users = vec![
            json!({"id": "1", "userName": "bob"}),
            json!({"id": "2", "userName": "Alice"}),
            json!({"id": "3"}),
            json!({"id": "4", "userName": "carol"}),
        ];
        assert_eq!(sorted("userName", SortOrder::Ascending, users.clone()), ["2", "1", "4", "3"]);
        assert_eq!(sorted("userName", SortOrder::Descending, users), ["3", "4", "1", "2"]);
    }

    #[test]
    fn multi_valued_sorts_by_primary_then_first() {
        let users = vec![
            json!({"id": "1", "emails": [{"value": "z@x"}, {"value": "a@x", "primary": true}]}),
            json!({"id": "2", "emails": [{"value": "m@x"}, {"value": "b@x"}]}),
        ];
        assert_eq!(sorted("emails", SortOrder::Ascending, users), ["1", "2"]);
    }

    #[test]
    fn date_times_sort_chronologically() {
        let users = vec![
            json!({"id": "1", "meta": {"created": "2020-01-01T10:00:00+05:00"}}),
            json!({"id": "2", "meta": {"created": "2020-01-01T06:00:00Z"}}),
        ];
        assert_eq!(sorted("meta.created", SortOrder::Ascending, users), ["1", "2"]);
    }

    #[test]
    fn case_exact_ids_sort_by_code_point() {
        let users = vec![json!({"id": "b"}), json!({"id": "B"}), json!({"id": "a"})];
        assert_eq!(sorted("id", SortOrder::Ascending, users), ["B", "a", "b"]);
    }

    #[test]
    fn rejects_unknown_and_complex() {
        let schema = ResourceSchema::user();
        let err = Sorter::new(&schema, &"nmae".parse().unwrap(), SortOrder::Ascending).unwrap_err();
        assert!(err.detail.starts_with("sortBy: User has no attribute"), "{}", err.detail);
        let err = Sorter::new(&schema, &"name".parse().unwrap(), SortOrder::Ascending).unwrap_err();
        assert!(err.detail.contains("name.formatted"), "{}", err.detail);
    }
}
