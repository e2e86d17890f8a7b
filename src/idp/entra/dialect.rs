//! The wire shape of Entra's PATCH requests in each dialect (entra-wire.md §2). The engine
//! decides *what* changes; this module decides how it is written.

use serde_json::{Map, Value, json};

use crate::scim::urn;

use super::settings::{Dialect, ManagerShape, Options};

/// Whether a change adds a value the target lacks or replaces one it has: Entra sends `Add`
/// when the target's value is absent or empty and `Replace` otherwise (entra-wire.md §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The target has no value.
    Add,
    /// The target has another value.
    Replace,
}

/// One attribute to change on a user, with its typed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Add or replace.
    pub kind: ChangeKind,
    /// The target path as the mapping names it.
    pub path: String,
    /// The value, typed by the attribute list (booleans are JSON booleans here).
    pub value: Value,
    /// True for single-valued attributes without a value filter (`displayName`,
    /// `name.givenName`, `urn:…:department`, `active`), which the `aadOptscim062020` dialect
    /// merges into one path-less operation.
    pub mergeable: bool,
}

/// The `op` keyword: PascalCase in the legacy dialect, lowercase with the flag.
pub fn op(dialect: Dialect, kind: &str) -> String {
    match dialect {
        Dialect::AadOptscim062020 => kind.to_ascii_lowercase(),
        Dialect::Legacy => {
            let mut chars = kind.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        }
    }
}

/// A value as a PATCH carries it: the legacy dialect writes booleans as the strings "True" and
/// "False" (entra-wire.md §2); the flag keeps JSON booleans.
pub fn patch_value(dialect: Dialect, value: Value) -> Value {
    match (dialect, value) {
        (Dialect::Legacy, Value::Bool(b)) => Value::String(if b { "True" } else { "False" }.into()),
        (_, other) => other,
    }
}

/// A PatchOp body with `operations`.
pub fn patch_body(operations: Vec<Value>) -> Value {
    json!({"schemas": [urn::PATCH_OP], "Operations": operations})
}

fn kind_name(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Add => "add",
        ChangeKind::Replace => "replace",
    }
}

/// The operations for a user's attribute changes.
///
/// Legacy: one operation per attribute, each with a path. Flag: filtered and multi-valued
/// paths keep their own operation; single-valued attributes merge into one path-less
/// operation per kind whose keys are the dotted or URN-qualified paths (entra-wire.md §1.3).
pub fn user_operations(dialect: Dialect, options: &Options, changes: &[Change]) -> Vec<Value> {
    let path_op = |c: &Change| json!({"op": op(dialect, kind_name(c.kind)), "path": c.path, "value": patch_value(dialect, c.value.clone())});
    if dialect == Dialect::Legacy {
        return changes.iter().map(path_op).collect();
    }
    let mut operations: Vec<Value> = changes.iter().filter(|c| !c.mergeable).map(path_op).collect();
    for kind in [ChangeKind::Add, ChangeKind::Replace] {
        let merged: Vec<&Change> = changes.iter().filter(|c| c.mergeable && c.kind == kind).collect();
        match merged.as_slice() {
            [] => {}
            [single] if !options.merge_single_change => operations.push(path_op(single)),
            many => {
                let value: Map<String, Value> = many.iter().map(|c| (c.path.clone(), c.value.clone())).collect();
                operations.push(json!({"op": kind_name(kind), "value": value}));
            }
        }
    }
    operations
}

/// The operation that sets a user's manager to the target user `manager_id`
/// (entra-wire.md §1.3): a bare id under the enterprise URN, or the legacy reference array.
pub fn manager_operation(
    dialect: Dialect,
    options: &Options,
    kind: ChangeKind,
    manager_id: &str,
    users_url: &str,
) -> Value {
    match options.manager_shape {
        ManagerShape::BareId => json!({
            "op": op(dialect, kind_name(kind)),
            "path": format!("{}:manager", urn::ENTERPRISE_USER),
            "value": manager_id,
        }),
        ManagerShape::LegacyReferenceArray => json!({
            "op": op(dialect, kind_name(kind)),
            "path": "manager",
            "value": [{"$ref": format!("{users_url}/{manager_id}"), "value": manager_id}],
        }),
    }
}

/// The operation adding `members` (target ids) to a group: one `Add` with `$ref: null`
/// values in both dialects (entra-wire.md §1.10).
pub fn add_members_operation(dialect: Dialect, members: &[String]) -> Value {
    let values: Vec<Value> = members.iter().map(|id| json!({"$ref": null, "value": id})).collect();
    json!({"op": op(dialect, "add"), "path": "members", "value": values})
}

/// The operations removing `members` (target ids): legacy sends one `Remove` with a value
/// array; the flag sends one filtered `remove` per member (entra-wire.md §1.10, COMPAT).
pub fn remove_members_operations(dialect: Dialect, options: &Options, members: &[String]) -> Vec<Value> {
    match dialect {
        Dialect::Legacy => {
            let values: Vec<Value> = members
                .iter()
                .map(|id| {
                    if options.member_remove_ref_null {
                        json!({"$ref": null, "value": id})
                    } else {
                        json!({"value": id})
                    }
                })
                .collect();
            vec![json!({"op": op(dialect, "remove"), "path": "members", "value": values})]
        }
        Dialect::AadOptscim062020 => members
            .iter()
            .map(|id| {
                let escaped = id.replace('\\', "\\\\").replace('"', "\\\"");
                json!({"op": "remove", "path": format!("members[value eq \"{escaped}\"]")})
            })
            .collect(),
    }
}

/// The operations renaming a group (entra-wire.md §1.11): a `Replace` of `displayName`, or
/// under the flag a path-less replace.
pub fn rename_operations(dialect: Dialect, options: &Options, display_name: &str) -> Vec<Value> {
    if dialect == Dialect::AadOptscim062020 && options.path_less_group_rename {
        vec![json!({"op": "replace", "value": {"displayName": display_name}})]
    } else {
        vec![json!({"op": op(dialect, "replace"), "path": "displayName", "value": display_name})]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: ChangeKind, path: &str, value: Value, mergeable: bool) -> Change {
        Change { kind, path: path.into(), value, mergeable }
    }

    #[test]
    fn op_casing_per_dialect() {
        assert_eq!(op(Dialect::Legacy, "replace"), "Replace");
        assert_eq!(op(Dialect::AadOptscim062020, "Replace"), "replace");
    }

    #[test]
    fn legacy_disable_uses_a_string_boolean() {
        let ops = user_operations(
            Dialect::Legacy,
            &Options::default(),
            &[change(ChangeKind::Replace, "active", json!(false), true)],
        );
        assert_eq!(ops, [json!({"op": "Replace", "path": "active", "value": "False"})]);
    }

    #[test]
    fn flag_disable_keeps_its_path_and_a_real_boolean() {
        let ops = user_operations(
            Dialect::AadOptscim062020,
            &Options::default(),
            &[change(ChangeKind::Replace, "active", json!(false), true)],
        );
        assert_eq!(ops, [json!({"op": "replace", "path": "active", "value": false})]);
    }

    #[test]
    fn flag_merges_single_valued_changes_and_keeps_filtered_paths() {
        let changes = [
            change(ChangeKind::Replace, r#"emails[type eq "work"].value"#, json!("w@x"), false),
            change(ChangeKind::Replace, "displayName", json!("Pvlo"), true),
            change(ChangeKind::Replace, "name.givenName", json!("Ysmwr"), true),
            change(
                ChangeKind::Add,
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
                json!("Eqpj"),
                true,
            ),
        ];
        let ops = user_operations(Dialect::AadOptscim062020, &Options::default(), &changes);
        assert_eq!(
            ops,
            [
                json!({"op": "replace", "path": "emails[type eq \"work\"].value", "value": "w@x"}),
                json!({"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "Eqpj"}),
                json!({"op": "replace", "value": {"displayName": "Pvlo", "name.givenName": "Ysmwr"}}),
            ]
        );
        let legacy = user_operations(Dialect::Legacy, &Options::default(), &changes);
        assert_eq!(legacy.len(), 4);
        assert_eq!(legacy[3]["op"], "Add");
    }

    #[test]
    fn member_operations() {
        let ids = ["a".to_string(), "b".to_string()];
        assert_eq!(
            add_members_operation(Dialect::Legacy, &ids),
            json!({"op": "Add", "path": "members", "value": [{"$ref": null, "value": "a"}, {"$ref": null, "value": "b"}]})
        );
        assert_eq!(
            remove_members_operations(Dialect::Legacy, &Options::default(), &ids[..1]),
            [json!({"op": "Remove", "path": "members", "value": [{"$ref": null, "value": "a"}]})]
        );
        let bare = Options { member_remove_ref_null: false, ..Options::default() };
        assert_eq!(remove_members_operations(Dialect::Legacy, &bare, &ids[..1])[0]["value"], json!([{"value": "a"}]));
        assert_eq!(
            remove_members_operations(Dialect::AadOptscim062020, &Options::default(), &ids),
            [
                json!({"op": "remove", "path": "members[value eq \"a\"]"}),
                json!({"op": "remove", "path": "members[value eq \"b\"]"})
            ]
        );
    }

    #[test]
    fn manager_and_rename() {
        let options = Options::default();
        assert_eq!(
            manager_operation(Dialect::Legacy, &options, ChangeKind::Add, "m1", "https://h/scim/Users"),
            json!({"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": "m1"})
        );
        let legacy = Options { manager_shape: ManagerShape::LegacyReferenceArray, ..Options::default() };
        assert_eq!(
            manager_operation(Dialect::Legacy, &legacy, ChangeKind::Add, "m1", "https://h/scim/Users")["value"],
            json!([{"$ref": "https://h/scim/Users/m1", "value": "m1"}])
        );
        assert_eq!(
            rename_operations(Dialect::Legacy, &options, "G2"),
            [json!({"op": "Replace", "path": "displayName", "value": "G2"})]
        );
        assert_eq!(
            rename_operations(Dialect::AadOptscim062020, &options, "G2"),
            [json!({"op": "replace", "value": {"displayName": "G2"}})]
        );
    }
}
