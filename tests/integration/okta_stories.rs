//! Okta provisioning stories: each admin action sends what Okta sends, and the target's state
//! is checked over HTTP. They run against the embedded reference server, or against any SCIM
//! server named by `SCIMSIM_TARGET_URL` and `SCIMSIM_TOKEN`:
//!
//! ```sh
//! SCIMSIM_TARGET_URL=https://staging.example.com/scim/v2 SCIMSIM_TOKEN=… \
//!     cargo test --test integration okta_stories
//! ```
//! Every name a story creates carries a run-unique prefix, and what a story leaves behind is
//! deleted at its end.

use scimsim::idp::app::Apply;
use scimsim::idp::okta::{AppKind, ApplyUpdates, AuthMode, OktaOrg, Options, Outcome, Scope, Settings, Unlink};
use scimsim::target::{TargetClient, TargetConfig};
use serde_json::json;

use crate::util::{StoryTarget, attrs, sent};

/// An Okta org whose app of `kind` provisions into `target` with a Bearer token.
pub fn org(target: &StoryTarget, kind: AppKind) -> OktaOrg {
    let settings = Settings::new(target.url.clone(), kind);
    let auth = AuthMode::Bearer(target.token.clone()).to_auth();
    let config = TargetConfig { use_env_proxy: false, ..TargetConfig::new(target.url.clone(), auth) };
    OktaOrg::new(TargetClient::new(config).unwrap(), settings, Options::default())
}

/// Adds an Okta user `alias` whose login is unique to the run.
pub fn add_user(okta: &mut OktaOrg, target: &StoryTarget, alias: &str, first: &str, last: &str) -> String {
    let login = target.name(&format!("{alias}@example.com"));
    okta.add_user(
        alias,
        attrs(&[
            ("login", json!(login)),
            ("email", json!(format!("{alias}@example.com"))),
            ("firstName", json!(first)),
            ("lastName", json!(last)),
            ("displayName", json!(format!("{first} {last}"))),
            ("title", json!("Engineer")),
        ]),
    )
    .unwrap();
    login
}

#[tokio::test]
async fn a_user_from_assignment_to_reactivation() {
    for kind in [AppKind::Oin, AppKind::Aiw] {
        let target = StoryTarget::new().await;
        let mut okta = org(&target, kind);
        let login = add_user(&mut okta, &target, "alice", "Alice", "Smith");

        okta.assign("alice").await.unwrap();
        let created = target.user(&login).await.expect("alice was created");
        assert_eq!(created["name"]["givenName"], "Alice");
        assert_eq!(created["emails"], json!([{"primary": true, "value": "alice@example.com", "type": "work"}]));
        assert_eq!(
            created["externalId"],
            json!(okta.directory().id_of(scimsim::idp::directory::ObjectKind::User, "alice").unwrap())
        );
        assert_eq!(created["active"], true);
        assert_eq!(sent(okta.transcript()), ["GET /Users", "POST /Users"], "{kind:?}");

        okta.set_attribute("alice", "firstName", json!("Alicia")).await.unwrap();
        assert_eq!(target.user(&login).await.unwrap()["name"]["givenName"], "Alicia");
        assert_eq!(sent(okta.transcript())[2..], ["GET /Users/{id}", "PUT /Users/{id}"]);

        okta.clear_attribute("alice", "title").await.unwrap();
        let cleared = target.user(&login).await.unwrap();
        assert!(cleared.get("title").is_none_or(|t| t == "" || t.is_null()), "{cleared}");
        let put = okta.transcript().last().unwrap().request.body.clone().unwrap();
        assert_eq!(put["title"], "", "a cleared attribute is sent as an empty string by default");

        okta.unassign("alice").await.unwrap();
        assert_eq!(
            target.user(&login).await.unwrap()["active"],
            false,
            "unassigned users are deactivated, not deleted"
        );
        let last = okta.transcript().last().unwrap();
        match kind {
            AppKind::Aiw => assert_eq!(last.request.method, "PUT"),
            _ => {
                assert_eq!(last.request.method, "PATCH");
                assert_eq!(
                    last.request.body.as_ref().unwrap()["Operations"],
                    json!([{"op": "replace", "value": {"active": false}}])
                );
            }
        }

        okta.assign("alice").await.unwrap();
        let back = target.user(&login).await.unwrap();
        assert_eq!(back["active"], true, "re-assigned users come back active");
        assert_eq!(back["id"], created["id"], "with the same id (C9293)");
        assert!(okta.tasks().is_empty(), "{:?}", okta.tasks());
        assert!(sent(okta.transcript()).iter().all(|r| !r.starts_with("DELETE")), "Okta never deletes users");
        target.clean_up(okta.links()).await;
    }
}

#[tokio::test]
async fn deactivation_suspension_and_deletion_in_okta() {
    let target = StoryTarget::new().await;
    let mut okta = org(&target, AppKind::Oin);
    let login = add_user(&mut okta, &target, "bob", "Bob", "Jones");
    okta.assign("bob").await.unwrap();
    let sent_before = okta.transcript().len();
    okta.suspend("bob").await.unwrap();
    okta.unsuspend("bob").await.unwrap();
    assert_eq!(okta.transcript().len(), sent_before, "suspend and unsuspend send nothing");
    okta.deactivate("bob").await.unwrap();
    assert_eq!(target.user(&login).await.unwrap()["active"], false);
    let links = okta.links().clone();
    let sent_before = okta.transcript().len();
    okta.delete("bob").await.unwrap();
    assert_eq!(okta.transcript().len(), sent_before, "deleting a deactivated user sends nothing");
    assert!(okta.events().iter().all(|e| e.outcome != Outcome::Failure), "{:?}", okta.events());
    assert_eq!(target.user(&login).await.unwrap()["active"], false, "the user stays in the app");
    target.clean_up(&links).await;
}

#[tokio::test]
async fn a_pushed_group_from_creation_to_deletion() {
    for kind in [AppKind::Oin, AppKind::Aiw] {
        let target = StoryTarget::new().await;
        let mut okta = org(&target, kind);
        let logins: Vec<String> =
            ["alice", "bob", "carol"].iter().map(|alias| add_user(&mut okta, &target, alias, alias, "Test")).collect();
        for alias in ["alice", "bob", "carol"] {
            okta.assign(alias).await.unwrap();
        }
        let name = target.name("Engineering");
        okta.add_group(&name, &["alice", "bob"]).unwrap();
        okta.push_group(&name).await.unwrap();
        let group = target.group(&name).await.expect("the pushed group was created");
        assert_eq!(target.member_names(&group).await, logins[..2], "{kind:?}");

        okta.add_member(&name, "carol").await.unwrap();
        okta.remove_member(&name, "alice").await.unwrap();
        let group = target.group(&name).await.unwrap();
        assert_eq!(target.member_names(&group).await, logins[1..]);

        let renamed = target.name("Engineering EMEA");
        okta.rename_group(&name, &renamed).await.unwrap();
        assert!(target.group(&name).await.is_none());
        let group = target.group(&renamed).await.expect("renamed in the app");
        assert_eq!(target.member_names(&group).await, logins[1..], "a rename keeps the members");

        okta.push_now(&name).await.unwrap();
        let group = target.group(&renamed).await.unwrap();
        assert_eq!(target.member_names(&group).await, logins[1..]);

        okta.unlink_group(&name, Unlink::DeleteInApp).await.unwrap();
        assert!(target.group(&renamed).await.is_none(), "unlink with delete removes the group");
        for login in &logins {
            assert_eq!(target.user(login).await.unwrap()["active"], true, "users are untouched");
        }
        assert!(okta.tasks().is_empty(), "{:?}", okta.tasks());
        target.clean_up(okta.links()).await;
    }
}

#[tokio::test]
async fn force_sync_after_a_mapping_change() {
    let target = StoryTarget::new().await;
    let mut okta = org(&target, AppKind::Oin);
    let alice = add_user(&mut okta, &target, "alice", "Alice", "Smith");
    let bob = add_user(&mut okta, &target, "bob", "Bob", "Jones");
    okta.set_attribute("bob", "title", json!("")).await.unwrap();
    okta.assign("alice").await.unwrap();
    okta.assign("bob").await.unwrap();
    assert_eq!(target.user(&bob).await.unwrap()["title"], "", "a blank title goes out as an empty string");

    // "Do not apply updates": saving the mapping sends nothing (okta-wire.md §3.4).
    let sent_before = okta.transcript().len();
    okta.put_mapping("title", "String.toUpperCase(user.title)", Apply::Always, ApplyUpdates::Later).await.unwrap();
    assert_eq!(okta.transcript().len(), sent_before);

    // Force Sync pushes only the profiles that changed: Alice's title; Bob's stays "".
    okta.force_sync().await;
    assert_eq!(sent(okta.transcript())[sent_before..], ["GET /Users/{id}", "PUT /Users/{id}"]);
    assert_eq!(target.user(&alice).await.unwrap()["title"], "ENGINEER");
    assert_eq!(target.user(&bob).await.unwrap()["title"], "");

    // A second Force Sync has nothing to push.
    let sent_before = okta.transcript().len();
    okta.force_sync().await;
    assert_eq!(okta.transcript().len(), sent_before);

    // "Apply updates now" pushes everyone, changed or not.
    okta.put_mapping("nickName", "user.firstName + \"!\"", Apply::Always, ApplyUpdates::Now).await.unwrap();
    assert_eq!(target.user(&alice).await.unwrap()["nickName"], "Alice!");
    assert_eq!(target.user(&bob).await.unwrap()["nickName"], "Bob!");
    assert!(okta.tasks().is_empty(), "{:?}", okta.tasks());
    target.clean_up(okta.links()).await;
}

#[tokio::test]
async fn a_group_assignment_with_its_attributes() {
    let target = StoryTarget::new().await;
    let mut okta = org(&target, AppKind::Oin);
    let logins: Vec<String> =
        ["alice", "bob"].iter().map(|alias| add_user(&mut okta, &target, alias, alias, "Test")).collect();
    // userType becomes a group attribute and nickName an assignment attribute: no mapping,
    // their values come from the assignments (test plan C9291, C9309).
    let mut user_type = okta.profile_editor().get("userType").unwrap().clone();
    user_type.scope = Scope::Group;
    okta.put_attribute(user_type).unwrap();
    okta.remove_mapping("userType");
    okta.remove_mapping("nickName");
    let sales = target.name("Sales");
    okta.add_group(&sales, &["alice", "bob"]).unwrap();

    // Assigning the group provisions its members (C9307).
    okta.assign_group(&sales).await.unwrap();
    for login in &logins {
        assert_eq!(target.user(login).await.expect("provisioned through the group")["active"], true);
    }

    // An attribute set on the group assignment reaches every member.
    okta.set_group_assignment_value(&sales, "userType", json!("Contractor")).await.unwrap();
    for login in &logins {
        assert_eq!(target.user(login).await.unwrap()["userType"], "Contractor");
    }
    // One set on alice's own assignment reaches only her.
    okta.assign("alice").await.unwrap();
    okta.set_assignment_value("alice", "nickName", json!("Ali")).await.unwrap();
    assert_eq!(target.user(&logins[0]).await.unwrap()["nickName"], "Ali");
    assert!(target.user(&logins[1]).await.unwrap().get("nickName").is_none());

    // Unassigning the group deactivates the members it alone assigned (C9311).
    okta.unassign_group(&sales).await.unwrap();
    assert_eq!(target.user(&logins[0]).await.unwrap()["active"], true, "alice is still assigned herself");
    assert_eq!(target.user(&logins[1]).await.unwrap()["active"], false);
    assert!(okta.tasks().is_empty(), "{:?}", okta.tasks());
    target.clean_up(okta.links()).await;
}
