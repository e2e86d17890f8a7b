//! Provisioning one user (okta-wire.md §1.3–§1.9): the app-user profile evaluated from the
//! mappings, the existence check, create or link, the GET-then-PUT profile push (or PATCH),
//! deactivation, reactivation and password sync, each method as the app kind says.

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::idp::directory::{Lifecycle, ObjectKind, SourceObject};
use crate::idp::link::Link;
use crate::idp::mapping::{self, Flow};

use super::body::{Profile, Renderer, patch_op, typed};
use super::envelope::filter_query;
use super::id::placeholder_password;
use super::list_page;
use super::org::{AppUser, Failure, OktaOrg};
use super::profile_editor::Scope;
use super::settings::AppKind;
use super::source_view::SourceView;
use super::task_log::{EventKind, Operation, Outcome};

/// The app's answer to a user existence check.
enum Found {
    /// A user: its id.
    Yes(String),
    /// No user (an empty ListResponse, or 404).
    No,
    /// The check failed; a task is open.
    Failed,
}

impl OktaOrg {
    /// The app-user profile of `user`: each mapping evaluated (create-only ones only when
    /// `creating`; otherwise they keep their value, okta-wire.md §3.3), then each unmapped
    /// attribute from the user's assignment, else from a group assignment (C9291, C9309).
    pub(super) fn evaluate(&self, user: &SourceObject, creating: bool) -> Result<Profile, String> {
        let previous = self.app_users.get(&user.id).map(|a| &a.profile);
        let groups: Vec<(&str, &str)> = self
            .directory
            .groups_of(&user.id)
            .filter(|g| g.lifecycle == Lifecycle::Active)
            .map(|g| (g.id.as_str(), g.attributes.get("name").and_then(Value::as_str).unwrap_or(&g.alias)))
            .collect();
        let status = self.status_of(&user.id).name();
        let view = SourceView { user, status, app_user: previous, groups };
        let slots = self.attribute_slots();
        let stored = slots.stored_values(user);
        // Each value with its variable's rank in key order.
        let mut values: Vec<(usize, &str, Value)> = Vec::with_capacity(slots.slots.len());
        for ((attribute, _), slot) in self.profile.iter().zip(&slots.slots) {
            let variable = attribute.variable();
            let value = match slot.mapping.and_then(|m| self.mappings.get(m)) {
                Some(m) if !mapping::flows(m, creating) => continue,
                Some(m) => match slot.reads.flow(m, &stored, &view, creating).map_err(|e| e.to_string())? {
                    Flow::Value(v) => v,
                    Flow::Ignore => continue,
                },
                None => match self.assigned_value(user, variable, attribute.scope) {
                    Some(v) => v,
                    None => continue,
                },
            };
            // Null stays null whatever the type.
            let value = if value.is_null() { value } else { typed(attribute, value) };
            if !attribute.allows(&value) {
                return Err(format!("{value} is not one of the allowed values of the app-user attribute {variable}"));
            }
            // A null value is no key: an attribute never set in Okta is null (okta-wire.md
            // §1.5), bodies leave nulls out (`Renderer::writes`), and every reader of a profile
            // takes a missing key for null. Most attributes of most users are null. Over a
            // previous profile, a null removes the key.
            if !value.is_null() || previous.is_some() {
                values.push((slot.rank, variable, value));
            }
        }
        // In key order, the profile is built without searching: sorting by rank compares
        // numbers, where the map's own sort would compare the names.
        values.sort_unstable_by_key(|(rank, ..)| *rank);
        Ok(match previous {
            None => values.into_iter().map(|(_, variable, value)| (variable.to_string(), value)).collect(),
            Some(previous) => {
                let mut profile = previous.clone();
                for (_, variable, value) in values {
                    if value.is_null() {
                        profile.remove(variable);
                    } else {
                        profile.insert(variable.to_string(), value);
                    }
                }
                profile
            }
        })
    }

    /// A value set on the user's own assignment, else on the first assigned group that has
    /// one.
    fn assigned_value(&self, user: &SourceObject, variable: &str, scope: Scope) -> Option<Value> {
        let own = (scope == Scope::Personal || !user.assignments.is_empty())
            .then(|| self.assignment_values.get(&user.id).and_then(|v| v.get(variable)))
            .flatten();
        own.or_else(|| {
            self.directory
                .groups_of(&user.id)
                .filter(|g| !g.assignments.is_empty())
                .find_map(|g| self.assignment_values.get(&g.id).and_then(|v| v.get(variable)))
        })
        .cloned()
    }

    /// Brings the app in line with one user: provision an assigned user who is not linked,
    /// reactivate one the app has inactive, push a changed profile, deactivate one no longer
    /// assigned or active.
    pub(super) async fn sync_user(&mut self, id: &str) {
        let Some(user) = self.directory.shared(id) else { return };
        let linked = self.links.get(id).is_some();
        let active = self.app_users.get(id).is_some_and(|a| a.active);
        if self.wants_active(&user) {
            match (linked, active) {
                (false, _) => self.provision(&user).await,
                (true, false) => self.reactivate_in_app(&user).await,
                (true, true) => self.refresh(&user).await,
            }
        } else if linked && active {
            self.deactivate_in_app(id).await;
        }
    }

    /// The message prefix of a failed provisioning task (REF20's "Create new user returned
    /// empty user" message).
    fn provisioning_failed(&self, user: &SourceObject, activity: &str, failure: &Failure) -> String {
        format!(
            "Automatic provisioning of user {} to app {} failed: Error while {activity}: {}",
            Self::login_of(user),
            self.settings.label,
            failure.text
        )
    }

    /// A first assignment: the existence check, then a link to the user found or a POST.
    async fn provision(&mut self, user: &SourceObject) {
        let operation = Operation::Provision(user.id.clone());
        if self.log.tasks().iter().any(|t| t.operation == operation) {
            // A failed provisioning waits for "Retry Selected".
            return;
        }
        if !self.settings.create_users {
            self.event(EventKind::NoRequest, &user.alias, Outcome::Skipped, "Create Users is off for the app".into());
            return;
        }
        let profile = match self.evaluate(user, true) {
            Ok(profile) => profile,
            Err(message) => {
                let failure = Failure::other(message);
                let text = self.provisioning_failed(user, "evaluating the app-user profile", &failure);
                return self.fail(EventKind::PushNewUser, &user.alias, operation, text);
            }
        };
        // The app user keeps its password (a re-provisioning sends the one sent before); a new
        // one gets the placeholder. One search of the app users for both.
        let app_user = self
            .app_users
            .entry(user.id.clone())
            .or_insert_with(|| AppUser { password: placeholder_password(&user.id), ..AppUser::default() });
        (app_user.profile, app_user.active) = (profile.clone(), false);
        match self.find(user, &profile, &operation).await {
            Found::Failed => {}
            Found::Yes(target_id) => {
                // A match is linked, then gets the user's profile (KB "Existing SCIM User
                // Being Created at Assignment").
                self.links.insert(Link::new(&user.id, ObjectKind::User, &target_id));
                if let Some(app_user) = self.app_users.get_mut(&user.id) {
                    app_user.active = true;
                }
                self.succeed(EventKind::VerifyUserExists, &user.alias, &operation);
                self.push_profile(&user.id).await;
                self.catch_up_groups(&user.id).await;
            }
            Found::No => {
                self.create(user, profile, &operation).await;
            }
        }
    }

    /// `GET /Users?filter=<unique identifier> eq "…"&startIndex=1&count=100`: 404 or an empty
    /// ListResponse mean no user (REF20).
    async fn find(&mut self, user: &SourceObject, profile: &Profile, operation: &Operation) -> Found {
        let activity = || format!("verifying if user {} exists", Self::login_of(user));
        let unique = self.settings.unique_identifier.clone();
        let attribute = match self.filter_attribute_of(&unique) {
            Ok(attribute) => attribute,
            Err(e) => {
                let text = self.provisioning_failed(user, &activity(), &Failure::other(e.to_string()));
                self.fail(EventKind::VerifyUserExists, &user.alias, operation.clone(), text);
                return Found::Failed;
            }
        };
        let value = match profile.get(&unique) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                let failure = Failure::other(format!("the app user has no {unique}"));
                let text = self.provisioning_failed(user, &activity(), &failure);
                self.fail(EventKind::VerifyUserExists, &user.alias, operation.clone(), text);
                return Found::Failed;
            }
        };
        let query = filter_query(&attribute, &value, self.options().filter_encoding);
        let request = (Method::GET, "/Users".to_string(), Some(query), None);
        let failure = match self.send(request, EventKind::VerifyUserExists, &user.alias).await {
            Ok(reply) if reply.status == 404 => return self.none_found(&user.alias, &attribute, &value),
            Ok(reply) if reply.status == 200 => {
                match list_page::read_answer(&reply.body, self.options().lenient_list_keys) {
                    Ok(page) => match page.resources.first().and_then(|r| r.get("id")).and_then(Value::as_str) {
                        Some(id) => return Found::Yes(id.to_string()),
                        None if page.resources.is_empty() => return self.none_found(&user.alias, &attribute, &value),
                        None => Failure::other("the user found has no id"),
                    },
                    Err(reason) => Failure::other(reason),
                }
            }
            Ok(reply) => Failure::http(&reply),
            Err(failure) => failure,
        };
        let text = self.provisioning_failed(user, &activity(), &failure);
        self.fail(EventKind::VerifyUserExists, &user.alias, operation.clone(), text);
        Found::Failed
    }

    /// Logs an existence check that found nothing (a 404 or an empty ListResponse, both "not
    /// found" for Okta, REF20).
    fn none_found(&mut self, alias: &str, attribute: &str, value: &str) -> Found {
        // Written rather than formatted: a load run logs one per user.
        let message = ["no user with ", attribute, " ", value, " in the app"].concat();
        self.event(EventKind::VerifyUserExists, alias, Outcome::Success, message);
        Found::No
    }

    /// `POST /Users` with the app-user profile, `externalId`, `groups: []`, the placeholder
    /// password and `active: true` (REF20); the id in the answer becomes the link.
    async fn create(&mut self, user: &SourceObject, profile: Profile, operation: &Operation) {
        let activity = || format!("creating user {}", Self::display_of(user));
        let password = self.app_users.get(&user.id).map_or("", |a| a.password.as_str());
        let renderer = Renderer { editor: &self.profile, options: self.envelope.options() };
        let body = self.body_templates.create_body(&renderer, &profile, &user.id, password);
        let request = (Method::POST, "/Users".to_string(), None, Some(body));
        let failure = match self.send(request, EventKind::PushNewUser, &user.alias).await {
            // Only the id is read: the rest of the new user is not decoded.
            Ok(reply) if reply.body.is_empty() && reply.is_success() => {
                Failure::other("Create new user returned empty user.")
            }
            Ok(reply) if reply.is_success() => match reply.body.id() {
                Some(target_id) => {
                    let mut link = Link::new(&user.id, ObjectKind::User, target_id);
                    link.exported = profile;
                    self.links.insert(link);
                    if let Some(app_user) = self.app_users.get_mut(&user.id) {
                        app_user.active = true;
                    }
                    self.succeed(EventKind::PushNewUser, &user.alias, operation);
                    self.catch_up_groups(&user.id).await;
                    return;
                }
                None => Failure::other("Create new user returned a user without an id."),
            },
            Ok(reply) => Failure::http(&reply),
            Err(failure) => failure,
        };
        // The documented empty-body message has no "Errors reported" part (REF20).
        let text = self.provisioning_failed(user, &activity(), &failure);
        self.fail(EventKind::PushNewUser, &user.alias, operation.clone(), text);
    }

    /// Re-evaluates a linked, active user's profile and pushes it when it changed.
    async fn refresh(&mut self, user: &SourceObject) {
        let profile = match self.evaluate(user, false) {
            Ok(profile) => profile,
            Err(message) => {
                let text = self.provisioning_failed(user, "evaluating the app-user profile", &Failure::other(message));
                return self.fail(EventKind::PushProfile, &user.alias, Operation::PushProfile(user.id.clone()), text);
            }
        };
        let Some(app_user) = self.app_users.get_mut(&user.id) else { return };
        if app_user.profile == profile {
            return;
        }
        app_user.profile = profile;
        self.push_profile(&user.id).await;
    }

    /// Re-evaluates every active app user's profile and returns their ids.
    pub(super) fn reevaluate_all(&mut self) -> Vec<String> {
        let ids: Vec<String> = self
            .app_users
            .iter()
            .filter(|(id, a)| a.active && self.links.get(id.as_str()).is_some())
            .map(|(id, _)| id.clone())
            .collect();
        let mut updated = Vec::new();
        for id in ids {
            let Some(user) = self.directory.shared(&id) else { continue };
            match self.evaluate(&user, false) {
                Ok(profile) => {
                    if let Some(app_user) = self.app_users.get_mut(&id) {
                        app_user.profile = profile;
                    }
                    updated.push(id);
                }
                Err(message) => {
                    let text =
                        self.provisioning_failed(&user, "evaluating the app-user profile", &Failure::other(message));
                    self.fail(EventKind::PushProfile, &user.alias, Operation::PushProfile(id), text);
                }
            }
        }
        updated
    }

    /// "Apply updates now": every active app user's profile is re-evaluated and pushed,
    /// changed or not (okta-wire.md §3.4).
    pub(super) async fn apply_updates_now(&mut self) {
        for id in self.reevaluate_all() {
            self.push_profile(&id).await;
        }
    }

    /// Force Sync: the mappings are reconciled into every app-user profile, and only users
    /// whose profile differs from what was last pushed successfully get a push (okta-wire.md
    /// §3.4).
    pub async fn force_sync(&mut self) {
        for id in self.reevaluate_all() {
            let pushed = self.links.get(&id).map(|l| &l.exported);
            let current = self.app_users.get(&id).map(|a| &a.profile);
            if pushed != current {
                self.push_profile(&id).await;
            }
        }
    }

    /// The body of a PUT from the user as the app holds it: `GET /Users/{id}`, then the
    /// profile written over it (REF20 §"Update a specific User (PUT)").
    async fn read_for_put(
        &mut self,
        target_id: &str,
        kind: EventKind,
        alias: &str,
    ) -> Result<Map<String, Value>, Failure> {
        let request = (Method::GET, format!("/Users/{target_id}"), None, None);
        let reply = self.send(request, kind, alias).await?;
        if reply.status != 200 {
            return Err(Failure::http(&reply));
        }
        match reply.body.into_value() {
            Some(Value::Object(resource)) => Ok(resource),
            _ => Err(Failure::other(format!("GET /Users/{target_id} returned no JSON object"))),
        }
    }

    /// A full-object update: GET, the profile written over the answer, then PUT. `active`
    /// and `password` go in when given.
    async fn get_then_put(
        &mut self,
        user: &SourceObject,
        kind: EventKind,
        active: Option<bool>,
        password: Option<String>,
    ) -> Result<(), Failure> {
        let Some(target_id) = self.links.target_of(&user.id).map(str::to_string) else {
            return Err(Failure::other("the app user has no external id"));
        };
        let resource = self.read_for_put(&target_id, kind, &user.alias).await?;
        let profile = self.app_users.get(&user.id).map(|a| a.profile.clone()).unwrap_or_default();
        let body = self.renderer().put_body(resource, &profile, password.as_deref(), active);
        let request = (Method::PUT, format!("/Users/{target_id}"), None, Some(body.into()));
        let reply = self.send(request, kind, &user.alias).await?;
        if reply.is_success() { Ok(()) } else { Err(Failure::http(&reply)) }
    }

    /// A path-less `replace` PATCH with `value` (REF20's deactivation shape).
    async fn patch_user(&mut self, user: &SourceObject, kind: EventKind, body: Value) -> Result<(), Failure> {
        let Some(target_id) = self.links.target_of(&user.id).map(str::to_string) else {
            return Err(Failure::other("the app user has no external id"));
        };
        let request = (Method::PATCH, format!("/Users/{target_id}"), None, Some(body.into()));
        let reply = self.send(request, kind, &user.alias).await?;
        if reply.is_success() { Ok(()) } else { Err(Failure::http(&reply)) }
    }

    /// The password `put_body` carries: the one Okta last sent, when
    /// [`Options::password_in_put`](super::Options::password_in_put).
    fn put_password(&self, id: &str) -> Option<String> {
        self.options().password_in_put.then(|| self.app_users.get(id).map(|a| a.password.clone())).flatten()
    }

    /// Pushes the app-user profile: GET then PUT of the full profile (OIN, AIW), or a PATCH
    /// ("Support PATCH for User"), when "Update User Attributes" is on.
    pub(super) async fn push_profile(&mut self, id: &str) {
        let Some(user) = self.directory.shared(id) else { return };
        let operation = Operation::PushProfile(id.to_string());
        if !self.settings.update_user_attributes {
            self.event(
                EventKind::NoRequest,
                &user.alias,
                Outcome::Skipped,
                "Update User Attributes is off for the app".into(),
            );
            return;
        }
        let profile = self.app_users.get(id).map(|a| a.profile.clone()).unwrap_or_default();
        let result = match self.settings.kind {
            AppKind::OinPatchForUser => {
                let body = self.renderer().patch_body(&profile);
                self.patch_user(&user, EventKind::PushProfile, body).await
            }
            AppKind::Oin | AppKind::Aiw => {
                let password = self.put_password(id);
                self.get_then_put(&user, EventKind::PushProfile, None, password).await
            }
        };
        match result {
            Ok(()) => {
                if let Some(link) = self.links.get_mut(id) {
                    link.exported = profile;
                }
                self.succeed(EventKind::PushProfile, &user.alias, &operation);
            }
            Err(failure) => {
                let activity = format!("updating user {}", Self::display_of(&user));
                let text = self.provisioning_failed(&user, &activity, &failure);
                self.fail(EventKind::PushProfile, &user.alias, operation, text);
            }
        }
    }

    /// Deactivation (unassignment, Okta deactivation): a path-less PATCH replace
    /// `{"active": false}` (OIN), or GET then PUT with `"active": false` (AIW). A failure —
    /// a 501 to the PATCH included — makes a Deprovision task; there is no PUT fallback
    /// (okta-wire.md §1.6).
    pub(super) async fn deactivate_in_app(&mut self, id: &str) {
        let Some(user) = self.directory.shared(id) else { return };
        if !self.settings.deactivate_users {
            self.event(
                EventKind::NoRequest,
                &user.alias,
                Outcome::Skipped,
                "Deactivate Users is off for the app".into(),
            );
            return;
        }
        let result = self.set_active(&user, false, EventKind::PushDeactivation).await;
        let operation = Operation::Deactivate(id.to_string());
        match result {
            Ok(()) => self.succeed(EventKind::PushDeactivation, &user.alias, &operation),
            Err(failure) => {
                let text = format!(
                    "Automatic deprovisioning of user {} from app {} failed: Error while deactivating user {}: {}",
                    Self::login_of(&user),
                    self.settings.label,
                    Self::display_of(&user),
                    failure.text
                );
                self.fail(EventKind::PushDeactivation, &user.alias, operation, text);
            }
        }
    }

    /// Sets `active` in the app: PATCH for OIN apps, GET then PUT for AIW apps.
    async fn set_active(&mut self, user: &SourceObject, active: bool, kind: EventKind) -> Result<(), Failure> {
        let result = if self.settings.kind.patches() {
            self.patch_user(user, kind, patch_op(vec![json!({"op": "replace", "value": {"active": active}})])).await
        } else {
            let password = self.put_password(&user.id);
            self.get_then_put(user, kind, Some(active), password).await
        };
        if result.is_ok()
            && let Some(app_user) = self.app_users.get_mut(&user.id)
        {
            app_user.active = active;
        }
        result
    }

    /// Re-assignment or reactivation of a linked user (okta-wire.md §1.8): the existence
    /// check, the reactivation (PATCH `{"active": true}` [INFERRED by symmetry], or PUT for
    /// AIW), then a profile push. A user the check does not find is created anew — which a
    /// server hiding inactive users answers with 409 (FIELD, §1.3).
    async fn reactivate_in_app(&mut self, user: &SourceObject) {
        let operation = Operation::Reactivate(user.id.clone());
        if self.options().reassign_verifies {
            let profile = match self.evaluate(user, false) {
                Ok(profile) => profile,
                Err(message) => {
                    let text =
                        self.provisioning_failed(user, "evaluating the app-user profile", &Failure::other(message));
                    return self.fail(EventKind::PushReactivation, &user.alias, operation, text);
                }
            };
            if let Some(app_user) = self.app_users.get_mut(&user.id) {
                app_user.profile = profile.clone();
            }
            match self.find(user, &profile, &operation).await {
                Found::Failed => return,
                Found::No => {
                    self.links.remove(&user.id);
                    return self.create(user, profile, &operation).await;
                }
                Found::Yes(target_id) => {
                    if self.links.target_of(&user.id) != Some(target_id.as_str()) {
                        self.links.insert(Link::new(&user.id, ObjectKind::User, &target_id));
                    }
                    self.event(EventKind::VerifyUserExists, &user.alias, Outcome::Success, String::new());
                }
            }
        }
        match self.set_active(user, true, EventKind::PushReactivation).await {
            Ok(()) => {
                self.succeed(EventKind::PushReactivation, &user.alias, &operation);
                if let Ok(profile) = self.evaluate(user, false)
                    && let Some(app_user) = self.app_users.get_mut(&user.id)
                {
                    app_user.profile = profile;
                }
                self.push_profile(&user.id).await;
                self.catch_up_groups(&user.id).await;
            }
            Err(failure) => {
                let activity = format!("reactivating user {}", Self::display_of(user));
                let text = self.provisioning_failed(user, &activity, &failure);
                self.fail(EventKind::PushReactivation, &user.alias, operation, text);
            }
        }
    }

    /// Password sync: a path-less PATCH replace `{"password": …}` for OIN apps (its body is
    /// undocumented, okta-wire.md §1.9 [UNVERIFIED]), GET then PUT with the password for AIW.
    pub(super) async fn push_password(&mut self, id: &str) {
        let Some(user) = self.directory.shared(id) else { return };
        let Some(password) = self.app_users.get(id).map(|a| a.password.clone()) else { return };
        let operation = Operation::PushPassword(id.to_string());
        let result = if self.settings.kind.patches() {
            self.patch_user(
                &user,
                EventKind::PushPassword,
                patch_op(vec![json!({"op": "replace", "value": {"password": password}})]),
            )
            .await
        } else {
            self.get_then_put(&user, EventKind::PushPassword, None, Some(password)).await
        };
        match result {
            Ok(()) => self.succeed(EventKind::PushPassword, &user.alias, &operation),
            Err(failure) => {
                let activity = format!("pushing the password of user {}", Self::display_of(&user));
                let text = self.provisioning_failed(&user, &activity, &failure);
                self.fail(EventKind::PushPassword, &user.alias, operation, text);
            }
        }
    }
}
