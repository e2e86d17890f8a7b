//! Lines up a recording with scimsim's traffic for the same story and lists every difference
//! in method, path, query, headers and body.
//!
//! Requests are aligned by method and path shape (`PATCH /Users/{id}`), as a text diff aligns
//! lines, so a request missing on one side shows as that one request, not as every later
//! request being off by one; where a run of requests differs on both sides, they are paired in
//! order (a recorded `PUT` against scimsim's `PATCH` is a method difference). Aligned requests
//! are compared field by field; bodies are compared as JSON trees
//! (key order is not compared: JSON objects are unordered, RFC 8259 §4), strings exactly,
//! so `"Replace"` against `"replace"` or `"False"` against `false` is a difference.

use serde_json::Value;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::reference_section::reference_section;
use super::wire_difference::{Aspect, WireDifference};
use super::wire_normalizer::NormalizedRequest;

/// The longest value text shown in a difference.
const MAX_SHOWN: usize = 120;

/// Every difference between `recorded` and `model` (both normalized), in recorded order; `idp`
/// chooses the reference document.
pub fn compare(idp: &str, recorded: &[NormalizedRequest], model: &[NormalizedRequest]) -> Vec<WireDifference> {
    let key = |r: &NormalizedRequest| format!("{} {}", r.method, r.shape());
    let old: Vec<String> = recorded.iter().map(key).collect();
    let new: Vec<String> = model.iter().map(key).collect();
    let mut differences = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
        let (old_range, new_range) = match op {
            DiffOp::Equal { old_index, new_index, len } => (old_index..old_index + len, new_index..new_index + len),
            DiffOp::Delete { old_index, old_len, .. } => (old_index..old_index + old_len, 0..0),
            DiffOp::Insert { new_index, new_len, .. } => (0..0, new_index..new_index + new_len),
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (old_index..old_index + old_len, new_index..new_index + new_len)
            }
        };
        let paired = old_range.len().min(new_range.len());
        for (r, m) in old_range.clone().zip(new_range.clone()) {
            Pair { idp, recorded: &recorded[r], model: &model[m] }.compare(&mut differences);
        }
        for r in old_range.skip(paired) {
            differences.push(alone(idp, &recorded[r], Aspect::OnlyRecorded));
        }
        for m in new_range.skip(paired) {
            differences.push(alone(idp, &model[m], Aspect::OnlyModel));
        }
    }
    differences
}

/// A request only one side has.
fn alone(idp: &str, request: &NormalizedRequest, aspect: Aspect) -> WireDifference {
    WireDifference {
        recorded_seq: (aspect == Aspect::OnlyRecorded).then_some(request.seq),
        request: request.label(),
        aspect,
        pointer: String::new(),
        recorded: None,
        model: None,
        section: section(idp, request, false, ""),
    }
}

fn section(idp: &str, request: &NormalizedRequest, in_headers: bool, pointer: &str) -> &'static str {
    reference_section(
        idp,
        &request.method,
        &request.shape(),
        request.query.as_deref(),
        request.body.as_ref(),
        in_headers,
        pointer,
    )
}

/// Two requests aligned with each other.
struct Pair<'a> {
    idp: &'a str,
    recorded: &'a NormalizedRequest,
    model: &'a NormalizedRequest,
}

impl Pair<'_> {
    fn compare(&self, out: &mut Vec<WireDifference>) {
        let (r, m) = (self.recorded, self.model);
        if r.method != m.method {
            out.push(self.difference(Aspect::Method, "", Some(quoted(&r.method)), Some(quoted(&m.method))));
        }
        if r.path != m.path {
            out.push(self.difference(Aspect::Path, "", Some(quoted(&r.path)), Some(quoted(&m.path))));
        }
        if r.query != m.query {
            out.push(self.difference(
                Aspect::Query,
                "",
                r.query.as_deref().map(quoted),
                m.query.as_deref().map(quoted),
            ));
        }
        let names: std::collections::BTreeSet<&String> = r.headers.keys().chain(m.headers.keys()).collect();
        for name in names {
            let (a, b) = (r.headers.get(name), m.headers.get(name));
            if a != b {
                out.push(self.difference(Aspect::Header, name, a.map(|v| quoted(v)), b.map(|v| quoted(v))));
            }
        }
        match (&r.body, &m.body) {
            (Some(a), Some(b)) => self.body(String::new(), a, b, out),
            (None, None) => {}
            (a, b) => out.push(self.difference(Aspect::Body, "", a.as_ref().map(shown), b.as_ref().map(shown))),
        }
    }

    fn body(&self, pointer: String, recorded: &Value, model: &Value, out: &mut Vec<WireDifference>) {
        match (recorded, model) {
            (Value::Object(a), Value::Object(b)) => {
                for (key, value) in a {
                    let at = format!("{pointer}/{}", escape(key));
                    match b.get(key) {
                        Some(other) => self.body(at, value, other, out),
                        None => out.push(self.difference(Aspect::Body, &at, Some(shown(value)), None)),
                    }
                }
                for (key, value) in b.iter().filter(|(key, _)| !a.contains_key(*key)) {
                    out.push(self.difference(
                        Aspect::Body,
                        &format!("{pointer}/{}", escape(key)),
                        None,
                        Some(shown(value)),
                    ));
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    self.body(format!("{pointer}/{i}"), x, y, out);
                }
                for (i, x) in a.iter().enumerate().skip(b.len()) {
                    out.push(self.difference(Aspect::Body, &format!("{pointer}/{i}"), Some(shown(x)), None));
                }
                for (i, y) in b.iter().enumerate().skip(a.len()) {
                    out.push(self.difference(Aspect::Body, &format!("{pointer}/{i}"), None, Some(shown(y))));
                }
            }
            (a, b) if a != b => out.push(self.difference(Aspect::Body, &pointer, Some(shown(a)), Some(shown(b)))),
            _ => {}
        }
    }

    fn difference(
        &self,
        aspect: Aspect,
        pointer: &str,
        recorded: Option<String>,
        model: Option<String>,
    ) -> WireDifference {
        // The recorded request decides the section; only what scimsim alone sends uses its own.
        let in_headers = aspect == Aspect::Header;
        let body_pointer = if aspect == Aspect::Body { pointer } else { "" };
        WireDifference {
            recorded_seq: Some(self.recorded.seq),
            request: self.recorded.label(),
            aspect,
            pointer: pointer.to_string(),
            recorded,
            model,
            section: section(self.idp, self.recorded, in_headers, body_pointer),
        }
    }
}

/// A JSON pointer token (RFC 6901 §3).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn quoted(text: &str) -> String {
    shown(&Value::String(text.to_string()))
}

/// Compact JSON, cut to [`MAX_SHOWN`] characters.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= MAX_SHOWN {
        return text;
    }
    let cut: String = text.chars().take(MAX_SHOWN).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn request(seq: u64, method: &str, path: &str, body: Option<Value>) -> NormalizedRequest {
        NormalizedRequest {
            seq,
            method: method.into(),
            path: path.into(),
            query: None,
            headers: BTreeMap::from([("content-type".into(), "application/scim+json; charset=utf-8".into())]),
            body,
        }
    }

    fn disable(op: &str) -> Option<Value> {
        Some(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": op, "path": "active", "value": "False"}]}))
    }

    #[test]
    fn identical_traffic_has_no_difference() {
        let side =
            [request(1, "GET", "/Users/{user:a}", None), request(2, "PATCH", "/Users/{user:a}", disable("Replace"))];
        assert_eq!(compare("entra", &side, &side), []);
    }

    #[test]
    fn a_changed_op_is_exactly_one_difference_with_its_pointer_and_section() {
        let recorded =
            [request(1, "GET", "/Users/{user:a}", None), request(2, "PATCH", "/Users/{user:a}", disable("replace"))];
        let model =
            [request(1, "GET", "/Users/{user:a}", None), request(2, "PATCH", "/Users/{user:a}", disable("Replace"))];
        let differences = compare("entra", &recorded, &model);
        assert_eq!(differences.len(), 1, "{differences:?}");
        let d = &differences[0];
        assert_eq!((d.recorded_seq, d.aspect, d.pointer.as_str()), (Some(2), Aspect::Body, "/Operations/0/op"));
        assert_eq!((d.recorded.as_deref(), d.model.as_deref()), (Some("\"replace\""), Some("\"Replace\"")));
        assert_eq!(
            d.to_string(),
            "#2 PATCH /Users/{user:a}: body /Operations/0/op: recorded \"replace\", scimsim sends \"Replace\"  \
             [entra-wire.md §2 Legacy default vs aadOptscim062020, side by side]"
        );
    }

    #[test]
    fn a_missing_request_is_one_difference_not_a_cascade() {
        let get = request(1, "GET", "/Users/{user:a}", None);
        let patch = request(2, "PATCH", "/Users/{user:a}", disable("Replace"));
        let delete = request(3, "DELETE", "/Users/{user:a}", None);
        let recorded = [get, patch.clone(), delete.clone()];
        let model = [patch, delete];
        let differences = compare("entra", &recorded, &model);
        assert_eq!(differences.len(), 1, "{differences:?}");
        assert_eq!((differences[0].aspect, differences[0].recorded_seq), (Aspect::OnlyRecorded, Some(1)));
    }

    #[test]
    fn methods_headers_and_types_are_compared() {
        let mut recorded = request(4, "PUT", "/Users/{user:a}", Some(json!({"active": false})));
        recorded.headers.insert("accept-encoding".into(), "gzip,deflate".into());
        let model = request(4, "PATCH", "/Users/{user:a}", Some(json!({"active": "False"})));
        let differences = compare("okta", &[recorded], &[model]);
        let aspects: Vec<(Aspect, &str)> = differences.iter().map(|d| (d.aspect, d.pointer.as_str())).collect();
        assert_eq!(aspects, [(Aspect::Method, ""), (Aspect::Header, "accept-encoding"), (Aspect::Body, "/active")]);
        assert_eq!(differences[2].model.as_deref(), Some("\"False\""));
    }
}
