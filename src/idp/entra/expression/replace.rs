//! `Replace(source, oldValue, regexPattern, regexGroupName, replacementValue,
//! replacementAttributeName, template)` and its five argument forms (FUNCS Replace).
//!
//! Which form applies is decided by which arguments are written (an empty argument is not
//! written; `""` is), so a form that cannot work is rejected when the expression is parsed,
//! as is a constant regex pattern that does not compile.

use std::borrow::Cow;

use regex::{Captures, Regex};
use serde_json::Value;

use super::evaluator::{Evaluator, Outcome};
use super::syntax::{Call, Node};
use crate::idp::expression_error::ExpressionError;

const SOURCE: usize = 0;
const OLD_VALUE: usize = 1;
const REGEX_PATTERN: usize = 2;
const REGEX_GROUP_NAME: usize = 3;
const REPLACEMENT_VALUE: usize = 4;
const REPLACEMENT_ATTRIBUTE_NAME: usize = 5;
const TEMPLATE: usize = 6;

/// Replace's argument forms, in FUNCS's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// oldValue + replacementValue: every oldValue in source becomes replacementValue.
    Text,
    /// oldValue + template: every oldValue in template becomes source.
    Template,
    /// regexPattern + replacementValue: regex replacement, `${group}` allowed.
    Regex,
    /// regexPattern + regexGroupName + replacementValue: every match of the group becomes
    /// replacementValue.
    RegexGroup,
    /// regexPattern + regexGroupName + replacementAttributeName: source if it has a value,
    /// else the group extracted from replacementAttributeName.
    RegexGroupFallback,
}

/// The form a call uses. \[Inf] FUNCS does not say what wins when more arguments are written
/// than a form needs: regexPattern wins over oldValue, and replacementValue over
/// replacementAttributeName and template.
fn form(call: &Call) -> Result<Form, String> {
    let has = |index| call.has_arg(index);
    if has(REGEX_PATTERN) {
        match (has(REGEX_GROUP_NAME), has(REPLACEMENT_VALUE), has(REPLACEMENT_ATTRIBUTE_NAME)) {
            (true, true, _) => Ok(Form::RegexGroup),
            (true, false, true) => Ok(Form::RegexGroupFallback),
            (true, false, false) => {
                Err("regexPattern and regexGroupName need a replacementValue or a replacementAttributeName".to_string())
            }
            (false, true, _) => Ok(Form::Regex),
            (false, false, _) => Err("regexPattern needs a replacementValue (or a regexGroupName)".to_string()),
        }
    } else if has(OLD_VALUE) {
        match (has(REPLACEMENT_VALUE), has(TEMPLATE)) {
            (true, _) => Ok(Form::Text),
            (false, true) => Ok(Form::Template),
            (false, false) => Err("oldValue needs a replacementValue or a template".to_string()),
        }
    } else {
        Err("needs an oldValue or a regexPattern".to_string())
    }
}

/// Compiles a regex pattern. FUNCS patterns are .NET regexes; the common syntax, named
/// groups `(?<name>…)` included, is shared. \[Inf] .NET-only constructs (look-around,
/// backreferences) are reported as errors rather than approximated.
fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| format!("regexPattern {pattern:?} is not a supported regex: {e}"))
}

/// Checks a call's form, and its regex pattern and group name when they are constants.
pub(crate) fn check(call: &Call) -> Result<(), ExpressionError> {
    let fail = |message: String| ExpressionError::in_function("Replace", call.column, message);
    let form = form(call).map_err(|message| {
        fail(message).with_hint(
            "see FUNCS Replace, e.g. Replace([mail], \"@contoso.com\", , , \"\", , ) or \
             Replace([x], , \"\\\\d+\", , \"#\", , )",
        )
    })?;
    if matches!(form, Form::Regex | Form::RegexGroup | Form::RegexGroupFallback)
        && let Some(Node::Literal(Value::String(pattern))) = call.args.get(REGEX_PATTERN)
    {
        let regex = compile(pattern).map_err(fail)?;
        if let Some(Node::Literal(Value::String(group))) = call.args.get(REGEX_GROUP_NAME)
            && !regex.capture_names().any(|name| name == Some(group.as_str()))
        {
            return Err(fail(format!("regexGroupName {group:?} is not a group of regexPattern {pattern:?}")));
        }
    }
    Ok(())
}

/// `Replace(…)` (FUNCS Replace), case-sensitive, in whichever form the call uses.
///
/// \[Inf] Where FUNCS is silent: a null source gives null (except in the
/// replacementAttributeName form, which exists for that case); a null replacementValue reads
/// as `""`; an empty oldValue is an error (as .NET's `String.Replace` throws); the
/// replacementAttributeName form treats `""` as "no value" (FUNCS example 5) and gives null
/// when the pattern does not match. In regex replacement values, `$1`, `${name}`, `$$`,
/// `$&`, `` $` ``, `$'`, `$+` and `$_` work as in .NET.
pub(crate) fn replace(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let form = form(call).map_err(|message| call.fail(message))?;
    let source = ev.text_arg(call, SOURCE, "source")?;
    match form {
        Form::Text | Form::Template => {
            let old = ev.text_arg(call, OLD_VALUE, "oldValue")?.unwrap_or_default();
            if old.is_empty() {
                return Err(call.fail("oldValue is empty; there is nothing to replace"));
            }
            let Some(source) = source else {
                return Ok(Value::Null);
            };
            if form == Form::Text {
                let new = ev.text_arg(call, REPLACEMENT_VALUE, "replacementValue")?.unwrap_or_default();
                Ok(Value::String(source.replace(&*old, &new)))
            } else {
                let template = ev.text_arg(call, TEMPLATE, "template")?;
                Ok(template.map_or(Value::Null, |template| Value::String(template.replace(&*old, &source))))
            }
        }
        Form::Regex | Form::RegexGroup => {
            let regex = pattern(ev, call)?;
            let new = ev.text_arg(call, REPLACEMENT_VALUE, "replacementValue")?.unwrap_or_default();
            let Some(source) = source else {
                return Ok(Value::Null);
            };
            if form == Form::Regex {
                let replaced = regex.replace_all(&source, |caps: &Captures<'_>| expand(&new, caps, &regex, &source));
                return Ok(Value::String(replaced.into_owned()));
            }
            let group = group_name(ev, call, &regex)?;
            Ok(Value::String(replace_group(&regex, &group, &source, &new)))
        }
        Form::RegexGroupFallback => {
            if let Some(source) = source.filter(|source| !source.is_empty()) {
                return Ok(Value::String(source.into_owned()));
            }
            let regex = pattern(ev, call)?;
            let group = group_name(ev, call, &regex)?;
            let fallback = ev.text_arg(call, REPLACEMENT_ATTRIBUTE_NAME, "replacementAttributeName")?;
            let extracted = fallback.and_then(|fallback| {
                regex.captures(&fallback).and_then(|caps| caps.name(&group)).map(|m| m.as_str().to_string())
            });
            Ok(extracted.map_or(Value::Null, Value::String))
        }
    }
}

/// The compiled regexPattern argument.
fn pattern(ev: &Evaluator<'_>, call: &Call) -> Outcome<Regex> {
    let pattern = ev.text_arg(call, REGEX_PATTERN, "regexPattern")?.unwrap_or_default();
    compile(&pattern).map_err(|message| call.fail(message))
}

/// The regexGroupName argument, which must name a group of `regex`.
fn group_name<'n>(ev: &Evaluator<'n>, call: &'n Call, regex: &Regex) -> Outcome<Cow<'n, str>> {
    let group = ev.text_arg(call, REGEX_GROUP_NAME, "regexGroupName")?.unwrap_or_default();
    if regex.capture_names().any(|name| name == Some(&*group)) {
        Ok(group)
    } else {
        Err(call.fail(format!("regexGroupName {group:?} is not a group of regexPattern {:?}", regex.as_str())))
    }
}

/// `source` with the text each match's `group` captured replaced by `new`, literally.
fn replace_group(regex: &Regex, group: &str, source: &str, new: &str) -> String {
    let mut result = String::with_capacity(source.len());
    let mut copied = 0;
    for caps in regex.captures_iter(source) {
        if let Some(m) = caps.name(group) {
            result.push_str(&source[copied..m.start()]);
            result.push_str(new);
            copied = m.end();
        }
    }
    result.push_str(&source[copied..]);
    result
}

/// Expands a .NET replacement pattern for one match: `$$`, `$n`, `${name}` (or `${n}`),
/// `$&`, `` $` ``, `$'`, `$+`, `$_`. Anything else, including unknown groups, stays literal.
///
/// \[Inf] Groups are numbered in the order their parentheses open; .NET numbers named groups
/// after the unnamed ones, which differs only when a named group comes before an unnamed one.
fn expand(template: &str, caps: &Captures<'_>, regex: &Regex, input: &str) -> String {
    let group_text = |name: &str| -> Option<String> {
        let found = match name.parse::<usize>() {
            Ok(index) if index < caps.len() => caps.get(index),
            Ok(_) => return None,
            Err(_) if regex.capture_names().any(|known| known == Some(name)) => caps.name(name),
            Err(_) => return None,
        };
        Some(found.map(|m| m.as_str().to_string()).unwrap_or_default())
    };
    let whole = caps.get(0).map_or((0, 0), |m| (m.start(), m.end()));
    let chars: Vec<char> = template.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        let expanded = match chars.get(i + 1) {
            Some('$') => Some(("$".to_string(), 2)),
            Some('&') => Some((input[whole.0..whole.1].to_string(), 2)),
            Some('`') => Some((input[..whole.0].to_string(), 2)),
            Some('\'') => Some((input[whole.1..].to_string(), 2)),
            Some('_') => Some((input.to_string(), 2)),
            Some('+') => {
                let last = (1..caps.len()).rev().find_map(|index| caps.get(index));
                Some((last.map(|m| m.as_str().to_string()).unwrap_or_default(), 2))
            }
            Some('{') => chars[i + 2..].iter().position(|&c| c == '}').and_then(|close| {
                let name: String = chars[i + 2..i + 2 + close].iter().collect();
                group_text(&name).map(|text| (text, close + 3))
            }),
            Some(d) if d.is_ascii_digit() => {
                // Nine digits name more groups than any pattern has.
                let digits = chars[i + 1..].iter().take(9).take_while(|c| c.is_ascii_digit()).count();
                // .NET takes the longest run of digits that names a group.
                (1..=digits).rev().find_map(|n| {
                    let number: String = chars[i + 1..i + 1 + n].iter().collect();
                    group_text(&number).map(|text| (text, n + 1))
                })
            }
            _ => None,
        };
        match expanded {
            Some((text, consumed)) => {
                out.push_str(&text);
                i += consumed;
            }
            None => {
                out.push('$');
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::idp::entra::expression::test_source::{failure, parse_error, value};

    #[test]
    fn example_1_old_value_and_replacement_value() {
        // FUNCS Replace example 1.
        let text = r#"Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )"#;
        assert_eq!(value(text, json!({"BusinessTitle": "Product Developer"})), json!("Software Engineer"));
        assert_eq!(
            value(text, json!({"BusinessTitle": "Senior Product Developer"})),
            json!("Senior Software Engineer")
        );
        // Case-sensitive.
        assert_eq!(value(text, json!({"BusinessTitle": "product developer"})), json!("product developer"));
        assert_eq!(value(text, json!({})), json!(null));
    }

    #[test]
    fn strip_known_domain_example() {
        // FUNCS Examples: "Strip known domain name".
        let text = r#"Replace([mail], "@contoso.com", , ,"", ,)"#;
        assert_eq!(value(text, json!({"mail": "john.doe@contoso.com"})), json!("john.doe"));
    }

    #[test]
    fn example_2_old_value_and_template() {
        // FUNCS Replace example 2.
        let text = r#"Replace([UserID],"<username>", , , , , "<username>@contoso.com")"#;
        assert_eq!(value(text, json!({"UserID": "jsmith"})), json!("jsmith@contoso.com"));
        assert_eq!(value(text, json!({})), json!(null));
    }

    #[test]
    fn example_3_regex_pattern_and_replacement_value() {
        // FUNCS Replace example 3.
        let text =
            r#"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )"#;
        assert_eq!(value(text, json!({"telephoneNumber": "+91 9998887777"})), json!("9998887777"));
        // The reference prints "19998887777" for this one, but its pattern does not match the
        // "+", so .NET (like this implementation) keeps it.
        let text = r#"Replace([mobile], , "[()\\s-]+", , "", , )"#;
        assert_eq!(value(text, json!({"mobile": "+1 (999) 888-7777"})), json!("+19998887777"));
    }

    #[test]
    fn example_4_regex_group_and_replacement_value() {
        // FUNCS Replace example 4.
        let text = r#"Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )"#;
        assert_eq!(value(text, json!({"AddressLineData": "545 Tremont Street"})), json!("888 Tremont Street"));
        let text = r#"Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )"#;
        assert_eq!(value(text, json!({"userPrincipalName": "jsmith@contoso.com"})), json!("jsmith"));
    }

    #[test]
    fn example_5_regex_group_and_replacement_attribute() {
        // FUNCS Replace example 5.
        let text = r#"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )"#;
        assert_eq!(value(text, json!({"telephoneNumber": "", "mobile": "+91 8887779999"})), json!("8887779999"));
        assert_eq!(value(text, json!({"mobile": "+91 8887779999"})), json!("8887779999"));
        assert_eq!(
            value(text, json!({"telephoneNumber": "+1 5550100000", "mobile": "+91 8887779999"})),
            json!("+1 5550100000")
        );
        assert_eq!(value(text, json!({"mobile": "none"})), json!(null));
        assert_eq!(value(text, json!({})), json!(null));
    }

    #[test]
    fn example_6_remove_matching_characters() {
        // FUNCS Replace example 6.
        let text = r#"Replace([mailNickname], , "[a-zA-Z_]*", , "", , )"#;
        assert_eq!(value(text, json!({"mailNickname": "john_doe72"})), json!("72"));
    }

    #[test]
    fn dot_net_replacement_syntax() {
        let text = r#"Replace([x], , "(\\w+)@(?<domain>\\w+)", , "$2/$1 ${domain} $$ $& [$`] [$'] $9 ${nope}", , )"#;
        assert_eq!(
            value(text, json!({"x": "<jo@contoso>"})),
            json!("<contoso/jo contoso $ jo@contoso [<] [>] $9 ${nope}>")
        );
    }

    #[test]
    fn forms_are_checked_at_parse_time() {
        let err = parse_error(r#"Replace([x], , , , "y", , )"#);
        assert_eq!(err.message, "needs an oldValue or a regexPattern");
        assert_eq!((err.column, err.function.as_deref()), (1, Some("Replace")));
        assert_eq!(
            parse_error(r#"Replace([x], "a", , , , , )"#).message,
            "oldValue needs a replacementValue or a template"
        );
        assert_eq!(
            parse_error(r#"Replace([x], , "a", , , , )"#).message,
            "regexPattern needs a replacementValue (or a regexGroupName)"
        );
        assert_eq!(
            parse_error(r#"Replace([x], , "(?<g>a)", "g", , , )"#).message,
            "regexPattern and regexGroupName need a replacementValue or a replacementAttributeName"
        );
        assert_eq!(
            parse_error(r#"Replace([x], , "(?<g>a)", "h", "", , )"#).message,
            "regexGroupName \"h\" is not a group of regexPattern \"(?<g>a)\""
        );
        assert!(
            parse_error(r#"Replace([x], , "(unclosed", , "", , )"#)
                .message
                .starts_with("regexPattern \"(unclosed\" is not a supported regex")
        );
        assert_eq!(parse_error(r#"Replace([x], "a", "b")"#).message, "expects 7 arguments, got 3");
    }

    #[test]
    fn evaluation_errors() {
        assert_eq!(
            failure(r#"Replace([x], [old], , , "y", , )"#, json!({"x": "abc", "old": ""})),
            "Replace: oldValue is empty; there is nothing to replace (column 1)"
        );
        assert!(
            failure(r#"Replace([x], , [pattern], , "y", , )"#, json!({"x": "abc", "pattern": "(?<=a)b"}))
                .starts_with("Replace: regexPattern \"(?<=a)b\" is not a supported regex")
        );
    }
}
