//! Infers the story behind a recording: which users and groups the IdP provisioned, and what
//! happened to them (created, changed, disabled, deleted, members added and removed, groups
//! renamed and deleted), in scimsim's step language.
//!
//! Only the requests that change something tell the story; reads (match queries, Entra's
//! read-before-write, Okta's existence checks) are left to the engine, which sends its own, and
//! the comparison then shows whether they agree. Entra works in cycles: a new cycle is assumed
//! where an object already touched in the current one is read or deleted again (entra-wire.md
//! §1.0 "Read-before-write", §4.1). Okta sends as each event happens (okta-wire.md §1.3–§1.10).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::source_attributes::SourceAttributes;
use super::story::{StepKind, Story, StoryStep, quote};
use super::wire_normalizer::collection_path;
use crate::target::CreatedObject;
use crate::transcript::Exchange;

/// A story and what the inference could not express.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inference {
    /// The story.
    pub story: Story,
    /// One line per recorded request the story leaves out, and why.
    pub notes: Vec<String>,
}

/// A recording whose story cannot be told.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum InferenceError {
    /// The IdP is neither Entra nor Okta.
    #[error(
        "the recording's IdP is {0:?}: scimsim tells the story of Entra or Okta traffic (recognised by the \
         ADSCIMVersion header or an \"Okta\" User-Agent); record real IdP traffic with `scimsim record`"
    )]
    UnknownIdp(String),
}

/// Infers the story of `exchanges`, recorded from `idp` (`entra`, `okta`) speaking `dialect`;
/// the scenario is called `name`.
pub fn infer(exchanges: &[Exchange], idp: &str, dialect: &str, name: &str) -> Result<Inference, InferenceError> {
    let (tenant, sources) = match (idp, dialect) {
        ("entra", "aadOptscim062020") => {
            ("an Entra ID tenant with the aadOptscim062020 flag", SourceAttributes::entra())
        }
        ("entra", _) => ("an Entra ID tenant", SourceAttributes::entra()),
        ("okta", "aiw") => ("an Okta org with an AIW app", SourceAttributes::okta()),
        ("okta", _) => ("an Okta org", SourceAttributes::okta()),
        (other, _) => return Err(InferenceError::UnknownIdp(other.to_string())),
    };
    let mut teller = Teller { sources, entra: idp == "entra", ..Teller::default() };
    for exchange in exchanges {
        teller.exchange(exchange);
    }
    let notes = std::mem::take(&mut teller.notes);
    let steps = teller.finish(tenant);
    let comments =
        vec![format!("Inferred by `scimsim diff` from {} recorded exchanges ({idp}, {dialect}).", exchanges.len())];
    Ok(Inference { story: Story { idp: idp.to_string(), name: name.to_string(), comments, steps }, notes })
}

/// A provisioned user: its alias and the last body the IdP sent for it (Okta's PUTs are
/// compared with it).
#[derive(Debug, Clone, Default)]
struct User {
    alias: String,
    body: Map<String, Value>,
}

/// A provisioned group: its current name and, until its first cycle or push is over, the
/// members it was created with.
#[derive(Debug, Clone, Default)]
struct Group {
    name: String,
    /// The name it was created with: the one its definition step gives it.
    created_as: String,
    members: Vec<String>,
    /// Still in the cycle (Entra) or push (Okta) that created it: members added now are its
    /// initial members.
    new: bool,
}

/// The state of an inference in progress.
#[derive(Debug, Default)]
struct Teller {
    sources: SourceAttributes,
    entra: bool,
    users: HashMap<String, User>,
    groups: HashMap<String, Group>,
    /// User definitions (`the user … with:`), in creation order.
    user_steps: Vec<StoryStep>,
    /// Group ids in creation order (their definitions are written at the end, with members).
    group_order: Vec<String>,
    /// The events, in order; for Entra with the cycles between them.
    flow: Vec<StoryStep>,
    /// Entra: the ids touched in the current cycle, and whether it has events yet.
    touched: HashSet<String>,
    cycle_has_events: bool,
    /// Entra: how many cycles have been closed.
    cycles: usize,
    notes: Vec<String>,
}

impl Teller {
    fn note(&mut self, exchange: &Exchange, why: &str) {
        let request = &exchange.request;
        self.notes.push(format!("#{} {} {}: {why}", exchange.seq, request.method, request.path));
    }

    /// Pushes a step that makes the IdP provide an object (an assignment, a push): `Given`, as
    /// the set-up it is, until the first event or cycle, `When` after.
    fn provide(&mut self, text: String) {
        let after_events = self.flow.iter().any(|s| s.kind == StepKind::When);
        self.flow.push(StoryStep::new(if after_events { StepKind::When } else { StepKind::Given }, text));
        self.cycle_has_events = true;
    }

    /// The id a create's answer gave and the name `key` of the body gives the object, or a
    /// note why the story cannot name it.
    fn created(&mut self, exchange: &Exchange, body: &Map<String, Value>, key: &str) -> Option<(String, String)> {
        let Some(id) = created_id(exchange) else {
            self.note(exchange, "the create's answer has no id");
            return None;
        };
        let Some(name) = body.get(key).and_then(Value::as_str).filter(|n| !n.contains('"')) else {
            self.note(exchange, &format!("the object has no {key} a step can name (one without '\"')"));
            return None;
        };
        self.touched.insert(id.clone());
        Some((id, name.to_string()))
    }

    fn event(&mut self, text: String) {
        self.flow.push(StoryStep::new(StepKind::When, text));
        self.cycle_has_events = true;
    }

    fn exchange(&mut self, exchange: &Exchange) {
        let status = exchange.response.as_ref().map(|r| r.status);
        let path = collection_path(&exchange.request.path);
        let mut segments = path.trim_start_matches('/').splitn(2, '/');
        let collection = segments.next().unwrap_or_default().to_ascii_lowercase();
        let id = segments.next().map(str::to_string);
        let method = exchange.request.method.to_ascii_uppercase();
        if let (true, Some(id)) = (self.entra, &id) {
            if (method == "GET" || method == "DELETE") && self.touched.contains(id) {
                self.close_cycle();
            }
            self.touched.insert(id.clone());
        }
        if !status.is_some_and(|s| (200..300).contains(&s)) {
            if method != "GET" {
                let answer = status.map_or_else(|| "no answer".to_string(), |s| format!("answered {s}"));
                self.note(exchange, &format!("{answer}; the story leaves it out"));
            }
            return;
        }
        let body = exchange.request.body.as_ref().and_then(Value::as_object);
        match (method.as_str(), collection.as_str(), id, body) {
            ("GET", ..) => {}
            ("POST", "users", None, Some(body)) => self.create_user(exchange, body),
            ("POST", "groups", None, Some(body)) => self.create_group(exchange, body),
            ("PATCH", "users", Some(id), Some(body)) => self.patch_user(exchange, &id, body),
            ("PUT", "users", Some(id), Some(body)) => self.put_user(exchange, &id, body),
            ("PATCH", "groups", Some(id), Some(body)) => self.patch_group(exchange, &id, body),
            ("DELETE", "users", Some(id), _) => match self.users.get(&id) {
                Some(user) => {
                    let text = format!("{} is hard deleted", quote(&user.alias));
                    self.event(text);
                }
                None => self.note(exchange, "deletes a user the recording did not create"),
            },
            ("DELETE", "groups", Some(id), _) => match self.groups.get(&id) {
                Some(group) if self.entra => {
                    let text = format!("the group {} is deleted", quote(&group.name));
                    self.event(text);
                }
                Some(group) => {
                    let text = format!("the group {} is unlinked, deleting it in the app", quote(&group.name));
                    self.event(text);
                }
                None => self.note(exchange, "deletes a group the recording did not create"),
            },
            _ => self.note(exchange, "no step of the story language sends this request"),
        }
    }

    /// Entra: the cycle so far has run; the next event starts a new one.
    fn close_cycle(&mut self) {
        if self.cycles == 0 || self.cycle_has_events {
            self.flow.push(StoryStep::new(StepKind::When, "the provisioning cycle runs"));
            self.cycles += 1;
        }
        self.touched.clear();
        self.cycle_has_events = false;
        for group in self.groups.values_mut() {
            group.new = false;
        }
    }

    fn create_user(&mut self, exchange: &Exchange, body: &Map<String, Value>) {
        let Some((id, alias)) = self.created(exchange, body, "userName") else { return };
        let table = self.sources.read(body);
        self.user_steps.push(StoryStep {
            kind: StepKind::Given,
            text: format!("the user {} with:", quote(&alias)),
            table,
        });
        self.provide(format!("{} is assigned to the app", quote(&alias)));
        self.users.insert(id, User { alias, body: body.clone() });
    }

    fn create_group(&mut self, exchange: &Exchange, body: &Map<String, Value>) {
        let Some((id, name)) = self.created(exchange, body, "displayName") else { return };
        let members = self.member_aliases(body.get("members"));
        let verb = if self.entra { "is assigned to the app" } else { "is pushed" };
        self.provide(format!("the group {} {verb}", quote(&name)));
        self.group_order.push(id.clone());
        self.groups.insert(id, Group { name: name.clone(), created_as: name, members, new: true });
    }

    /// The aliases of the users a `members` value names (`[{"value": "<id>"}, …]`).
    fn member_aliases(&self, members: Option<&Value>) -> Vec<String> {
        members
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| m.get("value").and_then(Value::as_str))
            .filter_map(|id| self.users.get(id).map(|u| u.alias.clone()))
            .collect()
    }

    fn patch_user(&mut self, exchange: &Exchange, id: &str, body: &Map<String, Value>) {
        let Some(alias) = self.users.get(id).map(|u| u.alias.clone()) else {
            return self.note(exchange, "changes a user the recording did not create");
        };
        for operation in operations(body) {
            let op = operation.get("op").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
            let changes: Vec<(String, Value)> =
                match (operation.get("path").and_then(Value::as_str), operation.get("value")) {
                    (Some(path), value) => vec![(path.to_string(), value.cloned().unwrap_or(Value::Null))],
                    (None, Some(Value::Object(values))) => values.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                    _ => Vec::new(),
                };
            for (path, value) in changes {
                self.user_change(exchange, &alias, &op, &path, &value);
            }
        }
    }

    fn user_change(&mut self, exchange: &Exchange, alias: &str, op: &str, path: &str, value: &Value) {
        if path.eq_ignore_ascii_case("active") {
            let active = match value {
                Value::Bool(b) => Some(*b),
                Value::String(s) => s.parse::<bool>().ok().or_else(|| Some(s.eq_ignore_ascii_case("true"))),
                _ => None,
            };
            let verb = match (active, self.entra) {
                (Some(false), true) => "disabled",
                (Some(true), true) => "re-enabled",
                (Some(false), false) => "deactivated",
                (Some(true), false) => "reactivated",
                (None, _) => return self.note(exchange, &format!("sets active to {value}, neither true nor false")),
            };
            return self.event(format!("{} is {verb}", quote(alias)));
        }
        let Some(source) = self.sources.source_of(path).map(str::to_string) else {
            return self.note(exchange, &format!("changes {path:?}, which no default mapping writes"));
        };
        match (op, value) {
            ("remove", _) | (_, Value::Null) => self.event(format!("{}'s {} is cleared", quote(alias), quote(&source))),
            (_, Value::String(text)) if !text.contains('"') => {
                self.event(format!("{}'s {} is changed to {}", quote(alias), quote(&source), quote(text)));
            }
            _ => self.note(exchange, &format!("sets {path:?} to {value}, which a step cannot write")),
        }
    }

    /// Okta's GET-then-PUT: the attributes that differ from the last body sent for the user.
    fn put_user(&mut self, exchange: &Exchange, id: &str, body: &Map<String, Value>) {
        let Some(user) = self.users.get(id).cloned() else {
            return self.note(exchange, "replaces a user the recording did not create");
        };
        let before = self.sources.read(&user.body);
        let after = self.sources.read(body);
        for (source, value) in &after {
            if before.iter().all(|(s, v)| s != source || v != value) {
                let text = if value.is_empty() {
                    format!("{}'s {} is cleared", quote(&user.alias), quote(source))
                } else {
                    format!("{}'s {} is changed to {}", quote(&user.alias), quote(source), quote(value))
                };
                self.event(text);
            }
        }
        for (source, _) in before.iter().filter(|(s, _)| after.iter().all(|(a, _)| a != s)) {
            self.event(format!("{}'s {} is cleared", quote(&user.alias), quote(source)));
        }
        let was = user.body.get("active").and_then(Value::as_bool);
        let now = body.get("active").and_then(Value::as_bool);
        match (was, now) {
            (Some(true), Some(false)) => self.event(format!("{} is deactivated", quote(&user.alias))),
            (Some(false), Some(true)) => self.event(format!("{} is reactivated", quote(&user.alias))),
            _ => {}
        }
        if let Some(user) = self.users.get_mut(id) {
            user.body = body.clone();
        }
    }

    fn patch_group(&mut self, exchange: &Exchange, id: &str, body: &Map<String, Value>) {
        let Some(group) = self.groups.get(id).cloned() else {
            return self.note(exchange, "changes a group the recording did not create");
        };
        let mut name = group.name.clone();
        for operation in operations(body) {
            let op = operation.get("op").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
            let path = operation.get("path").and_then(Value::as_str).unwrap_or_default();
            let value = operation.get("value");
            let renamed = match (path, value) {
                ("", Some(Value::Object(values))) => values.get("displayName").and_then(Value::as_str),
                (p, Some(Value::String(new))) if p.eq_ignore_ascii_case("displayName") => Some(new.as_str()),
                _ => None,
            };
            if let Some(new) = renamed {
                if new != name && !new.contains('"') {
                    self.event(format!("the group {} is renamed to {}", quote(&name), quote(new)));
                    name = new.to_string();
                }
                continue;
            }
            let members_path = path.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("members"));
            if !members_path {
                self.note(exchange, &format!("an operation on {path:?} that no step sends"));
                continue;
            }
            // `members[value eq "<id>"]` (aadOptscim062020, Okta) names the member in the path.
            let mut aliases = self.member_aliases(value);
            if let Some(filtered) = path.split('"').nth(1) {
                aliases.extend(self.users.get(filtered).map(|u| u.alias.clone()));
            }
            for alias in aliases {
                match op.as_str() {
                    "add" if group.new => {
                        if let Some(g) = self.groups.get_mut(id) {
                            g.members.push(alias);
                        }
                    }
                    "add" => self.event(format!("{} is added to the group {}", quote(&alias), quote(&name))),
                    "remove" => self.event(format!("{} is removed from the group {}", quote(&alias), quote(&name))),
                    _ => self.note(exchange, &format!("{op:?} of members, which no step sends")),
                }
            }
        }
        if let Some(g) = self.groups.get_mut(id) {
            g.name = name;
        }
        if !self.entra {
            // Okta's push is over with its first membership update.
            for g in self.groups.values_mut() {
                g.new = false;
            }
        }
    }

    /// The steps: the tenant, every user and group, then the flow; Entra's last cycle runs.
    fn finish(mut self, tenant: &str) -> Vec<StoryStep> {
        if self.entra {
            self.close_cycle();
        }
        let mut steps = vec![StoryStep::new(StepKind::Given, tenant)];
        steps.append(&mut self.user_steps);
        for id in &self.group_order {
            let group = &self.groups[id];
            let members: Vec<String> = group.members.iter().map(|m| quote(m)).collect();
            let text = if members.is_empty() {
                format!("the group {}", quote(&group.created_as))
            } else {
                format!("the group {} with members {}", quote(&group.created_as), members.join(", "))
            };
            steps.push(StoryStep::new(StepKind::Given, text));
        }
        steps.append(&mut self.flow);
        steps
    }
}

/// The id a `201` to a create returned.
fn created_id(exchange: &Exchange) -> Option<String> {
    let response = exchange.response.as_ref()?;
    let path = collection_path(&exchange.request.path);
    CreatedObject::of(&exchange.request.method, &path, response.status, response.body.as_ref()).map(|c| c.id)
}

/// A PatchOp body's operations (`Operations`, named without case as Entra's samples vary).
fn operations(body: &Map<String, Value>) -> Vec<&Map<String, Value>> {
    body.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("Operations"))
        .and_then(|(_, value)| value.as_array())
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .collect()
}
