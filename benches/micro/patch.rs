//! Applying PATCH requests as the reference server does (RFC 7644 §3.5.2): Entra's update of
//! a user with the enterprise extension, and Entra adding 100 members to a group.

use std::sync::Arc;

use divan::Bencher;
use scimsim::idp::entra::Dialect;
use scimsim::idp::entra::dialect::{Change, ChangeKind, add_members_operation, patch_body, user_operations};
use scimsim::scim::{PatchOp, ResourceSchema, apply_patch, canonicalize, urn};
use scimsim::server::{Profile, Registry, Resource, Store};
use serde_json::{Value, json};

use crate::common::entra_user;

/// An empty store of the strict server's types, with its User and Group types.
fn store() -> (Store, Arc<ResourceSchema>, Arc<ResourceSchema>) {
    let registry = Arc::new(Registry::new(Profile::Strict, &[]).expect("the built-in types"));
    let kind = |name: &str| Arc::clone(registry.get(name).expect("a built-in type"));
    let (users, groups) = (kind("User"), kind("Group"));
    (Store::new(registry, "http://127.0.0.1:8080/scim/v2"), users, groups)
}

/// Stores `body` (a POST body) and returns the stored resource.
fn create(store: &Store, kind: &ResourceSchema, body: &Value) -> Resource {
    store.create(kind, canonicalize(kind, body).expect("a valid body")).expect("a new resource")
}

fn change(kind: ChangeKind, path: &str, value: Value) -> Change {
    let mergeable = !path.contains('[');
    Change { kind, path: path.to_string(), value, mergeable }
}

/// Entra's legacy-dialect PATCH after a user's job, name and department changed and the user
/// was disabled: eight operations, one per attribute (entra-wire.md §2).
#[divan::bench]
fn entra_user_update(bencher: Bencher<'_, '_>) {
    let (store, kind, _) = store();
    let user = create(&store, &kind, &entra_user(0));
    let department = format!("{}:department", urn::ENTERPRISE_USER);
    let cost_center = format!("{}:costCenter", urn::ENTERPRISE_USER);
    let changes = [
        change(ChangeKind::Replace, "displayName", json!("Given Newname")),
        change(ChangeKind::Replace, "title", json!("Senior Engineer")),
        change(ChangeKind::Replace, r#"emails[type eq "work"].value"#, json!("given.newname@contoso.com")),
        change(ChangeKind::Replace, "name.familyName", json!("Newname")),
        change(ChangeKind::Replace, "name.formatted", json!("Given Newname")),
        change(ChangeKind::Replace, &department, json!("Research")),
        change(ChangeKind::Add, &cost_center, json!("CC-4711")),
        change(ChangeKind::Replace, "active", json!(false)),
    ];
    let body = patch_body(user_operations(Dialect::Legacy, &Default::default(), &changes));
    let patch = PatchOp::from_json(&body).expect("a valid PATCH");
    bencher.bench(|| apply_patch(&kind, &user, divan::black_box(&patch)).expect("the PATCH applies"));
}

/// Entra's `Add` of 100 members to a group that has none (entra-wire.md §1.10).
#[divan::bench]
fn group_add_100_members(bencher: Bencher<'_, '_>) {
    let (store, users, groups) = store();
    let members: Vec<String> =
        (0..100).map(|n| create(&store, &users, &entra_user(n))["id"].as_str().expect("an id").to_string()).collect();
    let group = create(&store, &groups, &json!({"schemas": [urn::GROUP], "displayName": "Sales"}));
    let body = patch_body(vec![add_members_operation(Dialect::Legacy, &members)]);
    let patch = PatchOp::from_json(&body).expect("a valid PATCH");
    bencher.bench(|| apply_patch(&groups, &group, divan::black_box(&patch)).expect("the PATCH applies"));
}
