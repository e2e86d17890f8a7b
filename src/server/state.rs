//! What every handler shares: the store, the resource types, the public base URL.

use std::sync::Arc;

use super::{Registry, Store};

/// Shared server state (cheap to clone).
#[derive(Debug, Clone)]
pub(crate) struct AppState(Arc<Inner>);

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) registry: Arc<Registry>,
    /// Public URL of the SCIM base, e.g. `http://127.0.0.1:8080/scim/v2`.
    pub(crate) base_url: String,
    /// `filter.maxResults`.
    pub(crate) max_results: u64,
    /// When the server started (`meta.created` of the discovery documents).
    pub(crate) started: String,
}

impl AppState {
    pub(crate) fn new(registry: Arc<Registry>, base_url: String, max_results: u64) -> Self {
        let started = crate::scim::format_timestamp(time::OffsetDateTime::now_utc());
        Self(Arc::new(Inner {
            store: Store::new(registry.clone(), base_url.clone()),
            registry,
            base_url,
            max_results,
            started,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}
