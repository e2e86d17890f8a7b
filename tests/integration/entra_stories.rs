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

use std::time::{SystemTime, UNIX_EPOCH};

use scimsim::idp::directory::Assignment;
use scimsim::idp::entra::{Dialect, EntraTenant, Options, Settings};
use scimsim::target::{Auth, TargetClient, TargetConfig};
use serde_json::{Value, json};

use crate::util::{TestServer, attrs};

/// The SCIM server the stories provision into.
struct Target {
    url: String,
    token: String,
    http: reqwest::Client,
    /// Keeps the embedded server running when no external target is named.
    _embedded: Option<TestServer>,
    /// Prepended to every name a story creates.
    prefix: String,
}

impl Target {
    async fn new() -> Self {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let prefix = format!("scimsim{}x{nanos:x}-", std::process::id());
        match (std::env::var("SCIMSIM_TARGET_URL"), std::env::var("SCIMSIM_TOKEN")) {
            (Ok(url), Ok(token)) => Self { url, token, http, _embedded: None, prefix },
            _ => {
                let server = TestServer::start().await;
                Self {
                    url: server.server.url().to_string(),
                    token: server.server.token().to_string(),
                    http,
                    _embedded: Some(server),
                    prefix,
                }
            }
        }
    }

    /// A tenant provisioning into this target, with the flag on when `dialect` asks for it.
    fn tenant(&self, dialect: Dialect) -> EntraTenant {
        let flag = if dialect == Dialect::AadOptscim062020 { "?aadOptscim062020" } else { "" };
        let settings = Settings::new(format!("{}{flag}", self.url));
        let options = Options::default();
        let (base, _) = settings.base_url(&options);
        let config = TargetConfig { use_env_proxy: false, ..TargetConfig::new(base, Auth::Bearer(self.token.clone())) };
        EntraTenant::new(TargetClient::new(config).unwrap(), settings, options)
    }

    /// A name unique to this run.
    fn name(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    async fn get(&self, path_and_query: &str) -> Value {
        let response =
            self.http.get(format!("{}{path_and_query}", self.url)).bearer_auth(&self.token).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "GET {path_and_query}");
        response.json().await.unwrap()
    }

    /// The first resource of `endpoint` whose `attribute` equals `value`.
    async fn find(&self, endpoint: &str, attribute: &str, value: &str) -> Option<Value> {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("filter", &format!("{attribute} eq \"{value}\""))
            .finish();
        let list = self.get(&format!("{endpoint}?{query}")).await;
        list["Resources"].as_array().and_then(|r| r.first().cloned())
    }

    async fn user(&self, user_name: &str) -> Option<Value> {
        self.find("/Users", "userName", user_name).await
    }

    async fn group(&self, display_name: &str) -> Option<Value> {
        self.find("/Groups", "displayName", display_name).await
    }

    /// The `userName`s of a group's members, sorted.
    async fn member_names(&self, group: &Value) -> Vec<String> {
        let mut names = Vec::new();
        for member in group["members"].as_array().cloned().unwrap_or_default() {
            let user = self.get(&format!("/Users/{}", member["value"].as_str().unwrap())).await;
            names.push(user["userName"].as_str().unwrap().to_string());
        }
        names.sort();
        names
    }

    /// Deletes whatever the tenant still has linked, groups first.
    async fn clean_up(&self, tenant: &EntraTenant) {
        let mut links: Vec<_> = tenant.links().iter().collect();
        links.sort_by_key(|l| l.kind == scimsim::idp::directory::ObjectKind::User);
        for link in links {
            let endpoint = if link.kind == scimsim::idp::directory::ObjectKind::User { "Users" } else { "Groups" };
            let url = format!("{}/{endpoint}/{}", self.url, link.target_id);
            self.http.delete(url).bearer_auth(&self.token).send().await.unwrap();
        }
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
                .map(|s| if s.len() > 16 && !s.starts_with('.') { "{id}" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            format!("{} {path}", e.request.method)
        })
        .collect()
}

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

#[tokio::test]
async fn a_user_from_assignment_to_hard_delete() {
    for dialect in [Dialect::Legacy, Dialect::AadOptscim062020] {
        let target = Target::new().await;
        let mut entra = target.tenant(dialect);
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
        assert_eq!(sent(&entra), ["GET /Users", "GET /Users", "POST /Users"], "{dialect:?}");

        entra.directory.set_attribute(&alice, "department", json!("Sales"));
        entra.run_cycle().await;
        assert_eq!(target.user(&upn).await.unwrap()[ENTERPRISE]["department"], "Sales");
        assert_eq!(sent(&entra)[3..], ["GET /Users/{id}", "PATCH /Users/{id}"]);

        // A cleared attribute sends nothing (entra-wire.md §1.4).
        entra.directory.set_attribute(&alice, "department", Value::Null);
        entra.run_cycle().await;
        assert_eq!(sent(&entra)[5..], ["GET /Users/{id}"]);
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
        assert_eq!(sent(&entra).last().unwrap(), "DELETE /Users/{id}");
        assert!(entra.links().is_empty());
        target.clean_up(&entra).await;
    }
}

#[tokio::test]
async fn a_group_from_creation_to_deletion() {
    for dialect in [Dialect::Legacy, Dialect::AadOptscim062020] {
        let target = Target::new().await;
        let mut entra = target.tenant(dialect);
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
        target.clean_up(&entra).await;
    }
}
