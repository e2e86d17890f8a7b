//! How functions read values: Entra's attributes arrive as JSON values (strings, booleans,
//! numbers, arrays for multi-valued attributes), and functions read them the way .NET would
//! (a boolean reads as `"True"`).

use std::borrow::Cow;

use serde_json::Value;

/// .NET's `Boolean.ToString()`: `"True"` or `"False"`.
pub(crate) fn bool_text(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// Names a value's shape for error messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => bool_text(*b).to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(values) => format!("a multi-valued value with {} values", values.len()),
        Value::Object(_) => "an object".to_string(),
    }
}

/// A single value as text, or `None` for null: borrowed where the value holds the text.
///
/// Booleans read as `"True"`/`"False"` and numbers in their decimal form. \[Inf] FUNCS does not
/// say how single-valued functions read a multi-valued attribute: a one-element array reads as
/// its element and an empty one as null; more elements (or an object) are an error rather
/// than a silent choice.
pub(crate) fn to_text(value: &Value) -> Result<Option<Cow<'_, str>>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(Cow::Borrowed(bool_text(*b)))),
        Value::Number(n) => Ok(Some(Cow::Owned(n.to_string()))),
        Value::String(s) => Ok(Some(Cow::Borrowed(s))),
        Value::Array(values) => match values.as_slice() {
            [] => Ok(None),
            [single] => to_text(single),
            _ => Err(format!("expects a single value, got {}", describe(value))),
        },
        Value::Object(_) => Err("expects a string, got an object".to_string()),
    }
}

/// [`to_text`] of a borrowed or owned value: borrowed text stays borrowed, and an owned
/// string is moved out, not copied.
pub(crate) fn into_text(value: Cow<'_, Value>) -> Result<Option<Cow<'_, str>>, String> {
    match value {
        Cow::Borrowed(value) => to_text(value),
        Cow::Owned(Value::String(s)) => Ok(Some(Cow::Owned(s))),
        Cow::Owned(other) => to_text(&other).map(|text| text.map(|text| Cow::Owned(text.into_owned()))),
    }
}

/// Whether a value is null, an empty string or an empty multi-valued attribute (FUNCS
/// IsNullOrEmpty, IgnoreFlowIfNullOrEmpty).
pub(crate) fn is_null_or_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(values) => values.is_empty(),
        _ => false,
    }
}

/// A value as a whole number, or `None` for null. Numeric strings are read as numbers, as
/// .NET's conversions do.
pub(crate) fn to_integer(value: &Value) -> Result<Option<i64>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(Some(i)),
            // Integral and well inside i64's range, so the cast is exact.
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
            _ => Err(format!("expects a whole number, got {n}")),
        },
        Value::String(s) => match s.trim().parse::<i64>() {
            Ok(i) => Ok(Some(i)),
            Err(_) => Err(format!("expects a whole number, got {s:?}")),
        },
        Value::Array(values) if values.len() == 1 => to_integer(&values[0]),
        other => Err(format!("expects a whole number, got {}", describe(other))),
    }
}

/// A value as a number for comparisons: JSON numbers, and strings that read as one.
pub(crate) fn to_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// A value as a boolean, or `None` for null: booleans, `"True"`/`"False"` in any case, and
/// numbers (or numeric strings), non-zero being true (FUNCS CBool).
pub(crate) fn to_bool(value: &Value) -> Result<Option<bool>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        Value::Array(values) if values.len() == 1 => to_bool(&values[0]),
        other => match to_number(other) {
            Some(n) => Ok(Some(n != 0.0)),
            None => Err(format!("cannot read {} as True or False", describe(other))),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn text_reads_like_dot_net() {
        assert_eq!(to_text(&json!(true)), Ok(Some("True".into())));
        assert_eq!(to_text(&json!(false)), Ok(Some("False".into())));
        assert_eq!(to_text(&json!(42)), Ok(Some("42".into())));
        assert_eq!(to_text(&json!(1.5)), Ok(Some("1.5".into())));
        assert_eq!(to_text(&json!("x")), Ok(Some("x".into())));
        assert_eq!(to_text(&json!(null)), Ok(None));
        assert_eq!(to_text(&json!(["only"])), Ok(Some("only".into())));
        assert_eq!(to_text(&json!([])), Ok(None));
        assert_eq!(
            to_text(&json!(["a", "b"])),
            Err("expects a single value, got a multi-valued value with 2 values".to_string())
        );
        assert_eq!(to_text(&json!({"a": 1})), Err("expects a string, got an object".to_string()));
    }

    #[test]
    fn emptiness() {
        assert!(is_null_or_empty(&json!(null)));
        assert!(is_null_or_empty(&json!("")));
        assert!(is_null_or_empty(&json!([])));
        assert!(!is_null_or_empty(&json!(" ")));
        assert!(!is_null_or_empty(&json!(false)));
        assert!(!is_null_or_empty(&json!(0)));
    }

    #[test]
    fn integers() {
        assert_eq!(to_integer(&json!(3)), Ok(Some(3)));
        assert_eq!(to_integer(&json!(-3)), Ok(Some(-3)));
        assert_eq!(to_integer(&json!(3.0)), Ok(Some(3)));
        assert_eq!(to_integer(&json!(" 7 ")), Ok(Some(7)));
        assert_eq!(to_integer(&json!(null)), Ok(None));
        assert_eq!(to_integer(&json!(1.5)), Err("expects a whole number, got 1.5".to_string()));
        assert_eq!(to_integer(&json!("x")), Err("expects a whole number, got \"x\"".to_string()));
        assert_eq!(to_integer(&json!(true)), Err("expects a whole number, got True".to_string()));
        assert_eq!(to_integer(&json!(1e300)), Err("expects a whole number, got 1e+300".to_string()));
    }

    #[test]
    fn booleans() {
        assert_eq!(to_bool(&json!(true)), Ok(Some(true)));
        assert_eq!(to_bool(&json!("TRUE")), Ok(Some(true)));
        assert_eq!(to_bool(&json!("false")), Ok(Some(false)));
        assert_eq!(to_bool(&json!(0)), Ok(Some(false)));
        assert_eq!(to_bool(&json!(-2)), Ok(Some(true)));
        assert_eq!(to_bool(&json!("1")), Ok(Some(true)));
        assert_eq!(to_bool(&json!(null)), Ok(None));
        assert_eq!(to_bool(&json!("yes")), Err("cannot read \"yes\" as True or False".to_string()));
    }
}
