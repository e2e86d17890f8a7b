//! Hands cucumber features that are already parsed: the runner parses them itself, to report
//! a bad file with exit code 4 before any scenario runs and to select scenarios by tag.

use std::pin::Pin;
use std::task::{Context, Poll};

use cucumber::gherkin::Feature;
use cucumber::{cli, parser};
use futures_core::Stream;

/// A cucumber parser over parsed, expanded features.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FeatureParser;

/// The features, one by one.
#[derive(Debug)]
pub(crate) struct Features(std::vec::IntoIter<Feature>);

impl Stream for Features {
    type Item = parser::Result<Feature>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.next().map(Ok))
    }
}

impl cucumber::Parser<Vec<Feature>> for FeatureParser {
    type Cli = cli::Empty;
    type Output = Features;

    fn parse(self, input: Vec<Feature>, _: cli::Empty) -> Features {
        Features(input.into_iter())
    }
}
