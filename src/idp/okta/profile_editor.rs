//! The app-user profile as Okta's Profile Editor defines it (okta-wire.md §2.1): each
//! attribute's variable name, external name and namespace, data type, allowed values and
//! scope.

use std::cmp::Ordering;
use std::sync::Arc;

use serde_json::Value;

use crate::idp::app::{TargetAttribute, TargetType};
use crate::scim::{PatchPath, closest};

use super::body::Profile;
use super::external_path::{ExternalPathError, scim_path};

/// Whose value an attribute holds (Profile Editor "Attribute type").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// "Personal" (`SELF`): each user's own value.
    #[default]
    Personal,
    /// "Group": set on a group assignment and given to its members (test plan C9309).
    Group,
}

/// One allowed value of an enum attribute: the `const` sent on the wire and its display
/// title, which never leaves Okta (okta-wire.md §2.3).
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The value sent.
    pub value: Value,
    /// What the admin sees.
    pub title: String,
}

/// One attribute of the app-user profile.
#[derive(Debug, Clone, PartialEq)]
pub struct AppUserAttribute {
    /// The variable name (`attribute.name`, read as `appuser.<name>`), its data type
    /// (`string`, `boolean`, `integer`, `number`; `multi_valued` for `array`) and whether it
    /// is required.
    pub attribute: TargetAttribute,
    /// The external name: the SCIM path Okta writes to.
    pub external_name: Option<String>,
    /// The external namespace: the schema URN the path lives in. Without one the attribute is
    /// never sent (KB "custom SCIM attribute is not sent").
    pub external_namespace: Option<String>,
    /// `enum` / `oneOf`: the allowed values; empty when any value goes.
    pub one_of: Vec<Choice>,
    /// Personal or group.
    pub scope: Scope,
}

impl AppUserAttribute {
    /// A personal attribute `variable` of `kind`, sent at `external_name` in `namespace`.
    pub fn new(variable: &str, kind: TargetType, external_name: &str, namespace: &str) -> Self {
        Self {
            attribute: TargetAttribute::new(variable, kind),
            external_name: Some(external_name.to_string()),
            external_namespace: Some(namespace.to_string()),
            one_of: Vec::new(),
            scope: Scope::Personal,
        }
    }

    /// The variable name.
    pub fn variable(&self) -> &str {
        &self.attribute.name
    }

    /// The value to send for an admin's input: a choice's title becomes its value.
    pub fn choice_value(&self, input: &Value) -> Value {
        self.one_of
            .iter()
            .find(|c| matches!(input, Value::String(s) if *s == c.title))
            .map_or_else(|| input.clone(), |c| c.value.clone())
    }

    /// Whether `value` is allowed: anything when there is no enum, else one of its values
    /// (every element, for arrays); null and "" always are.
    pub fn allows(&self, value: &Value) -> bool {
        let one = |v: &Value| self.one_of.iter().any(|c| &c.value == v);
        match value {
            _ if self.one_of.is_empty() => true,
            Value::Null => true,
            Value::String(s) if s.is_empty() => true,
            Value::Array(items) => items.iter().all(one),
            other => one(other),
        }
    }
}

/// Why an attribute cannot be added to the profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The external name cannot be put on the wire.
    #[error(transparent)]
    ExternalPath(#[from] ExternalPathError),
    /// An external name without a namespace, or the reverse.
    #[error(
        "attribute {variable:?} has an external name but no external namespace (or the reverse); give both, e.g. external name \"department\" in namespace \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\""
    )]
    HalfExternal {
        /// The variable name.
        variable: String,
    },
    /// No attribute has that variable name.
    #[error("the app-user profile has no attribute {variable:?}{hint}")]
    Unknown {
        /// The name asked for.
        variable: String,
        /// `" (did you mean …?)"` or empty.
        hint: String,
    },
    /// `groups` is reserved (FAQ26).
    #[error("do not create an app-user attribute called \"groups\": Okta reserves it (Okta SCIM FAQ)")]
    Reserved,
}

/// The app-user profile: attributes in the order the admin sees them, which is also the order
/// their values are written into request bodies.
#[derive(Debug, Clone, Default)]
pub struct ProfileEditor {
    /// Each path is shared, so that a create template can hold the paths it was written for:
    /// an attribute put again gets a new one, and no other can come to live at its address
    /// while the template is kept.
    attributes: Vec<(AppUserAttribute, Option<Arc<PatchPath>>)>,
    /// The positions of the attributes in the order of their variable names, which is the
    /// order of a profile's keys: a profile's values are found in one walk beside them,
    /// instead of a search of the profile for each attribute.
    by_name: Vec<usize>,
}

impl ProfileEditor {
    /// Adds an attribute, or replaces the one with the same variable name (case-insensitive),
    /// checking its external name the way the Profile Editor refuses a bad one.
    pub fn put(&mut self, attribute: AppUserAttribute) -> Result<(), ProfileError> {
        if attribute.variable().eq_ignore_ascii_case("groups") {
            return Err(ProfileError::Reserved);
        }
        let path = match (&attribute.external_name, &attribute.external_namespace) {
            (Some(name), Some(namespace)) => Some(Arc::new(scim_path(name, namespace)?)),
            (None, None) => None,
            _ => return Err(ProfileError::HalfExternal { variable: attribute.variable().to_string() }),
        };
        match self.attributes.iter_mut().find(|(a, _)| a.variable().eq_ignore_ascii_case(attribute.variable())) {
            Some(slot) => *slot = (attribute, path),
            None => self.attributes.push((attribute, path)),
        }
        self.sort_names();
        Ok(())
    }

    /// Removes the attribute with `variable`.
    pub fn remove(&mut self, variable: &str) -> Result<AppUserAttribute, ProfileError> {
        let index = self.index(variable)?;
        let (removed, _) = self.attributes.remove(index);
        self.sort_names();
        Ok(removed)
    }

    /// Puts `by_name` in step with the attributes.
    fn sort_names(&mut self) {
        let attributes = &self.attributes;
        self.by_name = (0..attributes.len()).collect();
        self.by_name.sort_unstable_by(|&a, &b| attributes[a].0.variable().cmp(attributes[b].0.variable()));
    }

    /// The attribute with `variable` (case-insensitive).
    pub fn get(&self, variable: &str) -> Result<&AppUserAttribute, ProfileError> {
        self.index(variable).map(|i| &self.attributes[i].0)
    }

    fn index(&self, variable: &str) -> Result<usize, ProfileError> {
        self.attributes.iter().position(|(a, _)| a.variable().eq_ignore_ascii_case(variable)).ok_or_else(|| {
            ProfileError::Unknown {
                variable: variable.to_string(),
                hint: closest(variable, self.attributes.iter().map(|(a, _)| a.variable()))
                    .map(|c| format!(" (did you mean {c:?}?)"))
                    .unwrap_or_default(),
            }
        })
    }

    /// Every attribute in order, with its SCIM path (`None`: never sent).
    pub fn iter(&self) -> impl Iterator<Item = (&AppUserAttribute, Option<&PatchPath>)> {
        self.attributes.iter().map(|(a, p)| (a, p.as_deref()))
    }

    /// Every attribute's SCIM path in order, as shared with the templates written for it.
    pub(super) fn paths(&self) -> impl Iterator<Item = Option<&Arc<PatchPath>>> {
        self.attributes.iter().map(|(_, p)| p.as_ref())
    }

    /// Where each attribute, in order, comes among them in the order of their variable names,
    /// which is a profile's key order: values listed by these ranks are in key order.
    pub(super) fn name_ranks(&self) -> Vec<usize> {
        let mut ranks = vec![0; self.by_name.len()];
        for (rank, &index) in self.by_name.iter().enumerate() {
            ranks[index] = rank;
        }
        ranks
    }

    /// The value `profile` has for each attribute, in order (`None` where it has none),
    /// matching variable names exactly.
    pub(super) fn values_in<'p>(&self, profile: &'p Profile) -> Vec<Option<&'p Value>> {
        let mut values = vec![None; self.attributes.len()];
        let mut entries = profile.iter();
        let mut entry = entries.next();
        for &index in &self.by_name {
            let name = self.attributes[index].0.variable();
            while let Some((key, value)) = entry {
                match key.as_str().cmp(name) {
                    Ordering::Less => entry = entries.next(),
                    Ordering::Equal => {
                        values[index] = Some(value);
                        entry = entries.next();
                        break;
                    }
                    Ordering::Greater => break,
                }
            }
        }
        values
    }

    /// The SCIM path of `variable`, when it has one.
    pub fn path_of(&self, variable: &str) -> Option<&PatchPath> {
        self.index(variable).ok().and_then(|i| self.attributes[i].1.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::urn;
    use serde_json::json;

    #[test]
    fn put_checks_and_replaces() {
        let mut editor = ProfileEditor::default();
        editor
            .put(AppUserAttribute::new("email", TargetType::String, "emails.^[primary==true].value", urn::USER))
            .unwrap();
        editor
            .put(AppUserAttribute::new("EMAIL", TargetType::String, "emails.^[type=='work'].value", urn::USER))
            .unwrap();
        assert_eq!(editor.iter().count(), 1);
        assert_eq!(editor.path_of("email").unwrap().to_string(), "emails[type eq \"work\"].value");
        let bad = AppUserAttribute::new("x", TargetType::String, "emails.[1].value", urn::USER);
        assert!(matches!(editor.put(bad), Err(ProfileError::ExternalPath(_))));
        let half = AppUserAttribute {
            external_namespace: None,
            ..AppUserAttribute::new("y", TargetType::String, "y", urn::USER)
        };
        assert!(matches!(editor.put(half), Err(ProfileError::HalfExternal { .. })));
        let groups = AppUserAttribute::new("groups", TargetType::String, "groups", urn::USER);
        assert_eq!(editor.put(groups), Err(ProfileError::Reserved));
    }

    #[test]
    fn unsent_attributes_have_no_path() {
        let mut editor = ProfileEditor::default();
        let local = AppUserAttribute {
            external_name: None,
            external_namespace: None,
            ..AppUserAttribute::new("custom1", TargetType::String, "", "")
        };
        editor.put(local).unwrap();
        assert!(editor.path_of("custom1").is_none());
        let err = editor.get("custon1").unwrap_err();
        assert!(err.to_string().contains("did you mean \"custom1\""), "{err}");
    }

    #[test]
    fn a_profiles_values_come_in_attribute_order() {
        let mut editor = ProfileEditor::default();
        for variable in ["title", "b", "a", "zed", "B"] {
            editor.put(AppUserAttribute::new(variable, TargetType::String, variable, urn::USER)).unwrap();
        }
        editor.remove("zed").unwrap();
        let profile: Profile = [
            ("a", json!(1)),
            ("aa", json!(2)),
            ("B", json!(3)),
            ("c", json!(4)),
            ("title", json!(5)),
            ("zed", json!(6)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        // "B" replaced "b" (names are case-insensitive), and keeps its place.
        let names: Vec<&str> = editor.iter().map(|(a, _)| a.variable()).collect();
        assert_eq!(names, ["title", "B", "a"]);
        assert_eq!(editor.values_in(&profile), [Some(&json!(5)), Some(&json!(3)), Some(&json!(1))]);
        assert_eq!(editor.values_in(&Profile::new()), [None, None, None]);
        assert_eq!(editor.name_ranks(), [2, 0, 1], "B < a < title");
    }

    #[test]
    fn enums_send_values_not_titles() {
        let role = AppUserAttribute {
            one_of: vec![Choice { value: json!("admin"), title: "Administrator".into() }],
            ..AppUserAttribute::new("role", TargetType::String, "roles.^[type=='base'].value", urn::USER)
        };
        assert_eq!(role.choice_value(&json!("Administrator")), json!("admin"));
        assert!(role.allows(&json!("admin")));
        assert!(!role.allows(&json!("Administrator")));
        assert!(role.allows(&json!("")));
    }
}
