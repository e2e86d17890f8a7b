//! Array functions (EL doc "Array functions").
//!
//! How an argument reads as an array:
//! - an array is itself;
//! - null is the empty array: the EL doc gives `Arrays.size(NULL)` = 0 and
//!   `Arrays.isEmpty(NULL)` = true, and \[INFERRED] the other functions read it the same way;
//! - a string is a comma-separated list (EL doc: "You can use comma-separated values (CSV) as
//!   an input parameter for all `Arrays*` functions"), split and trimmed as Spring's
//!   string-to-collection conversion does, so `'10, 20'` is `{"10", "20"}` and `''` is empty;
//! - \[INFERRED] any other value is a one-element array (Spring's object-to-collection
//!   conversion).
//!
//! Elements are compared with the `==` operator's equality.

use serde_json::Value;

use super::evaluator::{Evaluator, Outcome};
use super::operator::equals;
use super::syntax::Call;
use super::value::to_text;

/// `value` read as an array argument.
fn elements(value: Value) -> Vec<Value> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items,
        Value::String(text) if text.is_empty() => Vec::new(),
        Value::String(text) => text.split(',').map(|item| Value::String(item.trim().to_string())).collect(),
        other => vec![other],
    }
}

/// Argument `index` read as an array.
fn array_arg(ev: &Evaluator<'_>, call: &Call, index: usize) -> Outcome<Vec<Value>> {
    Ok(elements(ev.arg(call, index)?))
}

/// `Arrays.add(array, value)`: the array with the value appended.
pub(crate) fn add(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let mut items = array_arg(ev, call, 0)?;
    items.push(ev.arg(call, 1)?);
    Ok(Value::Array(items))
}

/// `Arrays.remove(array, value)`: the array without the value. \[INFERRED] Only its first
/// occurrence goes, as Java's `List.remove(Object)` does.
pub(crate) fn remove(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let mut items = array_arg(ev, call, 0)?;
    let value = ev.arg(call, 1)?;
    if let Some(position) = items.iter().position(|item| equals(item, &value)) {
        items.remove(position);
    }
    Ok(Value::Array(items))
}

/// `Arrays.clear(array)`: the empty array (the argument is still evaluated).
pub(crate) fn clear(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    ev.arg(call, 0)?;
    Ok(Value::Array(Vec::new()))
}

/// `Arrays.get(array, position)`: the element at the 0-based position. \[INFERRED] A position
/// outside the array gives null, as Commons Lang's `ArrayUtils.get` does; the `[]` operator
/// fails instead, as in SpEL.
pub(crate) fn get(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let items = array_arg(ev, call, 0)?;
    let position = ev.integer_arg(call, 1)?;
    Ok(usize::try_from(position).ok().and_then(|i| items.into_iter().nth(i)).unwrap_or(Value::Null))
}

/// `Arrays.flatten(values...)`: every argument's elements, with nested arrays flattened at any
/// depth, in order. Null elements inside arrays are kept.
pub(crate) fn flatten(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let mut flat = Vec::new();
    for index in 0..call.args.len() {
        // An explicit stack, so a deeply nested source value cannot exhaust the call stack.
        let mut stack = vec![array_arg(ev, call, index)?.into_iter()];
        while let Some(top) = stack.last_mut() {
            match top.next() {
                Some(Value::Array(inner)) => stack.push(inner.into_iter()),
                Some(item) => flat.push(item),
                None => {
                    stack.pop();
                }
            }
        }
    }
    Ok(Value::Array(flat))
}

/// `Arrays.contains(array, value)`.
pub(crate) fn contains(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let items = array_arg(ev, call, 0)?;
    let value = ev.arg(call, 1)?;
    Ok(Value::Bool(items.iter().any(|item| equals(item, &value))))
}

/// `Arrays.size(array)`.
pub(crate) fn size(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::from(array_arg(ev, call, 0)?.len()))
}

/// `Arrays.isEmpty(array)`.
pub(crate) fn is_empty(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::Bool(array_arg(ev, call, 0)?.is_empty()))
}

/// `Arrays.toCsvString(array)`: the elements' text joined with `,`, without spaces added or
/// removed (EL doc: `{"This", "is", " a ", "test"}` → `This,is, a ,test`). \[INFERRED] A null
/// element reads as empty.
pub(crate) fn to_csv_string(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let items = Value::Array(array_arg(ev, call, 0)?);
    let text = to_text(&items).map_err(|message| call.fail(format!("argument 1 {message}")))?;
    Ok(Value::String(text.unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::idp::okta::expression::test_source::{failure, value};

    fn eval(text: &str) -> serde_json::Value {
        value(text, json!({"user.arrayAttribute": [10, 20, 30]}))
    }

    #[test]
    fn documented_examples() {
        // EL doc "Array functions", every row, with user.arrayAttribute = {10, 20, 30}.
        assert_eq!(eval("Arrays.add(user.arrayAttribute, 40)"), json!([10, 20, 30, 40]));
        assert_eq!(eval("Arrays.remove(user.arrayAttribute, 20)"), json!([10, 30]));
        assert_eq!(eval("Arrays.clear(user.arrayAttribute)"), json!([]));
        assert_eq!(eval("Arrays.get({0, 1, 2}, 0)"), json!(0));
        assert_eq!(eval("Arrays.flatten(10, {20, 30}, 40)"), json!([10, 20, 30, 40]));
        // The CSV form gives strings, which the EL doc's output shows without quotes.
        assert_eq!(eval("Arrays.flatten('10, 20, 30, 40')"), json!(["10", "20", "30", "40"]));
        assert_eq!(eval("Arrays.contains({10, 20, 30}, 10)"), json!(true));
        assert_eq!(eval("Arrays.contains({10, 20, 30}, 50)"), json!(false));
        assert_eq!(eval("Arrays.size({10, 20, 30})"), json!(3));
        assert_eq!(eval("Arrays.size(NULL)"), json!(0));
        assert_eq!(eval("Arrays.isEmpty({10, 20})"), json!(false));
        assert_eq!(eval("Arrays.isEmpty(NULL)"), json!(true));
        assert_eq!(eval(r#"Arrays.toCsvString({"This", "is", " a ", "test"})"#), json!("This,is, a ,test"));
        // The same with inline arrays, as an older revision of the EL doc wrote them.
        assert_eq!(eval("Arrays.add({10, 20, 30}, 40)"), json!([10, 20, 30, 40]));
        assert_eq!(eval("Arrays.remove({10, 20, 30}, 20)"), json!([10, 30]));
        assert_eq!(eval("Arrays.clear({10, 20, 30})"), json!([]));
        // EL doc "OAuth 2.0/OIDC custom claims": scopes as a space-separated string.
        let scopes = value(
            r#"String.replace(Arrays.toCsvString(access.scope),","," ")"#,
            json!({"access.scope": ["openid", "email"]}),
        );
        assert_eq!(scopes, json!("openid email"));
        // EL doc "Expressions in group rules".
        let colors = json!({"user.favoriteColors": ["red", "blue"]});
        assert_eq!(value(r#"Arrays.contains(user.favoriteColors, "blue")"#, colors), json!(true));
    }

    #[test]
    fn null_reads_as_the_empty_array() {
        assert_eq!(eval("Arrays.add(user.x, 1)"), json!([1]));
        assert_eq!(eval("Arrays.remove(user.x, 1)"), json!([]));
        assert_eq!(eval("Arrays.clear(null)"), json!([]));
        assert_eq!(eval("Arrays.get(user.x, 0)"), json!(null));
        assert_eq!(eval("Arrays.flatten(null, 1, user.x)"), json!([1]));
        assert_eq!(eval("Arrays.contains(user.x, null)"), json!(false));
        assert_eq!(eval("Arrays.toCsvString(user.x)"), json!(""));
        assert_eq!(eval("Arrays.add({1}, null)"), json!([1, null]));
        assert_eq!(eval("Arrays.flatten({1, null}, {})"), json!([1, null]));
        assert_eq!(eval("Arrays.toCsvString({'a', null, 'b'})"), json!("a,,b"));
    }

    #[test]
    fn strings_are_comma_separated_lists() {
        assert_eq!(eval("Arrays.size('a, b,c')"), json!(3));
        assert_eq!(eval("Arrays.size('')"), json!(0));
        assert_eq!(eval("Arrays.isEmpty('')"), json!(true));
        assert_eq!(eval("Arrays.size('single')"), json!(1));
        assert_eq!(eval("Arrays.contains('red, blue', 'blue')"), json!(true));
        assert_eq!(eval("Arrays.add('a,b', 'c')"), json!(["a", "b", "c"]));
        assert_eq!(eval("Arrays.get('a, b', 1)"), json!("b"));
        assert_eq!(eval("Arrays.size('a,')"), json!(2));
        assert_eq!(eval("Arrays.contains({'a,b'}, 'a')"), json!(false), "elements are not split");
        assert_eq!(eval("Arrays.flatten({'a,b'})"), json!(["a,b"]));
    }

    #[test]
    fn scalars_are_one_element_arrays() {
        assert_eq!(eval("Arrays.size(5)"), json!(1));
        assert_eq!(eval("Arrays.contains(true, true)"), json!(true));
        assert_eq!(eval("Arrays.toCsvString(1.5)"), json!("1.5"));
    }

    #[test]
    fn flatten_nests_at_any_depth() {
        assert_eq!(eval("Arrays.flatten({1, {2, {3, {4}}}}, {}, 5)"), json!([1, 2, 3, 4, 5]));
        assert_eq!(eval("Arrays.flatten()"), json!([]));
        let deep = (0..500).fold(json!("x"), |inner, _| json!([inner]));
        assert_eq!(value("Arrays.flatten(user.deep)", json!({"user.deep": deep})), json!(["x"]));
    }

    #[test]
    fn equality_and_positions() {
        assert_eq!(eval("Arrays.contains({1.0}, 1)"), json!(true));
        assert_eq!(eval("Arrays.contains({'1'}, 1)"), json!(false));
        assert_eq!(eval("Arrays.remove({1, 2, 1}, 1)"), json!([2, 1]));
        assert_eq!(eval("Arrays.remove({1, 2}, 3)"), json!([1, 2]));
        assert_eq!(eval("Arrays.get(user.arrayAttribute, 2)"), json!(30));
        assert_eq!(eval("Arrays.get(user.arrayAttribute, 3)"), json!(null));
        assert_eq!(eval("Arrays.get(user.arrayAttribute, -1)"), json!(null));
        assert_eq!(eval("Arrays.size(Arrays.add(user.arrayAttribute, 40))"), json!(4));
        assert_eq!(
            failure("Arrays.get({1}, 'x')", json!({})),
            "Arrays.get: argument 2 must be a whole number, got \"x\" (column 1)"
        );
        assert_eq!(
            failure("Arrays.toCsvString({user.m})", json!({"user.m": {"a": 1}})),
            "Arrays.toCsvString: argument 1 must be text, got an object (column 1)"
        );
    }
}
