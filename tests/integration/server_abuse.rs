//! The reference server under abuse: generated filters, PATCH bodies, URLs and query
//! parameters over real HTTP (never a 5xx, never a dropped connection, every refusal a SCIM
//! error), 64 concurrent clients writing the same resources (no lost update, uniqueness
//! holds, lists and reads agree), and input at and past the server's limits.

use std::collections::BTreeSet;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::select;
use reqwest::Method;
use scimsim::scim::{MAX_DEPTH, MAX_LENGTH, Schema, urn};
use scimsim::server::{Extension, MAX_BODY_BYTES, Profile, ServerConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Barrier;

use super::hostile_input::{
    any_json, attr_path, config, filter_text, group_operation, patch_body, patch_body_of, patch_operation, user_body,
    user_operation,
};
use super::util::{Reply, TestServer, id};

/// Cases per HTTP property: each case is a few requests to a debug-build server.
const HTTP_CASES: u32 = 64;

/// A reference server on a runtime of its own, for proptest's synchronous test cases, with
/// a user, a second user (whose `userName` a write may try to take) and a group.
struct Harness {
    runtime: tokio::runtime::Runtime,
    server: TestServer,
    user: String,
    other: String,
    group: String,
}

impl Harness {
    fn start() -> Self {
        Self::with_profile(Profile::Strict)
    }

    /// A server playing `profile`.
    fn with_profile(profile: Profile) -> Self {
        let runtime = tokio::runtime::Runtime::new().expect("a Tokio runtime");
        let (server, user, other, group) = runtime.block_on(async {
            let server = TestServer::with_config(ServerConfig { profile, ..ServerConfig::default() }).await;
            let user = server
                .post(
                    "/Users",
                    &json!({
                        "schemas": [urn::USER, urn::ENTERPRISE_USER],
                        "userName": "bjensen",
                        "name": {"givenName": "Barbara", "familyName": "Jensen"},
                        "title": "Tour Guide",
                        "emails": [{"value": "b@work", "type": "work", "primary": true}, {"value": "b@home", "type": "home"}],
                        "roles": [{"value": "admin", "primary": true}],
                        (urn::ENTERPRISE_USER): {"department": "Tour", "manager": {"value": "m1"}}
                    }),
                )
                .await
                .expect(201)
                .body;
            // Ivanti needs an email and both names (see Profile::Ivanti).
            let other = json!({
                "schemas": [urn::USER],
                "userName": "work",
                "name": {"givenName": "Walt", "familyName": "Ork"},
                "emails": [{"value": "w@work"}]
            });
            let other = server.post("/Users", &other).await.expect(201).body;
            let group = server.create_group("Tour", &[&id(&user), &id(&other)]).await;
            (server, id(&user), id(&other), id(&group))
        });
        Self { runtime, server, user, other, group }
    }

    fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        self.runtime.block_on(TestServer::send(request))
    }

    fn get(&self, path: &str) -> Reply {
        self.send(self.server.request(Method::GET, path))
    }

    fn send_body(&self, method: Method, path: &str, body: &Value) -> Reply {
        self.send(self.server.request(method, path).body(body.to_string()))
    }

    /// The ids of the fixtures.
    fn ids(&self) -> Vec<String> {
        vec![self.user.clone(), self.other.clone(), self.group.clone()]
    }

    /// Panics unless the server still answers.
    fn assert_alive(&self) {
        assert_eq!(self.get("/Users").status, 200, "the server still lists users");
        assert_eq!(self.get("/ServiceProviderConfig").status, 200, "the server still serves discovery");
    }
}

/// Fails unless `reply` is a SCIM error body (RFC 7644 §3.12) with one of `allowed`, a pair of
/// status and `scimType` (`None`: any or none).
fn assert_refusal(reply: &Reply, allowed: &[(u16, Option<&str>)]) -> Result<(), TestCaseError> {
    prop_assert_eq!(&reply.body["schemas"], &json!([urn::ERROR]), "{:#}", reply.body);
    prop_assert_eq!(&reply.body["status"], &json!(reply.status.to_string()), "{:#}", reply.body);
    let fits = |&(status, scim_type): &(u16, Option<&str>)| {
        status == reply.status && scim_type.is_none_or(|t| reply.scim_type() == Some(t))
    };
    prop_assert!(allowed.iter().any(fits), "{} {:#}", reply.status, reply.body);
    Ok(())
}

/// Fails unless `reply` is a `ListResponse` (RFC 7644 §3.4.2).
fn assert_list(reply: &Reply) -> Result<(), TestCaseError> {
    prop_assert_eq!(reply.status, 200, "{:#}", reply.body);
    prop_assert_eq!(&reply.body["schemas"], &json!([urn::LIST_RESPONSE]), "{:#}", reply.body);
    Ok(())
}

/// A `SearchRequest` body (RFC 7644 §3.4.3) with `filter`.
fn search(filter: &str) -> Value {
    json!({"schemas": [urn::SEARCH_REQUEST], "filter": filter})
}

/// The URL query string of `pairs`.
fn query(pairs: &[(&str, &str)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

#[test]
fn random_filters_list_or_are_invalid_filter_by_get_and_by_search() {
    let h = Harness::start();
    proptest!(config(HTTP_CASES), |(filter in filter_text())| {
        let by_get = h.get(&format!("/Users?{}", query(&[("filter", &filter)])));
        let by_search = h.send_body(Method::POST, "/Users/.search", &search(&filter));
        for reply in [&by_get, &by_search] {
            match reply.status {
                200 => assert_list(reply)?,
                _ => assert_refusal(reply, &[(400, Some("invalidFilter"))])?,
            }
        }
        prop_assert_eq!(by_get.status, by_search.status);
        prop_assert_eq!(&by_get.body["totalResults"], &by_search.body["totalResults"]);
    });
    h.assert_alive();
}

/// The refusals a write may meet: the RFC 7644 §3.12 `scimType`s of a bad request, and a
/// `userName` another user holds.
const WRITE_REFUSALS: [(u16, Option<&str>); 7] = [
    (400, Some("invalidSyntax")),
    (400, Some("invalidPath")),
    (400, Some("invalidValue")),
    (400, Some("invalidFilter")),
    (400, Some("noTarget")),
    (400, Some("mutability")),
    (409, Some("uniqueness")),
];

/// Sends a write of `body` to the resource at `path` and fails unless it applied whole (the
/// answer is what a read then shows) or was refused with a SCIM error and changed nothing.
fn assert_write_is_atomic(h: &Harness, method: Method, path: &str, body: &Value) -> Result<(), TestCaseError> {
    let before = h.get(path).body;
    let reply = h.send_body(method, path, body);
    let after = h.get(path).body;
    if reply.status == 200 {
        prop_assert_eq!(&reply.body, &after, "the answer is what is stored");
    } else {
        assert_refusal(&reply, &WRITE_REFUSALS)?;
        prop_assert_eq!(&before, &after, "a refused write changes nothing");
    }
    Ok(())
}

#[test]
fn random_patch_bodies_apply_whole_or_leave_the_resource_as_it_was() {
    for profile in Profile::ALL {
        let h = Harness::with_profile(profile);
        let user = format!("/Users/{}", h.user);
        let group = format!("/Groups/{}", h.group);
        // The group itself among the candidate members, which the server must refuse.
        let members = h.ids();
        let patches = prop_oneof![
            patch_body_of(prop_oneof![patch_operation(), user_operation()]).prop_map(move |body| (user.clone(), body)),
            patch_body_of(prop_oneof![patch_operation(), group_operation(members)])
                .prop_map(move |body| (group.clone(), body)),
        ];
        proptest!(config(HTTP_CASES), |((path, body) in patches)| {
            assert_write_is_atomic(&h, Method::PATCH, &path, &body)?;
        });
        h.assert_alive();
    }
}

#[test]
fn random_user_bodies_are_stored_whole_or_refused() {
    for profile in Profile::ALL {
        let h = Harness::with_profile(profile);
        let user = format!("/Users/{}", h.user);
        proptest!(config(HTTP_CASES), |(replacement in user_body(), body in user_body())| {
            assert_write_is_atomic(&h, Method::PUT, &user, &replacement)?;
            let created = h.send_body(Method::POST, "/Users", &body);
            if created.status == 201 {
                let location = created.header("location").expect("a Location").to_string();
                prop_assert_eq!(&created.body["meta"]["location"], &json!(location));
                let read = h.get(&format!("/Users/{}", id(&created.body)));
                prop_assert_eq!(&created.body, &read.body, "the answer is what is stored");
                let deleted = h.send(h.server.request(Method::DELETE, &format!("/Users/{}", id(&created.body))));
                prop_assert_eq!(deleted.status, 204);
            } else {
                assert_refusal(&created, &WRITE_REFUSALS)?;
            }
        });
        h.assert_alive();
    }
}

#[test]
fn random_attribute_paths_in_queries_are_used_or_invalid_value() {
    let h = Harness::start();
    let paths = prop::collection::vec(attr_path(), 0..3).prop_map(|p| p.join(","));
    proptest!(config(HTTP_CASES), |(sort_by in attr_path(), attributes in paths.clone(), excluded in paths.clone())| {
        let list = h.get(&format!(
            "/Users?{}",
            query(&[("sortBy", &sort_by), ("attributes", &attributes), ("excludedAttributes", &excluded)])
        ));
        match list.status {
            200 => assert_list(&list)?,
            _ => assert_refusal(&list, &[(400, Some("invalidValue"))])?,
        }
        let read =
            h.get(&format!("/Users/{}?{}", h.user, query(&[("attributes", &attributes), ("excludedAttributes", &excluded)])));
        match read.status {
            200 => prop_assert_eq!(&read.body["id"], &json!(h.user)),
            _ => assert_refusal(&read, &[(400, Some("invalidValue"))])?,
        }
    });
    h.assert_alive();
}

/// A URL path below the base: an endpoint, maybe followed by a fixture's id, `.search` or an
/// odd segment; or a few odd segments.
fn url_path(ids: Vec<String>) -> impl Strategy<Value = String> {
    let endpoint = select(
        &["Users", "Groups", "Schemas", "ResourceTypes", "ServiceProviderConfig", "Bulk", "Me", ".search", ""][..],
    );
    let odd = prop_oneof![
        select(&["%ff", "%00", "%2F", "..", "", "ünï", ".search"][..]).prop_map(String::from),
        "[^/?#]{0,12}",
    ];
    let next = prop_oneof![2 => select(ids), 1 => odd.clone()];
    prop_oneof![
        4 => (endpoint, prop::option::weighted(0.7, next)).prop_map(|(endpoint, next)| match next {
            Some(next) => format!("/{endpoint}/{next}"),
            None => format!("/{endpoint}"),
        }),
        1 => prop::collection::vec(odd, 1..4).prop_map(|segments| format!("/{}", segments.join("/"))),
    ]
}

/// A query string of SCIM parameters (and others) with generated values.
fn url_query() -> impl Strategy<Value = String> {
    let name = select(
        &["filter", "FILTER", "sortBy", "sortOrder", "attributes", "excludedAttributes", "count", "startIndex", "x"][..],
    );
    let value = prop_oneof![
        filter_text(),
        attr_path(),
        select(&["-1", "0", "1", "99999999999999999999", "ascending", "DESCENDING", "abc", ""][..])
            .prop_map(String::from),
    ];
    prop::collection::vec((name, value), 0..3).prop_map(|pairs| {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (*n, v.as_str())).collect();
        query(&pairs)
    })
}

/// A request body: none, a valid user, a PATCH body, any JSON, or any text.
fn request_body() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        1 => "[a-z]{1,8}".prop_map(|name| Some(json!({"schemas": [urn::USER], "userName": name}).to_string())),
        1 => patch_body().prop_map(|b| Some(b.to_string())),
        1 => any_json().prop_map(|b| Some(b.to_string())),
        1 => any::<String>().prop_map(Some),
    ]
}

#[test]
fn random_requests_get_scim_answers_and_never_a_server_error() {
    let h = Harness::start();
    let method = select(vec![Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::HEAD]);
    let path = url_path(h.ids());
    proptest!(config(HTTP_CASES), |(method in method, path in path, query in url_query(), body in request_body())| {
        let mut request = h.server.request(method.clone(), &format!("{path}?{query}"));
        if let Some(body) = body {
            request = request.body(body);
        }
        let reply = h.send(request);
        prop_assert!(reply.status < 500 || reply.status == 501, "{method} {path}?{query}: {} {:#}", reply.status, reply.body);
        if reply.status >= 400 && method != Method::HEAD {
            assert_refusal(&reply, &[(reply.status, None)])?;
        }
    });
    h.assert_alive();
}

// ---------------------------------------------------------------------------------------------
// Concurrency: 64 clients at once
// ---------------------------------------------------------------------------------------------

/// How many clients write at once.
const CLIENTS: usize = 64;

/// Runs `client(0)` … `client(count - 1)` as Tokio tasks released together by a barrier, and
/// returns their results in client order.
async fn all_at_once<T, F>(count: usize, client: impl Fn(usize) -> F) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let barrier = Arc::new(Barrier::new(count));
    let tasks: Vec<_> = (0..count)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            let request = client(i);
            tokio::spawn(async move {
                barrier.wait().await;
                request.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(count);
    for task in tasks {
        results.push(task.await.expect("the client task completes"));
    }
    results
}

/// The `value`s of a multi-valued attribute, as a set.
fn values(resource: &Value, attribute: &str) -> BTreeSet<String> {
    let elements = resource[attribute].as_array().cloned().unwrap_or_default();
    elements.iter().filter_map(|e| e["value"].as_str()).map(String::from).collect()
}

/// Panics unless listing `endpoint` shows exactly `expected` resources and each one as a read
/// of it shows it (RFC 7644 §3.4.2: a list holds the same representations as reads).
async fn assert_list_agrees_with_reads(t: &TestServer, endpoint: &str, expected: usize) {
    let list = t.get(&format!("{endpoint}?count=200")).await.expect(200).body;
    assert_eq!(list["totalResults"], json!(expected), "{endpoint}: {list:#}");
    for listed in list["Resources"].as_array().expect("a list has Resources") {
        let read = t.get(&format!("{endpoint}/{}", id(listed))).await.expect(200).body;
        assert_eq!(listed, &read, "{endpoint}: the list and a read of {} differ", id(listed));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_adds_to_one_user_and_one_group_lose_none() {
    let t = Arc::new(TestServer::start().await);
    let shared = id(&t.create_user("shared").await);
    let group = id(&t.create_group("Crowd", &[]).await);
    let mut members = Vec::new();
    for i in 0..CLIENTS {
        members.push(id(&t.create_user(&format!("member{i}")).await));
    }
    let members = Arc::new(members);

    let statuses = all_at_once(CLIENTS, |i| {
        let (t, shared, group, members) = (Arc::clone(&t), shared.clone(), group.clone(), Arc::clone(&members));
        async move {
            let email = json!([{"op": "add", "path": "emails", "value": [{"value": format!("c{i}@example.com")}]}]);
            let member = json!([{"op": "add", "path": "members", "value": [{"value": members[i]}]}]);
            let (user, group) = (format!("/Users/{shared}"), format!("/Groups/{group}"));
            let (a, b) = tokio::join!(t.patch(&user, &email), t.patch(&group, &member));
            (a.status, b.status)
        }
    })
    .await;

    assert!(statuses.iter().all(|&s| s == (200, 200)), "{statuses:?}");
    let user = t.get(&format!("/Users/{shared}")).await.expect(200).body;
    let expected: BTreeSet<String> = (0..CLIENTS).map(|i| format!("c{i}@example.com")).collect();
    assert_eq!(values(&user, "emails"), expected, "every client's email is there");
    let crowd = t.get(&format!("/Groups/{group}")).await.expect(200).body;
    assert_eq!(values(&crowd, "members"), members.iter().cloned().collect(), "every client's member is there");
    for member in members.iter() {
        let user = t.get(&format!("/Users/{member}")).await.expect(200).body;
        assert_eq!(values(&user, "groups"), BTreeSet::from([group.clone()]), "{member} lists its group");
    }
    assert_list_agrees_with_reads(&t, "/Users", CLIENTS + 1).await;
    assert_list_agrees_with_reads(&t, "/Groups", 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_one_user_name_make_exactly_one_user() {
    let t = Arc::new(TestServer::start().await);
    // userName is unique case-insensitively (RFC 7643 §4.1.1), so the clients vary the case.
    let replies = all_at_once(CLIENTS, |i| {
        let t = Arc::clone(&t);
        let name: String = "contested"
            .chars()
            .enumerate()
            .map(|(b, c)| if i >> b & 1 == 1 { c.to_ascii_uppercase() } else { c })
            .collect();
        async move { t.post("/Users", &json!({"schemas": [urn::USER], "userName": name})).await }
    })
    .await;

    let created: Vec<&Reply> = replies.iter().filter(|r| r.status == 201).collect();
    assert_eq!(created.len(), 1, "exactly one client creates the user");
    for reply in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(reply.status, 409, "{:#}", reply.body);
        assert_eq!(reply.scim_type(), Some("uniqueness"), "{:#}", reply.body);
    }
    let found = t.get(&format!("/Users?{}", query(&[("filter", r#"userName eq "CONTESTED""#)]))).await.expect(200).body;
    assert_eq!(found["totalResults"], 1);
    assert_eq!(found["Resources"][0]["id"], created[0].body["id"]);
    assert_list_agrees_with_reads(&t, "/Users", 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_writers_holding_one_version_exactly_one_wins() {
    let t = Arc::new(TestServer::start().await);
    let user = t.create_user("versioned").await;
    let path = format!("/Users/{}", id(&user));
    let version = user["meta"]["version"].as_str().expect("a version").to_string();

    let replies = all_at_once(CLIENTS, |i| {
        let (t, path, version) = (Arc::clone(&t), path.clone(), version.clone());
        async move {
            let body = json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": format!("writer {i}")}]});
            TestServer::send(t.request(Method::PATCH, &path).header("if-match", version).body(body.to_string())).await
        }
    })
    .await;

    let winners: Vec<usize> = (0..CLIENTS).filter(|&i| replies[i].status == 200).collect();
    assert_eq!(winners.len(), 1, "exactly one write applies to version {version}");
    for reply in replies.iter().filter(|r| r.status != 200) {
        assert_eq!(reply.status, 412, "{:#}", reply.body);
        assert_eq!(reply.body["schemas"], json!([urn::ERROR]), "{:#}", reply.body);
    }
    let stored = t.get(&path).await.expect(200).body;
    assert_eq!(stored["title"], json!(format!("writer {}", winners[0])));
    assert_ne!(stored["meta"]["version"], json!(version));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn read_modify_write_with_if_match_counts_every_increment() {
    let t = Arc::new(TestServer::start().await);
    let user =
        t.post("/Users", &json!({"schemas": [urn::USER], "userName": "counter", "title": "0"})).await.expect(201);
    let path = format!("/Users/{}", id(&user.body));

    let attempts = all_at_once(CLIENTS, |_| {
        let (t, path) = (Arc::clone(&t), path.clone());
        async move {
            for attempt in 1.. {
                let current = t.get(&path).await.expect(200);
                let count: u32 = current.body["title"].as_str().and_then(|c| c.parse().ok()).expect("a count");
                let etag = current.header("etag").expect("an ETag").to_string();
                let body = json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "replace", "path": "title", "value": (count + 1).to_string()}]});
                let reply =
                    TestServer::send(t.request(Method::PATCH, &path).header("if-match", etag).body(body.to_string())).await;
                match reply.status {
                    200 => return attempt,
                    412 => continue,
                    other => panic!("{other}: {:#}", reply.body),
                }
            }
            unreachable!("the loop returns")
        }
    })
    .await;

    let stored = t.get(&path).await.expect(200).body;
    assert_eq!(stored["title"], json!(CLIENTS.to_string()), "no increment was lost");
    assert!(attempts.iter().any(|&a| a > 1), "the clients did contend: {attempts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn members_added_and_deleted_at_once_leave_consistent_groups() {
    let t = Arc::new(TestServer::start().await);
    let group = id(&t.create_group("Churn", &[]).await);
    let mut users = Vec::new();
    for i in 0..CLIENTS {
        users.push(id(&t.create_user(&format!("churn{i}")).await));
    }
    let users = Arc::new(users);

    // Every client adds its user; every odd one's user is deleted at the same time.
    let add = |i: usize| {
        let (t, group, users) = (Arc::clone(&t), group.clone(), Arc::clone(&users));
        async move {
            let ops = json!([{"op": "add", "path": "members", "value": [{"value": users[i]}]}]);
            t.patch(&format!("/Groups/{group}"), &ops).await
        }
    };
    let delete = |i: usize| {
        let (t, users) = (Arc::clone(&t), Arc::clone(&users));
        async move { t.delete(&format!("/Users/{}", users[2 * i + 1])).await.status }
    };
    let (added, deleted) = tokio::join!(all_at_once(CLIENTS, add), all_at_once(CLIENTS / 2, delete));

    assert!(deleted.iter().all(|&s| s == 204), "{deleted:?}");
    for (i, reply) in added.iter().enumerate() {
        match (i % 2, reply.status) {
            (0, 200) | (1, 200) => {}
            // The user was deleted before the add: a member must exist (RFC 7643 §4.2).
            (1, 400) => assert_eq!(reply.scim_type(), Some("invalidValue"), "{:#}", reply.body),
            _ => panic!("add {i}: {} {:#}", reply.status, reply.body),
        }
    }
    let churn = t.get(&format!("/Groups/{group}")).await.expect(200).body;
    let survivors: BTreeSet<String> = users.iter().step_by(2).cloned().collect();
    assert_eq!(values(&churn, "members"), survivors, "the group holds exactly the users that still exist");
    for survivor in &survivors {
        let user = t.get(&format!("/Users/{survivor}")).await.expect(200).body;
        assert_eq!(values(&user, "groups"), BTreeSet::from([group.clone()]));
    }
    assert_list_agrees_with_reads(&t, "/Users", CLIENTS / 2).await;
    assert_list_agrees_with_reads(&t, "/Groups", 1).await;
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn deeply_nested_filters_are_invalid_filter_not_a_stack_overflow() {
    let t = TestServer::start().await;
    t.create_user("bjensen").await;
    let nested =
        |open: &str, close: &str, depth: usize| format!("{}userName pr{}", open.repeat(depth), close.repeat(depth));
    for depth in [MAX_DEPTH + 1, 1_000, 10_000] {
        for filter in [
            nested("(", ")", depth),
            nested("not(", ")", depth),
            nested("not (", ")", depth),
            nested("(not(", "))", depth / 2 + 1),
            format!("{}type eq \"work\"{}", "emails[".repeat(depth), "]".repeat(depth)),
        ] {
            let reply = t.post("/Users/.search", &search(&filter)).await.expect_error(400, Some("invalidFilter"));
            let why = if filter.chars().count() > MAX_LENGTH { "longer than" } else { "nest" };
            assert!(
                reply.detail().contains(why),
                "{:.100}…: {}",
                filter,
                reply.detail().rsplit(": ").next().unwrap_or_default()
            );
            if depth <= 1_000 {
                t.get(&format!("/Users?{}", query(&[("filter", &filter)])))
                    .await
                    .expect_error(400, Some("invalidFilter"));
            }
        }
    }
    let deepest = nested("not (", ")", MAX_DEPTH);
    let found = t.post("/Users/.search", &search(&deepest)).await.expect(200).body;
    assert_eq!(found["totalResults"], 1, "an even number of nots is no negation");
}

#[tokio::test]
async fn filters_and_paths_past_the_length_limit_are_refused_by_name() {
    let t = TestServer::start().await;
    let user = format!("/Users/{}", id(&t.create_user("bjensen").await));
    let value = "x".repeat(MAX_LENGTH);

    let fits = format!(r#"userName eq "{}""#, &value[14..]);
    assert_eq!(fits.chars().count(), MAX_LENGTH);
    assert_eq!(t.post("/Users/.search", &search(&fits)).await.expect(200).body["totalResults"], 0);
    let long = format!("{fits} ");
    let reply = t.post("/Users/.search", &search(&long)).await.expect_error(400, Some("invalidFilter"));
    assert!(reply.detail().contains(&format!("longer than {MAX_LENGTH} characters")), "{:.200}", reply.detail());

    let path = format!(r#"emails[value eq "{value}"]"#);
    let reply = t.patch(&user, &json!([{"op": "remove", "path": path}])).await.expect_error(400, Some("invalidPath"));
    assert!(reply.detail().contains("longer than"), "{:.200}", reply.detail());
    let sort = json!({"schemas": [urn::SEARCH_REQUEST], "sortBy": format!("{value}y")});
    t.post("/Users/.search", &sort).await.expect_error(400, Some("invalidValue"));

    // Long names under the limits are read in time proportional to their length.
    let name = "a".repeat(MAX_BODY_BYTES / 2);
    t.post("/Users", &json!({"schemas": [urn::USER], "userName": "long", name.clone(): 1}))
        .await
        .expect_error(400, Some("invalidValue"));
    t.patch(&user, &json!([{"op": "replace", "value": {name: 1}}])).await.expect_error(400, Some("invalidPath"));
    t.patch(&user, &json!([{"op": "replace", "path": "a".repeat(MAX_LENGTH), "value": 1}]))
        .await
        .expect_error(400, Some("invalidPath"));
}

/// Sends `request` as raw bytes on a fresh connection and returns the status line's code, the
/// `Content-Type` and the body (the server closes the connection after answering).
async fn raw_exchange(t: &TestServer, request: &[u8]) -> (u16, String, Vec<u8>) {
    let mut stream = tokio::net::TcpStream::connect(t.server.addr()).await.expect("the server accepts");
    // The server may answer and close before reading everything; the answer is what counts.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
    let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status line");
    let content_type =
        head.lines().find_map(|l| l.strip_prefix("content-type:")).map(str::trim).unwrap_or_default().to_string();
    (status, content_type, answer[split + 4..].to_vec())
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_a_scim_413() {
    let t = TestServer::start().await;
    // No Content-Length: the limit is enforced while reading.
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
    let chunks = chunk.repeat(MAX_BODY_BYTES / (64 * 1024) + 1);
    let request = format!(
        "POST /scim/v2/Users HTTP/1.1\r\nHost: scimsim\r\nAuthorization: Bearer {}\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunks}0\r\n\r\n",
        t.server.token()
    );
    let (status, content_type, body) = raw_exchange(&t, request.as_bytes()).await;
    assert_eq!((status, content_type.as_str()), (413, "application/scim+json"));
    let body: Value = serde_json::from_slice(&body).expect("a JSON body");
    assert_eq!((&body["schemas"], &body["status"]), (&json!([urn::ERROR]), &json!("413")), "{body:#}");
    t.get("/Users").await.expect(200);
}

#[tokio::test]
async fn a_url_past_the_http_limit_is_refused_before_scim() {
    let t = TestServer::start().await;
    let request = format!(
        "GET /scim/v2/Users?filter=userName%20eq%20%22{}%22 HTTP/1.1\r\nHost: scimsim\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        "x".repeat(100_000),
        t.server.token()
    );
    // hyper answers 414 itself; POST /.search carries filters up to MAX_LENGTH instead.
    let (status, _, _) = raw_exchange(&t, request.as_bytes()).await;
    assert_eq!(status, 414);
    t.get("/Users").await.expect(200);
}

#[tokio::test]
async fn json_nested_to_the_parser_limit_inside_values_is_refused() {
    let t = TestServer::start().await;
    let user = format!("/Users/{}", id(&t.create_user("bjensen").await));
    // serde_json refuses to nest deeper than 128; just under that, the value reaches the schema
    // checks, PATCH application and filter parsing.
    let deep = |depth: usize| -> Value { (0..depth).fold(json!("x"), |inner, _| json!([inner])) };
    let value = deep(120);
    t.post("/Users", &json!({"schemas": [urn::USER], "userName": "deep", "emails": value}))
        .await
        .expect_error(400, Some("invalidValue"));
    t.put(&user, &json!({"schemas": [urn::USER], "userName": "bjensen", "title": value}))
        .await
        .expect_error(400, Some("invalidValue"));
    t.patch(&user, &json!([{"op": "add", "path": "emails", "value": value}]))
        .await
        .expect_error(400, Some("invalidValue"));
    t.patch(&user, &json!([{"op": "replace", "value": {"name": {"givenName": value}}}]))
        .await
        .expect_error(400, Some("invalidValue"));
    t.patch(&user, &json!([{"op": "add", "path": value}])).await.expect_error(400, Some("invalidPath"));
    let search = json!({"schemas": [urn::SEARCH_REQUEST], "filter": value});
    t.post("/Users/.search", &search).await.expect_error(400, Some("invalidValue"));
    // One level deeper than serde_json reads is a syntax error.
    let body = json!({"schemas": [urn::USER], "userName": "deeper", "emails": deep(130)});
    t.post("/Users", &body).await.expect_error(400, Some("invalidSyntax"));
    assert_eq!(t.get(&user).await.expect(200).body["userName"], "bjensen");
}

#[tokio::test]
async fn a_path_as_long_as_a_non_ascii_extension_urn_is_refused_not_a_crash() {
    let schema = Schema::from_json(r#"{"id": "urn:acmé:User", "attributes": [{"name": "badge"}]}"#).expect("a schema");
    let t = TestServer::with_config(ServerConfig {
        extensions: vec![Extension::new("User", schema)],
        ..ServerConfig::default()
    })
    .await;
    let user = format!("/Users/{}", id(&t.create_user("bjensen").await));
    // "urn:abcd" ends inside the "é" of "urn:acmé:User", which has the same length as
    // "urn:abcd:Users": comparing them byte-sliced the URN mid-character.
    t.patch(&user, &json!([{"op": "add", "path": "urn:abcd:Users", "value": {"badge": "1"}}]))
        .await
        .expect_error(400, Some("invalidPath"));
    t.get(&format!("/Users?{}", query(&[("filter", "urn:abcd:Users pr")])))
        .await
        .expect_error(400, Some("invalidFilter"));
    let badge = json!([{"op": "add", "value": {"urn:acmé:User": {"badge": "1"}}}]);
    assert_eq!(t.patch(&user, &badge).await.expect(200).body["urn:acmé:User"]["badge"], "1");
}
