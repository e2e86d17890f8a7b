//! Creating a target object: a POST of the mapped values, then the link to the id the target
//! returns (entra-wire.md §1.2, §1.9).

use std::sync::Arc;

use reqwest::Method;
use serde_json::Value;

use crate::idp::app::TargetType;
use crate::idp::directory::{ObjectKind, SourceObject};
use crate::idp::link::Link;

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
        let mut sent = desired;
        sent.retain(|d| {
            d.target.attribute.kind != TargetType::Reference && !matches!(&d.value, Value::Null) && d.value != ""
        });
        let mark_primary = object.kind == ObjectKind::User && self.options().primary_work_email;
        let (body, placed) = self.body_templates.body(object.kind, &sent, mark_primary);
        // The values sent, for the log (kept until the cycle ends).
        let sent: Vec<ModifiedProperty> = sent
            .into_iter()
            .zip(placed.iter())
            .filter(|(_, placed)| **placed)
            .map(|(d, _)| ModifiedProperty { name: Arc::clone(&d.target.path), old: None, new: d.value })
            .collect();
        let request = (Method::POST, endpoint(object.kind).to_string(), None, Some(body));
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
