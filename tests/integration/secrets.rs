//! Tokens never appear in anything a run writes (DESIGN.md "Runs against real tenants"):
//! stdout, stderr, `-v` output, failure messages, transcripts, snapshots and reports, even
//! when the target echoes the `Authorization` header back in every body, header and error.
//!
//! The target is the reference server behind a proxy that does exactly that, and answers
//! every fifth user read with a 500 whose detail quotes the header, so scenarios fail and
//! their failure messages quote the target.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use scimsim::server::{RunningServer, ServerConfig};
use serde_json::{Value, json};

use super::process::{Outcome, Process, TempDir};

/// The token the runs use: long and unusual, so any trace of it is found.
const TOKEN: &str = "tok-3c9fd2e871b4a0-SECRET-5e6a";

/// How long the runs may take (debug binary, whole suite).
const RUN_DEADLINE: Duration = Duration::from_secs(180);

/// The reference server and a proxy in front of it that echoes `Authorization`.
struct EchoingTarget {
    /// Runs the server and the proxy.
    _runtime: tokio::runtime::Runtime,
    _server: RunningServer,
    /// The proxy's SCIM base URL.
    url: String,
}

#[derive(Clone)]
struct Upstream {
    origin: String,
    http: reqwest::Client,
    reads: Arc<AtomicUsize>,
}

impl EchoingTarget {
    fn start() -> Self {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
        let (url, server) = runtime.block_on(async {
            let config = ServerConfig {
                token: Some(TOKEN.into()),
                addr: "127.0.0.1:0".parse().unwrap(),
                ..ServerConfig::default()
            };
            let server = scimsim::server::spawn(config).await.expect("the reference server starts");
            let origin = format!("http://{}", server.addr());
            let base_path = server.url().trim_start_matches(&origin).to_string();
            let upstream = Upstream {
                origin,
                http: reqwest::Client::builder().no_proxy().build().unwrap(),
                reads: Arc::new(AtomicUsize::new(0)),
            };
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let proxy = format!("http://{}{base_path}", listener.local_addr().unwrap());
            let app = Router::new().fallback(echo).with_state(upstream);
            tokio::spawn(async move { axum::serve(listener, app).await });
            (proxy, server)
        });
        Self { _runtime: runtime, _server: server, url }
    }

    fn run(&self, args: &[&str]) -> Outcome {
        let args = [args, &["--target", self.url.as_str()]].concat();
        Process::start(&args, &[("SCIMSIM_TOKEN", TOKEN)], &["SCIMSIM_TARGET_URL", "SCIMSIM_SNAPSHOTS"])
            .finish_within(RUN_DEADLINE)
    }
}

/// Forwards the request, then puts the `Authorization` it carried into the answer: a header,
/// a field of every JSON object body, and the detail of a 500 to every fifth user read.
async fn echo(State(upstream): State<Upstream>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let authorization =
        parts.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    if parts.method == "GET" && path.contains("/Users/") && upstream.reads.fetch_add(1, Ordering::Relaxed) % 5 == 4 {
        let detail = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": "500", "detail": format!("upstream refused Authorization: {authorization}"),
        });
        return answer(StatusCode::INTERNAL_SERVER_ERROR, &authorization, detail.to_string().into_bytes());
    }
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let mut forwarded = upstream.http.request(parts.method.clone(), format!("{}{path}", upstream.origin)).body(body);
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            forwarded = forwarded.header(name, value);
        }
    }
    let Ok(response) = forwarded.send().await else {
        return answer(StatusCode::BAD_GATEWAY, &authorization, Vec::new());
    };
    let status = response.status();
    let bytes = response.bytes().await.unwrap_or_default();
    let body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(mut fields)) => {
            fields.insert("echoedAuthorization".into(), Value::String(authorization.clone()));
            Value::Object(fields).to_string().into_bytes()
        }
        _ => bytes.to_vec(),
    };
    answer(status, &authorization, body)
}

fn answer(status: StatusCode, authorization: &str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static("application/scim+json"));
    if let Ok(value) = HeaderValue::from_str(authorization) {
        headers.insert("x-echoed-authorization", value);
    }
    response
}

/// Every file below `dir` with its contents.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push((path.clone(), String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()));
        }
    }
    found
}

/// Fails with the place (and line) where the token appears.
fn assert_no_token(place: &str, text: &str) {
    if let Some(line) = text.lines().find(|line| line.contains(TOKEN)) {
        panic!("the token appears in {place}: {line}");
    }
}

#[test]
fn no_output_of_a_run_or_a_certification_holds_the_token_even_when_the_target_echoes_it() {
    let target = EchoingTarget::start();
    let scratch = TempDir::new("secrets");
    let features = concat!(env!("CARGO_MANIFEST_DIR"), "/features/entra/groups.feature");
    let okta = concat!(env!("CARGO_MANIFEST_DIR"), "/features/okta/assign_and_create.feature");
    let (transcripts, snapshots, report) =
        (scratch.path("transcripts"), scratch.path("snapshots"), scratch.path("report"));
    let verbose = target.run(&["run", "-v", features, okta, "--transcript", &transcripts, "--snapshots", &snapshots]);
    let certify = target.run(&["certify", "--out", &report]);

    // The proxy did its worst: scenarios failed, quoting what the target answered.
    assert_eq!(verbose.code, Some(1), "stdout:\n{}\nstderr:\n{}", verbose.stdout, verbose.stderr);
    assert!(verbose.stdout.contains("upstream refused Authorization: Bearer [redacted]"), "{}", verbose.stdout);
    assert!(verbose.stdout.contains("> authorization: [redacted]"), "-v shows the header, redacted");
    assert_eq!(certify.code, Some(1), "stdout:\n{}\nstderr:\n{}", certify.stdout, certify.stderr);
    let written = files(&scratch.0);
    for kind in ["transcripts/", "snapshots/", "report/report.html", "report/report.json", "report/junit.xml"] {
        assert!(written.iter().any(|(path, _)| path.to_string_lossy().contains(kind)), "nothing written under {kind}");
    }
    assert!(
        written.iter().any(|(_, text)| text.contains("\"echoedAuthorization\": \"Bearer [redacted]\"")),
        "echoes recorded"
    );

    for (name, outcome) in [("run -v", &verbose), ("certify", &certify)] {
        assert_no_token(&format!("the stdout of {name}"), &outcome.stdout);
        assert_no_token(&format!("the stderr of {name}"), &outcome.stderr);
    }
    for (path, text) in &written {
        assert_no_token(&path.display().to_string(), text);
    }
}
