//! Microsoft Entra ID's provisioning engine: cycles, matching, diffs, and its two SCIM
//! dialects (legacy and `aadOptscim062020`), request for request (entra-wire.md).
//!
//! [`EntraTenant`] holds a directory, an app (attribute lists and mappings, starting from the
//! defaults of a non-gallery SCIM app) and a job's state (links, escrows, quarantine,
//! watermark, virtual clock), and sends through a [`crate::target::TargetClient`].

mod body_template;
mod creation;
pub mod defaults;
pub mod dialect;
mod envelope;
pub mod expression;
mod group_sync;
mod mapped_targets;
mod matching;
pub mod provisioning_log;
mod reset_scope;
pub mod scoping;
pub mod settings;
mod source_view;
mod tenant;
mod user_sync;

pub use envelope::{CONTENT_TYPE, filter_pair};
pub use provisioning_log::{Action, ErrorCode, LogEntry, ModifiedProperty, ProvisioningLog, Status};
pub use reset_scope::ResetScope;
pub use settings::{Dialect, ManagerShape, Options, Scope, Settings};
pub use source_view::SourceView;
pub use tenant::{CycleOutcome, CycleReport, EntraTenant, JOB, MappingTargetError, OnDemandError, Quarantine};
