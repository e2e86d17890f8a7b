//! Entra's provisioning log: one entry per object per action, with its status and error code
//! (entra-wire.md §4.5), so a story can assert what Entra would have logged.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::idp::directory::ObjectKind;

/// What Entra did to an object (LOGS "Action").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Created in the target.
    Create,
    /// Updated in the target.
    Update,
    /// Deleted in the target.
    Delete,
    /// Disabled (`active` false) in the target.
    Disable,
    /// A disable or delete held back by the accidental-deletion threshold.
    StagedDelete,
    /// Anything else (matching, test connection, skips).
    Other,
}

/// How it went (LOGS "Status").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done.
    Success,
    /// Failed; see the error code.
    Failure,
    /// Nothing to do, or not allowed to.
    Skipped,
    /// Done with a caveat.
    Warning,
}

/// The error codes of Entra's log catalogue that this simulator produces (entra-wire.md §4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// 409 on create.
    EntryConflict,
    /// 429.
    TooManyRequests,
    /// 500.
    InternalServerError,
    /// Another 5xx, or an answer Entra cannot use.
    WebExceptionProtocolError,
    /// No answer in time.
    Timeout,
    /// 401.
    Unauthorized,
    /// 403.
    InsufficientRights,
    /// 405.
    MethodNotAllowed,
    /// 501.
    NotImplemented,
    /// 400 or 422 [Inf: the log catalogue's generic client error].
    UnprocessableEntity,
    /// A linked object answered 404 (entra-wire.md §1.0).
    InvalidAnchor,
    /// A match query returned more than one object (entra-wire.md §1.0).
    DuplicateTargetEntries,
    /// The endpoint could not be reached (connection refused, DNS, TLS) or refused the
    /// credentials: the job goes to quarantine (entra-wire.md §4.3).
    EncounteredQuarantineException,
    /// Too many operations failed: the job goes to quarantine (entra-wire.md §4.3).
    EncounteredEscrowProportionThreshold,
    /// A mapping expression could not be evaluated for the object \[Inf\].
    ExpressionEvaluationFailure,
    /// A created object came back without an `id`.
    SystemForCrossDomainIdentityManagementServiceIncompatible,
}

impl ErrorCode {
    /// The code as the log writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::EntryConflict => "EntryConflict",
            Self::TooManyRequests => "TooManyRequests",
            Self::InternalServerError => "InternalServerError",
            Self::WebExceptionProtocolError => "WebExceptionProtocolError",
            Self::Timeout => "Timeout",
            Self::Unauthorized => "Unauthorized",
            Self::InsufficientRights => "InsufficientRights",
            Self::MethodNotAllowed => "MethodNotAllowed",
            Self::NotImplemented => "NotImplemented",
            Self::UnprocessableEntity => "UnprocessableEntity",
            Self::InvalidAnchor => "InvalidAnchor",
            Self::DuplicateTargetEntries => "DuplicateTargetEntries",
            Self::EncounteredQuarantineException => "EncounteredQuarantineException",
            Self::EncounteredEscrowProportionThreshold => "EncounteredEscrowProportionThreshold",
            Self::ExpressionEvaluationFailure => "ExpressionEvaluationFailure",
            Self::SystemForCrossDomainIdentityManagementServiceIncompatible => {
                "SystemForCrossDomainIdentityManagementServiceIncompatible"
            }
        }
    }

    /// The code for an HTTP failure status (entra-wire.md §1.2 reactions table, LOGS).
    pub fn for_status(status: u16) -> Self {
        match status {
            409 => Self::EntryConflict,
            429 => Self::TooManyRequests,
            401 => Self::Unauthorized,
            403 => Self::InsufficientRights,
            405 => Self::MethodNotAllowed,
            501 => Self::NotImplemented,
            500 => Self::InternalServerError,
            404 => Self::InvalidAnchor,
            400..=499 => Self::UnprocessableEntity,
            _ => Self::WebExceptionProtocolError,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One changed attribute ("Modified Properties").
#[derive(Debug, Clone, PartialEq)]
pub struct ModifiedProperty {
    /// The target path: shared with the app's mappings rather than copied into every entry.
    pub name: Arc<str>,
    /// The target's value before, if any.
    pub old: Option<Value>,
    /// The value sent.
    pub new: Value,
}

/// One log entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// The cycle it happened in (on-demand runs count as cycles of their own).
    pub cycle: u32,
    /// Virtual time.
    pub at: Duration,
    /// User or group.
    pub kind: ObjectKind,
    /// The source object's alias.
    pub alias: String,
    /// The source object's id.
    pub source_id: String,
    /// The target id, when known.
    pub target_id: Option<String>,
    /// What was done.
    pub action: Action,
    /// How it went.
    pub status: Status,
    /// Why it failed.
    pub error_code: Option<ErrorCode>,
    /// A readable reason; for failures, the target's answer.
    pub reason: String,
    /// The attributes sent.
    pub modified: Vec<ModifiedProperty>,
}

/// All entries, oldest first.
#[derive(Debug, Clone, Default)]
pub struct ProvisioningLog {
    entries: Vec<LogEntry>,
}

impl ProvisioningLog {
    /// Appends an entry.
    pub fn push(&mut self, entry: LogEntry) {
        self.entries.push(entry);
    }

    /// Every entry.
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    /// The entries about the object with `alias`.
    pub fn for_alias<'l>(&'l self, alias: &'l str) -> impl Iterator<Item = &'l LogEntry> {
        self.entries.iter().filter(move |e| e.alias == alias)
    }

    /// The latest entry about the object with `alias`.
    pub fn last_for(&self, alias: &str) -> Option<&LogEntry> {
        self.entries.iter().rev().find(|e| e.alias == alias)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_map_to_the_log_catalogue() {
        assert_eq!(ErrorCode::for_status(409).name(), "EntryConflict");
        assert_eq!(ErrorCode::for_status(429).name(), "TooManyRequests");
        assert_eq!(ErrorCode::for_status(422).name(), "UnprocessableEntity");
        assert_eq!(ErrorCode::for_status(503).name(), "WebExceptionProtocolError");
        assert_eq!(ErrorCode::for_status(500).to_string(), "InternalServerError");
    }
}
