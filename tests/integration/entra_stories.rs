//! Entra provisioning stories: each step changes the tenant, runs a cycle, and the target's
//! state is checked over HTTP. They run against the embedded reference server, or against any
//! SCIM server named by `SCIMSIM_TARGET_URL` and `SCIMSIM_TOKEN`:
//!
//! ```sh
//! SCIMSIM_TARGET_URL=https://staging.example.com/scim/v2 SCIMSIM_TOKEN=… \
//!     cargo test --test integration entra_stories
//! ```
//! Every name a story creates carries a run-unique prefix, and what a story leaves behind is
//! deleted at its end.

use scimsim::idp::directory::Assignment;
use scimsim::idp::entra::{Dialect, EntraTenant, Options, Settings};
use scimsim::target::{Auth, TargetClient, TargetConfig};
use serde_json::{Value, json};

use crate::util::{StoryTarget, attrs, sent};

/// An Entra tenant provisioning into `target`, with the flag on when `dialect` asks for it.
pub fn tenant(target: &StoryTarget, dialect: Dialect) -> EntraTenant {
    let flag = if dialect == Dialect::AadOptscim062020 { "?aadOptscim062020" } else { "" };
    let settings = Settings::new(format!("{}{flag}", target.url));
    let options = Options::default();
    let (base, _) = settings.base_url(&options);
    let config = TargetConfig { use_env_proxy: false, ..TargetConfig::new(base, Auth::Bearer(target.token.clone())) };
    EntraTenant::new(TargetClient::new(config).unwrap(), settings, options)
}

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

#[tokio::test]
async fn a_user_from_assignment_to_hard_delete() {
    for dialect in [Dialect::Legacy, Dialect::AadOptscim062020] {
        let target = StoryTarget::new().await;
        let mut entra = tenant(&target, dialect);
        let upn = target.name("alice@contoso.com");
        let alice = entra
            .directory
            .add_user(
                "alice",
                attrs(&[
                    ("userPrincipalName", json!(upn)),
                    ("mailNickname", json!(target.name("alice"))),
                    ("givenName", json!("Alice")),
                    ("surname", json!("Smith")),
                    ("displayName", json!("Alice Smith")),
                    ("mail", json!("alice@contoso.com")),
                    ("department", json!("Retail")),
                    ("accountEnabled", json!(true)),
                ]),
            )
            .unwrap();
        entra.directory.assign(&alice, Assignment::default_access());
        let report = entra.run_cycle().await;
        assert!(report.initial, "{report:?}");
        let created = target.user(&upn).await.expect("alice was created");
        assert_eq!(created["name"], json!({"givenName": "Alice", "familyName": "Smith", "formatted": "Alice Smith"}));
        assert_eq!(created["emails"], json!([{"primary": true, "type": "work", "value": "alice@contoso.com"}]));
        assert_eq!(created[ENTERPRISE]["department"], "Retail");
        assert_eq!(created["active"], true);
        assert_eq!(sent(entra.transcript()), ["GET /Users", "GET /Users", "POST /Users"], "{dialect:?}");

        entra.directory.set_attribute(&alice, "department", json!("Sales"));
        entra.run_cycle().await;
        assert_eq!(target.user(&upn).await.unwrap()[ENTERPRISE]["department"], "Sales");
        assert_eq!(sent(entra.transcript())[3..], ["GET /Users/{id}", "PATCH /Users/{id}"]);

        // A cleared attribute sends nothing (entra-wire.md §1.4).
        entra.directory.set_attribute(&alice, "department", Value::Null);
        entra.run_cycle().await;
        assert_eq!(sent(entra.transcript())[5..], ["GET /Users/{id}"]);
        assert_eq!(target.user(&upn).await.unwrap()[ENTERPRISE]["department"], "Sales");

        entra.directory.set_attribute(&alice, "accountEnabled", json!(false));
        entra.run_cycle().await;
        assert_eq!(target.user(&upn).await.unwrap()["active"], false);
        let disable = entra.transcript().last().unwrap();
        let expected = match dialect {
            Dialect::Legacy => json!({"op": "Replace", "path": "active", "value": "False"}),
            Dialect::AadOptscim062020 => json!({"op": "replace", "path": "active", "value": false}),
        };
        assert_eq!(disable.request.body.as_ref().unwrap()["Operations"], json!([expected]));

        entra.directory.set_attribute(&alice, "accountEnabled", json!(true));
        entra.run_cycle().await;
        assert_eq!(target.user(&upn).await.unwrap()["active"], true);

        entra.directory.soft_delete(&alice, entra.now());
        entra.run_cycle().await;
        assert_eq!(target.user(&upn).await.unwrap()["active"], false, "soft-deleted users stay, disabled");
        entra.advance(entra.options().soft_delete_retention);
        entra.run_cycle().await;
        assert!(target.user(&upn).await.is_none(), "hard-deleted 30 days later");
        assert_eq!(sent(entra.transcript()).last().unwrap(), "DELETE /Users/{id}");
        assert!(entra.links().is_empty());
        target.clean_up(entra.links()).await;
    }
}

#[tokio::test]
async fn a_group_from_creation_to_deletion() {
    for dialect in [Dialect::Legacy, Dialect::AadOptscim062020] {
        let target = StoryTarget::new().await;
        let mut entra = tenant(&target, dialect);
        let upns: Vec<String> =
            ["alice", "bob", "carol"].iter().map(|n| target.name(&format!("{n}@contoso.com"))).collect();
        let mut ids = Vec::new();
        for (alias, upn) in ["alice", "bob", "carol"].iter().zip(&upns) {
            ids.push(entra.directory.add_user(alias, attrs(&[("userPrincipalName", json!(upn))])).unwrap());
        }
        let sales_name = target.name("Sales");
        let sales =
            entra.directory.add_group("Sales", attrs(&[("displayName", json!(sales_name))]), &ids[..2]).unwrap();
        entra.directory.assign(&sales, Assignment::default_access());
        entra.run_cycle().await;
        let group = target.group(&sales_name).await.expect("Sales was created");
        assert_eq!(target.member_names(&group).await, upns[..2], "{dialect:?}");
        assert!(target.user(&upns[2]).await.is_none(), "carol is in no assigned group");
        assert_eq!(group["externalId"], json!(sales), "externalId is the group's objectId");

        // carol joins: she comes into scope through the group, is created, then added.
        entra.directory.add_member(&sales, &ids[2]);
        entra.run_cycle().await;
        let group = target.group(&sales_name).await.unwrap();
        assert_eq!(target.member_names(&group).await, upns);

        // bob leaves: he falls out of scope and is disabled, then removed from the group.
        entra.directory.remove_member(&sales, &ids[1]);
        entra.run_cycle().await;
        let group = target.group(&sales_name).await.unwrap();
        assert_eq!(target.member_names(&group).await, [upns[0].clone(), upns[2].clone()]);
        let bob = target.user(&upns[1]).await.unwrap();
        assert_eq!(bob["active"], false);
        let removal = entra.transcript().last().unwrap().request.body.clone().unwrap();
        let expected = match dialect {
            Dialect::Legacy => {
                json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": bob["id"]}]}])
            }
            Dialect::AadOptscim062020 => {
                json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", bob["id"].as_str().unwrap())}])
            }
        };
        assert_eq!(removal["Operations"], expected);

        let renamed_name = target.name("Sales EMEA");
        entra.directory.set_attribute(&sales, "displayName", json!(renamed_name));
        entra.run_cycle().await;
        assert!(target.group(&sales_name).await.is_none());
        let renamed = target.group(&renamed_name).await.expect("renamed");
        assert_eq!(target.member_names(&renamed).await.len(), 2, "a rename keeps the members");

        entra.directory.hard_delete(&sales);
        entra.run_cycle().await;
        assert!(target.group(&renamed_name).await.is_none(), "a deleted group is DELETEd");
        assert_eq!(target.user(&upns[0]).await.unwrap()["active"], false, "its members lost scope");
        target.clean_up(entra.links()).await;
    }
}
