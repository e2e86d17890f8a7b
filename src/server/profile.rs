//! Behaviour profiles: the reference server answering the way a real SCIM server does, so a
//! scenario can show what Entra ID and Okta meet against that product.
//!
//! `strict` is the reference server as the RFCs describe it. Every other profile is one
//! product's documented behaviour, each rule citing the product's own documentation; where the
//! documentation is silent the rule is marked **\[INFERRED\]** and is the simulator's best model,
//! not a documented fact. A profile changes User resources only (and, for Ivanti, what deleting
//! a group does to its members); groups and the protocol stay as in `strict`.
//!
//! The profile's hooks run where the server decides: [`Profile::screen_body`] and
//! [`Profile::screen_patch`] before a request is read against the schema, [`Profile::settle`]
//! inside the store's lock with the stored resource at hand, and the store asks
//! [`Profile::takes_over_local_users`] and the delete questions itself. Under `strict` every
//! hook returns at once, so the strict path does what it did before profiles existed.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::scim::{PatchOp, ResourceSchema, SchemaError, ScimError, urn};

use super::blank_values::BlankValues;
use super::{ivanti, omni};

/// Which real SCIM server the reference server plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// RFC 7643/7644 as written: the reference server's own behaviour.
    #[default]
    Strict,
    /// Omni (analytics), provisioned from Entra ID.
    ///
    /// - Custom user attributes live in `urn:omni:params:1.0:UserAttribute`, string or integer,
    ///   optionally multi-valued; `blob_entity` is the docs' example
    ///   (<https://docs.omni.co/administration/authentication/entra/user-attributes>).
    /// - Omni's system user attributes (`omni_is_org_admin`, `omni_user_email`,
    ///   `omni_user_embed_entity`, `omni_user_groups`, `omni_user_id`, `omni_user_name`,
    ///   <https://docs.omni.co/administration/user-attributes>) "are read-only and cannot be
    ///   assigned via SCIM" (same page, and
    ///   <https://docs.omni.co/administration/authentication/entra/scim>): a write to one is
    ///   `400 mutability` naming it. That it is refused rather than ignored is \[INFERRED\].
    /// - "Omni users created via SCIM will have Organization Member permissions"
    ///   (<https://docs.omni.co/administration/authentication/entra/scim>): they get
    ///   `roles: [{"value": "member", "display": "Organization Member", "primary": true}]`.
    ///   The role's wire shape, and that SCIM cannot change it afterwards, are \[INFERRED\].
    Omni,
    /// Ivanti Neurons for MDM's SCIM user provisioning.
    ///
    /// - Custom attributes live in `urn:ietf:params:scim:schemas:extension:ivanti:2.0:User`, and
    ///   of the enterprise extension "currently only the Department attribute is supported"
    ///   (<https://help.ivanti.com/mi/help/en_us/cld/admin/ivanti/94/all/en-us/Configure%20Attributes%20in%20SCIM%20User%20Provisioning.htm>).
    ///   The other enterprise attributes are accepted and ignored \[INFERRED: the Entra setup
    ///   deletes unsupported mappings rather than reporting errors,
    ///   <https://help.ivanti.com/mi/help/en_us/cld/admin/ivanti/104/all/en-us/Azure%20AD.htm>\].
    /// - \[INFERRED\] An email is mandatory on create; a blank `name.givenName` or
    ///   `name.familyName` is refused; `DELETE /Users/{id}` disables the user (it stays
    ///   readable); a PUT or PATCH that sets an attribute to `""` or `null` leaves the stored
    ///   value; deleting a group disables its members; a POST whose `userName` belongs to a
    ///   local user (one not created through SCIM) takes that user over instead of `409`.
    Ivanti,
}

impl Profile {
    /// Every profile, `strict` first.
    pub const ALL: [Self; 3] = [Self::Strict, Self::Omni, Self::Ivanti];

    /// The name `scimsim serve --profile` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Strict => "strict",
            Self::Omni => "omni",
            Self::Ivanti => "ivanti",
        }
    }

    /// The product's SCIM documentation, published as `documentationUri` in
    /// `/ServiceProviderConfig` (RFC 7643 §5); `None` for `strict`.
    pub fn documentation(self) -> Option<&'static str> {
        match self {
            Self::Strict => None,
            Self::Omni => Some("https://docs.omni.co/administration/authentication/entra/scim"),
            Self::Ivanti => Some(ivanti::DOCUMENTATION),
        }
    }

    /// The extension URNs this profile adds to the User resource type.
    pub(crate) fn extension_ids(self) -> &'static [&'static str] {
        match self {
            Self::Strict => &[],
            Self::Omni => &[omni::URN],
            Self::Ivanti => &[ivanti::URN],
        }
    }

    /// Gives the User resource type this profile's schemas, so `/Schemas` and
    /// `/ResourceTypes` describe what the profile accepts.
    pub(crate) fn shape_user(self, user: &mut ResourceSchema) -> Result<(), SchemaError> {
        match self {
            Self::Strict => Ok(()),
            Self::Omni => user.add_extension(omni::schema()?, false),
            Self::Ivanti => {
                ivanti::trim_enterprise(user);
                user.add_extension(ivanti::schema()?, false)
            }
        }
    }

    /// Screens a POST (`replace` false) or PUT (`replace` true) body before it is read
    /// against the schema. Returns the body to read and, for a PUT, the blank values whose
    /// stored values the store keeps.
    pub(crate) fn screen_body(
        self,
        kind: &ResourceSchema,
        replace: bool,
        mut body: Value,
    ) -> Result<(Value, BlankValues), ScimError> {
        if self == Self::Strict || !is_user(kind) {
            return Ok((body, BlankValues::default()));
        }
        let Some(object) = body.as_object_mut() else { return Ok((body, BlankValues::default())) };
        let blanks = match self {
            Self::Strict => BlankValues::default(),
            Self::Omni => {
                omni::writes().screen_body(object, &mut omni::refuse_system_attribute)?;
                BlankValues::default()
            }
            Self::Ivanti => {
                ivanti::enterprise_writes().screen_body(object, &mut ivanti::keeps_enterprise_attribute)?;
                if replace { BlankValues::strip(object) } else { BlankValues::default() }
            }
        };
        Ok((body, blanks))
    }

    /// Screens a PATCH request's operations before they are applied.
    pub(crate) fn screen_patch(self, kind: &ResourceSchema, patch: &mut PatchOp) -> Result<(), ScimError> {
        match self {
            Self::Strict => Ok(()),
            _ if !is_user(kind) => Ok(()),
            Self::Omni => omni::writes().screen_patch(patch, &mut omni::refuse_system_attribute),
            Self::Ivanti => {
                ivanti::enterprise_writes().screen_patch(patch, &mut ivanti::keeps_enterprise_attribute)?;
                BlankValues::strip_patch(patch);
                Ok(())
            }
        }
    }

    /// Last word on a user about to be stored through SCIM: `old` is the stored resource
    /// (`None` when creating), `created` is true for a POST (also when it takes over a local
    /// user). Runs inside the store's lock.
    pub(crate) fn settle(
        self,
        kind: &ResourceSchema,
        old: Option<&Map<String, Value>>,
        created: bool,
        content: &mut Map<String, Value>,
    ) -> Result<(), ScimError> {
        match self {
            Self::Strict => Ok(()),
            _ if !is_user(kind) => Ok(()),
            Self::Omni => {
                omni::assign_role(old, created, content);
                Ok(())
            }
            Self::Ivanti => ivanti::check_user(content, created),
        }
    }

    /// True when a POST whose `userName` belongs to a local user updates that user (and makes
    /// it SCIM-managed) instead of answering `409`.
    pub(crate) fn takes_over_local_users(self, kind: &ResourceSchema) -> bool {
        self == Self::Ivanti && is_user(kind)
    }

    /// True when `DELETE` of a resource of `kind` sets `active: false` instead of deleting.
    pub(crate) fn disables_on_delete(self, kind: &ResourceSchema) -> bool {
        self == Self::Ivanti && is_user(kind)
    }

    /// True when deleting a resource of `kind` (a group) sets `active: false` on its members.
    pub(crate) fn disables_members_on_delete(self, kind: &ResourceSchema) -> bool {
        self == Self::Ivanti && kind.core.id == urn::GROUP
    }
}

fn is_user(kind: &ResourceSchema) -> bool {
    kind.core.id == urn::USER
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `--profile` name that names no profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile {name:?}; the profiles are {}", Profile::ALL.map(Profile::name).join(", "))]
pub struct UnknownProfile {
    /// The name as given.
    pub name: String,
}

impl FromStr for Profile {
    type Err = UnknownProfile;

    /// Parses a profile name, ignoring case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownProfile { name: s.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_unknown_names_list_the_profiles() {
        for profile in Profile::ALL {
            assert_eq!(profile.name().parse::<Profile>(), Ok(profile));
            assert_eq!(profile.to_string(), profile.name());
        }
        assert_eq!("IVANTI".parse::<Profile>(), Ok(Profile::Ivanti));
        assert_eq!(Profile::default(), Profile::Strict);
        let error = "nope".parse::<Profile>().unwrap_err().to_string();
        assert_eq!(error, "unknown profile \"nope\"; the profiles are strict, omni, ivanti");
    }

    #[test]
    fn only_real_products_cite_documentation() {
        assert_eq!(Profile::Strict.documentation(), None);
        for profile in [Profile::Omni, Profile::Ivanti] {
            assert!(profile.documentation().is_some_and(|uri| uri.starts_with("https://")), "{profile}");
        }
    }

    #[test]
    fn each_profile_shapes_the_user_type() {
        for profile in Profile::ALL {
            let mut user = ResourceSchema::user();
            profile.shape_user(&mut user).unwrap();
            for id in profile.extension_ids() {
                assert!(user.extension(id).is_some(), "{profile}: {id}");
            }
            let enterprise = user.extension(urn::ENTERPRISE_USER).unwrap();
            let names: Vec<&str> = enterprise.attributes.iter().map(|a| a.name.as_str()).collect();
            if profile == Profile::Ivanti {
                assert_eq!(names, ["department"]);
            } else {
                assert!(names.len() > 1 && names.contains(&"manager"), "{profile}: {names:?}");
            }
        }
    }

    #[test]
    fn strict_screens_nothing() {
        let user = ResourceSchema::user();
        let body = serde_json::json!({"userName": "a", "title": ""});
        let (screened, blanks) = Profile::Strict.screen_body(&user, true, body.clone()).unwrap();
        assert_eq!(screened, body);
        assert!(blanks.is_empty());
    }
}
