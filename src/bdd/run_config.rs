//! What a run runs against and where its artefacts go: the embedded reference server or a
//! named target, the tag expression, snapshots, transcripts and verbosity.

use std::path::PathBuf;

use super::run_id::RunId;
use crate::target::Transport;

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
    /// Compare with the snapshot compiled into the binary when the root has none: the bundled
    /// suite against the embedded server, run outside the repository.
    pub bundled_fallback: bool,
}

impl SnapshotStore {
    /// The store a run uses: `explicit` when the user named a directory; otherwise `base` for
    /// the embedded server, and `base/tenants/<host>` for a named target, so a staging tenant's
    /// recordings never mix with the reference server's. A named target records what is
    /// missing; the `bundled` suite against the embedded server falls back to the snapshots
    /// compiled into the binary.
    pub fn choose(explicit: Option<PathBuf>, base: PathBuf, target: &TargetChoice, bundled: bool) -> Self {
        match target {
            TargetChoice::Embedded => {
                Self { root: explicit.unwrap_or(base), record_missing: false, bundled_fallback: bundled }
            }
            TargetChoice::Remote { url, .. } => Self {
                root: explicit.unwrap_or_else(|| base.join("tenants").join(tenant_dir(url))),
                record_missing: true,
                bundled_fallback: false,
            },
        }
    }
}

/// A directory name for a target URL's host and port: `staging.example.com_8443`.
fn tenant_dir(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let name: String =
        host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
    if name.is_empty() { "target".into() } else { name }
}

/// What a run prints on stdout while it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Progress {
    /// Every scenario and step, and the failures, as cucumber writes them (`scimsim run`).
    #[default]
    Steps,
    /// One line per finished feature (certify).
    PerFeature,
    /// Nothing: the caller reports (`scimsim diff` plays an inferred story).
    Silent,
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
    /// What the run prints while it goes.
    pub progress: Progress,
    /// The target's `/ServiceProviderConfig` when the caller already read it (a named
    /// target's reachability probe); otherwise the run reads it after its first judged
    /// scenario.
    pub service_provider_config: Option<serde_json::Value>,
    /// The run's id: every name it gives an object on the target starts with it.
    pub run_id: RunId,
    /// Leave what the run creates on a named target (`--keep`), for inspection; `scimsim
    /// cleanup --run-id` removes it later.
    pub keep: bool,
    /// How requests reach the target (timeout, certificates trusted, plain HTTP allowed);
    /// whether proxies apply is decided per target (never for loopback).
    pub transport: Transport,
}

impl RunConfig {
    /// Against the embedded server, snapshots under `root`, nothing else.
    pub fn embedded(snapshot_root: PathBuf) -> Self {
        Self {
            target: TargetChoice::Embedded,
            tags: None,
            snapshots: SnapshotStore { root: snapshot_root, record_missing: false, bundled_fallback: false },
            transcripts: None,
            verbose: false,
            concurrency: 16,
            progress: Progress::Steps,
            service_provider_config: None,
            run_id: RunId::generate(),
            keep: false,
            transport: Transport::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_target_records_into_its_own_directory() {
        let remote =
            TargetChoice::Remote { url: "https://qa:pw@staging.example.com:8443/scim/v2".into(), token: "t".into() };
        let store = SnapshotStore::choose(None, "snapshots".into(), &remote, true);
        assert_eq!(store.root, PathBuf::from("snapshots/tenants/staging.example.com_8443"));
        assert!(store.record_missing && !store.bundled_fallback);
        let store = SnapshotStore::choose(Some("qa/snaps".into()), "snapshots".into(), &remote, true);
        assert_eq!(store.root, PathBuf::from("qa/snaps"));
    }

    #[test]
    fn the_embedded_server_compares_and_may_fall_back_to_the_bundled_snapshots() {
        let store = SnapshotStore::choose(None, "snapshots".into(), &TargetChoice::Embedded, true);
        assert_eq!(store, SnapshotStore { root: "snapshots".into(), record_missing: false, bundled_fallback: true });
        let own = SnapshotStore::choose(None, "snapshots".into(), &TargetChoice::Embedded, false);
        assert!(!own.bundled_fallback);
        assert_eq!(tenant_dir("nonsense"), "nonsense");
        assert_eq!(tenant_dir("http://"), "target");
    }
}
