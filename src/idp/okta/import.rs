//! Reading the app: Test Connector Configuration and imports of users and groups, page by
//! page (okta-wire.md §1.1, §1.2).

use std::collections::HashSet;

use reqwest::Method;
use serde_json::Value;

use crate::idp::directory::ObjectKind;

use super::envelope::{PAGE_SIZE, page_query};
use super::list_page;
use super::org::{Failure, ImportReport, Imported, OktaOrg};
use super::task_log::{EventKind, Operation, Outcome};

/// The endpoint of an object kind.
fn endpoint(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::User => "/Users",
        ObjectKind::Group => "/Groups",
    }
}

impl OktaOrg {
    /// Test Connector Configuration ("Test API Credentials"): `GET /Users?startIndex=1&count=2`
    /// and `GET /Groups?startIndex=1&count=100`, each needing 200 and a ListResponse with
    /// integer paging numbers (REF11, the 2016 suite). Returns Okta's verdict message.
    pub async fn test_connector(&mut self) -> Result<String, String> {
        let mut checks = vec![("/Users", 2)];
        if self.options().test_connector_lists_groups {
            checks.push(("/Groups", PAGE_SIZE));
        }
        let label = self.settings.label.clone();
        for (path, count) in checks {
            let request = (Method::GET, path.to_string(), Some(page_query(1, count)), None);
            let failure = match self.send(request, EventKind::TestConnector, &label).await {
                Ok(reply) if reply.status == 200 => {
                    list_page::read_answer(&reply.body, self.options().lenient_list_keys).err().map(Failure::other)
                }
                Ok(reply) => Some(Failure::http(&reply)),
                Err(failure) => Some(failure),
            };
            if let Some(failure) = failure {
                let message = format!("{label} was not verified: GET {path}: {}", failure.text);
                self.event(EventKind::TestConnector, &label, Outcome::Failure, message.clone());
                return Err(self.client.redact_text(message));
            }
        }
        let message = format!("{label} was verified successfully!");
        self.event(EventKind::TestConnector, &label, Outcome::Success, message.clone());
        Ok(message)
    }

    /// Imports the app's users: pages of 100 from `startIndex=1` until `totalResults` is
    /// read (REF20). Inactive users are not taken in (CONCEPT).
    pub async fn import_users(&mut self) -> ImportReport {
        self.import(ObjectKind::User).await
    }

    /// Imports the app's groups; Group Push then links groups by name without an existence
    /// check (okta-wire.md §1.10).
    pub async fn import_groups(&mut self) -> ImportReport {
        self.import(ObjectKind::Group).await
    }

    pub(super) async fn import(&mut self, kind: ObjectKind) -> ImportReport {
        let (event, operation, noun) = match kind {
            ObjectKind::User => (EventKind::ImportUsers, Operation::ImportUsers, "users"),
            ObjectKind::Group => (EventKind::ImportGroups, Operation::ImportGroups, "groups"),
        };
        let label = self.settings.label.clone();
        let mut read: Vec<Value> = Vec::new();
        let mut ids: HashSet<String> = HashSet::new();
        let mut start = 1;
        loop {
            let request = (Method::GET, endpoint(kind).to_string(), Some(page_query(start, PAGE_SIZE)), None);
            let page = match self.send(request, event, &label).await {
                Ok(reply) if reply.status == 200 => {
                    list_page::read_answer(&reply.body, self.options().lenient_list_keys).map_err(Failure::other)
                }
                Ok(reply) => Err(Failure::http(&reply)),
                Err(failure) => Err(failure),
            };
            let page = match page {
                Ok(page) => page,
                Err(failure) => {
                    let text = format!("Import of {noun} from app {label} failed: {}", failure.text);
                    self.fail(event, &label, operation, text);
                    return ImportReport::default();
                }
            };
            let count = page.resources.len();
            // A page of objects all read before means the server ignores startIndex; with an
            // overstated total it would keep the import reading the same page forever, so it
            // ends the import and is not taken in twice [INFERRED].
            let new = page
                .resources
                .iter()
                .filter(|r| r.get("id").and_then(Value::as_str).is_none_or(|id| ids.insert(id.to_string())))
                .count();
            if count > 0 && new == 0 {
                break;
            }
            read.extend(page.resources);
            start += count;
            // Okta pages until it has read totalResults; an empty page also ends the import,
            // so a server that overstates its total cannot keep it reading forever [INFERRED].
            if count == 0 || page.total.is_none_or(|total| start > usize::try_from(total).unwrap_or(usize::MAX)) {
                break;
            }
        }
        let scanned = read.len();
        let name_key = if kind == ObjectKind::User { "userName" } else { "displayName" };
        let imported: Vec<Imported> = read
            .into_iter()
            .filter(|r| kind == ObjectKind::Group || r.get("active") != Some(&Value::Bool(false)))
            .filter_map(|r| {
                let id = r.get("id")?.as_str()?.to_string();
                let name = r.get(name_key).and_then(Value::as_str).unwrap_or_default().to_string();
                Some(Imported { id, name, resource: r })
            })
            .collect();
        let linked = |id: &str| self.links.iter().any(|l| l.kind == kind && l.target_id == id);
        let new = imported.iter().filter(|i| !linked(&i.id)).count();
        let report = ImportReport { scanned, imported: imported.len(), new };
        match kind {
            ObjectKind::User => self.imported_users = imported,
            ObjectKind::Group => self.imported_groups = imported,
        }
        let message = match kind {
            ObjectKind::User => format!("{scanned} users scanned, {new} new users imported"),
            ObjectKind::Group => format!("{scanned} groups scanned, {new} new groups imported"),
        };
        self.event(event, &label, Outcome::Success, message);
        self.log.close(&operation);
        report
    }
}
