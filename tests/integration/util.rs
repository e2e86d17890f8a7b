//! A reference server per test and a small HTTP client for it.

use reqwest::Method;
use reqwest::header::HeaderMap;
use scimsim::scim::urn;
use scimsim::server::{RunningServer, ServerConfig, spawn};
use serde_json::{Value, json};

/// A running reference server and a client that authenticates to it.
pub struct TestServer {
    pub server: RunningServer,
    client: reqwest::Client,
}

/// One HTTP response: status, headers and the body as JSON (`Value::Null` when empty).
/// Building it checks that any body is `application/scim+json` JSON, so every test also
/// checks the server's media type.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Panics with the body when the status is not `status`.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(self.status, status, "unexpected status; body: {:#}", self.body);
        self
    }

    /// The SCIM error's `scimType`.
    pub fn scim_type(&self) -> Option<&str> {
        self.body.get("scimType").and_then(Value::as_str)
    }

    /// The SCIM error's `detail`.
    pub fn detail(&self) -> &str {
        self.body.get("detail").and_then(Value::as_str).unwrap_or_default()
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Panics unless this is a SCIM error with `status` and `scim_type` (RFC 7644 §3.12),
    /// `status` written as a string.
    #[track_caller]
    pub fn expect_error(self, status: u16, scim_type: Option<&str>) -> Self {
        let reply = self.expect(status);
        assert_eq!(reply.body["schemas"], json!([urn::ERROR]), "{:#}", reply.body);
        assert_eq!(reply.body["status"], json!(status.to_string()), "{:#}", reply.body);
        assert_eq!(reply.scim_type(), scim_type, "{:#}", reply.body);
        assert!(!reply.detail().is_empty(), "errors say what is wrong: {:#}", reply.body);
        reply
    }
}

impl TestServer {
    /// A server with the default configuration on 127.0.0.1:0.
    pub async fn start() -> Self {
        Self::with_config(ServerConfig::default()).await
    }

    /// A server with `config` (its address is forced to 127.0.0.1:0).
    pub async fn with_config(config: ServerConfig) -> Self {
        let config = ServerConfig { addr: "127.0.0.1:0".parse().unwrap(), ..config };
        let server = spawn(config).await.expect("the reference server starts");
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        Self { server, client }
    }

    /// The absolute URL of `path` under the SCIM base, e.g. `/Users`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    /// A request with the bearer token and a SCIM content type already set.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(self.server.token())
            .header("content-type", "application/scim+json")
    }

    /// A request with nothing set (for auth and content-type tests).
    pub fn bare(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// Sends `request` and reads the reply.
    pub async fn send(request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("the body arrives");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(
                content_type.starts_with("application/scim+json"),
                "status {status}: content-type {content_type:?}"
            );
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("status {status}: body is not JSON ({e}): {bytes:?}"))
        };
        Reply { status, headers, body }
    }

    pub async fn get(&self, path: &str) -> Reply {
        Self::send(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        Self::send(self.request(Method::POST, path).body(body.to_string())).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        Self::send(self.request(Method::PUT, path).body(body.to_string())).await
    }

    pub async fn patch(&self, path: &str, operations: &Value) -> Reply {
        let body = json!({"schemas": [urn::PATCH_OP], "Operations": operations});
        Self::send(self.request(Method::PATCH, path).body(body.to_string())).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        Self::send(self.request(Method::DELETE, path)).await
    }

    /// Creates a user with `userName` and returns its representation.
    pub async fn create_user(&self, user_name: &str) -> Value {
        self.post("/Users", &json!({"schemas": [urn::USER], "userName": user_name})).await.expect(201).body
    }

    /// Creates a group with `displayName` and the given member ids, and returns it.
    pub async fn create_group(&self, display_name: &str, members: &[&str]) -> Value {
        let members: Vec<Value> = members.iter().map(|id| json!({"value": id})).collect();
        let body = json!({"schemas": [urn::GROUP], "displayName": display_name, "members": members});
        self.post("/Groups", &body).await.expect(201).body
    }
}

/// Source attributes for a directory object, from name-value pairs.
pub fn attrs(pairs: &[(&str, Value)]) -> std::collections::BTreeMap<String, Value> {
    pairs.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect()
}

/// The `id` of a resource representation.
pub fn id(resource: &Value) -> String {
    resource["id"].as_str().expect("resources carry an id").to_string()
}
