//! What a run created on a named target, and what became of it (DESIGN.md "Runs against real
//! tenants"): each scenario's objects are removed when it ends (or kept, with `--keep`); a
//! scenario cut off by Ctrl-C or SIGTERM hands its objects over as it is dropped, and the run
//! removes them, then sweeps the target for anything else under its run id. What could not be
//! removed is reported.
//!
//! Nothing else is ever touched: the paths come from the target's own `201 Created` answers
//! to this run, and the sweep only takes names that start with this run's id.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use crate::target::{Leftover, Remover, find_named};

/// The run's side of cleaning up, shared by every scenario.
#[derive(Debug)]
pub struct RunCleanup {
    /// The named target's remover; `None` against the embedded server, whose per-scenario
    /// servers vanish with their scenario.
    remover: Option<Remover>,
    /// `--keep`: leave everything on the target.
    keep: bool,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Paths of scenarios that were dropped before they could clean up.
    abandoned: Vec<String>,
    outcome: CleanupOutcome,
}

/// What became of the objects a run created on a named target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanupOutcome {
    /// Objects removed.
    pub removed: usize,
    /// Objects left on purpose (`--keep`).
    pub kept: usize,
    /// Objects still on the target (deactivated, or refused), with the reason.
    pub leftovers: Vec<Leftover>,
    /// Why the sweep after an interruption could not read the target.
    pub sweep_error: Option<String>,
}

impl CleanupOutcome {
    /// True when the run created nothing on a named target, or removed all of it.
    pub fn clean(&self) -> bool {
        self.kept == 0 && self.leftovers.is_empty() && self.sweep_error.is_none()
    }
}

impl RunCleanup {
    /// Cleaning up after a run against `remover`'s target (`None`: the embedded server).
    pub fn new(remover: Option<Remover>, keep: bool) -> Self {
        Self { remover, keep, state: Mutex::default() }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A scenario ended: removes what it created (`paths`, groups first), or keeps it.
    pub async fn scenario_finished(&self, paths: Vec<String>) {
        let Some(remover) = &self.remover else { return };
        if self.keep {
            self.state().outcome.kept += paths.len();
            return;
        }
        for path in paths {
            let removal = remover.remove(&path).await;
            let mut state = self.state();
            if removal.removed() {
                state.outcome.removed += 1;
            } else {
                state.outcome.leftovers.push(Leftover { path, removal });
            }
        }
    }

    /// A scenario was dropped before it ended (the run was interrupted): its objects are
    /// removed with the rest after the run stops.
    pub fn abandoned(&self, paths: Vec<String>) {
        if self.remover.is_some() {
            self.state().abandoned.extend(paths);
        }
    }

    /// After an interruption: removes what the dropped scenarios created, then anything else
    /// on the target whose name starts with `name_prefix` (a create that was cut off before
    /// its answer arrived). With `--keep`, only counts what the dropped scenarios created.
    pub async fn after_interruption(&self, name_prefix: &str) {
        let Some(remover) = &self.remover else { return };
        let mut paths = std::mem::take(&mut self.state().abandoned);
        if self.keep {
            self.state().outcome.kept += paths.len();
            return;
        }
        match find_named(remover, name_prefix).await {
            Ok(found) => paths.extend(found.into_iter().map(|f| f.path)),
            Err(error) => self.state().outcome.sweep_error = Some(error.to_string()),
        }
        let done: HashSet<String> = self.state().outcome.leftovers.iter().map(|l| l.path.clone()).collect();
        let mut seen = HashSet::new();
        paths.retain(|path| !done.contains(path) && seen.insert(path.clone()));
        paths.sort_by_key(|path| path.starts_with("Users/"));
        self.scenario_finished(paths).await;
    }

    /// What became of everything so far.
    pub fn outcome(&self) -> CleanupOutcome {
        self.state().outcome.clone()
    }
}
