//! Regular expressions: the deprecated `matches` operator and `isMemberOfGroupNameRegex`.
//!
//! A pattern must match the whole string, as SpEL's `matches` (Java's `Matcher.matches`)
//! requires: `'(?i)engineer'` matches `"Engineer"` but not `"Senior Engineer"`. Patterns use
//! the `regex` crate's syntax, which agrees with Java's for everything the EL doc shows;
//! Java-only constructs (backreferences, lookaround) are rejected as invalid.

use regex::{Regex, RegexBuilder};
use serde_json::Value;

use super::value::describe;

/// The most memory one compiled pattern may take, so a hostile pattern such as `a{1000}{1000}`
/// fails instead of exhausting memory.
const SIZE_LIMIT: usize = 1 << 20;

/// `pattern` compiled to match whole strings, or why it is invalid.
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    let build = |source: &str| {
        RegexBuilder::new(source).size_limit(SIZE_LIMIT).build().map_err(|error| {
            let reason = error.to_string();
            let reason = reason.lines().last().unwrap_or_default().trim_start_matches("error: ").to_string();
            format!("invalid regular expression {pattern:?}: {reason}")
        })
    };
    // The pattern alone first: wrapped, an unbalanced one such as "a)|(b" would compile to
    // something else instead of failing.
    build(pattern)?;
    build(&format!("^(?:{pattern})$"))
}

/// `text matches pattern`. As in SpEL, both operands must be strings; a null one is an error.
pub(crate) fn matches(text: &Value, pattern: &Value) -> Result<bool, String> {
    let Value::String(text) = text else {
        return Err(format!("\"matches\" needs a string on its left, got {}", describe(text)));
    };
    let Value::String(pattern) = pattern else {
        return Err(format!("\"matches\" needs a pattern string on its right, got {}", describe(pattern)));
    };
    Ok(compile(pattern)?.is_match(text))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn whole_string_matches() {
        // EL doc "Group rules samples".
        let phone = r"(\+\d{1,2}\s)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}";
        assert_eq!(matches(&json!("+1 (555) 123-4567"), &json!(phone)), Ok(true));
        assert_eq!(matches(&json!("555.123.4567"), &json!(phone)), Ok(true));
        assert_eq!(matches(&json!("call 555.123.4567"), &json!(phone)), Ok(false));
        assert_eq!(matches(&json!("California-North-Sales"), &json!("California-[a-zA-Z]+-Sales")), Ok(true));
        assert_eq!(matches(&json!("California-North-Sales-2"), &json!("California-[a-zA-Z]+-Sales")), Ok(false));
        assert_eq!(matches(&json!("Engineer"), &json!("(?i)engineer")), Ok(true));
        assert_eq!(matches(&json!("Senior Engineer"), &json!("(?i)engineer")), Ok(false));
        assert_eq!(matches(&json!("ab"), &json!("a|ab")), Ok(true), "alternation is inside the anchors");
    }

    #[test]
    fn operands_must_be_strings() {
        assert_eq!(matches(&json!(null), &json!("x")), Err("\"matches\" needs a string on its left, got null".into()));
        assert_eq!(matches(&json!(5), &json!("5")), Err("\"matches\" needs a string on its left, got 5".into()));
        assert_eq!(
            matches(&json!("x"), &json!(null)),
            Err("\"matches\" needs a pattern string on its right, got null".into())
        );
    }

    #[test]
    fn invalid_patterns_say_why() {
        assert_eq!(compile("a(b").unwrap_err(), "invalid regular expression \"a(b\": unclosed group");
        assert_eq!(compile("a)|(b").unwrap_err(), "invalid regular expression \"a)|(b\": unopened group");
        assert!(compile(r"(a)\1").unwrap_err().contains("backreferences are not supported"));
        assert!(compile("a{1000}{1000}").unwrap_err().starts_with("invalid regular expression"));
    }
}
