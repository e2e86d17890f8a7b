//! The target client against wiremock servers on 127.0.0.1: what goes on the wire for each
//! auth mode, that the IdP's query, headers and body bytes arrive unchanged, OAuth token
//! caching and refresh, the recorded exchange's shape and redaction, and transport failures.

use std::time::{Duration, Instant};

use reqwest::Method;
use scimsim::target::{Auth, ExchangeMeta, OutgoingRequest, Reply, TargetClient, TargetConfig, TargetError};
use scimsim::transcript::Exchange;
use serde_json::{Value, json};
use wiremock::matchers::{basic_auth, bearer_token, body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::fake_target::mock_target;
use crate::util::raw_reply;

const SCIM_JSON: &str = "application/scim+json";

/// The server's SCIM base URL, written with a trailing slash as admins often paste it.
fn base_url(server: &MockServer) -> String {
    format!("{}/scim/v2/", server.uri())
}

fn client(base_url: &str, auth: Auth) -> TargetClient {
    let mut config = TargetConfig::new(base_url, auth);
    config.use_env_proxy = false;
    TargetClient::new(config).expect("a valid config")
}

fn meta(seq: u64) -> ExchangeMeta {
    ExchangeMeta {
        seq,
        idp: "entra".into(),
        dialect: "legacy".into(),
        scenario: "target client".into(),
        step: "When the provisioning cycle runs".into(),
        scheduled_at: Duration::from_secs(40 * 60),
    }
}

fn get(path: &str) -> OutgoingRequest {
    OutgoingRequest::new(Method::GET, path)
}

#[track_caller]
fn ok(result: Result<Reply, TargetError>) -> Reply {
    result.unwrap_or_else(|err| panic!("request failed: {err}"))
}

/// The exchange as its transcript line, asserting that none of `secrets` is in it.
#[track_caller]
fn assert_no_secret(exchange: &Exchange, secrets: &[&str]) -> String {
    let line = serde_json::to_string(exchange).expect("exchanges serialize");
    for secret in secrets {
        assert!(!line.contains(secret), "secret {secret:?} leaked into the exchange: {line}");
    }
    line
}

async fn received(server: &MockServer, at: &str) -> Vec<Request> {
    let requests = server.received_requests().await.expect("request recording is on");
    requests.into_iter().filter(|request| request.url.path() == at).collect()
}

fn wire_header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|value| value.to_str().expect("ASCII header"))
}

// ---------------------------------------------------------------------------------------
// Auth modes

#[tokio::test]
async fn bearer_mode_sends_bearer_token() {
    let server = mock_target().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .and(bearer_token("s3cret-bearer"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("GET /Users with the bearer token")
        .mount(&server)
        .await;

    let client = client(&base_url(&server), Auth::Bearer("s3cret-bearer".into()));
    let (result, exchange) = client.send(&get("/Users"), meta(1)).await;

    assert_eq!(ok(result).status, 200);
    assert_eq!(exchange.request.headers["authorization"], "[redacted]");
    assert_no_secret(&exchange, &["s3cret-bearer"]);
}

#[tokio::test]
async fn header_mode_sends_the_value_verbatim() {
    let server = mock_target().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .and(header("authorization", "00aBc-raw-api-token"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("GET /Users with the raw header value")
        .mount(&server)
        .await;

    let client = client(&base_url(&server), Auth::Header("00aBc-raw-api-token".into()));
    let (result, exchange) = client.send(&get("/Users"), meta(1)).await;

    assert_eq!(ok(result).status, 200);
    assert_no_secret(&exchange, &["00aBc-raw-api-token"]);
}

#[tokio::test]
async fn basic_mode_sends_basic_credentials() {
    let server = mock_target().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .and(basic_auth("okta-aiw", "open sesame"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("GET /Users with basic credentials")
        .mount(&server)
        .await;

    let client = client(&base_url(&server), Auth::Basic { user: "okta-aiw".into(), password: "open sesame".into() });
    let (result, exchange) = client.send(&get("/Users"), meta(1)).await;

    assert_eq!(ok(result).status, 200);
    // base64("okta-aiw:open sesame")
    assert_no_secret(&exchange, &["open sesame", "b2t0YS1haXc6b3BlbiBzZXNhbWU="]);
}

#[tokio::test]
async fn no_auth_sends_no_authorization_header() {
    let server = mock_target().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("GET /Users")
        .mount(&server)
        .await;

    let client = client(&base_url(&server), Auth::None);
    let (result, exchange) = client.send(&get("/Users"), meta(1)).await;

    assert_eq!(ok(result).status, 200);
    let wire = received(&server, "/scim/v2/Users").await;
    assert_eq!(wire_header(&wire[0], "authorization"), None);
    assert!(!exchange.request.headers.contains_key("authorization"));
}

// ---------------------------------------------------------------------------------------
// OAuth 2.0 client credentials

fn oauth(server: &MockServer) -> Auth {
    Auth::OAuth2ClientCredentials {
        token_url: format!("{}/oauth2/token", server.uri()),
        client_id: "scimsim-app".into(),
        client_secret: "cl!ent secret-42".into(),
        scope: Some("scim.write".into()),
    }
}

fn token_answer(access_token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in}))
}

/// The token request (RFC 6749 §4.4.2), form-encoded as the client must send it.
fn token_request() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "grant_type=client_credentials&client_id=scimsim-app&client_secret=cl%21ent+secret-42&scope=scim.write",
        ))
}

/// The token endpoint answers `first` (an access token and its lifetime in seconds) once, then
/// `second` for an hour; each answer is expected exactly once.
async fn tokens_in_turn(server: &MockServer, first: (&str, u64), second: &str) {
    token_request()
        .respond_with(token_answer(first.0, first.1))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .named("first token")
        .mount(server)
        .await;
    token_request().respond_with(token_answer(second, 3600)).expect(1).named("second token").mount(server).await;
}

#[tokio::test]
async fn oauth_token_is_fetched_once_for_several_requests() {
    let server = mock_target().await;
    token_request()
        .respond_with(token_answer("access-token-1", 3600))
        .expect(1)
        .named("one token request")
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .and(bearer_token("access-token-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(3)
        .named("three GET /Users with the access token")
        .mount(&server)
        .await;

    let client = client(&base_url(&server), oauth(&server));
    for seq in 1..=3 {
        let (result, exchange) = client.send(&get("/Users"), meta(seq)).await;
        assert_eq!(ok(result).status, 200);
        assert_no_secret(&exchange, &["access-token-1", "cl!ent secret-42", "cl%21ent+secret-42"]);
    }
    assert!(!format!("{:?}", client.config()).contains("cl!ent secret-42"));
}

#[tokio::test]
async fn oauth_token_is_refreshed_near_expiry() {
    let server = mock_target().await;
    // 10 s left is inside the 30 s refresh margin: the next request fetches a new token.
    tokens_in_turn(&server, ("short-lived-1", 10), "long-lived-2").await;
    Mock::given(path("/scim/v2/Users"))
        .and(bearer_token("short-lived-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("GET /Users with the first token")
        .mount(&server)
        .await;
    Mock::given(path("/scim/v2/Users"))
        .and(bearer_token("long-lived-2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .named("GET /Users with the second token")
        .mount(&server)
        .await;

    let client = client(&base_url(&server), oauth(&server));
    for seq in 1..=3 {
        let (result, exchange) = client.send(&get("/Users"), meta(seq)).await;
        assert_eq!(ok(result).status, 200);
        assert_no_secret(&exchange, &["short-lived-1", "long-lived-2"]);
    }
}

#[tokio::test]
async fn oauth_token_is_refreshed_after_a_401_and_the_request_sent_again() {
    let server = mock_target().await;
    tokens_in_turn(&server, ("revoked-token-1", 3600), "new-token-2").await;
    // The first token works once, then the target revokes it.
    Mock::given(path("/scim/v2/Users"))
        .and(bearer_token("revoked-token-1"))
        .respond_with(ResponseTemplate::new(200))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .named("first token accepted")
        .mount(&server)
        .await;
    Mock::given(path("/scim/v2/Users"))
        .and(bearer_token("revoked-token-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"detail": "token revoked-token-1 revoked"})))
        .expect(1)
        .named("first token then rejected")
        .mount(&server)
        .await;
    Mock::given(path("/scim/v2/Users"))
        .and(bearer_token("new-token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"totalResults":0}"#, SCIM_JSON))
        .expect(1)
        .named("new token accepted")
        .mount(&server)
        .await;

    let client = client(&base_url(&server), oauth(&server));
    let (first, _) = client.send(&get("/Users"), meta(1)).await;
    assert_eq!(ok(first).status, 200);
    let (second, exchange) = client.send(&get("/Users"), meta(2)).await;

    assert_eq!(ok(second).body.value(), Some(&json!({"totalResults": 0})));
    let response = exchange.response.as_ref().expect("a response");
    assert_eq!(response.status, 200, "the exchange records the attempt that succeeded");
    assert_no_secret(&exchange, &["revoked-token-1", "new-token-2"]);
}

#[tokio::test]
async fn a_401_to_a_fresh_token_is_returned_without_another_fetch() {
    let server = mock_target().await;
    token_request().respond_with(token_answer("fresh-token-1", 3600)).expect(1).named("one token").mount(&server).await;
    Mock::given(path("/scim/v2/Users"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .named("target rejects every token")
        .mount(&server)
        .await;

    let client = client(&base_url(&server), oauth(&server));
    let (result, exchange) = client.send(&get("/Users"), meta(1)).await;

    assert_eq!(ok(result).status, 401);
    assert_eq!(exchange.response.expect("a response").status, 401);
}

#[tokio::test]
async fn token_endpoint_failure_names_url_status_and_body_without_secrets() {
    let server = mock_target().await;
    token_request()
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_client", "error_description": "client_secret cl!ent secret-42 is wrong"}),
        ))
        .expect(1)
        .named("token endpoint rejects the client")
        .mount(&server)
        .await;

    let client = client(&base_url(&server), oauth(&server));
    let (result, exchange) = client.send(&get("/Users"), meta(1)).await;

    let err = result.expect_err("no token, no request");
    let TargetError::Token { token_url, status, .. } = &err else { panic!("expected a token error, got {err:?}") };
    assert_eq!(token_url, &format!("{}/oauth2/token", server.uri()));
    assert_eq!(*status, Some(401));
    let message = err.to_string();
    assert!(message.starts_with(&format!("GET {}/scim/v2/Users: ", server.uri())), "{message}");
    assert!(message.contains(&format!("{}/oauth2/token", server.uri())), "{message}");
    assert!(message.contains("401") && message.contains("invalid_client"), "{message}");
    assert!(!message.contains("cl!ent secret-42"), "{message}");
    assert!(exchange.response.is_none());
    assert_eq!(exchange.error.as_deref(), Some(message.as_str()));
    assert_no_secret(&exchange, &["cl!ent secret-42"]);
    assert!(received(&server, "/scim/v2/Users").await.is_empty(), "nothing reaches the target");
}

// ---------------------------------------------------------------------------------------
// What the IdP wrote arrives unchanged

#[tokio::test]
async fn queries_reach_the_server_byte_for_byte() {
    let server = mock_target().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .and(query_param("filter", "userName eq \"test.user@okta.local\""))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .named("GET /Users?filter=…")
        .mount(&server)
        .await;
    let client = client(&base_url(&server), Auth::None);
    // Entra: `+` for spaces (entra-wire.md §0); Okta: `%20` and paging (okta-wire.md §1.0).
    let queries = [
        "filter=userName+eq+%22test.user%40okta.local%22",
        "filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100",
    ];

    for (seq, query) in (1..).zip(queries) {
        let (result, exchange) = client.send(&get("/Users").with_query(query), meta(seq)).await;
        assert_eq!(ok(result).status, 200);
        assert_eq!(exchange.request.query.as_deref(), Some(query));
    }

    let wire: Vec<Option<String>> = received(&server, "/scim/v2/Users")
        .await
        .iter()
        .map(|request| request.url.query().map(str::to_string))
        .collect();
    assert_eq!(wire, queries.map(|query| Some(query.to_string())));
}

#[tokio::test]
async fn idp_headers_arrive_unchanged_and_nothing_is_added() {
    let server = mock_target().await;
    Mock::given(path("/scim/v2/Users"))
        .respond_with(ResponseTemplate::new(201))
        .expect(3)
        .named("POST and GET /Users")
        .mount(&server)
        .await;
    let client = client(&base_url(&server), Auth::None);
    // Okta's envelope (okta-wire.md §1.0).
    let okta = OutgoingRequest::new(Method::POST, "/Users")
        .with_header("User-Agent", "Okta SCIM Client 1.0.0")
        .with_header("Accept", "application/scim+json")
        .with_header("Accept-Charset", "utf-8")
        .with_header("Content-Type", "application/scim+json; charset=utf-8")
        .with_body(json!({"userName": "a"}));
    let bare_get = get("/Users");
    let bare_post = OutgoingRequest::new(Method::POST, "/Users").with_body(json!({"userName": "b"}));

    let (okta_result, okta_exchange) = client.send(&okta, meta(1)).await;
    let (get_result, get_exchange) = client.send(&bare_get, meta(2)).await;
    let (post_result, _) = client.send(&bare_post, meta(3)).await;
    assert!([okta_result, get_result, post_result].into_iter().all(|result| ok(result).status == 201));

    let wire = received(&server, "/scim/v2/Users").await;
    assert_eq!(wire_header(&wire[0], "user-agent"), Some("Okta SCIM Client 1.0.0"));
    assert_eq!(wire_header(&wire[0], "accept"), Some("application/scim+json"));
    assert_eq!(wire_header(&wire[0], "accept-charset"), Some("utf-8"));
    assert_eq!(wire_header(&wire[0], "content-type"), Some("application/scim+json; charset=utf-8"));
    for bare in &wire[1..] {
        assert_eq!(wire_header(bare, "user-agent"), None, "no User-Agent of our own");
        assert_eq!(wire_header(bare, "content-type"), None, "no Content-Type of our own");
    }
    // The recorded headers are the wire headers, less Host and Content-Length.
    for (request, exchange) in [(&wire[0], &okta_exchange), (&wire[1], &get_exchange)] {
        let mut on_wire: Vec<(String, String)> = request
            .headers
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "host" | "content-length"))
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_string()))
            .collect();
        on_wire.sort();
        let recorded: Vec<(String, String)> =
            exchange.request.headers.iter().map(|(name, value)| (name.clone(), value.clone())).collect();
        assert_eq!(recorded, on_wire);
    }
}

/// An `Authorization` the IdP writes itself (a client with no auth mode) goes on the wire as
/// written, and its credential is hidden from the exchange and from the next exchanges.
#[tokio::test]
async fn an_authorization_the_idp_writes_is_sent_and_redacted() {
    let server = mock_target().await;
    mount_echo_authorization(&server, 2).await;
    let client = client(&base_url(&server), Auth::None);
    let with_credential = get("/Users").with_header("Authorization", "Bearer idp-written-secret");

    let (result, exchange) = client.send(&with_credential, meta(1)).await;
    let (_, later) = client.send(&get("/Users"), meta(2)).await;

    assert_eq!(ok(result).status, 400);
    let wire = received(&server, "/scim/v2/Users").await;
    assert_eq!(wire_header(&wire[0], "authorization"), Some("Bearer idp-written-secret"));
    assert_eq!(wire_header(&wire[1], "authorization"), None);
    let line = assert_no_secret(&exchange, &["idp-written-secret"]);
    assert_eq!(exchange.request.headers["authorization"], "[redacted]", "{line}");
    assert!(exchange.response.as_ref().unwrap().headers["x-echo"].contains("[redacted]"), "{line}");
    assert_eq!(client.redact_text("idp-written-secret".into()), "[redacted]");
    assert_no_secret(&later, &["idp-written-secret"]);
}

/// A header the IdP writes that cannot go on the wire (a space in its name, a line break in
/// its value) fails the request before anything is sent, naming the header; the exchange
/// records the headers as written.
#[tokio::test]
async fn a_header_that_cannot_be_sent_fails_the_request_naming_it() {
    // The catch-all of the mock target fails the test if anything arrives.
    let server = mock_target().await;
    let client = client(&base_url(&server), Auth::Bearer("bearer-not-shown".into()));
    let url = format!("{}/scim/v2/Users", server.uri());
    let bad_name = get("/Users").with_header("Accept", "application/scim+json").with_header("Bad Name", "x");
    let bad_value = get("/Users").with_header("X-Note", "one\ntwo").with_header("Bad Name", "x");
    let secret_name = get("/Users").with_header("bearer-not-shown", "x\r");

    let (name_result, name_exchange) = client.send(&bad_name, meta(1)).await;
    let (value_result, _) = client.send(&bad_value, meta(2)).await;
    let (secret_result, _) = client.send(&secret_name, meta(3)).await;

    let name_err = name_result.expect_err("a space in a header name");
    assert!(matches!(&name_err, TargetError::InvalidHeader { name, .. } if name == "Bad Name"), "{name_err:?}");
    assert_eq!(
        name_err.to_string(),
        format!("GET {url}: header \"Bad Name\" cannot be sent: invalid HTTP header name")
    );
    assert_eq!(
        value_result.expect_err("a line break in a value").to_string(),
        format!("GET {url}: header \"X-Note\" cannot be sent: the value holds a control character or a non-ASCII byte")
    );
    let secret_err = secret_result.expect_err("a carriage return in a value").to_string();
    assert!(secret_err.contains("header \"[redacted]\" cannot be sent"), "{secret_err}");
    assert!(name_exchange.response.is_none());
    assert_eq!(name_exchange.error.as_deref(), Some(name_err.to_string().as_str()));
    let recorded: Vec<(&str, &str)> =
        name_exchange.request.headers.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    assert_eq!(recorded, [("accept", "application/scim+json"), ("bad name", "x")]);
}

#[tokio::test]
async fn body_bytes_keep_the_idps_key_order() {
    let server = mock_target().await;
    Mock::given(method("PATCH"))
        .and(path("/scim/v2/Users/42"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .named("PATCH /Users/42")
        .mount(&server)
        .await;
    let client = client(&base_url(&server), Auth::None);
    // "Operations" before "schemas", as one of Microsoft's samples writes it.
    let body = json!({
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]
    });
    let request = OutgoingRequest::new(Method::PATCH, "/Users/42")
        .with_header("Content-Type", "application/scim+json; charset=utf-8")
        .with_body(body.clone());

    let (result, exchange) = client.send(&request, meta(1)).await;

    assert_eq!(ok(result).status, 204);
    let wire = received(&server, "/scim/v2/Users/42").await;
    assert_eq!(
        String::from_utf8(wire[0].body.clone()).unwrap(),
        r#"{"Operations":[{"op":"Replace","path":"active","value":"False"}],"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}"#
    );
    assert_eq!(exchange.request.body, Some(body));
}

// ---------------------------------------------------------------------------------------
// The recorded exchange

#[tokio::test]
async fn the_exchange_has_the_published_shape() {
    let server = mock_target().await;
    Mock::given(method("PATCH"))
        .and(path("/scim/v2/Users/42"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"id":"42","active":false}"#, SCIM_JSON)
                .insert_header("X-Request-Id", "req-1"),
        )
        .expect(1)
        .named("PATCH /Users/42")
        .mount(&server)
        .await;
    let client = client(&base_url(&server), Auth::Bearer("bearer-for-shape".into()));
    let request = OutgoingRequest::new(Method::PATCH, "/Users/42")
        .with_header("Content-Type", "application/scim+json; charset=utf-8")
        .with_header("ADSCIMVersion", "Date:2026-01-01, ActivityId:abc")
        .with_body(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": []}));

    let (result, exchange) = client.send(&request, meta(7)).await;

    let reply = ok(result);
    assert_eq!(reply.header("X-REQUEST-ID").as_deref(), Some("req-1"));
    let mut line: Value = serde_json::to_value(&exchange).unwrap();
    let elapsed = line.as_object_mut().unwrap().remove("elapsed_ms").expect("elapsed_ms");
    assert!(elapsed.as_f64().is_some_and(|ms| ms >= 0.0));
    let response_headers = line["response"]["headers"].as_object_mut().unwrap();
    assert!(response_headers.remove("date").is_some(), "response headers are recorded: {response_headers:?}");
    assert_eq!(
        line,
        json!({
            "seq": 7, "idp": "entra", "dialect": "legacy", "scenario": "target client",
            "step": "When the provisioning cycle runs", "scheduled_at": "PT40M",
            "request": {
                "method": "PATCH", "path": "/Users/42", "query": null,
                "headers": {
                    "accept": "*/*",
                    "adscimversion": "Date:2026-01-01, ActivityId:abc",
                    "authorization": "[redacted]",
                    "content-type": "application/scim+json; charset=utf-8"
                },
                "body": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": []}
            },
            "response": {
                "status": 200,
                "headers": {"content-length": "26", "content-type": SCIM_JSON, "x-request-id": "req-1"},
                "body": {"id": "42", "active": false}
            }
        })
    );
    let full = serde_json::to_value(&exchange).unwrap();
    let keys: Vec<&str> = full.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["seq", "idp", "dialect", "scenario", "step", "scheduled_at", "request", "response", "elapsed_ms"]
    );
}

#[tokio::test]
async fn an_html_error_page_is_recorded_raw() {
    let server = mock_target().await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(path("/scim/v2/Users"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .expect(1)
        .named("a proxy's error page")
        .mount(&server)
        .await;
    let client = client(&base_url(&server), Auth::None);

    let (result, exchange) = client.send(&get("/Users"), meta(1)).await;

    let reply = ok(result);
    assert_eq!(reply.status, 502);
    assert_eq!(reply.body.value(), Some(&json!({"raw": page})));
    let response = exchange.response.expect("a response");
    assert_eq!(response.body, Some(json!({"raw": page})));
    assert_eq!(response.headers["content-type"], "text/html");
    assert_eq!(exchange.error, None);
}

/// Mounts a target that answers `/Users` with the `Authorization` it received, expecting
/// `times` requests.
async fn mount_echo_authorization(server: &MockServer, times: u64) {
    Mock::given(path("/scim/v2/Users"))
        .respond_with(echo_authorization)
        .expect(times)
        .named("target echoing Authorization")
        .mount(server)
        .await;
}

/// A target that echoes the Authorization header back, in its body and in a header.
fn echo_authorization(request: &Request) -> ResponseTemplate {
    let sent = request.headers.get("authorization").map(|value| value.to_str().unwrap()).unwrap_or_default();
    ResponseTemplate::new(400).insert_header("x-echo", sent).set_body_json(json!({
        "detail": format!("bad credentials: {sent}"),
        "echo": {"headers": [sent], sent: true}
    }))
}

#[tokio::test]
async fn echoed_credentials_are_redacted_in_every_mode() {
    let server = mock_target().await;
    token_request()
        .respond_with(token_answer("echoed-access-token", 3600))
        .expect(1)
        .named("token")
        .mount(&server)
        .await;
    mount_echo_authorization(&server, 4).await;
    let modes = [
        (Auth::Bearer("echoed-bearer".into()), vec!["echoed-bearer"]),
        (Auth::Header("SSWS echoed-api-token".into()), vec!["echoed-api-token"]),
        (
            Auth::Basic { user: "someone".into(), password: "echoed-password".into() },
            vec!["echoed-password", "c29tZW9uZTplY2hvZWQtcGFzc3dvcmQ="],
        ),
        (oauth(&server), vec!["echoed-access-token", "cl!ent secret-42"]),
    ];

    for (mode, secrets) in modes {
        let client = client(&base_url(&server), mode);
        let (result, exchange) = client.send(&get("/Users"), meta(1)).await;
        assert_eq!(ok(result).status, 400);
        let line = assert_no_secret(&exchange, &secrets);
        let body = &exchange.response.as_ref().unwrap().body.as_ref().unwrap();
        assert!(body["detail"].as_str().unwrap().contains("[redacted]"), "{line}");
        assert!(exchange.response.as_ref().unwrap().headers["x-echo"].contains("[redacted]"), "{line}");
    }
}

// ---------------------------------------------------------------------------------------
// Failures

#[tokio::test]
async fn a_slow_target_times_out() {
    let server = mock_target().await;
    Mock::given(path("/scim/v2/Users/42"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .expect(1)
        .named("slow GET /Users/42")
        .mount(&server)
        .await;
    let mut config = TargetConfig::new(base_url(&server), Auth::Bearer("slow-token".into()));
    config.use_env_proxy = false;
    config.timeout = Duration::from_millis(300);
    let client = TargetClient::new(config).unwrap();

    let started = Instant::now();
    let (result, exchange) = client.send(&get("/Users/42"), meta(1)).await;

    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
    let err = result.expect_err("timed out");
    assert!(matches!(err, TargetError::Timeout { timeout, .. } if timeout == Duration::from_millis(300)), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with(&format!("GET {}/scim/v2/Users/42: ", server.uri())), "{message}");
    assert!(message.contains("0.3 s"), "{message}");
    assert!(exchange.response.is_none());
    assert_eq!(exchange.error.as_deref(), Some(message.as_str()));
    assert!(exchange.elapsed_ms >= 250.0, "{}", exchange.elapsed_ms);
    let line = assert_no_secret(&exchange, &["slow-token"]);
    assert!(line.contains(r#""response":null,"error":"#), "{line}");
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = client(&format!("http://127.0.0.1:{port}/scim"), Auth::None);

    let (result, exchange) = client.send(&OutgoingRequest::new(Method::DELETE, "/Users/9"), meta(1)).await;

    let err = result.expect_err("nothing listens");
    assert!(matches!(err, TargetError::Connect { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with(&format!("DELETE http://127.0.0.1:{port}/scim/Users/9: cannot connect")), "{message}");
    assert!(exchange.response.is_none());
    assert_eq!(exchange.request.path, "/Users/9");
    assert!(exchange.error.is_some());
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    let server = mock_target().await;
    let client = client(&format!("https://{}/scim", server.address()), Auth::None);

    let (result, exchange) = client.send(&get("/Users"), meta(1)).await;

    let err = result.expect_err("no TLS there");
    assert!(matches!(err, TargetError::Tls { .. }), "{err:?}: {err}");
    assert!(exchange.response.is_none());
}

#[tokio::test]
async fn a_truncated_body_is_a_body_error_with_the_status_recorded() {
    let base =
        raw_reply(b"HTTP/1.1 200 OK\r\ncontent-type: application/scim+json\r\ncontent-length: 100\r\n\r\n{\"id\":")
            .await;
    let client = client(&base, Auth::None);

    let (result, exchange) = client.send(&get("/Users/1"), meta(1)).await;

    let err = result.expect_err("the body is cut short");
    assert!(matches!(err, TargetError::Body { status: 200, .. }), "{err:?}");
    let response = exchange.response.expect("status and headers arrived");
    assert_eq!(response.status, 200);
    assert_eq!(response.body, None);
    assert!(exchange.error.unwrap().contains("body could not be read"));
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_transport_error() {
    let base = raw_reply(b"").await;
    let client = client(&base, Auth::None);

    let (result, exchange) = client.send(&get("/Users"), meta(1)).await;

    let err = result.expect_err("no answer");
    assert!(matches!(err, TargetError::Transport { .. }), "{err:?}");
    assert!(exchange.response.is_none());
}

#[tokio::test]
async fn retry_after_is_read_from_a_429() {
    let server = mock_target().await;
    Mock::given(path("/scim/v2/Users"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .named("429 with delay-seconds")
        .mount(&server)
        .await;
    Mock::given(path("/scim/v2/Users"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")
                .insert_header("Date", "Wed, 21 Oct 2015 07:27:15 GMT"),
        )
        .expect(1)
        .named("429 with an HTTP-date")
        .mount(&server)
        .await;
    let client = client(&base_url(&server), Auth::None);

    let (seconds, _) = client.send(&get("/Users"), meta(1)).await;
    let (date, _) = client.send(&get("/Users"), meta(2)).await;

    let seconds = ok(seconds);
    assert_eq!(seconds.status, 429);
    assert_eq!(seconds.retry_after, Some(Duration::from_secs(120)));
    assert_eq!(ok(date).retry_after, Some(Duration::from_secs(45)));
}

#[tokio::test]
async fn a_bad_base_url_is_refused_up_front() {
    for base in ["not a url", "ftp://h/scim", "https://h/scim?aadOptscim062020", "https://user:pw@h/scim"] {
        let err = TargetClient::new(TargetConfig::new(base, Auth::None)).expect_err(base);
        assert!(matches!(err, TargetError::BaseUrl { .. }), "{base}: {err:?}");
        assert!(!err.to_string().contains("pw@") || base.contains("pw@"));
    }
}

/// A load run's summary recording keeps what it counts (status and timing) and no header,
/// request body or answer a secret could be in; the reply the engine gets is whole.
#[tokio::test]
async fn a_summary_recording_keeps_counts_not_headers_or_bodies() {
    let server = MockServer::start().await;
    let created = json!({"id": "u1", "userName": "alice", "echo": "Bearer s3cret-token"});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(created.to_string(), "application/scim+json"))
        .mount(&server)
        .await;
    let mut config = TargetConfig::new(base_url(&server), Auth::Bearer("s3cret-token".into()));
    config.use_env_proxy = false;
    config.recording = scimsim::target::Recording::Summary { keep_sent: false };
    let client = TargetClient::new(config).expect("a valid config");
    let request = OutgoingRequest::new(Method::POST, "/Users").with_body(json!({"userName": "alice"}));
    let (reply, exchange) = client.send(&request, meta(1)).await;
    assert_eq!(ok(reply).body.value(), Some(&created), "the engine gets the whole answer");
    assert_no_secret(&exchange, &["s3cret-token"]);
    assert!(exchange.request.headers.is_empty());
    assert_eq!(exchange.request.body, None);
    let response = exchange.response.expect("a response");
    assert_eq!((response.status, response.body), (201, None));
    assert!(response.headers.is_empty());
    assert!(client.take_sent().is_empty(), "without a baseline no request is kept");
}

/// A summary that keeps what it sent (a load run's, for `--baseline`) keeps each request that
/// went on the wire as it went: path and query relative to the base URL, the IdP's headers
/// without the client's `Authorization`, the body's bytes, and the id a 201 returned. A
/// request that was never sent is not kept, and taking the requests empties the list.
#[tokio::test]
async fn a_summary_keeps_the_requests_it_sent_for_a_baseline() {
    use scimsim::target::Recording;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string(r#"{"userName":"alice"}"#))
        .respond_with(ResponseTemplate::new(201).set_body_raw(r#"{"id":"u1"}"#, SCIM_JSON))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", SCIM_JSON))
        .mount(&server)
        .await;
    let mut config = TargetConfig::new(base_url(&server), Auth::Bearer("s3cret-token".into()));
    config.use_env_proxy = false;
    config.recording = Recording::Summary { keep_sent: true };
    let client = TargetClient::new(config).expect("a valid config");
    let create = OutgoingRequest::new(Method::POST, "/Users")
        .with_header("ADSCIMVersion", "x")
        .with_body(json!({"userName": "alice"}));
    let (reply, exchange) = client.send(&create, meta(1)).await;
    assert_eq!(ok(reply).status, 201);
    assert_eq!(exchange.request.body, None, "the exchange holds no body");
    let search = OutgoingRequest::new(Method::GET, "/Users").with_query("filter=userName%20eq%20%22a%22");
    let _ = client.send(&search, meta(2)).await;
    let never_sent = OutgoingRequest::new(Method::GET, "/Users/a#b");
    assert!(client.send(&never_sent, meta(3)).await.0.is_err());
    let sent = client.take_sent();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!((sent[0].method.as_str(), sent[0].path.as_str(), sent[0].query.as_deref()), ("POST", "/Users", None));
    let headers: Vec<(&str, &str)> = sent[0].headers.iter().map(|h| (h.name(), h.value())).collect();
    assert_eq!(headers, [("adscimversion", "x")], "as on the wire: names lower-case");
    assert_eq!(sent[0].body.as_deref(), Some(&br#"{"userName":"alice"}"#[..]));
    assert_eq!(sent[0].created.as_deref(), Some("u1"));
    assert_eq!((sent[1].path.as_str(), sent[1].query.as_deref()), ("/Users", Some("filter=userName%20eq%20%22a%22")));
    assert_eq!((sent[1].body.as_ref(), sent[1].created.as_ref()), (None, None));
    assert!(client.take_sent().is_empty(), "taken once");
}
