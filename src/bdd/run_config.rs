//! What a run runs against and where its artefacts go: the embedded reference server or a
//! named target, the tag expression, snapshots, transcripts and verbosity.

use std::path::PathBuf;

/// The SCIM server scenarios provision into.
#[derive(Clone, PartialEq, Eq)]
pub enum TargetChoice {
    /// A fresh embedded reference server per scenario (isolated, and free to take a behaviour
    /// profile).
    Embedded,
    /// A server someone else runs: a staging tenant. Scenarios tagged `@embedded` (profiles,
    /// injected faults) cannot run there and are left out.
    Remote {
        /// The SCIM base URL.
        url: String,
        /// The bearer token.
        token: String,
    },
}

impl std::fmt::Debug for TargetChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Embedded => f.write_str("Embedded"),
            Self::Remote { url, .. } => f.debug_struct("Remote").field("url", url).finish_non_exhaustive(),
        }
    }
}

/// Where snapshots live and whether a missing one may be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotStore {
    /// The root: `snapshots/<idp>/<feature>/<scenario>.snap` go below it.
    pub root: PathBuf,
    /// Record a snapshot that does not exist yet and pass (a staging tenant's first run);
    /// otherwise a missing snapshot fails as insta decides (`.snap.new` for review).
    pub record_missing: bool,
}

/// A run's configuration.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The target.
    pub target: TargetChoice,
    /// A tag expression selecting scenarios (`@okta and not @slow`).
    pub tags: Option<String>,
    /// Snapshots.
    pub snapshots: SnapshotStore,
    /// Write each scenario's exchanges as JSON Lines under this directory.
    pub transcripts: Option<PathBuf>,
    /// Print each request and response like `curl -v` (token redacted); runs one scenario at
    /// a time so the output reads in order.
    pub verbose: bool,
    /// How many scenarios run at once.
    pub concurrency: usize,
}

impl RunConfig {
    /// Against the embedded server, snapshots under `root`, nothing else.
    pub fn embedded(snapshot_root: PathBuf) -> Self {
        Self {
            target: TargetChoice::Embedded,
            tags: None,
            snapshots: SnapshotStore { root: snapshot_root, record_missing: false },
            transcripts: None,
            verbose: false,
            concurrency: 16,
        }
    }
}
