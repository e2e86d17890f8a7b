//! How long Okta's two bulk jobs take against the embedded reference server: importing 10,000
//! users (pages of 100) from the app, and assigning 10,000 users to it (an existence check and
//! a POST each). OIN app, template profile and mappings.
//!
//! Run: `cargo bench --bench okta_provisioning` (optionally `-- USERS`).

// A benchmark reports its figures on stdout.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use scimsim::idp::okta::{AppKind, AuthMode, OktaOrg, Options, Outcome, Settings};
use scimsim::load::{LoadIdp, user_alias, user_attributes};
use scimsim::server::{ServerConfig, spawn};
use scimsim::target::{TargetClient, TargetConfig};

fn main() {
    let users: usize =
        std::env::args().skip(1).find(|a| !a.starts_with('-')).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    // Okta sends one request at a time; engine and server on one thread avoid a cross-core
    // wake-up per request (see benches/entra_cycle.rs).
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime");
    runtime.block_on(run(users));
}

async fn run(users: usize) {
    let server = spawn(ServerConfig::default()).await.expect("the reference server starts");
    let org = || {
        let settings = Settings::new(server.url(), AppKind::Oin);
        let auth = AuthMode::Bearer(server.token().into()).to_auth();
        let config = TargetConfig { use_env_proxy: false, ..TargetConfig::new(server.url(), auth) };
        OktaOrg::new(TargetClient::new(config).expect("a target client"), settings, Options::default())
    };

    let mut okta = org();
    for n in 0..users {
        let name = user_alias(n);
        let attributes = user_attributes(LoadIdp::Okta, "", n);
        okta.add_user(&name, attributes).expect("unique aliases");
    }
    let started = Instant::now();
    for n in 0..users {
        okta.assign(&user_alias(n)).await.expect("a known user");
    }
    let elapsed = started.elapsed();
    let requests = okta.transcript().len();
    let failures = okta.events().iter().filter(|e| e.outcome == Outcome::Failure).count();
    println!(
        "assign: {users} users: {requests} requests in {:.2} s ({:.0} requests/s), {failures} failures",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64()
    );

    // A second org imports what the first one created.
    let mut importer = org();
    let started = Instant::now();
    let report = importer.import_users().await;
    let elapsed = started.elapsed();
    assert_eq!(report.scanned, users, "every user is read");
    println!(
        "import: {} users in {} pages in {:.2} s",
        report.scanned,
        importer.transcript().len(),
        elapsed.as_secs_f64()
    );
}
