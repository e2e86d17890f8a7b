//! The recording file: one JSON Lines transcript per `scimsim record` run, each exchange
//! written and flushed as it completes.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use time::OffsetDateTime;
use time::macros::format_description;

use super::{CaptureError, Detected};
use crate::transcript::Exchange;

/// Where a recording goes: `DIR/recording-<UTC yyyymmddThhmmssZ>.jsonl`, created new (an
/// existing file is never overwritten).
///
/// Exchanges are written in the order they complete, each as soon as it has been answered, so
/// a Ctrl-C or a crash loses nothing the IdP has seen an answer to. Concurrent requests may
/// therefore appear out of `seq` order (`seq` is the order of arrival); a request that depends
/// on another's answer (a PATCH of the id a POST returned) is sent after that answer, so it is
/// also written after it.
#[derive(Debug)]
pub(crate) struct RecordingSink {
    path: PathBuf,
    /// The file name without `.jsonl`: the exchanges' `scenario`.
    stem: String,
    state: Mutex<SinkState>,
}

#[derive(Debug)]
struct SinkState {
    file: File,
    written: u64,
    unwritten: u64,
    /// The first write failure, for the closing error.
    failure: Option<String>,
}

/// What a finished recording holds: the closing line of `scimsim record`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingSummary {
    /// How many exchanges the file holds.
    pub exchanges: u64,
    /// The recording file.
    pub file: PathBuf,
    /// The IdP and dialect the whole recording shows.
    pub detected: Detected,
}

impl fmt::Display for RecordingSummary {
    /// `12 exchanges recorded in recordings/recording-20260101T120000Z.jsonl (idp entra,
    /// dialect legacy)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.exchanges == 1 { "exchange" } else { "exchanges" };
        write!(f, "{} {noun} recorded in {} ({})", self.exchanges, self.file.display(), self.detected.describe())
    }
}

impl RecordingSink {
    /// Creates `dir` if needed and a new recording file in it named after `started`.
    pub(crate) fn create(dir: &Path, started: OffsetDateTime) -> Result<Self, CaptureError> {
        std::fs::create_dir_all(dir)
            .map_err(|err| CaptureError::OutDir { dir: dir.to_path_buf(), reason: err.to_string() })?;
        let stamp = started
            .to_offset(time::UtcOffset::UTC)
            .format(format_description!("[year][month][day]T[hour][minute][second]Z"))
            .unwrap_or_default();
        let stem = format!("recording-{stamp}");
        let path = dir.join(format!("{stem}.jsonl"));
        let file = OpenOptions::new().write(true).create_new(true).open(&path).map_err(|err| {
            if err.kind() == ErrorKind::AlreadyExists {
                CaptureError::FileExists { file: path.clone() }
            } else {
                CaptureError::File { file: path.clone(), reason: err.to_string() }
            }
        })?;
        let state = SinkState { file, written: 0, unwritten: 0, failure: None };
        Ok(Self { path, stem, state: Mutex::new(state) })
    }

    /// The recording file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The file name without its extension, the `scenario` of every exchange in it.
    pub(crate) fn stem(&self) -> &str {
        &self.stem
    }

    /// Appends `exchange` (already redacted) as one line and flushes it. Blocking file I/O:
    /// call it off the async workers. A failure is counted and reported when the recording
    /// [finishes](Self::finish); the exchange has been answered already.
    pub(crate) fn write(&self, exchange: &Exchange) -> Result<(), String> {
        let mut line = serde_json::to_vec(exchange).map_err(|err| err.to_string());
        if let Ok(line) = &mut line {
            line.push(b'\n');
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let outcome = line.and_then(|line| {
            state.file.write_all(&line).and_then(|()| state.file.flush()).map_err(|err| err.to_string())
        });
        match &outcome {
            Ok(()) => state.written += 1,
            Err(reason) => {
                state.unwritten += 1;
                state.failure.get_or_insert_with(|| reason.clone());
            }
        }
        outcome
    }

    /// How the recording ended: what it holds, or which exchanges it lost.
    pub(crate) fn finish(&self, detected: Detected) -> Result<RecordingSummary, CaptureError> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(reason) = &state.failure {
            return Err(CaptureError::Unwritten {
                file: self.path.clone(),
                count: state.unwritten,
                reason: reason.clone(),
            });
        }
        Ok(RecordingSummary { exchanges: state.written, file: self.path.clone(), detected })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use time::macros::datetime;

    use super::*;
    use crate::capture::IdpDetector;
    use crate::transcript::{RecordedRequest, Transcript};

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("scimsim-sink-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn exchange(seq: u64) -> Exchange {
        Exchange {
            seq,
            idp: "unknown".into(),
            dialect: "undetermined".into(),
            scenario: "recording-20260102T030405Z".into(),
            step: "recorded".into(),
            scheduled_at: "PT0S".into(),
            request: RecordedRequest {
                method: "GET".into(),
                path: "/Users".into(),
                query: None,
                headers: BTreeMap::new(),
                body: None,
            },
            response: None,
            error: Some("timed out".into()),
            elapsed_ms: 1.0,
        }
    }

    #[test]
    fn lines_are_written_as_they_come_and_never_over_an_existing_file() {
        let root = temp_dir("lines");
        let dir = root.join("nested");
        let started = datetime!(2026-01-02 03:04:05 UTC);
        let sink = RecordingSink::create(&dir, started).unwrap();
        assert_eq!(sink.stem(), "recording-20260102T030405Z");
        assert_eq!(sink.path(), dir.join("recording-20260102T030405Z.jsonl"));
        sink.write(&exchange(2)).unwrap();
        // Flushed at once: readable before the recording ends.
        let text = std::fs::read_to_string(sink.path()).unwrap();
        assert_eq!(Transcript::read_jsonl(text.as_bytes()).unwrap().exchanges(), [exchange(2)]);
        sink.write(&exchange(1)).unwrap();
        let summary = sink.finish(IdpDetector::new().observe(&exchange(1).request)).unwrap();
        assert_eq!(summary.exchanges, 2);
        assert_eq!(
            summary.to_string(),
            format!("2 exchanges recorded in {} (idp unknown, dialect undetermined)", sink.path().display())
        );
        let again = RecordingSink::create(&dir, started).unwrap_err();
        assert!(matches!(again, CaptureError::FileExists { .. }), "{again}");
        assert!(again.to_string().contains("never overwritten"), "{again}");
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn an_unusable_directory_is_named() {
        let dir = temp_dir("blocked");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a-file");
        std::fs::write(&file, "").unwrap();
        let err = RecordingSink::create(&file.join("sub"), OffsetDateTime::now_utc()).unwrap_err();
        assert!(matches!(err, CaptureError::OutDir { .. }), "{err}");
        assert!(err.to_string().starts_with(&format!("--out {}", file.join("sub").display())), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
