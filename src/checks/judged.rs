//! What the checks judge: one scenario's exchanges, in order, with what the run knows about the
//! target.

use serde_json::Value;

use crate::transcript::Exchange;

/// The input of every check: a scenario's exchanges and the target's advertised capabilities.
#[derive(Debug, Clone, Copy)]
pub struct Judged<'a> {
    /// The IdP that sent them: `entra` or `okta`.
    pub idp: &'a str,
    /// The exchanges, in `seq` order.
    pub exchanges: &'a [Exchange],
    /// The target's `GET /ServiceProviderConfig` body, when the run read it: checks of what is
    /// "advertised" (ETags, PATCH, filter) consult it and are not applicable without it.
    pub service_provider_config: Option<&'a Value>,
}
