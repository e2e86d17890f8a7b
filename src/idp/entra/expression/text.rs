//! String functions: `Append`, `Left`, `Mid`, `StripSpaces`, `Word`, `InStr`, `CStr`,
//! `ConvertToBase64` and `ConvertToUTF8Hex`.
//!
//! Lengths and positions count characters (Unicode scalar values). \[Inf] .NET counts UTF-16
//! code units, which differs only for characters outside the Basic Multilingual Plane.

use serde_json::Value;

use super::evaluator::{Evaluator, Outcome};
use super::syntax::{Call, Node};
use crate::idp::expression_error::ExpressionError;

/// `Append(source, suffix)` (FUNCS Append): the suffix added to the end of the source.
/// \[Inf] A null source gives null (there is nothing to append to, and null does not flow),
/// and a null suffix leaves the source unchanged.
pub(crate) fn append(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let Some(source) = ev.text_arg(call, 0, "source")? else {
        return Ok(Value::Null);
    };
    let suffix = ev.text_arg(call, 1, "suffix")?.unwrap_or_default();
    Ok(Value::String(source.into_owned() + &suffix))
}

/// `Left(String, NumChars)` (FUNCS Left), with FUNCS's rules: 0 gives `""`, a negative count
/// the whole string, a null string `""`, and a count past the end the whole string.
pub(crate) fn left(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let source = ev.text_arg(call, 0, "String")?.unwrap_or_default();
    let count = ev.integer_arg(call, 1, "NumChars")?;
    let Ok(count) = usize::try_from(count) else {
        return Ok(Value::String(source.into_owned()));
    };
    Ok(Value::String(source.chars().take(count).collect()))
}

/// `Mid(source, start, length)` (FUNCS Mid): `length` characters from the 1-based `start`, or
/// up to the end when the source is shorter.
///
/// \[Inf] A null source gives null, a start past the end gives `""`, and a start below 1 or a
/// negative length is an error (as .NET's `Substring` throws).
pub(crate) fn mid(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let source = ev.text_arg(call, 0, "source")?;
    let start = ev.integer_arg(call, 1, "start")?;
    let length = ev.integer_arg(call, 2, "length")?;
    if start < 1 {
        return Err(call.fail(format!("start {start} is out of range; the first character is 1")));
    }
    if length < 0 {
        return Err(call.fail(format!("length {length} is negative")));
    }
    let Some(source) = source else {
        return Ok(Value::Null);
    };
    let skip = usize::try_from(start - 1).unwrap_or(usize::MAX);
    let take = usize::try_from(length).unwrap_or(usize::MAX);
    Ok(Value::String(source.chars().skip(skip).take(take).collect()))
}

/// `StripSpaces(source)` (FUNCS StripSpaces): the source without any `" "`. Other whitespace
/// stays. \[Inf] Null gives null.
pub(crate) fn strip_spaces(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let source = ev.text_arg(call, 0, "source")?;
    Ok(source.map_or(Value::Null, |source| Value::String(source.replace(' ', ""))))
}

/// `Word(String, WordNumber, Delimiters)` (FUNCS Word): word number `WordNumber` (1-based),
/// words being separated by any of the delimiter characters. FUNCS's rules: a number below 1,
/// a null string, or too few words give `""`.
///
/// \[Inf] Consecutive delimiters do not make empty words; a null or empty delimiter set makes
/// the whole string one word.
pub(crate) fn word(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let source = ev.text_arg(call, 0, "String")?.unwrap_or_default();
    let number = ev.integer_arg(call, 1, "WordNumber")?;
    let delimiters: Vec<char> = ev.text_arg(call, 2, "Delimiters")?.unwrap_or_default().chars().collect();
    let Some(index) = usize::try_from(number).ok().and_then(|n| n.checked_sub(1)) else {
        return Ok(Value::String(String::new()));
    };
    let word = source.split(|c| delimiters.contains(&c)).filter(|word| !word.is_empty()).nth(index);
    Ok(Value::String(word.unwrap_or_default().to_string()))
}

/// InStr's `compareType`: `vbBinaryCompare` (or 0) is case-sensitive, `vbTextCompare` (or 1)
/// is not (VBA's constants).
fn text_compare(value: &Value) -> Result<bool, String> {
    match value {
        Value::Null => Ok(false),
        Value::String(s) if s == "vbBinaryCompare" || s == "0" => Ok(false),
        Value::String(s) if s == "vbTextCompare" || s == "1" => Ok(true),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        other => Err(format!("compareType must be vbBinaryCompare or vbTextCompare, got {other}")),
    }
}

/// A constant `compareType` must be one InStr knows.
pub(crate) fn check_in_str(call: &Call) -> Result<(), ExpressionError> {
    if let Some(Node::Literal(value)) = call.args.get(3) {
        text_compare(value).map_err(|message| ExpressionError::in_function("InStr", call.column, message))?;
    }
    Ok(())
}

/// `InStr(value1, value2, start, compareType)` (FUNCS InStr): the 1-based position of the
/// first `value2` in `value1` at or after `start` (default 1), 0 when there is none.
///
/// \[Inf] As VBA's InStr: a null `value1` or `value2` gives null, an empty `value2` gives
/// `start`, a start past the end gives 0, and a start below 1 is an error. `vbTextCompare`
/// ignores case (simple lower-casing).
pub(crate) fn in_str(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let haystack = ev.text_arg(call, 0, "value1")?;
    let needle = ev.text_arg(call, 1, "value2")?;
    let start = if call.has_arg(2) { ev.integer_arg(call, 2, "start")? } else { 1 };
    let ignore_case = text_compare(&*ev.arg(call, 3)?).map_err(|message| call.fail(message))?;
    if start < 1 {
        return Err(call.fail(format!("start {start} is out of range; the first character is 1")));
    }
    let (Some(haystack), Some(needle)) = (haystack, needle) else {
        return Ok(Value::Null);
    };
    let fold = |s: &str| -> Vec<char> {
        if ignore_case { s.chars().flat_map(char::to_lowercase).collect() } else { s.chars().collect() }
    };
    let (haystack, needle) = (fold(&haystack), fold(&needle));
    let from = usize::try_from(start - 1).unwrap_or(usize::MAX);
    if from > haystack.len() {
        return Ok(Value::from(0));
    }
    if needle.is_empty() {
        return Ok(Value::from(start));
    }
    let found = haystack[from..].windows(needle.len()).position(|window| window == needle.as_slice());
    Ok(Value::from(found.map_or(0, |offset| from + offset + 1)))
}

/// `CStr(value)` (FUNCS CStr): the value as a string; booleans read `"True"`/`"False"` as in
/// .NET. \[Inf] Null gives null.
pub(crate) fn c_str(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(ev.text_arg(call, 0, "value")?.map_or(Value::Null, |text| Value::String(text.into_owned())))
}

/// `ConvertToBase64(source)` (FUNCS ConvertToBase64): base64 of the string's UTF-16LE bytes
/// ("a Unicode base64 string"). \[Inf] Null gives null.
pub(crate) fn convert_to_base64(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let Some(source) = ev.text_arg(call, 0, "source")? else {
        return Ok(Value::Null);
    };
    let bytes: Vec<u8> = source.encode_utf16().flat_map(u16::to_le_bytes).collect();
    Ok(Value::String(base64(&bytes)))
}

/// Standard base64 (RFC 4648 §4) with padding.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `ConvertToUTF8Hex(source)` (FUNCS ConvertToUTF8Hex): the string's UTF-8 bytes in upper-case
/// hexadecimal. \[Inf] Null gives null.
pub(crate) fn convert_to_utf8_hex(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let source = ev.text_arg(call, 0, "source")?;
    Ok(source.map_or(Value::Null, |source| Value::String(source.bytes().map(|byte| format!("{byte:02X}")).collect())))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::base64;
    use crate::idp::entra::expression::test_source::{failure, parse_error, value};

    #[test]
    fn append_reference_example() {
        // FUNCS Append: Append([userPrincipalName], ".test").
        let text = r#"Append([userPrincipalName], ".test")"#;
        assert_eq!(
            value(text, json!({"userPrincipalName": "John.Doe@contoso.com"})),
            json!("John.Doe@contoso.com.test")
        );
        assert_eq!(value(text, json!({})), json!(null));
        assert_eq!(value("Append([a], [b])", json!({"a": "x"})), json!("x"));
    }

    #[test]
    fn left_reference_rules() {
        // FUNCS Left: Left("John Doe", 3) returns "Joh", and its listed edge cases.
        assert_eq!(value(r#"Left("John Doe", 3)"#, json!({})), json!("Joh"));
        assert_eq!(value(r#"Left("John Doe", 0)"#, json!({})), json!(""));
        assert_eq!(value(r#"Left("John Doe", -1)"#, json!({})), json!("John Doe"));
        assert_eq!(value("Left([x], 3)", json!({})), json!(""));
        assert_eq!(value(r#"Left("Jo", 3)"#, json!({})), json!("Jo"));
        assert_eq!(value(r#"Left("Zoë Ünal", 3)"#, json!({})), json!("Zoë"));
        assert_eq!(value(r#"Left("John", "2")"#, json!({})), json!("Jo"));
        assert_eq!(
            failure(r#"Left("John", "x")"#, json!({})),
            "Left: NumChars expects a whole number, got \"x\" (column 1)"
        );
    }

    #[test]
    fn mid_reference_example() {
        // FUNCS Examples: Append(Mid([givenName], 1, 3), Mid([surname], 1, 5)) gives "JohDoe".
        let text = "Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))";
        assert_eq!(value(text, json!({"givenName": "John", "surname": "Doe"})), json!("JohDoe"));
        assert_eq!(value(r#"Mid("abcdef", 2, 3)"#, json!({})), json!("bcd"));
        assert_eq!(value(r#"Mid("abcdef", 5, 10)"#, json!({})), json!("ef"));
        assert_eq!(value(r#"Mid("abc", 9, 1)"#, json!({})), json!(""));
        assert_eq!(value("Mid([x], 1, 1)", json!({})), json!(null));
        assert_eq!(
            failure(r#"Mid("abc", 0, 1)"#, json!({})),
            "Mid: start 0 is out of range; the first character is 1 (column 1)"
        );
        assert_eq!(failure(r#"Mid("abc", 1, -1)"#, json!({})), "Mid: length -1 is negative (column 1)");
    }

    #[test]
    fn strip_spaces() {
        assert_eq!(value("StripSpaces([x])", json!({"x": " Mary Ann  Lee "})), json!("MaryAnnLee"));
        assert_eq!(value("StripSpaces([x])", json!({"x": "a\tb"})), json!("a\tb"));
        assert_eq!(value("StripSpaces([x])", json!({})), json!(null));
    }

    #[test]
    fn word_reference_examples() {
        // FUNCS Word examples.
        assert_eq!(value(r#"Word("The quick brown fox",3," ")"#, json!({})), json!("brown"));
        assert_eq!(value(r#"Word("This,string!has&many separators",3,",!&#")"#, json!({})), json!("has"));
        assert_eq!(value(r#"Word("This,string!has&many separators",4,",!&#")"#, json!({})), json!("many separators"));
        assert_eq!(value(r#"Word("The quick brown fox",0," ")"#, json!({})), json!(""));
        assert_eq!(value(r#"Word("The quick brown fox",5," ")"#, json!({})), json!(""));
        assert_eq!(value(r#"Word([x],1," ")"#, json!({})), json!(""));
        assert_eq!(value(r#"Word("a,,b",2,",")"#, json!({})), json!("b"));
    }

    #[test]
    fn in_str_reference_examples() {
        // FUNCS InStr examples.
        assert_eq!(value(r#"InStr("The quick brown fox","quick")"#, json!({})), json!(5));
        assert_eq!(value(r#"InStr("repEated","e",3,vbBinaryCompare)"#, json!({})), json!(7));
        assert_eq!(value(r#"InStr("repEated","e",3,vbTextCompare)"#, json!({})), json!(4));
        assert_eq!(value(r#"InStr("abc","z")"#, json!({})), json!(0));
        assert_eq!(value(r#"InStr("abc","",2)"#, json!({})), json!(2));
        assert_eq!(value(r#"InStr("abc","a",9)"#, json!({})), json!(0));
        assert_eq!(value(r#"InStr([x],"a")"#, json!({})), json!(null));
        assert_eq!(
            failure(r#"InStr("abc","a",0)"#, json!({})),
            "InStr: start 0 is out of range; the first character is 1 (column 1)"
        );
        assert_eq!(
            parse_error(r#"InStr("abc","a",1,"vbWhatever")"#).to_string(),
            "InStr: compareType must be vbBinaryCompare or vbTextCompare, got \"vbWhatever\" (column 1)"
        );
    }

    #[test]
    fn c_str_uses_dot_net_casing() {
        // FUNCS CStr: CStr([dn]) returns "cn=Joe,dc=contoso,dc=com".
        assert_eq!(value("CStr([dn])", json!({"dn": "cn=Joe,dc=contoso,dc=com"})), json!("cn=Joe,dc=contoso,dc=com"));
        assert_eq!(value("CStr([accountEnabled])", json!({"accountEnabled": true})), json!("True"));
        assert_eq!(value("CStr([accountEnabled])", json!({"accountEnabled": false})), json!("False"));
        assert_eq!(value("CStr(42)", json!({})), json!("42"));
        assert_eq!(value("CStr([x])", json!({})), json!(null));
    }

    #[test]
    fn redact_passes_the_value_through() {
        // FUNCS Redact only hides the value in the provisioning logs.
        assert_eq!(value("Redact([userPrincipalName])", json!({"userPrincipalName": "a@x"})), json!("a@x"));
    }

    #[test]
    fn conversions_reference_examples() {
        // FUNCS ConvertToBase64 and ConvertToUTF8Hex examples.
        assert_eq!(value(r#"ConvertToBase64("Hello world!")"#, json!({})), json!("SABlAGwAbABvACAAdwBvAHIAbABkACEA"));
        assert_eq!(value(r#"ConvertToUTF8Hex("Hello world!")"#, json!({})), json!("48656C6C6F20776F726C6421"));
        assert_eq!(value("ConvertToUTF8Hex([x])", json!({})), json!(null));
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
