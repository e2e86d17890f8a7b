//! Evaluating mappings: what value each target attribute should get from a source object.
//!
//! A mapping is direct (copy a source attribute), constant, an expression in the IdP's own
//! language, or none (the target only gets a default on creation). The languages differ per
//! IdP (Entra's functions, Okta's expression language), so an expression is anything that
//! implements [`SourceExpression`]; everything else here is shared.

use std::borrow::Cow;

use serde_json::Value;

use super::app::{Apply, Mapping, MappingSource};
use super::directory::Assignment;

/// A source object's attributes, as mappings and expressions read them.
pub trait AttributeSource {
    /// The value of source attribute `name`, or `None` when the object has none (or null).
    /// Names are case-sensitive, as both IdPs' expression languages treat them.
    ///
    /// Borrowed when the source holds the value as it is (a stored attribute), owned when it is
    /// computed for the call (Entra's `IsSoftDeleted`): most reads only look at the value, so
    /// a stored one is copied only where a caller keeps it.
    fn attribute(&self, name: &str) -> Option<Cow<'_, Value>>;

    /// The object's app role assignments, when the source holds them as such rather than only
    /// as the objects of its `appRoleAssignments` attribute (Entra's source view does): Entra's
    /// role functions read `[appRoleAssignments]` from them, so the objects are built only
    /// for the assignments that give a role. `None` means the attribute is all there is.
    fn app_role_assignments(&self) -> Option<&[&Assignment]> {
        None
    }
}

/// What a mapping yields for one object.
#[derive(Debug, Clone, PartialEq)]
pub enum Flow {
    /// A value to provision; `Value::Null` when the source has none.
    Value(Value),
    /// Nothing flows: the attribute is left out of the request altogether (Entra's
    /// `IgnoreFlowIfNullOrEmpty`, entra-wire.md §3.4).
    Ignore,
}

/// An expression in an IdP's mapping language, parsed and ready to evaluate.
pub trait SourceExpression: std::fmt::Debug + Send + Sync {
    /// The expression as the admin wrote it.
    fn text(&self) -> &str;

    /// Evaluates the expression against one source object.
    fn evaluate(&self, source: &dyn AttributeSource) -> Result<Flow, MappingError>;

    /// The source names the expression reads, deduplicated, in order of first appearance.
    /// Evaluating reads nothing else (Entra's [`AttributeSource::app_role_assignments`] only
    /// stands for its `appRoleAssignments`), so two objects that answer these names alike get
    /// the same flow: Okta settles an expression over attributes a user lacks once, not per
    /// user.
    fn references(&self) -> Vec<String>;
}

/// A mapping that could not be evaluated for an object (e.g. Entra's `IIF` over a null
/// source, entra-wire.md §3.4).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{expression}: {message}")]
pub struct MappingError {
    /// The expression (or source attribute) being evaluated.
    pub expression: String,
    /// What went wrong.
    pub message: String,
}

/// Evaluates one mapping for a source object. `creating` says whether the object is being
/// created, where "Default value if null" applies (never on updates, entra-wire.md §3.1).
pub fn evaluate(mapping: &Mapping, source: &dyn AttributeSource, creating: bool) -> Result<Flow, MappingError> {
    let flow = match &mapping.source {
        MappingSource::Direct(name) => Flow::Value(source.attribute(name).map_or(Value::Null, Cow::into_owned)),
        MappingSource::Constant(value) => Flow::Value(Value::String(value.clone())),
        MappingSource::Expression(expression) => expression.evaluate(source)?,
        MappingSource::None => Flow::Value(Value::Null),
    };
    Ok(defaulted(mapping, flow, creating))
}

/// `flow`, what `mapping`'s source yields, with the mapping's "Default value if null" in place
/// of a null or empty value when `creating`. Apart from [`evaluate`] so that an engine which
/// knows what a source yields without reading it (Okta's attribute slots) applies the same
/// rule.
pub fn defaulted(mapping: &Mapping, flow: Flow, creating: bool) -> Flow {
    let empty =
        matches!(&flow, Flow::Value(Value::Null)) || matches!(&flow, Flow::Value(Value::String(s)) if s.is_empty());
    match (&mapping.default_if_null, creating && empty) {
        (Some(default), true) => Flow::Value(Value::String(default.clone())),
        _ => flow,
    }
}

/// Whether `mapping` flows now: on creation every mapping does, on updates only `Always`.
pub fn flows(mapping: &Mapping, creating: bool) -> bool {
    creating || mapping.apply == Apply::Always
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    struct Source(HashMap<&'static str, Value>);

    impl AttributeSource for Source {
        fn attribute(&self, name: &str) -> Option<Cow<'_, Value>> {
            self.0.get(name).map(Cow::Borrowed)
        }
    }

    #[derive(Debug)]
    struct Upper;

    impl SourceExpression for Upper {
        fn text(&self) -> &str {
            "ToUpper([mail])"
        }
        fn evaluate(&self, source: &dyn AttributeSource) -> Result<Flow, MappingError> {
            Ok(Flow::Value(
                source.attribute("mail").map_or(Value::Null, |v| json!(v.as_str().unwrap_or("").to_uppercase())),
            ))
        }
        fn references(&self) -> Vec<String> {
            vec!["mail".into()]
        }
    }

    #[test]
    fn sources_and_defaults() {
        let source = Source(HashMap::from([("mail", json!("a@b")), ("empty", json!(""))]));
        let direct = Mapping::new(MappingSource::Direct("mail".into()), "userName");
        assert_eq!(evaluate(&direct, &source, false).unwrap(), Flow::Value(json!("a@b")));
        let constant = Mapping::new(MappingSource::Constant("Employee".into()), "userType");
        assert_eq!(evaluate(&constant, &source, false).unwrap(), Flow::Value(json!("Employee")));
        let expression = Mapping::new(MappingSource::Expression(std::sync::Arc::new(Upper)), "displayName");
        assert_eq!(evaluate(&expression, &source, false).unwrap(), Flow::Value(json!("A@B")));
        let defaulted = Mapping {
            default_if_null: Some("n/a".into()),
            ..Mapping::new(MappingSource::Direct("empty".into()), "title")
        };
        assert_eq!(evaluate(&defaulted, &source, true).unwrap(), Flow::Value(json!("n/a")));
        assert_eq!(
            evaluate(&defaulted, &source, false).unwrap(),
            Flow::Value(json!("")),
            "defaults apply on create only"
        );
        let none = Mapping { default_if_null: Some("x".into()), ..Mapping::new(MappingSource::None, "nickName") };
        assert_eq!(evaluate(&none, &source, true).unwrap(), Flow::Value(json!("x")));
        assert_eq!(evaluate(&none, &source, false).unwrap(), Flow::Value(Value::Null));
    }

    #[test]
    fn create_only_mappings_flow_on_create_only() {
        let once = Mapping { apply: Apply::OnCreateOnly, ..Mapping::new(MappingSource::None, "x") };
        assert!(flows(&once, true));
        assert!(!flows(&once, false));
    }
}
