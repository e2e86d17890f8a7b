//! A run against a shared staging tenant (DESIGN.md "Runs against real tenants"): the tenant
//! is a reference server that already holds users and groups — some named exactly as the
//! scenarios' aliases, one named like another run's objects — and after a full suite run,
//! an interrupted run, or a kept run and `scimsim cleanup`, it is byte for byte what it was.

#![cfg(unix)]

use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::Method;
use scimsim::server::{Fault, ServerConfig};
use serde_json::{Value, json};

use super::process::{Outcome, Process, TempDir, run_with_env};
use super::util::TestServer;

/// How long a whole suite run of the debug binary may take.
const SUITE_DEADLINE: Duration = Duration::from_secs(180);

/// A reference server playing someone's staging tenant, seeded before the run.
struct Tenant {
    runtime: tokio::runtime::Runtime,
    server: TestServer,
}

impl Tenant {
    /// A tenant holding users and groups whose names collide with the suite's aliases.
    fn seeded(config: ServerConfig) -> Self {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("a runtime");
        let server = runtime.block_on(TestServer::with_config(config));
        let tenant = Self { runtime, server };
        let users = [
            ("alice@contoso.com", "alice", "Alice Smith"),
            ("alice@example.com", "00uzt05ZEznFJzuSBqMe", "Alice"),
            ("bob@contoso.com", "408d72c5-5d0d-4816-8b06-b63d03fa3e6f", "Bob"),
            ("alice", "bob", "Sales"),
            // Named like an object of another run: no run but that one may touch it.
            ("s00000000-1-alice@contoso.com", "s00000000-1-alice", "s00000000-1-Alice"),
        ];
        let mut ids = Vec::new();
        for (user_name, external_id, display_name) in users {
            let user = json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": user_name, "externalId": external_id, "displayName": display_name, "active": true,
            });
            let created = tenant.runtime.block_on(tenant.server.post("/Users", &user)).expect(201);
            ids.push(created.body["id"].as_str().expect("an id").to_string());
        }
        for (name, members) in [("Sales", &ids[..2]), ("Engineering", &ids[2..3]), ("s00000000-1-Sales", &ids[4..])] {
            let members: Vec<Value> = members.iter().map(|id| json!({"value": id})).collect();
            let group = json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": name, "members": members,
            });
            tenant.runtime.block_on(tenant.server.post("/Groups", &group)).expect(201);
        }
        tenant
    }

    fn url(&self) -> String {
        self.server.server.url().to_string()
    }

    fn token(&self) -> String {
        self.server.server.token().to_string()
    }

    /// Everything the tenant holds, as its listings spell it: compared byte for byte.
    fn contents(&self) -> String {
        ["/Users?count=1000", "/Groups?count=1000"]
            .iter()
            .map(|path| {
                let request = self.server.request(Method::GET, path);
                self.runtime.block_on(async { request.send().await.expect("the tenant answers").text().await.unwrap() })
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The `userName` of every user the tenant holds.
    fn user_names(&self) -> Vec<String> {
        let listing = self.runtime.block_on(self.server.get("/Users?count=1000")).expect(200);
        let users = listing.body["Resources"].as_array().cloned().unwrap_or_default();
        users.iter().map(|user| user["userName"].as_str().expect("a userName").to_string()).collect()
    }

    /// How many users and groups the tenant holds.
    fn count(&self) -> (u64, u64) {
        let total = |path: &str| {
            let reply = self.runtime.block_on(self.server.get(path)).expect(200);
            reply.body["totalResults"].as_u64().expect("totalResults")
        };
        (total("/Users"), total("/Groups"))
    }

    /// `scimsim <args> --target <this tenant>` with the token in SCIMSIM_TOKEN.
    fn start(&self, args: &[&str]) -> Process {
        let url = self.url();
        let args = [args, &["--target", url.as_str()]].concat();
        Process::start(&args, &[("SCIMSIM_TOKEN", &self.token())], &["SCIMSIM_TARGET_URL", "SCIMSIM_SNAPSHOTS"])
    }
}

/// The run id a run printed (`run id s3f9a20c1: …`).
fn run_id(outcome_stdout: &str) -> String {
    let line = outcome_stdout.lines().find(|l| l.starts_with("run id ")).expect("the run prints its id");
    line["run id ".len()..].split(':').next().expect("an id").to_string()
}

fn expect_no_panic(outcome: &Outcome) {
    assert!(!outcome.stderr.contains("panicked"), "stderr:\n{}", outcome.stderr);
}

/// The whole bundled suite against a pre-seeded tenant leaves it byte-identical.
#[test]
fn a_full_suite_run_leaves_a_seeded_tenant_exactly_as_it_was() {
    let tenant = Tenant::seeded(ServerConfig::default());
    let before = tenant.contents();
    let snapshots = TempDir::new("staging-full");
    let outcome = tenant.start(&["run", "--snapshots", &snapshots.path("snapshots")]).finish_within(SUITE_DEADLINE);
    expect_no_panic(&outcome);
    assert_eq!(outcome.code, Some(0), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    let id = run_id(&outcome.stdout);
    assert!(outcome.stdout.contains(&format!("is named {id}-…")), "{}", outcome.stdout);
    let removed = outcome.stdout.lines().find(|l| l.starts_with("cleaned up: removed ")).expect("a clean-up line");
    let count: usize = removed["cleaned up: removed ".len()..].split(' ').next().unwrap().parse().unwrap();
    assert!(count > 100, "the suite created (and removed) many objects: {removed}");
    assert!(!outcome.stdout.contains("could not remove"), "{}", outcome.stdout);
    assert_eq!(tenant.contents(), before, "the tenant changed");
}

/// Ctrl-C and SIGTERM in the middle of a run: what the run created is removed before it
/// exits with 130, and the tenant is as it was.
#[test]
fn an_interrupted_run_removes_what_it_created_and_exits_130() {
    let tenant = Tenant::seeded(ServerConfig::default());
    let before = tenant.contents();
    for signal in ["INT", "TERM"] {
        let snapshots = TempDir::new(&format!("staging-interrupted-{signal}"));
        let mut process = tenant.start(&["run", "--concurrency", "2", "--snapshots", &snapshots.path("snapshots")]);
        // Signal once scenarios are running and the tenant holds some of the run's objects.
        let deadline = Instant::now() + SUITE_DEADLINE;
        let mut signalled = false;
        while let Some(line) = process.next_line(deadline) {
            if line.contains("Scenario") && tenant.count().0 > 5 {
                let status = Command::new("kill").args([&format!("-{signal}"), &process.pid().to_string()]).status();
                assert!(status.expect("`kill` runs").success());
                signalled = true;
                break;
            }
        }
        assert!(signalled, "the run ended before it could be interrupted");
        let outcome = process.finish_within(SUITE_DEADLINE);
        expect_no_panic(&outcome);
        assert_eq!(outcome.code, Some(130), "SIG{signal}: stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
        assert!(outcome.stdout.contains("interrupted: stopped after"), "{}", outcome.stdout);
        assert_eq!(tenant.contents(), before, "SIG{signal}: the tenant changed");
    }
}

/// `--keep` leaves the run's objects, all under its run id; `scimsim cleanup --run-id`
/// (after a dry run that removes nothing) removes exactly those.
#[test]
fn kept_objects_are_named_by_the_run_and_cleanup_removes_exactly_them() {
    let tenant = Tenant::seeded(ServerConfig::default());
    let before = tenant.contents();
    let (users, groups) = tenant.count();
    let snapshots = TempDir::new("staging-keep");
    let feature = concat!(env!("CARGO_MANIFEST_DIR"), "/features/entra/groups.feature");
    let outcome = tenant
        .start(&["run", feature, "--keep", "--snapshots", &snapshots.path("snapshots")])
        .finish_within(SUITE_DEADLINE);
    expect_no_panic(&outcome);
    assert_eq!(outcome.code, Some(0), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    let id = run_id(&outcome.stdout);
    assert!(outcome.stdout.contains("kept on the target (--keep): "), "{}", outcome.stdout);
    let hint = format!("remove them with: scimsim cleanup --target {}", tenant.url());
    assert!(outcome.stdout.contains(&hint) && outcome.stdout.contains(&format!("--run-id {id}")), "{}", outcome.stdout);
    let (kept_users, kept_groups) = tenant.count();
    assert!(kept_users > users && kept_groups > groups, "the run's objects were kept");
    // Every user is a seeded one or carries the run's prefix (parsed, so a change of the
    // listing's spelling cannot make this loop check nothing).
    let names = tenant.user_names();
    assert_eq!(names.len() as u64, kept_users);
    for name in &names {
        let seeded = before.contains(&format!("\"userName\":\"{name}\""));
        assert!(seeded || name.starts_with(&format!("{id}-")), "a kept user without the run's prefix: {name}");
    }

    let url = tenant.url();
    let token = tenant.token();
    let cleanup = |extra: &[&str]| {
        let args = [&["cleanup", "--target", url.as_str(), "--run-id", id.as_str()], extra].concat();
        run_with_env(&args, &[("SCIMSIM_TOKEN", &token)], &["SCIMSIM_TARGET_URL"])
    };
    let dry = cleanup(&["--dry-run"]);
    assert_eq!(dry.code, Some(0), "{}{}", dry.stdout, dry.stderr);
    let found = (kept_users - users) + (kept_groups - groups);
    assert!(dry.stdout.starts_with(&format!("{found} objects on ")), "{}", dry.stdout);
    assert_eq!(tenant.count(), (kept_users, kept_groups), "a dry run removes nothing");

    let done = cleanup(&[]);
    assert_eq!(done.code, Some(0), "{}{}", done.stdout, done.stderr);
    assert!(done.stdout.contains(&format!("nothing of run {id} is left on the target")), "{}", done.stdout);
    assert_eq!(tenant.contents(), before, "cleanup removed exactly the run's objects");
}

/// A target that cannot DELETE users (405) gets them deactivated; what is left is reported
/// with the command that removes it later.
#[test]
fn a_target_that_cannot_delete_gets_users_deactivated_and_leftovers_reported() {
    let tenant = Tenant::seeded(ServerConfig::default());
    tenant.server.server.inject(Fault::new(Method::DELETE, "/Users/*", 405));
    tenant.server.server.inject(Fault::new(Method::DELETE, "/Groups/*", 501));
    let snapshots = TempDir::new("staging-no-delete");
    let feature = concat!(env!("CARGO_MANIFEST_DIR"), "/features/entra/scim_auto_provisioning.feature");
    let outcome =
        tenant.start(&["run", feature, "--snapshots", &snapshots.path("snapshots")]).finish_within(SUITE_DEADLINE);
    expect_no_panic(&outcome);
    let id = run_id(&outcome.stdout);
    assert!(outcome.stdout.contains("could not remove "), "{}", outcome.stdout);
    assert!(outcome.stdout.contains(": deactivated (the target cannot delete it)"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("HTTP 501, and a group cannot be deactivated"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains(&format!("--run-id {id}")), "{}", outcome.stdout);
    let listing = tenant.runtime.block_on(tenant.server.get("/Users?count=1000")).expect(200);
    for user in listing.body["Resources"].as_array().unwrap() {
        let name = user["userName"].as_str().unwrap();
        if name.starts_with(&format!("{id}-")) {
            assert_eq!(user["active"], false, "{name} was deactivated");
        } else {
            assert_eq!(user["active"], true, "{name} is not the run's and was left alone");
        }
    }
}

/// A half-finished target that ignores `filter` answers every match query with a user of
/// someone else's: neither IdP may change it; the request is not sent, and says why.
#[test]
fn a_target_that_ignores_filters_never_gets_someone_elses_user_changed() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(MockServer::start());
    let foreign = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "foreign-1",
        "userName": "alice@contoso.com", "externalId": "alice", "active": true,
        "name": {"givenName": "Someone", "familyName": "Else"}, "displayName": "Someone Else",
    });
    let list = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 1, "startIndex": 1, "itemsPerPage": 1, "Resources": [foreign],
    });
    runtime.block_on(async {
        let scim = |status: u16, body: &Value| {
            ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/scim+json")
        };
        Mock::given(method("GET")).respond_with(scim(200, &list)).mount(&server).await;
        Mock::given(method("POST")).respond_with(scim(201, &json!({"id": "created-by-the-run"}))).mount(&server).await;
        Mock::given(method("PATCH")).respond_with(scim(200, &foreign)).mount(&server).await;
        Mock::given(method("PUT")).respond_with(scim(200, &foreign)).mount(&server).await;
        Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    });
    let scratch = TempDir::new("staging-ignores-filters");
    let feature = scratch.0.join("match.feature");
    std::fs::write(
        &feature,
        "Feature: a match query answered with someone else's user\n\
         \n  Scenario: Entra\n    Given an Entra ID tenant\n    And the user \"alice\" with:\n\
         \x20     | attribute         | value             |\n      | userPrincipalName | alice@contoso.com |\n\
         \x20     | displayName       | Alice             |\n    And \"alice\" is assigned to the app\n\
         \x20   When the provisioning cycle runs\n    And \"alice\" is unassigned from the app\n\
         \x20   And the provisioning cycle runs\n\
         \n  Scenario: Okta\n    Given an Okta org\n    And the user \"alice\" with:\n\
         \x20     | attribute | value             |\n      | login     | alice@contoso.com |\n\
         \x20     | firstName | Alice             |\n      | lastName  | Smith             |\n\
         \x20   And \"alice\" is assigned to the app\n    When \"alice\"'s \"firstName\" is changed to \"Alicia\"\n\
         \x20   And \"alice\" is unassigned from the app\n",
    )
    .unwrap();
    let (transcripts, snapshots) = (scratch.0.join("transcripts"), scratch.0.join("snapshots"));
    let url = format!("{}/scim/v2", server.uri());
    let args = [
        "run",
        feature.to_str().unwrap(),
        "--target",
        &url,
        "--transcript",
        transcripts.to_str().unwrap(),
        "--snapshots",
        snapshots.to_str().unwrap(),
    ];
    let outcome = run_with_env(&args, &[("SCIMSIM_TOKEN", "token-of-the-test")], &["SCIMSIM_TARGET_URL"]);
    expect_no_panic(&outcome);
    let received = runtime.block_on(server.received_requests()).unwrap_or_default();
    assert!(received.iter().any(|r| r.method.as_str() == "GET"), "the IdPs queried the target");
    let changed: Vec<String> = received
        .iter()
        .filter(|r| ["PATCH", "PUT", "DELETE"].contains(&r.method.as_str()) && r.url.path().ends_with("/foreign-1"))
        .map(|r| format!("{} {}", r.method, r.url))
        .collect();
    assert!(changed.is_empty(), "someone else's user was changed: {changed:?}");
    let written: String = std::fs::read_dir(transcripts.join("match"))
        .map(|dir| dir.flatten().map(|e| std::fs::read_to_string(e.path()).unwrap_or_default()).collect())
        .unwrap_or_default();
    assert!(
        written.contains("not sent: this run did not create Users/foreign-1"),
        "the refusal is recorded:\n{written}"
    );
}
