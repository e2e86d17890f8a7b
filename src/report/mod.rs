//! Rendering a run's verdicts: the console summary, report.json (with its JSON Schema in
//! docs/), junit.xml and a self-contained report.html. Every renderer reads one [`RunReport`].

mod run_report;

pub use run_report::{IdpVerdict, RunMeta, RunReport, SCHEMA_VERSION, ScenarioResult, idp_name};
