//! What an Okta admin does to users and assignments, each sending at once what Okta sends
//! (okta-wire.md §1.3–§1.9): assign and unassign, profile edits and clears, deactivate,
//! reactivate, suspend, delete, password changes, assignment attributes.

use serde_json::Value;

use crate::idp::directory::ObjectKind;

use super::org::{OktaOrg, OrgError, UserStatus};
use super::task_log::{EventKind, Outcome};

impl OktaOrg {
    fn user_id(&self, alias: &str) -> Result<String, OrgError> {
        Ok(self.directory.id_of(ObjectKind::User, alias)?)
    }

    fn group_id(&self, name: &str) -> Result<String, OrgError> {
        Ok(self.directory.id_of(ObjectKind::Group, name)?)
    }

    /// Syncs every member of a group, in member order.
    async fn sync_members(&mut self, group: &str) {
        let members = self.directory.get(group).map(|g| g.members.clone()).unwrap_or_default();
        for member in members {
            self.sync_user(&member).await;
        }
    }

    /// Assigns a user to the app: the existence check, then a POST or a link and profile
    /// push; a user assigned before and unassigned is reactivated instead (§1.3, §1.8).
    pub async fn assign(&mut self, alias: &str) -> Result<(), OrgError> {
        let id = self.user_id(alias)?;
        self.assign_id(&id).await;
        Ok(())
    }

    /// [`assign`](Self::assign) of the user whose id [`add_user`](Self::add_user) returned: a
    /// load run keeps the ids of its batch's users rather than looking each alias up again.
    /// An id the org does not have is not assigned and sends nothing.
    pub async fn assign_id(&mut self, id: &str) {
        self.directory.assign(id, Self::assignment());
        self.sync_user(id).await;
    }

    /// Removes a user's own assignment: deactivation in the app unless a group still assigns
    /// it (§1.6, §1.7).
    pub async fn unassign(&mut self, alias: &str) -> Result<(), OrgError> {
        let id = self.user_id(alias)?;
        self.directory.unassign(&id);
        self.sync_user(&id).await;
        Ok(())
    }

    /// Assigns a group to the app: each member is provisioned (test plan C9307).
    pub async fn assign_group(&mut self, name: &str) -> Result<(), OrgError> {
        let id = self.group_id(name)?;
        if self.pushes.contains_key(&id) {
            return Err(OrgError::AssignedAndPushed { alias: name.into() });
        }
        self.directory.assign(&id, Self::assignment());
        self.sync_members(&id).await;
        Ok(())
    }

    /// Unassigns a group: members it alone assigned are deactivated (C9311).
    pub async fn unassign_group(&mut self, name: &str) -> Result<(), OrgError> {
        let id = self.group_id(name)?;
        self.directory.unassign(&id);
        self.sync_members(&id).await;
        Ok(())
    }

    /// Changes an Okta profile attribute; an app-user profile that changes with it is pushed
    /// (§1.4).
    pub async fn set_attribute(&mut self, alias: &str, attribute: &str, value: Value) -> Result<(), OrgError> {
        let id = self.user_id(alias)?;
        self.directory.set_attribute(&id, attribute, value);
        self.sync_user(&id).await;
        Ok(())
    }

    /// Clears an Okta profile attribute: Okta keeps an empty string, not null (EL doc "Check
    /// for null and blank attributes", §1.5).
    pub async fn clear_attribute(&mut self, alias: &str, attribute: &str) -> Result<(), OrgError> {
        self.set_attribute(alias, attribute, Value::String(String::new())).await
    }

    /// Sets an app-user attribute on a user's assignment (Assignments → edit, C9291); an enum
    /// attribute takes the value of the choice titled `value`, if there is one.
    pub async fn set_assignment_value(&mut self, alias: &str, variable: &str, value: Value) -> Result<(), OrgError> {
        let id = self.user_id(alias)?;
        let attribute = self.profile.get(variable)?;
        let (name, value) = (attribute.variable().to_string(), attribute.choice_value(&value));
        self.assignment_values.entry(id.clone()).or_default().insert(name, value);
        self.sync_user(&id).await;
        Ok(())
    }

    /// Sets an app-user attribute on a group assignment: every member gets a push (C9309).
    pub async fn set_group_assignment_value(
        &mut self,
        group: &str,
        variable: &str,
        value: Value,
    ) -> Result<(), OrgError> {
        let id = self.group_id(group)?;
        let attribute = self.profile.get(variable)?;
        let (name, value) = (attribute.variable().to_string(), attribute.choice_value(&value));
        self.assignment_values.entry(id.clone()).or_default().insert(name, value);
        self.sync_members(&id).await;
        Ok(())
    }

    /// Deactivates an Okta user: its own assignment is removed and the app deactivates it
    /// (§1.6); group assignments come back when it is reactivated.
    pub async fn deactivate(&mut self, alias: &str) -> Result<(), OrgError> {
        let id = self.user_id(alias)?;
        self.statuses.insert(id.clone(), UserStatus::Deprovisioned);
        self.directory.unassign(&id);
        self.sync_user(&id).await;
        Ok(())
    }

    /// Reactivates a deactivated Okta user; a group still assigning it brings it back to the
    /// app (§1.8). Direct assignments must be made again.
    pub async fn reactivate(&mut self, alias: &str) -> Result<(), OrgError> {
        let id = self.user_id(alias)?;
        self.statuses.insert(id.clone(), UserStatus::Active);
        self.sync_user(&id).await;
        Ok(())
    }

    /// Suspends an Okta user: nothing is sent (§1.7), unless
    /// [`Options::suspend_deactivates`](super::Options::suspend_deactivates).
    pub async fn suspend(&mut self, alias: &str) -> Result<(), OrgError> {
        self.set_status_quietly(alias, UserStatus::Suspended, "suspending a user sends nothing (C9295)").await
    }

    /// Unsuspends an Okta user: nothing is sent (C9300), unless suspension deactivated it.
    pub async fn unsuspend(&mut self, alias: &str) -> Result<(), OrgError> {
        self.set_status_quietly(alias, UserStatus::Active, "unsuspending a user sends nothing (C9300)").await
    }

    async fn set_status_quietly(&mut self, alias: &str, status: UserStatus, why: &str) -> Result<(), OrgError> {
        let id = self.user_id(alias)?;
        self.statuses.insert(id.clone(), status);
        let sent = self.transcript.len();
        self.sync_user(&id).await;
        if self.transcript.len() == sent {
            self.event(EventKind::NoRequest, alias, Outcome::Skipped, why.into());
        }
        Ok(())
    }

    /// Deletes a deactivated Okta user: nothing is sent about the user, since deactivation
    /// already set `active: false`; Okta never sends `DELETE /Users` (§1.7). Groups it was
    /// pushed as a member of lose it.
    pub async fn delete(&mut self, alias: &str) -> Result<(), OrgError> {
        let id = self.user_id(alias)?;
        let status = self.status_of(&id);
        if status != UserStatus::Deprovisioned {
            return Err(OrgError::NotDeactivated { alias: alias.into(), status: status.name() });
        }
        // The user leaves its Okta groups, so pushed groups lose it, while its app id is still
        // known [INFERRED: Group Push follows Okta group membership].
        let pushed: Vec<String> =
            self.directory.groups_of(&id).map(|g| g.id.clone()).filter(|g| self.pushes.contains_key(g)).collect();
        self.directory.hard_delete(&id);
        for group in pushed {
            self.sync_group(&group, false).await;
        }
        self.links.remove(&id);
        self.app_users.remove(&id);
        self.statuses.remove(&id);
        self.assignment_values.remove(&id);
        self.event(EventKind::NoRequest, alias, Outcome::Skipped, "deleting a deactivated user sends nothing".into());
        Ok(())
    }

    /// Changes a user's Okta password; with "Sync Password" on, an active app user gets it
    /// (§1.9).
    pub async fn change_password(&mut self, alias: &str, password: &str) -> Result<(), OrgError> {
        let id = self.user_id(alias)?;
        if !self.settings.sync_password {
            self.event(EventKind::NoRequest, alias, Outcome::Skipped, "Sync Password is off for the app".into());
            return Ok(());
        }
        let active = self.app_users.get_mut(&id).map(|app_user| {
            app_user.password = password.to_string();
            app_user.active
        });
        if active == Some(true) && self.links.get(&id).is_some() {
            self.push_password(&id).await;
        } else {
            self.event(EventKind::NoRequest, alias, Outcome::Skipped, "the user has no active app user".into());
        }
        Ok(())
    }
}
