//! The check catalogue on real traffic: Entra and Okta stories, and a few direct probes,
//! against the embedded reference server. The server is correct, so every check must pass or
//! be not applicable; a failure here is a false positive in a rule.

use std::collections::BTreeSet;

use reqwest::Method;
use scimsim::checks::{Judged, ScenarioRef, Status, catalogue, judge};
use scimsim::idp::directory::Assignment;
use scimsim::idp::entra::Dialect;
use scimsim::idp::okta::{AppKind, Unlink};
use scimsim::scim::urn;
use scimsim::target::{Auth, ExchangeMeta, OutgoingRequest, TargetClient, TargetConfig};
use scimsim::transcript::Exchange;
use serde_json::{Value, json};

use crate::entra_stories::tenant;
use crate::okta_stories::{add_user, org};
use crate::util::{StoryTarget, attrs};

/// Judges one scenario's exchanges with every check, asserts that none failed, and returns the
/// ids of the checks that applied and passed.
fn assert_conforms(idp: &str, exchanges: &[Exchange], service_provider_config: &Value) -> BTreeSet<&'static str> {
    let scenario = ScenarioRef {
        feature: "tests/integration/checks.rs".into(),
        scenario: idp.into(),
        idp: idp.into(),
        transcript: None,
    };
    let judged = Judged { idp, exchanges, service_provider_config: Some(service_provider_config) };
    let verdicts = judge(&catalogue(), &[(scenario, judged)]);
    let failures: Vec<String> = verdicts
        .iter()
        .flat_map(|v| v.evidence.iter().map(move |e| format!("{} seq {}: {}", v.id, e.seq, e.message)))
        .collect();
    assert!(failures.is_empty(), "false positives on the reference server:\n{}", failures.join("\n"));
    verdicts.iter().filter(|v| v.status == Status::Pass).map(|v| v.id).collect()
}

#[track_caller]
fn assert_judged(passed: &BTreeSet<&str>, ids: &[&str]) {
    let missing: Vec<&&str> = ids.iter().filter(|id| !passed.contains(**id)).collect();
    assert!(missing.is_empty(), "not applied: {missing:?}; passed: {passed:?}");
}

#[tokio::test]
async fn entra_users_and_groups_conform() {
    for dialect in [Dialect::Legacy, Dialect::AadOptscim062020] {
        let target = StoryTarget::embedded().await;
        let config = target.get("/ServiceProviderConfig").await;
        let mut entra = tenant(&target, dialect);
        let mut users = Vec::new();
        for alias in ["alice", "bob"] {
            let user = attrs(&[
                ("userPrincipalName", json!(target.name(&format!("{alias}@contoso.com")))),
                ("mailNickname", json!(alias)),
                ("givenName", json!(alias)),
                ("surname", json!("Smith")),
                ("department", json!("Retail")),
                ("accountEnabled", json!(true)),
            ]);
            users.push(entra.directory.add_user(alias, user).unwrap());
        }
        let sales =
            entra.directory.add_group("Sales", attrs(&[("displayName", json!(target.name("Sales")))]), &users).unwrap();
        entra.directory.assign(&sales, Assignment::default_access());
        entra.run_cycle().await;

        entra.directory.set_attribute(&users[0], "department", json!("Sales"));
        entra.directory.set_attribute(&users[1], "accountEnabled", json!(false));
        entra.run_cycle().await;
        entra.directory.set_attribute(&users[1], "givenName", json!("Robert"));
        entra.directory.remove_member(&sales, &users[0]);
        entra.run_cycle().await;
        entra.directory.set_attribute(&sales, "displayName", json!(target.name("Sales EMEA")));
        entra.run_cycle().await;
        entra.directory.soft_delete(&users[1], entra.now());
        entra.run_cycle().await;
        entra.advance(entra.options().soft_delete_retention);
        entra.directory.hard_delete(&sales);
        entra.run_cycle().await;

        let passed = assert_conforms("entra", entra.transcript().exchanges(), &config);
        assert_judged(
            &passed,
            &[
                "CREATE-201",
                "PATCH-STATUS",
                "DELETE-204",
                "LOCATION-ON-201",
                "META-FIELDS",
                "LIST-PAGING",
                "PATCH-VISIBLE",
                "ETAG-WHERE-ADVERTISED",
                "ENTRA-EMPTY-LIST-200",
                "ENTRA-SOFT-DELETE-VISIBLE",
                "ROUND-TRIP-EXTENSION",
            ],
        );
        target.clean_up(entra.links()).await;
    }
}

#[tokio::test]
async fn okta_assignment_deactivation_import_and_group_push_conform() {
    for kind in [AppKind::Oin, AppKind::Aiw] {
        let target = StoryTarget::embedded().await;
        let config = target.get("/ServiceProviderConfig").await;
        let mut okta = org(&target, kind);
        okta.test_connector().await.unwrap();
        for (alias, first) in [("alice", "Alice"), ("bob", "Bob")] {
            add_user(&mut okta, &target, alias, first, "Jones");
            okta.assign(alias).await.unwrap();
        }
        okta.set_attribute("alice", "firstName", json!("Alicia")).await.unwrap();
        okta.unassign("bob").await.unwrap();
        okta.assign("bob").await.unwrap();
        okta.import_users().await;
        let group = target.name("Engineering");
        okta.add_group(&group, &["alice"]).unwrap();
        okta.push_group(&group).await.unwrap();
        okta.add_member(&group, "bob").await.unwrap();
        okta.remove_member(&group, "alice").await.unwrap();
        okta.rename_group(&group, &target.name("Engineering EMEA")).await.unwrap();
        okta.unlink_group(&group, Unlink::DeleteInApp).await.unwrap();
        okta.deactivate("alice").await.unwrap();

        let passed = assert_conforms("okta", okta.transcript().exchanges(), &config);
        assert_judged(
            &passed,
            &["CREATE-201", "GET-200", "QUERY-200", "LIST-SHAPE", "OKTA-INTEGER-PAGING", "DELETE-204", "ID-STABLE"],
        );
        target.clean_up(okta.links()).await;
    }
}

/// Sends requests no IdP story sends (a duplicate, a different case, a deleted id, a page)
/// through the target client, recording them as a transcript.
struct Probe {
    client: TargetClient,
    exchanges: Vec<Exchange>,
}

impl Probe {
    fn new(target: &StoryTarget) -> Self {
        let config =
            TargetConfig { use_env_proxy: false, ..TargetConfig::new(&target.url, Auth::Bearer(target.token.clone())) };
        Self { client: TargetClient::new(config).unwrap(), exchanges: Vec::new() }
    }

    async fn send(&mut self, request: OutgoingRequest) -> Value {
        let meta =
            ExchangeMeta { seq: self.exchanges.len() as u64 + 1, idp: "probe".into(), ..ExchangeMeta::default() };
        let (_, exchange) = self.client.send(&request.with_header("content-type", "application/scim+json"), meta).await;
        let body = exchange.response.as_ref().and_then(|r| r.body.clone()).unwrap_or_default();
        self.exchanges.push(exchange);
        body
    }
}

#[tokio::test]
async fn duplicates_deleted_ids_and_pages_conform() {
    let target = StoryTarget::embedded().await;
    let config = target.get("/ServiceProviderConfig").await;
    let mut probe = Probe::new(&target);
    let user_name = target.name("Alice@Example.com");
    let alice = probe
        .send(
            OutgoingRequest::new(Method::POST, "/Users")
                .with_body(json!({"schemas": [urn::USER], "userName": user_name})),
        )
        .await;
    let id = alice["id"].as_str().unwrap().to_string();
    let shouted = user_name.to_uppercase();
    probe
        .send(
            OutgoingRequest::new(Method::POST, "/Users")
                .with_body(json!({"schemas": [urn::USER], "UserName": shouted})),
        )
        .await;
    let filter = |value: &str| {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("filter", &format!("userName eq \"{value}\""))
            .finish()
    };
    probe.send(OutgoingRequest::new(Method::GET, "/Users").with_query(filter(&shouted))).await;
    probe.send(OutgoingRequest::new(Method::GET, "/Users").with_query("startIndex=1&count=1")).await;
    let search =
        json!({"schemas": [urn::SEARCH_REQUEST], "filter": format!("userName eq \"{user_name}\""), "count": 5});
    probe.send(OutgoingRequest::new(Method::POST, "/Users/.search").with_body(search)).await;
    let deactivate =
        json!({"schemas": [urn::PATCH_OP], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]});
    probe.send(OutgoingRequest::new(Method::PATCH, format!("/Users/{id}")).with_body(deactivate)).await;
    probe.send(OutgoingRequest::new(Method::GET, format!("/Users/{id}"))).await;
    probe.send(OutgoingRequest::new(Method::DELETE, format!("/Users/{id}"))).await;
    probe.send(OutgoingRequest::new(Method::GET, format!("/Users/{id}"))).await;
    probe.send(OutgoingRequest::new(Method::DELETE, format!("/Users/{id}"))).await;
    probe.send(OutgoingRequest::new(Method::GET, "/Users").with_query(filter(&user_name))).await;
    probe.send(OutgoingRequest::new(Method::GET, "/Users").with_query("filter=userName+eq")).await;

    let passed = assert_conforms("probe", &probe.exchanges, &config);
    assert_judged(
        &passed,
        &[
            "UNIQUENESS-409",
            "FILTER-USERNAME-CASE-INSENSITIVE",
            "LIST-PAGING",
            "PATCH-VISIBLE",
            "GONE-AFTER-DELETE-404",
            "DELETED-NOT-LISTED",
            "ERROR-BODY",
            "SPC-TRUTHFUL",
            "ETAG-META-VERSION",
        ],
    );
}
