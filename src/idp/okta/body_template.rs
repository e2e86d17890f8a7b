//! The body of an Okta create (REF20, okta-wire.md §2.2), written from a template of its
//! shape.
//!
//! A create's document depends on the user's values only through their kinds (see
//! [`JsonTemplate`]): which attributes are written, whether each value is null or empty (an
//! empty one only fills an element that exists), and the options. The users an org
//! provisions mostly have the same attributes, so they share a handful of shapes, each written
//! once with a placeholder for each value, the user id and the password; a user's body is that
//! text with the user's own in the holes. A load run creates thousands of users: building,
//! writing and dropping a document per user was most of what a create cost the engine.

use std::cmp::Ordering;
use std::sync::Arc;

use serde_json::Value;

use crate::idp::body_shapes::BodyShapes;
use crate::scim::{HoleValue, JsonTemplate, PatchPath, fits_a_hole, shaped_by_kinds};
use crate::target::RequestBody;

use super::body::{Profile, Renderer, Write};
use super::settings::{ClearedValue, Options};

/// The options a create's document depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CreateOptions {
    keep_empty_elements: bool,
    cleared_value: ClearedValue,
    list_extension_schemas: bool,
    send_external_id: bool,
}

impl CreateOptions {
    /// The ones of `options`.
    fn of(options: &Options) -> Self {
        Self {
            keep_empty_elements: options.keep_empty_elements,
            cleared_value: options.cleared_value,
            list_extension_schemas: options.list_extension_schemas,
            send_external_id: options.send_external_id,
        }
    }
}

/// What one write gives a shape: its path, and whether its value is null or empty.
#[derive(Debug)]
struct Slot {
    /// Held, so no other path can come to live at its address while the shape is kept.
    path: Arc<PatchPath>,
    /// The value is null: placed as an element without the key, or as `null`, not in a hole.
    null: bool,
    /// The value is null or empty: placed after the others, only where its element exists.
    empty: bool,
}

impl Slot {
    /// What `write` gives its shape.
    fn of(write: &Write<'_>) -> Self {
        Self { path: Arc::clone(write.path), null: write.value.is_null(), empty: write.empty }
    }

    /// Whether `write` gives its shape this.
    fn is_of(&self, write: &Write<'_>) -> bool {
        Arc::ptr_eq(&self.path, write.path) && self.null == write.value.is_null() && self.empty == write.empty
    }
}

/// The shape of a create: the options and each write in order; with its template, when it
/// has one.
#[derive(Debug)]
struct Shape {
    options: CreateOptions,
    slots: Vec<Slot>,
    /// `None` for a shape that has no template (see [`shaped_by_kinds`] and
    /// [`JsonTemplate::new`]), so that is not worked out again for every user.
    template: Option<JsonTemplate>,
}

impl Shape {
    /// The shape of a create by `renderer` with `writes`, with its template: a placeholder
    /// for each non-null value, then for the user id, then for the password.
    fn new(renderer: &Renderer<'_>, writes: &[Write<'_>]) -> Self {
        let template = shaped_by_kinds(writes.iter().map(|w| &**w.path))
            .then(|| {
                let placeholder = |position, value: &Value| match value {
                    Value::Null => Value::Null,
                    _ => JsonTemplate::placeholder(position),
                };
                let count = writes.len();
                let (okta_id, password) = (JsonTemplate::placeholder(count), JsonTemplate::placeholder(count + 1));
                JsonTemplate::new(&renderer.create_document(writes, placeholder, okta_id, password), count + 2)
            })
            .flatten();
        Self { options: CreateOptions::of(renderer.options), slots: writes.iter().map(Slot::of).collect(), template }
    }

    /// Whether a create with `options` and `writes` has this shape.
    fn is_of(&self, options: CreateOptions, writes: &[Write<'_>]) -> bool {
        self.options == options
            && self.slots.len() == writes.len()
            && self.slots.iter().zip(writes).all(|(slot, write)| slot.is_of(write))
    }
}

/// The shapes an org has written creates in.
#[derive(Debug, Default)]
pub(super) struct BodyTemplates {
    shapes: BodyShapes<Shape>,
}

impl BodyTemplates {
    /// The POST body of a new user ([`Renderer::create_body`]), written from its shape's
    /// template when the values fit its holes.
    pub(super) fn create_body(
        &mut self,
        renderer: &Renderer<'_>,
        profile: &Profile,
        okta_id: &str,
        password: &str,
    ) -> RequestBody {
        let writes = renderer.writes(profile);
        if writes.iter().all(|w| w.value.is_null() || fits_a_hole(w.value))
            && let Some(template) = self.template(renderer, &writes)
        {
            let count = writes.len();
            return RequestBody::written(|bytes| {
                template.fill(bytes, |position| match position.cmp(&count) {
                    Ordering::Less => HoleValue::Json(writes[position].value),
                    Ordering::Equal => HoleValue::Text(okta_id),
                    Ordering::Greater => HoleValue::Text(password),
                });
            });
        }
        RequestBody::Value(renderer.create_body(profile, okta_id, password))
    }

    /// The template of the shape of `writes`, the shape kept the first time it is seen.
    fn template(&mut self, renderer: &Renderer<'_>, writes: &[Write<'_>]) -> Option<&JsonTemplate> {
        let options = CreateOptions::of(renderer.options);
        self.shapes
            .find_or_make(|shape| shape.is_of(options, writes), || Shape::new(renderer, writes))
            .template
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::idp::app::TargetType;
    use crate::idp::okta::defaults;
    use crate::idp::okta::profile_editor::{AppUserAttribute, ProfileEditor};
    use crate::scim::urn;

    /// The template's attributes, then ones that write a whole multi-valued or complex
    /// attribute, an element without a sub-attribute and a vendor extension, and last three
    /// that make a shape depend on values: an element selected by `type`, which the template
    /// writes into elements, and sub-attributes a filter selects elements by.
    fn attributes() -> Vec<AppUserAttribute> {
        let mut all: Vec<AppUserAttribute> = defaults::profile().iter().map(|(a, _)| a.clone()).collect();
        let custom = "urn:ietf:params:scim:schemas:extension:custom:2.0:User";
        for (variable, external, namespace) in [
            ("emails", "emails", urn::USER),
            ("name", "name", urn::USER),
            ("primaryPhoneElement", "phoneNumbers.^[primary==true]", urn::USER),
            ("custom1", "custom1", custom),
            ("workEmail", "emails.^[type=='work'].value", urn::USER),
            ("emailPrimary", "emails.^[primary==true].primary", urn::USER),
            ("workType", "emails.^[type=='work'].type", urn::USER),
        ] {
            all.push(AppUserAttribute::new(variable, TargetType::String, external, namespace));
        }
        all
    }

    fn editor(all: &[AppUserAttribute], picks: &[usize]) -> ProfileEditor {
        let mut editor = ProfileEditor::default();
        for &pick in picks {
            editor.put(all[pick].clone()).unwrap();
        }
        editor
    }

    /// A value of an attribute, or none; mostly ones that fit a hole, so that most profiles
    /// are written from a template.
    fn value() -> impl Strategy<Value = Option<Value>> {
        prop_oneof![
            16 => Just(None),
            8 => Just(Some(Value::Null)),
            12 => Just(Some(json!(""))),
            32 => "[a-zA-Z\"\\\\ é\u{0}]{1,6}".prop_map(|s| Some(Value::String(s))),
            8 => Just(Some(json!("work"))),
            8 => any::<bool>().prop_map(|b| Some(Value::Bool(b))),
            6 => any::<i32>().prop_map(|n| Some(json!(n))),
            2 => (-1e6..1e6f64).prop_map(|n| Some(json!(n))),
            6 => Just(Some(json!([]))),
            1 => Just(Some(json!(["a"]))),
            1 => Just(Some(json!({"type": "work", "value": "v"}))),
        ]
    }

    /// Another value of the kind of `value`, so a second user has the first one's shape.
    fn same_kind(value: &Option<Value>) -> Option<Value> {
        match value {
            Some(Value::String(text)) if !text.is_empty() => Some(Value::String(format!("{text}x"))),
            Some(Value::Bool(b)) => Some(Value::Bool(!b)),
            Some(Value::Number(n)) => Some(json!(n.as_f64().unwrap_or_default() + 1.0)),
            other => other.clone(),
        }
    }

    fn options() -> impl Strategy<Value = Options> {
        let cleared = prop_oneof![Just(ClearedValue::EmptyString), Just(ClearedValue::Null), Just(ClearedValue::Omit)];
        (any::<bool>(), cleared, any::<bool>(), any::<bool>()).prop_map(
            |(keep_empty_elements, cleared_value, list_extension_schemas, send_external_id)| Options {
                keep_empty_elements,
                cleared_value,
                list_extension_schemas,
                send_external_id,
                ..Options::default()
            },
        )
    }

    /// Some of the attributes, in any order (the last three, which make a shape depend on
    /// values, in a quarter of the profiles), and two users' values of each: the second
    /// user's of the first one's kinds, or any.
    fn profiles() -> impl Strategy<Value = (Vec<usize>, [Vec<Option<Value>>; 2])> {
        let count = attributes().len();
        let picks = prop::sample::subsequence((0..count).collect::<Vec<_>>(), 0..=count).prop_shuffle();
        let values = || prop::collection::vec(value(), count);
        let (risky, same_shape) = (prop::bool::weighted(0.25), any::<bool>());
        (picks, risky, values(), values(), same_shape).prop_map(move |(mut picks, risky, first, other, same_shape)| {
            if !risky {
                picks.retain(|&pick| pick < count - 3);
            }
            let second = if same_shape { first.iter().map(same_kind).collect() } else { other };
            (picks, [first, second])
        })
    }

    fn profile(all: &[AppUserAttribute], picks: &[usize], values: &[Option<Value>]) -> Profile {
        picks.iter().filter_map(|&i| values[i].clone().map(|v| (all[i].variable().to_string(), v))).collect()
    }

    /// The body as a document built with the values themselves, written.
    fn written_from_document(renderer: &Renderer<'_>, profile: &Profile, okta_id: &str, password: &str) -> String {
        String::from_utf8(serde_json::to_vec(&renderer.create_body(profile, okta_id, password)).unwrap()).unwrap()
    }

    fn text(body: &RequestBody) -> String {
        String::from_utf8(body.to_bytes().to_vec()).unwrap()
    }

    proptest! {
        /// Whatever the profile, the options and the values, the body from a template is byte
        /// for byte the body built as a document; a second user of the same shape, with other
        /// values, too.
        #[test]
        fn a_template_writes_what_the_document_would(
            (picks, users) in profiles(),
            options in options(),
            ids in ["[0-9a-zA-Z\"]{0,8}", "[0-9a-zA-Z\\\\]{0,8}"],
        ) {
            let all = attributes();
            let editor = editor(&all, &picks);
            let renderer = Renderer { editor: &editor, options: &options };
            let mut templates = BodyTemplates::default();
            for values in &users {
                let profile = profile(&all, &picks, values);
                let body = templates.create_body(&renderer, &profile, &ids[0], &ids[1]);
                prop_assert_eq!(text(&body), written_from_document(&renderer, &profile, &ids[0], &ids[1]));
            }
        }
    }

    #[test]
    fn an_orgs_users_are_written_from_one_template() {
        let editor = defaults::profile();
        let options = Options::default();
        let renderer = Renderer { editor: &editor, options: &options };
        let user = |name: &str| {
            Profile::from([
                ("userName".into(), json!(format!("{name}@example.com"))),
                ("givenName".into(), json!(name)),
                ("email".into(), json!(format!("{name}@example.com"))),
                ("emailType".into(), json!("work")),
                ("primaryPhoneType".into(), json!("")),
                ("middleName".into(), Value::Null),
            ])
        };
        let mut templates = BodyTemplates::default();
        let alice = templates.create_body(&renderer, &user("alice"), "00u1", "pw");
        let bob = templates.create_body(&renderer, &user("bob \"b\""), "00u2", "p\"w");
        assert!(matches!(alice, RequestBody::Written(_)), "{alice:?}");
        assert_eq!(
            text(&bob),
            concat!(
                r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob \"b\"@example.com","#,
                r#""name":{"givenName":"bob \"b\""},"#,
                r#""emails":[{"primary":true,"value":"bob \"b\"@example.com","type":"work"}],"#,
                r#""externalId":"00u2","groups":[],"password":"p\"w","active":true}"#
            )
        );
        assert_eq!(templates.shapes.kept().len(), 1);
        // A list with elements does not fit a hole: that body is built as a document.
        let mut listed = user("carol");
        listed.insert("title".into(), json!(["a"]));
        assert!(matches!(templates.create_body(&renderer, &listed, "00u3", "pw"), RequestBody::Value(_)));
        // An empty value is another shape: it fills only an element that exists.
        let mut cleared = user("dave");
        cleared.insert("email".into(), json!(""));
        let body = templates.create_body(&renderer, &cleared, "00u4", "pw");
        assert_eq!(text(&body), written_from_document(&renderer, &cleared, "00u4", "pw"));
        assert_eq!(templates.shapes.kept().len(), 2);
    }

    #[test]
    fn a_shape_whose_elements_depend_on_values_has_no_template() {
        let mut editor = defaults::profile();
        editor
            .put(AppUserAttribute::new(
                "emailPrimary",
                TargetType::Boolean,
                "emails.^[primary==true].primary",
                urn::USER,
            ))
            .unwrap();
        let options = Options::default();
        let renderer = Renderer { editor: &editor, options: &options };
        let mut templates = BodyTemplates::default();
        for primary in [true, false] {
            let profile = Profile::from([
                ("email".into(), json!("e@example.com")),
                ("emailPrimary".into(), json!(primary)),
                ("emailType".into(), json!("work")),
            ]);
            let body = templates.create_body(&renderer, &profile, "00u1", "pw");
            assert!(matches!(body, RequestBody::Value(_)), "{body:?}");
        }
        assert!(templates.shapes.kept()[0].template.is_none());
    }

    #[test]
    fn a_changed_profile_or_option_never_uses_a_kept_template() {
        let mut editor = defaults::profile();
        let options = Options::default();
        let profile = Profile::from([("userName".into(), json!("a")), ("title".into(), json!("Boss"))]);
        let mut templates = BodyTemplates::default();
        let before = templates.create_body(&Renderer { editor: &editor, options: &options }, &profile, "00u1", "pw");
        assert!(text(&before).contains(r#""title":"Boss""#));
        // The same variable, sent elsewhere now.
        editor.put(AppUserAttribute::new("title", TargetType::String, "title", urn::ENTERPRISE_USER)).unwrap();
        let renderer = Renderer { editor: &editor, options: &options };
        let after = templates.create_body(&renderer, &profile, "00u1", "pw");
        assert_eq!(text(&after), written_from_document(&renderer, &profile, "00u1", "pw"));
        assert!(
            text(&after).contains(r#""urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"title":"Boss"}"#)
        );
        let listing = Options { list_extension_schemas: true, send_external_id: false, ..Options::default() };
        let renderer = Renderer { editor: &editor, options: &listing };
        let listed = templates.create_body(&renderer, &profile, "00u1", "pw");
        assert_eq!(text(&listed), written_from_document(&renderer, &profile, "00u1", "pw"));
        assert_eq!(templates.shapes.kept().len(), 3);
    }
}
