//! An Entra tenant with one SCIM provisioning job: its directory, the app's attribute lists
//! and mappings, and the engine that turns changes into the requests Entra sends, cycle by
//! cycle on a virtual clock (entra-wire.md §1, §4).

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use crate::idp::app::{App, Mapping, ObjectMapping, TargetAttribute};
use crate::idp::clock::{Clock, DAY, HOUR};
use crate::idp::directory::{Assignment, Directory, Lifecycle, ObjectKind, SourceObject};
use crate::idp::link::{Escrows, Links};
use crate::target::{AnswerBody, ExchangeMeta, Reply, RequestBody, TargetClient, TargetError};
use crate::transcript::Transcript;

use super::body_template::BodyTemplates;
use super::envelope::{Envelope, filter_pair};
use super::mapped_targets::MappedTargets;
use super::provisioning_log::{Action, ErrorCode, LogEntry, ModifiedProperty, ProvisioningLog, Status};
use super::reset_scope::ResetScope;
use super::scoping::{self, ScopingFilter};
use super::settings::{Dialect, Options, Scope, Settings};
use super::source_view::SourceView;

/// The one value Entra sends and later reads back from its own record of the link rather
/// than from the target's answer: a user's `active`, so that a user already disabled is not
/// disabled again. User creates and updates keep no other sent value in the link, and group
/// updates none (the reference pass keeps the references it reads back).
pub(super) const READ_BACK: &str = "active";

/// The alias of provisioning-log entries about the job itself (quarantine), not one object.
pub const JOB: &str = "(provisioning job)";

/// A job in quarantine (entra-wire.md §4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantine {
    /// When it started.
    pub since: Duration,
    /// Why.
    pub reason: ErrorCode,
    /// What the target answered.
    pub detail: String,
    /// Failed retries since.
    pub retries: u32,
}

/// How a cycle ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CycleOutcome {
    /// Every object was processed (individual failures are in the log and in escrow).
    Completed,
    /// The job is (still) in quarantine.
    Quarantined(ErrorCode),
    /// More disables and deletes than the threshold: nothing was sent, the job waits for
    /// approval (entra-wire.md §1.7, ACCDEL).
    AwaitingDeleteApproval(usize),
    /// Four weeks in quarantine: the job is disabled (entra-wire.md §4.3).
    Disabled,
}

/// What a cycle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleReport {
    /// The cycle's number.
    pub cycle: u32,
    /// True for an initial cycle (everything evaluated), false for an incremental one.
    pub initial: bool,
    /// Virtual time it started at.
    pub started_at: Duration,
    /// How it ended.
    pub outcome: CycleOutcome,
}

/// Why a provision-on-demand request was refused (entra-wire.md §1.13, POD).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OnDemandError {
    /// The object is not in the directory (already hard-deleted).
    #[error("provision on demand needs an object that is still in the directory; {0} is not")]
    Missing(String),
    /// A group with more than 5 members.
    #[error("provision on demand takes a group with at most 5 members; {alias} has {members}")]
    TooManyMembers {
        /// The group.
        alias: String,
        /// Its member count.
        members: usize,
    },
    /// The job could not reach the target or was refused.
    #[error("the test connection failed: {0}")]
    Connection(String),
}

/// A failure that stops the cycle and sends the job to quarantine.
#[derive(Debug, Clone)]
pub(super) struct Abort {
    pub(super) code: ErrorCode,
    pub(super) detail: String,
}

/// The object a request is about, for logging: borrowed from the object being processed, and
/// copied only into the log entries made about it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Subject<'a> {
    pub(super) kind: ObjectKind,
    pub(super) source_id: &'a str,
    pub(super) alias: &'a str,
    pub(super) target_id: Option<&'a str>,
}

impl<'a> Subject<'a> {
    pub(super) fn of(object: &'a SourceObject, target_id: Option<&'a str>) -> Self {
        Self { kind: object.kind, source_id: &object.id, alias: &object.alias, target_id }
    }
}

/// Whether a source user is in scope, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum InScope {
    Yes,
    No(&'static str),
}

/// An Entra ID tenant provisioning into one SCIM app.
#[derive(Debug)]
pub struct EntraTenant {
    /// The tenant's users and groups; change them, then run a cycle.
    pub directory: Directory,
    pub(super) app: App,
    /// The targets of the app's user and group mappings, made again on every edit of the app.
    targets: [MappedTargets; 2],
    pub(super) settings: Settings,
    /// The dialect the Tenant URL selects, read from it when the settings are made or edited
    /// rather than on every request.
    tenant_dialect: Dialect,
    pub(super) scoping_filters: Vec<ScopingFilter>,
    pub(super) envelope: Envelope,
    pub(super) client: TargetClient,
    pub(super) clock: Clock,
    pub(super) links: Links,
    pub(super) escrows: Escrows,
    pub(super) log: ProvisioningLog,
    pub(super) transcript: Transcript,
    watermark: Option<u64>,
    next_cycle_at: Duration,
    pub(super) cycle: u32,
    seq: u64,
    started: bool,
    quarantine: Option<Quarantine>,
    disabled: bool,
    awaiting_approval: Option<usize>,
    deletes_approved: bool,
    pub(super) on_demand: bool,
    scenario: String,
    step: String,
    /// Target representations read or written in the current cycle, by source id, as the
    /// target answered them (decoded when read).
    pub(super) seen: HashMap<String, AnswerBody>,
    /// The shapes creates were written in (made again on every edit of the app).
    pub(super) body_templates: BodyTemplates,
    /// Operations and failures since the quarantine state was last cleared, for the escrow
    /// thresholds (entra-wire.md §4.3); reference attributes (managers, members) apart.
    tally: Tally,
    /// True while the reference pass (managers, members) runs.
    pub(super) in_reference_pass: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    operations: u64,
    reference_operations: u64,
    failures: u64,
    reference_failures: u64,
}

impl EntraTenant {
    /// A tenant whose job provisions through `client` with `settings`, starting with the
    /// default app of a non-gallery SCIM app (entra-wire.md §3.2) and an empty directory.
    /// The client's base URL must be `settings.base_url(&options).0`.
    pub fn new(client: TargetClient, settings: Settings, options: Options) -> Self {
        let (_, tenant_query) = settings.base_url(&options);
        let app = super::defaults::app();
        Self {
            directory: Directory::default(),
            targets: mapped_targets(&app),
            app,
            tenant_dialect: settings.dialect(),
            settings,
            scoping_filters: Vec::new(),
            envelope: Envelope::new(options, tenant_query),
            client,
            clock: Clock::default(),
            links: Links::default(),
            escrows: Escrows::default(),
            log: ProvisioningLog::default(),
            transcript: Transcript::default(),
            watermark: None,
            next_cycle_at: Duration::ZERO,
            cycle: 0,
            seq: 0,
            started: false,
            quarantine: None,
            disabled: false,
            awaiting_approval: None,
            deletes_approved: false,
            on_demand: false,
            scenario: String::new(),
            step: String::new(),
            seen: HashMap::new(),
            body_templates: BodyTemplates::default(),
            tally: Tally::default(),
            in_reference_pass: false,
        }
    }

    /// The job's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The options for behaviours the public record leaves open.
    pub fn options(&self) -> &Options {
        self.envelope.options()
    }

    /// The app's attribute lists and mappings.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// Edits the app. Saving mapping or attribute-list changes starts a new initial cycle
    /// (entra-wire.md §1.14, CUSTOMIZE).
    pub fn edit_app(&mut self, edit: impl FnOnce(&mut App)) {
        edit(&mut self.app);
        self.targets = mapped_targets(&self.app);
        self.body_templates = BodyTemplates::default();
        self.watermark = None;
    }

    /// Changes the job's settings; a change of scope starts a new initial cycle.
    pub fn edit_settings(&mut self, edit: impl FnOnce(&mut Settings)) {
        let scope = self.settings.scope;
        edit(&mut self.settings);
        self.tenant_dialect = self.settings.dialect();
        if self.settings.scope != scope {
            self.watermark = None;
        }
    }

    /// The user scoping filters: a user is in scope when every clause of one of them passes.
    pub fn scoping_filters(&self) -> &[ScopingFilter] {
        &self.scoping_filters
    }

    /// Sets the user scoping filters; saving them starts a new initial cycle (SCOPE).
    pub fn set_scoping_filters(&mut self, filters: Vec<ScopingFilter>) {
        self.scoping_filters = filters;
        self.watermark = None;
    }

    /// Adds an attribute to the attribute list of `kind` ("Edit attribute list for
    /// customappsso", entra-wire.md §3.3), or replaces the one with the same name.
    pub fn put_attribute(&mut self, kind: ObjectKind, attribute: TargetAttribute) {
        self.edit_app(|app| object_mapping_mut(app, kind).put_attribute(attribute));
    }

    /// Adds a mapping (replacing the one to the same target). Like the portal, it refuses a
    /// target that is not in the attribute list.
    pub fn put_mapping(&mut self, kind: ObjectKind, mapping: Mapping) -> Result<(), MappingTargetError> {
        if self.mapping_of(kind).attribute(&mapping.target).is_none() {
            return Err(MappingTargetError { kind: kind.noun(), target: mapping.target });
        }
        if let Err(e) = mapping.target.parse::<crate::scim::PatchPath>() {
            return Err(MappingTargetError { kind: kind.noun(), target: format!("{} ({e})", mapping.target) });
        }
        self.edit_app(|app| object_mapping_mut(app, kind).put_mapping(mapping));
        Ok(())
    }

    /// Names the story and step the next exchanges belong to (transcript fields).
    pub fn label(&mut self, scenario: &str, step: &str) {
        scenario.clone_into(&mut self.scenario);
        step.clone_into(&mut self.step);
    }

    /// The dialect requests are written in: the Tenant URL's, except that provision on demand
    /// always uses the legacy one (entra-wire.md §1.13).
    pub fn dialect(&self) -> Dialect {
        if self.on_demand { Dialect::Legacy } else { self.tenant_dialect }
    }

    /// The virtual time.
    pub fn now(&self) -> Duration {
        self.clock.now()
    }

    /// Lets virtual time pass (e.g. the 30 days before a soft-deleted user is purged).
    pub fn advance(&mut self, by: Duration) {
        self.clock.advance(by);
    }

    /// The object connections.
    pub fn links(&self) -> &Links {
        &self.links
    }

    /// The escrowed operations.
    pub fn escrows(&self) -> &Escrows {
        &self.escrows
    }

    /// The provisioning log.
    pub fn log(&self) -> &ProvisioningLog {
        &self.log
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

    /// The quarantine state, if the job is in quarantine.
    pub fn quarantine(&self) -> Option<&Quarantine> {
        self.quarantine.as_ref()
    }

    /// True once four weeks of quarantine have disabled the job.
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// How many disables and deletes wait for approval, when the accidental-deletion
    /// threshold stopped the job.
    pub fn awaiting_delete_approval(&self) -> Option<usize> {
        self.awaiting_approval
    }

    /// When the next cycle starts.
    pub fn next_cycle_at(&self) -> Duration {
        self.next_cycle_at
    }

    /// Restarts the job (entra-wire.md §1.14); the next cycle starts at once.
    pub fn restart(&mut self, scope: ResetScope) {
        if scope.clears_watermark() {
            self.watermark = None;
        }
        if scope.clears_escrows() {
            self.escrows.reset();
        }
        if scope.clears_quarantine() {
            self.quarantine = None;
            self.disabled = false;
            self.tally = Tally::default();
        }
        if scope.clears_links() {
            self.links.clear();
            self.watermark = None;
        }
        if scope == ResetScope::ForceDeletes {
            self.approve_deletes();
        }
        self.started = false;
        self.next_cycle_at = self.clock.now();
    }

    /// "Allow deletes": the disables and deletes held back by the accidental-deletion
    /// threshold go out in the next cycle.
    pub fn approve_deletes(&mut self) {
        self.deletes_approved = true;
    }

    // ----------------------------------------------------------------------------------
    // Sending
    // ----------------------------------------------------------------------------------

    /// Sends one request, recording its exchange. A 429 is retried after `Retry-After` on the
    /// virtual clock (entra-wire.md §4.2); transport failures come back as errors.
    pub(super) async fn send(
        &mut self,
        method: Method,
        path: &str,
        query: Option<String>,
        body: Option<RequestBody>,
    ) -> Result<Reply, TargetError> {
        let mut throttled = 0;
        let mut body = body;
        loop {
            self.seq += 1;
            let number = (self.cycle, self.seq);
            let request =
                self.envelope.request(method.clone(), path, query.clone(), body.take(), self.clock.now(), number);
            let meta = ExchangeMeta {
                seq: self.seq,
                idp: "entra".into(),
                dialect: self.dialect().name().into(),
                scenario: self.scenario.clone(),
                step: self.step.clone(),
                scheduled_at: self.clock.now(),
            };
            let (result, exchange) = self.client.send(&request, meta).await;
            self.transcript.push(exchange);
            let reply = result?;
            if reply.status == 429 && throttled < self.options().max_throttle_retries {
                throttled += 1;
                let wait = reply.retry_after.unwrap_or(self.options().retry_after_default);
                self.clock.advance(wait);
                body = request.body;
                continue;
            }
            return Ok(reply);
        }
    }

    /// Sends a request about `subject` and sorts out failures: `Ok(Some(reply))` when the
    /// status is one of `ok`; `Ok(None)` when the object failed (logged and escrowed for a
    /// retry in a later cycle); `Err` when the job must stop (401, 403, unreachable target).
    pub(super) async fn exchange(
        &mut self,
        subject: &Subject<'_>,
        action: Action,
        request: (Method, String, Option<String>, Option<RequestBody>),
        ok: &[u16],
    ) -> Result<Option<Reply>, Abort> {
        let (method, path, query, body) = request;
        if self.in_reference_pass {
            self.tally.reference_operations += 1;
        } else {
            self.tally.operations += 1;
        }
        match self.send(method, &path, query, body).await {
            Ok(reply) if ok.contains(&reply.status) => Ok(Some(reply)),
            Ok(reply) if matches!(reply.status, 401 | 403) => {
                Err(Abort { code: ErrorCode::for_status(reply.status), detail: body_text(&reply) })
            }
            Ok(reply) => {
                let code = ErrorCode::for_status(reply.status);
                let detail = format!("StatusCode: {} Web Response: {}", reply.status, body_text(&reply));
                self.fail(subject, action, code, detail);
                Ok(None)
            }
            Err(TargetError::Timeout { .. }) => {
                self.fail(subject, action, ErrorCode::Timeout, "the target did not answer in time".into());
                Ok(None)
            }
            Err(e) => Err(Abort { code: ErrorCode::EncounteredQuarantineException, detail: e.to_string() }),
        }
    }

    /// Logs a failure and puts the object in escrow (entra-wire.md §4.2).
    pub(super) fn fail(&mut self, subject: &Subject<'_>, action: Action, code: ErrorCode, reason: String) {
        if self.in_reference_pass {
            self.tally.reference_failures += 1;
        } else {
            self.tally.failures += 1;
        }
        let options = self.options().clone();
        let now = self.clock.now();
        let escrow = self.escrows.fail(subject.source_id, code.name(), now, |n| options.escrow_backoff(n));
        let reason = format!(
            "{reason}. This operation was retried {} times. It will be retried again at {:?}.",
            escrow.failures - 1,
            escrow.retry_at
        );
        self.record(subject, action, Status::Failure, Some(code), reason, Vec::new());
    }

    /// Appends a log entry.
    pub(super) fn record(
        &mut self,
        subject: &Subject<'_>,
        action: Action,
        status: Status,
        code: Option<ErrorCode>,
        reason: String,
        modified: Vec<ModifiedProperty>,
    ) {
        let entry = self.log_entry(subject, action, status, code, reason, modified);
        self.log.push(entry);
    }

    /// A log entry of the current cycle and time.
    fn log_entry(
        &self,
        subject: &Subject<'_>,
        action: Action,
        status: Status,
        code: Option<ErrorCode>,
        reason: String,
        modified: Vec<ModifiedProperty>,
    ) -> LogEntry {
        LogEntry {
            cycle: self.cycle,
            at: self.clock.now(),
            kind: subject.kind,
            alias: subject.alias.to_string(),
            source_id: subject.source_id.to_string(),
            target_id: subject.target_id.map(str::to_string),
            action,
            status,
            error_code: code,
            // Reasons quote the target's answer, which may echo a secret back.
            reason: self.client.redact_text(reason),
            modified,
        }
    }

    // ----------------------------------------------------------------------------------
    // Scope
    // ----------------------------------------------------------------------------------

    /// The app role assignments a user has, directly or through assigned groups.
    pub(super) fn assignments_of<'d>(&'d self, user: &'d SourceObject) -> Vec<&'d Assignment> {
        let mut all: Vec<&Assignment> = user.assignments.iter().collect();
        for group in self.directory.groups_of(&user.id) {
            if group.lifecycle == Lifecycle::Active {
                for assignment in &group.assignments {
                    if !all.iter().any(|b| b.role_id == assignment.role_id) {
                        all.push(assignment);
                    }
                }
            }
        }
        all
    }

    /// Whether [`EntraTenant::assignments_of`] has any: without collecting them, as every
    /// scope check asks.
    fn is_assigned(&self, user: &SourceObject) -> bool {
        !user.assignments.is_empty()
            || self
                .directory
                .groups_of(&user.id)
                .any(|group| group.lifecycle == Lifecycle::Active && !group.assignments.is_empty())
    }

    /// Whether a user is in scope: assigned (directly or through an assigned group) unless
    /// the job syncs everyone, and passing the scoping filters (entra-wire.md §3.6).
    pub(super) fn user_scope(&self, user: &SourceObject) -> InScope {
        if self.settings.scope == Scope::AssignedOnly && !self.is_assigned(user) {
            return InScope::No("not assigned to the app");
        }
        let view = SourceView::new(user, false, Vec::new());
        if !scoping::passes(&self.scoping_filters, &view) {
            return InScope::No("filtered out by the scoping filters");
        }
        InScope::Yes
    }

    /// Whether a group is provisioned: groups are on, and it is assigned unless the job syncs
    /// everyone.
    pub(super) fn group_in_scope(&self, group: &SourceObject) -> bool {
        self.app.groups.enabled
            && group.lifecycle == Lifecycle::Active
            && (self.settings.scope == Scope::All || !group.assignments.is_empty())
    }

    /// Entra's `IsSoftDeleted` for a user: out of scope, in the recycle bin, or sign-in
    /// blocked (HOW).
    pub(super) fn is_soft_deleted(&self, user: &SourceObject) -> bool {
        self.user_scope(user) != InScope::Yes || deleted_or_blocked(user)
    }

    /// The object mapping of `kind`.
    pub(super) fn mapping_of(&self, kind: ObjectKind) -> &ObjectMapping {
        match kind {
            ObjectKind::User => &self.app.users,
            ObjectKind::Group => &self.app.groups,
        }
    }

    /// The targets of the mappings of `kind`, in the order of [`EntraTenant::mapping_of`]'s.
    pub(super) fn targets_of(&self, kind: ObjectKind) -> &MappedTargets {
        match kind {
            ObjectKind::User => &self.targets[0],
            ObjectKind::Group => &self.targets[1],
        }
    }

    // ----------------------------------------------------------------------------------
    // Cycles
    // ----------------------------------------------------------------------------------

    /// The Test Connection probe (entra-wire.md §1.1): a filter on a random `userName` that
    /// must answer 200 with an empty ListResponse.
    pub async fn test_connection(&mut self) -> Result<(), String> {
        self.probe().await.map_err(|abort| format!("{}: {}", abort.code, abort.detail))
    }

    async fn probe(&mut self) -> Result<(), Abort> {
        let random = crate::idp::directory::stable_guid(&format!("probe-{}-{}", self.cycle, self.seq));
        let query = Some(filter_pair("userName", &random));
        match self.send(Method::GET, "/Users", query, None).await {
            Ok(reply) if reply.status == 200 && reply.body.value().is_some_and(|b| b.get("totalResults").is_some()) => {
                Ok(())
            }
            Ok(reply) => Err(Abort {
                code: if matches!(reply.status, 401 | 403) {
                    ErrorCode::for_status(reply.status)
                } else {
                    ErrorCode::EncounteredQuarantineException
                },
                detail: format!(
                    "HTTP/{} rather than 200 with a ListResponse for GET /Users?filter=userName eq …: {}",
                    reply.status,
                    body_text(&reply)
                ),
            }),
            Err(e) => Err(Abort { code: ErrorCode::EncounteredQuarantineException, detail: e.to_string() }),
        }
    }

    fn enter_quarantine(&mut self, abort: &Abort) {
        let now = self.clock.now();
        let abort = &Abort { code: abort.code, detail: self.client.redact_text(abort.detail.clone()) };
        let retries = match &mut self.quarantine {
            Some(q) => {
                q.retries += 1;
                q.reason = abort.code;
                q.detail.clone_from(&abort.detail);
                q.retries
            }
            None => {
                self.quarantine =
                    Some(Quarantine { since: now, reason: abort.code, detail: abort.detail.clone(), retries: 0 });
                0
            }
        };
        // Retries back off 6 h, 12 h, 24 h, then every 24 h (entra-wire.md §4.3).
        let wait = [6 * HOUR, 12 * HOUR, DAY][retries.min(2) as usize];
        self.next_cycle_at = now + wait;
        // A job-level entry: it concerns no one object.
        let subject = Subject { kind: ObjectKind::User, source_id: "", alias: JOB, target_id: None };
        self.record(
            &subject,
            Action::Other,
            Status::Failure,
            Some(abort.code),
            format!("Quarantine: {}", abort.detail),
            Vec::new(),
        );
    }

    /// Runs the next provisioning cycle at its scheduled virtual time: an initial cycle after
    /// the job starts, a restart, or an edit of mappings or scope; an incremental cycle
    /// otherwise (entra-wire.md §1.14, §4.1).
    pub async fn run_cycle(&mut self) -> CycleReport {
        self.clock.advance_to(self.next_cycle_at);
        self.cycle += 1;
        let initial = self.watermark.is_none();
        let started_at = self.clock.now();
        let report = |cycle, outcome| CycleReport { cycle, initial, started_at, outcome };
        if self.disabled {
            return report(self.cycle, CycleOutcome::Disabled);
        }
        if self.quarantine.as_ref().is_some_and(|q| started_at >= q.since + 28 * DAY) {
            self.disabled = true;
            return report(self.cycle, CycleOutcome::Disabled);
        }
        let retention = self.options().soft_delete_retention;
        self.directory.purge(started_at, retention);
        let interval = self.options().cycle_interval;
        if !self.started || self.quarantine.is_some() || self.options().test_connection_every_cycle {
            if let Err(abort) = self.probe().await {
                self.enter_quarantine(&abort);
                return report(self.cycle, CycleOutcome::Quarantined(abort.code));
            }
            self.started = true;
        }
        let mark = self.directory.mark();
        let users = self.candidate_users(initial);
        let groups = self.candidate_groups(initial);
        let planned = self.planned_deprovisions(&users);
        let count = planned.len();
        let threshold = self.settings.accidental_deletion_threshold;
        if threshold.is_some_and(|t| count > t) && !self.deletes_approved {
            let reason = format!(
                "{count} disables and deletes exceed the accidental-deletion threshold {}",
                threshold.unwrap_or_default()
            );
            // The subjects borrow the directory and links: the entries are made first.
            let staged: Vec<LogEntry> = planned
                .iter()
                .map(|s| self.log_entry(s, Action::StagedDelete, Status::Skipped, None, reason.clone(), Vec::new()))
                .collect();
            for entry in staged {
                self.log.push(entry);
            }
            self.awaiting_approval = Some(count);
            self.next_cycle_at = self.clock.now().saturating_add(interval);
            return report(self.cycle, CycleOutcome::AwaitingDeleteApproval(count));
        }
        self.deletes_approved = false;
        self.awaiting_approval = None;
        self.seen.clear();
        // Each object of the cycle is read or written about once.
        self.seen.reserve(users.len() + groups.len());
        if let Err(abort) = self.process(&users, &groups).await {
            self.enter_quarantine(&abort);
            return report(self.cycle, CycleOutcome::Quarantined(abort.code));
        }
        // A cycle that completes is the way out of quarantine; a passing probe alone is not
        // (entra-wire.md §4.3).
        if self.quarantine.take().is_some() {
            self.tally = Tally::default();
        }
        self.watermark = Some(mark);
        self.next_cycle_at = self.clock.now().max(started_at + interval);
        report(self.cycle, CycleOutcome::Completed)
    }

    async fn process(&mut self, users: &[String], groups: &[String]) -> Result<(), Abort> {
        for id in users {
            self.sync_user(id).await?;
        }
        self.in_reference_pass = true;
        let references = self.sync_references(None).await;
        self.in_reference_pass = false;
        references?;
        // With group provisioning off, groups are left alone, provisioned ones included.
        if self.app.groups.enabled {
            for id in groups {
                self.sync_group(id).await?;
            }
            self.in_reference_pass = true;
            let members = self.sync_memberships(None).await;
            self.in_reference_pass = false;
            members?;
        }
        self.check_escrow_thresholds()
    }

    /// Quarantine when failures pile up: evaluated from 5,000 failures, it trips when more
    /// than 40 % of non-reference operations fail, or beyond 40,000 non-reference or 60,000
    /// failures in all (entra-wire.md §4.3, QUAR).
    fn check_escrow_thresholds(&self) -> Result<(), Abort> {
        let options = self.options();
        let t = self.tally;
        let total = t.failures + t.reference_failures;
        if total < options.quarantine_evaluation_floor {
            return Ok(());
        }
        let ratio = if t.operations == 0 { 0.0 } else { t.failures as f64 / t.operations as f64 };
        if ratio > options.quarantine_failure_ratio
            || t.failures > options.quarantine_non_reference_failures
            || total > options.quarantine_total_failures
        {
            return Err(Abort {
                code: ErrorCode::EncounteredEscrowProportionThreshold,
                detail: format!(
                    "{} of {} operations failed ({} more on reference attributes)",
                    t.failures, t.operations, t.reference_failures
                ),
            });
        }
        Ok(())
    }

    /// Source ids in creation order, each once; objects deleted from the directory but still
    /// linked come last, in id order.
    fn ordered(&self, mut ids: Vec<&str>) -> Vec<String> {
        // Sorted and deduplicated in one go: a set built id by id costs a search per id.
        ids.sort_unstable();
        ids.dedup();
        let mut present = Vec::new();
        let mut gone = Vec::new();
        for id in ids {
            match self.directory.get(id) {
                Some(object) => present.push(object),
                None => gone.push(id),
            }
        }
        present.sort_by_key(|o| o.created);
        present.iter().map(|o| o.id.as_str()).chain(gone).map(str::to_string).collect()
    }

    fn candidate_users(&self, initial: bool) -> Vec<String> {
        let now = self.clock.now();
        let linked_gone =
            self.links.iter().filter(|l| l.kind == ObjectKind::User && self.directory.get(&l.source_id).is_none());
        let mut ids: Vec<&str> = linked_gone.map(|l| l.source_id.as_str()).collect();
        if initial {
            ids.extend(self.directory.objects().filter(|o| o.kind == ObjectKind::User).map(|o| o.id.as_str()));
        } else {
            let mark = self.watermark.unwrap_or_default();
            for object in self.directory.changed_since(mark) {
                match object.kind {
                    ObjectKind::User => ids.push(&object.id),
                    ObjectKind::Group => {
                        ids.extend(object.members.iter().map(String::as_str));
                        if let Some(link) = self.links.get(&object.id) {
                            ids.extend(link.members.iter().map(String::as_str));
                        }
                    }
                }
            }
            ids.extend(self.escrows.due(now));
            // Members of a group deleted in the source lose the scope it gave them.
            for link in
                self.links.iter().filter(|l| l.kind == ObjectKind::Group && self.directory.get(&l.source_id).is_none())
            {
                ids.extend(link.members.iter().map(String::as_str));
            }
        }
        ids.retain(|id| {
            self.directory.get(id).is_none_or(|o| o.kind == ObjectKind::User) && !self.escrows.waiting(id, now)
        });
        self.ordered(ids)
    }

    fn candidate_groups(&self, initial: bool) -> Vec<String> {
        let now = self.clock.now();
        let linked_gone =
            self.links.iter().filter(|l| l.kind == ObjectKind::Group && self.directory.get(&l.source_id).is_none());
        let mut ids: Vec<&str> = linked_gone.map(|l| l.source_id.as_str()).collect();
        let groups = self.directory.objects().filter(|o| o.kind == ObjectKind::Group);
        if initial {
            ids.extend(groups.map(|o| o.id.as_str()));
        } else {
            let mark = self.watermark.unwrap_or_default();
            ids.extend(groups.filter(|o| o.changed > mark).map(|o| o.id.as_str()));
            ids.extend(
                self.escrows.due(now).filter(|id| self.directory.get(id).is_some_and(|o| o.kind == ObjectKind::Group)),
            );
        }
        ids.retain(|id| !self.escrows.waiting(id, now));
        self.ordered(ids)
    }

    /// The disables and deletes a cycle over `users` would send, for the accidental-deletion
    /// threshold.
    fn planned_deprovisions<'s>(&'s self, users: &'s [String]) -> Vec<Subject<'s>> {
        users
            .iter()
            .filter_map(|id| {
                let link = self.links.get(id)?;
                if !link.managed {
                    return None;
                }
                match self.directory.get(id) {
                    None => self.app.users.actions.delete.then(|| Subject {
                        kind: ObjectKind::User,
                        source_id: id,
                        alias: id,
                        target_id: Some(&link.target_id),
                    }),
                    Some(user) => {
                        let leaving = self.user_scope(user) != InScope::Yes;
                        let skipped = leaving && self.settings.skip_out_of_scope_deletions;
                        let active = link.exported.get(READ_BACK).is_none_or(|v| v == &Value::Bool(true));
                        (!skipped && active && self.is_soft_deleted(user))
                            .then(|| Subject::of(user, Some(&link.target_id)))
                    }
                }
            })
            .collect()
    }

    /// Provisions one user, or one group with at most 5 members and its members, at once and
    /// in the legacy dialect whatever the Tenant URL says (entra-wire.md §1.13). App roles are
    /// not provisioned on demand.
    pub async fn provision_on_demand(&mut self, source_id: &str) -> Result<CycleReport, OnDemandError> {
        let object =
            self.directory.get(source_id).cloned().ok_or_else(|| OnDemandError::Missing(source_id.to_string()))?;
        if object.kind == ObjectKind::Group && object.members.len() > 5 {
            return Err(OnDemandError::TooManyMembers { alias: object.alias, members: object.members.len() });
        }
        self.cycle += 1;
        self.on_demand = true;
        self.seen.clear();
        let started_at = self.clock.now();
        let result = async {
            self.probe().await.map_err(|a| OnDemandError::Connection(format!("{}: {}", a.code, a.detail)))?;
            let to_abort = |a: Abort| OnDemandError::Connection(format!("{}: {}", a.code, a.detail));
            let only: BTreeSet<String> = match object.kind {
                ObjectKind::User => BTreeSet::from([object.id.clone()]),
                ObjectKind::Group => object.members.iter().cloned().collect(),
            };
            for id in self.ordered(only.iter().map(String::as_str).collect()) {
                self.sync_user(&id).await.map_err(to_abort)?;
            }
            self.sync_references(Some(&only)).await.map_err(to_abort)?;
            if object.kind == ObjectKind::Group {
                self.sync_group(&object.id).await.map_err(to_abort)?;
                self.sync_memberships(Some(&object.id)).await.map_err(to_abort)?;
            }
            Ok(())
        }
        .await;
        self.on_demand = false;
        result.map(|()| CycleReport { cycle: self.cycle, initial: false, started_at, outcome: CycleOutcome::Completed })
    }
}

/// A mapping to a target the attribute list does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the {kind} attribute list has no {target:?}; add it first (\"Edit attribute list for customappsso\"), then map to it"
)]
pub struct MappingTargetError {
    /// `user` or `group`.
    pub kind: &'static str,
    /// The target asked for.
    pub target: String,
}

/// The targets of `app`'s user and group mappings.
fn mapped_targets(app: &App) -> [MappedTargets; 2] {
    [MappedTargets::of(&app.users), MappedTargets::of(&app.groups)]
}

fn object_mapping_mut(app: &mut App, kind: ObjectKind) -> &mut ObjectMapping {
    match kind {
        ObjectKind::User => &mut app.users,
        ObjectKind::Group => &mut app.groups,
    }
}

/// The part of `IsSoftDeleted` that does not depend on scope: the user is in the recycle bin
/// or blocked from sign-in (HOW).
pub(super) fn deleted_or_blocked(user: &SourceObject) -> bool {
    matches!(user.lifecycle, Lifecycle::SoftDeleted { .. })
        || user
            .attributes
            .get("accountEnabled")
            .is_some_and(|v| v == &Value::Bool(false) || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("false")))
}

/// A reply body as text for logs and errors.
pub(super) fn body_text(reply: &Reply) -> String {
    reply.body.value().map_or_else(String::new, |b| match b.get("raw").and_then(Value::as_str) {
        Some(raw) => raw.to_string(),
        None => b.to_string(),
    })
}

/// A source object as Entra's mappings see it, with `IsSoftDeleted` and its app role
/// assignments.
pub(super) fn view<'a>(tenant: &'a EntraTenant, user: &'a SourceObject) -> SourceView<'a> {
    let assignments = if user.kind == ObjectKind::User { tenant.assignments_of(user) } else { Vec::new() };
    let soft_deleted = user.kind == ObjectKind::User && tenant.is_soft_deleted(user);
    SourceView::new(user, soft_deleted, assignments)
}
