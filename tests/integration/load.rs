//! `scimsim load` run as a user runs it: the report's counts match the traffic the plan
//! implies, `--json` writes the same figures, `--rate` paces, `--baseline` compares, a target
//! that fails creates shows the IdP's reactions and exits 1, Ctrl-C or SIGTERM stops it with
//! the report of what it sent, and bad flags exit 2.

#![cfg(unix)]

use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::Method;
use scimsim::load::{LoadIdp, LoadPlan};
use scimsim::server::{Fault, ServerConfig};
use serde_json::Value;

use super::process::{Outcome, Process, TempDir, run_with_env};
use super::util::TestServer;

/// How long a small load of the debug binary may take.
const LOAD_DEADLINE: Duration = Duration::from_secs(120);

fn load(args: &[&str]) -> Outcome {
    Process::start(&[&["load"], args].concat(), &[], &["SCIMSIM_TARGET_URL", "SCIMSIM_TOKEN"])
        .finish_within(LOAD_DEADLINE)
}

fn report(dir: &TempDir) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.path("load.json")).expect("the JSON report")).expect("JSON")
}

/// The report's count for `operation`.
fn requests(report: &Value, operation: &str) -> u64 {
    report["operations"]
        .as_array()
        .and_then(|ops| ops.iter().find(|o| o["operation"] == operation))
        .map_or(0, |o| o["requests"].as_u64().unwrap_or(0))
}

#[test]
fn an_entra_initial_cycle_sends_what_the_plan_implies_and_reports_it() {
    let dir = TempDir::new("load-entra");
    let outcome = load(&[
        "--idp",
        "entra",
        "--users",
        "1500",
        "--groups",
        "3",
        "--members",
        "40",
        "--concurrency",
        "4",
        "--json",
        &dir.path("load.json"),
    ]);
    assert_eq!(outcome.code, Some(0), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    let report = report(&dir);
    assert_eq!(report["schema_version"], "1.0");
    // Six batches of 250 users: a probe each, a match query and a create per user; per group
    // a match query, a create and a member PATCH (entra-wire.md §1.1, §1.2, §1.9, §1.10).
    assert_eq!(requests(&report, "GET /Users?filter"), 1500 + 6);
    assert_eq!(requests(&report, "POST /Users"), 1500);
    assert_eq!(requests(&report, "GET /Groups?filter"), 3);
    assert_eq!(requests(&report, "POST /Groups"), 3);
    assert_eq!(requests(&report, "PATCH /Groups/{id}"), 3);
    assert_eq!(report["requests"], 1500 * 2 + 6 + 9);
    assert_eq!(report["statuses"]["201"], 1503);
    assert_eq!(report["reactions"]["failed_objects"], 0);
    for op in report["operations"].as_array().unwrap() {
        let (p50, p99, max) =
            (op["p50_ms"].as_f64().unwrap(), op["p99_ms"].as_f64().unwrap(), op["max_ms"].as_f64().unwrap());
        assert!(0.0 < p50 && p50 <= p99 && p99 <= max, "{op}");
    }
    assert!(outcome.stdout.contains("3015 requests in "), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("POST /Users") && outcome.stdout.contains("p99 ms"), "{}", outcome.stdout);
    // stderr is a pipe here, not a terminal: no progress bar.
    assert_eq!(outcome.stderr, "", "quiet off a terminal");
}

#[test]
fn okta_imports_then_assigns_and_pushes_groups() {
    let dir = TempDir::new("load-okta");
    let outcome = load(&[
        "--idp",
        "okta",
        "--users",
        "200",
        "--groups",
        "2",
        "--members",
        "10",
        "--json",
        &dir.path("load.json"),
    ]);
    assert_eq!(outcome.code, Some(0), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    let report = report(&dir);
    // The import reads one page; each assignment checks for the user, then creates it
    // (okta-wire.md §1.2, §1.3); each pushed group is created, then gets its members (§1.10).
    assert_eq!(requests(&report, "GET /Users?page"), 1);
    assert_eq!(requests(&report, "GET /Users?filter"), 200);
    assert_eq!(requests(&report, "POST /Users"), 200);
    assert_eq!(requests(&report, "POST /Groups"), 2);
    assert_eq!(report["statuses"]["201"], 202);
}

/// Groups larger than the directory hold every user, and the report says so rather than
/// claiming members that do not exist.
#[test]
fn more_members_than_users_makes_groups_of_every_user() {
    let dir = TempDir::new("load-members");
    let args =
        ["--idp", "entra", "--users", "30", "--groups", "2", "--members", "50", "--json", &dir.path("load.json")];
    let outcome = load(&args);
    assert_eq!(outcome.code, Some(0), "{}{}", outcome.stdout, outcome.stderr);
    assert!(
        outcome.stdout.contains("note: --members 50 is more than --users 30: each group has all 30 users"),
        "{}",
        outcome.stdout
    );
    assert!(outcome.stdout.contains("30 users and 2 groups of 30 members"), "{}", outcome.stdout);
    assert_eq!(report(&dir)["plan"]["members"], 30);
}

#[test]
fn a_rate_paces_the_whole_run_and_the_gallery_preset_is_25_per_second() {
    let dir = TempDir::new("load-rate");
    let started = Instant::now();
    let outcome = load(&["--idp", "entra", "--users", "20", "--rate", "50", "--json", &dir.path("load.json")]);
    assert_eq!(outcome.code, Some(0), "{}{}", outcome.stdout, outcome.stderr);
    // 41 requests at 50 per second: the last starts 0.8 s after the first.
    assert!(report(&dir)["elapsed_s"].as_f64().unwrap() >= 0.8, "{}", outcome.stdout);
    assert!(started.elapsed() >= Duration::from_millis(800));
    assert!(outcome.stdout.contains("paced at 50 requests/s"), "{}", outcome.stdout);
    let gallery = load(&["--idp", "entra", "--users", "2", "--rate", "entra-gallery"]);
    assert!(gallery.stdout.contains("paced at 25 requests/s"), "{}", gallery.stdout);
}

/// One job and 2,100 users: nine batches, so two rounds of harness then plain loop, and the
/// ids of both rounds' creates are mapped.
#[test]
fn the_baseline_sends_the_same_requests_and_prints_the_ratio() {
    let dir = TempDir::new("load-baseline");
    let outcome = load(&[
        "--idp",
        "entra",
        "--users",
        "2100",
        "--groups",
        "2",
        "--members",
        "20",
        "--concurrency",
        "1",
        "--baseline",
        "--json",
        &dir.path("load.json"),
    ]);
    assert_eq!(outcome.code, Some(0), "{}{}", outcome.stdout, outcome.stderr);
    let report = report(&dir);
    let baseline = &report["baseline"];
    assert_eq!(requests(&report, "POST /Users"), 2100, "both turns of the harness ran");
    assert_eq!(requests(&report, "PATCH /Groups/{id}"), 2);
    assert_eq!(baseline["requests"], report["requests"], "the same requests");
    assert_eq!(baseline["transport_errors"], 0);
    assert_eq!(baseline["error_answers"], 0, "the group PATCHes name the members by their new ids");
    assert!(baseline["ratio"].as_f64().unwrap() > 0.0);
    assert!(outcome.stdout.contains("scimsim reached "), "{}", outcome.stdout);
}

/// A reference server to name as `--target`, on a runtime of its own that lives as long.
fn named_target() -> (tokio::runtime::Runtime, TestServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(TestServer::with_config(ServerConfig::default()));
    (runtime, server)
}

/// `scimsim load --idp entra --users N` against a reference server answering `fault`.
fn entra_load_against(fault: Fault, users: &str) -> Outcome {
    let (_runtime, server) = named_target();
    server.server.inject(fault);
    let url = server.server.url().to_string();
    let args = ["load", "--idp", "entra", "--users", users, "--target", url.as_str()];
    run_with_env(&args, &[("SCIMSIM_TOKEN", server.server.token())], &["SCIMSIM_TARGET_URL"])
}

#[test]
fn a_target_that_fails_creates_shows_the_idps_reaction_and_exits_1() {
    let outcome = entra_load_against(Fault::new(Method::POST, "/Users", 500), "30");
    assert_eq!(outcome.code, Some(1), "{}{}", outcome.stdout, outcome.stderr);
    assert!(
        outcome.stdout.contains("entra: 30 objects failed (in escrow, retried in later cycles)"),
        "{}",
        outcome.stdout
    );
    assert!(outcome.stdout.contains("500×30"), "{}", outcome.stdout);
    // The run id announced first is the one the clean-up command names.
    let announced = outcome.stdout.lines().find_map(|line| line.strip_prefix("run id ")).expect("the run id");
    let (run_id, names) = announced.split_once(':').expect("run id <id>: …");
    assert!(names.contains(&format!("is named {run_id}-")), "{announced}");
    assert!(outcome.stdout.contains("remove them with: scimsim cleanup --target"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains(&format!("--run-id {run_id}\n")), "{}", outcome.stdout);
}

/// Every create answered 429: Entra waits out `Retry-After` and sends again, three times
/// (entra-wire.md §4.2), then puts the user in escrow; the report counts the waits.
#[test]
fn a_throttling_target_shows_the_429_back_off() {
    let fault = Fault { retry_after: Some("1".into()), ..Fault::new(Method::POST, "/Users", 429) };
    let outcome = entra_load_against(fault, "10");
    assert_eq!(outcome.code, Some(1), "{}{}", outcome.stdout, outcome.stderr);
    assert!(outcome.stdout.contains("429×40"), "one try and three retries per user: {}", outcome.stdout);
    assert!(outcome.stdout.contains("entra: 10 objects failed"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("40 answers of 429 waited on"), "{}", outcome.stdout);
}

/// One job sending 50 requests a second through one batch of 250 users (501 requests, ten
/// seconds): a signal a second in cuts the batch off there. The report says so and counts
/// what was sent, the JSON says the same, the clean-up command is printed, and the exit code
/// is 130.
#[test]
fn a_stopped_load_reports_what_it_sent_and_exits_130() {
    let (_runtime, server) = named_target();
    let url = server.server.url().to_string();
    for signal in ["INT", "TERM"] {
        let dir = TempDir::new(&format!("load-stopped-{signal}"));
        let json = dir.path("load.json");
        let args = [
            "load",
            "--idp",
            "entra",
            "--users",
            "250",
            "--concurrency",
            "1",
            "--rate",
            "50",
            "--target",
            url.as_str(),
            "--json",
            json.as_str(),
        ];
        let mut process = Process::start(&args, &[("SCIMSIM_TOKEN", server.server.token())], &["SCIMSIM_TARGET_URL"]);
        let announced = process.next_line(Instant::now() + LOAD_DEADLINE).expect("the run id line");
        assert!(announced.starts_with("run id "), "{announced}");
        std::thread::sleep(Duration::from_secs(1));
        let signalled = Instant::now();
        let status = Command::new("kill").args([&format!("-{signal}"), &process.pid().to_string()]).status();
        assert!(status.expect("`kill` runs").success());
        let outcome = process.finish_within(LOAD_DEADLINE);
        let after = signalled.elapsed();
        assert_eq!(outcome.code, Some(130), "SIG{signal}: stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
        // The batch had nine seconds left to send: it was cut off, not waited for.
        assert!(after < Duration::from_secs(5), "SIG{signal}: exited {after:?} after the signal");
        assert!(
            outcome.stdout.contains("stopped (Ctrl-C or SIGTERM) after 0 of 250 users"),
            "SIG{signal}: {}",
            outcome.stdout
        );
        let report = report(&dir);
        assert_eq!((&report["stopped"], &report["users_done"]), (&Value::Bool(true), &Value::from(0)));
        let sent = report["requests"].as_u64().unwrap();
        assert!((10..501).contains(&sent), "SIG{signal}: about 50 requests a second for a second, not {sent}");
        assert_eq!(sent, requests(&report, "GET /Users?filter") + requests(&report, "POST /Users"));
        assert!(outcome.stdout.contains(&format!("{sent} requests in ")), "{}", outcome.stdout);
        assert!(outcome.stdout.contains("remove them with: scimsim cleanup --target"), "{}", outcome.stdout);
    }
}

#[test]
fn bad_flags_are_usage_errors_with_the_fix() {
    for (args, needle) in [
        (&["--idp", "entra", "--rate", "0"][..], "give requests per second"),
        (&["--idp", "entra", "--concurrency", "0"][..], "--concurrency"),
        (&["--idp", "azure"][..], "possible values: entra, okta"),
        (
            &["--idp", "entra", "--baseline", "--target", "http://127.0.0.1:9/scim"][..],
            "--baseline compares with a fresh embedded server",
        ),
        (&["--idp", "entra", "--baseline", "--rate", "100"][..], "leave out --rate"),
        // Refused before the run, not after it.
        (
            &["--idp", "entra", "--users", "100000000", "--json", "/nonexistent-folder/load.json"][..],
            "cannot write --json /nonexistent-folder/load.json",
        ),
    ] {
        let outcome = run_with_env(&[&["load"], args].concat(), &[("SCIMSIM_TOKEN", "t0ken")], &["SCIMSIM_TARGET_URL"]);
        assert_eq!(outcome.code, Some(2), "{args:?}: {}", outcome.stderr);
        assert!(outcome.stderr.contains(needle), "{args:?}: {}", outcome.stderr);
    }
}

/// `plan` run in this process against a fresh reference server answering `fault` (once), with
/// a baseline on a second one, until `stop`.
async fn load_with_baseline(
    plan: &LoadPlan,
    fault: Option<Fault>,
    stop: impl Future<Output = ()> + Send,
) -> scimsim::load::LoadOutcome {
    use std::sync::Arc;

    use scimsim::load::{Baseline, LoadTarget};
    use scimsim::target::Transport;

    let server = scimsim::server::spawn(ServerConfig::default()).await.expect("the reference server");
    if let Some(fault) = fault {
        server.inject(fault);
    }
    let transport = Transport { use_env_proxy: false, ..Transport::default() };
    let http = transport.client().expect("an HTTP client");
    let target =
        LoadTarget { url: server.url().to_string(), token: server.token().to_string(), transport, http, shared: false };
    let plain = scimsim::server::spawn(ServerConfig::default()).await.expect("the baseline's server");
    let baseline = Baseline::new(target.http.clone(), plain.url(), plain.token(), plan.concurrency);
    scimsim::load::run(plan, &target, "in-process-", Some(baseline), Arc::new(|_| {}), stop).await.expect("a load run")
}

/// The first create answered 429 while the requests are kept for a baseline: Entra sends the
/// same body again, so the retry creates the user, and the baseline sends both attempts.
#[tokio::test]
async fn a_retried_create_sends_its_body_again_while_calls_are_kept() {
    let plan = LoadPlan { idp: LoadIdp::Entra, users: 3, groups: 0, members: 0, concurrency: 1, rate: None };
    let fault = Fault { retry_after: Some("1".into()), times: Some(1), ..Fault::new(Method::POST, "/Users", 429) };
    let outcome = load_with_baseline(&plan, Some(fault), std::future::pending()).await;
    let creates = &outcome.operations.operations["POST /Users"];
    assert_eq!(
        (creates.statuses.get(&429), creates.statuses.get(&201)),
        (Some(&1), Some(&3)),
        "{:?}",
        creates.statuses
    );
    assert_eq!(outcome.reactions.failed_objects, 0);
    // The probe, a match query and a create per user, and the retried create, which the
    // plain loop's server (that never throttles) refuses as a second user of the same name.
    let baseline = outcome.baseline.expect("the baseline's figures");
    assert_eq!((baseline.requests, baseline.error_answers, baseline.transport_errors), (8, 1, 0));
}

/// A stop that has come before the run starts: Okta's import is not sent, no batch runs, and
/// the outcome says it was stopped, with no baseline (the loop sent nothing to compare).
#[tokio::test]
async fn a_run_stopped_before_it_starts_sends_nothing_and_has_no_baseline() {
    let plan = LoadPlan { idp: LoadIdp::Okta, users: 600, groups: 0, members: 0, concurrency: 2, rate: None };
    let outcome = load_with_baseline(&plan, None, std::future::ready(())).await;
    assert!(outcome.stopped);
    assert_eq!((outcome.users_done, outcome.operations.requests()), (0, 0));
    assert!(outcome.baseline.is_none());
}
