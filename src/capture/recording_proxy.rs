//! `scimsim record`'s reverse proxy: placed between a real IdP and a real SCIM endpoint, it
//! forwards every request and answer unchanged and records each exchange.
//!
//! ```text
//! IdP ──► tunnel ──► 127.0.0.1:PORT (RecordingProxy) ──► target base URL + path (+ ?query)
//!                              │
//!                              └─► DIR/recording-<UTC>.jsonl, one exchange per line
//! ```

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::sync::mpsc::UnboundedSender;

use super::live_summary::summary_line;
use super::recording_sink::RecordingSink;
use super::upstream::{Upstream, UpstreamFailure};
use super::{CaptureError, Detected, IdpDetector, RecordingSummary};
use crate::scim::ScimError;
use crate::server::{SCIM_JSON, ServeTask};
use crate::target::{Transport, is_loopback_ip};
use crate::transcript::{
    Exchange, RecordedRequest, RecordedResponse, Redactor, iso8601_duration, lower_case_headers, parse_body,
    recorded_headers,
};

/// The largest request or response body the proxy carries: 64 MiB. A SCIM exchange is
/// kilobytes (a page of 100 users about 100 KiB), so this passes anything an IdP and a SCIM
/// server send, with room for the largest group PATCH, while a runaway body cannot take the
/// machine's memory. A larger request is answered `413` and a larger answer `502`, both
/// recorded.
pub const MAX_PROXIED_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The `step` of every recorded exchange.
const STEP: &str = "recorded";

/// How a recording proxy runs.
#[derive(Debug)]
pub struct RecordingConfig {
    /// Where the IdP's requests arrive (through the user's tunnel).
    pub listen: SocketAddr,
    /// Allow `listen` to be an address other machines can reach. Off by default: the IdP's
    /// bearer token would arrive from the network over plain http.
    pub listen_non_loopback: bool,
    /// The real SCIM endpoint's base URL; each request goes to it + the path received.
    pub target: String,
    /// How the target is reached (timeout, certificates, plain http). Environment proxies are
    /// never used for a loopback target.
    pub transport: Transport,
    /// The directory the recording file goes to (created if missing).
    pub out_dir: PathBuf,
    /// Where each exchange's [summary line](super::summary_line) goes as it completes.
    pub live: Option<UnboundedSender<String>>,
}

/// A recording proxy running on a Tokio task. Dropping it stops the proxy; [`stop`](Self::stop)
/// lets in-flight exchanges finish first and says what was recorded.
#[derive(Debug)]
pub struct RecordingProxy {
    addr: SocketAddr,
    state: Arc<ProxyState>,
    serving: ServeTask,
}

/// What every exchange shares.
#[derive(Debug)]
struct ProxyState {
    upstream: Upstream,
    sink: Arc<RecordingSink>,
    arrivals: Mutex<Arrivals>,
    /// Every credential seen so far; echoes of them are hidden in the recording.
    redactor: RwLock<Redactor>,
    /// When the recording began: `scheduled_at` is wall-clock time since then.
    started: Instant,
    live: Option<UnboundedSender<String>>,
}

/// The order requests arrived in, and what they tell about the IdP.
#[derive(Debug)]
struct Arrivals {
    last_seq: u64,
    detector: IdpDetector,
}

/// How one exchange ended, before it is recorded.
struct Outcome {
    /// What the IdP gets.
    answer: Response,
    /// What the recording says it got.
    recorded: RecordedResponse,
    error: Option<String>,
    elapsed: Duration,
}

impl RecordingProxy {
    /// Checks the configuration, creates the recording file, binds `config.listen` and starts
    /// forwarding. Fails on a non-loopback address without
    /// [`listen_non_loopback`](RecordingConfig::listen_non_loopback), an unusable target URL
    /// or transport, an output directory or file that cannot be created, or a port that cannot
    /// be bound.
    pub async fn start(config: RecordingConfig) -> Result<Self, CaptureError> {
        if !config.listen_non_loopback && !is_loopback_ip(config.listen.ip()) {
            return Err(CaptureError::NonLoopbackListen { addr: config.listen });
        }
        let upstream = Upstream::new(&config.target, config.transport, MAX_PROXIED_BODY_BYTES)?;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| CaptureError::Bind { addr: config.listen, source })?;
        let addr = listener.local_addr().map_err(|source| CaptureError::Bind { addr: config.listen, source })?;
        let sink = Arc::new(RecordingSink::create(&config.out_dir, OffsetDateTime::now_utc())?);
        let state = Arc::new(ProxyState {
            upstream,
            sink,
            arrivals: Mutex::new(Arrivals { last_seq: 0, detector: IdpDetector::new() }),
            redactor: RwLock::new(Redactor::default()),
            started: Instant::now(),
            live: config.live,
        });
        let app = Router::new()
            .fallback(forward)
            .with_state(Arc::clone(&state))
            .layer(DefaultBodyLimit::max(MAX_PROXIED_BODY_BYTES));
        let serving = ServeTask::spawn(listener, app);
        Ok(Self { addr, state, serving })
    }

    /// The bound address (the port is the one chosen when `listen` asked for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`: what the IdP's Tenant URL or base URL reaches through the tunnel.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The target's base URL, without trailing slashes.
    pub fn target(&self) -> &str {
        self.state.upstream.base_url()
    }

    /// The recording file.
    pub fn file(&self) -> &Path {
        self.state.sink.path()
    }

    /// Stops accepting connections, lets the exchanges in flight finish (each within the
    /// timeout) and be written, and says what the recording holds.
    pub async fn stop(self) -> Result<RecordingSummary, CaptureError> {
        self.serving.stop().await.map_err(CaptureError::Server)?;
        let detected = self.state.arrivals.lock().unwrap_or_else(PoisonError::into_inner).detector.verdict();
        self.state.sink.finish(detected)
    }
}

/// Every request, whatever its method and path: forwarded, answered, recorded.
async fn forward(
    State(state): State<Arc<ProxyState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    state.learn_credentials(&headers);
    let request = RecordedRequest {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().map(str::to_string),
        headers: recorded_headers(&headers),
        body: body.as_ref().ok().and_then(|bytes| recorded_body(bytes, &headers)),
    };
    let (seq, detected, scheduled_at) = state.arrive(&request);
    let outcome = match body {
        Err(rejection) => refused(&rejection),
        Ok(bytes) => {
            let (reply, elapsed) = state.upstream.send(method, uri.path(), uri.query(), &headers, bytes).await;
            match reply {
                Ok(reply) => {
                    let recorded = RecordedResponse {
                        status: reply.status.as_u16(),
                        headers: recorded_headers(&reply.headers),
                        body: recorded_body(&reply.body, &reply.headers),
                    };
                    let mut answer = Response::new(Body::from(reply.body));
                    *answer.status_mut() = reply.status;
                    *answer.headers_mut() = reply.headers;
                    Outcome { answer, recorded, error: None, elapsed }
                }
                Err(failure) => state.bad_gateway(&failure, elapsed),
            }
        }
    };
    let exchange = Exchange {
        seq,
        idp: detected.idp.to_string(),
        dialect: detected.dialect.to_string(),
        scenario: state.sink.stem().to_string(),
        step: STEP.to_string(),
        scheduled_at,
        request,
        response: Some(outcome.recorded),
        error: outcome.error,
        elapsed_ms: (outcome.elapsed.as_secs_f64() * 1e6).round() / 1e3,
    };
    state.record(exchange, &detected).await;
    outcome.answer
}

impl ProxyState {
    /// Learns the secrets of the request's credential headers, so an echo of them anywhere
    /// (a body, a path, an error) is hidden in the recording too.
    fn learn_credentials(&self, headers: &HeaderMap) {
        let values: Vec<&HeaderValue> =
            headers.get_all(header::AUTHORIZATION).iter().chain(headers.get_all(header::PROXY_AUTHORIZATION)).collect();
        if values.is_empty() {
            return;
        }
        let mut redactor = self.redactor.write().unwrap_or_else(PoisonError::into_inner);
        for value in values {
            redactor.add_authorization(&String::from_utf8_lossy(value.as_bytes()));
        }
    }

    /// A request has arrived whole: its `seq`, what the requests so far show, and when.
    fn arrive(&self, request: &RecordedRequest) -> (u64, Detected, String) {
        let mut arrivals = self.arrivals.lock().unwrap_or_else(PoisonError::into_inner);
        arrivals.last_seq += 1;
        let detected = arrivals.detector.observe(request);
        // Milliseconds: the wall clock of a recording is no finer than the network's jitter.
        let since_start = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        (arrivals.last_seq, detected, iso8601_duration(Duration::from_millis(since_start)))
    }

    /// The answer when the target gave none: `502 Bad Gateway` with a SCIM error that says
    /// why, so the IdP logs a failure it can retry instead of waiting.
    fn bad_gateway(&self, failure: &UpstreamFailure, elapsed: Duration) -> Outcome {
        let redactor = self.redactor.read().unwrap_or_else(PoisonError::into_inner);
        let cause = redactor.redact_str(&failure.to_string()).into_owned();
        let target = redactor.redact_str(self.upstream.base_url()).into_owned();
        let detail = format!("scimsim record: the target {target} did not answer: {cause}");
        let (answer, recorded) = scim_error(StatusCode::BAD_GATEWAY, detail);
        Outcome { answer, recorded, error: Some(cause), elapsed }
    }

    /// Redacts `exchange`, writes it to the recording (off the async workers), then sends its
    /// summary line. Returns once it is on disk, so the IdP is answered only after.
    async fn record(self: &Arc<Self>, mut exchange: Exchange, detected: &Detected) {
        self.redactor.read().unwrap_or_else(PoisonError::into_inner).redact_exchange(&mut exchange);
        let line = summary_line(&exchange, detected);
        let sink = Arc::clone(&self.sink);
        let written = tokio::task::spawn_blocking(move || sink.write(&exchange)).await;
        let line = match written {
            Ok(Ok(())) => line,
            Ok(Err(reason)) => format!("{line}  [NOT RECORDED: {reason}]"),
            Err(join) => format!("{line}  [NOT RECORDED: {join}]"),
        };
        if let Some(live) = &self.live {
            let _ = live.send(line);
        }
    }
}

/// The answer to a request whose body could not be read: `413` past
/// [`MAX_PROXIED_BODY_BYTES`], `400` when the IdP's connection broke. Not forwarded.
fn refused(rejection: &BytesRejection) -> Outcome {
    let status = rejection.status();
    let detail = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "scimsim record: the request body exceeds {} MiB, the most scimsim record forwards; it was not sent to the target",
            MAX_PROXIED_BODY_BYTES >> 20
        )
    } else {
        format!(
            "scimsim record: the request body could not be read: {}; it was not sent to the target",
            rejection.body_text()
        )
    };
    let (answer, recorded) = scim_error(status, detail.clone());
    Outcome { answer, recorded, error: Some(detail), elapsed: Duration::ZERO }
}

/// A SCIM error answer of the proxy's own (RFC 7644 §3.12), and its record.
fn scim_error(status: StatusCode, detail: String) -> (Response, RecordedResponse) {
    let body = ScimError::new(status.as_u16(), detail).to_json();
    let mut answer = Response::new(Body::from(body.to_string()));
    *answer.status_mut() = status;
    answer.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    let recorded = RecordedResponse {
        status: status.as_u16(),
        headers: lower_case_headers([(header::CONTENT_TYPE.as_str(), SCIM_JSON)]),
        body: Some(body),
    };
    (answer, recorded)
}

/// A body as the recording holds it: JSON, `{"raw": …}`, or nothing (see
/// [`parse_body`]). A compressed body (`Content-Encoding: gzip` to Okta's
/// `Accept-Encoding: gzip,deflate`) is forwarded as is but recorded as a note of its encoding
/// and size: scimsim decodes no compression, and its bytes read as text would be noise.
fn recorded_body(bytes: &[u8], headers: &HeaderMap) -> Option<serde_json::Value> {
    let encoding = headers.get(header::CONTENT_ENCODING).and_then(|value| value.to_str().ok()).map(str::trim);
    match encoding {
        Some(encoding) if !bytes.is_empty() && !encoding.eq_ignore_ascii_case("identity") => Some(
            serde_json::json!({ "raw": format!("[{encoding}-encoded body of {} bytes, not decoded]", bytes.len()) }),
        ),
        _ => parse_body(bytes),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn compressed_bodies_are_noted_not_garbled() {
        let mut headers = HeaderMap::new();
        assert_eq!(recorded_body(br#"{"a":1}"#, &headers), Some(json!({"a": 1})));
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        assert_eq!(
            recorded_body(&[0x1f, 0x8b, 8, 0], &headers),
            Some(json!({"raw": "[gzip-encoded body of 4 bytes, not decoded]"}))
        );
        assert_eq!(recorded_body(b"", &headers), None);
    }

    #[tokio::test]
    async fn a_non_loopback_address_needs_the_flag() {
        let config = |listen_non_loopback| RecordingConfig {
            listen: "0.0.0.0:0".parse().unwrap(),
            listen_non_loopback,
            target: "http://127.0.0.1:9/scim".into(),
            transport: Transport::default(),
            out_dir: std::env::temp_dir().join(format!("scimsim-proxy-flag-{}", std::process::id())),
            live: None,
        };
        let refused = RecordingProxy::start(config(false)).await.unwrap_err();
        assert!(matches!(refused, CaptureError::NonLoopbackListen { .. }), "{refused}");
        let text = refused.to_string();
        assert!(
            text.contains("plain http") && text.contains("tunnel") && text.contains("--listen-non-loopback"),
            "{text}"
        );
        // Nothing was created for a refused start.
        assert!(!config(false).out_dir.exists());
    }
}
