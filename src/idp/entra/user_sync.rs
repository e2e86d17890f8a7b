//! Provisioning one user (entra-wire.md §1.0–§1.8): match or create, read-then-diff update,
//! disable, delete, and the reference pass that sets managers once they exist.

use std::collections::BTreeSet;
use std::sync::Arc;

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::idp::app::{Mapping, TargetAttribute, TargetType};
use crate::idp::directory::{ObjectKind, SourceObject};
use crate::idp::mapping::{self, Flow, MappingError};
use crate::scim::get_path;
use crate::target::AnswerBody;

use super::dialect::{self, Change, ChangeKind};
use super::mapped_targets::MappedTarget;
use super::matching::Match;
use super::provisioning_log::{Action, ErrorCode, ModifiedProperty, Status};
use super::tenant::{Abort, EntraTenant, InScope, READ_BACK, Subject, deleted_or_blocked, view};

/// The value a mapping wants a target attribute to have.
#[derive(Debug, Clone)]
pub(super) struct Desired {
    /// Where it goes: the target path, parsed, and the target attribute.
    pub(super) target: Arc<MappedTarget>,
    /// The value, typed by the attribute list; `Null` when the source has none.
    pub(super) value: Value,
}

/// Converts a mapped value to the attribute list's type: Entra's expressions yield strings
/// ("True"), the wire wants typed JSON (`"active": true` in POST, entra-wire.md §1.2). In
/// place: every mapping of every user passes through, and most values (nulls, strings for
/// string attributes) stay as they are.
fn make_typed(attribute: &TargetAttribute, value: &mut Value, wrap_multi: bool) {
    match value {
        Value::Null => {}
        // A multi-valued source feeding a single-valued target sends its first value [Inf].
        Value::Array(items) if !attribute.multi_valued => {
            *value = std::mem::take(items).into_iter().next().unwrap_or(Value::Null);
            make_typed(attribute, value, wrap_multi);
        }
        // Multi-valued custom attributes travel as [{"value": …}] (entra-wire.md §3.3).
        Value::Array(items) => {
            for item in items {
                make_scalar(attribute.kind, item);
                if wrap_multi && let Value::String(s) = item {
                    *item = json!({"value": std::mem::take(s)});
                }
            }
        }
        other => make_scalar(attribute.kind, other),
    }
}

fn make_scalar(kind: TargetType, value: &mut Value) {
    let typed = match (kind, &*value) {
        (TargetType::Boolean, Value::String(s)) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        (TargetType::Boolean, Value::String(s)) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        (TargetType::Integer, Value::String(s)) if s.trim().parse::<i64>().is_ok() => {
            json!(s.trim().parse::<i64>().unwrap_or_default())
        }
        (TargetType::Decimal, Value::String(s)) if s.trim().parse::<f64>().is_ok() => {
            json!(s.trim().parse::<f64>().unwrap_or_default())
        }
        (TargetType::String | TargetType::DateTime | TargetType::Binary, Value::Bool(b)) => {
            Value::String(if *b { "True" } else { "False" }.into())
        }
        (TargetType::String | TargetType::DateTime | TargetType::Binary, Value::Number(n)) => {
            Value::String(n.to_string())
        }
        _ => return,
    };
    *value = typed;
}

/// True for values that count as "no value": absent, null, empty string, empty array.
fn empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        _ => false,
    }
}

/// The `value`s of a multi-valued attribute's elements.
fn element_values(value: Option<&Value>) -> BTreeSet<String> {
    let Some(Value::Array(items)) = value else { return BTreeSet::new() };
    items
        .iter()
        .filter_map(|item| match item {
            Value::Object(o) => o.get("value").map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)),
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        })
        .collect()
}

/// The elements of `desired` whose `value` the target's list lacks.
fn missing_elements(current: Option<&Value>, desired: &Value) -> Value {
    let present = element_values(current);
    let Value::Array(items) = desired else { return desired.clone() };
    let lacking = |item: &&Value| !element_values(Some(&Value::Array(vec![(*item).clone()]))).is_subset(&present);
    Value::Array(items.iter().filter(lacking).cloned().collect())
}

/// Whether the target already holds what the mapping wants. Booleans equal their string
/// spellings and numbers their digits; multi-valued attributes compare their `value`s.
fn same(current: Option<&Value>, desired: &Value) -> bool {
    match (current, desired) {
        (_, Value::Array(_)) => element_values(current) == element_values(Some(desired)),
        (Some(Value::Bool(a)), Value::String(b)) | (Some(Value::String(b)), Value::Bool(a)) => {
            b.eq_ignore_ascii_case(if *a { "true" } else { "false" })
        }
        (Some(Value::Number(a)), Value::String(b)) | (Some(Value::String(b)), Value::Number(a)) => a.to_string() == *b,
        (Some(current), desired) => current == desired,
        (None, desired) => empty(Some(desired)),
    }
}

/// The reference a target attribute holds: a bare id or `{"value": id}`.
fn reference_id(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(o) => o.get("value").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string),
        _ => None,
    }
}

impl EntraTenant {
    /// Evaluates the mappings of `kind` that flow now (all of them on creation, `Always` ones
    /// on updates) for `object`. Group `members` and, on demand, app roles are left out.
    pub(super) fn desired(&self, object: &SourceObject, creating: bool) -> Result<Vec<Desired>, MappingError> {
        let list = self.mapping_of(object.kind);
        let targets = self.targets_of(object.kind);
        let source = view(self, object);
        let wrap = self.options().wrap_multi_valued_custom;
        let mut out = Vec::with_capacity(list.mappings.len());
        for (position, m) in list.mappings.iter().enumerate() {
            let members = object.kind == ObjectKind::Group && m.target.eq_ignore_ascii_case("members");
            let roles_on_demand = self.on_demand && m.target.eq_ignore_ascii_case("roles");
            if !mapping::flows(m, creating) || members || roles_on_demand {
                continue;
            }
            let Some(target) = targets.get(position) else { continue };
            let value = match mapping::evaluate(m, &source, creating)? {
                Flow::Ignore => continue,
                Flow::Value(mut v) => {
                    make_typed(&target.attribute, &mut v, wrap);
                    v
                }
            };
            out.push(Desired { target: Arc::clone(target), value });
        }
        Ok(out)
    }

    /// Processes one user in a cycle.
    pub(super) async fn sync_user(&mut self, id: &str) -> Result<(), Abort> {
        let link = self.links.get(id).map(|l| (l.target_id.clone(), l.managed));
        let Some(user) = self.directory.shared(id) else {
            // Hard-deleted in the source: DELETE, unless the user was no longer managed (it
            // was unassigned first, entra-wire.md §1.7) or deletes are off.
            if let Some((target_id, managed)) = link {
                let subject = Subject { kind: ObjectKind::User, source_id: id, alias: id, target_id: Some(&target_id) };
                if managed && self.app.users.actions.delete {
                    self.delete_object(&subject, format!("/Users/{target_id}")).await?;
                } else {
                    self.links.remove(id);
                }
            }
            return Ok(());
        };
        let scope = self.user_scope(&user);
        // `IsSoftDeleted`, from the scope just worked out.
        let soft_deleted = scope != InScope::Yes || deleted_or_blocked(&user);
        let Some((target_id, managed)) = link else {
            if let InScope::No(reason) = scope {
                self.record(
                    &Subject::of(&user, None),
                    Action::Other,
                    Status::Skipped,
                    None,
                    format!("not provisioned: {reason}"),
                    Vec::new(),
                );
                return Ok(());
            }
            if soft_deleted {
                // HOW "Known limitations": provisioning a disabled user isn't supported.
                self.record(
                    &Subject::of(&user, None),
                    Action::Other,
                    Status::Skipped,
                    None,
                    "not provisioned: the user is disabled or deleted in Entra ID".into(),
                    Vec::new(),
                );
                return Ok(());
            }
            return self.match_or_create(&user).await;
        };
        let in_scope = scope == InScope::Yes;
        if !managed && !in_scope {
            return Ok(());
        }
        if !in_scope && self.settings.skip_out_of_scope_deletions {
            self.record(
                &Subject::of(&user, Some(&target_id)),
                Action::Disable,
                Status::Skipped,
                None,
                "SkipOutOfScopeDeletions is set".into(),
                Vec::new(),
            );
            if let Some(link) = self.links.get_mut(id) {
                link.managed = false;
            }
            return Ok(());
        }
        if soft_deleted && self.app.users.mapping("active").is_none() {
            // No soft-delete support in the mapping: deprovisioning deletes (HOW).
            if self.app.users.actions.delete {
                let subject = Subject::of(&user, Some(&target_id));
                self.delete_object(&subject, format!("/Users/{target_id}")).await?;
            }
            return Ok(());
        }
        self.update_user(&user, &target_id, None).await
    }

    /// `DELETE`s a user or group and forgets its link (entra-wire.md §1.7, §1.12). A 404 counts
    /// as done [Inf: nothing documents it].
    pub(super) async fn delete_object(&mut self, subject: &Subject<'_>, path: String) -> Result<(), Abort> {
        if self.exchange(subject, Action::Delete, (Method::DELETE, path, None, None), &[200, 204, 404]).await?.is_some()
        {
            self.links.remove(subject.source_id);
            self.escrows.clear(subject.source_id);
            self.record(subject, Action::Delete, Status::Success, None, String::new(), Vec::new());
        }
        Ok(())
    }

    /// Matches the user on each matching attribute in precedence order and updates it when
    /// found; otherwise creates it, if the Create action is on (entra-wire.md §1.0, §1.2).
    async fn match_or_create(&mut self, user: &SourceObject) -> Result<(), Abort> {
        let subject = Subject::of(user, None);
        let desired = match self.desired(user, true) {
            Ok(desired) => desired,
            Err(e) => {
                self.fail(&subject, Action::Create, ErrorCode::ExpressionEvaluationFailure, e.to_string());
                return Ok(());
            }
        };
        match self.find_match(user, &desired).await? {
            Match::Linked { target_id, current } => self.update_user(user, &target_id, Some(current)).await,
            Match::Failed => Ok(()),
            Match::None if !self.app.users.actions.create => {
                // Matching still links existing users; only creation is off [Inf].
                let reason = "the Create target object action is off".to_string();
                self.record(&subject, Action::Create, Status::Skipped, None, reason, Vec::new());
                Ok(())
            }
            Match::None => self.create(user, desired).await,
        }
    }

    /// Reads the linked user (`GET /Users/{id}`) unless `current` is given, and PATCHes what
    /// differs: `Add` where the target has no value, `Replace` otherwise; a cleared source
    /// attribute sends nothing (entra-wire.md §1.3, §1.4). Disables need the Delete action,
    /// other changes the Update action.
    async fn update_user(
        &mut self,
        user: &SourceObject,
        target_id: &str,
        current: Option<Map<String, Value>>,
    ) -> Result<(), Abort> {
        let subject = Subject::of(user, Some(target_id));
        let in_scope = self.user_scope(user) == InScope::Yes;
        let current = match current {
            Some(current) => current,
            None => {
                let request = (Method::GET, format!("/Users/{target_id}"), None, None);
                let Some(reply) = self.exchange(&subject, Action::Update, request, &[200]).await? else {
                    return Ok(());
                };
                reply.body.value().and_then(Value::as_object).cloned().unwrap_or_default()
            }
        };
        self.seen.insert(user.id.clone(), AnswerBody::from(Value::Object(current.clone())));
        let desired = match self.desired(user, false) {
            Ok(desired) => desired,
            Err(e) => {
                self.fail(&subject, Action::Update, ErrorCode::ExpressionEvaluationFailure, e.to_string());
                return Ok(());
            }
        };
        let actions = self.app.users.actions;
        let mut changes: Vec<(Change, Option<Value>)> = Vec::new();
        for d in desired.iter().filter(|d| d.target.attribute.kind != TargetType::Reference) {
            if empty(Some(&d.value)) {
                continue;
            }
            let old = get_path(&current, &d.target.parsed).cloned();
            if same(old.as_ref(), &d.value) {
                continue;
            }
            let disabling = d.target.path.eq_ignore_ascii_case("active") && d.value == Value::Bool(false);
            if !(if disabling { actions.delete } else { actions.update }) {
                continue;
            }
            // Multi-valued attributes get an `Add` of the elements the target lacks: roles as
            // JSON-encoded strings (AppRoleAssignmentsComplex), custom lists as {"value": …}
            // (entra-wire.md §1.3, §3.3). Nothing documents removals; none are sent [Inf].
            let value = if d.target.path.eq_ignore_ascii_case("roles") {
                self.role_patch_values(user, old.as_ref(), &d.value)
            } else if d.target.attribute.multi_valued {
                missing_elements(old.as_ref(), &d.value)
            } else {
                d.value.clone()
            };
            if empty(Some(&value)) {
                continue;
            }
            let multi_valued = d.target.attribute.multi_valued;
            let kind = if empty(old.as_ref()) || multi_valued { ChangeKind::Add } else { ChangeKind::Replace };
            let mergeable = d.target.parsed.filter.is_none() && !multi_valued;
            changes.push((Change { kind, path: String::from(&*d.target.path), value, mergeable }, old));
        }
        if changes.is_empty() {
            self.finish_update(&user.id, in_scope);
            return Ok(());
        }
        let disabling =
            changes.iter().any(|(c, _)| c.path.eq_ignore_ascii_case("active") && c.value == Value::Bool(false));
        let operations = dialect::user_operations(
            self.dialect(),
            self.options(),
            &changes.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>(),
        );
        let request =
            (Method::PATCH, format!("/Users/{target_id}"), None, Some(dialect::patch_body(operations).into()));
        let action = if disabling { Action::Disable } else { Action::Update };
        let Some(reply) = self.exchange(&subject, action, request, &[200, 204]).await? else { return Ok(()) };
        if reply.body.value().is_some_and(Value::is_object) {
            self.seen.insert(user.id.clone(), reply.body);
        }
        let read_back = changes.iter().find(|(c, _)| c.path == READ_BACK);
        if let (Some(link), Some((change, _))) = (self.links.get_mut(&user.id), read_back) {
            link.exported.insert(READ_BACK.into(), change.value.clone());
        }
        self.finish_update(&user.id, in_scope);
        let modified =
            changes.into_iter().map(|(c, old)| ModifiedProperty { name: c.path.into(), old, new: c.value }).collect();
        self.record(&subject, action, Status::Success, None, String::new(), modified);
        Ok(())
    }

    /// After a successful update: the escrow is done, and a user that left scope is no longer
    /// managed (entra-wire.md §1.7).
    fn finish_update(&mut self, source_id: &str, in_scope: bool) {
        self.escrows.clear(source_id);
        if let Some(link) = self.links.get_mut(source_id) {
            link.managed = in_scope;
        }
    }

    /// The PATCH values for app roles the target lacks: each role as a JSON-encoded string in
    /// `value` (AppRoleAssignmentsComplex, entra-wire.md §1.3).
    fn role_patch_values(&self, user: &SourceObject, current: Option<&Value>, desired: &Value) -> Value {
        let present = element_values(current);
        let assignments = self.assignments_of(user);
        let Value::Array(roles) = desired else { return Value::Null };
        let added: Vec<Value> = roles
            .iter()
            .filter_map(|role| {
                let value = role.get("value")?.as_str()?;
                if present.contains(value) {
                    return None;
                }
                let id = assignments.iter().find(|a| a.value.as_deref() == Some(value)).map(|a| a.role_id.clone());
                let encoded = json!({"id": id, "value": value, "displayName": role.get("display")});
                Some(json!({"value": encoded.to_string()}))
            })
            .collect();
        Value::Array(added)
    }

    /// Sets reference attributes (the enterprise `manager`) once the referenced user has a
    /// target id, after the users of the cycle are done (entra-wire.md §1.3, HOW initial
    /// cycle step 6). `only` limits the pass to some users (provision on demand).
    pub(super) async fn sync_references(&mut self, only: Option<&BTreeSet<String>>) -> Result<(), Abort> {
        let targets = self.targets_of(ObjectKind::User);
        let references: Vec<(Mapping, Option<Arc<MappedTarget>>)> = self
            .app
            .users
            .mappings
            .iter()
            .enumerate()
            .filter(|(_, m)| self.app.users.attribute(&m.target).is_some_and(|a| a.kind == TargetType::Reference))
            .map(|(position, m)| (m.clone(), targets.get(position).cloned()))
            .collect();
        if references.is_empty() {
            return Ok(());
        }
        let mut users: Vec<Arc<SourceObject>> = self
            .links
            .iter()
            .filter(|l| l.kind == ObjectKind::User && l.managed && only.is_none_or(|o| o.contains(&l.source_id)))
            .filter_map(|l| self.directory.shared(&l.source_id))
            .filter(|u| !self.is_soft_deleted(u))
            .collect();
        users.sort_by_key(|u| u.created);
        let users_url = format!("{}/Users", self.client.config().trimmed_base_url());
        for user in users {
            for (reference, target) in &references {
                let Ok(Flow::Value(Value::String(manager))) = mapping::evaluate(reference, &view(self, &user), false)
                else {
                    continue;
                };
                let Some(manager_id) = self.links.get(&manager).filter(|l| l.managed).map(|l| l.target_id.clone())
                else {
                    continue;
                };
                let Some(link) = self.links.get(&user.id).cloned() else { continue };
                let parsed = target.as_ref().map(|t| &t.parsed);
                let read = self
                    .seen
                    .get(&user.id)
                    .and_then(|seen| seen.value()?.as_object())
                    .zip(parsed)
                    .and_then(|(doc, p)| reference_id(get_path(doc, p)));
                let exported = reference_id(link.exported.get(&reference.target));
                if read.as_deref().or(exported.as_deref()) == Some(manager_id.as_str()) {
                    if let Some(link) = self.links.get_mut(&user.id) {
                        link.exported.insert(reference.target.clone(), Value::String(manager_id.clone()));
                    }
                    continue;
                }
                let kind = if read.is_none() && exported.is_none() { ChangeKind::Add } else { ChangeKind::Replace };
                let operation =
                    dialect::manager_operation(self.dialect(), self.options(), kind, &manager_id, &users_url);
                let subject = Subject::of(&user, Some(&link.target_id));
                let request = (
                    Method::PATCH,
                    format!("/Users/{}", link.target_id),
                    None,
                    Some(dialect::patch_body(vec![operation]).into()),
                );
                if self.exchange(&subject, Action::Update, request, &[200, 204]).await?.is_some() {
                    if let Some(link) = self.links.get_mut(&user.id) {
                        link.exported.insert(reference.target.clone(), Value::String(manager_id.clone()));
                    }
                    let modified = vec![ModifiedProperty {
                        name: reference.target.as_str().into(),
                        old: read.or(exported).map(Value::String),
                        new: Value::String(manager_id),
                    }];
                    self.record(&subject, Action::Update, Status::Success, None, String::new(), modified);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(kind: TargetType, multi: bool) -> TargetAttribute {
        TargetAttribute { multi_valued: multi, ..TargetAttribute::new("x", kind) }
    }

    fn typed(attribute: &TargetAttribute, mut value: Value, wrap_multi: bool) -> Value {
        make_typed(attribute, &mut value, wrap_multi);
        value
    }

    #[test]
    fn typing_follows_the_attribute_list() {
        assert_eq!(typed(&attribute(TargetType::Boolean, false), json!("True"), true), json!(true));
        assert_eq!(typed(&attribute(TargetType::Boolean, false), json!("False"), true), json!(false));
        assert_eq!(typed(&attribute(TargetType::Integer, false), json!("42"), true), json!(42));
        assert_eq!(typed(&attribute(TargetType::String, false), json!(true), true), json!("True"));
        assert_eq!(typed(&attribute(TargetType::String, false), json!(7), true), json!("7"));
        assert_eq!(typed(&attribute(TargetType::Decimal, false), json!(" 1.5 "), true), json!(1.5));
        assert_eq!(
            typed(&attribute(TargetType::Boolean, false), json!("yes"), true),
            json!("yes"),
            "unreadable: as is"
        );
        assert_eq!(typed(&attribute(TargetType::Boolean, false), json!(["true", "x"]), true), json!(true));
        assert_eq!(typed(&attribute(TargetType::String, false), json!([]), true), Value::Null);
        assert_eq!(
            typed(&attribute(TargetType::Integer, true), json!(["1", "x"]), true),
            json!([1, {"value": "x"}]),
            "each element typed, strings wrapped"
        );
        assert_eq!(
            typed(&attribute(TargetType::String, false), json!(["SMTP:a@b", "smtp:c@d"]), true),
            json!("SMTP:a@b")
        );
        assert_eq!(
            typed(&attribute(TargetType::String, true), json!(["1", "2"]), true),
            json!([{"value": "1"}, {"value": "2"}])
        );
        assert_eq!(typed(&attribute(TargetType::String, true), json!(["1"]), false), json!(["1"]));
        assert_eq!(
            typed(&attribute(TargetType::String, true), json!([{"value": "Admin"}]), true),
            json!([{"value": "Admin"}])
        );
    }

    #[test]
    fn sameness() {
        assert!(same(Some(&json!(true)), &json!(true)));
        assert!(same(Some(&json!("True")), &json!(true)));
        assert!(!same(Some(&json!(true)), &json!(false)));
        assert!(same(Some(&json!("a")), &json!("a")));
        assert!(!same(Some(&json!("a")), &json!("A")), "values are compared exactly");
        assert!(same(None, &json!([])));
        assert!(same(Some(&json!([{"value": "1"}])), &json!([{"value": "1"}])));
        assert!(!same(None, &json!("x")));
    }

    #[test]
    fn only_missing_elements_are_added() {
        let current = json!([{"value": "1"}]);
        assert_eq!(missing_elements(Some(&current), &json!([{"value": "1"}, {"value": "2"}])), json!([{"value": "2"}]));
        assert_eq!(missing_elements(None, &json!([{"value": "1"}])), json!([{"value": "1"}]));
    }

    /// A tenant on a target nothing listens on (`desired` sends nothing) with one user.
    fn tenant_with_user() -> (EntraTenant, String) {
        use crate::target::{Auth, TargetClient, TargetConfig};
        let settings = super::super::Settings::new("http://127.0.0.1:9/scim");
        let options = super::super::Options::default();
        let client = TargetClient::new(TargetConfig::new(settings.base_url(&options).0, Auth::None)).unwrap();
        let mut tenant = EntraTenant::new(client, settings, options);
        let attributes = [("displayName", "Alice Smith"), ("department", "Retail"), ("mail", "alice@contoso.com")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let id = tenant.directory.add_user("alice", attributes).unwrap();
        (tenant, id)
    }

    /// What the mappings want for the user, by target path.
    fn wanted(tenant: &EntraTenant, id: &str) -> Vec<(String, Value)> {
        let user = tenant.directory.get(id).unwrap();
        tenant.desired(user, true).unwrap().into_iter().map(|d| (d.target.path.to_string(), d.value)).collect()
    }

    #[test]
    fn an_edited_mapping_is_sent_to_its_new_target() {
        let (mut tenant, id) = tenant_with_user();
        let department = format!("{}:department", crate::scim::urn::ENTERPRISE_USER);
        let before = wanted(&tenant, &id);
        assert!(before.contains(&(department.clone(), json!("Retail"))), "{before:?}");
        assert!(before.contains(&("displayName".to_string(), json!("Alice Smith"))), "{before:?}");
        // Mid-scenario, `When the mapping …`: the department now flows to title, and the first
        // mapping goes, so every later mapping moves up one place.
        tenant.edit_app(|app| {
            let mapping = app.users.mappings.iter_mut().find(|m| m.target == department).unwrap();
            mapping.target = "title".into();
            app.users.mappings.remove(0);
        });
        let after = wanted(&tenant, &id);
        assert!(after.contains(&("title".to_string(), json!("Retail"))), "{after:?}");
        assert!(after.iter().all(|(path, _)| *path != department && path != "userName"), "{after:?}");
        assert!(after.contains(&("displayName".to_string(), json!("Alice Smith"))), "{after:?}");
        assert_eq!(after.len(), before.len() - 1);
    }

    #[test]
    fn an_edited_attribute_list_decides_what_flows() {
        let (mut tenant, id) = tenant_with_user();
        tenant.edit_app(|app| app.users.attributes.retain(|a| a.name != "displayName"));
        assert!(wanted(&tenant, &id).iter().all(|(path, _)| path != "displayName"));
        tenant.put_attribute(ObjectKind::User, TargetAttribute::new("displayName", TargetType::String));
        assert!(wanted(&tenant, &id).contains(&("displayName".to_string(), json!("Alice Smith"))));
        // A mapping put to a target replaces the one there: the new source flows.
        let mail = Mapping::new(crate::idp::app::MappingSource::Direct("mail".into()), "displayName");
        tenant.put_mapping(ObjectKind::User, mail).unwrap();
        assert!(wanted(&tenant, &id).contains(&("displayName".to_string(), json!("alice@contoso.com"))));
    }

    #[test]
    fn references() {
        assert_eq!(reference_id(Some(&json!("m1"))), Some("m1".into()));
        assert_eq!(reference_id(Some(&json!({"value": "m1", "$ref": "x"}))), Some("m1".into()));
        assert_eq!(reference_id(Some(&json!(""))), None);
        assert_eq!(reference_id(None), None);
    }
}
