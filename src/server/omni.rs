//! The Omni profile's rules (see [`super::Profile::Omni`] for the sources): Omni's user
//! attribute extension, its read-only system attributes, and the member role of users created
//! through SCIM.

use serde_json::{Map, Value, json};

use crate::scim::{Schema, SchemaError, ScimError};

use super::extension_writes::ExtensionWrites;

/// Omni's user attribute extension: Entra's attribute name is this URN, a colon and the
/// attribute's reference, e.g. `urn:omni:params:1.0:UserAttribute:blob_entity`
/// (<https://docs.omni.co/administration/authentication/entra/user-attributes>).
pub(crate) const URN: &str = "urn:omni:params:1.0:UserAttribute";

/// Omni's default system user attributes, read-only and not assignable via SCIM
/// (<https://docs.omni.co/administration/user-attributes>, "Default system user attributes").
pub(crate) const SYSTEM_ATTRIBUTES: [&str; 6] = [
    "omni_is_org_admin",
    "omni_user_email",
    "omni_user_embed_entity",
    "omni_user_groups",
    "omni_user_id",
    "omni_user_name",
];

/// The extension schema: three custom attributes (string, integer, multi-valued string) and
/// the system attributes as `readOnly`.
pub(crate) fn schema() -> Result<Schema, SchemaError> {
    Schema::from_json(include_str!("schemas/omni_user_attribute.json"))
}

/// The writes to Omni's extension; system attributes may be named without the URN.
pub(crate) fn writes() -> ExtensionWrites {
    ExtensionWrites::new(URN, SYSTEM_ATTRIBUTES)
}

/// Refuses a write to a system attribute (`400 mutability` naming it); keeps any other.
pub(crate) fn refuse_system_attribute(name: &str) -> Result<bool, ScimError> {
    match SYSTEM_ATTRIBUTES.iter().find(|s| s.eq_ignore_ascii_case(name)) {
        Some(system) => Err(ScimError::mutability(format!(
            "{URN}:{system} is an Omni system attribute: it is read-only and cannot be assigned via SCIM \
             (https://docs.omni.co/administration/authentication/entra/user-attributes); \
             map the value to a custom attribute instead"
        ))),
        None => Ok(true),
    }
}

/// The role of a user created through SCIM: Omni's Organization Member
/// (<https://docs.omni.co/administration/authentication/entra/scim>; shape \[INFERRED\]).
fn member_role() -> Value {
    json!([{"value": "member", "display": "Organization Member", "primary": true}])
}

/// Sets `roles`: the member role on create, whatever the request sent; on update, the stored
/// roles, since only an Omni admin changes them \[INFERRED\].
pub(crate) fn assign_role(old: Option<&Map<String, Value>>, created: bool, content: &mut Map<String, Value>) {
    let roles = if created { Some(member_role()) } else { old.and_then(|o| o.get("roles")).cloned() };
    match roles {
        Some(roles) => {
            content.insert("roles".into(), roles);
        }
        None => {
            content.shift_remove("roles");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::Mutability;

    #[test]
    fn schema_has_custom_and_read_only_system_attributes() {
        let schema = schema().unwrap();
        assert_eq!(schema.id, URN);
        for name in SYSTEM_ATTRIBUTES {
            assert_eq!(schema.attribute(name).map(|a| a.mutability), Some(Mutability::ReadOnly), "{name}");
        }
        assert!(schema.attribute("blob_entity").is_some_and(|a| a.mutability == Mutability::ReadWrite));
        assert!(schema.attribute("brand_name").is_some_and(|a| a.multi_valued));
    }

    #[test]
    fn system_attributes_are_refused_by_name() {
        let error = refuse_system_attribute("OMNI_USER_EMAIL").unwrap_err();
        assert_eq!(error.status, 400);
        assert!(error.detail.starts_with("urn:omni:params:1.0:UserAttribute:omni_user_email is"), "{}", error.detail);
        assert_eq!(refuse_system_attribute("blob_entity"), Ok(true));
    }

    #[test]
    fn roles_are_member_on_create_and_stored_on_update() {
        let mut content = Map::new();
        content.insert("roles".into(), json!([{"value": "admin"}]));
        assign_role(None, true, &mut content);
        assert_eq!(content["roles"], member_role());

        let old = content.clone();
        let mut update = Map::new();
        update.insert("roles".into(), json!([{"value": "admin"}]));
        assign_role(Some(&old), false, &mut update);
        assert_eq!(update["roles"], member_role());

        let mut local = Map::new();
        local.insert("roles".into(), json!([{"value": "admin"}]));
        assign_role(Some(&Map::new()), false, &mut local);
        assert!(!local.contains_key("roles"), "a user without roles keeps none");
    }
}
