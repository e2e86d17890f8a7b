//! Telling from recorded requests which IdP sent them and in which wire dialect: the names
//! transcripts carry in `idp` and `dialect`.
//!
//! The IdP shows itself in every request's headers; the dialect only in what it sends, so it
//! stays undetermined until a request that tells arrives (for Entra, the first PATCH).

use serde_json::Value;

use crate::idp::entra::Dialect;
use crate::idp::okta::AppKind;
use crate::transcript::{Exchange, RecordedRequest};

/// The IdP name of Microsoft Entra ID.
const ENTRA: &str = "entra";
/// The IdP name of Okta.
const OKTA: &str = "okta";
/// The IdP or dialect no request has told yet.
const UNKNOWN: &str = "unknown";
/// The dialect of an IdP whose requests have not shown it yet.
const UNDETERMINED: &str = "undetermined";

/// What the requests observed so far say: the IdP (`entra`, `okta`, `unknown`), its dialect
/// (`legacy`, `aadOptscim062020`, `oin`, `aiw`, `undetermined`), and every IdP and dialect the
/// evidence has pointed to, so a recording whose requests contradict each other can be called
/// mixed instead of silently taking the last word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// The IdP the latest identifying request named.
    pub idp: &'static str,
    /// The dialect the latest evidence of that IdP's dialect points to.
    pub dialect: &'static str,
    /// Every IdP identified, in the order first seen (two: the recording is mixed).
    pub idps_seen: Vec<&'static str>,
    /// Every dialect the evidence pointed to, in the order first seen (two or more: mixed).
    pub dialects_seen: Vec<&'static str>,
}

impl Detected {
    /// Whether the requests contradict each other: two IdPs, or two dialects.
    pub fn is_mixed(&self) -> bool {
        self.idps_seen.len() > 1 || self.dialects_seen.len() > 1
    }

    /// `idp entra, dialect legacy`, with `(mixed dialects: legacy, aadOptscim062020)` or
    /// `(mixed IdPs: entra, okta)` when the evidence disagrees: the words of the recording's
    /// closing summary.
    pub fn describe(&self) -> String {
        let mut mixed = Vec::new();
        if self.idps_seen.len() > 1 {
            mixed.push(format!("mixed IdPs: {}", self.idps_seen.join(", ")));
        }
        if self.dialects_seen.len() > 1 {
            mixed.push(format!("mixed dialects: {}", self.dialects_seen.join(", ")));
        }
        let text = format!("idp {}, dialect {}", self.idp, self.dialect);
        if mixed.is_empty() { text } else { format!("{text} ({})", mixed.join("; ")) }
    }

    /// `entra/legacy`, or `entra/legacy(mixed)`: the tag of a live summary line.
    pub fn tag(&self) -> String {
        let mixed = if self.is_mixed() { "(mixed)" } else { "" };
        format!("{}/{}{mixed}", self.idp, self.dialect)
    }
}

/// Watches requests in the order they arrived and says which IdP sends them and in which
/// dialect ([`observe`](Self::observe)); [`over`](Self::over) gives the verdict on a whole
/// transcript.
#[derive(Debug, Clone)]
pub struct IdpDetector {
    detected: Detected,
    /// Whether an Okta PATCH has been seen (an OIN app: AIW apps never PATCH).
    okta_patched: bool,
}

impl Default for IdpDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl IdpDetector {
    /// A detector that has seen nothing: IdP `unknown`, dialect `undetermined`.
    pub fn new() -> Self {
        Self {
            detected: Detected {
                idp: UNKNOWN,
                dialect: UNDETERMINED,
                idps_seen: Vec::new(),
                dialects_seen: Vec::new(),
            },
            okta_patched: false,
        }
    }

    /// The verdict on a whole transcript: its requests observed in `seq` order (a recording
    /// is written in completion order; `seq` is the order of arrival).
    pub fn over(exchanges: &[Exchange]) -> Detected {
        let mut ordered: Vec<&Exchange> = exchanges.iter().collect();
        ordered.sort_by_key(|exchange| exchange.seq);
        let mut detector = Self::new();
        for exchange in ordered {
            detector.observe(&exchange.request);
        }
        detector.verdict()
    }

    /// What the requests observed so far show.
    pub fn verdict(&self) -> Detected {
        self.detected.clone()
    }

    /// Takes in the next request and says what the requests so far show.
    pub fn observe(&mut self, request: &RecordedRequest) -> Detected {
        if let Some(idp) = identify(request) {
            self.switch_idp(idp);
        }
        match self.detected.idp {
            ENTRA => {
                for dialect in entra_evidence(request) {
                    self.conclude(dialect);
                }
            }
            OKTA => {
                if let Some(dialect) = self.okta_evidence(request) {
                    self.conclude(dialect);
                }
            }
            _ => {}
        }
        self.verdict()
    }

    /// A request named `idp`: a different IdP from before starts its dialect afresh.
    fn switch_idp(&mut self, idp: &'static str) {
        if !self.detected.idps_seen.contains(&idp) {
            self.detected.idps_seen.push(idp);
        }
        if self.detected.idp != idp {
            self.detected.idp = idp;
            self.detected.dialect = UNDETERMINED;
        }
    }

    /// Evidence for `dialect`: the latest evidence wins, and every dialect seen is kept.
    fn conclude(&mut self, dialect: &'static str) {
        self.detected.dialect = dialect;
        if !self.detected.dialects_seen.contains(&dialect) {
            self.detected.dialects_seen.push(dialect);
        }
    }

    /// Okta's integration kind from the method that carries (de)activation (okta-wire.md
    /// §1.0 "Which method carries updates", §1.6): OIN apps deactivate by PATCH, AIW apps
    /// PUT the whole user with `"active": false` and never PATCH. A PUT with `active:false`
    /// after a PATCH is no evidence: OIN apps also PUT profiles, and a stale `active:false`
    /// is a known race there (§1.8).
    fn okta_evidence(&mut self, request: &RecordedRequest) -> Option<&'static str> {
        if request.method.eq_ignore_ascii_case("PATCH") {
            self.okta_patched = true;
            return Some(AppKind::Oin.name());
        }
        let deactivating_put = request.method.eq_ignore_ascii_case("PUT")
            && request.body.as_ref().and_then(|body| field(body, "active")) == Some(&Value::Bool(false));
        (deactivating_put && !self.okta_patched).then(|| AppKind::Aiw.name())
    }
}

/// The IdP a request names in its headers (names are lower-case in a recording), if any:
/// Entra sends an `ADSCIMVersion` header (entra-wire.md §0 "Vendor header"), Okta a
/// `User-Agent` starting with "Okta" (okta-wire.md §1.0, `Okta SCIM Client 1.0.0`). Bitwarden's
/// SCIM server tells them apart the same way (bitwarden/server
/// `bitwarden_license/src/Scim/Context/ScimContext.cs`).
fn identify(request: &RecordedRequest) -> Option<&'static str> {
    if request.headers.contains_key("adscimversion") {
        Some(ENTRA)
    } else if request.headers.get("user-agent").is_some_and(|agent| agent.starts_with("Okta")) {
        Some(OKTA)
    } else {
        None
    }
}

/// The Entra dialect each piece of evidence in a PATCH points to, in the order it appears
/// (entra-wire.md §2 table, COMPAT): per operation, its `op` casing (`Replace` legacy,
/// `replace` with the flag), then the shape of an `active` value (the strings `"True"` /
/// `"False"` legacy, JSON booleans with the flag), whether under `"path":"active"` or as a
/// key of a path-less value. Other requests tell nothing: Entra's POST sends `active` as a
/// boolean in both dialects (§1.2).
fn entra_evidence(request: &RecordedRequest) -> Vec<&'static str> {
    let legacy = Dialect::Legacy.name();
    let flag = Dialect::AadOptscim062020.name();
    let mut evidence = Vec::new();
    if !request.method.eq_ignore_ascii_case("PATCH") {
        return evidence;
    }
    let operations = request.body.as_ref().and_then(|body| field(body, "Operations")).and_then(Value::as_array);
    for operation in operations.into_iter().flatten() {
        match operation.get("op").and_then(Value::as_str) {
            Some("Add" | "Replace" | "Remove") => evidence.push(legacy),
            Some("add" | "replace" | "remove") => evidence.push(flag),
            _ => {}
        }
        let value = operation.get("value");
        let active = match operation.get("path").and_then(Value::as_str) {
            Some(path) if path.eq_ignore_ascii_case("active") => value,
            Some(_) => None,
            None => value.and_then(|value| field(value, "active")),
        };
        match active {
            Some(Value::String(text)) if text == "True" || text == "False" => evidence.push(legacy),
            Some(Value::Bool(_)) => evidence.push(flag),
            _ => {}
        }
    }
    evidence
}

/// The member of a JSON object named `name`, matched case-insensitively as SCIM attribute
/// names are (RFC 7643 §2.1).
fn field<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value.as_object()?.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn request(method: &str, headers: &[(&str, &str)], body: Option<Value>) -> RecordedRequest {
        RecordedRequest {
            method: method.into(),
            path: "/Users/5d3f".into(),
            query: None,
            headers: headers.iter().map(|(name, value)| ((*name).to_string(), (*value).to_string())).collect(),
            body,
        }
    }

    /// Entra's headers (entra-wire.md §0): the vendor header and its content type.
    const ENTRA_HEADERS: [(&str, &str); 2] = [
        ("adscimversion", "Date:2026-01-01T00:00:00Z, ActivityId:6b9b3c5e-1d2f-4c1a-9a59-0c2d1e7f4a11"),
        ("content-type", "application/scim+json; charset=utf-8"),
    ];

    /// Okta's headers (okta-wire.md §1.0).
    const OKTA_HEADERS: [(&str, &str); 2] =
        [("user-agent", "Okta SCIM Client 1.0.0"), ("content-type", "application/scim+json; charset=utf-8")];

    fn entra_patch(body: Value) -> RecordedRequest {
        request("PATCH", &ENTRA_HEADERS, Some(body))
    }

    fn entra_get() -> RecordedRequest {
        request("GET", &ENTRA_HEADERS[..1], None)
    }

    #[test]
    fn nothing_seen_is_unknown() {
        let detected = IdpDetector::new().observe(&request("GET", &[("user-agent", "curl/8.0")], None));
        assert_eq!((detected.idp, detected.dialect), ("unknown", "undetermined"));
        assert!(!detected.is_mixed());
        assert_eq!(detected.describe(), "idp unknown, dialect undetermined");
    }

    #[test]
    fn entra_is_undetermined_until_a_patch_then_legacy() {
        let mut detector = IdpDetector::new();
        assert_eq!(detector.observe(&entra_get()).tag(), "entra/undetermined");
        // entra-wire.md §1.2: the POST's `active` is a boolean in both dialects.
        let post = request("POST", &ENTRA_HEADERS, Some(json!({"userName": "Test_User", "active": true})));
        assert_eq!(detector.observe(&post).dialect, "undetermined");
        // entra-wire.md §1.5, legacy: `{"op":"Replace","path":"active","value":"False"}`.
        let disable = entra_patch(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
        }));
        let detected = detector.observe(&disable);
        assert_eq!((detected.idp, detected.dialect), ("entra", "legacy"));
        assert!(!detected.is_mixed());
        // Later requests without a PATCH keep the verdict.
        assert_eq!(detector.observe(&entra_get()).dialect, "legacy");
    }

    #[test]
    fn entra_legacy_from_op_casing_alone() {
        // entra-wire.md §2: `{"op":"Add","path":"nickName","value":"Babs"}`.
        let add = entra_patch(json!({"Operations": [{"op": "Add", "path": "nickName", "value": "Babs"}]}));
        assert_eq!(IdpDetector::new().observe(&add).dialect, "legacy");
    }

    #[test]
    fn entra_flag_from_lower_case_ops_or_booleans() {
        // entra-wire.md §2, with the flag: `{"op":"replace","path":"active","value":false}`.
        let disable = entra_patch(json!({"Operations": [{"op": "replace", "path": "active", "value": false}]}));
        assert_eq!(IdpDetector::new().observe(&disable).dialect, "aadOptscim062020");
        // `{"op":"remove","path":"members[value eq \"<id>\"]"}`.
        let remove = entra_patch(json!({"Operations": [{"op": "remove", "path": "members[value eq \"7a1\"]"}]}));
        assert_eq!(IdpDetector::new().observe(&remove).dialect, "aadOptscim062020");
        // A path-less merged replace.
        let merged =
            entra_patch(json!({"Operations": [{"op": "replace", "value": {"displayName": "B", "active": true}}]}));
        assert_eq!(IdpDetector::new().observe(&merged).dialect, "aadOptscim062020");
    }

    #[test]
    fn contradicting_evidence_is_mixed_and_the_latest_wins() {
        let mut detector = IdpDetector::new();
        detector.observe(&entra_patch(json!({"Operations": [{"op": "Replace", "path": "active", "value": "True"}]})));
        let detected =
            detector.observe(&entra_patch(json!({"Operations": [{"op": "replace", "path": "active", "value": true}]})));
        assert_eq!(detected.dialect, "aadOptscim062020");
        assert!(detected.is_mixed());
        assert_eq!(detected.dialects_seen, ["legacy", "aadOptscim062020"]);
        assert_eq!(
            detected.describe(),
            "idp entra, dialect aadOptscim062020 (mixed dialects: legacy, aadOptscim062020)"
        );
        assert_eq!(detected.tag(), "entra/aadOptscim062020(mixed)");
        // SCIM-TUT's Disable sample is a hybrid (entra-wire.md §1.5): "Replace" with a boolean,
        // `Operations` before `schemas`.
        let hybrid = entra_patch(json!({
            "Operations": [{"op": "Replace", "path": "active", "value": false}],
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]
        }));
        let detected = IdpDetector::new().observe(&hybrid);
        assert!(detected.is_mixed(), "{detected:?}");
    }

    #[test]
    fn okta_oin_once_a_patch_is_seen() {
        let mut detector = IdpDetector::new();
        let get = request("GET", &OKTA_HEADERS[..1], None);
        assert_eq!(detector.observe(&get).tag(), "okta/undetermined");
        // okta-wire.md §1.4: an OIN app's profile update is a PUT with `active:true`.
        let put = request("PUT", &OKTA_HEADERS, Some(json!({"userName": "jane.doe@example.com", "active": true})));
        assert_eq!(detector.observe(&put).dialect, "undetermined");
        // okta-wire.md §1.6, OIN deactivation.
        let deactivate = request(
            "PATCH",
            &OKTA_HEADERS,
            Some(json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "value": {"active": false}}]
            })),
        );
        assert_eq!(detector.observe(&deactivate).tag(), "okta/oin");
        // A stale `active:false` in a later PUT (okta-wire.md §1.8) does not make it AIW.
        let stale = request("PUT", &OKTA_HEADERS, Some(json!({"userName": "jane.doe@example.com", "active": false})));
        let detected = detector.observe(&stale);
        assert_eq!(detected.dialect, "oin");
        assert!(!detected.is_mixed());
    }

    #[test]
    fn okta_aiw_from_a_deactivating_put() {
        // okta-wire.md §1.6: AIW apps PUT the full object with `"active": false`.
        let put = request(
            "PUT",
            &OKTA_HEADERS,
            Some(json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "jane.doe@example.com", "active": false,
                "name": {"familyName": "Doe", "givenName": "Jane"}
            })),
        );
        assert_eq!(IdpDetector::new().observe(&put).tag(), "okta/aiw");
    }

    #[test]
    fn over_a_transcript_reads_in_seq_order() {
        let exchange = |seq: u64, request: RecordedRequest| Exchange {
            seq,
            idp: String::new(),
            dialect: String::new(),
            scenario: "recording".into(),
            step: "recorded".into(),
            scheduled_at: "PT0S".into(),
            request,
            response: None,
            error: None,
            elapsed_ms: 0.0,
        };
        let legacy = entra_patch(json!({"Operations": [{"op": "Replace", "path": "active", "value": "False"}]}));
        let flag = entra_patch(json!({"Operations": [{"op": "replace", "path": "active", "value": false}]}));
        // Written in completion order: #2 finished before #1.
        let detected = IdpDetector::over(&[exchange(2, flag), exchange(1, legacy)]);
        assert_eq!(detected.dialect, "aadOptscim062020", "seq 2 is the latest evidence");
        assert!(detected.is_mixed());
        assert_eq!(IdpDetector::over(&[]), IdpDetector::new().verdict());
    }

    #[test]
    fn a_second_idp_is_mixed() {
        let mut detector = IdpDetector::new();
        detector.observe(&entra_patch(json!({"Operations": [{"op": "Replace", "path": "active", "value": "False"}]})));
        let detected = detector.observe(&request("GET", &OKTA_HEADERS[..1], Some(Value::Null)));
        assert_eq!((detected.idp, detected.dialect), ("okta", "undetermined"));
        assert!(detected.is_mixed());
        assert_eq!(detected.describe(), "idp okta, dialect undetermined (mixed IdPs: entra, okta)");
    }
}
