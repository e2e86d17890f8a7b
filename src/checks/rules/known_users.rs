//! The users a scenario has seen alive: each User a success answer showed (its `id` and
//! `userName`), until a `DELETE` or a `404` says it is gone. The uniqueness and filter rules ask
//! it whether a `userName` belongs to a live user.
//!
//! It errs towards forgetting: a write that may have changed a `userName` without showing the
//! result forgets that user, so no rule judges on a guess.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::transcript::Exchange;

use super::ledger::Ledger;
use super::lookup::{get, response_object};
use super::operation::{Operation, ResourceMethod};

/// Live users by `id`, with their `userName`.
#[derive(Debug, Default)]
pub(super) struct KnownUsers {
    user_names: BTreeMap<String, String>,
}

impl Ledger for KnownUsers {
    fn observe(&mut self, exchange: &Exchange) {
        let Some(response) = &exchange.response else { return };
        let success = (200..300).contains(&response.status);
        match Operation::of(&exchange.request) {
            Operation::Create { endpoint } if success && endpoint.eq_ignore_ascii_case("Users") => {
                self.learn(response_object(exchange));
            }
            Operation::Query { endpoint: Some(endpoint) } if success && endpoint.eq_ignore_ascii_case("Users") => {
                let resources = response_object(exchange).and_then(|body| get(body, "Resources"));
                for resource in resources.and_then(Value::as_array).into_iter().flatten() {
                    self.learn(Some(resource));
                }
            }
            Operation::OnResource { method, resource } if resource.is_user() => match (method, response.status) {
                (ResourceMethod::Delete, _) if success => {
                    self.user_names.remove(&resource.id);
                }
                (_, 404) => {
                    self.user_names.remove(&resource.id);
                }
                (ResourceMethod::Replace | ResourceMethod::Modify, _) if success => {
                    let changes_user_name = exchange
                        .request
                        .body
                        .as_ref()
                        .is_some_and(|body| body.to_string().to_ascii_lowercase().contains("username"));
                    match response_object(exchange) {
                        Some(body) => self.learn(Some(body)),
                        None if changes_user_name => {
                            self.user_names.remove(&resource.id);
                        }
                        None => {}
                    }
                }
                (ResourceMethod::Read, _) if success => self.learn(response_object(exchange)),
                _ => {}
            },
            _ => {}
        }
    }
}

impl KnownUsers {
    fn learn(&mut self, resource: Option<&Value>) {
        let Some(resource) = resource else { return };
        if let (Some(id), Some(user_name)) =
            (get(resource, "id").and_then(Value::as_str), get(resource, "userName").and_then(Value::as_str))
        {
            self.user_names.insert(id.to_string(), user_name.to_string());
        }
    }

    /// The `id` and `userName` of a live user whose `userName` equals `user_name` ignoring case
    /// (`userName` is caseExact false, RFC 7643 §4.1.1).
    pub fn holder_of(&self, user_name: &str) -> Option<(&str, &str)> {
        self.user_names
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(user_name))
            .map(|(id, name)| (id.as_str(), name.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::rules::test_exchange::Traffic;

    fn known(traffic: &Traffic) -> KnownUsers {
        let mut users = KnownUsers::default();
        traffic.exchanges().iter().for_each(|e| users.observe(e));
        users
    }

    #[test]
    fn users_are_known_from_answers_until_gone() {
        let mut traffic = Traffic::okta();
        traffic.post("/Users", json!({"userName": "a"})).answer(201, json!({"id": "1", "userName": "Alice"}));
        traffic.get("/Users").answer(200, json!({"Resources": [{"id": "2", "UserName": "bob"}]}));
        traffic.post("/Users", json!({"userName": "c"})).answer(409, json!({}));
        let users = known(&traffic);
        assert_eq!(users.holder_of("ALICE"), Some(("1", "Alice")));
        assert_eq!(users.holder_of("Bob"), Some(("2", "bob")));
        assert_eq!(users.holder_of("c"), None, "a refused create made no user");

        traffic.delete("/Users/1").answer(204, None);
        traffic.get("/Users/2").answer(404, json!({}));
        let users = known(&traffic);
        assert_eq!((users.holder_of("alice"), users.holder_of("bob")), (None, None));
    }

    #[test]
    fn a_write_that_hides_its_result_forgets_a_renamed_user() {
        let mut traffic = Traffic::entra();
        traffic.post("/Users", json!({})).answer(201, json!({"id": "1", "userName": "a"}));
        traffic.patch("/Users/1", json!([{"op": "Replace", "path": "active", "value": "False"}])).answer(204, None);
        assert_eq!(known(&traffic).holder_of("a"), Some(("1", "a")));
        traffic.patch("/Users/1", json!([{"op": "Replace", "path": "userName", "value": "b"}])).answer(204, None);
        assert_eq!(known(&traffic).holder_of("a"), None);
        traffic.put("/Users/1", json!({"userName": "c"})).answer(200, json!({"id": "1", "userName": "c"}));
        assert_eq!(known(&traffic).holder_of("c"), Some(("1", "c")));
    }
}
