//! What a load run does: which IdP's initial provisioning, how big a directory, how many jobs
//! at once and at what request rate.

/// The IdP whose initial provisioning a load run plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LoadIdp {
    /// Entra ID's initial cycle: a match query and a create per user, then each group created
    /// and its members added in PATCH batches (entra-wire.md §1.2, §1.9–1.10, §1.14).
    Entra,
    /// Okta: an import of the app's users, then each assignment (existence check, create) and
    /// Group Push (okta-wire.md §1.2, §1.3, §1.10).
    Okta,
}

impl LoadIdp {
    /// `entra` or `okta`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Entra => "entra",
            Self::Okta => "okta",
        }
    }
}

/// Entra's gallery requirement: an app must sustain 25 requests per second per tenant
/// (entra-wire.md §4.4), the `--rate entra-gallery` preset.
pub const ENTRA_GALLERY_RATE: f64 = 25.0;

/// A load run's shape.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LoadPlan {
    /// The IdP played.
    pub idp: LoadIdp,
    /// Users in the directory, all assigned to the app.
    pub users: usize,
    /// Groups, all assigned (Entra) or pushed (Okta).
    pub groups: usize,
    /// Members per group.
    pub members: usize,
    /// IdP jobs sending at once, each working through its own share of the directory.
    pub concurrency: usize,
    /// Requests per second across all jobs; `None`: as fast as the target answers.
    pub rate: Option<f64>,
}
