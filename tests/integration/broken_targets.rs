//! Certification against deliberately broken targets: a small, otherwise correct SCIM server on
//! wiremock with exactly one defect, a story played against it through the scenario runner,
//! and the report's failed checks compared with exactly the ones the defect breaks, with the
//! exchange and the JSON pointer that show it.

use std::sync::{Mutex, PoisonError};

use scimsim::bdd::{FeatureSource, RunConfig, RunDescription, SnapshotStore, TargetChoice, report, run};
use scimsim::checks::{CheckVerdict, Status};
use scimsim::report::RunReport;
use scimsim::scim::urn;
use serde_json::{Map, Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The one thing the target gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Defect {
    /// None: the baseline every other target differs from by one defect.
    None,
    /// Every body is labelled `application/json` although nobody asked for it.
    JsonContentType,
    /// Every body is labelled `text/html` (a framework's default).
    HtmlContentType,
    /// No body has a `Content-Type` at all.
    NoContentType,
    /// A created user is answered `200 OK`.
    CreateAnswers200,
    /// Paging numbers in a ListResponse are strings.
    StringStartIndex,
    /// A created user is answered without its `id`.
    NoIdOnCreate,
    /// Errors come as the framework's JSON, not a SCIM Error (the create is refused as a
    /// duplicate).
    NonScimErrorOnCreate,
    /// `userName eq` compares with case.
    CaseSensitiveFilter,
    /// A user set inactive is deleted.
    GoneAfterDeactivation,
}

/// A minimal SCIM user store, correct except for its defect.
struct BrokenScim {
    defect: Defect,
    users: Mutex<Vec<Map<String, Value>>>,
    base: String,
}

const TIMESTAMP: &str = "2026-11-22T10:00:00Z";

impl BrokenScim {
    fn answer(&self, status: u16, body: &Value) -> ResponseTemplate {
        let answer = ResponseTemplate::new(status);
        match self.defect {
            Defect::JsonContentType => answer.set_body_raw(body.to_string(), "application/json"),
            Defect::HtmlContentType => answer.set_body_raw(body.to_string(), "text/html"),
            Defect::NoContentType => answer.set_body_bytes(body.to_string()),
            _ => answer.set_body_raw(body.to_string(), "application/scim+json"),
        }
    }

    fn error(&self, status: u16, scim_type: Option<&str>, detail: &str) -> ResponseTemplate {
        let mut body = json!({"schemas": [urn::ERROR], "status": status.to_string(), "detail": detail});
        if let Some(scim_type) = scim_type {
            body["scimType"] = json!(scim_type);
        }
        self.answer(status, &body)
    }

    fn create(&self, request: &Request) -> ResponseTemplate {
        let Ok(Value::Object(mut user)) = serde_json::from_slice::<Value>(&request.body) else {
            return self.error(400, Some("invalidSyntax"), "not a JSON object");
        };
        let name = user.get("userName").and_then(Value::as_str).unwrap_or_default().to_string();
        let mut users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        if self.defect == Defect::NonScimErrorOnCreate {
            return self.answer(409, &json!({"error": "Conflict", "message": "user exists"}));
        }
        if users.iter().any(|u| user_name(u).eq_ignore_ascii_case(&name)) {
            return self.error(409, Some("uniqueness"), "userName is taken");
        }
        let id = format!("u{}", users.len() + 1);
        let location = format!("{}/Users/{id}", self.base);
        user.insert("id".into(), json!(id));
        user.insert(
            "meta".into(),
            json!({"resourceType": "User", "created": TIMESTAMP, "lastModified": TIMESTAMP, "location": location}),
        );
        users.push(user.clone());
        if self.defect == Defect::NoIdOnCreate {
            user.remove("id");
        }
        let status = if self.defect == Defect::CreateAnswers200 { 200 } else { 201 };
        self.answer(status, &Value::Object(user)).insert_header("location", location.as_str())
    }

    fn query(&self, request: &Request) -> ResponseTemplate {
        let filter = request.url.query_pairs().find(|(k, _)| k == "filter").map(|(_, v)| v.into_owned());
        let wanted = filter.as_deref().and_then(|f| f.split_once(" eq ")).map(|(_, v)| v.trim_matches('"').to_string());
        let users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        let hits: Vec<Value> = users
            .iter()
            .filter(|u| match &wanted {
                Some(name) if self.defect == Defect::CaseSensitiveFilter => user_name(u) == name,
                Some(name) => user_name(u).eq_ignore_ascii_case(name),
                None => true,
            })
            .map(|u| Value::Object(u.clone()))
            .collect();
        let (total, items) = (hits.len(), hits.len());
        let mut body = json!({"schemas": [urn::LIST_RESPONSE], "totalResults": total, "startIndex": 1,
            "itemsPerPage": items, "Resources": hits});
        if self.defect == Defect::StringStartIndex {
            body["startIndex"] = json!("1");
        }
        self.answer(200, &body)
    }

    fn read(&self, id: &str) -> ResponseTemplate {
        let users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        match users.iter().find(|u| u.get("id").and_then(Value::as_str) == Some(id)) {
            Some(user) => self.answer(200, &Value::Object(user.clone())),
            None => self.error(404, None, "no such user"),
        }
    }

    /// PATCH: `active` (a path or a path-less value, boolean or Entra's "False"), other simple
    /// attributes replaced.
    fn modify(&self, request: &Request, id: &str) -> ResponseTemplate {
        let Ok(patch) = serde_json::from_slice::<Value>(&request.body) else {
            return self.error(400, Some("invalidSyntax"), "not JSON");
        };
        let mut users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(at) = users.iter().position(|u| u.get("id").and_then(Value::as_str) == Some(id)) else {
            return self.error(404, None, "no such user");
        };
        for operation in patch["Operations"].as_array().into_iter().flatten() {
            let changes = match operation.get("path").and_then(Value::as_str) {
                Some(path) => json!({ path: operation["value"].clone() }),
                None => operation["value"].clone(),
            };
            for (key, value) in changes.as_object().into_iter().flatten() {
                let value = match value.as_str() {
                    Some(text) if key == "active" => json!(text.eq_ignore_ascii_case("true")),
                    _ => value.clone(),
                };
                users[at].insert(key.clone(), value);
            }
        }
        let user = users[at].clone();
        if self.defect == Defect::GoneAfterDeactivation && user.get("active") == Some(&json!(false)) {
            users.remove(at);
        }
        self.answer(200, &Value::Object(user))
    }
}

fn user_name(user: &Map<String, Value>) -> &str {
    user.get("userName").and_then(Value::as_str).unwrap_or_default()
}

impl Respond for BrokenScim {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().trim_start_matches("/scim");
        let id = path.strip_prefix("/Users/");
        match (request.method.as_str(), id) {
            ("POST", None) if path == "/Users" => self.create(request),
            ("GET", None) if path == "/Users" => self.query(request),
            ("GET", Some(id)) => self.read(id),
            ("PATCH", Some(id)) => self.modify(request, id),
            ("DELETE", Some(_)) => ResponseTemplate::new(204),
            _ => self.error(404, None, "not here"),
        }
    }
}

/// A broken target on a fresh wiremock server; its base URL is `<server>/scim`.
pub(crate) async fn broken(defect: Defect) -> MockServer {
    let server = MockServer::start().await;
    let base = format!("{}/scim", server.uri());
    Mock::given(any()).respond_with(BrokenScim { defect, users: Mutex::new(Vec::new()), base }).mount(&server).await;
    server
}

/// Plays `feature` against the target and returns the run's report.
async fn certify(server: &MockServer, feature: &str) -> RunReport {
    let source = FeatureSource { path: "features/broken.feature".into(), text: feature.to_string().into() };
    let target = TargetChoice::Remote { url: format!("{}/scim", server.uri()), token: "broken-token".into() };
    let snapshots = std::env::temp_dir().join(format!("scimsim-broken-{}", std::process::id()));
    let config = RunConfig {
        target,
        snapshots: SnapshotStore { root: snapshots, record_missing: true, bundled_fallback: false },
        ..RunConfig::embedded(std::path::PathBuf::new())
    };
    let summary = run(&[source], config).await.expect("the feature runs");
    report(&summary, RunDescription::starting_now("a broken target".into(), None))
}

/// Plays `feature` against a target with `defect` and asserts that exactly the checks
/// `expected` failed.
pub(crate) async fn defect_fails(defect: Defect, feature: &str, expected: &[&str]) -> RunReport {
    let report = certify(&broken(defect).await, feature).await;
    assert_eq!(failed(&report), expected, "{defect:?}");
    report
}

/// The ids of the checks that failed.
fn failed(report: &RunReport) -> Vec<&'static str> {
    report.checks.iter().filter(|c| c.status == Status::Fail).map(|c| c.id).collect()
}

/// The verdict of check `id`.
fn verdict<'a>(report: &'a RunReport, id: &str) -> &'a CheckVerdict {
    report.checks.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no check {id}"))
}

/// Asserts that check `id`'s first evidence is the exchange `method path…` at `pointer`.
pub(crate) fn evidence_at(report: &RunReport, id: &str, method: &str, pointer: &str) {
    let evidence = &verdict(report, id).evidence[0];
    assert_eq!(evidence.exchange.request.method, method, "{id}: {evidence:?}");
    assert_eq!(evidence.pointer.as_deref(), Some(pointer), "{id}: {}", evidence.message);
    assert_eq!(evidence.scenario.feature, "features/broken.feature");
}

pub(crate) const ENTRA_CREATES_ALICE: &str = r#"
Feature: broken
  Scenario: Entra creates alice
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | displayName       | Alice Smith       |
    And "alice" is assigned to the app
    When the provisioning cycle runs
"#;

const OKTA_ASSIGNS_ALICE: &str = r#"
Feature: broken
  Scenario: Okta assigns alice
    Given an Okta org
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | email     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
    When "alice" is assigned to the app
"#;

#[tokio::test]
async fn a_correct_target_fails_no_check() {
    let server = broken(Defect::None).await;
    for feature in [ENTRA_CREATES_ALICE, OKTA_ASSIGNS_ALICE] {
        let report = certify(&server, feature).await;
        assert_eq!(failed(&report), Vec::<&str>::new());
        assert!(report.verdicts.iter().all(|v| v.compatible));
        let judged: usize = report.checks.iter().filter(|c| c.status == Status::Pass).count();
        assert!(judged >= 8, "the story gives the checks something to judge: {judged} passed");
    }
}

#[tokio::test]
async fn a_wrong_content_type_fails_only_the_media_type_check() {
    let report = defect_fails(Defect::JsonContentType, ENTRA_CREATES_ALICE, &["CONTENT-TYPE-SCIM"]).await;
    evidence_at(&report, "CONTENT-TYPE-SCIM", "GET", "/response/headers/content-type");
    assert_eq!(report.verdicts[0].line(), "Entra: 1 MUST failure");
}

#[tokio::test]
async fn a_200_to_a_create_fails_only_the_201_check() {
    let report = defect_fails(Defect::CreateAnswers200, ENTRA_CREATES_ALICE, &["CREATE-201"]).await;
    evidence_at(&report, "CREATE-201", "POST", "/response/status");
}

#[tokio::test]
async fn a_string_start_index_fails_the_integer_paging_checks() {
    let report =
        defect_fails(Defect::StringStartIndex, OKTA_ASSIGNS_ALICE, &["LIST-PAGING", "OKTA-INTEGER-PAGING"]).await;
    evidence_at(&report, "LIST-PAGING", "GET", "/response/body/startIndex");
    evidence_at(&report, "OKTA-INTEGER-PAGING", "GET", "/response/body/startIndex");
    assert_eq!(report.verdicts[0].line(), "Okta: 1 MUST failure, 1 Okta requires failure");
}

#[tokio::test]
async fn a_create_answered_without_an_id_fails_only_the_id_check() {
    let report = defect_fails(Defect::NoIdOnCreate, ENTRA_CREATES_ALICE, &["ID-PRESENT"]).await;
    evidence_at(&report, "ID-PRESENT", "POST", "/response/body/id");
}

#[tokio::test]
async fn a_non_scim_error_body_fails_only_the_error_body_check() {
    let report = defect_fails(Defect::NonScimErrorOnCreate, ENTRA_CREATES_ALICE, &["ERROR-BODY"]).await;
    evidence_at(&report, "ERROR-BODY", "POST", "/response/body/schemas");
}

#[tokio::test]
async fn a_case_sensitive_filter_fails_only_the_filter_check() {
    let feature = format!(
        "{ENTRA_CREATES_ALICE}    And \"alice\"'s \"userPrincipalName\" is changed to \"ALICE@contoso.com\"\n    \
         And provisioning is restarted with the reset scope \"Full\"\n    And the provisioning cycle runs\n"
    );
    let report = defect_fails(Defect::CaseSensitiveFilter, &feature, &["FILTER-USERNAME-CASE-INSENSITIVE"]).await;
    evidence_at(&report, "FILTER-USERNAME-CASE-INSENSITIVE", "GET", "/response/body/totalResults");
}

#[tokio::test]
async fn a_user_gone_after_deactivation_fails_the_soft_delete_check() {
    let feature = format!(
        "{ENTRA_CREATES_ALICE}    And \"alice\" is disabled\n    And the provisioning cycle runs\n    \
         And provisioning is restarted\n    And the provisioning cycle runs\n"
    );
    let report = defect_fails(Defect::GoneAfterDeactivation, &feature, &["ENTRA-SOFT-DELETE-VISIBLE"]).await;
    evidence_at(&report, "ENTRA-SOFT-DELETE-VISIBLE", "GET", "/response/status");
    assert_eq!(report.verdicts[0].line(), "Entra: 1 Entra requires failure");
}

#[tokio::test]
async fn every_response_conforms_fails_its_scenario_naming_the_check() {
    let feature = format!("{ENTRA_CREATES_ALICE}    Then every response conforms\n");
    let report = certify(&broken(Defect::JsonContentType).await, &feature).await;
    let scenario = &report.scenarios[0];
    assert!(!scenario.passed);
    let failure = scenario.failure.as_deref().unwrap_or_default();
    assert!(
        failure.contains("every response conforms") && failure.contains("CONTENT-TYPE-SCIM (MUST, RFC 7644 §3.8)"),
        "{failure}"
    );
    let correct = certify(&broken(Defect::None).await, &feature).await;
    assert!(correct.scenarios[0].passed, "{:?}", correct.scenarios[0].failure);
}
