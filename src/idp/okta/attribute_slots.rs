//! Where evaluating an Okta user finds each app-user attribute's mapping, puts its value,
//! and what the mapping reads of the user: worked out once per edit of the profile or the
//! mappings, not for every attribute of every user evaluated.

use std::borrow::Cow;

use serde_json::Value;

use crate::idp::app::{Mapping, MappingSource};
use crate::idp::directory::SourceObject;
use crate::idp::mapping::{self, AttributeSource, Flow, MappingError};

use super::profile_editor::ProfileEditor;
use super::source_view::SourceView;

/// Every app-user attribute's slot, and the user attributes their mappings read.
#[derive(Debug)]
pub(super) struct AttributeSlots {
    /// Each app-user attribute's slot, in profile order.
    pub(super) slots: Vec<AttributeSlot>,
    /// The user attributes the slots read ([`Reads`]), each with its number there, in name
    /// order: a user's values of all of them are found in one walk along its attributes
    /// ([`Self::stored_values`]), where looking up each would search them once per mapping.
    stored: Vec<(String, usize)>,
}

impl AttributeSlots {
    /// The slots of `profile`'s attributes, set by `mappings`.
    pub(super) fn new(profile: &ProfileEditor, mappings: &[Mapping]) -> Self {
        let mut names = Vec::new();
        let slots = (profile.iter().zip(profile.name_ranks()))
            .map(|((attribute, _), rank)| {
                let mapping = mappings.iter().position(|m| m.target.eq_ignore_ascii_case(attribute.variable()));
                let reads = mapping.map_or(Reads::Other, |m| Reads::of(&mappings[m], &mut names));
                AttributeSlot { mapping, rank, reads }
            })
            .collect();
        let mut stored: Vec<(String, usize)> = names.into_iter().zip(0..).collect();
        stored.sort_unstable();
        Self { slots, stored }
    }

    /// `user`'s value of each user attribute the slots read, by its number in [`Reads`];
    /// `None` where the user has none.
    pub(super) fn stored_values<'u>(&self, user: &'u SourceObject) -> Vec<Option<&'u Value>> {
        let mut values = vec![None; self.stored.len()];
        let mut read = self.stored.iter().peekable();
        for (key, value) in &user.attributes {
            while read.next_if(|(name, _)| name < key).is_some() {}
            if let Some((_, number)) = read.next_if(|(name, _)| name == key) {
                values[*number] = Some(value);
            }
        }
        values
    }
}

/// Where evaluating finds an app-user attribute's mapping and puts its value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AttributeSlot {
    /// The index in the org's mappings of the one that sets the attribute, if any.
    pub(super) mapping: Option<usize>,
    /// Where the attribute's variable comes among the profile's variables in [`Profile`]'s
    /// key order, so that an evaluated profile is built from values already sorted.
    pub(super) rank: usize,
    /// What the mapping reads of a user.
    pub(super) reads: Reads,
}

/// What a mapping reads of a user, worked out with the slots so that evaluating a user settles
/// most mappings without the general path ([`mapping::evaluate`] through the user's
/// [`SourceView`]): a load run evaluates the template's 33 mappings for every user, and most
/// read an attribute the user lacks. User attributes go by their number in the slots'
/// [`AttributeSlots::stored_values`].
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Reads {
    /// `user.<name>` alone (a direct mapping): the user's attribute as it is, null when
    /// missing.
    Stored(usize),
    /// An expression reading only user attributes (`user.email`, never
    /// `user.getInternalProperty("id")` or `appuser.x`): for a user with none of them it gives
    /// `when_none`, what it gave once against no attributes at all.
    StoredOnly {
        /// The attributes read.
        reads: Vec<usize>,
        /// The expression's flow (or failure) when every one of them is null.
        when_none: Result<Flow, MappingError>,
    },
    /// Anything else: evaluated in full for every user.
    Other,
}

impl Reads {
    /// What `mapping` reads, numbering each user attribute by its place in `names` (added
    /// there when new).
    fn of(mapping: &Mapping, names: &mut Vec<String>) -> Self {
        let mut number = |name: &str| {
            let attribute = name.strip_prefix("user.")?;
            Some(names.iter().position(|n| n == attribute).unwrap_or_else(|| {
                names.push(attribute.to_string());
                names.len() - 1
            }))
        };
        match &mapping.source {
            MappingSource::Direct(name) => number(name).map_or(Self::Other, Self::Stored),
            MappingSource::Expression(expression) => {
                let references = expression.references();
                // Numbered only when all are user attributes: a mapping read in full needs none.
                if !references.iter().all(|name| name.starts_with("user.")) {
                    return Self::Other;
                }
                let reads = references.iter().filter_map(|name| number(name)).collect();
                Self::StoredOnly { reads, when_none: expression.evaluate(&NoAttributes) }
            }
            MappingSource::Constant(_) | MappingSource::None => Self::Other,
        }
    }

    /// What `mapping`, which reads this, yields for the user `view` shows, whose
    /// [`AttributeSlots::stored_values`] are `stored`: the same as [`mapping::evaluate`],
    /// which it falls back on, without going through the view for a stored attribute nor
    /// evaluating an expression over attributes the user lacks.
    pub(super) fn flow(
        &self,
        mapping: &Mapping,
        stored: &[Option<&Value>],
        view: &SourceView<'_>,
        creating: bool,
    ) -> Result<Flow, MappingError> {
        let flow = match self {
            Self::Stored(number) => Flow::Value(stored[*number].map_or(Value::Null, Value::clone)),
            Self::StoredOnly { reads, when_none } if reads.iter().all(|number| stored[*number].is_none()) => {
                when_none.clone()?
            }
            Self::StoredOnly { .. } | Self::Other => return mapping::evaluate(mapping, view, creating),
        };
        Ok(mapping::defaulted(mapping, flow, creating))
    }
}

/// A source with no attributes: what a user lacking every attribute an expression reads looks
/// like to it.
struct NoAttributes;

impl AttributeSource for NoAttributes {
    fn attribute(&self, _: &str) -> Option<Cow<'_, Value>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::idp::directory::{Lifecycle, ObjectKind};
    use crate::idp::okta::body::Profile;
    use crate::idp::okta::defaults;

    /// The slots' reads settle each mapping exactly as the general path does: the template's
    /// mappings, then the template with mappings of each other kind, for users with none,
    /// some, all and blank values of what the mappings read.
    #[test]
    fn slot_reads_settle_each_mapping_as_evaluating_it_does() {
        use crate::idp::okta::defaults::expression;

        let profile = defaults::profile();
        let template = defaults::mappings();
        let slots = AttributeSlots::new(&profile, &template);
        let kinds = slots.slots.iter().fold([0; 3], |mut kinds, slot| {
            kinds[match slot.reads {
                Reads::Stored(_) => 0,
                Reads::StoredOnly { .. } => 1,
                Reads::Other => 2,
            }] += 1;
            kinds
        });
        assert_eq!(kinds, [30, 3, 0], "the template is settled without the general path");
        let mut others = template.clone();
        for (target, source, default) in [
            ("nickName", expression("user.nickName"), Some("n/a")),
            ("secondEmail", expression("user.secondEmail ?: ''"), Some("none")),
            ("middleName", expression("user.middleName + user.nickName"), None),
            ("title", expression("user.title ?: 'untitled'"), None),
            ("userType", expression("'constant'"), None),
            ("locale", expression("user.getInternalProperty('id')"), None),
            ("timezone", expression("appuser.email"), None),
            ("division", expression("isMemberOfGroupName('Sales') ? user.title : 'none'"), None),
            ("department", MappingSource::Constant("Sales".into()), None),
            ("organization", MappingSource::None, Some("Acme")),
        ] {
            let mapping = others.iter_mut().find(|m| m.target == target).unwrap();
            *mapping = Mapping { default_if_null: default.map(str::to_string), ..Mapping::new(source, target) };
        }
        let strings = |pairs: &[(&str, &str)]| -> BTreeMap<String, Value> {
            pairs.iter().map(|(k, v)| (k.to_string(), json!(v))).collect()
        };
        let everything: BTreeMap<String, Value> = (others.iter().chain(&template))
            .flat_map(|m| match &m.source {
                MappingSource::Direct(name) => vec![name.clone()],
                MappingSource::Expression(e) => e.references(),
                _ => Vec::new(),
            })
            .filter_map(|name| Some((name.strip_prefix("user.")?.to_string(), json!(format!("{name}!")))))
            .collect();
        let loaded = strings(&[("displayName", "D"), ("email", "a@x"), ("login", "a@x"), ("title", "T")]);
        let blank = strings(&[("email", ""), ("title", ""), ("nickName", ""), ("secondEmail", "")]);
        let odd = BTreeMap::from([
            ("aaa".to_string(), json!("before every name read")),
            ("middleName".to_string(), Value::Null),
            ("employeeNumber".to_string(), json!(42)),
            ("primaryPhone".to_string(), json!(["1", "2"])),
            ("zzz".to_string(), json!("after every name read")),
        ]);
        let app_user = Profile::from([("email".to_string(), json!("a@app"))]);
        for mappings in [template, others] {
            let slots = AttributeSlots::new(&profile, &mappings);
            for attributes in [BTreeMap::new(), everything.clone(), loaded.clone(), blank.clone(), odd.clone()] {
                let user = SourceObject {
                    id: "00u1".into(),
                    alias: "alice".into(),
                    kind: ObjectKind::User,
                    attributes,
                    members: Vec::new(),
                    assignments: Vec::new(),
                    lifecycle: Lifecycle::Active,
                    created: 1,
                    changed: 1,
                };
                let stored = slots.stored_values(&user);
                for groups in [vec![], vec![("00g1", "Sales")]] {
                    let view = SourceView { user: &user, status: "ACTIVE", app_user: Some(&app_user), groups };
                    for slot in &slots.slots {
                        let m = &mappings[slot.mapping.unwrap()];
                        for creating in [true, false] {
                            assert_eq!(
                                slot.reads.flow(m, &stored, &view, creating),
                                mapping::evaluate(m, &view, creating),
                                "{:?} of {:?}, creating {creating}",
                                m.source,
                                user.attributes
                            );
                        }
                    }
                }
            }
        }
    }
}
