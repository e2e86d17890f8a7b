//! Wire shapes of the Okta simulator: every request it sends (method, path, raw query,
//! headers, body in key order) to a small fake SCIM target on wiremock, for each app kind
//! (OIN, OIN with "Support PATCH for User", AIW), pinned by insta snapshots under
//! `snapshots/okta/wire/<kind>__<story>.snap` and by explicit assertions on the shapes
//! okta-wire.md documents (cited as §). A snapshot holds one story's requests, step by step.

use std::collections::BTreeMap;

use crate::fake_target::{BASE, FakeTarget, assert_no_nulls, body, headers, lines, patch, raw_body, recorded};
use crate::util::attrs;
use scimsim::idp::app::{Apply, TargetAttribute, TargetType};
use scimsim::idp::directory::ObjectKind;
use scimsim::idp::okta::{
    AppKind, AppUserAttribute, ApplyUpdates, AuthMode, Choice, ClearedValue, EventKind, FilterEncoding, ImportReport,
    OktaOrg, Options, Outcome, ProfilePatch, Settings, Unlink,
};
use scimsim::scim::urn;
use scimsim::target::{TargetClient, TargetConfig};
use serde_json::{Value, json};
use wiremock::Request;

/// The API token the admin pasted (§1.0 "Authorization forms").
const TOKEN: &str = "okta-wire-api-token";
/// Where every snapshot of this file lives, under `snapshots/`.
const DIR: &str = "okta/wire";
/// A vendor namespace (§2.2 "External namespace … or a vendor URN").
const ACME_URN: &str = "urn:acme:params:1.0:UserAttribute";
/// The users of the stories: alias, first and last name.
const PEOPLE: [(&str, &str, &str); 3] =
    [("alice", "Alice", "Smith"), ("bob", "Bob", "Brown"), ("carol", "Carol", "White")];

/// One received request as the snapshot holds it: method, path, raw query, headers
/// (lower-case names; `host` and `content-length` dropped; the credential in `Authorization`
/// redacted) and the body parsed in its key order. Checks Okta's envelope on every request (§1.0): the three constant headers,
/// `Authorization` exactly `authorization`, `Content-Type` exactly on requests with a body,
/// nothing else; and that no request is a `DELETE /Users` (§1.7).
fn record(authorization: String) -> impl Fn(&Request) -> Value + Send + Sync + 'static {
    move |request| {
        let path = request.url.path();
        assert!(
            !(request.method.as_str() == "DELETE" && path.starts_with(&format!("{BASE}/Users"))),
            "§1.7: Okta never sends DELETE /Users ({path})"
        );
        let headers = headers(request, &[]);
        let header = |name: &str| headers.get(name).map(String::as_str);
        assert_eq!(header("user-agent"), Some("Okta SCIM Client 1.0.0"), "§1.0: Okta's User-Agent");
        assert_eq!(header("accept"), Some("application/scim+json"), "§1.0: Accept");
        assert_eq!(header("accept-charset"), Some("utf-8"), "§1.0: Accept-Charset");
        assert_eq!(header("authorization"), Some(authorization.as_str()), "§1.0: Authorization per auth mode");
        let content_type = (!request.body.is_empty()).then_some("application/scim+json; charset=utf-8");
        assert_eq!(
            header("content-type"),
            content_type,
            "§1.0: Content-Type on {} {path} exactly when it has a body (none on GET and DELETE)",
            request.method
        );
        let names: Vec<&str> = headers.keys().map(String::as_str).collect();
        let expected = ["accept", "accept-charset", "authorization", "content-type", "user-agent"];
        assert!(names.iter().all(|n| expected.contains(n)), "§1.0: only Okta's headers: {names:?}");
        // Checked exactly above; the snapshot keeps the scheme and never the secret.
        let mut headers = headers;
        if let Some(value) = headers.get_mut("authorization") {
            *value = match value.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} [redacted]"),
                None => "[redacted]".into(),
            };
        }
        recorded(request, headers)
    }
}

/// A fake target that expects `authorization` on every request, and an org whose app of
/// `kind` provisions into it with `auth` and `options`.
async fn start_with(kind: AppKind, auth: &AuthMode, authorization: String, options: Options) -> (FakeTarget, OktaOrg) {
    let target = FakeTarget::start(record(authorization)).await;
    let url = format!("{}{BASE}", target.server.uri());
    let config = TargetConfig { use_env_proxy: false, ..TargetConfig::new(url.clone(), auth.to_auth()) };
    let client = TargetClient::new(config).expect("a valid target config");
    let okta = OktaOrg::new(client, Settings::new(url, kind), options);
    (target, okta)
}

/// [`start_with`] with the Bearer token; the target applies path-less `replace` PATCHes, as an app
/// would, so that later GETs show what Okta set.
async fn start(kind: AppKind, options: Options) -> (FakeTarget, OktaOrg) {
    let (target, okta) = start_with(kind, &AuthMode::Bearer(TOKEN.into()), format!("Bearer {TOKEN}"), options).await;
    target.merge_patches();
    (target, okta)
}

/// The snapshot name of `story` for `kind`: `<kind>__<story>`.
fn name(kind: AppKind, story: &str) -> String {
    format!("{}__{story}", kind.name())
}

/// Adds the Okta user `alias` of [`PEOPLE`] with `extra` profile attributes: login and email
/// `<alias>@example.com`, first and last name, display name, title `Engineer`. Returns its
/// `00u…` id.
fn add(okta: &mut OktaOrg, alias: &str, extra: &[(&str, Value)]) -> String {
    let (_, first, last) =
        PEOPLE.iter().find(|p| p.0 == alias).copied().unwrap_or_else(|| panic!("{alias} is not in PEOPLE"));
    let mut profile = attrs(&[
        ("login", json!(format!("{alias}@example.com"))),
        ("email", json!(format!("{alias}@example.com"))),
        ("firstName", json!(first)),
        ("lastName", json!(last)),
        ("displayName", json!(format!("{first} {last}"))),
        ("title", json!("Engineer")),
    ]);
    profile.extend(attrs(extra));
    okta.add_user(alias, profile).expect("a new Okta user")
}

/// Adds and assigns each of `aliases`, and records the step.
async fn assign_new(target: &mut FakeTarget, okta: &mut OktaOrg, aliases: &[&str]) -> Vec<Request> {
    for alias in aliases {
        add(okta, alias, &[]);
        okta.assign(alias).await.expect("assigned");
    }
    target.step(&format!("assign {}: existence check, create", aliases.join(", "))).await
}

/// The existence check for `<alias>@example.com`, percent-encoded (REF20, §1.0, §1.3).
fn user_check(alias: &str) -> String {
    format!("GET {BASE}/Users?filter=userName%20eq%20%22{alias}%40example.com%22&startIndex=1&count=100")
}

/// The decoded filter of [`user_check`], for the fake target's `found_by`.
fn user_filter(alias: &str) -> String {
    format!(r#"userName eq "{alias}@example.com""#)
}

/// `METHOD /scim/<path>`.
fn line(method: &str, path: &str) -> String {
    format!("{method} {BASE}{path}")
}

/// The path-less `replace` PATCH of `active` (§1.6, §1.8), byte for byte.
fn active_patch(active: bool) -> String {
    format!(
        r#"{{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{"op":"replace","value":{{"active":{active}}}}}]}}"#
    )
}

/// The placeholder password of a create: eight characters of `[0-9a-z]` (REF20 `1mz050nq`, §1.3).
#[track_caller]
fn assert_placeholder(password: &Value) {
    let password = password.as_str().expect("§1.3: a password string");
    assert_eq!(password.len(), 8, "§1.3: an 8-character placeholder: {password}");
    assert!(password.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()), "§1.3: [0-9a-z]: {password}");
}

/// The requests of an update of a linked user by the kind's method (§1.0 "Which method
/// carries updates"): GET then PUT, or one PATCH (§1.4, §7).
fn update_lines(kind: AppKind, id: &str) -> Vec<String> {
    let path = format!("/Users/{id}");
    match kind {
        AppKind::OinPatchForUser => vec![line("PATCH", &path)],
        AppKind::Oin | AppKind::Aiw => vec![line("GET", &path), line("PUT", &path)],
    }
}

/// The `(de)activation` requests of `kind`: a path-less PATCH (OIN), or GET then PUT (AIW);
/// checks the body (§1.6, §1.8).
#[track_caller]
fn assert_set_active(kind: AppKind, sent: &[Request], id: &str, active: bool) {
    let path = format!("/Users/{id}");
    if kind.patches() {
        assert_eq!(lines(sent), [line("PATCH", &path)], "§1.6: OIN apps (de)activate by PATCH");
        assert_eq!(raw_body(&sent[0]), active_patch(active), "§1.6/§1.8: path-less, lower-case replace");
    } else {
        assert_eq!(lines(sent), [line("GET", &path), line("PUT", &path)], "§1.6: AIW apps GET then PUT");
        assert_eq!(body(&sent[1])["active"], json!(active), "§1.6: the full object with active");
        assert_eq!(body(&sent[1])["id"], json!(id), "§1.4: the PUT is the resource read");
    }
}

/// The members of a group body sorted by `value`, to compare them whatever the order.
fn sorted_members(members: &Value) -> Vec<Value> {
    let mut members = members.as_array().expect("members is an array").clone();
    members.sort_by_key(|m| m["value"].to_string());
    members
}

/// `{value, display}` for each alias: the fake target's id and the userName, no `type`
/// (§1.10), sorted by value.
fn members(aliases: &[&str]) -> Vec<Value> {
    sorted_members(&Value::Array(
        aliases.iter().map(|a| json!({"value": format!("u-{a}"), "display": format!("{a}@example.com")})).collect(),
    ))
}

/// Each story for the app kinds that differ in it: `mod <story> { oin, oin_patch_user, aiw }`,
/// or only `oin` and `aiw` where OIN apps PATCH with or without "Support PATCH for User".
macro_rules! per_kind {
    (all: $($story:ident),* $(,)?) => {
        $(per_kind!(@one $story, oin = Oin, oin_patch_user = OinPatchForUser, aiw = Aiw);)*
    };
    (oin_and_aiw: $($story:ident),* $(,)?) => {
        $(per_kind!(@one $story, oin = Oin, aiw = Aiw);)*
    };
    (@one $story:ident, $($test:ident = $kind:ident),+) => {
        mod $story {
            use scimsim::idp::okta::AppKind;
            $(
                #[tokio::test]
                async fn $test() {
                    super::$story(AppKind::$kind).await;
                }
            )+
        }
    };
}

per_kind!(
    all: link_existing_user,
    profile_update,
    cleared_attribute,
    deactivate_and_reactivate,
    password_sync,
    apply_updates_and_force_sync,
);
per_kind!(oin_and_aiw: group_push);

// ---------------------------------------------------------------------------------------
// 1. Envelope and auth modes
// ---------------------------------------------------------------------------------------

/// §1.0: an assignment's existence check and POST carry `authorization` and the filter in
/// `encoding`, parameters in the order filter, startIndex, count.
async fn envelope(kind: AppKind, auth: AuthMode, authorization: &str, encoding: FilterEncoding, story: &str) {
    let options = Options { filter_encoding: encoding, ..Options::default() };
    let (mut target, mut okta) = start_with(kind, &auth, authorization.into(), options).await;
    let sent = assign_new(&mut target, &mut okta, &["alice"]).await;
    let filter = match encoding {
        FilterEncoding::Percent => "filter=userName%20eq%20%22alice%40example.com%22",
        FilterEncoding::Form => "filter=userName+eq+%22alice%40example.com%22",
    };
    assert_eq!(
        lines(&sent),
        [format!("GET {BASE}/Users?{filter}&startIndex=1&count=100"), line("POST", "/Users")],
        "§1.0: REF20 percent-encoding or CAP2019 form-encoding; filter, startIndex, count"
    );
    for request in &sent {
        assert_eq!(request.headers["authorization"], authorization, "§1.0 Authorization forms");
    }
    assert!(sent[0].headers.get("content-type").is_none(), "§1.0: GETs carry no Content-Type");
    assert_eq!(sent[1].headers["content-type"], "application/scim+json; charset=utf-8", "§1.0");
    target.finish(DIR, &name(kind, story)).await;
}

/// §1.0: each auth mode's `Authorization` (Header: the raw token; Bearer and OAuth:
/// `Bearer <token>`; Basic, AIW only: base64 of `user:password`), and both filter encodings.
#[tokio::test]
async fn envelope_and_auth_modes() {
    let bearer = format!("Bearer {TOKEN}");
    let basic = AuthMode::Basic { user: "okta-admin".into(), password: "s3cret-pass".into() };
    let oauth = AuthMode::OAuthBearer("okta-wire-access-token".into());
    let cases = [
        (AppKind::Oin, AuthMode::Header(TOKEN.into()), TOKEN, FilterEncoding::Percent, "auth_header"),
        (AppKind::Oin, AuthMode::Bearer(TOKEN.into()), &bearer, FilterEncoding::Percent, "auth_bearer"),
        (AppKind::Oin, oauth, "Bearer okta-wire-access-token", FilterEncoding::Percent, "auth_oauth_bearer"),
        // base64("okta-admin:s3cret-pass")
        (AppKind::Aiw, basic, "Basic b2t0YS1hZG1pbjpzM2NyZXQtcGFzcw==", FilterEncoding::Percent, "auth_basic"),
        (AppKind::Oin, AuthMode::Bearer(TOKEN.into()), &bearer, FilterEncoding::Form, "filter_form"),
    ];
    for (kind, auth, authorization, encoding, story) in cases {
        envelope(kind, auth, authorization, encoding, story).await;
    }
}

// ---------------------------------------------------------------------------------------
// 2–4. Test connector, imports, create
// ---------------------------------------------------------------------------------------

/// §1.1: Test Connector Configuration is `GET /Users?startIndex=1&count=2`, then
/// `GET /Groups?startIndex=1&count=100`.
#[tokio::test]
async fn test_connector() {
    let (mut target, mut okta) = start(AppKind::Oin, Options::default()).await;
    let verdict = okta.test_connector().await;
    assert_eq!(verdict.as_deref(), Ok("scimsim SCIM 2.0 app was verified successfully!"));
    let sent = target.step("Test Connector Configuration").await;
    assert_eq!(
        lines(&sent),
        [format!("GET {BASE}/Users?startIndex=1&count=2"), format!("GET {BASE}/Groups?startIndex=1&count=100")],
        "§1.1: the constant pair"
    );
    target.finish(DIR, &name(AppKind::Oin, "test_connector")).await;
}

/// §1.2: imports read pages of 100 until `totalResults`; inactive users are not imported.
#[tokio::test]
async fn import_users_and_groups() {
    let (mut target, mut okta) = start(AppKind::Oin, Options::default()).await;
    for n in 0..150 {
        target.store(
            "Users",
            json!({"schemas": [urn::USER], "id": format!("u-{n:03}"), "userName": format!("user{n:03}@example.com"),
                   "active": n % 10 != 9}),
        );
    }
    for group in ["Sales", "Support"] {
        target.store("Groups", json!({"schemas": [urn::GROUP], "id": format!("g-{group}"), "displayName": group}));
    }
    let report = okta.import_users().await;
    let sent = target.step("import users").await;
    assert_eq!(
        lines(&sent),
        [format!("GET {BASE}/Users?startIndex=1&count=100"), format!("GET {BASE}/Users?startIndex=101&count=100")],
        "§1.2: pages of 100 until totalResults (150) is read"
    );
    assert_eq!(report, ImportReport { scanned: 150, imported: 135, new: 135 }, "§1.2: inactive users are not imported");
    assert!(okta.imported_users().iter().all(|u| u.resource["active"] == true), "§1.2 (CONCEPT)");

    let report = okta.import_groups().await;
    let sent = target.step("import groups").await;
    assert_eq!(lines(&sent), [format!("GET {BASE}/Groups?startIndex=1&count=100")], "§1.2: groups the same way");
    assert_eq!(report, ImportReport { scanned: 2, imported: 2, new: 2 });
    target.finish(DIR, &name(AppKind::Oin, "import")).await;
}

/// §1.3: the REF20 user: the existence check, then the POST with REF20's body in its key
/// order: externalId the Okta user id, `groups: []`, an 8-character placeholder password,
/// `active: true`, no nulls.
#[tokio::test]
async fn create_user() {
    let (mut target, mut okta) = start(AppKind::Oin, Options::default()).await;
    let okta_id = okta
        .add_user(
            "test",
            attrs(&[
                ("login", json!("test.user@okta.local")),
                ("email", json!("test.user@okta.local")),
                ("firstName", json!("Test")),
                ("lastName", json!("User")),
                ("displayName", json!("Test User")),
                ("locale", json!("en-US")),
            ]),
        )
        .expect("a new Okta user");
    okta.assign("test").await.expect("assigned");
    let sent = target.step("assign: existence check, create").await;
    assert_eq!(
        lines(&sent),
        [
            format!("GET {BASE}/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100"),
            line("POST", "/Users"),
        ],
        "§1.3: REF20's existence check, then POST"
    );
    assert!(okta_id.starts_with("00u") && okta_id.len() == 20, "an Okta user id: {okta_id}");
    let post = body(&sent[1]);
    assert_placeholder(&post["password"]);
    assert_no_nulls(&post, "§1.3: values never set in Okta are left out of the POST");
    let expected = format!(
        concat!(
            r#"{{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local","#,
            r#""name":{{"givenName":"Test","familyName":"User"}},"#,
            r#""emails":[{{"primary":true,"value":"test.user@okta.local","type":"work"}}],"#,
            r#""displayName":"Test User","locale":"en-US","externalId":"{}","groups":[],"password":{},"active":true}}"#
        ),
        okta_id, post["password"]
    );
    assert_eq!(raw_body(&sent[1]), expected, "§1.3: REF20's create body, key for key");
    target.finish(DIR, &name(AppKind::Oin, "create_user")).await;
}

/// §1.3: REF20 also shows a POST without `externalId` (Options.send_external_id = false).
#[tokio::test]
async fn create_without_external_id() {
    let (mut target, mut okta) = start(AppKind::Oin, Options { send_external_id: false, ..Options::default() }).await;
    let sent = assign_new(&mut target, &mut okta, &["alice"]).await;
    let post = body(&sent[1]);
    let keys: Vec<&str> = post.as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["schemas", "userName", "name", "emails", "displayName", "title", "groups", "password", "active"],
        "§1.3: no externalId; the rest in REF20's order"
    );
    target.finish(DIR, &name(AppKind::Oin, "create_without_external_id")).await;
}

// ---------------------------------------------------------------------------------------
// 5–9. Users: link, update, clear, (de)activate, password
// ---------------------------------------------------------------------------------------

/// Alice as the app already holds her, with server-only fields.
fn existing_alice() -> Value {
    json!({
        "schemas": [urn::USER],
        "id": "u-existing-alice",
        "externalId": "hr-4711",
        "userName": "alice@example.com",
        "name": {"givenName": "Ally", "familyName": "Smith", "formatted": "Ally Smith"},
        "emails": [{"value": "alice@example.com", "type": "work", "primary": true, "display": "Ally"}],
        "displayName": "Ally Smith",
        "active": true,
        "groups": [{"value": "g-legacy", "display": "Legacy"}],
        "entitlements": [{"value": "seat-1"}],
        "meta": {"resourceType": "User", "created": "2024-01-01T00:00:00Z", "version": "W/\"1\""},
    })
}

/// §1.3 step 2b: the filter finds Alice, so she is linked, then gets her profile: GET then
/// PUT of that resource with the profile written over it (OIN, AIW; id, meta, schemas, groups
/// and server-only fields kept), or one PATCH with "Support PATCH for User" (§7).
async fn link_existing_user(kind: AppKind) {
    let (mut target, mut okta) = start(kind, Options::default()).await;
    target.hit("Users", &user_filter("alice"), existing_alice());
    let sent = assign_new(&mut target, &mut okta, &["alice"]).await;
    let mut expected = vec![user_check("alice")];
    expected.extend(update_lines(kind, "u-existing-alice"));
    assert_eq!(lines(&sent), expected, "§1.3: link, no POST, then the profile push");
    assert_eq!(okta.links().target_of(&okta_id(&okta, "alice")), Some("u-existing-alice"), "§1.3: linked");
    let update = body(sent.last().expect("an update"));
    if kind == AppKind::OinPatchForUser {
        assert_eq!(update["Operations"][0]["value"]["name"], json!({"givenName": "Alice", "familyName": "Smith"}));
    } else {
        let mut resource = existing_alice();
        resource["name"]["givenName"] = json!("Alice");
        resource["emails"][0]["display"] = json!("Ally");
        resource["displayName"] = json!("Alice Smith");
        for kept in ["schemas", "id", "externalId", "active", "groups", "entitlements", "meta"] {
            assert_eq!(update[kept], resource[kept], "§1.4: the PUT keeps {kept} as the server has it");
        }
        assert_eq!(update["name"], resource["name"], "§1.4: changed attributes written over the resource");
        assert_eq!(update["emails"], resource["emails"], "§1.4: element fields the server added are kept");
        assert_eq!(update["title"], json!("Engineer"));
        assert_placeholder(&update["password"]);
    }
    target.finish(DIR, &name(kind, "link_existing_user")).await;
}

/// §1.4 and Options.password_in_put = false: the PUT carries no `password` (the 2018 capture
/// has one; the default follows it).
#[tokio::test]
async fn link_without_password_in_put() {
    let (mut target, mut okta) = start(AppKind::Oin, Options { password_in_put: false, ..Options::default() }).await;
    target.hit("Users", &user_filter("alice"), existing_alice());
    let sent = assign_new(&mut target, &mut okta, &["alice"]).await;
    assert_eq!(lines(&sent)[1..], update_lines(AppKind::Oin, "u-existing-alice"));
    assert!(body(&sent[2]).get("password").is_none(), "no password in the PUT");
    target.finish(DIR, &name(AppKind::Oin, "link_without_password_in_put")).await;
}

/// §1.4 and §3.3: a profile change is GET then PUT of the full profile (OIN, AIW), with the
/// create-only `title` at its stored value; with "Support PATCH for User" one path-less
/// `replace` with the profile as a value object and no GET (§7 default).
async fn profile_update(kind: AppKind) {
    let (mut target, mut okta) = start(kind, Options::default()).await;
    okta.put_mapping("title", "user.title", Apply::OnCreateOnly, ApplyUpdates::Later).await.expect("a mapping");
    assign_new(&mut target, &mut okta, &["alice"]).await;

    okta.set_attribute("alice", "title", json!("Manager")).await.expect("set");
    let sent = target.step("title changed: create-only, the app-user value stays").await;
    assert!(sent.is_empty(), "§3.3: a create-only mapping does not change the app user: {:?}", lines(&sent));

    okta.set_attribute("alice", "firstName", json!("Alicia")).await.expect("set");
    let sent = target.step("firstName changed: the full profile").await;
    assert_eq!(lines(&sent), update_lines(kind, "u-alice"), "§1.0 Which method carries updates");
    let update = body(sent.last().expect("an update"));
    if kind == AppKind::OinPatchForUser {
        assert_eq!(
            raw_body(&sent[0]),
            concat!(
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":"#,
                r#"{"userName":"alice@example.com","name":{"givenName":"Alicia","familyName":"Smith"},"#,
                r#""emails":[{"primary":true,"value":"alice@example.com","type":"work"}],"#,
                r#""displayName":"Alice Smith","title":"Engineer"}}]}"#
            ),
            "§7: one path-less replace with the full profile, create-only title at its stored value"
        );
    } else {
        assert_eq!(update["name"]["givenName"], json!("Alicia"));
        assert_eq!(update["title"], json!("Engineer"), "§3.3: create-only attributes are pushed at their stored value");
        assert_eq!(update["userName"], json!("alice@example.com"), "§1.4: the full profile, not the change");
        assert_eq!(update["active"], json!(true), "§1.4: a profile push leaves active as the server has it");
    }
    target.finish(DIR, &name(kind, "profile_update")).await;
}

/// A profile change of Alice (with `extra` Okta attributes) under Options.profile_patch =
/// PerAttribute: one PATCH, no GET (§7); returns its operations.
async fn per_attribute_patch(target: &mut FakeTarget, okta: &mut OktaOrg, extra: &[(&str, Value)]) -> Value {
    add(okta, "alice", extra);
    okta.assign("alice").await.expect("assigned");
    target.step("assign alice: existence check, create").await;
    okta.set_attribute("alice", "firstName", json!("Alicia")).await.expect("set");
    let sent = target.step("firstName changed: one replace per attribute").await;
    assert_eq!(lines(&sent), update_lines(AppKind::OinPatchForUser, "u-alice"), "§7: no GET for a PATCH");
    body(&sent[0])["Operations"].clone()
}

/// The options of the per-attribute PATCH stories.
fn per_attribute() -> Options {
    Options { profile_patch: ProfilePatch::PerAttribute, ..Options::default() }
}

/// §7 and Options.profile_patch = PerAttribute: one `replace` per attribute of the full
/// profile, with its path, element paths in SCIM filter syntax.
#[tokio::test]
async fn profile_patch_per_attribute() {
    let kind = AppKind::OinPatchForUser;
    let (mut target, mut okta) = start(kind, per_attribute()).await;
    let extra = [("primaryPhone", json!("+1 555 0100")), ("streetAddress", json!("1 Main St"))];
    let operations = per_attribute_patch(&mut target, &mut okta, &extra).await;
    let replace = |path: &str, value: &str| json!({"op": "replace", "path": path, "value": value});
    assert_eq!(
        operations,
        json!([
            replace("userName", "alice@example.com"),
            replace("name.givenName", "Alicia"),
            replace("name.familyName", "Smith"),
            replace("emails[primary eq true].value", "alice@example.com"),
            replace("emails[primary eq true].type", "work"),
            replace("phoneNumbers[primary eq true].value", "+1 555 0100"),
            replace("phoneNumbers[primary eq true].type", "work"),
            replace("addresses[primary eq true].streetAddress", "1 Main St"),
            replace("addresses[primary eq true].type", "work"),
            replace("displayName", "Alice Smith"),
            replace("title", "Engineer"),
        ]),
        "§7: per-attribute replaces of the full profile, in profile order"
    );
    target.finish(DIR, &name(kind, "profile_patch_per_attribute")).await;
}

/// §2.4 "Effect on payloads" and Options.keep_empty_elements (default false: "no documented
/// body shows such an element"): the template's `''` type of a phone or address the user does
/// not have must not become an operation on an element that does not exist, as it is left
/// out of POST, PUT and the path-less PATCH.
#[tokio::test]
async fn profile_patch_per_attribute_sends_no_empty_element() {
    let (mut target, mut okta) = start(AppKind::OinPatchForUser, per_attribute()).await;
    let operations = per_attribute_patch(&mut target, &mut okta, &[]).await;
    let paths: Vec<&str> = operations.as_array().into_iter().flatten().filter_map(|o| o["path"].as_str()).collect();
    assert!(
        paths.iter().all(|p| !p.starts_with("phoneNumbers") && !p.starts_with("addresses")),
        "§2.4, Options.keep_empty_elements: no element the user has not: {paths:?}"
    );
}

/// §1.5: `clear_attribute` makes Okta's value `""`; `cleared` says what goes on the wire:
/// `""`, `null`, or the key left at the server's value in the PUT.
async fn cleared(kind: AppKind, cleared: ClearedValue, story: &str) {
    let (mut target, mut okta) = start(kind, Options { cleared_value: cleared, ..Options::default() }).await;
    assign_new(&mut target, &mut okta, &["alice"]).await;
    okta.clear_attribute("alice", "title").await.expect("cleared");
    let sent = target.step("title cleared").await;
    assert_eq!(lines(&sent), update_lines(kind, "u-alice"));
    let update = body(sent.last().expect("an update"));
    let fields = match kind {
        AppKind::OinPatchForUser => &update["Operations"][0]["value"],
        AppKind::Oin | AppKind::Aiw => &update,
    };
    let (expected, why) = match cleared {
        ClearedValue::EmptyString => (Some(json!("")), "§1.5: an empty string by default"),
        ClearedValue::Null => (Some(Value::Null), "§1.5: explicit null"),
        ClearedValue::Omit => (Some(json!("Engineer")), "§1.5: the key keeps the server's value"),
    };
    assert_eq!(fields.get("title").cloned(), expected, "{why}");
    target.finish(DIR, &name(kind, story)).await;
}

/// [`cleared`] with the default, `""`.
async fn cleared_attribute(kind: AppKind) {
    cleared(kind, ClearedValue::EmptyString, "cleared_attribute").await;
}

/// [`cleared`] with Options.cleared_value = Null.
#[tokio::test]
async fn cleared_attribute_as_null() {
    cleared(AppKind::Oin, ClearedValue::Null, "cleared_attribute_null").await;
}

/// [`cleared`] with Options.cleared_value = Omit.
#[tokio::test]
async fn cleared_attribute_omitted() {
    cleared(AppKind::Oin, ClearedValue::Omit, "cleared_attribute_omit").await;
}

/// §1.6–§1.8: unassign deactivates (OIN: path-less PATCH `{"active": false}`; AIW: GET then
/// PUT with `active: false`); re-assign is the existence check, then the reactivation, then
/// the profile push; suspend and delete of a deactivated user send nothing.
async fn deactivate_and_reactivate(kind: AppKind) {
    let (mut target, mut okta) = start(kind, Options::default()).await;
    assign_new(&mut target, &mut okta, &["alice", "bob"]).await;

    okta.unassign("alice").await.expect("unassigned");
    let sent = target.step("unassign alice: deactivate").await;
    assert_set_active(kind, &sent, "u-alice", false);

    target.found_by("Users", &user_filter("alice"), "u-alice");
    let logged = okta.events().len();
    okta.assign("alice").await.expect("assigned");
    let sent = target.step("re-assign alice: check, reactivate, push the profile").await;
    assert_eq!(lines(&sent[..1]), [user_check("alice")], "§1.8 step 1: the existence check");
    let reactivation = if kind.patches() { 1 } else { 2 };
    assert_set_active(kind, &sent[1..=reactivation], "u-alice", true);
    assert_eq!(lines(&sent[reactivation + 1..]), update_lines(kind, "u-alice"), "§1.8 step 3: the profile push");
    if kind != AppKind::OinPatchForUser {
        assert_eq!(body(sent.last().expect("a PUT"))["active"], json!(true), "§1.8: no stale active:false");
    }
    let events: Vec<EventKind> = okta.events()[logged..].iter().map(|e| e.kind).collect();
    assert_eq!(
        events,
        [EventKind::VerifyUserExists, EventKind::PushReactivation, EventKind::PushProfile],
        "§1.8: the System Log order"
    );

    okta.suspend("bob").await.expect("suspended");
    okta.unsuspend("bob").await.expect("unsuspended");
    let sent = target.step("suspend and unsuspend bob: nothing").await;
    assert!(sent.is_empty(), "§1.7: suspend sends nothing: {:?}", lines(&sent));

    okta.deactivate("bob").await.expect("deactivated");
    let sent = target.step("deactivate bob in Okta").await;
    assert_set_active(kind, &sent, "u-bob", false);

    okta.delete("bob").await.expect("deleted");
    let sent = target.step("delete bob: nothing").await;
    assert!(sent.is_empty(), "§1.7: deleting a deactivated user sends nothing: {:?}", lines(&sent));
    assert!(okta.events().iter().all(|e| e.outcome != Outcome::Failure), "{:?}", okta.events());
    target.finish(DIR, &name(kind, "deactivate_and_reactivate")).await;
}

/// §1.9: a password change is a path-less PATCH `replace {"password": …}` (OIN) or GET then
/// PUT carrying the password (AIW).
async fn password_sync(kind: AppKind) {
    let (mut target, mut okta) = start(kind, Options::default()).await;
    assign_new(&mut target, &mut okta, &["alice"]).await;
    okta.change_password("alice", "N3w-pa55word!").await.expect("changed");
    let sent = target.step("password changed").await;
    if kind.patches() {
        assert_eq!(lines(&sent), [line("PATCH", "/Users/u-alice")], "§1.9: OIN apps by PATCH");
        assert_eq!(
            raw_body(&sent[0]),
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"password":"N3w-pa55word!"}}]}"#,
            "§1.9: a path-less replace like every other Okta PATCH"
        );
    } else {
        assert_eq!(lines(&sent), update_lines(kind, "u-alice"), "§1.9: AIW apps by PUT");
        assert_eq!(body(&sent[1])["password"], json!("N3w-pa55word!"), "§1.9: the full body carries password");
    }
    target.finish(DIR, &name(kind, "password_sync")).await;
}

// ---------------------------------------------------------------------------------------
// 10–11. Profile Editor and mappings
// ---------------------------------------------------------------------------------------

/// §2.1–§2.3: an attribute without a namespace is not sent; dotted names nest; element
/// syntax selects or creates elements; the enterprise and a vendor namespace become URN
/// objects, listed in `schemas` only with `list_extension_schemas`; typed attributes go as
/// JSON types; an enum sends its value, not its title.
async fn profile_editor(list_extension_schemas: bool, story: &str) {
    let (mut target, mut okta) = start(AppKind::Oin, Options { list_extension_schemas, ..Options::default() }).await;
    let unsent = AppUserAttribute {
        external_name: None,
        external_namespace: None,
        ..AppUserAttribute::new("internalNote", TargetType::String, "internalNote", urn::USER)
    };
    let role = AppUserAttribute {
        one_of: vec![
            Choice { value: json!("admin"), title: "Administrator".into() },
            Choice { value: json!("member"), title: "Member".into() },
        ],
        ..AppUserAttribute::new("role", TargetType::String, "roles.^[type=='base'].value", urn::USER)
    };
    let tags = AppUserAttribute {
        attribute: TargetAttribute { multi_valued: true, ..TargetAttribute::new("tags", TargetType::String) },
        ..AppUserAttribute::new("tags", TargetType::String, "tags", ACME_URN)
    };
    let attributes = [
        unsent,
        AppUserAttribute::new("formattedName", TargetType::String, "name.formatted", urn::USER),
        role,
        AppUserAttribute::new("costTier", TargetType::String, "costTier", ACME_URN),
        AppUserAttribute::new("seats", TargetType::Integer, "seats", ACME_URN),
        AppUserAttribute::new("isAdmin", TargetType::Boolean, "isAdmin", ACME_URN),
        AppUserAttribute::new("ratio", TargetType::Decimal, "ratio", ACME_URN),
        tags,
    ];
    for attribute in attributes {
        okta.put_attribute(attribute).expect("a valid attribute");
    }
    let mappings = [
        ("internalNote", r#""note: " + user.lastName"#),
        ("formattedName", r#"user.firstName + " " + user.lastName"#),
        ("costTier", "user.costTier"),
        ("seats", "user.seats"),
        ("isAdmin", "user.isAdmin"),
        ("ratio", "user.ratio"),
        ("tags", "user.tags"),
    ];
    for (variable, expression) in mappings {
        okta.put_mapping(variable, expression, Apply::Always, ApplyUpdates::Later).await.expect("a mapping");
    }
    add(
        &mut okta,
        "alice",
        &[
            ("secondEmail", json!("alice@home.example")),
            ("employeeNumber", json!("E1001")),
            ("department", json!("R&D")),
            ("managerId", json!("u-boss")),
            ("costTier", json!("gold")),
            ("seats", json!("3")),
            ("isAdmin", json!("true")),
            ("ratio", json!("0.75")),
            ("tags", json!(["red", "blue"])),
        ],
    );
    okta.set_assignment_value("alice", "role", json!("Administrator")).await.expect("an assignment value");
    okta.assign("alice").await.expect("assigned");
    let sent = target.step("assign: create with custom attributes").await;
    let post = body(&sent[1]);
    assert!(!raw_body(&sent[1]).contains("note: "), "§2.1: an attribute with no namespace is not sent");
    assert_eq!(post["name"]["formatted"], json!("Alice Smith"), "§2.2: dotted names nest");
    assert_eq!(
        post["emails"],
        json!([
            {"primary": true, "value": "alice@example.com", "type": "work"},
            {"primary": false, "value": "alice@home.example"},
        ]),
        "§2.2: emails.^[primary==false].value writes a second element"
    );
    assert_eq!(post["roles"], json!([{"type": "base", "value": "admin"}]), "§2.2 element syntax; §2.3 enum value");
    assert_eq!(
        post[urn::ENTERPRISE_USER],
        json!({"employeeNumber": "E1001", "department": "R&D", "manager": {"value": "u-boss"}}),
        "§2.2: the enterprise namespace is a URN object; dots nest inside it"
    );
    assert_eq!(
        post[ACME_URN],
        json!({"costTier": "gold", "seats": 3, "isAdmin": true, "ratio": 0.75, "tags": ["red", "blue"]}),
        "§2.2 vendor URN object; §2.3 JSON types"
    );
    let schemas =
        if list_extension_schemas { json!([urn::USER, ACME_URN, urn::ENTERPRISE_USER]) } else { json!([urn::USER]) };
    assert_eq!(post["schemas"], schemas, "§2.2, §7: extension URNs in schemas only when listed");

    okta.set_attribute("alice", "seats", json!("4")).await.expect("set");
    let sent = target.step("seats changed: GET then PUT").await;
    let put = body(&sent[1]);
    assert_eq!(put[ACME_URN]["seats"], json!(4), "§2.3: an integer in the PUT too");
    assert_eq!(put["schemas"], schemas, "§2.2: the PUT's schemas as the server has them, extended when listed");
    target.finish(DIR, &name(AppKind::Oin, story)).await;
}

/// [`profile_editor`] with `schemas` left at the core URN (the default).
#[tokio::test]
async fn profile_editor_attributes() {
    profile_editor(false, "profile_editor").await;
}

/// [`profile_editor`] with Options.list_extension_schemas.
#[tokio::test]
async fn profile_editor_listing_extension_schemas() {
    profile_editor(true, "profile_editor_listed_schemas").await;
}

/// §3.2–§3.4: mappings in the Okta Expression Language. "Apply updates now" pushes every
/// assigned user, changed or not; Force Sync pushes only users whose app-user profile differs
/// from the last successful push.
async fn apply_updates_and_force_sync(kind: AppKind) {
    let (mut target, mut okta) = start(kind, Options::default()).await;
    for (alias, department) in [("alice", "Sales"), ("bob", "R&D")] {
        add(&mut okta, alias, &[("department", json!(department))]);
        okta.assign(alias).await.expect("assigned");
    }
    target.step("assign alice (Sales) and bob (R&D): existence check, create").await;
    let mut order = ["alice", "bob"];
    order.sort_by_key(|alias| okta_id(&okta, alias));
    let pushes = |aliases: &[&str]| -> Vec<String> {
        aliases.iter().flat_map(|a| update_lines(kind, &format!("u-{a}"))).collect()
    };

    let nick_name = r#"String.toLowerCase(user.firstName) + "." + user.lastName"#;
    okta.put_mapping("nickName", nick_name, Apply::Always, ApplyUpdates::Now).await.expect("a mapping");
    let sent = target.step("nickName mapped, apply updates now").await;
    assert_eq!(lines(&sent), pushes(&order), "§3.4: every assigned user is pushed");
    let nick_names: BTreeMap<String, Value> = sent
        .iter()
        .filter(|r| !r.body.is_empty())
        .map(|r| profile_of(kind, r))
        .map(|p| (p["userName"].as_str().expect("a userName").to_string(), p["nickName"].clone()))
        .collect();
    let expected = [("alice@example.com", "alice.Smith"), ("bob@example.com", "bob.Brown")];
    assert_eq!(
        nick_names,
        expected.map(|(user, nick)| (user.to_string(), json!(nick))).into(),
        "§3.2: String.toLowerCase and +"
    );

    let seller = r#"user.department == "Sales" ? "Seller" : user.userType"#;
    okta.put_mapping("userType", seller, Apply::Always, ApplyUpdates::Now).await.expect("a mapping");
    let sent = target.step("userType mapped by a ternary, apply updates now: bob unchanged, pushed too").await;
    assert_eq!(lines(&sent), pushes(&order), "§3.4: Apply updates now pushes users whose profile did not change");

    let region = r#"user.department == "Sales" ? "EMEA" : user.division"#;
    okta.put_mapping("division", region, Apply::Always, ApplyUpdates::Later).await.expect("a mapping");
    let sent = target.step("division mapped, do not apply updates").await;
    assert!(sent.is_empty(), "§3.4: Do not apply updates sends nothing: {:?}", lines(&sent));
    okta.force_sync().await;
    let sent = target.step("Force Sync: only alice differs").await;
    assert_eq!(lines(&sent), pushes(&["alice"]), "§3.4: Force Sync pushes only changed app users");
    assert_eq!(profile_of(kind, sent.last().expect("an update"))[urn::ENTERPRISE_USER]["division"], json!("EMEA"));
    target.finish(DIR, &name(kind, "apply_updates_and_force_sync")).await;
}

/// The profile an update carries: the PUT body, or the PATCH's value object.
fn profile_of(kind: AppKind, request: &Request) -> Value {
    let update = body(request);
    match kind {
        AppKind::OinPatchForUser => update["Operations"][0]["value"].clone(),
        AppKind::Oin | AppKind::Aiw => update,
    }
}

/// The Okta id of `alias`.
fn okta_id(okta: &OktaOrg, alias: &str) -> String {
    okta.directory().id_of(ObjectKind::User, alias).expect("a known user")
}

// ---------------------------------------------------------------------------------------
// 12. Group Push
// ---------------------------------------------------------------------------------------

/// The existence check of a pushed group (REF20, §1.10).
fn group_check(name: &str) -> String {
    format!("GET {BASE}/Groups?filter=displayName%20eq%20%22{name}%22&startIndex=1&count=100")
}

/// The rename PATCH OIN apps send before every membership PATCH (§1.10).
fn rename(id: &str, name: &str) -> Value {
    patch(json!([{"op": "replace", "value": {"id": id, "displayName": name}}]))
}

/// What one group update sends: OIN the rename PATCH, then the membership PATCH when there
/// is one (`members_op`, checked with its `value` sorted); AIW one `PUT` with the full list.
#[track_caller]
fn assert_group_update(
    kind: AppKind,
    sent: &[Request],
    id: &str,
    name: &str,
    members_op: Option<Value>,
    full: &[&str],
) {
    let path = format!("/Groups/{id}");
    if kind == AppKind::Aiw {
        assert_eq!(lines(sent), [line("PUT", &path)], "§1.10: AIW apps PUT the group");
        let put = body(&sent[0]);
        assert_eq!(put["schemas"], json!([urn::GROUP]));
        assert_eq!(put["displayName"], json!(name));
        assert_eq!(sorted_members(&put["members"]), members(full), "§1.10: the full member list");
        return;
    }
    let mut expected = vec![line("PATCH", &path)];
    expected.extend(members_op.iter().map(|_| line("PATCH", &path)));
    assert_eq!(lines(sent), expected, "§1.10: the rename PATCH before every membership PATCH");
    assert_eq!(body(&sent[0]), rename(id, name), "§1.10: path-less replace of {{id, displayName}}");
    if let Some(operations) = members_op {
        let mut sent_ops = body(&sent[1]);
        for op in sent_ops["Operations"].as_array_mut().expect("operations") {
            if let Some(value) = op.get_mut("value") {
                *value = Value::Array(sorted_members(value));
            }
        }
        assert_eq!(sent_ops, patch(operations), "§1.10: the membership PATCH");
    }
}

/// §1.10 with "Import Groups" off: the existence check by displayName, POST with
/// `members: []`, then the membership (OIN: rename PATCH + `add`; AIW: PUT); a member leaving
/// and one joining in one PATCH (`remove` first); a rename alone; Push Now (`replace members`,
/// `[]` for an empty group); a deactivated push holds changes and reactivating pushes them;
/// unlink deletes in the app, or leaves the group.
async fn group_push(kind: AppKind) {
    let (mut target, mut okta) = start(kind, Options::default()).await;
    okta.edit_settings(|s| s.import_groups = false);
    assign_new(&mut target, &mut okta, &["alice", "bob"]).await;
    add(&mut okta, "carol", &[]);
    okta.add_group("Engineering", &["alice", "bob", "carol"]).expect("a group");
    okta.add_group("Empty", &[]).expect("a group");
    let id = "g-engineering";

    okta.push_group("Engineering").await.expect("pushed");
    let sent = target.step("push Engineering: check, create, members").await;
    assert_eq!(lines(&sent[..2]), [group_check("Engineering"), line("POST", "/Groups")], "§1.10");
    assert_eq!(
        raw_body(&sent[1]),
        r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[]}"#,
        "§1.10: created empty (REF20)"
    );
    let add_both = json!([{"op": "add", "path": "members", "value": members(&["alice", "bob"])}]);
    assert_group_update(kind, &sent[2..], id, "Engineering", Some(add_both), &["alice", "bob"]);

    okta.deactivate("alice").await.expect("deactivated");
    let sent = target.step("deactivate alice: her deactivation only").await;
    assert_set_active(kind, &sent, "u-alice", false);

    okta.assign("carol").await.expect("assigned");
    let sent = target.step("assign carol: create, then alice leaves and carol joins").await;
    assert_eq!(lines(&sent[..2]), [user_check("carol"), line("POST", "/Users")]);
    let swap = json!([
        {"op": "remove", "path": "members[value eq \"u-alice\"]"},
        {"op": "add", "path": "members", "value": members(&["carol"])},
    ]);
    assert_group_update(kind, &sent[2..], id, "Engineering", Some(swap), &["bob", "carol"]);

    okta.rename_group("Engineering", "Engineering EMEA").await.expect("renamed");
    let sent = target.step("rename").await;
    assert_group_update(kind, &sent, id, "Engineering EMEA", None, &["bob", "carol"]);

    okta.push_now("Engineering").await.expect("pushed");
    let sent = target.step("Push Now").await;
    let replace = json!([{"op": "replace", "path": "members", "value": members(&["bob", "carol"])}]);
    assert_group_update(kind, &sent, id, "Engineering EMEA", Some(replace), &["bob", "carol"]);

    okta.push_group("Empty").await.expect("pushed");
    let sent = target.step("push Empty: check, create").await;
    assert_eq!(lines(&sent), [group_check("Empty"), line("POST", "/Groups")], "§1.10: nothing to add");
    okta.push_now("Empty").await.expect("pushed");
    let sent = target.step("Push Now of the empty group").await;
    let empty = json!([{"op": "replace", "path": "members", "value": []}]);
    assert_group_update(kind, &sent, "g-empty", "Empty", Some(empty), &[]);

    okta.deactivate_push("Engineering").expect("deactivated");
    okta.remove_member("Engineering", "bob").await.expect("removed");
    let sent = target.step("push deactivated, bob leaves: held").await;
    assert!(sent.is_empty(), "§1.10: a deactivated push sends nothing: {:?}", lines(&sent));
    okta.activate_push("Engineering").await.expect("activated");
    let sent = target.step("push activated: the held change, as a full push").await;
    let replace = json!([{"op": "replace", "path": "members", "value": members(&["carol"])}]);
    assert_group_update(kind, &sent, id, "Engineering EMEA", Some(replace), &["carol"]);

    okta.unlink_group("Engineering", Unlink::DeleteInApp).await.expect("unlinked");
    let sent = target.step("unlink Engineering, delete in the app").await;
    assert_eq!(lines(&sent), [line("DELETE", "/Groups/g-engineering")], "§1.10: DELETE /Groups/{{id}}");
    okta.unlink_group("Empty", Unlink::LeaveInApp).await.expect("unlinked");
    let sent = target.step("unlink Empty, leave it in the app").await;
    assert!(sent.is_empty(), "§1.10: leaving the group sends nothing");
    assert!(okta.tasks().is_empty(), "{:?}", okta.tasks());
    target.finish(DIR, &name(kind, "group_push")).await;
}

/// §1.10 (CAP2019) and Options.group_create_with_members: the POST carries the members, and
/// nothing follows it.
#[tokio::test]
async fn group_created_with_members() {
    let options = Options { group_create_with_members: true, ..Options::default() };
    let (mut target, mut okta) = start(AppKind::Oin, options).await;
    okta.edit_settings(|s| s.import_groups = false);
    assign_new(&mut target, &mut okta, &["alice", "bob"]).await;
    okta.add_group("Engineering", &["alice", "bob"]).expect("a group");
    okta.push_group("Engineering").await.expect("pushed");
    let sent = target.step("push Engineering: created with its members").await;
    assert_eq!(lines(&sent), [group_check("Engineering"), line("POST", "/Groups")]);
    let post = body(&sent[1]);
    assert_eq!(sorted_members(&post["members"]), members(&["alice", "bob"]), "§1.10: the 2019 docs' POST");
    target.finish(DIR, &name(AppKind::Oin, "group_created_with_members")).await;
}

/// §1.10: with "Import Groups" on, a group among the imported ones is linked by name with no
/// existence check and no POST, then gets its full membership (C9315).
#[tokio::test]
async fn group_linked_from_import() {
    let (mut target, mut okta) = start(AppKind::Oin, Options::default()).await;
    target.store(
        "Groups",
        json!({"schemas": [urn::GROUP], "id": "g-sales-existing", "displayName": "Sales", "members": []}),
    );
    okta.import_groups().await;
    target.step("import groups").await;
    assign_new(&mut target, &mut okta, &["alice"]).await;
    okta.add_group("Sales", &["alice"]).expect("a group");
    okta.push_group("Sales").await.expect("pushed");
    let sent = target.step("push Sales: linked to the imported group").await;
    let replace = json!([{"op": "replace", "path": "members", "value": members(&["alice"])}]);
    assert_group_update(AppKind::Oin, &sent, "g-sales-existing", "Sales", Some(replace), &["alice"]);
    target.finish(DIR, &name(AppKind::Oin, "group_linked_from_import")).await;
}

/// §1.10 (2019 docs) and Options.aiw_group_reads_first: an AIW app reads the group before
/// the PUT, which is the group read with the name and members written over it.
#[tokio::test]
async fn aiw_group_read_before_put() {
    let kind = AppKind::Aiw;
    let (mut target, mut okta) = start(kind, Options { aiw_group_reads_first: true, ..Options::default() }).await;
    okta.edit_settings(|s| s.import_groups = false);
    assign_new(&mut target, &mut okta, &["alice"]).await;
    okta.add_group("Engineering", &["alice"]).expect("a group");
    okta.push_group("Engineering").await.expect("pushed");
    let sent = target.step("push Engineering: check, create, GET then PUT").await;
    assert_eq!(
        lines(&sent),
        [
            group_check("Engineering"),
            line("POST", "/Groups"),
            line("GET", "/Groups/g-engineering"),
            line("PUT", "/Groups/g-engineering")
        ]
    );
    let put = body(&sent[3]);
    assert_eq!(
        put,
        json!({"id": "g-engineering", "schemas": [urn::GROUP], "displayName": "Engineering", "members": members(&["alice"])}),
        "§1.10: the group read, name and members written over it"
    );
    target.finish(DIR, &name(kind, "group_read_before_put")).await;
}
