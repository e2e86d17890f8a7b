//! The body of an Entra create (entra-wire.md §1.2, §1.9), and the templates it is written
//! from.
//!
//! A create's document depends on its values only through their kinds (see
//! [`JsonTemplate`]); marking the work email primary reads the filter's `type`, not a value.
//! So the users of a cycle, which mostly send the same attributes, share a handful of shapes,
//! each written once with a placeholder for each value, and a user's body is that text with
//! the user's values written into the holes. A load run creates thousands of users: building,
//! writing and dropping a document per user was a tenth of the engine's work.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::idp::body_shapes::BodyShapes;
use crate::idp::directory::ObjectKind;
use crate::scim::{HoleValue, JsonTemplate, fits_a_hole, set_path, shaped_by_kinds, urn};
use crate::target::RequestBody;

use super::mapped_targets::MappedTarget;
use super::user_sync::Desired;

/// The document a create sends: `schemas`, then each of the `sent` values at its target path
/// (`value` gives the value to place for each), the work email marked primary when
/// `mark_primary` (users, [`super::Options::primary_work_email`]), then `meta.resourceType`.
/// Also says which values found a place: a path with a filter other than `eq` finds none.
fn document(
    kind: ObjectKind,
    sent: &[Desired],
    mark_primary: bool,
    value: impl Fn(usize, &Desired) -> Value,
) -> (Map<String, Value>, Vec<bool>) {
    let (schemas, resource_type) = match kind {
        ObjectKind::User => (json!([urn::USER, urn::ENTERPRISE_USER]), "User"),
        ObjectKind::Group => (json!([urn::GROUP, urn::ENTRA_GROUP]), "Group"),
    };
    let mut body = Map::with_capacity(sent.len() + 2);
    body.insert("schemas".into(), schemas);
    let placed = sent.iter().enumerate().map(|(i, d)| set_path(&mut body, &d.target.parsed, value(i, d))).collect();
    if mark_primary {
        mark_primary_work_email(&mut body);
    }
    body.insert("meta".into(), json!({"resourceType": resource_type}));
    (body, placed)
}

/// Marks the work email primary, first among its keys, as Microsoft's sample POST writes it
/// (entra-wire.md §1.2).
fn mark_primary_work_email(body: &mut Map<String, Value>) {
    let Some(Value::Array(emails)) = body.get_mut("emails") else { return };
    for email in emails.iter_mut() {
        let Value::Object(fields) = email else { continue };
        if fields.get("type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case("work")) {
            // A `primary` the mappings already set moves to the front and keeps its value.
            if let Some(mapped) = fields.shift_insert(0, "primary".into(), Value::Bool(true)) {
                fields.insert("primary".into(), mapped);
            }
            return;
        }
    }
}

/// Whether the shape of `targets` depends on values only through their kinds: it does not
/// when a path writes a sub-attribute that a filter of the shape selects elements by
/// ([`shaped_by_kinds`]), or writes `type` into a filtered element, which marking the work
/// email primary reads.
fn shape_is_fixed(targets: &[Desired]) -> bool {
    let paths = targets.iter().map(|d| &d.target.parsed);
    shaped_by_kinds(paths.clone())
        && !paths
            .filter(|p| p.filter.is_some())
            .filter_map(|p| p.attr.sub.as_deref())
            .any(|sub| sub.eq_ignore_ascii_case("type"))
}

/// The shape of a create: the kind of object, whether the work email is marked, and the
/// target of each value in order; with its template, when it has one.
#[derive(Debug)]
struct Shape {
    kind: ObjectKind,
    mark_primary: bool,
    /// Held, so no other target can come to live at one's address while the shape is kept.
    targets: Vec<Arc<MappedTarget>>,
    /// `None` for a shape that has no template (see [`shape_is_fixed`] and
    /// [`BodyTemplate::new`]), so that is not worked out again for every object.
    template: Option<BodyTemplate>,
}

impl Shape {
    /// The shape of a create of `kind` sending `sent`, with its template.
    fn new(kind: ObjectKind, sent: &[Desired], mark_primary: bool) -> Self {
        let template = shape_is_fixed(sent).then(|| BodyTemplate::new(kind, sent, mark_primary)).flatten();
        Self { kind, mark_primary, targets: sent.iter().map(|d| Arc::clone(&d.target)).collect(), template }
    }

    /// Whether a create of `kind` sending `sent` has this shape.
    fn is_of(&self, kind: ObjectKind, sent: &[Desired], mark_primary: bool) -> bool {
        self.kind == kind
            && self.mark_primary == mark_primary
            && self.targets.len() == sent.len()
            && self.targets.iter().zip(sent).all(|(target, d)| Arc::ptr_eq(target, &d.target))
    }
}

/// One shape's JSON text, cut at the holes its values go into, and which values find a place.
#[derive(Debug)]
struct BodyTemplate {
    /// The text.
    text: JsonTemplate,
    /// Which values found a place.
    placed: Vec<bool>,
}

impl BodyTemplate {
    /// The template of the shape of `sent`; `None` when its text cannot be cut at its holes
    /// (a key or filter value holding a NUL character, which the placeholders use).
    fn new(kind: ObjectKind, sent: &[Desired], mark_primary: bool) -> Option<Self> {
        let placeholder = |i: usize, _: &Desired| JsonTemplate::placeholder(i);
        let (document, placed) = document(kind, sent, mark_primary, placeholder);
        let text = JsonTemplate::new(&Value::Object(document), sent.len())?;
        Some(Self { text, placed })
    }

    /// The body with `sent`'s values in the holes.
    fn fill(&self, sent: &[Desired]) -> RequestBody {
        RequestBody::written(|bytes| self.text.fill(bytes, |position| HoleValue::Json(&sent[position].value)))
    }
}

/// The shapes a tenant has written creates in.
#[derive(Debug, Default)]
pub(super) struct BodyTemplates {
    shapes: BodyShapes<Shape>,
}

impl BodyTemplates {
    /// The body creating an object of `kind` with the `sent` values, and which of them found
    /// a place; written from the shape's template when the values fit its holes.
    pub(super) fn body(
        &mut self,
        kind: ObjectKind,
        sent: &[Desired],
        mark_primary: bool,
    ) -> (RequestBody, Cow<'_, [bool]>) {
        if sent.iter().all(|d| fits_a_hole(&d.value))
            && let Some(template) = self.template(kind, sent, mark_primary)
        {
            return (template.fill(sent), Cow::Borrowed(&template.placed));
        }
        let (document, placed) = document(kind, sent, mark_primary, |_, d| d.value.clone());
        (RequestBody::Value(Value::Object(document)), Cow::Owned(placed))
    }

    /// The template of `sent`'s shape, the shape kept the first time it is seen.
    fn template(&mut self, kind: ObjectKind, sent: &[Desired], mark_primary: bool) -> Option<&BodyTemplate> {
        let is = |shape: &Shape| shape.is_of(kind, sent, mark_primary);
        self.shapes.find_or_make(is, || Shape::new(kind, sent, mark_primary)).template.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::idp::app::{TargetAttribute, TargetType};

    /// Targets a create can write: plain, complex, filtered (also with a filter other than
    /// `eq`, which places nothing, and without a sub-attribute), extension, differently
    /// spelled, and ones whose sub-attribute a filter selects by.
    const PATHS: &[&str] = &[
        "userName",
        "UserName",
        "active",
        "name.givenName",
        "name",
        "Name.FamilyName",
        r#"emails[type eq "work"].value"#,
        r#"emails[type eq "work"]"#,
        r#"emails[type eq "other"].Value"#,
        r#"Emails[type eq "work"].display"#,
        "emails",
        r#"emails[type eq "work"].type"#,
        r#"emails[value eq "x"].type"#,
        r#"emails[display eq "d"].value"#,
        r#"phoneNumbers[type co "w"].value"#,
        r#"addresses[type eq "work" and primary eq true].locality"#,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        "urn:ietf:params:scim:schemas:core:2.0:User:title",
        "roles",
    ];

    fn targets() -> Vec<Arc<MappedTarget>> {
        PATHS
            .iter()
            .map(|path| {
                Arc::new(MappedTarget {
                    path: (*path).into(),
                    parsed: path.parse().unwrap(),
                    attribute: TargetAttribute::new(*path, TargetType::String),
                })
            })
            .collect()
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            "[a-zA-Z\"\\\\ é]{0,6}".prop_map(Value::String),
            Just(json!("work")),
            Just(json!("x")),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|n| json!(n)),
            Just(json!([])),
            Just(json!(["a"])),
            Just(json!([{"value": "r", "primary": true}])),
            Just(json!({"type": "work", "value": "v"})),
        ]
    }

    /// The body as a document built with the values themselves, written.
    fn written_from_document(kind: ObjectKind, sent: &[Desired], mark_primary: bool) -> (Vec<u8>, Vec<bool>) {
        let (document, placed) = document(kind, sent, mark_primary, |_, d| d.value.clone());
        (serde_json::to_vec(&document).unwrap(), placed)
    }

    proptest! {
        /// Whatever the targets and values, the body from a template is byte for byte the
        /// body built as a document, and the same values find a place; a second object of the
        /// same shape, with other values, too.
        #[test]
        fn a_template_writes_what_the_document_would(
            picks in prop::collection::vec((0..PATHS.len(), value(), value()), 0..8),
            group in any::<bool>(),
            mark_primary in any::<bool>(),
        ) {
            let targets = targets();
            let kind = if group { ObjectKind::Group } else { ObjectKind::User };
            let mut templates = BodyTemplates::default();
            for second in [false, true] {
                let sent: Vec<Desired> = picks
                    .iter()
                    .map(|(at, first, other)| Desired {
                        target: Arc::clone(&targets[*at]),
                        value: if second { other.clone() } else { first.clone() },
                    })
                    .collect();
                let (body, placed) = templates.body(kind, &sent, mark_primary);
                let (expected, expected_placed) = written_from_document(kind, &sent, mark_primary);
                prop_assert_eq!(
                    String::from_utf8_lossy(&body.to_bytes()).into_owned(),
                    String::from_utf8_lossy(&expected).into_owned()
                );
                prop_assert_eq!(placed.into_owned(), expected_placed);
            }
        }
    }

    #[test]
    fn a_cycle_of_same_shaped_users_is_written_from_one_template() {
        let targets = targets();
        let user = |name: &str, active: bool| {
            vec![
                Desired { target: Arc::clone(&targets[0]), value: json!(name) },
                Desired { target: Arc::clone(&targets[2]), value: json!(active) },
                Desired { target: Arc::clone(&targets[6]), value: json!(format!("{name}@contoso.com")) },
                Desired { target: Arc::clone(&targets[18]), value: json!([]) },
            ]
        };
        let mut templates = BodyTemplates::default();
        let (alice, _) = templates.body(ObjectKind::User, &user("alice", true), true);
        let (bob, placed) = templates.body(ObjectKind::User, &user("bob \"b\"", false), true);
        assert!(matches!(alice, RequestBody::Written(_)), "{alice:?}");
        assert_eq!(
            String::from_utf8(bob.to_bytes().to_vec()).unwrap(),
            concat!(
                r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","#,
                r#""urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"#,
                r#""userName":"bob \"b\"","active":false,"#,
                r#""emails":[{"primary":true,"type":"work","value":"bob \"b\"@contoso.com"}],"roles":[],"#,
                r#""meta":{"resourceType":"User"}}"#
            )
        );
        assert_eq!(*placed, [true; 4]);
        assert_eq!(templates.shapes.kept().len(), 1);
        // A list with elements does not fit a hole: that body is built as a document.
        let mut with_role = user("carol", true);
        with_role[3].value = json!([{"value": "Admin"}]);
        assert!(matches!(templates.body(ObjectKind::User, &with_role, true).0, RequestBody::Value(_)));
        // A sub-attribute a filter selects by makes the shape depend on values: no template.
        let typed = vec![Desired { target: Arc::clone(&targets[11]), value: json!("home") }];
        assert!(matches!(templates.body(ObjectKind::User, &typed, true).0, RequestBody::Value(_)));
        assert!(templates.shapes.kept().last().unwrap().template.is_none());
    }

    #[test]
    fn primary_work_email_first() {
        let mut body = json!({"emails": [{"type": "other", "value": "o"}, {"type": "work", "value": "w"}]})
            .as_object()
            .unwrap()
            .clone();
        mark_primary_work_email(&mut body);
        assert_eq!(serde_json::to_string(&body["emails"][1]).unwrap(), r#"{"primary":true,"type":"work","value":"w"}"#);
        assert_eq!(serde_json::to_string(&body["emails"][0]).unwrap(), r#"{"type":"other","value":"o"}"#);
    }

    #[test]
    fn a_mapped_primary_keeps_its_value_and_moves_first() {
        let mut body =
            json!({"emails": [{"type": "work", "value": "w", "primary": false}]}).as_object().unwrap().clone();
        mark_primary_work_email(&mut body);
        assert_eq!(
            serde_json::to_string(&body["emails"][0]).unwrap(),
            r#"{"primary":false,"type":"work","value":"w"}"#
        );
    }
}
