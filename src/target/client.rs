//! The client that sends an IdP's requests to the target and records each exchange.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, DATE, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, Url};
use time::OffsetDateTime;

use super::body_limit::read_body;
use super::error::{describe, send_failure};
use super::path_cache::PathCache;
use super::reply::parse_retry_after;
use super::token::{FetchContext, TokenSource};
use super::{
    AnswerBody, CreatedObject, ExchangeMeta, MAX_TIMEOUT, OutgoingRequest, Recording, Reply, RequestBody, SentRequest,
    TargetConfig, TargetError, is_loopback,
};
use crate::transcript::{
    Exchange, RecordedRequest, RecordedResponse, Redactor, iso8601_duration, lower_case_headers, recorded_headers,
};

/// reqwest puts `Accept: */*` on every request that has no `Accept` (its `ClientBuilder`
/// default, which cannot be removed); the transcript records it because it is on the wire.
/// It matches what Entra is observed to send on GET (entra-wire.md §0 "Accept on GET").
const REQWEST_DEFAULT_ACCEPT: &str = "*/*";

/// Sends [`OutgoingRequest`]s to one target, authenticating as configured, and records each
/// exchange, redacted, for the transcript. Cheap to clone (shared state behind an `Arc`);
/// safe to use from several tasks.
///
/// It follows no redirects (a 3xx is a reply to judge, and following one could carry
/// credentials to another host) and adds nothing to the IdP's request but `Authorization`.
#[derive(Debug, Clone)]
pub struct TargetClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: TargetConfig,
    http: reqwest::Client,
    /// The base URL's path as the URL parser spells it (no trailing `/`), to record paths
    /// relative to it.
    base_path: String,
    /// The base URL, parsed once, when it is written as the URL parser writes it: a request's
    /// URL is then its path and query resolved against it, which reads them as parsing the
    /// whole URL would without reading the scheme and host again. `None` for a base written
    /// otherwise (`HTTPS://H`, a trailing space): each URL is then parsed whole.
    base: Option<Url>,
    /// The last path requested, parsed, for the next requests to it.
    paths: PathCache,
    /// Every secret known so far; OAuth access tokens join it as they arrive.
    redactor: RwLock<Redactor>,
    /// The requests sent, when the recording keeps them ([`TargetClient::take_sent`]).
    sent: Mutex<Vec<SentRequest>>,
    /// The OAuth token source, for [`Auth::OAuth2ClientCredentials`](super::Auth).
    token: Option<TokenSource>,
    /// The `Authorization` value of the modes that need no network (bearer, header, basic),
    /// made once: `None` when the client adds none (no auth, or OAuth), an error when the
    /// credential cannot be a header value (every request then fails saying so).
    authorization: Result<Option<HeaderValue>, InvalidCredential>,
}

/// How one attempt ended: the outcome, what was recorded of the response, how long it took.
struct Attempt {
    result: Result<Reply, TargetError>,
    response: Option<RecordedResponse>,
    elapsed: Duration,
    /// Whether the request went on the wire (a refused or malformed one did not).
    sent: bool,
}

impl Attempt {
    /// A request that was never sent.
    fn failed(error: TargetError) -> Self {
        Self { result: Err(error), response: None, elapsed: Duration::ZERO, sent: false }
    }

    /// A request sent that got no whole answer in `elapsed`.
    fn unanswered(error: TargetError, elapsed: Duration) -> Self {
        Self { result: Err(error), response: None, elapsed, sent: true }
    }
}

/// How errors name a request: `METHOD URL`, redacted. Only a failure needs it, and only a
/// URL parsed whole needs the URL as text, so each is written the first time one asks.
struct Label<'a> {
    client: &'a TargetClient,
    request: &'a OutgoingRequest,
    url: OnceLock<String>,
    text: OnceLock<String>,
}

impl<'a> Label<'a> {
    fn new(client: &'a TargetClient, request: &'a OutgoingRequest) -> Self {
        Self { client, request, url: OnceLock::new(), text: OnceLock::new() }
    }

    /// The request's whole URL as written ([`TargetConfig::url_for`]).
    fn url(&self) -> &str {
        self.url.get_or_init(|| self.client.inner.config.url_for(&self.request.path, self.request.query.as_deref()))
    }

    fn get(&self) -> &str {
        self.text.get_or_init(|| self.client.redact(&format!("{} {}", self.request.method, self.url())))
    }
}

impl TargetClient {
    /// A client for `config`'s target. Fails when the base URL is not an absolute `http` or
    /// `https` URL without query, fragment or credentials, when it is plain `http` to a host
    /// other than this machine without [`TargetConfig::allow_http`], or when the HTTP client
    /// cannot be set up. A timeout above [`MAX_TIMEOUT`] is cut to it.
    pub fn new(config: TargetConfig) -> Result<Self, TargetError> {
        let http = config.transport().client()?;
        Self::with_http(config, http)
    }

    /// A client for `config`'s target that sends through `http`, which the caller built from
    /// `config.transport()` in the same Tokio runtime (so many clients share one connection
    /// pool and one parse of the system's root certificates). That client's timeout, the
    /// configured one, bounds each attempt. Fails as [`TargetClient::new`] does for a bad base
    /// URL.
    pub fn with_http(mut config: TargetConfig, http: reqwest::Client) -> Result<Self, TargetError> {
        let base = check_base_url(&config)?;
        let base_path = base.path().trim_end_matches('/').to_string();
        let base = (base.as_str().trim_end_matches('/') == config.trimmed_base_url()).then_some(base);
        config.timeout = config.timeout.min(MAX_TIMEOUT);
        let redactor = RwLock::new(Redactor::new(config.auth.secrets()));
        let token = TokenSource::from_auth(&config.auth);
        let authorization = config.auth.static_header().map(|value| authorization_value(&value)).transpose();
        let sent = Mutex::new(Vec::new());
        let paths = PathCache::default();
        Ok(Self {
            inner: Arc::new(Inner { config, http, base_path, base, paths, redactor, sent, token, authorization }),
        })
    }

    /// The configuration this client was made with.
    pub fn config(&self) -> &TargetConfig {
        &self.inner.config
    }

    /// A copy of the redactor as it stands: every configured secret and every access token
    /// obtained so far. Reports and logs use it for anything they print.
    pub fn redactor(&self) -> Redactor {
        self.inner.redactor.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// `text` with every secret this client knows hidden: what [`TargetClient::redactor`]
    /// would do, without copying the redactor (engines redact every line they log).
    pub fn redact_text(&self, mut text: String) -> String {
        self.inner.redactor.read().unwrap_or_else(PoisonError::into_inner).redact_string(&mut text);
        text
    }

    /// Adds a secret to hide from every exchange and error this client produces from now on.
    pub fn add_secret(&self, secret: &str) {
        self.inner.redactor.write().unwrap_or_else(PoisonError::into_inner).add_secret(secret);
    }

    /// Sends `request` and records it. Always returns the recorded, redacted exchange: with
    /// the response when one arrived, with `error` when not. An HTTP error status is an `Ok`
    /// reply. With OAuth, a 401 to a cached token fetches a new token and sends once more;
    /// the exchange then records that second attempt. Each token fetch and each attempt is
    /// bounded by the configured timeout, so a send takes at most four timeouts (OAuth with a
    /// retry) and one timeout in the other modes.
    pub async fn send(&self, request: &OutgoingRequest, meta: ExchangeMeta) -> (Result<Reply, TargetError>, Exchange) {
        let label = Label::new(self, request);
        let recording = self.inner.config.recording;
        let full = recording == Recording::Full;
        let keep_sent = recording == (Recording::Summary { keep_sent: true });
        let body = request.body.as_ref().map(RequestBody::to_bytes);
        let kept_body = if keep_sent { body.clone() } else { None };
        let mut recorded = RecordedRequest {
            method: request.method.as_str().to_string(),
            path: String::new(),
            query: None,
            headers: if full {
                lower_case_headers(request.headers.iter().map(|header| (header.name(), header.value())))
            } else {
                BTreeMap::new()
            },
            body: if full { request.body.as_ref().map(RequestBody::to_value) } else { None },
        };
        let guard = self.inner.config.guard.as_deref();
        let attempt = match guard.map(|guard| guard.check(&request.method, &request.path)) {
            Some(Err(reason)) => {
                record_as_written(request, &mut recorded);
                Attempt::failed(TargetError::Refused { request: label.get().to_string(), reason })
            }
            _ => self.run(request, body, &label, &mut recorded).await,
        };
        // What a create made, worked out once: the write guard notes it, and the request kept
        // for a baseline carries its id.
        let created = match &attempt.result {
            Ok(reply) if guard.is_some() || keep_sent => {
                CreatedObject::of_answer(request.method.as_str(), &request.path, reply.status, &reply.body)
            }
            _ => None,
        };
        if let (Some(guard), Some(created)) = (guard, &created) {
            guard.record_created(&created.to_string());
        }
        if keep_sent && attempt.sent {
            self.keep(request, &recorded, kept_body, created.map(|created| created.id));
        }
        let exchange = Exchange {
            seq: meta.seq,
            idp: meta.idp,
            dialect: meta.dialect,
            scenario: meta.scenario,
            step: meta.step,
            scheduled_at: iso8601_duration(meta.scheduled_at),
            request: recorded,
            response: attempt.response,
            error: attempt.result.as_ref().err().map(ToString::to_string),
            elapsed_ms: (attempt.elapsed.as_secs_f64() * 1e6).round() / 1e3,
        };
        // A summary holds no header and no answer but an id: nothing a secret could be in.
        (attempt.result, if full { self.redacted(exchange) } else { exchange })
    }

    /// Keeps `request` as sent (`recorded` has its path and query as they went on the wire,
    /// `body` its bytes), with the id of the object it created, if it did.
    fn keep(
        &self,
        request: &OutgoingRequest,
        recorded: &RecordedRequest,
        body: Option<Bytes>,
        created: Option<String>,
    ) {
        let sent = SentRequest {
            method: request.method.clone(),
            path: recorded.path.clone(),
            query: recorded.query.clone(),
            headers: request.headers.clone(),
            body,
            created,
        };
        self.inner.sent.lock().unwrap_or_else(PoisonError::into_inner).push(sent);
    }

    /// The requests sent since the last call, in order, when the recording keeps them
    /// ([`Recording::Summary`] with `keep_sent`); none otherwise.
    pub fn take_sent(&self) -> Vec<SentRequest> {
        std::mem::take(&mut *self.inner.sent.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Builds the request, authenticates, sends; with OAuth, retries once after a 401 to a
    /// cached token. Keeps `recorded` up to date with what actually went on the wire.
    async fn run(
        &self,
        request: &OutgoingRequest,
        body: Option<Bytes>,
        label: &Label<'_>,
        recorded: &mut RecordedRequest,
    ) -> Attempt {
        let url = match self.parse_url(label) {
            Ok(url) => url,
            Err(err) => {
                record_as_written(request, recorded);
                return Attempt::failed(err);
            }
        };
        recorded.path = self.relative_path(&url);
        recorded.query = url.query().map(str::to_string);
        let mut headers = match self.idp_headers(request, label) {
            Ok(headers) => headers,
            Err(err) => return Attempt::failed(err),
        };
        let Some(source) = &self.inner.token else {
            // The modes without OAuth send once, with the value made with the client.
            match &self.inner.authorization {
                Ok(Some(value)) => {
                    headers.insert(AUTHORIZATION, value.clone());
                }
                Ok(None) => {}
                Err(err) => return Attempt::failed(err.with_request(label.get())),
            }
            self.record_sent_headers(&headers, recorded);
            return self.attempt(&request.method, url, headers, body, label).await;
        };
        let mut retried = false;
        loop {
            let context = FetchContext {
                http: &self.inner.http,
                timeout: self.inner.config.timeout,
                redactor: &self.inner.redactor,
                request: label.get(),
            };
            let bearer = match source.bearer(&context).await {
                Ok(bearer) => bearer,
                Err(err) => return Attempt::failed(err),
            };
            let mut headers = headers.clone();
            match authorization_value(&format!("Bearer {}", bearer.token)) {
                Ok(value) => headers.insert(AUTHORIZATION, value),
                Err(err) => return Attempt::failed(err.with_request(label.get())),
            };
            self.record_sent_headers(&headers, recorded);
            let attempt = self.attempt(&request.method, url.clone(), headers, body.clone(), label).await;
            let unauthorized = attempt.result.as_ref().is_ok_and(|reply| reply.status == 401);
            if unauthorized && !retried && !bearer.fresh {
                source.invalidate(&bearer.token).await;
                retried = true;
                continue;
            }
            return attempt;
        }
    }

    /// Records the headers about to be sent, when the client records everything.
    fn record_sent_headers(&self, headers: &HeaderMap, recorded: &mut RecordedRequest) {
        if self.inner.config.recording == Recording::Full {
            recorded.headers = record_headers(headers);
        }
    }

    /// One request on the wire, bounded by the timeout from first byte sent to last byte read.
    async fn attempt(
        &self,
        method: &Method,
        url: Url,
        headers: HeaderMap,
        body: Option<Bytes>,
        label: &Label<'_>,
    ) -> Attempt {
        let timeout = self.inner.config.timeout;
        let mut request = reqwest::Request::new(method.clone(), url);
        *request.headers_mut() = headers;
        *request.body_mut() = body.map(reqwest::Body::from);
        // The HTTP client's own timer bounds the attempt, from the first byte sent to the last
        // byte read: it was built with the configured timeout (see `with_http`), so no timeout
        // is set on each request (that costs a map of extensions per request). A timeout fails
        // the send or the read with an error that says so.
        if let Some(pacer) = &self.inner.config.pacer {
            pacer.wait().await;
        }
        let started = Instant::now();
        let mut response = match self.inner.http.execute(request).await {
            Ok(response) => response,
            Err(err) => return Attempt::unanswered(self.classify(&err, label.get()), started.elapsed()),
        };
        let status = response.status().as_u16();
        // The body is read from the connection, not from the headers: take them for the reply.
        let headers = std::mem::take(response.headers_mut());
        let bytes = read_body(response)
            .await
            .map_err(|err| err.into_target_error(label.get(), status, timeout, |err| self.redact(&describe(err))));
        let elapsed = started.elapsed();
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(err) => {
                let response = RecordedResponse { status, headers: recorded_headers(&headers), body: None };
                return Attempt { result: Err(err), response: Some(response), elapsed, sent: true };
            }
        };
        let mut reply =
            Reply { status, headers, body: AnswerBody::from_bytes(bytes.into()), retry_after: None, elapsed };
        reply.retry_after = reply
            .header(RETRY_AFTER)
            .and_then(|value| parse_retry_after(&value, reply.header(DATE).as_deref(), OffsetDateTime::now_utc()));
        let response = if self.inner.config.recording == Recording::Full {
            RecordedResponse { status, headers: recorded_headers(&reply.headers), body: reply.body.value().cloned() }
        } else {
            // A summary keeps the status: the body is decoded if the engine reads it.
            RecordedResponse { status, headers: BTreeMap::new(), body: None }
        };
        Attempt { result: Ok(reply), response: Some(response), elapsed, sent: true }
    }

    /// The URL to send to. The query is already encoded; the URL parser leaves `%XX` and `+`
    /// alone and only escapes bytes HTTP cannot carry (a space, a `"`), so what the IdP wrote
    /// is what the target gets. A request to the path of the one before reuses that parse.
    fn parse_url(&self, label: &Label<'_>) -> Result<Url, TargetError> {
        let (path, query) = (label.request.path.as_str(), label.request.query.as_deref());
        if let Some(url) = self.inner.paths.get(path, query) {
            return Ok(url);
        }
        let invalid = |reason: String| TargetError::InvalidUrl { request: label.get().to_string(), reason };
        let parsed = match self.reference(label.url()) {
            Some((base, reference)) => base.join(reference),
            None => Url::parse(label.url()),
        };
        let parsed = parsed.map_err(|err| invalid(err.to_string()))?;
        if parsed.fragment().is_some() {
            return Err(invalid(
                "a '#' in the path or query starts a fragment, which is never sent; encode it as %23".into(),
            ));
        }
        self.inner.paths.keep(path, query, &parsed);
        Ok(parsed)
    }

    /// `url` (a [`TargetConfig::url_for`]) as the parsed base URL and a reference to resolve
    /// against it: the base's path, then the request's path and query. `None` when there is
    /// no parsed base, or when the path starts with two slashes (tabs and line breaks, which
    /// the parser drops, skipped), which a reference reads as `//host`.
    fn reference<'u>(&self, url: &'u str) -> Option<(&Url, &'u str)> {
        let base = self.inner.base.as_ref()?;
        let reference = url.strip_prefix(base.as_str().strip_suffix(base.path())?)?;
        let is_slash = |c: char| matches!(c, '/' | '\\');
        let mut start = reference.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
        let names_host = start.next().is_some_and(is_slash) && start.next().is_some_and(is_slash);
        (!names_host).then_some((base, reference))
    }

    /// The sent path relative to the base URL.
    fn relative_path(&self, url: &Url) -> String {
        let path = url.path();
        with_leading_slash(path.strip_prefix(self.inner.base_path.as_str()).unwrap_or(path))
    }

    /// The IdP's headers as a header map, in order, repeated names kept; the first that cannot
    /// be sent fails the request. An `Authorization` the IdP supplies itself is kept when the
    /// client has no auth mode, and its value joins the redactor.
    fn idp_headers(&self, request: &OutgoingRequest, label: &Label<'_>) -> Result<HeaderMap, TargetError> {
        let mut headers = HeaderMap::new();
        for header in &request.headers {
            let (name, value) = header.sendable().map_err(|(name, reason)| TargetError::InvalidHeader {
                request: label.get().to_string(),
                name: self.redact(name),
                reason: reason.to_string(),
            })?;
            if *name == AUTHORIZATION {
                self.inner.redactor.write().unwrap_or_else(PoisonError::into_inner).add_authorization(header.value());
            }
            headers.append(name.clone(), value.clone());
        }
        Ok(headers)
    }

    /// Maps a reqwest failure (no response) to the error that says what to check.
    fn classify(&self, err: &reqwest::Error, label: &str) -> TargetError {
        send_failure(err, label.to_string(), self.redact(&describe(err)), self.inner.config.timeout)
    }

    fn redact(&self, text: &str) -> String {
        self.inner.redactor.read().unwrap_or_else(PoisonError::into_inner).redact_str(text).into_owned()
    }

    fn redacted(&self, mut exchange: Exchange) -> Exchange {
        self.inner.redactor.read().unwrap_or_else(PoisonError::into_inner).redact_exchange(&mut exchange);
        exchange
    }
}

/// Checks the base URL once, so a bad one fails at start-up rather than on every request:
/// an absolute `http` or `https` URL without credentials, query or fragment, and plain `http`
/// only to this machine unless [`TargetConfig::allow_http`]. Returns it parsed.
pub(crate) fn check_base_url(config: &TargetConfig) -> Result<Url, TargetError> {
    let parsed = Url::parse(config.trimmed_base_url());
    // The message quotes the base URL: hide a password in it and the auth mode's secrets.
    let mut secrets = config.auth.secrets();
    secrets.extend(parsed.as_ref().ok().and_then(Url::password).map(str::to_string));
    let shown = Redactor::new(secrets).redact_str(&config.base_url).into_owned();
    let bad = |reason: &str| TargetError::BaseUrl { base_url: shown.clone(), reason: reason.to_string() };
    let url = parsed.map_err(|err| bad(&format!("{err} (write it in full, e.g. https://api.example.com/scim/v2)")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "credentials in the URL are not used; choose an auth mode (bearer, header, basic, oauth2) instead",
        ));
    }
    if url.scheme() == "http" && !config.allow_http && !is_loopback(&url) {
        return Err(bad(
            "plain http would send the token unencrypted across the network; use https, or pass --allow-http if the target cannot speak TLS (plain http is allowed to localhost, 127.0.0.0/8 and ::1 without it)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad(
            "request paths are appended to the base URL, so it cannot end in a query or fragment (Entra's ?aadOptscim062020 is an IdP switch: pick the dialect in the scenario)",
        ));
    }
    Ok(url)
}

/// The `Authorization` header, marked sensitive so no debug output of the HTTP stack shows it.
fn authorization_value(value: &str) -> Result<HeaderValue, InvalidCredential> {
    let mut header = HeaderValue::from_str(value).map_err(|_| InvalidCredential)?;
    header.set_sensitive(true);
    Ok(header)
}

/// A credential that cannot be a header value (a line break pasted with a token).
#[derive(Debug)]
struct InvalidCredential;

impl InvalidCredential {
    fn with_request(&self, label: &str) -> TargetError {
        TargetError::InvalidHeader {
            request: label.to_string(),
            name: AUTHORIZATION.as_str().to_string(),
            reason:
                "the credential holds a control character or a non-ASCII byte; check the token for a pasted line break"
                    .into(),
        }
    }
}

/// The request headers as they go on the wire (names lower-case): the IdP's, `Authorization`,
/// and the `Accept` reqwest adds when there is none. `Host` and `Content-Length` are left out:
/// the HTTP stack writes them from the URL and body.
fn record_headers(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut recorded = recorded_headers(headers);
    recorded.entry(ACCEPT.as_str().to_string()).or_insert_with(|| REQWEST_DEFAULT_ACCEPT.to_string());
    recorded
}

/// Records the path and query as the IdP wrote them, for a request that never went out.
fn record_as_written(request: &OutgoingRequest, recorded: &mut RecordedRequest) {
    recorded.path = with_leading_slash(&request.path);
    recorded.query = request.query.clone().filter(|query| !query.is_empty());
}

fn with_leading_slash(path: &str) -> String {
    if path.starts_with('/') { path.to_string() } else { format!("/{path}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Auth;

    fn client(base: &str) -> TargetClient {
        TargetClient::new(TargetConfig::new(base, Auth::None)).unwrap()
    }

    #[test]
    fn the_client_and_its_futures_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        fn is_send<T: Send>(_: &T) {}
        send_sync::<TargetClient>();
        let client = client("http://127.0.0.1:9/scim");
        let request = OutgoingRequest::new(Method::GET, "/Users");
        let future = client.send(&request, ExchangeMeta::default());
        is_send(&future);
    }

    #[test]
    fn recorded_paths_are_relative_to_the_base_url() {
        let scim = client("https://h/scim/v2/");
        let url = Url::parse(&scim.config().url_for("/Users/42", Some("a=1"))).unwrap();
        assert_eq!(scim.relative_path(&url), "/Users/42");
        let root = client("https://h");
        let url = Url::parse(&root.config().url_for("/Groups", None)).unwrap();
        assert_eq!(root.relative_path(&url), "/Groups");
    }

    #[test]
    fn base_urls_are_checked_and_quoted_without_secrets() {
        let plain = TargetConfig { allow_http: true, ..TargetConfig::new("http://h:8080/scim/v2//", Auth::None) };
        assert_eq!(check_base_url(&plain).unwrap().path(), "/scim/v2");
        assert_eq!(check_base_url(&TargetConfig::new("https://h", Auth::None)).unwrap().path(), "/");
        let in_path = TargetConfig::new("ftp://h/tok-123456", Auth::Bearer("tok-123456".into()));
        let err = check_base_url(&in_path).unwrap_err();
        assert!(!err.to_string().contains("tok-123456"), "{err}");
        assert!(err.to_string().contains("http or https"), "{err}");
    }

    #[test]
    fn plain_http_leaves_this_machine_only_when_allowed() {
        let remote = TargetConfig::new("http://scim.example.com/v2", Auth::Bearer("t".into()));
        let err = check_base_url(&remote).unwrap_err();
        assert_eq!(err.exit_code(), crate::exit_code::USAGE);
        assert!(err.to_string().contains("use https, or pass --allow-http"), "{err}");
        assert!(check_base_url(&TargetConfig { allow_http: true, ..remote }).is_ok());
        assert!(check_base_url(&TargetConfig::new("http://[::1]:8080/scim", Auth::None)).is_ok());
        assert!(check_base_url(&TargetConfig::new("https://scim.example.com/v2", Auth::None)).is_ok());
    }

    #[test]
    fn urls_resolved_against_the_base_are_the_urls_parsed_whole() {
        let bases = [
            "https://h/scim/v2/",
            "https://h",
            "https://h:8443//x",
            "HTTPS://H/scim",
            "https://h/scim ",
            "https://h/a/..",
        ];
        let paths = [
            "/Users",
            "Users/42",
            "",
            "//evil/x",
            "/\\evil",
            "/\t/evil",
            "/a b/%2e%2e/../c",
            "/Users?x",
            "/Us#ers",
            "/a/..",
            "/Users/.",
            "/Users ",
            "/Users\t",
            "/Üsers",
        ];
        let queries = [
            None,
            Some("filter=userName+eq+%22a b%22"),
            Some("a#b"),
            Some(""),
            Some("filter=userName+eq+%22a%22"),
            Some("x=é&y=\"<>'"),
            Some("a\tb"),
            Some("a "),
            Some("a?b"),
            Some("%zz"),
        ];
        for base in bases {
            let client = client(base);
            // Twice over, so that each URL is parsed both after another to its path (which
            // reuses that parse) and after one to another path.
            for path in paths.iter().chain(paths.iter().rev()) {
                for query in queries {
                    let url = client.config().url_for(path, query);
                    let request = OutgoingRequest {
                        query: query.map(str::to_string),
                        ..OutgoingRequest::new(Method::GET, *path)
                    };
                    let label = Label::new(&client, &request);
                    let whole = Url::parse(&url).map_err(|err| err.to_string());
                    let whole = whole.and_then(|u| if u.fragment().is_some() { Err("fragment".into()) } else { Ok(u) });
                    let resolved = client.parse_url(&label).map_err(|_| "fragment".to_string());
                    assert_eq!(resolved, whole, "{url:?}");
                }
            }
        }
        assert!(client("https://h/scim").inner.base.is_some());
        assert!(client("HTTPS://H/scim").inner.base.is_none());
    }

    #[test]
    fn the_sent_url_keeps_the_idps_encoding() {
        let client = client("https://h/scim");
        let get = |query: &str| OutgoingRequest::new(Method::GET, "/Users").with_query(query);
        let entra = client.parse_url(&Label::new(&client, &get("filter=userName+eq+%22a%2Bb%22"))).unwrap();
        assert_eq!(entra.query(), Some("filter=userName+eq+%22a%2Bb%22"));
        let fragment = client.parse_url(&Label::new(&client, &get("filter=a#b"))).unwrap_err();
        assert!(matches!(fragment, TargetError::InvalidUrl { .. }), "{fragment:?}");
    }
}
