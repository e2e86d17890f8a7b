//! The target's side of a story: extension schemas the embedded server accepts, its
//! behaviour profile and injected faults, and users and groups that exist on the target
//! before the IdP arrives.

use cucumber::step::Context;
use serde_json::{Map, Value, json};

use crate::scim::{PatchPath, Schema, set_path, urn};
use crate::server::{Extension, Fault, Profile};
use crate::target::read_json;

use super::{GIVEN, GIVEN_OR_WHEN, StepDef, StepResult, arg, cell_value, scim_path, send_direct, step, table_rows};
use crate::bdd::world::ScimWorld;

pub(super) fn steps() -> Vec<StepDef> {
    vec![
        step!(GIVEN, r#"^the target accepts the extension "([^"]+)" with:$"#, extension),
        step!(GIVEN, r#"^the target already has the user "([^"]+)"(?: with:)?$"#, existing_user),
        step!(GIVEN, r#"^the target already has the group "([^"]+)"$"#, existing_group),
        step!(GIVEN, r"^the target behaves like (\w+)$", profile),
        step!(GIVEN, r#"^the target has a local user "([^"]+)"(?: with:)?$"#, local_user),
        step!(
            GIVEN_OR_WHEN,
            r#"^the target answers (\d{3})( with an empty body)? to (?:the next (?:(\d+) )?|every )(GET|POST|PUT|PATCH|DELETE) (/\S*)(?: with Retry-After "([^"]*)")?(?: saying "(.*)")?$"#,
            fault
        ),
    ]
}

/// The SCIM type name of a step's type word.
fn scim_type(name: &str) -> Result<&'static str, String> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "string" => "string",
        "integer" => "integer",
        "decimal" | "number" => "decimal",
        "boolean" => "boolean",
        "datetime" => "dateTime",
        "reference" => "reference",
        "binary" => "binary",
        other => {
            return Err(format!(
                "unknown type {other:?}; use String, Integer, Decimal, Boolean, DateTime, Reference or Binary, or Complex of one of them"
            ));
        }
    })
}

/// Fails unless the scenario runs against the embedded server and it has not started yet.
fn before_embedded_start(world: &ScimWorld, what: &str) -> StepResult {
    if !world.embedded() {
        return Err(format!("{what} needs the embedded server; tag the scenario @embedded"));
    }
    if world.target.is_some() {
        return Err(format!("{what}: the target is already running; put this step before the IdP step"));
    }
    Ok(())
}

/// The embedded server behaves like a real product (`scimsim serve --profile`).
async fn profile(world: &mut ScimWorld, context: &Context) -> StepResult {
    before_embedded_start(world, "a behaviour profile")?;
    world.server_config.profile = arg(context, 1).parse::<Profile>().map_err(|e| e.to_string())?;
    world.shaped_target = world.server_config.profile != Profile::Strict;
    Ok(())
}

/// A user that exists on the embedded server without having been created through SCIM:
/// rows `| path | value |` as for an existing user.
async fn local_user(world: &mut ScimWorld, context: &Context) -> StepResult {
    if !world.embedded() {
        return Err("a local user needs the embedded server; tag the scenario @embedded".into());
    }
    let user = user_resource(world, context)?;
    let server = world.target().await?.server.as_ref().ok_or("the embedded server is not running")?;
    server.add_local_user(user).map(drop).map_err(|e| e.to_string())
}

/// The embedded server answers matching requests with a status instead of its own answer:
/// `the target answers 429 to the next 3 POST /Users with Retry-After "30"`,
/// `the target answers 201 with an empty body to the next POST /Users`,
/// `the target answers 500 to every PATCH /Users/*`.
async fn fault(world: &mut ScimWorld, context: &Context) -> StepResult {
    if !world.embedded() {
        return Err("an injected fault needs the embedded server; tag the scenario @embedded".into());
    }
    let status: u16 = arg(context, 1).parse().map_err(|_| "the status is three digits".to_string())?;
    let every = context.matches[0].1.contains(" to every ");
    let times = if every { None } else { Some(arg(context, 3).parse::<u32>().unwrap_or(1)) };
    let method = arg(context, 4).parse().map_err(|_| format!("{} is not an HTTP method", arg(context, 4)))?;
    let mut fault = Fault { times, ..Fault::new(method, arg(context, 5), status) };
    if !arg(context, 2).is_empty() {
        fault.detail = None;
    } else if !arg(context, 7).is_empty() {
        fault.detail = Some(arg(context, 7).to_string());
    }
    if !arg(context, 6).is_empty() {
        fault.retry_after = Some(arg(context, 6).to_string());
    }
    let server = world.target().await?.server.as_ref().ok_or("the embedded server is not running")?;
    server.inject(fault);
    world.shaped_target = true;
    Ok(())
}

/// The schema of one extension attribute from a step's type word: a simple type, or
/// `Complex of <type>` for elements written `{"value": …}` (RFC 7643 §2.4), the shape Entra
/// gives each element of a multi-valued custom attribute (entra-wire.md §3.3).
fn extension_attribute(name: &str, kind: &str, multi: bool) -> Result<Value, String> {
    let attribute = |name: &str, kind: &str, multi: bool| {
        json!({
            "name": name, "type": kind, "multiValued": multi, "required": false, "caseExact": false,
            "mutability": "readWrite", "returned": "default", "uniqueness": "none"
        })
    };
    let words: Vec<&str> = kind.split_whitespace().collect();
    match words.as_slice() {
        [complex, of, value_type] if complex.eq_ignore_ascii_case("complex") && of.eq_ignore_ascii_case("of") => {
            let mut complex = attribute(name, "complex", multi);
            complex["subAttributes"] = json!([attribute("value", scim_type(value_type)?, false)]);
            Ok(complex)
        }
        _ => Ok(attribute(name, scim_type(kind)?, multi)),
    }
}

/// Registers a User extension schema on the embedded server (RFC 7643 §7), before it starts:
/// rows `| attribute | type | multi-valued |`, the type a simple one or `Complex of <type>`,
/// the last column `yes` or empty.
async fn extension(world: &mut ScimWorld, context: &Context) -> StepResult {
    before_embedded_start(world, "an extension schema")?;
    let id = arg(context, 1);
    let mut attributes = Vec::new();
    for row in table_rows(context)? {
        let [name, kind, ..] = row.as_slice() else {
            return Err("each row gives an attribute and its type: | attribute | type | multi-valued |".into());
        };
        let multi = row.get(2).is_some_and(|m| m.eq_ignore_ascii_case("yes") || m == "true");
        attributes.push(extension_attribute(name, kind, multi)?);
    }
    let name = id.rsplit(':').next().unwrap_or(id);
    let schema = json!({"id": id, "name": name, "description": format!("{name} (a story's extension)"), "attributes": attributes});
    let schema = Schema::from_json(&schema.to_string()).map_err(|e| format!("{id}: {e}"))?;
    world.server_config.extensions.push(Extension::new("User", schema));
    Ok(())
}

/// SCIM paths whose values name a resource on the target: they carry the scenario's prefix,
/// as the source attributes they are mapped from do.
const IDENTITY_PATHS: [&str; 3] = ["userName", "externalId", "displayName"];

/// Creates a user on the target directly, as if it existed before provisioning: rows
/// `| path | value |` of SCIM attributes; its `userName` (the alias, unless a row gives
/// another), `externalId` and `displayName` carry the scenario's prefix.
async fn existing_user(world: &mut ScimWorld, context: &Context) -> StepResult {
    let user = user_resource(world, context)?;
    create(world, "Users", user).await
}

/// A User resource named by the step's first argument (prefixed), with the table's paths.
fn user_resource(world: &ScimWorld, context: &Context) -> Result<Value, String> {
    let user_name = world.prefixed(arg(context, 1));
    let mut user = Map::new();
    user.insert("schemas".into(), json!([urn::USER]));
    user.insert("userName".into(), Value::String(user_name));
    if context.step.table.is_some() {
        for row in table_rows(context)? {
            let [path, value, ..] = row.as_slice() else {
                return Err("each row gives a SCIM path and a value: | path | value |".into());
            };
            let parsed: PatchPath = scim_path(path)?;
            let identity = IDENTITY_PATHS.iter().any(|p| p.eq_ignore_ascii_case(path));
            let value = if identity { Value::String(world.prefixed(value)) } else { cell_value(value) };
            set_path(&mut user, &parsed, value);
        }
    }
    Ok(Value::Object(user))
}

async fn existing_group(world: &mut ScimWorld, context: &Context) -> StepResult {
    let name = world.prefixed(arg(context, 1));
    create(world, "Groups", json!({"schemas": [urn::GROUP], "displayName": name})).await
}

/// POSTs `resource` to the target and remembers it for the clean-up.
async fn create(world: &mut ScimWorld, endpoint: &str, resource: Value) -> StepResult {
    let target = world.target().await?;
    let url = format!("{}/{endpoint}", target.url);
    let label = format!("POST {url}");
    let request = target
        .http
        .post(&url)
        .bearer_auth(&target.token)
        .header("content-type", "application/scim+json")
        .body(resource.to_string());
    let response = send_direct(request, &label, target.transport.timeout).await?;
    let status = response.status().as_u16();
    let body = read_json(&label, response, target.transport.timeout).await?;
    let id = body.get("id").and_then(Value::as_str).filter(|_| status == 201).ok_or_else(|| {
        format!("the target refused to create it: {label}: HTTP {status}: {}", world.unprefixed(&body))
    })?;
    if let Some(guard) = &world.target().await?.guard {
        guard.record_created(&format!("{endpoint}/{id}"));
    }
    world.created.push(format!("{endpoint}/{id}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complex_attributes_wrap_a_value() {
        let complex = extension_attribute("codes", "Complex of Integer", true).unwrap();
        assert_eq!(complex["type"], "complex");
        assert_eq!(complex["multiValued"], true);
        assert_eq!(complex["subAttributes"][0]["name"], "value");
        assert_eq!(complex["subAttributes"][0]["type"], "integer");
        assert_eq!(extension_attribute("code", "String", false).unwrap()["type"], "string");
        assert!(extension_attribute("code", "Complex of Text", false).unwrap_err().contains("Complex of"));
    }
}
