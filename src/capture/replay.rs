//! `scimsim replay`: a recording's requests sent again, in order, to any target, and each
//! answer compared with the recorded one.
//!
//! Ids are mapped as the replay goes ([`IdMap`]): the id a recorded create returned becomes the
//! id the new target returned for the same create, and so does the id of the one object a
//! recorded filter found when the new target finds exactly one too. A request naming an
//! object the replay has no id for is not sent, and the output says why ([`RecordedIds`]).
//! ETags learnt the same way replace recorded `If-Match` / `If-None-Match` values.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::io::Write;

use reqwest::Method;
use serde_json::Value;

use crate::target::{
    CreatedObject, ExchangeMeta, IdMap, OutgoingRequest, Reply, RequestHeader, TargetClient, TargetError,
};
use crate::transcript::{Exchange, REDACTED, RecordedRequest, Transcript};

use super::comparison::Comparison;
use super::recorded_ids::{RecordedIds, label};
use super::replay_summary::ReplaySummary;

/// Recorded request headers a replay does not send: the client adds its own credentials, the
/// HTTP stack writes `Host` and `Content-Length`, hop-by-hop headers (RFC 9110 §7.6.1) belonged
/// to the recorded connection, and the client reads bodies uncompressed.
const DROPPED_HEADERS: [&str; 12] = [
    "authorization",
    "proxy-authorization",
    "host",
    "content-length",
    "accept-encoding",
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Headers whose value is an ETag the recorded target issued.
const CONDITIONAL_HEADERS: [&str; 2] = ["if-match", "if-none-match"];

/// How a replay runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplayOptions {
    /// Stop after the first exchange that differs or is not sent.
    pub stop_at_first: bool,
}

/// Sends the requests of `recording` in order through `client`, ids and ETags mapped, and
/// compares each answer with the recorded one; a difference is written to `out` as a unified
/// diff headed `#seq METHOD path`, an exchange not sent as a line saying why. Stops early when
/// the target cannot be reached, when `stop` resolves (Ctrl-C), or at the first difference
/// with [`ReplayOptions::stop_at_first`]. Fails only when `out` cannot be written.
pub async fn replay(
    recording: &Transcript,
    client: &TargetClient,
    options: ReplayOptions,
    stop: impl Future<Output = ()>,
    out: &mut dyn Write,
) -> std::io::Result<ReplaySummary> {
    let exchanges = recording.exchanges();
    let known = RecordedIds::of(exchanges);
    let mut comparison = Comparison::new(exchanges, client.config().trimmed_base_url());
    let mut state = Mapping::default();
    let mut summary = ReplaySummary { recorded: exchanges.len(), ..ReplaySummary::default() };
    let mut stop = std::pin::pin!(stop);
    for recorded in exchanges {
        let exchange = match state.request(&recorded.request, &known) {
            Err(reason) => {
                let reason = format!("not sent: {reason}");
                skipped(&mut summary, out, recorded, &reason)?;
                Exchange { response: None, error: Some(reason), elapsed_ms: 0.0, ..recorded.clone() }
            }
            Ok(request) => {
                let (reply, mut exchange) = tokio::select! {
                    biased;
                    () = &mut stop => {
                        summary.interrupted = true;
                        break;
                    }
                    sent = client.send(&request, meta(recorded)) => sent,
                };
                exchange.scheduled_at.clone_from(&recorded.scheduled_at);
                match reply {
                    Err(error @ (TargetError::Connect { .. } | TargetError::Tls { .. })) => {
                        summary.unreachable = Some(error);
                        summary.transcript.push(exchange);
                        break;
                    }
                    Err(TargetError::Refused { reason, .. }) => skipped(&mut summary, out, recorded, &reason)?,
                    reply => {
                        if let Ok(reply) = &reply {
                            if let Some((old, new)) = state.learn(recorded, reply) {
                                comparison.same_object(&old, &new);
                            }
                            let (method, status, body) = (request.method.as_str(), reply.status, reply.body.value());
                            summary.created.extend(CreatedObject::of(method, &request.path, status, body));
                            if request.method == Method::DELETE && reply.is_success() {
                                // Deleted by the recording itself: nothing for the clean-up.
                                summary.created.retain(|object| !request.path.ends_with(&format!("/{object}")));
                            }
                        }
                        compared(&mut comparison, &mut summary, out, recorded, &exchange)?;
                    }
                }
                exchange
            }
        };
        summary.transcript.push(exchange);
        if options.stop_at_first && summary.differ + summary.not_sent > 0 {
            break;
        }
    }
    Ok(summary)
}

/// The replay's knowledge of the new target: its ids and ETags for the recorded ones.
#[derive(Debug, Default)]
struct Mapping {
    ids: IdMap,
    /// Recorded ETag → the new target's ETag for the same answer.
    etags: HashMap<String, String>,
}

impl Mapping {
    /// The recorded request as it goes to the new target, or why it cannot go.
    fn request(&self, recorded: &RecordedRequest, known: &RecordedIds) -> Result<OutgoingRequest, String> {
        let missing = self.ids.unmapped(recorded, &|id| known.contains(id));
        if let Some(id) = missing.first() {
            let origin = known.origin(id).map(ToString::to_string).unwrap_or_default();
            return Err(format!("it names {id}, which this replay has no object for: {origin}"));
        }
        let method = Method::from_bytes(recorded.method.as_bytes())
            .map_err(|_| format!("{:?} is not an HTTP method (fix that line of the transcript)", recorded.method))?;
        let mut request = OutgoingRequest::new(method, self.ids.path(&recorded.path));
        request.query = recorded.query.as_deref().map(|query| self.ids.query(query).into_owned());
        request.body = recorded.body.as_ref().map(|body| self.ids.body(body).into());
        for (name, value) in &recorded.headers {
            if DROPPED_HEADERS.contains(&name.as_str()) || value.contains(REDACTED) {
                continue;
            }
            let value = if CONDITIONAL_HEADERS.contains(&name.as_str()) { self.etags(value) } else { value.clone() };
            request.headers.push(RequestHeader::new(name, value));
        }
        Ok(request)
    }

    /// Learns the ids and ETag the new target gave where the recorded one gave its own;
    /// returns the (recorded, new) id pair learnt.
    fn learn(&mut self, recorded: &Exchange, reply: &Reply) -> Option<(String, String)> {
        let learnt = self.ids.learn(recorded, reply.status, reply.body.value());
        let Some(answer) = &recorded.response else { return learnt };
        let etag = |header: Option<String>, body: Option<&Value>| {
            header.or_else(|| Some(body?.get("meta")?.get("version")?.as_str()?.to_string()))
        };
        if let (Some(old), Some(new)) = (
            etag(answer.headers.get("etag").cloned(), answer.body.as_ref()),
            etag(reply.header("etag").map(Cow::into_owned), reply.body.value()),
        ) {
            self.etags.insert(old, new);
        }
        learnt
    }

    /// An `If-Match` list (`W/"1", W/"2"` or `*`) with each recorded ETag replaced.
    fn etags(&self, value: &str) -> String {
        value
            .split(',')
            .map(|tag| self.etags.get(tag.trim()).map_or_else(|| tag.trim().to_string(), Clone::clone))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The recorded exchange's place and story, kept in the replay's.
fn meta(recorded: &Exchange) -> ExchangeMeta {
    ExchangeMeta {
        seq: recorded.seq,
        idp: recorded.idp.clone(),
        dialect: recorded.dialect.clone(),
        scenario: recorded.scenario.clone(),
        step: recorded.step.clone(),
        ..ExchangeMeta::default()
    }
}

/// Counts an exchange that was not sent and says why.
fn skipped(summary: &mut ReplaySummary, out: &mut dyn Write, recorded: &Exchange, reason: &str) -> std::io::Result<()> {
    summary.not_sent += 1;
    writeln!(out, "#{} {}: {reason}", recorded.seq, label(recorded))
}

/// Counts an answered (or failed) exchange as identical or different, and prints the
/// difference.
fn compared(
    comparison: &mut Comparison,
    summary: &mut ReplaySummary,
    out: &mut dyn Write,
    recorded: &Exchange,
    replayed: &Exchange,
) -> std::io::Result<()> {
    let Some(diff) = comparison.diff(recorded, replayed) else {
        summary.identical += 1;
        return Ok(());
    };
    summary.differ += 1;
    writeln!(out, "#{} {}", recorded.seq, label(recorded))?;
    write!(out, "{diff}")?;
    if let Some(error) = &replayed.error {
        writeln!(out, "(no answer here: {error})")?;
    }
    Ok(())
}
