//! Steps only Entra ID has: the dialect a tenant speaks, the Secret Token it sends, what the
//! admin trims from the default mappings, the job's scope, its scoping filters and its
//! `SkipOutOfScopeDeletions` secret (entra-wire.md §1.5, §2, §3.1, §3.6).

use cucumber::step::Context;

use crate::idp::app::{Mapping, MappingSource};
use crate::idp::directory::ObjectKind;
use crate::idp::entra::scoping::{Clause, Operator, ScopingError, ScopingFilter};
use crate::idp::entra::{Dialect, Scope};

use super::setup::{entra, start_entra};
use super::{GIVEN, GIVEN_OR_WHEN, StepDef, StepResult, arg, quoted_list, step, table_rows};
use crate::bdd::world::ScimWorld;

pub(super) fn steps() -> Vec<StepDef> {
    vec![
        step!(GIVEN, "^an Entra ID tenant in the (legacy|aadOptscim062020) dialect$", tenant_in_dialect),
        step!(GIVEN, r#"^an Entra ID tenant with the Secret Token "([^"]*)"$"#, tenant_with_token),
        step!(GIVEN_OR_WHEN, r"^the (user|group) mappings are reduced to (.+)$", reduce_mappings),
        step!(GIVEN_OR_WHEN, r#"^the mapping of type None to "([^"]+)" with default "([^"]*)"$"#, none_mapping),
        step!(
            GIVEN_OR_WHEN,
            r#"^the provisioning scope is "(Sync only assigned users and groups|Sync all users and groups)"$"#,
            provisioning_scope
        ),
        step!(GIVEN_OR_WHEN, "^a scoping filter with:$", scoping_filter),
        step!(GIVEN_OR_WHEN, r#"^the job secret SkipOutOfScopeDeletions is "(True|False)"$"#, skip_out_of_scope),
    ]
}

/// `Given an Entra ID tenant in the legacy dialect`: the same tenant as `Given an Entra ID
/// tenant` (legacy) or `… with the aadOptscim062020 flag`, phrased so that a Scenario Outline
/// can put the dialect in its Examples.
async fn tenant_in_dialect(world: &mut ScimWorld, context: &Context) -> StepResult {
    let dialect = if arg(context, 1) == "legacy" { Dialect::Legacy } else { Dialect::AadOptscim062020 };
    start_entra(world, dialect, None).await
}

/// A legacy tenant whose provisioning blade holds another Secret Token than the target's
/// (entra-wire.md §0 "Auth: long-lived bearer", §1.1 reactions to 401/403).
async fn tenant_with_token(world: &mut ScimWorld, context: &Context) -> StepResult {
    start_entra(world, Dialect::Legacy, Some(arg(context, 1).to_string())).await
}

/// Deletes every mapping of the user or group object mapping except those to the quoted
/// targets, as an admin does on the Attribute Mapping blade (entra-wire.md §3.1). The
/// attribute list keeps its attributes.
async fn reduce_mappings(world: &mut ScimWorld, context: &Context) -> StepResult {
    let kind = if arg(context, 1) == "user" { ObjectKind::User } else { ObjectKind::Group };
    let kept = quoted_list(arg(context, 2));
    if kept.is_empty() {
        return Err("name the mappings to keep by their target, in quotes: \"userName\", \"active\"".into());
    }
    let entra = entra(world)?;
    let mapping = match kind {
        ObjectKind::User => &entra.app().users,
        ObjectKind::Group => &entra.app().groups,
    };
    if let Some(missing) = kept.iter().find(|target| mapping.mapping(target).is_none()) {
        let existing: Vec<&str> = mapping.mappings.iter().map(|m| m.target.as_str()).collect();
        return Err(format!("the {} mappings have no target {missing:?}; they map to {existing:?}", kind.noun()));
    }
    entra.edit_app(|app| {
        let mapping = match kind {
            ObjectKind::User => &mut app.users,
            ObjectKind::Group => &mut app.groups,
        };
        mapping.mappings.retain(|m| kept.iter().any(|k| k.eq_ignore_ascii_case(&m.target)));
    });
    Ok(())
}

/// A mapping of type None: the target attribute gets its "Default value if null" when the
/// user is created, and nothing afterwards (entra-wire.md §3.1).
async fn none_mapping(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (target, default) = (arg(context, 1), arg(context, 2));
    let entra = entra(world)?;
    let matching_precedence = entra.app().users.mapping(target).and_then(|m| m.matching_precedence);
    let mapping = Mapping {
        default_if_null: Some(default.to_string()),
        matching_precedence,
        ..Mapping::new(MappingSource::None, target)
    };
    entra.put_mapping(ObjectKind::User, mapping).map_err(|e| e.to_string())
}

/// "Scope" on the provisioning blade: assigned users and groups only (the default), or
/// everyone in the directory (entra-wire.md §3.6).
async fn provisioning_scope(world: &mut ScimWorld, context: &Context) -> StepResult {
    let scope = if arg(context, 1) == "Sync all users and groups" { Scope::All } else { Scope::AssignedOnly };
    entra(world)?.edit_settings(|settings| settings.scope = scope);
    Ok(())
}

/// Adds a user scoping filter from rows `| attribute | operator | value |`: its clauses are
/// ANDed, and it is ORed with the filters added before (entra-wire.md §3.6). Operators are the
/// portal's (`EQUALS`, `IS NOT NULL`, `REGEX MATCH`, …); the value cell may be empty for the
/// ones that take none.
async fn scoping_filter(world: &mut ScimWorld, context: &Context) -> StepResult {
    let mut clauses = Vec::new();
    for row in table_rows(context)? {
        let (attribute, operator, value) = match row.as_slice() {
            [attribute, operator] => (attribute, operator, ""),
            [attribute, operator, value, ..] => (attribute, operator, value.as_str()),
            _ => return Err("each row gives a clause: | attribute | operator | value |".into()),
        };
        let parsed =
            Operator::parse(operator).ok_or_else(|| ScopingError::Operator(operator.to_string()).to_string())?;
        clauses.push(Clause::new(attribute, parsed, value).map_err(|e| e.to_string())?);
    }
    if clauses.is_empty() {
        return Err("a scoping filter needs at least one clause row under its header".into());
    }
    let entra = entra(world)?;
    let mut filters = entra.scoping_filters().to_vec();
    filters.push(ScopingFilter { clauses });
    entra.set_scoping_filters(filters);
    Ok(())
}

/// The `SkipOutOfScopeDeletions` job secret: with "True", users who are unassigned or leave
/// the scoping filters are no longer disabled (entra-wire.md §1.5, §1.8, SKIP).
async fn skip_out_of_scope(world: &mut ScimWorld, context: &Context) -> StepResult {
    let skip = arg(context, 1) == "True";
    entra(world)?.edit_settings(|settings| settings.skip_out_of_scope_deletions = skip);
    Ok(())
}
