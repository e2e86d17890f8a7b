//! What the caller knows about an exchange that the wire does not say.

use std::time::Duration;

/// The transcript fields the IdP engine supplies for each request: its place in the
/// scenario, who sends it and when on the virtual clock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeMeta {
    /// Position in the scenario's transcript, from 1.
    pub seq: u64,
    /// The simulated IdP (`entra`, `okta`).
    pub idp: String,
    /// The IdP's wire dialect (`legacy`, `aadOptscim062020`, `oin`, `aiw`).
    pub dialect: String,
    /// The scenario's name.
    pub scenario: String,
    /// The step that caused the request.
    pub step: String,
    /// Virtual time since the run started; recorded as an ISO 8601 duration
    /// ([`iso8601_duration`](crate::transcript::iso8601_duration)).
    pub scheduled_at: Duration,
}
