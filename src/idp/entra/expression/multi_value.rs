//! Multi-valued attributes: `Join`, `Split`, `Item`, `RemoveDuplicates` and `Count`.

use serde_json::Value;

use super::evaluator::{Evaluator, Outcome};
use super::syntax::Call;
use super::value::to_text;

/// The values of a possibly multi-valued value: an array's elements, nothing for null, or the
/// value itself.
fn values(value: &Value) -> &[Value] {
    match value {
        Value::Array(values) => values,
        Value::Null => &[],
        single => std::slice::from_ref(single),
    }
}

/// `Join(separator, source1, source2, …)` (FUNCS Join): the sources' values separated by the
/// separator; a multi-valued source contributes every value.
///
/// Null and empty values are skipped: FUNCS's example `Join(", ", "", [surname], [givenName])`
/// gives `"Doe, John"`. \[Inf] With nothing left the result is `""`, and a null separator
/// reads as `""`.
pub(crate) fn join(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let separator = ev.text_arg(call, 0, "separator")?.unwrap_or_default();
    let mut joined = String::new();
    for node in &call.args[1..] {
        let source = ev.eval(node)?;
        for value in values(&source) {
            let part = to_text(value).map_err(|message| call.fail(format!("source {message}")))?;
            let Some(part) = part.filter(|part| !part.is_empty()) else { continue };
            // Parts are never empty, so text already joined means a part came before.
            if !joined.is_empty() {
                joined.push_str(&separator);
            }
            joined.push_str(&part);
        }
    }
    Ok(Value::String(joined))
}

/// `Split(source, delimiter)` (FUNCS Split): a multi-valued attribute (an array of strings).
///
/// \[Inf] FUNCS's example splits `"PermissionSetOne, PermissionSetTwo"` on `","` into
/// `["PermissionSetOne", "PermissionSetTwo"]`, so whitespace around each value is trimmed.
/// A null source gives null, an empty source no values, and a null or empty delimiter the
/// whole source as one value; the delimiter may be longer than one character.
pub(crate) fn split(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let Some(source) = ev.text_arg(call, 0, "source")? else {
        return Ok(Value::Null);
    };
    let delimiter = ev.text_arg(call, 1, "delimiter")?.unwrap_or_default();
    if source.is_empty() {
        return Ok(Value::Array(Vec::new()));
    }
    let pieces: Vec<Value> = if delimiter.is_empty() {
        vec![Value::String(source.trim().to_string())]
    } else {
        source.split(&*delimiter).map(|piece| Value::String(piece.trim().to_string())).collect()
    };
    Ok(Value::Array(pieces))
}

/// `Item(attribute, index)` (FUNCS Item): value number `index` (1-based) of a multi-valued
/// attribute. A single value counts as a one-value attribute.
///
/// \[Inf] An index past the last value gives null, null gives null, and an index below 1 is an
/// error ("Index 0 shouldn't be used").
pub(crate) fn item(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let list = ev.arg(call, 0)?;
    let index = ev.integer_arg(call, 1, "index")?;
    if index < 1 {
        return Err(call.fail(format!("index {index} is out of range; indexes start at 1")));
    }
    let position = usize::try_from(index - 1).unwrap_or(usize::MAX);
    Ok(values(&list).get(position).cloned().unwrap_or(Value::Null))
}

/// `RemoveDuplicates(attribute)` (FUNCS RemoveDuplicates): the values with duplicates removed,
/// keeping the first of each. \[Inf] Comparison is exact (case-sensitive); a single value or
/// null comes back unchanged.
pub(crate) fn remove_duplicates(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    match ev.arg(call, 0)?.into_owned() {
        Value::Array(values) => {
            let mut unique: Vec<Value> = Vec::with_capacity(values.len());
            for value in values {
                if !unique.contains(&value) {
                    unique.push(value);
                }
            }
            Ok(Value::Array(unique))
        }
        other => Ok(other),
    }
}

/// `Count(attribute)` (FUNCS Count): how many values a multi-valued attribute has. \[Inf] Null
/// counts 0 and a single value 1.
pub(crate) fn count(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    Ok(Value::from(values(&*ev.arg(call, 0)?).len()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::idp::entra::expression::test_source::{failure, parse_error, value};

    #[test]
    fn join_reference_examples() {
        // FUNCS Examples: "Add a comma between last name and first name."
        let text = r#"Join(", ", "", [surname], [givenName])"#;
        assert_eq!(value(text, json!({"givenName": "John", "surname": "Doe"})), json!("Doe, John"));
        // FUNCS PCase example: PCase(Join(" ",[firstName],[lastName])).
        let text = r#"PCase(Join(" ",[firstName],[lastName]))"#;
        assert_eq!(value(text, json!({"firstName": "GREGORY", "lastName": "JAMES"})), json!("Gregory James"));
    }

    #[test]
    fn join_flattens_multi_valued_sources_and_reads_numbers() {
        let text = r#"Join(";", [proxyAddresses], [mail])"#;
        let object = json!({"proxyAddresses": ["SMTP:a@x", "smtp:b@x"], "mail": "a@x"});
        assert_eq!(value(text, object), json!("SMTP:a@x;smtp:b@x;a@x"));
        // FUNCS Examples: Join("", 1000, …) reads a number as its digits.
        assert_eq!(value(r#"Join("", 1000, [id])"#, json!({"id": "42"})), json!("100042"));
        // FUNCS Examples: "Generate an ID for a user based on their Microsoft Entra object ID".
        // The reference's sample output comes from another object ID than its sample input;
        // this is the output for the input it shows.
        let text = r#"Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))"#;
        assert_eq!(
            value(text, json!({"objectId": "00aa00aa-bb11-cc22-dd33-44ee44ee44ee"})),
            json!("100030306161303061612626231312636332322646433332343465653434656534346565")
        );
        assert_eq!(value(r#"Join("", [a], [b])"#, json!({"a": "x", "b": true})), json!("xTrue"));
        assert_eq!(value("Join(, [a], [b])", json!({"a": "x", "b": "y"})), json!("xy"));
        assert_eq!(
            failure(r#"Join(",", [appRoleAssignments])"#, json!({"appRoleAssignments": [{"value": "Admin"}]})),
            "Join: source expects a string, got an object (column 1)"
        );
    }

    #[test]
    fn split_reference_example() {
        // FUNCS Split example.
        let text = r#"Split([extensionAttribute5], ",")"#;
        assert_eq!(
            value(text, json!({"extensionAttribute5": "PermissionSetOne, PermissionSetTwo"})),
            json!(["PermissionSetOne", "PermissionSetTwo"])
        );
        assert_eq!(value(text, json!({"extensionAttribute5": "one"})), json!(["one"]));
        assert_eq!(value(text, json!({"extensionAttribute5": "a,,b"})), json!(["a", "", "b"]));
        assert_eq!(value(text, json!({"extensionAttribute5": ""})), json!([]));
        assert_eq!(value(text, json!({})), json!(null));
        assert_eq!(value(r#"Split([x], "::")"#, json!({"x": "a::b"})), json!(["a", "b"]));
        assert_eq!(value(r#"Split([x], "")"#, json!({"x": "a,b"})), json!(["a,b"]));
    }

    #[test]
    fn item_is_one_based() {
        // FUNCS Item: Item([proxyAddresses], 1) returns the first item.
        let object = json!({"proxyAddresses": ["SMTP:a@x", "smtp:b@x"]});
        assert_eq!(value("Item([proxyAddresses], 1)", object.clone()), json!("SMTP:a@x"));
        assert_eq!(value("Item([proxyAddresses], 2)", object.clone()), json!("smtp:b@x"));
        assert_eq!(value("Item([proxyAddresses], 3)", object), json!(null));
        assert_eq!(value("Item([proxyAddresses], 1)", json!({})), json!(null));
        assert_eq!(value("Item([mail], 1)", json!({"mail": "a@x"})), json!("a@x"));
        assert_eq!(value(r#"Item(Split([x], "-"), 2)"#, json!({"x": "a-b-c"})), json!("b"));
        assert_eq!(
            failure("Item([proxyAddresses], [n])", json!({"proxyAddresses": ["a"], "n": 0})),
            "Item: index 0 is out of range; indexes start at 1 (column 1)"
        );
        assert_eq!(
            failure("Item([proxyAddresses], [n])", json!({"proxyAddresses": ["a"]})),
            "Item: index is null; it must be a whole number (column 1)"
        );
        assert_eq!(parse_error("Item([proxyAddresses], -1)").message, "index -1 is out of range");
    }

    #[test]
    fn remove_duplicates_keeps_first_occurrences() {
        // FUNCS RemoveDuplicates example.
        let object = json!({"proxyAddresses": ["smtp:a@x", "smtp:b@x", "smtp:a@x", "SMTP:a@x"]});
        assert_eq!(value("RemoveDuplicates([proxyAddresses])", object), json!(["smtp:a@x", "smtp:b@x", "SMTP:a@x"]));
        assert_eq!(value("RemoveDuplicates([mail])", json!({"mail": "a"})), json!("a"));
        assert_eq!(value("RemoveDuplicates([mail])", json!({})), json!(null));
    }

    #[test]
    fn count_values() {
        assert_eq!(value("Count([proxyAddresses])", json!({"proxyAddresses": ["a", "b", "c"]})), json!(3));
        assert_eq!(value("Count([proxyAddresses])", json!({})), json!(0));
        assert_eq!(value("Count([mail])", json!({"mail": "a"})), json!(1));
    }
}
