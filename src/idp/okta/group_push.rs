//! Group Push (okta-wire.md §1.10): pushing an Okta group to the app, keeping its name and
//! members in step, Push Now, deactivating and reactivating a push, and unlinking.
//!
//! OIN apps update groups by PATCH: a path-less `replace` of `{id, displayName}` — sent on a
//! rename and also with every membership update (REF20) — then one PATCH with a `remove` per
//! member leaving (`members[value eq "…"]`) and one `add` of the members joining
//! (`[{value, display}]`); Push Now replaces `members` whole. AIW apps PUT the group with its
//! full member list.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::idp::directory::{ObjectKind, SourceObject};
use crate::idp::link::Link;
use crate::scim::urn;
use crate::target::RequestBody;

use super::body::patch_op;
use super::envelope::filter_query;
use super::list_page;
use super::org::{Failure, GroupPush, Imported, OktaOrg, OrgError, Unlink, UserStatus};
use super::task_log::{EventKind, Operation, Outcome};

/// How a group came to be linked.
enum Linked {
    /// Created by POST.
    Created,
    /// An existing app group.
    Existing,
}

/// The membership change a group update carries.
struct Membership<'a> {
    /// Replace the whole list (Push Now).
    full: bool,
    /// Every member the app should have.
    wanted: &'a BTreeSet<String>,
    /// Members to remove.
    leaving: &'a BTreeSet<String>,
    /// Members to add.
    joining: &'a BTreeSet<String>,
}

impl OktaOrg {
    fn pushed_group_id(&self, name: &str) -> Result<String, OrgError> {
        let id = self.directory.id_of(ObjectKind::Group, name)?;
        if self.pushes.contains_key(&id) { Ok(id) } else { Err(OrgError::NotPushed { alias: name.into() }) }
    }

    /// The group's name in Okta.
    fn group_name(group: &SourceObject) -> String {
        group.attributes.get("name").and_then(Value::as_str).unwrap_or(&group.alias).to_string()
    }

    /// The members Okta pushes: assigned and provisioned users who are not deactivated
    /// ("Group Push prerequisites"), by Okta id.
    fn pushable_members(&self, group: &SourceObject) -> BTreeSet<String> {
        group
            .members
            .iter()
            .filter(|m| self.links.get(m.as_str()).is_some())
            .filter(|m| self.status_of(m) != UserStatus::Deprovisioned)
            .filter(|m| self.directory.get(m).is_some_and(|u| self.is_assigned(u)))
            .cloned()
            .collect()
    }

    /// `{"value": <app user id>, "display": <userName>}` for each member: no `type` (SCIM-SDK
    /// #419).
    fn member_values(&self, members: &BTreeSet<String>) -> Vec<Value> {
        members
            .iter()
            .filter_map(|m| {
                let target = self.links.target_of(m)?;
                let display = self
                    .app_users
                    .get(m)
                    .and_then(|a| a.profile.get("userName"))
                    .cloned()
                    .or_else(|| self.directory.get(m).and_then(|u| u.attributes.get("login").cloned()))
                    .unwrap_or(Value::Null);
                Some(json!({"value": target, "display": display}))
            })
            .collect()
    }

    /// Starts pushing a group (Push Groups → Push Groups): the group is linked to an app group
    /// of the same name or created, then gets its members.
    pub async fn push_group(&mut self, name: &str) -> Result<(), OrgError> {
        let id = self.directory.id_of(ObjectKind::Group, name)?;
        if self.directory.get(&id).is_some_and(|g| !g.assignments.is_empty()) {
            return Err(OrgError::AssignedAndPushed { alias: name.into() });
        }
        self.pushes.entry(id.clone()).or_insert(GroupPush { active: true, pending: false, linked_existing: false });
        self.sync_group(&id, true).await;
        Ok(())
    }

    /// Push Now: the whole membership replaces the app's, an empty list for an empty group
    /// (C9316, C9317).
    pub async fn push_now(&mut self, name: &str) -> Result<(), OrgError> {
        let id = self.pushed_group_id(name)?;
        self.sync_group(&id, true).await;
        Ok(())
    }

    /// Deactivates a push: nothing is sent and changes are held (C9319).
    pub fn deactivate_push(&mut self, name: &str) -> Result<(), OrgError> {
        let id = self.pushed_group_id(name)?;
        if let Some(push) = self.pushes.get_mut(&id) {
            push.active = false;
        }
        self.event(EventKind::NoRequest, name, Outcome::Skipped, "Group Push deactivated; changes are held".into());
        Ok(())
    }

    /// Reactivates a push: the membership is pushed at once (C9320).
    pub async fn activate_push(&mut self, name: &str) -> Result<(), OrgError> {
        let id = self.pushed_group_id(name)?;
        if let Some(push) = self.pushes.get_mut(&id) {
            push.active = true;
        }
        self.sync_group(&id, true).await;
        Ok(())
    }

    /// Unlinks a pushed group, deleting it in the app (`DELETE /Groups/{id}`) or leaving it
    /// (nothing sent); users are untouched (C9318, C9321).
    pub async fn unlink_group(&mut self, name: &str, unlink: Unlink) -> Result<(), OrgError> {
        let id = self.pushed_group_id(name)?;
        self.pushes.remove(&id);
        let link = self.links.remove(&id);
        match (unlink, link) {
            (Unlink::DeleteInApp, Some(link)) => {
                self.imported_groups.retain(|g| g.id != link.target_id);
                self.delete_group_in_app(&link.target_id, name).await;
            }
            _ => self.event(
                EventKind::NoRequest,
                name,
                Outcome::Skipped,
                "unlinked; the group is left in the app".into(),
            ),
        }
        Ok(())
    }

    /// Adds a user to an Okta group: pushed to the app if the group is pushed; provisioned if
    /// the group is assigned.
    pub async fn add_member(&mut self, group: &str, alias: &str) -> Result<(), OrgError> {
        let group_id = self.directory.id_of(ObjectKind::Group, group)?;
        let user_id = self.directory.id_of(ObjectKind::User, alias)?;
        self.directory.add_member(&group_id, &user_id);
        self.after_membership_change(&group_id, &user_id).await;
        Ok(())
    }

    /// Removes a user from an Okta group.
    pub async fn remove_member(&mut self, group: &str, alias: &str) -> Result<(), OrgError> {
        let group_id = self.directory.id_of(ObjectKind::Group, group)?;
        let user_id = self.directory.id_of(ObjectKind::User, alias)?;
        self.directory.remove_member(&group_id, &user_id);
        self.after_membership_change(&group_id, &user_id).await;
        Ok(())
    }

    async fn after_membership_change(&mut self, group_id: &str, user_id: &str) {
        if self.directory.get(group_id).is_some_and(|g| !g.assignments.is_empty()) {
            self.sync_user(user_id).await;
        }
        if self.pushes.contains_key(group_id) {
            self.sync_group(group_id, false).await;
        }
    }

    /// Renames an Okta group; a pushed group is renamed in the app.
    pub async fn rename_group(&mut self, name: &str, new_name: &str) -> Result<(), OrgError> {
        let id = self.directory.id_of(ObjectKind::Group, name)?;
        self.directory.set_attribute(&id, "name", Value::String(new_name.into()));
        if self.pushes.contains_key(&id) {
            self.sync_group(&id, false).await;
        }
        Ok(())
    }

    /// After a user is linked, the pushed groups it belongs to get it as a member.
    pub(super) async fn catch_up_groups(&mut self, user_id: &str) {
        let groups: Vec<String> = self
            .directory
            .groups_of(user_id)
            .map(|g| g.id.clone())
            .filter(|g| self.pushes.get(g).is_some_and(|p| p.active) && self.links.get(g).is_some())
            .collect();
        for group in groups {
            self.sync_group(&group, false).await;
        }
    }

    /// Brings a pushed group up to date: linked or created first; then, with `full`, the
    /// whole membership (Push Now), else only what changed. A deactivated push holds it.
    pub(super) async fn sync_group(&mut self, id: &str, full: bool) {
        let Some(group) = self.directory.shared(id) else { return };
        let Some(push) = self.pushes.get(id).copied() else { return };
        if !push.active {
            if let Some(push) = self.pushes.get_mut(id) {
                push.pending = true;
            }
            return self.event(
                EventKind::NoRequest,
                &group.alias,
                Outcome::Skipped,
                "Group Push deactivated; held".into(),
            );
        }
        if let Some(push) = self.pushes.get_mut(id) {
            push.pending = false;
        }
        let full = if self.links.get(id).is_some() {
            full
        } else {
            match self.link_group(&group).await {
                None => return,
                Some(Linked::Created) => false,
                Some(Linked::Existing) => true,
            }
        };
        let Some(link) = self.links.get(id).cloned() else { return };
        let name = Self::group_name(&group);
        let wanted = self.pushable_members(&group);
        // A linked group keeps its app name unless "Rename app groups to match group name in
        // Okta" is on (C9313, C9314).
        let push = self.pushes.get(id).copied().unwrap_or(push);
        let send_name = !push.linked_existing || self.settings.rename_linked_groups;
        let rename = send_name && link.exported.get("displayName").and_then(Value::as_str) != Some(name.as_str());
        let leaving: BTreeSet<String> = link.members.difference(&wanted).cloned().collect();
        let joining: BTreeSet<String> = wanted.difference(&link.members).cloned().collect();
        if !full && !rename && leaving.is_empty() && joining.is_empty() {
            return;
        }
        let result = if self.settings.kind.patches() {
            let changes = Membership { full, wanted: &wanted, leaving: &leaving, joining: &joining };
            self.patch_group(&group, &link, send_name, &changes).await
        } else {
            self.put_group(&group, &link, &wanted).await
        };
        match result {
            Ok(()) => {
                if let Some(link) = self.links.get_mut(id) {
                    link.members = wanted;
                    link.exported.insert("displayName".into(), Value::String(name));
                }
                self.log.close(&Operation::SyncGroup(id.to_string()));
            }
            Err((kind, failure)) => self.group_failed(&group, kind, "updating", &failure),
        }
    }

    /// OIN: the name PATCH (sent with every membership update, unless the name of a linked
    /// group is left alone), then the membership PATCH.
    async fn patch_group(
        &mut self,
        group: &SourceObject,
        link: &Link,
        send_name: bool,
        changes: &Membership<'_>,
    ) -> Result<(), (EventKind, Failure)> {
        let path = format!("/Groups/{}", link.target_id);
        if send_name {
            let name = Self::group_name(group);
            let rename = json!({"op": "replace", "value": {"id": link.target_id, "displayName": name}});
            let request = (Method::PATCH, path.clone(), None, Some(patch_op(vec![rename]).into()));
            self.group_request(group, EventKind::PushGroupName, request).await?;
        }
        let mut operations = Vec::new();
        if changes.full {
            operations.push(json!({"op": "replace", "path": "members", "value": self.member_values(changes.wanted)}));
        } else {
            for member in changes.leaving {
                if let Some(target) = self.links.target_of(member) {
                    operations.push(json!({"op": "remove", "path": format!("members[value eq \"{target}\"]")}));
                }
            }
            if !changes.joining.is_empty() {
                operations.push(json!({"op": "add", "path": "members", "value": self.member_values(changes.joining)}));
            }
        }
        if operations.is_empty() {
            return Ok(());
        }
        self.group_request(
            group,
            EventKind::PushGroupMembership,
            (Method::PATCH, path, None, Some(patch_op(operations).into())),
        )
        .await
    }

    /// AIW: `PUT /Groups/{id}` with the name and the full member list, after a GET when
    /// [`Options::aiw_group_reads_first`](super::Options::aiw_group_reads_first).
    async fn put_group(
        &mut self,
        group: &SourceObject,
        link: &Link,
        wanted: &BTreeSet<String>,
    ) -> Result<(), (EventKind, Failure)> {
        let path = format!("/Groups/{}", link.target_id);
        let mut body = Map::new();
        if self.options().aiw_group_reads_first {
            let reply = self
                .send((Method::GET, path.clone(), None, None), EventKind::PushGroupMembership, &group.alias)
                .await
                .map_err(|f| (EventKind::PushGroupMembership, f))?;
            if reply.status != 200 || !reply.body.value().is_some_and(Value::is_object) {
                return Err((EventKind::PushGroupMembership, Failure::http(&reply)));
            }
            if let Some(Value::Object(resource)) = reply.body.into_value() {
                body = resource;
            }
        } else {
            body.insert("schemas".into(), json!([urn::GROUP]));
        }
        body.insert("displayName".into(), Value::String(Self::group_name(group)));
        body.insert("members".into(), Value::Array(self.member_values(wanted)));
        let body = Value::Object(body).into();
        self.group_request(group, EventKind::PushGroupMembership, (Method::PUT, path, None, Some(body))).await
    }

    /// Sends a group request; any 2xx succeeds (REF20: 200 with the group, or 204).
    async fn group_request(
        &mut self,
        group: &SourceObject,
        kind: EventKind,
        request: (Method, String, Option<String>, Option<RequestBody>),
    ) -> Result<(), (EventKind, Failure)> {
        match self.send(request, kind, &group.alias).await {
            Ok(reply) if reply.is_success() => {
                self.event(kind, &group.alias, Outcome::Success, String::new());
                Ok(())
            }
            Ok(reply) => Err((kind, Failure::http(&reply))),
            Err(failure) => Err((kind, failure)),
        }
    }

    fn group_failed(&mut self, group: &SourceObject, kind: EventKind, activity: &str, failure: &Failure) {
        let text = format!(
            "Group Push of {} to app {} failed: Error while {activity} group {}: {}",
            group.alias,
            self.settings.label,
            Self::group_name(group),
            failure.text
        );
        self.fail(kind, &group.alias, Operation::SyncGroup(group.id.clone()), text);
    }

    /// Links a group to the app: an imported app group of the same name when "Import Groups"
    /// is on, else the existence check by `displayName`; a POST when there is none. `None`
    /// when it failed (a task is open).
    async fn link_group(&mut self, group: &SourceObject) -> Option<Linked> {
        let name = Self::group_name(group);
        let existing = if self.settings.import_groups {
            self.imported_groups.iter().find(|g| g.name == name).map(|g: &Imported| g.id.clone())
        } else {
            let query = filter_query("displayName", &name, self.options().filter_encoding);
            let request = (Method::GET, "/Groups".to_string(), Some(query), None);
            let found = match self.send(request, EventKind::PushNewGroup, &group.alias).await {
                Ok(reply) if reply.status == 404 => Ok(None),
                Ok(reply) if reply.status == 200 => {
                    list_page::read_answer(&reply.body, self.options().lenient_list_keys)
                        .map(|page| {
                            page.resources.first().and_then(|r| r.get("id")).and_then(Value::as_str).map(str::to_string)
                        })
                        .map_err(Failure::other)
                }
                Ok(reply) => Err(Failure::http(&reply)),
                Err(failure) => Err(failure),
            };
            match found {
                Ok(found) => found,
                Err(failure) => {
                    self.group_failed(group, EventKind::PushNewGroup, "finding", &failure);
                    return None;
                }
            }
        };
        if let Some(target_id) = existing {
            self.links.insert(Link::new(&group.id, ObjectKind::Group, &target_id));
            if let Some(push) = self.pushes.get_mut(&group.id) {
                push.linked_existing = true;
            }
            self.event(
                EventKind::PushNewGroup,
                &group.alias,
                Outcome::Success,
                "linked to an existing app group".into(),
            );
            return Some(Linked::Existing);
        }
        let members =
            if self.options().group_create_with_members { self.pushable_members(group) } else { BTreeSet::new() };
        let body = json!({"schemas": [urn::GROUP], "displayName": name, "members": self.member_values(&members)});
        let request = (Method::POST, "/Groups".to_string(), None, Some(body.into()));
        let failure = match self.send(request, EventKind::PushNewGroup, &group.alias).await {
            Ok(reply) if reply.is_success() => {
                match reply.body.value().and_then(|b| b.get("id")).and_then(Value::as_str) {
                    Some(target_id) => {
                        let mut link = Link::new(&group.id, ObjectKind::Group, target_id);
                        link.members.clone_from(&members);
                        link.exported.insert("displayName".into(), Value::String(name.clone()));
                        self.links.insert(link);
                        // Okta now knows the app group, so a re-push after "leave" links to it
                        // (C9322).
                        let resource = reply.body.value().cloned().unwrap_or(Value::Null);
                        self.imported_groups.push(Imported { id: target_id.to_string(), name, resource });
                        self.event(EventKind::PushNewGroup, &group.alias, Outcome::Success, String::new());
                        return Some(Linked::Created);
                    }
                    None => Failure::other("the created group came back without an id"),
                }
            }
            Ok(reply) => Failure::http(&reply),
            Err(failure) => failure,
        };
        self.group_failed(group, EventKind::PushNewGroup, "creating", &failure);
        None
    }

    /// `DELETE /Groups/{id}`, expecting 204 (any 2xx will do).
    pub(super) async fn delete_group_in_app(&mut self, target_id: &str, alias: &str) {
        let operation = Operation::DeleteGroup { target_id: target_id.to_string(), alias: alias.to_string() };
        let request = (Method::DELETE, format!("/Groups/{target_id}"), None, None);
        let failure = match self.send(request, EventKind::DeleteGroup, alias).await {
            Ok(reply) if reply.is_success() => return self.succeed(EventKind::DeleteGroup, alias, &operation),
            Ok(reply) => Failure::http(&reply),
            Err(failure) => failure,
        };
        let text = format!(
            "Group Push of {alias} to app {} failed: Error while deleting group {alias}: {}",
            self.settings.label, failure.text
        );
        self.fail(EventKind::DeleteGroup, alias, operation, text);
    }
}
