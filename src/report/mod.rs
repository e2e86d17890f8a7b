//! Rendering a run's verdicts: the console summary, report.json (with its JSON Schema in
//! docs/), junit.xml and a self-contained report.html. Every renderer reads one [`RunReport`].

mod console;
mod escaped;
mod exchange_view;
mod html;
mod json;
mod junit;
mod run_report;
mod sample;
mod status_count;

pub use console::summary;
pub use html::to_html;
pub use json::to_json;
pub use junit::to_junit;
pub use run_report::{IdpVerdict, RunMeta, RunReport, SCHEMA_VERSION, ScenarioResult, TRANSCRIPTS_DIR, idp_name};
pub use sample::sample_report;
