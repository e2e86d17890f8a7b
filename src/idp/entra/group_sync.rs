//! Provisioning groups and their members (entra-wire.md §1.9–§1.12): match by
//! `displayName` without members, create empty, add and remove members by PATCH from Entra's
//! own record of what it exported (it never reads members back), rename, delete.

use std::collections::BTreeSet;
use std::sync::Arc;

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::idp::directory::{ObjectKind, SourceObject};
use crate::idp::link::Link;
use crate::scim::get_path;

use super::dialect::{self, Change, ChangeKind};
use super::matching::{Match, WITHOUT_MEMBERS};
use super::provisioning_log::{Action, ErrorCode, ModifiedProperty, Status};
use super::tenant::{Abort, EntraTenant, InScope, Subject};

impl EntraTenant {
    /// Processes one group in a cycle.
    pub(super) async fn sync_group(&mut self, id: &str) -> Result<(), Abort> {
        let link = self.links.get(id).cloned();
        let group = self.directory.shared(id);
        let in_scope = group.as_ref().is_some_and(|g| self.group_in_scope(g));
        match (group, link) {
            (group, Some(link)) if !in_scope => {
                // Deleted in Entra, or unassigned from the app: DELETE (entra-wire.md §1.12).
                let subject = match &group {
                    Some(g) => Subject::of(g, Some(&link.target_id)),
                    None => {
                        Subject { kind: ObjectKind::Group, source_id: id, alias: id, target_id: Some(&link.target_id) }
                    }
                };
                if link.managed && self.app.groups.actions.delete {
                    self.delete_object(&subject, format!("/Groups/{}", link.target_id)).await?;
                } else if group.is_none() {
                    self.links.remove(id);
                }
                Ok(())
            }
            (Some(group), None) if in_scope => {
                if self.app.groups.actions.create {
                    self.match_or_create_group(&group).await
                } else {
                    self.record(
                        &Subject::of(&group, None),
                        Action::Create,
                        Status::Skipped,
                        None,
                        "the Create target object action is off".into(),
                        Vec::new(),
                    );
                    Ok(())
                }
            }
            (Some(group), Some(link)) => self.update_group(&group, &link.target_id, None).await,
            _ => Ok(()),
        }
    }

    async fn match_or_create_group(&mut self, group: &SourceObject) -> Result<(), Abort> {
        let desired = match self.desired(group, true) {
            Ok(desired) => desired,
            Err(e) => {
                self.fail(
                    &Subject::of(group, None),
                    Action::Create,
                    ErrorCode::ExpressionEvaluationFailure,
                    e.to_string(),
                );
                return Ok(());
            }
        };
        match self.find_match(group, &desired).await? {
            Match::Linked { target_id, current } => self.update_group(group, &target_id, Some(current)).await,
            Match::Failed => Ok(()),
            Match::None => self.create(group, desired).await,
        }
    }

    /// Reads the group without members and PATCHes changed attributes: a rename is a
    /// `Replace` of `displayName` (entra-wire.md §1.11).
    async fn update_group(
        &mut self,
        group: &SourceObject,
        target_id: &str,
        current: Option<Map<String, Value>>,
    ) -> Result<(), Abort> {
        let subject = Subject::of(group, Some(target_id));
        let current = match current {
            Some(current) => current,
            None => match self.read_group(&subject, target_id).await? {
                Some(current) => current,
                None => return Ok(()),
            },
        };
        let desired = match self.desired(group, false) {
            Ok(desired) => desired,
            Err(e) => {
                self.fail(&subject, Action::Update, ErrorCode::ExpressionEvaluationFailure, e.to_string());
                return Ok(());
            }
        };
        if !self.app.groups.actions.update {
            return Ok(());
        }
        let dialect = self.dialect();
        let mut operations = Vec::new();
        let mut others = Vec::new();
        let mut modified = Vec::new();
        for d in &desired {
            if matches!(&d.value, Value::Null) || d.value == "" {
                continue;
            }
            let old = get_path(&current, &d.target.parsed).cloned();
            if old.as_ref() == Some(&d.value) {
                continue;
            }
            if d.target.path.eq_ignore_ascii_case("displayName") {
                operations.extend(dialect::rename_operations(
                    dialect,
                    self.options(),
                    d.value.as_str().unwrap_or_default(),
                ));
            } else {
                let kind = if old.as_ref().is_none_or(Value::is_null) { ChangeKind::Add } else { ChangeKind::Replace };
                others.push(Change {
                    kind,
                    path: String::from(&*d.target.path),
                    value: d.value.clone(),
                    mergeable: d.target.parsed.filter.is_none(),
                });
            }
            modified.push(ModifiedProperty { name: Arc::clone(&d.target.path), old, new: d.value.clone() });
        }
        operations.extend(dialect::user_operations(dialect, self.options(), &others));
        if operations.is_empty() {
            self.escrows.clear(&group.id);
            return Ok(());
        }
        let request =
            (Method::PATCH, format!("/Groups/{target_id}"), None, Some(dialect::patch_body(operations).into()));
        if self.exchange(&subject, Action::Update, request, &[200, 204]).await?.is_some() {
            self.escrows.clear(&group.id);
            self.record(&subject, Action::Update, Status::Success, None, String::new(), modified);
        }
        Ok(())
    }

    /// `GET /Groups/{id}?excludedAttributes=members`; `None` when it failed (logged).
    async fn read_group(
        &mut self,
        subject: &Subject<'_>,
        target_id: &str,
    ) -> Result<Option<Map<String, Value>>, Abort> {
        let request = (Method::GET, format!("/Groups/{target_id}"), Some(WITHOUT_MEMBERS.to_string()), None);
        let Some(reply) = self.exchange(subject, Action::Update, request, &[200]).await? else { return Ok(None) };
        let current = reply.body.value().and_then(Value::as_object).cloned().unwrap_or_default();
        self.seen.insert(subject.source_id.to_string(), reply.body);
        Ok(Some(current))
    }

    /// Brings each provisioned group's members in line with its provisioned user members:
    /// `Add` batches, then removals in the dialect's form (entra-wire.md §1.10). Nested
    /// groups are not provisioned (KNOWN). `only` limits the pass to one group.
    pub(super) async fn sync_memberships(&mut self, only: Option<&str>) -> Result<(), Abort> {
        let mut groups: Vec<(SourceObject, Link)> = self
            .links
            .iter()
            .filter(|l| l.kind == ObjectKind::Group && l.managed && only.is_none_or(|o| o == l.source_id))
            .filter_map(|l| Some((self.directory.get(&l.source_id)?.clone(), l.clone())))
            .filter(|(g, _)| self.group_in_scope(g))
            .collect();
        groups.sort_by_key(|(g, _)| g.created);
        let batch = self.options().member_batch_size.max(1);
        for (group, link) in groups {
            if !self.app.groups.actions.update {
                break;
            }
            let desired: BTreeSet<String> = group
                .members
                .iter()
                .filter(|m| {
                    let provisioned =
                        self.links.get(m.as_str()).is_some_and(|l| l.kind == ObjectKind::User && l.managed);
                    provisioned && self.directory.get(m).is_some_and(|u| self.user_scope(u) == InScope::Yes)
                })
                .cloned()
                .collect();
            let added: Vec<String> = desired.difference(&link.members).cloned().collect();
            let removed: Vec<String> = link.members.difference(&desired).cloned().collect();
            // A removed member whose user is gone from the target needs no request.
            let (removed, forgotten): (Vec<String>, Vec<String>) =
                removed.into_iter().partition(|m| self.links.get(m).is_some());
            if let Some(link) = self.links.get_mut(&group.id) {
                for m in &forgotten {
                    link.members.remove(m);
                }
            }
            if added.is_empty() && removed.is_empty() {
                continue;
            }
            let subject = Subject::of(&group, Some(&link.target_id));
            if !self.seen.contains_key(&group.id) && self.read_group(&subject, &link.target_id).await?.is_none() {
                continue;
            }
            let dialect = self.dialect();
            for (members, adding) in [(added, true), (removed, false)] {
                for chunk in members.chunks(batch) {
                    let ids: Vec<String> =
                        chunk.iter().filter_map(|m| self.links.target_of(m).map(str::to_string)).collect();
                    let operations = if adding {
                        vec![dialect::add_members_operation(dialect, &ids)]
                    } else {
                        dialect::remove_members_operations(dialect, self.options(), &ids)
                    };
                    let request = (
                        Method::PATCH,
                        format!("/Groups/{}", link.target_id),
                        None,
                        Some(dialect::patch_body(operations).into()),
                    );
                    if self.exchange(&subject, Action::Update, request, &[200, 204]).await?.is_none() {
                        continue;
                    }
                    if let Some(link) = self.links.get_mut(&group.id) {
                        for m in chunk {
                            if adding {
                                link.members.insert(m.clone());
                            } else {
                                link.members.remove(m);
                            }
                        }
                    }
                    let verb = if adding { "added" } else { "removed" };
                    let modified =
                        vec![ModifiedProperty { name: "members".into(), old: None, new: json!({ verb: ids }) }];
                    self.record(&subject, Action::Update, Status::Success, None, String::new(), modified);
                }
            }
        }
        Ok(())
    }
}
