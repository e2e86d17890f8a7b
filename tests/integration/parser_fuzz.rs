//! The SCIM grammars and PATCH application under generated input (see [`super::hostile_input`]):
//! none may panic, what parses prints back to the same tree, every refusal is a `400` with
//! the RFC's `scimType`, and a PATCH that applies yields a resource in stored form.

use proptest::prelude::*;
use scimsim::scim::{
    AttrPath, Filter, Matcher, PatchOp, PatchPath, ResourceSchema, ScimError, ScimType, apply_patch, canonicalize, urn,
};
use serde_json::{Map, Value, json};

use super::hostile_input::{any_json, attr_path, config, filter_text, patch_body, patch_path_text};

/// Cases per property: the parsers are pure and fast.
const CASES: u32 = 256;

/// A user in stored form with values for filters and PATCH paths to find.
fn bjensen(schema: &ResourceSchema) -> Map<String, Value> {
    let body = json!({
        "schemas": [urn::USER, urn::ENTERPRISE_USER],
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "title": "Tour Guide",
        "active": true,
        "emails": [{"value": "b@work", "type": "work", "primary": true}, {"value": "b@home", "type": "home"}],
        "roles": [{"value": "admin", "primary": "True"}],
        (urn::ENTERPRISE_USER): {"department": "Tour", "manager": {"value": "m1"}}
    });
    canonicalize(schema, &body).expect("the fixture is a valid user")
}

/// A group in stored form with two members.
fn group(schema: &ResourceSchema) -> Map<String, Value> {
    let body = json!({"schemas": [urn::GROUP], "displayName": "Tour", "members": [{"value": "a"}, {"value": "b"}]});
    canonicalize(schema, &body).expect("the fixture is a valid group")
}

/// Fails unless `error` is a `400` with one of `scim_types`.
fn assert_bad_request(error: &ScimError, scim_types: &[ScimType]) -> Result<(), TestCaseError> {
    prop_assert_eq!(error.status, 400, "{}", error);
    prop_assert!(error.scim_type.is_some_and(|t| scim_types.contains(&t)), "{}", error);
    Ok(())
}

proptest! {
    #![proptest_config(config(CASES))]

    #[test]
    fn filters_parse_print_back_and_compile_or_say_why(text in filter_text()) {
        let Ok(filter) = text.parse::<Filter>() else { return Ok(()) };
        let printed = filter.to_string();
        let reparsed = printed.parse::<Filter>();
        prop_assert_eq!(reparsed.as_ref(), Ok(&filter), "{} printed as {}", text, printed);
        let user = ResourceSchema::user();
        match Matcher::new(&user, &filter) {
            Ok(matcher) => {
                matcher.matches(&bjensen(&user));
                matcher.matches(&Map::new());
            }
            Err(e) => assert_bad_request(&e, &[ScimType::InvalidFilter])?,
        }
    }

    #[test]
    fn attribute_paths_parse_and_print_back(text in prop_oneof![attr_path(), any::<String>()]) {
        if let Ok(path) = text.parse::<AttrPath>() {
            prop_assert_eq!(path.to_string().parse::<AttrPath>(), Ok(path));
        }
    }

    #[test]
    fn patch_paths_parse_and_print_back(text in patch_path_text()) {
        if let Ok(path) = text.parse::<PatchPath>() {
            let printed = path.to_string();
            prop_assert_eq!(printed.parse::<PatchPath>(), Ok(path), "{} printed as {}", text, printed);
        }
    }

    #[test]
    fn patch_bodies_apply_atomically_or_say_why(body in patch_body(), to_group in any::<bool>()) {
        let patch = match PatchOp::from_json(&body) {
            Ok(patch) => patch,
            Err(e) => {
                let types = [ScimType::InvalidSyntax, ScimType::InvalidPath, ScimType::InvalidValue, ScimType::NoTarget];
                return assert_bad_request(&e, &types);
            }
        };
        let schema = if to_group { ResourceSchema::group() } else { ResourceSchema::user() };
        let resource = if to_group { group(&schema) } else { bjensen(&schema) };
        match apply_patch(&schema, &resource, &patch) {
            Ok(patched) => {
                let again = canonicalize(&schema, &Value::Object(patched.clone()));
                prop_assert_eq!(again, Ok(patched), "a patched resource is in stored form");
            }
            Err(e) => assert_bad_request(&e, &[
                ScimType::InvalidSyntax,
                ScimType::InvalidPath,
                ScimType::InvalidValue,
                ScimType::InvalidFilter,
                ScimType::NoTarget,
                ScimType::Mutability,
            ])?,
        }
    }

    #[test]
    fn any_json_is_a_patch_or_a_400(body in any_json()) {
        if let Err(e) = PatchOp::from_json(&body) {
            assert_bad_request(&e, &[ScimType::InvalidSyntax, ScimType::InvalidValue, ScimType::InvalidPath, ScimType::NoTarget])?;
        }
    }
}
