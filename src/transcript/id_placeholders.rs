//! Stable names for the target's ids: `[id-1]`, `[id-2]`, … in order of first appearance, so
//! two runs (or a recording and its replay) that differ only in the ids their targets chose
//! read the same, and "the PATCH went to the id the POST returned" still shows.

use std::collections::HashMap;

use serde_json::Value;

use super::Exchange;

/// The placeholder of every id seen so far.
#[derive(Debug, Clone, Default)]
pub struct IdPlaceholders {
    /// Each id's placeholder.
    placeholders: HashMap<String, String>,
    /// The distinct lengths of the ids, longest first. A text is searched for ids by looking
    /// up its substrings of these lengths: a replay compares thousands of answers against
    /// thousands of ids, which one search per id would make quadratic, and a target's ids
    /// come in one or two lengths.
    lengths: Vec<usize>,
    /// How many placeholders have been handed out.
    numbered: usize,
}

impl IdPlaceholders {
    /// No id known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every `id` in the response bodies of `exchanges`, numbered in order.
    pub fn of_responses(exchanges: &[Exchange]) -> Self {
        let mut ids = Self::new();
        for exchange in exchanges {
            ids.number_response(exchange);
        }
        ids
    }

    /// Numbers the ids in `exchange`'s response body not seen before.
    pub fn number_response(&mut self, exchange: &Exchange) {
        if let Some(body) = exchange.response.as_ref().and_then(|r| r.body.as_ref()) {
            self.number(body);
        }
    }

    /// Numbers every `id` in `value` (a resource, a list response's members) not seen before.
    pub fn number(&mut self, value: &Value) {
        match value {
            Value::Object(fields) => {
                if let Some(Value::String(id)) = fields.get("id") {
                    self.add(id, None);
                }
                fields.values().for_each(|v| self.number(v));
            }
            Value::Array(items) => items.iter().for_each(|v| self.number(v)),
            _ => {}
        }
    }

    /// Gives `id` the placeholder `same_as` has (the replay's id of an object the recording
    /// knew by `same_as`), or the next one when `same_as` has none. An id that already has a
    /// placeholder keeps it.
    pub fn alias(&mut self, id: &str, same_as: &str) {
        let placeholder = self.placeholders.get(same_as).cloned();
        self.add(id, placeholder);
    }

    /// Gives `id` the placeholder `placeholder`, a name the caller chose (`scimsim diff` names
    /// an object after its `userName`); an id that already has a placeholder keeps it.
    pub fn name(&mut self, id: &str, placeholder: &str) {
        self.add(id, Some(placeholder.to_string()));
    }

    /// The placeholder of `id`, when it has one.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.placeholders.get(id).map(String::as_str)
    }

    /// `text` with every known id in it replaced by its placeholder; where ids overlap, the
    /// longest wins, so an id that contains another is replaced whole.
    pub fn replace_in(&self, text: &str) -> String {
        let Some(&shortest) = self.lengths.last() else { return text.to_string() };
        let mut out = String::new();
        let (mut copied, mut at) = (0, 0);
        while at + shortest <= text.len() {
            let found = text.is_char_boundary(at).then(|| {
                self.lengths.iter().find_map(|&length| {
                    let id = text.get(at..at + length)?;
                    self.placeholders.get(id).map(|placeholder| (length, placeholder))
                })
            });
            match found.flatten() {
                Some((length, placeholder)) => {
                    out.push_str(&text[copied..at]);
                    out.push_str(placeholder);
                    at += length;
                    copied = at;
                }
                None => at += 1,
            }
        }
        out.push_str(&text[copied..]);
        out
    }

    fn add(&mut self, id: &str, placeholder: Option<String>) {
        if id.is_empty() || self.placeholders.contains_key(id) {
            return;
        }
        let placeholder = placeholder.unwrap_or_else(|| {
            self.numbered += 1;
            format!("[id-{}]", self.numbered)
        });
        self.placeholders.insert(id.to_string(), placeholder);
        if let Err(at) = self.lengths.binary_search_by(|known| id.len().cmp(known)) {
            self.lengths.insert(at, id.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_numbered_in_order_and_replaced_longest_first() {
        let mut ids = IdPlaceholders::new();
        ids.number(&json!({"id": "ab", "members": [{"value": "x"}], "Resources": [{"id": "abc"}, {"id": "ab"}]}));
        assert_eq!(ids.get("ab"), Some("[id-1]"));
        assert_eq!(ids.get("abc"), Some("[id-2]"));
        assert_eq!(ids.replace_in("/Users/abc and ab"), "/Users/[id-2] and [id-1]");
        ids.number(&json!({"id": "1"}));
        assert_eq!(ids.replace_in("ab 1"), "[id-1] [id-3]", "a placeholder is not replaced again");
        assert_eq!(ids.replace_in("é1éabcé"), "é[id-3]é[id-2]é");
        assert_eq!(IdPlaceholders::new().replace_in("ab"), "ab");
    }

    #[test]
    fn an_alias_reads_as_the_id_it_stands_for() {
        let mut ids = IdPlaceholders::new();
        ids.number(&json!({"id": "recorded-1"}));
        ids.alias("new-1", "recorded-1");
        ids.alias("new-2", "never-seen");
        ids.alias("recorded-1", "new-2");
        assert_eq!(ids.get("new-1"), Some("[id-1]"));
        assert_eq!(ids.get("new-2"), Some("[id-2]"));
        assert_eq!(ids.get("recorded-1"), Some("[id-1]"), "a known id keeps its placeholder");
        assert_eq!(ids.get(""), None);
        ids.name("u-7", "{user:alice}");
        ids.name("u-7", "{user:bob}");
        assert_eq!(ids.replace_in("/Users/u-7"), "/Users/{user:alice}", "the first name stands");
    }
}
