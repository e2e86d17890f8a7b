//! Half-finished and hostile targets: refused, unknown, not TLS or with an untrusted
//! certificate, too slow for the timeout (before the headers, or in the body), answering 5xx
//! or 429 with odd `Retry-After` values, bodies that are not JSON, cut short, 10 MB or endless,
//! the wrong content type, redirects to another host, an auth proxy's login page.
//!
//! Each is tested twice. Once at the client: [`TargetClient::send`] comes back within the
//! timeout with the reply, or with a [`TargetError`] whose message names the request. Once end
//! to end: the `scimsim` binary against it with a 1 s timeout exits with the DESIGN.md code (3
//! when the reachability probe fails, 1 when scenarios fail), within a bound, without a panic,
//! and `certify` still writes its report.
//!
//! Runs the binary with the helpers of `cli.rs`, which are Unix-only.

#![cfg(unix)]

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::Method;
use scimsim::target::{
    Auth, CertificateTrust, ExchangeMeta, MAX_RETRY_AFTER, OutgoingRequest, PrivateCa, Reply, TargetClient,
    TargetConfig, TargetError,
};
use scimsim::transcript::Exchange;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{ServerConfig, crypto};
use wiremock::matchers::{any, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::broken_targets::{Defect, ENTRA_CREATES_ALICE, defect_fails, evidence_at};
use crate::process::{Outcome, TempDir, path_str, run_with_env};
use crate::util::{TestServer, raw_server};

/// The bearer token every test sends.
const TOKEN: &str = "bad-target-token-7f3a";

/// The request timeout of every test.
const TIMEOUT: Duration = Duration::from_secs(1);

/// How much later than the timeout a failed request may come back: scheduling on a busy
/// 2-core box.
const SLACK: Duration = Duration::from_secs(2);

/// How long a whole run whose probe fails may take: the probe's timeout, start-up, and slack
/// for a busy 2-core box (cli.rs kills a run after 10 s).
const PROBE_BOUND: Duration = Duration::from_secs(8);

/// The SCIM media type.
const SCIM_JSON: &str = "application/scim+json";

/// An auth proxy's sign-in page, answered 200 in place of the SCIM endpoint.
const LOGIN_PAGE: &str = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action=\"/login\" method=\"post\">\
     <input name=\"username\"><input name=\"password\" type=\"password\"></form></body></html>";

/// A ListResponse cut off in the middle, sent as a complete HTTP message.
const TRUNCATED_JSON: &str = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":";

/// Ten million bytes: more than the client reads.
const TEN_MB: usize = 10_000_000;

// ---------------------------------------------------------------------------------------
// Bad targets
// ---------------------------------------------------------------------------------------

/// Which requests a bad target gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every request, the reachability probe's too: the run stops at the probe.
    Everything,
    /// Every request but `GET /ServiceProviderConfig`, which answers well: the probe passes
    /// and the scenarios meet the defect.
    AfterTheProbe,
}

/// A target on wiremock that answers the requests `scope` names with `answer`; its base URL
/// is `<server>/scim`.
async fn mock_target(scope: Scope, answer: impl wiremock::Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    if scope == Scope::AfterTheProbe {
        Mock::given(path_regex("/ServiceProviderConfig$"))
            .respond_with(service_provider_config())
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(any()).respond_with(answer).mount(&server).await;
    server
}

fn base(server: &MockServer) -> String {
    format!("{}/scim", server.uri())
}

/// A plausible `/ServiceProviderConfig` answer.
fn service_provider_config() -> ResponseTemplate {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true}, "bulk": {"supported": false}, "filter": {"supported": true, "maxResults": 100},
        "changePassword": {"supported": false}, "sort": {"supported": false}, "etag": {"supported": false},
        "authenticationSchemes": []
    });
    ResponseTemplate::new(200).set_body_raw(body.to_string(), SCIM_JSON)
}

/// What a raw target does wrong after sending its status line and headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    /// Promises a body, then sends a byte every 100 ms.
    Trickle,
    /// Sends a chunked body that never ends, as fast as the client reads it.
    Endless,
    /// Promises 1000 bytes, sends 20 and closes the connection.
    CutShort,
}

/// A target on a raw TCP server that answers the requests `scope` names as `raw` says; its
/// base URL.
async fn raw_target(raw: Raw, scope: Scope) -> String {
    let address = raw_server(move |request_line, mut socket| async move {
        if scope == Scope::AfterTheProbe && request_line.contains("/ServiceProviderConfig") {
            let body = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]}"#;
            let head =
                format!("HTTP/1.1 200 OK\r\ncontent-type: {SCIM_JSON}\r\ncontent-length: {}\r\n\r\n", body.len());
            let _ = socket.write_all(format!("{head}{body}").as_bytes()).await;
            return;
        }
        match raw {
            Raw::Trickle => trickle(socket).await,
            Raw::Endless => endless(socket).await,
            Raw::CutShort => {
                let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {SCIM_JSON}\r\ncontent-length: 1000\r\n\r\n");
                let _ = socket.write_all(format!("{head}{{\"schemas\":[\"urn:").as_bytes()).await;
                let _ = socket.shutdown().await;
            }
        }
    })
    .await;
    format!("http://{address}/scim")
}

/// Headers promising a body, then one byte of it every 100 ms until the client leaves.
async fn trickle(mut socket: TcpStream) {
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {SCIM_JSON}\r\ncontent-length: 100000\r\n\r\n");
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    while socket.write_all(b" ").await.is_ok() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A chunked body of 64 KiB chunks with no last chunk, until the client leaves.
async fn endless(mut socket: TcpStream) {
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {SCIM_JSON}\r\ntransfer-encoding: chunked\r\n\r\n");
    let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    while socket.write_all(chunk.as_bytes()).await.is_ok() {}
}

/// A port nothing listens on.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A host no resolver knows (RFC 6761 reserves `.invalid`).
const UNKNOWN_HOST: &str = "https://scimsim-bad-target.invalid/scim";

/// 500 and 503 in turn.
fn five_hundreds() -> impl wiremock::Respond {
    let count = AtomicUsize::new(0);
    move |_: &Request| {
        let status = [500, 503][count.fetch_add(1, Ordering::Relaxed) % 2];
        ResponseTemplate::new(status).set_body_raw("upstream unavailable", "text/plain")
    }
}

/// 301, 302 and 307 in turn, each to `elsewhere`.
fn redirects_to(elsewhere: &MockServer) -> impl wiremock::Respond + use<> {
    let count = AtomicUsize::new(0);
    let location = format!("{}/scim/Users", elsewhere.uri());
    move |_: &Request| {
        let status = [301, 302, 307][count.fetch_add(1, Ordering::Relaxed) % 3];
        ResponseTemplate::new(status).insert_header("location", location.as_str())
    }
}

/// A server that records what reaches it: where redirects point.
async fn elsewhere() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

/// Asserts that nothing reached `server`: no redirect was followed, so no token went there.
async fn assert_untouched(server: &MockServer) {
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests.is_empty(), "a redirect was followed: {requests:?}");
}

// ---------------------------------------------------------------------------------------
// TLS
// ---------------------------------------------------------------------------------------

/// `fixtures/tls/<name>`.
fn tls_fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tls").join(name)
}

/// The reference server behind a TLS front that presents `fixtures/tls/server.pem`, issued
/// by the test CA that no system trusts. Returns the front's base URL and the server, which
/// stops when dropped.
async fn tls_reference_server() -> (String, TestServer) {
    let server = TestServer::start().await;
    let backend = server.server.addr();
    let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(tls_fixture("server.pem"))
        .expect("the test certificate reads")
        .collect::<Result<_, _>>()
        .expect("the test certificate parses");
    let key = PrivateKeyDer::from_pem_file(tls_fixture("server-key.pem")).expect("the test key reads");
    let config = ServerConfig::builder_with_provider(Arc::new(crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS 1.2 and 1.3")
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .expect("the test key matches its certificate");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let front = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to relay.
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let Ok(mut plain) = TcpStream::connect(backend).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    let url = server.server.url().replacen(&format!("http://{backend}"), &format!("https://{front}"), 1);
    (url, server)
}

// ---------------------------------------------------------------------------------------
// Sending one request
// ---------------------------------------------------------------------------------------

/// A client for `base` with the test token and `timeout`, trusting `trust`.
fn client_with(base: &str, timeout: Duration, trust: CertificateTrust) -> TargetClient {
    let config =
        TargetConfig { use_env_proxy: false, timeout, trust, ..TargetConfig::new(base, Auth::Bearer(TOKEN.into())) };
    TargetClient::new(config).expect("a valid config")
}

/// What one send gave, and how long it took.
struct Sent {
    result: Result<Reply, TargetError>,
    exchange: Exchange,
    elapsed: Duration,
}

/// Sends `GET /Users` to `base` with the 1 s timeout.
async fn get_users(base: &str) -> Sent {
    send_with(&client_with(base, TIMEOUT, CertificateTrust::System), TIMEOUT).await
}

/// Sends `GET /Users` through `client` and asserts it came back within `timeout` and slack.
async fn send_with(client: &TargetClient, timeout: Duration) -> Sent {
    let started = Instant::now();
    let (result, exchange) = client.send(&OutgoingRequest::new(Method::GET, "/Users"), ExchangeMeta::default()).await;
    let elapsed = started.elapsed();
    assert!(elapsed < timeout + SLACK, "the send took {elapsed:?}, the timeout is {timeout:?}");
    Sent { result, exchange, elapsed }
}

impl Sent {
    /// The reply; panics with the error when there is none.
    #[track_caller]
    fn reply(self) -> Reply {
        assert_eq!(self.exchange.error, None);
        self.result.unwrap_or_else(|err| panic!("expected a reply, got: {err}"))
    }

    /// The error, asserting that its message starts with the request (`GET <base>/Users: `),
    /// that the exchange records it, and that it holds no token.
    #[track_caller]
    fn error(self, base: &str) -> TargetError {
        let err = self.result.expect_err("the request fails");
        let message = err.to_string();
        assert!(message.starts_with(&format!("GET {base}/Users: ")), "the message names the request: {message}");
        assert_eq!(self.exchange.error.as_deref(), Some(message.as_str()));
        assert!(!message.contains(TOKEN), "{message}");
        err
    }
}

// ---------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------

/// Variables that would change what a run does: a tag selection, another timeout or target,
/// proxies in front of 127.0.0.1.
const UNSET: &[&str] = &[
    "SCIMSIM_TAGS",
    "SCIMSIM_TIMEOUT",
    "SCIMSIM_TARGET_URL",
    "SCIMSIM_SNAPSHOTS",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

/// A finished `scimsim` run and how long it took.
struct Ran {
    outcome: Outcome,
    elapsed: Duration,
}

impl Ran {
    /// Asserts the exit code, that nothing panicked and no token was printed; returns stdout
    /// and stderr together.
    #[track_caller]
    fn exits(&self, code: i32) -> String {
        let Outcome { code: actual, stdout, stderr } = &self.outcome;
        assert_eq!(*actual, Some(code), "stdout:\n{stdout}\nstderr:\n{stderr}");
        assert!(!stderr.contains("panicked"), "a panic: {stderr}");
        assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN), "the token was printed");
        format!("{stdout}\n{stderr}")
    }

    /// Asserts exit code 3 within [`PROBE_BOUND`], with stderr naming the probe's request to
    /// `base` and saying `why`.
    #[track_caller]
    fn unreachable(&self, base: &str, why: &str) {
        self.exits(3);
        assert!(self.elapsed < PROBE_BOUND, "took {:?}", self.elapsed);
        let stderr = &self.outcome.stderr;
        let probe = format!("cannot be reached: GET {base}/ServiceProviderConfig: ");
        assert!(stderr.starts_with("error: ") && stderr.contains(&probe), "{probe:?} in: {stderr}");
        assert!(stderr.contains(why), "{why:?} in: {stderr}");
    }
}

/// Runs `scimsim <args>` with `env` (and none of [`UNSET`] that `env` does not set), on a
/// blocking thread: the bad target is served by this test's runtime. `cli.rs`'s runner kills
/// it and fails after its deadline.
async fn scimsim(args: Vec<String>, env: Vec<(&'static str, String)>) -> Ran {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let set: Vec<(&str, &str)> = env.iter().map(|(name, value)| (*name, value.as_str())).collect();
        let unset: Vec<&str> = UNSET.iter().copied().filter(|name| !set.iter().any(|(n, _)| n == name)).collect();
        let started = Instant::now();
        let outcome = run_with_env(&args, &set, &unset);
        Ran { outcome, elapsed: started.elapsed() }
    })
    .await
    .expect("the run's thread ends")
}

/// The test token, where `--token-env` looks by default.
fn test_token() -> Vec<(&'static str, String)> {
    vec![("SCIMSIM_TOKEN", TOKEN.to_string())]
}

/// A few scenarios of both IdPs that run against any target: Entra's connection test and
/// first cycle, and Okta's assignment of a new and of an existing user. Against `base`, with
/// snapshots in `dir`.
fn selection_args(base: &str, dir: &TempDir) -> Vec<String> {
    let mut args = vec!["run".to_string()];
    for feature in ["features/entra/test_connection.feature", "features/okta/assign_and_create.feature"] {
        args.push(path_str(&Path::new(env!("CARGO_MANIFEST_DIR")).join(feature)));
    }
    args.extend(["--target", base, "--snapshots", &dir.path("snapshots")].map(String::from));
    args
}

/// `scimsim run <selection> --target <base> --timeout 1 <extra>` with the test token.
async fn run_selection(base: &str, dir: &TempDir, extra: &[&str]) -> Ran {
    let mut args = selection_args(base, dir);
    args.extend(["--timeout", "1"].iter().chain(extra).map(|arg| arg.to_string()));
    scimsim(args, test_token()).await
}

/// `scimsim certify --idp <idp> --target <base> --timeout 1 --out <dir>/report`; asserts exit
/// code 1 and that report.json, report.html and junit.xml were written, and returns
/// report.json and the output.
async fn certify_fails(base: &str, idp: &str, dir: &TempDir) -> (Value, String) {
    let out = dir.path("report");
    let args = ["certify", "--idp", idp, "--target", base, "--timeout", "1", "--out", &out].map(String::from);
    let ran = scimsim(args.to_vec(), test_token()).await;
    let output = ran.exits(1);
    for file in ["report.json", "report.html", "junit.xml"] {
        assert!(dir.0.join("report").join(file).is_file(), "{file} was written");
    }
    let report: Value = serde_json::from_str(&std::fs::read_to_string(dir.0.join("report/report.json")).unwrap())
        .expect("report.json is JSON");
    let scenarios = report["scenarios"].as_array().map_or(0, Vec::len);
    assert!(scenarios > 1, "every scenario is in the report: {report:#}");
    assert!(report["verdicts"][0]["scenarios_failed"].as_u64() > Some(0), "{:#}", report["verdicts"]);
    (report, output)
}

/// The failures of a report's scenarios, one a line.
fn failures(report: &Value) -> String {
    let scenarios = report["scenarios"].as_array().into_iter().flatten();
    scenarios.filter_map(|s| s["failure"].as_str()).collect::<Vec<_>>().join("\n")
}

/// Whether `text` names a request to the target: a method followed by a path or URL.
fn names_a_request(text: &str, base: &str) -> bool {
    ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .iter()
        .any(|method| text.contains(&format!("{method} /")) || text.contains(&format!("{method} {base}/")))
}

// ---------------------------------------------------------------------------------------
// Unreachable: refused, unknown host, no TLS, untrusted TLS
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_connection_names_the_request_and_stops_the_run_at_the_probe() {
    let base = format!("http://127.0.0.1:{}/scim", closed_port());
    let err = get_users(&base).await.error(&base);
    assert!(matches!(err, TargetError::Connect { .. }), "{err:?}");

    let dir = TempDir::new("bad-refused");
    run_selection(&base, &dir, &[]).await.unreachable(&base, "cannot connect to the target");
}

#[tokio::test]
async fn an_unknown_host_is_a_connect_error() {
    let err = get_users(UNKNOWN_HOST).await.error(UNKNOWN_HOST);
    assert!(matches!(err, TargetError::Connect { .. }), "{err:?}");

    let dir = TempDir::new("bad-unknown-host");
    run_selection(UNKNOWN_HOST, &dir, &[]).await.unreachable(UNKNOWN_HOST, "cannot connect to the target");
}

#[tokio::test]
async fn https_to_a_plain_tcp_server_is_a_tls_error() {
    let server = mock_target(Scope::Everything, ResponseTemplate::new(200)).await;
    let base = format!("https://{}/scim", server.address());
    let err = get_users(&base).await.error(&base);
    assert!(matches!(err, TargetError::Tls { .. }), "{err:?}");

    let dir = TempDir::new("bad-not-tls");
    run_selection(&base, &dir, &[]).await.unreachable(&base, "TLS handshake failed");
}

#[tokio::test]
async fn an_untrusted_certificate_fails_unless_its_ca_is_given_or_verification_is_off() {
    let (base, _server) = tls_reference_server().await;
    let err = get_users(&base).await.error(&base);
    assert!(matches!(err, TargetError::Tls { .. }), "{err:?}");
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");

    let ca = PrivateCa::read(&tls_fixture("ca.pem")).expect("the test CA reads");
    for trust in [CertificateTrust::SystemAndPrivateCa(ca), CertificateTrust::Any] {
        let client = client_with(&base, TIMEOUT, trust.clone());
        assert_eq!(send_with(&client, TIMEOUT).await.reply().status, 401, "{trust:?}: the server answered");
    }
}

#[tokio::test]
async fn the_binary_refuses_an_untrusted_certificate_and_accepts_it_with_ca_cert_or_insecure() {
    let (base, server) = tls_reference_server().await;
    let dir = TempDir::new("bad-tls");
    // The runs that must pass get a roomy timeout: on a busy box a request through the TLS
    // front may take longer than the 1 s the failing runs use.
    let run = |extra: &[&str]| {
        let mut args = selection_args(&base, &dir);
        args.extend(extra.iter().map(|arg| arg.to_string()));
        scimsim(args, vec![("SCIMSIM_TOKEN", server.server.token().to_string())])
    };

    let refused = run(&["--timeout", "1"]).await;
    refused.unreachable(&base, "TLS handshake failed");
    assert!(refused.outcome.stderr.contains("UnknownIssuer"), "{}", refused.outcome.stderr);

    let trusted = run(&["--timeout", "8", "--ca-cert", &path_str(&tls_fixture("ca.pem"))]).await;
    trusted.exits(0);
    assert!(!trusted.outcome.stderr.contains("warning"), "{}", trusted.outcome.stderr);

    let insecure = run(&["--timeout", "8", "--insecure"]).await;
    insecure.exits(0);
    let warnings = insecure.outcome.stderr.matches("warning: --insecure: the target's TLS certificate is not verified");
    assert_eq!(warnings.count(), 1, "one warning: {}", insecure.outcome.stderr);
}

#[tokio::test]
async fn an_unusable_ca_cert_is_a_usage_error_naming_the_file() {
    let dir = TempDir::new("bad-ca-cert");
    let missing = dir.path("missing.pem");
    let not_pem = dir.write("notes.txt", "not a certificate\n");
    let broken = dir.write("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    let key = path_str(&tls_fixture("server-key.pem"));
    let cases = [
        (&missing, "cannot read it"),
        (&not_pem, "it holds no -----BEGIN CERTIFICATE----- block"),
        (&key, "it holds no -----BEGIN CERTIFICATE----- block"),
        (&broken, "not a usable CA certificate"),
    ];
    for (file, why) in cases {
        let err = PrivateCa::read(Path::new(file)).expect_err(file);
        assert!(err.to_string().contains(why), "{file}: {err}");
        let ran = run_selection("https://127.0.0.1:9/scim", &dir, &["--ca-cert", file]).await;
        let output = ran.exits(2);
        assert!(output.contains(&format!("--ca-cert {file}: {why}")) && output.contains("PEM file"), "{output}");
    }
}

#[tokio::test]
async fn plain_http_to_another_machine_needs_allow_http() {
    let dir = TempDir::new("bad-plain-http");
    let plain = "http://scimsim-bad-target.invalid/scim";
    let output = run_selection(plain, &dir, &[]).await.exits(2);
    assert!(output.contains("use https, or pass --allow-http"), "{output}");
    run_selection(plain, &dir, &["--allow-http"]).await.unreachable(plain, "cannot connect to the target");
}

// ---------------------------------------------------------------------------------------
// Too slow
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn slow_headers_time_out_saying_which_timeout_to_raise() {
    let server = mock_target(Scope::Everything, ResponseTemplate::new(200).set_delay(Duration::from_secs(30))).await;
    let base = base(&server);
    let sent = get_users(&base).await;
    assert!(sent.elapsed >= TIMEOUT, "{:?}", sent.elapsed);
    assert!(sent.exchange.response.is_none());
    let err = sent.error(&base);
    assert!(matches!(err, TargetError::Timeout { timeout: TIMEOUT, .. }), "{err:?}");
    assert!(err.to_string().contains("within 1 s") && err.to_string().contains("--timeout"), "{err}");

    let dir = TempDir::new("bad-slow-headers");
    run_selection(&base, &dir, &[]).await.unreachable(&base, "--timeout SECS (SCIMSIM_TIMEOUT)");
}

#[tokio::test]
async fn the_timeout_can_come_from_the_environment() {
    let server = mock_target(Scope::Everything, ResponseTemplate::new(200).set_delay(Duration::from_secs(30))).await;
    let base = base(&server);
    let dir = TempDir::new("bad-timeout-env");
    let mut env = test_token();
    env.push(("SCIMSIM_TIMEOUT", "0.5".into()));
    let ran = scimsim(selection_args(&base, &dir), env).await;
    ran.unreachable(&base, "no complete response within 0.5 s");
}

#[tokio::test]
async fn a_body_that_trickles_times_out_with_its_status_recorded() {
    let base = raw_target(Raw::Trickle, Scope::Everything).await;
    let sent = get_users(&base).await;
    assert!(sent.elapsed >= TIMEOUT, "{:?}", sent.elapsed);
    assert_eq!(sent.exchange.response.as_ref().map(|r| r.status), Some(200), "the headers arrived");
    let err = sent.error(&base);
    assert!(matches!(err, TargetError::Timeout { .. }), "{err:?}");

    let dir = TempDir::new("bad-trickle-probe");
    run_selection(&base, &dir, &[]).await.unreachable(&base, "no complete response within 1 s");
}

#[tokio::test]
async fn scenarios_whose_requests_time_out_fail_and_the_run_goes_on() {
    let base = raw_target(Raw::Trickle, Scope::AfterTheProbe).await;
    let dir = TempDir::new("bad-trickle-users");
    let ran = run_selection(&base, &dir, &[]).await;
    let output = ran.exits(1);
    // The scenarios run at once: a few timeouts in a row at most, not one per scenario.
    assert!(ran.elapsed < Duration::from_secs(8), "took {:?}", ran.elapsed);
    assert!(output.contains(&format!("GET {base}/Users?filter=")), "{output}");
    assert!(output.contains("no complete response within 1 s"), "{output}");
    assert!(output.contains("0 passed, 6 failed"), "every scenario ran: {output}");
}

// ---------------------------------------------------------------------------------------
// Error statuses and Retry-After
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_5xx_storm_is_judged_and_certify_writes_its_report() {
    let server = mock_target(Scope::Everything, five_hundreds()).await;
    let base = base(&server);
    let first = get_users(&base).await.reply();
    let second = get_users(&base).await.reply();
    assert_eq!((first.status, second.status), (500, 503));
    assert_eq!(first.body.value(), Some(&json!({"raw": "upstream unavailable"})));

    let dir = TempDir::new("bad-5xx");
    let (report, output) = certify_fails(&base, "entra", &dir).await;
    assert_eq!(report["verdicts"][0]["compatible"], false, "{:#}", report["verdicts"]);
    assert!(output.contains("ERROR-BODY") && names_a_request(&output, &base), "{output}");
}

/// `Retry-After` values no server should send, and the wait the client reads from each.
const ODD_RETRY_AFTER: &[(&str, Option<Duration>)] = &[
    ("-5", None),
    ("99999999999999999999", Some(MAX_RETRY_AFTER)),
    ("Fri, 31 Dec 9999 23:59:59 GMT", Some(MAX_RETRY_AFTER)),
    ("soon, maybe", None),
    ("1.5", None),
];

#[tokio::test]
async fn odd_retry_after_values_are_capped_or_ignored() {
    for (value, wait) in ODD_RETRY_AFTER {
        let server =
            mock_target(Scope::Everything, ResponseTemplate::new(429).insert_header("retry-after", *value)).await;
        let reply = get_users(&base(&server)).await.reply();
        assert_eq!((reply.status, reply.retry_after), (429, *wait), "Retry-After: {value}");
    }
}

/// Two waits of u64::MAX seconds overflowed the IdPs' virtual clocks (a panic); now every odd
/// value ends the run with failed scenarios, at once.
#[tokio::test]
async fn a_429_storm_with_odd_retry_after_values_neither_panics_nor_waits() {
    for (value, _) in ODD_RETRY_AFTER {
        let server =
            mock_target(Scope::Everything, ResponseTemplate::new(429).insert_header("retry-after", *value)).await;
        let dir = TempDir::new("bad-429");
        let ran = run_selection(&base(&server), &dir, &[]).await;
        let output = ran.exits(1);
        assert!(ran.elapsed < Duration::from_secs(8), "Retry-After {value}: took {:?}", ran.elapsed);
        assert!(output.contains("→ HTTP 429"), "Retry-After {value}: {output}");
    }
}

// ---------------------------------------------------------------------------------------
// Bodies: not JSON, cut short, too large
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn bodies_that_are_not_json_are_recorded_raw() {
    for (body, content_type) in [("OK", "text/plain"), (TRUNCATED_JSON, SCIM_JSON), (LOGIN_PAGE, "text/html")] {
        let server = mock_target(Scope::Everything, ResponseTemplate::new(200).set_body_raw(body, content_type)).await;
        let sent = get_users(&base(&server)).await;
        let recorded = sent.exchange.response.clone().expect("a response");
        let reply = sent.reply();
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body.value(), Some(&json!({"raw": body})));
        assert_eq!(recorded.body, Some(json!({"raw": body})));
        assert_eq!(recorded.headers["content-type"], content_type);
    }
}

#[tokio::test]
async fn certify_against_non_json_answers_fails_naming_the_requests() {
    for (name, body, content_type) in
        [("plain", "OK", "text/plain"), ("truncated", TRUNCATED_JSON, SCIM_JSON), ("login", LOGIN_PAGE, "text/html")]
    {
        let server = mock_target(Scope::Everything, ResponseTemplate::new(200).set_body_raw(body, content_type)).await;
        let base = base(&server);
        let dir = TempDir::new(&format!("bad-not-json-{name}"));
        let (report, output) = certify_fails(&base, "okta", &dir).await;
        assert_eq!(report["verdicts"][0]["compatible"], false, "{name}: {:#}", report["verdicts"]);
        assert!(names_a_request(&output, &base), "{name}: the failed checks name their exchanges: {output}");
        let failures = failures(&report);
        assert!(
            failures.contains(&format!("POST {base}/Users: HTTP 200 with a body that is not JSON ({content_type})")),
            "{name}: a step's own request names itself: {failures}"
        );
    }
}

#[tokio::test]
async fn a_body_cut_short_is_a_body_error_and_fails_only_its_scenarios() {
    let base = raw_target(Raw::CutShort, Scope::Everything).await;
    let err = get_users(&base).await.error(&base);
    assert!(matches!(err, TargetError::Body { status: 200, .. }), "{err:?}");
    let dir = TempDir::new("bad-cut-short-probe");
    run_selection(&base, &dir, &[]).await.unreachable(&base, "body could not be read");

    let base = raw_target(Raw::CutShort, Scope::AfterTheProbe).await;
    let dir = TempDir::new("bad-cut-short-users");
    let output = run_selection(&base, &dir, &[]).await.exits(1);
    assert!(
        output.contains(&format!("GET {base}/Users?filter=")) && output.contains("body could not be read"),
        "{output}"
    );
}

#[tokio::test]
async fn a_10_mb_body_is_refused_before_it_is_read() {
    let big = ResponseTemplate::new(200).set_body_raw(vec![b' '; TEN_MB], SCIM_JSON);
    let server = mock_target(Scope::Everything, big.clone()).await;
    let base = base(&server);
    let sent = get_users(&base).await;
    assert_eq!(sent.exchange.response.as_ref().map(|r| (r.status, r.body.is_none())), Some((200, true)));
    let err = sent.error(&base);
    assert!(matches!(err, TargetError::BodyTooLarge { status: 200, .. }), "{err:?}");
    assert!(err.to_string().contains("exceeds 8 MiB"), "{err}");
    let dir = TempDir::new("bad-10mb-probe");
    run_selection(&base, &dir, &[]).await.unreachable(&base, "exceeds 8 MiB");

    let server = mock_target(Scope::AfterTheProbe, big).await;
    let base = format!("{}/scim", server.uri());
    let dir = TempDir::new("bad-10mb-users");
    let output = run_selection(&base, &dir, &[]).await.exits(1);
    assert!(output.contains(&format!("GET {base}/Users?filter=")) && output.contains("exceeds 8 MiB"), "{output}");
}

#[tokio::test]
async fn an_endless_body_is_cut_off_at_the_limit_not_the_timeout() {
    let base = raw_target(Raw::Endless, Scope::Everything).await;
    // A long timeout: only the size limit can end this send quickly.
    let long = Duration::from_secs(20);
    let sent = send_with(&client_with(&base, long, CertificateTrust::System), long).await;
    assert!(sent.elapsed < Duration::from_secs(10), "the limit, not the timeout, ended it: {:?}", sent.elapsed);
    let err = sent.error(&base);
    assert!(matches!(err, TargetError::BodyTooLarge { status: 200, .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------
// Content types, redirects
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn html_or_missing_content_types_fail_only_the_media_type_check() {
    for defect in [Defect::HtmlContentType, Defect::NoContentType] {
        let report = defect_fails(defect, ENTRA_CREATES_ALICE, &["CONTENT-TYPE-SCIM"]).await;
        evidence_at(&report, "CONTENT-TYPE-SCIM", "GET", "/response/headers/content-type");
        let message = &report.checks.iter().find(|c| c.id == "CONTENT-TYPE-SCIM").unwrap().evidence[0].message;
        assert!(message.starts_with("GET /Users"), "the evidence names the request: {message}");
    }
}

#[tokio::test]
async fn redirects_are_never_followed_and_never_carry_the_token() {
    let elsewhere = elsewhere().await;
    let server = mock_target(Scope::Everything, redirects_to(&elsewhere)).await;
    let base = base(&server);
    for status in [301, 302, 307] {
        let reply = get_users(&base).await.reply();
        assert_eq!(reply.status, status);
        assert_eq!(reply.header("location").as_deref(), Some(format!("{}/scim/Users", elsewhere.uri()).as_str()));
    }

    let dir = TempDir::new("bad-redirects");
    let output = run_selection(&base, &dir, &[]).await.exits(1);
    assert!(output.contains("→ HTTP 30"), "the failed steps show the redirects: {output}");
    assert_untouched(&elsewhere).await;
}
