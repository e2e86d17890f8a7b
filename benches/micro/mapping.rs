//! Evaluating Entra's attribute mappings for one source user, as every cycle does for every
//! user in scope: the default mapping set of a non-gallery app, and two expression mappings.

use std::collections::BTreeMap;
use std::sync::Arc;

use divan::Bencher;
use scimsim::idp::app::{Mapping, MappingSource};
use scimsim::idp::directory::{Assignment, Directory, SourceObject};
use scimsim::idp::entra::SourceView;
use scimsim::idp::entra::defaults::user_mapping;
use scimsim::idp::entra::expression::Expression;
use scimsim::idp::mapping::{Flow, evaluate};
use serde_json::{Value, json};

/// A directory holding one typical employee, and that employee's id.
fn employee() -> (Directory, String) {
    let attributes: BTreeMap<String, Value> = [
        ("userPrincipalName", json!("alice@contoso.com")),
        ("mailNickname", json!("alice")),
        ("givenName", json!("Alice")),
        ("surname", json!("Smith")),
        ("displayName", json!("Alice Smith")),
        ("mail", json!("alice@contoso.com")),
        ("jobTitle", json!("Engineer")),
        ("department", json!("Research")),
        ("employeeId", json!("701984")),
        ("telephoneNumber", json!("+1 425 555 0100")),
        ("streetAddress", json!("1 Microsoft Way")),
        ("postalCode", json!("98052")),
        ("usageLocation", json!("DE")),
        ("accountEnabled", json!(true)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value))
    .collect();
    let mut directory = Directory::default();
    let id = directory.add_user("alice", attributes).expect("a new alias");
    (directory, id)
}

/// Evaluates `mappings` for the employee as Entra does when creating the user.
fn bench_mappings(bencher: Bencher<'_, '_>, mappings: &[Mapping]) {
    let (directory, id) = employee();
    let access = Assignment::default_access();
    let user: &SourceObject = directory.get(&id).expect("the employee");
    bencher.bench(|| {
        let view = SourceView::new(user, false, vec![&access]);
        mappings.iter().map(|m| evaluate(m, &view, true).expect("the mapping evaluates")).collect::<Vec<Flow>>()
    });
}

fn expression(text: &str) -> [Mapping; 1] {
    let parsed = Expression::parse(text).expect("a valid expression");
    [Mapping::new(MappingSource::Expression(Arc::new(parsed)), "target")]
}

/// The 20 default user mappings (direct ones, `Switch` for `active`, `Join` for
/// `name.formatted`, `AppRoleAssignmentsComplex` for `roles`).
#[divan::bench]
fn entra_defaults(bencher: Bencher<'_, '_>) {
    bench_mappings(bencher, &user_mapping().mappings);
}

/// `Join("@", [mailNickname], "contoso.com")`.
#[divan::bench]
fn join(bencher: Bencher<'_, '_>) {
    bench_mappings(bencher, &expression(r#"Join("@", [mailNickname], "contoso.com")"#));
}

/// A `Switch` over a country code with four cases and a default.
#[divan::bench]
fn switch(bencher: Bencher<'_, '_>) {
    let text =
        r#"Switch([usageLocation], "Other", "US", "United States", "DE", "Germany", "FR", "France", "JP", "Japan")"#;
    bench_mappings(bencher, &expression(text));
}
