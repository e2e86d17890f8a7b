//! A scenario's transcript and its JSON Lines file (`--transcript DIR`).

use std::fmt;
use std::io::{BufRead, Write};
use std::sync::Arc;

use super::Exchange;

/// The exchanges of one scenario, in the order they happened; or, for a load run, a count of
/// them handed one by one to a [`Tally`] ([`Transcript::tallied`]).
#[derive(Clone, Default)]
pub struct Transcript {
    exchanges: Vec<Exchange>,
    /// Exchanges recorded, kept or tallied.
    recorded: usize,
    /// Sees each exchange in place of keeping it.
    tally: Option<Tally>,
}

/// What a tallied transcript hands each exchange to: a load run counts its requests this way,
/// in memory that does not grow with them, where a kept transcript would hold every request
/// of a batch until the batch ends.
pub type Tally = Arc<dyn Fn(&Exchange) + Send + Sync>;

/// A transcript file that could not be written or read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TranscriptError {
    /// Reading or writing failed.
    #[error("transcript I/O: {0}")]
    Io(#[from] std::io::Error),
    /// A line is not an exchange in the published format.
    #[error("transcript line {line}: not an exchange: {source} (each line must be one JSON object as DESIGN.md shows)")]
    Line {
        /// The 1-based line number.
        line: usize,
        /// What serde said.
        source: serde_json::Error,
    },
    /// A line could not be read: not UTF-8, or the file failed mid-way.
    #[error("transcript line {line}: cannot be read: {source} (a transcript is UTF-8 text, one JSON object a line)")]
    Unreadable {
        /// The 1-based line number.
        line: usize,
        /// What reading said.
        source: std::io::Error,
    },
    /// An exchange could not be written as JSON.
    #[error("transcript exchange {seq}: {source}")]
    Encode {
        /// The exchange's `seq`.
        seq: u64,
        /// What serde said.
        source: serde_json::Error,
    },
}

impl Transcript {
    /// An empty transcript.
    pub fn new() -> Self {
        Self::default()
    }

    /// A transcript that keeps nothing: each exchange recorded is handed to `tally`, then
    /// dropped. It counts them all ([`Transcript::len`]) and lists none.
    pub fn tallied(tally: Tally) -> Self {
        Self { exchanges: Vec::new(), recorded: 0, tally: Some(tally) }
    }

    /// Appends an exchange (already redacted: the target client only hands out redacted ones),
    /// or hands it to the tally.
    pub fn push(&mut self, exchange: Exchange) {
        self.recorded += 1;
        match &self.tally {
            Some(tally) => tally(&exchange),
            None => self.exchanges.push(exchange),
        }
    }

    /// The exchanges in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Exchange> {
        self.exchanges.iter()
    }

    /// The exchanges as a slice.
    pub fn exchanges(&self) -> &[Exchange] {
        &self.exchanges
    }

    /// How many exchanges were recorded, kept or tallied.
    pub fn len(&self) -> usize {
        self.recorded
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.recorded == 0
    }

    /// The most recent exchange.
    pub fn last(&self) -> Option<&Exchange> {
        self.exchanges.last()
    }

    /// Writes one exchange per line (JSON Lines), each line ending in `\n`.
    pub fn write_jsonl(&self, mut out: impl Write) -> Result<(), TranscriptError> {
        for exchange in &self.exchanges {
            serde_json::to_writer(&mut out, exchange)
                .map_err(|source| TranscriptError::Encode { seq: exchange.seq, source })?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        Ok(())
    }

    /// Reads a transcript written by [`write_jsonl`](Self::write_jsonl); blank lines are
    /// skipped.
    pub fn read_jsonl(input: impl BufRead) -> Result<Transcript, TranscriptError> {
        let mut transcript = Transcript::new();
        for (index, line) in input.lines().enumerate() {
            let line = line.map_err(|source| TranscriptError::Unreadable { line: index + 1, source })?;
            if line.trim().is_empty() {
                continue;
            }
            let exchange =
                serde_json::from_str(&line).map_err(|source| TranscriptError::Line { line: index + 1, source })?;
            transcript.push(exchange);
        }
        Ok(transcript)
    }
}

impl<'a> IntoIterator for &'a Transcript {
    type Item = &'a Exchange;
    type IntoIter = std::slice::Iter<'a, Exchange>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl IntoIterator for Transcript {
    type Item = Exchange;
    type IntoIter = std::vec::IntoIter<Exchange>;

    fn into_iter(self) -> Self::IntoIter {
        self.exchanges.into_iter()
    }
}

impl FromIterator<Exchange> for Transcript {
    fn from_iter<I: IntoIterator<Item = Exchange>>(iter: I) -> Self {
        let exchanges: Vec<Exchange> = iter.into_iter().collect();
        Self { recorded: exchanges.len(), exchanges, tally: None }
    }
}

impl Extend<Exchange> for Transcript {
    fn extend<I: IntoIterator<Item = Exchange>>(&mut self, iter: I) {
        for exchange in iter {
            self.push(exchange);
        }
    }
}

impl PartialEq for Transcript {
    /// Two transcripts are equal when they recorded as many exchanges and kept the same ones.
    fn eq(&self, other: &Self) -> bool {
        self.recorded == other.recorded && self.exchanges == other.exchanges
    }
}

impl fmt::Debug for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transcript")
            .field("exchanges", &self.exchanges)
            .field("recorded", &self.recorded)
            .field("tallied", &self.tally.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::transcript::{RecordedRequest, RecordedResponse};

    fn exchange(seq: u64, response: bool) -> Exchange {
        Exchange {
            seq,
            idp: "okta".into(),
            dialect: "oin".into(),
            scenario: "import".into(),
            step: "When users are imported".into(),
            scheduled_at: "PT5M".into(),
            request: RecordedRequest {
                method: "GET".into(),
                path: "/Users".into(),
                query: Some("filter=userName%20eq%20%22a%C3%A9%22&startIndex=1&count=100".into()),
                headers: BTreeMap::from([("accept".into(), "application/scim+json".into())]),
                body: None,
            },
            response: response.then(|| RecordedResponse {
                status: 200,
                headers: BTreeMap::from([("content-type".into(), "application/scim+json".into())]),
                body: Some(json!({"totalResults": 0, "Resources": [], "note": "line\nbreak é"})),
            }),
            error: (!response).then(|| "timed out".to_string()),
            elapsed_ms: 12.345,
        }
    }

    #[test]
    fn a_tallied_transcript_counts_every_exchange_and_keeps_none() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let tally: Tally = {
            let seen = Arc::clone(&seen);
            Arc::new(move |e: &Exchange| seen.lock().unwrap().push((e.seq, e.response.is_some())))
        };
        let mut transcript = Transcript::tallied(tally);
        assert!(transcript.is_empty());
        transcript.push(exchange(1, true));
        transcript.extend([exchange(2, false), exchange(3, true)]);
        assert_eq!(*seen.lock().unwrap(), [(1, true), (2, false), (3, true)]);
        assert_eq!((transcript.len(), transcript.is_empty()), (3, false));
        assert!(transcript.exchanges().is_empty() && transcript.last().is_none());
        let kept: Transcript = [exchange(1, true)].into_iter().collect();
        assert_eq!(kept.len(), 1);
        assert_ne!(kept, transcript);
    }

    #[test]
    fn jsonl_round_trip() {
        let transcript: Transcript = [exchange(1, true), exchange(2, false)].into_iter().collect();
        let mut out = Vec::new();
        transcript.write_jsonl(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2, "one exchange per line: {text}");
        assert!(text.ends_with('\n'));
        let read = Transcript::read_jsonl(format!("{text}\n").as_bytes()).unwrap();
        assert_eq!(read, transcript);
        assert_eq!(read.len(), 2);
        assert_eq!(read.last().unwrap().error.as_deref(), Some("timed out"));
    }

    #[test]
    fn a_bad_line_is_named() {
        let mut out = Vec::new();
        Transcript::from_iter([exchange(1, true)]).write_jsonl(&mut out).unwrap();
        out.extend_from_slice(b"{not json}\n");
        let err = Transcript::read_jsonl(out.as_slice()).unwrap_err();
        assert!(matches!(err, TranscriptError::Line { line: 2, .. }), "{err}");
        out.truncate(out.len() - b"{not json}\n".len());
        out.extend_from_slice(b"\n\xff\n");
        let err = Transcript::read_jsonl(out.as_slice()).unwrap_err();
        assert!(matches!(err, TranscriptError::Unreadable { line: 3, .. }), "{err}");
    }
}
