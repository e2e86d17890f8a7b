//! The events that make an IdP send: Entra's cycles, on-demand runs and restarts; Okta's
//! admin actions; changes to users, groups and assignments; virtual time passing.

use std::time::Duration;

use cucumber::step::Context;
use serde_json::Value;

use crate::idp::clock::{DAY, HOUR, MINUTE};
use crate::idp::directory::ObjectKind;
use crate::idp::entra::ResetScope;
use crate::idp::okta::Unlink;

use super::setup::{ENTRA, OKTA, entra, identity_value, okta, only_in};
use super::{GIVEN_OR_WHEN, StepDef, StepResult, WHEN, arg, step};
use crate::bdd::idp::Idp;
use crate::bdd::world::ScimWorld;

pub(super) fn steps() -> Vec<StepDef> {
    vec![
        step!(GIVEN_OR_WHEN, "^the provisioning cycle runs$", cycle),
        step!(GIVEN_OR_WHEN, r"^(\d+) provisioning cycles run$", cycles),
        step!(WHEN, r#"^provisioning on demand runs for "([^"]+)"$"#, on_demand),
        step!(WHEN, r#"^provisioning is restarted(?: with the reset scope "([^"]+)")?$"#, restart),
        step!(WHEN, "^Force Sync runs$", force_sync),
        step!(GIVEN_OR_WHEN, r#"^the group "([^"]+)" is pushed$"#, push_group),
        step!(WHEN, r#"^"([^"]+)"'s "([^"]+)" is changed to "([^"]*)"$"#, change_attribute),
        step!(WHEN, r#"^"([^"]+)"'s "([^"]+)" is cleared$"#, clear_attribute),
        step!(WHEN, r#"^"([^"]+)" is unassigned from the app$"#, unassign),
        step!(
            WHEN,
            r#"^"([^"]+)" is (disabled|deactivated|re-enabled|soft deleted|hard deleted|restored|suspended|unsuspended|reactivated)$"#,
            lifecycle
        ),
        step!(WHEN, r#"^"([^"]+)"'s password is changed(?: to "([^"]+)")?$"#, password),
        step!(WHEN, r#"^"([^"]+)" is (added to|removed from) the group "([^"]+)"$"#, membership),
        step!(WHEN, r#"^the group "([^"]+)" is renamed to "([^"]+)"$"#, rename_group),
        step!(WHEN, r#"^the group "([^"]+)" is deleted$"#, delete_group),
        step!(WHEN, r#"^the group "([^"]+)" is unassigned from the app$"#, unassign_group),
        step!(GIVEN_OR_WHEN, "^the connection is tested$", test_connection),
        step!(GIVEN_OR_WHEN, "^(users|groups) are imported$", import),
        step!(WHEN, r#"^Push Now runs for the group "([^"]+)"$"#, push_now),
        step!(WHEN, r#"^the group "([^"]+)" is unlinked, (deleting|leaving) it in the app$"#, unlink),
        step!(WHEN, r#"^the push of the group "([^"]+)" is (deactivated|activated)$"#, push_state),
        step!(WHEN, "^the failed tasks are retried$", retry_tasks),
        step!(GIVEN_OR_WHEN, r"^(\d+) (minutes?|hours?|days?) pass(?:es)?$", time_passes),
    ]
}

async fn cycle(world: &mut ScimWorld, _: &Context) -> StepResult {
    entra(world)?.run_cycle().await;
    Ok(())
}

async fn cycles(world: &mut ScimWorld, context: &Context) -> StepResult {
    let count: u32 = arg(context, 1).parse().map_err(|_| "the number of cycles is a whole number".to_string())?;
    let entra = entra(world)?;
    for _ in 0..count {
        entra.run_cycle().await;
    }
    Ok(())
}

async fn on_demand(world: &mut ScimWorld, context: &Context) -> StepResult {
    let alias = arg(context, 1);
    let entra = entra(world)?;
    let id = entra
        .directory
        .id_of(ObjectKind::User, alias)
        .or_else(|_| entra.directory.id_of(ObjectKind::Group, alias))
        .map_err(|e| e.to_string())?;
    entra.provision_on_demand(&id).await.map(drop).map_err(|e| e.to_string())
}

async fn restart(world: &mut ScimWorld, context: &Context) -> StepResult {
    let name = arg(context, 1);
    let scope = ResetScope::parse(name).ok_or_else(|| {
        format!("unknown reset scope {name:?}; use Watermark, Escrows, QuarantineState, ConnectorDataStore, Full or ForceDeletes")
    })?;
    entra(world)?.restart(scope);
    Ok(())
}

async fn force_sync(world: &mut ScimWorld, _: &Context) -> StepResult {
    okta(world)?.force_sync().await;
    Ok(())
}

async fn push_group(world: &mut ScimWorld, context: &Context) -> StepResult {
    okta(world)?.push_group(arg(context, 1)).await.map_err(|e| e.to_string())
}

async fn change_attribute(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, attribute) = (arg(context, 1), arg(context, 2));
    let value = identity_value(world, attribute, arg(context, 3));
    set_attribute(world, alias, attribute, value).await
}

async fn clear_attribute(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, attribute) = (arg(context, 1), arg(context, 2));
    match world.idp()? {
        // Entra's directory has no value any more; Okta keeps an empty string (EL doc).
        Idp::Entra(_) => set_attribute(world, alias, attribute, Value::Null).await,
        Idp::Okta(okta) => okta.clear_attribute(alias, attribute).await.map_err(|e| e.to_string()),
    }
}

async fn set_attribute(world: &mut ScimWorld, alias: &str, attribute: &str, value: Value) -> StepResult {
    match world.idp()? {
        Idp::Entra(entra) => {
            let id = entra.directory.id_of(ObjectKind::User, alias).map_err(|e| e.to_string())?;
            entra.directory.set_attribute(&id, attribute, value);
            Ok(())
        }
        Idp::Okta(okta) => okta.set_attribute(alias, attribute, value).await.map_err(|e| e.to_string()),
    }
}

async fn unassign(world: &mut ScimWorld, context: &Context) -> StepResult {
    let alias = arg(context, 1);
    match world.idp()? {
        Idp::Entra(entra) => {
            let id = entra.directory.id_of(ObjectKind::User, alias).map_err(|e| e.to_string())?;
            entra.directory.unassign(&id);
            Ok(())
        }
        Idp::Okta(okta) => okta.unassign(alias).await.map_err(|e| e.to_string()),
    }
}

/// A change of a user's status in the IdP; `disabled` and `deactivated` are the same event
/// (Entra's `accountEnabled` false, Okta's Deactivate).
async fn lifecycle(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, event) = (arg(context, 1).to_string(), arg(context, 2));
    match world.idp()? {
        Idp::Entra(entra) => {
            // A missing user fails only the arms that need one, so an Okta-only event is
            // said to be Okta's whether or not the user exists.
            let id = entra.directory.id_of(ObjectKind::User, &alias).map_err(|e| e.to_string());
            let now = entra.now();
            match event {
                "disabled" | "deactivated" => entra.directory.set_attribute(&id?, "accountEnabled", Value::Bool(false)),
                "re-enabled" | "reactivated" => {
                    entra.directory.set_attribute(&id?, "accountEnabled", Value::Bool(true));
                }
                "soft deleted" => entra.directory.soft_delete(&id?, now),
                "hard deleted" => {
                    entra.directory.hard_delete(&id?);
                }
                "restored" => entra.directory.restore(&id?),
                other => return Err(only_in(&format!("the event {other:?}"), OKTA, ENTRA)),
            }
            Ok(())
        }
        Idp::Okta(okta) => {
            let result = match event {
                "disabled" | "deactivated" => okta.deactivate(&alias).await,
                "reactivated" | "re-enabled" => okta.reactivate(&alias).await,
                "suspended" => okta.suspend(&alias).await,
                "unsuspended" => okta.unsuspend(&alias).await,
                "hard deleted" => okta.delete(&alias).await,
                other => return Err(only_in(&format!("the event {other:?}"), ENTRA, OKTA)),
            };
            result.map_err(|e| e.to_string())
        }
    }
}

async fn password(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, password) = (arg(context, 1), arg(context, 2));
    let password = if password.is_empty() { "N3w-Passw0rd!" } else { password };
    okta(world)?.change_password(alias, password).await.map_err(|e| e.to_string())
}

async fn membership(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, change, group) = (arg(context, 1), arg(context, 2), arg(context, 3));
    match world.idp()? {
        Idp::Entra(entra) => {
            let user = entra.directory.id_of(ObjectKind::User, alias).map_err(|e| e.to_string())?;
            let group = entra.directory.id_of(ObjectKind::Group, group).map_err(|e| e.to_string())?;
            if change == "added to" {
                entra.directory.add_member(&group, &user);
            } else {
                entra.directory.remove_member(&group, &user);
            }
            Ok(())
        }
        Idp::Okta(okta) => {
            let result = if change == "added to" {
                okta.add_member(group, alias).await
            } else {
                okta.remove_member(group, alias).await
            };
            result.map_err(|e| e.to_string())
        }
    }
}

async fn rename_group(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, new_name) = (arg(context, 1), world.prefixed(arg(context, 2)));
    world.names.insert((ObjectKind::Group, alias.to_string()), new_name.clone());
    match world.idp()? {
        Idp::Entra(entra) => {
            let id = entra.directory.id_of(ObjectKind::Group, alias).map_err(|e| e.to_string())?;
            entra.directory.set_attribute(&id, "displayName", Value::String(new_name));
            Ok(())
        }
        Idp::Okta(okta) => okta.rename_group(alias, &new_name).await.map_err(|e| e.to_string()),
    }
}

async fn delete_group(world: &mut ScimWorld, context: &Context) -> StepResult {
    let entra = entra(world)?;
    let id = entra.directory.id_of(ObjectKind::Group, arg(context, 1)).map_err(|e| e.to_string())?;
    entra.directory.hard_delete(&id);
    Ok(())
}

async fn unassign_group(world: &mut ScimWorld, context: &Context) -> StepResult {
    let alias = arg(context, 1);
    match world.idp()? {
        Idp::Entra(entra) => {
            let id = entra.directory.id_of(ObjectKind::Group, alias).map_err(|e| e.to_string())?;
            entra.directory.unassign(&id);
            Ok(())
        }
        Idp::Okta(okta) => okta.unassign_group(alias).await.map_err(|e| e.to_string()),
    }
}

async fn test_connection(world: &mut ScimWorld, _: &Context) -> StepResult {
    let result = match world.idp()? {
        Idp::Entra(entra) => entra.test_connection().await.map(|()| "Test Connection succeeded".to_string()),
        Idp::Okta(okta) => okta.test_connector().await,
    };
    world.connection_test = Some(result);
    Ok(())
}

async fn import(world: &mut ScimWorld, context: &Context) -> StepResult {
    let okta = okta(world)?;
    let report = if arg(context, 1) == "users" { okta.import_users().await } else { okta.import_groups().await };
    world.import = Some(report);
    Ok(())
}

async fn push_now(world: &mut ScimWorld, context: &Context) -> StepResult {
    okta(world)?.push_now(arg(context, 1)).await.map_err(|e| e.to_string())
}

async fn unlink(world: &mut ScimWorld, context: &Context) -> StepResult {
    let unlink = if arg(context, 2) == "deleting" { Unlink::DeleteInApp } else { Unlink::LeaveInApp };
    okta(world)?.unlink_group(arg(context, 1), unlink).await.map_err(|e| e.to_string())
}

async fn push_state(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (group, state) = (arg(context, 1), arg(context, 2));
    let okta = okta(world)?;
    let result = if state == "deactivated" { okta.deactivate_push(group) } else { okta.activate_push(group).await };
    result.map_err(|e| e.to_string())
}

async fn retry_tasks(world: &mut ScimWorld, _: &Context) -> StepResult {
    okta(world)?.retry_tasks().await;
    Ok(())
}

async fn time_passes(world: &mut ScimWorld, context: &Context) -> StepResult {
    let count: u32 = arg(context, 1).parse().map_err(|_| "the amount of time is a whole number".to_string())?;
    let unit: Duration = match arg(context, 2).trim_end_matches('s') {
        "minute" => MINUTE,
        "hour" => HOUR,
        _ => DAY,
    };
    match world.idp()? {
        Idp::Entra(entra) => entra.advance(unit * count),
        Idp::Okta(okta) => okta.advance(unit * count),
    }
    Ok(())
}
