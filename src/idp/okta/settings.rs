//! How an Okta app's provisioning is configured: the integration kind, what the admin ticks
//! under Provisioning → To App, and the behaviours no public source pins down, each a named
//! option with the best-evidenced default (DESIGN.md "Wire facts").

use std::time::Duration;

use crate::idp::clock::MINUTE;
use crate::target::Auth;

/// The kind of integration, which decides the HTTP method of every update (okta-wire.md §1.0
/// "Which method carries updates").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AppKind {
    /// An OIN catalog app: profile updates by GET then PUT; activation, deactivation and
    /// password sync by PATCH; groups by PATCH (REF20).
    #[default]
    Oin,
    /// An OIN Wizard app with "Support PATCH for User" ticked: profile updates by PATCH too.
    /// Their body is undocumented; [`Options::profile_patch`] shapes it (okta-wire.md §7).
    OinPatchForUser,
    /// A custom app made with the App Integration Wizard: PUT for everything, deactivation and
    /// groups included (REF20).
    Aiw,
}

impl AppKind {
    /// The name transcripts and reports use as the dialect.
    pub fn name(self) -> &'static str {
        match self {
            Self::Oin => "oin",
            Self::OinPatchForUser => "oin-patch-user",
            Self::Aiw => "aiw",
        }
    }

    /// True when (de)activation, password sync and group updates go by PATCH.
    pub fn patches(self) -> bool {
        !matches!(self, Self::Aiw)
    }
}

/// The authentication mode the admin picked (okta-wire.md §1.0 "Authorization forms").
#[derive(Clone, PartialEq, Eq)]
pub enum AuthMode {
    /// "HTTP Header" in the OIN Wizard: `Authorization: <token>`, no scheme.
    Header(String),
    /// "Bearer": `Authorization: Bearer <token>`.
    Bearer(String),
    /// Basic auth (AIW apps only; new OIN submissions cannot use it).
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
    /// OAuth 2.0: Okta runs the authorization-code grant and sends the access token as
    /// `Authorization: Bearer <token>` \[INFERRED\]. The consent step needs a person, so the
    /// simulator takes an access token obtained beforehand.
    OAuthBearer(String),
}

impl std::fmt::Debug for AuthMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Header(_) => "Header([redacted])",
            Self::Bearer(_) => "Bearer([redacted])",
            Self::Basic { .. } => "Basic([redacted])",
            Self::OAuthBearer(_) => "OAuthBearer([redacted])",
        })
    }
}

impl AuthMode {
    /// The target client's authentication for this mode.
    pub fn to_auth(&self) -> Auth {
        match self {
            Self::Header(token) => Auth::Header(token.clone()),
            Self::Bearer(token) | Self::OAuthBearer(token) => Auth::Bearer(token.clone()),
            Self::Basic { user, password } => Auth::Basic { user: user.clone(), password: password.clone() },
        }
    }
}

/// What the admin sets on the app: its label, the unique identifier, the To App switches and
/// the Group Push switches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The SCIM connector base URL.
    pub base_url: String,
    /// The app's label, quoted in Okta's task messages.
    pub label: String,
    /// The integration kind.
    pub kind: AppKind,
    /// "Unique identifier field for users": the app-user variable whose external name Okta
    /// filters on before creating a user (`userName`, REF20).
    pub unique_identifier: String,
    /// To App → "Create Users".
    pub create_users: bool,
    /// To App → "Update User Attributes".
    pub update_user_attributes: bool,
    /// To App → "Deactivate Users".
    pub deactivate_users: bool,
    /// To App → "Sync Password".
    pub sync_password: bool,
    /// "Import Groups": groups are imported with the users, so Group Push knows the app's
    /// groups by id and skips the existence check (okta-wire.md §1.10).
    pub import_groups: bool,
    /// "Rename app groups to match group name in Okta" for pushed groups that were linked to an
    /// existing app group (test plan C9313/C9314).
    pub rename_linked_groups: bool,
}

impl Settings {
    /// An app at `base_url` with every To App feature on, as the OIN test plan sets it up
    /// (C9306).
    pub fn new(base_url: impl Into<String>, kind: AppKind) -> Self {
        Self {
            base_url: base_url.into(),
            label: "scimsim SCIM 2.0 app".into(),
            kind,
            unique_identifier: "userName".into(),
            create_users: true,
            update_user_attributes: true,
            deactivate_users: true,
            sync_password: true,
            import_groups: true,
            rename_linked_groups: true,
        }
    }
}

/// How the filter of an existence check is encoded in the URL (okta-wire.md §1.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FilterEncoding {
    /// `filter=userName%20eq%20%22a%40b%22`: the current documentation (REF20).
    #[default]
    Percent,
    /// `filter=userName+eq+%22a%40b%22`: the 2019 capture (CAP2019).
    Form,
}

/// What a cleared attribute (an empty string in Okta's data model, EL doc) becomes on the wire
/// (okta-wire.md §1.5, §7: undocumented).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClearedValue {
    /// `"title": ""`. Default: Okta keeps the empty string and builds PUT bodies from its own
    /// values [INFERRED, §1.5].
    #[default]
    EmptyString,
    /// `"title": null`.
    Null,
    /// The key is left out of POST bodies, and left at the server's value in PUT bodies.
    Omit,
}

/// The body of a profile update when "Support PATCH for User" is on (okta-wire.md §7:
/// undocumented).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfilePatch {
    /// One path-less `replace` with the app-user profile as a value object, as every other
    /// documented Okta PATCH is shaped.
    #[default]
    PathLessReplace,
    /// One `replace` per attribute, with its path (`name.givenName`,
    /// `emails[primary eq true].value`).
    PerAttribute,
}

/// Behaviours the public record does not settle, with the default this simulator uses and the
/// evidence for it. Each one can be switched to reproduce an org that behaves otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The filter's URL encoding.
    pub filter_encoding: FilterEncoding,
    /// What a cleared attribute becomes.
    pub cleared_value: ClearedValue,
    /// The profile-update PATCH body of [`AppKind::OinPatchForUser`].
    pub profile_patch: ProfilePatch,
    /// Add the URNs of extension namespaces with data to `schemas`. Default false: every
    /// documented Okta body lists only the core URN (okta-wire.md §2.2, §7).
    pub list_extension_schemas: bool,
    /// Keep multi-valued elements whose mapped values are all null or empty
    /// (`{"primary": false}`) instead of leaving them out. Default false: no documented body
    /// shows such an element (okta-wire.md §2.4 "Effect on payloads", unverified).
    pub keep_empty_elements: bool,
    /// Send the Okta user id as `externalId` in POST bodies. Default true: REF20's main
    /// example; REF20 also shows a POST without it.
    pub send_external_id: bool,
    /// Carry `password` in profile PUT bodies. Default true: the 2018 capture's PUT has one
    /// (CAP2019).
    pub password_in_put: bool,
    /// POST pushed groups with their members instead of `"members": []` followed by a PATCH.
    /// Default false: the current docs (REF20); the 2019 docs show members in the POST.
    pub group_create_with_members: bool,
    /// AIW apps read a group (`GET /Groups/{id}`) before the PUT that updates it. Default
    /// false: REF20 shows the PUT alone; the 2019 docs describe the GET first.
    pub aiw_group_reads_first: bool,
    /// Suspending an Okta user deactivates it in the app. Default false: REF20's "Delete
    /// Users" section says suspended users are set `active: false`, but its concept pages, the
    /// FAQ and the test plan (C9295) say suspension sends nothing (okta-wire.md §1.7).
    pub suspend_deactivates: bool,
    /// A re-assignment starts with the existence check ("Verify user exists in external
    /// application", a dev-forum System Log, okta-wire.md §1.8). Default true.
    pub reassign_verifies: bool,
    /// Test Connector Configuration also lists groups. Default true: SCIM 1.1 docs and Okta's
    /// 2016 SCIM 2.0 suite (okta-wire.md §1.1, §7).
    pub test_connector_lists_groups: bool,
    /// Read `Resources` and the paging numbers of a ListResponse whatever their case. Default
    /// true: the 2019 reference says Okta tolerated `resources` and `totalresults`.
    pub lenient_list_keys: bool,
    /// Put `Content-Type` on DELETE requests too, as the 2019 captures show. Default false:
    /// REF20 shows none.
    pub content_type_on_delete: bool,
    /// The first wait after a 429 without a usable integer `Retry-After` (5 minutes, §5.1).
    pub rate_limit_default_wait: Duration,
    /// How many 429s a task takes before it fails for good (10, §5.1).
    pub rate_limit_attempts: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            filter_encoding: FilterEncoding::Percent,
            cleared_value: ClearedValue::EmptyString,
            profile_patch: ProfilePatch::PathLessReplace,
            list_extension_schemas: false,
            keep_empty_elements: false,
            send_external_id: true,
            password_in_put: true,
            group_create_with_members: false,
            aiw_group_reads_first: false,
            suspend_deactivates: false,
            reassign_verifies: true,
            test_connector_lists_groups: true,
            lenient_list_keys: true,
            content_type_on_delete: false,
            rate_limit_default_wait: 5 * MINUTE,
            rate_limit_attempts: 10,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_decide_the_method() {
        assert!(AppKind::Oin.patches());
        assert!(AppKind::OinPatchForUser.patches());
        assert!(!AppKind::Aiw.patches());
        assert_eq!(AppKind::Aiw.name(), "aiw");
    }

    #[test]
    fn auth_modes_map_to_headers_and_hide_secrets() {
        assert_eq!(AuthMode::Header("t".into()).to_auth(), Auth::Header("t".into()));
        assert_eq!(AuthMode::OAuthBearer("a".into()).to_auth(), Auth::Bearer("a".into()));
        let debug = format!("{:?}", AuthMode::Basic { user: "u".into(), password: "secret".into() });
        assert!(!debug.contains("secret"), "{debug}");
    }

    #[test]
    fn the_test_plan_setup() {
        let settings = Settings::new("https://h/scim/v2", AppKind::Oin);
        assert!(settings.create_users && settings.update_user_attributes && settings.deactivate_users);
        assert_eq!(settings.unique_identifier, "userName");
        assert_eq!(Options::default().rate_limit_attempts, 10);
    }
}
