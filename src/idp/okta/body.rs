//! The app-user profile written as SCIM JSON (okta-wire.md §2.2–§2.3, §1.3–§1.5): into a new
//! resource for POST, into the server's own representation for PUT, as a value object or as
//! per-attribute operations for PATCH.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::idp::app::TargetType;
use crate::idp::shared_values::SharedValues;
use crate::scim::{AttrPath, PatchPath, get_path, set_path, urn};

use super::external_path::is_core;
use super::profile_editor::{AppUserAttribute, ProfileEditor};
use super::settings::{ClearedValue, Options};

/// App-user values by variable name, shared: an app user's profile and the one its link last
/// exported are one map until either changes (see [`SharedValues`]).
pub type Profile = SharedValues;

/// Converts a mapped value to the attribute's data type: strings that spell a boolean or a
/// number become one for `boolean`, `integer` and `number` attributes, anything becomes a
/// string for `string` ones, and an `array` attribute always gets an array (§2.3).
pub(super) fn typed(attribute: &AppUserAttribute, value: Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::Array(items) if attribute.attribute.multi_valued => {
            Value::Array(items.into_iter().map(|v| scalar(attribute.attribute.kind, v)).collect())
        }
        Value::Array(items) => items.into_iter().next().map_or(Value::Null, |v| typed(attribute, v)),
        other if attribute.attribute.multi_valued => Value::Array(vec![scalar(attribute.attribute.kind, other)]),
        other => scalar(attribute.attribute.kind, other),
    }
}

fn scalar(kind: TargetType, value: Value) -> Value {
    match (kind, value) {
        (TargetType::Boolean, Value::String(s)) if s == "true" || s == "false" => Value::Bool(s == "true"),
        (TargetType::Integer, Value::String(s)) if s.trim().parse::<i64>().is_ok() => {
            json!(s.trim().parse::<i64>().unwrap_or_default())
        }
        (TargetType::Decimal, Value::String(s)) if s.trim().parse::<f64>().is_ok() => {
            json!(s.trim().parse::<f64>().unwrap_or_default())
        }
        (TargetType::String, Value::Bool(b)) => Value::String(b.to_string()),
        (TargetType::String, Value::Number(n)) => Value::String(n.to_string()),
        (_, other) => other,
    }
}

/// Writes profiles into SCIM JSON for one app.
#[derive(Debug)]
pub(super) struct Renderer<'a> {
    pub(super) editor: &'a ProfileEditor,
    pub(super) options: &'a Options,
}

/// The value of an attribute a profile has none for, and of a cleared one sent as null.
static NULL: Value = Value::Null;

/// One value to write.
pub(super) struct Write<'a> {
    /// Where it goes: the attribute's path, shared with the templates written for it.
    pub(super) path: &'a Arc<PatchPath>,
    /// The profile's value, or null.
    pub(super) value: &'a Value,
    /// Null or "" (or []): it never creates an element of a multi-valued attribute on its own.
    pub(super) empty: bool,
}

impl Renderer<'_> {
    /// The values to write, in profile order: attributes with a namespace, null values left
    /// out (never set in Okta), cleared ones as [`Options::cleared_value`] says.
    pub(super) fn writes<'p>(&'p self, profile: &'p Profile) -> Vec<Write<'p>> {
        let values = self.editor.values_in(profile);
        let mut writes = Vec::with_capacity(values.len());
        for (path, value) in self.editor.paths().zip(values) {
            let Some(path) = path else { continue };
            let value = value.unwrap_or(&NULL);
            let cleared = match value {
                Value::String(text) => text.is_empty(),
                Value::Array(items) => items.is_empty(),
                _ => false,
            };
            let value = match (value, cleared, self.options.cleared_value) {
                (Value::Null, ..) => {
                    if !self.options.keep_empty_elements || path.filter.is_none() {
                        continue;
                    }
                    &NULL
                }
                (_, true, ClearedValue::Omit) => continue,
                (_, true, ClearedValue::Null) => &NULL,
                (value, ..) => value,
            };
            let empty = value.is_null() || cleared;
            writes.push(Write { path, value, empty });
        }
        writes
    }

    /// Writes `profile` into `resource` (see [`Self::place`]). Returns the extension URNs
    /// written to.
    fn write(&self, profile: &Profile, resource: &mut Map<String, Value>) -> BTreeSet<String> {
        self.place(&self.writes(profile), resource, |_, value| value.clone())
    }

    /// Places `writes` in `resource`, `value` giving what to place for the write at each
    /// position (its own value, or a template's placeholder) but for null ones: non-empty
    /// values first, so that an empty one (the template's `''` email type of a user without
    /// email) only fills an element that exists, unless [`Options::keep_empty_elements`].
    /// Returns the extension URNs written to.
    fn place(
        &self,
        writes: &[Write<'_>],
        resource: &mut Map<String, Value>,
        value: impl Fn(usize, &Value) -> Value,
    ) -> BTreeSet<String> {
        let mut extensions = BTreeSet::new();
        for pass_empty in [false, true] {
            for (position, write) in writes.iter().enumerate().filter(|(_, w)| w.empty == pass_empty) {
                let element = write.path.filter.as_ref().map(|filter| PatchPath {
                    attr: AttrPath { sub: None, ..write.path.attr.clone() },
                    filter: Some(filter.clone()),
                });
                let element_missing = element.as_ref().is_some_and(|e| get_path(resource, e).is_none());
                if write.empty && element_missing && !self.options.keep_empty_elements {
                    continue;
                }
                let written = match (write.value, &element) {
                    // A null value keeps its element, not its key: `{"primary": false}`.
                    (Value::Null, Some(element)) => set_path(resource, element, Value::Object(Map::new())),
                    (placed, _) => set_path(resource, write.path, value(position, placed)),
                };
                if written && let Some(urn) = write.path.attr.urn.as_ref().filter(|u| !is_core(u)) {
                    extensions.insert(urn.clone());
                }
            }
        }
        extensions
    }

    /// The `schemas` of a new user: the core URN, and extension URNs with data when
    /// [`Options::list_extension_schemas`].
    fn schemas(&self, extensions: &BTreeSet<String>) -> Value {
        let mut schemas = vec![Value::String(urn::USER.into())];
        if self.options.list_extension_schemas {
            schemas.extend(extensions.iter().map(|u| Value::String(u.clone())));
        }
        Value::Array(schemas)
    }

    /// The POST body of a new user (REF20): `schemas`, the profile in profile order, then
    /// `externalId` (the Okta user id), `groups: []`, the placeholder `password` and
    /// `active: true`. [`BodyTemplates`](super::body_template::BodyTemplates) writes the
    /// same text from a template of its shape.
    pub(super) fn create_body(&self, profile: &Profile, okta_id: &str, password: &str) -> Value {
        let (okta_id, password) = (Value::String(okta_id.into()), Value::String(password.into()));
        self.create_document(&self.writes(profile), |_, value| value.clone(), okta_id, password)
    }

    /// The POST body of a new user with `writes` (see [`Self::create_body`]): `value` gives
    /// what to place for each non-null write, `okta_id` and `password` what to send as the
    /// user id and password. A template's document has placeholders for all three.
    pub(super) fn create_document(
        &self,
        writes: &[Write<'_>],
        value: impl Fn(usize, &Value) -> Value,
        okta_id: Value,
        password: Value,
    ) -> Value {
        let mut attributes = Map::new();
        let extensions = self.place(writes, &mut attributes, value);
        let mut body = Map::new();
        body.insert("schemas".into(), self.schemas(&extensions));
        body.extend(attributes);
        if self.options.send_external_id {
            body.insert("externalId".into(), okta_id);
        }
        body.insert("groups".into(), json!([]));
        body.insert("password".into(), password);
        body.insert("active".into(), Value::Bool(true));
        Value::Object(body)
    }

    /// The PUT body: the server's representation with every profile value written over it
    /// (the full profile, §1.4), keeping `id`, `meta`, `schemas`, `groups` and the rest.
    /// `password` is put in when given; `active` only when given (a profile push leaves it as
    /// the server has it, CONCEPT).
    pub(super) fn put_body(
        &self,
        mut resource: Map<String, Value>,
        profile: &Profile,
        password: Option<&str>,
        active: Option<bool>,
    ) -> Value {
        let extensions = self.write(profile, &mut resource);
        if self.options.list_extension_schemas {
            let schemas = resource.entry("schemas").or_insert_with(|| json!([urn::USER]));
            if let Value::Array(list) = schemas {
                for urn in extensions {
                    if !list.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(&urn))) {
                        list.push(Value::String(urn));
                    }
                }
            }
        }
        if let Some(active) = active {
            resource.insert("active".into(), Value::Bool(active));
        }
        if let Some(password) = password {
            resource.insert("password".into(), Value::String(password.into()));
        }
        Value::Object(resource)
    }

    /// A profile update by PATCH ([`AppKind::OinPatchForUser`](super::AppKind)): one
    /// path-less replace with the profile as a value object, or one replace per attribute.
    pub(super) fn patch_body(&self, profile: &Profile) -> Value {
        let operations: Vec<Value> = match self.options.profile_patch {
            super::ProfilePatch::PathLessReplace => {
                let mut value = Map::new();
                self.write(profile, &mut value);
                vec![json!({"op": "replace", "value": value})]
            }
            // An empty value never creates an element on its own (as in POST bodies), so it
            // gets no filtered path either.
            super::ProfilePatch::PerAttribute => self
                .writes(profile)
                .into_iter()
                .filter(|w| !(w.empty && w.path.filter.is_some() && !self.options.keep_empty_elements))
                .map(|w| json!({"op": "replace", "path": w.path.to_string(), "value": w.value.clone()}))
                .collect(),
        };
        patch_op(operations)
    }
}

/// A PatchOp request body with `operations`.
pub(super) fn patch_op(operations: Vec<Value>) -> Value {
    json!({"schemas": [urn::PATCH_OP], "Operations": operations})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idp::okta::defaults;

    fn profile(pairs: &[(&str, Value)]) -> Profile {
        pairs.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect()
    }

    fn test_user() -> Profile {
        profile(&[
            ("userName", json!("test.user@okta.local")),
            ("givenName", json!("Test")),
            ("familyName", json!("User")),
            ("email", json!("test.user@okta.local")),
            ("emailType", json!("work")),
            ("displayName", json!("Test User")),
            ("locale", json!("en-US")),
            ("primaryPhoneType", json!("")),
        ])
    }

    #[test]
    fn create_body_is_ref20s_in_its_key_order() {
        let editor = defaults::profile();
        let options = Options::default();
        let renderer = Renderer { editor: &editor, options: &options };
        let body = renderer.create_body(&test_user(), "00ujl29u0le5T6Aj10h7", "1mz050nq");
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local","name":{"givenName":"Test","familyName":"User"},"emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],"displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true}"#
        );
    }

    #[test]
    fn empty_values_fill_only_existing_elements_unless_kept() {
        let editor = defaults::profile();
        let keep = Options { keep_empty_elements: true, ..Options::default() };
        let renderer = Renderer { editor: &editor, options: &keep };
        let body = renderer.create_body(&test_user(), "00u1", "p");
        assert_eq!(body["phoneNumbers"], json!([{"primary": true, "type": ""}, {"primary": false}]));
        assert_eq!(body["emails"][1], json!({"primary": false}), "{body}");
        let dropped = Renderer { editor: &editor, options: &Options::default() }.create_body(&test_user(), "00u1", "p");
        assert_eq!(dropped.get("phoneNumbers"), None, "no element without a value by default");
    }

    #[test]
    fn put_merges_over_the_servers_representation() {
        let editor = defaults::profile();
        let options = Options::default();
        let renderer = Renderer { editor: &editor, options: &options };
        let server = json!({
            "schemas": [urn::USER], "id": "23a3", "userName": "test.user@okta.local",
            "name": {"givenName": "Another", "middleName": "", "familyName": "User"},
            "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work", "display": "test.user@okta.local"}],
            "active": true, "groups": [], "meta": {"resourceType": "User"}, "title": "Boss"
        });
        let mut values = test_user();
        values.insert("title".into(), json!(""));
        let Value::Object(server) = server else { unreachable!() };
        let put = renderer.put_body(server, &values, Some("pw"), None);
        assert_eq!(put["name"], json!({"givenName": "Test", "middleName": "", "familyName": "User"}));
        assert_eq!(put["emails"][0]["display"], json!("test.user@okta.local"), "server fields are kept");
        assert_eq!(put["title"], json!(""), "cleared → empty string by default");
        assert_eq!(put["active"], json!(true));
        assert_eq!(put["meta"], json!({"resourceType": "User"}));
        assert_eq!(put["password"], json!("pw"));
        let omit = Options { cleared_value: ClearedValue::Omit, ..Options::default() };
        let Value::Object(server) = put else { unreachable!() };
        let mut server = server;
        server.insert("title".into(), json!("Boss"));
        let put = Renderer { editor: &editor, options: &omit }.put_body(server, &values, None, Some(false));
        assert_eq!(put["title"], json!("Boss"), "an omitted key keeps the server's value");
        assert_eq!(put["active"], json!(false));
    }

    #[test]
    fn patch_bodies() {
        let editor = defaults::profile();
        let options = Options::default();
        let values = profile(&[("userName", json!("a")), ("givenName", json!("A"))]);
        let body = Renderer { editor: &editor, options: &options }.patch_body(&values);
        assert_eq!(
            body["Operations"],
            json!([{"op": "replace", "value": {"userName": "a", "name": {"givenName": "A"}}}])
        );
        let per = Options { profile_patch: super::super::ProfilePatch::PerAttribute, ..Options::default() };
        let body = Renderer { editor: &editor, options: &per }.patch_body(&values);
        assert_eq!(
            body["Operations"],
            json!([{"op": "replace", "path": "userName", "value": "a"}, {"op": "replace", "path": "name.givenName", "value": "A"}])
        );
    }

    #[test]
    fn values_take_the_attributes_type() {
        let mut attribute = AppUserAttribute::new("n", TargetType::Integer, "n", urn::USER);
        assert_eq!(typed(&attribute, json!("42")), json!(42));
        attribute.attribute.kind = TargetType::Boolean;
        assert_eq!(typed(&attribute, json!("true")), json!(true));
        attribute.attribute.kind = TargetType::String;
        attribute.attribute.multi_valued = true;
        assert_eq!(typed(&attribute, json!("a")), json!(["a"]));
        attribute.attribute.multi_valued = false;
        assert_eq!(typed(&attribute, json!(7)), json!("7"));
    }
}
