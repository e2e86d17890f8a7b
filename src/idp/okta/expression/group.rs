//! Group membership functions (EL doc "Group functions"): `isMemberOfGroupName`,
//! `isMemberOfGroup`, `isMemberOfAnyGroup`, `isMemberOfGroupNameStartsWith`,
//! `isMemberOfGroupNameContains` and `isMemberOfGroupNameRegex`.
//!
//! They read the user's group names from source value `user#groupNames` and group IDs from
//! `user#groupIds` (arrays of strings). The EL doc notes that `isMemberOfGroupName` matches
//! groups of that name from every source (Okta, app and directory groups alike), which is
//! what a flat list of names gives.
//!
//! \[INFERRED] Names and IDs match case-sensitively, and a null argument matches nothing.
//! `isMemberOfGroupNameRegex` matches whole names, as the `matches` operator does. Uncertain:
//! the EL doc's example pattern `"/.*admin.*"` starts with a `/`, which is kept as a literal
//! character here, so it matches only names starting with `/`; whether Okta strips it is
//! undocumented.

use serde_json::Value;

use super::evaluator::{Evaluator, Outcome};
use super::function::Function;
use super::pattern;
use super::syntax::Call;

/// Whether the user is a member of a group the call names.
pub(crate) fn is_member(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let wanted = (0..call.args.len()).map(|i| ev.text_arg(call, i)).collect::<Outcome<Vec<_>>>()?;
    let groups: Vec<String> = match call.function.membership_source().map(|name| ev.attribute(name)) {
        Some(Value::Array(items)) => items.into_iter().filter_map(|item| item.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    let member = match call.function {
        Function::IsMemberOfGroupNameRegex => match wanted.into_iter().flatten().next() {
            Some(text) => {
                let regex = pattern::compile(&text).map_err(|message| call.fail(message))?;
                groups.iter().any(|group| regex.is_match(group))
            }
            None => false,
        },
        function => wanted.iter().flatten().any(|text| {
            groups.iter().any(|group| match function {
                Function::IsMemberOfGroupNameStartsWith => group.starts_with(text.as_str()),
                Function::IsMemberOfGroupNameContains => group.contains(text.as_str()),
                _ => group == text,
            })
        }),
    };
    Ok(Value::Bool(member))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::idp::okta::expression::test_source::{failure, value};

    fn user() -> Value {
        json!({
            "user#groupNames": ["Everyone", "San Francisco", "group1", "West Coast Admins", "/ops-admins"],
            "user#groupIds": ["00gak46y5hydV6NdM0g4", "00g1emaKYZTWRYYRRTSK", "groupId2"],
        })
    }

    #[test]
    fn documented_examples() {
        // EL doc "Group functions", every example, for a user in these groups.
        assert_eq!(value(r#"isMemberOfGroupName("group1")"#, user()), json!(true));
        assert_eq!(value(r#"isMemberOfGroup("groupId2")"#, user()), json!(true));
        assert_eq!(value(r#"isMemberOfAnyGroup("groupId1", "groupId2", "groupId3")"#, user()), json!(true));
        assert_eq!(value(r#"isMemberOfGroupNameStartsWith("San Fr")"#, user()), json!(true));
        assert_eq!(value(r#"isMemberOfGroupNameContains("admin")"#, user()), json!(true));
        assert_eq!(value(r#"isMemberOfGroupNameRegex("/.*admin.*")"#, user()), json!(true), "matches /ops-admins");
    }

    #[test]
    fn non_members() {
        assert_eq!(value(r#"isMemberOfGroupName("group")"#, user()), json!(false), "whole names only");
        assert_eq!(value(r#"isMemberOfGroupName("GROUP1")"#, user()), json!(false), "case-sensitive");
        assert_eq!(value(r#"isMemberOfGroup("group1")"#, user()), json!(false), "IDs, not names");
        assert_eq!(value(r#"isMemberOfAnyGroup("groupId1", "groupId3")"#, user()), json!(false));
        assert_eq!(value(r#"isMemberOfGroupNameStartsWith("Francisco")"#, user()), json!(false));
        assert_eq!(value(r#"isMemberOfGroupNameContains("Admin ")"#, user()), json!(false));
        assert_eq!(value(r#"isMemberOfGroupNameRegex(".*admin")"#, user()), json!(false), "whole names only");
        assert_eq!(value(r#"isMemberOfGroupNameRegex("(?i).*ADMINS")"#, user()), json!(true));
        assert_eq!(value("isMemberOfGroupName(user.missing)", user()), json!(false));
        assert_eq!(value("isMemberOfGroupNameRegex(user.missing)", user()), json!(false));
        assert_eq!(value("isMemberOfAnyGroup(user.missing, 'groupId2')", user()), json!(true));
    }

    #[test]
    fn users_without_groups() {
        assert_eq!(value(r#"isMemberOfGroupName("Everyone")"#, json!({})), json!(false));
        assert_eq!(value(r#"isMemberOfGroup("x")"#, json!({"user#groupIds": "x"})), json!(false));
        assert_eq!(value(r#"isMemberOfGroup("1")"#, json!({"user#groupIds": [1, "1"]})), json!(true));
    }

    #[test]
    fn group_functions_in_conditions() {
        let text = r#"isMemberOfGroupName("group1") ? "Admin" : "User""#;
        assert_eq!(value(text, user()), json!("Admin"));
        assert_eq!(value(text, json!({})), json!("User"));
    }

    #[test]
    fn patterns_from_the_source_are_checked_when_evaluated() {
        assert_eq!(
            failure("isMemberOfGroupNameRegex(user.pattern)", json!({"user.pattern": "a("})),
            "isMemberOfGroupNameRegex: invalid regular expression \"a(\": unclosed group (column 1)"
        );
    }
}
