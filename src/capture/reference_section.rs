//! Which section of the researched IdP behaviour (`reference/entra-wire.md`,
//! `reference/okta-wire.md`) a difference touches, so a user can read what is known about that
//! request, with its sources, before deciding whether the model or the recording is off.

use serde_json::Value;

/// The section of the reference document for a request of `idp` (`entra`, `okta`):
/// `method` on `shape` (`/Users/{id}`), with `query` and `body`, the difference being in the
/// headers when `in_headers`, or at `pointer` in the body.
pub fn reference_section(
    idp: &str,
    method: &str,
    shape: &str,
    query: Option<&str>,
    body: Option<&Value>,
    in_headers: bool,
    pointer: &str,
) -> &'static str {
    let groups = shape.starts_with("/Groups");
    let single = shape.ends_with("{id}");
    let touches_active = body.is_some_and(|b| b.to_string().contains("\"active\""));
    if idp == "okta" {
        return match (in_headers, method, groups, single) {
            (true, ..) => "okta-wire.md §1.0 Envelope shared by every request",
            (_, _, true, _) => "okta-wire.md §1.10 Groups (Push Groups)",
            (_, "GET", false, false) => "okta-wire.md §1.3 Assignment → create user (existence check)",
            (_, "POST", false, _) => "okta-wire.md §1.3 Assignment → create user",
            (_, "PATCH", false, _) if body.is_some_and(|b| b.to_string().contains("\"active\":true")) => {
                "okta-wire.md §1.8 Reactivate / reassign"
            }
            (_, "PATCH", false, _) => "okta-wire.md §1.6 Deactivate",
            (_, "DELETE", false, _) => "okta-wire.md §1.7 Suspend, delete, \"unassign\"",
            _ => "okta-wire.md §1.4 Profile update (Okta → app): the PUT flow",
        };
    }
    let casing = pointer.ends_with("/op");
    let probe = query.is_some_and(|q| q.contains("%22{guid}%22")) && !groups;
    match (in_headers, method, groups, single) {
        (true, ..) => "entra-wire.md §0 Transport envelope",
        (_, "PATCH", ..) if casing => "entra-wire.md §2 Legacy default vs aadOptscim062020, side by side",
        (_, "GET", false, false) if probe => "entra-wire.md §1.1 Test connection",
        (_, "GET", _, false) => "entra-wire.md §1.0 Identity linking (matching)",
        (_, "POST", false, _) => "entra-wire.md §1.2 Create user",
        (_, "PATCH", false, _) if touches_active => "entra-wire.md §1.5 Disable (soft delete) / §1.6 Re-enable",
        (_, "DELETE", false, _) => "entra-wire.md §1.7 Hard delete",
        (_, _, false, _) => "entra-wire.md §1.3 Update user attributes",
        (_, "POST", true, _) | (_, "GET", true, _) => "entra-wire.md §1.9 Create group",
        (_, "PATCH", true, _) if body.is_some_and(|b| b.to_string().contains("members")) => {
            "entra-wire.md §1.10 Add and remove group members"
        }
        (_, "PATCH", true, _) => "entra-wire.md §1.11 Rename group",
        _ => "entra-wire.md §1.12 Delete group / group unassigned",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn op_casing_points_at_the_dialect_table() {
        let body = json!({"Operations": [{"op": "replace", "path": "active", "value": "False"}]});
        let section = reference_section("entra", "PATCH", "/Users/{id}", None, Some(&body), false, "/Operations/0/op");
        assert_eq!(section, "entra-wire.md §2 Legacy default vs aadOptscim062020, side by side");
        let section =
            reference_section("entra", "PATCH", "/Users/{id}", None, Some(&body), false, "/Operations/0/value");
        assert_eq!(section, "entra-wire.md §1.5 Disable (soft delete) / §1.6 Re-enable");
    }

    #[test]
    fn requests_find_their_sections() {
        let probe = Some("filter=userName+eq+%22{guid}%22");
        assert_eq!(
            reference_section("entra", "GET", "/Users", probe, None, false, ""),
            "entra-wire.md §1.1 Test connection"
        );
        assert_eq!(
            reference_section("entra", "GET", "/Users", None, None, true, ""),
            "entra-wire.md §0 Transport envelope"
        );
        let members = json!({"Operations": [{"op": "Add", "path": "members"}]});
        assert_eq!(
            reference_section("entra", "PATCH", "/Groups/{id}", None, Some(&members), false, "/Operations/0/value"),
            "entra-wire.md §1.10 Add and remove group members"
        );
        assert_eq!(
            reference_section("okta", "PUT", "/Users/{id}", None, None, false, ""),
            "okta-wire.md §1.4 Profile update (Okta → app): the PUT flow"
        );
        assert_eq!(
            reference_section("okta", "POST", "/Groups", None, None, false, ""),
            "okta-wire.md §1.10 Groups (Push Groups)"
        );
    }
}
