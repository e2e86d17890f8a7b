//! The guard that keeps a run against a shared tenant from changing what it did not create
//! (DESIGN.md "Runs against real tenants").
//!
//! Run-unique names keep the IdPs from matching anything else on a correct target; the guard
//! holds even on a broken one: a target that ignores `filter` and answers the IdP's match
//! query with somebody else's user would otherwise have that user PATCHed, or deleted. Every
//! `PUT`, `PATCH` or `DELETE` of `/Users/<id>` or `/Groups/<id>` must name an object whose
//! `201 Created` this run received; anything else is not sent.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use reqwest::Method;

/// The objects one run created on the target, shared by all of its clients.
#[derive(Debug, Default)]
pub struct WriteGuard {
    /// `Users/<id>` and `Groups/<id>`.
    created: Mutex<HashSet<String>>,
}

impl WriteGuard {
    /// Notes that the run created the object at `path` (`/Users/<id>` or `Users/<id>`).
    pub fn record_created(&self, path: &str) {
        if let Some(key) = object_key(path) {
            self.created.lock().unwrap_or_else(PoisonError::into_inner).insert(key);
        }
    }

    /// `Err` with the reason when `method path` would change an object the run did not create.
    pub fn check(&self, method: &Method, path: &str) -> Result<(), String> {
        let writes = [Method::PUT, Method::PATCH, Method::DELETE].contains(method);
        let Some(key) = object_key(path).filter(|_| writes) else { return Ok(()) };
        if self.created.lock().unwrap_or_else(PoisonError::into_inner).contains(&key) {
            return Ok(());
        }
        Err(format!(
            "not sent: this run did not create {key}, and a run against a named target never changes what it did \
             not create (did the target answer the IdP's query with an object of someone else's, ignoring its filter?)"
        ))
    }
}

/// `Users/<id>` or `Groups/<id>` (the endpoint as the SCIM spells it) for a path naming one
/// user or group; `None` for anything else.
fn object_key(path: &str) -> Option<String> {
    let mut segments = path.trim_matches('/').split('/');
    let (endpoint, id) = (segments.next()?, segments.next()?);
    if segments.next().is_some() || id.is_empty() {
        return None;
    }
    let endpoint = ["Users", "Groups"].into_iter().find(|e| e.eq_ignore_ascii_case(endpoint))?;
    Some(format!("{endpoint}/{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::CreatedObject;
    use serde_json::json;

    #[test]
    fn only_what_the_run_created_may_be_changed() {
        let guard = WriteGuard::default();
        // As the client notes each create's answer.
        for (path, status, id) in [("/Users", 201, "u1"), ("/Groups", 409, "g0")] {
            let answer = json!({ "id": id }).into();
            if let Some(created) = CreatedObject::of_answer("POST", path, status, &answer) {
                guard.record_created(&created.to_string());
            }
        }
        guard.record_created("Groups/g1");
        for method in [Method::PUT, Method::PATCH, Method::DELETE] {
            assert_eq!(guard.check(&method, "/Users/u1"), Ok(()));
            assert_eq!(guard.check(&method, "/groups/g1"), Ok(()));
            let refused = guard.check(&method, "/Users/someone-else").unwrap_err();
            assert!(refused.contains("did not create Users/someone-else"), "{refused}");
            assert!(guard.check(&method, "/Groups/g0").is_err(), "a 409 created nothing");
        }
        assert_eq!(guard.check(&Method::GET, "/Users/someone-else"), Ok(()), "reads are free");
        assert_eq!(guard.check(&Method::POST, "/Users"), Ok(()), "creates are free");
        assert_eq!(guard.check(&Method::PATCH, "/Users"), Ok(()), "not one object");
        assert_eq!(object_key("/Users/u1/extra"), None);
    }
}
