//! Why a run could not start: features that cannot be read or parsed, steps that match no
//! step definition, a bad tag expression. Failing steps are not errors here; they are
//! scenario results.

use std::io::ErrorKind;
use std::path::PathBuf;

use super::step_check::StepProblem;

/// A problem with the run's input, reported before any scenario runs.
#[derive(Debug, thiserror::Error)]
pub enum BddError {
    /// A file or directory that cannot be read. (The cause is a `reason`, not a `source`:
    /// the message shows it once, where a `source` would be shown again by every printer
    /// that walks the error chain.)
    #[error("{}: cannot read it: {reason}; {}", path.display(), read_fix(reason))]
    Read {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: std::io::Error,
    },
    /// The paths hold no `.feature` file.
    #[error("no .feature files in {}; name feature files or directories that hold them", paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NoFeatures {
        /// The paths given.
        paths: Vec<PathBuf>,
    },
    /// A feature file that is not valid Gherkin, or that Gherkin would read differently from
    /// what it looks like (a table row with more cells than its header).
    #[error("{}:{line}{}: {problem}; {fix}", path.display(), column.map(|c| format!(":{c}")).unwrap_or_default())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the problem.
        line: usize,
        /// The 1-based column, where it is known.
        column: Option<usize>,
        /// What is wrong.
        problem: String,
        /// How to fix it.
        fix: String,
    },
    /// Steps of the selected scenarios that match no step definition, match several, or
    /// match only under another keyword: found before any scenario runs, all at once.
    #[error("{}", StepProblem::report(problems))]
    Steps {
        /// Every such step, in file and line order.
        problems: Vec<StepProblem>,
    },
    /// A tag expression that does not parse.
    #[error(
        "tag expression {expression:?}: {detail}; combine tags that start with @ using and, or, not and \
         parentheses, e.g. --tags \"@okta and not (@slow or @embedded)\""
    )]
    Tags {
        /// The expression.
        expression: String,
        /// What is wrong, and where.
        detail: String,
    },
    /// A step definition whose pattern does not compile (a bug in scimsim).
    #[error("step pattern {pattern:?} does not compile: {detail}")]
    StepPattern {
        /// The pattern.
        pattern: String,
        /// What is wrong.
        detail: String,
    },
    /// The embedded server could not start.
    #[error("cannot start the embedded reference server: {0}")]
    Server(#[from] crate::server::ServerError),
    /// The HTTP client could not be set up (the system's TLS roots cannot be read).
    #[error("cannot set up the HTTP client: {0}")]
    Http(String),
}

impl BddError {
    /// The process exit code (DESIGN.md): 4 for feature files that do not parse and steps
    /// that match no definition, 3 for a server that cannot start, 2 for the rest.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Parse { .. } | Self::Steps { .. } => crate::exit_code::FEATURE_PARSE,
            Self::Server(_) | Self::Http(_) => crate::exit_code::TRANSPORT,
            _ => crate::exit_code::USAGE,
        }
    }

    /// A tag expression error from gherkin's message (`error at 1:7: expected one of "(",
    /// "@", "not"`), said as `at column 7, expected one of …`.
    pub(crate) fn tags(expression: &str, message: &str) -> Self {
        let detail = match message.strip_prefix("error at 1:").and_then(|rest| rest.split_once(": ")) {
            // `_` is the parser's name for a space: not something to write.
            Some((column, expected)) => format!("at column {column}, {}", expected.replace(", _", "")),
            None => message.to_string(),
        };
        Self::Tags { expression: expression.to_string(), detail }
    }
}

/// What to do about a path that cannot be read.
fn read_fix(reason: &std::io::Error) -> &'static str {
    match reason.kind() {
        ErrorKind::NotFound => "check the path: name .feature files, or directories that hold them",
        ErrorKind::PermissionDenied => "make it readable (chmod u+r), or run as a user who may read it",
        _ => "name .feature files, or directories that hold them",
    }
}
