//! Data conversion functions (EL doc "Data conversion functions"): `Convert.toInt` and
//! `Convert.toNum`.

use serde_json::Value;

use super::evaluator::{Evaluator, Outcome};
use super::syntax::Call;
use super::value::{Numeric, describe, numeric};

/// `Convert.toInt(value)`: a string read as a whole number (`'1234'` → 1234), or a number
/// rounded to the nearest whole number (EL doc: 123.4 → 123, 123.6 → 124).
///
/// \[INFERRED] Halves round up, as Java's `Math.round` does (`2.5` → 3, `-2.5` → -2). A string
/// must be a plain whole number, as Java's `Integer.parseInt` requires (`'12.5'` and `' 1'`
/// fail). The result must fit Java's `int` (the EL doc warns of "integer type range
/// limitations"): outside it, and for null or other values, the conversion fails rather than
/// overflowing silently.
pub(crate) fn to_int(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let value = ev.arg(call, 0)?;
    let fail = || call.fail(format!("cannot convert {} to an integer", describe(&value)));
    let whole = match (&value, numeric(&value)) {
        (_, Some(Numeric::Integer(i))) => i,
        (_, Some(Numeric::Decimal(f))) => {
            let floor = f.floor();
            let rounded = if f - floor >= 0.5 { floor + 1.0 } else { floor };
            if !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&rounded) {
                return Err(call.fail(format!("{} is out of the integer range", describe(&value))));
            }
            // Within i32's range after the check, so the cast is exact.
            rounded as i64
        }
        (Value::String(text), None) => text.parse::<i64>().map_err(|_| fail())?,
        _ => return Err(fail()),
    };
    match i32::try_from(whole) {
        Ok(int) => Ok(Value::from(int)),
        Err(_) => Err(call.fail(format!("{} is out of the integer range", describe(&value)))),
    }
}

/// `Convert.toNum(value)`: a string read as a decimal number (`'3.141'` → 3.141), as Java's
/// `Double.parseDouble` reads it (surrounding whitespace allowed); numbers become doubles.
/// \[INFERRED] Null, other values and strings naming no finite number fail.
pub(crate) fn to_num(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let value = ev.arg(call, 0)?;
    let number = match (&value, numeric(&value)) {
        (_, Some(number)) => Some(number.as_f64()),
        (Value::String(text), None) => text.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    };
    let number = number.ok_or_else(|| call.fail(format!("cannot convert {} to a number", describe(&value))))?;
    Numeric::Decimal(number).into_value().map_err(|message| call.fail(message))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::idp::okta::expression::test_source::{failure, value};

    /// `function(user.val)` with `user.val` set to `val`.
    fn convert(function: &str, val: Value) -> Value {
        value(&format!("{function}(user.val)"), json!({ "user.val": val }))
    }

    fn convert_failure(function: &str, val: Value) -> String {
        failure(&format!("{function}(user.val)"), json!({ "user.val": val }))
    }

    #[test]
    fn documented_examples() {
        // EL doc "Data conversion functions", every row.
        assert_eq!(convert("Convert.toInt", json!("1234")), json!(1234));
        assert_eq!(convert("Convert.toInt", json!(123.4)), json!(123));
        assert_eq!(convert("Convert.toInt", json!(123.6)), json!(124));
        // EL doc "Expressions in group rules": not allowed in a group rule, fine in a mapping.
        assert_eq!(value("Convert.toInt(\"2018\") == user.yearJoined", json!({"user.yearJoined": 2018})), json!(true));
        assert_eq!(convert("Convert.toNum", json!("3.141")), json!("3.141".parse::<f64>().unwrap()), "3.141, not π");
    }

    #[test]
    fn to_int_rounds_half_up_within_the_int_range() {
        assert_eq!(convert("Convert.toInt", json!(2.5)), json!(3));
        assert_eq!(convert("Convert.toInt", json!(-2.5)), json!(-2));
        assert_eq!(convert("Convert.toInt", json!(-123.6)), json!(-124));
        assert_eq!(convert("Convert.toInt", json!(0.499_999_999_999_999_94)), json!(0));
        assert_eq!(convert("Convert.toInt", json!(42)), json!(42));
        assert_eq!(convert("Convert.toInt", json!("-7")), json!(-7));
        assert_eq!(convert("Convert.toInt", json!("+7")), json!(7));
        assert_eq!(convert("Convert.toInt", json!(2_147_483_647)), json!(2_147_483_647));
        assert_eq!(convert("Convert.toInt", json!(-2_147_483_648.4)), json!(-2_147_483_648));
        assert_eq!(
            convert_failure("Convert.toInt", json!(2_147_483_648_i64)),
            "Convert.toInt: 2147483648 is out of the integer range (column 1)"
        );
        assert_eq!(
            convert_failure("Convert.toInt", json!(2_147_483_647.5)),
            "Convert.toInt: 2.1474836475E9 is out of the integer range (column 1)"
        );
        assert_eq!(
            convert_failure("Convert.toInt", json!("99999999999")),
            "Convert.toInt: \"99999999999\" is out of the integer range (column 1)"
        );
    }

    #[test]
    fn to_int_rejects_what_parse_int_rejects() {
        for bad in [json!("12.5"), json!(" 1"), json!(""), json!("x"), json!(true), json!([1])] {
            assert!(
                convert_failure("Convert.toInt", bad.clone()).starts_with("Convert.toInt: cannot convert"),
                "{bad}"
            );
        }
        assert_eq!(
            failure("Convert.toInt(user.missing)", json!({})),
            "Convert.toInt: cannot convert null to an integer (column 1)"
        );
    }

    #[test]
    fn to_num_reads_decimals() {
        assert_eq!(convert("Convert.toNum", json!(" 2.5 ")), json!(2.5));
        assert_eq!(convert("Convert.toNum", json!("1e3")), json!(1000.0));
        assert_eq!(convert("Convert.toNum", json!("-0.5")), json!(-0.5));
        assert_eq!(convert("Convert.toNum", json!(3)), json!(3.0));
        assert_eq!(value("Convert.toNum('3') + ''", json!({})), json!("3.0"), "a double, as Java prints it");
        for bad in [json!("NaN"), json!("Infinity"), json!("abc"), json!(""), json!(false), json!(null)] {
            assert!(
                convert_failure("Convert.toNum", bad.clone()).starts_with("Convert.toNum: cannot convert"),
                "{bad}"
            );
        }
    }
}
