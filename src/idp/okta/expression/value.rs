//! How the expression language reads values. Okta's attributes arrive as JSON values
//! (strings, booleans, numbers, arrays), and the EL reads them the way SpEL's Java runtime
//! would: integers stay integers, decimals are Java doubles (`1.0`, `1.0E10`), booleans read
//! as `true`/`false`.

use serde_json::{Number, Value};

/// Names a value for error messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_text(n),
        Value::String(s) => format!("{s:?}"),
        Value::Array(values) if values.len() == 1 => "an array of 1 value".to_string(),
        Value::Array(values) => format!("an array of {} values", values.len()),
        Value::Object(_) => "an object".to_string(),
    }
}

/// A JSON number read as Java reads it: a whole number (`int`/`long`) or a `double`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Numeric {
    /// A whole number.
    Integer(i64),
    /// A double.
    Decimal(f64),
}

impl Numeric {
    /// The value of `number`; whole numbers beyond `i64` read as doubles, as Java would have
    /// to hold them.
    pub(crate) fn of(number: &Number) -> Self {
        match number.as_i64() {
            Some(i) => Self::Integer(i),
            None => Self::Decimal(number.as_f64().unwrap_or(f64::NAN)),
        }
    }

    /// The value as a double (Java's numeric promotion).
    /// Like Java's, the promotion may round integers beyond 2⁵³.
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Self::Integer(i) => i as f64,
            Self::Decimal(f) => f,
        }
    }

    /// The JSON value, or an error for results JSON cannot hold (infinities and NaN, which
    /// Java would produce silently).
    pub(crate) fn into_value(self) -> Result<Value, String> {
        match self {
            Self::Integer(i) => Ok(Value::from(i)),
            Self::Decimal(f) => Number::from_f64(f)
                .map(Value::Number)
                .ok_or_else(|| format!("the result {} is not a finite number", java_double(f))),
        }
    }
}

/// A value's number, if it is one.
pub(crate) fn numeric(value: &Value) -> Option<Numeric> {
    match value {
        Value::Number(n) => Some(Numeric::of(n)),
        _ => None,
    }
}

/// Java's `Double.toString`: plain decimals with at least one fractional digit between 10⁻³
/// and 10⁷ (`123.4`, `3.0`), computerized scientific notation outside it (`1.0E10`, `1.5E-4`).
pub(crate) fn java_double(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let with_fraction = |digits: String| if digits.contains('.') { digits } else { digits + ".0" };
    if f == 0.0 || (1e-3..1e7).contains(&f.abs()) {
        return with_fraction(f.to_string());
    }
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    format!("{}E{exponent}", with_fraction(mantissa.to_string()))
}

/// A number's text: whole numbers in decimal, doubles as Java prints them.
pub(crate) fn number_text(number: &Number) -> String {
    match Numeric::of(number) {
        Numeric::Integer(i) => i.to_string(),
        Numeric::Decimal(_) if number.is_u64() => number.to_string(),
        Numeric::Decimal(f) => java_double(f),
    }
}

/// A value as text, or `None` for null: what a `String` parameter receives when SpEL converts
/// an argument. Booleans read `true`/`false`, numbers as Java prints them.
///
/// \[INFERRED] An array reads as its elements joined with `,` (Spring's collection-to-string
/// conversion), a null element as empty (as `String.join` and `Arrays.toCsvString` treat null
/// parts here); an object cannot be read as text.
pub(crate) fn to_text(value: &Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Number(n) => Ok(Some(number_text(n))),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Array(values) => {
            let parts =
                values.iter().map(|v| to_text(v).map(Option::unwrap_or_default)).collect::<Result<Vec<_>, _>>()?;
            Ok(Some(parts.join(",")))
        }
        Value::Object(_) => Err("must be text, got an object".to_string()),
    }
}

/// A value as a whole number, for index and position parameters: whole numbers, doubles
/// without a fraction, and strings that read as a whole number (SpEL converts them).
///
/// \[INFERRED] A double with a fraction is an error rather than Java's silent truncation, and
/// null is an error because Java's `int` parameters cannot hold it.
pub(crate) fn to_integer(value: &Value) -> Result<i64, String> {
    let fail = || format!("must be a whole number, got {}", describe(value));
    match value {
        Value::Number(n) => match Numeric::of(n) {
            Numeric::Integer(i) => Ok(i),
            // Integral and well inside i64's range, so the cast is exact.
            Numeric::Decimal(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
            Numeric::Decimal(_) => Err(fail()),
        },
        Value::String(s) => s.trim().parse::<i64>().map_err(|_| fail()),
        _ => Err(fail()),
    }
}

/// Whether a value is null or the empty string: what the Elvis operator replaces (EL doc
/// "Constants and operators").
pub(crate) fn is_null_or_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn doubles_print_as_java_prints_them() {
        assert_eq!(java_double(123.4), "123.4");
        assert_eq!(java_double(3.0), "3.0");
        assert_eq!(java_double(-2.5), "-2.5");
        assert_eq!(java_double(0.0), "0.0");
        assert_eq!(java_double(0.001), "0.001");
        assert_eq!(java_double(0.0001), "1.0E-4");
        assert_eq!(java_double(1.5e-7), "1.5E-7");
        assert_eq!(java_double(9_999_999.0), "9999999.0");
        assert_eq!(java_double(1e7), "1.0E7");
        assert_eq!(java_double(1.234_5e10), "1.2345E10");
        assert_eq!(java_double(f64::NAN), "NaN");
        assert_eq!(java_double(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn text_reads_like_java() {
        assert_eq!(to_text(&json!("x")), Ok(Some("x".to_string())));
        assert_eq!(to_text(&json!(null)), Ok(None));
        assert_eq!(to_text(&json!(true)), Ok(Some("true".to_string())));
        assert_eq!(to_text(&json!(42)), Ok(Some("42".to_string())));
        assert_eq!(to_text(&json!(1.5)), Ok(Some("1.5".to_string())));
        assert_eq!(to_text(&json!(2.0)), Ok(Some("2.0".to_string())));
        assert_eq!(to_text(&json!(u64::MAX)), Ok(Some("18446744073709551615".to_string())));
        assert_eq!(to_text(&json!(["a", null, 1, ["b", "c"]])), Ok(Some("a,,1,b,c".to_string())));
        assert_eq!(to_text(&json!([])), Ok(Some(String::new())));
        assert_eq!(to_text(&json!({"a": 1})), Err("must be text, got an object".to_string()));
        assert_eq!(to_text(&json!([{"a": 1}])), Err("must be text, got an object".to_string()));
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(to_integer(&json!(3)), Ok(3));
        assert_eq!(to_integer(&json!(-3)), Ok(-3));
        assert_eq!(to_integer(&json!(3.0)), Ok(3));
        assert_eq!(to_integer(&json!(" 7 ")), Ok(7));
        assert_eq!(to_integer(&json!(1.5)), Err("must be a whole number, got 1.5".to_string()));
        assert_eq!(to_integer(&json!("x")), Err("must be a whole number, got \"x\"".to_string()));
        assert_eq!(to_integer(&json!(null)), Err("must be a whole number, got null".to_string()));
        assert_eq!(to_integer(&json!(true)), Err("must be a whole number, got true".to_string()));
        assert_eq!(to_integer(&json!(1e300)), Err("must be a whole number, got 1.0E300".to_string()));
    }

    #[test]
    fn numerics_and_descriptions() {
        assert_eq!(numeric(&json!(2)), Some(Numeric::Integer(2)));
        assert_eq!(numeric(&json!(2.5)), Some(Numeric::Decimal(2.5)));
        assert_eq!(numeric(&json!("2")), None);
        assert_eq!(Numeric::Integer(2).as_f64(), 2.0);
        assert_eq!(Numeric::Decimal(2.5).into_value(), Ok(json!(2.5)));
        assert_eq!(
            Numeric::Decimal(f64::INFINITY).into_value(),
            Err("the result Infinity is not a finite number".into())
        );
        assert_eq!(describe(&json!([1, 2])), "an array of 2 values");
        assert_eq!(describe(&json!([1])), "an array of 1 value");
        assert_eq!(describe(&json!({})), "an object");
        assert_eq!(describe(&json!("a")), "\"a\"");
        assert!(is_null_or_empty(&json!(null)));
        assert!(is_null_or_empty(&json!("")));
        assert!(!is_null_or_empty(&json!(" ")));
        assert!(!is_null_or_empty(&json!([])));
        assert!(!is_null_or_empty(&json!(false)));
    }
}
