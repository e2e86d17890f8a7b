//! Cucumber's console output with a failed step said as a failure, not as a crash.
//!
//! A cucumber step fails by unwinding, so cucumber words every failure `Step panicked.
//! Captured output: <message>`. A scimsim step that fails has a message for the user (what
//! is wrong, the fix); it did not crash, and a real panic still reports itself on stderr. So
//! the output shows the message alone, under cucumber's `Step failed:` and `Defined:
//! <file:line:column>` lines.

use std::io::{self, Write};

/// What cucumber puts before a failed step's message.
const PANIC_LABEL: &str = "Step panicked. Captured output: ";

/// A writer that passes cucumber's output on line by line, without [`PANIC_LABEL`].
#[derive(Debug)]
pub(crate) struct FailureWording<W: Write> {
    inner: W,
    /// The start of a line not yet ended.
    pending: Vec<u8>,
}

impl<W: Write> FailureWording<W> {
    /// Rewords what is written to `inner`.
    pub(crate) fn new(inner: W) -> Self {
        Self { inner, pending: Vec::new() }
    }

    /// Writes `bytes` (whole lines, or what is left at a flush) without the label.
    fn pass_on(&mut self, bytes: &[u8]) -> io::Result<()> {
        match std::str::from_utf8(bytes) {
            Ok(text) if text.contains(PANIC_LABEL) => self.inner.write_all(text.replace(PANIC_LABEL, "").as_bytes()),
            _ => self.inner.write_all(bytes),
        }
    }
}

impl<W: Write> Write for FailureWording<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|b| *b == b'\n') {
            let lines: Vec<u8> = self.pending.drain(..=end).collect();
            self.pass_on(&lines)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.pass_on(&rest)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for FailureWording<W> {
    fn drop(&mut self) {
        // Nothing can report a failure this late; the output is best effort.
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panic_label_goes_and_everything_else_stays() {
        let mut out = Vec::new();
        {
            let mut writer = FailureWording::new(&mut out);
            write!(writer, "      Defined: x.feature:4:5\n      Step panicked. ").unwrap();
            write!(writer, "Captured output: the IdP has sent nothing\n   ✔  Then").unwrap();
            writer.write_all(" done".as_bytes()).unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "      Defined: x.feature:4:5\n      the IdP has sent nothing\n   ✔  Then done"
        );
    }
}
