//! Steps only Okta has: the switches an admin ticks on the app (Provisioning → To App, the
//! Import Groups option, Push Groups' rename option).

use cucumber::step::Context;

use crate::idp::okta::Settings;

use super::setup::okta;
use super::{GIVEN_OR_WHEN, StepDef, StepResult, arg, step};
use crate::bdd::world::ScimWorld;

pub(super) fn steps() -> Vec<StepDef> {
    vec![step!(GIVEN_OR_WHEN, r#"^"([^"]+)" is (on|off) for the app$"#, app_switch)]
}

/// The setting a switch turns on or off.
type Switch = fn(&mut Settings) -> &mut bool;

/// The app's switches as Okta's Admin Console names them, and the setting each one is.
const SWITCHES: [(&str, Switch); 6] = [
    ("Create Users", |s| &mut s.create_users),
    ("Update User Attributes", |s| &mut s.update_user_attributes),
    ("Deactivate Users", |s| &mut s.deactivate_users),
    ("Sync Password", |s| &mut s.sync_password),
    ("Import Groups", |s| &mut s.import_groups),
    ("Rename app groups to match group name in Okta", |s| &mut s.rename_linked_groups),
];

/// Turns one of the app's switches on or off; every one is on in a new org, as the OIN test
/// plan sets the app up (C9306). Sends nothing.
async fn app_switch(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (name, on) = (arg(context, 1), arg(context, 2) == "on");
    let field = SWITCHES.iter().find(|(label, _)| label.eq_ignore_ascii_case(name)).map(|(_, field)| *field);
    let field = field.ok_or_else(|| {
        let names: Vec<&str> = SWITCHES.iter().map(|(label, _)| *label).collect();
        format!("Okta's app has no switch {name:?}; use one of {names:?}")
    })?;
    okta(world)?.edit_settings(|settings| *field(settings) = on);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idp::okta::AppKind;

    #[test]
    fn every_switch_is_its_own_setting() {
        let mut settings = Settings::new("https://h/scim/v2", AppKind::Oin);
        for (_, field) in SWITCHES {
            *field(&mut settings) = false;
        }
        let all_off = Settings {
            create_users: false,
            update_user_attributes: false,
            deactivate_users: false,
            sync_password: false,
            import_groups: false,
            rename_linked_groups: false,
            ..Settings::new("https://h/scim/v2", AppKind::Oin)
        };
        assert_eq!(settings, all_off);
    }
}
