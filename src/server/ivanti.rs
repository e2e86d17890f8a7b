//! The Ivanti profile's rules (see [`super::Profile::Ivanti`] for the sources and what is
//! \[INFERRED\]): Ivanti's custom attribute extension, the enterprise extension cut down to
//! `department`, and the checks on users created or updated through SCIM. Disabling on delete
//! and taking over local users are the store's, blank values are [`super::blank_values`]'.

use serde_json::{Map, Value};

use crate::scim::{ENTERPRISE_USER, ResourceSchema, Schema, SchemaError, ScimError, urn};

use super::extension_writes::ExtensionWrites;

/// Ivanti's custom attribute extension
/// (`urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:<CustomAttribute123Name>`).
pub(crate) const URN: &str = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";

/// Ivanti Neurons for MDM's page on SCIM attributes.
pub(crate) const DOCUMENTATION: &str = "https://help.ivanti.com/mi/help/en_us/cld/admin/ivanti/94/all/en-us/Configure%20Attributes%20in%20SCIM%20User%20Provisioning.htm";

/// The one enterprise attribute Ivanti supports ("Currently only the Department attribute is
/// supported").
const DEPARTMENT: &str = "department";

/// The custom attribute extension: three example attributes (string, integer,
/// multi-valued string).
pub(crate) fn schema() -> Result<Schema, SchemaError> {
    Schema::from_json(include_str!("schemas/ivanti_user.json"))
}

/// Cuts the User type's enterprise extension down to `department`, so `/Schemas` lists only
/// what Ivanti keeps.
pub(crate) fn trim_enterprise(user: &mut ResourceSchema) {
    if let Some(enterprise) = user.extensions.iter_mut().find(|e| e.id == urn::ENTERPRISE_USER) {
        enterprise.attributes.retain(|a| a.name == DEPARTMENT);
        enterprise.description =
            Some(format!("RFC 7643 §4.3, of which Ivanti supports only department ({DOCUMENTATION})"));
    }
}

/// The writes to the enterprise extension; its attributes may be named without the URN.
pub(crate) fn enterprise_writes() -> ExtensionWrites {
    ExtensionWrites::new(urn::ENTERPRISE_USER, ENTERPRISE_USER.attributes.iter().map(|a| a.name.as_str()))
}

/// Keeps `department`, drops every other enterprise attribute (accepted and ignored,
/// \[INFERRED\]).
pub(crate) fn keeps_enterprise_attribute(name: &str) -> Result<bool, ScimError> {
    Ok(name.eq_ignore_ascii_case(DEPARTMENT))
}

/// Checks a user about to be stored through SCIM: an email when it is created, a first and a
/// last name always (all \[INFERRED\]).
pub(crate) fn check_user(content: &Map<String, Value>, created: bool) -> Result<(), ScimError> {
    let has_email = content
        .get("emails")
        .and_then(Value::as_array)
        .is_some_and(|emails| emails.iter().any(|e| e.get("value").and_then(Value::as_str).is_some_and(is_filled)));
    if created && !has_email {
        return Err(ScimError::invalid_value(
            "emails has no value: Ivanti needs an email address to create a user; send e.g. \
             \"emails\": [{\"value\": \"bjensen@example.com\", \"type\": \"work\", \"primary\": true}]",
        ));
    }
    for sub in ["givenName", "familyName"] {
        let value = content.get("name").and_then(|n| n.get(sub)).and_then(Value::as_str);
        if !value.is_some_and(is_filled) {
            return Err(ScimError::invalid_value(format!(
                "name.{sub} is blank: Ivanti needs a first and a last name (name.givenName and name.familyName)"
            )));
        }
    }
    Ok(())
}

fn is_filled(text: &str) -> bool {
    !text.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enterprise_is_trimmed_to_department() {
        let mut kind = ResourceSchema::user();
        trim_enterprise(&mut kind);
        let names: Vec<&str> =
            kind.extension(urn::ENTERPRISE_USER).unwrap().attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, [DEPARTMENT]);
        assert_eq!(keeps_enterprise_attribute("Department"), Ok(true));
        assert_eq!(keeps_enterprise_attribute("manager"), Ok(false));
    }

    #[test]
    fn created_users_need_an_email_and_every_user_needs_both_names() {
        let named = json!({"givenName": "Barbara", "familyName": "Jensen"});
        let complete = json!({"emails": [{"value": "b@example.com"}], "name": named});
        assert_eq!(check_user(complete.as_object().unwrap(), true), Ok(()));

        let no_email = json!({"emails": [{"value": " "}], "name": named});
        let no_email = no_email.as_object().unwrap();
        assert!(check_user(no_email, true).unwrap_err().detail.starts_with("emails has no value"));
        assert_eq!(check_user(no_email, false), Ok(()), "only creating needs the email");

        for (name, missing) in [
            (json!({"familyName": "Jensen"}), "name.givenName is blank"),
            (json!({"givenName": "Barbara", "familyName": ""}), "name.familyName is blank"),
        ] {
            let blank = json!({"emails": [{"value": "b@example.com"}], "name": name});
            let error = check_user(blank.as_object().unwrap(), false).unwrap_err();
            assert_eq!(error.status, 400);
            assert!(error.detail.starts_with(missing), "{}", error.detail);
        }
    }
}
