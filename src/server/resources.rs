//! `/Users` and `/Groups` (and any other resource type): create, read, query, replace,
//! patch, delete (RFC 7644 §3.3–§3.6), plus `/.search` at the root and per type (§3.4.3).

use std::sync::Arc;

use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::header::{ETAG, IF_MATCH, IF_NONE_MATCH, LOCATION};
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

use crate::scim::{
    CompValue, CompareOp, Filter, ListQuery, ListResponse, Matcher, PatchOp, Projected, Projection, ResourceSchema,
    ScimError, Sorter, canonicalize,
};

use super::etag::EntityTags;
use super::response::ScimResponse;
use super::scim_json::ScimJson;
use super::state::AppState;
use super::store::Resource;

/// The resource type a route serves.
pub(crate) type Kind = Arc<ResourceSchema>;

fn query(raw: Option<&str>) -> Result<ListQuery, ScimError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    ListQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

fn version(resource: &Resource) -> &str {
    resource.get("meta").and_then(|m| m.get("version")).and_then(Value::as_str).unwrap_or_default()
}

/// A single resource as the response body, projected by `attributes` / `excludedAttributes`,
/// with its `ETag`.
fn single(status: StatusCode, kind: &ResourceSchema, resource: &Resource, query: &ListQuery) -> ScimResponse {
    let projection = Projection::new(kind, &query.attributes, &query.excluded_attributes);
    ScimResponse::json(status, &projection.view(kind, resource)).header(ETAG, version(resource))
}

pub(crate) async fn create(
    State(app): State<AppState>,
    Extension(kind): Extension<Kind>,
    RawQuery(raw): RawQuery,
    ScimJson(body): ScimJson,
) -> Result<ScimResponse, ScimError> {
    let query = query(raw.as_deref())?;
    let (body, _) = app.profile.screen_body(&kind, false, body)?;
    let content = canonicalize(&kind, &body)?;
    let resource = app.store.create(&kind, content)?;
    let location =
        resource.get("meta").and_then(|m| m.get("location")).and_then(Value::as_str).unwrap_or_default().to_string();
    Ok(single(StatusCode::CREATED, &kind, &resource, &query).header(LOCATION, &location))
}

pub(crate) async fn read(
    State(app): State<AppState>,
    Extension(kind): Extension<Kind>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<ScimResponse, ScimError> {
    let query = query(raw.as_deref())?;
    let resource = app.store.get(&kind, &id)?;
    if EntityTags::from_header(&headers, &IF_NONE_MATCH).is_some_and(|tags| tags.matches(version(&resource))) {
        return Ok(ScimResponse::empty(StatusCode::NOT_MODIFIED).header(ETAG, version(&resource)));
    }
    Ok(single(StatusCode::OK, &kind, &resource, &query))
}

pub(crate) async fn replace(
    State(app): State<AppState>,
    Extension(kind): Extension<Kind>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ScimJson(body): ScimJson,
) -> Result<ScimResponse, ScimError> {
    let query = query(raw.as_deref())?;
    let (body, blanks) = app.profile.screen_body(&kind, true, body)?;
    let content = canonicalize(&kind, &body)?;
    let if_match = EntityTags::from_header(&headers, &IF_MATCH);
    let resource = app.store.replace(&kind, &id, content, &blanks, if_match.as_ref())?;
    Ok(single(StatusCode::OK, &kind, &resource, &query))
}

pub(crate) async fn patch(
    State(app): State<AppState>,
    Extension(kind): Extension<Kind>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ScimJson(body): ScimJson,
) -> Result<ScimResponse, ScimError> {
    let query = query(raw.as_deref())?;
    let mut patch = PatchOp::from_json(&body)?;
    app.profile.screen_patch(&kind, &mut patch)?;
    let resource = app.store.patch(&kind, &id, &patch, EntityTags::from_header(&headers, &IF_MATCH).as_ref())?;
    Ok(single(StatusCode::OK, &kind, &resource, &query))
}

pub(crate) async fn delete(
    State(app): State<AppState>,
    Extension(kind): Extension<Kind>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<ScimResponse, ScimError> {
    app.store.delete(&kind, &id, EntityTags::from_header(&headers, &IF_MATCH).as_ref())?;
    Ok(ScimResponse::empty(StatusCode::NO_CONTENT))
}

pub(crate) async fn list(
    State(app): State<AppState>,
    Extension(kind): Extension<Kind>,
    RawQuery(raw): RawQuery,
) -> Result<ScimResponse, ScimError> {
    run_query(&app, std::slice::from_ref(&kind), &query(raw.as_deref())?)
}

pub(crate) async fn search(
    State(app): State<AppState>,
    Extension(kind): Extension<Kind>,
    ScimJson(body): ScimJson,
) -> Result<ScimResponse, ScimError> {
    run_query(&app, std::slice::from_ref(&kind), &ListQuery::from_search_request(&body)?)
}

/// `GET {base}/` with query parameters: a query across all resource types (RFC 7644 §3.4.2.1).
pub(crate) async fn list_all(State(app): State<AppState>, RawQuery(raw): RawQuery) -> Result<ScimResponse, ScimError> {
    run_query(&app, app.registry.all(), &query(raw.as_deref())?)
}

/// `POST {base}/.search`: a search across all resource types (RFC 7644 §3.4.3).
pub(crate) async fn search_all(
    State(app): State<AppState>,
    ScimJson(body): ScimJson,
) -> Result<ScimResponse, ScimError> {
    run_query(&app, app.registry.all(), &ListQuery::from_search_request(&body)?)
}

/// For a filter `attr eq "value"` on an attribute with a uniqueness index, the one candidate
/// the index holds (an IdP's match query); `None` when the filter needs a scan.
fn indexed_candidates(app: &AppState, kind: &ResourceSchema, filter: Option<&Filter>) -> Option<Vec<Resource>> {
    let Some(Filter::Compare(path, CompareOp::Eq, value)) = filter else { return None };
    let value = match value {
        CompValue::Str(s) => Value::String(s.clone()),
        CompValue::Number(n) => Value::Number(n.clone()),
        _ => return None,
    };
    let resolved = kind.resolve_attribute(path).ok()?;
    app.store.find_unique(kind, &resolved, &value).map(|hit| hit.into_iter().collect())
}

/// Filters, sorts, pages and projects the resources of `kinds`.
///
/// Across several types, a filter or `sortBy` that a type does not define simply matches none
/// of that type's resources (sorts them last); it is an error only when no type defines it.
fn run_query(app: &AppState, kinds: &[Kind], query: &ListQuery) -> Result<ScimResponse, ScimError> {
    let mut first_error = None;
    let mut hits: Vec<(&Kind, Resource)> = Vec::new();
    let mut usable = 0;
    for kind in kinds {
        let matcher = match query.filter.as_ref().map(|f| Matcher::new(kind, f)).transpose() {
            Ok(matcher) => matcher,
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        };
        usable += 1;
        let candidates = indexed_candidates(app, kind, query.filter.as_ref()).unwrap_or_else(|| app.store.list(kind));
        hits.extend(
            candidates.into_iter().filter(|r| matcher.as_ref().is_none_or(|m| m.matches(r))).map(|r| (kind, r)),
        );
    }
    if usable == 0 {
        return Err(
            first_error.unwrap_or_else(|| ScimError::invalid_filter("no resource type can evaluate this filter"))
        );
    }
    if let Some(path) = &query.sort_by {
        let mut sorters = kinds.iter().map(|k| Sorter::new(k, path, query.sort_order));
        let mut error = None;
        let sorter = loop {
            match sorters.next() {
                Some(Ok(sorter)) => break sorter,
                Some(Err(e)) => {
                    error.get_or_insert(e);
                }
                None => return Err(error.unwrap_or_else(|| ScimError::invalid_value("sortBy names no attribute"))),
            }
        };
        hits.sort_by(|a, b| sorter.compare(&a.1, &b.1));
    }
    let total = hits.len() as u64;
    let count = query.count.unwrap_or(app.max_results).min(app.max_results);
    let projections: Vec<(&Kind, Projection)> =
        kinds.iter().map(|k| (k, Projection::new(k, &query.attributes, &query.excluded_attributes))).collect();
    let skip = usize::try_from(query.start_index.saturating_sub(1)).unwrap_or(usize::MAX);
    let take = usize::try_from(count).unwrap_or(usize::MAX);
    let page: Vec<Projected<'_>> = hits
        .iter()
        .skip(skip)
        .take(take)
        .filter_map(|(kind, resource)| {
            let (_, projection) = projections.iter().find(|(k, _)| Arc::ptr_eq(k, kind))?;
            Some(projection.view(kind, resource))
        })
        .collect();
    Ok(ScimResponse::json(StatusCode::OK, &ListResponse::new(total, query.start_index, page)))
}
