//! How an Entra provisioning job is configured: what the admin sets in the portal, and the
//! behaviours no public source pins down, each a named option with the best-evidenced default
//! (DESIGN.md "Wire facts").

use std::time::Duration;

use crate::idp::clock::{DAY, MINUTE};

/// Which source objects the job considers ("Scope" on the provisioning blade, entra-wire.md
/// §3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// "Sync only assigned users and groups" (the default).
    #[default]
    AssignedOnly,
    /// "Sync all users and groups".
    All,
}

/// The SCIM dialect the job speaks (entra-wire.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// Today's default for non-gallery apps: PascalCase `op`, string booleans, one operation
    /// per path, `Remove` with a value array.
    #[default]
    Legacy,
    /// `?aadOptscim062020` on the Tenant URL: lowercase `op`, real booleans, path-less merged
    /// replace, filtered member remove.
    AadOptscim062020,
}

impl Dialect {
    /// The name transcripts and reports use.
    pub fn name(self) -> &'static str {
        match self {
            Self::Legacy => "legacy",
            Self::AadOptscim062020 => "aadOptscim062020",
        }
    }
}

/// The query-string switches Entra reads from the Tenant URL (entra-wire.md §0, §2).
const TENANT_URL_FLAGS: [&str; 2] = ["aadOptscim062020", "AzureAdScimPatch2017"];

/// The admin's settings of the provisioning job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The Tenant URL as entered, possibly ending in `?aadOptscim062020`.
    pub tenant_url: String,
    /// Assigned only, or all users and groups.
    pub scope: Scope,
    /// The `SkipOutOfScopeDeletions` job secret: users leaving scope are not disabled
    /// (entra-wire.md §1.5, SKIP).
    pub skip_out_of_scope_deletions: bool,
    /// "Prevent accidental deletions": a cycle that would disable or delete more users than
    /// this stops and waits for approval (entra-wire.md §1.7, ACCDEL; default 500).
    pub accidental_deletion_threshold: Option<usize>,
}

impl Settings {
    /// A job for `tenant_url` with the portal's defaults.
    pub fn new(tenant_url: impl Into<String>) -> Self {
        Self {
            tenant_url: tenant_url.into(),
            scope: Scope::AssignedOnly,
            skip_out_of_scope_deletions: false,
            accidental_deletion_threshold: Some(500),
        }
    }

    /// The dialect the Tenant URL selects: `aadOptscim062020` anywhere in its query turns the
    /// flag on, unless `AzureAdScimPatch2017` rolls it back.
    pub fn dialect(&self) -> Dialect {
        let query = self.tenant_url.split_once('?').map_or("", |(_, q)| q);
        let has =
            |flag: &str| query.split('&').any(|p| p.split('=').next().is_some_and(|k| k.eq_ignore_ascii_case(flag)));
        if has("aadOptscim062020") && !has("AzureAdScimPatch2017") {
            Dialect::AadOptscim062020
        } else {
            Dialect::Legacy
        }
    }

    /// The base URL requests go to and the query parameters every request carries: the Tenant
    /// URL split at `?`, without Entra's own switches ([`Options::strip_tenant_url_flags`]).
    pub fn base_url(&self, options: &Options) -> (String, Option<String>) {
        let Some((base, query)) = self.tenant_url.split_once('?') else { return (self.tenant_url.clone(), None) };
        let is_flag =
            |p: &&str| TENANT_URL_FLAGS.iter().any(|f| p.split('=').next().is_some_and(|k| k.eq_ignore_ascii_case(f)));
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter(|p| !options.strip_tenant_url_flags || !is_flag(p))
            .collect();
        (base.to_string(), (!kept.is_empty()).then(|| kept.join("&")))
    }
}

/// How a manager reference travels in PATCH (entra-wire.md §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ManagerShape {
    /// `{"op":"add","path":"urn:…:enterprise:2.0:User:manager","value":"<id>"}`: current
    /// traffic (SCIM-SDK#686, a 2024 capture).
    #[default]
    BareId,
    /// `{"op":"Add","path":"manager","value":[{"$ref":"…/Users/<id>","value":"<id>"}]}`: the
    /// legacy documentation.
    LegacyReferenceArray,
}

/// Behaviours the public record does not settle, with the default this simulator uses and the
/// evidence for it. Each one can be switched to reproduce a tenant that behaves otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Interval between incremental cycles: fixed at about 40 minutes (entra-wire.md §4.1).
    pub cycle_interval: Duration,
    /// How long a soft-deleted user stays in the recycle bin before Entra purges it (30 days,
    /// entra-wire.md §1.7).
    pub soft_delete_retention: Duration,
    /// Send the Test Connection probe before every cycle, not only when the job starts.
    /// Default false: §1.1 says "and the start of each run" [Inf: a run = the job starting].
    pub test_connection_every_cycle: bool,
    /// Strip `?aadOptscim062020` from the Tenant URL before calling the target. Default true:
    /// Fleet's docs say the parameter is processed by Entra (entra-wire.md §0, open question 7).
    pub strip_tenant_url_flags: bool,
    /// An `Accept` header to send. Default none: a Rails app answered 406 to Entra's GET, so
    /// Entra sends no `Accept: application/scim+json` (entra-wire.md §0).
    pub accept: Option<String>,
    /// A `User-Agent` to send. Default none: no reliable public source (entra-wire.md §0).
    pub user_agent: Option<String>,
    /// Send the `ADSCIMVersion` header (its presence is established; its value format is not,
    /// so the value holds the virtual time and an activity id, entra-wire.md §0).
    pub adscim_version_header: bool,
    /// Mark the work email `"primary": true` in POST bodies, as Microsoft's sample does
    /// (entra-wire.md §1.2).
    pub primary_work_email: bool,
    /// How a manager reference travels.
    pub manager_shape: ManagerShape,
    /// Include `"$ref": null` in legacy member-removal values. Default true: SCIM-TUT's sample
    /// has it; COMPAT's legacy column omits it (entra-wire.md §1.10).
    pub member_remove_ref_null: bool,
    /// Most members per membership PATCH. Not documented (entra-wire.md §1.10, open question
    /// 3); default 100 \[Inf\].
    pub member_batch_size: usize,
    /// Under `aadOptscim062020`, merge even a lone single-valued change into a path-less
    /// operation. Default false: two or more changes merge, a lone one keeps its path \[Inf\],
    /// reconciling COMPAT's disable sample (with a path) and its multi-attribute sample
    /// (path-less).
    pub merge_single_change: bool,
    /// Under `aadOptscim062020`, rename groups with a path-less replace, as the SCIM Validator
    /// does [Inf, entra-wire.md §1.11].
    pub path_less_group_rename: bool,
    /// Wrap each element of a multi-valued custom attribute as `{"value": …}` in POST, as the
    /// captured PATCH form does (entra-wire.md §3.3, open question 8) \[Inf\].
    pub wrap_multi_valued_custom: bool,
    /// Wait this long after a 429 without `Retry-After` \[Inf\].
    pub retry_after_default: Duration,
    /// Retries of one request after 429 within a cycle before it goes to escrow \[Inf\].
    pub max_throttle_retries: u32,
    /// The longest escrow back-off: failures are retried "down to once a day" (entra-wire.md
    /// §4.2). Each failure doubles the wait, starting at one cycle \[Inf\].
    pub escrow_backoff_cap: Duration,
    /// Escrow quarantine is evaluated once this many failures have accumulated (5,000,
    /// entra-wire.md §4.3, QUAR).
    pub quarantine_evaluation_floor: u64,
    /// Quarantine when more than this share of non-reference operations fail (40 %).
    pub quarantine_failure_ratio: f64,
    /// Quarantine beyond this many non-reference failures (40,000).
    pub quarantine_non_reference_failures: u64,
    /// Quarantine beyond this many failures in all, references included (60,000).
    pub quarantine_total_failures: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            cycle_interval: 40 * MINUTE,
            soft_delete_retention: 30 * DAY,
            test_connection_every_cycle: false,
            strip_tenant_url_flags: true,
            accept: None,
            user_agent: None,
            adscim_version_header: true,
            primary_work_email: true,
            manager_shape: ManagerShape::BareId,
            member_remove_ref_null: true,
            member_batch_size: 100,
            merge_single_change: false,
            path_less_group_rename: true,
            wrap_multi_valued_custom: true,
            retry_after_default: MINUTE,
            max_throttle_retries: 3,
            escrow_backoff_cap: DAY,
            quarantine_evaluation_floor: 5_000,
            quarantine_failure_ratio: 0.4,
            quarantine_non_reference_failures: 40_000,
            quarantine_total_failures: 60_000,
        }
    }
}

impl Options {
    /// The wait before retry number `failures` of an escrowed operation: one cycle, then twice
    /// as long each time, at most [`Options::escrow_backoff_cap`].
    pub fn escrow_backoff(&self, failures: u32) -> Duration {
        let doubled = self.cycle_interval.saturating_mul(1u32 << failures.saturating_sub(1).min(16));
        doubled.min(self.escrow_backoff_cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenant_url_flag_selects_the_dialect() {
        assert_eq!(Settings::new("https://h/scim").dialect(), Dialect::Legacy);
        assert_eq!(Settings::new("https://h/scim?aadOptscim062020").dialect(), Dialect::AadOptscim062020);
        assert_eq!(Settings::new("https://h/scim?x=1&AADOPTSCIM062020").dialect(), Dialect::AadOptscim062020);
        assert_eq!(Settings::new("https://h/scim?aadOptscim062020&AzureAdScimPatch2017").dialect(), Dialect::Legacy);
    }

    #[test]
    fn the_flag_is_stripped_from_the_base_url() {
        let options = Options::default();
        let base = |url: &str, options: &Options| Settings::new(url).base_url(options);
        assert_eq!(
            base("https://h/api/v1/fleet/scim?aadOptscim062020", &options),
            ("https://h/api/v1/fleet/scim".into(), None)
        );
        assert_eq!(
            base("https://h/scim?tenant=7&aadOptscim062020", &options),
            ("https://h/scim".into(), Some("tenant=7".into()))
        );
        let keep = Options { strip_tenant_url_flags: false, ..Options::default() };
        assert_eq!(
            base("https://h/scim?aadOptscim062020", &keep),
            ("https://h/scim".into(), Some("aadOptscim062020".into()))
        );
        assert_eq!(base("https://h/scim/", &options), ("https://h/scim/".into(), None));
    }

    #[test]
    fn escrow_backs_off_to_once_a_day() {
        let options = Options::default();
        assert_eq!(options.escrow_backoff(1), 40 * MINUTE);
        assert_eq!(options.escrow_backoff(2), 80 * MINUTE);
        assert_eq!(options.escrow_backoff(6), 1280 * MINUTE);
        assert_eq!(options.escrow_backoff(7), DAY);
        assert_eq!(options.escrow_backoff(40), DAY);
    }
}
