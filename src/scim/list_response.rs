//! The query response envelope (RFC 7644 §3.4.2).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::urn;

/// A page of query results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T = Value> {
    /// `["urn:ietf:params:scim:api:messages:2.0:ListResponse"]`.
    pub schemas: Vec<String>,
    /// How many resources match the query in all.
    pub total_results: u64,
    /// The 1-based index of the first resource on this page.
    pub start_index: u64,
    /// How many resources this page holds.
    pub items_per_page: u64,
    /// The resources on this page.
    #[serde(rename = "Resources", default)]
    pub resources: Vec<T>,
}

impl<T> ListResponse<T> {
    /// A page starting at `start_index` out of `total_results` matches.
    pub fn new(total_results: u64, start_index: u64, resources: Vec<T>) -> Self {
        Self {
            schemas: vec![urn::LIST_RESPONSE.to_string()],
            total_results,
            start_index,
            items_per_page: resources.len() as u64,
            resources,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_with_capital_resources() {
        let page = ListResponse::new(0, 1, Vec::<Value>::new());
        assert_eq!(
            serde_json::to_value(&page).unwrap(),
            json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": []})
        );
    }

    #[test]
    fn parses_a_page() {
        let page: ListResponse = serde_json::from_value(json!({
            "schemas": [urn::LIST_RESPONSE], "totalResults": 5, "startIndex": 3, "itemsPerPage": 1,
            "Resources": [{"id": "x"}]
        }))
        .unwrap();
        assert_eq!((page.total_results, page.start_index, page.resources.len()), (5, 3, 1));
    }
}
