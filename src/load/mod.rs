//! Load mode (`scimsim load`): an Entra- or Okta-shaped initial provisioning of a generated
//! directory of any size, sent through the real engines at a chosen concurrency or request
//! rate, and measured: requests per second, latency percentiles per operation, statuses, and
//! how the IdP would have reacted.

mod baseline;
mod load_plan;
mod load_report;
mod load_run;
mod operation_stats;
mod population;
mod reactions;

pub use baseline::{Baseline, BaselineResult};
pub use load_plan::{ENTRA_GALLERY_RATE, LoadIdp, LoadPlan};
pub use load_report::{BaselineLine, LOAD_REPORT_VERSION, LoadReport, OperationLine};
pub use load_run::{LoadError, LoadOutcome, LoadTarget, run};
pub use operation_stats::{OperationStats, OperationTable};
pub use population::{BATCH_USERS, user_alias, user_attributes};
pub use reactions::IdpReactions;
