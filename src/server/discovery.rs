//! The discovery endpoints (RFC 7644 §4): `/ServiceProviderConfig`, `/ResourceTypes`,
//! `/Schemas`. They describe exactly what this server does, so a client that configures
//! itself from them gets a server that behaves as described. Read-only: other methods get
//! `405`. Query parameters are ignored, and a `filter` gets `403` (RFC 7644 §4).

use axum::extract::{Path, RawQuery, State};
use axum::http::header::ALLOW;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::scim::{ListResponse, ScimError, urn};

use super::response::{ScimResponse, error_response};
use super::scim_json::MAX_BODY_BYTES;
use super::state::AppState;

fn refuse_filter(raw: Option<&str>) -> Result<(), ScimError> {
    let has_filter =
        form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).any(|(k, _)| k.eq_ignore_ascii_case("filter"));
    if has_filter {
        return Err(ScimError::new(
            403,
            "discovery endpoints cannot be filtered (RFC 7644 §4); fetch the list and select yourself",
        ));
    }
    Ok(())
}

fn meta(app: &AppState, resource_type: &str, path: &str) -> Value {
    json!({
        "resourceType": resource_type,
        "location": format!("{}{path}", app.base_url),
        "created": app.started,
        "lastModified": app.started,
    })
}

/// The service provider configuration (RFC 7643 §5).
pub(crate) fn service_provider_config(app: &AppState) -> Value {
    let mut config = json!({
        "schemas": [urn::SERVICE_PROVIDER_CONFIG],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": app.max_results},
        "changePassword": {"supported": true},
        "sort": {"supported": true},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": format!("Authorization: Bearer <token>; request bodies up to {MAX_BODY_BYTES} bytes"),
            "primary": true
        }],
    });
    // The product a behaviour profile plays documents what the server does (RFC 7643 §5).
    if let Some(uri) = app.profile.documentation() {
        config["documentationUri"] = json!(uri);
    }
    config["meta"] = meta(app, "ServiceProviderConfig", "/ServiceProviderConfig");
    config
}

pub(crate) async fn get_service_provider_config(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<ScimResponse, ScimError> {
    refuse_filter(raw.as_deref())?;
    Ok(ScimResponse::json(StatusCode::OK, &service_provider_config(&app)))
}

fn resource_type_json(app: &AppState, index: usize) -> Option<Value> {
    let kind = app.registry.all().get(index)?;
    let mut body = serde_json::to_value(&kind.resource_type).ok()?;
    body["schemas"] = json!([urn::RESOURCE_TYPE]);
    body["meta"] = meta(app, "ResourceType", &format!("/ResourceTypes/{}", kind.resource_type.id));
    Some(body)
}

pub(crate) async fn list_resource_types(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<ScimResponse, ScimError> {
    refuse_filter(raw.as_deref())?;
    let all: Vec<Value> = (0..app.registry.all().len()).filter_map(|i| resource_type_json(&app, i)).collect();
    Ok(list(all))
}

pub(crate) async fn get_resource_type(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<ScimResponse, ScimError> {
    refuse_filter(raw.as_deref())?;
    let index = app.registry.all().iter().position(|k| k.resource_type.id.eq_ignore_ascii_case(&id));
    index
        .and_then(|i| resource_type_json(&app, i))
        .map(|body| ScimResponse::json(StatusCode::OK, &body))
        .ok_or_else(|| ScimError::not_found(format!("no resource type {id:?}; see {}/ResourceTypes", app.base_url)))
}

fn schema_json(app: &AppState, id: &str) -> Option<Value> {
    let schema = app.registry.schemas().into_iter().find(|s| s.id.eq_ignore_ascii_case(id))?;
    let mut body = serde_json::to_value(schema).ok()?;
    body["schemas"] = json!([urn::SCHEMA]);
    body["meta"] = meta(app, "Schema", &format!("/Schemas/{}", schema.id));
    Some(body)
}

pub(crate) async fn list_schemas(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<ScimResponse, ScimError> {
    refuse_filter(raw.as_deref())?;
    let all: Vec<Value> = app.registry.schemas().iter().filter_map(|s| schema_json(&app, &s.id)).collect();
    Ok(list(all))
}

pub(crate) async fn get_schema(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<ScimResponse, ScimError> {
    refuse_filter(raw.as_deref())?;
    schema_json(&app, &id)
        .map(|body| ScimResponse::json(StatusCode::OK, &body))
        .ok_or_else(|| ScimError::not_found(format!("no schema {id:?}; see {}/Schemas", app.base_url)))
}

fn list(resources: Vec<Value>) -> ScimResponse {
    let total = resources.len() as u64;
    ScimResponse::json(StatusCode::OK, &ListResponse::new(total, 1, resources))
}

/// `405` for writes to the read-only discovery endpoints.
pub(crate) async fn read_only() -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(ALLOW, HeaderValue::from_static("GET"));
    error_response(&ScimError::new(405, "discovery endpoints are read-only (RFC 7644 §4); use GET"), headers)
}

/// `501` for `/Bulk`, which `/ServiceProviderConfig` reports as unsupported.
pub(crate) async fn bulk() -> Response {
    ScimError::new(501, "bulk operations are not supported (ServiceProviderConfig bulk.supported = false)")
        .into_response()
}

/// `501` for `/Me` (RFC 7644 §3.11: servers that do not support it answer 501).
pub(crate) async fn me() -> Response {
    ScimError::new(501, "/Me is not supported: this server does not map tokens to users").into_response()
}
