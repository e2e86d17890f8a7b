//! A source object as Entra's mappings see it: its stored attributes plus the ones Entra
//! computes (`objectId`, `IsSoftDeleted`, `appRoleAssignments`).

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::idp::attribute_index::AttributeIndex;
use crate::idp::directory::{Assignment, SourceObject};
use crate::idp::mapping::AttributeSource;

/// The attributes of one source object, with Entra's computed ones: what a mapping is
/// evaluated against ([`crate::idp::mapping::evaluate`]), in the engine and wherever a tool
/// wants to see what Entra's mappings yield for a user (as the portal's expression tester does).
#[derive(Debug)]
pub struct SourceView<'a> {
    object: &'a SourceObject,
    stored: AttributeIndex<'a>,
    soft_deleted: bool,
    assignments: Vec<&'a Assignment>,
}

impl<'a> SourceView<'a> {
    /// A view of `object`. `soft_deleted` is Entra's `IsSoftDeleted`: true when the user is
    /// out of scope (unassigned or filtered out), in the recycle bin, or blocked from sign-in
    /// (HOW "IsSoftDeleted"). `assignments` are its app role assignments, direct and through
    /// assigned groups.
    pub fn new(object: &'a SourceObject, soft_deleted: bool, assignments: Vec<&'a Assignment>) -> Self {
        Self { object, stored: AttributeIndex::of(object), soft_deleted, assignments }
    }
}

impl AttributeSource for SourceView<'_> {
    /// Stored attributes are borrowed; the computed ones are made for the call.
    fn attribute(&self, name: &str) -> Option<Cow<'_, Value>> {
        match name {
            "objectId" => Some(Cow::Owned(Value::String(self.object.id.clone()))),
            "IsSoftDeleted" => Some(Cow::Owned(Value::Bool(self.soft_deleted))),
            APP_ROLE_ASSIGNMENTS => Some(Cow::Owned(Value::Array(
                self.assignments.iter().map(|a| Value::Object(assignment_object(a))).collect(),
            ))),
            _ => self.stored.get(name).filter(|v| !v.is_null()).map(Cow::Borrowed),
        }
    }

    fn app_role_assignments(&self) -> Option<&[&Assignment]> {
        Some(&self.assignments)
    }
}

/// The name of the attribute that lists a user's app role assignments.
pub(crate) const APP_ROLE_ASSIGNMENTS: &str = "appRoleAssignments";

/// One entry of `appRoleAssignments`: `{"id", "appRoleId", "value", "displayName"}`, sized for
/// its four keys up front.
pub(crate) fn assignment_object(a: &Assignment) -> Map<String, Value> {
    let mut object = Map::with_capacity(4);
    object.insert("id".into(), Value::String(a.id.clone()));
    object.insert("appRoleId".into(), Value::String(a.role_id.clone()));
    object.insert("value".into(), a.value.clone().map_or(Value::Null, Value::String));
    object.insert("displayName".into(), Value::String(a.display_name.clone()));
    object
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idp::directory::Directory;
    use crate::idp::entra::expression::Expression;
    use crate::idp::expression_check::Source;
    use crate::idp::mapping::SourceExpression;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn role(n: u8, value: Option<&str>, display_name: &str) -> Assignment {
        Assignment {
            id: format!("as{n}"),
            role_id: format!("r{n}"),
            value: value.map(str::to_string),
            display_name: display_name.into(),
        }
    }

    #[test]
    fn computed_attributes() {
        let mut dir = Directory::default();
        let attributes = BTreeMap::from([("mail".to_string(), json!("a@b"))]);
        let id = dir.add_user("alice", attributes).unwrap();
        let role = role(1, Some("Admin"), "Administrator");
        let user = dir.get(&id).unwrap();
        let view = SourceView::new(user, true, vec![&role]);
        assert_eq!(view.attribute("objectId").as_deref(), Some(&json!(id)));
        assert_eq!(view.attribute("IsSoftDeleted").as_deref(), Some(&json!(true)));
        assert!(matches!(view.attribute("mail"), Some(Cow::Borrowed(mail)) if mail == "a@b"), "stored: borrowed");
        assert_eq!(
            view.attribute("appRoleAssignments").as_deref(),
            Some(&json!([{"id": "as1", "appRoleId": "r1", "value": "Admin", "displayName": "Administrator"}]))
        );
        assert_eq!(view.attribute("department"), None);
    }

    #[test]
    fn role_functions_read_held_assignments_as_they_read_the_attribute() {
        // The role functions read the view's assignments directly; a source that has only the
        // attribute's objects must give the same results, errors included.
        let mut dir = Directory::default();
        let id = dir.add_user("alice", BTreeMap::new()).unwrap();
        let user = dir.get(&id).unwrap();
        let (access, admin, empty) =
            (Assignment::default_access(), role(1, Some("Admin"), "Administrator"), role(2, Some(""), "Blank"));
        let expressions = [
            "AppRoleAssignmentsComplex([appRoleAssignments])",
            "AssertiveAppRoleAssignmentsComplex([appRoleAssignments])",
            "SingleAppRoleAssignment([appRoleAssignments])",
            "Count([appRoleAssignments])",
        ];
        for held in [vec![], vec![&access], vec![&access, &admin, &empty], vec![&admin]] {
            let view = SourceView::new(user, false, held);
            let attribute = view.attribute(APP_ROLE_ASSIGNMENTS).unwrap().into_owned();
            let plain = Source::new(json!({ APP_ROLE_ASSIGNMENTS: attribute }));
            for text in expressions {
                let expression = Expression::parse(text).unwrap();
                assert_eq!(expression.evaluate(&view), expression.evaluate(&plain), "{text} over {attribute}");
            }
        }
        let view = SourceView::new(user, false, vec![&admin]);
        let complex = Expression::parse("AppRoleAssignmentsComplex([appRoleAssignments])").unwrap();
        assert_eq!(
            complex.evaluate(&view),
            Ok(crate::idp::mapping::Flow::Value(json!([
                {"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": "Administrator", "value": "Admin"}
            ])))
        );
    }
}
