//! The attribute list and mappings a new non-gallery SCIM app starts with (entra-wire.md
//! §3.2, SCIM-TUT tables 4/5), with Microsoft Graph's names for the source attributes.

use std::sync::Arc;

use crate::idp::app::{App, Mapping, MappingSource, ObjectMapping, TargetAttribute, TargetType};
use crate::scim::urn;

use super::expression::Expression;

/// Entra's default `active` mapping: the strings "False" for soft-deleted users (unassigned,
/// out of scope, in the recycle bin, or sign-in blocked) and "True" otherwise (entra-wire.md
/// §1.5).
pub const ACTIVE_EXPRESSION: &str = r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#;

fn expression(text: &str) -> MappingSource {
    // The built-in expressions are constants covered by this module's tests.
    let parsed = Expression::parse(text).unwrap_or_else(|e| panic!("built-in expression {text}: {e}"));
    MappingSource::Expression(Arc::new(parsed))
}

fn direct(source: &str) -> MappingSource {
    MappingSource::Direct(source.to_string())
}

fn enterprise(attribute: &str) -> String {
    format!("{}:{attribute}", urn::ENTERPRISE_USER)
}

/// The default user attribute list and mappings.
pub fn user_mapping() -> ObjectMapping {
    let mut users = ObjectMapping { enabled: true, ..ObjectMapping::default() };
    let strings = [
        "externalId",
        "userName",
        "displayName",
        "nickName",
        "title",
        "userType",
        "preferredLanguage",
        "locale",
        "timezone",
        "name.givenName",
        "name.familyName",
        "name.formatted",
        r#"emails[type eq "work"].value"#,
        r#"emails[type eq "other"].value"#,
        r#"phoneNumbers[type eq "work"].value"#,
        r#"phoneNumbers[type eq "mobile"].value"#,
        r#"phoneNumbers[type eq "fax"].value"#,
        r#"addresses[type eq "work"].formatted"#,
        r#"addresses[type eq "work"].streetAddress"#,
        r#"addresses[type eq "work"].locality"#,
        r#"addresses[type eq "work"].region"#,
        r#"addresses[type eq "work"].postalCode"#,
        r#"addresses[type eq "work"].country"#,
        r#"addresses[type eq "other"].formatted"#,
    ];
    for name in strings {
        users.put_attribute(TargetAttribute::new(name, TargetType::String));
    }
    for name in ["employeeNumber", "department", "costCenter", "organization", "division"] {
        users.put_attribute(TargetAttribute::new(enterprise(name), TargetType::String));
    }
    users.put_attribute(TargetAttribute {
        required: true,
        primary_key: true,
        ..TargetAttribute::new("userName", TargetType::String)
    });
    users.put_attribute(TargetAttribute::new("active", TargetType::Boolean));
    users.put_attribute(TargetAttribute {
        referenced_object: Some("User".into()),
        ..TargetAttribute::new(enterprise("manager"), TargetType::Reference)
    });
    users.put_attribute(TargetAttribute { multi_valued: true, ..TargetAttribute::new("roles", TargetType::String) });

    let mappings = [
        (direct("userPrincipalName"), "userName".to_string(), Some(1)),
        (expression(ACTIVE_EXPRESSION), "active".into(), None),
        (direct("displayName"), "displayName".into(), None),
        (direct("jobTitle"), "title".into(), None),
        (direct("mail"), r#"emails[type eq "work"].value"#.into(), None),
        (direct("givenName"), "name.givenName".into(), None),
        (direct("surname"), "name.familyName".into(), None),
        // The portal default sends name.formatted built from the two names (entra-wire.md
        // §1.2 sample: "givenName familyName").
        (expression(r#"Join(" ", [givenName], [surname])"#), "name.formatted".into(), None),
        // SCIM-TUT writes these two with capitalised sub-attributes (entra-wire.md §3.2).
        (direct("physicalDeliveryOfficeName"), r#"addresses[type eq "other"].Formatted"#.into(), None),
        (direct("streetAddress"), r#"addresses[type eq "work"].streetAddress"#.into(), None),
        (direct("postalCode"), r#"addresses[type eq "work"].postalCode"#.into(), None),
        (direct("telephoneNumber"), r#"phoneNumbers[type eq "work"].value"#.into(), None),
        (direct("mobile"), r#"phoneNumbers[type eq "mobile"].value"#.into(), None),
        (direct("facsimileTelephoneNumber"), r#"phoneNumbers[type eq "fax"].value"#.into(), None),
        (direct("proxyAddresses"), r#"emails[type eq "other"].Value"#.into(), None),
        (direct("mailNickname"), "externalId".into(), None),
        (direct("department"), enterprise("department"), None),
        (direct("employeeId"), enterprise("employeeNumber"), None),
        (direct("manager"), enterprise("manager"), None),
        // The sample POST carries "roles": [] (entra-wire.md §1.2, §3.5).
        (expression("AppRoleAssignmentsComplex([appRoleAssignments])"), "roles".into(), None),
    ];
    for (source, target, precedence) in mappings {
        users.put_mapping(Mapping { matching_precedence: precedence, ..Mapping::new(source, target) });
    }
    users
}

/// The default group attribute list and mappings; groups are provisioned unless the admin
/// turns "Provision Microsoft Entra groups" off.
pub fn group_mapping() -> ObjectMapping {
    let mut groups = ObjectMapping { enabled: true, ..ObjectMapping::default() };
    groups.put_attribute(TargetAttribute { required: true, ..TargetAttribute::new("displayName", TargetType::String) });
    groups.put_attribute(TargetAttribute::new("externalId", TargetType::String));
    groups.put_attribute(TargetAttribute {
        multi_valued: true,
        referenced_object: Some("User".into()),
        ..TargetAttribute::new("members", TargetType::Reference)
    });
    groups.put_mapping(Mapping { matching_precedence: Some(1), ..Mapping::new(direct("displayName"), "displayName") });
    groups.put_mapping(Mapping::new(direct("objectId"), "externalId"));
    groups.put_mapping(Mapping::new(direct("members"), "members"));
    groups
}

/// A new app: the default user and group mappings.
pub fn app() -> App {
    App { users: user_mapping(), groups: group_mapping() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_mapping_targets_an_attribute_of_the_list() {
        let app = app();
        for (list, name) in [(&app.users, "user"), (&app.groups, "group")] {
            for mapping in &list.mappings {
                assert!(
                    list.attribute(&mapping.target).is_some(),
                    "{name} mapping to {} has no attribute",
                    mapping.target
                );
            }
        }
    }

    #[test]
    fn user_name_matches_first_and_group_display_name() {
        let app = app();
        assert_eq!(app.users.matching().iter().map(|m| m.target.as_str()).collect::<Vec<_>>(), ["userName"]);
        assert_eq!(app.groups.matching().iter().map(|m| m.target.as_str()).collect::<Vec<_>>(), ["displayName"]);
    }
}
