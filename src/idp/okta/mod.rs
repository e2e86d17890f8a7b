//! Okta's provisioning engine, request for request (okta-wire.md): the existence check and
//! POST on assignment, GET-then-PUT profile pushes, path-less PATCH (de)activation, Group
//! Push, imports, and the reactions to what the app answers, for OIN and AIW apps.
//!
//! [`OktaOrg`] holds the org's users and groups, the app-user profile (Profile Editor) and
//! the Okta-to-app mappings in the Okta Expression Language, the app's settings, and what Okta
//! knows of the app (links, app users, pushed groups, the System Log and Tasks). Every admin
//! action sends at once what Okta sends, through a [`crate::target::TargetClient`].

mod attribute_slots;
mod body;
mod body_template;
pub mod defaults;
mod envelope;
pub mod expression;
pub mod external_path;
mod group_push;
mod id;
mod import;
mod lifecycle;
mod list_page;
mod org;
pub mod profile_editor;
pub mod settings;
mod source_view;
pub mod task_log;
mod user_sync;

pub use body::Profile;
pub use envelope::{ACCEPT, ACCEPT_CHARSET, CONTENT_TYPE, USER_AGENT, filter_query, page_query};
pub use id::{OKTA_STABLE_CHARS, object_id, okta_id, placeholder_password, stable_object_id};
pub use org::{AppUser, ApplyUpdates, GroupPush, ImportReport, Imported, OktaOrg, OrgError, Unlink, UserStatus};
pub use profile_editor::{AppUserAttribute, Choice, ProfileEditor, ProfileError, Scope};
pub use settings::{AppKind, AuthMode, ClearedValue, FilterEncoding, Options, ProfilePatch, Settings};
pub use task_log::{Event, EventKind, Operation, Outcome, Task, TaskKind};
