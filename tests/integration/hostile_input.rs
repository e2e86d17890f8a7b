//! Hostile input for the SCIM grammars and the reference server: proptest strategies that
//! build filters, attribute paths and PATCH bodies from the RFC 7644 grammar, valid and
//! nearly valid (a valid text with a few edits), alongside raw strings and arbitrary JSON.
//!
//! The vocabulary mixes names the server knows (in odd letter cases) with unknown, misspelt
//! and malformed ones, so generated input reaches past the parsers into schema resolution,
//! filter compilation and PATCH application.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::Config;
use scimsim::scim::urn;
use serde_json::{Number, Value, json};

/// proptest settings: `default_cases` cases unless `PROPTEST_CASES` says otherwise, and no
/// regression files (a failure found here becomes a named unit test instead).
pub fn config(default_cases: u32) -> Config {
    let mut config = Config { failure_persistence: None, ..Config::default() };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    config
}

/// Attribute paths the server knows, for User and Group, in odd letter cases too.
const KNOWN_PATHS: &[&str] = &[
    "userName",
    "USERNAME",
    "displayName",
    "title",
    "active",
    "nickName",
    "externalId",
    "name",
    "name.givenName",
    "Name.FamilyName",
    "emails",
    "emails.value",
    "emails.type",
    "phoneNumbers",
    "addresses.formatted",
    "roles",
    "members",
    "members.value",
    "meta.lastModified",
    "manager",
    "manager.value",
    "department",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
    "urn:ietf:params:scim:schemas:core:2.0:User:emails",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    // The behaviour profiles' extensions (Omni's read-only system attributes among them).
    "urn:omni:params:1.0:UserAttribute:blob_entity",
    "urn:omni:params:1.0:UserAttribute:brand_name",
    "urn:omni:params:1.0:UserAttribute:omni_user_email",
    "omni_user_id",
    "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:site",
    "deviceLimit",
    "labels",
];

/// Attribute names: known ones the server refuses to write, unknown and invalid ones.
const NAMES: &[&str] =
    &["id", "groups", "meta", "schemas", "password", "employeeNumber", "nope", "$ref", "a-b_c", "1bad", "", "ünï"];

/// Multi-valued complex attributes, which value filters select elements of, and two that
/// are not.
const MULTI_VALUED: &[&str] = &[
    "emails",
    "Emails",
    "phoneNumbers",
    "addresses",
    "roles",
    "members",
    "groups",
    "x509Certificates",
    "name",
    "title",
];

/// Sub-attribute names, known and not.
const SUBS: &[&str] =
    &["value", "type", "primary", "display", "givenName", "formatted", "lastModified", "$ref", "nope", "", "a.b"];

/// Schema URNs qualifying a path, real and broken.
const URNS: &[&str] = &[
    urn::USER,
    urn::ENTERPRISE_USER,
    urn::GROUP,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0",
    "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER",
    "urn:acme:1.0:User",
    "urn::x",
    "urn:é",
    "foo",
];

/// Comparison operators, in any case.
const OPERATORS: &[&str] = &["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "Sw"];

/// Literals that fit string attributes.
const STRINGS: &[&str] =
    &[r#""bjensen""#, r#""BJensen""#, r#""work""#, r#""b@work""#, r#""""#, r#""a\"b\\c""#, r#""ünï""#];

/// Other literals: numbers, JSON keywords, dates, and malformed ones.
const LITERALS: &[&str] = &[
    r#""2011-05-13T04:42:34Z""#,
    r#""True""#,
    r#""\u0000""#,
    "42",
    "-1.5e3",
    "1e999",
    "01",
    "-",
    "true",
    "false",
    "null",
    "True",
    "'x'",
    r#""unterminated"#,
    r#""bad \q""#,
];

/// Fragments spliced into valid text to make it nearly valid.
const FRAGMENTS: &[&str] =
    &["(", ")", "[", "]", "\"", "\\", ".", ":", " ", "not", "and", "or", "pr", "eq", "==", "\u{0}", "é", "\n", "urn:"];

/// Characters filters are made of, for short random texts.
const FILTER_CHARS: &[char] =
    &['a', 'e', 'q', 'n', 'o', 't', 'p', 'r', 'U', ' ', '(', ')', '[', ']', '"', '\\', '.', ':', '-', '1', '$', 'é'];

/// An attribute path: mostly one the server knows, else `[urn:]name[.sub]` composed from the
/// vocabulary.
pub fn attr_path() -> impl Strategy<Value = String> + Clone {
    let composed =
        (prop::option::weighted(0.3, select(URNS)), select(NAMES), prop::option::weighted(0.3, select(SUBS))).prop_map(
            |(urn, name, sub)| {
                let mut path = urn.map(|u| format!("{u}:")).unwrap_or_default();
                path.push_str(name);
                if let Some(sub) = sub {
                    path.push('.');
                    path.push_str(sub);
                }
                path
            },
        );
    prop_oneof![5 => select(KNOWN_PATHS).prop_map(String::from), 1 => composed]
}

/// `path pr` or `path op literal`.
fn comparison(path: impl Strategy<Value = String> + Clone) -> impl Strategy<Value = String> + Clone {
    let literal = prop_oneof![4 => select(STRINGS), 1 => select(LITERALS)];
    prop_oneof![
        3 => (path.clone(), select(OPERATORS), literal).prop_map(|(p, op, v)| format!("{p} {op} {v}")),
        1 => path.prop_map(|p| format!("{p} pr")),
    ]
}

/// `leaf` expressions joined by `and`, `or`, `not` and parentheses, a few levels deep.
fn logic(leaf: impl Strategy<Value = String> + 'static) -> impl Strategy<Value = String> + Clone {
    leaf.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} OR {b}")),
            inner.clone().prop_map(|a| format!("not ({a})")),
            inner.clone().prop_map(|a| format!("not({a})")),
            inner.prop_map(|a| format!("({a})")),
        ]
    })
}

/// A value filter's content: comparisons of sub-attributes (mostly of ones `emails` has).
fn element_filter() -> impl Strategy<Value = String> + Clone {
    let sub = prop_oneof![4 => select(&["value", "type", "primary", "display"][..]), 1 => select(SUBS)];
    logic(comparison(sub.prop_map(String::from)))
}

/// A filter built from the RFC 7644 §3.4.2.2 grammar (with the vocabulary's mistakes):
/// comparisons and value filters (`emails[type eq "work"]`) joined by the logical operators.
fn grammar_filter() -> impl Strategy<Value = String> + Clone {
    let value_filter = (select(MULTI_VALUED), element_filter()).prop_map(|(n, f)| format!("{n}[{f}]"));
    logic(prop_oneof![3 => comparison(attr_path()), 1 => value_filter])
}

/// `text` with up to three edits: a fragment inserted, a character range deleted.
fn nearly(text: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    let edit = (any::<Index>(), any::<Index>(), prop::option::of(select(FRAGMENTS)));
    (text, prop::collection::vec(edit, 1..4)).prop_map(|(mut text, edits)| {
        for (at, len, insert) in edits {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let start = *at.get(&boundaries);
            match insert {
                Some(fragment) => text.insert_str(start, fragment),
                None => {
                    let ends: Vec<usize> = boundaries.into_iter().filter(|&b| b >= start).take(4).collect();
                    text.replace_range(start..*len.get(&ends), "");
                }
            }
        }
        text
    })
}

/// A short text of the characters filters are made of.
fn filter_chars() -> impl Strategy<Value = String> {
    prop::collection::vec(select(FILTER_CHARS), 0..40).prop_map(String::from_iter)
}

/// Filter text: grammar-built, nearly valid, made of filter characters, or any string.
pub fn filter_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => grammar_filter(),
        2 => nearly(grammar_filter()),
        2 => filter_chars(),
        1 => any::<String>(),
    ]
}

/// A value path (RFC 7644 §3.5.2 `valuePath [subAttr]`): `name[filter]` or `name[filter].sub`.
fn value_path() -> impl Strategy<Value = String> {
    (select(MULTI_VALUED), element_filter(), prop::option::of(select(SUBS))).prop_map(|(n, f, s)| match s {
        Some(s) => format!("{n}[{f}].{s}"),
        None => format!("{n}[{f}]"),
    })
}

/// PATCH path text (RFC 7644 §3.5.2): an attribute path, a value path, a nearly valid one, or
/// any string.
pub fn patch_path_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => attr_path(),
        3 => value_path(),
        2 => nearly(prop_oneof![attr_path(), value_path()]),
        1 => any::<String>(),
    ]
}

/// Any JSON value, a few levels deep.
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop_oneof![attr_path(), any::<String>()], inner), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// A scalar a SCIM attribute may hold, Entra's `"False"` among them.
fn scalar() -> impl Strategy<Value = Value> + Clone {
    prop_oneof![
        select(&["bjensen", "work", "", "False", "True", "2011-05-13T04:42:34Z", "x@example.com"][..])
            .prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..3).prop_map(Value::from),
        Just(Value::Null),
    ]
}

/// An object of attributes (dotted and URN-qualified keys among them) or of sub-attributes.
fn attribute_object() -> impl Strategy<Value = Value> + Clone {
    let key = prop_oneof![attr_path(), select(SUBS).prop_map(String::from)];
    prop::collection::vec((key, scalar()), 0..4).prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
}

/// A value a PATCH operation may carry: a scalar, an object of attributes, an array of
/// multi-valued elements, or any JSON.
pub fn patch_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => scalar(),
        3 => attribute_object(),
        2 => prop::collection::vec(attribute_object(), 0..4).prop_map(Value::Array),
        2 => any_json(),
    ]
}

/// A JSON object of the members that are present.
fn object(members: impl IntoIterator<Item = (&'static str, Option<Value>)>) -> Value {
    Value::Object(members.into_iter().filter_map(|(k, v)| Some((k.to_string(), v?))).collect())
}

/// One operation: mostly well-shaped (`add`/`replace` with a path and a value, `remove` with
/// a path, path-less `add`/`replace` with an object of attributes), else `op`, `path` and
/// `value` each present or not and of any JSON type.
pub fn patch_operation() -> impl Strategy<Value = Value> {
    let writing = select(&["add", "replace", "Add", "REPLACE"][..]).prop_map(Value::from);
    let op = prop_oneof![
        select(&["add", "remove", "replace", "Remove", "merge", ""][..]).prop_map(Value::from),
        any_json(),
    ];
    let path = prop_oneof![4 => patch_path_text().prop_map(Value::String), 1 => any_json()];
    let present = |strategy: BoxedStrategy<Value>| prop::option::weighted(0.8, strategy);
    let shapeless = (present(op.boxed()), present(path.boxed()), present(patch_value().boxed()))
        .prop_map(|(op, path, value)| object([("op", op), ("path", path), ("value", value)]));
    prop_oneof![
        5 => (writing.clone(), patch_path_text(), patch_value())
            .prop_map(|(op, path, value)| object([("op", Some(op)), ("path", Some(path.into())), ("value", Some(value))])),
        2 => (patch_path_text(), prop::option::weighted(0.2, patch_value()))
            .prop_map(|(path, value)| object([("op", Some("remove".into())), ("path", Some(path.into())), ("value", value)])),
        2 => (writing, attribute_object()).prop_map(|(op, value)| object([("op", Some(op)), ("value", Some(value))])),
        1 => shapeless,
    ]
}

/// A User resource body for POST or PUT: `schemas`, mostly a `userName` and an email, and a
/// few attributes, mostly typed ones, else generated (dotted, URN-qualified and unknown keys).
pub fn user_body() -> impl Strategy<Value = Value> {
    let schemas = prop_oneof![
        4 => Just(json!([urn::USER])),
        2 => Just(json!([urn::USER, urn::ENTERPRISE_USER])),
        1 => any_json(),
    ];
    let attribute = prop_oneof![
        3 => typed_attribute().prop_map(|(key, value)| (key.to_string(), value)),
        1 => (attr_path(), patch_value()),
    ];
    let attributes = prop::collection::vec(attribute, 0..4);
    (
        schemas,
        prop::option::weighted(0.9, select(&["bjensen", "work", "fresh", "FRESH", ""][..])),
        prop::option::weighted(0.8, prop::collection::vec(element(), 0..3)),
        attributes,
    )
        .prop_map(|(schemas, user_name, emails, attributes)| {
            let mut body = json!({"schemas": schemas});
            for (key, value) in attributes {
                body[key] = value;
            }
            if let Some(name) = user_name {
                body["userName"] = json!(name);
            }
            if let Some(emails) = emails {
                body["emails"] = Value::Array(emails);
            }
            body
        })
}

/// A multi-valued element such as `emails` holds.
fn element() -> impl Strategy<Value = Value> {
    (select(&["a@work", "b@work", "b@home", ""][..]), select(&["work", "home", "other"][..]), any::<bool>())
        .prop_map(|(value, kind, primary)| json!({"value": value, "type": kind, "primary": primary}))
}

/// Text values, one of them another user's `userName`.
fn text() -> impl Strategy<Value = Value> + Clone {
    select(&["bjensen", "work", "Babs", "", "ünï"][..]).prop_map(Value::from)
}

/// A boolean, or Entra's string for one.
fn boolean() -> impl Strategy<Value = Value> + Clone {
    prop_oneof![any::<bool>().prop_map(Value::Bool), select(&["True", "False"][..]).prop_map(Value::from)]
}

/// A top-level User attribute with a value of its type, as a POST, a PUT and a PATCH path
/// take it: strings, `active`, `emails`, `name`, the enterprise extension.
fn typed_attribute() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        3 => (select(&["userName", "title", "displayName", "nickName"][..]), text()),
        1 => boolean().prop_map(|v| ("active", v)),
        2 => prop::collection::vec(element(), 0..3).prop_map(|v| ("emails", Value::Array(v))),
        1 => (text(), text()).prop_map(|(g, f)| ("name", json!({"givenName": g, "familyName": f}))),
        1 => text().prop_map(|d| (urn::ENTERPRISE_USER, json!({"department": d}))),
    ]
}

/// An operation on a user whose value has the type its path needs (so it usually applies):
/// a typed attribute, a sub-attribute or extension attribute, or elements chosen by a filter.
pub fn user_operation() -> impl Strategy<Value = Value> {
    let string_path = select(
        &[
            "name.givenName",
            "department",
            "manager",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            r#"emails[type eq "work"].value"#,
            r#"emails[value eq "b@home"].type"#,
            r#"phoneNumbers[type eq "work"].value"#,
        ][..],
    );
    let path_and_value = prop_oneof![
        4 => typed_attribute(),
        2 => (string_path, text()),
        1 => boolean().prop_map(|v| (r#"emails[type eq "home"].primary"#, v)),
        1 => element().prop_map(|v| (r#"emails[type eq "work"]"#, v)),
    ];
    (select(&["add", "replace", "remove", "Replace"][..]), path_and_value)
        .prop_map(|(op, (path, value))| json!({"op": op, "path": path, "value": value}))
}

/// An operation on a group's name or members, naming the ids in `members` (users that exist,
/// and one that does not) in the shapes Entra and Okta send.
pub fn group_operation(members: Vec<String>) -> impl Strategy<Value = Value> {
    let ids = select(members.into_iter().chain(["no-such-id".to_string()]).collect::<Vec<_>>());
    let member_list = prop::collection::vec(ids.clone(), 0..3)
        .prop_map(|ids| Value::Array(ids.into_iter().map(|id| json!({"value": id})).collect()));
    prop_oneof![
        2 => (select(&["add", "remove", "replace"][..]), member_list)
            .prop_map(|(op, value)| json!({"op": op, "path": "members", "value": value})),
        1 => ids.prop_map(|id| json!({"op": "remove", "path": format!("members[value eq \"{id}\"]")})),
        1 => select(&["Tour", "Other", ""][..]).prop_map(|name| json!({"op": "replace", "value": {"displayName": name}})),
    ]
}

/// A PATCH request body of `operation`s: mostly a well-formed `PatchOp` message, sometimes a
/// broken envelope or any JSON.
pub fn patch_body_of(operation: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => prop::collection::vec(operation, 1..3)
            .prop_map(|ops| json!({"schemas": [urn::PATCH_OP], "Operations": ops})),
        1 => any_json().prop_map(|ops| json!({"schemas": [urn::PATCH_OP], "Operations": ops})),
        1 => any_json(),
    ]
}

/// A PATCH request body of [`patch_operation`]s.
pub fn patch_body() -> impl Strategy<Value = Value> {
    patch_body_of(patch_operation())
}
