//! How the Okta engine (src/idp/okta) reacts to what the SCIM server answers (okta-wire.md
//! §1.1, §1.3, §1.6, §1.11, §5.1): "not found", an empty create, 409, 401, 429 and its
//! back-off, 501 to the deactivation PATCH, string paging numbers, a timeout, 5xx, a secret
//! echoed back, and a hit without an id. Each test checks the requests sent, the virtual
//! clock, the System Log events and the open tasks.
//!
//! Every answer comes from wiremock, a fresh server per test: most are answers a correct
//! server never gives. Nothing sleeps for real: 429 pauses run on the virtual clock, and the
//! one hanging answer meets a 300 ms client timeout.
//!
//! Message texts. [DOC]: Okta documents them word for word (REF20's empty-create message; the
//! KB Forest Admin 401 message, whose "<reason>. Errors reported by remote server: <detail>"
//! pattern FAQ26 generalises). [INFERRED]: the engine's own wording in Okta's pattern
//! (`Failure` and `transport_text` in src/idp/okta/org.rs, and the messages of user_sync.rs,
//! import.rs, group_push.rs and list_page.rs).

use std::time::{Duration, Instant};

use scimsim::idp::clock::MINUTE;
use scimsim::idp::directory::ObjectKind;
use scimsim::idp::okta::{AppKind, AuthMode, EventKind, OktaOrg, Options, Outcome, Settings, TaskKind};
use scimsim::scim::urn;
use scimsim::target::{Auth, DEFAULT_TIMEOUT, TargetClient, TargetConfig};
use scimsim::transcript::{REDACTED, iso8601_duration};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::fake_target::{list_response, mock_target, scim_error};
use crate::util::attrs;

/// The app's label (the default of `Settings::new`), as Okta's messages name it.
const APP: &str = "scimsim SCIM 2.0 app";
/// Alice's Okta login, which the template mappings send as `userName`.
const LOGIN: &str = "alice@example.com";
/// The id the app gives alice.
const ALICE_ID: &str = "t-alice";
/// The API token the org sends as `Authorization: Bearer …`.
const TOKEN: &str = "okta-api-token-7d6c5b4a";
/// Alice's existence check (REF20, §1.3).
const FIND_ALICE: &str = "GET /Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100";
/// The first page of an import (§1.2).
const IMPORT_PAGE: &str = "GET /Users?startIndex=1&count=100";
/// The reason the tenth 429 gives when it fails a task [INFERRED].
const GAVE_UP: &str =
    "Too Many Requests. The task was rate limited 10 times and failed; retry it from Dashboard → Tasks";
/// The client timeout of every test but the timeout one: nothing there should hang.
const PATIENT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------
// The org and what it recorded
// ---------------------------------------------------------------------------------------

/// An org whose OIN app provisions to `server` with a Bearer token and `timeout`, holding the
/// Okta user alice (Alice Smith), not assigned.
fn org(server: &MockServer, timeout: Duration) -> OktaOrg {
    let auth = AuthMode::Bearer(TOKEN.into()).to_auth();
    let config = TargetConfig { use_env_proxy: false, timeout, ..TargetConfig::new(server.uri(), auth) };
    let client = TargetClient::new(config).expect("a valid target config");
    let mut okta = OktaOrg::new(client, Settings::new(server.uri(), AppKind::Oin), Options::default());
    let alice = attrs(&[
        ("login", json!(LOGIN)),
        ("email", json!(LOGIN)),
        ("firstName", json!("Alice")),
        ("lastName", json!("Smith")),
        ("title", json!("Engineer")),
    ]);
    okta.add_user("alice", alice).expect("a new alias");
    okta
}

/// `METHOD /path?query` of every request the org sent.
fn sent(okta: &OktaOrg) -> Vec<String> {
    let query = |query: &Option<String>| query.as_ref().map(|q| format!("?{q}")).unwrap_or_default();
    okta.transcript()
        .iter()
        .map(|e| format!("{} {}{}", e.request.method, e.request.path, query(&e.request.query)))
        .collect()
}

/// (kind, outcome, message) of every System Log event.
fn events(okta: &OktaOrg) -> Vec<(EventKind, Outcome, String)> {
    okta.events().iter().map(|e| (e.kind, e.outcome, e.message.clone())).collect()
}

/// (kind, message) of every open task.
fn tasks(okta: &OktaOrg) -> Vec<(TaskKind, String)> {
    okta.tasks().iter().map(|t| (t.kind, t.message.clone())).collect()
}

/// A successful event, which has no message.
fn ok(kind: EventKind) -> (EventKind, Outcome, String) {
    (kind, Outcome::Success, String::new())
}

/// The existence check that found no alice (a 404 or an empty ListResponse, REF20).
fn alice_not_found() -> (EventKind, Outcome, String) {
    (EventKind::VerifyUserExists, Outcome::Success, format!("no user with userName {LOGIN} in the app"))
}

/// A failed event with `message`.
fn failed(kind: EventKind, message: &str) -> (EventKind, Outcome, String) {
    (kind, Outcome::Failure, message.to_string())
}

/// A 429 pause of `wait` [INFERRED wording].
fn paused(kind: EventKind, wait: Duration) -> (EventKind, Outcome, String) {
    let message =
        format!("Rate limited by the app (HTTP 429); the task is paused and rescheduled in {} s", wait.as_secs());
    (kind, Outcome::RateLimited, message)
}

/// Okta's message for a failed provisioning of alice: "Automatic provisioning of user <login>
/// to app <label> failed: Error while <activity>: <reason>" (REF20, KB Forest Admin).
fn provisioning_failed(activity: &str, reason: &str) -> String {
    format!("Automatic provisioning of user {LOGIN} to app {APP} failed: Error while {activity}: {reason}")
}

/// The activity of alice's existence check in Okta's messages (KB Forest Admin).
fn verifying_alice() -> String {
    format!("verifying if user {LOGIN} exists")
}

/// The app id alice is linked to (the app user's External ID), if any.
fn alice_link(okta: &OktaOrg) -> Option<String> {
    let id = okta.directory().id_of(ObjectKind::User, "alice").expect("alice exists");
    okta.links().target_of(&id).map(str::to_string)
}

// ---------------------------------------------------------------------------------------
// wiremock answers
// ---------------------------------------------------------------------------------------

/// Answers `verb route` with `response`, only the first `times` times when given. Of mocks
/// with the same priority, the one mounted first answers.
async fn answer(server: &MockServer, verb: &str, route: &str, response: ResponseTemplate, times: Option<u64>) {
    let mock = Mock::given(method(verb)).and(path(route)).respond_with(response);
    let mock = match times {
        Some(times) => mock.up_to_n_times(times),
        None => mock,
    };
    mock.named(format!("{verb} {route}")).mount(server).await;
}

/// The request's body with `"id": "t-alice"`, as a server storing alice answers.
fn echo_alice(status: u16) -> impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static {
    move |request: &Request| {
        let mut body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        body["id"] = json!(ALICE_ID);
        ResponseTemplate::new(status).set_body_json(body)
    }
}

/// A server that works, under each test's own answers (priority 10 loses to the default 5):
/// no user found, a create that gives alice `t-alice`, then alice read, replaced and patched.
async fn working_app(server: &MockServer) {
    let alice = format!("/Users/{ALICE_ID}");
    let stored = json!({"schemas": [urn::USER], "id": ALICE_ID, "userName": LOGIN, "active": true});
    let mocks = [
        Mock::given(method("GET")).and(path("/Users")).respond_with(list_response(&[])),
        Mock::given(method("POST")).and(path("/Users")).respond_with(echo_alice(201)),
        Mock::given(method("GET"))
            .and(path(alice.clone()))
            .respond_with(ResponseTemplate::new(200).set_body_json(stored)),
        Mock::given(method("PUT")).and(path(alice.clone())).respond_with(echo_alice(200)),
        Mock::given(method("PATCH")).and(path(alice)).respond_with(ResponseTemplate::new(204)),
    ];
    for mock in mocks {
        mock.with_priority(10).named("a working app").mount(server).await;
    }
}

/// A working app on which alice is provisioned, and which answers `verb /Users/t-alice` with
/// `response` from then on. The server is returned to keep it running.
async fn provisioned_alice(verb: &str, response: ResponseTemplate) -> (MockServer, OktaOrg) {
    let server = mock_target().await;
    answer(&server, verb, &format!("/Users/{ALICE_ID}"), response, None).await;
    working_app(&server).await;
    let mut okta = org(&server, PATIENT);
    okta.assign("alice").await.unwrap();
    (server, okta)
}

/// A 429 with `Retry-After: <retry_after>` when given.
fn too_many(retry_after: Option<&str>) -> ResponseTemplate {
    let response = scim_error(429, "slow down");
    match retry_after {
        Some(value) => response.insert_header("Retry-After", value),
        None => response,
    }
}

// =======================================================================================
// Not found, created, refused
// =======================================================================================

/// §1.3, §1.11: a 404 with a SCIM Error and a 200 with an empty ListResponse both mean "no
/// such user" (REF20), and Okta POSTs the user; the 201's `id` becomes the External ID.
#[tokio::test]
async fn a_404_or_an_empty_list_to_the_existence_check_means_not_found() {
    for not_found in [scim_error(404, "User not found"), list_response(&[])] {
        let server = mock_target().await;
        answer(&server, "GET", "/Users", not_found, None).await;
        working_app(&server).await;
        let mut okta = org(&server, PATIENT);

        okta.assign("alice").await.unwrap();
        assert_eq!(sent(&okta), [FIND_ALICE, "POST /Users"]);
        assert_eq!(events(&okta), [alice_not_found(), ok(EventKind::PushNewUser)]);
        assert!(okta.tasks().is_empty(), "{:?}", okta.tasks());
        assert_eq!(alice_link(&okta).as_deref(), Some(ALICE_ID));
        assert_eq!(okta.app_user("alice").map(|a| a.active), Some(true));
        assert_eq!(okta.now(), Duration::ZERO);
    }
}

/// §1.3, §1.11: a 2xx without a body fails with REF20's message and links nothing; a later
/// unassignment sends nothing, as there is no External ID to deactivate (FIELD, §1.3).
#[tokio::test]
async fn an_empty_create_answer_fails_and_leaves_nothing_to_deactivate() {
    let server = mock_target().await;
    answer(&server, "POST", "/Users", ResponseTemplate::new(201), None).await;
    working_app(&server).await;
    let mut okta = org(&server, PATIENT);

    okta.assign("alice").await.unwrap();
    // [DOC] REF20, word for word.
    let message = provisioning_failed("creating user Alice Smith", "Create new user returned empty user.");
    assert_eq!(sent(&okta), [FIND_ALICE, "POST /Users"]);
    assert_eq!(events(&okta), [alice_not_found(), failed(EventKind::PushNewUser, &message)]);
    assert_eq!(tasks(&okta), [(TaskKind::Provision, message)]);
    assert_eq!(alice_link(&okta), None, "no id, no link");

    okta.unassign("alice").await.unwrap();
    assert_eq!(sent(&okta).len(), 2, "no External ID, so no deactivation (§1.3)");
    assert_eq!(events(&okta).len(), 2, "and nothing logged");
    assert!(okta.tasks().iter().all(|t| t.kind != TaskKind::Deprovision), "{:?}", okta.tasks());
    assert_eq!(okta.now(), Duration::ZERO);
}

/// §1.3, §1.11: a 409 stops the job with the server's `detail` quoted; nothing more is sent
/// for the user until "Retry Selected" (§5.2), which runs the existence check and the POST
/// again and closes the task.
#[tokio::test]
async fn a_409_to_the_create_stops_the_job_until_the_task_is_retried() {
    let server = mock_target().await;
    answer(&server, "POST", "/Users", scim_error(409, "User already exists in the database."), Some(1)).await;
    working_app(&server).await;
    let mut okta = org(&server, PATIENT);

    okta.assign("alice").await.unwrap();
    // [DOC] pattern (KB Forest Admin, FAQ26); the 409 reason phrase in it [INFERRED].
    let message = provisioning_failed(
        "creating user Alice Smith",
        "Conflict. Errors reported by remote server: User already exists in the database.",
    );
    assert_eq!(sent(&okta), [FIND_ALICE, "POST /Users"]);
    assert_eq!(events(&okta), [alice_not_found(), failed(EventKind::PushNewUser, &message)]);
    assert_eq!(tasks(&okta), [(TaskKind::Provision, message.clone())]);
    assert_eq!(alice_link(&okta), None);

    okta.set_attribute("alice", "title", json!("Manager")).await.unwrap();
    assert_eq!(sent(&okta).len(), 2, "a failed provisioning waits for Retry Selected");

    okta.retry_tasks().await;
    assert_eq!(sent(&okta), [FIND_ALICE, "POST /Users", FIND_ALICE, "POST /Users"]);
    assert_eq!(
        events(&okta),
        [alice_not_found(), failed(EventKind::PushNewUser, &message), alice_not_found(), ok(EventKind::PushNewUser)]
    );
    assert!(okta.tasks().is_empty(), "the retry closed the task: {:?}", okta.tasks());
    assert_eq!(alice_link(&okta).as_deref(), Some(ALICE_ID));
    assert_eq!(okta.now(), Duration::ZERO);
}

/// §1.11: a 401 to the existence check fails the provisioning with the KB's message, the
/// server's `detail` quoted; no POST follows.
#[tokio::test]
async fn a_401_to_the_existence_check_quotes_the_server() {
    let server = mock_target().await;
    answer(&server, "GET", "/Users", scim_error(401, "Invalid SCIM token, please check your configuration"), None)
        .await;
    let mut okta = org(&server, PATIENT);

    okta.assign("alice").await.unwrap();
    // [DOC] KB Forest Admin.
    let message = provisioning_failed(
        &verifying_alice(),
        "Unauthorized. Errors reported by remote server: Invalid SCIM token, please check your configuration",
    );
    assert_eq!(sent(&okta), [FIND_ALICE]);
    assert_eq!(events(&okta), [failed(EventKind::VerifyUserExists, &message)]);
    assert_eq!(tasks(&okta), [(TaskKind::Provision, message)]);
    assert_eq!(alice_link(&okta), None);
    assert_eq!(okta.now(), Duration::ZERO);
}

/// §1.11: a filter hit without an `id` cannot be linked; the provisioning fails with a
/// message saying so [INFERRED], and no POST makes a second user.
#[tokio::test]
async fn a_filter_hit_without_an_id_fails_the_provisioning() {
    let server = mock_target().await;
    let without_id = json!({"schemas": [urn::USER], "userName": LOGIN, "active": true});
    answer(&server, "GET", "/Users", list_response(&[without_id]), None).await;
    let mut okta = org(&server, PATIENT);

    okta.assign("alice").await.unwrap();
    let message = provisioning_failed(&verifying_alice(), "the user found has no id");
    assert_eq!(sent(&okta), [FIND_ALICE]);
    assert_eq!(events(&okta), [failed(EventKind::VerifyUserExists, &message)]);
    assert_eq!(tasks(&okta), [(TaskKind::Provision, message)]);
    assert_eq!(alice_link(&okta), None);
    assert_eq!(okta.now(), Duration::ZERO);
}

// =======================================================================================
// 429 (§5.1)
// =======================================================================================

/// Alice's create, whose first POST is answered 429 with `retry_after` and the next 201:
/// the POST is re-sent `wait` later on the virtual clock, and the create succeeds.
async fn assert_one_429_waits(retry_after: Option<&str>, wait: Duration) {
    let server = mock_target().await;
    answer(&server, "POST", "/Users", too_many(retry_after), Some(1)).await;
    working_app(&server).await;
    let mut okta = org(&server, PATIENT);

    okta.assign("alice").await.unwrap();
    assert_eq!(sent(&okta), [FIND_ALICE, "POST /Users", "POST /Users"], "Retry-After {retry_after:?}");
    let post = okta.transcript().last().expect("the retried POST");
    assert_eq!(post.scheduled_at, iso8601_duration(wait), "Retry-After {retry_after:?}");
    assert_eq!(okta.now(), wait);
    assert_eq!(events(&okta), [alice_not_found(), paused(EventKind::PushNewUser, wait), ok(EventKind::PushNewUser)]);
    assert_eq!(okta.events()[2].at, wait, "the create succeeded after the pause");
    assert!(okta.tasks().is_empty(), "a paused task is no failure: {:?}", okta.tasks());
    assert_eq!(alice_link(&okta).as_deref(), Some(ALICE_ID));
}

/// §5.1: an integer `Retry-After` is the wait, exactly.
#[tokio::test]
async fn a_429_with_retry_after_in_seconds_is_retried_that_much_later() {
    assert_one_429_waits(Some("30"), Duration::from_secs(30)).await;
}

/// §5.1: no `Retry-After`, an HTTP-date, a non-integer or junk: the wait is 5 minutes.
#[tokio::test]
async fn a_429_without_whole_seconds_waits_five_minutes() {
    for retry_after in [None, Some("Wed, 21 Oct 2015 07:28:00 GMT"), Some("1.5"), Some("soon")] {
        assert_one_429_waits(retry_after, 5 * MINUTE).await;
    }
}

/// Checks the end of a task met by nothing but 429s (§5.1): the request `line` sent exactly
/// ten times, each retry a wait later that doubles from `first`, a RateLimited event of
/// `kind` per pause, then the failure of the tenth 429 with `message`, which is the one open
/// task, of `task` kind; the clock advanced by the nine waits.
fn assert_rate_limited_out(
    okta: &OktaOrg,
    line: &str,
    first: Duration,
    (kind, task): (EventKind, TaskKind),
    message: &str,
) {
    let waits: Vec<Duration> = (0..9).map(|n| first * 2u32.pow(n)).collect();
    let mut starts = vec![Duration::ZERO];
    for wait in &waits {
        starts.push(*starts.last().unwrap() + *wait);
    }

    let sent = sent(okta);
    assert_eq!(sent.iter().filter(|l| *l == line).count(), 10, "{sent:#?}");
    assert_eq!(sent[sent.len() - 10..], vec![line; 10], "{sent:#?}");
    let scheduled: Vec<&str> =
        okta.transcript().iter().skip(sent.len() - 10).map(|e| e.scheduled_at.as_str()).collect();
    let expected: Vec<String> = starts.iter().map(|at| iso8601_duration(*at)).collect();
    assert_eq!(scheduled, expected);
    assert_eq!(okta.now(), starts[9], "the sum of nine waits");

    let mut logged: Vec<_> = waits.iter().map(|wait| paused(kind, *wait)).collect();
    logged.push(failed(kind, message));
    let events = events(okta);
    assert_eq!(events[events.len() - 10..], logged);
    let paused_at: Vec<Duration> =
        okta.events().iter().filter(|e| e.outcome == Outcome::RateLimited).map(|e| e.at).collect();
    assert_eq!(paused_at, starts[..9], "each pause is logged when its 429 arrives");
    assert_eq!(tasks(okta), [(task, message.to_string())]);
}

/// §5.1: user create.
#[tokio::test]
async fn ten_429s_fail_a_user_create_for_good() {
    let server = mock_target().await;
    answer(&server, "POST", "/Users", too_many(None), None).await;
    working_app(&server).await;
    let mut okta = org(&server, PATIENT);

    okta.assign("alice").await.unwrap();
    assert_eq!(sent(&okta)[0], FIND_ALICE);
    let message = provisioning_failed("creating user Alice Smith", GAVE_UP);
    assert_rate_limited_out(&okta, "POST /Users", 5 * MINUTE, (EventKind::PushNewUser, TaskKind::Provision), &message);
    assert_eq!(okta.events().len(), 11, "the check, nine pauses and the failure");
    assert_eq!(alice_link(&okta), None);
}

/// §5.1: profile sync, the PUT after the GET (§1.4).
#[tokio::test]
async fn ten_429s_fail_a_profile_push_for_good() {
    let (_server, mut okta) = provisioned_alice("PUT", too_many(None)).await;

    okta.set_attribute("alice", "title", json!("Manager")).await.unwrap();
    assert_eq!(sent(&okta)[..3], [FIND_ALICE, "POST /Users", "GET /Users/t-alice"], "the GET is sent once");
    let message = provisioning_failed("updating user Alice Smith", GAVE_UP);
    let line = "PUT /Users/t-alice";
    assert_rate_limited_out(&okta, line, 5 * MINUTE, (EventKind::PushProfile, TaskKind::Provision), &message);
    assert_eq!(events(&okta)[..2], [alice_not_found(), ok(EventKind::PushNewUser)]);
}

/// §5.1: Group Push create, with `Retry-After: 30` on every 429: only the first counts, then
/// the wait doubles (30 s, 60 s, 120 s …).
#[tokio::test]
async fn ten_429s_fail_a_group_push_for_good() {
    let server = mock_target().await;
    answer(&server, "POST", "/Groups", too_many(Some("30")), None).await;
    let mut okta = org(&server, PATIENT);
    okta.add_group("Engineering", &[]).unwrap();

    okta.push_group("Engineering").await.unwrap();
    // [INFERRED] wording.
    let message =
        format!("Group Push of Engineering to app {APP} failed: Error while creating group Engineering: {GAVE_UP}");
    let pair = (EventKind::PushNewGroup, TaskKind::GroupPush);
    assert_rate_limited_out(&okta, "POST /Groups", Duration::from_secs(30), pair, &message);
    assert_eq!(sent(&okta).len(), 10);
}

/// §5.1: user import.
#[tokio::test]
async fn ten_429s_fail_an_import_for_good() {
    let server = mock_target().await;
    answer(&server, "GET", "/Users", too_many(None), None).await;
    let mut okta = org(&server, PATIENT);

    let report = okta.import_users().await;
    assert_eq!((report.scanned, report.imported), (0, 0));
    // [INFERRED] wording.
    let message = format!("Import of users from app {APP} failed: {GAVE_UP}");
    assert_rate_limited_out(&okta, IMPORT_PAGE, 5 * MINUTE, (EventKind::ImportUsers, TaskKind::Import), &message);
    assert_eq!(sent(&okta).len(), 10);
}

/// A server that ignores `startIndex` and overstates its total answers every page with the
/// first one: the import reads it twice, not forever, and takes each user in once.
#[tokio::test]
async fn a_server_repeating_its_first_page_ends_the_import() {
    let server = mock_target().await;
    let page = json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 1_000_000_000_000_u64, "startIndex": 1,
        "itemsPerPage": 1, "Resources": [{"id": ALICE_ID, "userName": LOGIN, "active": true}]});
    answer(&server, "GET", "/Users", ResponseTemplate::new(200).set_body_json(page), None).await;
    let mut okta = org(&server, PATIENT);

    let report = okta.import_users().await;
    assert_eq!((report.scanned, report.imported), (1, 1));
    assert_eq!(sent(&okta), [IMPORT_PAGE, "GET /Users?startIndex=2&count=100"]);
}

// =======================================================================================
// Other failures
// =======================================================================================

/// §1.6, §1.11: a 501 to the deactivation PATCH of an OIN app makes a Deprovision task; there
/// is no PUT fallback, and Okta still holds the app user active.
#[tokio::test]
async fn a_501_to_the_deactivation_patch_is_a_deprovision_task_without_put_fallback() {
    let (_server, mut okta) = provisioned_alice("PATCH", scim_error(501, "PATCH is not supported")).await;

    okta.unassign("alice").await.unwrap();
    // [INFERRED] wording.
    let message = format!(
        "Automatic deprovisioning of user {LOGIN} from app {APP} failed: Error while deactivating user Alice Smith: \
         Not Implemented. Errors reported by remote server: PATCH is not supported"
    );
    assert_eq!(sent(&okta), [FIND_ALICE, "POST /Users", "PATCH /Users/t-alice"], "one PATCH, no PUT");
    assert_eq!(
        events(&okta),
        [alice_not_found(), ok(EventKind::PushNewUser), failed(EventKind::PushDeactivation, &message)]
    );
    assert_eq!(tasks(&okta), [(TaskKind::Deprovision, message)]);
    assert_eq!(okta.app_user("alice").map(|a| a.active), Some(true), "still active as far as Okta knows");
    assert_eq!(alice_link(&okta).as_deref(), Some(ALICE_ID));
    assert_eq!(okta.now(), Duration::ZERO);
}

/// Assigns alice, runs Test Connector, then imports users, on a server whose three `GET
/// /Users` answers fail, and checks that each fails with its reason (existence check, Test
/// Connector, import, in that order): two tasks, Test Connector's verdict, three events, no
/// POST.
async fn assert_reads_fail(okta: &mut OktaOrg, [verify, connector, import]: [&str; 3]) {
    okta.assign("alice").await.unwrap();
    let test = okta.test_connector().await;
    let report = okta.import_users().await;

    let verify = provisioning_failed(&verifying_alice(), verify);
    // [INFERRED] wording of Test Connector and import failures.
    let connector = format!("{APP} was not verified: GET /Users: {connector}");
    let import = format!("Import of users from app {APP} failed: {import}");
    assert_eq!(sent(okta), [FIND_ALICE, "GET /Users?startIndex=1&count=2", IMPORT_PAGE]);
    assert_eq!(test, Err(connector.clone()));
    assert_eq!((report.scanned, report.imported), (0, 0));
    assert_eq!(
        events(okta),
        [
            failed(EventKind::VerifyUserExists, &verify),
            failed(EventKind::TestConnector, &connector),
            failed(EventKind::ImportUsers, &import),
        ],
    );
    assert_eq!(tasks(okta), [(TaskKind::Provision, verify), (TaskKind::Import, import)]);
    assert_eq!(okta.now(), Duration::ZERO);
}

/// §5.1 lists the operations the 429 policy covers, and Test Connector Configuration is not
/// one: a 429 to it is a failed test at once, with no pause.
#[tokio::test]
async fn a_429_fails_test_connector_without_a_pause() {
    let server = mock_target().await;
    answer(&server, "GET", "/Users", too_many(Some("30")), None).await;
    let mut okta = org(&server, PATIENT);

    let verdict = okta.test_connector().await;
    assert_eq!(
        verdict,
        Err(format!(
            "{APP} was not verified: GET /Users: Too Many Requests. Errors reported by remote server: slow down"
        ))
    );
    assert_eq!(sent(&okta), ["GET /Users?startIndex=1&count=2"]);
    assert_eq!(okta.now(), Duration::ZERO);
    assert!(okta.tasks().is_empty(), "a test is not a task");
}

/// §1.1, §1.2, §1.11: a ListResponse with `startIndex`, `itemsPerPage` or `totalResults` as a
/// JSON string fails the existence check, Test Connector and an import alike (REF20 "must be
/// integers"; the community report of `"startIndex": "1"`).
#[tokio::test]
async fn string_paging_numbers_fail_the_existence_check_test_connector_and_import() {
    for (field, value) in [("startIndex", 1), ("itemsPerPage", 0), ("totalResults", 0)] {
        let server = mock_target().await;
        let mut body = json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 0, "startIndex": 1,
                              "itemsPerPage": 0, "Resources": []});
        body[field] = json!(value.to_string());
        answer(&server, "GET", "/Users", ResponseTemplate::new(200).set_body_json(body), None).await;
        let mut okta = org(&server, PATIENT);

        // [INFERRED] wording.
        let reason = format!("{field} is \"{value}\", not an integer; Okta needs the paging numbers as JSON integers");
        assert_reads_fail(&mut okta, [reason.as_str(); 3]).await;
    }
}

/// FAQ26 (§1.0, §5.2): Okta waits 60 s for an answer, and so does every target client unless
/// told otherwise.
#[test]
fn the_default_timeout_is_okta_s_60_seconds() {
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(60));
    assert_eq!(TargetConfig::new("https://h/scim/v2", Auth::None).timeout, DEFAULT_TIMEOUT);
}

/// §1.11: no answer within the timeout fails the task ("Read timed out" [INFERRED]); a 300 ms
/// timeout stands for Okta's 60 s. The virtual clock counts scheduled waits only, so it does
/// not move [INFERRED].
#[tokio::test]
async fn no_answer_within_the_timeout_is_a_read_timeout() {
    let server = mock_target().await;
    answer(&server, "GET", "/Users", list_response(&[]).set_delay(Duration::from_secs(5)), None).await;
    let mut okta = org(&server, Duration::from_millis(300));

    let started = Instant::now();
    okta.assign("alice").await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(3), "the timeout cut the wait: {:?}", started.elapsed());
    assert_eq!(sent(&okta), [FIND_ALICE]);
    let [task] = okta.tasks() else { panic!("one task: {:?}", okta.tasks()) };
    assert_eq!(task.kind, TaskKind::Provision);
    assert!(task.message.starts_with(&provisioning_failed(&verifying_alice(), "Read timed out (")), "{}", task.message);
    assert!(task.message.contains("no complete response within 0.3 s"), "{}", task.message);
    assert_eq!(events(&okta), [failed(EventKind::VerifyUserExists, &task.message)]);
    assert_eq!(alice_link(&okta), None);
    assert_eq!(okta.now(), Duration::ZERO);
}

/// §1.11, §5.2: a 5xx to a profile push is a failed task naming the status, retried only by
/// "Retry Selected": one PUT, no automatic retry.
#[tokio::test]
async fn a_500_to_a_profile_push_is_a_task_without_automatic_retry() {
    let (_server, mut okta) = provisioned_alice("PUT", scim_error(500, "database unavailable")).await;

    okta.set_attribute("alice", "title", json!("Manager")).await.unwrap();
    // [DOC] pattern (FAQ26); the reason phrase [INFERRED].
    let message = provisioning_failed(
        "updating user Alice Smith",
        "Internal Server Error. Errors reported by remote server: database unavailable",
    );
    assert_eq!(sent(&okta), [FIND_ALICE, "POST /Users", "GET /Users/t-alice", "PUT /Users/t-alice"]);
    assert_eq!(
        events(&okta),
        [alice_not_found(), ok(EventKind::PushNewUser), failed(EventKind::PushProfile, &message)]
    );
    assert_eq!(tasks(&okta), [(TaskKind::Provision, message)]);
    assert_eq!(okta.now(), Duration::ZERO);
}

/// A server that echoes the API token back — in a SCIM `detail`, in a plain-text body, in a
/// JSON body without `detail` — never gets it into an event, a task or Test Connector's
/// verdict: the token is replaced by `[redacted]`.
#[tokio::test]
async fn a_token_echoed_by_the_server_never_reaches_events_or_tasks() {
    let server = mock_target().await;
    let echoes = [
        scim_error(401, &format!("Invalid token {TOKEN}")),
        ResponseTemplate::new(403).set_body_raw(format!("Bearer {TOKEN} is not allowed"), "text/plain"),
        ResponseTemplate::new(500).set_body_json(json!({"error": format!("token {TOKEN} expired")})),
    ];
    for echo in echoes {
        answer(&server, "GET", "/Users", echo, Some(1)).await;
    }
    let mut okta = org(&server, PATIENT);

    assert_reads_fail(
        &mut okta,
        [
            &format!("Unauthorized. Errors reported by remote server: Invalid token {REDACTED}"),
            &format!("Forbidden. Errors reported by remote server: Bearer {REDACTED} is not allowed"),
            &format!(
                "Internal Server Error. Errors reported by remote server: {{\"error\":\"token {REDACTED} expired\"}}"
            ),
        ],
    )
    .await;
    let said = okta.events().iter().map(|e| &e.message).chain(okta.tasks().iter().map(|t| &t.message));
    assert!(said.clone().all(|m| !m.contains(TOKEN)), "{:?}", said.collect::<Vec<_>>());
}
