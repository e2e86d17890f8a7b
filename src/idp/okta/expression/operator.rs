//! What the operators do with their operands, as SpEL defines it (the EL doc documents the
//! operators but not their behaviour on mixed or null operands).
//!
//! - `+` adds two numbers, and concatenates when either side is a string; a null operand of
//!   a concatenation reads `"null"` (SpEL, so `null + "x"` is `"nullx"`). Any other pair
//!   (`null + null`, `1 + true`) is an error, as in SpEL.
//! - `-`, `*`, `/`, `%` take numbers only. \[INFERRED] Whole numbers are 64-bit and overflow is
//!   an error (Java's `int` would wrap silently); division by zero is an error.
//! - `==`/`!=` compare numbers by value (`1 == 1.0`) and anything else by type and value, so
//!   `"123" == 123` is false (SpEL).
//! - `<`, `<=`, `>`, `>=` order numbers, strings (by UTF-16 code unit, as Java's `compareTo`)
//!   and booleans (`false < true`); null is less than any value and equal to null (SpEL's
//!   standard type comparator). Other pairs cannot be compared: an error.
//! - `matches` is in [`super::pattern`].

use std::cmp::Ordering;

use serde_json::Value;

use super::pattern;
use super::syntax::{ArithmeticOp, CompareOp};
use super::value::{Numeric, describe, numeric, to_text};

/// `left op right` for an arithmetic operator.
pub(crate) fn arithmetic(op: ArithmeticOp, left: &Value, right: &Value) -> Result<Value, String> {
    if let (Some(a), Some(b)) = (numeric(left), numeric(right)) {
        return calculate(op, a, b)?.into_value();
    }
    if op == ArithmeticOp::Add && (left.is_string() || right.is_string()) {
        return Ok(Value::String(concatenation_text(left)? + &concatenation_text(right)?));
    }
    Err(format!("operator \"{}\" is not supported between {} and {}", op.symbol(), describe(left), describe(right)))
}

/// A concatenation operand as text: null reads `"null"`.
fn concatenation_text(value: &Value) -> Result<String, String> {
    match to_text(value) {
        Ok(text) => Ok(text.unwrap_or_else(|| "null".to_string())),
        Err(_) => Err(format!("operator \"+\" cannot concatenate {}", describe(value))),
    }
}

/// Arithmetic on two numbers: whole when both are whole, else on doubles (Java's promotion).
fn calculate(op: ArithmeticOp, a: Numeric, b: Numeric) -> Result<Numeric, String> {
    if let (Numeric::Integer(x), Numeric::Integer(y)) = (a, b) {
        if y == 0 && matches!(op, ArithmeticOp::Divide | ArithmeticOp::Remainder) {
            return Err("division by zero".to_string());
        }
        let result = match op {
            ArithmeticOp::Add => x.checked_add(y),
            ArithmeticOp::Subtract => x.checked_sub(y),
            ArithmeticOp::Multiply => x.checked_mul(y),
            ArithmeticOp::Divide => x.checked_div(y),
            ArithmeticOp::Remainder => x.checked_rem(y),
        };
        return result.map(Numeric::Integer).ok_or_else(|| format!("{x} {} {y} overflows", op.symbol()));
    }
    let (x, y) = (a.as_f64(), b.as_f64());
    Ok(Numeric::Decimal(match op {
        ArithmeticOp::Add => x + y,
        ArithmeticOp::Subtract => x - y,
        ArithmeticOp::Multiply => x * y,
        ArithmeticOp::Divide => x / y,
        ArithmeticOp::Remainder => x % y,
    }))
}

/// `-operand`.
pub(crate) fn negate(operand: &Value) -> Result<Value, String> {
    match numeric(operand) {
        Some(Numeric::Integer(i)) => i.checked_neg().map(Value::from).ok_or_else(|| format!("-({i}) overflows")),
        Some(Numeric::Decimal(f)) => Numeric::Decimal(-f).into_value(),
        None => Err(format!("operator \"-\" needs a number, got {}", describe(operand))),
    }
}

/// `left op right` for a relational operator.
pub(crate) fn relation(op: CompareOp, left: &Value, right: &Value) -> Result<bool, String> {
    Ok(match op {
        CompareOp::Equal => equals(left, right),
        CompareOp::NotEqual => !equals(left, right),
        CompareOp::Less => order(left, right)?.is_lt(),
        CompareOp::LessOrEqual => order(left, right)?.is_le(),
        CompareOp::Greater => order(left, right)?.is_gt(),
        CompareOp::GreaterOrEqual => order(left, right)?.is_ge(),
        CompareOp::Matches => pattern::matches(left, right)?,
    })
}

/// SpEL's equality: numbers by value, arrays element by element, anything else by type and
/// value. Also what `Arrays.contains` and `Arrays.remove` look for.
pub(crate) fn equals(left: &Value, right: &Value) -> bool {
    match (numeric(left), numeric(right), left, right) {
        (Some(Numeric::Integer(a)), Some(Numeric::Integer(b)), ..) => a == b,
        (Some(a), Some(b), ..) => a.as_f64() == b.as_f64(),
        (_, _, Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equals(x, y)),
        _ => left == right,
    }
}

/// SpEL's standard ordering.
fn order(left: &Value, right: &Value) -> Result<Ordering, String> {
    let incomparable = || format!("cannot compare {} with {}", describe(left), describe(right));
    match (left, right) {
        (Value::Null, Value::Null) => Ok(Ordering::Equal),
        (Value::Null, _) => Ok(Ordering::Less),
        (_, Value::Null) => Ok(Ordering::Greater),
        (Value::String(a), Value::String(b)) => Ok(a.encode_utf16().cmp(b.encode_utf16())),
        (Value::Bool(a), Value::Bool(b)) => Ok(a.cmp(b)),
        _ => match (numeric(left), numeric(right)) {
            (Some(Numeric::Integer(a)), Some(Numeric::Integer(b))) => Ok(a.cmp(&b)),
            (Some(a), Some(b)) => a.as_f64().partial_cmp(&b.as_f64()).ok_or_else(incomparable),
            _ => Err(incomparable()),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn add(left: Value, right: Value) -> Result<Value, String> {
        arithmetic(ArithmeticOp::Add, &left, &right)
    }

    #[test]
    fn plus_adds_numbers_and_concatenates_strings() {
        assert_eq!(add(json!(1), json!(2)), Ok(json!(3)));
        assert_eq!(add(json!(1), json!(0.5)), Ok(json!(1.5)));
        assert_eq!(add(json!("a"), json!("b")), Ok(json!("ab")));
        assert_eq!(add(json!("n"), json!(1)), Ok(json!("n1")));
        assert_eq!(add(json!(1.0), json!("x")), Ok(json!("1.0x")));
        assert_eq!(add(json!("x"), json!(true)), Ok(json!("xtrue")));
        assert_eq!(add(json!("x"), json!(["a", "b"])), Ok(json!("xa,b")));
        // SpEL: a null operand of a concatenation reads "null".
        assert_eq!(add(json!(null), json!("x")), Ok(json!("nullx")));
        assert_eq!(add(json!("x"), json!(null)), Ok(json!("xnull")));
        assert_eq!(add(json!(""), json!(null)), Ok(json!("null")));
    }

    #[test]
    fn plus_rejects_what_spel_rejects() {
        assert_eq!(add(json!(null), json!(null)), Err("operator \"+\" is not supported between null and null".into()));
        assert_eq!(add(json!(1), json!(null)), Err("operator \"+\" is not supported between 1 and null".into()));
        assert_eq!(add(json!(true), json!(1)), Err("operator \"+\" is not supported between true and 1".into()));
        assert_eq!(add(json!("x"), json!({"a": 1})), Err("operator \"+\" cannot concatenate an object".into()));
    }

    #[test]
    fn other_arithmetic_takes_numbers() {
        let op = |op, a: Value, b: Value| arithmetic(op, &a, &b);
        assert_eq!(op(ArithmeticOp::Subtract, json!(10), json!(20)), Ok(json!(-10)));
        assert_eq!(op(ArithmeticOp::Multiply, json!(3), json!(1.5)), Ok(json!(4.5)));
        assert_eq!(op(ArithmeticOp::Divide, json!(7), json!(2)), Ok(json!(3)), "whole division truncates");
        assert_eq!(op(ArithmeticOp::Divide, json!(-7), json!(2)), Ok(json!(-3)));
        assert_eq!(op(ArithmeticOp::Divide, json!(7.0), json!(2)), Ok(json!(3.5)));
        assert_eq!(op(ArithmeticOp::Remainder, json!(-7), json!(3)), Ok(json!(-1)), "Java's sign rule");
        assert_eq!(op(ArithmeticOp::Divide, json!(1), json!(0)), Err("division by zero".into()));
        assert_eq!(op(ArithmeticOp::Remainder, json!(1), json!(0)), Err("division by zero".into()));
        assert_eq!(
            op(ArithmeticOp::Divide, json!(1.0), json!(0)),
            Err("the result Infinity is not a finite number".into())
        );
        assert_eq!(
            op(ArithmeticOp::Multiply, json!(i64::MAX), json!(2)),
            Err("9223372036854775807 * 2 overflows".into())
        );
        assert_eq!(
            op(ArithmeticOp::Subtract, json!("5"), json!(1)),
            Err("operator \"-\" is not supported between \"5\" and 1".into())
        );
        assert_eq!(negate(&json!(5)), Ok(json!(-5)));
        assert_eq!(negate(&json!(-2.5)), Ok(json!(2.5)));
        assert_eq!(negate(&json!(i64::MIN)), Err("-(-9223372036854775808) overflows".into()));
        assert_eq!(negate(&json!("5")), Err("operator \"-\" needs a number, got \"5\"".into()));
    }

    #[test]
    fn equality_is_by_type_and_value() {
        assert!(equals(&json!(123), &json!(123)));
        assert!(equals(&json!(1), &json!(1.0)));
        assert!(!equals(&json!("123"), &json!(123)), "SpEL does not convert for ==");
        assert!(equals(&json!(null), &json!(null)));
        assert!(!equals(&json!(null), &json!("")), "null and blank differ");
        assert!(equals(&json!("a"), &json!("a")));
        assert!(!equals(&json!("a"), &json!("A")));
        assert!(equals(&json!([1, "a"]), &json!([1.0, "a"])));
        assert!(!equals(&json!([1]), &json!([1, 2])));
        assert!(equals(&json!(true), &json!(true)));
        assert_eq!(relation(CompareOp::NotEqual, &json!(null), &json!("")), Ok(true));
    }

    #[test]
    fn ordering_follows_spel() {
        let rel = |op, a: Value, b: Value| relation(op, &a, &b);
        assert_eq!(rel(CompareOp::GreaterOrEqual, json!(1_000_000), json!(1_000_000)), Ok(true));
        assert_eq!(rel(CompareOp::Greater, json!(2.5), json!(2)), Ok(true));
        assert_eq!(rel(CompareOp::Less, json!("apple"), json!("banana")), Ok(true));
        assert_eq!(rel(CompareOp::Less, json!("Z"), json!("a")), Ok(true), "by code unit, not alphabet");
        assert_eq!(rel(CompareOp::LessOrEqual, json!(false), json!(true)), Ok(true));
        // Null is less than anything.
        assert_eq!(rel(CompareOp::Less, json!(null), json!(0)), Ok(true));
        assert_eq!(rel(CompareOp::Greater, json!(null), json!(0)), Ok(false));
        assert_eq!(rel(CompareOp::GreaterOrEqual, json!(null), json!(null)), Ok(true));
        assert_eq!(rel(CompareOp::Greater, json!("a"), json!(null)), Ok(true));
        assert_eq!(rel(CompareOp::Less, json!("1"), json!(2)), Err("cannot compare \"1\" with 2".into()));
        assert_eq!(
            rel(CompareOp::Less, json!([1]), json!([2])),
            Err("cannot compare an array of 1 value with an array of 1 value".into())
        );
    }
}
