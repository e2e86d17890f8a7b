//! Recorded exchanges and the public transcript format (DESIGN.md "Transcript"): one JSON
//! object per exchange, one exchange per line, secrets always `[redacted]`.
//!
//! ```json
//! {"seq":1,"idp":"entra","dialect":"legacy","scenario":"…","step":"…","scheduled_at":"PT0S",
//!  "request":{"method":"PATCH","path":"/Users/8f3c…","query":null,
//!             "headers":{"authorization":"[redacted]"},"body":{…}},
//!  "response":{"status":200,"headers":{…},"body":{…}},
//!  "elapsed_ms":1.7}
//! ```
//!
//! This module knows no IdP logic: it records what the target client sent and received.

mod body;
mod duration;
mod exchange;
mod id_placeholders;
mod jsonl;
mod redactor;
mod rewrite;
mod stable_form;

pub use body::parse_body;
pub use duration::iso8601_duration;
pub use exchange::{Exchange, RecordedRequest, RecordedResponse};
pub(crate) use exchange::{lower_case_headers, recorded_headers};
pub use id_placeholders::IdPlaceholders;
pub use jsonl::{Tally, Transcript, TranscriptError};
pub use redactor::{REDACTED, Redactor};
pub use rewrite::{replace_strings, translate};
pub use stable_form::StableForm;
pub(crate) use stable_form::{TIMESTAMP, redact_meta};
