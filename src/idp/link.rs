//! The IdP's bookkeeping of what it provisioned: which target object each source object is
//! linked to (Entra's "object connections", entra-wire.md §1.0), what it last exported, and
//! which operations wait in escrow for a retry (entra-wire.md §4.2).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::directory::ObjectKind;
use super::shared_values::SharedValues;

/// A source object linked to a target object.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The source object's id.
    pub source_id: String,
    /// User or group.
    pub kind: ObjectKind,
    /// The target's `id`, cached after create or match and used for every later request.
    pub target_id: String,
    /// The values last exported that the engine reads back instead of the target's answer, by
    /// target path: for Entra, `active` and the references; for Okta, the whole profile,
    /// shared with the app user's while they are the same.
    pub exported: SharedValues,
    /// For groups: the source ids of the members last exported. Entra never reads the member
    /// list back; it keeps its own (entra-wire.md §1.9).
    pub members: BTreeSet<String>,
    /// True while the IdP manages the object. An object unassigned (and so disabled) is no
    /// longer managed: deleting it later in the source sends nothing (entra-wire.md §1.7).
    pub managed: bool,
}

impl Link {
    /// A fresh, managed link.
    pub fn new(source_id: impl Into<String>, kind: ObjectKind, target_id: impl Into<String>) -> Self {
        Self {
            source_id: source_id.into(),
            kind,
            target_id: target_id.into(),
            exported: SharedValues::new(),
            members: BTreeSet::new(),
            managed: true,
        }
    }
}

/// All links, by source id.
#[derive(Debug, Clone, Default)]
pub struct Links {
    by_source: BTreeMap<String, Link>,
}

impl Links {
    /// The link of a source object.
    pub fn get(&self, source_id: &str) -> Option<&Link> {
        self.by_source.get(source_id)
    }

    /// The link of a source object, to update.
    pub fn get_mut(&mut self, source_id: &str) -> Option<&mut Link> {
        self.by_source.get_mut(source_id)
    }

    /// Adds or replaces a link.
    pub fn insert(&mut self, link: Link) {
        self.by_source.insert(link.source_id.clone(), link);
    }

    /// Forgets a link.
    pub fn remove(&mut self, source_id: &str) -> Option<Link> {
        self.by_source.remove(source_id)
    }

    /// The target id a source object is linked to.
    pub fn target_of(&self, source_id: &str) -> Option<&str> {
        self.by_source.get(source_id).map(|l| l.target_id.as_str())
    }

    /// Every link.
    pub fn iter(&self) -> impl Iterator<Item = &Link> {
        self.by_source.values()
    }

    /// Forgets every link (a restart that clears the connector data store).
    pub fn clear(&mut self) {
        self.by_source.clear();
    }

    /// How many links there are.
    pub fn len(&self) -> usize {
        self.by_source.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }
}

/// An operation that failed and waits to be retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escrow {
    /// The source object.
    pub source_id: String,
    /// How many times it has failed.
    pub failures: u32,
    /// When it may be retried.
    pub retry_at: Duration,
    /// The IdP's error code for the last failure.
    pub error_code: String,
}

/// Escrowed operations, by source id.
#[derive(Debug, Clone, Default)]
pub struct Escrows {
    by_source: BTreeMap<String, Escrow>,
}

impl Escrows {
    /// Records a failure at `now`; `backoff(failures)` says how long to wait before the retry.
    pub fn fail(
        &mut self,
        source_id: &str,
        error_code: &str,
        now: Duration,
        backoff: impl Fn(u32) -> Duration,
    ) -> &Escrow {
        let entry = self.by_source.entry(source_id.to_string()).or_insert_with(|| Escrow {
            source_id: source_id.to_string(),
            failures: 0,
            retry_at: now,
            error_code: String::new(),
        });
        entry.failures += 1;
        entry.retry_at = now + backoff(entry.failures);
        entry.error_code = error_code.to_string();
        entry
    }

    /// Forgets the escrow of a source object (its operation succeeded).
    pub fn clear(&mut self, source_id: &str) {
        self.by_source.remove(source_id);
    }

    /// The escrow of a source object.
    pub fn get(&self, source_id: &str) -> Option<&Escrow> {
        self.by_source.get(source_id)
    }

    /// Source ids whose retry is due at `now`.
    pub fn due(&self, now: Duration) -> impl Iterator<Item = &str> {
        self.by_source.values().filter(move |e| e.retry_at <= now).map(|e| e.source_id.as_str())
    }

    /// True when `source_id` waits in escrow and its retry is not yet due.
    pub fn waiting(&self, source_id: &str, now: Duration) -> bool {
        self.by_source.get(source_id).is_some_and(|e| e.retry_at > now)
    }

    /// Every escrow.
    pub fn iter(&self) -> impl Iterator<Item = &Escrow> {
        self.by_source.values()
    }

    /// Forgets every escrow (a restart).
    pub fn reset(&mut self) {
        self.by_source.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escrow_backs_off_and_clears() {
        let mut escrows = Escrows::default();
        let minute = Duration::from_secs(60);
        let backoff = |failures: u32| minute * 2u32.pow(failures);
        assert_eq!(escrows.fail("u1", "Conflict", Duration::ZERO, backoff).retry_at, 2 * minute);
        assert_eq!(escrows.fail("u1", "Conflict", 2 * minute, backoff).retry_at, 6 * minute);
        assert!(escrows.waiting("u1", 5 * minute));
        assert_eq!(escrows.due(6 * minute).collect::<Vec<_>>(), ["u1"]);
        escrows.clear("u1");
        assert!(escrows.get("u1").is_none());
    }

    #[test]
    fn links_by_source() {
        let mut links = Links::default();
        links.insert(Link::new("s1", ObjectKind::User, "t1"));
        assert_eq!(links.target_of("s1"), Some("t1"));
        links.get_mut("s1").unwrap().managed = false;
        assert!(!links.get("s1").unwrap().managed);
        assert_eq!(links.remove("s1").unwrap().target_id, "t1");
        assert!(links.is_empty());
    }
}
