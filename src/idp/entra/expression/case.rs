//! Letter case: `ToLower`, `ToUpper` (with an optional culture) and `PCase`.

use std::borrow::Cow;

use serde_json::Value;

use super::evaluator::{Evaluator, Outcome};
use super::syntax::{Call, Node};
use crate::idp::expression_error::ExpressionError;

/// The case rules a culture name selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Culture {
    /// The invariant culture (FUNCS: used when no culture is given), and every culture whose
    /// rules match it for simple case mapping.
    Invariant,
    /// Turkish and Azerbaijani: dotted and dotless i (`i`↔`İ`, `ı`↔`I`).
    Turkic,
}

impl Culture {
    /// Reads an RFC 4646 culture name such as `en-US`, `tr-TR` or `az-Latn-AZ`; null or `""`
    /// is the invariant culture.
    ///
    /// \[Inf] Only the shape of the name is checked (a 2–3 letter language, then subtags);
    /// only the Turkic languages' case rules differ from the invariant ones here.
    fn read(name: Option<&str>) -> Result<Self, String> {
        let Some(name) = name.filter(|name| !name.is_empty()) else {
            return Ok(Self::Invariant);
        };
        let mut parts = name.split('-');
        let language = parts.next().unwrap_or_default();
        let language_ok = (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_alphabetic());
        let subtags_ok =
            parts.all(|part| (2..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric()));
        if !language_ok || !subtags_ok {
            return Err(format!("culture {name:?} is not a culture name such as \"en-US\""));
        }
        Ok(match language.to_ascii_lowercase().as_str() {
            "tr" | "az" => Self::Turkic,
            _ => Self::Invariant,
        })
    }

    /// One character in lower case. As .NET, simple (one-to-one) case mapping: characters
    /// whose lower case is longer stay, except `İ`, whose simple lower case is `i`.
    fn lower(self, c: char) -> char {
        match (self, c) {
            (Self::Turkic, 'I') => 'ı',
            (_, 'İ') => 'i',
            _ => single(c.to_lowercase()).unwrap_or(c),
        }
    }

    /// One character in upper case (simple mapping: `ß` stays `ß`).
    fn upper(self, c: char) -> char {
        match (self, c) {
            (Self::Turkic, 'i') => 'İ',
            _ => single(c.to_uppercase()).unwrap_or(c),
        }
    }
}

/// The only character of `chars`, if there is exactly one.
fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

/// A constant culture must be a culture name.
pub(crate) fn check(call: &Call) -> Result<(), ExpressionError> {
    if let Some(Node::Literal(Value::String(name))) = call.args.get(1) {
        Culture::read(Some(name))
            .map_err(|message| ExpressionError::in_function(call.function.name(), call.column, message))?;
    }
    Ok(())
}

/// Source and culture of a `ToLower`/`ToUpper` call.
fn source_and_culture<'n>(ev: &Evaluator<'n>, call: &'n Call) -> Outcome<Option<(Cow<'n, str>, Culture)>> {
    let source = ev.text_arg(call, 0, "source")?;
    let culture = ev.text_arg(call, 1, "culture")?;
    let culture = Culture::read(culture.as_deref()).map_err(|message| call.fail(message))?;
    Ok(source.map(|source| (source, culture)))
}

/// `ToLower(source, culture)` (FUNCS ToLower): the source in lower case under the culture's
/// rules, the invariant culture when none is given. \[Inf] Null gives null.
pub(crate) fn to_lower(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(source_and_culture(ev, call)?
        .map_or(Value::Null, |(source, culture)| Value::String(source.chars().map(|c| culture.lower(c)).collect())))
}

/// `ToUpper(source, culture)` (FUNCS ToUpper): as [`to_lower`], in upper case.
pub(crate) fn to_upper(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(source_and_culture(ev, call)?
        .map_or(Value::Null, |(source, culture)| Value::String(source.chars().map(|c| culture.upper(c)).collect())))
}

/// Whether `c` separates words for .NET's `ToTitleCase`, which FUNCS PCase uses when no
/// separators are given: spaces, controls, punctuation and symbols (FUNCS lists the Unicode
/// categories), but not letters, digits or combining marks.
///
/// \[Inf] The apostrophe does not separate words: .NET's `ToTitleCase` keeps "o'neil" one
/// word, and FUNCS passes `" '-"` explicitly to get "Pinto-De'Silva".
fn is_default_separator(c: char) -> bool {
    !(c.is_alphanumeric() || is_combining_mark(c) || c == '\'' || c == '\u{2019}')
}

/// Combining diacritical marks (the blocks NormalizeDiacritics' table uses).
pub(crate) fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// `PCase(source, wordSeparators)` (FUNCS PCase): the first character of each word in upper
/// case and every other character in lower case (so "PABLO" becomes "Pablo", unlike .NET's
/// `ToTitleCase`, which keeps all-capital words). Words are separated by the characters of
/// `wordSeparators` when given, else by .NET's default separators.
///
/// \[Inf] An empty `wordSeparators` counts as not given; null gives null.
pub(crate) fn p_case(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let Some(source) = ev.text_arg(call, 0, "source")? else {
        return Ok(Value::Null);
    };
    let separators: Option<Vec<char>> =
        ev.text_arg(call, 1, "wordSeparators")?.filter(|s| !s.is_empty()).map(|s| s.chars().collect());
    let is_separator = |c: char| separators.as_ref().map_or_else(|| is_default_separator(c), |set| set.contains(&c));
    let culture = Culture::Invariant;
    let mut result = String::with_capacity(source.len());
    let mut word_start = true;
    for c in source.chars() {
        if is_separator(c) {
            result.push(c);
            word_start = true;
        } else if word_start {
            result.push(culture.upper(c));
            word_start = false;
        } else {
            result.push(culture.lower(c));
        }
    }
    Ok(Value::String(result))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::idp::entra::expression::test_source::{parse_error, value};

    #[test]
    fn to_lower_reference_example() {
        // FUNCS ToLower: generated UPN in lower case.
        let text = r#"ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))"#;
        let object = json!({"PreferredFirstName": "John", "PreferredLastName": "Smith"});
        assert_eq!(value(text, object), json!("john.smith@contoso.com"));
    }

    #[test]
    fn invariant_and_turkish_cultures() {
        assert_eq!(value("ToLower([x])", json!({"x": "ÀBC İ I"})), json!("àbc i i"));
        assert_eq!(value(r#"ToLower([x], "tr-TR")"#, json!({"x": "İSTANBUL"})), json!("istanbul"));
        assert_eq!(value(r#"ToLower([x], "tr-TR")"#, json!({"x": "ISPARTA"})), json!("ısparta"));
        assert_eq!(value(r#"ToUpper([x])"#, json!({"x": "istanbul straße"})), json!("ISTANBUL STRAßE"));
        assert_eq!(value(r#"ToUpper([x], "tr-TR")"#, json!({"x": "istanbul"})), json!("İSTANBUL"));
        assert_eq!(value(r#"ToUpper([x], "en-US")"#, json!({"x": "istanbul"})), json!("ISTANBUL"));
        assert_eq!(value(r#"ToUpper([x], "")"#, json!({"x": "ab"})), json!("AB"));
        assert_eq!(value("ToUpper([x])", json!({})), json!(null));
        assert_eq!(value("ToLower([x])", json!({"x": true})), json!("true"));
    }

    #[test]
    fn bad_culture_names_fail_at_parse_time() {
        let err = parse_error(r#"ToUpper([x], "en_US")"#);
        assert_eq!(err.to_string(), "ToUpper: culture \"en_US\" is not a culture name such as \"en-US\" (column 1)");
    }

    #[test]
    fn p_case_reference_examples() {
        // FUNCS PCase examples.
        assert_eq!(
            value("PCase([firstName])", json!({"firstName": "PABLO GONSALVES (SECOND)"})),
            json!("Pablo Gonsalves (Second)")
        );
        assert_eq!(value(r#"PCase([lastName]," '-")"#, json!({"lastName": "PINTO-DE'SILVA"})), json!("Pinto-De'Silva"));
        assert_eq!(
            value(r#"PCase(Join(" ",[firstName],[lastName]))"#, json!({"firstName": "GREGORY", "lastName": "JAMES"})),
            json!("Gregory James")
        );
    }

    #[test]
    fn p_case_default_separators() {
        assert_eq!(value("PCase([x])", json!({"x": "o'NEIL-smith jr.,mary_ann"})), json!("O'neil-Smith Jr.,Mary_Ann"));
        assert_eq!(value("PCase([x])", json!({"x": "ÉLODIE 2ND"})), json!("Élodie 2nd"));
        assert_eq!(value(r#"PCase([x], " ")"#, json!({"x": "a-b c"})), json!("A-b C"));
        assert_eq!(value("PCase([x])", json!({})), json!(null));
    }
}
