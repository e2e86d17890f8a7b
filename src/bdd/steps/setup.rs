//! Choosing and configuring the IdP: the tenant or org, its app's attribute list or Profile
//! Editor, its mappings and job settings, its users and groups, and their assignments.

use std::collections::BTreeMap;
use std::sync::Arc;

use cucumber::step::Context;
use serde_json::Value;

use crate::idp::app::{Apply, Mapping, MappingSource, TargetAttribute, TargetType};
use crate::idp::directory::{Assignment, ObjectKind};
use crate::idp::entra::expression::{Entra, Expression as EntraExpression};
use crate::idp::entra::{Dialect as EntraDialect, EntraTenant, Options as EntraOptions, Settings as EntraSettings};
use crate::idp::expression_error::ExpressionError;
use crate::idp::okta::expression::OktaEl;
use crate::idp::okta::{
    AppKind, AppUserAttribute, ApplyUpdates, AuthMode, Choice, OktaOrg, Options as OktaOptions, OrgError, Scope,
    Settings as OktaSettings,
};
use crate::idp::parsed_expression::Language;
use crate::scim::{AttrPath, PatchPath, urn};
use crate::target::Auth;

use super::{
    GIVEN, GIVEN_OR_WHEN, StepDef, StepResult, arg, cell_value, quoted_list, scim_path, step, table_rows, unparsable,
};
use crate::bdd::idp::Idp;
use crate::bdd::world::ScimWorld;

/// The source attributes that name an object uniquely on the target; they get the
/// scenario's prefix.
const IDENTITY_ATTRIBUTES: [&str; 6] =
    ["userPrincipalName", "mailNickname", "login", "email", "displayName", "objectId"];

pub(super) fn steps() -> Vec<StepDef> {
    vec![
        step!(GIVEN, "^an Entra ID tenant( with the aadOptscim062020 flag)?$", entra_tenant),
        step!(GIVEN, "^an Okta org(?: with an? (OIN|AIW) app( that supports PATCH for users)?)?$", okta_org),
        step!(
            GIVEN_OR_WHEN,
            r#"^the app's attribute list includes "([^"]+)" of type (\w+)(, multi-valued)?$"#,
            attribute_list
        ),
        step!(
            GIVEN_OR_WHEN,
            r#"^the app-user attribute "([^"]+)" with external name "([^"]*)" in namespace "([^"]*)" of type (\w+)(, multi-valued)?$"#,
            app_user_attribute
        ),
        step!(GIVEN_OR_WHEN, r#"^the app-user attribute "([^"]+)" allows:$"#, app_user_choices),
        step!(GIVEN_OR_WHEN, r#"^the app-user attribute "([^"]+)" is a group attribute$"#, app_user_group_scope),
        step!(
            GIVEN_OR_WHEN,
            // The target may hold quotes: `phoneNumbers[type eq "mobile"].value`.
            r#"^the (mapping|constant mapping|expression mapping) "(.*)" -> "(.+?)"( applied on create only)?( with default "([^"]*)")?( saved with "Apply updates now")?$"#,
            mapping
        ),
        step!(GIVEN_OR_WHEN, r#"^"([^"]+)" is a matching attribute with precedence (\d+)$"#, matching_attribute),
        step!(GIVEN, r#"^the user "([^"]+)" with:$"#, user),
        step!(GIVEN, r#"^the group "([^"]+)"(?: with members (.+))?$"#, group),
        step!(GIVEN_OR_WHEN, r#"^"([^"]+)" is assigned to the app(?: with the role "([^"]+)")?$"#, assign_user),
        step!(GIVEN_OR_WHEN, r#"^the group "([^"]+)" is assigned to the app$"#, assign_group),
        step!(GIVEN_OR_WHEN, r#"^"([^"]+)"'s assignment sets "([^"]+)" to "([^"]*)"$"#, assignment_value),
        step!(
            GIVEN_OR_WHEN,
            r#"^the group "([^"]+)"'s assignment sets "([^"]+)" to "([^"]*)"$"#,
            group_assignment_value
        ),
    ]
}

async fn entra_tenant(world: &mut ScimWorld, context: &Context) -> StepResult {
    let dialect = if arg(context, 1).is_empty() { EntraDialect::Legacy } else { EntraDialect::AadOptscim062020 };
    start_entra(world, dialect, None).await
}

/// Makes the scenario play an Entra tenant whose Tenant URL is the target's, with
/// `?aadOptscim062020` for that dialect, and whose Secret Token is the target's own unless
/// `token` names another.
pub(super) async fn start_entra(world: &mut ScimWorld, dialect: EntraDialect, token: Option<String>) -> StepResult {
    let target = world.target().await?;
    let tenant_url = match dialect {
        EntraDialect::AadOptscim062020 => format!("{}?aadOptscim062020", target.url),
        EntraDialect::Legacy => target.url.clone(),
    };
    let settings = EntraSettings::new(tenant_url);
    let options = EntraOptions::default();
    let (base, _) = settings.base_url(&options);
    let client = target.client(&base, Auth::Bearer(token.unwrap_or_else(|| target.token.clone())))?;
    world.play(Idp::Entra(Box::new(EntraTenant::new(client, settings, options))));
    Ok(())
}

/// An Okta org whose app is an OIN catalog app (the default), an AIW custom app, or an OIN
/// Wizard app with "Support PATCH for User" (okta-wire.md §1.0 "Which method carries
/// updates"). `with an OIN app` and `with an AIW app` read well in a Scenario Outline.
async fn okta_org(world: &mut ScimWorld, context: &Context) -> StepResult {
    let kind = match (arg(context, 1), !arg(context, 2).is_empty()) {
        ("AIW", true) => {
            return Err("AIW apps send every update by PUT; \"supports PATCH for users\" is an OIN Wizard option: \
                 write `an Okta org with an OIN app that supports PATCH for users`"
                .into());
        }
        ("AIW", false) => AppKind::Aiw,
        (_, true) => AppKind::OinPatchForUser,
        _ => AppKind::Oin,
    };
    let target = world.target().await?;
    let settings = OktaSettings::new(target.url.clone(), kind);
    let auth = AuthMode::Bearer(target.token.clone()).to_auth();
    let client = target.client(&target.url, auth)?;
    world.play(Idp::Okta(Box::new(OktaOrg::new(client, settings, OktaOptions::default()))));
    Ok(())
}

/// A type name as the attribute-list step takes it.
fn target_type(name: &str) -> Result<TargetType, String> {
    TargetType::parse(name).ok_or_else(|| {
        format!("unknown type {name:?}; use String, Integer, Decimal, Boolean, DateTime, Reference or Binary")
    })
}

async fn attribute_list(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (path, kind, multi_valued) = (arg(context, 1), target_type(arg(context, 2))?, !arg(context, 3).is_empty());
    match world.idp()? {
        Idp::Entra(entra) => {
            // Entra's list holds PATCH paths too: `emails[type eq "work"].value`.
            scim_path::<PatchPath>(path)?;
            entra.put_attribute(ObjectKind::User, TargetAttribute { multi_valued, ..TargetAttribute::new(path, kind) });
            Ok(())
        }
        Idp::Okta(okta) => {
            // A SCIM path becomes an app-user attribute named after its last segment, sent at
            // that path: `urn:…:UserAttribute:blob_entity` → `blob_entity` in that namespace.
            let parsed: AttrPath = scim_path(path)?;
            let namespace = parsed.urn.clone().unwrap_or_else(|| urn::USER.to_string());
            let external = match &parsed.sub {
                Some(sub) => format!("{}.{sub}", parsed.name),
                None => parsed.name.clone(),
            };
            let variable = parsed.sub.as_deref().unwrap_or(&parsed.name);
            let mut attribute = AppUserAttribute::new(variable, kind, &external, &namespace);
            attribute.attribute.multi_valued = multi_valued;
            okta.put_attribute(attribute).map_err(|e| e.to_string())
        }
    }
}

/// An IdP as failure messages name it: its name, and the step that makes a scenario play it.
#[derive(Debug, Clone, Copy)]
pub(super) struct IdpName {
    name: &'static str,
    start: &'static str,
}

/// Entra ID, as failure messages name it.
pub(super) const ENTRA: IdpName = IdpName { name: "Entra ID", start: "Given an Entra ID tenant" };
/// Okta, as failure messages name it.
pub(super) const OKTA: IdpName = IdpName { name: "Okta", start: "Given an Okta org" };

/// The failure of `what` (a step, an event) that only `needs` has, in a scenario that plays
/// `plays`: which IdP it needs, and how to fix the scenario.
pub(super) fn only_in(what: &str, needs: IdpName, plays: IdpName) -> String {
    format!(
        "{what} is {}'s only: it needs a scenario that starts with `{}`, and this one plays {} (`{}`); \
         move it to an {} scenario",
        needs.name, needs.start, plays.name, plays.start, needs.name
    )
}

/// The Okta org of the scenario, or an error when it plays Entra.
pub(super) fn okta(world: &mut ScimWorld) -> Result<&mut OktaOrg, String> {
    match world.idp()? {
        Idp::Okta(okta) => Ok(okta),
        Idp::Entra(_) => Err(only_in("this step", OKTA, ENTRA)),
    }
}

/// The Entra tenant of the scenario, or an error when it plays Okta.
pub(super) fn entra(world: &mut ScimWorld) -> Result<&mut EntraTenant, String> {
    match world.idp()? {
        Idp::Entra(entra) => Ok(entra),
        Idp::Okta(_) => Err(only_in("this step", ENTRA, OKTA)),
    }
}

/// A mapping expression that does not parse, as the failure of its step: the IdP refuses to
/// save it, so say what is wrong, show where, and point at the language's reference.
fn bad_expression<L: Language>(target: &str, text: &str, error: &ExpressionError) -> String {
    let problem = format!("{} refuses the expression mapped to {target:?}: {error}", L::NAME);
    let fix = format!("fix the expression at column {} (the language: {})", error.column, L::REFERENCE);
    unparsable(&problem, text, error.column, &fix)
}

async fn app_user_attribute(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (variable, name, namespace) = (arg(context, 1), arg(context, 2), arg(context, 3));
    let kind = target_type(arg(context, 4))?;
    let mut attribute = AppUserAttribute::new(variable, kind, name, namespace);
    if name.is_empty() && namespace.is_empty() {
        attribute.external_name = None;
        attribute.external_namespace = None;
    }
    attribute.attribute.multi_valued = !arg(context, 5).is_empty();
    okta(world)?.put_attribute(attribute).map_err(|e| e.to_string())
}

async fn app_user_choices(world: &mut ScimWorld, context: &Context) -> StepResult {
    let variable = arg(context, 1).to_string();
    let rows = table_rows(context)?;
    let okta = okta(world)?;
    let mut attribute = okta.profile_editor().get(&variable).map_err(|e| e.to_string())?.clone();
    attribute.one_of = rows
        .iter()
        .map(|row| match row.as_slice() {
            [value, title, ..] => Ok(Choice { value: Value::String(value.clone()), title: title.clone() }),
            _ => Err("each row gives a value and its title: | value | title |".to_string()),
        })
        .collect::<Result<_, _>>()?;
    okta.put_attribute(attribute).map_err(|e| e.to_string())
}

async fn app_user_group_scope(world: &mut ScimWorld, context: &Context) -> StepResult {
    let okta = okta(world)?;
    let mut attribute = okta.profile_editor().get(arg(context, 1)).map_err(|e| e.to_string())?.clone();
    attribute.scope = Scope::Group;
    okta.put_attribute(attribute).map_err(|e| e.to_string())
}

async fn mapping(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (form, source, target) = (arg(context, 1), arg(context, 2), arg(context, 3));
    let apply = if arg(context, 4).is_empty() { Apply::Always } else { Apply::OnCreateOnly };
    let default = (!arg(context, 5).is_empty()).then(|| arg(context, 6).to_string());
    let now = !arg(context, 7).is_empty();
    // A target that is no path at all is said so, not reported as missing from the list.
    scim_path::<PatchPath>(target)?;
    match world.idp()? {
        Idp::Entra(entra) => {
            let source = match form {
                "mapping" => MappingSource::Direct(source.to_string()),
                "constant mapping" => MappingSource::Constant(source.to_string()),
                _ => MappingSource::Expression(Arc::new(
                    EntraExpression::parse(source).map_err(|e| bad_expression::<Entra>(target, source, &e))?,
                )),
            };
            let mut mapping = Mapping { apply, default_if_null: default, ..Mapping::new(source, target) };
            if let Some(existing) = entra.app().users.mapping(target) {
                mapping.matching_precedence = existing.matching_precedence;
            }
            entra.put_mapping(ObjectKind::User, mapping).map_err(|e| e.to_string())
        }
        Idp::Okta(okta) => {
            if default.is_some() {
                return Err("Okta mappings have no default value; write it into the expression with ?:".into());
            }
            let expression = match form {
                "mapping" => format!("user.{source}"),
                "constant mapping" => format!("'{}'", source.replace('\'', "''")),
                _ => source.to_string(),
            };
            let variable = okta_variable(okta, target)?;
            let save = if now { ApplyUpdates::Now } else { ApplyUpdates::Later };
            okta.put_mapping(&variable, &expression, apply, save).await.map_err(|e| match e {
                OrgError::Expression { error, .. } => bad_expression::<OktaEl>(target, &expression, &error),
                other => other.to_string(),
            })
        }
    }
}

/// The app-user variable a mapping step targets: the attribute sent at that SCIM path, or
/// the one with that variable name.
fn okta_variable(okta: &OktaOrg, target: &str) -> Result<String, String> {
    let wanted: Option<PatchPath> = target.parse().ok();
    let by_path = okta.profile_editor().iter().find(|(_, path)| match (path, &wanted) {
        (Some(path), Some(wanted)) => path.to_string().eq_ignore_ascii_case(&wanted.to_string()),
        _ => false,
    });
    match by_path {
        Some((attribute, _)) => Ok(attribute.variable().to_string()),
        None => okta.profile_editor().get(target).map(|a| a.variable().to_string()).map_err(|e| e.to_string()),
    }
}

async fn matching_attribute(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (target, precedence) = (arg(context, 1), arg(context, 2));
    let precedence: u32 = precedence.parse().map_err(|_| format!("{precedence} is not a whole number"))?;
    let entra = entra(world)?;
    let mut mapping = entra
        .app()
        .users
        .mapping(target)
        .cloned()
        .ok_or_else(|| format!("no mapping to {target:?}; map a source attribute to it first"))?;
    mapping.matching_precedence = Some(precedence);
    entra.put_mapping(ObjectKind::User, mapping).map_err(|e| e.to_string())
}

/// The source attributes of a `with:` table, identity attributes prefixed.
fn attributes(world: &ScimWorld, context: &Context) -> Result<BTreeMap<String, Value>, String> {
    let mut attributes = BTreeMap::new();
    for row in table_rows(context)? {
        let [name, value, ..] = row.as_slice() else {
            return Err("each row gives an attribute and its value: | attribute | value |".into());
        };
        let value = if IDENTITY_ATTRIBUTES.contains(&name.as_str()) { world.prefixed(value) } else { value.clone() };
        attributes.insert(name.clone(), cell_value(&value));
    }
    Ok(attributes)
}

async fn user(world: &mut ScimWorld, context: &Context) -> StepResult {
    let alias = arg(context, 1).to_string();
    let attributes = attributes(world, context)?;
    let name_key = match world.idp()? {
        Idp::Entra(_) => "userPrincipalName",
        Idp::Okta(_) => "login",
    };
    let name = attributes
        .get(name_key)
        .or_else(|| attributes.get("email"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("the user {alias:?} needs a {name_key} row"))?;
    match world.idp()? {
        Idp::Entra(entra) => entra.directory.add_user(&alias, attributes).map(drop).map_err(|e| e.to_string())?,
        Idp::Okta(okta) => okta.add_user(&alias, attributes).map(drop).map_err(|e| e.to_string())?,
    }
    world.names.insert((ObjectKind::User, alias), name);
    Ok(())
}

async fn group(world: &mut ScimWorld, context: &Context) -> StepResult {
    let alias = arg(context, 1).to_string();
    let members = quoted_list(arg(context, 2));
    let name = world.prefixed(&alias);
    match world.idp()? {
        Idp::Entra(entra) => {
            let ids = members
                .iter()
                .map(|m| entra.directory.id_of(ObjectKind::User, m))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            let attributes = BTreeMap::from([("displayName".to_string(), Value::String(name.clone()))]);
            entra.directory.add_group(&alias, attributes, &ids).map_err(|e| e.to_string())?;
        }
        Idp::Okta(okta) => {
            let members: Vec<&str> = members.iter().map(String::as_str).collect();
            okta.add_group_as(&alias, &name, &members).map_err(|e| e.to_string())?;
        }
    }
    world.names.insert((ObjectKind::Group, alias), name);
    Ok(())
}

async fn assign_user(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, role) = (arg(context, 1), arg(context, 2));
    match world.idp()? {
        Idp::Entra(entra) => {
            let id = entra.directory.id_of(ObjectKind::User, alias).map_err(|e| e.to_string())?;
            let assignment = if role.is_empty() {
                Assignment::default_access()
            } else {
                Assignment {
                    id: format!("assignment-{role}"),
                    role_id: crate::idp::directory::stable_guid(&format!("role:{role}")),
                    value: Some(role.to_string()),
                    display_name: role.to_string(),
                }
            };
            entra.directory.assign(&id, assignment);
            Ok(())
        }
        Idp::Okta(okta) => {
            if !role.is_empty() {
                return Err("Okta assignments carry no app role; set an app-user attribute instead".into());
            }
            okta.assign(alias).await.map_err(|e| e.to_string())
        }
    }
}

async fn assign_group(world: &mut ScimWorld, context: &Context) -> StepResult {
    let alias = arg(context, 1);
    match world.idp()? {
        Idp::Entra(entra) => {
            let id = entra.directory.id_of(ObjectKind::Group, alias).map_err(|e| e.to_string())?;
            entra.directory.assign(&id, Assignment::default_access());
            Ok(())
        }
        Idp::Okta(okta) => okta.assign_group(alias).await.map_err(|e| e.to_string()),
    }
}

async fn assignment_value(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, variable, value) = (arg(context, 1), arg(context, 2), arg(context, 3));
    okta(world)?.set_assignment_value(alias, variable, cell_value(value)).await.map_err(|e| e.to_string())
}

async fn group_assignment_value(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (group, variable, value) = (arg(context, 1), arg(context, 2), arg(context, 3));
    okta(world)?.set_group_assignment_value(group, variable, cell_value(value)).await.map_err(|e| e.to_string())
}

/// The prefixed form of `value` when `attribute` names an object on the target.
pub(super) fn identity_value(world: &ScimWorld, attribute: &str, value: &str) -> Value {
    if IDENTITY_ATTRIBUTES.contains(&attribute) { Value::String(world.prefixed(value)) } else { cell_value(value) }
}
