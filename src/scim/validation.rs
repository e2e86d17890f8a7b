//! Turning a request body into a resource's stored form: schema checks, type checks and the
//! few coercions real IdPs need, with attribute names in the schema's spelling.
//!
//! Rules (RFC 7643 §2, §3; RFC 7644 §3.3, §3.5.1):
//! - `schemas` must list the resource type's core schema; the server rewrites it to the core
//!   schema plus the extensions the resource carries (unknown URNs such as Entra's
//!   `…/ADSCIM/2.0/Group`, entra-wire.md §1.9, are accepted and dropped);
//! - `readOnly` attributes (`id`, `meta`, `groups`) are ignored, as RFC 7644 §3.3 says;
//! - attributes no schema defines are `400 invalidValue` errors naming the attribute (Entra
//!   reports such answers as `SchemaAttributeNotFound`, entra-wire.md §1.2), so a mapping to an
//!   attribute the server does not know is found at once rather than silently dropped;
//! - `null`, `""` for a complex attribute and `[]` all mean "unassigned" (RFC 7643 §2.5);
//! - values must have the attribute's type, except two leniencies real IdPs need:
//!   booleans sent as the strings `"True"`/`"False"` (Entra legacy, entra-wire.md §2) and a
//!   single-valued complex attribute with a `value` sub-attribute sent as a bare string
//!   (Entra's `manager`, entra-wire.md §1.3), which becomes `{"value": …}`; `""` and
//!   `{"value": ""}` for such an attribute unassign it (entra-wire.md §5.1).

use serde_json::{Map, Value};

use super::schema::{AttrType, Attribute, Mutability};
use super::suggestion::did_you_mean;
use super::{ResourceSchema, ScimError, parse_date_time, urn};

/// Checks `body` against `schema` and returns it in stored form (without `id` and `meta`,
/// which the server assigns).
pub fn canonicalize(schema: &ResourceSchema, body: &Value) -> Result<Map<String, Value>, ScimError> {
    let type_name = &schema.resource_type.name;
    let object =
        body.as_object().ok_or_else(|| ScimError::invalid_syntax(format!("a {type_name} must be a JSON object")))?;
    check_schemas(schema, object)?;
    let mut out = Map::new();
    for (key, value) in object {
        if let Some(ext) = schema.extension(key) {
            if value.is_null() {
                continue;
            }
            let inner = value.as_object().ok_or_else(|| {
                ScimError::invalid_syntax(format!("{} must be an object holding the extension's attributes", ext.id))
            })?;
            let inner: Map<String, Value> =
                inner.iter().filter(|(k, v)| !is_repeated_schemas(k, v)).map(|(k, v)| (k.clone(), v.clone())).collect();
            let inner = canonical_object(&ext.attributes, &inner, &format!("{}:", ext.id))?;
            insert_once(&mut out, &ext.id, inner.map(Value::Object))?;
        } else if let Some(attr) = schema.top_level(key) {
            if attr.mutability == Mutability::ReadOnly || attr.name == "schemas" {
                continue;
            }
            insert_once(&mut out, &attr.name, canonical_value(attr, value, &attr.name)?)?;
        } else if urn::has_urn_prefix(key) {
            return Err(ScimError::invalid_value(format!(
                "{key} is not an extension of {type_name}; its extensions are [{}] (define the schema to send its attributes)",
                schema.extensions.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(", ")
            )));
        } else {
            let names = schema.core.attributes.iter().chain(super::COMMON.attributes.iter()).map(|a| a.name.as_str());
            return Err(ScimError::invalid_value(format!(
                "{type_name} has no attribute {key:?}{}",
                did_you_mean(key, names)
            )));
        }
    }
    check_required(schema, &out)?;
    set_schemas(schema, &mut out);
    Ok(out)
}

/// True for a `schemas` list repeated inside an extension object. RFC 7643 §3 puts `schemas`
/// at the top level only; scim2-models (and so scim2-tester) also writes it into each
/// extension object. It says nothing new, so it is skipped rather than refused.
pub(crate) fn is_repeated_schemas(key: &str, value: &Value) -> bool {
    key.eq_ignore_ascii_case("schemas") && value.as_array().is_some_and(|items| items.iter().all(Value::is_string))
}

/// Sets `schemas` to the core schema plus the extensions `resource` carries (what the server
/// writes after any change that may add or drop an extension object).
pub fn set_schemas(schema: &ResourceSchema, resource: &mut Map<String, Value>) {
    let mut schemas = vec![Value::String(schema.core.id.clone())];
    schemas
        .extend(schema.extensions.iter().filter(|e| resource.contains_key(&e.id)).map(|e| Value::String(e.id.clone())));
    resource.insert("schemas".into(), Value::Array(schemas));
}

/// Applies PUT's rules for what the client may not change or cannot see (RFC 7644 §3.5.1):
/// an `immutable` attribute keeps its value (a different one is a `mutability` error), and a
/// `writeOnly` attribute such as `password`, which the client could not read back, is kept
/// when the replacement omits it.
pub fn preserve_on_replace(
    schema: &ResourceSchema,
    old: &Map<String, Value>,
    new: &mut Map<String, Value>,
) -> Result<(), ScimError> {
    let containers = std::iter::once((
        None,
        schema.core.attributes.iter().chain(super::COMMON.attributes.iter()).collect::<Vec<_>>(),
    ))
    .chain(schema.extensions.iter().map(|e| (Some(e.id.as_str()), e.attributes.iter().collect())));
    for (ext, attributes) in containers {
        for attr in attributes {
            if !matches!(attr.mutability, Mutability::Immutable | Mutability::WriteOnly) {
                continue;
            }
            let old_value = match ext {
                None => old.get(&attr.name),
                Some(urn) => old.get(urn).and_then(|o| o.get(&attr.name)),
            };
            let Some(old_value) = old_value else { continue };
            let slot = match ext {
                None => &mut *new,
                Some(urn) => new
                    .entry(urn)
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .unwrap_or_else(|| unreachable!()),
            };
            match slot.get(&attr.name) {
                None => {
                    slot.insert(attr.name.clone(), old_value.clone());
                }
                Some(v) if attr.mutability == Mutability::Immutable && v != old_value => {
                    return Err(ScimError::mutability(format!(
                        "{} is immutable and already set to {old_value}",
                        attr.name
                    )));
                }
                Some(_) => {}
            }
        }
    }
    set_schemas(schema, new);
    Ok(())
}

fn insert_once(out: &mut Map<String, Value>, key: &str, value: Option<Value>) -> Result<(), ScimError> {
    if out.contains_key(key) {
        return Err(ScimError::invalid_syntax(format!("{key} appears twice (attribute names are case-insensitive)")));
    }
    if let Some(value) = value {
        out.insert(key.to_string(), value);
    }
    Ok(())
}

fn check_schemas(schema: &ResourceSchema, object: &Map<String, Value>) -> Result<(), ScimError> {
    let core = &schema.core.id;
    let listed = object.iter().find(|(k, _)| k.eq_ignore_ascii_case("schemas")).map(|(_, v)| v);
    let ok = match listed {
        Some(Value::Array(items)) => {
            if let Some(bad) = items.iter().find(|i| !i.is_string()) {
                return Err(ScimError::invalid_syntax(format!("schemas must list URN strings, found {bad}")));
            }
            items.iter().filter_map(Value::as_str).any(|u| u.eq_ignore_ascii_case(core))
        }
        _ => false,
    };
    if ok { Ok(()) } else { Err(ScimError::invalid_value(format!("\"schemas\" must list {core:?} (RFC 7643 §3)"))) }
}

fn check_required(schema: &ResourceSchema, resource: &Map<String, Value>) -> Result<(), ScimError> {
    let missing = |attrs: &[Attribute], holder: &Map<String, Value>, prefix: &str| -> Result<(), ScimError> {
        match attrs.iter().find(|a| a.required && a.name != "schemas" && !holder.contains_key(&a.name)) {
            Some(a) => Err(ScimError::invalid_value(format!("{prefix}{} is required", a.name))),
            None => Ok(()),
        }
    };
    missing(&schema.core.attributes, resource, "")?;
    for (ext, declared) in schema.extensions.iter().zip(&schema.resource_type.schema_extensions) {
        match resource.get(&ext.id).and_then(Value::as_object) {
            Some(holder) => missing(&ext.attributes, holder, &format!("{}:", ext.id))?,
            None if declared.required => {
                return Err(ScimError::invalid_value(format!(
                    "extension {} is required for {}",
                    ext.id, schema.resource_type.name
                )));
            }
            None => {}
        }
    }
    Ok(())
}

/// Canonicalizes the attributes of an object (a resource part or a complex value); `None`
/// when nothing is left.
fn canonical_object(
    attributes: &[Attribute],
    object: &Map<String, Value>,
    prefix: &str,
) -> Result<Option<Map<String, Value>>, ScimError> {
    let mut out = Map::new();
    for (key, value) in object {
        let Some(attr) = attributes.iter().find(|a| a.name.eq_ignore_ascii_case(key)) else {
            let owner = prefix.trim_end_matches(['.', ':']);
            let names = attributes.iter().map(|a| a.name.as_str());
            return Err(ScimError::invalid_value(format!(
                "{owner} has no attribute {key:?}{}",
                did_you_mean(key, names)
            )));
        };
        if attr.mutability == Mutability::ReadOnly {
            continue;
        }
        let path = format!("{prefix}{}", attr.name);
        insert_once(&mut out, &attr.name, canonical_value(attr, value, &path)?)?;
    }
    if let Some(a) = attributes.iter().find(|a| a.required && !out.contains_key(&a.name))
        && !out.is_empty()
    {
        return Err(ScimError::invalid_value(format!("{prefix}{} is required", a.name)));
    }
    Ok((!out.is_empty()).then_some(out))
}

/// Canonicalizes one attribute's value; `None` means unassigned.
pub(crate) fn canonical_value(attr: &Attribute, value: &Value, path: &str) -> Result<Option<Value>, ScimError> {
    if value.is_null() {
        return Ok(None);
    }
    if !attr.multi_valued {
        return canonical_single(attr, value, path);
    }
    let Value::Array(items) = value else {
        return Err(ScimError::invalid_value(format!(
            "{path} is multi-valued: send an array, e.g. \"{}\": [{}]",
            attr.name,
            example(attr)
        )));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if let Some(v) = canonical_single(attr, item, path)? {
            out.push(v);
        }
    }
    let primaries = out.iter().filter(|v| v.get("primary").and_then(Value::as_bool) == Some(true)).count();
    if primaries > 1 {
        return Err(ScimError::invalid_value(format!(
            "{path} has {primaries} values with \"primary\": true; at most one may be primary (RFC 7643 §2.4)"
        )));
    }
    Ok((!out.is_empty()).then_some(Value::Array(out)))
}

fn example(attr: &Attribute) -> &'static str {
    match attr.kind {
        AttrType::Complex => "{\"value\": …}",
        AttrType::Boolean => "true",
        AttrType::Integer | AttrType::Decimal => "1",
        _ => "\"…\"",
    }
}

fn canonical_single(attr: &Attribute, value: &Value, path: &str) -> Result<Option<Value>, ScimError> {
    let wrong = |expected: &str| {
        ScimError::invalid_value(format!(
            "{path} is a {}: expected {expected}, got {}",
            attr.kind.keyword(),
            describe(value)
        ))
    };
    let ok = |v: &Value| Ok(Some(v.clone()));
    match attr.kind {
        AttrType::Complex => match value {
            // `{"value": ""}` unassigns a single-valued reference such as `manager`, as the
            // Microsoft SCIM Validator's "Remove Manager" test expects (entra-wire.md §5.1).
            Value::Object(object)
                if !attr.multi_valued && object.iter().any(|(k, v)| k.eq_ignore_ascii_case("value") && v == "") =>
            {
                Ok(None)
            }
            Value::Object(object) => {
                Ok(canonical_object(&attr.sub_attributes, object, &format!("{path}."))?.map(Value::Object))
            }
            Value::String(s) if !attr.multi_valued && attr.sub_attribute("value").is_some() => {
                Ok((!s.is_empty()).then(|| serde_json::json!({ "value": s })))
            }
            _ => Err(wrong("an object of sub-attributes")),
        },
        AttrType::String | AttrType::Reference => match value {
            Value::String(_) => ok(value),
            _ => Err(wrong("a JSON string")),
        },
        AttrType::Binary => match value {
            Value::String(s) if s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=-_\r\n".contains(&b)) => ok(value),
            _ => Err(wrong("a base64 string")),
        },
        AttrType::Boolean => match value {
            Value::Bool(_) => ok(value),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Some(Value::Bool(true))),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Some(Value::Bool(false))),
            _ => Err(wrong("true or false")),
        },
        AttrType::Integer => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => ok(value),
            _ => Err(wrong("a whole number")),
        },
        AttrType::Decimal => match value {
            Value::Number(_) => ok(value),
            _ => Err(wrong("a number")),
        },
        AttrType::DateTime => match value {
            Value::String(s) if parse_date_time(s).is_some() => ok(value),
            _ => Err(wrong("an xsd:dateTime such as \"2008-01-23T04:56:22Z\"")),
        },
    }
}

fn describe(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::urn;
    use serde_json::json;

    fn user(body: Value) -> Result<Value, ScimError> {
        canonicalize(&ResourceSchema::user(), &body).map(Value::Object)
    }

    fn detail(body: Value) -> String {
        user(body).unwrap_err().detail
    }

    #[test]
    fn entra_create_body_is_accepted_as_sent() {
        // entra-wire.md §1.2, Microsoft's sample POST.
        let out = user(json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
            "active": true,
            "emails": [{"primary": true, "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
            "meta": {"resourceType": "User"},
            "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
            "roles": []
        }))
        .unwrap();
        assert_eq!(out["userName"], "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1");
        assert!(out.get("meta").is_none(), "readOnly meta is ignored");
        assert!(out.get("roles").is_none(), "[] is unassigned");
        assert_eq!(out["schemas"], json!([urn::USER]), "no enterprise data, so no enterprise URN");
    }

    #[test]
    fn names_are_canonicalized() {
        let out = user(json!({"SCHEMAS": [urn::USER], "USERNAME": "a", "Name": {"GIVENNAME": "b"}})).unwrap();
        assert_eq!(out, json!({"schemas": [urn::USER], "userName": "a", "name": {"givenName": "b"}}));
    }

    #[test]
    fn unknown_attributes_are_named() {
        assert_eq!(
            detail(json!({"schemas": [urn::USER], "userName": "a", "titel": "x"})),
            "User has no attribute \"titel\" (did you mean \"title\"?)"
        );
        assert_eq!(
            detail(json!({"schemas": [urn::USER], "userName": "a", "name": {"gvenName": "x"}})),
            "name has no attribute \"gvenName\" (did you mean \"givenName\"?)"
        );
        assert!(
            detail(json!({"schemas": [urn::USER], "userName": "a", "urn:acme:1.0:User": {"x": 1}}))
                .contains("is not an extension of User")
        );
        let err = detail(json!({"schemas": [urn::USER], "userName": "a", (urn::ENTERPRISE_USER): {"dept": "x"}}));
        assert!(err.starts_with(&format!("{} has no attribute \"dept\"", urn::ENTERPRISE_USER)), "{err}");
    }

    #[test]
    fn entra_leniencies() {
        let out = user(json!({
            "schemas": [urn::USER], "userName": "a", "active": "False",
            (urn::ENTERPRISE_USER): {"manager": "2c2f6fb8"},
            "emails": [{"value": "x", "primary": "True"}]
        }))
        .unwrap();
        assert_eq!(out["active"], false);
        assert_eq!(out["emails"][0]["primary"], true);
        assert_eq!(out[urn::ENTERPRISE_USER]["manager"], json!({"value": "2c2f6fb8"}));
        assert_eq!(out["schemas"], json!([urn::USER, urn::ENTERPRISE_USER]));
        let out =
            user(json!({"schemas": [urn::USER], "userName": "a", (urn::ENTERPRISE_USER): {"manager": ""}})).unwrap();
        assert!(out.get(urn::ENTERPRISE_USER).is_none());
    }

    #[test]
    fn schemas_repeated_inside_an_extension_object_is_skipped() {
        let out = user(json!({"schemas": [urn::USER], "userName": "a", (urn::ENTERPRISE_USER): {"schemas": [urn::ENTERPRISE_USER], "department": "d"}})).unwrap();
        assert_eq!(out[urn::ENTERPRISE_USER], json!({"department": "d"}));
        assert!(
            detail(json!({"schemas": [urn::USER], "userName": "a", (urn::ENTERPRISE_USER): {"schemas": 5}}))
                .contains("no attribute \"schemas\"")
        );
    }

    #[test]
    fn entra_group_urn_is_accepted() {
        let out = canonicalize(
            &ResourceSchema::group(),
            &json!({"schemas": [urn::GROUP, urn::ENTRA_GROUP], "displayName": "G", "externalId": "8aa1", "meta": {"resourceType": "Group"}}),
        )
        .unwrap();
        assert_eq!(Value::Object(out), json!({"schemas": [urn::GROUP], "displayName": "G", "externalId": "8aa1"}));
    }

    #[test]
    fn strict_errors_say_what_to_send() {
        assert!(detail(json!({"userName": "a"})).contains("\"schemas\" must list"));
        assert!(detail(json!({"schemas": [urn::GROUP], "userName": "a"})).contains(urn::USER));
        assert_eq!(detail(json!({"schemas": [urn::USER]})), "userName is required");
        assert_eq!(
            detail(json!({"schemas": [urn::USER], "userName": 5})),
            "userName is a string: expected a JSON string, got 5"
        );
        assert!(detail(json!({"schemas": [urn::USER], "userName": "a", "active": "yes"})).contains("true or false"));
        assert!(
            detail(json!({"schemas": [urn::USER], "userName": "a", "emails": {"value": "x"}}))
                .contains("send an array")
        );
        assert!(
            detail(json!({"schemas": [urn::USER], "userName": "a", "name": "x"})).contains("object of sub-attributes")
        );
        assert!(detail(json!({"schemas": [urn::USER], "userName": "a", "emails": [{"value": "x", "primary": true}, {"value": "y", "primary": true}]})).contains("at most one"));
        assert!(detail(json!({"schemas": [urn::USER], "userName": "a", "UserName": "b"})).contains("appears twice"));
        assert!(
            detail(json!({"schemas": [urn::USER], "userName": "a", (urn::ENTERPRISE_USER): "x"}))
                .contains("must be an object")
        );
        assert!(
            detail(json!({"schemas": [urn::USER], "userName": "a", "x509Certificates": [{"value": "not base64!"}]}))
                .contains("base64")
        );
        assert!(user(json!("x")).unwrap_err().scim_type == Some(crate::scim::ScimType::InvalidSyntax));
        assert!(detail(json!({"schemas": [5], "userName": "a"})).contains("URN strings"));
    }

    #[test]
    fn typed_extension_attributes() {
        let mut schema = ResourceSchema::user();
        let ext = crate::scim::Schema::from_json(
            r#"{"id":"urn:acme:1.0:User","attributes":[
                {"name":"level","type":"integer","required":true},{"name":"score","type":"decimal"},
                {"name":"hired","type":"dateTime"},{"name":"badge","type":"complex","subAttributes":[{"name":"code","required":true},{"name":"color"}]}]}"#,
        )
        .unwrap();
        schema.add_extension(ext, true).unwrap();
        let run = |ext: Value| {
            canonicalize(&schema, &json!({"schemas": [urn::USER], "userName": "a", "urn:acme:1.0:User": ext}))
                .map(Value::Object)
        };
        let out =
            run(json!({"level": 3, "score": 1.5, "hired": "2020-01-01T00:00:00Z", "badge": {"code": "x"}})).unwrap();
        assert_eq!(out["urn:acme:1.0:User"]["hired"], "2020-01-01T00:00:00Z", "values are kept exactly as sent");
        assert!(run(json!({"level": 1.5})).unwrap_err().detail.contains("whole number"));
        assert!(run(json!({"level": 1, "hired": "2020-01-01"})).unwrap_err().detail.contains("xsd:dateTime"));
        assert!(
            run(json!({"level": 1, "badge": {"color": "red"}})).unwrap_err().detail.contains("badge.code is required")
        );
        assert!(run(json!({"score": 1})).unwrap_err().detail.contains("level is required"));
        let missing = canonicalize(&schema, &json!({"schemas": [urn::USER], "userName": "a"})).unwrap_err();
        assert!(missing.detail.contains("extension urn:acme:1.0:User is required"));
    }

    #[test]
    fn replace_keeps_immutable_and_write_only() {
        let mut schema = ResourceSchema::user();
        let ext = crate::scim::Schema::from_json(
            r#"{"id":"urn:acme:1.0:User","attributes":[{"name":"hireId","mutability":"immutable"}]}"#,
        )
        .unwrap();
        schema.add_extension(ext, false).unwrap();
        let old = json!({"userName": "a", "password": "p", "urn:acme:1.0:User": {"hireId": "h1"}})
            .as_object()
            .unwrap()
            .clone();
        let mut new = json!({"userName": "b"}).as_object().unwrap().clone();
        preserve_on_replace(&schema, &old, &mut new).unwrap();
        assert_eq!(
            Value::Object(new),
            json!({"schemas": [urn::USER, "urn:acme:1.0:User"], "userName": "b", "password": "p", "urn:acme:1.0:User": {"hireId": "h1"}})
        );
        let mut changed = json!({"userName": "b", "urn:acme:1.0:User": {"hireId": "h2"}}).as_object().unwrap().clone();
        let err = preserve_on_replace(&schema, &old, &mut changed).unwrap_err();
        assert_eq!(err.scim_type, Some(crate::scim::ScimType::Mutability));
    }
}
