//! The `scimsim` binary run as a user runs it: `scimsim serve` started as a child process,
//! its printed URL and token used over HTTP, stopped with SIGTERM; and every way its command
//! line or schema files can be wrong, checked by exit code and stderr.
//!
//! No test may hang: every wait has a deadline, and a child still running when a test ends
//! (passed or panicked) is killed.

#![cfg(unix)]

use std::process::Command;
use std::time::Instant;

use reqwest::Method;
use scimsim::scim::urn;
use serde_json::{Value, json};

use super::process::{DEADLINE, Outcome, Process, TempDir, path_str, run, run_with_env};

/// What `serve` prints in place of a token it was given.
const TOKEN_GIVEN: &str = "<the token you gave>";

/// The extension URN the schema tests register.
const EXT_URN: &str = "urn:example:params:scim:schemas:extension:acme:2.0:User";

/// A running `scimsim serve` and what it printed on start.
#[derive(Debug)]
struct Served {
    process: Process,
    /// The first stdout line.
    banner: String,
    /// `SCIMSIM_TARGET_URL`.
    url: String,
    /// `SCIMSIM_TOKEN` as printed (a token, or [`TOKEN_GIVEN`]).
    printed_token: String,
}

impl Served {
    /// Runs `scimsim serve <args>` and waits for its URL and token lines.
    fn start(args: &[&str]) -> Self {
        Self::start_with_env(args, &[])
    }

    fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut process = Process::start(&[&["serve"], args].concat(), env, &[]);
        let deadline = Instant::now() + DEADLINE;
        let mut lines = Vec::new();
        while lines.len() < 3 {
            match process.next_line(deadline) {
                Some(line) => lines.push(line),
                None => {
                    let outcome = process.finish_now();
                    panic!(
                        "`scimsim serve {}` did not print its URL and token within {DEADLINE:?} \
                         (exit code {:?})\nstdout:\n{}\nstderr:\n{}",
                        args.join(" "),
                        outcome.code,
                        outcome.stdout,
                        outcome.stderr
                    );
                }
            }
        }
        let url = lines[1].strip_prefix("SCIMSIM_TARGET_URL=");
        let token = lines[2].strip_prefix("SCIMSIM_TOKEN=");
        let (Some(url), Some(token)) = (url, token) else {
            panic!("unexpected start-up output: {lines:#?}");
        };
        Self { banner: lines[0].clone(), url: url.to_string(), printed_token: token.to_string(), process }
    }

    /// `scheme://host:port` of the printed URL, without the base path.
    fn origin(&self) -> &str {
        let after_scheme = self.url.find("://").map_or(0, |i| i + 3);
        let end = self.url[after_scheme..].find('/').map_or(self.url.len(), |i| after_scheme + i);
        &self.url[..end]
    }

    /// Sends SIGTERM and waits for the process to exit.
    fn stop(self) -> Outcome {
        let pid = self.process.pid().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().expect("`kill` runs");
        assert!(status.success(), "kill -TERM {pid} failed: {status}");
        self.process.finish()
    }
}

// ---------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------

/// A blocking façade over reqwest: one small runtime per test.
#[derive(Debug)]
struct Http {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

/// A status and a body (JSON when it parses, else the raw text as a JSON string).
#[derive(Debug)]
struct Reply {
    status: u16,
    body: Value,
}

impl Http {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime starts");
        let client = reqwest::Client::builder().no_proxy().timeout(DEADLINE).build().expect("the HTTP client builds");
        Self { runtime, client }
    }

    fn send(&self, method: Method, url: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
        let mut request = self.client.request(method, url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/scim+json").body(body.to_string());
        }
        self.runtime.block_on(async {
            let response = request.send().await.unwrap_or_else(|e| panic!("{url}: no answer: {e}"));
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_else(|e| panic!("{url}: body did not arrive: {e}"));
            let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
            Reply { status, body }
        })
    }

    fn get(&self, url: &str, token: Option<&str>) -> Reply {
        self.send(Method::GET, url, token, None)
    }

    fn post(&self, url: &str, token: &str, body: &Value) -> Reply {
        self.send(Method::POST, url, Some(token), Some(body))
    }
}

#[track_caller]
fn expect_status(reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "body: {:#}", reply.body);
}

/// Checks that `reply` is a 200 `ListResponse`.
#[track_caller]
fn expect_list_response(reply: &Reply) {
    expect_status(reply, 200);
    assert_eq!(reply.body["schemas"], json!([urn::LIST_RESPONSE]), "{:#}", reply.body);
    assert!(reply.body["totalResults"].is_u64(), "{:#}", reply.body);
}

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

/// An extension schema with a string `costCenter` and an integer `badge`.
fn extension_schema(id: &str) -> String {
    json!({
        "id": id,
        "name": "AcmeExtension",
        "description": "Acme's extra attributes",
        "attributes": [
            {"name": "costCenter", "type": "string"},
            {"name": "badge", "type": "integer"}
        ]
    })
    .to_string()
}

/// The `schemaExtensions` URNs of a resource type.
fn schema_extensions(resource_type: &Value) -> Vec<&str> {
    resource_type["schemaExtensions"]
        .as_array()
        .unwrap_or_else(|| panic!("schemaExtensions is an array: {resource_type:#}"))
        .iter()
        .filter_map(|e| e["schema"].as_str())
        .collect()
}

/// The ids of the schemas in a `/Schemas` list response.
fn schema_ids(list: &Value) -> Vec<&str> {
    list["Resources"].as_array().map(|all| all.iter().filter_map(|s| s["id"].as_str()).collect()).unwrap_or_default()
}

/// Checks that `/Schemas` lists `urn` and that the User resource type names it among its
/// `schemaExtensions`.
#[track_caller]
fn expect_user_extension_published(http: &Http, served: &Served, token: &str, urn: &str) {
    let schemas = http.get(&format!("{}/Schemas", served.url), Some(token));
    expect_list_response(&schemas);
    assert!(schema_ids(&schemas.body).contains(&urn), "{:#}", schemas.body);
    let user_type = http.get(&format!("{}/ResourceTypes/User", served.url), Some(token));
    expect_status(&user_type, 200);
    assert!(schema_extensions(&user_type.body).contains(&urn), "{:#}", user_type.body);
}

/// Checks that the run failed with `code` and an `error: ` line on stderr, and nothing on
/// stdout saying it serves.
#[track_caller]
fn expect_failure(outcome: &Outcome, code: i32) {
    assert_eq!(outcome.code, Some(code), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    assert!(!outcome.stdout.contains("SCIMSIM_TARGET_URL"), "a failed start prints no URL: {}", outcome.stdout);
}

#[track_caller]
fn expect_error_line(outcome: &Outcome) {
    assert!(outcome.stderr.starts_with("error: "), "stderr: {}", outcome.stderr);
}

/// Runs `args`, which clap refuses: exit code 2 and each of `needles` on stderr.
#[track_caller]
fn expect_refused_arguments(args: &[&str], needles: &[&str]) {
    let outcome = run(args);
    expect_failure(&outcome, 2);
    for needle in needles {
        assert!(outcome.stderr.contains(needle), "stderr has {needle:?}: {}", outcome.stderr);
    }
}

// ---------------------------------------------------------------------------------------
// Starting, serving, stopping
// ---------------------------------------------------------------------------------------

#[test]
fn serve_prints_url_and_generated_token_serves_and_stops_on_sigterm() {
    let served = Served::start(&["--addr", "127.0.0.1:0"]);
    assert!(!served.banner.trim().is_empty(), "the first line says what runs");
    assert!(served.url.starts_with("http://127.0.0.1:"), "{}", served.url);
    assert!(served.url.ends_with("/scim/v2"), "the default base path: {}", served.url);
    let token = served.printed_token.clone();
    assert!(!token.is_empty() && token != TOKEN_GIVEN, "a generated token is printed: {token:?}");
    assert!(!token.contains(char::is_whitespace), "{token:?}");

    let http = Http::new();
    let users = format!("{}/Users", served.url);
    let listed = http.get(&users, Some(&token));
    expect_list_response(&listed);
    assert_eq!(listed.body["totalResults"], 0, "a fresh server is empty: {:#}", listed.body);
    expect_status(&http.get(&users, None), 401);
    expect_status(&http.get(&users, Some("not-the-token")), 401);

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
    assert_eq!(outcome.stdout.lines().last(), Some("stopped"), "stdout:\n{}", outcome.stdout);
    assert!(!outcome.stderr.contains("error"), "a clean stop reports no error: {}", outcome.stderr);
}

// ---------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------

#[test]
fn token_flag_is_used_and_not_printed() {
    let token = "cli-test-T0ken-given-on-the-command-line";
    let served = Served::start(&["--token", token]);
    assert_eq!(served.printed_token, TOKEN_GIVEN);
    let http = Http::new();
    let users = format!("{}/Users", served.url);
    expect_list_response(&http.get(&users, Some(token)));
    expect_status(&http.get(&users, Some("cli-test-some-other-token")), 401);
    expect_status(&http.get(&users, None), 401);

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
    assert!(!outcome.stdout.contains(token), "the token is never printed:\n{}", outcome.stdout);
    assert!(!outcome.stderr.contains(token), "the token is never printed:\n{}", outcome.stderr);
}

#[test]
fn token_env_reads_the_token_from_the_named_variable() {
    let var = "SCIMSIM_CLI_TEST_TOKEN_FROM_ENV";
    let token = "cli-test-token-from-the-environment";
    let served = Served::start_with_env(&["--token-env", var], &[(var, token)]);
    assert_eq!(served.printed_token, TOKEN_GIVEN);
    let http = Http::new();
    let users = format!("{}/Users", served.url);
    expect_list_response(&http.get(&users, Some(token)));
    expect_status(&http.get(&users, Some(var)), 401);

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
    assert!(!outcome.stdout.contains(token), "the token is never printed:\n{}", outcome.stdout);
}

#[test]
fn token_env_naming_an_unset_variable_is_a_usage_error() {
    let var = "SCIMSIM_CLI_TEST_VARIABLE_THAT_IS_NOT_SET";
    let outcome = run_with_env(&["serve", "--token-env", var], &[], &[var]);
    expect_failure(&outcome, 2);
    expect_error_line(&outcome);
    assert!(outcome.stderr.contains(var), "stderr names the variable: {}", outcome.stderr);
}

#[test]
fn empty_token_is_a_usage_error() {
    let outcome = run(&["serve", "--token", ""]);
    expect_failure(&outcome, 2);
    expect_error_line(&outcome);
    assert!(outcome.stderr.contains("empty"), "stderr says the token is empty: {}", outcome.stderr);

    let var = "SCIMSIM_CLI_TEST_EMPTY_TOKEN";
    let outcome = run_with_env(&["serve", "--token-env", var], &[(var, "")], &[]);
    expect_failure(&outcome, 2);
    expect_error_line(&outcome);
}

// ---------------------------------------------------------------------------------------
// Extension schemas
// ---------------------------------------------------------------------------------------

#[test]
fn schema_file_registers_a_user_extension() {
    let dir = TempDir::new("cli-user-extension");
    let file = dir.write("acme-user.json", &extension_schema(EXT_URN));
    let served = Served::start(&["--schema", &file]);
    let token = served.printed_token.clone();
    let http = Http::new();

    expect_user_extension_published(&http, &served, &token, EXT_URN);
    let schema = http.get(&format!("{}/Schemas/{EXT_URN}", served.url), Some(&token));
    expect_status(&schema, 200);
    let attribute_names: Vec<&str> =
        schema.body["attributes"].as_array().into_iter().flatten().filter_map(|a| a["name"].as_str()).collect();
    assert_eq!(attribute_names, ["costCenter", "badge"], "{:#}", schema.body);

    let group_type = http.get(&format!("{}/ResourceTypes/Group", served.url), Some(&token));
    expect_status(&group_type, 200);
    assert!(!schema_extensions(&group_type.body).contains(&EXT_URN), "{:#}", group_type.body);

    let body = json!({
        "schemas": [urn::USER, EXT_URN],
        "userName": "cli-extension-user",
        EXT_URN: {"costCenter": "CC-4711", "badge": 42}
    });
    let created = http.post(&format!("{}/Users", served.url), &token, &body);
    expect_status(&created, 201);
    assert_eq!(created.body[EXT_URN], json!({"costCenter": "CC-4711", "badge": 42}), "{:#}", created.body);
    let id = created.body["id"].as_str().expect("the user has an id");
    let fetched = http.get(&format!("{}/Users/{id}", served.url), Some(&token));
    expect_status(&fetched, 200);
    assert_eq!(fetched.body[EXT_URN], json!({"costCenter": "CC-4711", "badge": 42}), "{:#}", fetched.body);
    assert!(fetched.body["schemas"].as_array().is_some_and(|s| s.contains(&json!(EXT_URN))), "{:#}", fetched.body);

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
}

#[test]
fn group_prefixed_schema_file_extends_group() {
    let group_urn = "urn:example:params:scim:schemas:extension:acme:2.0:Group";
    let dir = TempDir::new("cli-group-extension");
    let group_file = dir.write("acme-group.json", &extension_schema(group_urn));
    let user_file = dir.write("acme-user.json", &extension_schema(EXT_URN));
    let served = Served::start(&["--schema", &format!("Group={group_file}"), "--schema", &format!("User={user_file}")]);
    let token = served.printed_token.clone();
    let http = Http::new();

    let schemas = http.get(&format!("{}/Schemas", served.url), Some(&token));
    expect_list_response(&schemas);
    let ids = schema_ids(&schemas.body);
    assert!(ids.contains(&group_urn) && ids.contains(&EXT_URN), "{:#}", schemas.body);

    let group_type = http.get(&format!("{}/ResourceTypes/Group", served.url), Some(&token));
    expect_status(&group_type, 200);
    assert_eq!(schema_extensions(&group_type.body), [group_urn], "{:#}", group_type.body);
    let user_type = http.get(&format!("{}/ResourceTypes/User", served.url), Some(&token));
    expect_status(&user_type, 200);
    let user_extensions = schema_extensions(&user_type.body);
    assert!(user_extensions.contains(&EXT_URN), "User= extends User: {:#}", user_type.body);
    assert!(!user_extensions.contains(&group_urn), "Group= does not extend User: {:#}", user_type.body);

    let body = json!({
        "schemas": [urn::GROUP, group_urn],
        "displayName": "cli-extension-group",
        group_urn: {"costCenter": "CC-0815", "badge": 7}
    });
    let created = http.post(&format!("{}/Groups", served.url), &token, &body);
    expect_status(&created, 201);
    let id = created.body["id"].as_str().expect("the group has an id");
    let fetched = http.get(&format!("{}/Groups/{id}", served.url), Some(&token));
    expect_status(&fetched, 200);
    assert_eq!(fetched.body[group_urn], json!({"costCenter": "CC-0815", "badge": 7}), "{:#}", fetched.body);

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
}

#[test]
fn missing_schema_file_is_a_usage_error() {
    let dir = TempDir::new("cli-missing-schema");
    let file = dir.path("does-not-exist.json");
    let outcome = run(&["serve", "--schema", &file]);
    expect_failure(&outcome, 2);
    expect_error_line(&outcome);
    assert!(outcome.stderr.contains(&file), "stderr names the file: {}", outcome.stderr);
    assert!(outcome.stderr.contains("No such file"), "stderr says why it cannot be read: {}", outcome.stderr);
}

#[test]
fn schema_file_with_invalid_json_reports_line_and_column() {
    let dir = TempDir::new("cli-invalid-json");
    // The array opened on line 3 is closed by `}` at line 4, column 1.
    let file = dir.write("broken.json", "{\n  \"id\": \"urn:example:acme:2.0:User\",\n  \"attributes\": [\n}\n");
    let outcome = run(&["serve", "--schema", &file]);
    expect_failure(&outcome, 2);
    expect_error_line(&outcome);
    assert!(outcome.stderr.contains(&file), "stderr names the file: {}", outcome.stderr);
    assert!(outcome.stderr.contains("line 4, column 1"), "stderr points at the problem: {}", outcome.stderr);
}

#[test]
fn schema_id_that_is_not_a_urn_is_a_usage_error() {
    let dir = TempDir::new("cli-not-a-urn");
    let file = dir.write("acme.json", &extension_schema("acme-extension"));
    let outcome = run(&["serve", "--schema", &file]);
    expect_failure(&outcome, 2);
    expect_error_line(&outcome);
    assert!(outcome.stderr.contains(&file), "stderr names the file: {}", outcome.stderr);
    assert!(outcome.stderr.contains("acme-extension"), "stderr quotes the id: {}", outcome.stderr);
    assert!(outcome.stderr.contains("not a URN"), "stderr says what is wrong: {}", outcome.stderr);
    assert!(outcome.stderr.contains("urn:"), "stderr shows what a URN looks like: {}", outcome.stderr);
}

#[test]
fn two_schema_files_with_the_same_id_are_a_usage_error() {
    let dir = TempDir::new("cli-duplicate-id");
    let first = dir.write("first.json", &extension_schema(EXT_URN));
    let second = dir.write("second.json", &extension_schema(EXT_URN));
    let outcome = run(&["serve", "--schema", &first, "--schema", &second]);
    expect_failure(&outcome, 2);
    expect_error_line(&outcome);
    assert!(outcome.stderr.contains(EXT_URN), "stderr names the clashing id: {}", outcome.stderr);
    assert!(outcome.stderr.contains("own URN"), "stderr says what to fix: {}", outcome.stderr);
    assert!(
        outcome.stderr.contains(&first) || outcome.stderr.contains(&second),
        "stderr names the file to fix: {}",
        outcome.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Behaviour profiles and local users
// ---------------------------------------------------------------------------------------

#[test]
fn profile_ivanti_starts_and_publishes_ivanti_schemas() {
    let ivanti = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";
    let served = Served::start(&["--profile", "ivanti"]);
    assert!(served.banner.contains("ivanti"), "the banner names the profile: {}", served.banner);
    let token = served.printed_token.clone();
    expect_user_extension_published(&Http::new(), &served, &token, ivanti);

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
}

#[test]
fn unknown_profile_is_a_usage_error_that_lists_the_profiles() {
    // The value, the flag, and every name.
    expect_refused_arguments(&["serve", "--profile", "nope"], &["nope", "--profile", "strict, omni, ivanti"]);
}

#[test]
fn profile_and_schema_file_with_the_same_urn_is_a_usage_error() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/schemas/omni-user.json");
    let outcome = run(&["serve", "--profile", "omni", "--schema", fixture]);
    expect_failure(&outcome, 2);
    expect_error_line(&outcome);
    assert!(outcome.stderr.contains("omni profile defines it"), "stderr says why: {}", outcome.stderr);
}

#[test]
fn seed_file_holds_local_users_from_the_start() {
    let dir = TempDir::new("cli-seed");
    let users = json!([
        {"schemas": [urn::USER], "userName": "seed-one@example.com"},
        {"schemas": [urn::USER], "userName": "seed-two@example.com", "active": false}
    ]);
    let file = dir.write("users.json", &users.to_string());
    let served = Served::start(&["--seed", &file]);
    let token = served.printed_token.clone();
    let http = Http::new();
    let listed = http.get(&format!("{}/Users", served.url), Some(&token));
    expect_list_response(&listed);
    assert_eq!(listed.body["totalResults"], 2, "{:#}", listed.body);
    let conflict = http.post(&format!("{}/Users", served.url), &token, &users[0]);
    expect_status(&conflict, 409);

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
}

#[test]
fn seed_file_that_is_not_an_array_of_users_is_a_usage_error() {
    let dir = TempDir::new("cli-seed-invalid");
    let object = dir.write("object.json", &json!({"schemas": [urn::USER], "userName": "x"}).to_string());
    let outcome = run(&["serve", "--seed", &object]);
    expect_failure(&outcome, 2);
    expect_error_line(&outcome);
    assert!(outcome.stderr.contains(&object), "stderr names the file: {}", outcome.stderr);

    let nameless = dir.write("nameless.json", &json!([{"schemas": [urn::USER]}]).to_string());
    let outcome = run(&["serve", "--seed", &nameless]);
    expect_failure(&outcome, 2);
    assert!(outcome.stderr.contains("local user 0"), "stderr names the user: {}", outcome.stderr);
}

// ---------------------------------------------------------------------------------------
// Flags and help
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_flag_is_a_usage_error() {
    expect_refused_arguments(&["serve", "--no-such-flag"], &["--no-such-flag"]);
}

#[test]
fn address_that_does_not_parse_is_a_usage_error() {
    // The value and the flag.
    expect_refused_arguments(&["serve", "--addr", "not-an-address"], &["not-an-address", "--addr"]);
}

#[test]
fn help_exits_zero_and_lists_serve() {
    let outcome = run(&["--help"]);
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
    assert!(outcome.stdout.contains("serve"), "stdout:\n{}", outcome.stdout);
}

#[test]
fn serve_help_documents_every_flag() {
    let outcome = run(&["serve", "--help"]);
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
    for flag in ["--addr", "--token", "--token-env", "--base-path", "--schema", "--profile", "--seed"] {
        assert!(outcome.stdout.contains(flag), "{flag} is documented:\n{}", outcome.stdout);
    }
}

// ---------------------------------------------------------------------------------------
// Addresses and base paths
// ---------------------------------------------------------------------------------------

#[test]
fn port_in_use_is_a_transport_error_that_says_how_to_pick_another() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port is free");
    let addr = taken.local_addr().expect("the listener has an address").to_string();
    let outcome = run(&["serve", "--addr", &addr]);
    drop(taken);
    expect_failure(&outcome, 3);
    expect_error_line(&outcome);
    assert!(outcome.stderr.contains(&addr), "stderr names the address: {}", outcome.stderr);
    assert!(outcome.stderr.contains("another port"), "stderr says what to do: {}", outcome.stderr);
    assert!(outcome.stderr.contains("--addr"), "stderr names the flag to change: {}", outcome.stderr);
}

#[test]
fn base_path_root_serves_at_the_host_root() {
    let served = Served::start(&["--base-path", "/"]);
    let token = served.printed_token.clone();
    assert_eq!(served.url, served.origin(), "the URL has no path: {}", served.url);
    let http = Http::new();
    expect_list_response(&http.get(&format!("{}/Users", served.origin()), Some(&token)));
    let default_path = http.get(&format!("{}/scim/v2/Users", served.origin()), Some(&token));
    assert_ne!(default_path.status, 200, "nothing is served under the default base path: {:#}", default_path.body);

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
}

#[test]
fn custom_base_path_serves_under_it() {
    let served = Served::start(&["--base-path", "/api/scim"]);
    let token = served.printed_token.clone();
    assert!(served.url.ends_with("/api/scim"), "{}", served.url);
    assert_eq!(served.url, format!("{}/api/scim", served.origin()));
    let http = Http::new();
    expect_list_response(&http.get(&format!("{}/Users", served.url), Some(&token)));
    let default_path = http.get(&format!("{}/scim/v2/Users", served.origin()), Some(&token));
    assert_ne!(default_path.status, 200, "nothing is served under the default base path: {:#}", default_path.body);

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
}

#[test]
fn wildcard_address_warns_and_prints_a_loopback_url() {
    let served = Served::start(&["--addr", "0.0.0.0:0"]);
    let token = served.printed_token.clone();
    assert!(served.url.starts_with("http://127.0.0.1:"), "the printed URL is reachable: {}", served.url);
    let http = Http::new();
    expect_list_response(&http.get(&format!("{}/Users", served.url), Some(&token)));

    let outcome = served.stop();
    assert_eq!(outcome.code, Some(0), "stderr: {}", outcome.stderr);
    assert!(outcome.stderr.starts_with("warning: "), "stderr: {}", outcome.stderr);
    assert!(outcome.stderr.contains("0.0.0.0"), "the warning names the address: {}", outcome.stderr);
}

// ---------------------------------------------------------------------------------------
// scimsim run and scimsim features
// ---------------------------------------------------------------------------------------

/// A user's own feature: Okta creates alice; no snapshot step, so it needs no snapshot.
const OWN_FEATURE: &str = r#"@mine
Feature: my own story
  Scenario: Okta creates alice
    Given an Okta org
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
      | email     | alice@example.com |
    When "alice" is assigned to the app
    Then the IdP sent:
      | method | path   |
      | GET    | /Users |
      | POST   | /Users |
    And the target has the user "alice" with "name.givenName" equal to "Alice"

  @other
  Scenario: an unknown step, which only a run that selects it refuses
    Given an Okta org
    When the moon is full
"#;

/// The last non-empty stdout line: the run's `N passed, N failed`.
fn last_line(outcome: &Outcome) -> &str {
    outcome.stdout.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default()
}

#[test]
fn run_takes_a_users_own_feature_and_its_tags() {
    let dir = TempDir::new("cli-run-own");
    let feature = dir.write("mine.feature", OWN_FEATURE);
    let snapshots = dir.path("snapshots");
    let outcome = run(&["run", &feature, "--tags", "@mine and not @other", "--snapshots", &snapshots]);
    assert_eq!(outcome.code, Some(0), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    assert_eq!(last_line(&outcome), "1 passed, 0 failed");
}

#[test]
fn run_compares_the_bundled_suite_with_its_compiled_in_snapshots_outside_the_repository() {
    // An empty snapshot directory is what an installed binary sees outside the repository.
    let dir = TempDir::new("cli-run-bundled");
    let snapshots = dir.path("snapshots");
    let outcome = run(&["run", "--tags", "@okta", "--snapshots", &snapshots]);
    assert_eq!(outcome.code, Some(0), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    let totals = outcome.stdout.lines().rev().nth(1).unwrap_or_default();
    assert!(totals.contains(" scenarios, ") && totals.contains(" exchanges in "), "{totals}");
    let written: Vec<_> = std::fs::read_dir(&dir.0).unwrap().flatten().map(|e| e.path()).collect();
    assert!(written.iter().all(|p| !p.join("okta").exists()), "nothing recorded or left pending: {written:?}");
}

#[test]
fn certify_writes_the_report_files_and_a_verdict_per_idp() {
    let dir = TempDir::new("cli-certify");
    let out = dir.path("report");
    let outcome = run(&["certify", "--idp", "okta", "--out", &out]);
    assert_eq!(outcome.code, Some(0), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    assert!(
        outcome.stdout.contains("✔ features/okta/group_push.feature: 8 of 8 scenarios passed"),
        "{}",
        outcome.stdout
    );
    assert!(outcome.stdout.contains("Okta: compatible") && !outcome.stdout.contains("Entra:"), "{}", outcome.stdout);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.0.join("report/report.json")).unwrap()).unwrap();
    assert_eq!(report["run"]["target"], "embedded reference server");
    assert_eq!(report["verdicts"][0]["idp"], "okta");
    assert_eq!(report["verdicts"][0]["compatible"], true);
    let transcript = report["scenarios"][0]["transcript"].as_str().expect("a transcript per scenario");
    assert!(dir.0.join("report").join(transcript).is_file(), "{transcript}");
    assert!(dir.0.join("report/junit.xml").is_file());
    // Every check of the catalogue is in the page, with its clause and a link to it.
    let html = std::fs::read_to_string(dir.0.join("report/report.html")).unwrap();
    for check in scimsim::checks::catalogue() {
        assert!(html.contains(&format!("data-id=\"{}\"", check.id)), "{} missing from report.html", check.id);
        assert!(html.contains(check.source.section) && html.contains(check.source.url), "{}'s clause", check.id);
    }
    // A second certification into the same directory replaces the first.
    assert_eq!(run(&["certify", "--idp", "okta", "--out", &out]).code, Some(0));
}

#[test]
fn certify_against_an_unreachable_target_is_a_transport_error() {
    let dir = TempDir::new("cli-certify-unreachable");
    let args = ["certify", "--target", "http://127.0.0.1:9/scim/v2", "--out", &dir.path("report")];
    let outcome = run_with_env(&args, &[("SCIMSIM_TOKEN", "t0k3n-unreachable")], &[]);
    expect_failure(&outcome, 3);
    assert!(
        outcome
            .stderr
            .contains("cannot be reached: GET http://127.0.0.1:9/scim/v2/ServiceProviderConfig: cannot connect"),
        "{}",
        outcome.stderr
    );
    assert!(!outcome.stderr.contains("t0k3n-unreachable"));
}

#[test]
fn certify_refuses_a_directory_that_holds_other_files() {
    let dir = TempDir::new("cli-certify-foreign");
    dir.write("notes.txt", "mine");
    let outcome = run(&["certify", "--out", &path_str(&dir.0)]);
    expect_failure(&outcome, 2);
    assert!(outcome.stderr.contains("not a scimsim report"), "{}", outcome.stderr);
    assert!(dir.0.join("notes.txt").is_file());
}

#[test]
fn run_refuses_bad_gherkin_with_exit_code_4() {
    let dir = TempDir::new("cli-run-bad");
    let feature = dir.write("bad.feature", "Scenario: no feature\n  Given a step\n");
    let outcome = run(&["run", &feature]);
    expect_failure(&outcome, 4);
    assert!(outcome.stderr.contains("bad.feature:1:"), "{}", outcome.stderr);
}

#[test]
fn run_refuses_a_bad_tag_expression_and_a_target_without_token() {
    let outcome = run(&["run", "--tags", "@a and"]);
    expect_failure(&outcome, 2);
    assert!(outcome.stderr.contains("tag expression"), "{}", outcome.stderr);
    let outcome = run_with_env(&["run", "--target", "http://127.0.0.1:9/scim"], &[], &["SCIMSIM_TOKEN"]);
    expect_failure(&outcome, 2);
    assert!(outcome.stderr.contains("SCIMSIM_TOKEN"), "{}", outcome.stderr);
}

#[test]
fn run_verbose_prints_the_exchanges_with_the_token_redacted() {
    let dir = TempDir::new("cli-run-verbose");
    let feature = dir.write("mine.feature", OWN_FEATURE);
    let transcripts = dir.path("transcripts");
    let served = Served::start(&["--token", "cli-secret-token-1234"]);
    let env = [("SCIMSIM_TOKEN", "cli-secret-token-1234")];
    let args = [
        "run",
        &feature,
        "--tags",
        "@mine and not @other",
        "-v",
        "--target",
        &served.url,
        "--transcript",
        &transcripts,
    ];
    let outcome = run_with_env(&args, &env, &[]);
    assert_eq!(outcome.code, Some(0), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    assert!(outcome.stdout.contains("> POST /Users"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("> authorization: [redacted]"), "{}", outcome.stdout);
    assert!(outcome.stdout.contains("< HTTP 201"), "{}", outcome.stdout);
    assert!(!outcome.stdout.contains("cli-secret-token-1234") && !outcome.stderr.contains("cli-secret-token-1234"));
    let transcript = std::fs::read_to_string(dir.0.join("transcripts/mine/okta_creates_alice.jsonl"))
        .expect("the scenario's transcript is written");
    assert_eq!(transcript.lines().count(), 2);
    assert!(!transcript.contains("cli-secret-token-1234"));
    // What the run created on the named target is gone.
    let http = Http::new();
    let users = http.get(&format!("{}/Users", served.url), Some("cli-secret-token-1234"));
    assert_eq!(users.body["totalResults"], 0, "{:#}", users.body);
    served.stop();
}

#[test]
fn features_lists_features_scenarios_and_tags() {
    let outcome = run(&["features"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert!(outcome.stdout.contains("features/entra/user_lifecycle.feature"), "{}", outcome.stdout);
    let dir = TempDir::new("cli-features");
    let feature = dir.write("mine.feature", OWN_FEATURE);
    let outcome = run(&["features", &feature, "--tags", "@other"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert!(
        outcome.stdout.contains("mine.feature:19  an unknown step, which only a run that selects it refuses  @other"),
        "{}",
        outcome.stdout
    );
    assert!(!outcome.stdout.contains("Okta creates alice"), "{}", outcome.stdout);
    assert_eq!(last_line(&outcome), "1 features, 1 scenarios");
}
