//! Entra provisioning stories replayed against the embedded reference server: each step
//! changes the tenant, runs a cycle, and the target's state is checked over HTTP.

use std::collections::BTreeMap;

use scimsim::idp::directory::Assignment;
use scimsim::idp::entra::{Dialect, EntraTenant, Options, Settings};
use scimsim::target::{Auth, TargetClient, TargetConfig};
use serde_json::{Value, json};

use crate::util::TestServer;

/// A tenant provisioning into `server`, with the flag on when `dialect` asks for it.
fn tenant(server: &TestServer, dialect: Dialect) -> EntraTenant {
    let flag = if dialect == Dialect::AadOptscim062020 { "?aadOptscim062020" } else { "" };
    let settings = Settings::new(format!("{}{flag}", server.server.url()));
    let options = Options::default();
    let (base, _) = settings.base_url(&options);
    let config =
        TargetConfig { use_env_proxy: false, ..TargetConfig::new(base, Auth::Bearer(server.server.token().into())) };
    EntraTenant::new(TargetClient::new(config).unwrap(), settings, options)
}

fn attrs(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect()
}

fn default_access() -> Assignment {
    Assignment {
        id: "as-1".into(),
        role_id: "00000000-0000-0000-0000-000000000000".into(),
        value: None,
        display_name: "User".into(),
    }
}

/// The method and path of every request sent so far, ids replaced by `{id}`.
fn sent(tenant: &EntraTenant) -> Vec<String> {
    tenant
        .transcript()
        .iter()
        .map(|e| {
            let path = e
                .request
                .path
                .split('/')
                .map(|s| if s.len() == 36 && s.matches('-').count() == 4 { "{id}" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            format!("{} {path}", e.request.method)
        })
        .collect()
}

/// The target's user with `userName`, via a filter query.
async fn target_user(server: &TestServer, user_name: &str) -> Option<Value> {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("filter", &format!("userName eq \"{user_name}\""))
        .finish();
    let list = server.get(&format!("/Users?{query}")).await.expect(200).body;
    list["Resources"].as_array().and_then(|r| r.first().cloned())
}

#[tokio::test]
async fn a_user_from_assignment_to_hard_delete() {
    for dialect in [Dialect::Legacy, Dialect::AadOptscim062020] {
        let server = TestServer::start().await;
        let mut entra = tenant(&server, dialect);
        let alice = entra
            .directory
            .add_user(
                "alice",
                attrs(&[
                    ("userPrincipalName", json!("alice@contoso.com")),
                    ("mailNickname", json!("alice")),
                    ("givenName", json!("Alice")),
                    ("surname", json!("Smith")),
                    ("displayName", json!("Alice Smith")),
                    ("mail", json!("alice@contoso.com")),
                    ("department", json!("Retail")),
                    ("accountEnabled", json!(true)),
                ]),
            )
            .unwrap();
        entra.directory.assign(&alice, default_access());
        let report = entra.run_cycle().await;
        assert!(report.initial, "{report:?}");
        let created = target_user(&server, "alice@contoso.com").await.expect("alice was created");
        assert_eq!(created["name"], json!({"givenName": "Alice", "familyName": "Smith", "formatted": "Alice Smith"}));
        assert_eq!(created["emails"], json!([{"primary": true, "type": "work", "value": "alice@contoso.com"}]));
        assert_eq!(created["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"], "Retail");
        assert_eq!(created["active"], true);
        assert_eq!(sent(&entra), ["GET /Users", "GET /Users", "POST /Users"], "{dialect:?}");

        entra.directory.set_attribute(&alice, "department", json!("Sales"));
        entra.run_cycle().await;
        let updated = target_user(&server, "alice@contoso.com").await.unwrap();
        assert_eq!(updated["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"], "Sales");
        assert_eq!(sent(&entra)[3..], ["GET /Users/{id}", "PATCH /Users/{id}"]);

        // A cleared attribute sends nothing (entra-wire.md §1.4).
        entra.directory.set_attribute(&alice, "department", Value::Null);
        entra.run_cycle().await;
        assert_eq!(sent(&entra)[5..], ["GET /Users/{id}"]);
        assert_eq!(
            target_user(&server, "alice@contoso.com").await.unwrap()["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
                ["department"],
            "Sales"
        );

        entra.directory.set_attribute(&alice, "accountEnabled", json!(false));
        entra.run_cycle().await;
        assert_eq!(target_user(&server, "alice@contoso.com").await.unwrap()["active"], false);
        let disable = entra.transcript().last().unwrap();
        let expected = match dialect {
            Dialect::Legacy => json!({"op": "Replace", "path": "active", "value": "False"}),
            Dialect::AadOptscim062020 => json!({"op": "replace", "path": "active", "value": false}),
        };
        assert_eq!(disable.request.body.as_ref().unwrap()["Operations"], json!([expected]));

        entra.directory.set_attribute(&alice, "accountEnabled", json!(true));
        entra.run_cycle().await;
        assert_eq!(target_user(&server, "alice@contoso.com").await.unwrap()["active"], true);

        entra.directory.soft_delete(&alice, entra.now());
        entra.run_cycle().await;
        assert_eq!(target_user(&server, "alice@contoso.com").await.unwrap()["active"], false);
        entra.advance(entra.options().soft_delete_retention);
        entra.run_cycle().await;
        assert!(target_user(&server, "alice@contoso.com").await.is_none(), "hard-deleted 30 days later");
        assert_eq!(sent(&entra).last().unwrap(), "DELETE /Users/{id}");
        assert!(entra.links().is_empty());
    }
}

/// The target's group with `displayName`, members included.
async fn target_group(server: &TestServer, display_name: &str) -> Option<Value> {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("filter", &format!("displayName eq \"{display_name}\""))
        .finish();
    let list = server.get(&format!("/Groups?{query}")).await.expect(200).body;
    list["Resources"].as_array().and_then(|r| r.first().cloned())
}

/// The `userName`s of a target group's members.
async fn member_names(server: &TestServer, group: &Value) -> Vec<String> {
    let mut names = Vec::new();
    for member in group["members"].as_array().cloned().unwrap_or_default() {
        let user = server.get(&format!("/Users/{}", member["value"].as_str().unwrap())).await.expect(200).body;
        names.push(user["userName"].as_str().unwrap().to_string());
    }
    names.sort();
    names
}

#[tokio::test]
async fn a_group_from_creation_to_deletion() {
    for dialect in [Dialect::Legacy, Dialect::AadOptscim062020] {
        let server = TestServer::start().await;
        let mut entra = tenant(&server, dialect);
        let mut ids = Vec::new();
        for name in ["alice", "bob", "carol"] {
            let id = entra
                .directory
                .add_user(name, attrs(&[("userPrincipalName", json!(format!("{name}@contoso.com")))]))
                .unwrap();
            ids.push(id);
        }
        let sales = entra.directory.add_group("Sales", attrs(&[("displayName", json!("Sales"))]), &ids[..2]).unwrap();
        entra.directory.assign(&sales, default_access());
        entra.run_cycle().await;
        let group = target_group(&server, "Sales").await.expect("Sales was created");
        assert_eq!(member_names(&server, &group).await, ["alice@contoso.com", "bob@contoso.com"], "{dialect:?}");
        assert!(target_user(&server, "carol@contoso.com").await.is_none(), "carol is in no assigned group");
        assert_eq!(group["externalId"], json!(sales), "externalId is the group's objectId");

        // carol joins: she comes into scope through the group, is created, then added.
        entra.directory.add_member(&sales, &ids[2]);
        entra.run_cycle().await;
        let group = target_group(&server, "Sales").await.unwrap();
        assert_eq!(member_names(&server, &group).await, ["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"]);

        // bob leaves: he falls out of scope and is disabled, then removed from the group.
        entra.directory.remove_member(&sales, &ids[1]);
        entra.run_cycle().await;
        let group = target_group(&server, "Sales").await.unwrap();
        assert_eq!(member_names(&server, &group).await, ["alice@contoso.com", "carol@contoso.com"]);
        assert_eq!(target_user(&server, "bob@contoso.com").await.unwrap()["active"], false);
        let removal = entra.transcript().last().unwrap().request.body.clone().unwrap();
        let bob_id = target_user(&server, "bob@contoso.com").await.unwrap()["id"].clone();
        let expected = match dialect {
            Dialect::Legacy => json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": bob_id}]}]),
            Dialect::AadOptscim062020 => {
                json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", bob_id.as_str().unwrap())}])
            }
        };
        assert_eq!(removal["Operations"], expected);

        entra.directory.set_attribute(&sales, "displayName", json!("Sales EMEA"));
        entra.run_cycle().await;
        assert!(target_group(&server, "Sales").await.is_none());
        let renamed = target_group(&server, "Sales EMEA").await.expect("renamed");
        assert_eq!(member_names(&server, &renamed).await.len(), 2, "a rename keeps the members");

        entra.directory.hard_delete(&sales);
        entra.run_cycle().await;
        assert!(target_group(&server, "Sales EMEA").await.is_none(), "a deleted group is DELETEd");
        assert_eq!(target_user(&server, "alice@contoso.com").await.unwrap()["active"], false, "its members lost scope");
    }
}
