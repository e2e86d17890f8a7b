//! `scimsim load --baseline`: the same requests sent by a plain reqwest loop, with no IdP
//! engine, transcript or checks in between, against a fresh embedded server at the same
//! concurrency. The ratio of the two request rates shows whether the harness or the target is
//! the bottleneck.
//!
//! The loop sends each request as the harness sent it: method, path, query, the IdP's
//! headers and the body's bytes. Ids differ between servers: within a batch, the id a
//! recorded `POST` got back is mapped to the id the fresh server returns, in later paths and,
//! for the bodies that name such an object (a group's members), in body values. Only those
//! bodies are decoded and encoded again; every other one goes out as recorded.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::Value;

use crate::target::{IdMap, SentRequest};

/// A recorded request, ready for the loop: whether its body names an object the batch
/// created earlier, and so needs its ids mapped, is worked out before the clock starts.
#[derive(Debug)]
struct Call {
    sent: SentRequest,
    maps_body: bool,
}

/// What the plain loop achieved.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct BaselineResult {
    /// Requests sent.
    pub requests: u64,
    /// Requests that got no answer.
    pub transport_errors: u64,
    /// Answers of 400 or more: with every id mapped right, as many as the harness got.
    pub error_answers: u64,
    /// How long they took.
    #[serde(rename = "elapsed_s", serialize_with = "seconds")]
    pub elapsed: Duration,
}

impl BaselineResult {
    /// Adds `other`'s requests, unanswered requests and error answers (not its time).
    fn add_counts(&mut self, other: &BaselineResult) {
        self.requests += other.requests;
        self.transport_errors += other.transport_errors;
        self.error_answers += other.error_answers;
    }

    /// Requests per second.
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
    }
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

/// The plain loop of a `--baseline` run: where it sends, and what it measured so far. The
/// run hands it each round's requests once the harness has sent them
/// ([`run`](super::run)), so the two take turns on the machine and a slow moment of a
/// shared machine weighs on both, and the requests kept for it are a round's, not a run's.
#[derive(Debug)]
pub struct Baseline {
    http: reqwest::Client,
    base_url: Arc<str>,
    token: Arc<str>,
    concurrency: usize,
    result: BaselineResult,
}

impl Baseline {
    /// A loop sending to `base_url` with `token` through `http`, `concurrency` batches at a
    /// time.
    pub fn new(http: reqwest::Client, base_url: &str, token: &str, concurrency: usize) -> Self {
        Self {
            http,
            base_url: Arc::from(base_url.trim_end_matches('/')),
            token: Arc::from(token),
            concurrency: concurrency.max(1),
            result: BaselineResult::default(),
        }
    }

    /// Sends every batch of `sent`, each batch in order, and counts them; the time they take
    /// counts when `timed` (the harness's own run leaves Okta's import untimed too).
    pub async fn replay(&mut self, sent: Vec<Vec<SentRequest>>, timed: bool) {
        let round = replay(sent, &self.http, &self.base_url, &self.token, self.concurrency).await;
        self.result.add_counts(&round);
        if timed {
            self.result.elapsed += round.elapsed;
        }
    }

    /// What the loop measured over every round.
    pub fn into_result(self) -> BaselineResult {
        self.result
    }
}

/// Sends every batch of `sent` to `base_url` with `token`, `concurrency` batches at a time,
/// each batch in order.
async fn replay(
    sent: Vec<Vec<SentRequest>>,
    http: &reqwest::Client,
    base_url: &Arc<str>,
    token: &Arc<str>,
    concurrency: usize,
) -> BaselineResult {
    let calls: Arc<Vec<Vec<Call>>> = Arc::new(sent.into_iter().map(prepare).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency.min(calls.len()) {
        let (calls, next, http, base_url, token) =
            (Arc::clone(&calls), Arc::clone(&next), http.clone(), Arc::clone(base_url), Arc::clone(token));
        workers.spawn(async move {
            let mut tally = BaselineResult::default();
            while let Some(batch) = calls.get(next.fetch_add(1, Ordering::Relaxed)) {
                let mut ids = IdMap::new();
                for call in batch {
                    tally.requests += 1;
                    match send(&http, &base_url, &token, call, &ids).await {
                        Some((status, created)) => {
                            tally.error_answers += u64::from(status >= 400);
                            if let (Some(old), Some(new)) = (&call.sent.created, created) {
                                ids.insert(old.clone(), new);
                            }
                        }
                        None => tally.transport_errors += 1,
                    }
                }
            }
            tally
        });
    }
    let mut total = BaselineResult::default();
    while let Some(Ok(tally)) = workers.join_next().await {
        total.add_counts(&tally);
    }
    BaselineResult { elapsed: started.elapsed(), ..total }
}

/// A batch's requests, each marked with whether its body names an object an earlier request
/// of the batch created.
fn prepare(batch: Vec<SentRequest>) -> Vec<Call> {
    let mut created = IdMap::new();
    batch
        .into_iter()
        .map(|sent| {
            let maps_body = sent
                .body
                .as_ref()
                .is_some_and(|body| serde_json::from_slice::<Value>(body).is_ok_and(|value| created.maps_body(&value)));
            if let Some(id) = &sent.created {
                created.insert(id.clone(), id.clone());
            }
            Call { sent, maps_body }
        })
        .collect()
}

/// Sends one call with ids mapped; `None` when no answer came, else the status and, for a
/// create whose id later requests name, the id a `201` returned.
async fn send(
    http: &reqwest::Client,
    base_url: &str,
    token: &str,
    call: &Call,
    ids: &IdMap,
) -> Option<(u16, Option<String>)> {
    let sent = &call.sent;
    let mut url = format!("{base_url}{}", ids.path(&sent.path));
    if let Some(query) = &sent.query {
        url.push('?');
        url.push_str(query);
    }
    let mut request = http.request(sent.method.clone(), url).bearer_auth(token);
    // Names and values as text, as a plain client writes them: reqwest checks them again.
    for header in &sent.headers {
        request = request.header(header.name(), header.value());
    }
    let body = match &sent.body {
        Some(body) if call.maps_body => {
            let value: Value = serde_json::from_slice(body).unwrap_or_default();
            Some(Bytes::from(ids.body(&value).to_string()))
        }
        other => other.clone(),
    };
    if let Some(body) = body {
        request = request.body(body);
    }
    let response = request.send().await.ok()?;
    let status = response.status().as_u16();
    // The body is read whole (the connection is then reused), but parsed only where the loop
    // needs it: a plain client does not decode answers it has no use for.
    let body = response.bytes().await.unwrap_or_default();
    if status != 201 || sent.created.is_none() {
        return Some((status, None));
    }
    let body: Option<Value> = serde_json::from_slice(&body).ok();
    Some((status, body.and_then(|b| b.get("id")?.as_str().map(str::to_string))))
}
