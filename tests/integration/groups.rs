//! `/Groups`: creation, membership and renames with the bodies Entra ID and Okta send, and the
//! read-only `groups` attribute the server maintains on users (RFC 7643 §4.1.2, §4.2;
//! RFC 7644 §3.5.2).

use scimsim::scim::urn;
use serde_json::{Value, json};

use crate::util::{TestServer, id};

fn group_path(id: &str) -> String {
    format!("/Groups/{id}")
}

fn user_path(id: &str) -> String {
    format!("/Users/{id}")
}

fn version(resource: &Value) -> &str {
    resource["meta"]["version"].as_str().expect("resources carry meta.version")
}

/// The member ids of a group, in order; empty when `members` is absent (RFC 7643 §2.5:
/// unassigned and empty are the same).
fn member_ids(group: &Value) -> Vec<String> {
    match group.get("members") {
        None => Vec::new(),
        Some(members) => members
            .as_array()
            .expect("members is an array")
            .iter()
            .map(|m| m["value"].as_str().expect("every member has a value").to_string())
            .collect(),
    }
}

/// Entra's member array: `[{"$ref": null, "value": id}, …]` (entra-wire.md §1.10).
fn entra_members(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"$ref": null, "value": id})).collect())
}

async fn get_group(server: &TestServer, id: &str) -> Value {
    server.get(&group_path(id)).await.expect(200).body
}

async fn patch_group(server: &TestServer, id: &str, operations: Value) -> Value {
    server.patch(&group_path(id), &operations).await.expect(200).body
}

/// A group holding users `a`, `b` and `c`, and their ids.
async fn group_of_three(server: &TestServer) -> (String, [String; 3]) {
    let users =
        [id(&server.create_user("a").await), id(&server.create_user("b").await), id(&server.create_user("c").await)];
    let [a, b, c] = &users;
    let group = id(&server.create_group("Three", &[a, b, c]).await);
    (group, users)
}

// ---------------------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn entra_create_group_body_is_accepted() {
    let server = TestServer::start().await;
    let match_query = "/Groups?excludedAttributes=members&filter=displayName%20eq%20%22displayName%22";
    // entra-wire.md §1.9 step 1: the match query finds nothing yet.
    let before = server.get(match_query).await.expect(200).body;
    assert_eq!(before["totalResults"], 0);

    // entra-wire.md §1.9 step 2, with Microsoft's ADSCIM URN and a request meta.
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
                    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "displayName": "displayName",
        "meta": {"resourceType": "Group"}
    });
    let created = server.post("/Groups", &body).await.expect(201);
    let group = &created.body;
    let group_id = id(group);
    assert!(!group_id.is_empty());
    assert_eq!(group["schemas"], json!([urn::GROUP]));
    assert_eq!(group["displayName"], "displayName");
    assert_eq!(group["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
    assert_eq!(group["meta"]["resourceType"], "Group");
    assert_eq!(group["meta"]["location"], json!(server.url(&group_path(&group_id))));
    assert_eq!(created.header("location"), group["meta"]["location"].as_str());
    assert_eq!(created.header("etag"), group["meta"]["version"].as_str());
    assert!(member_ids(group).is_empty(), "created empty: {group:#}");
    assert_eq!(get_group(&server, &group_id).await, *group);

    let after = server.get(match_query).await.expect(200).body;
    assert_eq!(after["totalResults"], 1);
    assert_eq!(after["Resources"][0]["id"], json!(group_id));
}

#[tokio::test]
async fn display_name_is_unique_case_insensitively() {
    let server = TestServer::start().await;
    // The server declares displayName unique because Entra matches groups on it
    // (entra-wire.md §1.9 step 5); RFC 7644 §3.3: 409 uniqueness.
    server.create_group("Admins", &[]).await;
    let reply = server
        .post("/Groups", &json!({"schemas": [urn::GROUP], "displayName": "ADMINS"}))
        .await
        .expect_error(409, Some("uniqueness"));
    assert!(reply.detail().contains("displayName"), "{}", reply.detail());

    // Renaming another group to a taken name is refused too.
    let other = server.create_group("Staff", &[]).await;
    let reply = server
        .patch(&group_path(&id(&other)), &json!([{"op": "Replace", "path": "displayName", "value": "admins"}]))
        .await
        .expect_error(409, Some("uniqueness"));
    assert!(reply.detail().contains("displayName"), "{}", reply.detail());
    assert_eq!(get_group(&server, &id(&other)).await, other);
    assert_eq!(server.get("/Groups").await.expect(200).body["totalResults"], 2);
}

// ---------------------------------------------------------------------------------------
// Membership integrity
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_member_that_does_not_exist_is_invalid_value() {
    let server = TestServer::start().await;
    let body = json!({"schemas": [urn::GROUP], "displayName": "Ghosts", "members": [{"value": "no-such-user"}]});
    let reply = server.post("/Groups", &body).await.expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("no-such-user"), "{}", reply.detail());
    assert_eq!(server.get("/Groups").await.expect(200).body["totalResults"], 0);

    let group = server.create_group("Real", &[]).await;
    let reply = server
        .patch(
            &group_path(&id(&group)),
            &json!([{"op": "Add", "path": "members", "value": entra_members(&["ghost-42"])}]),
        )
        .await
        .expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("ghost-42"), "{}", reply.detail());
    assert_eq!(get_group(&server, &id(&group)).await, group);
}

#[tokio::test]
async fn the_server_fills_member_type_and_ref_and_groups_may_nest() {
    let server = TestServer::start().await;
    let user = id(&server.create_user("test.user@okta.local").await);
    let child = id(&server.create_group("Child", &[]).await);
    // okta-wire.md §1.10: the older Okta POST carries members with value and display only.
    let body = json!({
        "schemas": [urn::GROUP],
        "displayName": "Parent",
        "members": [{"value": user, "display": "test.user@okta.local"}, {"value": child}]
    });
    let parent = server.post("/Groups", &body).await.expect(201).body;
    // RFC 7643 §4.2: members carry value, $ref (the member's URI) and type ("User"/"Group").
    let expected = json!([
        {"value": user, "display": "test.user@okta.local", "type": "User", "$ref": server.url(&user_path(&user))},
        {"value": child, "type": "Group", "$ref": server.url(&group_path(&child))}
    ]);
    assert_eq!(parent["members"], expected);
    assert_eq!(get_group(&server, &id(&parent)).await["members"], expected);
}

#[tokio::test]
async fn a_group_cannot_contain_itself() {
    let server = TestServer::start().await;
    let group = server.create_group("Loop", &[]).await;
    let group_id = id(&group);
    let ops = json!([{"op": "add", "path": "members", "value": [{"value": group_id}]}]);
    let reply = server.patch(&group_path(&group_id), &ops).await.expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains(&group_id), "{}", reply.detail());
    assert_eq!(get_group(&server, &group_id).await, group);

    let replace = json!({"schemas": [urn::GROUP], "displayName": "Loop", "members": [{"value": group_id}]});
    server.put(&group_path(&group_id), &replace).await.expect_error(400, Some("invalidValue"));
    assert_eq!(get_group(&server, &group_id).await, group);
}

// ---------------------------------------------------------------------------------------
// Membership PATCH, as Entra and Okta send it
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn entra_legacy_add_of_several_members_and_re_adding_changes_nothing() {
    let server = TestServer::start().await;
    let a = id(&server.create_user("a").await);
    let b = id(&server.create_user("b").await);
    let group = server.create_group("G", &[]).await;
    let group_id = id(&group);
    // entra-wire.md §1.10: legacy Add with "$ref": null, several members in one operation.
    let ops = json!([{"op": "Add", "path": "members", "value": entra_members(&[&a, &b])}]);
    let added = patch_group(&server, &group_id, ops).await;
    assert_eq!(
        added["members"],
        json!([
            {"value": a, "type": "User", "$ref": server.url(&user_path(&a))},
            {"value": b, "type": "User", "$ref": server.url(&user_path(&b))}
        ]),
        "the null $ref is replaced by the member's location"
    );
    assert_ne!(version(&added), version(&group));
    assert_eq!(get_group(&server, &group_id).await, added);

    // RFC 7644 §3.5.2.1: adding a value that is already there changes nothing.
    let ops = json!([{"op": "Add", "path": "members", "value": entra_members(&[&b])}]);
    let again = patch_group(&server, &group_id, ops).await;
    assert_eq!(member_ids(&again), [a, b], "no duplicate");
    assert_eq!(again, added, "nothing changed, not even the version");
}

#[tokio::test]
async fn entra_legacy_remove_with_a_value_array_removes_only_that_member() {
    let server = TestServer::start().await;
    let (group, [a, b, c]) = group_of_three(&server).await;
    // entra-wire.md §2, legacy column (COMPAT's form, without $ref).
    let removed =
        patch_group(&server, &group, json!([{"op": "Remove", "path": "members", "value": [{"value": b}]}])).await;
    assert_eq!(member_ids(&removed), [a.as_str(), c.as_str()]);
    assert_eq!(get_group(&server, &group).await, removed);
    // entra-wire.md §1.10, legacy (SCIM-TUT's form, with "$ref": null).
    let removed =
        patch_group(&server, &group, json!([{"op": "Remove", "path": "members", "value": entra_members(&[&c])}])).await;
    assert_eq!(member_ids(&removed), [a]);
}

#[tokio::test]
async fn filtered_remove_of_one_member() {
    let server = TestServer::start().await;
    let (group, [a, b, c]) = group_of_three(&server).await;
    // entra-wire.md §1.10 / §2, aadOptscim062020 column; okta-wire.md §1.10 (same shape).
    let ops = json!([{"op": "remove", "path": format!("members[value eq \"{a}\"]")}]);
    let removed = patch_group(&server, &group, ops).await;
    assert_eq!(member_ids(&removed), [b, c]);
    assert_eq!(get_group(&server, &group).await, removed);
}

#[tokio::test]
async fn okta_remove_and_add_in_one_request() {
    let server = TestServer::start().await;
    let (group, [a, b, c]) = group_of_three(&server).await;
    let d = id(&server.create_user("test.user@okta.local").await);
    // okta-wire.md §1.10: several operations arrive in one request, members with value+display.
    let ops = json!([
        {"op": "remove", "path": format!("members[value eq \"{b}\"]")},
        {"op": "add", "path": "members", "value": [{"value": d, "display": "test.user@okta.local"}]}
    ]);
    let patched = patch_group(&server, &group, ops).await;
    assert_eq!(member_ids(&patched), [a, c, d]);
}

#[tokio::test]
async fn remove_of_the_members_path_removes_all_members() {
    let server = TestServer::start().await;
    let (group, _) = group_of_three(&server).await;
    // RFC 7644 §3.5.2.2: remove without a filter removes every value of the attribute.
    let emptied = patch_group(&server, &group, json!([{"op": "remove", "path": "members"}])).await;
    assert!(member_ids(&emptied).is_empty(), "{emptied:#}");
    assert!(member_ids(&get_group(&server, &group).await).is_empty());
}

#[tokio::test]
async fn replace_of_members_overwrites_the_list() {
    let server = TestServer::start().await;
    let (group, [a, _, c]) = group_of_three(&server).await;
    let d = id(&server.create_user("d").await);
    // okta-wire.md §1.10, full membership push; RFC 7644 §3.5.2.3.
    let ops = json!([{"op": "replace", "path": "members", "value": [{"value": c, "display": "c"}, {"value": d, "display": "d"}]}]);
    let replaced = patch_group(&server, &group, ops).await;
    assert_eq!(member_ids(&replaced), [c.as_str(), d.as_str()]);
    assert!(!member_ids(&get_group(&server, &group).await).contains(&a));

    // "For an empty group the value is []".
    let emptied = patch_group(&server, &group, json!([{"op": "replace", "path": "members", "value": []}])).await;
    assert!(member_ids(&emptied).is_empty(), "{emptied:#}");
}

#[tokio::test]
async fn removing_a_member_that_is_not_there_changes_nothing() {
    let server = TestServer::start().await;
    let (group_id, [a, b, c]) = group_of_three(&server).await;
    let outsider = id(&server.create_user("outsider").await);
    let group = get_group(&server, &group_id).await;
    for ops in [
        json!([{"op": "remove", "path": format!("members[value eq \"{outsider}\"]")}]),
        json!([{"op": "Remove", "path": "members", "value": [{"value": outsider}]}]),
    ] {
        let reply = patch_group(&server, &group_id, ops.clone()).await;
        assert_eq!(reply, group, "200 and the same group, version included: {ops}");
    }
    let read = get_group(&server, &group_id).await;
    assert_eq!(member_ids(&read), [a, b, c]);
    assert_eq!(read, group);
}

// ---------------------------------------------------------------------------------------
// excludedAttributes=members (entra-wire.md §1.9 steps 1, 4 and 5)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn excluded_attributes_members_omits_members() {
    let server = TestServer::start().await;
    let (group_id, _) = group_of_three(&server).await;
    // RFC 7644 §3.4.2.5.
    let group = server.get(&format!("{}?excludedAttributes=members", group_path(&group_id))).await.expect(200).body;
    assert!(group.get("members").is_none(), "{group:#}");
    assert_eq!(group["displayName"], "Three");
    assert_eq!(group["id"], json!(group_id));

    let list =
        server.get("/Groups?excludedAttributes=members&filter=displayName%20eq%20%22Three%22").await.expect(200).body;
    assert_eq!(list["totalResults"], 1);
    let found = &list["Resources"][0];
    assert_eq!(found["id"], json!(group_id));
    assert_eq!(found["displayName"], "Three");
    assert!(found.get("members").is_none(), "{found:#}");
}

// ---------------------------------------------------------------------------------------
// Rename (entra-wire.md §1.11)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn rename_legacy_and_path_less() {
    let server = TestServer::start().await;
    let (group_id, members) = group_of_three(&server).await;
    let renamed = patch_group(
        &server,
        &group_id,
        json!([{"op": "Replace", "path": "displayName", "value": "Three updatedDisplayName"}]),
    )
    .await;
    assert_eq!(renamed["displayName"], "Three updatedDisplayName");
    assert_eq!(member_ids(&renamed), members, "members are untouched");

    let renamed = patch_group(&server, &group_id, json!([{"op": "replace", "value": {"displayName": "Trio"}}])).await;
    assert_eq!(renamed["displayName"], "Trio");
    assert_eq!(get_group(&server, &group_id).await, renamed);
}

#[tokio::test]
async fn okta_rename_repeating_the_group_id_is_accepted() {
    let server = TestServer::start().await;
    let group = server.create_group("Test SCIMv2", &[]).await;
    let group_id = id(&group);
    // okta-wire.md §1.10, "Rename" (also sent on every membership update): the path-less value
    // repeats the group's own id. RFC 7644 §3.5.2 forbids *modifying* a readOnly attribute;
    // repeating its current value modifies nothing.
    let ops = json!([{"op": "replace", "value": {"id": group_id, "displayName": "New Name"}}]);
    let renamed = server.patch(&group_path(&group_id), &ops).await.expect(200).body;
    assert_eq!(renamed["displayName"], "New Name");
    assert_eq!(renamed["id"], json!(group_id));
}

// ---------------------------------------------------------------------------------------
// The user's readOnly `groups` attribute (RFC 7643 §4.1.2)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn user_groups_attribute_follows_membership() {
    let server = TestServer::start().await;
    let user = server.create_user("bjensen").await;
    let user_id = id(&user);
    let group = server.create_group("Tour Guides", &[]).await;
    let group_id = id(&group);
    let entry = |display: &str| {
        json!([{
            "value": group_id,
            "$ref": server.url(&group_path(&group_id)),
            "display": display,
            "type": "direct"
        }])
    };

    patch_group(&server, &group_id, json!([{"op": "add", "path": "members", "value": [{"value": user_id}]}])).await;
    let member = server.get(&user_path(&user_id)).await.expect(200).body;
    assert_eq!(member["groups"], entry("Tour Guides"));
    assert_ne!(version(&member), version(&user), "the user's representation changed");

    patch_group(&server, &group_id, json!([{"op": "replace", "value": {"displayName": "Guides"}}])).await;
    let member = server.get(&user_path(&user_id)).await.expect(200).body;
    assert_eq!(member["groups"], entry("Guides"), "display follows the rename");

    patch_group(&server, &group_id, json!([{"op": "remove", "path": format!("members[value eq \"{user_id}\"]")}]))
        .await;
    let former = server.get(&user_path(&user_id)).await.expect(200).body;
    assert!(former.get("groups").is_none(), "{former:#}");

    patch_group(&server, &group_id, json!([{"op": "add", "path": "members", "value": [{"value": user_id}]}])).await;
    assert_eq!(server.get(&user_path(&user_id)).await.expect(200).body["groups"], entry("Guides"));
    server.delete(&group_path(&group_id)).await.expect(204);
    let orphan = server.get(&user_path(&user_id)).await.expect(200).body;
    assert!(orphan.get("groups").is_none(), "deleting the group removes the entry: {orphan:#}");
}

#[tokio::test]
async fn a_write_that_changes_nothing_keeps_a_group_members_version() {
    // The server-maintained `groups` is no client change: repeating a member's values by PATCH
    // or PUT leaves its version and lastModified alone (RFC 7644 §3.5.2.1: no change, no new
    // modify timestamp).
    let server = TestServer::start().await;
    let user_id = id(&server.create_user("bjensen").await);
    server.create_group("Tour Guides", &[&user_id]).await;
    let member = server.get(&user_path(&user_id)).await.expect(200).body;
    assert!(member.get("groups").is_some(), "{member:#}");
    let patched = server
        .patch(&user_path(&user_id), &json!([{"op": "replace", "path": "userName", "value": "bjensen"}]))
        .await
        .expect(200)
        .body;
    assert_eq!(patched["meta"], member["meta"]);
    let put = server
        .put(&user_path(&user_id), &json!({"schemas": [urn::USER], "userName": "bjensen"}))
        .await
        .expect(200)
        .body;
    assert_eq!(put["meta"], member["meta"]);
    assert_eq!(put["groups"], member["groups"], "a PUT cannot drop the server-maintained groups");
}

#[tokio::test]
async fn deleting_a_user_removes_it_from_every_group() {
    let server = TestServer::start().await;
    let leaving = id(&server.create_user("leaving").await);
    let staying = id(&server.create_user("staying").await);
    let both = server.create_group("Both", &[&leaving, &staying]).await;
    let alone = server.create_group("Alone", &[&leaving]).await;

    server.delete(&user_path(&leaving)).await.expect(204);

    let both_now = get_group(&server, &id(&both)).await;
    assert_eq!(member_ids(&both_now), [staying]);
    assert_ne!(version(&both_now), version(&both), "the group's representation changed");
    let alone_now = get_group(&server, &id(&alone)).await;
    assert!(member_ids(&alone_now).is_empty(), "{alone_now:#}");
    assert_ne!(version(&alone_now), version(&alone));
}

#[tokio::test]
async fn delete_group_answers_204_then_404() {
    let server = TestServer::start().await;
    let (group_id, [a, _, _]) = group_of_three(&server).await;
    let parent = server.create_group("Parent", &[&group_id, &a]).await;
    // entra-wire.md §1.12; RFC 7644 §3.6.
    let deleted = server.delete(&group_path(&group_id)).await.expect(204);
    assert_eq!(deleted.body, Value::Null, "204 has no body");
    server.get(&group_path(&group_id)).await.expect_error(404, None);
    server.delete(&group_path(&group_id)).await.expect_error(404, None);
    // Its members are still there; only the group is gone (okta-wire.md §1.10 "Unlink").
    let member = server.get(&user_path(&a)).await.expect(200).body;
    let remaining: Vec<&Value> =
        member["groups"].as_array().expect("a is still in Parent").iter().map(|g| &g["value"]).collect();
    assert_eq!(remaining, [&json!(id(&parent))]);
    // A group that contained it no longer lists it.
    let parent_now = get_group(&server, &id(&parent)).await;
    assert_eq!(member_ids(&parent_now), [a]);
    assert_ne!(version(&parent_now), version(&parent));
}
