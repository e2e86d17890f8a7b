//! A small fake SCIM target on wiremock for the IdP wire tests: it stores what is created,
//! answers filters it was told to answer, records every request step by step, refuses
//! anything unexpected, and compares a story's requests with an insta snapshot.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use scimsim::scim::urn;
use serde_json::{Map, Value, json};
use wiremock::matchers::{any, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The path of the SCIM base URL on the fake target; IdPs append `/Users` and `/Groups`.
pub const BASE: &str = "/scim";

/// What the fake target holds: resources by path relative to the base (`/Users/u-alice`),
/// the filter queries that find something, by collection and decoded filter, and whether a
/// PATCH changes what it holds.
#[derive(Default)]
struct Store {
    resources: BTreeMap<String, Map<String, Value>>,
    hits: HashMap<(String, String), String>,
    merge_patches: bool,
}

type Shared = Arc<Mutex<Store>>;

fn lock(store: &Shared) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A SCIM response with `body`.
fn scim(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/scim+json")
}

/// A deterministic id fragment: lower-case letters and digits, the rest `-`.
fn slug(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// `GET /{collection}?filter=…`: a ListResponse with the configured hit, or none. Without a
/// filter: the page `startIndex`/`count` (1-based) of every resource of the collection, in
/// path order.
fn list(store: &Shared, request: &Request, collection: &str) -> ResponseTemplate {
    let query = |key: &str| request.url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    let number = |key: &str| query(key).and_then(|v| v.parse::<usize>().ok());
    let store = lock(store);
    let (total, start, page): (usize, usize, Vec<Value>) = match query("filter") {
        Some(filter) => {
            let hits: Vec<Value> = store
                .hits
                .get(&(collection.to_string(), filter))
                .and_then(|resource| store.resources.get(resource))
                .map(|r| Value::Object(r.clone()))
                .into_iter()
                .collect();
            (hits.len(), 1, hits)
        }
        None => {
            let prefix = format!("/{collection}/");
            let all: Vec<&Map<String, Value>> =
                store.resources.iter().filter(|(key, _)| key.starts_with(&prefix)).map(|(_, r)| r).collect();
            let start = number("startIndex").unwrap_or(1).max(1);
            let count = number("count").unwrap_or(all.len());
            let page = all.iter().skip(start - 1).take(count).map(|r| Value::Object((*r).clone())).collect();
            (all.len(), start, page)
        }
    };
    scim(
        200,
        &json!({
            "schemas": [urn::LIST_RESPONSE],
            "totalResults": total,
            "Resources": page,
            "startIndex": start,
            "itemsPerPage": page.len(),
        }),
    )
}

/// `POST /Users` and `POST /Groups`: 201 with the body echoed after an `id` made from the
/// `userName` (`u-alice`) or `displayName` (`g-sales`); a `password` is kept by no one and
/// never returned (RFC 7643 §4.1.1).
fn create(store: &Shared, request: &Request, collection: &str) -> ResponseTemplate {
    let Ok(body) = request.body_json::<Map<String, Value>>() else {
        return scim(400, &json!({"schemas": [urn::ERROR], "status": "400", "detail": "not a JSON object"}));
    };
    let id = match collection {
        "Users" => {
            let user_name = body.get("userName").and_then(Value::as_str).unwrap_or("unnamed");
            format!("u-{}", slug(user_name.split('@').next().unwrap_or_default()))
        }
        _ => format!("g-{}", slug(body.get("displayName").and_then(Value::as_str).unwrap_or("unnamed"))),
    };
    let mut resource = Map::new();
    resource.insert("id".into(), json!(id));
    resource.extend(body);
    resource.remove("password");
    if collection == "Groups" {
        resource.entry("members").or_insert_with(|| json!([]));
    }
    lock(store).resources.insert(format!("/{collection}/{id}"), resource.clone());
    scim(201, &Value::Object(resource))
}

/// `GET /Users/{id}` and `GET /Groups/{id}`: what the store holds, `members` left out when
/// `excludedAttributes=members` asks for it.
fn read(store: &Shared, request: &Request) -> ResponseTemplate {
    let key = request.url.path().strip_prefix(BASE).unwrap_or_default();
    let Some(mut resource) = lock(store).resources.get(key).cloned() else {
        return scim(404, &json!({"schemas": [urn::ERROR], "status": "404", "detail": "no such resource"}));
    };
    if request.url.query_pairs().any(|(k, v)| k == "excludedAttributes" && v == "members") {
        resource.remove("members");
    }
    scim(200, &Value::Object(resource))
}

/// `PUT /Users/{id}` and `PUT /Groups/{id}`: the body replaces what the store holds (its `id`
/// kept) and comes back with 200; 404 for an unknown resource.
fn replace(store: &Shared, request: &Request) -> ResponseTemplate {
    let key = request.url.path().strip_prefix(BASE).unwrap_or_default().to_string();
    let Ok(body) = request.body_json::<Map<String, Value>>() else {
        return scim(400, &json!({"schemas": [urn::ERROR], "status": "400", "detail": "not a JSON object"}));
    };
    let mut store = lock(store);
    let Some(stored) = store.resources.get_mut(&key) else {
        return scim(404, &json!({"schemas": [urn::ERROR], "status": "404", "detail": "no such resource"}));
    };
    let id = stored.get("id").cloned().unwrap_or(Value::Null);
    *stored = body;
    stored.insert("id".into(), id);
    stored.remove("password");
    scim(200, &Value::Object(stored.clone()))
}

/// A wiremock target that fails the test, when dropped, on any request no other mock answers
/// (rust-style-anchors §4.3).
pub async fn mock_target() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599))
        .with_priority(u8::MAX)
        .expect(0)
        .named("catch-all: no unexpected request")
        .mount(&server)
        .await;
    server
}

/// A 200 ListResponse of `resources`, all on one page.
pub fn list_response(resources: &[Value]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "schemas": [urn::LIST_RESPONSE],
        "totalResults": resources.len(),
        "Resources": resources,
        "startIndex": 1,
        "itemsPerPage": resources.len(),
    }))
}

/// A SCIM Error with `status` (written as a string) and `detail`.
pub fn scim_error(status: u16, detail: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "schemas": [urn::ERROR],
        "status": status.to_string(),
        "detail": detail,
    }))
}

/// `PATCH /Users/{id}` and `PATCH /Groups/{id}`: 204. When the target merges patches, each
/// path-less `replace` first writes its value object's keys over the stored resource; other
/// operations leave it as it is.
fn answer_patch(store: &Shared, request: &Request) -> ResponseTemplate {
    let mut store = lock(store);
    if !store.merge_patches {
        return ResponseTemplate::new(204);
    }
    let key = request.url.path().strip_prefix(BASE).unwrap_or_default().to_string();
    let Ok(body) = request.body_json::<Value>() else {
        return scim(400, &json!({"schemas": [urn::ERROR], "status": "400", "detail": "not JSON"}));
    };
    let Some(stored) = store.resources.get_mut(&key) else {
        return scim(404, &json!({"schemas": [urn::ERROR], "status": "404", "detail": "no such resource"}));
    };
    let operations = body["Operations"].as_array().into_iter().flatten();
    for operation in operations.filter(|o| o["op"] == "replace" && o.get("path").is_none()) {
        if let Some(value) = operation["value"].as_object() {
            stored.extend(value.clone());
        }
    }
    ResponseTemplate::new(204)
}

/// Turns a received request into its snapshot form (and checks the IdP's own headers).
type Record = Arc<dyn Fn(&Request) -> Value + Send + Sync>;

/// A fake SCIM target that records what it receives, and the story's steps so far.
pub struct FakeTarget {
    pub server: MockServer,
    store: Shared,
    /// How many received requests earlier steps took.
    taken: usize,
    /// The steps recorded so far: `{"step": …, "requests": […]}`.
    steps: Vec<Value>,
    /// How a received request is recorded (and its IdP-specific headers checked).
    record: Record,
}

impl FakeTarget {
    /// A fake target under `{uri}/scim`; `record` turns each received request into its
    /// snapshot form.
    pub async fn start(record: impl Fn(&Request) -> Value + Send + Sync + 'static) -> Self {
        let server = mock_target().await;
        let store = Shared::default();
        for collection in ["Users", "Groups"] {
            let collection_path = format!("{BASE}/{collection}");
            let member_path = format!(r"^{BASE}/{collection}/[^/]+$");
            let s = store.clone();
            Mock::given(method("GET"))
                .and(path(collection_path.clone()))
                .respond_with(move |r: &Request| list(&s, r, collection))
                .named(format!("GET /{collection}?filter"))
                .mount(&server)
                .await;
            let s = store.clone();
            Mock::given(method("POST"))
                .and(path(collection_path))
                .respond_with(move |r: &Request| create(&s, r, collection))
                .named(format!("POST /{collection}"))
                .mount(&server)
                .await;
            let s = store.clone();
            Mock::given(method("GET"))
                .and(path_regex(member_path.clone()))
                .respond_with(move |r: &Request| read(&s, r))
                .named(format!("GET /{collection}/{{id}}"))
                .mount(&server)
                .await;
            let s = store.clone();
            Mock::given(method("PUT"))
                .and(path_regex(member_path.clone()))
                .respond_with(move |r: &Request| replace(&s, r))
                .named(format!("PUT /{collection}/{{id}}"))
                .mount(&server)
                .await;
            let s = store.clone();
            Mock::given(method("PATCH"))
                .and(path_regex(member_path.clone()))
                .respond_with(move |r: &Request| answer_patch(&s, r))
                .named(format!("PATCH /{collection}/{{id}}"))
                .mount(&server)
                .await;
            let s = store.clone();
            Mock::given(method("DELETE"))
                .and(path_regex(member_path))
                .respond_with(move |r: &Request| {
                    lock(&s).resources.remove(r.url.path().strip_prefix(BASE).unwrap_or_default());
                    ResponseTemplate::new(204)
                })
                .named(format!("DELETE /{collection}/{{id}}"))
                .mount(&server)
                .await;
        }
        Self { server, store, taken: 0, steps: Vec::new(), record: Arc::new(record) }
    }

    /// From now on a PATCH changes the stored resource: path-less `replace` values are merged
    /// into it, as the app would apply them.
    pub fn merge_patches(&self) {
        lock(&self.store).merge_patches = true;
    }

    /// Edits a stored resource, as the target's own state would have changed.
    pub fn edit(&self, resource: &str, edit: impl FnOnce(&mut Map<String, Value>)) {
        let mut store = lock(&self.store);
        let stored = store.resources.get_mut(resource).unwrap_or_else(|| panic!("the target holds no {resource}"));
        edit(stored);
    }

    /// Stores `resource` under `/{collection}/{id}`, as if the app had it already.
    pub fn store(&self, collection: &str, resource: Value) {
        let Value::Object(resource) = resource else { panic!("a resource is an object") };
        let id = resource["id"].as_str().expect("the resource has an id");
        let key = format!("/{collection}/{id}");
        lock(&self.store).resources.insert(key, resource);
    }

    /// Makes `filter` on the collection find the stored resource with `id`.
    pub fn found_by(&self, collection: &str, filter: &str, id: &str) {
        let key = format!("/{collection}/{id}");
        lock(&self.store).hits.insert((collection.to_string(), filter.to_string()), key);
    }

    /// Stores `resource` under `/{collection}/{id}` and makes `filter` on the collection find it.
    pub fn hit(&self, collection: &str, filter: &str, resource: Value) {
        let id = resource["id"].as_str().expect("the resource has an id").to_string();
        self.store(collection, resource);
        self.found_by(collection, filter, &id);
    }

    /// The requests received since the last step, recorded as step `label`.
    pub async fn step(&mut self, label: &str) -> Vec<Request> {
        let all = self.server.received_requests().await.expect("request recording is on");
        let new = all[self.taken..].to_vec();
        self.taken = all.len();
        let requests: Vec<Value> = new.iter().map(|request| (self.record)(request)).collect();
        self.steps.push(json!({"step": label, "requests": requests}));
        new
    }

    /// Checks that nothing unexpected arrived and compares the story's requests with the
    /// snapshot `snapshots/<dir>/<name>.snap`.
    pub async fn finish(mut self, dir: &str, name: &str) {
        let rest = self.step("(after the last step)").await;
        assert!(rest.is_empty(), "requests after the last step: {rest:?}");
        self.steps.pop();
        self.server.verify().await;
        let steps = Value::Array(std::mem::take(&mut self.steps));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(format!("{}/snapshots/{dir}", env!("CARGO_MANIFEST_DIR")));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_json_snapshot!(name, steps));
    }
}

/// The headers of `request` by lower-case name, without the volatile `host` and
/// `content-length` nor the `dropped` ones; a header sent twice fails.
pub fn headers(request: &Request, dropped: &[&str]) -> BTreeMap<String, String> {
    let mut headers = BTreeMap::new();
    for (name, value) in &request.headers {
        if matches!(name.as_str(), "host" | "content-length") || dropped.contains(&name.as_str()) {
            continue;
        }
        let value = value.to_str().expect("header values are text").to_string();
        assert!(headers.insert(name.as_str().to_string(), value).is_none(), "{name} sent twice");
    }
    headers
}

/// A received request as a snapshot holds it: method, path, raw query, `headers`, and the
/// body parsed with its key order (`null` when there is none).
pub fn recorded(request: &Request, headers: BTreeMap<String, String>) -> Value {
    let body = if request.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&request.body).expect("request bodies are JSON")
    };
    json!({
        "method": request.method.as_str(),
        "path": request.url.path(),
        "query": request.url.query(),
        "headers": headers,
        "body": body,
    })
}

/// A PatchOp request body with `operations`.
pub fn patch(operations: Value) -> Value {
    json!({"schemas": [urn::PATCH_OP], "Operations": operations})
}

/// Fails when `value` holds a `null` anywhere, saying where and `why` there must be none.
#[track_caller]
pub fn assert_no_nulls(value: &Value, why: &str) {
    fn null_at(value: &Value, at: &str) -> Option<String> {
        match value {
            Value::Null => Some(at.to_string()),
            Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| null_at(v, &format!("{at}[{i}]"))),
            Value::Object(fields) => fields.iter().find_map(|(k, v)| null_at(v, &format!("{at}.{k}"))),
            _ => None,
        }
    }
    if let Some(at) = null_at(value, "$") {
        panic!("{why}: null at {at}");
    }
}

pub fn body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

pub fn raw_body(request: &Request) -> &str {
    std::str::from_utf8(&request.body).expect("a UTF-8 body")
}

/// `METHOD /path?query` of each request.
pub fn lines(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| match r.url.query() {
            Some(q) => format!("{} {}?{q}", r.method, r.url.path()),
            None => format!("{} {}", r.method, r.url.path()),
        })
        .collect()
}
