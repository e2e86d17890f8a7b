//! String functions (EL doc "String functions") and the deprecated bare `toUpperCase`,
//! `toLowerCase`, `substringBefore`, `substringAfter` and `substring`, which behave the same.
//!
//! \[INFERRED] The EL doc gives no null cases. Okta's helpers carry the names of Apache Commons
//! Lang's null-safe `StringUtils` (`substringBefore`, `substringAfter`), so they follow its
//! rules: a null input gives null from the functions that transform text, 0 from `len` and
//! false from the tests (`stringContains`, `startsWith`, except that two nulls start with each
//! other); a null search text or replacement leaves the input unchanged; `join` and `append`
//! read null parts as empty; `substring` clamps its indexes and counts negative ones from the
//! end instead of failing.
//!
//! Lengths and positions count characters (Unicode scalar values). \[INFERRED] Java counts
//! UTF-16 code units, which differs only for characters outside the Basic Multilingual Plane.
//! `match` is literal text, not a regular expression (the EL doc's examples and Commons'
//! `replace`); uncertain, since Java's own `String.replaceFirst` takes a regular expression.

use serde_json::Value;

use super::evaluator::{Evaluator, Outcome};
use super::syntax::Call;

/// Text as a value, null for `None`.
fn text_value(text: Option<String>) -> Value {
    text.map_or(Value::Null, Value::String)
}

/// `String.append(str, suffix)`: `str` followed by `suffix`.
pub(crate) fn append(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let text = ev.text_arg(call, 0)?.unwrap_or_default();
    Ok(Value::String(text + &ev.text_arg(call, 1)?.unwrap_or_default()))
}

/// `String.join(separator, strings...)`: the strings with the separator between them.
pub(crate) fn join(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let separator = ev.text_arg(call, 0)?.unwrap_or_default();
    let parts =
        (1..call.args.len()).map(|i| Ok(ev.text_arg(call, i)?.unwrap_or_default())).collect::<Outcome<Vec<_>>>()?;
    Ok(Value::String(parts.join(&separator)))
}

/// `String.len(input)`: the number of characters.
pub(crate) fn len(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::from(ev.text_arg(call, 0)?.map_or(0, |input| input.chars().count())))
}

/// A one-argument function that rewrites its input: `removeSpaces` (spaces only, as its name
/// says; other whitespace stays), `toUpperCase` and `toLowerCase`.
pub(crate) fn transform(ev: &Evaluator<'_>, call: &Call, rewrite: fn(&str) -> String) -> Outcome {
    Ok(text_value(ev.text_arg(call, 0)?.map(|input| rewrite(&input))))
}

/// `String.replace` (`limit` = `usize::MAX`) and `String.replaceFirst` (`limit` = 1): the
/// first `limit` occurrences of `match` replaced.
pub(crate) fn replace(ev: &Evaluator<'_>, call: &Call, limit: usize) -> Outcome {
    let input = ev.text_arg(call, 0)?;
    let search = ev.text_arg(call, 1)?;
    let replacement = ev.text_arg(call, 2)?;
    Ok(text_value(match (input, search, replacement) {
        (Some(input), Some(search), Some(replacement)) if !search.is_empty() => {
            Some(input.replacen(&search, &replacement, limit))
        }
        (input, ..) => input,
    }))
}

/// `String.startsWith(input, starts)`.
pub(crate) fn starts_with(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::Bool(match (ev.text_arg(call, 0)?, ev.text_arg(call, 1)?) {
        (Some(input), Some(start)) => input.starts_with(&start),
        (input, start) => input.is_none() && start.is_none(),
    }))
}

/// `String.stringContains(input, searchString)`.
pub(crate) fn string_contains(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::Bool(match (ev.text_arg(call, 0)?, ev.text_arg(call, 1)?) {
        (Some(input), Some(search)) => input.contains(&search),
        _ => false,
    }))
}

/// `String.stringSwitch(input, defaultString, key1, value1, …)`: the value of the first key
/// (in argument order) that occurs anywhere in the input, else the default (EL doc: "First
/// match wins", "Substrings count"). Only the chosen value is evaluated. \[INFERRED] A null
/// input contains no key; a null key matches nothing.
pub(crate) fn string_switch(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    if let Some(input) = ev.text_arg(call, 0)? {
        for key in (2..call.args.len()).step_by(2) {
            if ev.text_arg(call, key)?.is_some_and(|key| input.contains(&key)) {
                return Ok(text_value(ev.text_arg(call, key + 1)?));
            }
        }
    }
    Ok(text_value(ev.text_arg(call, 1)?))
}

/// `String.substring(input, startIndex, endIndex)`: the characters from `startIndex`
/// (0-based, inclusive) to `endIndex` (exclusive), as the EL doc's `("This is a test", 2, 9)`
/// → `is is a` shows.
pub(crate) fn substring(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let input = ev.text_arg(call, 0)?;
    let start = ev.integer_arg(call, 1)?;
    let end = ev.integer_arg(call, 2)?;
    Ok(text_value(input.map(|input| {
        let chars: Vec<char> = input.chars().collect();
        let length = i64::try_from(chars.len()).unwrap_or(i64::MAX);
        let from_end = |index: i64| if index < 0 { length.saturating_add(index) } else { index };
        let end = from_end(end).clamp(0, length);
        let start = from_end(start).max(0);
        match (usize::try_from(start), usize::try_from(end)) {
            (Ok(start), Ok(end)) if start < end => chars[start..end].iter().collect(),
            _ => String::new(),
        }
    })))
}

/// `String.substringBefore(input, searchString)`: the text before the first occurrence, or
/// the whole input when there is none.
pub(crate) fn substring_before(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let input = ev.text_arg(call, 0)?;
    let search = ev.text_arg(call, 1)?;
    Ok(text_value(input.map(|input| match search.and_then(|search| input.find(&search)) {
        Some(position) => input[..position].to_string(),
        None => input,
    })))
}

/// `String.substringAfter(input, searchString)`: the text after the first occurrence, or `""`
/// when there is none (an empty input stays empty).
pub(crate) fn substring_after(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let input = ev.text_arg(call, 0)?;
    let search = ev.text_arg(call, 1)?;
    Ok(text_value(input.map(|input| match search {
        Some(search) => {
            input.find(&search).map_or_else(String::new, |position| input[position + search.len()..].to_string())
        }
        None => String::new(),
    })))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::idp::okta::expression::test_source::{failure, value};

    fn eval(text: &str) -> serde_json::Value {
        value(text, json!({}))
    }

    #[test]
    fn documented_examples() {
        // EL doc "String functions", every row.
        assert_eq!(eval(r#"String.append("This is", " a test")"#), json!("This is a test"));
        assert_eq!(eval(r#"String.join(",", "This", "is", "a", "test")"#), json!("This,is,a,test"));
        assert_eq!(eval(r#"String.join("", "This", "is", "a", "test")"#), json!("Thisisatest"));
        assert_eq!(eval(r#"String.len("This")"#), json!(4));
        assert_eq!(eval(r#"String.removeSpaces("This is a test")"#), json!("Thisisatest"));
        assert_eq!(eval(r#"String.replace("This is a test", "is", "at")"#), json!("That at a test"));
        assert_eq!(eval(r#"String.replaceFirst("This is a test", "is", "at")"#), json!("That is a test"));
        assert_eq!(eval(r#"String.startsWith("Kiss", "K")"#), json!(true));
        assert_eq!(eval(r#"String.stringContains("This is a test", "test")"#), json!(true));
        assert_eq!(eval(r#"String.stringContains("This is a test", "doesn'tExist")"#), json!(false));
        assert_eq!(eval(r#"String.stringSwitch("This is a test", "default", "key1", "value1")"#), json!("default"));
        assert_eq!(eval(r#"String.stringSwitch("This is a test", "default", "test", "value1")"#), json!("value1"));
        assert_eq!(
            eval(
                r#"String.stringSwitch("First match wins", "default", "absent", "value1", "wins", "value2", "match", "value3")"#
            ),
            json!("value2")
        );
        assert_eq!(eval(r#"String.stringSwitch("Substrings count", "default", "ring", "value1")"#), json!("value1"));
        assert_eq!(eval(r#"String.substring("This is a test", 2, 9)"#), json!("is is a"));
        assert_eq!(eval(r#"String.substringAfter("abc@okta.com", "@")"#), json!("okta.com"));
        assert_eq!(eval(r#"String.substringBefore("abc@okta.com", "@")"#), json!("abc"));
        assert_eq!(eval(r#"String.toUpperCase("This")"#), json!("THIS"));
        assert_eq!(eval(r#"String.toLowerCase("ThiS")"#), json!("this"));
    }

    #[test]
    fn deprecated_examples() {
        // EL doc, the deprecated functions' table: Input → Output.
        assert_eq!(
            value("toUpperCase(source.firstName)", json!({"source.firstName": "Alexander"})),
            json!("ALEXANDER")
        );
        assert_eq!(
            value("toLowerCase(source.firstName)", json!({"source.firstName": "AlexANDER"})),
            json!("alexander")
        );
        assert_eq!(value("substringBefore(user.email, '@')", json!({"user.email": "alex@okta.com"})), json!("alex"));
        assert_eq!(value("substringAfter(user.email, '@')", json!({"user.email": "alex@okta.com"})), json!("okta.com"));
        assert_eq!(value("substring(source.firstName, 1, 4)", json!({"source.firstName": "Alexander"})), json!("lex"));
    }

    #[test]
    fn null_inputs() {
        let null = json!({});
        assert_eq!(value("String.append(user.x, 'a')", null.clone()), json!("a"));
        assert_eq!(value("String.append(user.x, user.y)", null.clone()), json!(""));
        assert_eq!(value("String.join('-', 'a', user.x, 'b')", null.clone()), json!("a--b"));
        assert_eq!(value("String.join(user.x, 'a', 'b')", null.clone()), json!("ab"));
        assert_eq!(value("String.len(user.x)", null.clone()), json!(0));
        for function in ["String.removeSpaces", "String.toUpperCase", "toLowerCase"] {
            assert_eq!(value(&format!("{function}(user.x)"), null.clone()), json!(null), "{function}");
        }
        assert_eq!(value("String.replace(user.x, 'a', 'b')", null.clone()), json!(null));
        assert_eq!(value("String.replace('abc', user.x, 'b')", null.clone()), json!("abc"));
        assert_eq!(value("String.replace('abc', 'a', user.x)", null.clone()), json!("abc"));
        assert_eq!(value("String.startsWith(user.x, 'a')", null.clone()), json!(false));
        assert_eq!(value("String.startsWith('a', user.x)", null.clone()), json!(false));
        assert_eq!(value("String.startsWith(user.x, user.y)", null.clone()), json!(true));
        assert_eq!(value("String.stringContains(user.x, 'a')", null.clone()), json!(false));
        assert_eq!(value("String.stringContains('a', user.x)", null.clone()), json!(false));
        assert_eq!(value("String.stringSwitch(user.x, 'd', '', 'v')", null.clone()), json!("d"));
        assert_eq!(value("String.stringSwitch('abc', user.x, 'z', 'v')", null.clone()), json!(null));
        assert_eq!(value("String.stringSwitch('abc', 'd', user.x, 'v', 'b', user.y)", null.clone()), json!(null));
        assert_eq!(value("String.substring(user.x, 0, 1)", null.clone()), json!(null));
        assert_eq!(value("String.substringBefore(user.x, '@')", null.clone()), json!(null));
        assert_eq!(value("String.substringBefore('a@b', user.x)", null.clone()), json!("a@b"));
        assert_eq!(value("String.substringAfter(user.x, '@')", null.clone()), json!(null));
        assert_eq!(value("String.substringAfter('a@b', user.x)", null), json!(""));
    }

    #[test]
    fn empty_and_missing_search_texts() {
        assert_eq!(eval("String.replace('aaa', '', 'b')"), json!("aaa"));
        assert_eq!(eval("String.replace('a.a.a', '.', '')"), json!("aaa"), "literal, not a pattern");
        assert_eq!(eval("String.replaceFirst('a.a.a', '.', '-')"), json!("a-a.a"));
        assert_eq!(eval("String.substringBefore('abc', 'x')"), json!("abc"));
        assert_eq!(eval("String.substringBefore('abc', '')"), json!(""));
        assert_eq!(eval("String.substringBefore('', '@')"), json!(""));
        assert_eq!(eval("String.substringAfter('abc', 'x')"), json!(""));
        assert_eq!(eval("String.substringAfter('abc', '')"), json!("abc"));
        assert_eq!(eval("String.substringAfter('a@b@c', '@')"), json!("b@c"));
        assert_eq!(eval("String.stringContains('abc', '')"), json!(true));
        assert_eq!(eval("String.startsWith('abc', '')"), json!(true));
        assert_eq!(eval("String.stringSwitch('abc', 'd')"), json!("d"));
    }

    #[test]
    fn substring_clamps_like_commons() {
        assert_eq!(eval("String.substring('Churchill', 0, 6)"), json!("Church"));
        assert_eq!(eval("String.substring('Li', 0, 6)"), json!("Li"));
        assert_eq!(eval("String.substring('', 0, 1)"), json!(""));
        assert_eq!(eval("String.substring('abcdef', 4, 2)"), json!(""));
        assert_eq!(eval("String.substring('abcdef', -2, 6)"), json!("ef"));
        assert_eq!(eval("String.substring('abcdef', 0, -1)"), json!("abcde"));
        assert_eq!(eval("String.substring('abc', -10, -8)"), json!(""));
        assert_eq!(eval("String.substring('ünïcödé', 1, 3)"), json!("nï"));
        // help.okta.com smart-card examples: the last 20 characters, of a shorter string too.
        let last20 = "String.substring(idpuser.cn, String.len(idpuser.cn)-20, String.len(idpuser.cn))";
        assert_eq!(value(last20, json!({"idpuser.cn": "short"})), json!("short"));
        let long = "x".repeat(5) + &"y".repeat(20);
        assert_eq!(value(last20, json!({"idpuser.cn": long})), json!("y".repeat(20)));
    }

    #[test]
    fn arguments_are_converted_to_text() {
        assert_eq!(eval("String.len(12345)"), json!(5));
        assert_eq!(eval("String.len(1.5)"), json!(3));
        assert_eq!(eval("String.toUpperCase(true)"), json!("TRUE"));
        assert_eq!(eval("String.join(', ', {'a', 'b'}, 'c')"), json!("a,b, c"));
        assert_eq!(eval("String.substring('abcdef', '1', 3.0)"), json!("bc"));
        assert_eq!(eval("String.removeSpaces(' a\tb ')"), json!("a\tb"));
        assert_eq!(eval("String.toUpperCase('straße')"), json!("STRASSE"));
        assert_eq!(
            failure("String.substring('abc', 0.5, 1)", json!({})),
            "String.substring: argument 2 must be a whole number, got 0.5 (column 1)"
        );
        assert_eq!(
            failure("String.substring('abc', user.x, 1)", json!({})),
            "String.substring: argument 2 must be a whole number, got null (column 1)"
        );
        assert_eq!(
            failure("String.len(user.manager)", json!({"user.manager": {"value": "m"}})),
            "String.len: argument 1 must be text, got an object (column 1)"
        );
    }

    #[test]
    fn switch_values_are_evaluated_lazily() {
        // The second value would fail; it is never reached.
        let text = "String.stringSwitch('abc', 'd', 'b', 'first', 'c', String.len(user.manager))";
        assert_eq!(value(text, json!({"user.manager": {}})), json!("first"));
    }
}
