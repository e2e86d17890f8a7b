//! The HTTP routes of the reference server and the layers every request passes through:
//! body limit → SCIM envelope → bearer auth → injected faults → handler.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::header::ALLOW;
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::Response;
use axum::routing::{MethodRouter, any, get, post};
use axum::{Extension, Router};

use crate::scim::ScimError;

use super::auth::{BearerToken, require_bearer};
use super::discovery;
use super::envelope::scim_envelope;
use super::fault::{Faults, inject};
use super::resources;
use super::response::error_response;
use super::scim_json::MAX_BODY_BYTES;
use super::state::AppState;

/// `405` naming the methods an endpoint does allow.
fn not_allowed(allowed: &'static str) -> impl Fn() -> std::future::Ready<Response> + Clone + Send + 'static {
    move || {
        let mut headers = HeaderMap::new();
        headers.insert(ALLOW, HeaderValue::from_static(allowed));
        std::future::ready(error_response(&ScimError::new(405, format!("this endpoint allows {allowed}")), headers))
    }
}

/// Builds the router serving `state` under `base_path` (e.g. `/scim/v2`, or `` for the
/// root), guarded by `token`.
pub(crate) fn router(state: AppState, base_path: &str, token: &str, faults: Faults) -> Router {
    let at = |path: &str| format!("{base_path}{path}");
    let read_only = |method: MethodRouter<AppState>| method.fallback(discovery::read_only);
    let mut router = Router::new()
        .route(&at("/ServiceProviderConfig"), read_only(get(discovery::get_service_provider_config)))
        .route(&at("/ResourceTypes"), read_only(get(discovery::list_resource_types)))
        .route(&at("/ResourceTypes/{id}"), read_only(get(discovery::get_resource_type)))
        .route(&at("/Schemas"), read_only(get(discovery::list_schemas)))
        .route(&at("/Schemas/{id}"), read_only(get(discovery::get_schema)))
        .route(&at("/Bulk"), any(discovery::bulk))
        .route(&at("/Me"), any(discovery::me))
        .route(&at("/.search"), post(resources::search_all).fallback(not_allowed("POST")))
        .route(&at("/"), get(resources::list_all).fallback(not_allowed("GET")));
    if !base_path.is_empty() {
        // The base URL without its trailing slash is the same root (RFC 7644 §3.4.2.1).
        router = router.route(base_path, get(resources::list_all).fallback(not_allowed("GET")));
    }
    for kind in state.registry.all() {
        let endpoint = at(&kind.resource_type.endpoint);
        let kind = Extension(Arc::clone(kind));
        router = router
            .route(
                &endpoint,
                get(resources::list).post(resources::create).fallback(not_allowed("GET, POST")).layer(kind.clone()),
            )
            .route(
                &format!("{endpoint}/.search"),
                post(resources::search).fallback(not_allowed("POST")).layer(kind.clone()),
            )
            .route(
                &format!("{endpoint}/{{id}}"),
                get(resources::read)
                    .put(resources::replace)
                    .patch(resources::patch)
                    .delete(resources::delete)
                    .fallback(not_allowed("GET, PUT, PATCH, DELETE"))
                    .layer(kind),
            );
    }
    let base = base_path.to_string();
    router
        .fallback(move |uri: Uri| {
            let base = base.clone();
            async move {
                ScimError::not_found(format!(
                    "no SCIM endpoint at {}; this server serves {base}/Users, {base}/Groups and the discovery endpoints",
                    uri.path()
                ))
            }
        })
        .with_state(state)
        .layer(from_fn_with_state(faults, inject))
        .layer(from_fn_with_state(BearerToken(Arc::from(token)), require_bearer))
        .layer(from_fn(scim_envelope))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
