//! Scenario traffic written in a few words, for the rules' tests: each request, what came back,
//! and assertions on what a check made of it.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::checks::{Check, Judged, Observation};
use crate::scim::urn;
use crate::transcript::{Exchange, RecordedRequest, RecordedResponse};

/// A request with no query, headers or body.
pub(crate) fn request(method: &str, path: &str) -> RecordedRequest {
    RecordedRequest {
        method: method.to_string(),
        path: path.to_string(),
        query: None,
        headers: BTreeMap::new(),
        body: None,
    }
}

/// One scenario's exchanges, appended in order with `seq` from 1.
#[derive(Debug)]
pub(crate) struct Traffic {
    idp: &'static str,
    exchanges: Vec<Exchange>,
    service_provider_config: Option<Value>,
}

impl Traffic {
    /// Traffic Entra ID sends.
    pub fn entra() -> Self {
        Self { idp: "entra", exchanges: Vec::new(), service_provider_config: None }
    }

    /// Traffic Okta sends.
    pub fn okta() -> Self {
        Self { idp: "okta", ..Self::entra() }
    }

    /// The run read this `/ServiceProviderConfig`.
    pub fn advertising(mut self, service_provider_config: Value) -> Self {
        self.service_provider_config = Some(service_provider_config);
        self
    }

    /// Appends a request (not answered yet: answer it through the returned handle).
    pub fn send(&mut self, method: &str, path: &str, body: Option<Value>) -> Sent<'_> {
        let seq = self.exchanges.len() as u64 + 1;
        self.exchanges.push(Exchange {
            seq,
            idp: self.idp.to_string(),
            dialect: String::new(),
            scenario: "test".to_string(),
            step: "test".to_string(),
            scheduled_at: "PT0S".to_string(),
            request: RecordedRequest { body, ..request(method, path) },
            response: None,
            error: None,
            elapsed_ms: 0.0,
        });
        Sent(self.exchanges.last_mut().unwrap_or_else(|| unreachable!("just pushed")))
    }

    /// `GET path`.
    pub fn get(&mut self, path: &str) -> Sent<'_> {
        self.send("GET", path, None)
    }

    /// `POST path` with `body`.
    pub fn post(&mut self, path: &str, body: Value) -> Sent<'_> {
        self.send("POST", path, Some(body))
    }

    /// `PUT path` with `body`.
    pub fn put(&mut self, path: &str, body: Value) -> Sent<'_> {
        self.send("PUT", path, Some(body))
    }

    /// `PATCH path` with a PatchOp body holding `operations`.
    pub fn patch(&mut self, path: &str, operations: Value) -> Sent<'_> {
        self.send("PATCH", path, Some(json!({"schemas": [urn::PATCH_OP], "Operations": operations})))
    }

    /// `DELETE path`.
    pub fn delete(&mut self, path: &str) -> Sent<'_> {
        self.send("DELETE", path, None)
    }

    /// The exchanges so far.
    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// What `check` observes in this traffic.
    pub fn judge(&self, check: &Check) -> Vec<Observation> {
        check.evaluate(&Judged {
            idp: self.idp,
            exchanges: &self.exchanges,
            service_provider_config: self.service_provider_config.as_ref(),
        })
    }
}

/// The exchange just appended, to add a query, headers and the answer to.
#[derive(Debug)]
pub(crate) struct Sent<'a>(&'a mut Exchange);

impl Sent<'_> {
    /// The raw query string (without `?`).
    pub fn query(self, query: &str) -> Self {
        self.0.request.query = Some(query.to_string());
        self
    }

    /// A request header.
    pub fn request_header(self, name: &str, value: &str) -> Self {
        self.0.request.headers.insert(name.to_string(), value.to_string());
        self
    }

    /// The answer: `status` and `body` (`None` for none); a body comes as
    /// `application/scim+json`.
    pub fn answer(self, status: u16, body: impl Into<Option<Value>>) -> Self {
        let body = body.into();
        let mut headers = BTreeMap::new();
        if body.is_some() {
            headers.insert("content-type".to_string(), "application/scim+json".to_string());
        }
        self.0.response = Some(RecordedResponse { status, headers, body });
        self
    }

    /// A response header (after [`Sent::answer`]); an empty value removes it.
    pub fn header(self, name: &str, value: &str) -> Self {
        let response = self.0.response.as_mut().unwrap_or_else(|| panic!("answer before setting a response header"));
        if value.is_empty() {
            response.headers.remove(name);
        } else {
            response.headers.insert(name.to_string(), value.to_string());
        }
        self
    }
}

/// Asserts that the check applied and held on every exchange it judged.
#[track_caller]
pub(crate) fn passes(observations: &[Observation]) {
    assert!(!observations.is_empty(), "the check applied to nothing");
    assert!(observations.iter().all(Observation::passed), "{observations:#?}");
}

/// Asserts that the check failed on exchange `seq` at `pointer`, and returns the message.
#[track_caller]
pub(crate) fn fails_at(observations: &[Observation], seq: u64, pointer: &str) -> String {
    observations
        .iter()
        .find(|o| o.seq == seq && !o.passed() && o.pointer.as_deref() == Some(pointer))
        .and_then(|o| o.failure.clone())
        .unwrap_or_else(|| panic!("no failure of seq {seq} at {pointer}: {observations:#?}"))
}

/// Asserts that the check applied to nothing.
#[track_caller]
pub(crate) fn not_applicable(observations: &[Observation]) {
    assert!(observations.is_empty(), "{observations:#?}");
}
