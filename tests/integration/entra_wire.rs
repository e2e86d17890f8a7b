//! Wire shapes of the Entra ID simulator: every request it sends (method, path, raw query,
//! headers, body in key order) to a small fake SCIM target on wiremock, in both dialects,
//! pinned by insta snapshots under `snapshots/entra/wire/` and by explicit assertions on the
//! shapes entra-wire.md documents. A snapshot holds one story's requests, step by step.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::fake_target::{BASE, FakeTarget, assert_no_nulls, body, headers, lines, patch, raw_body, recorded};
use crate::util::attrs;
use scimsim::idp::app::{Mapping, MappingSource, TargetAttribute, TargetType};
use scimsim::idp::directory::Assignment;
use scimsim::idp::entra::expression::Expression;
use scimsim::idp::entra::{Dialect, EntraTenant, Options, Settings};
use scimsim::scim::urn;
use scimsim::target::{Auth, TargetClient, TargetConfig};
use serde_json::{Value, json};
use wiremock::Request;

/// The Secret Token the admin pasted (entra-wire.md §0 "Auth: long-lived bearer").
const TOKEN: &str = "entra-wire-secret-token";
const WORK_EMAIL: &str = r#"emails[type eq "work"].value"#;
const CUSTOM_URN: &str = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User";
const OMNI_URN: &str = "urn:omni:params:1.0:UserAttribute";

/// A tenant whose Tenant URL is this target's `/scim`, with `?aadOptscim062020` for the
/// flag dialect.
fn tenant(target: &FakeTarget, dialect: Dialect) -> EntraTenant {
    let flag = if dialect == Dialect::AadOptscim062020 { "?aadOptscim062020" } else { "" };
    let settings = Settings::new(format!("{}{BASE}{flag}", target.server.uri()));
    assert_eq!(settings.dialect(), dialect);
    let options = Options::default();
    let (base, _) = settings.base_url(&options);
    let config = TargetConfig { use_env_proxy: false, ..TargetConfig::new(base, Auth::Bearer(TOKEN.into())) };
    EntraTenant::new(TargetClient::new(config).expect("a valid target config"), settings, options)
}

/// One received request as the snapshot holds it: method, path, raw query, headers
/// (lower-case names; `host` and `content-length` dropped, `authorization` checked here and
/// dropped), and the body parsed with its key order.
fn record(request: &Request) -> Value {
    let authorization: Vec<&str> =
        request.headers.get_all("authorization").iter().map(|v| v.to_str().unwrap_or("<not text>")).collect();
    assert_eq!(authorization, [format!("Bearer {TOKEN}")], "§0: the token exactly as pasted");
    let headers = headers(request, &["authorization"]);
    // §0: the header's format is not documented; the simulator writes virtual time from
    // 2026-01-01 and a stable activity id, so no wall-clock value reaches a snapshot.
    let adscim = headers.get("adscimversion").expect("§0: Entra sends ADSCIMVersion");
    let (date, activity) = adscim.split_once(", ActivityId:").expect("Date:…, ActivityId:…");
    assert!(date.starts_with("Date:2026-"), "ADSCIMVersion holds virtual time: {adscim}");
    assert_eq!(activity.len(), 36, "a GUID-shaped activity id: {adscim}");
    recorded(request, headers)
}

// ---------------------------------------------------------------------------------------
// Helpers for the stories
// ---------------------------------------------------------------------------------------

fn role(value: &str, display_name: &str, n: u8) -> Assignment {
    Assignment {
        id: format!("as-{}", value.to_ascii_lowercase()),
        role_id: format!("8b1f5e0c-0000-4000-8000-00000000000{n}"),
        value: Some(value.into()),
        display_name: display_name.into(),
    }
}

/// Alice with every attribute the default mapping reads in story 1.
fn alice() -> BTreeMap<String, Value> {
    attrs(&[
        ("userPrincipalName", json!("alice@contoso.com")),
        ("mailNickname", json!("alice")),
        ("givenName", json!("Alice")),
        ("surname", json!("Smith")),
        ("displayName", json!("Alice Smith")),
        ("mail", json!("alice.smith@contoso.com")),
        ("jobTitle", json!("Buyer")),
        ("department", json!("Retail")),
        ("employeeId", json!("E1001")),
        ("accountEnabled", json!(true)),
    ])
}

/// Adds Alice, assigned with default access; returns her source id.
fn add_alice(entra: &mut EntraTenant) -> String {
    let id = entra.directory.add_user("alice", alice()).expect("a new user");
    entra.directory.assign(&id, Assignment::default_access());
    id
}

/// The Test Connection probe: a filter on a random GUID `userName` (entra-wire.md §1.1).
#[track_caller]
fn assert_probe(request: &Request) {
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/scim/Users");
    let query = request.url.query().unwrap_or_default();
    let guid = query
        .strip_prefix("filter=userName+eq+%22")
        .and_then(|rest| rest.strip_suffix("%22"))
        .unwrap_or_else(|| panic!("§1.1 probe query: {query}"));
    assert_eq!(guid.len(), 36, "a GUID: {guid}");
    assert!(request.body.is_empty());
}

/// The flag's `op` casing (entra-wire.md §2): PascalCase in legacy, lower-case with the flag.
fn op(dialect: Dialect, legacy: &str) -> String {
    match dialect {
        Dialect::Legacy => legacy.to_string(),
        Dialect::AadOptscim062020 => legacy.to_ascii_lowercase(),
    }
}

/// Both dialects for each story: `mod <story> { legacy, aad_optscim062020 }`.
macro_rules! in_both_dialects {
    ($($story:ident),* $(,)?) => {$(
        mod $story {
            use scimsim::idp::entra::Dialect;

            #[tokio::test]
            async fn legacy() {
                super::$story(Dialect::Legacy).await;
            }

            #[tokio::test]
            async fn aad_optscim062020() {
                super::$story(Dialect::AadOptscim062020).await;
            }
        }
    )*};
}

in_both_dialects!(
    create_user,
    update_add_vs_replace,
    cleared_attribute,
    disable_and_enable,
    unassign_then_hard_delete,
    soft_delete_then_purge,
    manager,
    custom_extension_attributes,
    app_roles,
    groups,
    provision_on_demand,
    matching_precedence,
);

// ---------------------------------------------------------------------------------------
// The stories
// ---------------------------------------------------------------------------------------

/// entra-wire.md §0 (envelope), §1.1 (Test Connection probe), §1.0 and §1.2 (match, then
/// POST with both URNs, nulls left out, `meta.resourceType`, `roles: []`, primary work email),
/// §3.2 (default mappings).
async fn create_user(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    add_alice(&mut entra);
    entra.run_cycle().await;
    let sent = target.step("cycle 1: test connection, match, create").await;
    assert_eq!(
        lines(&sent)[1..],
        ["GET /scim/Users?filter=userName+eq+%22alice%40contoso.com%22", "POST /scim/Users"],
        "§1.2: one match query on userName, then POST"
    );
    assert_probe(&sent[0]);

    // §0: bodies are application/scim+json; GETs carry no Content-Type.
    assert_eq!(sent[2].headers["content-type"], "application/scim+json; charset=utf-8");
    assert!(sent[0].headers.get("content-type").is_none());
    assert!(sent[0].headers.get("adscimversion").is_some(), "§0: ADSCIMVersion on every request");

    let post = body(&sent[2]);
    assert_eq!(post["schemas"], json!([urn::USER, urn::ENTERPRISE_USER]), "§1.2: both URNs");
    assert_eq!(post["meta"], json!({"resourceType": "User"}), "§1.2");
    assert_eq!(post["roles"], json!([]), "§1.2: roles: [] with default access only");
    assert_eq!(post["active"], json!(true), "§1.2: a JSON boolean in POST");
    assert_eq!(post["emails"], json!([{"primary": true, "type": "work", "value": "alice.smith@contoso.com"}]));
    assert_eq!(post[urn::ENTERPRISE_USER], json!({"department": "Retail", "employeeNumber": "E1001"}));
    assert!(post.get("phoneNumbers").is_none() && post.get("addresses").is_none(), "§1.2: no null sources");
    assert_no_nulls(&post, "§1.2: attributes without a source value are left out of the POST");
    // The whole body, key order included; the same in both dialects.
    assert_eq!(
        raw_body(&sent[2]),
        concat!(
            r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"#,
            r#""userName":"alice@contoso.com","active":true,"displayName":"Alice Smith","title":"Buyer","#,
            r#""emails":[{"primary":true,"type":"work","value":"alice.smith@contoso.com"}],"#,
            r#""name":{"givenName":"Alice","familyName":"Smith","formatted":"Alice Smith"},"externalId":"alice","#,
            r#""urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Retail","employeeNumber":"E1001"},"#,
            r#""roles":[],"meta":{"resourceType":"User"}}"#
        )
    );
    target.finish("entra/wire", &format!("{}__create_user", dialect.name())).await;
}

/// entra-wire.md §1.3: GET, then a PATCH of what differs: `Add` where the target has no
/// value, `Replace` where it has another one. Legacy: one op per attribute with a path. Flag:
/// single-valued changes merged into one path-less op per kind with dotted and URN keys,
/// filtered paths (`emails[type eq "work"].value`) kept as their own op; §2 table.
async fn update_add_vs_replace(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    let alice = add_alice(&mut entra);
    entra.run_cycle().await;
    target.step("cycle 1: create").await;

    // The target lost title and department; Alice marries and changes her mail.
    target.edit("/Users/u-alice", |user| {
        user.remove("title");
        user[urn::ENTERPRISE_USER].as_object_mut().unwrap().remove("department");
    });
    entra.directory.set_attribute(&alice, "displayName", json!("Alice Jones"));
    entra.directory.set_attribute(&alice, "surname", json!("Jones"));
    entra.directory.set_attribute(&alice, "mail", json!("alice.jones@contoso.com"));
    entra.run_cycle().await;
    let sent = target.step("cycle 2: add title and department, replace names and mail").await;
    assert_eq!(lines(&sent), ["GET /scim/Users/u-alice", "PATCH /scim/Users/u-alice"]);
    let department = format!("{}:department", urn::ENTERPRISE_USER);
    let expected = match dialect {
        Dialect::Legacy => json!([
            {"op": "Replace", "path": "displayName", "value": "Alice Jones"},
            {"op": "Add", "path": "title", "value": "Buyer"},
            {"op": "Replace", "path": WORK_EMAIL, "value": "alice.jones@contoso.com"},
            {"op": "Replace", "path": "name.familyName", "value": "Jones"},
            {"op": "Replace", "path": "name.formatted", "value": "Alice Jones"},
            {"op": "Add", "path": department, "value": "Retail"},
        ]),
        Dialect::AadOptscim062020 => json!([
            {"op": "replace", "path": WORK_EMAIL, "value": "alice.jones@contoso.com"},
            {"op": "add", "value": {"title": "Buyer", department: "Retail"}},
            {"op": "replace", "value": {
                "displayName": "Alice Jones",
                "name.familyName": "Jones",
                "name.formatted": "Alice Jones",
            }},
        ]),
    };
    assert_eq!(body(&sent[1]), patch(expected));
    assert_eq!(sent[1].headers["content-type"], "application/scim+json; charset=utf-8");
    target.finish("entra/wire", &format!("{}__update_add_vs_replace", dialect.name())).await;
}

/// entra-wire.md §1.4: a source attribute cleared to null sends nothing: the GET, and no
/// PATCH (no Remove, no Replace with "" or null).
async fn cleared_attribute(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    let alice = add_alice(&mut entra);
    entra.run_cycle().await;
    target.step("cycle 1: create").await;

    entra.directory.set_attribute(&alice, "jobTitle", Value::Null);
    entra.run_cycle().await;
    let sent = target.step("cycle 2: jobTitle cleared").await;
    assert_eq!(lines(&sent), ["GET /scim/Users/u-alice"], "§1.4: no PATCH for a cleared attribute");
    target.finish("entra/wire", &format!("{}__cleared_attribute", dialect.name())).await;
}

/// The PATCH that sets `active`: legacy `"Replace"` with the string `"False"`/`"True"`, the
/// flag's `replace` with a boolean (entra-wire.md §2 table).
fn active_patch(dialect: Dialect, active: bool) -> Value {
    let value = match dialect {
        Dialect::Legacy => json!(if active { "True" } else { "False" }),
        Dialect::AadOptscim062020 => json!(active),
    };
    patch(json!([{"op": op(dialect, "Replace"), "path": "active", "value": value}]))
}

/// The fake target holds alice inactive, as after the disabling PATCH.
fn alice_inactive_on(target: &FakeTarget) {
    target.edit("/Users/u-alice", |user| {
        user.insert("active".into(), json!(false));
    });
}

/// entra-wire.md §1.5 (disable: legacy `"Replace"` with the string `"False"`, flag `replace`
/// with `false`) and §1.6 (re-enable with `"True"` / `true`); §2 table.
async fn disable_and_enable(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    let alice = add_alice(&mut entra);
    entra.run_cycle().await;
    target.step("cycle 1: create").await;

    entra.directory.set_attribute(&alice, "accountEnabled", json!(false));
    entra.run_cycle().await;
    let sent = target.step("cycle 2: accountEnabled false").await;
    assert_eq!(lines(&sent), ["GET /scim/Users/u-alice", "PATCH /scim/Users/u-alice"]);
    let disable = match dialect {
        Dialect::Legacy => {
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}"#
        }
        Dialect::AadOptscim062020 => {
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}"#
        }
    };
    assert_eq!(raw_body(&sent[1]), disable, "§1.5");

    alice_inactive_on(&target);
    entra.directory.set_attribute(&alice, "accountEnabled", json!(true));
    entra.run_cycle().await;
    let sent = target.step("cycle 3: accountEnabled true").await;
    assert_eq!(lines(&sent), ["GET /scim/Users/u-alice", "PATCH /scim/Users/u-alice"]);
    assert_eq!(body(&sent[1]), active_patch(dialect, true), "§1.6");
    target.finish("entra/wire", &format!("{}__disable_and_enable", dialect.name())).await;
}

/// entra-wire.md §1.8 (unassigned → disabled, not deleted) and §1.7 "Known gap" (a user
/// unassigned before being deleted from Entra never gets a DELETE).
async fn unassign_then_hard_delete(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    let alice = add_alice(&mut entra);
    entra.run_cycle().await;
    target.step("cycle 1: create").await;

    entra.directory.unassign(&alice);
    entra.run_cycle().await;
    let sent = target.step("cycle 2: unassigned").await;
    assert_eq!(lines(&sent), ["GET /scim/Users/u-alice", "PATCH /scim/Users/u-alice"]);
    assert_eq!(body(&sent[1]), active_patch(dialect, false), "§1.8");

    alice_inactive_on(&target);
    entra.directory.hard_delete(&alice);
    entra.run_cycle().await;
    let sent = target.step("cycle 3: hard-deleted in Entra after the unassignment").await;
    assert!(sent.is_empty(), "§1.7 known gap: no DELETE, got {:?}", lines(&sent));
    target.finish("entra/wire", &format!("{}__unassign_then_hard_delete", dialect.name())).await;
}

/// entra-wire.md §1.5 (soft delete in Entra disables) and §1.7 (30 days later the purge
/// sends `DELETE /Users/{id}` with no body).
async fn soft_delete_then_purge(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    let alice = add_alice(&mut entra);
    entra.run_cycle().await;
    target.step("cycle 1: create").await;

    let now = entra.now();
    entra.directory.soft_delete(&alice, now);
    entra.run_cycle().await;
    let sent = target.step("cycle 2: soft-deleted").await;
    assert_eq!(lines(&sent), ["GET /scim/Users/u-alice", "PATCH /scim/Users/u-alice"]);
    assert_eq!(body(&sent[1]), active_patch(dialect, false), "§1.5");

    alice_inactive_on(&target);
    let retention = entra.options().soft_delete_retention;
    entra.advance(retention);
    entra.run_cycle().await;
    let sent = target.step("cycle 3: purged 30 days later").await;
    assert_eq!(lines(&sent), ["DELETE /scim/Users/u-alice"], "§1.7");
    assert!(sent[0].body.is_empty(), "§1.7: no body");
    assert!(sent[0].headers.get("content-type").is_none(), "no body, no Content-Type");
    target.finish("entra/wire", &format!("{}__soft_delete_then_purge", dialect.name())).await;
}

/// entra-wire.md §1.2 (references are not in the POST) and §1.3 "Manager" (a PATCH after
/// both users exist, the bare target id on the enterprise URN path).
async fn manager(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    let alice = add_alice(&mut entra);
    let bob = entra
        .directory
        .add_user(
            "bob",
            attrs(&[
                ("userPrincipalName", json!("bob@contoso.com")),
                ("mailNickname", json!("bob")),
                ("displayName", json!("Bob Brown")),
                ("manager", json!(alice)),
                ("accountEnabled", json!(true)),
            ]),
        )
        .expect("a new user");
    entra.directory.assign(&bob, Assignment::default_access());
    entra.run_cycle().await;
    let sent = target.step("cycle 1: create both, then the manager reference").await;
    assert_eq!(
        lines(&sent)[1..],
        [
            "GET /scim/Users?filter=userName+eq+%22alice%40contoso.com%22",
            "POST /scim/Users",
            "GET /scim/Users?filter=userName+eq+%22bob%40contoso.com%22",
            "POST /scim/Users",
            "PATCH /scim/Users/u-bob",
        ],
        "§1.3: the reference PATCH comes after both POSTs"
    );
    assert!(!raw_body(&sent[4]).contains("manager"), "§1.2: no manager in the POST");
    let expected = json!([{
        "op": op(dialect, "Add"),
        "path": format!("{}:manager", urn::ENTERPRISE_USER),
        "value": "u-alice",
    }]);
    assert_eq!(body(&sent[5]), patch(expected), "§1.3: a bare id, not {{\"value\": …}}");
    target.finish("entra/wire", &format!("{}__manager", dialect.name())).await;
}

/// entra-wire.md §3.3: attributes added to the attribute list travel nested under their URN
/// (split at the last colon) without the URN in `schemas`; a change is a PATCH with the full
/// URN path (legacy) or a URN key in a path-less op (flag, §1.3). A multi-valued attribute
/// fed by `Split` sends each element as `{"value": …}`, and `Add` with a path when the
/// target lacks it (the captured form).
async fn custom_extension_attributes(dialect: Dialect) {
    let cost_code = format!("{CUSTOM_URN}:costCode");
    let tags = format!("{CUSTOM_URN}:tags");
    let blob = format!("{OMNI_URN}:blob_entity");
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    entra.edit_app(|app| {
        app.users.put_attribute(TargetAttribute::new(cost_code.clone(), TargetType::String));
        app.users.put_attribute(TargetAttribute::new(blob.clone(), TargetType::String));
        app.users
            .put_attribute(TargetAttribute { multi_valued: true, ..TargetAttribute::new(&tags, TargetType::String) });
        app.users.put_mapping(Mapping::new(MappingSource::Direct("extension_abc_costCode".into()), &cost_code));
        app.users.put_mapping(Mapping::new(MappingSource::Direct("extensionAttribute1".into()), &blob));
        let split = Expression::parse(r#"Split([extensionAttribute2], ",")"#).expect("a valid expression");
        app.users.put_mapping(Mapping::new(MappingSource::Expression(Arc::new(split)), &tags));
    });
    let alice = add_alice(&mut entra);
    entra.directory.set_attribute(&alice, "extension_abc_costCode", json!("701984"));
    entra.directory.set_attribute(&alice, "extensionAttribute1", json!("blob-1"));
    entra.directory.set_attribute(&alice, "extensionAttribute2", json!("red,blue"));
    entra.run_cycle().await;
    let sent = target.step("cycle 1: create with extension attributes").await;
    assert_eq!(lines(&sent)[2], "POST /scim/Users");
    let post = body(&sent[2]);
    assert_eq!(post["schemas"], json!([urn::USER, urn::ENTERPRISE_USER]), "§3.3: custom URNs not in schemas");
    assert_eq!(
        post[CUSTOM_URN],
        json!({"costCode": "701984", "tags": [{"value": "red"}, {"value": "blue"}]}),
        "§3.3: nested under the URN; multi-valued elements wrapped"
    );
    assert_eq!(post[OMNI_URN], json!({"blob_entity": "blob-1"}), "§3.3: a vendor URN split at the last colon");

    // The target did not keep the multi-valued attribute; two single-valued ones change.
    target.edit("/Users/u-alice", |user| {
        user[CUSTOM_URN].as_object_mut().unwrap().remove("tags");
    });
    entra.directory.set_attribute(&alice, "extension_abc_costCode", json!("701985"));
    entra.directory.set_attribute(&alice, "extensionAttribute1", json!("blob-2"));
    entra.run_cycle().await;
    let sent = target.step("cycle 2: change both, re-add the multi-valued one").await;
    assert_eq!(lines(&sent), ["GET /scim/Users/u-alice", "PATCH /scim/Users/u-alice"]);
    let added_tags = json!([{"value": "red"}, {"value": "blue"}]);
    let expected = match dialect {
        Dialect::Legacy => json!([
            {"op": "Replace", "path": cost_code, "value": "701985"},
            {"op": "Replace", "path": blob, "value": "blob-2"},
            {"op": "Add", "path": tags, "value": added_tags},
        ]),
        Dialect::AadOptscim062020 => json!([
            {"op": "add", "path": tags, "value": added_tags},
            {"op": "replace", "value": {cost_code: "701985", blob: "blob-2"}},
        ]),
    };
    assert_eq!(body(&sent[1]), patch(expected));
    target.finish("entra/wire", &format!("{}__custom_extension_attributes", dialect.name())).await;
}

/// entra-wire.md §1.3 "Roles" and §3.5: with `AppRoleAssignmentsComplex` (the default `roles`
/// mapping) the POST carries role objects; a role assigned later is a PATCH `Add` on `roles`
/// whose element `value` is the role JSON-encoded as a string.
async fn app_roles(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    let alice = entra.directory.add_user("alice", alice()).expect("a new user");
    entra.directory.assign(&alice, role("Admin", "Administrator", 1));
    entra.run_cycle().await;
    let sent = target.step("cycle 1: create with the Admin role").await;
    assert_eq!(lines(&sent)[2], "POST /scim/Users");
    assert_eq!(
        body(&sent[2])["roles"],
        json!([{"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": "Administrator", "value": "Admin"}]),
        "§1.3: role objects in POST"
    );

    entra.directory.assign(&alice, role("Reader", "Read only", 2));
    entra.run_cycle().await;
    let sent = target.step("cycle 2: the Reader role assigned").await;
    assert_eq!(lines(&sent), ["GET /scim/Users/u-alice", "PATCH /scim/Users/u-alice"]);
    let encoded = json!({"id": "8b1f5e0c-0000-4000-8000-000000000002", "value": "Reader", "displayName": "Read only"});
    let expected = json!([{"op": op(dialect, "Add"), "path": "roles", "value": [{"value": encoded.to_string()}]}]);
    assert_eq!(
        body(&sent[1]),
        patch(expected),
        "§1.3: AppRoleAssignmentsComplex adds the new role (a Replace holding only the new role would drop Admin)"
    );
    target.finish("entra/wire", &format!("{}__app_roles", dialect.name())).await;
}

/// entra-wire.md §1.9 (group match without members, POST with the ADSCIM URN and no members),
/// §1.10 (add members with `$ref: null`; remove: legacy value array, flag filtered path; the
/// member who lost scope is disabled first), §1.11 (rename: legacy `Replace` path
/// `displayName`, flag path-less), §1.12 (members disabled, then `DELETE /Groups/{id}`).
async fn groups(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    let mut users = Vec::new();
    for (alias, name) in [("alice", "Alice Smith"), ("bob", "Bob Brown")] {
        let id = entra
            .directory
            .add_user(
                alias,
                attrs(&[
                    ("userPrincipalName", json!(format!("{alias}@contoso.com"))),
                    ("mailNickname", json!(alias)),
                    ("displayName", json!(name)),
                    ("accountEnabled", json!(true)),
                ]),
            )
            .expect("a new user");
        users.push(id);
    }
    let sales = entra.directory.add_group("Sales", attrs(&[("displayName", json!("Sales"))]), &users).expect("a group");
    entra.directory.assign(&sales, Assignment::default_access());
    entra.run_cycle().await;
    let sent = target.step("cycle 1: users, then the group, then its members").await;
    assert_eq!(
        lines(&sent)[1..],
        [
            "GET /scim/Users?filter=userName+eq+%22alice%40contoso.com%22",
            "POST /scim/Users",
            "GET /scim/Users?filter=userName+eq+%22bob%40contoso.com%22",
            "POST /scim/Users",
            "GET /scim/Groups?excludedAttributes=members&filter=displayName+eq+%22Sales%22",
            "POST /scim/Groups",
            "PATCH /scim/Groups/g-sales",
        ]
    );
    let post = body(&sent[6]);
    assert_eq!(post["schemas"], json!([urn::GROUP, urn::ENTRA_GROUP]), "§1.9");
    assert_eq!(post["externalId"], json!(sales), "§3.2: externalId ← objectId");
    assert_eq!(post["meta"], json!({"resourceType": "Group"}), "§1.9");
    assert!(post.get("members").is_none(), "§1.9: created empty");
    let mut member_ids = ["u-alice", "u-bob"].map(|id| json!({"$ref": null, "value": id})).to_vec();
    let mut added = body(&sent[7]);
    added["Operations"][0]["value"].as_array_mut().unwrap().sort_by_key(|m| m["value"].to_string());
    member_ids.sort_by_key(|m| m["value"].to_string());
    assert_eq!(added, patch(json!([{"op": op(dialect, "Add"), "path": "members", "value": member_ids}])), "§1.10");

    entra.directory.remove_member(&sales, &users[1]);
    entra.run_cycle().await;
    let sent = target.step("cycle 2: bob leaves the group").await;
    assert_eq!(
        lines(&sent),
        [
            "GET /scim/Users/u-alice",
            "GET /scim/Users/u-bob",
            "PATCH /scim/Users/u-bob",
            "GET /scim/Groups/g-sales?excludedAttributes=members",
            "PATCH /scim/Groups/g-sales",
        ],
        "§1.10: GET user, disable, GET group, remove member"
    );
    let remove = match dialect {
        Dialect::Legacy => json!({"op": "Remove", "path": "members", "value": [{"$ref": null, "value": "u-bob"}]}),
        Dialect::AadOptscim062020 => json!({"op": "remove", "path": "members[value eq \"u-bob\"]"}),
    };
    assert_eq!(body(&sent[4]), patch(json!([remove])), "§1.10, §2");

    target.edit("/Users/u-bob", |user| {
        user.insert("active".into(), json!(false));
    });
    entra.directory.set_attribute(&sales, "displayName", json!("Sales EMEA"));
    entra.run_cycle().await;
    let sent = target.step("cycle 3: renamed").await;
    assert_eq!(
        lines(&sent),
        [
            "GET /scim/Users/u-alice",
            "GET /scim/Groups/g-sales?excludedAttributes=members",
            "PATCH /scim/Groups/g-sales"
        ]
    );
    let rename = match dialect {
        Dialect::Legacy => json!({"op": "Replace", "path": "displayName", "value": "Sales EMEA"}),
        Dialect::AadOptscim062020 => json!({"op": "replace", "value": {"displayName": "Sales EMEA"}}),
    };
    assert_eq!(body(&sent[2]), patch(json!([rename])), "§1.11");

    target.edit("/Groups/g-sales", |group| {
        group.insert("displayName".into(), json!("Sales EMEA"));
    });
    entra.directory.hard_delete(&sales);
    entra.run_cycle().await;
    let sent = target.step("cycle 4: deleted in Entra").await;
    assert_eq!(
        lines(&sent),
        ["GET /scim/Users/u-alice", "PATCH /scim/Users/u-alice", "DELETE /scim/Groups/g-sales"],
        "§1.12: the member who loses scope is disabled, then the group is deleted"
    );
    assert!(sent[2].body.is_empty());
    target.finish("entra/wire", &format!("{}__groups", dialect.name())).await;
}

/// entra-wire.md §1.13 and §2: provision on demand ignores `?aadOptscim062020`: the requests
/// are the legacy ones, and roles are left out. The flag tenant's requests must equal the
/// legacy tenant's, byte for byte.
async fn provision_on_demand(dialect: Dialect) {
    async fn run(dialect: Dialect) -> (FakeTarget, Vec<Vec<Request>>) {
        let mut target = FakeTarget::start(record).await;
        let mut entra = tenant(&target, dialect);
        let alice = add_alice(&mut entra);
        entra.provision_on_demand(&alice).await.expect("provisioned on demand");
        let create = target.step("on demand: test connection, match, create").await;
        entra.directory.set_attribute(&alice, "displayName", json!("Alice Jones"));
        entra.directory.set_attribute(&alice, "surname", json!("Jones"));
        entra.provision_on_demand(&alice).await.expect("provisioned on demand");
        let update = target.step("on demand: update").await;
        (target, vec![create, update])
    }
    let (target, steps) = run(dialect).await;
    let [create, update] = &steps[..] else { unreachable!() };
    assert_eq!(
        lines(&create[1..]),
        ["GET /scim/Users?filter=userName+eq+%22alice%40contoso.com%22", "POST /scim/Users"]
    );
    assert!(body(&create[2]).get("roles").is_none(), "§1.13: roles are not provisioned on demand");
    assert_probe(&update[0]);
    assert_eq!(lines(&update[1..]), ["GET /scim/Users/u-alice", "PATCH /scim/Users/u-alice"]);
    let legacy = json!([
        {"op": "Replace", "path": "displayName", "value": "Alice Jones"},
        {"op": "Replace", "path": "name.familyName", "value": "Jones"},
        {"op": "Replace", "path": "name.formatted", "value": "Alice Jones"},
    ]);
    assert_eq!(body(&update[2]), patch(legacy), "§1.13: one PascalCase op per attribute, whatever the URL says");
    if dialect == Dialect::AadOptscim062020 {
        let (_, legacy_steps) = run(Dialect::Legacy).await;
        for (flag, legacy) in steps.iter().flatten().zip(legacy_steps.iter().flatten()) {
            assert_eq!(record(flag), record(legacy), "§1.13: the same request as the legacy tenant's");
            assert_eq!(flag.body, legacy.body);
        }
    }
    target.finish("entra/wire", &format!("{}__provision_on_demand", dialect.name())).await;
}

/// entra-wire.md §1.0: one query per matching attribute in precedence order, stopping at the
/// first hit; a hit links (no POST) and updates from the query's result; later cycles use the
/// cached id (`GET /Users/{id}`, no filter).
async fn matching_precedence(dialect: Dialect) {
    let mut target = FakeTarget::start(record).await;
    let mut entra = tenant(&target, dialect);
    entra.edit_app(|app| {
        app.users.put_mapping(Mapping {
            matching_precedence: Some(2),
            ..Mapping::new(MappingSource::Direct("mailNickname".into()), "externalId")
        });
    });
    // Alice already exists in the target under an old userName.
    target.hit(
        "Users",
        r#"externalId eq "alice""#,
        json!({
            "id": "u-existing-alice",
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "userName": "alice@fabrikam.com",
            "active": true,
            "displayName": "Alice Smith",
            "title": "Buyer",
            "emails": [{"primary": true, "type": "work", "value": "alice.smith@contoso.com"}],
            "name": {"givenName": "Alice", "familyName": "Smith", "formatted": "Alice Smith"},
            "externalId": "alice",
            urn::ENTERPRISE_USER: {"department": "Retail", "employeeNumber": "E1001"},
            "roles": [],
        }),
    );
    let alice = add_alice(&mut entra);
    entra.run_cycle().await;
    let sent = target.step("cycle 1: userName finds nothing, externalId finds her").await;
    assert_eq!(
        lines(&sent)[1..],
        [
            "GET /scim/Users?filter=userName+eq+%22alice%40contoso.com%22",
            "GET /scim/Users?filter=externalId+eq+%22alice%22",
            "PATCH /scim/Users/u-existing-alice",
        ],
        "§1.0: precedence order, no POST after a hit"
    );
    let expected = json!([{"op": op(dialect, "Replace"), "path": "userName", "value": "alice@contoso.com"}]);
    assert_eq!(body(&sent[3]), patch(expected));

    target.edit("/Users/u-existing-alice", |user| {
        user.insert("userName".into(), json!("alice@contoso.com"));
    });
    entra.directory.set_attribute(&alice, "jobTitle", json!("Head Buyer"));
    entra.run_cycle().await;
    let sent = target.step("cycle 2: the cached id, no filter").await;
    assert_eq!(lines(&sent), ["GET /scim/Users/u-existing-alice", "PATCH /scim/Users/u-existing-alice"]);
    let expected = json!([{"op": op(dialect, "Replace"), "path": "title", "value": "Head Buyer"}]);
    assert_eq!(body(&sent[1]), patch(expected));
    target.finish("entra/wire", &format!("{}__matching_precedence", dialect.name())).await;
}
