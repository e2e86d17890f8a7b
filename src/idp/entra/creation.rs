//! Creating a target object: a POST of the mapped values, then the link to the id the target
//! returns (entra-wire.md §1.2, §1.9).

use std::sync::Arc;

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::idp::app::TargetType;
use crate::idp::directory::{ObjectKind, SourceObject};
use crate::idp::link::Link;
use crate::scim::{set_path, urn};

use super::matching::endpoint;
use super::provisioning_log::{Action, ErrorCode, ModifiedProperty, Status};
use super::tenant::{Abort, EntraTenant, READ_BACK, Subject};
use super::user_sync::Desired;

impl EntraTenant {
    /// POSTs `object`. Users list both core and enterprise URNs in `schemas` (custom extension
    /// URNs are not listed), leave null attributes and references (the manager comes by a
    /// later PATCH) out, and mark the work email primary (§1.2); groups carry Microsoft's group
    /// URN and no members (§1.9). Both send `meta.resourceType`.
    pub(super) async fn create(&mut self, object: &SourceObject, desired: Vec<Desired>) -> Result<(), Abort> {
        let subject = Subject::of(object, None);
        let (schemas, resource_type) = match object.kind {
            ObjectKind::User => (json!([urn::USER, urn::ENTERPRISE_USER]), "User"),
            ObjectKind::Group => (json!([urn::GROUP, urn::ENTRA_GROUP]), "Group"),
        };
        let is_sent = |d: &Desired| {
            d.target.attribute.kind != TargetType::Reference && !matches!(&d.value, Value::Null) && d.value != ""
        };
        // Most mappings of a new user are empty: room for the values sent, not for every
        // mapping (the list of what was sent is kept in the log until the cycle ends).
        let count = desired.iter().filter(|d| is_sent(d)).count();
        let mut body = Map::with_capacity(count + 2);
        body.insert("schemas".into(), schemas);
        let mut sent = Vec::with_capacity(count);
        for d in desired {
            if !is_sent(&d) {
                continue;
            }
            if set_path(&mut body, &d.target.parsed, d.value.clone()) {
                sent.push(ModifiedProperty { name: Arc::clone(&d.target.path), old: None, new: d.value });
            }
        }
        if object.kind == ObjectKind::User && self.options().primary_work_email {
            mark_primary_work_email(&mut body);
        }
        body.insert("meta".into(), json!({"resourceType": resource_type}));
        let request = (Method::POST, endpoint(object.kind).to_string(), None, Some(Value::Object(body)));
        let Some(reply) = self.exchange(&subject, Action::Create, request, &[200, 201]).await? else {
            return Ok(());
        };
        // The id is all a create needs now; the object is decoded if a later step reads it.
        let Some(target_id) = reply.body.id().map(str::to_string) else {
            let code = ErrorCode::SystemForCrossDomainIdentityManagementServiceIncompatible;
            let reason = format!("the created {} came back without an id (HTTP {})", object.kind.noun(), reply.status);
            self.fail(&subject, Action::Create, code, reason);
            return Ok(());
        };
        let mut link = Link::new(&object.id, object.kind, &target_id);
        link.exported =
            sent.iter().filter(|p| &*p.name == READ_BACK).map(|p| (READ_BACK.into(), p.new.clone())).collect();
        self.links.insert(link);
        self.seen.insert(object.id.clone(), reply.body);
        self.escrows.clear(&object.id);
        self.record(&Subject::of(object, Some(&target_id)), Action::Create, Status::Success, None, String::new(), sent);
        Ok(())
    }
}

/// Marks the work email primary, first among its keys, as Microsoft's sample POST writes it
/// (entra-wire.md §1.2).
fn mark_primary_work_email(body: &mut Map<String, Value>) {
    let Some(Value::Array(emails)) = body.get_mut("emails") else { return };
    for email in emails.iter_mut() {
        let Value::Object(fields) = email else { continue };
        if fields.get("type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case("work")) {
            // A `primary` the mappings already set moves to the front and keeps its value.
            if let Some(mapped) = fields.shift_insert(0, "primary".into(), Value::Bool(true)) {
                fields.insert("primary".into(), mapped);
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_work_email_first() {
        let mut body = json!({"emails": [{"type": "other", "value": "o"}, {"type": "work", "value": "w"}]})
            .as_object()
            .unwrap()
            .clone();
        mark_primary_work_email(&mut body);
        assert_eq!(serde_json::to_string(&body["emails"][1]).unwrap(), r#"{"primary":true,"type":"work","value":"w"}"#);
        assert_eq!(serde_json::to_string(&body["emails"][0]).unwrap(), r#"{"type":"other","value":"o"}"#);
    }

    #[test]
    fn a_mapped_primary_keeps_its_value_and_moves_first() {
        let mut body =
            json!({"emails": [{"type": "work", "value": "w", "primary": false}]}).as_object().unwrap().clone();
        mark_primary_work_email(&mut body);
        assert_eq!(
            serde_json::to_string(&body["emails"][0]).unwrap(),
            r#"{"primary":false,"type":"work","value":"w"}"#
        );
    }
}
