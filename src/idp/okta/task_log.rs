//! What Okta records about provisioning: System Log events for everything it did, and
//! Dashboard → Tasks for what failed and waits for an admin's "Retry Selected" (okta-wire.md
//! §1.11, §5.2), with Okta's message texts, so a scenario can assert what an admin would see.

use std::fmt;
use std::time::Duration;

/// What an event was about, named as Okta's System Log names it. The names of the
/// verify, reactivation and profile-push events are documented (a dev-forum System Log,
/// okta-wire.md §1.8); the others follow their pattern \[INFERRED\].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// Test Connector Configuration (okta-wire.md §1.1).
    TestConnector,
    /// The existence check before a create or a re-assignment.
    VerifyUserExists,
    /// A POST of a new user.
    PushNewUser,
    /// A profile update (GET then PUT, or PATCH).
    PushProfile,
    /// A reactivation.
    PushReactivation,
    /// A deactivation.
    PushDeactivation,
    /// A password sync.
    PushPassword,
    /// A user import.
    ImportUsers,
    /// A group import.
    ImportGroups,
    /// The existence check or creation of a pushed group.
    PushNewGroup,
    /// A pushed group's name.
    PushGroupName,
    /// A pushed group's members.
    PushGroupMembership,
    /// The deletion of a pushed group on unlink.
    DeleteGroup,
    /// A change that sends nothing (suspend, delete of a deactivated user, a held push).
    NoRequest,
}

impl EventKind {
    /// The event's display message in the System Log.
    pub fn display(self) -> &'static str {
        match self {
            Self::TestConnector => "Test connector configuration",
            Self::VerifyUserExists => "Verify user exists in external application",
            Self::PushNewUser => "Push new user to external application",
            Self::PushProfile => "Push user's profile to external application",
            Self::PushReactivation => "Push user reactivation in external application",
            Self::PushDeactivation => "Push user deactivation in external application",
            Self::PushPassword => "Push user's password to external application",
            Self::ImportUsers => "Import users from external application",
            Self::ImportGroups => "Import groups from external application",
            Self::PushNewGroup => "Push new group to external application",
            Self::PushGroupName => "Push group name to external application",
            Self::PushGroupMembership => "Push group membership to external application",
            Self::DeleteGroup => "Delete group in external application",
            Self::NoRequest => "No request sent to external application",
        }
    }
}

/// How an event ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Success,
    /// Failed; a task waits in Dashboard → Tasks.
    Failure,
    /// Paused by a 429 and rescheduled (okta-wire.md §5.1).
    RateLimited,
    /// Nothing was sent, on purpose.
    Skipped,
}

/// One System Log event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Virtual time it happened at.
    pub at: Duration,
    /// What it was about.
    pub kind: EventKind,
    /// The user or group (its alias in the story).
    pub subject: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Okta's message: empty on plain success.
    pub message: String,
}

/// The operation a failed task re-runs on "Retry Selected".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Provision an assigned user (existence check, then create or link).
    Provision(String),
    /// Push a user's profile.
    PushProfile(String),
    /// Deactivate a user in the app.
    Deactivate(String),
    /// Reactivate a user in the app.
    Reactivate(String),
    /// Push a user's password.
    PushPassword(String),
    /// Bring a pushed group up to date (create, name, members).
    SyncGroup(String),
    /// Delete an unlinked group in the app.
    DeleteGroup {
        /// The app's group id.
        target_id: String,
        /// The group's alias, for messages.
        alias: String,
    },
    /// Import users.
    ImportUsers,
    /// Import groups.
    ImportGroups,
}

/// The kind of a task as Dashboard → Tasks groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// Creating, linking or updating users.
    Provision,
    /// Deactivating users (okta-wire.md §1.6: a 501 to the PATCH makes a Deprovision task).
    Deprovision,
    /// Group Push.
    GroupPush,
    /// Imports.
    Import,
}

impl fmt::Display for TaskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Provision => "Provision",
            Self::Deprovision => "Deprovision",
            Self::GroupPush => "Group Push",
            Self::Import => "Import",
        })
    }
}

/// A failed operation waiting in Dashboard → Tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// Its number, from 1.
    pub id: u32,
    /// Its kind.
    pub kind: TaskKind,
    /// The user or group.
    pub subject: String,
    /// Okta's error message.
    pub message: String,
    /// What "Retry Selected" re-runs.
    pub operation: Operation,
}

impl TaskKind {
    /// The task kind of an operation.
    pub fn of(operation: &Operation) -> Self {
        match operation {
            Operation::Provision(_) | Operation::PushProfile(_) | Operation::Reactivate(_) => Self::Provision,
            Operation::PushPassword(_) => Self::Provision,
            Operation::Deactivate(_) => Self::Deprovision,
            Operation::SyncGroup(_) | Operation::DeleteGroup { .. } => Self::GroupPush,
            Operation::ImportUsers | Operation::ImportGroups => Self::Import,
        }
    }
}

/// The System Log and the open tasks.
#[derive(Debug, Clone, Default)]
pub struct TaskLog {
    events: Vec<Event>,
    tasks: Vec<Task>,
    next_task: u32,
}

impl TaskLog {
    /// Appends an event.
    pub fn push(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Opens a task for a failed operation, replacing an open task for the same operation.
    pub fn open(&mut self, subject: &str, message: &str, operation: Operation) {
        self.tasks.retain(|t| t.operation != operation);
        self.next_task += 1;
        let kind = TaskKind::of(&operation);
        self.tasks.push(Task {
            id: self.next_task,
            kind,
            subject: subject.to_string(),
            message: message.to_string(),
            operation,
        });
    }

    /// Closes the task of `operation`, if one is open (it succeeded).
    pub fn close(&mut self, operation: &Operation) {
        self.tasks.retain(|t| &t.operation != operation);
    }

    /// Takes every open task, for a retry.
    pub fn take_tasks(&mut self) -> Vec<Task> {
        std::mem::take(&mut self.tasks)
    }

    /// Every event so far.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The open tasks.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// The events about `subject`.
    pub fn about<'a>(&'a self, subject: &'a str) -> impl Iterator<Item = &'a Event> {
        self.events.iter().filter(move |e| e.subject == subject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_open_replace_and_close() {
        let mut log = TaskLog::default();
        log.open("alice", "first", Operation::Provision("u1".into()));
        log.open("alice", "second", Operation::Provision("u1".into()));
        log.open("alice", "gone", Operation::Deactivate("u1".into()));
        assert_eq!(log.tasks().len(), 2);
        assert_eq!(log.tasks()[0].message, "second");
        assert_eq!(log.tasks()[1].kind, TaskKind::Deprovision);
        log.close(&Operation::Provision("u1".into()));
        assert_eq!(log.tasks().len(), 1);
        assert_eq!(log.take_tasks().len(), 1);
        assert!(log.tasks().is_empty());
    }

    #[test]
    fn documented_event_names() {
        assert_eq!(EventKind::VerifyUserExists.display(), "Verify user exists in external application");
        assert_eq!(EventKind::PushReactivation.display(), "Push user reactivation in external application");
        assert_eq!(EventKind::PushProfile.display(), "Push user's profile to external application");
    }
}
