//! The app-user profile and the Okta-to-app mappings a SCIM 2.0 template app starts with
//! (okta-wire.md §2.4), in Okta's own attribute names.

use std::sync::{Arc, LazyLock};

use crate::idp::app::{Mapping, MappingSource, TargetType};
use crate::scim::{PatchPath, urn};

use super::expression::Expression;
use super::external_path::scim_path;
use super::profile_editor::{AppUserAttribute, ProfileEditor};

/// The type expression of a template's typed elements: `'work'` when the value is set, else
/// `''` (Ninjio and Auth0 copies of the template, okta-wire.md §2.4).
fn type_expression(attribute: &str) -> String {
    format!("(user.{attribute} != null && user.{attribute} != '') ? 'work' : ''")
}

/// The template's attributes: variable name, external name, namespace, and the expression it
/// is mapped from.
fn template() -> Vec<(&'static str, &'static str, &'static str, String)> {
    let core = urn::USER;
    let enterprise = urn::ENTERPRISE_USER;
    let direct = |attribute: &str| format!("user.{attribute}");
    vec![
        // "Okta username" is the default application username format.
        ("userName", "userName", core, direct("login")),
        ("givenName", "name.givenName", core, direct("firstName")),
        ("familyName", "name.familyName", core, direct("lastName")),
        ("middleName", "name.middleName", core, direct("middleName")),
        ("honorificPrefix", "name.honorificPrefix", core, direct("honorificPrefix")),
        ("honorificSuffix", "name.honorificSuffix", core, direct("honorificSuffix")),
        ("email", "emails.^[primary==true].value", core, direct("email")),
        ("emailType", "emails.^[primary==true].type", core, type_expression("email")),
        ("secondEmail", "emails.^[primary==false].value", core, direct("secondEmail")),
        ("primaryPhone", "phoneNumbers.^[primary==true].value", core, direct("primaryPhone")),
        ("primaryPhoneType", "phoneNumbers.^[primary==true].type", core, type_expression("primaryPhone")),
        ("mobilePhone", "phoneNumbers.^[primary==false].value", core, direct("mobilePhone")),
        // The address selector is not shown in the sources [INFERRED].
        ("streetAddress", "addresses.^[primary==true].streetAddress", core, direct("streetAddress")),
        ("locality", "addresses.^[primary==true].locality", core, direct("city")),
        ("region", "addresses.^[primary==true].region", core, direct("state")),
        ("postalCode", "addresses.^[primary==true].postalCode", core, direct("zipCode")),
        ("country", "addresses.^[primary==true].country", core, direct("countryCode")),
        ("addressType", "addresses.^[primary==true].type", core, type_expression("streetAddress")),
        ("displayName", "displayName", core, direct("displayName")),
        ("nickName", "nickName", core, direct("nickName")),
        ("profileUrl", "profileUrl", core, direct("profileUrl")),
        ("title", "title", core, direct("title")),
        ("userType", "userType", core, direct("userType")),
        ("preferredLanguage", "preferredLanguage", core, direct("preferredLanguage")),
        ("locale", "locale", core, direct("locale")),
        ("timezone", "timezone", core, direct("timezone")),
        // The enterprise attributes' external names are not in the sources [INFERRED].
        ("employeeNumber", "employeeNumber", enterprise, direct("employeeNumber")),
        ("costCenter", "costCenter", enterprise, direct("costCenter")),
        ("organization", "organization", enterprise, direct("organization")),
        ("division", "division", enterprise, direct("division")),
        ("department", "department", enterprise, direct("department")),
        ("managerValue", "manager.value", enterprise, direct("managerId")),
        ("managerDisplayName", "manager.displayName", enterprise, direct("manager")),
    ]
}

/// Parses a built-in expression; they are constants covered by this module's tests.
pub(super) fn expression(text: &str) -> MappingSource {
    mapping_source(Expression::parse(text).unwrap_or_else(|e| panic!("built-in expression {text}: {e}")))
}

/// How a parsed expression is mapped: `user.firstName` alone as a direct mapping of that
/// name, which evaluates to the same value without walking a syntax tree (a load run
/// evaluates the template's 33 mappings for every user); anything else as the expression.
pub(super) fn mapping_source(parsed: Expression) -> MappingSource {
    match parsed.bare_reference() {
        Some(name) => MappingSource::Direct(name.to_string()),
        None => MappingSource::Expression(Arc::new(parsed)),
    }
}

/// The template's app-user profile.
pub fn profile() -> ProfileEditor {
    // Built once: a load run starts an org for every batch of users.
    static PROFILE: LazyLock<ProfileEditor> = LazyLock::new(build_profile);
    PROFILE.clone()
}

fn build_profile() -> ProfileEditor {
    let mut editor = ProfileEditor::default();
    for (variable, external, namespace, _) in template() {
        let mut attribute = AppUserAttribute::new(variable, TargetType::String, external, namespace);
        attribute.attribute.required = variable == "userName";
        // The template's attributes are valid by construction (tested below).
        editor.put(attribute).unwrap_or_else(|e| panic!("built-in attribute {variable}: {e}"));
    }
    editor
}

/// The template's attributes that copy one Okta profile attribute, with the SCIM path it
/// lands on: `("lastName", name.familyName)`. `scimsim diff` reads a recorded body back into
/// the Okta profile that produced it.
pub fn direct_sources() -> Vec<(String, PatchPath)> {
    template()
        .into_iter()
        .filter_map(|(_, external, namespace, source)| {
            let attribute = source.strip_prefix("user.")?;
            let direct = attribute.chars().all(|c| c.is_ascii_alphanumeric());
            let path = scim_path(external, namespace).ok()?;
            direct.then(|| (attribute.to_string(), path))
        })
        .collect()
}

/// The template's Okta-to-app mappings, all applied on create and update.
pub fn mappings() -> Vec<Mapping> {
    // Parsed once (a load run starts an org for every batch); the copies share the parses.
    static MAPPINGS: LazyLock<Vec<Mapping>> = LazyLock::new(|| {
        template().into_iter().map(|(variable, _, _, source)| Mapping::new(expression(&source), variable)).collect()
    });
    MAPPINGS.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source with some attributes set, one null and one blank.
    struct Source;

    impl crate::idp::mapping::AttributeSource for Source {
        fn attribute(&self, name: &str) -> Option<std::borrow::Cow<'_, serde_json::Value>> {
            let value = match name {
                "user.login" | "user.email" => serde_json::json!("a@x.test"),
                "user.firstName" => serde_json::json!("Alice"),
                "user.middleName" => serde_json::Value::Null,
                "user.title" => serde_json::json!(""),
                _ => return None,
            };
            Some(std::borrow::Cow::Owned(value))
        }
    }

    #[test]
    fn a_bare_reference_is_mapped_directly_and_evaluates_as_its_expression() {
        use crate::idp::mapping::evaluate;
        let mut direct = 0;
        for (variable, _, _, text) in template() {
            let parsed = Expression::parse(&text).unwrap();
            let as_expression = Mapping::new(MappingSource::Expression(Arc::new(parsed.clone())), variable);
            let mapped = Mapping::new(mapping_source(parsed), variable);
            direct += usize::from(matches!(mapped.source, MappingSource::Direct(_)));
            for creating in [true, false] {
                assert_eq!(evaluate(&mapped, &Source, creating), evaluate(&as_expression, &Source, creating), "{text}");
            }
        }
        assert_eq!(direct, template().len() - 3, "all but the three type expressions");
        assert!(matches!(expression("user.firstName"), MappingSource::Direct(name) if name == "user.firstName"));
        assert!(matches!(expression("user.firstName + ' '"), MappingSource::Expression(_)));
    }

    #[test]
    fn every_template_attribute_is_mapped_and_placed() {
        let editor = profile();
        let mappings = mappings();
        assert_eq!(editor.iter().count(), mappings.len());
        for mapping in &mappings {
            assert!(editor.path_of(&mapping.target).is_some(), "{} has a SCIM path", mapping.target);
        }
        assert_eq!(editor.path_of("emailType").unwrap().to_string(), "emails[primary eq true].type");
        assert!(editor.get("userName").unwrap().attribute.required);
    }
}
