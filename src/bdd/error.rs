//! Why a run could not start: features that cannot be read or parsed, a bad tag expression.
//! Failing steps are not errors here; they are scenario results.

use std::path::PathBuf;

/// A problem with the run's input, reported before any scenario runs.
#[derive(Debug, thiserror::Error)]
pub enum BddError {
    /// A file or directory that cannot be read.
    #[error("{}: cannot read it: {source}", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The paths hold no `.feature` file.
    #[error("no .feature files in {}; name feature files or directories that hold them", paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    NoFeatures {
        /// The paths given.
        paths: Vec<PathBuf>,
    },
    /// A feature file that is not valid Gherkin.
    #[error("{}:{detail} — not valid Gherkin (a file starts with `Feature:`; each step line starts with Given, When, Then, And or But under a Scenario)", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message, with the line and column.
        detail: String,
    },
    /// A tag expression that does not parse.
    #[error("tag expression {expression:?}: {detail} (write e.g. \"@okta and not @slow\")")]
    Tags {
        /// The expression.
        expression: String,
        /// What is wrong.
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
    /// The process exit code (DESIGN.md): 4 for feature parse errors, 3 for a server that
    /// cannot start, 2 for the rest.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Parse { .. } => crate::exit_code::FEATURE_PARSE,
            Self::Server(_) | Self::Http(_) => crate::exit_code::TRANSPORT,
            _ => crate::exit_code::USAGE,
        }
    }
}
