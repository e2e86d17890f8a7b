//! Null handling: `IsNull`, `IsNullOrEmpty`, `IsPresent`, `IsString`, `Coalesce` and
//! `IgnoreFlowIfNullOrEmpty`.

use serde_json::Value;

use super::evaluator::{Evaluator, Interrupt, Outcome};
use super::syntax::Call;
use super::value::is_null_or_empty as null_or_empty;

/// `IsNull(expression)` (FUNCS IsNull): true when the value is null ("a Null is expressed by
/// the absence of the attribute").
pub(crate) fn is_null(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::Bool(ev.arg(call, 0)?.is_null()))
}

/// `IsNullOrEmpty(expression)` (FUNCS IsNullOrEmpty): true when the value is null or `""`.
/// \[Inf] An empty multi-valued attribute counts as empty too.
pub(crate) fn is_null_or_empty(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::Bool(null_or_empty(&*ev.arg(call, 0)?)))
}

/// `IsPresent(expression)` (FUNCS IsPresent): the inverse of `IsNullOrEmpty`.
pub(crate) fn is_present(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::Bool(!null_or_empty(&*ev.arg(call, 0)?)))
}

/// `IsString(expression)` (FUNCS IsString): true when the value is a string. \[Inf] Booleans,
/// numbers, multi-valued attributes and null are not (as .NET's `value is string`).
pub(crate) fn is_string(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::Bool(ev.arg(call, 0)?.is_string()))
}

/// `Coalesce(source1, …, defaultValue)` (FUNCS Coalesce): the first argument that is not
/// null, else null. The default value is simply the last argument; `""` is not null.
pub(crate) fn coalesce(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    for node in &call.args {
        let value = ev.eval(node)?;
        if !value.is_null() {
            return Ok(value.into_owned());
        }
    }
    Ok(Value::Null)
}

/// `IgnoreFlowIfNullOrEmpty(expression)` (FUNCS IgnoreFlowIfNullOrEmpty): the value, or — when
/// it is null or empty — nothing at all: the whole mapping yields `Flow::Ignore` and the
/// attribute is left out of the request. \[Inf] This holds wherever the call is nested.
pub(crate) fn ignore_flow_if_null_or_empty(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let value = ev.arg(call, 0)?;
    if null_or_empty(&value) { Err(Interrupt::Ignore) } else { Ok(value.into_owned()) }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::idp::entra::expression::Expression;
    use crate::idp::entra::expression::test_source::{Source, value};
    use crate::idp::mapping::{Flow, SourceExpression};

    fn flow(text: &str, object: serde_json::Value) -> Flow {
        Expression::parse(text).unwrap().evaluate(&Source::new(object)).unwrap()
    }

    #[test]
    fn is_null() {
        // FUNCS IsNull: "Returns True if the attribute isn't present."
        assert_eq!(value("IsNull([displayName])", json!({})), json!(true));
        assert_eq!(value("IsNull([displayName])", json!({"displayName": ""})), json!(false));
        assert_eq!(value("IsNull([displayName])", json!({"displayName": "Jo"})), json!(false));
    }

    #[test]
    fn is_null_or_empty() {
        // FUNCS IsNullOrEmpty: "Returns True if the attribute isn't present or is an empty string."
        assert_eq!(value("IsNullOrEmpty([displayName])", json!({})), json!(true));
        assert_eq!(value("IsNullOrEmpty([displayName])", json!({"displayName": ""})), json!(true));
        assert_eq!(value("IsNullOrEmpty([displayName])", json!({"displayName": " "})), json!(false));
        assert_eq!(value("IsNullOrEmpty([proxyAddresses])", json!({"proxyAddresses": []})), json!(true));
    }

    #[test]
    fn is_present() {
        assert_eq!(value("IsPresent([displayName])", json!({"displayName": "Jo"})), json!(true));
        assert_eq!(value("IsPresent([displayName])", json!({"displayName": ""})), json!(false));
        assert_eq!(value("IsPresent([displayName])", json!({})), json!(false));
        assert_eq!(value("IsPresent([accountEnabled])", json!({"accountEnabled": false})), json!(true));
    }

    #[test]
    fn is_string() {
        assert_eq!(value("IsString([x])", json!({"x": "text"})), json!(true));
        assert_eq!(value("IsString([x])", json!({"x": ""})), json!(true));
        assert_eq!(value("IsString([x])", json!({"x": true})), json!(false));
        assert_eq!(value("IsString([x])", json!({"x": ["a"]})), json!(false));
        assert_eq!(value("IsString([x])", json!({})), json!(false));
    }

    #[test]
    fn coalesce_reference_example() {
        // FUNCS Coalesce: mail is NULL, so userPrincipalName flows.
        let text = "Coalesce([mail],[userPrincipalName])";
        assert_eq!(value(text, json!({"userPrincipalName": "John.Doe@contoso.com"})), json!("John.Doe@contoso.com"));
        assert_eq!(
            value(text, json!({"mail": "jd@contoso.com", "userPrincipalName": "John.Doe@contoso.com"})),
            json!("jd@contoso.com")
        );
        assert_eq!(value(text, json!({})), json!(null));
        assert_eq!(value(r#"Coalesce([mail], [upn], "")"#, json!({})), json!(""));
        // "" is not NULL.
        assert_eq!(value(r#"Coalesce([mail], "default")"#, json!({"mail": ""})), json!(""));
    }

    #[test]
    fn ignore_flow_reference_examples() {
        // FUNCS IgnoreFlowIfNullOrEmpty example 1.
        assert_eq!(flow("IgnoreFlowIfNullOrEmpty([department])", json!({})), Flow::Ignore);
        assert_eq!(flow("IgnoreFlowIfNullOrEmpty([department])", json!({"department": ""})), Flow::Ignore);
        assert_eq!(
            flow("IgnoreFlowIfNullOrEmpty([department])", json!({"department": "Sales"})),
            Flow::Value(json!("Sales"))
        );
        // Example 2: a Switch with "" as default.
        let text =
            r#"IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))"#;
        assert_eq!(flow(text, json!({"prefix": "3444"})), Flow::Value(json!("Prof.")));
        assert_eq!(flow(text, json!({"prefix": "9999"})), Flow::Ignore);
        // Nested anywhere, it still drops the whole attribute.
        assert_eq!(flow(r#"Append(IgnoreFlowIfNullOrEmpty([x]), "@contoso.com")"#, json!({})), Flow::Ignore);
    }
}
