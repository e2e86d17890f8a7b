//! Real IdP traffic, captured and put to use (issue 9): `scimsim record` places a recording
//! reverse proxy between a real IdP and a real SCIM endpoint and writes what passes in the
//! transcript format; `scimsim replay` sends a recording again to any target, remapping ids, and
//! diffs each answer with the recorded one; `scimsim diff` infers the story behind a recording
//! and compares it, request by request, with what scimsim's own engines send for that story.
//!
//! It sits on top with [`crate::bdd`] and [`crate::cli`]: it may use every module below it, and
//! nothing below uses it.

mod comparison;
mod recorded_ids;
mod replay;
mod replay_summary;

pub use comparison::Comparison;
pub use recorded_ids::{Origin, RecordedIds};
pub use replay::{ReplayOptions, replay};
pub use replay_summary::ReplaySummary;
