//! `scimsim record` end to end: a scripted IdP client → the recording proxy → the embedded
//! reference server, over HTTP. What the client sees through the proxy is what it sees
//! without it; the recording holds one exchange per request with the IdP and dialect told
//! from the requests, and no token anywhere; multi-MiB bodies pass both ways; a slow target is
//! waited for, a too slow or unreachable one gets the IdP a SCIM 502, recorded as such; and
//! the binary listens on loopback only unless told otherwise.

#![cfg(unix)]

use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, Response};
use scimsim::capture::{RecordingConfig, RecordingProxy, RecordingSummary};
use scimsim::scim::urn;
use scimsim::target::Transport;
use scimsim::transcript::{Exchange, Transcript};
use serde_json::{Value, json};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::bad_targets::closed_port;
use crate::process::{DEADLINE, Process, TempDir, run};
use crate::util::TestServer;

/// Entra's vendor header (entra-wire.md §0): its presence names Entra.
const ADSCIMVERSION: (&str, &str) = ("ADSCIMVersion", "Date:2026-01-01T00:00:00Z, ActivityId:6b9b3c5e-1d2f-4c1a");
/// Entra's and Okta's content type on writes (entra-wire.md §0, okta-wire.md §1.0).
const CONTENT_TYPE: (&str, &str) = ("Content-Type", "application/scim+json; charset=utf-8");
/// Okta's user agent (okta-wire.md §1.0).
const OKTA_AGENT: (&str, &str) = ("User-Agent", "Okta SCIM Client 1.0.0");

/// A recording proxy started in-process, with its output directory and live lines.
pub(crate) struct Recording {
    pub(crate) proxy: RecordingProxy,
    lines: UnboundedReceiver<String>,
    _dir: TempDir,
    http: reqwest::Client,
}

/// What a stopped recording left: its summary, the file's exchanges, the live lines.
pub(crate) struct Recorded {
    pub(crate) summary: RecordingSummary,
    pub(crate) exchanges: Vec<Exchange>,
    pub(crate) file_text: String,
    pub(crate) lines: Vec<String>,
}

impl Recording {
    /// A proxy on 127.0.0.1:0 in front of `target`, recording into a fresh directory.
    pub(crate) async fn start(name: &str, target: &str, timeout: Duration) -> Self {
        let dir = TempDir::new(&format!("record-{name}"));
        let (live, lines) = unbounded_channel();
        let transport = Transport { timeout, use_env_proxy: false, ..Transport::default() };
        let config = RecordingConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            listen_non_loopback: false,
            target: target.to_string(),
            transport,
            out_dir: dir.0.clone(),
            live: Some(live),
        };
        let proxy = RecordingProxy::start(config).await.expect("the proxy starts");
        assert!(proxy.file().starts_with(&dir.0), "{}", proxy.file().display());
        let http = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(30)).build().unwrap();
        Self { proxy, lines, _dir: dir, http }
    }

    /// A request to the proxy: the IdP's Tenant URL is the proxy's root.
    fn request(&self, method: Method, path: &str, headers: &[(&str, &str)]) -> RequestBuilder {
        headers
            .iter()
            .fold(self.http.request(method, format!("{}{path}", self.proxy.url())), |request, (name, value)| {
                request.header(*name, *value)
            })
    }

    pub(crate) async fn stop(mut self) -> Recorded {
        let file = self.proxy.file().to_path_buf();
        let summary = self.proxy.stop().await.expect("the recording is complete");
        let file_text = std::fs::read_to_string(&file).expect("the recording file");
        let exchanges =
            Transcript::read_jsonl(file_text.as_bytes()).expect("every line is an exchange").into_iter().collect();
        let mut lines = Vec::new();
        while let Ok(line) = self.lines.try_recv() {
            lines.push(line);
        }
        Recorded { summary, exchanges, file_text, lines }
    }
}

/// What a client saw: status, headers but `date`, body bytes.
#[derive(Debug, PartialEq)]
struct Seen {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

async fn seen(response: Response) -> Seen {
    let status = response.status().as_u16();
    let headers = without_date(response.headers());
    let body = response.bytes().await.expect("the body arrives").to_vec();
    Seen { status, headers, body }
}

fn without_date(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| name.as_str() != "date")
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or_default().to_string()))
        .collect()
}

/// Sends the same request (`body` if any) to the server directly and through the proxy, and
/// checks that both see the same answer.
async fn same_both_ways(
    recording: &Recording,
    server: &TestServer,
    (method, path): (Method, &str),
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Seen {
    let with_body = |request: RequestBuilder| match body {
        Some(body) => request.body(body.to_string()),
        None => request,
    };
    let direct = headers.iter().fold(server.bare(method.clone(), path), |r, (n, v)| r.header(*n, *v));
    let direct = seen(with_body(direct.bearer_auth(server.server.token())).send().await.unwrap()).await;
    let proxied = recording.request(method, path, headers).bearer_auth(server.server.token());
    let proxied = seen(with_body(proxied).send().await.unwrap()).await;
    assert_eq!(proxied, direct, "{path}: the proxy changed the answer");
    proxied
}

fn body_json(seen: &Seen) -> Value {
    serde_json::from_slice(&seen.body).expect("a JSON body")
}

#[tokio::test]
async fn entra_traffic_passes_unchanged_and_is_recorded_redacted_with_its_dialect() {
    let server = TestServer::start().await;
    let token = server.server.token().to_string();
    let recording = Recording::start("entra", server.server.url(), Duration::from_secs(30)).await;
    let entra_get = [ADSCIMVERSION];
    let entra_write = [ADSCIMVERSION, CONTENT_TYPE];

    // Test Connection and the match query (entra-wire.md §1.1, §1.2), compared byte for byte.
    let filter = "/Users?filter=userName+eq+%22alice%40contoso.com%22";
    let empty = same_both_ways(&recording, &server, (Method::GET, filter), &entra_get, None).await;
    assert_eq!(body_json(&empty)["totalResults"], 0);
    // The create, through the proxy only (a second one would conflict).
    let user = json!({"schemas": [urn::USER], "userName": "alice@contoso.com", "active": true, "externalId": "a1"});
    let create = recording.request(Method::POST, "/Users", &entra_write).bearer_auth(&token).body(user.to_string());
    let created = seen(create.send().await.unwrap()).await;
    assert_eq!(created.status, 201, "{}", String::from_utf8_lossy(&created.body));
    let id = body_json(&created)["id"].as_str().unwrap().to_string();
    let location = created.headers.iter().find(|(name, _)| name == "location").map(|(_, v)| v.clone());
    assert!(location.is_some_and(|l| l.ends_with(&format!("/Users/{id}"))), "{:?}", created.headers);
    // A second create of the same user: the same 409 both ways.
    let conflict = same_both_ways(&recording, &server, (Method::POST, "/Users"), &entra_write, Some(&user)).await;
    assert_eq!(conflict.status, 409, "{}", String::from_utf8_lossy(&conflict.body));
    // The legacy disable (entra-wire.md §1.5).
    let disable = json!({
        "schemas": [urn::PATCH_OP],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
    });
    let patched = recording
        .request(Method::PATCH, &format!("/Users/{id}"), &entra_write)
        .bearer_auth(&token)
        .body(disable.to_string())
        .send()
        .await
        .unwrap();
    assert!(matches!(patched.status().as_u16(), 200 | 204), "{}", patched.status());
    let read = same_both_ways(&recording, &server, (Method::GET, &format!("/Users/{id}")), &entra_get, None).await;
    assert_eq!(body_json(&read)["active"], false, "the PATCH reached the server");
    // A request without the token: the server's 401 comes back unchanged.
    let unauthorized = seen(recording.request(Method::GET, "/Users", &entra_get).send().await.unwrap()).await;
    let direct =
        seen(server.bare(Method::GET, "/Users").header(ADSCIMVERSION.0, ADSCIMVERSION.1).send().await.unwrap()).await;
    assert_eq!((unauthorized.status, &unauthorized.body), (401, &direct.body));

    let recorded = recording.stop().await;
    assert_eq!(recorded.summary.exchanges, 6);
    let seqs: Vec<u64> = recorded.exchanges.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5, 6], "sequential requests are written in order");
    let stem = recorded.summary.file.file_stem().unwrap().to_str().unwrap().to_string();
    assert!(stem.starts_with("recording-") && stem.ends_with('Z'), "{stem}");
    for exchange in &recorded.exchanges {
        assert_eq!(
            (exchange.idp.as_str(), exchange.scenario.as_str(), exchange.step.as_str()),
            ("entra", stem.as_str(), "recorded")
        );
        assert!(exchange.error.is_none(), "{exchange:?}");
        assert!(exchange.elapsed_ms > 0.0);
    }
    let dialects: Vec<&str> = recorded.exchanges.iter().map(|e| e.dialect.as_str()).collect();
    assert_eq!(
        dialects,
        ["undetermined", "undetermined", "undetermined", "legacy", "legacy", "legacy"],
        "undetermined until the first PATCH says legacy"
    );
    let first = &recorded.exchanges[0];
    assert_eq!((first.request.method.as_str(), first.request.path.as_str()), ("GET", "/Users"));
    assert_eq!(
        first.request.query.as_deref(),
        Some("filter=userName+eq+%22alice%40contoso.com%22"),
        "the query verbatim"
    );
    assert_eq!(first.request.headers["authorization"], "[redacted]");
    assert_eq!(first.request.headers["adscimversion"], ADSCIMVERSION.1);
    assert_eq!(first.response.as_ref().unwrap().body.as_ref().unwrap()["totalResults"], 0);
    let create = &recorded.exchanges[1];
    assert_eq!(create.request.headers["content-type"], CONTENT_TYPE.1);
    assert_eq!(create.request.body.as_ref().unwrap()["userName"], "alice@contoso.com");
    assert_eq!(create.response.as_ref().unwrap().status, 201);
    assert_eq!(recorded.exchanges[3].request.body, Some(disable));
    assert_eq!(recorded.summary.detected.describe(), "idp entra, dialect legacy");
    assert!(!recorded.file_text.contains(&token), "the token is in the recording");
    assert_eq!(recorded.lines.len(), 6, "{:#?}", recorded.lines);
    assert!(recorded.lines[3].starts_with("#4 entra/legacy PATCH /Users/"), "{}", recorded.lines[3]);
    assert!(recorded.lines[3].contains(r#"(Replace active "False")"#), "{}", recorded.lines[3]);
    assert!(recorded.lines.iter().all(|line| !line.contains(&token) && !line.contains('\n')));
}

#[tokio::test]
async fn okta_is_told_by_its_user_agent_and_oin_by_its_patch() {
    let server = TestServer::start().await;
    let recording = Recording::start("okta", server.server.url(), Duration::from_secs(30)).await;
    let token = server.server.token().to_string();
    let okta = [OKTA_AGENT, ("Accept", "application/scim+json"), CONTENT_TYPE];
    let user = json!({"schemas": [urn::USER], "userName": "jane.doe@example.com", "active": true});
    let created = recording.request(Method::POST, "/Users", &okta).bearer_auth(&token).body(user.to_string());
    let created: Value = created.send().await.unwrap().json().await.unwrap();
    // okta-wire.md §1.6: OIN deactivation, a path-less replace.
    let deactivate = json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "replace", "value": {"active": false}}]});
    let path = format!("/Users/{}", created["id"].as_str().unwrap());
    let patched = recording.request(Method::PATCH, &path, &okta).bearer_auth(&token).body(deactivate.to_string());
    assert!(patched.send().await.unwrap().status().is_success());

    let recorded = recording.stop().await;
    let tags: Vec<(&str, &str)> = recorded.exchanges.iter().map(|e| (e.idp.as_str(), e.dialect.as_str())).collect();
    assert_eq!(tags, [("okta", "undetermined"), ("okta", "oin")]);
    assert_eq!(recorded.exchanges[0].request.headers["user-agent"], OKTA_AGENT.1);
    assert!(recorded.lines[0].contains(r#"okta/undetermined POST /Users → 201"#), "{}", recorded.lines[0]);
    assert!(recorded.lines[0].contains(r#"(userName "jane.doe@example.com", active true)"#), "{}", recorded.lines[0]);
    assert_eq!(recorded.summary.detected.describe(), "idp okta, dialect oin");
}

/// A JSON document of about `bytes` bytes.
fn large_document(bytes: usize) -> Value {
    json!({"schemas": [urn::USER], "userName": "big", "padding": "x".repeat(bytes)})
}

#[tokio::test]
async fn multi_mib_bodies_pass_intact_both_ways() {
    // Answers: the embedded server lists six users of 900 KiB each, a 5 MiB page.
    let server = TestServer::start().await;
    for n in 0..6 {
        let user =
            json!({"schemas": [urn::USER], "userName": format!("user{n}"), "displayName": "d".repeat(900 * 1024)});
        server.post("/Users", &user).await.expect(201);
    }
    let recording = Recording::start("large-answer", server.server.url(), Duration::from_secs(30)).await;
    let page = same_both_ways(&recording, &server, (Method::GET, "/Users?count=10"), &[OKTA_AGENT], None).await;
    assert!(page.body.len() > 5 * 1024 * 1024, "{} bytes", page.body.len());
    let recorded = recording.stop().await;
    let answer = recorded.exchanges[0].response.as_ref().unwrap().body.as_ref().unwrap();
    assert_eq!(serde_json::to_vec(answer).unwrap(), page.body, "the whole answer is recorded");

    // Requests: the embedded server refuses bodies over 1 MiB (as real servers do), so a
    // wiremock target shows what arrived: the same 6 MiB, byte for byte, and its 6 MiB
    // answer back.
    let target = MockServer::start().await;
    let answer = large_document(6 * 1024 * 1024).to_string();
    Mock::given(method("PUT"))
        .and(path("/scim/Users/big"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(answer.clone(), "application/scim+json"))
        .named("a large PUT")
        .mount(&target)
        .await;
    let recording = Recording::start("large-request", &format!("{}/scim", target.uri()), Duration::from_secs(30)).await;
    let sent = large_document(6 * 1024 * 1024 + 17).to_string();
    let response = recording
        .request(Method::PUT, "/Users/big", &[OKTA_AGENT, CONTENT_TYPE, ("X-Trace", "t-1")])
        .bearer_auth("token-of-the-large-test")
        .body(sent.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap(), answer.as_bytes(), "the answer arrives whole");
    let received = target.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, sent.as_bytes(), "the request arrives whole");
    let header = |name: &str| received[0].headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    assert_eq!(
        header("authorization").as_deref(),
        Some("Bearer token-of-the-large-test"),
        "the IdP's credential is kept"
    );
    assert_eq!(header("user-agent").as_deref(), Some(OKTA_AGENT.1));
    assert_eq!(header("content-type").as_deref(), Some(CONTENT_TYPE.1));
    assert_eq!(header("x-trace").as_deref(), Some("t-1"));
    assert_eq!(header("host"), Some(target.address().to_string()), "the target's host, not the proxy's");
    let recorded = recording.stop().await;
    assert_eq!(recorded.exchanges[0].request.body.as_ref().unwrap().to_string(), sent);
    assert!(!recorded.file_text.contains("token-of-the-large-test"));
}

#[tokio::test]
async fn a_slow_target_is_waited_for_and_its_time_recorded() {
    // A delay no correct server needs: wiremock's.
    let target = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/scim/Users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"totalResults":0,"Resources":[]}"#, "application/scim+json")
                .set_delay(Duration::from_millis(700)),
        )
        .named("a slow list")
        .mount(&target)
        .await;
    let recording = Recording::start("slow", &format!("{}/scim", target.uri()), Duration::from_secs(10)).await;
    let response = recording.request(Method::GET, "/Users", &[OKTA_AGENT]).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let recorded = recording.stop().await;
    let exchange = &recorded.exchanges[0];
    assert!(exchange.elapsed_ms >= 700.0, "the target's time is recorded: {}", exchange.elapsed_ms);
    assert_eq!(exchange.response.as_ref().unwrap().status, 200);
}

#[tokio::test]
async fn concurrent_requests_each_get_a_seq_and_a_line() {
    let server = TestServer::start().await;
    let recording = Recording::start("concurrent", server.server.url(), Duration::from_secs(30)).await;
    let token = server.server.token().to_string();
    let mut requests = tokio::task::JoinSet::new();
    for n in 0..24 {
        let request = recording.request(Method::GET, &format!("/Users?filter=userName+eq+%22u{n}%22"), &[OKTA_AGENT]);
        requests.spawn(request.bearer_auth(&token).send());
    }
    while let Some(response) = requests.join_next().await {
        assert_eq!(response.unwrap().unwrap().status(), 200);
    }
    let recorded = recording.stop().await;
    let mut seqs: Vec<u64> = recorded.exchanges.iter().map(|e| e.seq).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=24).collect::<Vec<u64>>(), "one exchange per request, each its own seq");
    assert_eq!(recorded.lines.len(), 24);
}

#[tokio::test]
async fn stopping_lets_the_exchanges_in_flight_finish() {
    let target = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204).set_delay(Duration::from_millis(500)))
        .named("a slow answer")
        .mount(&target)
        .await;
    let recording = Recording::start("in-flight", &format!("{}/scim", target.uri()), Duration::from_secs(10)).await;
    let in_flight = tokio::spawn(recording.request(Method::GET, "/Users/1", &[OKTA_AGENT]).send());
    // Stop only once the target holds the request.
    let deadline = Instant::now() + DEADLINE;
    while target.received_requests().await.unwrap_or_default().is_empty() {
        assert!(Instant::now() < deadline, "the request never reached the target");
        tokio::task::yield_now().await;
    }
    let recorded = recording.stop().await;
    assert_eq!(in_flight.await.unwrap().unwrap().status(), 204, "the IdP got its answer");
    assert_eq!(recorded.summary.exchanges, 1);
    assert_eq!(recorded.exchanges[0].response.as_ref().unwrap().status, 204);
}

/// Reads the proxy's own SCIM error answer.
async fn scim_error(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(content_type, "application/scim+json");
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_target_slower_than_the_timeout_gets_the_idp_a_502_in_time() {
    let target = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(20)))
        .named("a stuck target")
        .mount(&target)
        .await;
    let recording = Recording::start("stuck", &format!("{}/scim", target.uri()), Duration::from_millis(500)).await;
    let started = Instant::now();
    let response = recording.request(Method::GET, "/Users/7", &[OKTA_AGENT]).send().await.unwrap();
    let waited = started.elapsed();
    let (status, body) = scim_error(response).await;
    assert_eq!(status, 502);
    assert!(waited < Duration::from_secs(5), "the IdP waited {waited:?}, the timeout is 0.5 s");
    assert!(body["detail"].as_str().unwrap().contains("no complete response within 0.5 s"), "{body}");
    let recorded = recording.stop().await;
    assert_eq!(recorded.exchanges[0].response.as_ref().unwrap().status, 502);
    assert!(recorded.exchanges[0].error.as_deref().unwrap().contains("no complete response within 0.5 s"));
}

#[tokio::test]
async fn an_unreachable_target_gets_the_idp_a_scim_502_recorded_as_such() {
    let base = format!("http://127.0.0.1:{}/scim", closed_port());
    let recording = Recording::start("unreachable", &base, Duration::from_secs(10)).await;
    let response = recording
        .request(Method::DELETE, "/Users/42", &[ADSCIMVERSION])
        .bearer_auth("token-of-the-unreachable-test")
        .send()
        .await
        .unwrap();
    let (status, body) = scim_error(response).await;
    assert_eq!(status, 502);
    assert_eq!(body["schemas"], json!([urn::ERROR]));
    assert_eq!(body["status"], "502");
    let detail = body["detail"].as_str().unwrap();
    let prefix = format!("scimsim record: the target {base} did not answer: DELETE {base}/Users/42: cannot connect");
    assert!(detail.starts_with(&prefix), "{detail}");

    let recorded = recording.stop().await;
    let exchange = &recorded.exchanges[0];
    let response = exchange.response.as_ref().unwrap();
    assert_eq!(response.status, 502);
    assert_eq!(response.body.as_ref().unwrap()["detail"], detail);
    assert!(exchange.error.as_deref().unwrap().contains("cannot connect to the target"), "{:?}", exchange.error);
    assert_eq!(exchange.idp, "entra");
    assert!(recorded.lines[0].contains("DELETE /Users/42 → 502"), "{}", recorded.lines[0]);
    assert!(!recorded.file_text.contains("token-of-the-unreachable-test"));
}

#[test]
fn the_command_records_until_sigterm_and_says_what_it_recorded() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(TestServer::start());
    let token = server.server.token().to_string();
    let dir = TempDir::new("record-command");
    let out = dir.path("recordings");
    let mut process = Process::start(
        &["record", "--listen", "127.0.0.1:0", "--target", server.server.url(), "--out", &out, "--timeout", "10"],
        &[],
        &["SCIMSIM_TIMEOUT"],
    );
    let deadline = Instant::now() + DEADLINE;
    let banner = process.next_line(deadline).expect("the listening line");
    let file_line = process.next_line(deadline).expect("the file line");
    let url = banner
        .strip_prefix("scimsim record: listening on ")
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_else(|| panic!("unexpected start-up line: {banner}"))
        .to_string();
    assert!(banner.ends_with(&format!("forwarding to {}", server.server.url())), "{banner}");
    let file = file_line
        .strip_prefix("recording to ")
        .and_then(|rest| rest.strip_suffix("; Ctrl-C stops"))
        .unwrap_or_else(|| panic!("unexpected file line: {file_line}"))
        .to_string();
    assert!(file.starts_with(&out) && file.ends_with(".jsonl"), "{file}");

    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    for path in ["/ServiceProviderConfig", "/Users?startIndex=1&count=100"] {
        let sent = http.get(format!("{url}{path}")).header(OKTA_AGENT.0, OKTA_AGENT.1).bearer_auth(&token).send();
        assert_eq!(runtime.block_on(sent).unwrap().status(), 200, "{path}");
    }
    let first = process.next_line(deadline).expect("a line for the first exchange");
    assert!(first.starts_with("#1 okta/undetermined GET /ServiceProviderConfig → 200 in "), "{first}");
    let second = process.next_line(deadline).expect("a line for the second exchange");
    assert!(second.contains("(startIndex=1&count=100)"), "{second}");

    let status = Command::new("kill").args(["-TERM", &process.pid().to_string()]).status().unwrap();
    assert!(status.success());
    let outcome = process.finish();
    assert_eq!(outcome.code, Some(0), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    let last = outcome.stdout.lines().last().unwrap_or_default();
    assert_eq!(last, format!("2 exchanges recorded in {file} (idp okta, dialect undetermined)"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(Transcript::read_jsonl(text.as_bytes()).unwrap().len(), 2);
    for (what, output) in [("the recording", &text), ("stdout", &outcome.stdout), ("stderr", &outcome.stderr)] {
        assert!(!output.contains(&token), "the token is in {what}");
    }
}

#[test]
fn a_non_loopback_listen_needs_the_flag() {
    let dir = TempDir::new("record-non-loopback");
    let out = dir.path("recordings");
    let outcome = run(&["record", "--listen", "0.0.0.0:0", "--target", "http://127.0.0.1:9/scim", "--out", &out]);
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    for advice in ["not a loopback address", "plain http", "tunnel", "127.0.0.1", "--listen-non-loopback"] {
        assert!(outcome.stderr.contains(advice), "{advice:?} missing from: {}", outcome.stderr);
    }
    assert!(!std::path::Path::new(&out).exists(), "nothing recorded");
    let remote = run(&["record", "--listen", "127.0.0.1:0", "--target", "http://scim.example.com/scim", "--out", &out]);
    assert_eq!(remote.code, Some(2), "{}", remote.stderr);
    assert!(remote.stderr.contains("--allow-http"), "{}", remote.stderr);
}
