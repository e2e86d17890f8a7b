//! Writing a transcript (`--transcript DIR`): 1,000 exchanges of an Entra cycle, each redacted
//! as the target client records it, then written as JSON Lines.

use std::collections::BTreeMap;
use std::io::{BufWriter, sink};
use std::time::Duration;

use divan::Bencher;
use divan::counter::ItemsCount;
use scimsim::scim::urn;
use scimsim::transcript::{Exchange, RecordedRequest, RecordedResponse, Redactor, Transcript, iso8601_duration};
use serde_json::{Value, json};

use crate::common::entra_user;

/// How many exchanges one run writes.
const EXCHANGES: usize = 1_000;

/// The bearer token the redactor hides.
const TOKEN: &str = "4f1c2b9e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e";

fn headers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
}

fn exchange(
    seq: usize,
    method: &str,
    path: &str,
    query: Option<String>,
    body: Option<Value>,
    reply: (u16, Value),
) -> Exchange {
    let bearer = format!("Bearer {TOKEN}");
    let request_headers = [
        ("accept", "application/scim+json"),
        ("authorization", bearer.as_str()),
        ("content-type", "application/scim+json; charset=utf-8"),
    ];
    let response_headers = [("content-type", "application/scim+json"), ("etag", "W/\"1\"")];
    Exchange {
        seq: seq as u64,
        idp: "entra".into(),
        dialect: "legacy".into(),
        scenario: "initial cycle".into(),
        step: "When the provisioning cycle runs".into(),
        scheduled_at: iso8601_duration(Duration::from_millis(seq as u64 * 40)),
        request: RecordedRequest {
            method: method.into(),
            path: path.into(),
            query,
            headers: headers(&request_headers),
            body,
        },
        response: Some(RecordedResponse { status: reply.0, headers: headers(&response_headers), body: Some(reply.1) }),
        error: None,
        elapsed_ms: 0.7,
    }
}

/// Entra's initial cycle for 500 users: a match query and a create each.
fn cycle() -> Vec<Exchange> {
    (0..EXCHANGES / 2)
        .flat_map(|n| {
            let user = entra_user(n);
            let filter = format!("filter=userName+eq+%22{}%22", user["userName"].as_str().unwrap_or_default());
            let empty = json!({"schemas": [urn::LIST_RESPONSE], "totalResults": 0, "Resources": [], "startIndex": 1, "itemsPerPage": 0});
            let mut created = user.clone();
            created["id"] = json!(format!("8f3c{n:028}"));
            created["meta"] = json!({"resourceType": "User", "created": "2026-01-01T00:00:00Z", "lastModified": "2026-01-01T00:00:00Z", "location": format!("http://127.0.0.1:8080/scim/v2/Users/8f3c{n:028}"), "version": "W/\"1\""});
            [
                exchange(2 * n + 1, "GET", "/Users", Some(filter), None, (200, empty)),
                exchange(2 * n + 2, "POST", "/Users", None, Some(user), (201, created)),
            ]
        })
        .collect()
}

/// Redacts and writes 1,000 exchanges.
#[divan::bench]
fn write_1000_exchanges(bencher: Bencher<'_, '_>) {
    let exchanges = cycle();
    let redactor = Redactor::new([TOKEN]);
    bencher.counter(ItemsCount::new(EXCHANGES)).with_inputs(|| exchanges.clone()).bench_values(|exchanges| {
        let mut transcript = Transcript::new();
        for mut exchange in exchanges {
            redactor.redact_exchange(&mut exchange);
            transcript.push(exchange);
        }
        transcript.write_jsonl(BufWriter::new(sink())).expect("writing to a sink succeeds");
        transcript
    });
}
