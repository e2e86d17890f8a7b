//! Real IdP traffic, captured and put to use (issue 9): `scimsim record` places a recording
//! reverse proxy between a real IdP and a real SCIM endpoint and writes what passes in the
//! transcript format; `scimsim replay` sends a recording again to any target, remapping ids, and
//! diffs each answer with the recorded one; `scimsim diff` infers the story behind a recording
//! and compares it, request by request, with what scimsim's own engines send for that story.
//!
//! It sits on top with [`crate::bdd`] and [`crate::cli`]: it may use every module below it, and
//! nothing below uses it.

mod comparison;
mod error;
mod idp_detection;
mod live_summary;
mod recorded_ids;
mod recording_proxy;
mod recording_sink;
mod reference_section;
mod replay;
mod replay_summary;
mod source_attributes;
mod story;
mod story_inference;
mod upstream;
mod wire_comparison;
mod wire_difference;
mod wire_normalizer;

pub use comparison::Comparison;
pub use error::CaptureError;
pub use idp_detection::{Detected, IdpDetector};
pub use live_summary::summary_line;
pub use recorded_ids::{Origin, RecordedIds};
pub use recording_proxy::{MAX_PROXIED_BODY_BYTES, RecordingConfig, RecordingProxy};
pub use recording_sink::RecordingSummary;
pub use reference_section::reference_section;
pub use replay::{ReplayOptions, replay};
pub use replay_summary::ReplaySummary;
pub use source_attributes::SourceAttributes;
pub use story::{StepKind, Story, StoryStep};
pub use story_inference::{Inference, InferenceError, infer};
pub use wire_comparison::compare;
pub use wire_difference::{Aspect, WireDifference};
pub use wire_normalizer::{NormalizedRequest, WireNormalizer, collection_path};
