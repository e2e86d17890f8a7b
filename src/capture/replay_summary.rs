//! What a replay found: how many answers matched the recording, what it created on the
//! target, the new transcript, and why it stopped early if it did.

use crate::exit_code;
use crate::target::{CreatedObject, TargetError};
use crate::transcript::Transcript;

/// The outcome of a replay.
#[derive(Debug, Clone, Default)]
pub struct ReplaySummary {
    /// Exchanges in the recording.
    pub recorded: usize,
    /// Exchanges whose answer matched the recorded one.
    pub identical: usize,
    /// Exchanges whose answer differed.
    pub differ: usize,
    /// Exchanges not sent: they name an object the replay has none for, or would change one
    /// it did not create on a named target.
    pub not_sent: usize,
    /// What the replay created on the target, in order.
    pub created: Vec<CreatedObject>,
    /// The replay's exchanges (the ones not sent with `error` saying why), redacted.
    pub transcript: Transcript,
    /// The target could not be reached (no connection, TLS failure), so the replay stopped.
    pub unreachable: Option<TargetError>,
    /// Ctrl-C or SIGTERM stopped the replay.
    pub interrupted: bool,
}

impl ReplaySummary {
    /// Exchanges gone through: sent and compared, or not sent.
    pub fn replayed(&self) -> usize {
        self.identical + self.differ + self.not_sent
    }

    /// `replayed N exchanges: M identical, K differ`, with the exchanges not sent and those
    /// never reached when there are any.
    pub fn line(&self) -> String {
        let mut line =
            format!("replayed {} exchanges: {} identical, {} differ", self.replayed(), self.identical, self.differ);
        if self.not_sent > 0 {
            line.push_str(&format!(", {} not sent", self.not_sent));
        }
        let left = self.recorded.saturating_sub(self.replayed());
        if left > 0 {
            line.push_str(&format!(" ({left} of {} not reached)", self.recorded));
        }
        line
    }

    /// [`exit_code::TRANSPORT`] when the target could not be reached,
    /// [`exit_code::INTERRUPTED`] when stopped, [`exit_code::FAILED`] when an answer differed
    /// or an exchange was not sent, else [`exit_code::SUCCESS`].
    pub fn exit_code(&self) -> u8 {
        if self.unreachable.is_some() {
            exit_code::TRANSPORT
        } else if self.interrupted {
            exit_code::INTERRUPTED
        } else if self.differ > 0 || self.not_sent > 0 {
            exit_code::FAILED
        } else {
            exit_code::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_and_the_exit_code() {
        let mut summary = ReplaySummary { recorded: 5, identical: 5, ..ReplaySummary::default() };
        assert_eq!(summary.line(), "replayed 5 exchanges: 5 identical, 0 differ");
        assert_eq!(summary.exit_code(), exit_code::SUCCESS);
        summary = ReplaySummary { recorded: 5, identical: 2, differ: 1, not_sent: 1, ..summary };
        assert_eq!(summary.line(), "replayed 4 exchanges: 2 identical, 1 differ, 1 not sent (1 of 5 not reached)");
        assert_eq!(summary.exit_code(), exit_code::FAILED);
        summary.interrupted = true;
        assert_eq!(summary.exit_code(), exit_code::INTERRUPTED);
    }
}
