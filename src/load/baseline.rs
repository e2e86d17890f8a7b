//! `scimsim load --baseline`: the same requests sent by a plain reqwest loop, with no IdP
//! engine, transcript or checks in between, against a fresh embedded server at the same
//! concurrency. The ratio of the two request rates shows whether the harness or the target is
//! the bottleneck.
//!
//! Ids differ between servers: within a batch, the id a recorded `POST` got back is mapped to
//! the id the fresh server returns, in later paths and in body values that equal it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use crate::target::{CreatedObject, IdMap};
use crate::transcript::Exchange;

/// One recorded request, kept small: its method, path and query, body, and the id its `201`
/// returned.
#[derive(Debug, Clone)]
pub struct Call {
    method: Method,
    path: String,
    query: Option<String>,
    body: Option<Value>,
    created: Option<String>,
}

impl Call {
    /// The request of `exchange`, and the id a `201` to it returned.
    pub fn from_exchange(exchange: Exchange) -> Self {
        let request = exchange.request;
        let created = exchange.response.as_ref().and_then(|r| {
            CreatedObject::of(&request.method, &request.path, r.status, r.body.as_ref()).map(|created| created.id)
        });
        Self {
            method: Method::from_bytes(request.method.as_bytes()).unwrap_or(Method::GET),
            path: request.path,
            query: request.query,
            body: request.body,
            created,
        }
    }
}

/// What the plain loop achieved.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BaselineResult {
    /// Requests sent.
    pub requests: u64,
    /// Requests that got no answer.
    pub transport_errors: u64,
    /// How long they took.
    #[serde(rename = "elapsed_s", serialize_with = "seconds")]
    pub elapsed: Duration,
}

impl BaselineResult {
    /// Requests per second.
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
    }
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

/// Sends every batch of `calls` to `base_url` with `token`, `concurrency` batches at a time,
/// each batch in order.
pub async fn replay(
    calls: Vec<Vec<Call>>,
    http: reqwest::Client,
    base_url: &str,
    token: &str,
    concurrency: usize,
) -> BaselineResult {
    let calls = Arc::new(calls);
    let next = Arc::new(AtomicUsize::new(0));
    let base_url: Arc<str> = Arc::from(base_url.trim_end_matches('/'));
    let token: Arc<str> = Arc::from(token);
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let (calls, next, http, base_url, token) =
            (Arc::clone(&calls), Arc::clone(&next), http.clone(), Arc::clone(&base_url), Arc::clone(&token));
        workers.spawn(async move {
            let (mut sent, mut failed) = (0, 0);
            while let Some(batch) = calls.get(next.fetch_add(1, Ordering::Relaxed)) {
                let mut ids = IdMap::new();
                for call in batch {
                    sent += 1;
                    match send(&http, &base_url, &token, call, &ids).await {
                        Some(Some(id)) => {
                            if let Some(old) = &call.created {
                                ids.insert(old.clone(), id);
                            }
                        }
                        Some(None) => {}
                        None => failed += 1,
                    }
                }
            }
            (sent, failed)
        });
    }
    let (mut requests, mut transport_errors) = (0, 0);
    while let Some(Ok((sent, failed))) = workers.join_next().await {
        requests += sent;
        transport_errors += failed;
    }
    BaselineResult { requests, transport_errors, elapsed: started.elapsed() }
}

/// Sends one call with ids mapped; `None` when no answer came, else the id a `201` returned.
async fn send(http: &reqwest::Client, base_url: &str, token: &str, call: &Call, ids: &IdMap) -> Option<Option<String>> {
    let mut url = format!("{base_url}{}", ids.path(&call.path));
    if let Some(query) = &call.query {
        url.push('?');
        url.push_str(query);
    }
    let mut request = http.request(call.method.clone(), url).bearer_auth(token);
    if let Some(body) = &call.body {
        request = request.header("content-type", "application/scim+json").body(ids.body(body).to_string());
    }
    let response = request.send().await.ok()?;
    let status = response.status().as_u16();
    // The body is read whole (the connection is then reused), but parsed only where the loop
    // needs it: a plain client does not decode answers it has no use for.
    let body = response.bytes().await.unwrap_or_default();
    if status != 201 {
        return Some(None);
    }
    let body: Option<Value> = serde_json::from_slice(&body).ok();
    Some(body.and_then(|b| b.get("id")?.as_str().map(str::to_string)))
}
