//! The readable phrasings a step pattern accepts, for suggesting one to a step that matches
//! none: `^"([^"]+)" is (added to|removed from) the group "([^"]+)"$` reads as
//! `"…" is added to the group "…"` and `"…" is removed from the group "…"`. Alternatives and
//! optional parts are spelled out one phrasing each; what a capture takes becomes `"…"` in
//! quotes, `<n>` for a number, `<word>` for a word, `…` otherwise.

use regex_syntax::hir::{Class, Hir, HirKind};

/// At most this many phrasings per pattern: each optional part doubles them.
const MAX_PHRASINGS: usize = 64;

/// Every phrasing `pattern` accepts (at most [`MAX_PHRASINGS`]), shortest parts first.
pub(crate) fn phrasings(pattern: &str) -> Vec<String> {
    match regex_syntax::parse(pattern) {
        Ok(hir) => spell(&hir),
        // Step patterns are tested to compile; a broken one is shown as it is.
        Err(_) => vec![pattern.to_string()],
    }
}

/// A step's text as phrasings read: each quoted value `"…"`, each number `<n>`, so that a
/// step and the phrasing it was meant to be differ only where the wording does.
pub(crate) fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push_str("\"…");
                for inner in chars.by_ref() {
                    if inner == '"' {
                        out.push('"');
                        break;
                    }
                }
            }
            '0'..='9' => {
                out.push_str("<n>");
                while chars.next_if(char::is_ascii_digit).is_some() {}
            }
            c => out.push(c),
        }
    }
    out
}

fn spell(hir: &Hir) -> Vec<String> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![String::new()],
        HirKind::Literal(literal) => vec![String::from_utf8_lossy(&literal.0).into_owned()],
        HirKind::Class(class) => vec![placeholder(class).to_string()],
        HirKind::Capture(capture) => spell(&capture.sub),
        HirKind::Repetition(repetition) => match repetition.sub.kind() {
            HirKind::Class(class) => vec![placeholder(class).to_string()],
            _ => {
                let once = spell(&repetition.sub);
                if repetition.min == 0 { [vec![String::new()], once].concat() } else { once }
            }
        },
        HirKind::Concat(parts) => parts.iter().fold(vec![String::new()], |heads, part| {
            let tails = spell(part);
            heads
                .iter()
                .flat_map(|head| tails.iter().map(move |tail| format!("{head}{tail}")))
                .take(MAX_PHRASINGS)
                .collect()
        }),
        HirKind::Alternation(options) => options.iter().flat_map(spell).take(MAX_PHRASINGS).collect(),
    }
}

/// What a character class stands for in a phrasing.
fn placeholder(class: &Class) -> &'static str {
    let has = |c: char| match class {
        Class::Unicode(unicode) => unicode.ranges().iter().any(|r| r.start() <= c && c <= r.end()),
        Class::Bytes(bytes) => {
            u8::try_from(c).is_ok_and(|b| bytes.ranges().iter().any(|r| r.start() <= b && b <= r.end()))
        }
    };
    match (has('/'), has('a'), has('0')) {
        (false, true, _) => "<word>",
        (false, false, true) => "<n>",
        _ => "…",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternatives_and_optional_parts_are_spelled_out() {
        assert_eq!(
            phrasings(r#"^"([^"]+)" is (added to|removed from) the group "([^"]+)"$"#),
            [r#""…" is added to the group "…""#, r#""…" is removed from the group "…""#]
        );
        assert_eq!(
            phrasings(r"^(\d+) (minutes?|hours?) pass(?:es)?$"),
            [
                "<n> minute pass",
                "<n> minute passes",
                "<n> minutes pass",
                "<n> minutes passes",
                "<n> hour pass",
                "<n> hour passes",
                "<n> hours pass",
                "<n> hours passes"
            ]
        );
        assert_eq!(phrasings(r"^the target behaves like (\w+)$"), ["the target behaves like <word>"]);
        assert_eq!(
            phrasings(r"^the last request was (GET|PUT) (\S+)$"),
            ["the last request was GET …", "the last request was PUT …"]
        );
    }

    #[test]
    fn every_step_pattern_has_a_phrasing_without_regex_syntax() {
        for step in super::super::steps::all() {
            let all = phrasings(step.pattern);
            assert!(!all.is_empty() && all.len() <= MAX_PHRASINGS, "{}", step.pattern);
            for phrasing in all {
                assert!(!phrasing.contains(['^', '$', '(', '[', '\\']), "{}: {phrasing}", step.pattern);
            }
        }
    }

    #[test]
    fn step_text_is_normalized_like_phrasings() {
        assert_eq!(normalized(r#""alice"'s "department" is changed to "Retail""#), r#""…"'s "…" is changed to "…""#);
        assert_eq!(normalized("12 provisioning cycles run"), "<n> provisioning cycles run");
    }
}
