//! `NormalizeDiacritics`: Latin letters with diacritics to their plain letters, by FUNCS's
//! table.

use serde_json::Value;

use super::case::is_combining_mark;
use super::evaluator::{Evaluator, Outcome};
use super::syntax::Call;

/// FUNCS NormalizeDiacritics' table, as precomposed characters and what replaces them.
/// Entries written there with combining marks (`ā́`, `a̱`, `ṳ̄`) start with one of these
/// characters or a plain letter, and their marks are dropped (see [`normalize`]).
const TABLE: [(&str, &str); 35] = [
    ("äàâãåáąăāǟǡ", "a"),
    ("ÄÀÂÃÅÁĄĂĀǞǠ", "A"),
    ("æǣ", "ae"),
    ("ÆǢ", "AE"),
    ("çčć", "c"),
    ("ÇČĆ", "C"),
    ("ďḏ", "d"),
    ("ĎḎ", "D"),
    ("ëèéêęěėēḗḕ", "e"),
    ("ËÈÉÊĘĚĖĒḖḔ", "E"),
    ("ğḡ", "g"),
    ("ĞḠ", "G"),
    ("ïîìíıī", "i"),
    ("ÏÎÌÍİĪ", "I"),
    ("ľłḹḻ", "l"),
    ("ŁĽḸḺ", "L"),
    ("ñńňṉ", "n"),
    ("ÑŃŇṈ", "N"),
    ("öòőõôóōṓṑȫǭȭȱ", "o"),
    ("ÖÒŐÕÔÓŌṒṐȪǬȬȰ", "O"),
    // [Inf] FUNCS lists only "œ̄"/"Œ̄", with a macron; the bare ligatures map the same way.
    ("øœ", "oe"),
    ("ØŒ", "OE"),
    ("řṟṝ", "r"),
    ("ŘṞṜ", "R"),
    ("ß", "ss"),
    ("šśșş", "s"),
    ("ŠŚȘŞ", "S"),
    ("ťțṯ", "t"),
    ("ŤȚṮ", "T"),
    ("üùûúůűūǖṻṳ", "u"),
    ("ÜÙÛÚŮŰŪǕṺṲ", "U"),
    ("ÿýȳ", "y"),
    ("ŸÝȲ", "Y"),
    ("źžżẕ", "z"),
    ("ŹŽŻẔ", "Z"),
];

/// What replaces `c`, if FUNCS's table lists it.
fn replacement(c: char) -> Option<&'static str> {
    TABLE.iter().find(|(from, _)| from.contains(c)).map(|(_, to)| *to)
}

/// Whether combining marks after `c` are diacritics to drop: after a Latin letter.
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// `source` with FUNCS's table applied and the combining marks that follow Latin letters
/// dropped (so decomposed input, e.g. `e` + U+0308, normalizes too).
///
/// \[Inf] Characters the table does not list stay as they are (e.g. `ķ`), as do marks after
/// non-Latin letters.
pub(crate) fn normalize(source: &str) -> String {
    let mut result = String::with_capacity(source.len());
    let mut after_latin = false;
    for c in source.chars() {
        if is_combining_mark(c) && after_latin {
            continue;
        }
        after_latin = is_latin_letter(c);
        match replacement(c) {
            Some(to) => result.push_str(to),
            None => result.push(c),
        }
    }
    result
}

/// `NormalizeDiacritics(source)` (FUNCS NormalizeDiacritics). \[Inf] Null gives null.
pub(crate) fn normalize_diacritics(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let source = ev.text_arg(call, 0, "source")?;
    Ok(source.map_or(Value::Null, |source| Value::String(normalize(&source))))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::normalize;
    use crate::idp::entra::expression::test_source::value;

    /// FUNCS NormalizeDiacritics' table, row by row as the reference prints it.
    const REFERENCE_ROWS: [(&str, &str, &str, &str); 18] = [
        (
            "ä, à, â, ã, å, á, ą, ă, ā, ā́, ā̀, ā̂, ā̃, ǟ, ā̈, ǡ, a̱, å̄",
            "a",
            "Ä, À, Â, Ã, Å, Á, Ą, Ă, Ā, Ā́, Ā̀, Ā̂, Ā̃, Ǟ, Ā̈, Ǡ, A̱, Å̄",
            "A",
        ),
        ("æ, ǣ", "ae", "Æ, Ǣ", "AE"),
        ("ç, č, ć, c̄, c̱", "c", "Ç, Č, Ć, C̄, C̱", "C"),
        ("ď, d̄, ḏ", "d", "Ď, D̄, Ḏ", "D"),
        ("ë, è, é, ê, ę, ě, ė, ē, ḗ, ḕ, ē̂, ē̃, ê̄, e̱, ë̄, e̊̄", "e", "Ë, È, É, Ê, Ę, Ě, Ė, Ē, Ḗ, Ḕ, Ē̂, Ē̃, Ê̄, E̱, Ë̄, E̊̄", "E"),
        ("ğ, ḡ, g̱", "g", "Ğ, Ḡ, G̱", "G"),
        ("ï, î, ì, í, ı, ī, ī́, ī̀, ī̂, ī̃, i̱", "i", "Ï, Î, Ì, Í, İ, Ī, Ī́, Ī̀, Ī̂, Ī̃, I̱", "I"),
        ("ľ, ł, l̄, ḹ, ḻ", "l", "Ł, Ľ, L̄, Ḹ, Ḻ", "L"),
        ("ñ, ń, ň, n̄, ṉ", "n", "Ñ, Ń, Ň, N̄, Ṉ", "N"),
        (
            "ö, ò, ő, õ, ô, ó, ō, ṓ, ṑ, ō̂, ō̃, ȫ, ō̈, ǭ, ȭ, ȱ, o̱",
            "o",
            "Ö, Ò, Ő, Õ, Ô, Ó, Ō, Ṓ, Ṑ, Ō̂, Ō̃, Ȫ, Ō̈, Ǭ, Ȭ, Ȱ, O̱",
            "O",
        ),
        ("ø, ø̄, œ̄", "oe", "Ø, Ø̄, Œ̄", "OE"),
        ("ř, r̄, ṟ, ṝ", "r", "Ř, R̄, Ṟ, Ṝ", "R"),
        ("ß", "ss", "", ""),
        ("š, ś, ș, ş, s̄, s̱", "s", "Š, Ś, Ș, Ş, S̄, S̱", "S"),
        ("ť, ț, t̄, ṯ", "t", "Ť, Ț, T̄, Ṯ", "T"),
        ("ü, ù, û, ú, ů, ű, ū, ū́, ū̀, ū̂, ū̃, u̇̄, ǖ, ṻ, ṳ̄, u̱", "u", "Ü, Ù, Û, Ú, Ů, Ű, Ū, Ū́, Ū̀, Ū̂, Ū̃, U̇̄, Ǖ, Ṻ, Ṳ̄, U̱", "U"),
        ("ÿ, ý, ȳ, ȳ́, ȳ̀, ȳ̃, y̱", "y", "Ÿ, Ý, Ȳ, Ȳ́, Ȳ̀, Ȳ̃, Y̱", "Y"),
        ("ź, ž, ż, z̄, ẕ", "z", "Ź, Ž, Ż, Z̄, Ẕ", "Z"),
    ];

    #[test]
    fn every_entry_of_the_reference_table() {
        for (lower, lower_to, upper, upper_to) in REFERENCE_ROWS {
            for (entries, to) in [(lower, lower_to), (upper, upper_to)] {
                for entry in entries.split(", ").filter(|entry| !entry.is_empty()) {
                    assert_eq!(normalize(entry), to, "{entry:?} ({:?})", entry.chars().collect::<Vec<_>>());
                }
            }
        }
    }

    #[test]
    fn reference_example() {
        // FUNCS NormalizeDiacritics: "Zoë" gives "Zoe".
        assert_eq!(value("NormalizeDiacritics([givenName])", json!({"givenName": "Zoë"})), json!("Zoe"));
        assert_eq!(value("NormalizeDiacritics([givenName])", json!({})), json!(null));
    }

    #[test]
    fn decomposed_input_and_untouched_characters() {
        assert_eq!(normalize("Zoe\u{0308}"), "Zoe");
        assert_eq!(normalize("Jéssica Smith"), "Jessica Smith");
        assert_eq!(normalize("Œuvre ķ 東京"), "OEuvre ķ 東京");
        assert_eq!(normalize("Straße"), "Strasse");
    }
}
