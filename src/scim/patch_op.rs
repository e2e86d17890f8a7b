//! The PATCH request body (RFC 7644 §3.5.2) in every shape IdPs send: `op` in any case
//! (`Replace`, entra-wire.md §2), path + value, path-less value objects, and `remove` with a
//! value array (Entra legacy group member removal).

use serde_json::{Map, Value};

use super::{PatchPath, ScimError, urn};

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    /// `add`
    Add,
    /// `remove`
    Remove,
    /// `replace`
    Replace,
}

impl PatchKind {
    /// The RFC keyword (lowercase).
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Remove => "remove",
            Self::Replace => "replace",
        }
    }
}

/// One operation of a PATCH request.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOperation {
    /// `op`.
    pub kind: PatchKind,
    /// `path`, when given.
    pub path: Option<PatchPath>,
    /// `value`, when given.
    pub value: Option<Value>,
}

/// A parsed PATCH request: its operations in order.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOp {
    /// The operations, applied in order, all or none.
    pub operations: Vec<PatchOperation>,
}

fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)
}

impl PatchOp {
    /// Parses and checks a PATCH body. Errors are `400` with the RFC's `scimType`:
    /// `invalidSyntax` for a malformed body, `invalidPath` for a bad path, `noTarget` for a
    /// `remove` without a path (RFC 7644 §3.5.2.2).
    pub fn from_json(body: &Value) -> Result<Self, ScimError> {
        let object = body.as_object().ok_or_else(|| ScimError::invalid_syntax("a PATCH body must be a JSON object"))?;
        let listed = member(object, "schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(urn::PATCH_OP))));
        if !listed {
            return Err(ScimError::invalid_value(format!(
                "a PATCH body must have \"schemas\": [\"{}\"]",
                urn::PATCH_OP
            )));
        }
        let operations = match member(object, "Operations") {
            Some(Value::Array(ops)) if !ops.is_empty() => ops,
            Some(Value::Array(_)) => {
                return Err(ScimError::invalid_value("\"Operations\" is empty; send at least one operation"));
            }
            _ => return Err(ScimError::invalid_syntax("a PATCH body must have an \"Operations\" array")),
        };
        let operations = operations
            .iter()
            .enumerate()
            .map(|(i, op)| {
                PatchOperation::from_json(op)
                    .map_err(|e| ScimError { detail: format!("Operations[{i}]: {}", e.detail), ..e })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { operations })
    }
}

impl PatchOperation {
    fn from_json(op: &Value) -> Result<Self, ScimError> {
        let object = op.as_object().ok_or_else(|| ScimError::invalid_syntax("an operation must be a JSON object"))?;
        let kind = match member(object, "op").and_then(Value::as_str) {
            Some(k) if k.eq_ignore_ascii_case("add") => PatchKind::Add,
            Some(k) if k.eq_ignore_ascii_case("remove") => PatchKind::Remove,
            Some(k) if k.eq_ignore_ascii_case("replace") => PatchKind::Replace,
            Some(k) => return Err(ScimError::invalid_syntax(format!("\"op\" is {k:?}; use add, remove or replace"))),
            None => return Err(ScimError::invalid_syntax("\"op\" is missing; use add, remove or replace")),
        };
        let path = match member(object, "path") {
            None | Some(Value::Null) => None,
            Some(Value::String(p)) => {
                Some(p.parse::<PatchPath>().map_err(|e| ScimError::invalid_path(format!("path {p:?}: {e}")))?)
            }
            Some(other) => return Err(ScimError::invalid_path(format!("path must be a string, got {other}"))),
        };
        let value = member(object, "value").cloned();
        match (kind, &path, &value) {
            (PatchKind::Remove, None, _) => {
                Err(ScimError::no_target("remove needs a \"path\" naming what to remove (RFC 7644 §3.5.2.2)"))
            }
            (PatchKind::Add | PatchKind::Replace, _, None) => {
                Err(ScimError::invalid_syntax(format!("{} needs a \"value\"", kind.keyword())))
            }
            (PatchKind::Add | PatchKind::Replace, None, Some(v)) if !v.is_object() => {
                Err(ScimError::invalid_syntax(format!(
                    "{} without a path needs an object of attributes as its value, e.g. {{\"displayName\": \"x\"}}",
                    kind.keyword()
                )))
            }
            _ => Ok(Self { kind, path, value }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::ScimType;
    use serde_json::json;

    fn parse(ops: Value) -> Result<PatchOp, ScimError> {
        PatchOp::from_json(&json!({"schemas": [urn::PATCH_OP], "Operations": ops}))
    }

    #[test]
    fn entra_legacy_shapes() {
        // entra-wire.md §1.5 and §1.10: PascalCase op, string boolean, remove with a value array.
        let patch = parse(json!([
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "Remove", "path": "members", "value": [{"value": "f648f8d5"}]},
            {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "x@y"}
        ]))
        .unwrap();
        let kinds: Vec<PatchKind> = patch.operations.iter().map(|o| o.kind).collect();
        assert_eq!(kinds, [PatchKind::Replace, PatchKind::Remove, PatchKind::Add]);
        assert_eq!(patch.operations[1].value, Some(json!([{"value": "f648f8d5"}])));
        assert!(patch.operations[2].path.as_ref().unwrap().filter.is_some());
    }

    #[test]
    fn aad_opt_scim_062020_path_less_replace() {
        let patch = parse(json!([{"op": "replace", "value": {
            "displayName": "Pvlo", "name.givenName": "Ysmwr",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Eqpj"
        }}]))
        .unwrap();
        assert!(patch.operations[0].path.is_none());
    }

    #[test]
    fn operations_before_schemas_and_any_key_case() {
        // entra-wire.md §1.5: the SCIM-TUT disable sample puts Operations before schemas.
        let body =
            json!({"operations": [{"OP": "REPLACE", "PATH": "active", "VALUE": false}], "Schemas": [urn::PATCH_OP]});
        assert_eq!(PatchOp::from_json(&body).unwrap().operations[0].kind, PatchKind::Replace);
    }

    #[test]
    fn errors_have_rfc_scim_types() {
        let cases = [
            (json!([{"op": "remove"}]), ScimType::NoTarget, "needs a \"path\""),
            (json!([{"op": "add", "path": "x"}]), ScimType::InvalidSyntax, "needs a \"value\""),
            (json!([{"op": "add", "value": "x"}]), ScimType::InvalidSyntax, "object of attributes"),
            (json!([{"op": "merge", "path": "x", "value": 1}]), ScimType::InvalidSyntax, "use add, remove or replace"),
            (json!([{"path": "x", "value": 1}]), ScimType::InvalidSyntax, "\"op\" is missing"),
            (json!([{"op": "add", "path": "emails[type eq", "value": 1}]), ScimType::InvalidPath, "at column"),
            (json!([{"op": "add", "path": 5, "value": 1}]), ScimType::InvalidPath, "must be a string"),
            (json!([]), ScimType::InvalidValue, "empty"),
            (json!([5]), ScimType::InvalidSyntax, "JSON object"),
        ];
        for (ops, scim_type, needle) in cases {
            let err = parse(ops.clone()).unwrap_err();
            assert_eq!(err.scim_type, Some(scim_type), "{ops}: {err}");
            assert!(err.detail.contains(needle), "{ops}: {}", err.detail);
        }
        assert!(
            parse(json!([{"op": "add", "path": "emails[type eq", "value": 1}]))
                .unwrap_err()
                .detail
                .starts_with("Operations[0]: path")
        );
        assert!(PatchOp::from_json(&json!({"Operations": []})).unwrap_err().detail.contains("schemas"));
        assert!(PatchOp::from_json(&json!({"schemas": [urn::PATCH_OP]})).unwrap_err().detail.contains("Operations"));
        assert!(PatchOp::from_json(&json!(null)).is_err());
    }
}
