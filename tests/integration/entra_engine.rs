//! Behaviour of the Entra provisioning engine (src/idp/entra): how it reacts to what the
//! target answers (entra-wire.md §1.2 reactions table, §1.15, §4.2, §4.3) and how the job's
//! configuration shapes what it sends (§1.4–§1.8, §1.13, §1.14, §3.1, §3.6).
//!
//! A correct target is the embedded reference server; answers a correct server never gives
//! (409 on create, 429, 500, 401, a 404 for a match query, two hits, a hanging response) come
//! from wiremock. Time is virtual: nothing sleeps, and a target that hangs meets a 300 ms
//! client timeout.

use std::sync::Arc;
use std::time::{Duration, Instant};

use scimsim::idp::app::{Apply, Mapping, MappingSource};
use scimsim::idp::clock::{DAY, HOUR, MINUTE};
use scimsim::idp::directory::Assignment;
use scimsim::idp::entra::expression::Expression;
use scimsim::idp::entra::scoping::{Clause, Operator, ScopingFilter};
use scimsim::idp::entra::{
    Action, CycleOutcome, Dialect, EntraTenant, ErrorCode, LogEntry, OnDemandError, Options, ResetScope, Scope,
    Settings, Status,
};
use scimsim::target::{Auth, DEFAULT_TIMEOUT, TargetClient, TargetConfig};
use scimsim::transcript::{Exchange, iso8601_duration};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::fake_target::{list_response, mock_target, scim_error};
use crate::util::{TestServer, attrs};

const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// The Secret Token the tenants give wiremock targets.
const MOCK_TOKEN: &str = "entra-secret-token-0f1e2d3c";

// ---------------------------------------------------------------------------------------
// Tenants and source objects
// ---------------------------------------------------------------------------------------

/// A tenant whose job provisions to `tenant_url` with `token`, `options` and `timeout`.
fn tenant_at(tenant_url: &str, token: &str, options: Options, timeout: Duration) -> EntraTenant {
    let settings = Settings::new(tenant_url);
    let (base, _) = settings.base_url(&options);
    let config =
        TargetConfig { use_env_proxy: false, timeout, ..TargetConfig::new(base, Auth::Bearer(token.to_string())) };
    EntraTenant::new(TargetClient::new(config).expect("a valid target config"), settings, options)
}

/// A tenant on the reference server with the portal's defaults.
fn on_reference(server: &TestServer) -> EntraTenant {
    tenant_at(server.server.url(), server.server.token(), Options::default(), DEFAULT_TIMEOUT)
}

/// A tenant on a wiremock server, with a short timeout so a hanging answer fails fast.
fn on_mock(server: &MockServer, options: Options) -> EntraTenant {
    tenant_at(&server.uri(), MOCK_TOKEN, options, Duration::from_millis(300))
}

/// Adds an enabled user `alias` (`alias@contoso.com`, mailNickname `alias`, display name
/// `Alias`) with `extra` attributes, not assigned.
fn add_user(entra: &mut EntraTenant, alias: &str, extra: &[(&str, Value)]) -> String {
    let mut display = alias.to_string();
    display[..1].make_ascii_uppercase();
    let mut attributes = attrs(&[
        ("userPrincipalName", json!(format!("{alias}@contoso.com"))),
        ("mailNickname", json!(alias)),
        ("displayName", json!(display)),
        ("accountEnabled", json!(true)),
    ]);
    attributes.extend(attrs(extra));
    entra.directory.add_user(alias, attributes).expect("a new alias")
}

/// Adds a user as [`add_user`] does and assigns it to the app.
fn add_assigned(entra: &mut EntraTenant, alias: &str, extra: &[(&str, Value)]) -> String {
    let id = add_user(entra, alias, extra);
    entra.directory.assign(&id, Assignment::default_access());
    id
}

fn upn(alias: &str) -> String {
    format!("{alias}@contoso.com")
}

// ---------------------------------------------------------------------------------------
// What was sent and logged
// ---------------------------------------------------------------------------------------

/// `METHOD /path` of every exchange from index `from` on.
fn sent_from(entra: &EntraTenant, from: usize) -> Vec<String> {
    entra.transcript().iter().skip(from).map(|e| format!("{} {}", e.request.method, e.request.path)).collect()
}

fn sent(entra: &EntraTenant) -> Vec<String> {
    sent_from(entra, 0)
}

/// The exchanges with `method`.
fn with_method<'t>(entra: &'t EntraTenant, method: &str) -> Vec<&'t Exchange> {
    entra.transcript().iter().filter(|e| e.request.method == method).collect()
}

/// The decoded `filter` of a request, if it has one.
fn filter_of(exchange: &Exchange) -> Option<String> {
    let query = exchange.request.query.as_deref()?;
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "filter").map(|(_, v)| v.into_owned())
}

/// The decoded filters of every `GET /Users` query from index `from` on.
fn user_filters_from(entra: &EntraTenant, from: usize) -> Vec<String> {
    entra
        .transcript()
        .iter()
        .skip(from)
        .filter(|e| e.request.method == "GET" && e.request.path == "/Users")
        .filter_map(filter_of)
        .collect()
}

/// The log entries about `alias`.
fn log_of<'l>(entra: &'l EntraTenant, alias: &'l str) -> Vec<&'l LogEntry> {
    entra.log().for_alias(alias).collect()
}

/// (action, status, error code) of the log entries about `alias`.
fn outcomes(entra: &EntraTenant, alias: &str) -> Vec<(Action, Status, Option<ErrorCode>)> {
    log_of(entra, alias).iter().map(|e| (e.action, e.status, e.error_code)).collect()
}

/// The PATCH operations sent to `path`, in order.
fn operations_to(entra: &EntraTenant, path: &str) -> Vec<Value> {
    entra
        .transcript()
        .iter()
        .filter(|e| e.request.method == "PATCH" && e.request.path == path)
        .flat_map(|e| e.request.body.as_ref().and_then(|b| b["Operations"].as_array().cloned()).unwrap_or_default())
        .collect()
}

/// The target id `source_id` is linked to.
fn target_id(entra: &EntraTenant, source_id: &str) -> String {
    entra.links().target_of(source_id).expect("the object is linked").to_string()
}

// ---------------------------------------------------------------------------------------
// Reference server state
// ---------------------------------------------------------------------------------------

async fn target_users(server: &TestServer, filter: &str) -> Vec<Value> {
    let query = form_urlencoded::Serializer::new(String::new()).append_pair("filter", filter).finish();
    let list = server.get(&format!("/Users?{query}")).await.expect(200).body;
    list["Resources"].as_array().cloned().unwrap_or_default()
}

/// The target's user with `userName`.
async fn target_user(server: &TestServer, user_name: &str) -> Option<Value> {
    target_users(server, &format!("userName eq \"{user_name}\"")).await.into_iter().next()
}

async fn target_count(server: &TestServer) -> usize {
    let list = server.get("/Users").await.expect(200).body;
    list["Resources"].as_array().map_or(0, Vec::len)
}

// ---------------------------------------------------------------------------------------
// wiremock targets
// ---------------------------------------------------------------------------------------

/// Every `GET /Users` query (the Test Connection probe, match queries) finds nothing, unless
/// a mock with a higher priority answers it.
async fn queries_find_nothing(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/Users"))
        .respond_with(list_response(&[]))
        .with_priority(10)
        .named("GET /Users: no hit")
        .mount(server)
        .await;
}

/// The match query for `userName` answers `resources`.
async fn match_answers(server: &MockServer, user_name: &str, resources: &[Value]) {
    match_query_answers(server, user_name, list_response(resources)).await;
}

/// The match query for `userName` answers `answer`.
async fn match_query_answers(server: &MockServer, user_name: &str, answer: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/Users"))
        .and(query_param("filter", format!("userName eq \"{user_name}\"")))
        .respond_with(answer)
        .named("match query")
        .mount(server)
        .await;
}

/// A target user as a server would return it.
fn existing(id: &str, alias: &str, display_name: &str) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": id, "userName": upn(alias),
           "displayName": display_name, "active": true})
}

/// `POST /Users` creates: the body comes back with `id` = `t-<externalId>`.
fn created() -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    |request: &Request| {
        let mut body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        let id = format!("t-{}", body["externalId"].as_str().unwrap_or("x"));
        body["id"] = json!(id);
        ResponseTemplate::new(201).set_body_json(body)
    }
}

async fn posts_create(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/Users"))
        .respond_with(created())
        .named("POST /Users: 201")
        .mount(server)
        .await;
}

// =======================================================================================
// Reactions to the target's answers
// =======================================================================================

/// §1.2 reactions table (409 → `EntryConflict`, escrow), §4.2 (escrowed objects are retried in
/// later cycles, less and less often, down to once a day).
#[tokio::test]
async fn a_409_on_create_is_escrowed_and_retried_with_a_back_off_capped_at_a_day() {
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    Mock::given(method("POST"))
        .and(path("/Users"))
        .respond_with(scim_error(409, "userName is taken"))
        .up_to_n_times(8)
        .named("POST /Users: 409 eight times")
        .mount(&server)
        .await;
    posts_create(&server).await;
    let mut entra = on_mock(&server, Options::default());
    let alice = add_assigned(&mut entra, "alice", &[]);

    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Completed, "one object's failure does not stop the job");
    assert_eq!(sent(&entra), ["GET /Users", "GET /Users", "POST /Users"]);
    assert_eq!(outcomes(&entra, "alice"), [(Action::Create, Status::Failure, Some(ErrorCode::EntryConflict))]);
    let escrow = entra.escrows().get(&alice).expect("alice waits in escrow").clone();
    assert_eq!((escrow.failures, escrow.retry_at, escrow.error_code.as_str()), (1, 40 * MINUTE, "EntryConflict"));
    assert!(entra.links().get(&alice).is_none());

    // The next cycle, 40 virtual minutes later, matches again and re-sends the POST.
    let report = entra.run_cycle().await;
    assert_eq!(report.started_at, 40 * MINUTE);
    assert_eq!(sent_from(&entra, 3), ["GET /Users", "POST /Users"], "no probe once the job runs");
    assert_eq!(with_method(&entra, "POST")[1].scheduled_at, "PT40M");

    // Each failure waits twice as long as the one before, at most one day; no POST is sent
    // before the retry is due.
    let mut waits = vec![escrow.retry_at, entra.escrows().get(&alice).unwrap().retry_at - 40 * MINUTE];
    let mut cycles = 0;
    while with_method(&entra, "POST").len() < 8 {
        let due = entra.escrows().get(&alice).unwrap().retry_at;
        let posts = with_method(&entra, "POST").len();
        let report = entra.run_cycle().await;
        let now_posts = with_method(&entra, "POST").len();
        if report.started_at < due {
            assert_eq!(now_posts, posts, "nothing is sent before the retry is due ({:?})", report.started_at);
        } else {
            assert_eq!(now_posts, posts + 1);
            assert_eq!(with_method(&entra, "POST")[posts].scheduled_at, iso8601_duration(due));
            waits.push(entra.escrows().get(&alice).unwrap().retry_at - report.started_at);
        }
        cycles += 1;
        assert!(cycles < 400, "the retries never came");
    }
    let minutes: Vec<u64> = waits.iter().map(|w| w.as_secs() / 60).collect();
    assert_eq!(minutes, [40, 80, 160, 320, 640, 1280, 1440, 1440]);
    assert_eq!(entra.escrows().get(&alice).unwrap().failures, 8);

    // The ninth POST succeeds: the escrow is cleared and alice is linked.
    while with_method(&entra, "POST").len() < 9 {
        entra.run_cycle().await;
        cycles += 1;
        assert!(cycles < 500, "the last retry never came");
    }
    assert!(entra.escrows().get(&alice).is_none(), "a success clears the escrow");
    assert_eq!(entra.links().target_of(&alice), Some("t-alice"));
    let log = outcomes(&entra, "alice");
    assert_eq!(log.len(), 9);
    assert!(log[..8].iter().all(|o| *o == (Action::Create, Status::Failure, Some(ErrorCode::EntryConflict))));
    assert_eq!(log[8], (Action::Create, Status::Success, None));
}

/// §1.2 (429 "automatically retried"), §4.2 (after `Retry-After`).
#[tokio::test]
async fn a_429_with_retry_after_is_resent_after_that_many_virtual_seconds() {
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    Mock::given(method("POST"))
        .and(path("/Users"))
        .respond_with(scim_error(429, "slow down").insert_header("Retry-After", "120"))
        .up_to_n_times(1)
        .named("POST /Users: 429 once")
        .mount(&server)
        .await;
    posts_create(&server).await;
    let mut entra = on_mock(&server, Options::default());
    let alice = add_assigned(&mut entra, "alice", &[]);

    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Completed);
    let posts: Vec<(&str, Option<u16>)> = with_method(&entra, "POST")
        .iter()
        .map(|e| (e.scheduled_at.as_str(), e.response.as_ref().map(|r| r.status)))
        .collect();
    assert_eq!(posts, [("PT0S", Some(429)), ("PT2M", Some(201))]);
    assert_eq!(
        with_method(&entra, "POST")[0].request.body,
        with_method(&entra, "POST")[1].request.body,
        "the same request"
    );
    assert_eq!(outcomes(&entra, "alice"), [(Action::Create, Status::Success, None)], "a retried 429 is no failure");
    assert!(entra.escrows().get(&alice).is_none());
    assert_eq!(entra.links().target_of(&alice), Some("t-alice"));
}

/// §4.2: without `Retry-After` the engine waits `Options::retry_after_default` [Inf].
#[tokio::test]
async fn a_429_without_retry_after_waits_the_default() {
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    Mock::given(method("POST"))
        .and(path("/Users"))
        .respond_with(scim_error(429, "slow down"))
        .up_to_n_times(1)
        .named("POST /Users: 429 once, no Retry-After")
        .mount(&server)
        .await;
    posts_create(&server).await;
    let options = Options { retry_after_default: Duration::from_secs(90), ..Options::default() };
    let mut entra = on_mock(&server, options);
    add_assigned(&mut entra, "alice", &[]);

    entra.run_cycle().await;
    let times: Vec<&str> = with_method(&entra, "POST").iter().map(|e| e.scheduled_at.as_str()).collect();
    assert_eq!(times, ["PT0S", "PT1M30S"]);
    assert_eq!(outcomes(&entra, "alice"), [(Action::Create, Status::Success, None)]);
}

/// §4.2, §4.5 (`TooManyRequests`): a request throttled more than
/// `Options::max_throttle_retries` times goes to escrow.
#[tokio::test]
async fn a_request_throttled_too_often_goes_to_escrow() {
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    Mock::given(method("POST"))
        .and(path("/Users"))
        .respond_with(scim_error(429, "slow down").insert_header("Retry-After", "5"))
        .named("POST /Users: always 429")
        .mount(&server)
        .await;
    let mut entra = on_mock(&server, Options::default());
    let alice = add_assigned(&mut entra, "alice", &[]);
    let retries = entra.options().max_throttle_retries;

    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Completed);
    let times: Vec<&str> = with_method(&entra, "POST").iter().map(|e| e.scheduled_at.as_str()).collect();
    let expected: Vec<String> =
        (0..=u64::from(retries)).map(|n| iso8601_duration(Duration::from_secs(5 * n))).collect();
    assert_eq!(times, expected, "one try and {retries} retries, {retries} × 5 s apart");
    assert_eq!(outcomes(&entra, "alice"), [(Action::Create, Status::Failure, Some(ErrorCode::TooManyRequests))]);
    assert_eq!(entra.escrows().get(&alice).map(|e| e.error_code.as_str()), Some("TooManyRequests"));
    assert!(entra.links().get(&alice).is_none());
}

/// §1.2 reactions table and §1.15 (5xx → `InternalServerError`, retried on the next cycle);
/// §4.2 (the failure is escrowed for that object only).
#[tokio::test]
async fn a_500_on_patch_is_escrowed_and_retried_while_other_users_go_on() {
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    match_answers(&server, &upn("alice"), &[existing("t-alice", "alice", "Old Alice")]).await;
    match_answers(&server, &upn("bob"), &[existing("t-bob", "bob", "Old Bob")]).await;
    Mock::given(method("GET"))
        .and(path("/Users/t-alice"))
        .respond_with(ResponseTemplate::new(200).set_body_json(existing("t-alice", "alice", "Old Alice")))
        .named("GET /Users/t-alice")
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/Users/t-alice"))
        .respond_with(scim_error(500, "database down"))
        .up_to_n_times(1)
        .named("PATCH alice: 500 once")
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path_regex("^/Users/t-(alice|bob)$"))
        .respond_with(ResponseTemplate::new(204))
        .named("PATCH: 204")
        .mount(&server)
        .await;
    let mut entra = on_mock(&server, Options::default());
    let alice = add_assigned(&mut entra, "alice", &[]);
    let bob = add_assigned(&mut entra, "bob", &[]);

    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Completed);
    assert_eq!(
        sent(&entra),
        ["GET /Users", "GET /Users", "PATCH /Users/t-alice", "GET /Users", "PATCH /Users/t-bob"],
        "bob is processed after alice's PATCH failed"
    );
    assert_eq!(
        outcomes(&entra, "alice").last().copied(),
        Some((Action::Update, Status::Failure, Some(ErrorCode::InternalServerError)))
    );
    assert_eq!(outcomes(&entra, "bob").last().copied(), Some((Action::Update, Status::Success, None)));
    assert_eq!(entra.escrows().get(&alice).map(|e| e.error_code.as_str()), Some("InternalServerError"));
    assert!(entra.escrows().get(&bob).is_none());

    let n = entra.transcript().len();
    let report = entra.run_cycle().await;
    assert_eq!(report.started_at, 40 * MINUTE);
    assert_eq!(sent_from(&entra, n), ["GET /Users/t-alice", "PATCH /Users/t-alice"], "only alice is retried");
    assert_eq!(entra.transcript().last().unwrap().scheduled_at, "PT40M");
    assert_eq!(outcomes(&entra, "alice").last().copied(), Some((Action::Update, Status::Success, None)));
    assert!(entra.escrows().get(&alice).is_none());
}

/// §1.2 reactions table (`Timeout`, retried on the next cycle), §4.2.
#[tokio::test]
async fn a_hanging_target_is_a_timeout_failure_in_escrow() {
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    Mock::given(method("POST"))
        .and(path("/Users"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(10)))
        .named("POST /Users: hangs")
        .mount(&server)
        .await;
    let mut entra = on_mock(&server, Options::default());
    let alice = add_assigned(&mut entra, "alice", &[]);

    let started = Instant::now();
    let report = entra.run_cycle().await;
    assert!(started.elapsed() < Duration::from_secs(5), "the 300 ms timeout bounds the cycle: {:?}", started.elapsed());
    assert_eq!(report.outcome, CycleOutcome::Completed, "a timeout is the object's failure, not the job's");
    assert_eq!(outcomes(&entra, "alice"), [(Action::Create, Status::Failure, Some(ErrorCode::Timeout))]);
    assert_eq!(entra.escrows().get(&alice).map(|e| e.error_code.as_str()), Some("Timeout"));
    let post = entra.transcript().last().unwrap();
    assert!(post.response.is_none() && post.error.is_some(), "{post:?}");
}

/// §1.1 (401 during a run quarantines the job), §4.3 (retries after 6 h, 12 h, 24 h, then
/// every 24 h; a successful retry ends the quarantine). The outcome carries the 401's own code
/// (`Unauthorized`, §1.2 table); QUAR's reason code for it is `EncounteredQuarantineException`.
#[tokio::test]
async fn too_many_failures_quarantine_the_job() {
    // QUAR (entra-wire.md §4.3): evaluated once failures accumulate, the job is quarantined when
    // more than 40 % of operations fail. The floor is lowered from 5,000 to keep the test small.
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    Mock::given(method("POST"))
        .and(path("/Users"))
        .respond_with(scim_error(500, "database down"))
        .named("POST /Users: 500")
        .mount(&server)
        .await;
    let options = Options { quarantine_evaluation_floor: 3, ..Options::default() };
    let mut entra = on_mock(&server, options);
    for alias in ["alice", "bob"] {
        add_assigned(&mut entra, alias, &[]);
    }
    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Completed, "two failures stay under the floor of three");
    assert!(entra.quarantine().is_none());
    add_assigned(&mut entra, "carol", &[]);
    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Quarantined(ErrorCode::EncounteredEscrowProportionThreshold));
    let quarantine = entra.quarantine().expect("quarantined");
    assert!(quarantine.detail.contains("operations failed"), "{}", quarantine.detail);
    assert_eq!(entra.next_cycle_at() - report.started_at, 6 * HOUR);
}

#[tokio::test]
async fn a_401_probe_quarantines_the_job_until_the_target_answers_again() {
    let server = mock_target().await;
    // Five refusals, then the target answers again. (Not a scoped mock: wiremock 0.6.5 sorts
    // mocks by priority and then deactivates a scoped one by its old index.)
    Mock::given(method("GET"))
        .and(path("/Users"))
        .respond_with(scim_error(401, "bad token"))
        .up_to_n_times(5)
        .named("GET /Users: 401 five times")
        .mount(&server)
        .await;
    queries_find_nothing(&server).await;
    posts_create(&server).await;
    let mut entra = on_mock(&server, Options::default());
    let alice = add_assigned(&mut entra, "alice", &[]);

    let mut starts = Vec::new();
    for _ in 0..5 {
        let report = entra.run_cycle().await;
        assert_eq!(report.outcome, CycleOutcome::Quarantined(ErrorCode::Unauthorized));
        starts.push(report.started_at);
        let quarantine = entra.quarantine().expect("the job is in quarantine");
        assert_eq!((quarantine.since, quarantine.reason), (Duration::ZERO, ErrorCode::Unauthorized));
    }
    assert_eq!(starts, [Duration::ZERO, 6 * HOUR, 18 * HOUR, 42 * HOUR, 66 * HOUR]);
    assert_eq!(entra.next_cycle_at(), 90 * HOUR);
    assert_eq!(sent(&entra), vec!["GET /Users"; 5], "only the probe is sent while in quarantine");
    assert!(with_method(&entra, "POST").is_empty());

    let report = entra.run_cycle().await;
    assert_eq!((report.started_at, report.outcome), (90 * HOUR, CycleOutcome::Completed));
    assert!(entra.quarantine().is_none(), "a successful retry ends the quarantine");
    assert_eq!(entra.links().target_of(&alice), Some("t-alice"));
    assert_eq!(entra.next_cycle_at(), 90 * HOUR + 40 * MINUTE, "back to 40-minute cycles");
}

/// §4.3: after four weeks in quarantine the job is disabled.
#[tokio::test]
async fn four_weeks_of_quarantine_disable_the_job() {
    let server = mock_target().await;
    Mock::given(method("GET"))
        .and(path("/Users"))
        .respond_with(scim_error(401, "bad token"))
        .named("GET /Users: 401")
        .mount(&server)
        .await;
    let mut entra = on_mock(&server, Options::default());
    add_assigned(&mut entra, "alice", &[]);

    let mut last_quarantined = Duration::ZERO;
    let disabled = loop {
        let report = entra.run_cycle().await;
        match report.outcome {
            CycleOutcome::Quarantined(ErrorCode::Unauthorized) => last_quarantined = report.started_at,
            CycleOutcome::Disabled => break report,
            other => panic!("unexpected outcome {other:?}"),
        }
        assert!(report.cycle < 100, "the job was never disabled");
    };
    assert!(last_quarantined < 28 * DAY && disabled.started_at >= 28 * DAY, "{last_quarantined:?} {disabled:?}");
    assert!(entra.is_disabled());
    let n = entra.transcript().len();
    assert_eq!(with_method(&entra, "GET").len(), n);
    assert_eq!(entra.run_cycle().await.outcome, CycleOutcome::Disabled, "it stays disabled");
    assert_eq!(entra.transcript().len(), n, "a disabled job sends nothing");
}

/// §1.1, §4.3: an unreachable endpoint quarantines the job (`EncounteredQuarantineException`).
#[tokio::test]
async fn a_refused_connection_quarantines_the_job() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/scim");
    let mut entra = tenant_at(&url, MOCK_TOKEN, Options::default(), Duration::from_millis(300));
    add_assigned(&mut entra, "alice", &[]);

    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Quarantined(ErrorCode::EncounteredQuarantineException));
    assert_eq!(entra.quarantine().map(|q| q.reason), Some(ErrorCode::EncounteredQuarantineException));
    assert_eq!(entra.next_cycle_at(), 6 * HOUR);
    let probe = entra.transcript().last().unwrap();
    assert!(probe.response.is_none() && probe.error.is_some(), "{probe:?}");
}

/// §1.0 (a linked id that answers 404 is `InvalidAnchor`; Entra does not re-create the
/// object), §1.15.
#[tokio::test]
async fn a_linked_user_gone_from_the_target_is_an_invalid_anchor_and_not_recreated() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let alice = add_assigned(&mut entra, "alice", &[("department", json!("Retail"))]);
    entra.run_cycle().await;
    let id = target_id(&entra, &alice);
    server.delete(&format!("/Users/{id}")).await.expect(204);

    entra.directory.set_attribute(&alice, "department", json!("Sales"));
    let n = entra.transcript().len();
    entra.run_cycle().await;
    assert_eq!(sent_from(&entra, n), [format!("GET /Users/{id}")]);
    assert_eq!(
        outcomes(&entra, "alice").last().copied(),
        Some((Action::Update, Status::Failure, Some(ErrorCode::InvalidAnchor)))
    );
    assert_eq!(entra.escrows().get(&alice).map(|e| e.error_code.as_str()), Some("InvalidAnchor"));
    assert_eq!(entra.links().target_of(&alice), Some(id.as_str()), "the object connection stays");

    // The escrow retry fails the same way: still no match query, still no POST.
    let retry_at = entra.escrows().get(&alice).unwrap().retry_at;
    while entra.now() < retry_at {
        entra.run_cycle().await;
    }
    assert_eq!(sent_from(&entra, n), [format!("GET /Users/{id}"), format!("GET /Users/{id}")]);
    assert_eq!(with_method(&entra, "POST").len(), 1, "only the original create");
    assert!(target_user(&server, &upn("alice")).await.is_none());
}

/// §1.0 (>1 result → `DuplicateTargetEntries`), §4.5.
#[tokio::test]
async fn a_match_query_with_two_hits_is_a_duplicate_and_nothing_is_created() {
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    match_answers(&server, &upn("alice"), &[existing("t-1", "alice", "Alice"), existing("t-2", "alice", "Alice")])
        .await;
    let mut entra = on_mock(&server, Options::default());
    let alice = add_assigned(&mut entra, "alice", &[]);

    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Completed);
    assert_eq!(sent(&entra), ["GET /Users", "GET /Users"], "no POST");
    assert_eq!(outcomes(&entra, "alice"), [(Action::Other, Status::Failure, Some(ErrorCode::DuplicateTargetEntries))]);
    assert!(entra.links().get(&alice).is_none());
    assert!(entra.escrows().get(&alice).is_some());
}

/// §1.1 and §1.15 (404 on the list endpoint → quarantine, "HTTP/404 rather than 200").
#[tokio::test]
async fn a_match_query_answered_404_quarantines_the_job() {
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    match_query_answers(&server, &upn("alice"), ResponseTemplate::new(404)).await;
    let mut entra = on_mock(&server, Options::default());
    add_assigned(&mut entra, "alice", &[]);

    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Quarantined(ErrorCode::EncounteredQuarantineException));
    let quarantine = entra.quarantine().expect("quarantined");
    assert!(quarantine.detail.contains("404"), "{}", quarantine.detail);
    assert_eq!(sent(&entra), ["GET /Users", "GET /Users"], "no POST");
}

/// §4.3: a quarantine lasts while its cause does. Its retries back off 6 h, 12 h, 24 h, and a
/// retry that passes the Test Connection probe but fails again on the same cause is not a
/// "successful retry" that ends it (nor restarts its four-week clock).
#[tokio::test]
async fn a_quarantine_whose_cause_persists_keeps_backing_off() {
    let server = mock_target().await;
    queries_find_nothing(&server).await;
    match_query_answers(&server, &upn("alice"), ResponseTemplate::new(404)).await;
    let mut entra = on_mock(&server, Options::default());
    add_assigned(&mut entra, "alice", &[]);

    let mut starts = Vec::new();
    for _ in 0..4 {
        let report = entra.run_cycle().await;
        assert_eq!(report.outcome, CycleOutcome::Quarantined(ErrorCode::EncounteredQuarantineException));
        starts.push(report.started_at);
    }
    assert_eq!(starts, [Duration::ZERO, 6 * HOUR, 18 * HOUR, 42 * HOUR], "6 h, 12 h, 24 h");
    assert_eq!(entra.quarantine().map(|q| q.since), Some(Duration::ZERO), "in quarantine since the first failure");
}

/// Three provisioned users are unassigned with an accidental-deletion threshold of 2.
async fn three_users_over_the_deletion_threshold(server: &TestServer) -> (EntraTenant, Vec<String>) {
    let mut entra = on_reference(server);
    entra.edit_settings(|s| s.accidental_deletion_threshold = Some(2));
    let ids: Vec<String> = ["alice", "bob", "carol"].iter().map(|a| add_assigned(&mut entra, a, &[])).collect();
    entra.run_cycle().await;
    assert_eq!(entra.links().len(), 3);
    for id in &ids {
        entra.directory.unassign(id);
    }
    let n = entra.transcript().len();
    for _ in 0..2 {
        let report = entra.run_cycle().await;
        assert_eq!(report.outcome, CycleOutcome::AwaitingDeleteApproval(3), "it keeps waiting");
    }
    assert_eq!(sent_from(&entra, n), Vec::<String>::new(), "nothing is sent while deletes wait for approval");
    for alias in ["alice", "bob", "carol"] {
        assert_eq!(outcomes(&entra, alias)[1..], [(Action::StagedDelete, Status::Skipped, None); 2]);
        assert_eq!(target_user(server, &upn(alias)).await.unwrap()["active"], true);
    }
    (entra, ids)
}

async fn assert_all_disabled(entra: &EntraTenant, server: &TestServer, ids: &[String]) {
    for (id, alias) in ids.iter().zip(["alice", "bob", "carol"]) {
        let path = format!("/Users/{}", target_id(entra, id));
        assert_eq!(operations_to(entra, &path), [json!({"op": "Replace", "path": "active", "value": "False"})]);
        assert_eq!(target_user(server, &upn(alias)).await.unwrap()["active"], false);
        assert_eq!(outcomes(entra, alias).last().copied(), Some((Action::Disable, Status::Success, None)));
    }
}

/// §1.7 (ACCDEL: over the threshold the job stops with `StagedDelete` entries and waits for
/// "Allow deletes"), §4.3.
#[tokio::test]
async fn deletes_over_the_threshold_wait_for_approval() {
    let server = TestServer::start().await;
    let (mut entra, ids) = three_users_over_the_deletion_threshold(&server).await;
    entra.approve_deletes();
    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Completed);
    assert_all_disabled(&entra, &server, &ids).await;
}

/// §1.14 (`ForceDeletes` reset scope) releases the held deletes as "Allow deletes" does.
#[tokio::test]
async fn a_force_deletes_restart_releases_held_deletes() {
    let server = TestServer::start().await;
    let (mut entra, ids) = three_users_over_the_deletion_threshold(&server).await;
    entra.restart(ResetScope::ForceDeletes);
    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Completed);
    assert_all_disabled(&entra, &server, &ids).await;
}

/// §1.7 (ACCDEL counts the disables and deletes a cycle would send): users blocked from
/// sign-in stay assigned, so once disabled they stay linked and in every full cycle's
/// candidates; Entra's own record that it sent them `active: false` keeps them out of the
/// count, so one more blocked user does not hold the job for approval.
#[tokio::test]
async fn users_already_disabled_do_not_count_toward_the_deletion_threshold_again() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    entra.edit_settings(|s| s.accidental_deletion_threshold = Some(2));
    let ids: Vec<String> = ["alice", "bob", "carol"].iter().map(|a| add_assigned(&mut entra, a, &[])).collect();
    entra.run_cycle().await;
    for id in &ids[..2] {
        entra.directory.set_attribute(id, "accountEnabled", json!(false));
    }
    assert_eq!(entra.run_cycle().await.outcome, CycleOutcome::Completed, "two disables, at the threshold");
    entra.directory.set_attribute(&ids[2], "accountEnabled", json!(false));
    // A full cycle: every user is a candidate again.
    entra.restart(ResetScope::Portal);
    assert_eq!(entra.run_cycle().await.outcome, CycleOutcome::Completed, "one new disable, not three");
    for alias in ["alice", "bob", "carol"] {
        assert_eq!(target_user(&server, &upn(alias)).await.unwrap()["active"], false, "{alias}");
    }
}

// =======================================================================================
// Configuration
// =======================================================================================

/// §1.0 and §3.1 (matching precedence: one query per matching attribute in order, stop at the
/// first hit, never a combined filter).
#[tokio::test]
async fn matching_stops_at_the_first_attribute_that_finds_the_user() {
    let server = TestServer::start().await;
    let alice_t = crate::util::id(&server.create_user(&upn("alice")).await);
    let bob_body = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bob.legacy",
                          "externalId": "bob"});
    let bob_t = crate::util::id(&server.post("/Users", &bob_body).await.expect(201).body);
    let mut entra = on_reference(&server);
    entra.edit_app(|app| {
        app.users.put_mapping(Mapping {
            matching_precedence: Some(2),
            ..Mapping::new(MappingSource::Direct("mailNickname".into()), "externalId")
        });
    });
    let alice = add_assigned(&mut entra, "alice", &[]);
    let bob = add_assigned(&mut entra, "bob", &[]);

    entra.run_cycle().await;
    let filters = user_filters_from(&entra, 1);
    assert_eq!(
        filters,
        ["userName eq \"alice@contoso.com\"", "userName eq \"bob@contoso.com\"", "externalId eq \"bob\""],
        "alice: one query; bob: userName, then externalId"
    );
    assert!(filters.iter().all(|f| !f.to_ascii_lowercase().contains(" and ")), "never a combined filter");
    assert!(with_method(&entra, "POST").is_empty(), "both were linked, none created");
    assert_eq!(entra.links().target_of(&alice), Some(alice_t.as_str()));
    assert_eq!(entra.links().target_of(&bob), Some(bob_t.as_str()));
    assert_eq!(target_count(&server).await, 2);
}

/// §3.1 ("Apply this mapping: Only during object creation").
#[tokio::test]
async fn a_create_only_mapping_flows_in_the_post_and_never_after() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    entra.edit_app(|app| {
        app.users.put_mapping(Mapping {
            apply: Apply::OnCreateOnly,
            ..Mapping::new(MappingSource::Direct("jobTitle".into()), "title")
        });
    });
    let alice = add_assigned(&mut entra, "alice", &[("jobTitle", json!("Engineer")), ("department", json!("Retail"))]);
    entra.run_cycle().await;
    assert_eq!(with_method(&entra, "POST")[0].request.body.as_ref().unwrap()["title"], "Engineer");

    entra.directory.set_attribute(&alice, "jobTitle", json!("Manager"));
    entra.directory.set_attribute(&alice, "department", json!("Sales"));
    entra.run_cycle().await;
    let path = format!("/Users/{}", target_id(&entra, &alice));
    let ops = operations_to(&entra, &path);
    assert_eq!(ops, [json!({"op": "Replace", "path": format!("{ENTERPRISE}:department"), "value": "Sales"})]);
    assert_eq!(target_user(&server, &upn("alice")).await.unwrap()["title"], "Engineer");
}

/// §1.4 and §3.1 ("Default value if null" is used only at creation).
#[tokio::test]
async fn a_default_value_if_null_is_used_on_create_only() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    entra.edit_app(|app| {
        app.users.put_mapping(Mapping {
            default_if_null: Some("Staff".into()),
            ..Mapping::new(MappingSource::Direct("jobTitle".into()), "title")
        });
    });
    let alice = add_assigned(&mut entra, "alice", &[]);
    let bob = add_assigned(&mut entra, "bob", &[("jobTitle", json!("Engineer"))]);
    entra.run_cycle().await;
    let posts = with_method(&entra, "POST");
    assert_eq!(posts[0].request.body.as_ref().unwrap()["title"], "Staff", "alice has no jobTitle");
    assert_eq!(posts[1].request.body.as_ref().unwrap()["title"], "Engineer");

    // bob's title is cleared: the default does not flow on the update, nor does the null.
    entra.directory.set_attribute(&bob, "jobTitle", Value::Null);
    for id in [&alice, &bob] {
        entra.directory.set_attribute(id, "department", json!("Sales"));
    }
    entra.run_cycle().await;
    for id in [&alice, &bob] {
        let ops = operations_to(&entra, &format!("/Users/{}", target_id(&entra, id)));
        assert_eq!(ops, [json!({"op": "Add", "path": format!("{ENTERPRISE}:department"), "value": "Sales"})]);
    }
    assert_eq!(target_user(&server, &upn("bob")).await.unwrap()["title"], "Engineer");
    assert_eq!(target_user(&server, &upn("alice")).await.unwrap()["title"], "Staff");
}

/// §3.1 (Constant and Expression mappings), §3.4 (`IIF` fails when its source is null), §4.5.
#[tokio::test]
async fn constant_and_expression_mappings_flow_and_a_failing_expression_fails_one_user() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let expression = |text: &str| MappingSource::Expression(Arc::new(Expression::parse(text).unwrap()));
    entra.edit_app(|app| {
        app.users.put_mapping(Mapping::new(MappingSource::Constant("Employee".into()), "userType"));
        app.users.put_mapping(Mapping::new(expression("ToLower([displayName])"), "nickName"));
        app.users.put_mapping(Mapping::new(expression(r#"IIF([country]="USA", "US", "Other")"#), "title"));
    });
    add_assigned(&mut entra, "alice", &[("country", json!("USA"))]);
    let bob = add_assigned(&mut entra, "bob", &[]);
    add_assigned(&mut entra, "carol", &[("country", json!("France"))]);

    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Completed);
    for (alias, title) in [("alice", "US"), ("carol", "Other")] {
        let user = target_user(&server, &upn(alias)).await.expect("created");
        assert_eq!(
            (&user["userType"], &user["nickName"], &user["title"]),
            (&json!("Employee"), &json!(alias), &json!(title))
        );
    }
    assert!(target_user(&server, &upn("bob")).await.is_none());
    assert_eq!(
        outcomes(&entra, "bob"),
        [(Action::Create, Status::Failure, Some(ErrorCode::ExpressionEvaluationFailure))]
    );
    assert!(log_of(&entra, "bob")[0].reason.contains("IIF"), "{}", log_of(&entra, "bob")[0].reason);
    assert!(entra.escrows().get(&bob).is_some());
    assert_eq!(with_method(&entra, "POST").len(), 2);
}

/// §3.1 (target object actions): Create off sends no POST.
#[tokio::test]
async fn with_create_off_nothing_is_created() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    entra.edit_app(|app| app.users.actions.create = false);
    add_assigned(&mut entra, "alice", &[]);
    entra.run_cycle().await;
    assert!(with_method(&entra, "POST").is_empty());
    assert_eq!(outcomes(&entra, "alice"), [(Action::Create, Status::Skipped, None)]);
    assert_eq!(target_count(&server).await, 0);
}

/// §3.1 (Update off: changes are not sent; "Delete" still governs deprovisioning).
#[tokio::test]
async fn with_update_off_changes_are_not_sent() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let alice = add_assigned(&mut entra, "alice", &[("department", json!("Retail"))]);
    entra.run_cycle().await;
    entra.edit_app(|app| app.users.actions.update = false);
    entra.directory.set_attribute(&alice, "department", json!("Sales"));
    entra.run_cycle().await;
    let path = format!("/Users/{}", target_id(&entra, &alice));
    assert!(operations_to(&entra, &path).is_empty(), "no PATCH");
    assert_eq!(target_user(&server, &upn("alice")).await.unwrap()[ENTERPRISE]["department"], "Retail");

    entra.directory.unassign(&alice);
    entra.run_cycle().await;
    assert_eq!(operations_to(&entra, &path), [json!({"op": "Replace", "path": "active", "value": "False"})]);
}

/// §1.5, §1.7 and §3.1 (Delete off: no disable, no DELETE).
#[tokio::test]
async fn with_delete_off_nothing_is_disabled_or_deleted() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    entra.edit_app(|app| app.users.actions.delete = false);
    let alice = add_assigned(&mut entra, "alice", &[]);
    let bob = add_assigned(&mut entra, "bob", &[]);
    entra.run_cycle().await;
    let n = entra.transcript().len();

    entra.directory.unassign(&alice);
    entra.directory.hard_delete(&bob);
    entra.run_cycle().await;
    let methods: Vec<String> = sent_from(&entra, n);
    assert!(methods.iter().all(|m| m.starts_with("GET ")), "{methods:?}");
    assert_eq!(target_user(&server, &upn("alice")).await.unwrap()["active"], true);
    assert_eq!(target_user(&server, &upn("bob")).await.unwrap()["active"], true);
}

/// §3.6 ("Sync only assigned users and groups" vs "Sync all users and groups").
#[tokio::test]
async fn scope_all_brings_in_unassigned_users() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    add_assigned(&mut entra, "alice", &[]);
    add_user(&mut entra, "bob", &[]);
    entra.run_cycle().await;
    assert!(target_user(&server, &upn("bob")).await.is_none());
    assert_eq!(outcomes(&entra, "bob"), [(Action::Other, Status::Skipped, None)]);

    entra.edit_settings(|s| s.scope = Scope::All);
    let report = entra.run_cycle().await;
    assert!(report.initial, "a change of scope starts an initial cycle");
    assert!(target_user(&server, &upn("bob")).await.is_some());
    assert_eq!(with_method(&entra, "POST").len(), 2);
}

/// HOW, §1.9: members of an assigned group are in scope.
#[tokio::test]
async fn members_of_an_assigned_group_are_provisioned() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let carol = add_user(&mut entra, "carol", &[]);
    add_user(&mut entra, "dave", &[]);
    let sales = entra
        .directory
        .add_group("Sales", attrs(&[("displayName", json!("Sales"))]), std::slice::from_ref(&carol))
        .unwrap();
    entra.directory.assign(&sales, Assignment::default_access());
    entra.run_cycle().await;
    assert!(target_user(&server, &upn("carol")).await.is_some(), "carol is in scope through Sales");
    assert!(target_user(&server, &upn("dave")).await.is_none());
}

/// §3.6 (scoping filters; an object that falls out of scope is disabled, §1.8).
#[tokio::test]
async fn a_scoping_filter_keeps_users_out_and_disables_those_who_leave_it() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let alice = add_assigned(&mut entra, "alice", &[("department", json!("Sales"))]);
    add_assigned(&mut entra, "bob", &[("department", json!("Retail"))]);
    let clause = Clause::new("department", Operator::Equals, "Sales").unwrap();
    entra.set_scoping_filters(vec![ScopingFilter { clauses: vec![clause] }]);
    entra.run_cycle().await;
    assert!(target_user(&server, &upn("alice")).await.is_some());
    assert!(target_user(&server, &upn("bob")).await.is_none());
    assert_eq!(outcomes(&entra, "bob"), [(Action::Other, Status::Skipped, None)]);
    assert!(log_of(&entra, "bob")[0].reason.contains("scoping"), "{}", log_of(&entra, "bob")[0].reason);

    entra.directory.set_attribute(&alice, "department", json!("Retail"));
    let report = entra.run_cycle().await;
    assert_eq!(report.started_at, 40 * MINUTE);
    let ops = operations_to(&entra, &format!("/Users/{}", target_id(&entra, &alice)));
    assert!(ops.contains(&json!({"op": "Replace", "path": "active", "value": "False"})), "{ops:?}");
    assert_eq!(target_user(&server, &upn("alice")).await.unwrap()["active"], false);
}

/// §1.5 and §1.8 (SKIP: `SkipOutOfScopeDeletions` keeps an unassigned user as it is).
#[tokio::test]
async fn skip_out_of_scope_deletions_keeps_an_unassigned_user_active() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    entra.edit_settings(|s| s.skip_out_of_scope_deletions = true);
    let alice = add_assigned(&mut entra, "alice", &[]);
    let bob = add_assigned(&mut entra, "bob", &[]);
    entra.run_cycle().await;
    let n = entra.transcript().len();
    entra.directory.unassign(&alice);
    entra.run_cycle().await;
    assert!(sent_from(&entra, n).iter().all(|r| !r.starts_with("PATCH") && !r.starts_with("DELETE")));
    assert_eq!(target_user(&server, &upn("alice")).await.unwrap()["active"], true);
    assert_eq!(outcomes(&entra, "alice").last().copied(), Some((Action::Disable, Status::Skipped, None)));

    // The secret only spares users leaving scope: blocking sign-in still disables.
    entra.directory.set_attribute(&bob, "accountEnabled", json!(false));
    entra.run_cycle().await;
    let ops = operations_to(&entra, &format!("/Users/{}", target_id(&entra, &bob)));
    assert_eq!(ops, [json!({"op": "Replace", "path": "active", "value": "False"})]);
}

/// §1.2 (HOW known limitation: a user already disabled in Entra and never provisioned is
/// skipped, not created with `active: false`).
#[tokio::test]
async fn a_disabled_user_never_provisioned_is_not_created() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    add_assigned(&mut entra, "alice", &[("accountEnabled", json!(false))]);
    add_assigned(&mut entra, "bob", &[]);
    entra.run_cycle().await;
    assert_eq!(user_filters_from(&entra, 1), [format!("userName eq \"{}\"", upn("bob"))], "alice is not even matched");
    assert_eq!(with_method(&entra, "POST").len(), 1);
    assert!(target_user(&server, &upn("alice")).await.is_none());
    assert_eq!(outcomes(&entra, "alice"), [(Action::Other, Status::Skipped, None)]);
}

/// §1.5 and §1.8 (HOW: without an `active` mapping, leaving scope DELETEs the user).
#[tokio::test]
async fn without_an_active_mapping_leaving_scope_deletes() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    entra.edit_app(|app| app.users.mappings.retain(|m| m.target != "active"));
    let alice = add_assigned(&mut entra, "alice", &[]);
    entra.run_cycle().await;
    let id = target_id(&entra, &alice);
    let n = entra.transcript().len();

    entra.directory.unassign(&alice);
    entra.run_cycle().await;
    assert_eq!(sent_from(&entra, n), [format!("DELETE /Users/{id}")]);
    assert!(target_user(&server, &upn("alice")).await.is_none());
    assert!(entra.links().get(&alice).is_none());
    assert_eq!(outcomes(&entra, "alice").last().copied(), Some((Action::Delete, Status::Success, None)));
}

/// §1.9 ("Provision Microsoft Entra groups" = No): no /Groups request at all.
#[tokio::test]
async fn with_groups_off_no_group_request_is_sent() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    entra.edit_app(|app| app.groups.enabled = false);
    let alice = add_user(&mut entra, "alice", &[]);
    let bob = add_user(&mut entra, "bob", &[]);
    let sales = entra.directory.add_group("Sales", attrs(&[("displayName", json!("Sales"))]), &[alice, bob]).unwrap();
    entra.directory.assign(&sales, Assignment::default_access());
    entra.run_cycle().await;
    entra.directory.set_attribute(&sales, "displayName", json!("Sales EMEA"));
    entra.run_cycle().await;
    assert_eq!(with_method(&entra, "POST").len(), 2, "the group's members are provisioned");
    let groups: Vec<String> = sent(&entra).into_iter().filter(|r| r.contains("/Groups")).collect();
    assert!(groups.is_empty(), "{groups:?}");
}

/// §1.14 and §4.1 (incremental cycles read only changes).
#[tokio::test]
async fn an_incremental_cycle_sends_nothing_for_unchanged_objects() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let alice = add_assigned(&mut entra, "alice", &[]);
    add_assigned(&mut entra, "bob", &[]);
    assert!(entra.run_cycle().await.initial);
    let n = entra.transcript().len();
    let report = entra.run_cycle().await;
    assert!(!report.initial);
    assert_eq!(sent_from(&entra, n), Vec::<String>::new());

    entra.directory.set_attribute(&alice, "department", json!("Sales"));
    entra.run_cycle().await;
    let id = target_id(&entra, &alice);
    assert_eq!(sent_from(&entra, n), [format!("GET /Users/{id}"), format!("PATCH /Users/{id}")], "alice only");
}

/// §1.14 and §3.1 (saving mappings starts a new initial cycle that evaluates everyone).
#[tokio::test]
async fn editing_mappings_starts_an_initial_cycle_over_everyone() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let ids: Vec<String> = ["alice", "bob"].iter().map(|a| add_assigned(&mut entra, a, &[])).collect();
    entra.run_cycle().await;
    entra.run_cycle().await;
    entra.edit_app(|app| app.users.put_mapping(Mapping::new(MappingSource::Constant("Employee".into()), "userType")));
    let n = entra.transcript().len();
    let report = entra.run_cycle().await;
    assert!(report.initial);
    let mut expected = Vec::new();
    for id in &ids {
        let t = target_id(&entra, id);
        expected.extend([format!("GET /Users/{t}"), format!("PATCH /Users/{t}")]);
        assert_eq!(
            operations_to(&entra, &format!("/Users/{t}")),
            [json!({"op": "Add", "path": "userType", "value": "Employee"})]
        );
    }
    assert_eq!(sent_from(&entra, n), expected);
}

/// §1.14 (a portal restart keeps the object connections; `Full` forgets them and forces
/// re-matching, which links to the existing target users).
#[tokio::test]
async fn a_portal_restart_keeps_links_and_a_full_restart_rematches() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let ids: Vec<String> = ["alice", "bob"].iter().map(|a| add_assigned(&mut entra, a, &[])).collect();
    entra.run_cycle().await;
    let targets: Vec<String> = ids.iter().map(|id| target_id(&entra, id)).collect();

    entra.restart(ResetScope::Portal);
    let n = entra.transcript().len();
    let report = entra.run_cycle().await;
    assert!(report.initial);
    let reads: Vec<String> = targets.iter().map(|t| format!("GET /Users/{t}")).collect();
    assert_eq!(sent_from(&entra, n)[1..], reads, "after the probe: reads by cached id, no match query");
    assert_eq!(user_filters_from(&entra, n).len(), 1, "only the probe filters");

    entra.restart(ResetScope::Full);
    assert!(entra.links().is_empty());
    let n = entra.transcript().len();
    entra.run_cycle().await;
    assert_eq!(
        user_filters_from(&entra, n)[1..],
        [format!("userName eq \"{}\"", upn("alice")), format!("userName eq \"{}\"", upn("bob"))]
    );
    assert_eq!(with_method(&entra, "POST").len(), 2, "no duplicate POST");
    for (id, t) in ids.iter().zip(&targets) {
        assert_eq!(entra.links().target_of(id), Some(t.as_str()), "linked to the existing target user");
    }
    assert_eq!(target_count(&server).await, 2);
}

/// §1.14: the other reset scopes clear exactly what they name.
#[tokio::test]
async fn each_reset_scope_clears_what_it_names() {
    // Watermark: an initial cycle follows, over the cached ids.
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let alice = add_assigned(&mut entra, "alice", &[]);
    entra.run_cycle().await;
    assert!(!entra.run_cycle().await.initial);
    entra.restart(ResetScope::Watermark);
    let n = entra.transcript().len();
    assert!(entra.run_cycle().await.initial, "Watermark starts an initial cycle");
    assert_eq!(user_filters_from(&entra, n).len(), 1, "only the probe: the link was kept");

    // ConnectorDataStore: the links go, so the next cycle matches again.
    entra.restart(ResetScope::ConnectorDataStore);
    assert!(entra.links().is_empty());
    let n = entra.transcript().len();
    entra.run_cycle().await;
    assert_eq!(user_filters_from(&entra, n)[1..], [format!("userName eq \"{}\"", upn("alice"))]);
    assert!(entra.links().get(&alice).is_some(), "re-linked");

    // Escrows: the failures waiting for a retry are forgotten.
    let mock = mock_target().await;
    queries_find_nothing(&mock).await;
    Mock::given(method("POST"))
        .and(path("/Users"))
        .respond_with(scim_error(409, "taken"))
        .named("POST: 409")
        .mount(&mock)
        .await;
    let mut entra = on_mock(&mock, Options::default());
    let bob = add_assigned(&mut entra, "bob", &[]);
    entra.run_cycle().await;
    assert!(entra.escrows().get(&bob).is_some());
    entra.restart(ResetScope::Escrows);
    assert!(entra.escrows().get(&bob).is_none(), "Escrows clears the escrows");

    // QuarantineState: the job leaves quarantine and the next cycle starts at once.
    let refusing = mock_target().await;
    Mock::given(method("GET"))
        .and(path("/Users"))
        .respond_with(scim_error(401, "no"))
        .named("401")
        .mount(&refusing)
        .await;
    let mut entra = on_mock(&refusing, Options::default());
    let report = entra.run_cycle().await;
    assert_eq!(report.outcome, CycleOutcome::Quarantined(ErrorCode::Unauthorized));
    assert!(entra.next_cycle_at() > entra.now());
    entra.restart(ResetScope::QuarantineState);
    assert!(entra.quarantine().is_none());
    assert_eq!(entra.next_cycle_at(), entra.now(), "the next cycle starts at once");
}

/// §1.13 (provision on demand: one user, at once, through the same requests).
#[tokio::test]
async fn provision_on_demand_creates_one_user_right_away() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    add_assigned(&mut entra, "bob", &[]);
    entra.run_cycle().await;
    entra.advance(10 * MINUTE);
    let alice = add_assigned(&mut entra, "alice", &[]);
    add_assigned(&mut entra, "carol", &[]);
    let n = entra.transcript().len();

    let report = entra.provision_on_demand(&alice).await.expect("provisioned");
    assert_eq!((report.started_at, report.outcome), (10 * MINUTE, CycleOutcome::Completed));
    assert_eq!(sent_from(&entra, n), ["GET /Users", "GET /Users", "POST /Users"], "probe, match, create");
    assert!(entra.transcript().iter().skip(n).all(|e| e.scheduled_at == "PT10M"), "not at the next cycle (PT40M)");
    assert_eq!(user_filters_from(&entra, n)[1], format!("userName eq \"{}\"", upn("alice")));
    assert!(target_user(&server, &upn("alice")).await.is_some());
    assert!(target_user(&server, &upn("carol")).await.is_none(), "only the one user");
}

/// §1.13 (POD limits: a group of at most 5 members; an object that still exists).
#[tokio::test]
async fn provision_on_demand_refuses_big_groups_and_missing_objects() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let members: Vec<String> = (1..=6).map(|i| add_assigned(&mut entra, &format!("user{i}"), &[])).collect();
    let big = entra.directory.add_group("Big", attrs(&[("displayName", json!("Big"))]), &members).unwrap();
    let gone = add_assigned(&mut entra, "gone", &[]);
    entra.directory.hard_delete(&gone);

    let err = entra.provision_on_demand(&big).await.unwrap_err();
    assert_eq!(err, OnDemandError::TooManyMembers { alias: "Big".into(), members: 6 });
    let err = entra.provision_on_demand(&gone).await.unwrap_err();
    assert_eq!(err, OnDemandError::Missing(gone.clone()));
    assert!(entra.transcript().is_empty(), "a refused request sends nothing");

    // Five members are within the limit: the group and its members are provisioned.
    entra.directory.remove_member(&big, &members[5]);
    entra.directory.assign(&big, Assignment::default_access());
    let report = entra.provision_on_demand(&big).await.expect("five members are allowed");
    assert_eq!(report.outcome, CycleOutcome::Completed);
    assert_eq!(with_method(&entra, "POST").len(), 6, "five users and the group");
    assert!(target_user(&server, &upn("user6")).await.is_none());
}

/// §1.13 and §2 (the `aadOptscim062020` flag is not applied to on-demand runs).
#[tokio::test]
async fn provision_on_demand_ignores_the_flag() {
    let server = TestServer::start().await;
    let url = format!("{}?aadOptscim062020", server.server.url());
    let mut entra = tenant_at(&url, server.server.token(), Options::default(), DEFAULT_TIMEOUT);
    let alice = add_assigned(&mut entra, "alice", &[]);
    entra.run_cycle().await;
    let path = format!("/Users/{}", target_id(&entra, &alice));

    entra.directory.set_attribute(&alice, "department", json!("Sales"));
    entra.provision_on_demand(&alice).await.expect("provisioned");
    let on_demand = entra.transcript().last().unwrap().clone();
    entra.directory.set_attribute(&alice, "department", json!("Ops"));
    entra.run_cycle().await;
    let cycle = entra.transcript().last().unwrap().clone();

    let department = format!("{ENTERPRISE}:department");
    assert_eq!((on_demand.request.method.as_str(), on_demand.request.path.as_str()), ("PATCH", path.as_str()));
    assert_eq!(on_demand.dialect, "legacy");
    assert_eq!(
        on_demand.request.body.as_ref().unwrap()["Operations"],
        json!([{"op": "Add", "path": department, "value": "Sales"}])
    );
    assert_eq!(cycle.dialect, "aadOptscim062020");
    assert_eq!(
        cycle.request.body.as_ref().unwrap()["Operations"],
        json!([{"op": "replace", "path": department, "value": "Ops"}])
    );
    assert_eq!(target_user(&server, &upn("alice")).await.unwrap()[ENTERPRISE]["department"], "Ops");
}

/// §2: the dialect is the Tenant URL's as it stands, also after an edit of the settings
/// (the tenant reads it once per edit, not per request).
#[test]
fn the_dialect_follows_an_edited_tenant_url() {
    let mut entra = tenant_at("https://scim.example.com/scim", MOCK_TOKEN, Options::default(), DEFAULT_TIMEOUT);
    assert_eq!(entra.dialect(), Dialect::Legacy);
    entra.edit_settings(|settings| settings.tenant_url.push_str("?aadOptscim062020"));
    assert_eq!(entra.dialect(), Dialect::AadOptscim062020);
    entra.edit_settings(|settings| settings.tenant_url.push_str("&AzureAdScimPatch2017"));
    assert_eq!(entra.dialect(), Dialect::Legacy);
}

/// §4.1 (incremental cycles about 40 minutes apart).
#[tokio::test]
async fn cycles_start_forty_virtual_minutes_apart() {
    let server = TestServer::start().await;
    let mut entra = on_reference(&server);
    let alice = add_assigned(&mut entra, "alice", &[]);
    let mut firsts = Vec::new();
    let mut starts = Vec::new();
    for department in ["A", "B", "C", "D"] {
        entra.directory.set_attribute(&alice, "department", json!(department));
        let n = entra.transcript().len();
        starts.push(entra.run_cycle().await.started_at);
        firsts.push(entra.transcript().exchanges()[n].scheduled_at.clone());
    }
    assert_eq!(firsts, ["PT0S", "PT40M", "PT1H20M", "PT2H"]);
    assert_eq!(starts, [Duration::ZERO, 40 * MINUTE, 80 * MINUTE, 120 * MINUTE]);
    assert_eq!(entra.next_cycle_at(), 160 * MINUTE);
}

/// §0 (`Authorization: Bearer <Secret Token>`) and DESIGN.md "Transcript": the secret never
/// reaches the transcript, even when the target echoes it back.
#[tokio::test]
async fn the_transcript_never_contains_the_bearer_token() {
    let server = mock_target().await;
    let echo = |status: u16| {
        move |request: &Request| {
            let auth = request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let mut body: Value = serde_json::from_slice(&request.body).unwrap_or_else(|_| json!({}));
            body["id"] = json!("t-alice");
            body["echo"] = json!(auth);
            let body = if status == 200 {
                json!({"schemas": [LIST_RESPONSE], "totalResults": 0, "Resources": [], "echo": auth})
            } else {
                body
            };
            ResponseTemplate::new(status).insert_header("x-echo", auth.as_str()).set_body_json(body)
        }
    };
    Mock::given(method("GET")).and(path("/Users")).respond_with(echo(200)).named("echo list").mount(&server).await;
    Mock::given(method("POST")).and(path("/Users")).respond_with(echo(201)).named("echo create").mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/Users/t-alice"))
        .respond_with(echo(500))
        .named("echo 500")
        .mount(&server)
        .await;
    let mut entra = on_mock(&server, Options::default());
    let alice = add_assigned(&mut entra, "alice", &[]);
    entra.run_cycle().await;
    entra.directory.set_attribute(&alice, "department", json!("Sales"));
    entra.run_cycle().await;
    assert_eq!(sent(&entra), ["GET /Users", "GET /Users", "POST /Users", "GET /Users/t-alice"]);

    let mut jsonl = Vec::new();
    entra.transcript().write_jsonl(&mut jsonl).unwrap();
    let text = String::from_utf8(jsonl).unwrap();
    assert!(!text.contains(MOCK_TOKEN), "{text}");
    assert!(
        entra
            .transcript()
            .iter()
            .all(|e| e.request.headers.get("authorization").map(String::as_str) == Some("[redacted]"))
    );
    assert!(
        entra
            .transcript()
            .iter()
            .all(|e| e.response.as_ref().unwrap().body.as_ref().unwrap()["echo"] == "Bearer [redacted]")
    );
}

/// DESIGN.md "Runs against real tenants" ("Tokens never appear in output, reports, transcripts
/// or snapshots"), §4.5 (the log keeps the target's error response): a target that echoes the
/// `Authorization` header in an error body must not put the token into the provisioning log
/// or the quarantine state.
#[tokio::test]
async fn the_provisioning_log_never_contains_the_bearer_token() {
    let server = mock_target().await;
    let echo = |status: u16| {
        move |request: &Request| {
            let auth = request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            scim_error(status, &format!("rejected credential {auth}"))
        }
    };
    queries_find_nothing(&server).await;
    Mock::given(method("POST")).and(path("/Users")).respond_with(echo(500)).named("echo 500").mount(&server).await;
    let mut entra = on_mock(&server, Options::default());
    add_assigned(&mut entra, "alice", &[]);
    entra.run_cycle().await;
    let failure = log_of(&entra, "alice")[0];
    assert_eq!(failure.error_code, Some(ErrorCode::InternalServerError));
    assert!(failure.reason.contains("rejected credential"), "the log keeps the Web Response: {}", failure.reason);
    assert!(!failure.reason.contains(MOCK_TOKEN), "{}", failure.reason);

    let refusing = mock_target().await;
    Mock::given(method("GET")).and(path("/Users")).respond_with(echo(401)).named("echo 401").mount(&refusing).await;
    let mut entra = on_mock(&refusing, Options::default());
    entra.run_cycle().await;
    let quarantine = entra.quarantine().expect("quarantined");
    assert!(!quarantine.detail.contains(MOCK_TOKEN), "{}", quarantine.detail);
    for entry in entra.log().entries() {
        assert!(!entry.reason.contains(MOCK_TOKEN), "{}", entry.reason);
    }
}
