//! The conformance catalogue: every check with a stable id, the RFC 7643/7644 clause or IdP
//! document it comes from, a severity, and a rule that judges recorded exchanges.
//!
//! Checks judge exchanges ([`crate::transcript`]) with the SCIM vocabulary ([`crate::scim`]);
//! they never look at an engine (DESIGN.md dependency rules). RFC rules and IdP needs are
//! separate layers ([`Severity`]), and no check fails what the RFC allows (a PATCH answering
//! 204, attribute names in another case).

mod catalogue;
mod check;
mod judged;
mod observation;
mod rules;
mod severity;
mod source;
mod tally;
mod verdict;

pub use catalogue::catalogue;
pub use check::Check;
pub use judged::Judged;
pub use observation::Observation;
pub use severity::Severity;
pub use source::Source;
pub use tally::Tally;
pub use verdict::{CheckVerdict, Evidence, MAX_EVIDENCE, ScenarioRef, Status, judge};
