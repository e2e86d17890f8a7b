//! Integration tests: the reference server started for real on 127.0.0.1:0 and spoken to
//! over HTTP, and the `scimsim` binary run as a user runs it. One test binary (one link step).

mod fake_target;
mod hostile_input;
mod process;
mod util;

mod bad_input;
mod bad_targets;
mod broken_targets;
mod capture_flow;
mod checks;
mod cli;
mod discovery;
mod entra_engine;
mod entra_stories;
mod entra_wire;
mod groups;
mod load;
mod model_diff;
mod okta_reactions;
mod okta_stories;
mod okta_wire;
mod parser_fuzz;
mod profiles;
mod protocol;
mod query;
mod recording_proxy;
mod replay;
mod report_files;
mod secrets;
mod server_abuse;
mod staging;
mod target;
mod users;
