//! What every handler shares: the store, the resource types, the behaviour profile, the
//! public base URL.

use std::sync::Arc;

use serde_json::Value;

use crate::scim::{ScimError, canonicalize};

use super::{Profile, Registry, Resource, Store};

/// Shared server state (cheap to clone).
#[derive(Debug, Clone)]
pub(crate) struct AppState(Arc<Inner>);

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) registry: Arc<Registry>,
    /// Whose behaviour the server plays.
    pub(crate) profile: Profile,
    /// Public URL of the SCIM base, e.g. `http://127.0.0.1:8080/scim/v2`.
    pub(crate) base_url: String,
    /// `filter.maxResults`.
    pub(crate) max_results: u64,
    /// When the server started (`meta.created` of the discovery documents).
    pub(crate) started: String,
}

impl AppState {
    pub(crate) fn new(registry: Arc<Registry>, base_url: String, max_results: u64, profile: Profile) -> Self {
        let started = crate::scim::format_timestamp(time::OffsetDateTime::now_utc());
        Self(Arc::new(Inner {
            store: Store::with_profile(registry.clone(), base_url.clone(), profile),
            registry,
            profile,
            base_url,
            max_results,
            started,
        }))
    }

    /// Adds a local user (not created through SCIM) from a User resource in the shape a POST
    /// body has; it is checked against the schema like one.
    pub(crate) fn add_local_user(&self, resource: &Value) -> Result<Resource, ScimError> {
        let kind = self.registry.get("User").ok_or_else(|| ScimError::not_found("this server has no User type"))?;
        self.store.add_local(kind, canonicalize(kind, resource)?)
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}
