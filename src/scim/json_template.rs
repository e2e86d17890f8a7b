//! A JSON document written once with a hole for each of its values, so that each instance of
//! it is the text with its own values written into the holes.
//!
//! IdPs build request bodies by setting values at target paths ([`set_path`](super::set_path)).
//! The containers, elements and keys that makes depend on the paths and on each value's kind
//! (null, scalar, empty list, list with elements, object), not on the scalar itself: unless a
//! path writes a sub-attribute that a filter selects elements by ([`shaped_by_kinds`]). So a
//! load's users, which mostly send the same attributes, share a handful of documents but for
//! their scalars. Building a document per user only to write it once was most of the cost of
//! a create; a template writes the text of the shape once, with the string `"\0<n>\0"` in
//! place of value n ([`JsonTemplate::placeholder`]), and cuts it at those strings.

use serde_json::Value;

use super::{PatchPath, equalities};

/// How a placeholder starts in a template's JSON text: its quote and escaped NUL.
const HOLE_OPEN: &str = "\"\\u0000";
/// How a placeholder ends in a template's JSON text.
const HOLE_CLOSE: &str = "\\u0000\"";
/// An escaped NUL, which only placeholders may hold: a text with one elsewhere cannot be cut.
const ESCAPED_NUL: &str = "\\u0000";

/// A value written into a hole: a JSON value, or text written as a JSON string (an IdP's own
/// values, such as Okta's user id, which are not held as JSON).
#[derive(Debug, Clone, Copy)]
pub enum HoleValue<'v> {
    /// A JSON value: a scalar or an empty list ([`fits_a_hole`]).
    Json(&'v Value),
    /// A string.
    Text(&'v str),
}

/// A document's JSON text, cut at the holes its values go into.
#[derive(Debug)]
pub struct JsonTemplate {
    /// The text before each hole, and the position of the value that fills it.
    parts: Vec<(String, usize)>,
    /// The text after the last hole.
    tail: String,
}

impl JsonTemplate {
    /// The value to build a template's document with in place of the value at `position`.
    pub fn placeholder(position: usize) -> Value {
        Value::String(format!("\0{position}\0"))
    }

    /// The template of `document`, built with [`placeholder`](Self::placeholder)s for the
    /// values at positions below `holes`; `None` when its text cannot be cut at them (a key or
    /// a string of the document holding a NUL character, which placeholders use, or a
    /// placeholder for a position of `holes` or above).
    pub fn new(document: &Value, holes: usize) -> Option<Self> {
        let text = document.to_string();
        let mut parts = Vec::with_capacity(holes);
        let mut rest = text.as_str();
        while let Some(at) = rest.find(HOLE_OPEN) {
            let after = &rest[at + HOLE_OPEN.len()..];
            let end = after.find(HOLE_CLOSE)?;
            let position = after[..end].parse::<usize>().ok().filter(|&p| p < holes)?;
            parts.push((rest[..at].to_string(), position));
            rest = &after[end + HOLE_CLOSE.len()..];
        }
        if rest.contains(ESCAPED_NUL) || parts.iter().any(|(text, _)| text.contains(ESCAPED_NUL)) {
            return None;
        }
        Some(Self { parts, tail: rest.to_string() })
    }

    /// Appends the document to `bytes` with `value(n)` written into each hole of position n.
    pub fn fill<'v>(&self, bytes: &mut Vec<u8>, value: impl Fn(usize) -> HoleValue<'v>) {
        for (text, position) in &self.parts {
            bytes.extend_from_slice(text.as_bytes());
            // A Value has string keys only, and a Vec takes every byte: writing cannot fail.
            let _ = match value(*position) {
                HoleValue::Json(json) => serde_json::to_writer(&mut *bytes, json),
                HoleValue::Text(text) => serde_json::to_writer(&mut *bytes, text),
            };
        }
        bytes.extend_from_slice(self.tail.as_bytes());
    }
}

/// Whether a value can be written into a hole: a scalar, or an empty list. Placing one shapes
/// a document as a placeholder string does; a list with elements, or an object, can be read
/// or merged into by a later path.
pub fn fits_a_hole(value: &Value) -> bool {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
        Value::Array(items) => items.is_empty(),
        Value::Null | Value::Object(_) => false,
    }
}

/// Whether a document built by setting values at `paths` depends on those values only through
/// their kinds. It does not when a filtered path writes a sub-attribute that a filter among
/// `paths` selects elements by (`emails[type eq "work"].type`): then whether a later path
/// finds an element depends on what an earlier value was.
pub fn shaped_by_kinds<'p>(paths: impl Iterator<Item = &'p PatchPath> + Clone) -> bool {
    let filtered: Vec<String> = paths
        .clone()
        .filter_map(|p| p.filter.as_ref())
        .filter_map(equalities)
        .flatten()
        .map(|(name, _)| name)
        .collect();
    paths
        .filter(|p| p.filter.is_some())
        .filter_map(|p| p.attr.sub.as_deref())
        .all(|sub| !filtered.iter().any(|name| name.eq_ignore_ascii_case(sub)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn path(text: &str) -> PatchPath {
        text.parse().unwrap()
    }

    #[test]
    fn a_template_is_its_document_with_values_in_the_holes() {
        let document = json!({"a": JsonTemplate::placeholder(1), "b": [JsonTemplate::placeholder(0)], "c": null});
        let template = JsonTemplate::new(&document, 2).unwrap();
        let mut bytes = Vec::new();
        let value = json!(["x \"y\""]);
        template.fill(&mut bytes, |n| if n == 0 { HoleValue::Text("t\n") } else { HoleValue::Json(&value) });
        assert_eq!(String::from_utf8(bytes).unwrap(), r#"{"a":["x \"y\""],"b":["t\n"],"c":null}"#);
    }

    #[test]
    fn a_text_with_a_nul_of_its_own_or_an_unknown_hole_is_refused() {
        assert!(JsonTemplate::new(&json!({"a\u{0}": JsonTemplate::placeholder(0)}), 1).is_none());
        assert!(JsonTemplate::new(&json!({"a": "\u{0}x"}), 1).is_none());
        assert!(JsonTemplate::new(&json!({"a": JsonTemplate::placeholder(1)}), 1).is_none());
        assert!(JsonTemplate::new(&json!({"a": "\u{0}1"}), 2).is_none());
    }

    #[test]
    fn lists_with_elements_and_objects_do_not_fit_a_hole() {
        assert!(fits_a_hole(&json!("")) && fits_a_hole(&json!(1.5)) && fits_a_hole(&json!([])));
        assert!(!fits_a_hole(&json!(["a"])) && !fits_a_hole(&json!({})) && !fits_a_hole(&Value::Null));
    }

    #[test]
    fn a_sub_attribute_a_filter_selects_by_makes_a_shape_depend_on_values() {
        let fixed = [path(r#"emails[type eq "work"].value"#), path("emails"), path("name.type")];
        assert!(shaped_by_kinds(fixed.iter()));
        let read = [path(r#"emails[type eq "work"].value"#), path(r#"emails[primary eq true].Type"#)];
        assert!(!shaped_by_kinds(read.iter()));
        assert!(!shaped_by_kinds([path(r#"emails[type eq "work" and primary eq true].primary"#)].iter()));
    }
}
