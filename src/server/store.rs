//! The reference server's state: every resource, behind one type so that a persistent store
//! can replace this in-memory one without touching the HTTP layer.
//!
//! All writes go through one lock, which makes each request atomic: uniqueness (RFC 7643
//! §2.2 `uniqueness`), group membership integrity, `If-Match` preconditions, the
//! server-maintained attributes (`id`, `meta`, a user's `groups`) and the behaviour profile's
//! rules that need the stored resource are decided together, so concurrent clients can
//! neither lose an update nor create two users with one `userName`.
//!
//! The store also holds *local* users: users the product has that were not created through
//! SCIM ([`Store::add_local`]), which the Ivanti profile takes over on a POST.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, PoisonError, RwLock};

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::scim::{
    AttrType, Attribute, Mutability, PatchOp, Resolved, ResourceSchema, ScimError, Uniqueness, apply_patch,
    format_timestamp, preserve_on_replace, urn,
};

use super::blank_values::BlankValues;
use super::etag::EntityTags;
use super::{Profile, Registry};

/// A stored resource in its full representation (including `id`, `meta`, `groups`).
pub type Resource = Arc<Map<String, Value>>;

/// All resources of all types.
#[derive(Debug)]
pub struct Store {
    base_url: String,
    registry: Arc<Registry>,
    profile: Profile,
    tables: RwLock<Tables>,
}

#[derive(Debug, Default)]
struct Tables {
    by_type: HashMap<String, Table>,
    /// member id → ids of the groups it is a direct member of.
    member_of: HashMap<String, BTreeSet<String>>,
    /// Source of `meta.version` values and of insertion order.
    counter: u64,
}

#[derive(Debug, Default)]
struct Table {
    rows: HashMap<String, Row>,
    /// Insertion order, so that unsorted lists are stable.
    order: BTreeMap<u64, String>,
    /// `attribute\0folded value` → id, for attributes with `uniqueness` server or global.
    unique: HashMap<String, String>,
}

#[derive(Debug)]
struct Row {
    seq: u64,
    resource: Resource,
    /// Not created through SCIM (see [`Store::add_local`]).
    local: bool,
}

/// The resource type names membership connects: groups hold `members`, users get `groups`.
const GROUP: &str = "Group";
const USER: &str = "User";

/// Attributes the server maintains itself and clients cannot write.
const SERVER_MAINTAINED: [&str; 3] = ["id", "meta", "groups"];

impl Store {
    /// An empty store for the resource types of `registry`, whose resources live under
    /// `base_url` (for `meta.location` and `$ref`).
    pub fn new(registry: Arc<Registry>, base_url: impl Into<String>) -> Self {
        Self::with_profile(registry, base_url, Profile::Strict)
    }

    /// An empty store that applies the rules of `profile` (see [`Profile`]).
    pub fn with_profile(registry: Arc<Registry>, base_url: impl Into<String>, profile: Profile) -> Self {
        Self { base_url: base_url.into(), registry, profile, tables: RwLock::new(Tables::default()) }
    }

    /// The URL of resource `id` of the type called `type_name`.
    fn location(&self, type_name: &str, id: &str) -> String {
        let endpoint = self.registry.get(type_name).map_or("", |t| t.resource_type.endpoint.as_str());
        format!("{}{endpoint}/{id}", self.base_url)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Tables> {
        self.tables.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Tables> {
        self.tables.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The resource of type `kind` with `id`, or 404.
    pub fn get(&self, kind: &ResourceSchema, id: &str) -> Result<Resource, ScimError> {
        let tables = self.read();
        tables.row(kind, id).map(|r| r.resource.clone()).ok_or_else(|| not_found(kind, id))
    }

    /// The resource whose `attribute` equals `value`, through the uniqueness index: `None`
    /// when the attribute has no index (scan instead), `Some(None)` when nothing has the value.
    /// This keeps an IdP's match query (`userName eq "…"`) constant-time.
    pub fn find_unique(
        &self,
        kind: &ResourceSchema,
        attribute: &Resolved<'_>,
        value: &Value,
    ) -> Option<Option<Resource>> {
        if attribute.sub.is_some() || !indexed(attribute.attr) {
            return None;
        }
        let key = index_key(attribute.extension.map(|e| e.id.as_str()), attribute.attr, value);
        let tables = self.read();
        let table = tables.by_type.get(&kind.resource_type.name);
        let id = table.and_then(|t| t.unique.get(&key));
        Some(id.and_then(|id| table?.rows.get(id)).map(|row| row.resource.clone()))
    }

    /// Every resource of type `kind`, in creation order.
    pub fn list(&self, kind: &ResourceSchema) -> Vec<Resource> {
        let tables = self.read();
        let Some(table) = tables.by_type.get(&kind.resource_type.name) else { return Vec::new() };
        table.order.values().filter_map(|id| table.rows.get(id)).map(|r| r.resource.clone()).collect()
    }

    /// Stores a new resource from its canonical content (see [`crate::scim::canonicalize`]),
    /// as a POST does. Under a profile that takes over local users, a user whose `userName`
    /// belongs to a local user replaces that user instead, which keeps its id and becomes
    /// SCIM-managed.
    pub fn create(&self, kind: &ResourceSchema, mut content: Map<String, Value>) -> Result<Resource, ScimError> {
        let mut tables = self.write();
        let taken_over =
            if self.profile.takes_over_local_users(kind) { tables.local_holder(kind, &content) } else { None };
        let Some(id) = taken_over else {
            self.profile.settle(kind, None, true, &mut content)?;
            let id = uuid::Uuid::new_v4().to_string();
            return self.commit(&mut tables, kind, &id, content);
        };
        let old = tables.current(kind, &id, None)?;
        preserve_on_replace(kind, &old, &mut content)?;
        self.profile.settle(kind, Some(&old), true, &mut content)?;
        let resource = self.commit(&mut tables, kind, &id, content)?;
        tables.mark_local(kind, &id, false);
        Ok(resource)
    }

    /// Stores a local user: one the product has that was not created through SCIM (an admin
    /// made it in the product's UI), from canonical content. No profile rule applies to it.
    pub fn add_local(&self, kind: &ResourceSchema, content: Map<String, Value>) -> Result<Resource, ScimError> {
        let mut tables = self.write();
        let id = uuid::Uuid::new_v4().to_string();
        let resource = self.commit(&mut tables, kind, &id, content)?;
        tables.mark_local(kind, &id, true);
        Ok(resource)
    }

    /// Replaces a resource with new canonical content (PUT, RFC 7644 §3.5.1); the stored values
    /// of `blanks` are kept (see [`BlankValues`]).
    pub(crate) fn replace(
        &self,
        kind: &ResourceSchema,
        id: &str,
        mut content: Map<String, Value>,
        blanks: &BlankValues,
        if_match: Option<&EntityTags>,
    ) -> Result<Resource, ScimError> {
        let mut tables = self.write();
        let old = tables.current(kind, id, if_match)?;
        preserve_on_replace(kind, &old, &mut content)?;
        blanks.restore(kind, &old, &mut content);
        self.profile.settle(kind, Some(&old), false, &mut content)?;
        self.commit(&mut tables, kind, id, content)
    }

    /// Applies a PATCH request (RFC 7644 §3.5.2) atomically.
    pub fn patch(
        &self,
        kind: &ResourceSchema,
        id: &str,
        patch: &PatchOp,
        if_match: Option<&EntityTags>,
    ) -> Result<Resource, ScimError> {
        let mut tables = self.write();
        let old = tables.current(kind, id, if_match)?;
        let mut content = apply_patch(kind, &old, patch)?;
        self.profile.settle(kind, Some(&old), false, &mut content)?;
        self.commit(&mut tables, kind, id, content)
    }

    /// Deletes a resource and removes it from every group it belonged to. Under a profile
    /// that disables instead, a user gets `active: false` and stays; under one that disables
    /// the members of a deleted group, they get `active: false` too.
    pub fn delete(&self, kind: &ResourceSchema, id: &str, if_match: Option<&EntityTags>) -> Result<(), ScimError> {
        let mut tables = self.write();
        let old = tables.current(kind, id, if_match)?;
        if self.profile.disables_on_delete(kind) {
            self.update_in_place(&mut tables, &kind.resource_type.name, id, deactivate);
            return Ok(());
        }
        let disable_members = self.profile.disables_members_on_delete(kind);
        let table = tables.by_type.entry(kind.resource_type.name.clone()).or_default();
        if let Some(row) = table.rows.remove(id) {
            table.order.remove(&row.seq);
        }
        for key in unique_keys(kind, &old) {
            table.unique.remove(&key);
        }
        // Its groups lose it as a member…
        for group_id in tables.member_of.remove(id).unwrap_or_default() {
            self.update_in_place(&mut tables, GROUP, &group_id, |group| {
                if let Some(Value::Array(members)) = group.get_mut("members") {
                    members.retain(|m| m.get("value").and_then(Value::as_str) != Some(id));
                    if members.is_empty() {
                        group.remove("members");
                    }
                }
            });
        }
        // …and, if it was a group, its members lose it.
        for member in member_ids(&old) {
            if let Some(groups) = tables.member_of.get_mut(&member) {
                groups.remove(id);
            }
            self.refresh_groups(&mut tables, &member);
            if disable_members {
                self.update_in_place(&mut tables, USER, &member, deactivate);
            }
        }
        Ok(())
    }

    /// Validates and stores `content` as resource `id`, filling in the server-maintained
    /// attributes. A write that changes nothing keeps the version and `lastModified`.
    fn commit(
        &self,
        tables: &mut Tables,
        kind: &ResourceSchema,
        id: &str,
        mut content: Map<String, Value>,
    ) -> Result<Resource, ScimError> {
        let type_name = kind.resource_type.name.clone();
        let old = tables.row(kind, id).map(|r| r.resource.clone());
        let keys = unique_keys(kind, &content);
        let table = tables.by_type.entry(type_name.clone()).or_default();
        for key in &keys {
            if let Some(holder) = table.unique.get(key).filter(|holder| *holder != id) {
                let (attr, _) = key.split_once('\0').unwrap_or((key, ""));
                return Err(ScimError::uniqueness(format!(
                    "{attr} {} is already used by {type_name} {holder}",
                    unique_value(kind, &content, attr)
                )));
            }
        }
        let new_members =
            if kind.core.id == urn::GROUP { self.check_members(tables, id, &mut content)? } else { Vec::new() };
        if let Some(old) = &old {
            let client_written = |map: &Map<String, Value>| -> Map<String, Value> {
                map.iter()
                    .filter(|(k, _)| !SERVER_MAINTAINED.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            // Map equality ignores key order, which a PATCH may change without changing content.
            if client_written(old) == client_written(&content) {
                return Ok(old.clone());
            }
            if let Some(groups) = old.get("groups") {
                content.insert("groups".into(), groups.clone());
            }
        }
        tables.counter += 1;
        let now = format_timestamp(OffsetDateTime::now_utc());
        let created = old
            .as_ref()
            .and_then(|o| o.get("meta")?.get("created").cloned())
            .unwrap_or_else(|| Value::String(now.clone()));
        let location = self.location(&type_name, id);
        // Keys in the order of the RFC's examples: schemas, id, externalId, the rest, meta.
        let mut resource = Map::new();
        for key in ["schemas", "id", "externalId"] {
            let value = if key == "id" { Some(Value::String(id.to_string())) } else { content.remove(key) };
            if let Some(value) = value {
                resource.insert(key.into(), value);
            }
        }
        resource.extend(content);
        resource.insert(
            "meta".into(),
            json!({
                "resourceType": type_name,
                "created": created,
                "lastModified": now,
                "location": location,
                "version": format!("W/\"{}\"", tables.counter),
            }),
        );
        let resource: Resource = Arc::new(resource);
        let table = tables.by_type.entry(type_name).or_default();
        if let Some(old) = &old {
            for key in unique_keys(kind, old) {
                table.unique.remove(&key);
            }
        }
        for key in keys {
            table.unique.insert(key, id.to_string());
        }
        let (seq, local) = table.rows.get(id).map_or((tables.counter, false), |r| (r.seq, r.local));
        table.order.insert(seq, id.to_string());
        table.rows.insert(id.to_string(), Row { seq, resource: resource.clone(), local });
        if kind.core.id == urn::GROUP {
            let old_members = old.as_deref().map(member_ids).unwrap_or_default();
            let renamed = old.as_ref().is_some_and(|o| o.get("displayName") != resource.get("displayName"));
            for member in &old_members {
                if !new_members.contains(member)
                    && let Some(groups) = tables.member_of.get_mut(member)
                {
                    groups.remove(id);
                }
            }
            for member in &new_members {
                tables.member_of.entry(member.clone()).or_default().insert(id.to_string());
            }
            let touched: BTreeSet<&String> = if renamed {
                old_members.iter().chain(&new_members).collect()
            } else {
                old_members
                    .iter()
                    .filter(|m| !new_members.contains(m))
                    .chain(new_members.iter().filter(|m| !old_members.contains(m)))
                    .collect()
            };
            for member in touched {
                self.refresh_groups(tables, member);
            }
        }
        Ok(tables.row(kind, id).map(|r| r.resource.clone()).unwrap_or(resource))
    }

    /// Checks that every member exists and is not the group itself, and fills in each
    /// member's `type` and `$ref`. Returns the member ids.
    fn check_members(
        &self,
        tables: &Tables,
        group_id: &str,
        content: &mut Map<String, Value>,
    ) -> Result<Vec<String>, ScimError> {
        let Some(Value::Array(members)) = content.get_mut("members") else { return Ok(Vec::new()) };
        let mut ids = Vec::with_capacity(members.len());
        let mut unique = Vec::with_capacity(members.len());
        for member in members.drain(..) {
            let Some(value) = member.get("value").and_then(Value::as_str).map(str::to_string) else {
                return Err(ScimError::invalid_value(
                    "members: every member needs a \"value\" holding the id of a User or Group",
                ));
            };
            if value == group_id {
                return Err(ScimError::invalid_value(format!(
                    "members: group {group_id} cannot be a member of itself"
                )));
            }
            let Some(type_name) = tables.type_of(&value) else {
                return Err(ScimError::invalid_value(format!(
                    "members: no User or Group has id {value:?}; create it first"
                )));
            };
            if ids.contains(&value) {
                continue;
            }
            let mut member = member.as_object().cloned().unwrap_or_default();
            member.insert("$ref".into(), Value::String(self.location(&type_name, &value)));
            member.insert("type".into(), Value::String(type_name));
            ids.push(value);
            unique.push(Value::Object(member));
        }
        *members = unique;
        Ok(ids)
    }

    /// Rebuilds the `groups` attribute of user `member_id` from the membership index, bumping
    /// its version when it changed.
    fn refresh_groups(&self, tables: &mut Tables, member_id: &str) {
        let groups: Vec<Value> = tables
            .member_of
            .get(member_id)
            .into_iter()
            .flatten()
            .filter_map(|gid| {
                let group = &tables.by_type.get(GROUP)?.rows.get(gid)?.resource;
                let mut entry = json!({"value": gid, "$ref": self.location(GROUP, gid), "type": "direct"});
                if let Some(name) = group.get("displayName") {
                    entry["display"] = name.clone();
                }
                Some(entry)
            })
            .collect();
        self.update_in_place(tables, USER, member_id, |user| {
            if groups.is_empty() {
                user.remove("groups");
            } else {
                user.insert("groups".into(), Value::Array(groups));
            }
        });
    }

    /// Applies a server-side change to a stored resource, bumping version and lastModified
    /// when it changed something.
    fn update_in_place(
        &self,
        tables: &mut Tables,
        type_name: &str,
        id: &str,
        change: impl FnOnce(&mut Map<String, Value>),
    ) {
        let Some(row) = tables.by_type.get_mut(type_name).and_then(|t| t.rows.get_mut(id)) else { return };
        let mut updated = (*row.resource).clone();
        change(&mut updated);
        if updated == *row.resource {
            return;
        }
        tables.counter += 1;
        if let Some(Value::Object(meta)) = updated.get_mut("meta") {
            meta.insert("lastModified".into(), Value::String(format_timestamp(OffsetDateTime::now_utc())));
            meta.insert("version".into(), Value::String(format!("W/\"{}\"", tables.counter)));
        }
        let row = tables.by_type.get_mut(type_name).and_then(|t| t.rows.get_mut(id)).unwrap_or_else(|| unreachable!());
        row.resource = Arc::new(updated);
    }
}

impl Tables {
    fn row(&self, kind: &ResourceSchema, id: &str) -> Option<&Row> {
        self.by_type.get(&kind.resource_type.name)?.rows.get(id)
    }

    /// The stored resource, if it exists and satisfies `If-Match`.
    fn current(&self, kind: &ResourceSchema, id: &str, if_match: Option<&EntityTags>) -> Result<Resource, ScimError> {
        let resource = self.row(kind, id).map(|r| r.resource.clone()).ok_or_else(|| not_found(kind, id))?;
        if let Some(tags) = if_match {
            let version =
                resource.get("meta").and_then(|m| m.get("version")).and_then(Value::as_str).unwrap_or_default();
            if !tags.matches(version) {
                return Err(ScimError::new(
                    412,
                    format!(
                        "If-Match does not match the current version {version} of {} {id}; read it again and retry",
                        kind.resource_type.name
                    ),
                ));
            }
        }
        Ok(resource)
    }

    /// The id of the local user holding the `userName` of `content`, if one does.
    fn local_holder(&self, kind: &ResourceSchema, content: &Map<String, Value>) -> Option<String> {
        let attr = kind.core.attribute("userName")?;
        let key = index_key(None, attr, content.get(&attr.name)?);
        let table = self.by_type.get(&kind.resource_type.name)?;
        let id = table.unique.get(&key)?;
        table.rows.get(id).is_some_and(|r| r.local).then(|| id.clone())
    }

    /// Marks resource `id` as local (not created through SCIM) or SCIM-managed.
    fn mark_local(&mut self, kind: &ResourceSchema, id: &str, local: bool) {
        if let Some(row) = self.by_type.get_mut(&kind.resource_type.name).and_then(|t| t.rows.get_mut(id)) {
            row.local = local;
        }
    }

    /// The type name of whatever resource has `id`.
    fn type_of(&self, id: &str) -> Option<String> {
        self.by_type.iter().find(|(_, table)| table.rows.contains_key(id)).map(|(name, _)| name.clone())
    }
}

fn not_found(kind: &ResourceSchema, id: &str) -> ScimError {
    ScimError::not_found(format!("{} {id:?} not found", kind.resource_type.name))
}

/// Disables a user: `active: false`, placed before `meta` when the user had no `active`.
fn deactivate(user: &mut Map<String, Value>) {
    if let Some(active) = user.get_mut("active") {
        *active = Value::Bool(false);
        return;
    }
    let meta = user.shift_remove("meta");
    user.insert("active".into(), Value::Bool(false));
    if let Some(meta) = meta {
        user.insert("meta".into(), meta);
    }
}

fn member_ids(resource: &Map<String, Value>) -> Vec<String> {
    match resource.get("members") {
        Some(Value::Array(members)) => {
            members.iter().filter_map(|m| m.get("value").and_then(Value::as_str).map(str::to_string)).collect()
        }
        _ => Vec::new(),
    }
}

/// True for attributes with a uniqueness index: single-valued text (or integer) attributes with
/// `uniqueness` server or global that clients write.
fn indexed(attr: &Attribute) -> bool {
    attr.uniqueness != Uniqueness::None
        && !attr.multi_valued
        && (attr.kind.is_textual() || attr.kind == AttrType::Integer)
        && attr.mutability != Mutability::ReadOnly
}

/// The index key of `value` for `attr` (in extension `ext`): folded unless `caseExact`.
fn index_key(ext: Option<&str>, attr: &Attribute, value: &Value) -> String {
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
    let folded = if attr.case_exact { text } else { text.to_lowercase() };
    let name = ext.map_or_else(|| attr.name.clone(), |urn| format!("{urn}:{}", attr.name));
    format!("{name}\0{folded}")
}

/// The uniqueness index keys of `resource`: one per indexed attribute it has a value for.
fn unique_keys(kind: &ResourceSchema, resource: &Map<String, Value>) -> Vec<String> {
    let mut keys = Vec::new();
    let parts = std::iter::once((None, &kind.core)).chain(kind.extensions.iter().map(|e| (Some(e.id.as_str()), e)));
    for (ext, schema) in parts {
        for attr in schema.attributes.iter().filter(|a| indexed(a)) {
            let holder = match ext {
                None => Some(resource),
                Some(urn) => resource.get(urn).and_then(Value::as_object),
            };
            if let Some(value) = holder.and_then(|h| h.get(&attr.name)) {
                keys.push(index_key(ext, attr, value));
            }
        }
    }
    keys
}

fn unique_value(kind: &ResourceSchema, resource: &Map<String, Value>, attr: &str) -> String {
    let value = match urn::split_qualified(attr) {
        (Some(urn), name) if kind.extension(urn).is_some() => resource.get(urn).and_then(|e| e.get(name)),
        _ => resource.get(attr),
    };
    value.map_or_else(String::new, Value::to_string)
}
