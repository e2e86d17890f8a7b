//! Queries against the reference server (RFC 7644 §3.4.2, §3.4.3): filters, paging, sorting,
//! attribute projection and POST `.search`, each proven by which resources come back.

use reqwest::Method;
use scimsim::scim::urn;
use scimsim::server::ServerConfig;
use serde_json::{Value, json};

use crate::util::{Reply, TestServer, id};

/// `urn:…:enterprise:2.0:User:department`, the enterprise attribute the fixtures set.
fn department() -> String {
    format!("{}:department", urn::ENTERPRISE_USER)
}

/// Four users that between them separate every operator:
///
/// | userName | title    | emails (type: value)                            | externalId | department |
/// |----------|----------|-------------------------------------------------|------------|------------|
/// | alice    | Engineer | work: alice@example.com, home: alice@home.org   | Ext-Alice  | Sales      |
/// | bob      | Manager  | home: bob@example.com, work: bob@corp.org       | ext-bob    | Engineering|
/// | Carol    | Engineer | work: carol@example.org                         | —          | Sales      |
/// | dave     | —        | —                                               | —          | —          |
///
/// alice is active, bob inactive, Carol and dave have no `active`. Returns them in creation
/// order.
async fn fixture(t: &TestServer) -> Vec<Value> {
    let bodies = [
        json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "userName": "alice",
            "active": true,
            "externalId": "Ext-Alice",
            "title": "Engineer",
            "name": {"givenName": "Alice", "familyName": "Smith"},
            "emails": [
                {"value": "alice@example.com", "type": "work", "primary": true},
                {"value": "alice@home.org", "type": "home"}
            ],
            (urn::ENTERPRISE_USER): {"department": "Sales", "employeeNumber": "100"}
        }),
        json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "userName": "bob",
            "active": false,
            "externalId": "ext-bob",
            "title": "Manager",
            "name": {"givenName": "Bob", "familyName": "Jones"},
            "emails": [
                {"value": "bob@example.com", "type": "home"},
                {"value": "bob@corp.org", "type": "work"}
            ],
            (urn::ENTERPRISE_USER): {"department": "Engineering", "employeeNumber": "200"}
        }),
        json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "userName": "Carol",
            "title": "Engineer",
            "emails": [{"value": "carol@example.org", "type": "work"}],
            (urn::ENTERPRISE_USER): {"department": "Sales"}
        }),
        json!({"schemas": [urn::USER], "userName": "dave"}),
    ];
    let mut users = Vec::new();
    for body in &bodies {
        users.push(t.post("/Users", body).await.expect(201).body);
    }
    users
}

/// `GET /Users?filter=<filter>`, the filter URL-encoded by the client.
async fn filtered(t: &TestServer, filter: &str) -> Reply {
    TestServer::send(t.request(Method::GET, "/Users").query(&[("filter", filter)])).await
}

/// The `userName`s a list response holds, in order.
fn user_names(reply: &Reply) -> Vec<String> {
    reply.body["Resources"]
        .as_array()
        .unwrap_or_else(|| panic!("a ListResponse has Resources: {:#}", reply.body))
        .iter()
        .map(|r| r["userName"].as_str().expect("users carry userName").to_string())
        .collect()
}

/// The `userName`s `filter` selects.
async fn matching(t: &TestServer, filter: &str) -> Vec<String> {
    let reply = filtered(t, filter).await;
    assert_eq!(reply.status, 200, "filter {filter}: {:#}", reply.body);
    let names = user_names(&reply);
    assert_eq!(reply.body["totalResults"], json!(names.len()), "filter {filter}: {:#}", reply.body);
    names
}

/// Asserts that each filter selects exactly the listed users (in creation order).
async fn assert_filters(t: &TestServer, cases: &[(&str, &[&str])]) {
    for (filter, expected) in cases {
        assert_eq!(matching(t, filter).await, *expected, "filter {filter}");
    }
}

/// `GET /Users?<raw query>` with the query string sent exactly as written.
async fn raw_list(t: &TestServer, raw: &str) -> Reply {
    t.get(&format!("/Users?{raw}")).await
}

// ---------------------------------------------------------------------------------------------
// Filters (RFC 7644 §3.4.2.2)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_comparison_operator_selects_the_right_users() {
    let t = TestServer::start().await;
    fixture(&t).await;
    // RFC 7644 §3.4.2.2, table 3. userName is caseExact false, so comparisons ignore case:
    // "Carol" co "a", sw "c", and orders after "bob" although 'C' < 'b' in code points.
    assert_filters(
        &t,
        &[
            (r#"userName eq "bob""#, &["bob"]),
            // An absent attribute is "not equal" to any value.
            (r#"title ne "Engineer""#, &["bob", "dave"]),
            (r#"userName co "A""#, &["alice", "Carol", "dave"]),
            (r#"userName sw "c""#, &["Carol"]),
            (r#"userName ew "E""#, &["alice", "dave"]),
            (r#"userName gt "bob""#, &["Carol", "dave"]),
            (r#"userName ge "bob""#, &["bob", "Carol", "dave"]),
            (r#"userName lt "bob""#, &["alice"]),
            (r#"userName le "bob""#, &["alice", "bob"]),
            ("title pr", &["alice", "bob", "Carol"]),
            (r#"name.givenName eq "alice""#, &["alice"]),
            // A multi-valued complex attribute compares its `value` (any element matches).
            (r#"emails co "@example.com""#, &["alice", "bob"]),
            (r#"emails.type eq "home""#, &["alice", "bob"]),
        ],
    )
    .await;
}

#[tokio::test]
async fn logical_operators_and_parentheses() {
    let t = TestServer::start().await;
    fixture(&t).await;
    assert_filters(
        &t,
        &[
            (r#"title eq "Engineer" and userName sw "a""#, &["alice"]),
            (r#"userName eq "bob" or userName eq "dave""#, &["bob", "dave"]),
            ("not (title pr)", &["dave"]),
            (r#"not (userName eq "alice" or userName eq "bob")"#, &["Carol", "dave"]),
            // RFC 7644 §3.4.2.2: "and" takes precedence over "or", so this is
            // dave OR (Engineer AND sw "c"), not (dave OR Engineer) AND sw "c".
            (r#"userName eq "dave" or title eq "Engineer" and userName sw "c""#, &["Carol", "dave"]),
            (r#"(userName eq "dave" or title eq "Engineer") and userName sw "c""#, &["Carol"]),
            (r#"title eq "Engineer" and (userName eq "alice" or userName eq "dave")"#, &["alice"]),
        ],
    )
    .await;
}

#[tokio::test]
async fn value_path_requires_both_conditions_on_one_element() {
    let t = TestServer::start().await;
    fixture(&t).await;
    // RFC 7644 §3.4.2.2, valuePath: bob has a work email and an @example.com email, but not
    // one email that is both; only alice's work address is @example.com.
    assert_filters(
        &t,
        &[
            (r#"emails[type eq "work" and value co "@example.com"]"#, &["alice"]),
            // Without the brackets each condition may hold on a different element.
            (r#"emails.type eq "work" and emails.value co "@example.com""#, &["alice", "bob"]),
            (r#"emails[type eq "home" and value co "@example.com"]"#, &["bob"]),
            (r#"emails[not (type eq "work")]"#, &["alice", "bob"]),
        ],
    )
    .await;
}

#[tokio::test]
async fn enterprise_urn_qualified_filter() {
    let t = TestServer::start().await;
    fixture(&t).await;
    // RFC 7644 §3.10: attributes may be qualified by their schema URN.
    let dept = department();
    assert_filters(
        &t,
        &[
            (&format!(r#"{dept} eq "Sales""#), &["alice", "Carol"]),
            (&format!("{}:employeeNumber pr", urn::ENTERPRISE_USER), &["alice", "bob"]),
            (&format!(r#"{}:userName eq "bob""#, urn::USER), &["bob"]),
            // Unqualified, the name is unambiguous, so it resolves to the extension too.
            (r#"department eq "engineering""#, &["bob"]),
        ],
    )
    .await;
}

#[tokio::test]
async fn user_name_matches_regardless_of_case() {
    let t = TestServer::start().await;
    fixture(&t).await;
    // entra-wire.md §5.1, validator test 5 "Filter for an existing user with a different case";
    // userName has caseExact false (RFC 7643 §4.1.1).
    assert_filters(&t, &[(r#"userName eq "ALICE""#, &["alice"]), (r#"userName eq "carol""#, &["Carol"])]).await;
}

#[tokio::test]
async fn external_id_and_id_are_case_exact() {
    let t = TestServer::start().await;
    let users = fixture(&t).await;
    let alice = id(&users[0]);
    // RFC 7643 §3.1: id and externalId are caseExact.
    assert_filters(
        &t,
        &[
            (r#"externalId eq "Ext-Alice""#, &["alice"]),
            (r#"externalId eq "ext-alice""#, &[]),
            (r#"externalId eq "EXT-BOB""#, &[]),
            (&format!(r#"id eq "{alice}""#), &["alice"]),
            (&format!(r#"id eq "{}""#, alice.to_uppercase()), &[]),
        ],
    )
    .await;
    assert_ne!(alice, alice.to_uppercase(), "the id has letters, so the case test means something");
}

#[tokio::test]
async fn attribute_names_and_operators_in_any_case() {
    let t = TestServer::start().await;
    fixture(&t).await;
    // RFC 7644 §3.4.2.2: attribute names and operators are case-insensitive.
    assert_filters(
        &t,
        &[
            (r#"USERNAME EQ "bob""#, &["bob"]),
            (r#"UserName Sw "A" AnD TITLE pR"#, &["alice"]),
            (r#"NOT (Title PR) Or userName EQ "bob""#, &["bob", "dave"]),
            (r#"EMAILS[TYPE eq "work" AND VALUE CO "@example.com"]"#, &["alice"]),
            (&format!(r#"{}:DEPARTMENT EQ "sales""#, urn::ENTERPRISE_USER.to_uppercase()), &["alice", "Carol"]),
        ],
    )
    .await;
}

#[tokio::test]
async fn last_modified_compares_chronologically() {
    let t = TestServer::start().await;
    let mut users = Vec::new();
    for name in ["early", "middle", "late"] {
        users.push(t.create_user(name).await);
        // Timestamps have millisecond precision; keep the three apart.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let stamp = |u: &Value| u["meta"]["lastModified"].as_str().expect("meta.lastModified").to_string();
    let middle = stamp(&users[1]);
    assert_filters(
        &t,
        &[
            (&format!(r#"meta.lastModified gt "{middle}""#), &["late"]),
            (&format!(r#"meta.lastModified ge "{middle}""#), &["middle", "late"]),
            (&format!(r#"meta.lastModified lt "{middle}""#), &["early"]),
            (&format!(r#"meta.lastModified le "{middle}""#), &["early", "middle"]),
        ],
    )
    .await;
    // The same instant written at +14:00 sorts after every "…Z" text of the same day, so only
    // a chronological comparison (RFC 7643 §2.3.5 dateTime) still selects just "late".
    let instant = scimsim::scim::parse_date_time(&middle).expect("the server writes xsd:dateTime");
    let offset = time::UtcOffset::from_hms(14, 0, 0).unwrap();
    let shifted = instant.to_offset(offset).format(&time::format_description::well_known::Rfc3339).unwrap();
    assert!(shifted.as_str() > middle.as_str(), "{shifted} vs {middle}");
    assert_filters(&t, &[(&format!(r#"meta.lastModified gt "{shifted}""#), &["late"])]).await;
}

#[tokio::test]
async fn entra_form_encoded_filter_in_raw_query_string() {
    let t = TestServer::start().await;
    fixture(&t).await;
    t.create_user("x@y.example").await;
    // entra-wire.md §1.1 / §0: `filter=userName+eq+%22…%22`, '+' for spaces, %22 for quotes.
    let reply = raw_list(&t, "filter=userName+eq+%22bob%22").await.expect(200);
    assert_eq!(user_names(&reply), ["bob"]);
    // entra-wire.md §5.1: the validator sends raw quotes and an encoded '@'.
    let reply = raw_list(&t, "filter=userName+eq+\"x%40y.example\"").await.expect(200);
    assert_eq!(user_names(&reply), ["x@y.example"]);
    // okta-wire.md §1.0: percent-encoded spaces, followed by startIndex and count.
    let reply = raw_list(&t, "filter=userName%20eq%20%22ALICE%22&startIndex=1&count=100").await.expect(200);
    assert_eq!(user_names(&reply), ["alice"]);
}

#[tokio::test]
async fn zero_hits_is_an_empty_list_response() {
    let t = TestServer::start().await;
    fixture(&t).await;
    // entra-wire.md §1.1: Test Connection filters on a random GUID and expects 200 with an
    // empty ListResponse (RFC 7644 §3.4.2).
    let reply = raw_list(&t, "filter=userName+eq+%227d420df3-1b6c-4c2e-9a8e-2f3f0c0f4b11%22").await.expect(200);
    assert_eq!(
        reply.body,
        json!({
            "schemas": [urn::LIST_RESPONSE],
            "totalResults": 0,
            "startIndex": 1,
            "itemsPerPage": 0,
            "Resources": []
        })
    );
}

#[tokio::test]
async fn syntax_errors_are_invalid_filter_with_a_column() {
    let t = TestServer::start().await;
    fixture(&t).await;
    // RFC 7644 §3.4.2.2: "If the specified filter is not valid, the server returns 400
    // invalidFilter".
    for filter in [
        "userName eq",
        r#"userName "bob""#,
        r#"(userName eq "bob""#,
        r#"userName eq "bob" title pr"#,
        "not title pr",
        r#"userName eq 'bob'"#,
        r#"userName eq "unterminated"#,
        "active eq True",
        "",
    ] {
        let reply = filtered(&t, filter).await.expect_error(400, Some("invalidFilter"));
        assert!(reply.detail().contains("column"), "filter {filter:?}: {}", reply.detail());
    }
}

#[tokio::test]
async fn unknown_attributes_are_invalid_filter_naming_the_attribute() {
    let t = TestServer::start().await;
    fixture(&t).await;
    for (filter, name) in [
        (r#"nosuchattr eq "x""#, "nosuchattr"),
        ("name.nickname pr", "nickname"),
        (r#"emails[kind eq "work"]"#, "kind"),
        (r#"urn:example:params:scim:schemas:extension:acme:2.0:User:badge eq "1""#, "acme"),
    ] {
        let reply = filtered(&t, filter).await.expect_error(400, Some("invalidFilter"));
        assert!(reply.detail().contains(name), "filter {filter:?}: {}", reply.detail());
    }
}

#[tokio::test]
async fn ordering_a_boolean_is_invalid_filter() {
    let t = TestServer::start().await;
    fixture(&t).await;
    // RFC 7644 §3.4.2.2: gt/ge/lt/le on a boolean "SHALL" be rejected with 400 invalidFilter.
    for filter in ["active gt true", "active le false"] {
        filtered(&t, filter).await.expect_error(400, Some("invalidFilter"));
    }
    // while eq on the same attribute is fine.
    assert_filters(&t, &[("active eq true", &["alice"]), ("active eq false", &["bob"])]).await;
}

// ---------------------------------------------------------------------------------------------
// Paging (RFC 7644 §3.4.2.4)
// ---------------------------------------------------------------------------------------------

/// Five users u1…u5, created in that order.
async fn five_users(t: &TestServer) {
    for i in 1..=5 {
        t.create_user(&format!("u{i}")).await;
    }
}

/// Asserts the paging fields and the users of a page.
fn assert_page(reply: &Reply, total: u64, start: u64, names: &[&str]) {
    assert_eq!(reply.body["schemas"], json!([urn::LIST_RESPONSE]), "{:#}", reply.body);
    assert_eq!(reply.body["totalResults"], json!(total), "{:#}", reply.body);
    assert_eq!(reply.body["startIndex"], json!(start), "{:#}", reply.body);
    assert_eq!(reply.body["itemsPerPage"], json!(names.len()), "{:#}", reply.body);
    assert_eq!(user_names(reply), names, "{:#}", reply.body);
}

#[tokio::test]
async fn first_page_of_two() {
    let t = TestServer::start().await;
    five_users(&t).await;
    // okta-wire.md §1.1: Test API Credentials is GET /Users?startIndex=1&count=2.
    let reply = raw_list(&t, "startIndex=1&count=2").await.expect(200);
    assert_page(&reply, 5, 1, &["u1", "u2"]);
}

#[tokio::test]
async fn second_index_returns_users_two_and_three_in_creation_order() {
    let t = TestServer::start().await;
    five_users(&t).await;
    let reply = raw_list(&t, "startIndex=2&count=2").await.expect(200);
    assert_page(&reply, 5, 2, &["u2", "u3"]);
    // okta-wire.md §1.2: ordering must be stable across pages, so the pages tile the list.
    let rest = raw_list(&t, "startIndex=4&count=2").await.expect(200);
    assert_page(&rest, 5, 4, &["u4", "u5"]);
}

#[tokio::test]
async fn start_index_below_one_is_read_as_one() {
    let t = TestServer::start().await;
    five_users(&t).await;
    // RFC 7644 §3.4.2.4: "A value less than 1 SHALL be interpreted as 1."
    for start in ["0", "-3"] {
        let reply = raw_list(&t, &format!("startIndex={start}&count=2")).await.expect(200);
        assert_page(&reply, 5, 1, &["u1", "u2"]);
    }
}

#[tokio::test]
async fn count_zero_returns_only_the_total() {
    let t = TestServer::start().await;
    five_users(&t).await;
    // RFC 7644 §3.4.2.4: count 0 returns no resources but totalResults; a negative value
    // "SHALL be interpreted as 0".
    for count in ["0", "-1"] {
        let reply = raw_list(&t, &format!("count={count}")).await.expect(200);
        assert_page(&reply, 5, 1, &[]);
    }
}

#[tokio::test]
async fn start_index_past_the_end_is_an_empty_page() {
    let t = TestServer::start().await;
    five_users(&t).await;
    let reply = raw_list(&t, "startIndex=9&count=2").await.expect(200);
    assert_page(&reply, 5, 9, &[]);
    let reply = raw_list(&t, "startIndex=6").await.expect(200);
    assert_page(&reply, 5, 6, &[]);
}

#[tokio::test]
async fn max_results_caps_the_page_size() {
    let t = TestServer::with_config(ServerConfig { max_results: 3, ..Default::default() }).await;
    five_users(&t).await;
    // RFC 7644 §3.4.2.4: the server may return fewer than count; RFC 7643 §5 filter.maxResults.
    let reply = raw_list(&t, "count=10").await.expect(200);
    assert_page(&reply, 5, 1, &["u1", "u2", "u3"]);
    let reply = t.get("/Users").await.expect(200);
    assert_page(&reply, 5, 1, &["u1", "u2", "u3"]);
    let reply = raw_list(&t, "startIndex=4&count=10").await.expect(200);
    assert_page(&reply, 5, 4, &["u4", "u5"]);
}

#[tokio::test]
async fn non_numeric_count_is_invalid_value() {
    let t = TestServer::start().await;
    five_users(&t).await;
    let reply = raw_list(&t, "count=abc").await.expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("count"), "{}", reply.detail());
    raw_list(&t, "startIndex=one").await.expect_error(400, Some("invalidValue"));
}

// ---------------------------------------------------------------------------------------------
// Sorting (RFC 7644 §3.4.2.3)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn sort_by_user_name_ignores_case() {
    let t = TestServer::start().await;
    for name in ["bob", "Alice", "carol", "Dave"] {
        t.create_user(name).await;
    }
    // RFC 7644 §3.4.2.3: case-insensitive attributes sort case-insensitively (a code-point
    // order would give Alice, Dave, bob, carol); sortOrder defaults to ascending.
    let reply = raw_list(&t, "sortBy=userName").await.expect(200);
    assert_eq!(user_names(&reply), ["Alice", "bob", "carol", "Dave"]);
    let reply = raw_list(&t, "sortBy=userName&sortOrder=ascending").await.expect(200);
    assert_eq!(user_names(&reply), ["Alice", "bob", "carol", "Dave"]);
    let reply = raw_list(&t, "sortBy=userName&sortOrder=descending").await.expect(200);
    assert_eq!(user_names(&reply), ["Dave", "carol", "bob", "Alice"]);
}

#[tokio::test]
async fn users_without_the_sort_attribute_come_last_ascending_and_first_descending() {
    let t = TestServer::start().await;
    for (user_name, display) in [("u1", Some("bravo")), ("u2", None), ("u3", Some("Alpha")), ("u4", Some("charlie"))] {
        let mut body = json!({"schemas": [urn::USER], "userName": user_name});
        if let Some(display) = display {
            body["displayName"] = json!(display);
        }
        t.post("/Users", &body).await.expect(201);
    }
    // RFC 7644 §3.4.2.3: resources without a value sort last ascending, first descending.
    let reply = raw_list(&t, "sortBy=displayName").await.expect(200);
    assert_eq!(user_names(&reply), ["u3", "u1", "u4", "u2"]);
    let reply = raw_list(&t, "sortBy=displayName&sortOrder=descending").await.expect(200);
    assert_eq!(user_names(&reply), ["u2", "u4", "u1", "u3"]);
    // Sorting happens before paging.
    let reply = raw_list(&t, "sortBy=displayName&startIndex=2&count=2").await.expect(200);
    assert_eq!(user_names(&reply), ["u1", "u4"]);
}

#[tokio::test]
async fn unknown_sort_by_is_rejected() {
    let t = TestServer::start().await;
    t.create_user("alice").await;
    let reply = raw_list(&t, "sortBy=nosuchattr").await.expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("nosuchattr"), "{}", reply.detail());
}

#[tokio::test]
async fn unknown_sort_order_is_invalid_value() {
    let t = TestServer::start().await;
    t.create_user("alice").await;
    let reply = raw_list(&t, "sortBy=userName&sortOrder=sideways").await.expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains("sideways"), "{}", reply.detail());
}

// ---------------------------------------------------------------------------------------------
// attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9)
// ---------------------------------------------------------------------------------------------

/// The keys of a JSON object, sorted.
fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().expect("an object").keys().cloned().collect();
    keys.sort();
    keys
}

/// The first resource of a list response.
fn first(reply: &Reply) -> &Value {
    &reply.body["Resources"][0]
}

#[tokio::test]
async fn attributes_returns_only_the_named_ones_and_always_returned_ones() {
    let t = TestServer::start().await;
    fixture(&t).await;
    let reply = raw_list(&t, "filter=userName+eq+%22alice%22&attributes=userName").await.expect(200);
    // RFC 7643 §7: schemas and id are returned "always".
    assert_eq!(keys(first(&reply)), ["id", "schemas", "userName"]);
    assert_eq!(first(&reply)["userName"], "alice");
}

#[tokio::test]
async fn attributes_with_a_sub_attribute() {
    let t = TestServer::start().await;
    fixture(&t).await;
    let reply = raw_list(&t, "filter=userName+eq+%22alice%22&attributes=name.givenName").await.expect(200);
    assert_eq!(keys(first(&reply)), ["id", "name", "schemas"]);
    assert_eq!(first(&reply)["name"], json!({"givenName": "Alice"}));
}

#[tokio::test]
async fn excluded_attributes_removes_them() {
    let t = TestServer::start().await;
    fixture(&t).await;
    let reply = raw_list(&t, "filter=userName+eq+%22alice%22&excludedAttributes=emails").await.expect(200);
    let alice = first(&reply);
    assert!(alice.get("emails").is_none(), "{alice:#}");
    assert_eq!(alice["userName"], "alice");
    assert_eq!(alice["name"]["familyName"], "Smith");
    assert_eq!(alice[urn::ENTERPRISE_USER]["department"], "Sales");
    // id is returned "always", even when excluded.
    let reply = raw_list(&t, "filter=userName+eq+%22alice%22&excludedAttributes=id,title").await.expect(200);
    assert!(first(&reply)["id"].is_string());
    assert!(first(&reply).get("title").is_none());
}

#[tokio::test]
async fn attributes_can_name_an_enterprise_attribute() {
    let t = TestServer::start().await;
    fixture(&t).await;
    let department = department();
    let query = [("filter", r#"userName eq "alice""#), ("attributes", department.as_str())];
    let reply = TestServer::send(t.request(Method::GET, "/Users").query(&query)).await.expect(200);
    let alice = first(&reply);
    assert_eq!(alice[urn::ENTERPRISE_USER], json!({"department": "Sales"}));
    assert!(alice.get("userName").is_none(), "{alice:#}");
}

#[tokio::test]
async fn attributes_apply_to_get_by_id() {
    let t = TestServer::start().await;
    let users = fixture(&t).await;
    let reply = t.get(&format!("/Users/{}?attributes=userName", id(&users[0]))).await.expect(200);
    assert_eq!(keys(&reply.body), ["id", "schemas", "userName"]);
    let reply = t.get(&format!("/Users/{}?excludedAttributes=emails,name", id(&users[0]))).await.expect(200);
    assert!(reply.body.get("emails").is_none() && reply.body.get("name").is_none());
    assert_eq!(reply.body["title"], "Engineer");
}

#[tokio::test]
async fn attributes_apply_to_the_created_body() {
    let t = TestServer::start().await;
    let body = json!({"schemas": [urn::USER], "userName": "erin", "title": "Pilot", "displayName": "Erin"});
    let reply = t.post("/Users?attributes=userName", &body).await.expect(201);
    assert_eq!(keys(&reply.body), ["id", "schemas", "userName"]);
    // The projection only shaped the reply; the stored user has everything.
    let stored = t.get(&format!("/Users/{}", id(&reply.body))).await.expect(200);
    assert_eq!(stored.body["title"], "Pilot");
    assert_eq!(stored.body["displayName"], "Erin");
}

// ---------------------------------------------------------------------------------------------
// POST .search (RFC 7644 §3.4.3) and queries at the root (§3.4.2.1)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn post_search_matches_the_equivalent_get() {
    let t = TestServer::start().await;
    fixture(&t).await;
    let search = json!({
        "schemas": [urn::SEARCH_REQUEST],
        "filter": "title pr",
        "sortBy": "userName",
        "sortOrder": "descending",
        "startIndex": 1,
        "count": 2,
        "attributes": ["userName", "title"]
    });
    let posted = t.post("/Users/.search", &search).await.expect(200);
    let got = TestServer::send(t.request(Method::GET, "/Users").query(&[
        ("filter", "title pr"),
        ("sortBy", "userName"),
        ("sortOrder", "descending"),
        ("startIndex", "1"),
        ("count", "2"),
        ("attributes", "userName,title"),
    ]))
    .await
    .expect(200);
    assert_eq!(posted.body, got.body);
    assert_page(&posted, 3, 1, &["Carol", "bob"]);
    assert_eq!(keys(first(&posted)), ["id", "schemas", "title", "userName"]);
}

#[tokio::test]
async fn search_without_the_search_request_schema_is_rejected() {
    let t = TestServer::start().await;
    fixture(&t).await;
    let reply = t.post("/Users/.search", &json!({"filter": "title pr"})).await.expect_error(400, Some("invalidValue"));
    assert!(reply.detail().contains(urn::SEARCH_REQUEST), "{}", reply.detail());
    let wrong = json!({"schemas": [urn::LIST_RESPONSE], "filter": "title pr"});
    t.post("/Users/.search", &wrong).await.expect_error(400, Some("invalidValue"));
}

/// A user and a group whose displayName contains "ops", and one of each that does not.
async fn mixed_fixture(t: &TestServer) {
    for (user_name, display) in [("ops-user", "Ops Person"), ("other-user", "Someone Else")] {
        let body = json!({"schemas": [urn::USER], "userName": user_name, "displayName": display});
        t.post("/Users", &body).await.expect(201);
    }
    t.create_group("DevOps", &[]).await;
    t.create_group("Finance", &[]).await;
}

/// `(resourceType, displayName)` of every resource of a list response, sorted.
fn typed_names(reply: &Reply) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = reply.body["Resources"]
        .as_array()
        .unwrap_or_else(|| panic!("a ListResponse: {:#}", reply.body))
        .iter()
        .map(|r| {
            (
                r["meta"]["resourceType"].as_str().unwrap_or_default().to_string(),
                r["displayName"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn root_search_returns_users_and_groups_together() {
    let t = TestServer::start().await;
    mixed_fixture(&t).await;
    // RFC 7644 §3.4.3: POST {base}/.search queries all resource types.
    let search = json!({"schemas": [urn::SEARCH_REQUEST], "filter": "displayName co \"ops\""});
    let reply = t.post("/.search", &search).await.expect(200);
    assert_eq!(reply.body["totalResults"], 2);
    assert_eq!(
        typed_names(&reply),
        [("Group".to_string(), "DevOps".to_string()), ("User".to_string(), "Ops Person".to_string())]
    );
}

#[tokio::test]
async fn root_get_with_filter_returns_users_and_groups() {
    let t = TestServer::start().await;
    mixed_fixture(&t).await;
    // RFC 7644 §3.4.2.1: queries may be made against the server root. The base URL is
    // written both without and with the trailing slash ({base}?filter and {base}/?filter).
    for root in ["", "/"] {
        let request = t.request(Method::GET, root).query(&[("filter", r#"displayName co "ops""#)]);
        let reply = TestServer::send(request).await;
        assert_eq!(reply.status, 200, "GET {{base}}{root}?filter=…: {:#}", reply.body);
        assert_eq!(reply.body["totalResults"], 2);
        assert_eq!(
            typed_names(&reply),
            [("Group".to_string(), "DevOps".to_string()), ("User".to_string(), "Ops Person".to_string())]
        );
    }
}
