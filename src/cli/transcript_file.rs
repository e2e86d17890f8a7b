//! Reading a recording named on the command line (`scimsim replay`, `scimsim diff`), with a
//! message for each way it can be unusable.

use std::io::BufReader;
use std::path::Path;

use anyhow::anyhow;

use crate::transcript::{Transcript, TranscriptError};

/// Reads a recording; every failure is a usage error that names the file (and the line)
/// and says what to do.
pub(super) fn read(path: &Path) -> anyhow::Result<Transcript> {
    let hint = "name a JSON Lines file written by `scimsim record` or `scimsim run --transcript DIR`";
    if path.is_dir() {
        return Err(anyhow!(
            "{} is a directory: {hint} (`run --transcript` writes one file per scenario, \
             <DIR>/<idp>/<feature>/<scenario>.jsonl)",
            path.display()
        ));
    }
    // Messages only, no io::Error source: an unreadable file is the user's to fix (exit 2),
    // not a transport failure.
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow!("cannot read {}: cannot open the transcript: {e} ({hint})", path.display()))?;
    let recording = Transcript::read_jsonl(BufReader::new(file)).map_err(|e| match e {
        TranscriptError::Line { line, .. } | TranscriptError::Unreadable { line, .. } => {
            anyhow!("{}: {e}; fix or delete line {line}", path.display())
        }
        e => anyhow!("{}: {e}", path.display()),
    })?;
    if recording.is_empty() {
        return Err(anyhow!("{} holds no exchange: {hint}", path.display()));
    }
    Ok(recording)
}
