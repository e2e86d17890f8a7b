//! A source object as Entra's mappings see it: its stored attributes plus the ones Entra
//! computes (`objectId`, `IsSoftDeleted`, `appRoleAssignments`).

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::idp::directory::{Assignment, SourceObject};
use crate::idp::mapping::AttributeSource;

/// The attributes of one source object, with Entra's computed ones: what a mapping is
/// evaluated against ([`crate::idp::mapping::evaluate`]), in the engine and wherever a tool
/// wants to see what Entra's mappings yield for a user (as the portal's expression tester does).
#[derive(Debug)]
pub struct SourceView<'a> {
    object: &'a SourceObject,
    soft_deleted: bool,
    assignments: Vec<&'a Assignment>,
}

impl<'a> SourceView<'a> {
    /// A view of `object`. `soft_deleted` is Entra's `IsSoftDeleted`: true when the user is
    /// out of scope (unassigned or filtered out), in the recycle bin, or blocked from sign-in
    /// (HOW "IsSoftDeleted"). `assignments` are its app role assignments, direct and through
    /// assigned groups.
    pub fn new(object: &'a SourceObject, soft_deleted: bool, assignments: Vec<&'a Assignment>) -> Self {
        Self { object, soft_deleted, assignments }
    }
}

impl AttributeSource for SourceView<'_> {
    /// Stored attributes are borrowed; the computed ones are made for the call.
    fn attribute(&self, name: &str) -> Option<Cow<'_, Value>> {
        match name {
            "objectId" => Some(Cow::Owned(Value::String(self.object.id.clone()))),
            "IsSoftDeleted" => Some(Cow::Owned(Value::Bool(self.soft_deleted))),
            "appRoleAssignments" => {
                Some(Cow::Owned(Value::Array(self.assignments.iter().copied().map(assignment).collect())))
            }
            _ => self.object.attributes.get(name).filter(|v| !v.is_null()).map(Cow::Borrowed),
        }
    }
}

/// One entry of `appRoleAssignments`: `{"id", "appRoleId", "value", "displayName"}`. Made for
/// every user whose mappings read it, so the object is sized for its four keys up front.
fn assignment(a: &Assignment) -> Value {
    let mut object = Map::with_capacity(4);
    object.insert("id".into(), Value::String(a.id.clone()));
    object.insert("appRoleId".into(), Value::String(a.role_id.clone()));
    object.insert("value".into(), a.value.clone().map_or(Value::Null, Value::String));
    object.insert("displayName".into(), Value::String(a.display_name.clone()));
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idp::directory::Directory;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn computed_attributes() {
        let mut dir = Directory::default();
        let attributes = BTreeMap::from([("mail".to_string(), json!("a@b"))]);
        let id = dir.add_user("alice", attributes).unwrap();
        let role = Assignment {
            id: "as1".into(),
            role_id: "r1".into(),
            value: Some("Admin".into()),
            display_name: "Administrator".into(),
        };
        let user = dir.get(&id).unwrap();
        let view = SourceView::new(user, true, vec![&role]);
        assert_eq!(view.attribute("objectId").as_deref(), Some(&json!(id)));
        assert_eq!(view.attribute("IsSoftDeleted").as_deref(), Some(&json!(true)));
        assert!(matches!(view.attribute("mail"), Some(Cow::Borrowed(mail)) if mail == "a@b"), "stored: borrowed");
        assert_eq!(view.attribute("appRoleAssignments").unwrap()[0]["value"], "Admin");
        assert_eq!(view.attribute("department"), None);
    }
}
