//! Rewriting every string of a JSON value: what snapshots and replays use to put stable
//! placeholders where run-specific values (ids, the target's URL, a run's prefix) stood.

use serde_json::Value;

/// `value` with `f` applied to every string and object key.
pub fn replace_strings(value: &Value, f: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::String(s) => Value::String(f(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| replace_strings(v, f)).collect()),
        Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (f(k), replace_strings(v, f))).collect()),
        other => other.clone(),
    }
}

/// `value` with each pair's first string replaced by its second wherever a string (or an
/// object key) contains it.
pub fn translate(value: &Value, pairs: &[(String, String)]) -> Value {
    replace_strings(value, &|text| {
        pairs.iter().fold(text.to_string(), |text, (from, to)| text.replace(from.as_str(), to))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn translates_strings_and_keys_everywhere() {
        let value = json!({"userName": "s1-alice@x", "members": [{"display": "s1-Sales"}], "s1-key": 1, "id": "00uA"});
        let pairs = [("s1-".to_string(), String::new()), ("00uA".to_string(), "00uB".to_string())];
        assert_eq!(
            translate(&value, &pairs),
            json!({"userName": "alice@x", "members": [{"display": "Sales"}], "key": 1, "id": "00uB"})
        );
    }
}
