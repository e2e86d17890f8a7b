//! App role assignments: `SingleAppRoleAssignment`, `AppRoleAssignmentsComplex` and
//! `AssertiveAppRoleAssignmentsComplex` (FUNCS; entra-wire.md §1.3 "Roles", §3.5).
//!
//! The source attribute `appRoleAssignments` is an array of objects
//! `{"id": …, "appRoleId": …, "value": "Admin", "displayName": "Administrator"}`.

use serde_json::{Map, Value, json};

use super::evaluator::{Evaluator, Outcome};
use super::syntax::{Call, Node};
use super::value::describe;
use crate::idp::directory::Assignment;
use crate::idp::entra::source_view::{APP_ROLE_ASSIGNMENTS, assignment_object};

/// The `type` Entra gives every role it provisions (entra-wire.md §1.3).
const ROLE_TYPE: &str = "WindowsAzureActiveDirectoryRole";

/// One app role assignment of argument 0: one the source holds, or an object of the
/// argument's value.
enum Entry<'v> {
    Held(&'v Assignment),
    Object(Map<String, Value>),
}

impl Entry<'_> {
    /// Whether it gives a role: its `value` is neither null nor empty (default access has
    /// none).
    fn is_role(&self) -> bool {
        match self {
            Self::Held(assignment) => assignment.value.as_deref().is_some_and(|value| !value.is_empty()),
            Self::Object(object) => object.get("value").is_some_and(|v| !v.is_null() && v != ""),
        }
    }

    /// The assignment as an object of `appRoleAssignments`.
    fn into_object(self) -> Map<String, Value> {
        match self {
            Self::Held(assignment) => assignment_object(assignment),
            Self::Object(object) => object,
        }
    }
}

/// The assignments in argument 0. `[appRoleAssignments]` is read from the assignments the
/// source holds, when it holds them: a user's mappings read it in every cycle, and most
/// assignments (default access) give no role, so their objects are never built. Any other
/// argument is evaluated: an array of objects; null is none, and a single object is one
/// assignment.
fn assignments<'v>(ev: &Evaluator<'v>, call: &Call) -> Outcome<Vec<Entry<'v>>> {
    if let Some(Node::Attribute { name, .. }) = call.args.first()
        && name == APP_ROLE_ASSIGNMENTS
        && let Some(held) = ev.app_role_assignments()
    {
        return Ok(held.iter().copied().map(Entry::Held).collect());
    }
    let list = match ev.arg(call, 0)?.into_owned() {
        Value::Null => Vec::new(),
        Value::Array(list) => list,
        single => vec![single],
    };
    list.into_iter()
        .map(|assignment| match assignment {
            Value::Object(object) => Ok(Entry::Object(object)),
            other => Err(call.fail(format!("expects app role assignment objects, got {}", describe(&other)))),
        })
        .collect()
}

/// `SingleAppRoleAssignment([appRoleAssignments])` (FUNCS SingleAppRoleAssignment): the role
/// value (e.g. `"Admin"`) of the user's only app role assignment.
///
/// FUNCS: "This function isn't supported in scenarios where users have multiple app role
/// assignments", so more than one is an error. \[Inf] No assignment gives null.
pub(crate) fn single(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let mut list = assignments(ev, call)?;
    if list.len() > 1 {
        return Err(
            call.fail(format!("the user has {} app role assignments; this function supports only one", list.len()))
        );
    }
    Ok(list.pop().and_then(|assignment| assignment.into_object().remove("value")).unwrap_or(Value::Null))
}

/// `AppRoleAssignmentsComplex([appRoleAssignments])` (FUNCS) — and
/// `AssertiveAppRoleAssignmentsComplex`, whose value is the same: every assignment as a SCIM
/// role in the POST shape of entra-wire.md §1.3,
/// `{"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": …, "value": …}`;
/// an empty array when there are none. How the roles travel in a PATCH (JSON-encoded strings
/// under `Add`, or a whole-list `replace` for the assertive variant) is the engine's business.
///
/// The default access assignment (`User`, `msiam_access`) has no role value and is not a
/// role: a user assigned only with it gets `"roles": []`, as Microsoft's sample POST shows
/// (entra-wire.md §1.2). \[Inf] A missing `displayName` gives null in that field.
pub(crate) fn complex(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let roles = assignments(ev, call)?
        .into_iter()
        .filter(Entry::is_role)
        .map(|assignment| {
            let mut assignment = assignment.into_object();
            let display = assignment.remove("displayName").unwrap_or(Value::Null);
            let value = assignment.remove("value").unwrap_or(Value::Null);
            json!({"primary": false, "type": ROLE_TYPE, "display": display, "value": value})
        })
        .collect();
    Ok(Value::Array(roles))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::idp::entra::expression::test_source::{failure, value};

    fn admin() -> Value {
        json!({"id": "a1", "appRoleId": "8b1f5e0c-0000-4000-8000-000000000001", "value": "Admin", "displayName": "Administrator"})
    }

    fn reader() -> Value {
        json!({"id": "a2", "appRoleId": "8b1f5e0c-0000-4000-8000-000000000002", "value": "Reader", "displayName": "Read only"})
    }

    #[test]
    fn single_app_role_assignment() {
        let text = "SingleAppRoleAssignment([appRoleAssignments])";
        assert_eq!(value(text, json!({"appRoleAssignments": [admin()]})), json!("Admin"));
        assert_eq!(value(text, json!({"appRoleAssignments": []})), json!(null));
        assert_eq!(value(text, json!({})), json!(null));
        assert_eq!(
            failure(text, json!({"appRoleAssignments": [admin(), reader()]})),
            "SingleAppRoleAssignment: the user has 2 app role assignments; this function supports only one (column 1)"
        );
        assert_eq!(
            failure(text, json!({"appRoleAssignments": ["Admin"]})),
            "SingleAppRoleAssignment: expects app role assignment objects, got \"Admin\" (column 1)"
        );
    }

    #[test]
    fn app_role_assignments_complex_in_post_shape() {
        let text = "AppRoleAssignmentsComplex([appRoleAssignments])";
        assert_eq!(
            value(text, json!({"appRoleAssignments": [admin(), reader()]})),
            json!([
                {"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": "Administrator", "value": "Admin"},
                {"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": "Read only", "value": "Reader"},
            ])
        );
        assert_eq!(value(text, json!({"appRoleAssignments": []})), json!([]));
        assert_eq!(value(text, json!({})), json!([]));
        let default_access = json!({"id": "a0", "appRoleId": "00000000-0000-0000-0000-000000000000", "value": null, "displayName": "User"});
        assert_eq!(value(text, json!({"appRoleAssignments": [default_access, admin()]})).as_array().unwrap().len(), 1);
        let assertive = "AssertiveAppRoleAssignmentsComplex([appRoleAssignments])";
        assert_eq!(
            value(assertive, json!({"appRoleAssignments": [admin()]})),
            json!([{"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": "Administrator", "value": "Admin"}])
        );
    }

    #[test]
    fn complex_keeps_the_key_order_of_the_wire() {
        let text = "AppRoleAssignmentsComplex([appRoleAssignments])";
        let roles = value(text, json!({"appRoleAssignments": [admin()]}));
        assert_eq!(
            serde_json::to_string(&roles).unwrap(),
            r#"[{"primary":false,"type":"WindowsAzureActiveDirectoryRole","display":"Administrator","value":"Admin"}]"#
        );
    }
}
