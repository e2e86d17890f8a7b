//! Matching a source object to an existing target object: one `GET ?filter=` per matching
//! attribute, in precedence order, stopping at the first hit (entra-wire.md §1.0). Groups are
//! queried without their members (§1.9).

use reqwest::Method;
use serde_json::{Map, Value};

use crate::idp::directory::{ObjectKind, SourceObject};
use crate::idp::link::Link;

use super::envelope::filter_pair;
use super::provisioning_log::{Action, ErrorCode, Status};
use super::tenant::{Abort, EntraTenant, Subject};
use super::user_sync::Desired;

/// The query Entra reads groups with: members excluded (entra-wire.md §1.9).
pub(super) const WITHOUT_MEMBERS: &str = "excludedAttributes=members";

/// What the match queries found.
#[derive(Debug)]
pub(super) enum Match {
    /// Exactly one target object: now linked.
    Linked {
        /// Its id.
        target_id: String,
        /// Its representation, as the query returned it.
        current: Map<String, Value>,
    },
    /// Nothing: the object may be created.
    None,
    /// A failure, already logged and escrowed.
    Failed,
}

/// The endpoint of an object type.
pub(super) fn endpoint(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::User => "/Users",
        ObjectKind::Group => "/Groups",
    }
}

impl EntraTenant {
    /// Runs the match queries for `object` with the values it would be created with. More
    /// than one hit is `DuplicateTargetEntries`; a 404 for the endpoint itself stops the job.
    pub(super) async fn find_match(&mut self, object: &SourceObject, desired: &[Desired]) -> Result<Match, Abort> {
        let subject = Subject::of(object, None);
        let endpoint = endpoint(object.kind);
        let matching = self.targets_of(object.kind).matching();
        for target in matching.iter() {
            let value =
                desired.iter().find(|d| *d.target.path == **target).and_then(|d| d.value.as_str()).unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            let filter = filter_pair(target, value);
            let query = if object.kind == ObjectKind::Group { format!("{WITHOUT_MEMBERS}&{filter}") } else { filter };
            let request = (Method::GET, endpoint.to_string(), Some(query), None);
            let Some(reply) = self.exchange(&subject, Action::Other, request, &[200, 404]).await? else {
                return Ok(Match::Failed);
            };
            if reply.status == 404 {
                return Err(Abort {
                    code: ErrorCode::EncounteredQuarantineException,
                    detail: format!("HTTP/404 rather than 200 for GET {endpoint}?filter={target} eq …"),
                });
            }
            // Only the list is read: the rest of the answer is not decoded.
            let resources = reply.body.member("Resources");
            let found: Vec<&Map<String, Value>> = resources
                .as_deref()
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_object).collect())
                .unwrap_or_default();
            match found.as_slice() {
                [] => continue,
                [one] => {
                    let Some(target_id) = one.get("id").and_then(Value::as_str).map(str::to_string) else {
                        let code = ErrorCode::SystemForCrossDomainIdentityManagementServiceIncompatible;
                        self.fail(
                            &subject,
                            Action::Other,
                            code,
                            format!("the {} that matched has no id", object.kind.noun()),
                        );
                        return Ok(Match::Failed);
                    };
                    self.links.insert(Link::new(&object.id, object.kind, &target_id));
                    let reason = format!("matched on {target} = {value}");
                    self.record(
                        &Subject::of(object, Some(&target_id)),
                        Action::Other,
                        Status::Success,
                        None,
                        reason,
                        Vec::new(),
                    );
                    return Ok(Match::Linked { target_id, current: (*one).clone() });
                }
                _ => {
                    let reason = format!("{} target {}s have {target} = {value}", found.len(), object.kind.noun());
                    self.fail(&subject, Action::Other, ErrorCode::DuplicateTargetEntries, reason);
                    return Ok(Match::Failed);
                }
            }
        }
        Ok(Match::None)
    }
}
