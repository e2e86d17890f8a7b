//! Conditions and choices: `IIF`, `Switch`, `Not`, `CBool` and the comparison operators.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use super::evaluator::{Evaluator, Interrupt, Outcome};
use super::syntax::{Call, CompareOp, Comparison};
use super::value::{describe, is_null_or_empty, to_bool, to_number, to_text};
use crate::idp::expression_error::ExpressionError;

/// `IIF(condition, valueIfTrue, valueIfFalse)` (FUNCS IIF): only the chosen branch is
/// evaluated.
///
/// FUNCS "Known limitations": "If the source attribute used within the IIF function is empty
/// or null, the condition check fails", so any attribute read by the condition that is null
/// or empty makes the mapping fail for this object, naming the attribute (entra-wire.md
/// §1.4). \[Inf] Attributes read only by the branches do not count. A condition that is
/// neither true nor false (`"True"`/`"False"` in any case, a boolean, or a number) is an
/// error too.
pub(crate) fn iif(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let mut names = Vec::new();
    call.args[0].collect_attributes(&mut names);
    if let Some(name) = names.iter().find(|name| is_null_or_empty(&ev.attribute(name))) {
        return Err(call.fail(format!("source attribute [{name}] is null or empty, so the condition check fails")));
    }
    let condition = ev.arg(call, 0)?;
    match to_bool(&condition) {
        Ok(Some(true)) => ev.arg(call, 1).map(Cow::into_owned),
        Ok(Some(false)) => ev.arg(call, 2).map(Cow::into_owned),
        Ok(None) | Err(_) => {
            Err(call.fail(format!("condition evaluated to {}, which is neither True nor False", describe(&condition))))
        }
    }
}

/// How Switch reads its source and keys: as strings, null reading as `""`.
///
/// \[Inf] FUNCS recommends `Switch([country],[country],"","Other")` for "if country is empty
/// (or null)", so a null source matches the key `""`.
fn switch_text<'v>(call: &Call, value: &'v Value, what: &str) -> Outcome<Cow<'v, str>> {
    to_text(value).map(Option::unwrap_or_default).map_err(|message| call.fail(format!("{what} {message}")))
}

/// `Switch(source, defaultValue, key1, value1, …)` (FUNCS Switch): a case-sensitive string
/// comparison of the source with each key in turn; the value of the first matching key, else
/// the default value, which is null when it was left empty (entra-wire.md §1.4). A boolean
/// source reads as `"True"`/`"False"`, so the default `active` mapping works.
pub(crate) fn switch(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let source = ev.arg(call, 0)?;
    let source = switch_text(call, &source, "source")?;
    for pair in call.args[2..].chunks(2) {
        let key = ev.eval(&pair[0])?;
        if switch_text(call, &key, "key")? == source {
            return pair.get(1).map_or(Ok(Value::Null), |value| ev.eval(value).map(Cow::into_owned));
        }
    }
    ev.arg(call, 1).map(Cow::into_owned)
}

/// `Not(source)` (FUNCS Not): false when the source is true (a boolean, or `"True"` in any
/// case), otherwise true — so null and unrecognised values give true, as FUNCS words it.
pub(crate) fn not(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let truthy = match &*ev.arg(call, 0)? {
        Value::Bool(b) => *b,
        Value::String(s) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    };
    Ok(Value::Bool(!truthy))
}

/// `CBool(expression)` (FUNCS CBool): true for a non-zero number, `true`, or `"True"`; false
/// for zero, `false`, or `"False"`. \[Inf] Null gives false (as VB's `CBool(Empty)`), and
/// other strings are an error (as .NET's conversion throws).
pub(crate) fn c_bool(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let value = ev.arg(call, 0)?;
    match to_bool(&value) {
        Ok(b) => Ok(Value::Bool(b.unwrap_or(false))),
        Err(message) => Err(call.fail(message)),
    }
}

/// `left op right`, a boolean.
///
/// \[Inf] FUNCS lists the operators but not how they compare: numerically when one side is a
/// number and the other is a number or a numeric string (`DateDiff(…) > 5`), otherwise as
/// strings, ordinal and case-sensitive like Switch, null reading as `""`.
pub(crate) fn compare(ev: &Evaluator<'_>, comparison: &Comparison) -> Outcome {
    let left = ev.eval(&comparison.left)?;
    let right = ev.eval(&comparison.right)?;
    let numeric = matches!(*left, Value::Number(_)) || matches!(*right, Value::Number(_));
    let ordering = match (numeric, to_number(&left), to_number(&right)) {
        (true, Some(l), Some(r)) => l.partial_cmp(&r).unwrap_or(Ordering::Equal),
        _ => {
            let fail = |message: String| {
                Interrupt::Error(ExpressionError::syntax(
                    comparison.column,
                    format!("{:?} compares single values; {message}", comparison.op.symbol()),
                ))
            };
            let left = to_text(&left).map_err(fail)?.unwrap_or_default();
            left.cmp(&to_text(&right).map_err(fail)?.unwrap_or_default())
        }
    };
    let result = match comparison.op {
        CompareOp::Equal => ordering == Ordering::Equal,
        CompareOp::NotEqual => ordering != Ordering::Equal,
        CompareOp::Less => ordering == Ordering::Less,
        CompareOp::LessOrEqual => ordering != Ordering::Greater,
        CompareOp::Greater => ordering == Ordering::Greater,
        CompareOp::GreaterOrEqual => ordering != Ordering::Less,
    };
    Ok(Value::Bool(result))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::idp::entra::expression::test_source::{failure, parse_error, value};

    #[test]
    fn switch_reference_example() {
        // FUNCS Switch: "Replace a value based on predefined set of options".
        let text = r#"Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")"#;
        assert_eq!(value(text, json!({"state": "QLD"})), json!("Australia/Brisbane"));
        assert_eq!(value(text, json!({"state": "SA"})), json!("Australia/Adelaide"));
        assert_eq!(value(text, json!({"state": "WA"})), json!("Australia/Sydney"));
        // Case-sensitive.
        assert_eq!(value(text, json!({"state": "qld"})), json!("Australia/Sydney"));
    }

    #[test]
    fn switch_to_lower_example_and_empty_key() {
        // FUNCS Switch notes.
        let text = r#"Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")"#;
        assert_eq!(value(text, json!({"statusFlag": "TRUE"})), json!("1"));
        assert_eq!(value(text, json!({"statusFlag": "False"})), json!("0"));
        let text = r#"Switch([statusFlag], "Default Value", "true", "1", "", "0")"#;
        assert_eq!(value(text, json!({"statusFlag": ""})), json!("0"));
        assert_eq!(value(text, json!({"statusFlag": "true"})), json!("1"));
        assert_eq!(value(text, json!({"statusFlag": "x"})), json!("Default Value"));
    }

    #[test]
    fn switch_workaround_for_null_country() {
        // FUNCS IIF "Recommended workaround": Switch([country],[country],"","Other").
        let text = r#"Switch([country],[country],"","Other")"#;
        assert_eq!(value(text, json!({"country": ""})), json!("Other"));
        assert_eq!(value(text, json!({})), json!("Other"));
        assert_eq!(value(text, json!({"country": "NZ"})), json!("NZ"));
    }

    #[test]
    fn switch_without_match_or_default_is_null() {
        // entra-wire.md §1.4; FUNCS IgnoreFlowIfNullOrEmpty example 2 uses "" as the default.
        let text = r#"Switch([companyName], , "Company A", "A")"#;
        assert_eq!(value(text, json!({"companyName": "Company Z"})), json!(null));
        assert_eq!(value(text, json!({"companyName": "Company A"})), json!("A"));
    }

    #[test]
    fn switch_errors_on_multi_valued_source() {
        let text = r#"Switch([proxyAddresses], , "a", "b")"#;
        assert_eq!(
            failure(text, json!({"proxyAddresses": ["a", "b"]})),
            "Switch: source expects a single value, got a multi-valued value with 2 values (column 1)"
        );
    }

    #[test]
    fn is_present_switch_example() {
        // FUNCS IsPresent example: the keys are booleans, compared as "True"/"False".
        let text = "Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])";
        let object = json!({"skiplevelManager": "skip", "director": "dir"});
        // Source "False"; key IsPresent([skiplevelManager]) is "True", IsPresent([director]) is "True": no match.
        assert_eq!(value(text, object), json!(null));
        let object = json!({"directManager": "direct", "skiplevelManager": "skip"});
        // Source "True" matches the first key, IsPresent([skiplevelManager]).
        assert_eq!(value(text, object), json!("skip"));
    }

    #[test]
    fn iif_reference_examples() {
        // FUNCS IIF example and its AND / OR nesting.
        let text = r#"IIF([country]="USA",[country],[department])"#;
        assert_eq!(value(text, json!({"country": "USA", "department": "Sales"})), json!("USA"));
        assert_eq!(value(text, json!({"country": "NZ", "department": "Sales"})), json!("Sales"));
        let and = r#"IIF([country]="USA",IIF([state]="CA","True","False"),"False")"#;
        assert_eq!(value(and, json!({"country": "USA", "state": "CA"})), json!("True"));
        assert_eq!(value(and, json!({"country": "USA", "state": "WA"})), json!("False"));
        // The inner IIF is never evaluated, so a null state does not fail.
        assert_eq!(value(and, json!({"country": "NZ"})), json!("False"));
        let or = r#"IIF([country]="USA","True",IIF([state]="CA","True","False"))"#;
        assert_eq!(value(or, json!({"country": "NZ", "state": "CA"})), json!("True"));
        assert_eq!(value(or, json!({"country": "USA"})), json!("True"));
    }

    #[test]
    fn switch_caution_resolution_example() {
        // FUNCS Switch "Caution": the IIF chain it recommends instead of a Switch.
        let text = r#"IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))"#;
        assert_eq!(value(text, json!({"companyName": "Company A"})), json!("A"));
        assert_eq!(value(text, json!({"companyName": "Company B"})), json!("B"));
        assert_eq!(value(text, json!({"companyName": "Company C"})), json!("External"));
        // The caution's own lower-case "switch" is not a function: names are case-sensitive.
        let err = parse_error(r#"switch([companyName], "External", "Company A", "A", "Company B", "B")"#);
        assert_eq!(err.to_string(), "unknown function \"switch\" at column 1 (did you mean \"Switch\"?)");
    }

    #[test]
    fn iif_fails_on_null_or_empty_sources() {
        // FUNCS IIF "Known limitations": the unsupported examples fail.
        let message = "IIF: source attribute [country] is null or empty, so the condition check fails (column 1)";
        assert_eq!(failure(r#"IIF([country]="","Other",[country])"#, json!({"country": ""})), message);
        assert_eq!(failure(r#"IIF(IsNullOrEmpty([country]),"Other",[country])"#, json!({})), message);
        assert_eq!(failure(r#"IIF(IsPresent([country]),[country],"Other")"#, json!({})), message);
        let nested = r#"IIF([country]="USA",IIF([state]="CA","True","False"),"False")"#;
        assert_eq!(
            failure(nested, json!({"country": "USA"})),
            "IIF: source attribute [state] is null or empty, so the condition check fails (column 21)"
        );
    }

    #[test]
    fn iif_condition_must_be_boolean() {
        assert_eq!(value(r#"IIF([enabled], "on", "off")"#, json!({"enabled": true})), json!("on"));
        assert_eq!(value(r#"IIF([enabled], "on", "off")"#, json!({"enabled": "False"})), json!("off"));
        assert_eq!(
            failure(r#"IIF([city], "on", "off")"#, json!({"city": "Paris"})),
            "IIF: condition evaluated to \"Paris\", which is neither True nor False (column 1)"
        );
    }

    #[test]
    fn comparisons() {
        let o = json!({"a": "b", "n": "10", "t": true});
        assert_eq!(value(r#"[a] = "b""#, o.clone()), json!(true));
        assert_eq!(value(r#"[a] = "B""#, o.clone()), json!(false));
        assert_eq!(value(r#"[a] <> "B""#, o.clone()), json!(true));
        assert_eq!(value(r#"[a] < "c""#, o.clone()), json!(true));
        // A number on one side compares numerically: "10" > 9, though "10" < "9" as strings.
        assert_eq!(value("[n] > 9", o.clone()), json!(true));
        assert_eq!(value(r#"[n] > "9""#, o.clone()), json!(false));
        assert_eq!(value("[n] >= 10", o.clone()), json!(true));
        assert_eq!(value("[n] <= 9.5", o.clone()), json!(false));
        assert_eq!(value(r#"[t] = "True""#, o.clone()), json!(true));
        assert_eq!(value(r#"[missing] = """#, o), json!(true));
        assert_eq!(
            failure(r#"[p] = "a""#, json!({"p": ["a", "b"]})),
            "\"=\" compares single values; expects a single value, got a multi-valued value with 2 values at column 5"
        );
    }

    #[test]
    fn not_flips_true_and_false() {
        // FUNCS Not: "If source value is True, returns False. Otherwise, returns True."
        assert_eq!(value(r#"Not("True")"#, json!({})), json!(false));
        assert_eq!(value(r#"Not("False")"#, json!({})), json!(true));
        assert_eq!(value("Not([accountEnabled])", json!({"accountEnabled": true})), json!(false));
        assert_eq!(value("Not([accountEnabled])", json!({"accountEnabled": false})), json!(true));
        assert_eq!(value("Not([accountEnabled])", json!({})), json!(true));
        assert_eq!(value(r#"Not("yes")"#, json!({})), json!(true));
    }

    #[test]
    fn c_bool_converts() {
        // FUNCS CBool example: CBool([attribute1] = [attribute2]).
        let text = "CBool([attribute1] = [attribute2])";
        assert_eq!(value(text, json!({"attribute1": "x", "attribute2": "x"})), json!(true));
        assert_eq!(value(text, json!({"attribute1": "x", "attribute2": "y"})), json!(false));
        assert_eq!(value("CBool(5)", json!({})), json!(true));
        assert_eq!(value("CBool(0)", json!({})), json!(false));
        assert_eq!(value(r#"CBool("true")"#, json!({})), json!(true));
        assert_eq!(value("CBool([x])", json!({})), json!(false));
        assert_eq!(failure(r#"CBool("maybe")"#, json!({})), "CBool: cannot read \"maybe\" as True or False (column 1)");
    }
}
