//! An Okta org with one SCIM app: its users and groups, the app-user profile and mappings,
//! and the engine that turns every admin action into the requests Okta sends, at once, on a
//! virtual clock (okta-wire.md §1).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::idp::app::{Apply, Mapping};
use crate::idp::clock::Clock;
use crate::idp::directory::{Assignment, Directory, DirectoryError, Lifecycle, ObjectKind, SourceObject};
use crate::idp::expression_error::ExpressionError;
use crate::idp::link::Links;
use crate::target::{ExchangeMeta, Reply, RequestBody, TargetClient, TargetError, delay_seconds};
use crate::transcript::Transcript;

use super::attribute_slots::AttributeSlots;
use super::body::{Profile, Renderer};
use super::body_template::BodyTemplates;
use super::envelope::Envelope;
use super::expression::Expression;
use super::id::stable_object_id;
use super::profile_editor::{AppUserAttribute, ProfileEditor, ProfileError};
use super::settings::{Options, Settings};
use super::task_log::{Event, EventKind, Operation, Outcome, Task, TaskLog};

/// An Okta user's status (Okta's `user.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserStatus {
    /// `ACTIVE`.
    #[default]
    Active,
    /// `SUSPENDED`: sign-in blocked, app assignments kept (test plan C9295).
    Suspended,
    /// `DEPROVISIONED`: deactivated.
    Deprovisioned,
}

impl UserStatus {
    /// Okta's name of the status.
    pub fn name(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Suspended => "SUSPENDED",
            Self::Deprovisioned => "DEPROVISIONED",
        }
    }
}

/// A user's app user: the app-user profile Okta keeps for the app, and what it last told the
/// app. It outlives an unassignment, so a re-assignment reuses the same app id (C9293).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppUser {
    /// Values by variable name.
    pub profile: Profile,
    /// Whether the app has the user active, as far as Okta knows.
    pub active: bool,
    /// The password Okta last sent: the create placeholder, or a synced one.
    pub password: String,
}

/// "Save" on a mapping edit: whether the new mappings are pushed to every user now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyUpdates {
    /// "Apply updates now": a profile push for every assigned user (okta-wire.md §3.4).
    Now,
    /// "Do not apply updates": each user gets the new mappings at their next change.
    Later,
}

/// What "Unlink pushed group" does in the app (okta-wire.md §1.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlink {
    /// "Delete the group in the target app": `DELETE /Groups/{id}`.
    DeleteInApp,
    /// "Leave the group in the target app": nothing is sent.
    LeaveInApp,
}

/// A group pushed to the app (Push Groups tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupPush {
    /// Active, or deactivated (changes are held, C9319).
    pub active: bool,
    /// Changes were held while deactivated.
    pub pending: bool,
    /// Linked to a group that already existed in the app (C9315, C9330).
    pub linked_existing: bool,
}

/// A user or group read by an import.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The app's id.
    pub id: String,
    /// `userName` or `displayName`.
    pub name: String,
    /// The whole resource as read.
    pub resource: Value,
}

/// What an import read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// Resources read.
    pub scanned: usize,
    /// Of those, the active ones taken in (inactive users are not, CONCEPT).
    pub imported: usize,
    /// Of those, the ones not linked to an Okta user or group yet.
    pub new: usize,
}

/// An admin action that cannot be done, with the fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OrgError {
    /// An alias that is not in the directory, or is taken.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    /// A Profile Editor mistake.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// An expression that does not parse.
    #[error("the mapping to {variable:?}: {error}")]
    Expression {
        /// The app-user variable mapped to.
        variable: String,
        /// What is wrong.
        error: ExpressionError,
    },
    /// An Okta user needs a login.
    #[error("the Okta user {alias:?} has no login; add a `login` attribute (or an `email`, used as the login)")]
    NoLogin {
        /// The user.
        alias: String,
    },
    /// Okta cannot push a group that is also assigned to the app.
    #[error(
        "the group {alias:?} is assigned to the app; Okta does not support using the same group for app assignment and Group Push (push another group)"
    )]
    AssignedAndPushed {
        /// The group.
        alias: String,
    },
    /// The group is not pushed.
    #[error("the group {alias:?} is not pushed to the app; push it first (Push Groups → Push Groups)")]
    NotPushed {
        /// The group.
        alias: String,
    },
    /// Okta deletes only deactivated users.
    #[error("the Okta user {alias:?} is {status}; deactivate it before deleting it")]
    NotDeactivated {
        /// The user.
        alias: String,
        /// Its status.
        status: &'static str,
    },
    /// The unique identifier must be a plain attribute.
    #[error(
        "the unique identifier {variable:?} has no plain SCIM attribute to filter on ({reason}); pick an app-user attribute such as userName"
    )]
    UniqueIdentifier {
        /// The variable.
        variable: String,
        /// Why not.
        reason: String,
    },
}

/// Why a request did not do its job, in the words Okta's messages use: `Conflict. Errors
/// reported by remote server: User already exists`.
#[derive(Debug, Clone)]
pub(super) struct Failure {
    /// The text after "Error while …: ".
    pub(super) text: String,
}

impl Failure {
    /// An HTTP status that is not what the operation needs: its reason phrase, then the
    /// server's SCIM `detail` (or body) as Okta quotes it (KB Forest Admin, FAQ26).
    pub(super) fn http(reply: &Reply) -> Self {
        let reason = StatusCode::from_u16(reply.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map_or_else(|| format!("HTTP {}", reply.status), str::to_string);
        let detail = reply.body.value().map(|body| match body.get("detail").and_then(Value::as_str) {
            Some(detail) => detail.to_string(),
            None => body.get("raw").and_then(Value::as_str).map_or_else(|| body.to_string(), str::to_string),
        });
        let text = match detail {
            Some(detail) if !detail.is_empty() => format!("{reason}. Errors reported by remote server: {detail}"),
            _ => format!("{reason}."),
        };
        Self { text }
    }

    /// A failure that is not an HTTP status.
    pub(super) fn other(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }
}

/// An Okta org provisioning into one SCIM app.
#[derive(Debug)]
pub struct OktaOrg {
    pub(super) directory: Directory,
    pub(super) profile: ProfileEditor,
    pub(super) mappings: Vec<Mapping>,
    /// Each app-user attribute's slot, in profile order: worked out once, not for every
    /// attribute of every user evaluated; emptied by each edit of the profile or the
    /// mappings ([`Self::mappings_edited`]).
    attribute_slots: OnceLock<AttributeSlots>,
    pub(super) settings: Settings,
    pub(super) envelope: Envelope,
    pub(super) client: TargetClient,
    pub(super) clock: Clock,
    /// Users: Okta user id → the app's id (the app user's "External ID"). Groups: pushed
    /// group id → the app's group id, with the members last pushed.
    pub(super) links: Links,
    pub(super) app_users: BTreeMap<String, AppUser>,
    /// The statuses of users whose status was changed: a user without an entry is
    /// [`UserStatus::Active`], so adding one (a load batch adds hundreds) hashes and copies
    /// no id for it.
    pub(super) statuses: HashMap<String, UserStatus>,
    /// Values set on assignments, by user or group id, then variable.
    pub(super) assignment_values: HashMap<String, Profile>,
    pub(super) pushes: BTreeMap<String, GroupPush>,
    pub(super) imported_users: Vec<Imported>,
    pub(super) imported_groups: Vec<Imported>,
    pub(super) log: TaskLog,
    pub(super) transcript: Transcript,
    /// The shapes of the creates sent so far, whose bodies are written from templates.
    pub(super) body_templates: BodyTemplates,
    seq: u64,
    scenario: String,
    step: String,
}

impl OktaOrg {
    /// An org whose app provisions through `client` with `settings`, starting with the SCIM
    /// 2.0 template's app-user profile and mappings (okta-wire.md §2.4) and no users. The
    /// client's base URL must be `settings.base_url`.
    pub fn new(client: TargetClient, settings: Settings, options: Options) -> Self {
        Self {
            directory: Directory::default(),
            profile: super::defaults::profile(),
            mappings: super::defaults::mappings(),
            attribute_slots: OnceLock::new(),
            settings,
            envelope: Envelope::new(options),
            client,
            clock: Clock::default(),
            links: Links::default(),
            app_users: BTreeMap::new(),
            statuses: HashMap::new(),
            assignment_values: HashMap::new(),
            pushes: BTreeMap::new(),
            imported_users: Vec::new(),
            imported_groups: Vec::new(),
            log: TaskLog::default(),
            transcript: Transcript::default(),
            body_templates: BodyTemplates::default(),
            seq: 0,
            scenario: String::new(),
            step: String::new(),
        }
    }

    // ----------------------------------------------------------------------------------
    // What the org holds
    // ----------------------------------------------------------------------------------

    /// The org's users and groups.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// Makes the ids of users and groups added from now on unique to `namespace` (see
    /// [`Directory::set_id_namespace`]).
    pub fn set_id_namespace(&mut self, namespace: &str) {
        self.directory.set_id_namespace(namespace);
    }

    /// Makes room for `users` more users, so that adding them does not grow the directory's
    /// tables step by step (a load batch adds hundreds at once).
    pub fn reserve_users(&mut self, users: usize) {
        self.directory.reserve(users);
    }

    /// The app-user profile.
    pub fn profile_editor(&self) -> &ProfileEditor {
        &self.profile
    }

    /// The Okta-to-app mappings, targets being app-user variable names.
    pub fn mappings(&self) -> &[Mapping] {
        &self.mappings
    }

    /// The app's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The options for behaviours the public record leaves open.
    pub fn options(&self) -> &Options {
        self.envelope.options()
    }

    /// Links: users to the app's user ids, pushed groups to the app's group ids.
    pub fn links(&self) -> &Links {
        &self.links
    }

    /// The app user of `alias`, once it was assigned.
    pub fn app_user(&self, alias: &str) -> Option<&AppUser> {
        let id = self.directory.id_of(ObjectKind::User, alias).ok()?;
        self.app_users.get(&id)
    }

    /// The Okta status of `alias`.
    pub fn status(&self, alias: &str) -> Result<UserStatus, OrgError> {
        let id = self.directory.id_of(ObjectKind::User, alias)?;
        Ok(self.status_of(&id))
    }

    /// The Group Push state of a group.
    pub fn push_of(&self, group: &str) -> Option<GroupPush> {
        let id = self.directory.id_of(ObjectKind::Group, group).ok()?;
        self.pushes.get(&id).copied()
    }

    /// The System Log.
    pub fn events(&self) -> &[Event] {
        self.log.events()
    }

    /// Dashboard → Tasks: the failed operations.
    pub fn tasks(&self) -> &[Task] {
        self.log.tasks()
    }

    /// What the last import of users read.
    pub fn imported_users(&self) -> &[Imported] {
        &self.imported_users
    }

    /// The app groups Okta knows: what the last import of groups read, and the groups Group
    /// Push created since.
    pub fn imported_groups(&self) -> &[Imported] {
        &self.imported_groups
    }

    /// Every exchange sent so far, secrets redacted.
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    /// Records the exchanges sent from now on in `transcript`, in place of the one so far: a
    /// load run's [`Transcript::tallied`], which counts them without keeping them.
    pub fn set_transcript(&mut self, transcript: Transcript) {
        self.transcript = transcript;
    }

    /// Every secret the client knows (its credentials, OAuth tokens obtained so far), for
    /// redacting anything else that is printed.
    pub fn redactor(&self) -> crate::transcript::Redactor {
        self.client.redactor()
    }

    /// The virtual time.
    pub fn now(&self) -> Duration {
        self.clock.now()
    }

    /// Lets virtual time pass.
    pub fn advance(&mut self, by: Duration) {
        self.clock.advance(by);
    }

    /// Names the story and step the next exchanges belong to (transcript fields).
    pub fn label(&mut self, scenario: &str, step: &str) {
        scenario.clone_into(&mut self.scenario);
        step.clone_into(&mut self.step);
    }

    // ----------------------------------------------------------------------------------
    // Set-up that sends nothing
    // ----------------------------------------------------------------------------------

    /// Adds an Okta user (status active, assigned to nothing) with Okta profile attributes
    /// (`login`, `firstName`, `lastName`, `email`, …); `login` defaults to `email`. Returns
    /// its `00u…` id.
    pub fn add_user(&mut self, alias: &str, mut attributes: BTreeMap<String, Value>) -> Result<String, OrgError> {
        if !attributes.contains_key("login") {
            let email = attributes.get("email").cloned().ok_or_else(|| OrgError::NoLogin { alias: alias.into() })?;
            attributes.insert("login".into(), email);
        }
        let id = stable_object_id(ObjectKind::User, self.directory.id_namespace(), alias);
        // Active, the status of a user without an entry in `statuses`.
        Ok(self.directory.add_user_with_id(&id, alias, attributes)?)
    }

    /// Adds an Okta group called `name` with members given by alias; the group's alias is
    /// its name. Returns its `00g…` id.
    pub fn add_group(&mut self, name: &str, members: &[&str]) -> Result<String, OrgError> {
        self.add_group_as(name, name, members)
    }

    /// Adds an Okta group known in the story as `alias` and called `name` in Okta (a story's
    /// "Sales" pushed as a run-unique name).
    pub fn add_group_as(&mut self, alias: &str, name: &str, members: &[&str]) -> Result<String, OrgError> {
        let members =
            members.iter().map(|m| self.directory.id_of(ObjectKind::User, m)).collect::<Result<Vec<_>, _>>()?;
        let attributes = BTreeMap::from([("name".to_string(), Value::String(name.into()))]);
        let id = stable_object_id(ObjectKind::Group, self.directory.id_namespace(), alias);
        Ok(self.directory.add_group_with_id(&id, alias, attributes, &members)?)
    }

    /// Adds an attribute to the app-user profile, or replaces the one with its variable name
    /// (Profile Editor). Sends nothing: values reach the app with each user's next push.
    pub fn put_attribute(&mut self, attribute: AppUserAttribute) -> Result<(), OrgError> {
        self.mappings_edited();
        Ok(self.profile.put(attribute)?)
    }

    /// Removes an app-user attribute and its mapping.
    pub fn remove_attribute(&mut self, variable: &str) -> Result<(), OrgError> {
        let removed = self.profile.remove(variable)?;
        self.mappings.retain(|m| !m.target.eq_ignore_ascii_case(removed.variable()));
        self.mappings_edited();
        Ok(())
    }

    /// Sets the "Unique identifier field for users": the app-user variable the existence
    /// check filters on. It needs a plain SCIM attribute (no element selector, no extension).
    pub fn set_unique_identifier(&mut self, variable: &str) -> Result<(), OrgError> {
        self.filter_attribute_of(variable)?;
        self.settings.unique_identifier = self.profile.get(variable)?.variable().to_string();
        Ok(())
    }

    /// The SCIM attribute the existence check of `variable` filters on.
    pub(super) fn filter_attribute_of(&self, variable: &str) -> Result<String, OrgError> {
        let fail = |reason: &str| OrgError::UniqueIdentifier { variable: variable.into(), reason: reason.into() };
        let path = self.profile.path_of(variable).ok_or_else(|| fail("it is not sent to the app"))?;
        if path.filter.is_some() {
            return Err(fail("it selects an element of a multi-valued attribute"));
        }
        Ok(path.to_string())
    }

    /// Edits the app's settings (To App switches, Group Push switches, label).
    pub fn edit_settings(&mut self, edit: impl FnOnce(&mut Settings)) {
        edit(&mut self.settings);
    }

    // ----------------------------------------------------------------------------------
    // Mappings
    // ----------------------------------------------------------------------------------

    /// Maps `expression` (Okta Expression Language, e.g. `user.firstName` or
    /// `String.toLowerCase(user.email)`) to the app-user attribute `variable`, on create and
    /// update or on create only, then saves: "Apply updates now" pushes every assigned user's
    /// profile at once (okta-wire.md §3.4).
    pub async fn put_mapping(
        &mut self,
        variable: &str,
        expression: &str,
        apply: Apply,
        save: ApplyUpdates,
    ) -> Result<(), OrgError> {
        let variable = self.profile.get(variable)?.variable().to_string();
        let parsed = Expression::parse(expression)
            .map_err(|error| OrgError::Expression { variable: variable.clone(), error })?;
        let mapping = Mapping { apply, ..Mapping::new(super::defaults::mapping_source(parsed), variable.clone()) };
        match self.mappings.iter_mut().find(|m| m.target.eq_ignore_ascii_case(&variable)) {
            Some(slot) => *slot = mapping,
            None => self.mappings.push(mapping),
        }
        self.mappings_edited();
        if save == ApplyUpdates::Now {
            self.apply_updates_now().await;
        }
        Ok(())
    }

    /// Removes the mapping to `variable` ("Do not map"); the attribute keeps its value.
    pub fn remove_mapping(&mut self, variable: &str) {
        self.mappings.retain(|m| !m.target.eq_ignore_ascii_case(variable));
        self.mappings_edited();
    }

    /// Each app-user attribute's slot, in profile order, and what they read.
    pub(super) fn attribute_slots(&self) -> &AttributeSlots {
        self.attribute_slots.get_or_init(|| AttributeSlots::new(&self.profile, &self.mappings))
    }

    /// Forgets the attributes' slots, after an edit of the profile or the mappings.
    fn mappings_edited(&mut self) {
        self.attribute_slots = OnceLock::new();
    }

    // ----------------------------------------------------------------------------------
    // Sending
    // ----------------------------------------------------------------------------------

    /// Sends one request and records its exchange. A 429 pauses the task and reschedules it
    /// on the virtual clock: the first wait is `Retry-After` when it is a whole number of
    /// seconds, else 5 minutes; each further 429 doubles it; the tenth 429 fails the task for
    /// good (okta-wire.md §5.1). The paused task resumes at the refused request (a profile
    /// push does not repeat its GET) [INFERRED].
    pub(super) async fn send(
        &mut self,
        request: (Method, String, Option<String>, Option<RequestBody>),
        kind: EventKind,
        subject: &str,
    ) -> Result<Reply, Failure> {
        let (method, path, query, mut body) = request;
        let mut wait = Duration::ZERO;
        let mut attempts = 0;
        loop {
            self.seq += 1;
            let request = self.envelope.request(method.clone(), &path, query.clone(), body.take());
            let meta = ExchangeMeta {
                seq: self.seq,
                idp: "okta".into(),
                dialect: self.settings.kind.name().into(),
                scenario: self.scenario.clone(),
                step: self.step.clone(),
                scheduled_at: self.clock.now(),
            };
            let (result, exchange) = self.client.send(&request, meta).await;
            self.transcript.push(exchange);
            let reply = result.map_err(|e| Failure::other(transport_text(&e)))?;
            // The 429 policy covers provisioning tasks and imports (CONCEPT, §5.1), not the
            // admin's Test Connector Configuration, which just reports the answer.
            if reply.status != 429 || kind == EventKind::TestConnector {
                return Ok(reply);
            }
            attempts += 1;
            if attempts >= self.options().rate_limit_attempts {
                return Err(Failure::other(format!(
                    "Too Many Requests. The task was rate limited {attempts} times and failed; retry it from Dashboard → Tasks"
                )));
            }
            wait = if attempts == 1 {
                retry_after(&reply).unwrap_or(self.options().rate_limit_default_wait)
            } else {
                wait.saturating_mul(2)
            };
            self.event(
                kind,
                subject,
                Outcome::RateLimited,
                format!(
                    "Rate limited by the app (HTTP 429); the task is paused and rescheduled in {} s",
                    wait.as_secs()
                ),
            );
            self.clock.advance(wait);
            body = request.body;
        }
    }

    /// Appends a System Log event; messages are redacted, as they quote the target.
    pub(super) fn event(&mut self, kind: EventKind, subject: &str, outcome: Outcome, message: String) {
        let message = self.client.redact_text(message);
        self.log.push(Event { at: self.clock.now(), kind, subject: subject.to_string(), outcome, message });
    }

    /// Logs a failed operation and opens its task.
    pub(super) fn fail(&mut self, kind: EventKind, subject: &str, operation: Operation, message: String) {
        self.event(kind, subject, Outcome::Failure, message);
        let message = self.log.events().last().map(|e| e.message.clone()).unwrap_or_default();
        self.log.open(subject, &message, operation);
    }

    /// Logs a successful operation and closes its task, if one was open.
    pub(super) fn succeed(&mut self, kind: EventKind, subject: &str, operation: &Operation) {
        self.event(kind, subject, Outcome::Success, String::new());
        self.log.close(operation);
    }

    // ----------------------------------------------------------------------------------
    // Users as Okta sees them
    // ----------------------------------------------------------------------------------

    pub(super) fn status_of(&self, id: &str) -> UserStatus {
        self.statuses.get(id).copied().unwrap_or_default()
    }

    /// Whether a user is assigned to the app, directly or through an assigned group.
    pub(super) fn is_assigned(&self, user: &SourceObject) -> bool {
        !user.assignments.is_empty()
            || self.directory.groups_of(&user.id).any(|g| g.lifecycle == Lifecycle::Active && !g.assignments.is_empty())
    }

    /// Whether the app should have the user active: assigned and not deactivated (nor
    /// suspended, when [`Options::suspend_deactivates`]).
    pub(super) fn wants_active(&self, user: &SourceObject) -> bool {
        let status = self.status_of(&user.id);
        self.is_assigned(user)
            && status != UserStatus::Deprovisioned
            && !(status == UserStatus::Suspended && self.options().suspend_deactivates)
    }

    /// The user's login, for messages.
    pub(super) fn login_of(user: &SourceObject) -> String {
        user.attributes.get("login").and_then(Value::as_str).unwrap_or(&user.alias).to_string()
    }

    /// The user's display name, for messages: first and last name, else the login.
    pub(super) fn display_of(user: &SourceObject) -> String {
        let part = |name: &str| user.attributes.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
        let full = format!("{} {}", part("firstName"), part("lastName"));
        if full.trim().is_empty() { Self::login_of(user) } else { full.trim().to_string() }
    }

    /// The renderer of app-user profiles into request bodies.
    pub(super) fn renderer(&self) -> Renderer<'_> {
        Renderer { editor: &self.profile, options: self.envelope.options() }
    }

    /// The assignment the simulator records: Okta has no app roles, only an assignment.
    pub(super) fn assignment() -> Assignment {
        Assignment::default_access()
    }

    /// Re-runs every failed operation ("Retry Selected" on every task).
    pub async fn retry_tasks(&mut self) {
        for task in self.log.take_tasks() {
            self.run(task.operation).await;
        }
    }

    /// Runs one operation.
    pub(super) async fn run(&mut self, operation: Operation) {
        match operation {
            Operation::Provision(id) | Operation::Reactivate(id) => self.sync_user(&id).await,
            Operation::PushProfile(id) => self.push_profile(&id).await,
            Operation::Deactivate(id) => self.deactivate_in_app(&id).await,
            Operation::PushPassword(id) => self.push_password(&id).await,
            Operation::SyncGroup(id) => self.sync_group(&id, true).await,
            Operation::DeleteGroup { target_id, alias } => self.delete_group_in_app(&target_id, &alias).await,
            Operation::ImportUsers => {
                self.import(ObjectKind::User).await;
            }
            Operation::ImportGroups => {
                self.import(ObjectKind::Group).await;
            }
        }
    }
}

/// A transport failure for Okta's messages: `Read timed out` when no answer came in time (Okta
/// closes the socket after 60 s, FAQ26; the wording is Java's SocketTimeoutException
/// [INFERRED]), with the simulator's own explanation.
fn transport_text(error: &TargetError) -> String {
    match error {
        TargetError::Timeout { .. } => format!("Read timed out ({error})"),
        other => format!("Connection failed ({other})"),
    }
}

/// `Retry-After` as Okta reads it: whole seconds only; absent, a date or anything else means
/// the default wait (okta-wire.md §5.1). A wait above a day is cut to one
/// ([`MAX_RETRY_AFTER`](crate::target::MAX_RETRY_AFTER)).
fn retry_after(reply: &Reply) -> Option<Duration> {
    reply.header("retry-after").as_deref().and_then(delay_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idp::app::{Apply, TargetType};
    use crate::target::{Auth, MAX_RETRY_AFTER, TargetConfig};
    use reqwest::header::RETRY_AFTER;
    use serde_json::json;

    fn reply(status: u16, body: Option<Value>, retry: Option<&str>) -> Reply {
        let headers = retry.map(|r| (RETRY_AFTER, r.parse().unwrap())).into_iter().collect();
        Reply { status, headers, body: body.into(), retry_after: None, elapsed: Duration::ZERO }
    }

    #[test]
    fn failures_read_like_okta_messages() {
        let conflict = reply(409, Some(json!({"detail": "User already exists in the database.", "status": 409})), None);
        assert_eq!(
            Failure::http(&conflict).text,
            "Conflict. Errors reported by remote server: User already exists in the database."
        );
        assert_eq!(Failure::http(&reply(501, None, None)).text, "Not Implemented.");
        let raw = reply(500, Some(json!({"raw": "<html>oops</html>"})), None);
        assert_eq!(
            Failure::http(&raw).text,
            "Internal Server Error. Errors reported by remote server: <html>oops</html>"
        );
    }

    /// An org on an address nothing listens at: evaluating sends nothing.
    fn offline_org() -> OktaOrg {
        let settings = Settings::new("http://127.0.0.1:9/scim/v2", super::super::AppKind::Oin);
        let client = TargetClient::new(TargetConfig::new(settings.base_url.clone(), Auth::None)).unwrap();
        OktaOrg::new(client, settings, Options::default())
    }

    #[tokio::test]
    async fn each_edit_of_the_profile_or_mappings_reaches_the_next_evaluation() {
        let mut okta = offline_org();
        let attributes = [("email", "a@x.test"), ("firstName", "Alice"), ("badge", "B-7"), ("lastName", "Liddell")];
        let id = okta.add_user("alice", attributes.map(|(k, v)| (k.to_string(), json!(v))).into()).unwrap();
        let user = okta.directory.shared(&id).unwrap();
        let first = okta.evaluate(&user, true).unwrap();
        assert_eq!(first.get("givenName"), Some(&json!("Alice")));
        assert_eq!(first.get("badge"), None, "the template has no badge");

        let acme = "urn:example:params:scim:schemas:extension:acme:2.0:User";
        okta.put_attribute(AppUserAttribute::new("badge", TargetType::String, "badge", acme)).unwrap();
        okta.put_mapping("badge", "user.badge", Apply::Always, ApplyUpdates::Later).await.unwrap();
        okta.put_mapping("givenName", "user.lastName", Apply::Always, ApplyUpdates::Later).await.unwrap();
        let second = okta.evaluate(&user, true).unwrap();
        assert_eq!(second.get("badge"), Some(&json!("B-7")));
        assert_eq!(second.get("givenName"), Some(&json!("Liddell")));
        let keys: Vec<&String> = second.keys().collect();
        assert!(keys.is_sorted() && keys.len() == first.len() + 1, "{keys:?}");

        // An expression over an attribute the user lacks is settled once per edit.
        okta.put_mapping("nickName", "user.nickName ?: 'none'", Apply::Always, ApplyUpdates::Later).await.unwrap();
        assert_eq!(okta.evaluate(&user, true).unwrap().get("nickName"), Some(&json!("none")));
        okta.put_mapping("nickName", "user.nickName ?: 'unknown'", Apply::Always, ApplyUpdates::Later).await.unwrap();
        assert_eq!(okta.evaluate(&user, true).unwrap().get("nickName"), Some(&json!("unknown")));

        okta.remove_mapping("badge");
        okta.remove_attribute("givenName").unwrap();
        let third = okta.evaluate(&user, true).unwrap();
        assert_eq!((third.get("badge"), third.get("givenName")), (None, None));
        assert_eq!(third.get("familyName"), Some(&json!("Liddell")));
    }

    #[test]
    fn retry_after_takes_whole_seconds_only() {
        assert_eq!(retry_after(&reply(429, None, Some("30"))), Some(Duration::from_secs(30)));
        assert_eq!(retry_after(&reply(429, None, Some("Wed, 21 Oct 2015 07:28:00 GMT"))), None);
        assert_eq!(retry_after(&reply(429, None, Some("1.5"))), None);
        assert_eq!(retry_after(&reply(429, None, None)), None);
        assert_eq!(retry_after(&reply(429, None, Some("99999999999999999999"))), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after(&reply(429, None, Some("-5"))), None);
    }
}
