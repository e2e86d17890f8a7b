//! `/Users`: create, read, replace, patch and delete against the reference server, with the
//! request bodies Entra ID and Okta send (RFC 7643 §4.1, RFC 7644 §3.3–§3.6).

use scimsim::scim::{Schema, urn};
use scimsim::server::{Extension, ServerConfig};
use serde_json::{Value, json};

use crate::util::{Reply, TestServer, id};

fn user_path(id: &str) -> String {
    format!("/Users/{id}")
}

/// `/Users?filter=…` with the filter form-encoded.
fn filter_path(filter: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new()).append_pair("filter", filter).finish();
    format!("/Users?{query}")
}

fn version(resource: &Value) -> &str {
    resource["meta"]["version"].as_str().expect("resources carry meta.version")
}

fn last_modified(resource: &Value) -> &str {
    resource["meta"]["lastModified"].as_str().expect("resources carry meta.lastModified")
}

/// The ids of a ListResponse's resources, in order.
fn listed_ids(list: &Value) -> Vec<String> {
    list["Resources"].as_array().map(|items| items.iter().map(id).collect()).unwrap_or_default()
}

/// The URN-qualified path of an enterprise extension attribute (RFC 7644 §3.10).
fn enterprise(attribute: &str) -> String {
    format!("{}:{attribute}", urn::ENTERPRISE_USER)
}

/// Creates a user from `body`, expecting `201`.
async fn post_user(server: &TestServer, body: &Value) -> Value {
    server.post("/Users", body).await.expect(201).body
}

/// Fetches user `id`, expecting `200`.
async fn get_user(server: &TestServer, id: &str) -> Value {
    server.get(&user_path(id)).await.expect(200).body
}

/// Sends a PATCH and expects a SCIM error with `status` and `scim_type`.
async fn patch_error(server: &TestServer, id: &str, operations: Value, status: u16, scim_type: &str) -> Reply {
    server.patch(&user_path(id), &operations).await.expect_error(status, Some(scim_type))
}

// ---------------------------------------------------------------------------------------
// Create and read
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn create_answers_201_with_location_etag_and_meta() {
    let server = TestServer::start().await;
    let body = json!({
        "schemas": [urn::USER],
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "title": "Tour Guide"
    });
    let created = server.post("/Users", &body).await.expect(201);
    let user = &created.body;
    let user_id = id(user);
    assert!(!user_id.is_empty());
    assert_eq!(user["schemas"], json!([urn::USER]));
    assert_eq!(user["userName"], "bjensen");
    assert_eq!(user["name"], json!({"givenName": "Barbara", "familyName": "Jensen"}));
    assert_eq!(user["title"], "Tour Guide");

    // RFC 7643 §3.1: meta.resourceType, created, lastModified, location, version.
    let meta = &user["meta"];
    assert_eq!(meta["resourceType"], "User");
    assert_eq!(meta["location"], json!(server.url(&user_path(&user_id))));
    assert!(meta["created"].is_string() && meta["version"].is_string(), "{meta:#}");
    assert_eq!(meta["lastModified"], meta["created"], "RFC 7643 §3.1: never modified, so lastModified = created");

    // RFC 7644 §3.3: Location is the resource's URI; §3.14: ETag is its version.
    assert_eq!(created.header("location"), meta["location"].as_str());
    assert_eq!(created.header("etag"), meta["version"].as_str());

    let read = server.get(&user_path(&user_id)).await.expect(200);
    assert_eq!(read.body, *user, "GET returns the representation POST returned");
    assert_eq!(read.header("etag"), meta["version"].as_str());
}

#[tokio::test]
async fn entra_create_body_is_accepted_as_sent() {
    let server = TestServer::start().await;
    // entra-wire.md §1.2, Microsoft's sample POST (SCIM-TUT "Create User").
    let body = json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
        "active": true,
        "emails": [{
            "primary": true,
            "type": "work",
            "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"
        }],
        "meta": {"resourceType": "User"},
        "name": {
            "formatted": "givenName familyName",
            "familyName": "familyName",
            "givenName": "givenName"
        },
        "roles": []
    });
    let user = post_user(&server, &body).await;
    let user_id = id(&user);
    for key in ["externalId", "userName", "active", "emails", "name"] {
        assert_eq!(user[key], body[key], "{key} is returned exactly as sent");
    }
    // RFC 7644 §3.3: readOnly `meta` in the request is ignored; the server fills its own.
    assert_eq!(user["meta"]["location"], json!(server.url(&user_path(&user_id))));
    assert!(user["meta"]["created"].is_string());
    // RFC 7643 §2.5: an empty array is unassigned.
    assert!(user.get("roles").is_none(), "roles: [] is unassigned: {user:#}");
    // RFC 7643 §3: schemas lists the extensions the resource carries; none here.
    assert_eq!(user["schemas"], json!([urn::USER]));
    assert!(user.get(urn::ENTERPRISE_USER).is_none());
    assert_eq!(get_user(&server, &user_id).await, user);

    // The same body with enterprise data gets the enterprise URN.
    let mut with_department = body.clone();
    with_department["userName"] = json!("Test_User_2");
    with_department[urn::ENTERPRISE_USER] = json!({"department": "Retail"});
    let user = post_user(&server, &with_department).await;
    assert_eq!(user["schemas"], json!([urn::USER, urn::ENTERPRISE_USER]));
    assert_eq!(user[urn::ENTERPRISE_USER], json!({"department": "Retail"}));
}

#[tokio::test]
async fn okta_create_body_is_accepted() {
    let server = TestServer::start().await;
    // okta-wire.md §1.3, the documented POST /Users.
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "test.user@okta.local",
        "name": {"givenName": "Test", "familyName": "User"},
        "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work"}],
        "displayName": "Test User",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": true
    });
    let user = post_user(&server, &body).await;
    for key in ["userName", "name", "emails", "displayName", "locale", "externalId", "active"] {
        assert_eq!(user[key], body[key], "{key} is returned exactly as sent");
    }
    // RFC 7643 §4.1: groups is readOnly (ignored in requests) and password is returned never.
    assert!(user.get("groups").is_none(), "{user:#}");
    assert!(user.get("password").is_none(), "{user:#}");
    assert_eq!(get_user(&server, &id(&user)).await, user);
}

// ---------------------------------------------------------------------------------------
// userName uniqueness (RFC 7643 §4.1.1: unique, case-insensitive; RFC 7644 §3.3: 409)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn user_name_is_unique_case_insensitively_on_post() {
    let server = TestServer::start().await;
    server.create_user("bjensen").await;
    let reply = server
        .post("/Users", &json!({"schemas": [urn::USER], "userName": "BJensen"}))
        .await
        .expect_error(409, Some("uniqueness"));
    assert!(reply.detail().contains("userName"), "{}", reply.detail());
    let all = server.get("/Users").await.expect(200).body;
    assert_eq!(all["totalResults"], 1, "the conflicting user was not created");
}

#[tokio::test]
async fn user_name_is_unique_on_put_of_another_user() {
    let server = TestServer::start().await;
    server.create_user("bjensen").await;
    let other = server.create_user("jsmith").await;
    let reply = server
        .put(&user_path(&id(&other)), &json!({"schemas": [urn::USER], "userName": "BJENSEN"}))
        .await
        .expect_error(409, Some("uniqueness"));
    assert!(reply.detail().contains("userName"), "{}", reply.detail());
    assert_eq!(get_user(&server, &id(&other)).await, other, "the failed PUT changed nothing");
}

#[tokio::test]
async fn user_name_is_unique_on_patch_of_another_user() {
    let server = TestServer::start().await;
    let bjensen = server.create_user("bjensen").await;
    let other = server.create_user("jsmith").await;
    let reply = patch_error(
        &server,
        &id(&other),
        json!([{"op": "replace", "path": "userName", "value": "bJensen"}]),
        409,
        "uniqueness",
    )
    .await;
    assert!(reply.detail().contains("userName"), "{}", reply.detail());
    assert_eq!(get_user(&server, &id(&other)).await, other, "the failed PATCH changed nothing");

    // A user may change the case of its own userName: the value is not held by anyone else.
    let renamed = server
        .patch(&user_path(&id(&bjensen)), &json!([{"op": "replace", "path": "userName", "value": "BJensen"}]))
        .await
        .expect(200)
        .body;
    assert_eq!(renamed["userName"], "BJensen");
}

// ---------------------------------------------------------------------------------------
// Request validation (RFC 7643 §2, §3; RFC 7644 §3.3, §3.12)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn missing_user_name_is_invalid_value() {
    let server = TestServer::start().await;
    let reply = server
        .post("/Users", &json!({"schemas": [urn::USER], "displayName": "No Name"}))
        .await
        .expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("userName"), "{}", reply.detail());
}

#[tokio::test]
async fn missing_or_wrong_schemas_is_invalid_value() {
    let server = TestServer::start().await;
    // RFC 7643 §3: `schemas` is REQUIRED and must list the core schema.
    let reply = server.post("/Users", &json!({"userName": "bjensen"})).await.expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("schemas"), "{}", reply.detail());
    let reply = server
        .post("/Users", &json!({"schemas": [urn::GROUP], "userName": "bjensen"}))
        .await
        .expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains(urn::USER), "{}", reply.detail());
    assert_eq!(server.get("/Users").await.expect(200).body["totalResults"], 0);
}

#[tokio::test]
async fn unknown_attribute_is_named_with_a_suggestion() {
    let server = TestServer::start().await;
    let reply = server
        .post("/Users", &json!({"schemas": [urn::USER], "userName": "bjensen", "titel": "Tour Guide"}))
        .await
        .expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("\"titel\""), "{}", reply.detail());
    assert!(reply.detail().contains("\"title\""), "suggests the close name: {}", reply.detail());

    let reply = server
        .post("/Users", &json!({"schemas": [urn::USER], "userName": "bjensen", "name": {"gvenName": "Barbara"}}))
        .await
        .expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("\"gvenName\""), "{}", reply.detail());
    assert!(reply.detail().contains("\"givenName\""), "{}", reply.detail());
    assert_eq!(server.get("/Users").await.expect(200).body["totalResults"], 0);
}

#[tokio::test]
async fn wrong_json_types_are_invalid_value() {
    let server = TestServer::start().await;
    // RFC 7643 §2.3.1: userName is a string.
    let reply = server
        .post("/Users", &json!({"schemas": [urn::USER], "userName": 5}))
        .await
        .expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("userName"), "{}", reply.detail());
    // RFC 7643 §2.4: emails is multi-valued, so a JSON array.
    let reply = server
        .post("/Users", &json!({"schemas": [urn::USER], "userName": "bjensen", "emails": {"value": "b@example.com"}}))
        .await
        .expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("emails"), "{}", reply.detail());
    assert_eq!(server.get("/Users").await.expect(200).body["totalResults"], 0);
}

#[tokio::test]
async fn id_in_the_post_body_is_ignored() {
    let server = TestServer::start().await;
    // RFC 7643 §3.1: id is assigned by the service provider; RFC 7644 §3.3 ignores readOnly.
    let user =
        post_user(&server, &json!({"schemas": [urn::USER], "id": "chosen-by-client", "userName": "bjensen"})).await;
    assert_ne!(user["id"], "chosen-by-client");
    get_user(&server, &id(&user)).await;
    server.get(&user_path("chosen-by-client")).await.expect_error(404, None);
}

#[tokio::test]
async fn string_booleans_are_stored_as_json_booleans() {
    let server = TestServer::start().await;
    // entra-wire.md §1.5 and §2: Entra legacy sends booleans as "True"/"False".
    let user = post_user(
        &server,
        &json!({
            "schemas": [urn::USER],
            "userName": "bjensen",
            "active": "False",
            "emails": [{"value": "b@example.com", "type": "work", "primary": "True"}]
        }),
    )
    .await;
    assert_eq!(user["active"], json!(false));
    assert_eq!(user["emails"], json!([{"value": "b@example.com", "type": "work", "primary": true}]));
    assert_eq!(get_user(&server, &id(&user)).await["active"], json!(false));
}

// ---------------------------------------------------------------------------------------
// PUT (RFC 7644 §3.5.1)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn put_replaces_the_resource_and_keeps_the_write_only_password() {
    let server = TestServer::start().await;
    let user = post_user(
        &server,
        &json!({
            "schemas": [urn::USER],
            "userName": "bjensen",
            "name": {"givenName": "Barbara"},
            "title": "Tour Guide",
            "nickName": "Babs",
            "password": "t1meMa$heen"
        }),
    )
    .await;
    let path = user_path(&id(&user));
    let replacement = json!({"schemas": [urn::USER], "userName": "bjensen", "displayName": "Babs Jensen"});
    let replaced = server.put(&path, &replacement).await.expect(200);
    assert_eq!(replaced.header("etag"), replaced.body["meta"]["version"].as_str());
    let replaced = replaced.body;
    // Omitted readWrite attributes are cleared.
    for cleared in ["name", "title", "nickName"] {
        assert!(replaced.get(cleared).is_none(), "{cleared} was not in the PUT: {replaced:#}");
    }
    assert_eq!(replaced["displayName"], "Babs Jensen");
    assert!(replaced.get("password").is_none(), "password is returned never (RFC 7643 §4.1.1)");
    assert_eq!(replaced["meta"]["created"], user["meta"]["created"]);
    assert_ne!(version(&replaced), version(&user));
    assert_eq!(get_user(&server, &id(&user)).await, replaced);

    // The password was kept: sending the same password again changes nothing, so the version
    // stays; a different password is a change.
    let mut same_password = replacement.clone();
    same_password["password"] = json!("t1meMa$heen");
    let again = server.put(&path, &same_password).await.expect(200).body;
    assert_eq!(version(&again), version(&replaced), "the password was kept by the first PUT");
    let mut new_password = replacement;
    new_password["password"] = json!("n3w-Secret");
    let changed = server.put(&path, &new_password).await.expect(200).body;
    assert_ne!(version(&changed), version(&replaced), "a new password is a change");
}

#[tokio::test]
async fn okta_put_echoing_id_meta_and_groups_is_accepted() {
    let server = TestServer::start().await;
    let user = server.create_user("jane.doe@example.com").await;
    let user_id = id(&user);
    let group = server.create_group("Everyone", &[&user_id]).await;
    let user = get_user(&server, &user_id).await;
    let memberships = json!([{
        "value": id(&group),
        "$ref": server.url(&format!("/Groups/{}", id(&group))),
        "display": "Everyone",
        "type": "direct"
    }]);
    assert_eq!(user["groups"], memberships);
    // okta-wire.md §1.4, the 2018 capture of Okta's PUT: it echoes id, meta, groups, password.
    let body = json!({
        "id": user_id,
        "externalId": "00uq2kqg7YTkFo3cY0g3",
        "meta": {"resourceType": "User", "created": "04-12-2018 00:00:00", "lastModified": "04-12-2018 00:00:00", "version": "v1.0"},
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "jane.doe@example.com", "displayName": "Jane Doe", "locale": "en_US", "active": true,
        "password": "TkdFNVdIVkxhM2c9",
        "emails": [{"value": "jane.doe@example.com", "type": "work", "primary": true}],
        "name": {"familyName": "Doe", "givenName": "Jane"}, "groups": []
    });
    let replaced = server.put(&user_path(&user_id), &body).await.expect(200).body;
    for key in ["externalId", "userName", "displayName", "locale", "active", "emails", "name"] {
        assert_eq!(replaced[key], body[key], "{key}");
    }
    // RFC 7644 §3.5.1: readOnly values in the body are ignored.
    assert_eq!(replaced["meta"]["created"], user["meta"]["created"]);
    assert_ne!(replaced["meta"]["version"], "v1.0");
    assert_eq!(replaced["groups"], memberships, "the server keeps groups; the echoed [] is ignored");
    assert_eq!(get_user(&server, &user_id).await, replaced);
}

#[tokio::test]
async fn put_of_an_unknown_id_is_404() {
    let server = TestServer::start().await;
    server
        .put(&user_path("no-such-user"), &json!({"schemas": [urn::USER], "userName": "bjensen"}))
        .await
        .expect_error(404, None);
    assert_eq!(server.get("/Users").await.expect(200).body["totalResults"], 0, "PUT does not create");
}

#[tokio::test]
async fn put_cannot_change_the_id() {
    let server = TestServer::start().await;
    let user = server.create_user("bjensen").await;
    let user_id = id(&user);
    let body = json!({"schemas": [urn::USER], "id": "another-id", "userName": "bjensen", "title": "Guide"});
    let replaced = server.put(&user_path(&user_id), &body).await.expect(200).body;
    assert_eq!(replaced["id"], json!(user_id), "RFC 7643 §3.1: id is readOnly");
    assert_eq!(replaced["title"], "Guide");
    assert_eq!(get_user(&server, &user_id).await, replaced);
    server.get(&user_path("another-id")).await.expect_error(404, None);
}

// ---------------------------------------------------------------------------------------
// PATCH (RFC 7644 §3.5.2)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn entra_legacy_disable_with_string_false() {
    let server = TestServer::start().await;
    let user = server.create_user("bjensen").await;
    let path = user_path(&id(&user));
    // entra-wire.md §1.5 / §2, legacy column: PascalCase op and a string boolean.
    let reply = server.patch(&path, &json!([{"op": "Replace", "path": "active", "value": "False"}])).await.expect(200);
    assert_eq!(reply.body["active"], json!(false));
    assert_eq!(reply.body["userName"], "bjensen", "200 carries the full resource");
    assert_eq!(reply.header("etag"), reply.body["meta"]["version"].as_str());
    assert_ne!(version(&reply.body), version(&user), "the version changes with the resource");
    assert_eq!(get_user(&server, &id(&user)).await, reply.body);

    // entra-wire.md §1.6: re-enable with "True".
    let enabled =
        server.patch(&path, &json!([{"op": "Replace", "path": "active", "value": "True"}])).await.expect(200).body;
    assert_eq!(enabled["active"], json!(true));
}

#[tokio::test]
async fn entra_path_less_replace_with_dotted_and_urn_keys() {
    let server = TestServer::start().await;
    let user = post_user(
        &server,
        &json!({
            "schemas": [urn::USER],
            "userName": "bjensen",
            "displayName": "Old",
            "name": {"givenName": "Barbara", "familyName": "Jensen", "middleName": "J"},
            "emails": [{"value": "old@example.com", "type": "work", "primary": true}]
        }),
    )
    .await;
    // entra-wire.md §1.3, the aadOptscim062020 form of an update.
    let ops = json!([
        {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "TestBcwqnm@test.microsoft.com"},
        {"op": "replace", "value": {
            "displayName": "Pvlo",
            "name.givenName": "Ysmwr",
            "name.familyName": "Hpwy",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Eqpj"}}
    ]);
    let patched = server.patch(&user_path(&id(&user)), &ops).await.expect(200).body;
    assert_eq!(patched["displayName"], "Pvlo");
    assert_eq!(patched["name"], json!({"givenName": "Ysmwr", "familyName": "Hpwy", "middleName": "J"}));
    assert_eq!(patched[urn::ENTERPRISE_USER], json!({"employeeNumber": "Eqpj"}));
    assert_eq!(patched["schemas"], json!([urn::USER, urn::ENTERPRISE_USER]));
    assert_eq!(patched["emails"], json!([{"value": "TestBcwqnm@test.microsoft.com", "type": "work", "primary": true}]));
    assert_eq!(get_user(&server, &id(&user)).await, patched);
}

#[tokio::test]
async fn filtered_add_creates_the_missing_element() {
    let server = TestServer::start().await;
    let user = server.create_user("bjensen").await;
    // RFC 7644 erratum 8097; entra-wire.md §1.3: Add on a filter that matches no element.
    let ops = json!([{"op": "Add", "path": "emails[type eq \"work\"].value", "value": "bjensen@example.com"}]);
    let patched = server.patch(&user_path(&id(&user)), &ops).await.expect(200).body;
    assert_eq!(patched["emails"], json!([{"type": "work", "value": "bjensen@example.com"}]));
    assert_eq!(get_user(&server, &id(&user)).await["emails"], patched["emails"]);

    // Once the element exists, the same path updates it rather than adding a second one.
    let ops = json!([{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "babs@example.com"}]);
    let patched = server.patch(&user_path(&id(&user)), &ops).await.expect(200).body;
    assert_eq!(patched["emails"], json!([{"type": "work", "value": "babs@example.com"}]));
}

#[tokio::test]
async fn manager_as_a_bare_string_becomes_a_value_object() {
    let server = TestServer::start().await;
    let manager = server.create_user("boss").await;
    let user = server.create_user("bjensen").await;
    // entra-wire.md §1.3, current traffic: the manager's id as a bare string.
    let ops = json!([{"op": "add", "path": enterprise("manager"), "value": id(&manager)}]);
    let patched = server.patch(&user_path(&id(&user)), &ops).await.expect(200).body;
    assert_eq!(patched[urn::ENTERPRISE_USER], json!({"manager": {"value": id(&manager)}}));
    assert_eq!(patched["schemas"], json!([urn::USER, urn::ENTERPRISE_USER]));
    assert_eq!(get_user(&server, &id(&user)).await, patched);

    // entra-wire.md §1.3: the SCIM Validator removes the manager with a replace to "".
    let ops = json!([{"op": "replace", "path": enterprise("manager"), "value": ""}]);
    let removed = server.patch(&user_path(&id(&user)), &ops).await.expect(200).body;
    assert!(removed.get(urn::ENTERPRISE_USER).is_none(), "{removed:#}");
    assert_eq!(removed["schemas"], json!([urn::USER]), "no enterprise data left");
}

#[tokio::test]
async fn patch_answers_200_with_the_full_resource_and_a_new_etag() {
    let server = TestServer::start().await;
    let user = post_user(&server, &json!({"schemas": [urn::USER], "userName": "bjensen", "title": "Guide"})).await;
    let reply = server
        .patch(&user_path(&id(&user)), &json!([{"op": "add", "path": "nickName", "value": "Babs"}]))
        .await
        .expect(200);
    let patched = &reply.body;
    assert_eq!(patched["nickName"], "Babs");
    assert_eq!(patched["title"], "Guide", "other attributes are untouched");
    assert_eq!(patched["id"], user["id"]);
    assert_eq!(patched["meta"]["created"], user["meta"]["created"]);
    assert_ne!(version(patched), version(&user));
    assert_eq!(reply.header("etag"), Some(version(patched)));
    let read = server.get(&user_path(&id(&user))).await.expect(200);
    assert_eq!(read.body, *patched, "the next GET shows the change");
    assert_eq!(read.header("etag"), Some(version(patched)));
}

#[tokio::test]
async fn patch_that_changes_nothing_keeps_version_and_last_modified() {
    let server = TestServer::start().await;
    let user = post_user(
        &server,
        &json!({
            "schemas": [urn::USER],
            "userName": "bjensen",
            "title": "Guide",
            "emails": [{"value": "b@example.com", "type": "work"}]
        }),
    )
    .await;
    let ops = json!([
        {"op": "replace", "path": "title", "value": "Guide"},
        {"op": "add", "path": "emails", "value": [{"value": "b@example.com", "type": "work"}]}
    ]);
    let reply = server.patch(&user_path(&id(&user)), &ops).await.expect(200);
    assert_eq!(reply.body, user, "nothing changed");
    assert_eq!(version(&reply.body), version(&user));
    assert_eq!(last_modified(&reply.body), last_modified(&user));
    assert_eq!(reply.header("etag"), Some(version(&user)));
    assert_eq!(get_user(&server, &id(&user)).await, user);
}

#[tokio::test]
async fn patch_of_id_is_a_mutability_error() {
    let server = TestServer::start().await;
    let user = server.create_user("bjensen").await;
    // RFC 7644 §3.5.2: a client MUST NOT modify a readOnly attribute.
    patch_error(&server, &id(&user), json!([{"op": "replace", "path": "id", "value": "x"}]), 400, "mutability").await;
    assert_eq!(get_user(&server, &id(&user)).await, user);
}

#[tokio::test]
async fn malformed_patch_path_is_invalid_path_with_a_column() {
    let server = TestServer::start().await;
    let user = server.create_user("bjensen").await;
    // RFC 7644 §3.5.2: a malformed path is invalidPath.
    let reply = patch_error(
        &server,
        &id(&user),
        json!([{"op": "add", "path": "emails[type eq", "value": "x"}]),
        400,
        "invalidPath",
    )
    .await;
    assert!(reply.detail().contains("column"), "{}", reply.detail());
}

#[tokio::test]
async fn remove_without_a_path_is_no_target() {
    let server = TestServer::start().await;
    let user = server.create_user("bjensen").await;
    // RFC 7644 §3.5.2.2: remove without a path is noTarget.
    patch_error(&server, &id(&user), json!([{"op": "remove"}]), 400, "noTarget").await;
}

#[tokio::test]
async fn unknown_op_is_invalid_syntax() {
    let server = TestServer::start().await;
    let user = server.create_user("bjensen").await;
    // RFC 7644 §3.5.2: op is one of add, remove, replace.
    let reply =
        patch_error(&server, &id(&user), json!([{"op": "merge", "path": "title", "value": "x"}]), 400, "invalidSyntax")
            .await;
    assert!(reply.detail().contains("merge"), "{}", reply.detail());
    assert_eq!(get_user(&server, &id(&user)).await, user);
}

#[tokio::test]
async fn patch_of_an_unknown_id_is_404() {
    let server = TestServer::start().await;
    server
        .patch(&user_path("no-such-user"), &json!([{"op": "replace", "path": "title", "value": "x"}]))
        .await
        .expect_error(404, None);
}

#[tokio::test]
async fn patch_is_atomic() {
    let server = TestServer::start().await;
    let user = post_user(&server, &json!({"schemas": [urn::USER], "userName": "bjensen", "title": "Guide"})).await;
    // RFC 7644 §3.5.2: if any operation fails, the resource is left unchanged.
    let ops = json!([
        {"op": "replace", "path": "title", "value": "Changed"},
        {"op": "replace", "path": "nope", "value": 1}
    ]);
    let reply = server.patch(&user_path(&id(&user)), &ops).await.expect_error(400, Some("invalidPath"));
    assert!(reply.detail().contains("nope"), "{}", reply.detail());
    let read = get_user(&server, &id(&user)).await;
    assert_eq!(read["title"], "Guide", "the first operation was not applied");
    assert_eq!(read, user);
}

// ---------------------------------------------------------------------------------------
// DELETE (RFC 7644 §3.6) and soft delete
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_answers_204_and_the_user_is_gone() {
    let server = TestServer::start().await;
    let user = server.create_user("bjensen").await;
    let path = user_path(&id(&user));
    let deleted = server.delete(&path).await.expect(204);
    assert_eq!(deleted.body, Value::Null, "204 has no body");
    let reply = server.get(&path).await.expect_error(404, None);
    assert!(reply.detail().contains(&id(&user)), "{}", reply.detail());
    server.delete(&path).await.expect_error(404, None);
    assert_eq!(server.get("/Users").await.expect(200).body["totalResults"], 0);
    // The userName is free again.
    server.create_user("bjensen").await;
}

#[tokio::test]
async fn soft_deleted_user_is_still_returned_and_found() {
    let server = TestServer::start().await;
    let user = server.create_user("Test_User_soft").await;
    server.create_user("someone.else").await;
    let user_id = id(&user);
    // entra-wire.md §1.5: disable is a PATCH of active; the user must still be returned.
    server
        .patch(&user_path(&user_id), &json!([{"op": "Replace", "path": "active", "value": "False"}]))
        .await
        .expect(200);
    assert_eq!(get_user(&server, &user_id).await["active"], json!(false));

    let inactive = server.get(&filter_path("active eq false")).await.expect(200).body;
    assert_eq!(inactive["totalResults"], 1);
    assert_eq!(listed_ids(&inactive), [user_id.as_str()]);

    let by_name = server.get(&filter_path("userName eq \"Test_User_soft\"")).await.expect(200).body;
    assert_eq!(by_name["totalResults"], 1);
    assert_eq!(listed_ids(&by_name), [user_id]);
    assert_eq!(by_name["Resources"][0]["active"], json!(false));
}

#[tokio::test]
async fn okta_path_less_deactivate_and_reactivate() {
    let server = TestServer::start().await;
    let user = server.create_user("test.user@okta.local").await;
    let path = user_path(&id(&user));
    // okta-wire.md §1.6: deactivation is a path-less replace with a value object.
    let deactivated =
        server.patch(&path, &json!([{"op": "replace", "value": {"active": false}}])).await.expect(200).body;
    assert_eq!(deactivated["active"], json!(false));
    // okta-wire.md §1.7: after active=false, GET /Users/{id} still answers 200.
    assert_eq!(get_user(&server, &id(&user)).await, deactivated);
    // okta-wire.md §1.8: reactivation.
    let reactivated =
        server.patch(&path, &json!([{"op": "replace", "value": {"active": true}}])).await.expect(200).body;
    assert_eq!(reactivated["active"], json!(true));
    assert_eq!(reactivated["userName"], "test.user@okta.local");
}

// ---------------------------------------------------------------------------------------
// Extension schemas (RFC 7643 §3.3)
// ---------------------------------------------------------------------------------------

const ACME: &str = "urn:example:params:scim:schemas:extension:acme:2.0:User";

async fn server_with_user_extension(schema: &str) -> TestServer {
    let schema = Schema::from_json(schema).expect("the test schema is valid");
    TestServer::with_config(ServerConfig { extensions: vec![Extension::new("User", schema)], ..Default::default() })
        .await
}

#[tokio::test]
async fn custom_extension_values_round_trip_exactly() {
    let schema = json!({
        "id": ACME,
        "name": "AcmeUser",
        "attributes": [
            {"name": "badge", "type": "string"},
            {"name": "level", "type": "integer"},
            {"name": "score", "type": "decimal"},
            {"name": "remote", "type": "boolean"},
            {"name": "hiredAt", "type": "dateTime"},
            {"name": "desk", "type": "complex", "subAttributes": [
                {"name": "building", "type": "string"},
                {"name": "floor", "type": "integer"}
            ]},
            {"name": "skills", "type": "string", "multiValued": true}
        ]
    });
    let server = server_with_user_extension(&schema.to_string()).await;
    let values = json!({
        "badge": "B-042",
        "level": 7,
        "score": 4.75,
        "remote": true,
        "hiredAt": "2021-03-04T05:06:07.250+02:00",
        "desk": {"building": "North", "floor": 3},
        "skills": ["rust", "scim"]
    });
    let user =
        post_user(&server, &json!({"schemas": [urn::USER, ACME], "userName": "bjensen", (ACME): values.clone()})).await;
    assert_eq!(user[ACME], values, "every value comes back as sent, the dateTime text unchanged");
    assert_eq!(user["schemas"], json!([urn::USER, ACME]));
    assert_eq!(get_user(&server, &id(&user)).await[ACME], values);
}

const OMNI: &str = "urn:omni:params:1.0:UserAttribute";

#[tokio::test]
async fn vendor_urn_attribute_is_written_by_post_and_patch_and_filtered() {
    let schema = json!({"id": OMNI, "attributes": [{"name": "blob_entity", "type": "string"}]});
    let server = server_with_user_extension(&schema.to_string()).await;
    // entra-wire.md §1.2: Entra sends custom-extension objects without listing their URN in
    // `schemas`; the server lists it in the response because the resource carries it.
    let alpha = post_user(
        &server,
        &json!({"schemas": [urn::USER], "userName": "alpha", (OMNI): {"blob_entity": "blob-alpha"}}),
    )
    .await;
    assert_eq!(alpha[OMNI], json!({"blob_entity": "blob-alpha"}));
    assert_eq!(alpha["schemas"], json!([urn::USER, OMNI]));

    let beta = server.create_user("beta").await;
    let ops = json!([{"op": "Add", "path": "urn:omni:params:1.0:UserAttribute:blob_entity", "value": "blob-beta"}]);
    let patched = server.patch(&user_path(&id(&beta)), &ops).await.expect(200).body;
    assert_eq!(patched[OMNI], json!({"blob_entity": "blob-beta"}));
    assert_eq!(patched["schemas"], json!([urn::USER, OMNI]));
    assert_eq!(get_user(&server, &id(&beta)).await, patched);

    // RFC 7644 §3.10: URN-qualified attribute paths in filters.
    for (value, expected) in [("blob-beta", &beta), ("blob-alpha", &alpha)] {
        let found = server
            .get(&filter_path(&format!("urn:omni:params:1.0:UserAttribute:blob_entity eq \"{value}\"")))
            .await
            .expect(200)
            .body;
        assert_eq!(found["totalResults"], 1, "{found:#}");
        assert_eq!(listed_ids(&found), [id(expected)]);
    }
}
