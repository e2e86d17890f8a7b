//! The discovery endpoints (RFC 7644 §4; RFC 7643 §5–§7): `/ServiceProviderConfig`,
//! `/ResourceTypes` and `/Schemas`, each claim checked against what the server then does.

use reqwest::Method;
use scimsim::scim::{Schema, urn};
use scimsim::server::{Extension, ServerConfig};
use serde_json::{Map, Value, json};

use crate::util::{Reply, TestServer, id};

/// The URN of the custom extension registered by [`with_custom_extension`].
const ACME: &str = "urn:example:params:scim:schemas:extension:acme:2.0:User";

/// A custom User extension in the RFC 7643 §7 form, with string, integer, multi-valued and
/// complex attributes.
fn acme_schema() -> Schema {
    let text = json!({
        "id": ACME,
        "name": "AcmeUser",
        "description": "Acme badge data",
        "attributes": [
            {
                "name": "badgeNumber", "type": "string", "multiValued": false, "required": false,
                "caseExact": true, "mutability": "readWrite", "returned": "default", "uniqueness": "none",
                "description": "The number printed on the badge"
            },
            {"name": "building", "type": "string"},
            {"name": "clearance", "type": "integer"},
            {"name": "cards", "type": "string", "multiValued": true},
            {
                "name": "locker", "type": "complex",
                "subAttributes": [{"name": "code", "type": "string"}, {"name": "floor", "type": "integer"}]
            }
        ]
    });
    Schema::from_json(&text.to_string()).expect("the Acme schema is valid")
}

/// A server with the Acme extension registered for User.
async fn with_custom_extension() -> TestServer {
    let extension = Extension::new("User", acme_schema());
    TestServer::with_config(ServerConfig { extensions: vec![extension], ..Default::default() }).await
}

/// `GET /ServiceProviderConfig`.
async fn service_provider_config(t: &TestServer) -> Value {
    let reply = t.get("/ServiceProviderConfig").await.expect(200);
    assert_eq!(reply.body["schemas"], json!([urn::SERVICE_PROVIDER_CONFIG]), "{:#}", reply.body);
    reply.body
}

/// The resources of a list response.
fn resources(reply: &Reply) -> &Vec<Value> {
    reply.body["Resources"].as_array().unwrap_or_else(|| panic!("a ListResponse: {:#}", reply.body))
}

/// The attribute definition called `name` in a schema representation.
fn attribute<'a>(schema: &'a Value, name: &str) -> &'a Value {
    schema["attributes"]
        .as_array()
        .and_then(|attrs| attrs.iter().find(|a| a["name"] == name))
        .unwrap_or_else(|| panic!("schema {} has no attribute {name}", schema["id"]))
}

// ---------------------------------------------------------------------------------------------
// /ServiceProviderConfig (RFC 7643 §5): every claim, then the behaviour it promises
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn patch_is_supported_and_works() {
    let t = TestServer::start().await;
    assert_eq!(service_provider_config(&t).await["patch"]["supported"], true);
    let user = id(&t.create_user("patched").await);
    let operations = json!([{"op": "replace", "path": "displayName", "value": "Patched"}]);
    t.patch(&format!("/Users/{user}"), &operations).await.expect(200);
    assert_eq!(t.get(&format!("/Users/{user}")).await.expect(200).body["displayName"], "Patched");
}

#[tokio::test]
async fn bulk_is_unsupported_and_bulk_answers_501() {
    let t = TestServer::start().await;
    let config = service_provider_config(&t).await;
    assert_eq!(config["bulk"]["supported"], false);
    // RFC 7643 §5: maxOperations and maxPayloadSize are required even when unsupported.
    assert!(config["bulk"]["maxOperations"].is_u64(), "{config:#}");
    assert!(config["bulk"]["maxPayloadSize"].is_u64(), "{config:#}");
    let bulk = json!({"schemas": [urn::BULK_REQUEST], "Operations": []});
    t.post("/Bulk", &bulk).await.expect_error(501, None);
}

#[tokio::test]
async fn filter_max_results_is_the_configured_limit_and_is_enforced() {
    let t = TestServer::with_config(ServerConfig { max_results: 2, ..Default::default() }).await;
    let config = service_provider_config(&t).await;
    assert_eq!(config["filter"], json!({"supported": true, "maxResults": 2}));
    for name in ["u1", "u2", "u3"] {
        t.create_user(name).await;
    }
    // Filtering works…
    let reply = t.get("/Users?filter=userName+eq+%22u3%22").await.expect(200);
    assert_eq!(reply.body["totalResults"], 1);
    assert_eq!(resources(&reply)[0]["userName"], "u3");
    // …and no page holds more than maxResults, whatever count asks for.
    for query in ["", "?count=100", "?filter=userName+sw+%22u%22&count=3"] {
        let reply = t.get(&format!("/Users{query}")).await.expect(200);
        assert_eq!(reply.body["totalResults"], 3, "{query}");
        assert_eq!(reply.body["itemsPerPage"], 2, "{query}");
        assert_eq!(resources(&reply).len(), 2, "{query}");
    }
}

#[tokio::test]
async fn sort_is_supported_and_works() {
    let t = TestServer::start().await;
    assert_eq!(service_provider_config(&t).await["sort"]["supported"], true);
    for name in ["mike", "alpha", "zulu"] {
        t.create_user(name).await;
    }
    let reply = t.get("/Users?sortBy=userName&sortOrder=descending").await.expect(200);
    let names: Vec<&str> = resources(&reply).iter().map(|r| r["userName"].as_str().unwrap()).collect();
    assert_eq!(names, ["zulu", "mike", "alpha"]);
}

#[tokio::test]
async fn etag_is_supported_and_responses_carry_etags() {
    let t = TestServer::start().await;
    assert_eq!(service_provider_config(&t).await["etag"]["supported"], true);
    // RFC 7644 §3.14: the ETag header carries meta.version on every resource response.
    let created = t.post("/Users", &json!({"schemas": [urn::USER], "userName": "tagged"})).await.expect(201);
    let version = created.body["meta"]["version"].as_str().expect("meta.version").to_string();
    assert_eq!(created.header("etag"), Some(version.as_str()));
    let path = format!("/Users/{}", id(&created.body));
    assert_eq!(t.get(&path).await.expect(200).header("etag"), Some(version.as_str()));
    let patched = t.patch(&path, &json!([{"op": "add", "path": "title", "value": "New"}])).await.expect(200);
    let new_version = patched.body["meta"]["version"].as_str().expect("meta.version").to_string();
    assert_ne!(new_version, version);
    assert_eq!(patched.header("etag"), Some(new_version.as_str()));
    // The tag is honoured: a conditional GET with it is 304.
    let conditional = t.request(Method::GET, &path).header("if-none-match", &new_version);
    TestServer::send(conditional).await.expect(304);
}

#[tokio::test]
async fn change_password_is_supported_and_the_password_is_never_returned() {
    let t = TestServer::start().await;
    assert_eq!(service_provider_config(&t).await["changePassword"]["supported"], true);
    let body = json!({"schemas": [urn::USER], "userName": "secretive", "password": "Initial#1"});
    let created = t.post("/Users", &body).await.expect(201);
    // RFC 7643 §4.1.1: password is writeOnly and returned "never".
    assert!(created.body.get("password").is_none(), "{:#}", created.body);
    let path = format!("/Users/{}", id(&created.body));
    let before = created.body["meta"]["version"].clone();
    let operations = json!([{"op": "replace", "path": "password", "value": "Changed#2"}]);
    let patched = t.patch(&path, &operations).await.expect(200);
    assert!(patched.body.get("password").is_none(), "{:#}", patched.body);
    // The write took effect: the stored resource changed, so its version moved on.
    assert_ne!(patched.body["meta"]["version"], before, "setting a new password changes the user");
    for query in ["", "?attributes=password", "?attributes=password,userName"] {
        let fetched = t.get(&format!("{path}{query}")).await.expect(200);
        assert!(fetched.body.get("password").is_none(), "{query}: {:#}", fetched.body);
    }
    let listed = t.get("/Users?filter=userName+eq+%22secretive%22&attributes=password").await.expect(200);
    assert!(resources(&listed)[0].get("password").is_none(), "{:#}", listed.body);
}

#[tokio::test]
async fn authentication_schemes_list_oauth_bearer_token() {
    let t = TestServer::start().await;
    let config = service_provider_config(&t).await;
    let schemes = config["authenticationSchemes"].as_array().expect("authenticationSchemes is an array");
    let bearer = schemes
        .iter()
        .find(|s| s["type"] == "oauthbearertoken")
        .unwrap_or_else(|| panic!("no oauthbearertoken scheme: {config:#}"));
    // RFC 7643 §5: type, name and description are required.
    assert!(bearer["name"].as_str().is_some_and(|n| !n.is_empty()), "{bearer:#}");
    assert!(bearer["description"].as_str().is_some_and(|d| !d.is_empty()), "{bearer:#}");
    // …and a bearer token is what the server takes.
    let bearer_request = t.bare(Method::GET, "/Users").bearer_auth(t.server.token());
    TestServer::send(bearer_request).await.expect(200);
}

#[tokio::test]
async fn service_provider_config_meta() {
    let t = TestServer::start().await;
    let config = service_provider_config(&t).await;
    assert_eq!(config["meta"]["resourceType"], "ServiceProviderConfig");
    assert_eq!(config["meta"]["location"], json!(t.url("/ServiceProviderConfig")));
}

// ---------------------------------------------------------------------------------------------
// /ResourceTypes (RFC 7643 §6)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn resource_types_list_user_and_group() {
    let t = TestServer::start().await;
    let reply = t.get("/ResourceTypes").await.expect(200);
    assert_eq!(reply.body["schemas"], json!([urn::LIST_RESPONSE]));
    assert_eq!(reply.body["totalResults"], 2);
    assert_eq!(reply.body["itemsPerPage"], 2);
    assert_eq!(reply.body["startIndex"], 1);
    let find = |name: &str| {
        resources(&reply)
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("no resource type {name}: {:#}", reply.body))
            .clone()
    };
    let user = find("User");
    assert_eq!(user["schemas"], json!([urn::RESOURCE_TYPE]));
    assert_eq!(user["id"], "User");
    assert_eq!(user["endpoint"], "/Users");
    assert_eq!(user["schema"], urn::USER);
    assert_eq!(user["schemaExtensions"], json!([{"schema": urn::ENTERPRISE_USER, "required": false}]));
    assert_eq!(user["meta"]["resourceType"], "ResourceType");
    assert_eq!(user["meta"]["location"], json!(t.url("/ResourceTypes/User")));
    let group = find("Group");
    assert_eq!(group["endpoint"], "/Groups");
    assert_eq!(group["schema"], urn::GROUP);
    assert!(group["schemaExtensions"].as_array().is_none_or(Vec::is_empty), "{group:#}");
    // Each advertised endpoint is served.
    for resource_type in resources(&reply) {
        let endpoint = resource_type["endpoint"].as_str().expect("endpoint");
        let listed = t.get(endpoint).await.expect(200);
        assert_eq!(listed.body["schemas"], json!([urn::LIST_RESPONSE]), "{endpoint}");
    }
}

#[tokio::test]
async fn resource_type_by_id() {
    let t = TestServer::start().await;
    let list = t.get("/ResourceTypes").await.expect(200);
    let listed = resources(&list).iter().find(|r| r["id"] == "User").expect("User is listed").clone();
    let reply = t.get("/ResourceTypes/User").await.expect(200);
    // RFC 7644 §4: a single resource type is returned like a single resource.
    assert_eq!(reply.body, listed);
    assert_eq!(t.get("/ResourceTypes/Group").await.expect(200).body["endpoint"], "/Groups");
}

#[tokio::test]
async fn unknown_resource_type_is_404() {
    let t = TestServer::start().await;
    t.get("/ResourceTypes/Device").await.expect_error(404, None);
}

// ---------------------------------------------------------------------------------------------
// /Schemas (RFC 7643 §7)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn schemas_list_core_enterprise_and_custom_extensions() {
    let t = with_custom_extension().await;
    let reply = t.get("/Schemas").await.expect(200);
    assert_eq!(reply.body["schemas"], json!([urn::LIST_RESPONSE]));
    let mut ids: Vec<&str> = resources(&reply).iter().map(|s| s["id"].as_str().expect("schema id")).collect();
    ids.sort_unstable();
    let mut expected = vec![urn::USER, urn::GROUP, urn::ENTERPRISE_USER, ACME];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    assert_eq!(reply.body["totalResults"], 4);
    for schema in resources(&reply) {
        assert_eq!(schema["schemas"], json!([urn::SCHEMA]), "{schema:#}");
        assert_eq!(schema["meta"]["resourceType"], "Schema", "{schema:#}");
        let location = format!("{}/Schemas/{}", t.server.url(), schema["id"].as_str().unwrap());
        assert_eq!(schema["meta"]["location"], json!(location));
        assert!(schema["attributes"].as_array().is_some_and(|a| !a.is_empty()), "{schema:#}");
    }
    let acme = resources(&reply).iter().find(|s| s["id"] == ACME).unwrap();
    assert_eq!(acme["name"], "AcmeUser");
    let badge = attribute(acme, "badgeNumber");
    assert_eq!(badge["caseExact"], true);
    assert_eq!(badge["description"], "The number printed on the badge");
    // RFC 7643 §2.2 defaults are spelled out for attributes the file left implicit.
    let building = attribute(acme, "building");
    assert_eq!(building["type"], "string");
    assert_eq!(building["mutability"], "readWrite");
    assert_eq!(building["returned"], "default");
    assert_eq!(building["multiValued"], false);

    // The extension is declared on the User resource type, optional.
    let user_type = t.get("/ResourceTypes/User").await.expect(200);
    let extensions = user_type.body["schemaExtensions"].as_array().expect("schemaExtensions");
    assert!(extensions.contains(&json!({"schema": ACME, "required": false})), "{:#}", user_type.body);
    assert!(extensions.contains(&json!({"schema": urn::ENTERPRISE_USER, "required": false})));
    let group_type = t.get("/ResourceTypes/Group").await.expect(200);
    assert!(!group_type.body.to_string().contains(ACME), "{:#}", group_type.body);
}

#[tokio::test]
async fn schema_by_urn_returns_its_attributes() {
    let t = TestServer::start().await;
    let reply = t.get(&format!("/Schemas/{}", urn::USER)).await.expect(200);
    let user = &reply.body;
    assert_eq!(user["id"], urn::USER);
    assert_eq!(user["schemas"], json!([urn::SCHEMA]));
    // RFC 7643 §4.1.1 / §8.7.1: the characteristics of userName and password.
    let user_name = attribute(user, "userName");
    assert_eq!(user_name["type"], "string");
    assert_eq!(user_name["required"], true);
    assert_eq!(user_name["caseExact"], false);
    assert_eq!(user_name["uniqueness"], "server");
    assert_eq!(user_name["multiValued"], false);
    let password = attribute(user, "password");
    assert_eq!(password["mutability"], "writeOnly");
    assert_eq!(password["returned"], "never");
    let emails = attribute(user, "emails");
    assert_eq!(emails["multiValued"], true);
    assert_eq!(emails["type"], "complex");
    assert!(emails["subAttributes"].as_array().is_some_and(|s| s.iter().any(|a| a["name"] == "value")));

    let group = t.get(&format!("/Schemas/{}", urn::GROUP)).await.expect(200);
    assert_eq!(attribute(&group.body, "members")["multiValued"], true);
    let enterprise = t.get(&format!("/Schemas/{}", urn::ENTERPRISE_USER)).await.expect(200);
    assert_eq!(attribute(&enterprise.body, "manager")["type"], "complex");
    t.get("/Schemas/urn:example:params:scim:schemas:nothing:2.0:Thing").await.expect_error(404, None);
}

/// A value that would reveal trimming, case folding or re-encoding.
fn probe_value(path: &str) -> Value {
    json!(format!("  {path}: MiXeD Çase ✓ \"quoted\"  "))
}

/// Every readWrite, single-valued string attribute (and such sub-attribute of a single-valued
/// complex attribute) a schema representation lists, as `(attribute, sub-attribute)`.
fn writable_strings(schema: &Value) -> Vec<(String, Option<String>)> {
    let is_writable = |a: &Value, kind: &str| {
        a["type"] == kind
            && a["multiValued"] == false
            && a["mutability"] == "readWrite"
            && matches!(a["returned"].as_str(), Some("default" | "always"))
    };
    let mut out = Vec::new();
    for attr in schema["attributes"].as_array().expect("attributes") {
        let name = attr["name"].as_str().expect("name").to_string();
        if is_writable(attr, "string") {
            out.push((name.clone(), None));
        }
        if is_writable(attr, "complex") {
            for sub in attr["subAttributes"].as_array().expect("subAttributes") {
                if is_writable(sub, "string") {
                    out.push((name.clone(), Some(sub["name"].as_str().expect("name").to_string())));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn every_writable_string_attribute_of_user_round_trips() {
    let t = with_custom_extension().await;
    // Which schemas apply to User, and what they say, come from the server itself.
    let user_type = t.get("/ResourceTypes/User").await.expect(200).body;
    let mut urns = vec![user_type["schema"].as_str().expect("schema").to_string()];
    for extension in user_type["schemaExtensions"].as_array().expect("schemaExtensions") {
        urns.push(extension["schema"].as_str().expect("schema").to_string());
    }
    let all_schemas = t.get("/Schemas").await.expect(200);
    let mut body = Map::new();
    body.insert("schemas".into(), json!(urns));
    let mut written: Vec<(Option<String>, String, Option<String>, Value)> = Vec::new();
    for urn in &urns {
        let schema = resources(&all_schemas)
            .iter()
            .find(|s| s["id"] == urn.as_str())
            .unwrap_or_else(|| panic!("/Schemas does not list {urn}, which /ResourceTypes/User names"));
        let is_core = urn == urns.first().unwrap();
        let holder = if is_core {
            &mut body
        } else {
            body.entry(urn.clone()).or_insert_with(|| json!({})).as_object_mut().expect("extension object")
        };
        for (attr, sub) in writable_strings(schema) {
            let label = format!("{urn}:{attr}{}", sub.as_deref().map(|s| format!(".{s}")).unwrap_or_default());
            let value = if attr == "userName" { json!("round-trip") } else { probe_value(&label) };
            match &sub {
                None => {
                    holder.insert(attr.clone(), value.clone());
                }
                Some(sub) => {
                    let complex = holder.entry(attr.clone()).or_insert_with(|| json!({}));
                    complex[sub.as_str()] = value.clone();
                }
            }
            written.push(((!is_core).then(|| urn.clone()), attr, sub, value));
        }
    }
    // The schemas must offer something to test: the core strings, enterprise and Acme ones.
    let names: Vec<String> = written
        .iter()
        .map(|(_, attr, sub, _)| sub.as_ref().map_or_else(|| attr.clone(), |s| format!("{attr}.{s}")))
        .collect();
    for expected in [
        "userName",
        "displayName",
        "title",
        "name.givenName",
        "department",
        "manager.value",
        "badgeNumber",
        "locker.code",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} not among {names:?}");
    }

    let created = t.post("/Users", &Value::Object(body)).await.expect(201);
    let fetched = t.get(&format!("/Users/{}", id(&created.body))).await.expect(200);
    for reply in [&created, &fetched] {
        for (ext, attr, sub, value) in &written {
            let holder = match ext {
                Some(urn) => &reply.body[urn.as_str()],
                None => &reply.body,
            };
            let actual = match sub {
                Some(sub) => &holder[attr.as_str()][sub.as_str()],
                None => &holder[attr.as_str()],
            };
            assert_eq!(actual, value, "{ext:?} {attr} {sub:?} in {:#}", reply.body);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Discovery endpoints are read-only and unfiltered (RFC 7644 §4)
// ---------------------------------------------------------------------------------------------

/// Every discovery endpoint.
fn discovery_paths() -> Vec<String> {
    vec![
        "/ServiceProviderConfig".into(),
        "/ResourceTypes".into(),
        "/ResourceTypes/User".into(),
        "/Schemas".into(),
        format!("/Schemas/{}", urn::USER),
    ]
}

#[tokio::test]
async fn writes_to_discovery_endpoints_are_405_allow_get() {
    let t = TestServer::start().await;
    let body = json!({"schemas": [urn::SCHEMA], "id": "urn:example:x", "attributes": []});
    for path in discovery_paths() {
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            let reply = TestServer::send(t.request(method.clone(), &path).body(body.to_string())).await;
            assert_eq!(reply.status, 405, "{method} {path}: {:#}", reply.body);
            let reply = reply.expect_error(405, None);
            assert_eq!(reply.header("allow"), Some("GET"), "{method} {path}");
        }
        // Still there and unchanged.
        t.get(&path).await.expect(200);
    }
    let schemas = t.get("/Schemas").await.expect(200);
    assert_eq!(schemas.body["totalResults"], 3);
}

#[tokio::test]
async fn filter_on_discovery_lists_is_403() {
    let t = TestServer::start().await;
    // RFC 7644 §4: "If a "filter" is provided, the service provider SHOULD respond with HTTP
    // status code 403 (Forbidden)".
    for path in ["/ServiceProviderConfig", "/ResourceTypes", "/Schemas"] {
        for query in ["filter=name+eq+%22User%22", "Filter=id+pr", "count=1&filter=x"] {
            let reply = t.get(&format!("{path}?{query}")).await;
            assert_eq!(reply.status, 403, "{path}?{query}: {:#}", reply.body);
            reply.expect_error(403, None);
        }
    }
}

#[tokio::test]
async fn filter_on_single_discovery_resources_is_403() {
    let t = TestServer::start().await;
    // RFC 7644 §4 applies the 403 to any filter on these endpoints, including a request for a
    // specific ResourceType or Schema.
    for path in ["/ResourceTypes/User".to_string(), format!("/Schemas/{}", urn::USER)] {
        let reply = t.get(&format!("{path}?filter=name+eq+%22User%22")).await;
        assert_eq!(reply.status, 403, "{path}?filter=…: {:#}", reply.body);
        reply.expect_error(403, None);
    }
}

#[tokio::test]
async fn other_query_parameters_on_discovery_lists_are_ignored() {
    let t = TestServer::start().await;
    // RFC 7644 §4: sorting and pagination parameters "SHALL be ignored".
    let plain = t.get("/Schemas").await.expect(200);
    let paged = t.get("/Schemas?startIndex=2&count=1&sortBy=id&sortOrder=descending").await.expect(200);
    assert_eq!(paged.body["totalResults"], 3);
    assert_eq!(paged.body["startIndex"], 1);
    assert_eq!(resources(&paged).len(), 3);
    assert_eq!(paged.body, plain.body);
    let types = t.get("/ResourceTypes?count=0").await.expect(200);
    assert_eq!(resources(&types).len(), 2);
}

/// Replaces what differs between runs (the base URL's port, timestamps) with placeholders.
fn stable(value: &Value, base_url: &str) -> Value {
    match value {
        Value::String(s) if scimsim::scim::parse_date_time(s).is_some() => json!("[timestamp]"),
        Value::String(s) => Value::String(s.replace(base_url, "[base]")),
        Value::Array(items) => Value::Array(items.iter().map(|v| stable(v, base_url)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), stable(v, base_url))).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn discovery_documents_match_the_snapshots() {
    // The discovery documents are the server's published contract: any change to an attribute's
    // characteristics, a resource type or a capability shows up here as a diff to review
    // (`cargo insta review`), next to the behaviour tests above that prove each claim.
    let server = TestServer::start().await;
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/server"));
    settings.set_prepend_module_to_snapshot(false);
    for (name, path) in [
        ("service_provider_config", "/ServiceProviderConfig"),
        ("resource_types", "/ResourceTypes"),
        ("schemas", "/Schemas"),
    ] {
        let document = stable(&server.get(path).await.expect(200).body, server.server.url());
        settings.bind(|| insta::assert_json_snapshot!(name, document));
    }
}
