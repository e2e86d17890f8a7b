//! Injected faults: answers the server gives instead of its own, for the stories that need
//! what a correct server never does — a 409 to a create, a storm of 429s, a 500, an empty
//! 201. Only in-process callers (the scenario runner, tests) can inject them, through
//! [`RunningServer::inject`](super::RunningServer::inject); nothing on the wire can.

use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Value, json};

use crate::scim::urn;

use super::response::SCIM_JSON;

/// One injected answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The method it answers.
    pub method: Method,
    /// The path below the base path it answers: `/Users`, or `/Users/*` for any user.
    pub path: String,
    /// The status it answers with.
    pub status: u16,
    /// The SCIM error `detail`; `None` answers with an empty body.
    pub detail: Option<String>,
    /// A `Retry-After` header to send.
    pub retry_after: Option<String>,
    /// How many requests it answers; `None` for every one.
    pub times: Option<u32>,
}

impl Fault {
    /// A SCIM error answer with `status` to every `method path`.
    pub fn new(method: Method, path: impl Into<String>, status: u16) -> Self {
        let detail = StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("injected fault");
        Self { method, path: path.into(), status, detail: Some(detail.to_string()), retry_after: None, times: None }
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        if *method != self.method {
            return false;
        }
        let (mut pattern, mut actual) = (self.path.split('/'), path.trim_end_matches('/').split('/'));
        loop {
            match (pattern.next(), actual.next()) {
                (None, None) => return true,
                (Some("*"), Some(segment)) if !segment.is_empty() => {}
                (Some(p), Some(a)) if p.eq_ignore_ascii_case(a) => {}
                _ => return false,
            }
        }
    }

    fn response(&self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = self.detail.as_ref().map(|detail| {
            let error: Value = json!({"schemas": [urn::ERROR], "status": self.status.to_string(), "detail": detail});
            error.to_string()
        });
        let mut response = Response::new(body.as_ref().map_or_else(Body::empty, |b| Body::from(b.clone())));
        *response.status_mut() = status;
        if body.is_some() {
            response.headers_mut().insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
        }
        if let Some(value) = self.retry_after.as_ref().and_then(|v| HeaderValue::from_str(v).ok()) {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}

/// The faults waiting for requests, in the order they were injected.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults {
    base_path: Arc<str>,
    waiting: Arc<Mutex<Vec<Fault>>>,
}

impl Faults {
    pub(crate) fn new(base_path: &str) -> Self {
        Self { base_path: Arc::from(base_path), waiting: Arc::default() }
    }

    pub(crate) fn inject(&self, fault: Fault) {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner).push(fault);
    }

    /// The answer of the first fault matching the request, counting it down.
    fn take(&self, method: &Method, path: &str) -> Option<Response> {
        let path = path.strip_prefix(&*self.base_path).unwrap_or(path);
        let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        let index = waiting.iter().position(|f| f.matches(method, path))?;
        let response = waiting[index].response();
        match &mut waiting[index].times {
            Some(1) => {
                waiting.remove(index);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(response)
    }
}

/// The middleware: an injected fault answers instead of the handler.
pub(crate) async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    match faults.take(request.method(), request.uri().path()) {
        Some(response) => response,
        None => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_with_wildcards_and_faults_count_down() {
        let faults = Faults::new("/scim/v2");
        faults.inject(Fault { times: Some(2), ..Fault::new(Method::PATCH, "/Users/*", 500) });
        assert!(faults.take(&Method::PATCH, "/scim/v2/Users").is_none());
        assert!(faults.take(&Method::GET, "/scim/v2/Users/1").is_none());
        assert_eq!(faults.take(&Method::PATCH, "/scim/v2/Users/1").map(|r| r.status().as_u16()), Some(500));
        assert!(faults.take(&Method::PATCH, "/scim/v2/Users/2").is_some());
        assert!(faults.take(&Method::PATCH, "/scim/v2/Users/3").is_none(), "used up");
    }

    #[test]
    fn answers_carry_scim_errors_retry_after_or_nothing() {
        let fault = Fault { retry_after: Some("30".into()), ..Fault::new(Method::POST, "/Users", 429) };
        let response = fault.response();
        assert_eq!(response.headers()[axum::http::header::RETRY_AFTER], "30");
        assert_eq!(response.headers()[axum::http::header::CONTENT_TYPE], SCIM_JSON);
        let empty = Fault { detail: None, ..Fault::new(Method::POST, "/Users", 201) }.response();
        assert!(empty.headers().get(axum::http::header::CONTENT_TYPE).is_none());
    }
}
