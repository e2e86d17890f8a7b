//! How many requests the embedded reference server answers over loopback: `GET /Users/{id}`
//! (reading 1,000 users in turn) and `POST /Users` (Entra-shaped bodies, unique userNames),
//! each for a few seconds with a fixed number of requests in flight, each on its own
//! connection (one reqwest client, whose pool holds a connection per request in flight).
//! Server and clients share one multi-thread Tokio runtime, so on a small machine the load
//! generator takes its share of the cores.
//!
//! Run: `cargo bench --bench server_throughput` (optionally `-- SECONDS IN_FLIGHT`; defaults
//! 5 and 64).

// A benchmark reports its figures on stdout.
#![allow(clippy::print_stdout)]

mod common;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::CONTENT_TYPE;
use reqwest::{Client, Response, StatusCode};
use scimsim::server::{SCIM_JSON, ServerConfig, spawn};
use serde_json::Value;
use tokio::sync::Barrier;

use common::entra_user;

/// How many users the `GET` phase reads in turn.
const READ_SET: usize = 1_000;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let in_flight: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a Tokio runtime");
    runtime.block_on(run(Duration::from_secs(seconds), in_flight.max(1)));
}

/// Where and how to send.
#[derive(Clone)]
struct Endpoint {
    users: Arc<str>,
    token: Arc<str>,
}

impl Endpoint {
    /// Creates user number `n`.
    async fn post(&self, client: &Client, n: usize) -> reqwest::Result<Response> {
        let body = serde_json::to_vec(&entra_user(n)).expect("JSON");
        client.post(&*self.users).bearer_auth(&self.token).header(CONTENT_TYPE, SCIM_JSON).body(body).send().await
    }

    /// Reads user `id`.
    async fn get(&self, client: &Client, id: &str) -> reqwest::Result<Response> {
        client.get(format!("{}/{id}", self.users)).bearer_auth(&self.token).send().await
    }
}

/// The status of a response, once its whole body has been read.
async fn status(response: reqwest::Result<Response>) -> reqwest::Result<StatusCode> {
    let response = response?;
    let status = response.status();
    response.bytes().await?;
    Ok(status)
}

async fn run(duration: Duration, in_flight: usize) {
    let server = spawn(ServerConfig::default()).await.expect("the reference server starts");
    let endpoint = Endpoint { users: format!("{}/Users", server.url()).into(), token: server.token().into() };

    // One client for all: building one loads the system's root certificates, which costs more
    // CPU than thousands of requests.
    let client = Client::builder().no_proxy().build().expect("a reqwest client");
    let mut ids = Vec::with_capacity(READ_SET);
    for n in 0..READ_SET {
        let response = endpoint.post(&client, n).await.expect("the server answers");
        assert_eq!(response.status(), StatusCode::CREATED, "creating user {n}");
        let created: Value = response.json().await.expect("a JSON body");
        ids.push(created["id"].as_str().expect("an id").to_string());
    }
    let ids: Arc<[String]> = ids.into();

    let reader = endpoint.clone();
    let gets = measure(&client, duration, in_flight, StatusCode::OK, move |client, n| {
        let (endpoint, ids) = (reader.clone(), Arc::clone(&ids));
        async move { status(endpoint.get(&client, &ids[n % ids.len()]).await).await }
    })
    .await;
    gets.print("GET /Users/{id}", in_flight);

    let posts = measure(&client, duration, in_flight, StatusCode::CREATED, move |client, n| {
        let endpoint = endpoint.clone();
        async move { status(endpoint.post(&client, READ_SET + n).await).await }
    })
    .await;
    posts.print("POST /Users", in_flight);
    server.shutdown().await.expect("the server stops cleanly");
}

/// What one phase measured.
struct Figures {
    elapsed: Duration,
    /// CPU time the whole process (server and clients) used meanwhile, where the OS tells.
    cpu: Option<Duration>,
    /// Every request's latency, sorted.
    latencies: Vec<Duration>,
    failures: usize,
}

impl Figures {
    fn percentile(&self, p: usize) -> f64 {
        let at = (self.latencies.len() * p / 100).min(self.latencies.len().saturating_sub(1));
        self.latencies.get(at).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    }

    fn print(&self, label: &str, in_flight: usize) {
        let requests = self.latencies.len();
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        // On a shared machine the share of the cores the process got says how to read the rate.
        let used = self.cpu.map(|cpu| format!(", {:.2} of them used", cpu.as_secs_f64() / self.elapsed.as_secs_f64()));
        println!(
            "{label}: {requests} requests in {:.2} s: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, {} failures ({in_flight} in flight, {cores} cores{})",
            self.elapsed.as_secs_f64(),
            requests as f64 / self.elapsed.as_secs_f64(),
            self.percentile(50),
            self.percentile(99),
            self.failures,
            used.unwrap_or_default(),
        );
        assert_eq!(self.failures, 0, "{label}: every request must succeed for the rate to mean anything");
    }
}

/// Keeps `in_flight` requests going for `duration`: `send(client, n)` sends the `n`th request
/// of the phase, which counts as a failure unless it gets `expected`. Each sender sends one
/// request first, untimed, so that every connection is open before the clock starts.
async fn measure<F, Fut>(
    client: &Client,
    duration: Duration,
    in_flight: usize,
    expected: StatusCode,
    send: F,
) -> Figures
where
    F: Fn(Client, usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = reqwest::Result<StatusCode>> + Send,
{
    let counter = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(in_flight + 1));
    let tasks: Vec<_> = (0..in_flight)
        .map(|_| {
            let (send, counter, start) = (send.clone(), Arc::clone(&counter), Arc::clone(&start));
            let client = client.clone();
            tokio::spawn(async move {
                let ok = |reply: reqwest::Result<StatusCode>| reply.is_ok_and(|s| s == expected);
                let mut failures =
                    usize::from(!ok(send(client.clone(), counter.fetch_add(1, Ordering::Relaxed)).await));
                start.wait().await;
                let deadline = Instant::now() + duration;
                let mut latencies = Vec::new();
                loop {
                    let sent = Instant::now();
                    if sent >= deadline {
                        break (latencies, failures);
                    }
                    let reply = send(client.clone(), counter.fetch_add(1, Ordering::Relaxed)).await;
                    latencies.push(sent.elapsed());
                    failures += usize::from(!ok(reply));
                }
            })
        })
        .collect();
    start.wait().await;
    let (started, cpu_before) = (Instant::now(), cpu_time());
    let mut figures = Figures { elapsed: Duration::ZERO, cpu: None, latencies: Vec::new(), failures: 0 };
    for task in tasks {
        let (latencies, failures) = task.await.expect("a client task");
        figures.latencies.extend(latencies);
        figures.failures += failures;
    }
    figures.elapsed = started.elapsed();
    figures.cpu = cpu_time().zip(cpu_before).map(|(after, before)| after.saturating_sub(before));
    figures.latencies.sort_unstable();
    figures
}

/// The CPU time (user and system) this process has used, from Linux's `/proc/self/stat`
/// (fields 14 and 15, in ticks of 1/100 s); `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after it are plain numbers.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let (user, system): (u64, u64) = (fields.next()?.parse().ok()?, fields.next()?.parse().ok()?);
    Some(Duration::from_millis((user + system) * 10))
}
