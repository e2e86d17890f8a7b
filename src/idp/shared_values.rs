//! Values by name that several holders share and each may change as its own.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use serde_json::Value;

/// Values by name that several holders share: a clone shares the map, and a change (through
/// `DerefMut`) copies it only while another holder still shares it ([`Arc::make_mut`]), so it
/// reads and changes like a map of its own. Okta keeps each app-user profile twice — the app
/// user's, and the one its link last exported, the same map after every create and push — and
/// a load run provisions thousands of users; Entra's exported values are a few.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SharedValues(Arc<BTreeMap<String, Value>>);

impl SharedValues {
    /// No values.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Deref for SharedValues {
    type Target = BTreeMap<String, Value>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for SharedValues {
    fn deref_mut(&mut self) -> &mut Self::Target {
        Arc::make_mut(&mut self.0)
    }
}

impl FromIterator<(String, Value)> for SharedValues {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(pairs: I) -> Self {
        Self(Arc::new(pairs.into_iter().collect()))
    }
}

impl<const N: usize> From<[(String, Value); N]> for SharedValues {
    fn from(pairs: [(String, Value); N]) -> Self {
        Self(Arc::new(BTreeMap::from(pairs)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_change_copies_only_a_shared_map() {
        let mut app_user = SharedValues::from([("email".to_string(), json!("a@x"))]);
        let exported = app_user.clone();
        assert!(Arc::ptr_eq(&app_user.0, &exported.0), "a clone shares the map");
        app_user.insert("title".into(), json!("Boss"));
        assert_eq!(exported.get("title"), None, "the other holder's values did not change");
        assert_eq!(app_user.get("title"), Some(&json!("Boss")));
        let before = Arc::as_ptr(&app_user.0);
        app_user.remove("email");
        assert_eq!(Arc::as_ptr(&app_user.0), before, "a map no one shares changes in place");
        assert_eq!(exported.get("email"), Some(&json!("a@x")));
    }
}
