//! The object a `201 Created` to `POST /Users` or `POST /Groups` made: what a run must clean
//! up, what the write guard lets it change, and what a load baseline maps ids from.

use std::fmt;

use serde_json::Value;

use super::AnswerBody;

/// A user or group the target created, as its `201` named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedObject {
    /// `Users` or `Groups`.
    pub endpoint: &'static str,
    /// The target's id.
    pub id: String,
}

impl CreatedObject {
    /// The object `method path` created, when it answered `status` with `body`: `None` for
    /// anything but a `201` with an `id` to a create. The path is relative to the base URL, or
    /// carries a base path in front (`/scim/v2/Users`, as a recording through a Tenant URL with
    /// a path has it).
    pub fn of(method: &str, path: &str, status: u16, body: Option<&Value>) -> Option<Self> {
        let endpoint = created_in(method, path, status)?;
        let id = body?.get("id")?.as_str().filter(|id| !id.is_empty())?;
        Some(Self { endpoint, id: id.to_string() })
    }

    /// [`CreatedObject::of`] an answer as the client read it: the body is not decoded, only
    /// its id read, and only for a create.
    pub fn of_answer(method: &str, path: &str, status: u16, body: &AnswerBody) -> Option<Self> {
        let endpoint = created_in(method, path, status)?;
        let id = body.id().filter(|id| !id.is_empty())?;
        Some(Self { endpoint, id: id.to_string() })
    }
}

/// The endpoint (`Users` or `Groups`) that `method path` answered with `status` created in,
/// if it is a create that succeeded.
fn created_in(method: &str, path: &str, status: u16) -> Option<&'static str> {
    if status != 201 || !method.eq_ignore_ascii_case("POST") {
        return None;
    }
    let collection = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    ["Users", "Groups"].into_iter().find(|e| e.eq_ignore_ascii_case(collection))
}

impl fmt::Display for CreatedObject {
    /// `Users/<id>` or `Groups/<id>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.endpoint, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_a_201_with_an_id_to_a_create() {
        let id = json!({"id": "u1"});
        assert_eq!(CreatedObject::of("POST", "/Users", 201, Some(&id)).map(|o| o.to_string()), Some("Users/u1".into()));
        assert_eq!(
            CreatedObject::of("post", "groups/", 201, Some(&id)).map(|o| o.to_string()),
            Some("Groups/u1".into())
        );
        assert_eq!(CreatedObject::of("POST", "/Users", 409, Some(&id)), None);
        assert_eq!(CreatedObject::of("PUT", "/Users", 201, Some(&id)), None);
        assert_eq!(CreatedObject::of("POST", "/Users/.search", 201, Some(&id)), None);
        assert_eq!(
            CreatedObject::of("POST", "/scim/v2/Users", 201, Some(&id)).map(|o| o.to_string()),
            Some("Users/u1".into())
        );
        assert_eq!(CreatedObject::of("POST", "/Users", 201, Some(&json!({"id": ""}))), None);
        assert_eq!(CreatedObject::of("POST", "/Users", 201, None), None);
    }
}
