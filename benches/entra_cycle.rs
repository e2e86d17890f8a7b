//! How long Entra's initial cycle takes against the embedded reference server: 10,000 users
//! and 100 groups of 100 members, every group assigned (so every user is in scope through its
//! group), default mappings, legacy dialect.
//!
//! Run: `cargo bench --bench entra_cycle` (optionally `-- USERS GROUPS`).

// A benchmark reports its figures on stdout.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::time::Instant;

use scimsim::idp::directory::Assignment;
use scimsim::idp::entra::{CycleOutcome, EntraTenant, Options, Settings};
use scimsim::load::{LoadIdp, user_alias, user_attributes};
use scimsim::server::{ServerConfig, spawn};
use scimsim::target::{Auth, TargetClient, TargetConfig};
use serde_json::json;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let users: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let groups: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    // The job sends one request at a time, as Entra's does per object, so the run is bound by
    // round-trip latency: one thread for engine and server avoids a cross-core wake-up on
    // every request and is the faster setup for it.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime");
    runtime.block_on(run(users, groups));
}

async fn run(users: usize, groups: usize) {
    let server = spawn(ServerConfig::default()).await.expect("the reference server starts");
    let settings = Settings { accidental_deletion_threshold: None, ..Settings::new(server.url()) };
    let options = Options::default();
    let (base, _) = settings.base_url(&options);
    let config = TargetConfig { use_env_proxy: false, ..TargetConfig::new(base, Auth::Bearer(server.token().into())) };
    let mut entra = EntraTenant::new(TargetClient::new(config).expect("a target client"), settings, options);

    let mut ids = Vec::with_capacity(users);
    for n in 0..users {
        let name = user_alias(n);
        let attributes = user_attributes(LoadIdp::Entra, "", n);
        ids.push(entra.directory.add_user(&name, attributes).expect("unique aliases"));
    }
    let access = Assignment {
        id: "default".into(),
        role_id: "00000000-0000-0000-0000-000000000000".into(),
        value: None,
        display_name: "User".into(),
    };
    let per_group = users.div_ceil(groups.max(1));
    for g in 0..groups {
        let members: Vec<String> = ids.iter().skip(g * per_group).take(per_group).cloned().collect();
        let name = format!("Group {g:03}");
        let attributes = BTreeMap::from([("displayName".to_string(), json!(name))]);
        let group = entra.directory.add_group(&name, attributes, &members).expect("unique aliases");
        entra.directory.assign(&group, access.clone());
    }

    let started = Instant::now();
    let report = entra.run_cycle().await;
    let elapsed = started.elapsed();
    assert_eq!(report.outcome, CycleOutcome::Completed, "the cycle completes");
    let requests = entra.transcript().len();
    let failures = entra.log().entries().iter().filter(|e| e.error_code.is_some()).count();
    println!(
        "initial cycle: {users} users, {groups} groups: {requests} requests in {:.2} s ({:.0} requests/s), {failures} failures",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64()
    );
}
