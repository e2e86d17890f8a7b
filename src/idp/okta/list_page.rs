//! Reading one page of a ListResponse the way Okta does: the paging numbers must be JSON
//! integers, or provisioning fails (REF20; a community report of `"startIndex": "1"`,
//! okta-wire.md §1.1, §1.11).

use serde_json::{Map, Value};

use crate::target::AnswerBody;

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ListPage {
    /// `totalResults`, when present.
    pub(super) total: Option<u64>,
    /// The resources of this page.
    pub(super) resources: Vec<Value>,
}

/// The members a page is read from.
const MEMBERS: [&str; 4] = ["startIndex", "itemsPerPage", "totalResults", "Resources"];
/// The position of `Resources` in [`MEMBERS`].
const RESOURCES: usize = 3;

/// Reads a ListResponse body. With `lenient_keys`, names match whatever their case, as Okta
/// accepted `resources` and `totalresults` in 2019 (CAP2019).
pub(super) fn read(body: Option<&Value>, lenient_keys: bool) -> Result<ListPage, String> {
    let Some(Value::Object(list)) = body else {
        return Err("the response is not a JSON object (a SCIM ListResponse was expected)".into());
    };
    let get = |key: &str| list.get(key).or_else(|| lenient_keys.then(|| find_ci(list, key)).flatten());
    let total = total(get)?;
    Ok(ListPage { total, resources: resources(get("Resources").cloned())? })
}

/// [`read`] of an answer's body, reading only the page's members when no key spells one of
/// them in another case: an existence check's answer is read for every user provisioned.
pub(super) fn read_answer(body: &AnswerBody, lenient_keys: bool) -> Result<ListPage, String> {
    match body.members(&MEMBERS) {
        // With no key in another case, a lenient read finds what an exact one does.
        Some(mut members) if members.object && !(lenient_keys && members.folded) => {
            let total =
                total(|key| MEMBERS.iter().position(|name| *name == key).and_then(|at| members.values[at].as_ref()))?;
            Ok(ListPage { total, resources: resources(members.values[RESOURCES].take())? })
        }
        _ => read(body.value(), lenient_keys),
    }
}

/// `totalResults` from the members `get` gives, once the paging numbers are checked.
fn total<'v>(get: impl Fn(&str) -> Option<&'v Value>) -> Result<Option<u64>, String> {
    for key in ["startIndex", "itemsPerPage", "totalResults"] {
        if let Some(value) = get(key)
            && value.as_u64().is_none()
        {
            return Err(format!("{key} is {value}, not an integer; Okta needs the paging numbers as JSON integers"));
        }
    }
    Ok(get("totalResults").and_then(Value::as_u64))
}

/// The resources of a `Resources` member: a read answer's are moved, not copied.
fn resources(member: Option<Value>) -> Result<Vec<Value>, String> {
    match member {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(format!("Resources is {other}, not an array")),
    }
}

fn find_ci<'m>(map: &'m Map<String, Value>, key: &str) -> Option<&'m Value> {
    map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    #[test]
    fn integers_pass_and_strings_fail() {
        let page =
            read(Some(&json!({"totalResults": 2, "startIndex": 1, "itemsPerPage": 2, "Resources": [{}, {}]})), true)
                .unwrap();
        assert_eq!(page.total, Some(2));
        assert_eq!(page.resources.len(), 2);
        let err = read(Some(&json!({"totalResults": 0, "startIndex": "1", "Resources": []})), true).unwrap_err();
        assert!(err.contains("startIndex is \"1\""), "{err}");
        assert!(read(Some(&json!({"totalResults": 1.5})), true).is_err());
        assert!(read(Some(&json!([])), true).is_err());
        assert!(read(None, true).is_err());
    }

    proptest! {
        #[test]
        fn an_answer_reads_as_its_decoded_body(
            raw in r#"\{(("(startIndex|StartIndex|totalResults|totalresults|itemsPerPage|Resources|resources|schemas)":(1|"1"|-2|1.5|null|\[\]|\[\{\}\]|\{\})),){0,4}("(Resources|resources|totalResults)":(1|\[\{\}\]))\}|\[\]|oops|"#,
            lenient in any::<bool>(),
        ) {
            let body = AnswerBody::from_bytes(bytes::Bytes::copy_from_slice(raw.as_bytes()));
            let decoded = crate::transcript::parse_body(raw.as_bytes());
            prop_assert_eq!(read_answer(&body, lenient), read(decoded.as_ref(), lenient), "{}", raw);
        }
    }

    #[test]
    fn lower_case_keys_when_lenient() {
        let body = json!({"totalresults": 1, "resources": [{"id": "1"}]});
        assert_eq!(read(Some(&body), true).unwrap().resources.len(), 1);
        assert!(read(Some(&body), false).unwrap().resources.is_empty());
        let answer = AnswerBody::from_bytes(bytes::Bytes::from(body.to_string()));
        assert_eq!(read_answer(&answer, true).unwrap().resources.len(), 1);
        assert!(read_answer(&answer, false).unwrap().resources.is_empty());
    }
}
