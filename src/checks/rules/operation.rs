//! What a request does, read from its method and path (RFC 7644 §3.2): the kinds of exchange
//! the rules judge. Discovery endpoints, `/Bulk` and `/Me` are none of them.

use crate::transcript::RecordedRequest;

/// Endpoints that are not resource types: their answers are configuration, bulk results or an
/// alias, judged by no resource rule.
const NOT_RESOURCE_TYPES: [&str; 5] = ["ServiceProviderConfig", "ResourceTypes", "Schemas", "Bulk", "Me"];

/// The SCIM operation a request performs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Operation<'a> {
    /// `POST /{endpoint}`: creating a resource (RFC 7644 §3.3).
    Create {
        /// The resource type's endpoint name, e.g. `Users`.
        endpoint: &'a str,
    },
    /// `GET`, `PUT`, `PATCH` or `DELETE` of `/{endpoint}/{id}` (RFC 7644 §3.4.1, §3.5, §3.6).
    OnResource {
        /// Which of the four.
        method: ResourceMethod,
        /// The resource it names.
        resource: ResourceRef<'a>,
    },
    /// `GET /{endpoint}`, `GET /`, `POST /{endpoint}/.search` or `POST /.search`: a query
    /// (RFC 7644 §3.4.2, §3.4.3). `endpoint` is `None` for a query of the server root.
    Query {
        /// The resource type's endpoint name, or `None` at the root.
        endpoint: Option<&'a str>,
    },
    /// Anything else: discovery, bulk, `/Me`, unknown methods.
    Other,
}

/// The method of an operation on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ResourceMethod {
    /// `GET`: retrieving a known resource (RFC 7644 §3.4.1).
    Read,
    /// `PUT`: replacing it (RFC 7644 §3.5.1).
    Replace,
    /// `PATCH`: modifying it (RFC 7644 §3.5.2).
    Modify,
    /// `DELETE`: deleting it (RFC 7644 §3.6).
    Delete,
}

/// One resource as a request path names it: `/Users/2819c223` is endpoint `Users`, id
/// `2819c223` (percent-decoded, so it compares with the `id` a body carries).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ResourceRef<'a> {
    /// The resource type's endpoint name, e.g. `Users`.
    pub endpoint: &'a str,
    /// The resource's `id`.
    pub id: String,
}

impl ResourceRef<'_> {
    /// Whether this is a User (the endpoint IdPs provision users through).
    pub fn is_user(&self) -> bool {
        self.endpoint.eq_ignore_ascii_case("Users")
    }

    /// Whether `other` names the same resource (endpoint names compare without case).
    pub fn is(&self, other: &ResourceRef<'_>) -> bool {
        self.endpoint.eq_ignore_ascii_case(other.endpoint) && self.id == other.id
    }
}

impl std::fmt::Display for ResourceRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/{}/{}", self.endpoint, self.id)
    }
}

impl<'a> Operation<'a> {
    /// Reads what `request` does.
    pub fn of(request: &'a RecordedRequest) -> Self {
        let method = request.method.to_ascii_uppercase();
        let trimmed = request.path.trim_matches('/');
        let segments: Vec<&str> = if trimmed.is_empty() { Vec::new() } else { trimmed.split('/').collect() };
        let resource_type = |endpoint: &str| !NOT_RESOURCE_TYPES.iter().any(|n| n.eq_ignore_ascii_case(endpoint));
        match (method.as_str(), segments.as_slice()) {
            ("GET", []) | ("POST", [".search"]) => Self::Query { endpoint: None },
            ("GET", [endpoint]) | ("POST", [endpoint, ".search"]) if resource_type(endpoint) => {
                Self::Query { endpoint: Some(endpoint) }
            }
            ("POST", [endpoint]) if resource_type(endpoint) => Self::Create { endpoint },
            (_, [endpoint, id]) if resource_type(endpoint) && *id != ".search" => {
                let method = match method.as_str() {
                    "GET" => ResourceMethod::Read,
                    "PUT" => ResourceMethod::Replace,
                    "PATCH" => ResourceMethod::Modify,
                    "DELETE" => ResourceMethod::Delete,
                    _ => return Self::Other,
                };
                Self::OnResource { method, resource: ResourceRef { endpoint, id: percent_decoded(id) } }
            }
            _ => Self::Other,
        }
    }

    /// The resource a `GET`/`PUT`/`PATCH`/`DELETE` names.
    pub fn resource(&self) -> Option<&ResourceRef<'a>> {
        match self {
            Self::OnResource { resource, .. } => Some(resource),
            _ => None,
        }
    }

    /// The resource when the operation is `method` on it.
    pub fn on(&self, wanted: ResourceMethod) -> Option<&ResourceRef<'a>> {
        match self {
            Self::OnResource { method, resource } if *method == wanted => Some(resource),
            _ => None,
        }
    }
}

/// A path segment with its `%XX` escapes decoded (a `+` stays a `+` in a path).
fn percent_decoded(segment: &str) -> String {
    let form = format!("s={}", segment.replace('+', "%2B"));
    form_urlencoded::parse(form.as_bytes()).next().map_or_else(|| segment.to_string(), |(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::rules::test_exchange::request;

    #[test]
    fn reads_the_operations_of_rfc_7644_section_3_2() {
        let cases = [
            (request("POST", "/Users"), Operation::Create { endpoint: "Users" }),
            (request("get", "/Groups"), Operation::Query { endpoint: Some("Groups") }),
            (request("POST", "/Users/.search"), Operation::Query { endpoint: Some("Users") }),
            (request("POST", "/.search"), Operation::Query { endpoint: None }),
            (request("GET", "/"), Operation::Query { endpoint: None }),
        ];
        for (request, operation) in &cases {
            assert_eq!(&Operation::of(request), operation, "{} {}", request.method, request.path);
        }
        let patch = request("PATCH", "/Users/a%20b+c/");
        assert_eq!(Operation::of(&patch).on(ResourceMethod::Modify).unwrap().id, "a b+c");
        assert!(Operation::of(&patch).on(ResourceMethod::Read).is_none());
        let delete = request("DELETE", "/Groups/7");
        assert_eq!(Operation::of(&delete).resource().unwrap().to_string(), "/Groups/7");
    }

    #[test]
    fn discovery_bulk_and_me_are_other() {
        for (method, path) in [
            ("GET", "/ServiceProviderConfig"),
            ("GET", "/Schemas/urn:x"),
            ("POST", "/Bulk"),
            ("GET", "/Me"),
            ("HEAD", "/Users/1"),
            ("GET", "/Users/1/x"),
        ] {
            assert_eq!(Operation::of(&request(method, path)), Operation::Other, "{method} {path}");
        }
    }
}
