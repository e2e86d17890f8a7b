//! Behaviour profiles: the reference server playing Omni and Ivanti over real HTTP, one test
//! per behaviour (the sources are on `scimsim::server::Profile`), plus local users, which both
//! the strict server and Ivanti's take-over rely on.

use scimsim::scim::urn;
use scimsim::server::{Profile, ServerConfig};
use serde_json::{Value, json};

use crate::util::{Reply, TestServer, id};

const OMNI: &str = "urn:omni:params:1.0:UserAttribute";
const IVANTI: &str = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";

async fn server(profile: Profile) -> TestServer {
    TestServer::with_config(ServerConfig { profile, ..ServerConfig::default() }).await
}

fn user_path(id: &str) -> String {
    format!("/Users/{id}")
}

/// A user Ivanti accepts: a first and a last name and an email.
fn complete_user(user_name: &str) -> Value {
    json!({
        "schemas": [urn::USER],
        "userName": user_name,
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"value": user_name, "type": "work", "primary": true}],
        "title": "Tour Guide"
    })
}

/// Creates `body` as a user, expecting `201`, and returns it.
async fn create(t: &TestServer, body: &Value) -> Value {
    t.post("/Users", body).await.expect(201).body
}

async fn get_user(t: &TestServer, id: &str) -> Value {
    t.get(&user_path(id)).await.expect(200).body
}

/// The resources of a list response.
fn resources(reply: &Reply) -> Vec<Value> {
    reply.body["Resources"].as_array().cloned().unwrap_or_else(|| panic!("a ListResponse: {:#}", reply.body))
}

/// The `/Schemas` entry for `id`, expecting it listed.
async fn published_schema(t: &TestServer, id: &str) -> Value {
    let listed = resources(&t.get("/Schemas").await.expect(200));
    listed.into_iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("/Schemas lists {id}"))
}

/// Attribute name → the attribute definition, of a published schema.
fn attribute<'s>(schema: &'s Value, name: &str) -> &'s Value {
    schema["attributes"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["name"] == name))
        .unwrap_or_else(|| panic!("{} defines {name}: {schema:#}", schema["id"]))
}

fn attribute_names(schema: &Value) -> Vec<&str> {
    schema["attributes"].as_array().into_iter().flatten().filter_map(|a| a["name"].as_str()).collect()
}

/// Creates a user with `attributes` in extension `urn`, reads them back, and PATCHes
/// `attribute` to `value` through its full-URN path (Entra's legacy dialect); returns the
/// patched user.
async fn custom_attributes_round_trip(
    t: &TestServer,
    urn: &str,
    attributes: Value,
    attribute: &str,
    value: Value,
) -> Value {
    // entra-wire.md §3.3: the extension object in POST, URN not listed in `schemas`.
    let mut body = complete_user(&format!("{attribute}@example.com"));
    body[urn] = attributes;
    let user = create(t, &body).await;
    assert_eq!(user[urn], body[urn]);
    assert!(user["schemas"].as_array().is_some_and(|s| s.contains(&json!(urn))), "{user:#}");
    assert_eq!(get_user(t, &id(&user)).await[urn], body[urn]);
    let operations = json!([{"op": "Replace", "path": format!("{urn}:{attribute}"), "value": value}]);
    let patched = t.patch(&user_path(&id(&user)), &operations).await.expect(200).body;
    assert_eq!(patched[urn][attribute], value, "{patched:#}");
    patched
}

/// The `schemaExtensions` URNs of the User resource type.
async fn user_extensions(t: &TestServer) -> Vec<String> {
    let user = t.get("/ResourceTypes/User").await.expect(200).body;
    user["schemaExtensions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["schema"].as_str().map(String::from))
        .collect()
}

// ---------------------------------------------------------------------------------------
// strict
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn strict_publishes_no_product_extension_and_no_documentation() {
    let t = TestServer::start().await;
    assert_eq!(user_extensions(&t).await, [urn::ENTERPRISE_USER]);
    let config = t.get("/ServiceProviderConfig").await.expect(200).body;
    assert!(config.get("documentationUri").is_none(), "{config:#}");
    let enterprise = published_schema(&t, urn::ENTERPRISE_USER).await;
    assert!(attribute_names(&enterprise).contains(&"employeeNumber"), "{enterprise:#}");
}

#[tokio::test]
async fn strict_post_conflicts_with_a_local_user() {
    let t = TestServer::start().await;
    let local = t.server.add_local_user(complete_user("bjensen@example.com")).expect("the local user is added");
    let reply = t.post("/Users", &complete_user("BJensen@example.com")).await.expect_error(409, Some("uniqueness"));
    assert!(reply.detail().contains(&local), "the detail names the holder: {}", reply.detail());
}

// ---------------------------------------------------------------------------------------
// local users
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn local_users_are_held_from_the_start_and_read_like_any_other() {
    let seeded = json!({"schemas": [urn::USER], "userName": "seeded@example.com", "active": true});
    let t = TestServer::with_config(ServerConfig { local_users: vec![seeded], ..ServerConfig::default() }).await;
    let listed = resources(&t.get("/Users").await.expect(200));
    assert_eq!(listed.len(), 1, "{listed:#?}");
    assert_eq!(listed[0]["userName"], "seeded@example.com");

    let added = t.server.add_local_user(json!({"schemas": [urn::USER], "userName": "added@example.com"})).unwrap();
    assert_eq!(get_user(&t, &added).await["userName"], "added@example.com");

    let refused = t.server.add_local_user(json!({"userName": "no-schemas"})).unwrap_err();
    assert_eq!(refused.status, 400, "checked against the schema like a POST body: {refused}");
    let taken = t.server.add_local_user(json!({"schemas": [urn::USER], "userName": "ADDED@example.com"})).unwrap_err();
    assert_eq!(taken.status, 409, "{taken}");
}

#[tokio::test]
async fn a_local_user_the_schema_refuses_stops_the_server_from_starting() {
    let config = ServerConfig { local_users: vec![json!({"schemas": [urn::USER]})], ..ServerConfig::default() };
    let error = scimsim::server::spawn(config).await.expect_err("a user without userName is refused");
    assert!(error.to_string().contains("local user 0"), "{error}");
    assert!(error.to_string().contains("userName"), "{error}");
}

// ---------------------------------------------------------------------------------------
// omni
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn omni_publishes_its_user_attribute_extension_and_documentation() {
    let t = server(Profile::Omni).await;
    assert_eq!(user_extensions(&t).await, [urn::ENTERPRISE_USER, OMNI]);
    let schema = published_schema(&t, OMNI).await;
    assert_eq!(attribute(&schema, "blob_entity")["type"], "string");
    assert_eq!(attribute(&schema, "region_id")["type"], "integer");
    assert_eq!(attribute(&schema, "brand_name")["multiValued"], true);
    for system in ["omni_is_org_admin", "omni_user_email", "omni_user_groups", "omni_user_id", "omni_user_name"] {
        assert_eq!(attribute(&schema, system)["mutability"], "readOnly", "{system}");
    }
    let config = t.get("/ServiceProviderConfig").await.expect(200).body;
    assert_eq!(config["documentationUri"], "https://docs.omni.co/administration/authentication/entra/scim");
}

#[tokio::test]
async fn omni_custom_attributes_round_trip_as_entra_sends_them() {
    let t = server(Profile::Omni).await;
    let attributes = json!({"blob_entity": "blob-1", "region_id": 7, "brand_name": ["Acme", "Blob"]});
    custom_attributes_round_trip(&t, OMNI, attributes, "blob_entity", json!("blob-2")).await;
    let path = format!("{OMNI}:blob_entity");
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("filter", &format!("{path} eq \"blob-2\""))
        .finish();
    assert_eq!(resources(&t.get(&format!("/Users?{query}")).await.expect(200)).len(), 1);
}

#[tokio::test]
async fn omni_refuses_a_system_attribute_in_a_post_or_put() {
    let t = server(Profile::Omni).await;
    let mut body = complete_user("omni-system@example.com");
    body[OMNI] = json!({"blob_entity": "b", "omni_user_email": "x@example.com"});
    let refused = t.post("/Users", &body).await.expect_error(400, Some("mutability"));
    assert!(refused.detail().contains("omni_user_email"), "{}", refused.detail());
    assert!(refused.detail().contains("system attribute"), "{}", refused.detail());

    let user = create(&t, &complete_user("omni-system@example.com")).await;
    body[OMNI] = json!({"omni_is_org_admin": "true"});
    let refused = t.put(&user_path(&id(&user)), &body).await.expect_error(400, Some("mutability"));
    assert!(refused.detail().contains("omni_is_org_admin"), "{}", refused.detail());
    assert_eq!(get_user(&t, &id(&user)).await, user, "nothing changed");
}

#[tokio::test]
async fn omni_refuses_a_system_attribute_in_a_patch() {
    let t = server(Profile::Omni).await;
    let user = create(&t, &complete_user("omni-patch@example.com")).await;
    let path = user_path(&id(&user));
    let cases = [
        json!([{"op": "Add", "path": format!("{OMNI}:omni_user_name"), "value": "Babs"}]),
        json!([{"op": "replace", "value": {format!("{OMNI}:omni_user_groups"): ["Sales"]}}]),
        json!([{"op": "replace", "value": {OMNI: {"blob_entity": "b", "omni_user_id": "42"}}}]),
    ];
    for (operations, system) in cases.iter().zip(["omni_user_name", "omni_user_groups", "omni_user_id"]) {
        let refused = t.patch(&path, operations).await.expect_error(400, Some("mutability"));
        assert!(refused.detail().contains(system), "{operations}: {}", refused.detail());
    }
    assert_eq!(get_user(&t, &id(&user)).await, user, "nothing changed");
}

#[tokio::test]
async fn omni_gives_users_created_through_scim_the_member_role() {
    let t = server(Profile::Omni).await;
    let mut body = complete_user("omni-role@example.com");
    body["roles"] = json!([{"value": "admin", "primary": true}]);
    let user = create(&t, &body).await;
    let member = json!([{"value": "member", "display": "Organization Member", "primary": true}]);
    assert_eq!(user["roles"], member, "{user:#}");
    // Entra's default create body sends `roles: []` (entra-wire.md §3.2).
    body["userName"] = json!("omni-role-2@example.com");
    body["roles"] = json!([]);
    assert_eq!(create(&t, &body).await["roles"], member);
}

#[tokio::test]
async fn omni_keeps_the_role_when_scim_updates_the_user() {
    let t = server(Profile::Omni).await;
    let user = create(&t, &complete_user("omni-keep@example.com")).await;
    let path = user_path(&id(&user));
    let mut replacement = complete_user("omni-keep@example.com");
    replacement["roles"] = json!([{"value": "admin"}]);
    replacement["title"] = json!("Analyst");
    let replaced = t.put(&path, &replacement).await.expect(200).body;
    assert_eq!(replaced["title"], "Analyst");
    assert_eq!(replaced["roles"], user["roles"]);
    let patched = t.patch(&path, &json!([{"op": "remove", "path": "roles"}])).await.expect(200).body;
    assert_eq!(patched["roles"], user["roles"]);
}

// ---------------------------------------------------------------------------------------
// ivanti
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn ivanti_publishes_its_extension_and_only_department_of_the_enterprise_extension() {
    let t = server(Profile::Ivanti).await;
    assert_eq!(user_extensions(&t).await, [urn::ENTERPRISE_USER, IVANTI]);
    let enterprise = published_schema(&t, urn::ENTERPRISE_USER).await;
    assert_eq!(attribute_names(&enterprise), ["department"]);
    let custom = published_schema(&t, IVANTI).await;
    assert_eq!(attribute_names(&custom), ["site", "deviceLimit", "labels"]);
    let config = t.get("/ServiceProviderConfig").await.expect(200).body;
    assert!(config["documentationUri"].as_str().is_some_and(|u| u.starts_with("https://help.ivanti.com/")));
}

#[tokio::test]
async fn ivanti_custom_attributes_round_trip() {
    let t = server(Profile::Ivanti).await;
    let attributes = json!({"site": "Berlin", "deviceLimit": 3, "labels": ["sales", "emea"]});
    let patched = custom_attributes_round_trip(&t, IVANTI, attributes, "deviceLimit", json!(5)).await;
    assert_eq!(patched[IVANTI]["labels"], json!(["sales", "emea"]), "the other attributes stay");
}

#[tokio::test]
async fn ivanti_keeps_department_and_ignores_other_enterprise_attributes() {
    let t = server(Profile::Ivanti).await;
    let mut body = complete_user("ivanti-enterprise@example.com");
    body["schemas"] = json!([urn::USER, urn::ENTERPRISE_USER]);
    body[urn::ENTERPRISE_USER] = json!({"department": "Sales", "employeeNumber": "701984", "manager": {"value": "x"}});
    let user = create(&t, &body).await;
    assert_eq!(user[urn::ENTERPRISE_USER], json!({"department": "Sales"}), "{user:#}");

    let path = user_path(&id(&user));
    let operations = json!([
        {"op": "Add", "path": format!("{}:costCenter", urn::ENTERPRISE_USER), "value": "4130"},
        {"op": "replace", "value": {format!("{}:department", urn::ENTERPRISE_USER): "Retail", "manager": "boss"}}
    ]);
    let patched = t.patch(&path, &operations).await.expect(200).body;
    assert_eq!(patched[urn::ENTERPRISE_USER], json!({"department": "Retail"}), "{patched:#}");
}

#[tokio::test]
async fn ivanti_refuses_a_create_without_an_email() {
    let t = server(Profile::Ivanti).await;
    let mut body = complete_user("ivanti-no-email@example.com");
    body.as_object_mut().unwrap().remove("emails");
    let refused = t.post("/Users", &body).await.expect_error(400, Some("invalidValue"));
    assert!(refused.detail().contains("email"), "{}", refused.detail());
    body["emails"] = json!([]);
    t.post("/Users", &body).await.expect_error(400, Some("invalidValue"));
    assert!(resources(&t.get("/Users").await.expect(200)).is_empty(), "nothing was created");
}

#[tokio::test]
async fn ivanti_refuses_a_blank_given_or_family_name() {
    let t = server(Profile::Ivanti).await;
    let mut body = complete_user("ivanti-names@example.com");
    body["name"]["givenName"] = json!("");
    let refused = t.post("/Users", &body).await.expect_error(400, Some("invalidValue"));
    assert!(refused.detail().contains("name.givenName"), "{}", refused.detail());
    body["name"] = json!({"givenName": "Barbara"});
    let refused = t.post("/Users", &body).await.expect_error(400, Some("invalidValue"));
    assert!(refused.detail().contains("name.familyName"), "{}", refused.detail());

    let user = create(&t, &complete_user("ivanti-names@example.com")).await;
    let removed = t.patch(&user_path(&id(&user)), &json!([{"op": "remove", "path": "name.familyName"}])).await;
    assert!(removed.expect_error(400, Some("invalidValue")).detail().contains("name.familyName"));
}

#[tokio::test]
async fn ivanti_delete_disables_the_user() {
    let t = server(Profile::Ivanti).await;
    let user = create(&t, &complete_user("ivanti-delete@example.com")).await;
    let path = user_path(&id(&user));
    assert_eq!(t.delete(&path).await.status, 204);
    let disabled = get_user(&t, &id(&user)).await;
    assert_eq!(disabled["active"], false, "{disabled:#}");
    assert_eq!(disabled["userName"], user["userName"]);
    assert_ne!(disabled["meta"]["version"], user["meta"]["version"], "disabling is a change");
    let query: String =
        form_urlencoded::Serializer::new(String::new()).append_pair("filter", "active eq false").finish();
    assert_eq!(resources(&t.get(&format!("/Users?{query}")).await.expect(200)).len(), 1);
    assert_eq!(t.delete(&path).await.status, 204, "deleting again still answers 204");
}

#[tokio::test]
async fn ivanti_ignores_blank_values_in_a_put() {
    let t = server(Profile::Ivanti).await;
    let mut body = complete_user("ivanti-put@example.com");
    body[IVANTI] = json!({"site": "Berlin"});
    let user = create(&t, &body).await;
    body["title"] = json!("");
    body["name"] = json!({"givenName": "", "familyName": "Smith"});
    body[IVANTI] = json!({"site": null});
    body["nickName"] = json!("Babs");
    let replaced = t.put(&user_path(&id(&user)), &body).await.expect(200).body;
    assert_eq!(replaced["title"], "Tour Guide", "blank: the stored value stays");
    assert_eq!(replaced["name"], json!({"givenName": "Barbara", "familyName": "Smith"}));
    assert_eq!(replaced[IVANTI], json!({"site": "Berlin"}));
    assert_eq!(replaced["nickName"], "Babs", "the rest of the PUT applies");
}

#[tokio::test]
async fn ivanti_ignores_blank_values_in_a_patch() {
    let t = server(Profile::Ivanti).await;
    let user = create(&t, &complete_user("ivanti-patch@example.com")).await;
    let path = user_path(&id(&user));
    // What Entra and Okta send when a source attribute is cleared (entra-wire.md §5.1).
    let operations = json!([
        {"op": "Replace", "path": "title", "value": ""},
        {"op": "replace", "value": {"name.givenName": null, "displayName": "Babs Jensen"}}
    ]);
    let patched = t.patch(&path, &operations).await.expect(200).body;
    assert_eq!(patched["title"], "Tour Guide");
    assert_eq!(patched["name"]["givenName"], "Barbara");
    assert_eq!(patched["displayName"], "Babs Jensen");
    let removed = t.patch(&path, &json!([{"op": "remove", "path": "title"}])).await.expect(200).body;
    assert!(removed.get("title").is_none(), "remove is no blank value: {removed:#}");
}

#[tokio::test]
async fn ivanti_deleting_a_group_disables_its_members() {
    let t = server(Profile::Ivanti).await;
    let first = id(&create(&t, &complete_user("ivanti-m1@example.com")).await);
    let second = id(&create(&t, &complete_user("ivanti-m2@example.com")).await);
    let outsider = id(&create(&t, &complete_user("ivanti-out@example.com")).await);
    let group = t.create_group("Ivanti Sales", &[&first, &second]).await;
    assert_eq!(t.delete(&format!("/Groups/{}", id(&group))).await.status, 204);
    t.get(&format!("/Groups/{}", id(&group))).await.expect(404);
    for member in [&first, &second] {
        let user = get_user(&t, member).await;
        assert_eq!(user["active"], false, "{user:#}");
        assert!(user.get("groups").is_none(), "the group is gone: {user:#}");
    }
    assert_eq!(get_user(&t, &outsider).await.get("active"), None, "a non-member is untouched");
}

#[tokio::test]
async fn ivanti_post_takes_over_a_local_user() {
    let t = server(Profile::Ivanti).await;
    let local = json!({
        "schemas": [urn::USER],
        "userName": "bjensen@example.com",
        "name": {"givenName": "B", "familyName": "J"},
        "phoneNumbers": [{"value": "555-0100"}],
        "active": false
    });
    let local_id = t.server.add_local_user(local).unwrap();
    let mut body = complete_user("BJensen@example.com");
    body["active"] = json!(true);
    let taken = t.post("/Users", &body).await.expect(201);
    assert_eq!(id(&taken.body), local_id, "the existing id, not a new user");
    assert_eq!(taken.header("location"), taken.body["meta"]["location"].as_str());
    assert_eq!(taken.body["name"], body["name"], "attributes updated");
    assert_eq!(taken.body["active"], true);
    assert!(taken.body.get("phoneNumbers").is_none(), "the POST is the whole user: {:#}", taken.body);
    assert_eq!(resources(&t.get("/Users").await.expect(200)).len(), 1);

    // Now SCIM-managed: another POST with the name is an ordinary conflict.
    t.post("/Users", &body).await.expect_error(409, Some("uniqueness"));
}

#[tokio::test]
async fn ivanti_take_over_still_needs_what_a_create_needs() {
    let t = server(Profile::Ivanti).await;
    let local = json!({"schemas": [urn::USER], "userName": "nomail@example.com", "title": "Local"});
    let local_id = t.server.add_local_user(local).unwrap();
    let mut body = complete_user("nomail@example.com");
    body.as_object_mut().unwrap().remove("emails");
    t.post("/Users", &body).await.expect_error(400, Some("invalidValue"));
    assert_eq!(get_user(&t, &local_id).await["title"], "Local", "the local user is left as it was");
}
