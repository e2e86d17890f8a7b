//! A small, complete run report built by hand: both IdPs, a passed, a failed and a not
//! applicable check, evidence with and without a pointer, an exchange that got no response, a
//! failed scenario and one whose answers were not judged. The renderers' tests render it, the
//! integration tests write its files to `target/report-fixture/` for CI to validate and open in
//! a browser, and it shows what a report looks like before any real run.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::checks::{CheckVerdict, Evidence, ScenarioRef, Severity, Source, Tally};
use crate::transcript::{Exchange, RecordedRequest, RecordedResponse};

use super::run_report::{IdpVerdict, RunMeta, RunReport, SCHEMA_VERSION, ScenarioResult};

/// The sample report. Its Entra verdict is `Entra: 2 MUST failures, 1 Entra requires failure`,
/// its Okta verdict `Okta: compatible` (its one failure is a SHOULD); a response body holds a
/// `<script>` element, a pointer names a header the response lacks, and every request's
/// `authorization` header is `[redacted]`.
pub fn sample_report() -> RunReport {
    let scenarios = vec![
        scenario(USER_LIFECYCLE, "entra", "legacy", None, true),
        scenario(GROUP_RENAME, "entra", "aadOptscim062020", Some(RENAME_FAILURE), true),
        scenario(OKTA_CREATE, "okta", "oin", None, true),
        scenario(OKTA_CONFLICT, "okta", "oin", None, false),
    ];
    let checks = vec![
        check(
            ("USR-CREATE-201", "A successful POST /Users answers 201 Created"),
            Severity::Must,
            Source::rfc7644("§3.3", "https://www.rfc-editor.org/rfc/rfc7644#section-3.3"),
            &[("entra", 2, 0), ("okta", 1, 0)],
            Vec::new(),
        ),
        check(
            ("RESP-MEDIA-TYPE", "Responses with a body are application/scim+json"),
            Severity::Must,
            Source::rfc7644("§3.1", "https://www.rfc-editor.org/rfc/rfc7644#section-3.1"),
            &[("entra", 5, 1), ("okta", 4, 0)],
            vec![evidence(
                GROUP_RENAME,
                "entra",
                html_error_page(),
                Some("/response/headers/content-type"),
                "PATCH /Groups answered text/html; charset=utf-8, not application/scim+json",
            )],
        ),
        check(
            ("LIST-START-INDEX", "A ListResponse's startIndex is 1-based"),
            Severity::Must,
            Source::rfc7644("§3.4.2.4", "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4"),
            &[("entra", 3, 1)],
            vec![evidence(
                USER_LIFECYCLE,
                "entra",
                zero_start_index(),
                Some("/response/body/startIndex"),
                "startIndex is 0; RFC 7644 §3.4.2.4 numbers results from 1",
            )],
        ),
        check(
            ("ENTRA-ANSWERED", "Entra needs every request answered with 2xx, or an error it retries"),
            Severity::EntraRequires,
            Source {
                document: "entra-wire.md",
                section: "§1.3",
                url: "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups",
            },
            &[("entra", 6, 2)],
            vec![
                evidence(
                    USER_LIFECYCLE,
                    "entra",
                    unanswered_post(),
                    None,
                    "POST /Users got no response: connection reset by peer",
                ),
                evidence(
                    GROUP_RENAME,
                    "entra",
                    html_error_page(),
                    Some("/response/status"),
                    "PATCH /Groups/7 answered 502; Entra retries the whole cycle",
                ),
            ],
        ),
        check(
            ("USR-CREATE-LOCATION", "A 201 Created names the new resource in a Location header"),
            Severity::Should,
            Source::rfc7644("§3.1", "https://www.rfc-editor.org/rfc/rfc7644#section-3.1"),
            &[("entra", 2, 1), ("okta", 1, 1)],
            vec![
                evidence(
                    USER_LIFECYCLE,
                    "entra",
                    created_without_location(3, "legacy"),
                    Some("/response/headers/location"),
                    "POST /Users answered 201 without a Location header",
                ),
                evidence(
                    OKTA_CREATE,
                    "okta",
                    created_without_location(2, "oin"),
                    Some("/response/headers/location"),
                    "POST /Users answered 201 without a Location header",
                ),
            ],
        ),
        check(
            ("OKTA-FILTER-EQ", "Okta needs filter=userName eq \"…\" answered with a ListResponse"),
            Severity::OktaRequires,
            Source {
                document: "okta-wire.md",
                section: "§2.1",
                url: "https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20",
            },
            &[],
            Vec::new(),
        ),
        check(
            ("ETAG-WEAK", "An ETag the server advertises is sent as a weak or strong entity tag"),
            Severity::Should,
            Source::rfc7644("§3.14", "https://www.rfc-editor.org/rfc/rfc7644#section-3.14"),
            &[("entra", 4, 0), ("okta", 3, 0)],
            Vec::new(),
        ),
    ];
    let verdicts = ["entra", "okta"].iter().map(|idp| IdpVerdict::of(idp, &checks, &scenarios)).collect();
    RunReport {
        schema_version: SCHEMA_VERSION,
        run: RunMeta {
            scimsim_version: env!("CARGO_PKG_VERSION").to_string(),
            target: "https://scim.example.com/scim/v2".to_string(),
            started_at: "2026-11-22T15:00:00Z".to_string(),
            duration_ms: 4_321,
            idps: BTreeMap::from([
                ("entra".to_string(), vec!["legacy".to_string(), "aadOptscim062020".to_string()]),
                ("okta".to_string(), vec!["oin".to_string()]),
            ]),
            tags: Some("@entra or @okta".to_string()),
        },
        verdicts,
        scenarios,
        checks,
    }
}

/// A scenario's feature file and name.
type Story = (&'static str, &'static str);

const USER_LIFECYCLE: Story =
    ("features/entra/user_lifecycle.feature", "Create, update, disable and hard delete a user");
const GROUP_RENAME: Story = ("features/entra/groups.feature", "A renamed group is patched with its new displayName");
const OKTA_CREATE: Story =
    ("features/okta/assign_and_create.feature", "A user the app does not hold is created after the existence check");
const OKTA_CONFLICT: Story =
    ("features/okta/reactions.feature", "A 409 to the create leaves a task and retrying it creates alice");
const RENAME_FAILURE: &str = "Then the target has the group \"Sales & Marketing\" with \"displayName\" equal to \
                              \"Sales & Marketing\": it is \"Sales\"";

fn scenario(story: Story, idp: &str, dialect: &str, failure: Option<&str>, judged: bool) -> ScenarioResult {
    ScenarioResult {
        feature: story.0.to_string(),
        name: story.1.to_string(),
        idp: Some(idp.to_string()),
        dialect: Some(dialect.to_string()),
        passed: failure.is_none(),
        failure: failure.map(str::to_string),
        exchanges: 5,
        judged,
        transcript: Some(transcript_path(story)),
    }
}

fn transcript_path(story: Story) -> String {
    let stem = story.0.rsplit('/').next().unwrap_or(story.0).trim_end_matches(".feature");
    let name: String = story.1.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { '_' }).collect();
    format!("transcripts/{stem}/{name}.jsonl")
}

/// A check's verdict with `by_idp` tallies `(idp, judged, failed)`; the totals and the status
/// follow from them.
fn check(
    (id, title): (&'static str, &'static str),
    severity: Severity,
    source: Source,
    by_idp: &[(&str, usize, usize)],
    evidence: Vec<Evidence>,
) -> CheckVerdict {
    let by_idp: BTreeMap<String, Tally> =
        by_idp.iter().map(|&(idp, judged, failed)| (idp.to_string(), Tally { judged, failed })).collect();
    let total = by_idp
        .values()
        .fold(Tally::default(), |sum, t| Tally { judged: sum.judged + t.judged, failed: sum.failed + t.failed });
    CheckVerdict {
        id,
        title,
        severity,
        source,
        status: total.status(),
        judged: total.judged,
        failed: total.failed,
        by_idp,
        evidence,
    }
}

fn evidence(story: Story, idp: &str, exchange: Exchange, pointer: Option<&str>, message: &str) -> Evidence {
    Evidence {
        scenario: ScenarioRef {
            feature: story.0.to_string(),
            scenario: story.1.to_string(),
            idp: idp.to_string(),
            transcript: Some(transcript_path(story)),
        },
        seq: exchange.seq,
        pointer: pointer.map(str::to_string),
        message: message.to_string(),
        exchange: Exchange { idp: idp.to_string(), scenario: story.1.to_string(), ..exchange },
    }
}

/// An exchange of the sample; `idp` and `scenario` are filled in by [`evidence`].
fn exchange(seq: u64, dialect: &str, request: RecordedRequest, response: Option<RecordedResponse>) -> Exchange {
    Exchange {
        seq,
        idp: String::new(),
        dialect: dialect.to_string(),
        scenario: String::new(),
        step: "When the provisioning cycle runs".to_string(),
        scheduled_at: "PT40M".to_string(),
        request,
        response,
        error: None,
        elapsed_ms: 12.5,
    }
}

fn request(method: &str, path: &str, query: Option<&str>, body: Option<Value>) -> RecordedRequest {
    let mut headers = BTreeMap::from([
        ("authorization".to_string(), "[redacted]".to_string()),
        ("accept".to_string(), "application/scim+json".to_string()),
    ]);
    if body.is_some() {
        headers.insert("content-type".to_string(), "application/scim+json; charset=utf-8".to_string());
    }
    RecordedRequest {
        method: method.to_string(),
        path: path.to_string(),
        query: query.map(str::to_string),
        headers,
        body,
    }
}

fn response(status: u16, content_type: &str, body: Value) -> RecordedResponse {
    RecordedResponse {
        status,
        headers: BTreeMap::from([("content-type".to_string(), content_type.to_string())]),
        body: Some(body),
    }
}

/// A proxy's HTML error page, with a script a report must not run, answering a group rename.
fn html_error_page() -> Exchange {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"displayName": "Sales & Marketing"}}]
    });
    exchange(
        3,
        "aadOptscim062020",
        request("PATCH", "/Groups/7", None, Some(body)),
        Some(response(
            502,
            "text/html; charset=utf-8",
            json!({"raw": "<html><script>alert('x')</script><b>Bad Gateway</b></html>"}),
        )),
    )
}

/// A list answer numbering its results from 0.
fn zero_start_index() -> Exchange {
    exchange(
        1,
        "legacy",
        request("GET", "/Users", Some("filter=userName+eq+%22alice%40contoso.com%22"), None),
        Some(response(
            200,
            "application/scim+json",
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                "totalResults": 0,
                "startIndex": 0,
                "itemsPerPage": 0,
                "Resources": []
            }),
        )),
    )
}

fn new_user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "bob@example.com",
        "active": true
    })
}

/// A create that never got an answer.
fn unanswered_post() -> Exchange {
    Exchange {
        error: Some("connection reset by peer".to_string()),
        ..exchange(2, "legacy", request("POST", "/Users", None, Some(new_user())), None)
    }
}

/// A create answered 201 with the user but no `Location` header.
fn created_without_location(seq: u64, dialect: &str) -> Exchange {
    let mut user = new_user();
    user["id"] = json!("2819c223-7f76-453a-919d-413861904646");
    exchange(
        seq,
        dialect,
        request("POST", "/Users", None, Some(new_user())),
        Some(response(201, "application/scim+json", user)),
    )
}

#[cfg(test)]
mod tests {
    use crate::checks::Status;

    use super::*;

    #[test]
    fn the_verdicts_follow_from_the_checks() {
        let report = sample_report();
        let lines: Vec<String> = report.verdicts.iter().map(IdpVerdict::line).collect();
        assert_eq!(lines, ["Entra: 2 MUST failures, 1 Entra requires failure", "Okta: compatible"]);
        let statuses: Vec<Status> = report.checks.iter().map(|c| c.status).collect();
        assert!(statuses.contains(&Status::Pass) && statuses.contains(&Status::NotApplicable));
    }
}
