//! Where an app-user attribute goes on the wire: its external name read in its external
//! namespace, turned into a SCIM path (okta-wire.md §2.2).
//!
//! In the core namespace the external name is a path from the top of the resource: dotted
//! names nest (`name.givenName`), and Okta's element syntax `attr.^[key==value].sub` selects
//! or creates an element of a multi-valued attribute (`emails.^[primary==true].value`,
//! `roles.^[type=='base'].value`). It is not SCIM filter syntax; it becomes the SCIM path
//! `emails[primary eq true].value`. In any other namespace (the enterprise extension, a
//! vendor URN) the value lives in a top-level object keyed by the URN.

use crate::scim::{PatchPath, urn};

/// An external name that cannot be put on the wire, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("external name {external_name:?} in namespace {namespace:?}: {reason}")]
pub struct ExternalPathError {
    /// The external name as given.
    pub external_name: String,
    /// The external namespace as given.
    pub namespace: String,
    /// What is wrong and how to write it instead.
    pub reason: String,
}

/// True when `namespace` is the core User or Group schema, whose attributes sit at the top.
pub fn is_core(namespace: &str) -> bool {
    namespace.eq_ignore_ascii_case(urn::USER) || namespace.eq_ignore_ascii_case(urn::GROUP)
}

/// The SCIM path of `external_name` in `namespace`.
pub fn scim_path(external_name: &str, namespace: &str) -> Result<PatchPath, ExternalPathError> {
    let fail = |reason: String| ExternalPathError {
        external_name: external_name.to_string(),
        namespace: namespace.to_string(),
        reason,
    };
    let translated = translate(external_name).map_err(fail)?;
    let qualified = if is_core(namespace) { translated } else { format!("{namespace}:{translated}") };
    qualified.parse::<PatchPath>().map_err(|e| fail(e.to_string()))
}

/// `emails.^[primary==true].value` → `emails[primary eq true].value`.
fn translate(external_name: &str) -> Result<String, String> {
    let name = external_name.trim();
    if name.is_empty() {
        return Err("it is empty; write the SCIM attribute it maps to, e.g. name.givenName".into());
    }
    if name.contains(".[") {
        return Err("index syntax such as emails.[1].value is not supported; select the element by a key instead, e.g. emails.^[primary==true].value".into());
    }
    let Some(open) = name.find(".^[") else { return Ok(name.to_string()) };
    let close = name[open..].find(']').map(|i| open + i).ok_or("the element selector .^[ has no closing ]")?;
    let (key, value) = name[open + 3..close]
        .split_once("==")
        .ok_or("an element selector compares one key with ==, e.g. .^[type=='work']")?;
    let (key, value) = (key.trim(), value.trim());
    let literal = match value {
        "true" | "false" => value.to_string(),
        _ if value.parse::<f64>().is_ok() => value.to_string(),
        _ => {
            let quoted = (value.len() >= 2)
                && ((value.starts_with('\'') && value.ends_with('\''))
                    || (value.starts_with('"') && value.ends_with('"')));
            if !quoted {
                return Err(format!(
                    "the selector value {value} must be true, false, a number or a quoted string such as '{value}'"
                ));
            }
            let inner = &value[1..value.len() - 1];
            format!("\"{}\"", inner.replace('\\', "\\\\").replace('"', "\\\""))
        }
    };
    let rest = &name[close + 1..];
    if rest.contains(".^[") {
        return Err("only one element selector is allowed".into());
    }
    Ok(format!("{}[{key} eq {literal}]{rest}", &name[..open]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn path(name: &str, namespace: &str) -> String {
        scim_path(name, namespace).unwrap_or_else(|e| panic!("{e}")).to_string()
    }

    #[test]
    fn core_names_nest_and_select_elements() {
        assert_eq!(path("userName", urn::USER), "userName");
        assert_eq!(path("name.givenName", urn::USER), "name.givenName");
        assert_eq!(path("emails.^[primary==true].value", urn::USER), "emails[primary eq true].value");
        assert_eq!(path("emails.^[primary==false].type", urn::USER), "emails[primary eq false].type");
        assert_eq!(path("roles.^[type=='base'].value", urn::USER), "roles[type eq \"base\"].value");
        assert_eq!(
            path("entitlements.^[type==\"license\"].value", urn::USER),
            "entitlements[type eq \"license\"].value"
        );
    }

    #[test]
    fn other_namespaces_are_urn_objects() {
        let department = scim_path("department", ENTERPRISE).unwrap();
        assert_eq!(department.attr.urn.as_deref(), Some(ENTERPRISE));
        assert_eq!(department.attr.name, "department");
        let manager = scim_path("manager.value", ENTERPRISE).unwrap();
        assert_eq!((manager.attr.name.as_str(), manager.attr.sub.as_deref()), ("manager", Some("value")));
        let space = scim_path("custom1", "urn:ietf:params:scim:schemas:custom:Space").unwrap();
        assert_eq!(space.attr.urn.as_deref(), Some("urn:ietf:params:scim:schemas:custom:Space"));
    }

    #[test]
    fn bad_names_say_how_to_write_them() {
        let index = scim_path("emails.[1].value", urn::USER).unwrap_err();
        assert!(index.reason.contains("emails.^[primary==true].value"), "{index}");
        let bare = scim_path("roles.^[type==base].value", urn::USER).unwrap_err();
        assert!(bare.reason.contains("'base'"), "{bare}");
        assert!(scim_path("", urn::USER).is_err());
        assert!(scim_path("a.b.c", urn::USER).is_err(), "SCIM paths go one level deep");
        assert!(scim_path("emails.^[primary=true].value", urn::USER).is_err());
    }
}
