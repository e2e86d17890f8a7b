//! `-v`: each request and response printed as `curl -v` shows them, as they happen, with the
//! token already redacted by the transcript.

use std::fmt::Write as _;
use std::io::Write as _;

use serde_json::Value;

use crate::transcript::Exchange;

use super::world::ScimWorld;

/// Prints the exchanges the world has not printed yet, when the run is verbose.
pub(crate) fn print_new(world: &mut ScimWorld) {
    let verbose = world.info.as_ref().is_some_and(|i| i.config.verbose);
    let Some(idp) = world.idp.as_ref() else { return };
    let exchanges = &idp.transcript().exchanges()[world.printed.min(idp.transcript().len())..];
    if verbose && !exchanges.is_empty() {
        let text: String = exchanges.iter().map(curl_like).collect();
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }
    world.printed = idp.transcript().len();
}

/// One exchange as `curl -v` prints it: `>` request lines, `<` response lines, bodies as
/// pretty JSON.
pub(crate) fn curl_like(exchange: &Exchange) -> String {
    let mut out = String::new();
    let request = &exchange.request;
    let query = request.query.as_ref().map(|q| format!("?{q}")).unwrap_or_default();
    let _ =
        writeln!(out, "> {} {}{} ({}, {})", request.method, request.path, query, exchange.scheduled_at, exchange.step);
    for (name, value) in &request.headers {
        let _ = writeln!(out, "> {name}: {value}");
    }
    body(&mut out, '>', request.body.as_ref());
    match (&exchange.response, &exchange.error) {
        (Some(response), _) => {
            let _ = writeln!(out, "< HTTP {}", response.status);
            for (name, value) in &response.headers {
                let _ = writeln!(out, "< {name}: {value}");
            }
            body(&mut out, '<', response.body.as_ref());
        }
        (None, Some(error)) => {
            let _ = writeln!(out, "* {error}");
        }
        (None, None) => {}
    }
    out.push('\n');
    out
}

fn body(out: &mut String, marker: char, body: Option<&Value>) {
    let Some(body) = body else { return };
    let _ = writeln!(out, "{marker}");
    let text = serde_json::to_string_pretty(body).unwrap_or_default();
    for line in text.lines() {
        let _ = writeln!(out, "{marker} {line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{RecordedRequest, RecordedResponse};
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn looks_like_curl() {
        let exchange = Exchange {
            seq: 1,
            idp: "entra".into(),
            dialect: "legacy".into(),
            scenario: "s".into(),
            step: "When the provisioning cycle runs".into(),
            scheduled_at: "PT0S".into(),
            request: RecordedRequest {
                method: "POST".into(),
                path: "/Users".into(),
                query: None,
                headers: BTreeMap::from([("authorization".to_string(), "[redacted]".to_string())]),
                body: Some(json!({"userName": "a"})),
            },
            response: Some(RecordedResponse { status: 201, headers: BTreeMap::new(), body: None }),
            error: None,
            elapsed_ms: 1.0,
        };
        let text = curl_like(&exchange);
        assert!(
            text.starts_with(
                "> POST /Users (PT0S, When the provisioning cycle runs)\n> authorization: [redacted]\n>\n> {"
            ),
            "{text}"
        );
        assert!(text.contains("< HTTP 201\n"), "{text}");
    }
}
