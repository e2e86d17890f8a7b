//! What a scenario checks: the requests the IdP sent, the target's state read back over
//! HTTP, what the IdP logged, and the snapshot of the scenario's exchanges.

use std::sync::LazyLock;

use cucumber::step::Context;
use regex::Regex;
use serde_json::Value;

use crate::checks::{Judged, catalogue};
use crate::idp::directory::ObjectKind;
use crate::idp::okta::Outcome;
use crate::scim::{PatchPath, get_path};
use crate::target::read_json;
use crate::transcript::Exchange;

use super::setup::{entra, okta};
use super::{StepDef, StepResult, THEN, arg, doc_string, quoted_list, scim_path, send_direct, step, table_rows};
use crate::bdd::snapshot;
use crate::bdd::world::ScimWorld;

pub(super) fn steps() -> Vec<StepDef> {
    vec![
        step!(THEN, "^the IdP sent:$", sent_table),
        step!(THEN, "^the IdP sent nothing$", sent_nothing),
        step!(THEN, "^every response conforms$", every_response_conforms),
        step!(THEN, "^the last request body includes:$", last_body_includes),
        step!(THEN, r#"^the last request body has ("[^"]+"(?:(?:, | and )"[^"]+")*)$"#, last_body_has),
        step!(THEN, r"^the last request was (GET|POST|PUT|PATCH|DELETE) (\S+)$", last_request),
        // The path may hold quotes: `emails[type eq "work"].value`.
        step!(THEN, r#"^the target has the user "([^"]+)" with "(.+)" equal to "([^"]*)"$"#, user_value),
        step!(THEN, r#"^the target has the user "([^"]+)" with "(.+)" equal to:$"#, user_value_json),
        step!(THEN, r#"^the target has the user "([^"]+)" with "(.+)" absent$"#, user_value_absent),
        step!(THEN, r#"^the target has the user "([^"]+)" (active|inactive)$"#, user_active),
        step!(THEN, r#"^the target has no user "([^"]+)"$"#, no_user),
        step!(THEN, r#"^the target has the group "([^"]+)" with (?:members (.+)|no members)$"#, group_members),
        step!(THEN, r#"^the target has no group "([^"]+)"$"#, no_group),
        step!(THEN, r#"^the provisioning log has "(\w+)" "(\w+)" for "([^"]+)"(?: with error "([^"]+)")?$"#, log_entry),
        step!(THEN, r#"^the job is (in quarantine|not in quarantine)$"#, quarantine),
        step!(THEN, r#"^Okta has a "([^"]+)" task for "([^"]+)" saying "(.+)"$"#, okta_task),
        step!(THEN, "^Okta has no open tasks$", okta_no_tasks),
        step!(THEN, r#"^Okta logged "([^"]+)" for "([^"]+)"(?: saying "(.+)")?$"#, okta_event),
        step!(THEN, r#"^the connection test (succeeds|fails)(?: saying "(.+)")?$"#, connection_verdict),
        step!(THEN, r"^the import scanned (\d+) and took in (\d+) new$", import_counts),
        step!(THEN, "^the responses match the snapshot$", snapshot_step),
    ]
}

/// The exchanges since the latest Given or When step began.
fn recent(world: &mut ScimWorld) -> Result<Vec<Exchange>, String> {
    let mark = world.mark;
    Ok(world.idp()?.transcript().exchanges()[mark..].to_vec())
}

/// A request path with the target's ids as `{id}`: the segment after `/Users/` or
/// `/Groups/`.
fn generic_path(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    segments
        .iter()
        .enumerate()
        .map(|(i, s)| if i > 0 && matches!(segments[i - 1], "Users" | "Groups") { "{id}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// `METHOD /path` of an exchange with its target ids as `{id}`; with `?query` too when
/// `with_query`, as it went on the wire (the scenario's prefix removed from it), for
/// expectations that spell one after the path.
fn request_line(world: &ScimWorld, exchange: &Exchange, with_query: bool) -> String {
    let line = format!("{} {}", exchange.request.method, generic_path(&exchange.request.path));
    match exchange.request.query.as_deref() {
        Some(query) if with_query && !query.is_empty() => {
            let query = world.unprefixed(&Value::String(query.to_string()));
            format!("{line}?{}", query.as_str().unwrap_or_default())
        }
        _ => line,
    }
}

/// A GUID (Test Connection's random `userName`), compiled once: `Then the IdP sent` reads
/// every query.
static GUID: LazyLock<Result<Regex, regex::Error>> =
    LazyLock::new(|| Regex::new("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"));

/// `{id of <alias>}` in an expected body, compiled once.
static ID_PLACEHOLDER: LazyLock<Result<Regex, regex::Error>> = LazyLock::new(|| Regex::new(r"\{id of ([^{}]+)\}"));

/// A request's query as a scenario spells it: form-decoded (`filter=userName eq "alice"`),
/// without the scenario's prefix, and each GUID (Test Connection's random `userName`) as
/// `{guid}`.
fn readable_query(world: &ScimWorld, query: Option<&str>) -> String {
    let Some(query) = query.filter(|q| !q.is_empty()) else { return String::new() };
    let decoded: Vec<String> =
        form_urlencoded::parse(query.as_bytes()).map(|(name, value)| format!("{name}={value}")).collect();
    let text = spelled(&world.unprefixed(&Value::String(decoded.join("&"))));
    match &*GUID {
        Ok(guid) => guid.replace_all(&text, "{guid}").into_owned(),
        Err(_) => text,
    }
}

/// `Then the IdP sent:` with rows `| method | path |` (a path with `?` is compared with the
/// query as it went on the wire, `/Users?startIndex=1&count=2`), or `| method | path | query |`
/// to check queries as [`readable_query`] writes them (an empty cell is no query).
async fn sent_table(world: &mut ScimWorld, context: &Context) -> StepResult {
    let header = context.step.table.as_ref().and_then(|t| t.rows.first());
    let with_query = header.and_then(|h| h.get(2)).is_some_and(|c| c.trim().eq_ignore_ascii_case("query"));
    let rows = table_rows(context)?;
    let sent = recent(world)?;
    let line = |method: &str, path: &str, query: &str| {
        let line = format!("{} {path}", method.to_ascii_uppercase());
        if with_query && !query.is_empty() { format!("{line}?{query}") } else { line }
    };
    let expected: Vec<String> = rows
        .iter()
        .map(|row| match row.as_slice() {
            [method, path, rest @ ..] => Ok(line(method, path, rest.first().map_or("", String::as_str))),
            _ => Err("each row gives a method and a path: | method | path | (and a query, if the header has one)"
                .to_string()),
        })
        .collect::<Result<_, _>>()?;
    let actual: Vec<String> = sent
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if with_query {
                let query = readable_query(world, e.request.query.as_deref());
                line(&e.request.method, &generic_path(&e.request.path), &query)
            } else {
                request_line(world, e, expected.get(i).is_some_and(|line| line.contains('?')))
            }
        })
        .collect();
    if actual == expected {
        return Ok(());
    }
    // What each request got, so a mismatch caused by the target (an error status, a transport
    // failure that stopped the IdP) explains itself.
    let shown: Vec<String> = actual.iter().zip(&sent).map(|(line, e)| format!("{line}  → {}", outcome(e))).collect();
    Err(format!("the IdP sent\n  {}\nbut the scenario expects\n  {}", shown.join("\n  "), expected.join("\n  ")))
}

/// How an exchange ended: `HTTP 201`, or the transport error that names the request.
fn outcome(exchange: &Exchange) -> String {
    match (&exchange.response, &exchange.error) {
        (_, Some(error)) => error.clone(),
        (Some(response), None) => format!("HTTP {}", response.status),
        (None, None) => "no answer".into(),
    }
}

/// Every check of the catalogue holds on every exchange of the scenario so far (checks of what
/// the target advertises read its `/ServiceProviderConfig`).
async fn every_response_conforms(world: &mut ScimWorld, _: &Context) -> StepResult {
    let service_provider_config = match world.target.as_ref() {
        Some(target) => target.service_provider_config().await,
        None => None,
    };
    let idp = world.idp()?;
    let judged = Judged {
        idp: idp.name(),
        exchanges: idp.transcript().exchanges(),
        service_provider_config: service_provider_config.as_ref(),
    };
    let failures: Vec<String> = catalogue()
        .iter()
        .flat_map(|check| {
            check.evaluate(&judged).into_iter().filter_map(move |o| {
                let message = o.failure?;
                Some(format!("{} ({}, {}): exchange {}: {message}", check.id, check.severity, check.source, o.seq))
            })
        })
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{} check failure(s):\n  {}", failures.len(), failures.join("\n  ")))
    }
}

async fn sent_nothing(world: &mut ScimWorld, _: &Context) -> StepResult {
    let sent = recent(world)?;
    match sent.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "the IdP sent {} request(s), starting with {} {}",
            sent.len(),
            first.request.method,
            first.request.path
        )),
    }
}

/// Whether `actual` holds everything `expected` does: objects key by key, arrays element by
/// element (each expected element in some actual one), scalars equal.
fn includes(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => {
            expected.iter().all(|(k, v)| actual.get(k).is_some_and(|a| includes(a, v)))
        }
        (Value::Array(actual), Value::Array(expected)) => {
            expected.iter().all(|e| actual.iter().any(|a| includes(a, e)))
        }
        (actual, expected) => actual == expected,
    }
}

/// `text` with each `{id of <alias>}` replaced by the target id of that user or group.
fn with_target_ids(world: &mut ScimWorld, text: &str) -> Result<String, String> {
    let placeholder = ID_PLACEHOLDER.as_ref().map_err(ToString::to_string)?;
    let mut out = String::new();
    let mut rest = 0;
    for found in placeholder.captures_iter(text) {
        let (Some(whole), Some(alias)) = (found.get(0), found.get(1)) else { continue };
        let alias = alias.as_str().trim();
        let idp = world.idp()?;
        let id = idp
            .target_id(ObjectKind::User, alias)
            .or_else(|| idp.target_id(ObjectKind::Group, alias))
            .ok_or_else(|| format!("{{id of {alias}}}: no user or group {alias:?} is linked to the target"))?;
        out.push_str(&text[rest..whole.start()]);
        out.push_str(&id);
        rest = whole.end();
    }
    out.push_str(&text[rest..]);
    Ok(out)
}

/// `Then the last request body includes:` a JSON doc string, in which `{id of <alias>}`
/// stands for the target id of a provisioned user or group.
async fn last_body_includes(world: &mut ScimWorld, context: &Context) -> StepResult {
    let text = with_target_ids(world, doc_string(context)?)?;
    let expected: Value = serde_json::from_str(&text).map_err(|e| format!("the doc string is not JSON: {e}"))?;
    let last = world.idp()?.transcript().last().cloned().ok_or("the IdP has sent nothing")?;
    let body = world.unprefixed(last.request.body.as_ref().unwrap_or(&Value::Null));
    if includes(&body, &expected) {
        Ok(())
    } else {
        Err(format!(
            "the body of {} {} does not include\n{expected:#}\nit is\n{body:#}",
            last.request.method, last.request.path
        ))
    }
}

/// Each quoted path (`password`, `name.givenName`, an extension URN path) has a value other
/// than null in the last request's body, whatever the value: for values the scenario cannot
/// know, such as a random password or the IdP's own ids.
async fn last_body_has(world: &mut ScimWorld, context: &Context) -> StepResult {
    let last = world.idp()?.transcript().last().cloned().ok_or("the IdP has sent nothing")?;
    let body = last.request.body.unwrap_or(Value::Null);
    let missing: Vec<String> = quoted_list(arg(context, 1))
        .into_iter()
        .map(|path| {
            let parsed: PatchPath = scim_path(&path)?;
            let found = body.as_object().and_then(|b| get_path(b, &parsed)).is_some_and(|v| !v.is_null());
            Ok((!found).then_some(path))
        })
        .collect::<Result<Vec<_>, String>>()?
        .into_iter()
        .flatten()
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the body of {} {} has no {missing:?}\nit is\n{:#}",
            last.request.method,
            last.request.path,
            world.unprefixed(&body)
        ))
    }
}

/// The method and path (`{id}` for target ids, and the query when the step spells one after
/// `?`) of the last request the IdP sent.
async fn last_request(world: &mut ScimWorld, context: &Context) -> StepResult {
    let expected = format!("{} {}", arg(context, 1), arg(context, 2));
    let last = world.idp()?.transcript().last().cloned().ok_or("the IdP has sent nothing")?;
    let actual = request_line(world, &last, expected.contains('?'));
    if actual == expected { Ok(()) } else { Err(format!("the last request was {actual}, not {expected}")) }
}

/// The user `alias` as the target holds it: read by its linked id, else found by its name.
async fn target_resource(world: &mut ScimWorld, kind: ObjectKind, alias: &str) -> Result<Option<Value>, String> {
    let id = world.idp()?.target_id(kind, alias);
    let name = world.names.get(&(kind, alias.to_string())).cloned();
    let (endpoint, name_attribute) = match kind {
        ObjectKind::User => ("Users", "userName"),
        ObjectKind::Group => ("Groups", "displayName"),
    };
    let target = world.target().await?;
    let (url, by_id) = match (&id, &name) {
        (Some(id), _) => (format!("{}/{endpoint}/{id}", target.url), true),
        (None, Some(name)) => {
            let filter = form_urlencoded::Serializer::new(String::new())
                .append_pair("filter", &format!("{name_attribute} eq \"{}\"", name.replace('"', "\\\"")))
                .finish();
            (format!("{}/{endpoint}?{filter}", target.url), false)
        }
        (None, None) => return Err(format!("the scenario has no {} {alias:?}", kind.noun())),
    };
    let label = format!("GET {url}");
    let timeout = target.transport.timeout;
    let response = send_direct(target.http.get(&url).bearer_auth(&target.token), &label, timeout).await?;
    let status = response.status().as_u16();
    if (status, by_id) == (404, true) {
        return Ok(None);
    }
    let body = read_json(&label, response, timeout).await?;
    match (status, by_id) {
        (200, true) => Ok(Some(body)),
        (200, false) => Ok(body.get("Resources").and_then(Value::as_array).and_then(|r| r.first().cloned())),
        (status, _) => {
            Err(format!("reading the {} {alias:?} from the target: {label}: HTTP {status}: {body}", kind.noun()))
        }
    }
}

async fn existing_user(world: &mut ScimWorld, alias: &str) -> Result<Value, String> {
    let user = target_resource(world, ObjectKind::User, alias).await?;
    let user = user.ok_or_else(|| format!("the target has no user {alias:?}"))?;
    Ok(world.unprefixed(&user))
}

/// A value as a step spells it: strings as they are, anything else as JSON.
fn spelled(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn user_value(world: &mut ScimWorld, context: &Context) -> StepResult {
    let expected = arg(context, 3).to_string();
    check_user_value(world, context, &format!("{expected:?}"), |value| spelled(value) == expected).await
}

/// The value at a path compared, as JSON, with the doc string: for arrays, numbers and
/// objects, which a quoted value cannot spell.
async fn user_value_json(world: &mut ScimWorld, context: &Context) -> StepResult {
    let expected: Value = serde_json::from_str(doc_string(context)?)
        .map_err(|e| format!("the doc string is not JSON ({e}); write the value as JSON, e.g. [\"a\", \"b\"]"))?;
    check_user_value(world, context, &expected.to_string(), |value| *value == expected).await
}

/// Reads the user of capture 1 from the target and checks its value at the path of capture
/// 2 with `matches`; `expected` spells the wanted value for the message.
async fn check_user_value(
    world: &mut ScimWorld,
    context: &Context,
    expected: &str,
    matches: impl Fn(&Value) -> bool,
) -> StepResult {
    let (alias, path) = (arg(context, 1), arg(context, 2));
    let parsed: PatchPath = scim_path(path)?;
    let user = existing_user(world, alias).await?;
    match user.as_object().and_then(|u| get_path(u, &parsed)) {
        Some(value) if matches(value) => Ok(()),
        Some(value) => {
            Err(format!("the target has {alias:?} with {path} = {value}, not {expected}\nthe user: {user:#}"))
        }
        None => Err(format!("the target's user {alias:?} has no {path}, expected {expected}\nthe user: {user:#}")),
    }
}

async fn user_value_absent(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, path) = (arg(context, 1), arg(context, 2));
    let parsed: PatchPath = scim_path(path)?;
    let user = existing_user(world, alias).await?;
    match user.as_object().and_then(|u| get_path(u, &parsed)) {
        None | Some(Value::Null) => Ok(()),
        Some(value) => Err(format!("the target's user {alias:?} still has {path} = {value}")),
    }
}

async fn user_active(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, wanted) = (arg(context, 1), arg(context, 2) == "active");
    let user = existing_user(world, alias).await?;
    let active = match user.get("active") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => true,
    };
    if active == wanted { Ok(()) } else { Err(format!("the target's user {alias:?} has active = {active}")) }
}

async fn no_user(world: &mut ScimWorld, context: &Context) -> StepResult {
    let alias = arg(context, 1);
    match target_resource(world, ObjectKind::User, alias).await? {
        None => Ok(()),
        Some(user) => Err(format!("the target still has the user {alias:?}: {:#}", world.unprefixed(&user))),
    }
}

async fn group_members(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (alias, members) = (arg(context, 1), quoted_list(arg(context, 2)));
    let group = target_resource(world, ObjectKind::Group, alias)
        .await?
        .ok_or_else(|| format!("the target has no group {alias:?}"))?;
    let ids: Vec<String> = group
        .get("members")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(|m| m.get("value").and_then(Value::as_str).map(str::to_string)).collect())
        .unwrap_or_default();
    let mut expected = Vec::new();
    for member in &members {
        let id = world
            .idp()?
            .target_id(ObjectKind::User, member)
            .ok_or_else(|| format!("{member:?} was never provisioned, so it cannot be a member"))?;
        expected.push(id);
    }
    let (mut actual, mut wanted) = (ids.clone(), expected.clone());
    actual.sort();
    wanted.sort();
    if actual == wanted {
        Ok(())
    } else {
        Err(format!(
            "the target's group {alias:?} has members {ids:?}; the scenario expects {members:?} ({expected:?})"
        ))
    }
}

async fn no_group(world: &mut ScimWorld, context: &Context) -> StepResult {
    let alias = arg(context, 1);
    match target_resource(world, ObjectKind::Group, alias).await? {
        None => Ok(()),
        Some(group) => Err(format!("the target still has the group {alias:?}: {:#}", world.unprefixed(&group))),
    }
}

async fn log_entry(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (action, status, alias, error) = (arg(context, 1), arg(context, 2), arg(context, 3), arg(context, 4));
    let entra = entra(world)?;
    let entries: Vec<String> = entra
        .log()
        .for_alias(alias)
        .map(|e| format!("{:?} {:?} {}", e.action, e.status, e.error_code.map(|c| c.name()).unwrap_or_default()))
        .collect();
    let found = entra.log().for_alias(alias).any(|e| {
        format!("{:?}", e.action).eq_ignore_ascii_case(action)
            && format!("{:?}", e.status).eq_ignore_ascii_case(status)
            && (error.is_empty() || e.error_code.is_some_and(|c| c.name().eq_ignore_ascii_case(error)))
    });
    if found { Ok(()) } else { Err(format!("the provisioning log for {alias:?} has: {entries:?}")) }
}

async fn quarantine(world: &mut ScimWorld, context: &Context) -> StepResult {
    let wanted = arg(context, 1) == "in quarantine";
    let entra = entra(world)?;
    match (entra.quarantine(), wanted) {
        (Some(_), true) | (None, false) => Ok(()),
        (Some(q), false) => Err(format!("the job is in quarantine: {} {}", q.reason, q.detail)),
        (None, true) => Err("the job is not in quarantine".into()),
    }
}

async fn okta_task(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (kind, alias, text) = (arg(context, 1), arg(context, 2), arg(context, 3));
    let okta = okta(world)?;
    let tasks: Vec<String> = okta.tasks().iter().map(|t| format!("{} {}: {}", t.kind, t.subject, t.message)).collect();
    let found = okta
        .tasks()
        .iter()
        .any(|t| t.kind.to_string().eq_ignore_ascii_case(kind) && t.subject == alias && t.message.contains(text));
    if found { Ok(()) } else { Err(format!("Okta's open tasks: {tasks:#?}")) }
}

async fn okta_no_tasks(world: &mut ScimWorld, _: &Context) -> StepResult {
    let okta = okta(world)?;
    match okta.tasks() {
        [] => Ok(()),
        tasks => Err(format!("Okta has open tasks: {tasks:#?}")),
    }
}

async fn okta_event(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (display, alias, text) = (arg(context, 1), arg(context, 2), arg(context, 3));
    let okta = okta(world)?;
    let found = okta.events().iter().any(|e| {
        e.kind.display().eq_ignore_ascii_case(display)
            && e.subject == alias
            && (text.is_empty() || e.message.contains(text))
            && (text.is_empty() || e.outcome != Outcome::Success || !e.message.is_empty())
    });
    if found {
        Ok(())
    } else {
        let events: Vec<String> = okta
            .events()
            .iter()
            .map(|e| format!("{} {}: {:?} {}", e.kind.display(), e.subject, e.outcome, e.message))
            .collect();
        Err(format!("Okta's System Log: {events:#?}"))
    }
}

async fn connection_verdict(world: &mut ScimWorld, context: &Context) -> StepResult {
    let (wanted, text) = (arg(context, 1) == "succeeds", arg(context, 2));
    let verdict = world.connection_test.clone().ok_or("no connection test ran; add `When the connection is tested`")?;
    let message = match &verdict {
        Ok(message) | Err(message) => message.clone(),
    };
    if verdict.is_ok() != wanted {
        return Err(format!("the connection test {}: {message}", if verdict.is_ok() { "succeeded" } else { "failed" }));
    }
    if !message.contains(text) {
        return Err(format!("the connection test said {message:?}, not {text:?}"));
    }
    Ok(())
}

async fn import_counts(world: &mut ScimWorld, context: &Context) -> StepResult {
    let report = world.import.ok_or("no import ran; add `When users are imported`")?;
    let (scanned, new) = (arg(context, 1), arg(context, 2));
    let actual = (report.scanned.to_string(), report.new.to_string());
    if actual == (scanned.to_string(), new.to_string()) {
        Ok(())
    } else {
        Err(format!("the import scanned {} and took in {} new", report.scanned, report.new))
    }
}

async fn snapshot_step(world: &mut ScimWorld, _: &Context) -> StepResult {
    snapshot::check(world)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_with_ids() {
        assert_eq!(generic_path("/Users/8f3c-1"), "/Users/{id}");
        assert_eq!(generic_path("/Groups/g1"), "/Groups/{id}");
        assert_eq!(generic_path("/Users"), "/Users");
    }

    #[test]
    fn request_lines_show_the_query_without_the_prefix_when_asked() {
        use crate::bdd::{RunConfig, ScenarioInfo};
        let info = ScenarioInfo {
            config: std::sync::Arc::new(RunConfig::embedded(std::path::PathBuf::new())),
            feature: "f.feature".into(),
            name: "s".into(),
            snapshot_name: "s".into(),
            prefix: "s1-".into(),
            http: crate::bdd::RunHttp::new(&crate::target::Transport::default()).unwrap(),
            cleanup: std::sync::Arc::new(crate::bdd::RunCleanup::new(None, false)),
            guard: None,
        };
        let mut world = ScimWorld::default();
        world.info = Some(info);
        let mut exchange = Exchange::answered("GET", "/Users", 200, Some(Value::Null));
        exchange.request.query = Some("filter=userName%20eq%20%22s1-alice%40x%22&startIndex=1&count=100".into());
        assert_eq!(request_line(&world, &exchange, false), "GET /Users");
        assert_eq!(
            request_line(&world, &exchange, true),
            "GET /Users?filter=userName%20eq%20%22alice%40x%22&startIndex=1&count=100"
        );
    }

    #[test]
    fn queries_read_as_scenarios_write_them() {
        let world = ScimWorld::default();
        assert_eq!(
            readable_query(&world, Some("filter=userName+eq+%229d2c2e8e-acc0-4672-8779-5390646a4013%22")),
            r#"filter=userName eq "{guid}""#
        );
        assert_eq!(
            readable_query(&world, Some("excludedAttributes=members&filter=displayName+eq+%22Sales%22")),
            r#"excludedAttributes=members&filter=displayName eq "Sales""#
        );
        assert_eq!(readable_query(&world, None), "");
    }

    #[test]
    fn target_id_placeholders_need_a_linked_object() {
        let mut world = ScimWorld::default();
        assert_eq!(with_target_ids(&mut world, r#"{"op": "Add"}"#).unwrap(), r#"{"op": "Add"}"#);
        let err = with_target_ids(&mut world, r#"{"value": "{id of bob}"}"#).unwrap_err();
        assert!(err.contains("no identity provider"), "{err}");
    }

    #[test]
    fn subset_matching() {
        let actual = json!({"schemas": ["a", "b"], "name": {"givenName": "A", "familyName": "B"}, "active": true});
        assert!(includes(&actual, &json!({"name": {"givenName": "A"}, "schemas": ["b"]})));
        assert!(!includes(&actual, &json!({"active": false})));
        assert!(!includes(&actual, &json!({"title": "x"})));
    }
}
