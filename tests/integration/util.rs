//! A reference server per test and a small HTTP client for it, and a raw TCP server for
//! answers no HTTP library gives.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::Method;
use reqwest::header::HeaderMap;
use scimsim::scim::urn;
use scimsim::server::{RunningServer, ServerConfig, spawn};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

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

/// The SCIM server a provisioning story runs against: the embedded reference server, or the
/// one `SCIMSIM_TARGET_URL` and `SCIMSIM_TOKEN` name (a staging tenant). Every name a story
/// creates goes through [`StoryTarget::name`], so runs never collide with what the target
/// already holds.
pub struct StoryTarget {
    pub url: String,
    pub token: String,
    http: reqwest::Client,
    /// Keeps the embedded server running when no external target is named.
    _embedded: Option<TestServer>,
    /// Prepended to every name a story creates.
    prefix: String,
}

impl StoryTarget {
    pub async fn new() -> Self {
        match (std::env::var("SCIMSIM_TARGET_URL"), std::env::var("SCIMSIM_TOKEN")) {
            (Ok(url), Ok(token)) => Self::at(url, token, None),
            _ => Self::embedded().await,
        }
    }

    /// The embedded reference server, whatever the environment names (for tests that rely on
    /// its being correct).
    pub async fn embedded() -> Self {
        let server = TestServer::start().await;
        Self::at(server.server.url().to_string(), server.server.token().to_string(), Some(server))
    }

    fn at(url: String, token: String, embedded: Option<TestServer>) -> Self {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let prefix = format!("scimsim{}x{nanos:x}-", std::process::id());
        Self { url, token, http, _embedded: embedded, prefix }
    }

    /// A name unique to this run.
    pub fn name(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    pub async fn get(&self, path_and_query: &str) -> Value {
        let response =
            self.http.get(format!("{}{path_and_query}", self.url)).bearer_auth(&self.token).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "GET {path_and_query}");
        response.json().await.unwrap()
    }

    /// The first resource of `endpoint` whose `attribute` equals `value`.
    pub async fn find(&self, endpoint: &str, attribute: &str, value: &str) -> Option<Value> {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("filter", &format!("{attribute} eq \"{value}\""))
            .finish();
        let list = self.get(&format!("{endpoint}?{query}")).await;
        list["Resources"].as_array().and_then(|r| r.first().cloned())
    }

    pub async fn user(&self, user_name: &str) -> Option<Value> {
        self.find("/Users", "userName", user_name).await
    }

    pub async fn group(&self, display_name: &str) -> Option<Value> {
        self.find("/Groups", "displayName", display_name).await
    }

    /// The `userName`s of a group's members, sorted.
    pub async fn member_names(&self, group: &Value) -> Vec<String> {
        let mut names = Vec::new();
        for member in group["members"].as_array().cloned().unwrap_or_default() {
            let user = self.get(&format!("/Users/{}", member["value"].as_str().unwrap())).await;
            names.push(user["userName"].as_str().unwrap().to_string());
        }
        names.sort();
        names
    }

    /// Deletes whatever is still linked, groups first.
    pub async fn clean_up(&self, links: &scimsim::idp::link::Links) {
        let mut links: Vec<_> = links.iter().collect();
        links.sort_by_key(|l| l.kind == scimsim::idp::directory::ObjectKind::User);
        for link in links {
            let endpoint = if link.kind == scimsim::idp::directory::ObjectKind::User { "Users" } else { "Groups" };
            let url = format!("{}/{endpoint}/{}", self.url, link.target_id);
            self.http.delete(url).bearer_auth(&self.token).send().await.unwrap();
        }
    }
}

/// The method and path of every request in a transcript, ids replaced by `{id}`.
pub fn sent(transcript: &scimsim::transcript::Transcript) -> Vec<String> {
    transcript
        .iter()
        .map(|e| {
            let path = e
                .request
                .path
                .split('/')
                .map(|s| if s.len() > 16 && !s.starts_with('.') { "{id}" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            format!("{} {path}", e.request.method)
        })
        .collect()
}

/// A plain TCP server on 127.0.0.1 for answers wiremock cannot give (a body that trickles or
/// never ends, a connection closed halfway, a TLS front): for each connection it reads one
/// request (head and `Content-Length` body), then hands its request line
/// (`GET /scim/Users HTTP/1.1`) and the socket to `answer`, which writes what it likes; the
/// connection closes when `answer` drops the socket. Serves until the test's runtime ends.
pub async fn raw_server<F, Fut>(answer: F) -> SocketAddr
where
    F: Fn(String, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let answer = Arc::clone(&answer);
            tokio::spawn(async move {
                if let Some(request_line) = read_request(&mut socket).await {
                    answer(request_line, socket).await;
                }
            });
        }
    });
    address
}

/// A [`raw_server`] that answers every request with `reply`'s bytes and closes; its base URL
/// `http://<address>/scim`.
pub async fn raw_reply(reply: &'static [u8]) -> String {
    let address = raw_server(move |_, mut socket| async move {
        let _ = socket.write_all(reply).await;
        let _ = socket.shutdown().await;
    })
    .await;
    format!("http://{address}/scim")
}

/// Reads one HTTP/1.1 request from `socket` and returns its request line; `None` when the
/// peer closes first.
async fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    let mut read_more = async |data: &mut Vec<u8>| match socket.read(&mut buffer).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            data.extend_from_slice(&buffer[..n]);
            true
        }
    };
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if !read_more(&mut data).await {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        if !read_more(&mut data).await {
            return None;
        }
    }
    head.lines().next().map(str::to_string)
}
