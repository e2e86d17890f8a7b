//! The IdP's own directory: the source users and groups a provisioning app reads, their
//! attributes, group memberships, app assignments and lifecycle state.
//!
//! It is IdP-neutral storage: attribute names are the IdP's own (`userPrincipalName`,
//! `mailNickname` for Entra), and computed attributes such as Entra's `IsSoftDeleted` are
//! added by the engine that reads it. Every change bumps a counter, so an engine can ask for
//! what changed since its last cycle, as Entra's delta query does (entra-wire.md §1.14).

use std::collections::{BTreeMap, BTreeSet, HashMap, btree_map, hash_map};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// Users and groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectKind {
    /// A user.
    User,
    /// A group.
    Group,
}

impl ObjectKind {
    /// `"user"` or `"group"`, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
        }
    }
}

/// An app role a user or group is assigned with (Entra `appRoleAssignments`, entra-wire.md
/// §3.5). The default access role has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The assignment's own id.
    pub id: String,
    /// The app role's id.
    pub role_id: String,
    /// The role's value as apps see it (`Admin`); `None` for default access.
    pub value: Option<String>,
    /// The role's display name.
    pub display_name: String,
}

impl Assignment {
    /// The default access assignment ("User", `msiam_access`): access to the app without an
    /// app role, so it adds nothing to `roles` (entra-wire.md §1.2, §3.5).
    pub fn default_access() -> Self {
        Self {
            id: "default-access".into(),
            role_id: "00000000-0000-0000-0000-000000000000".into(),
            value: None,
            display_name: "User".into(),
        }
    }
}

/// Where a source object is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Present and not deleted.
    Active,
    /// In the recycle bin since the given virtual time (Entra soft delete).
    SoftDeleted {
        /// When it was soft-deleted.
        since: Duration,
    },
}

/// A source user or group.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceObject {
    /// The IdP's immutable id (Entra `objectId`).
    pub id: String,
    /// The name a story gives it (`alice`, `Sales`).
    pub alias: String,
    /// User or group.
    pub kind: ObjectKind,
    /// Source attributes by name.
    pub attributes: BTreeMap<String, Value>,
    /// Direct members (groups only), by id.
    pub members: Vec<String>,
    /// Assignments to the provisioning app.
    pub assignments: Vec<Assignment>,
    /// Lifecycle state.
    pub lifecycle: Lifecycle,
    /// The directory's change counter when this object was added (creation order).
    pub created: u64,
    /// The directory's change counter when this object last changed.
    pub changed: u64,
}

/// Why a directory operation could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    /// No object has that alias.
    #[error("no {kind} {alias:?} in the directory{known}")]
    Unknown {
        /// User or group.
        kind: &'static str,
        /// The alias asked for.
        alias: String,
        /// The aliases that do exist, for the message.
        known: String,
    },
    /// The alias is taken.
    #[error("the directory already has a {kind} called {alias:?}; give it another name")]
    Duplicate {
        /// User or group.
        kind: &'static str,
        /// The alias.
        alias: String,
    },
    /// The id is taken by another object.
    #[error("the id {id:?} of {alias:?} is already used by {other:?}; give each object its own id")]
    DuplicateId {
        /// The id.
        id: String,
        /// The object being added.
        alias: String,
        /// The object that has the id.
        other: String,
    },
}

/// All source objects.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Shared, so an engine can hold an object across its requests without copying it
    /// ([`Directory::shared`]); a change copies it only while an engine holds it.
    objects: BTreeMap<String, Arc<SourceObject>>,
    by_alias: HashMap<(ObjectKind, String), String>,
    /// member id → the groups it is a direct member of (kept with `members`, so scope checks
    /// stay cheap in directories of many thousand users).
    member_of: HashMap<String, BTreeSet<String>>,
    counter: u64,
    /// Mixed into every id the IdP derives from an alias (see [`Directory::id_seed`]).
    id_namespace: String,
    /// Every object ever added, deleted ones too, in order: what snapshots translate ids of.
    added: Vec<(ObjectKind, String)>,
}

/// How many leading characters of a derived GUID are the same in every run (see
/// [`Directory::stable_object_id`]): the first group, 32 bits.
pub const GUID_STABLE_CHARS: usize = 8;

/// A GUID-shaped id derived from `seed`, so that ids are the same in every run and snapshots
/// stay stable (FNV-1a over the seed, formatted as a version-4 GUID).
pub fn stable_guid(seed: &str) -> String {
    let mut guid = String::with_capacity(36);
    push_stable_guid(&mut guid, seed);
    guid
}

/// Appends [`stable_guid`]`(seed)` to `out`, for text that carries one after other words (every
/// request's `ADSCIMVersion` header) without a string of its own.
pub fn push_stable_guid(out: &mut String, seed: &str) {
    let (a, b) = seed_hashes(&[seed]);
    push_guid(out, a, b);
}

/// The two 64-bit FNV-1a hashes (from the standard offset basis, and from a second one) over
/// `parts` read as one seed, so a seed made of several strings needs no string of its own:
/// stable GUIDs are made of them, and Okta's ids of them mixed further.
pub(crate) fn seed_hashes(parts: &[&str]) -> (u64, u64) {
    // Both in one pass over the bytes: every object's id and every request's header hash a seed.
    const PRIME: u64 = 0x0100_0000_01b3;
    let (mut a, mut b) = (0xcbf2_9ce4_8422_2325_u64, 0x6c62_272e_07bb_0142_u64);
    for part in parts {
        for &byte in part.as_bytes() {
            a = (a ^ u64::from(byte)).wrapping_mul(PRIME);
            b = (b ^ u64::from(byte)).wrapping_mul(PRIME);
        }
    }
    (a, b)
}

/// Appends the GUID made of hashes `a` and `b` to `out`.
fn push_guid(out: &mut String, a: u64, b: u64) {
    // The 16 hex digits of `a` then the 16 of `b`, in groups of 8-4-4-4-12, digit 12 replaced
    // by the version (4) and digit 16 by the variant (8). Every request and every directory
    // object makes one, so the groups are written into a template rather than formatted.
    let mut guid = *b"00000000-0000-4000-8000-000000000000";
    write_hex(&mut guid[0..8], a >> 32);
    write_hex(&mut guid[9..13], a >> 16);
    write_hex(&mut guid[15..18], a);
    write_hex(&mut guid[20..23], b >> 48);
    write_hex(&mut guid[24..36], b);
    // Hex digits and dashes: always UTF-8.
    out.push_str(std::str::from_utf8(&guid).unwrap_or_default());
}

/// Writes the low hex digits of `value` into `digits`, the last digit last.
fn write_hex(digits: &mut [u8], value: u64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, digit) in digits.iter_mut().rev().enumerate() {
        *digit = HEX[((value >> (4 * i)) & 0xf) as usize];
    }
}

impl Directory {
    /// Makes the ids derived from aliases from now on unique to `namespace` (a scenario's
    /// run-unique name prefix): two runs against one tenant then never send the same
    /// `externalId`, and a scenario never matches an object another run created.
    pub fn set_id_namespace(&mut self, namespace: &str) {
        self.id_namespace = namespace.to_string();
    }

    /// The namespace set by [`set_id_namespace`](Self::set_id_namespace).
    pub fn id_namespace(&self) -> &str {
        &self.id_namespace
    }

    /// Makes room for `additional` more objects, so that adding them does not grow the
    /// directory's tables step by step (a load batch adds hundreds at once).
    pub fn reserve(&mut self, additional: usize) {
        self.by_alias.reserve(additional);
        self.added.reserve(additional);
    }

    /// What an id of the `kind` object `alias` is derived from: `user:<namespace><alias>`.
    #[cfg(test)]
    pub(crate) fn id_seed(&self, kind: ObjectKind, alias: &str) -> String {
        [kind.noun(), ":", &self.id_namespace, alias].concat()
    }

    /// The seed the same object would have without a namespace, as snapshots show it.
    pub fn canonical_id_seed(kind: ObjectKind, alias: &str) -> String {
        [kind.noun(), ":", alias].concat()
    }

    /// The id of the `kind` object `alias`, made by `derive` from its seed: the first
    /// `stable` characters as without a namespace, so objects sort (and IdPs send them) in
    /// the same order in every run and snapshots stay stable; the rest from the namespaced
    /// seed, so the id is unique to the run. `derive` gives ASCII. The definition the ids
    /// made straight from the seeds' hashes are tested against (this directory's
    /// [`stable_object_id`](Self::stable_object_id), Okta's `stable_object_id`).
    #[cfg(test)]
    pub(crate) fn object_id(
        &self,
        kind: ObjectKind,
        alias: &str,
        stable: usize,
        derive: impl Fn(&str) -> String,
    ) -> String {
        let mut canonical = derive(&Self::canonical_id_seed(kind, alias));
        let namespaced = derive(&self.id_seed(kind, alias));
        match (canonical.is_char_boundary(stable), namespaced.get(stable..)) {
            (true, Some(tail)) => {
                canonical.truncate(stable);
                canonical.push_str(tail);
                canonical
            }
            _ => namespaced,
        }
    }

    /// The id of every object added without one (Entra's objectIds): its first
    /// [`GUID_STABLE_CHARS`] as without a namespace, the rest unique to the run, as
    /// `Directory::object_id` of [`stable_guid`]s makes it (a test checks it).
    /// Made straight from the seeds' hashes (a load run adds thousands of objects), without
    /// the seeds' strings or the two whole GUIDs: the stable first group is written by the
    /// high 32 bits of the first hash, so those come from the seed without a namespace and
    /// the rest from the namespaced seed.
    pub fn stable_object_id(&self, kind: ObjectKind, alias: &str) -> String {
        const _: () = assert!(GUID_STABLE_CHARS == 8, "the stable part is the first group");
        let (canonical, _) = seed_hashes(&[kind.noun(), ":", alias]);
        let (a, b) = seed_hashes(&[kind.noun(), ":", &self.id_namespace, alias]);
        let mut id = String::with_capacity(36);
        push_guid(&mut id, (canonical & 0xffff_ffff_0000_0000) | (a & 0xffff_ffff), b);
        id
    }

    /// The kind and alias of every object ever added, deleted ones too, in order.
    pub fn added(&self) -> &[(ObjectKind, String)] {
        &self.added
    }

    /// The current change counter: objects changed later have a greater `changed`.
    pub fn mark(&self) -> u64 {
        self.counter
    }

    /// The object with `id`, counted as changed now, for a change to it: one lookup for both.
    fn change(&mut self, id: &str) -> Option<&mut SourceObject> {
        let object = Arc::make_mut(self.objects.get_mut(id)?);
        self.counter += 1;
        object.changed = self.counter;
        Some(object)
    }

    fn insert(
        &mut self,
        kind: ObjectKind,
        id: Option<String>,
        alias: &str,
        attributes: BTreeMap<String, Value>,
    ) -> Result<String, DirectoryError> {
        let id = id.unwrap_or_else(|| {
            attributes
                .get("objectId")
                .and_then(Value::as_str)
                .map_or_else(|| self.stable_object_id(kind, alias), str::to_string)
        });
        // One lookup each for the alias and the id: a load run adds thousands of objects.
        let alias_slot = match self.by_alias.entry((kind, alias.to_string())) {
            hash_map::Entry::Occupied(_) => {
                return Err(DirectoryError::Duplicate { kind: kind.noun(), alias: alias.to_string() });
            }
            hash_map::Entry::Vacant(slot) => slot,
        };
        let object_slot = match self.objects.entry(id) {
            btree_map::Entry::Occupied(other) => {
                let (id, other) = (other.key().clone(), other.get().alias.clone());
                return Err(DirectoryError::DuplicateId { id, alias: alias.to_string(), other });
            }
            btree_map::Entry::Vacant(slot) => slot,
        };
        self.counter += 1;
        self.added.push((kind, alias.to_string()));
        let id = object_slot.key().clone();
        alias_slot.insert(id.clone());
        object_slot.insert(Arc::new(SourceObject {
            id: id.clone(),
            alias: alias.to_string(),
            kind,
            attributes,
            members: Vec::new(),
            assignments: Vec::new(),
            lifecycle: Lifecycle::Active,
            created: self.counter,
            changed: self.counter,
        }));
        Ok(id)
    }

    /// Adds a user; returns its id (the `objectId` attribute when given, else a stable GUID).
    pub fn add_user(&mut self, alias: &str, attributes: BTreeMap<String, Value>) -> Result<String, DirectoryError> {
        self.insert(ObjectKind::User, None, alias, attributes)
    }

    /// Adds a user with an id the IdP chose (Okta's `00u…`).
    pub fn add_user_with_id(
        &mut self,
        id: &str,
        alias: &str,
        attributes: BTreeMap<String, Value>,
    ) -> Result<String, DirectoryError> {
        self.insert(ObjectKind::User, Some(id.to_string()), alias, attributes)
    }

    /// Adds a group with the given member ids.
    pub fn add_group(
        &mut self,
        alias: &str,
        attributes: BTreeMap<String, Value>,
        members: &[String],
    ) -> Result<String, DirectoryError> {
        self.add_group_as(None, alias, attributes, members)
    }

    /// Adds a group with an id the IdP chose (Okta's `00g…`) and the given member ids.
    pub fn add_group_with_id(
        &mut self,
        id: &str,
        alias: &str,
        attributes: BTreeMap<String, Value>,
        members: &[String],
    ) -> Result<String, DirectoryError> {
        self.add_group_as(Some(id.to_string()), alias, attributes, members)
    }

    fn add_group_as(
        &mut self,
        id: Option<String>,
        alias: &str,
        attributes: BTreeMap<String, Value>,
        members: &[String],
    ) -> Result<String, DirectoryError> {
        let id = self.insert(ObjectKind::Group, id, alias, attributes)?;
        if let Some(group) = self.objects.get_mut(&id).map(Arc::make_mut) {
            for member in members {
                if !group.members.contains(member) {
                    group.members.push(member.clone());
                    self.member_of.entry(member.clone()).or_default().insert(id.clone());
                }
            }
        }
        Ok(id)
    }

    /// The object with `id`.
    pub fn get(&self, id: &str) -> Option<&SourceObject> {
        self.objects.get(id).map(Arc::as_ref)
    }

    /// The object with `id`, shared: an engine keeps it while it sends requests about it,
    /// without copying it.
    pub fn shared(&self, id: &str) -> Option<Arc<SourceObject>> {
        self.objects.get(id).cloned()
    }

    /// The id of the user or group called `alias`.
    pub fn id_of(&self, kind: ObjectKind, alias: &str) -> Result<String, DirectoryError> {
        self.by_alias.get(&(kind, alias.to_string())).cloned().ok_or_else(|| {
            let mut known: Vec<&str> =
                self.by_alias.keys().filter(|(k, _)| *k == kind).map(|(_, a)| a.as_str()).collect();
            known.sort_unstable();
            DirectoryError::Unknown {
                kind: kind.noun(),
                alias: alias.to_string(),
                known: if known.is_empty() { String::new() } else { format!("; it has {}", known.join(", ")) },
            }
        })
    }

    /// Every object, users and groups, in id order.
    pub fn objects(&self) -> impl Iterator<Item = &SourceObject> {
        self.objects.values().map(Arc::as_ref)
    }

    /// Objects changed after the counter value `mark`.
    pub fn changed_since(&self, mark: u64) -> impl Iterator<Item = &SourceObject> {
        self.objects.values().map(Arc::as_ref).filter(move |o| o.changed > mark)
    }

    /// The groups `member` is a direct member of.
    pub fn groups_of<'d>(&'d self, member: &'d str) -> impl Iterator<Item = &'d SourceObject> {
        self.member_of.get(member).into_iter().flatten().filter_map(|g| self.get(g))
    }

    /// Sets (or, with `Value::Null`, clears) a source attribute.
    pub fn set_attribute(&mut self, id: &str, name: &str, value: Value) {
        let Some(object) = self.change(id) else { return };
        if value.is_null() {
            object.attributes.remove(name);
        } else {
            object.attributes.insert(name.to_string(), value);
        }
    }

    /// Assigns the object to the app with `assignment`, replacing any earlier one with the
    /// same role.
    pub fn assign(&mut self, id: &str, assignment: Assignment) {
        let Some(object) = self.change(id) else { return };
        object.assignments.retain(|a| a.role_id != assignment.role_id);
        object.assignments.push(assignment);
    }

    /// Removes every assignment of the object to the app.
    pub fn unassign(&mut self, id: &str) {
        let Some(object) = self.change(id) else { return };
        object.assignments.clear();
    }

    /// Adds `member` to `group` (once).
    pub fn add_member(&mut self, group: &str, member: &str) {
        let Some(object) = self.change(group) else { return };
        if !object.members.iter().any(|m| m == member) {
            object.members.push(member.to_string());
            self.member_of.entry(member.to_string()).or_default().insert(group.to_string());
        }
    }

    /// Removes `member` from `group`.
    pub fn remove_member(&mut self, group: &str, member: &str) {
        let Some(object) = self.change(group) else { return };
        object.members.retain(|m| m != member);
        if let Some(groups) = self.member_of.get_mut(member) {
            groups.remove(group);
        }
    }

    /// Moves the object to the recycle bin at virtual time `at`. It leaves its groups, and a
    /// later restore does not bring the memberships back (entra-wire.md §1.6).
    pub fn soft_delete(&mut self, id: &str, at: Duration) {
        let Some(object) = self.change(id) else { return };
        object.lifecycle = Lifecycle::SoftDeleted { since: at };
        let groups: Vec<String> = self.groups_of(id).map(|g| g.id.clone()).collect();
        for group in groups {
            self.remove_member(&group, id);
        }
    }

    /// Restores a soft-deleted object.
    pub fn restore(&mut self, id: &str) {
        let Some(object) = self.change(id) else { return };
        object.lifecycle = Lifecycle::Active;
    }

    /// Deletes the object for good, removing it from every group.
    pub fn hard_delete(&mut self, id: &str) -> Option<SourceObject> {
        let groups: Vec<String> = self.groups_of(id).map(|g| g.id.clone()).collect();
        for group in groups {
            self.remove_member(&group, id);
        }
        let object = Arc::unwrap_or_clone(self.objects.remove(id)?);
        self.by_alias.remove(&(object.kind, object.alias.clone()));
        self.member_of.remove(id);
        for member in &object.members {
            if let Some(groups) = self.member_of.get_mut(member) {
                groups.remove(id);
            }
        }
        self.counter += 1;
        Some(object)
    }

    /// Hard-deletes objects that have been soft-deleted for `retention` or longer at `now`
    /// (Entra purges its recycle bin after 30 days, entra-wire.md §1.7); returns their ids.
    pub fn purge(&mut self, now: Duration, retention: Duration) -> Vec<String> {
        let expired: Vec<String> = self
            .objects
            .values()
            .filter(|o| matches!(o.lifecycle, Lifecycle::SoftDeleted { since } if now >= since + retention))
            .map(|o| o.id.clone())
            .collect();
        for id in &expired {
            self.hard_delete(id);
        }
        expired
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attrs(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect()
    }

    #[test]
    fn stable_guids_are_guid_shaped_and_deterministic() {
        let a = stable_guid("user:alice");
        assert_eq!(a, stable_guid("user:alice"));
        assert_ne!(a, stable_guid("user:bob"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_eq!(a.matches('-').count(), 4);
        // The ids of every snapshot depend on these exact digits.
        assert_eq!(a, "695b8915-db7f-4b70-8542-1de05b36b61f");
        assert_eq!(stable_guid(""), "cbf29ce4-8422-4325-8c62-272e07bb0142");
    }

    #[test]
    fn stable_object_ids_are_object_ids_of_stable_guids() {
        // Objects added without an id get one made straight from the seeds' hashes; it must be
        // the id object_id makes from the two whole GUIDs, which snapshots depend on.
        let mut dir = Directory::default();
        for namespace in ["", "scimsim-load-1a2b-", "ns/é-"] {
            dir.set_id_namespace(namespace);
            for (kind, alias) in [(ObjectKind::User, "alice"), (ObjectKind::Group, "Sales"), (ObjectKind::User, "")] {
                assert_eq!(
                    dir.stable_object_id(kind, alias),
                    dir.object_id(kind, alias, GUID_STABLE_CHARS, stable_guid),
                    "{namespace:?} {alias:?}"
                );
            }
        }
        dir.set_id_namespace("");
        assert_eq!(dir.add_user("alice", BTreeMap::new()).unwrap(), stable_guid("user:alice"));
    }

    #[test]
    fn changes_are_tracked_by_counter() {
        let mut dir = Directory::default();
        let alice = dir.add_user("alice", attrs(&[("userPrincipalName", json!("alice@contoso.com"))])).unwrap();
        let bob = dir.add_user("bob", BTreeMap::new()).unwrap();
        let mark = dir.mark();
        assert_eq!(dir.changed_since(mark).count(), 0);
        dir.set_attribute(&alice, "department", json!("Retail"));
        let changed: Vec<&str> = dir.changed_since(mark).map(|o| o.alias.as_str()).collect();
        assert_eq!(changed, ["alice"]);
        dir.set_attribute(&alice, "department", Value::Null);
        assert!(!dir.get(&alice).unwrap().attributes.contains_key("department"));
        assert!(dir.get(&bob).unwrap().changed <= mark);
    }

    #[test]
    fn aliases_and_errors() {
        let mut dir = Directory::default();
        dir.add_user("alice", BTreeMap::new()).unwrap();
        assert!(matches!(dir.add_user("alice", BTreeMap::new()), Err(DirectoryError::Duplicate { .. })));
        let err = dir.id_of(ObjectKind::User, "bob").unwrap_err();
        assert_eq!(err.to_string(), "no user \"bob\" in the directory; it has alice");
        let given = dir.add_user("carol", attrs(&[("objectId", json!("0000-c"))])).unwrap();
        assert_eq!(given, "0000-c");
        let taken = dir.add_user_with_id("0000-c", "dave", BTreeMap::new()).unwrap_err();
        assert!(matches!(taken, DirectoryError::DuplicateId { .. }), "{taken}");
        assert!(dir.id_of(ObjectKind::User, "dave").is_err());
    }

    #[test]
    fn membership_and_hard_delete() {
        let mut dir = Directory::default();
        let alice = dir.add_user("alice", BTreeMap::new()).unwrap();
        let sales =
            dir.add_group("Sales", attrs(&[("displayName", json!("Sales"))]), std::slice::from_ref(&alice)).unwrap();
        assert_eq!(dir.groups_of(&alice).count(), 1);
        let mark = dir.mark();
        dir.hard_delete(&alice);
        assert!(dir.get(&sales).unwrap().members.is_empty());
        assert!(dir.changed_since(mark).any(|o| o.id == sales));
        assert!(dir.id_of(ObjectKind::User, "alice").is_err());
    }

    #[test]
    fn soft_delete_leaves_groups_for_good() {
        let mut dir = Directory::default();
        let alice = dir.add_user("alice", BTreeMap::new()).unwrap();
        let sales = dir.add_group("Sales", BTreeMap::new(), std::slice::from_ref(&alice)).unwrap();
        dir.soft_delete(&alice, Duration::ZERO);
        assert!(dir.get(&sales).unwrap().members.is_empty());
        dir.restore(&alice);
        assert!(dir.get(&sales).unwrap().members.is_empty());
        assert_eq!(dir.get(&alice).unwrap().lifecycle, Lifecycle::Active);
    }

    #[test]
    fn purge_after_retention() {
        let mut dir = Directory::default();
        let alice = dir.add_user("alice", BTreeMap::new()).unwrap();
        dir.soft_delete(&alice, Duration::from_secs(10));
        assert!(dir.purge(Duration::from_secs(20), Duration::from_secs(30)).is_empty());
        assert_eq!(dir.purge(Duration::from_secs(40), Duration::from_secs(30)), [alice]);
    }
}
