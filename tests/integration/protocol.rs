//! The HTTP envelope of the reference server: authentication (RFC 7644 §2), media types
//! (§3.1, §3.8, §8.1), request bodies, routing, entity tags (§3.14), robustness against hostile
//! input, and the base path.

use reqwest::Method;
use scimsim::scim::urn;
use scimsim::server::{MAX_BODY_BYTES, ServerConfig};
use serde_json::{Value, json};

use crate::util::{Reply, TestServer, id};

/// A minimal valid user body.
fn user_body(user_name: &str) -> Value {
    json!({"schemas": [urn::USER], "userName": user_name})
}

/// A `SearchRequest` body with `filter`.
fn search_body(filter: &str) -> Value {
    json!({"schemas": [urn::SEARCH_REQUEST], "filter": filter})
}

/// How many users `userName eq "<user_name>"` finds (0 or 1).
async fn count_users(t: &TestServer, user_name: &str) -> u64 {
    let filter = format!(r#"userName eq "{user_name}""#);
    let reply = TestServer::send(t.request(Method::GET, "/Users").query(&[("filter", filter.as_str())])).await;
    reply.expect(200).body["totalResults"].as_u64().expect("totalResults is a number")
}

/// A client that sends to absolute URLs (for paths outside the configured base).
fn plain_client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Authentication (RFC 7644 §2: bearer tokens, RFC 6750)
// ---------------------------------------------------------------------------------------------

/// One request per kind of endpoint: method, path, body, and the status it gets when
/// authenticated.
fn guarded_requests(user_id: &str) -> Vec<(Method, String, Option<Value>, u16)> {
    vec![
        (Method::GET, "/Users".into(), None, 200),
        (Method::GET, format!("/Users/{user_id}"), None, 200),
        (Method::GET, "/Groups".into(), None, 200),
        (Method::GET, "/ServiceProviderConfig".into(), None, 200),
        (Method::GET, "/Schemas".into(), None, 200),
        (Method::GET, "/ResourceTypes".into(), None, 200),
        (Method::POST, "/Users/.search".into(), Some(search_body("userName pr")), 200),
        (Method::GET, "/NoSuchEndpoint".into(), None, 404),
    ]
}

/// Sends each guarded request with `authorization` (or none) and returns the replies.
async fn send_guarded(t: &TestServer, user_id: &str, authorization: Option<&str>) -> Vec<(String, u16, Reply)> {
    let mut out = Vec::new();
    for (method, path, body, authenticated) in guarded_requests(user_id) {
        let mut request = t.bare(method.clone(), &path);
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/scim+json").body(body.to_string());
        }
        out.push((format!("{method} {path}"), authenticated, TestServer::send(request).await));
    }
    out
}

/// Asserts that every guarded endpoint answers `authorization` with a SCIM 401 that says how
/// to authenticate.
async fn assert_all_unauthorized(t: &TestServer, user_id: &str, authorization: Option<&str>) {
    for (label, _, reply) in send_guarded(t, user_id, authorization).await {
        assert_eq!(reply.status, 401, "{label} with {authorization:?}: {:#}", reply.body);
        let reply = reply.expect_error(401, None);
        let challenge = reply.header("www-authenticate").unwrap_or_else(|| panic!("{label}: no WWW-Authenticate"));
        // RFC 6750 §3: the challenge names the Bearer scheme.
        assert!(challenge.to_ascii_lowercase().starts_with("bearer"), "{label}: {challenge}");
    }
}

#[tokio::test]
async fn no_token_is_401_everywhere() {
    let t = TestServer::start().await;
    let user_id = id(&t.create_user("guarded").await);
    assert_all_unauthorized(&t, &user_id, None).await;
}

#[tokio::test]
async fn wrong_token_is_401_everywhere() {
    let t = TestServer::start().await;
    let user_id = id(&t.create_user("guarded").await);
    let wrong = format!("Bearer {}x", t.server.token());
    assert_all_unauthorized(&t, &user_id, Some(&wrong)).await;
    assert_all_unauthorized(&t, &user_id, Some("Bearer ")).await;
    assert_all_unauthorized(&t, &user_id, Some("Bearer")).await;
    // okta-wire.md §4.1 step 11: `Authorization: non-token` must get 401 with an Error body.
    assert_all_unauthorized(&t, &user_id, Some("non-token")).await;
}

#[tokio::test]
async fn basic_auth_is_401_everywhere() {
    let t = TestServer::start().await;
    // Even with the right secret as the password: this server takes bearer tokens only
    // (ServiceProviderConfig authenticationSchemes lists oauthbearertoken alone).
    let token = t.server.token().to_string();
    let user_id = id(&t.create_user("basic").await);
    for (method, path, body, _) in guarded_requests(&user_id) {
        let mut request = t.bare(method.clone(), &path).basic_auth("admin", Some(&token));
        if let Some(body) = body {
            request = request.header("content-type", "application/scim+json").body(body.to_string());
        }
        let reply = TestServer::send(request).await.expect_error(401, None);
        assert!(reply.header("www-authenticate").is_some(), "{method} {path}");
    }
}

#[tokio::test]
async fn lowercase_bearer_scheme_is_accepted() {
    let t = TestServer::start().await;
    // RFC 7235 §2.1: the auth-scheme is case-insensitive.
    let user_id = id(&t.create_user("lower").await);
    let lowercase = format!("bearer {}", t.server.token());
    for (label, authenticated, reply) in send_guarded(&t, &user_id, Some(&lowercase)).await {
        assert_eq!(reply.status, authenticated, "{label}: {:#}", reply.body);
    }
}

#[tokio::test]
async fn unauthenticated_requests_change_nothing() {
    let t = TestServer::start().await;
    let request = t.bare(Method::POST, "/Users").header("content-type", "application/scim+json");
    TestServer::send(request.body(user_body("intruder").to_string())).await.expect_error(401, None);
    assert_eq!(count_users(&t, "intruder").await, 0);
}

// ---------------------------------------------------------------------------------------------
// Media types (RFC 7644 §3.1, §3.8, §8.1)
// ---------------------------------------------------------------------------------------------

/// POST /Users with `content_type` (none when `None`).
async fn post_with_content_type(t: &TestServer, content_type: Option<&str>, user_name: &str) -> Reply {
    let mut request = t.bare(Method::POST, "/Users").bearer_auth(t.server.token());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    TestServer::send(request.body(user_body(user_name).to_string())).await
}

#[tokio::test]
async fn application_json_is_accepted() {
    let t = TestServer::start().await;
    // RFC 7644 §3.8 / §8.1: application/scim+json is the SCIM type and plain JSON is to be
    // supported too; okta-wire.md §4.1: Okta's SPEC test POSTs with application/json.
    post_with_content_type(&t, Some("application/json"), "json").await.expect(201);
    assert_eq!(count_users(&t, "json").await, 1);
    // entra-wire.md §0: Entra sends the charset parameter.
    post_with_content_type(&t, Some("application/scim+json; charset=utf-8"), "entra").await.expect(201);
    post_with_content_type(&t, Some("Application/SCIM+JSON"), "upper").await.expect(201);
    assert_eq!(count_users(&t, "entra").await, 1);
}

#[tokio::test]
async fn text_plain_is_415() {
    let t = TestServer::start().await;
    let reply = post_with_content_type(&t, Some("text/plain"), "plain").await.expect_error(415, None);
    assert!(reply.detail().contains("text/plain"), "{}", reply.detail());
    post_with_content_type(&t, Some("application/x-www-form-urlencoded"), "form").await.expect_error(415, None);
    assert_eq!(count_users(&t, "plain").await, 0);
}

#[tokio::test]
async fn missing_content_type_is_accepted() {
    let t = TestServer::start().await;
    let reply = post_with_content_type(&t, None, "untyped").await.expect(201);
    assert_eq!(reply.body["userName"], "untyped");
    assert_eq!(count_users(&t, "untyped").await, 1);
}

/// GET /Users with `Accept: accept`.
async fn get_with_accept(t: &TestServer, accept: &str) -> Reply {
    TestServer::send(t.request(Method::GET, "/Users").header("accept", accept)).await
}

#[tokio::test]
async fn accept_without_json_is_406() {
    let t = TestServer::start().await;
    // RFC 7231 §6.5.6; entra-wire.md §1.1: a 406 fails Entra's Test Connection, so only
    // clients that accept no JSON at all get it.
    get_with_accept(&t, "text/html").await.expect_error(406, None);
    get_with_accept(&t, "text/html, application/xhtml+xml").await.expect_error(406, None);
}

#[tokio::test]
async fn accept_any_or_json_is_fine() {
    let t = TestServer::start().await;
    for accept in [
        "*/*",
        "application/scim+json",
        // okta-wire.md §4.1: Okta's POSTs send a charset parameter with Accept.
        "application/scim+json; charset=utf-8",
        "application/json",
        "text/html, application/json;q=0.9",
        "application/*",
    ] {
        let reply = get_with_accept(&t, accept).await;
        assert_eq!(reply.status, 200, "Accept {accept}: {:#}", reply.body);
    }
}

// ---------------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------------

/// Sends `body` as raw bytes with `method` to `path`.
async fn send_raw(t: &TestServer, method: Method, path: &str, body: impl Into<reqwest::Body>) -> Reply {
    TestServer::send(t.request(method, path).body(body)).await
}

/// The write endpoints that parse a JSON body.
fn body_endpoints(user_id: &str, group_id: &str) -> Vec<(Method, String)> {
    vec![
        (Method::POST, "/Users".into()),
        (Method::PUT, format!("/Users/{user_id}")),
        (Method::PATCH, format!("/Users/{user_id}")),
        (Method::POST, "/Groups".into()),
        (Method::PATCH, format!("/Groups/{group_id}")),
        (Method::POST, "/Users/.search".into()),
        (Method::POST, "/.search".into()),
    ]
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let t = TestServer::start().await;
    let padding = "x".repeat(MAX_BODY_BYTES);
    let body = json!({"schemas": [urn::USER], "userName": "huge", "displayName": padding}).to_string();
    assert!(body.len() > MAX_BODY_BYTES);
    // RFC 7231 §6.5.11 (413 Payload Too Large), as a SCIM error body (RFC 7644 §3.12).
    let reply = send_raw(&t, Method::POST, "/Users", body).await.expect_error(413, None);
    assert!(reply.detail().contains(&MAX_BODY_BYTES.to_string()), "{}", reply.detail());
    assert_eq!(count_users(&t, "huge").await, 0);
    // A body just under the limit is read (and here accepted).
    let fits = "y".repeat(MAX_BODY_BYTES - 200);
    let body = json!({"schemas": [urn::USER], "userName": "fits", "displayName": fits}).to_string();
    assert!(body.len() <= MAX_BODY_BYTES);
    send_raw(&t, Method::POST, "/Users", body).await.expect(201);
}

#[tokio::test]
async fn invalid_json_is_invalid_syntax() {
    let t = TestServer::start().await;
    let user_id = id(&t.create_user("target").await);
    let group_id = id(&t.create_group("Target", &[]).await);
    for (method, path) in body_endpoints(&user_id, &group_id) {
        for body in [r#"{"schemas": ["#, "{userName: 'x'}", "nul", "\"unterminated", r#"{"a":1}{"b":2}"#] {
            let reply = send_raw(&t, method.clone(), &path, body).await;
            assert_eq!(reply.status, 400, "{method} {path} with {body:?}: {:#}", reply.body);
            reply.expect_error(400, Some("invalidSyntax"));
        }
    }
}

#[tokio::test]
async fn empty_body_is_invalid_syntax() {
    let t = TestServer::start().await;
    let user_id = id(&t.create_user("target").await);
    let group_id = id(&t.create_group("Target", &[]).await);
    for (method, path) in body_endpoints(&user_id, &group_id) {
        for body in ["", "  \r\n\t"] {
            let reply = send_raw(&t, method.clone(), &path, body).await;
            assert_eq!(reply.status, 400, "{method} {path} with {body:?}: {:#}", reply.body);
            reply.expect_error(400, Some("invalidSyntax"));
        }
    }
}

#[tokio::test]
async fn json_array_body_is_invalid_syntax() {
    let t = TestServer::start().await;
    let user_id = id(&t.create_user("target").await);
    let group_id = id(&t.create_group("Target", &[]).await);
    for (method, path) in body_endpoints(&user_id, &group_id) {
        for body in [json!([]), json!([user_body("in-array")]), json!("a string"), json!(42)] {
            let reply = send_raw(&t, method.clone(), &path, body.to_string()).await;
            assert_eq!(reply.status, 400, "{method} {path} with {body}: {:#}", reply.body);
            reply.expect_error(400, Some("invalidSyntax"));
        }
    }
    assert_eq!(count_users(&t, "in-array").await, 0);
}

#[tokio::test]
async fn deeply_nested_json_is_400_and_the_server_survives() {
    let t = TestServer::start().await;
    let user_id = id(&t.create_user("target").await);
    let group_id = id(&t.create_group("Target", &[]).await);
    let arrays = "[".repeat(100_000);
    let objects = r#"{"a":"#.repeat(50_000);
    for (method, path) in body_endpoints(&user_id, &group_id) {
        for body in [&arrays, &objects] {
            let reply = send_raw(&t, method.clone(), &path, body.clone()).await;
            assert_eq!(reply.status, 400, "{method} {path}: {:#}", reply.body);
            reply.expect_error(400, Some("invalidSyntax"));
        }
    }
    t.get("/Users").await.expect(200);
    assert_eq!(t.get(&format!("/Users/{user_id}")).await.expect(200).body["userName"], "target");
}

// ---------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_path_is_a_scim_404() {
    let t = TestServer::start().await;
    for path in ["/NoSuchEndpoint", "/Users/x/y", "/users-and-more", "/Groups/.search/x"] {
        let reply = t.get(path).await;
        assert_eq!(reply.status, 404, "{path}: {:#}", reply.body);
        reply.expect_error(404, None);
    }
}

#[tokio::test]
async fn wrong_methods_are_405_with_allow() {
    let t = TestServer::start().await;
    let user_id = id(&t.create_user("target").await);
    // RFC 7231 §6.5.5: a 405 carries an Allow header.
    let cases = [
        (Method::PUT, "/Users".to_string(), &["GET", "POST"][..]),
        (Method::DELETE, "/Users".to_string(), &["GET", "POST"][..]),
        (Method::PATCH, "/Groups".to_string(), &["GET", "POST"][..]),
        (Method::POST, format!("/Users/{user_id}"), &["GET", "PUT", "PATCH", "DELETE"][..]),
        (Method::GET, "/Users/.search".to_string(), &["POST"][..]),
    ];
    for (method, path, allowed) in cases {
        let reply = TestServer::send(t.request(method.clone(), &path).body(user_body("nope").to_string())).await;
        assert_eq!(reply.status, 405, "{method} {path}: {:#}", reply.body);
        let reply = reply.expect_error(405, None);
        let allow = reply.header("allow").unwrap_or_else(|| panic!("{method} {path}: no Allow header"));
        let listed: Vec<&str> = allow.split(',').map(str::trim).collect();
        for m in allowed {
            assert!(listed.contains(m), "{method} {path}: Allow {allow:?} lacks {m}");
        }
        assert!(!listed.contains(&method.as_str()), "{method} {path}: Allow {allow:?} lists the refused method");
    }
    // Nothing was created or changed by the refused requests.
    assert_eq!(count_users(&t, "nope").await, 0);
    assert_eq!(t.get(&format!("/Users/{user_id}")).await.expect(200).body["userName"], "target");
}

#[tokio::test]
async fn bulk_is_501() {
    let t = TestServer::start().await;
    // RFC 7644 §3.12: 501 for an operation the server does not support (bulk.supported is
    // false, RFC 7644 §3.7); entra-wire.md §0: Entra never calls /Bulk.
    let bulk = json!({
        "schemas": [urn::BULK_REQUEST],
        "Operations": [{"method": "POST", "path": "/Users", "bulkId": "q1", "data": user_body("bulk")}]
    });
    t.post("/Bulk", &bulk).await.expect_error(501, None);
    t.get("/Bulk").await.expect_error(501, None);
    assert_eq!(count_users(&t, "bulk").await, 0);
}

#[tokio::test]
async fn me_is_501() {
    let t = TestServer::start().await;
    // RFC 7644 §3.11: a server that does not support /Me answers 501.
    t.get("/Me").await.expect_error(501, None);
    t.post("/Me", &user_body("me")).await.expect_error(501, None);
}

// ---------------------------------------------------------------------------------------------
// Entity tags (RFC 7644 §3.14)
// ---------------------------------------------------------------------------------------------

/// A user called `user_name` whose version has moved on (its title was replaced by
/// "Second"): returns `(id, stale version, current version)`.
async fn user_with_history(t: &TestServer, user_name: &str) -> (String, String, String) {
    let created = t.create_user(user_name).await;
    let user_id = id(&created);
    let stale = created["meta"]["version"].as_str().expect("meta.version").to_string();
    let patched =
        t.patch(&format!("/Users/{user_id}"), &json!([{"op": "replace", "path": "title", "value": "Second"}])).await;
    let current = patched.expect(200).body["meta"]["version"].as_str().expect("meta.version").to_string();
    assert_ne!(stale, current, "a change bumps the version");
    (user_id, stale, current)
}

#[tokio::test]
async fn if_none_match_current_version_is_304_without_body() {
    let t = TestServer::start().await;
    let (user_id, _, current) = user_with_history(&t, "versioned").await;
    let reply =
        TestServer::send(t.request(Method::GET, &format!("/Users/{user_id}")).header("if-none-match", &current)).await;
    // RFC 7644 §3.14 / RFC 7232 §4.1: 304 Not Modified, no body, the current ETag.
    let reply = reply.expect(304);
    assert_eq!(reply.body, Value::Null, "304 has no body");
    assert_eq!(reply.header("etag"), Some(current.as_str()));
    // The bare opaque tag (without W/) matches too: comparison is weak.
    let opaque = current.trim_start_matches("W/");
    let reply =
        TestServer::send(t.request(Method::GET, &format!("/Users/{user_id}")).header("if-none-match", opaque)).await;
    reply.expect(304);
}

#[tokio::test]
async fn if_none_match_stale_version_is_200() {
    let t = TestServer::start().await;
    let (user_id, stale, current) = user_with_history(&t, "versioned").await;
    let reply =
        TestServer::send(t.request(Method::GET, &format!("/Users/{user_id}")).header("if-none-match", &stale)).await;
    let reply = reply.expect(200);
    assert_eq!(reply.body["title"], "Second");
    assert_eq!(reply.header("etag"), Some(current.as_str()));
    assert_eq!(reply.body["meta"]["version"], json!(current));
}

/// Asserts that the user still has `title` "Second" and version `current`.
async fn assert_unchanged(t: &TestServer, user_id: &str, current: &str) {
    let reply = t.get(&format!("/Users/{user_id}")).await.expect(200);
    assert_eq!(reply.body["title"], "Second", "{:#}", reply.body);
    assert_eq!(reply.body["userName"], "versioned", "{:#}", reply.body);
    assert_eq!(reply.body["meta"]["version"], json!(current), "{:#}", reply.body);
}

#[tokio::test]
async fn stale_if_match_is_412_and_changes_nothing() {
    let t = TestServer::start().await;
    let (user_id, stale, current) = user_with_history(&t, "versioned").await;
    let path = format!("/Users/{user_id}");
    let put = json!({"schemas": [urn::USER], "userName": "versioned", "title": "Third"});
    let patch =
        json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": "Third"}]});
    let requests = [
        t.request(Method::PUT, &path).body(put.to_string()),
        t.request(Method::PATCH, &path).body(patch.to_string()),
        t.request(Method::DELETE, &path),
    ];
    for request in requests {
        // RFC 7644 §3.14: a version mismatch is 412 Precondition Failed, and no change.
        TestServer::send(request.header("if-match", &stale)).await.expect_error(412, None);
        assert_unchanged(&t, &user_id, &current).await;
    }
}

#[tokio::test]
async fn current_or_any_if_match_succeeds() {
    let t = TestServer::start().await;
    let (user_id, _, current) = user_with_history(&t, "versioned").await;
    let path = format!("/Users/{user_id}");
    let put = json!({"schemas": [urn::USER], "userName": "versioned", "title": "Third"});
    let reply = TestServer::send(t.request(Method::PUT, &path).header("if-match", &current).body(put.to_string()))
        .await
        .expect(200);
    assert_eq!(reply.body["title"], "Third");
    let after_put = reply.body["meta"]["version"].as_str().unwrap().to_string();
    assert_eq!(reply.header("etag"), Some(after_put.as_str()));

    let patch =
        json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": "Fourth"}]});
    let reply =
        TestServer::send(t.request(Method::PATCH, &path).header("if-match", &after_put).body(patch.to_string()))
            .await
            .expect(200);
    assert_eq!(reply.body["title"], "Fourth");
    let patch =
        json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": "Fifth"}]});
    let reply = TestServer::send(t.request(Method::PATCH, &path).header("if-match", "*").body(patch.to_string())).await;
    assert_eq!(reply.expect(200).body["title"], "Fifth");
    let put = json!({"schemas": [urn::USER], "userName": "versioned", "title": "Sixth"});
    TestServer::send(t.request(Method::PUT, &path).header("if-match", "*").body(put.to_string())).await.expect(200);
    assert_eq!(t.get(&path).await.expect(200).body["title"], "Sixth");

    TestServer::send(t.request(Method::DELETE, &path).header("if-match", "*")).await.expect(204);
    t.get(&path).await.expect_error(404, None);

    // DELETE with the exact current tag, on a second user.
    let (other, _, other_current) = user_with_history(&t, "second").await;
    let other_path = format!("/Users/{other}");
    TestServer::send(t.request(Method::DELETE, &other_path).header("if-match", &other_current)).await.expect(204);
    t.get(&other_path).await.expect_error(404, None);
}

#[tokio::test]
async fn responses_carry_the_version_as_etag() {
    let t = TestServer::start().await;
    let reply = t.post("/Users", &user_body("tagged")).await.expect(201);
    let version = reply.body["meta"]["version"].as_str().expect("meta.version").to_string();
    assert_eq!(reply.header("etag"), Some(version.as_str()));
    let fetched = t.get(&format!("/Users/{}", id(&reply.body))).await.expect(200);
    assert_eq!(fetched.header("etag"), Some(version.as_str()));
}

// ---------------------------------------------------------------------------------------------
// Hostile input never causes a 5xx
// ---------------------------------------------------------------------------------------------

/// Sends hostile requests, collecting every one that got a 5xx and counting the statuses.
#[derive(Default)]
struct Failures {
    failed: Vec<String>,
    statuses: std::collections::BTreeMap<u16, usize>,
}

impl Failures {
    async fn send(&mut self, label: String, request: reqwest::RequestBuilder) {
        let reply = TestServer::send(request).await;
        *self.statuses.entry(reply.status).or_default() += 1;
        if reply.status >= 500 {
            self.failed.push(format!("{label} → {} {}", reply.status, reply.body));
        }
    }
}

/// Filters that are malformed, nonsensical, huge or full of odd characters.
fn hostile_filters() -> Vec<String> {
    let mut filters: Vec<String> = [
        "((((",
        "))))",
        "a[b[c]]",
        "a[b[c pr]]",
        "emails[type eq \"work\"].value eq \"x\"",
        "emails[value pr",
        "emails]",
        "userName eq 1e999999",
        "userName eq -1e999999",
        "userName eq 123456789012345678901234567890123456789",
        "userName gt 1.7976931348623157e309",
        "meta.lastModified gt \"9999999-99-99T99:99:99Z\"",
        "meta.lastModified gt 5",
        "meta.lastModified co \"2020\"",
        "meta.created lt \"-271821-04-20T00:00:00Z\"",
        "userName eq \"\u{0}\u{7}\u{1b}\"",
        "userName\u{0}eq\u{0}\"x\"",
        "userName eq \"\\u0000\"",
        "userName eq \"\\uD800\"",
        "userName eq \"\u{202e}\u{feff}🦀\"",
        "🦀 eq \"🦀\"",
        "not(not(not(userName pr)))",
        "not",
        "and",
        "or",
        "pr",
        "eq",
        "[]",
        "\"\"",
        "userName eq",
        "urn::x eq 1",
        "urn:ietf:params:scim:schemas:core:2.0:User: pr",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User pr",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq \"x\"",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.$ref gt \"x\"",
        "$ref eq \"x\"",
        "members[value eq \"x\"]",
        "members.value eq 1",
        "groups.value eq true",
        "groups[display co 5]",
        "active eq \"maybe\"",
        "active co \"t\"",
        "name eq \"x\"",
        "name gt \"x\"",
        "name[givenName pr]",
        "emails gt true",
        "emails[primary gt true]",
        "id co null",
        "id gt null",
        "x509Certificates.value sw \"!!\"",
        "schemas eq 5",
        "meta pr",
        "meta.version gt \"W/\\\"1\\\"\"",
        "userName eq \"x\" and",
        "userName eq \"x\" or or userName pr",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    filters.push(format!("{}userName pr{}", "(".repeat(5000), ")".repeat(5000)));
    filters.push(format!("{}userName pr{}", "not (".repeat(2000), ")".repeat(2000)));
    filters.push(format!("{}userName pr", "userName pr and ".repeat(1000)));
    filters.push(format!("{}userName pr", "userName pr or ".repeat(1000)));
    filters.push(format!("{}userName pr", "userName pr and ".repeat(20_000)));
    filters.push(format!("userName eq \"{}\"", "z".repeat(200_000)));
    filters.push("[".repeat(20_000));
    filters
}

/// Raw query strings with bad percent-encoding, out-of-range numbers and odd paths.
fn hostile_queries() -> Vec<String> {
    let mut queries: Vec<String> = [
        "filter=%",
        "filter=%ZZ",
        "filter=%00",
        "filter=%FF%FE%FD",
        "filter=userName%20eq%20%22%C3%28%22",
        "filter=%E2%82",
        "%%%=%%%",
        "=&=&&&",
        "filter",
        "filter=",
        "filter=userName+eq+%22x%22&filter=((((",
        "startIndex=99999999999999999999999999&count=99999999999999999999",
        "startIndex=-99999999999999999999&count=-99999999999999999999",
        "startIndex=18446744073709551615&count=18446744073709551615",
        "startIndex=9223372036854775807&count=9223372036854775807",
        "startIndex=1e3",
        "startIndex=0x10",
        "count=NaN",
        "count=",
        "count=%00",
        "count=1.5",
        "sortBy=",
        "sortBy=((",
        "sortBy=emails[type eq \"x\"]",
        "sortBy=emails[type eq \"x\"].value.more",
        "sortBy=name",
        "sortBy=urn::x",
        "sortBy=$ref",
        "sortBy=members.$ref",
        "sortBy=groups",
        "sortBy=meta.lastModified&sortOrder=",
        "sortOrder=%FF",
        "attributes=a[b",
        "attributes=urn::x",
        "attributes=,,,",
        "attributes=$ref",
        "attributes=emails[type eq \"x\"].value.more",
        "attributes=urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "attributes=urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:",
        "excludedAttributes=$ref",
        "excludedAttributes=schemas,id,meta",
        "excludedAttributes=%FF",
        "attributes=userName&excludedAttributes=userName",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    queries.push(format!("attributes={}", "a,".repeat(20_000)));
    queries.push(format!("sortBy={}", "a".repeat(30_000)));
    queries
}

/// Wrong JSON types for every field of a SearchRequest.
fn hostile_search_bodies() -> Vec<Value> {
    let sr = urn::SEARCH_REQUEST;
    vec![
        json!({"schemas": [sr], "filter": 1}),
        json!({"schemas": [sr], "filter": []}),
        json!({"schemas": [sr], "filter": null}),
        json!({"schemas": [sr], "filter": "(((("}),
        json!({"schemas": [sr], "startIndex": "x"}),
        json!({"schemas": [sr], "startIndex": 1.5}),
        json!({"schemas": [sr], "startIndex": 1e300}),
        json!({"schemas": [sr], "startIndex": u64::MAX}),
        json!({"schemas": [sr], "count": -1e300}),
        json!({"schemas": [sr], "count": {}}),
        json!({"schemas": [sr], "count": i64::MIN}),
        json!({"schemas": [sr], "sortBy": 5}),
        json!({"schemas": [sr], "sortBy": "(("}),
        json!({"schemas": [sr], "sortOrder": true}),
        json!({"schemas": [sr], "attributes": 5}),
        json!({"schemas": [sr], "attributes": [1, null]}),
        json!({"schemas": [sr], "attributes": ["a[b"]}),
        json!({"schemas": [sr], "excludedAttributes": {"a": 1}}),
        json!({"schemas": "x"}),
        json!({"schemas": [1]}),
        json!({"schemas": null}),
        json!({"schemas": {}}),
        json!({}),
    ]
}

/// PATCH operations with wrong types in every field and hostile paths.
fn hostile_operations() -> Vec<Value> {
    let paths = [
        "emails[type eq \"x\"].value.more",
        "urn::x",
        "$ref",
        "members[value eq 1]",
        "members[value eq \"x\"].display",
        "members.value",
        "name.givenName.x",
        "",
        "[",
        "]",
        "emails[",
        "emails[type eq \"x\"]",
        "emails[type eq \"x\"].value",
        "emails[primary eq \"True\"].type",
        "emails.value",
        "emails[value pr].nope",
        "groups",
        "id",
        "meta",
        "meta.version",
        "schemas",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "urn:ietf:params:scim:schemas:core:2.0:User:",
        "urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"].value",
        "x509Certificates[value pr].value",
        "(userName)",
        "name[givenName pr]",
        "userName[value pr]",
        "active",
        "password",
        "displayName",
        "userName",
    ];
    let values = [
        json!(null),
        json!(1),
        json!(-1e308),
        json!(u64::MAX),
        json!(true),
        json!("x"),
        json!(""),
        json!([]),
        json!([1]),
        json!([null]),
        json!({}),
        json!({"value": {}}),
        json!([{"value": []}]),
        json!({"primary": "yes"}),
        json!([{"value": "a", "primary": true}, {"value": "b", "primary": true}]),
    ];
    let mut operations = Vec::new();
    for op in ["add", "replace", "remove"] {
        for path in paths {
            for value in &values {
                operations.push(json!({"op": op, "path": path, "value": value}));
            }
        }
        // Path-less operations whose value is not an object of attributes.
        for value in &values {
            operations.push(json!({"op": op, "value": value}));
        }
    }
    operations.push(json!({"op": "add", "path": "x".repeat(50_000), "value": "x"}));
    for op in [json!(1), json!(null), json!("x"), json!(true), json!({}), json!([]), json!("ADD ")] {
        operations.push(json!({"op": op, "path": "title", "value": "x"}));
    }
    for path in [json!(1), json!([]), json!({}), json!(true)] {
        operations.push(json!({"op": "replace", "path": path, "value": "x"}));
    }
    operations.push(json!({"op": "replace", "value": {"userName": 1, "name": "x", "emails": {"value": 1}}}));
    operations.push(json!({"op": "replace", "value": {"members": [{"value": {}}], "displayName": []}}));
    operations.push(json!({"op": "add", "value": {(urn::ENTERPRISE_USER): "x"}}));
    operations.push(json!({"op": "add", "value": {(urn::ENTERPRISE_USER): {"manager": 5}}}));
    operations.push(json!({"op": "add", "value": {"urn::x": 1}}));
    operations
}

/// Whole PATCH bodies that are wrong before any operation is read.
fn hostile_patch_envelopes() -> Vec<Value> {
    let p = urn::PATCH_OP;
    vec![
        json!({"schemas": 1, "Operations": [{"op": "add", "path": "title", "value": "x"}]}),
        json!({"schemas": "x"}),
        json!({"schemas": null}),
        json!({"schemas": [1]}),
        json!({"schemas": [p]}),
        json!({"schemas": [p], "Operations": {}}),
        json!({"schemas": [p], "Operations": "x"}),
        json!({"schemas": [p], "Operations": []}),
        json!({"schemas": [p], "Operations": [1]}),
        json!({"schemas": [p], "Operations": [null]}),
        json!({"schemas": [p], "Operations": [[]]}),
        json!({"schemas": [p], "Operations": [{}]}),
    ]
}

/// Whole resources with wrong types in their fields.
fn hostile_resources() -> Vec<Value> {
    let user = urn::USER;
    let group = urn::GROUP;
    vec![
        json!({"schemas": [user], "userName": {}}),
        json!({"schemas": [user], "userName": []}),
        json!({"schemas": [user], "userName": 1e308}),
        json!({"schemas": [user], "userName": "h1", "name": "x"}),
        json!({"schemas": [user], "userName": "h2", "emails": {"value": 1}}),
        json!({"schemas": [user], "userName": "h3", "emails": [1]}),
        json!({"schemas": [user], "userName": "h4", "emails": [{"value": "a", "primary": "maybe"}]}),
        json!({"schemas": [user], "userName": "h5", "active": "maybe"}),
        json!({"schemas": [user], "userName": "h6", (urn::ENTERPRISE_USER): []}),
        json!({"schemas": [user], "userName": "h7", (urn::ENTERPRISE_USER): {"manager": []}}),
        json!({"schemas": [user], "userName": "h8", "x509Certificates": [{"value": "!!!"}]}),
        json!({"schemas": [user], "userName": "h9", "groups": [{"value": "nope"}]}),
        json!({"schemas": [user], "userName": "h10", "meta": "x", "id": 5}),
        json!({"schemas": [user], "userName": "h11", "USERNAME": "h11"}),
        json!({"schemas": [user, user], "userName": "h12", "urn::x": 1}),
        json!({"schemas": [group], "displayName": {}, "members": "x"}),
        json!({"schemas": [group], "displayName": "g1", "members": [{"value": {}}]}),
        json!({"schemas": [group], "displayName": "g2", "members": [{"value": "no-such-id"}]}),
        json!({"schemas": [group], "displayName": "g3", "members": [{"display": "x"}]}),
        json!({"schemas": 5, "displayName": "g4"}),
        json!({"schemas": [null]}),
        json!({"schemas": []}),
        json!({}),
    ]
}

#[tokio::test]
async fn hostile_input_never_gets_a_5xx() {
    let t = TestServer::start().await;
    let user_id = id(&t.create_user("survivor").await);
    let group_id = id(&t.create_group("Survivors", &[&user_id]).await);
    let mut failures = Failures::default();

    let lists = ["/Users", "/Groups", "/"];
    for filter in hostile_filters() {
        // A URL holds at most 64 KiB; longer filters go only through POST .search.
        let fits_in_url = filter.len() <= 20_000;
        for path in lists.iter().filter(|_| fits_in_url) {
            let request = t.request(Method::GET, path).query(&[("filter", filter.as_str())]);
            failures.send(format!("GET {path} filter={filter:.80}"), request).await;
        }
        for path in ["/Users/.search", "/.search"] {
            let request = t.request(Method::POST, path).body(search_body(&filter).to_string());
            failures.send(format!("POST {path} filter={filter:.80}"), request).await;
        }
    }

    let user_path = format!("/Users/{user_id}");
    let group_path = format!("/Groups/{group_id}");
    let readable =
        ["/Users", "/Groups", "/", user_path.as_str(), group_path.as_str(), "/ServiceProviderConfig", "/Schemas"];
    for query in hostile_queries() {
        for path in readable {
            let request = t.request(Method::GET, &format!("{path}?{query}"));
            failures.send(format!("GET {path}?{query:.80}"), request).await;
        }
    }

    for body in hostile_search_bodies() {
        for path in ["/Users/.search", "/Groups/.search", "/.search"] {
            failures.send(format!("POST {path} {body}"), t.request(Method::POST, path).body(body.to_string())).await;
        }
    }

    let mut patch_bodies: Vec<Value> =
        hostile_operations().into_iter().map(|op| json!({"schemas": [urn::PATCH_OP], "Operations": [op]})).collect();
    patch_bodies.extend(hostile_patch_envelopes());
    for body in &patch_bodies {
        for path in [&user_path, &group_path] {
            let label = format!("PATCH {path} {:.200}", body.to_string());
            failures.send(label, t.request(Method::PATCH, path).body(body.to_string())).await;
        }
    }

    for body in hostile_resources() {
        for (method, path) in [
            (Method::POST, "/Users"),
            (Method::POST, "/Groups"),
            (Method::PUT, user_path.as_str()),
            (Method::PUT, group_path.as_str()),
        ] {
            let label = format!("{method} {path} {body}");
            failures.send(label, t.request(method, path).body(body.to_string())).await;
        }
    }

    let raw_bodies: [&[u8]; 6] = [
        b"\x00",
        b"\xff\xfe\xfd",
        b"{\"userName\": \"\\uD800\"}",
        b"\xef\xbb\xbf{}",
        b"{\"a\": 1e999999}",
        b"{\"a\": -}",
    ];
    for body in raw_bodies {
        for (method, path) in
            [(Method::POST, "/Users"), (Method::PATCH, user_path.as_str()), (Method::POST, "/.search")]
        {
            let label = format!("{method} {path} raw {body:?}");
            failures.send(label, t.request(method, path).body(body.to_vec())).await;
        }
    }

    let long_id = "a".repeat(10_000);
    for path in [
        "/Users/%00",
        "/Users/%FF",
        "/Users/..%2F..%2FServiceProviderConfig",
        "/Users/%2e%2e",
        "/Users/.search/x",
        "//Users",
        "/Schemas/urn::x",
        "/Schemas/%",
        "/ResourceTypes/%ZZ",
        "/ResourceTypes/..",
        &format!("/Users/{long_id}"),
        &format!("/Groups/{long_id}?attributes=members"),
    ] {
        for method in [Method::GET, Method::PUT, Method::PATCH, Method::DELETE] {
            let request = t.request(method.clone(), path).body(user_body("path").to_string());
            failures.send(format!("{method} {path:.80}"), request).await;
        }
    }

    for (name, value) in [
        ("if-match", "W/"),
        ("if-match", "\"\""),
        ("if-match", ",,,"),
        ("if-none-match", "W/\"1\", *, \"\""),
        ("accept", ",,,;;;q=abc"),
        ("accept", "application/scim+json;q=-1"),
        ("content-type", "application/scim+json; charset=ebcdic"),
        ("content-type", ";;;"),
        ("authorization", "Bearer Bearer Bearer"),
    ] {
        for (method, path) in [(Method::GET, user_path.as_str()), (Method::PATCH, user_path.as_str())] {
            let body =
                json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "add", "path": "nickName", "value": "n"}]});
            let request = t.request(method.clone(), path).header(name, value).body(body.to_string());
            failures.send(format!("{method} {path} {name}: {value:?}"), request).await;
        }
    }

    let Failures { failed, statuses } = failures;
    assert!(failed.is_empty(), "{} requests got a 5xx:\n{}", failed.len(), failed.join("\n"));
    // The inputs reached the parsers and validators: most were refused as bad requests.
    let total: usize = statuses.values().sum();
    assert!(statuses.get(&400).is_some_and(|n| n * 2 > total), "statuses: {statuses:?}");
    // The server still answers, and still has its data (the PATCHes above may have renamed
    // the user, so look it up by id).
    let users = t.get("/Users").await.expect(200);
    assert!(users.body["Resources"].as_array().is_some_and(|r| r.iter().any(|u| u["id"] == user_id.as_str())));
    assert_eq!(t.get(&user_path).await.expect(200).body["id"], user_id.as_str());
    assert_eq!(t.get(&group_path).await.expect(200).body["id"], group_id.as_str());
}

// ---------------------------------------------------------------------------------------------
// Base path
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn root_base_path_serves_users_at_the_root() {
    let t = TestServer::with_config(ServerConfig { base_path: "/".into(), ..Default::default() }).await;
    let root = format!("http://{}", t.server.addr());
    assert_eq!(t.server.url(), root);
    let created = t.post("/Users", &user_body("rooted")).await.expect(201);
    let location = format!("{root}/Users/{}", id(&created.body));
    assert_eq!(meta_location(&created), location);
    assert_eq!(created.header("location"), Some(location.as_str()));
    let reply = TestServer::send(plain_client().get(format!("{root}/Users")).bearer_auth(t.server.token())).await;
    assert_eq!(reply.expect(200).body["totalResults"], 1);
    t.get("/ServiceProviderConfig").await.expect(200);
    // The default base path is not served.
    let old = plain_client().get(format!("{root}/scim/v2/Users")).bearer_auth(t.server.token());
    TestServer::send(old).await.expect_error(404, None);
}

#[tokio::test]
async fn custom_base_path_works_and_the_default_is_gone() {
    let t = TestServer::with_config(ServerConfig { base_path: "/api/scim".into(), ..Default::default() }).await;
    let root = format!("http://{}", t.server.addr());
    assert_eq!(t.server.url(), format!("{root}/api/scim"));
    let created = t.post("/Users", &user_body("custom")).await.expect(201);
    assert_eq!(meta_location(&created), format!("{root}/api/scim/Users/{}", id(&created.body)));
    let reply =
        TestServer::send(plain_client().get(format!("{root}/api/scim/Users")).bearer_auth(t.server.token())).await;
    assert_eq!(reply.expect(200).body["totalResults"], 1);
    t.get("/Schemas").await.expect(200);
    for old in ["/scim/v2/Users", "/Users", "/scim/v2/ServiceProviderConfig"] {
        let request = plain_client().get(format!("{root}{old}")).bearer_auth(t.server.token());
        let reply = TestServer::send(request).await;
        assert_eq!(reply.status, 404, "{old}: {:#}", reply.body);
        reply.expect_error(404, None);
    }
}

/// `meta.location` of a resource reply.
fn meta_location(reply: &Reply) -> String {
    reply.body["meta"]["location"].as_str().expect("meta.location").to_string()
}
