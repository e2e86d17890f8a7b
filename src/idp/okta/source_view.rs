//! An Okta user as mapping expressions read it: `user.<attribute>` from the Okta profile,
//! `appuser.<attribute>` from the app-user profile, and the internal properties and group
//! memberships Okta's expression language can ask for (okta-wire.md §3.2).

use std::borrow::Cow;

use serde_json::Value;

use crate::idp::directory::SourceObject;
use crate::idp::mapping::AttributeSource;

use super::body::Profile;

/// The names an expression reads, answered for one user.
#[derive(Debug)]
pub(super) struct SourceView<'a> {
    /// The user, whose attributes `user.<attribute>` reads: an evaluation reads a few through
    /// the view (most mappings are settled by the org's attribute slots), so they are read
    /// from the directory's map rather than laid out for many reads.
    pub(super) user: &'a SourceObject,
    /// `ACTIVE`, `SUSPENDED`, `DEPROVISIONED`.
    pub(super) status: &'static str,
    /// The app-user profile before this evaluation.
    pub(super) app_user: Option<&'a Profile>,
    /// The groups the user is in: (id, name).
    pub(super) groups: Vec<(&'a str, &'a str)>,
}

impl AttributeSource for SourceView<'_> {
    /// Profile values are borrowed; the internal properties are made for the call.
    fn attribute(&self, name: &str) -> Option<Cow<'_, Value>> {
        let strings = |items: Vec<&str>| {
            Some(Cow::Owned(Value::Array(items.into_iter().map(|s| Value::String(s.into())).collect())))
        };
        match name {
            "user#id" => Some(Cow::Owned(Value::String(self.user.id.clone()))),
            "user#status" => Some(Cow::Owned(Value::String(self.status.into()))),
            "user#groupIds" => strings(self.groups.iter().map(|(id, _)| *id).collect()),
            "user#groupNames" => strings(self.groups.iter().map(|(_, name)| *name).collect()),
            _ => {
                if let Some(attribute) = name.strip_prefix("user.") {
                    self.user.attributes.get(attribute).map(Cow::Borrowed)
                } else if let Some(attribute) = name.strip_prefix("appuser.") {
                    self.app_user.and_then(|p| p.get(attribute)).filter(|v| !v.is_null()).map(Cow::Borrowed)
                } else {
                    None
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idp::directory::{Lifecycle, ObjectKind};
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn answers_each_kind_of_name() {
        let user = SourceObject {
            id: "00u1".into(),
            alias: "alice".into(),
            kind: ObjectKind::User,
            attributes: BTreeMap::from([("firstName".to_string(), json!("Alice")), ("title".to_string(), json!(""))]),
            members: Vec::new(),
            assignments: Vec::new(),
            lifecycle: Lifecycle::Active,
            created: 1,
            changed: 1,
        };
        let app_user = Profile::from([("email".to_string(), json!("a@x"))]);
        let view =
            SourceView { user: &user, status: "ACTIVE", app_user: Some(&app_user), groups: vec![("00g1", "Sales")] };
        assert_eq!(view.attribute("user.firstName").as_deref(), Some(&json!("Alice")));
        assert_eq!(view.attribute("user.title").as_deref(), Some(&json!("")), "cleared is empty, not null");
        assert_eq!(view.attribute("user.middleName"), None);
        assert_eq!(view.attribute("appuser.email").as_deref(), Some(&json!("a@x")));
        assert_eq!(view.attribute("user#id").as_deref(), Some(&json!("00u1")));
        assert_eq!(view.attribute("user#status").as_deref(), Some(&json!("ACTIVE")));
        assert_eq!(view.attribute("user#groupNames").as_deref(), Some(&json!(["Sales"])));
        assert_eq!(view.attribute("org.domain"), None);
    }
}
