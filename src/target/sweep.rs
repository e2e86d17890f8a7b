//! Finding what a run left on a target by its name prefix: every user or group whose
//! `userName`, `displayName` or `externalId` starts with it. `scimsim cleanup --run-id` and
//! an interrupted run use it for objects whose creation was never recorded (a request cut off
//! by Ctrl-C) or that a kept run left on purpose.
//!
//! The target is asked with a `sw` filter first; a target that refuses the filter is read in
//! full, page by page. Either way each resource's names are checked here again, so a target
//! that ignores the filter can never make the sweep pick an object of someone else's.

use std::collections::HashSet;

use serde_json::Value;

use super::body_limit::json_body;
use super::error::describe;
use super::removal::Remover;

/// Resources asked for per page.
const PAGE_SIZE: usize = 100;
/// The most pages read per endpoint: 1 000 000 resources, and an end to a target whose
/// paging never ends.
const MAX_PAGES: usize = 10_000;

/// A user or group of the run, found on the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// `Users/<id>` or `Groups/<id>`.
    pub path: String,
    /// The name that carries the prefix.
    pub name: String,
}

/// The target could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot list the target's {endpoint}: GET {url}: {reason}")]
pub struct SweepError {
    /// `Users` or `Groups`.
    pub endpoint: &'static str,
    /// The request.
    pub url: String,
    /// What went wrong.
    pub reason: String,
    /// Whether the target answered (an error status, or not a listing), rather than not at
    /// all: only then may a listing without the filter fare better.
    answered: bool,
}

/// Every group, then every user, of `remover`'s target that carries `prefix` in a name;
/// groups first, so they are removed before their members.
pub async fn find_named(remover: &Remover, prefix: &str) -> Result<Vec<Found>, SweepError> {
    let mut found = find_in(remover, "Groups", &["displayName", "externalId"], prefix).await?;
    found.extend(find_in(remover, "Users", &["userName", "displayName", "externalId"], prefix).await?);
    Ok(found)
}

/// The resources of one endpoint whose `names` carry `prefix`.
async fn find_in(
    remover: &Remover,
    endpoint: &'static str,
    names: &[&str],
    prefix: &str,
) -> Result<Vec<Found>, SweepError> {
    let quoted = serde_json::to_string(prefix).unwrap_or_default();
    let filter: Vec<String> = names.iter().map(|name| format!("{name} sw {quoted}")).collect();
    let filter: String = form_urlencoded::byte_serialize(filter.join(" or ").as_bytes()).collect();
    let filtered = read_all(remover, endpoint, &format!("filter={filter}&")).await;
    let resources = match filtered {
        Ok(resources) => resources,
        // A target that refuses `sw` (or filtering at all) is read in full; one that did not
        // answer would not answer that either.
        Err(error) if error.answered => read_all(remover, endpoint, "").await?,
        Err(error) => return Err(error),
    };
    Ok(resources
        .iter()
        .filter_map(|resource| {
            let id = resource.get("id")?.as_str()?;
            let name = names.iter().find_map(|name| {
                resource.get(*name).and_then(Value::as_str).filter(|value| value.starts_with(prefix))
            })?;
            Some(Found { path: format!("{endpoint}/{id}"), name: name.to_string() })
        })
        .collect())
}

/// Every resource a paged listing of `endpoint` returns (`query` goes before the paging
/// parameters). Stops at the end, at an empty page, at a page with nothing new (a target
/// that ignores `startIndex`), or after [`MAX_PAGES`].
async fn read_all(remover: &Remover, endpoint: &'static str, query: &str) -> Result<Vec<Value>, SweepError> {
    let mut resources = Vec::new();
    let mut seen = HashSet::new();
    let mut start = 1;
    for _ in 0..MAX_PAGES {
        let path = format!("{endpoint}?{query}startIndex={start}&count={PAGE_SIZE}");
        let failed = |reason: String, answered: bool| SweepError {
            endpoint,
            url: format!("{}/{path}", remover.base_url()),
            reason,
            answered,
        };
        let response = remover.get(&path).send().await.map_err(|e| failed(describe(&e), false))?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(failed(format!("HTTP {status}"), true));
        }
        let mut page =
            json_body(response).await.ok_or_else(|| failed("the answer is not a JSON ListResponse".into(), true))?;
        let total = page.get("totalResults").and_then(Value::as_u64).unwrap_or(0);
        let items = match page.get_mut("Resources").map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let before = seen.len();
        for item in items {
            let id = item.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            if !id.is_empty() && seen.insert(id) {
                resources.push(item);
            }
        }
        if seen.len() == before || seen.len() as u64 >= total {
            break;
        }
        start = seen.len() + 1;
    }
    Ok(resources)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use reqwest::Method;
    use serde_json::json;

    use super::*;
    use crate::server::{Fault, ServerConfig, spawn};
    use crate::target::Transport;

    fn http() -> reqwest::Client {
        Transport { use_env_proxy: false, ..Transport::default() }.client().expect("an HTTP client")
    }

    /// A user named `user_name` and a group named `group` on `server`.
    async fn seed(server: &crate::server::RunningServer, user_name: &str, group: &str) {
        let http = http();
        for (endpoint, body) in [
            ("Users", json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": user_name})),
            ("Groups", json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": group})),
        ] {
            let sent = http.post(format!("{}/{endpoint}", server.url())).bearer_auth(server.token()).json(&body);
            assert_eq!(sent.send().await.expect("the server answers").status(), 201);
        }
    }

    #[tokio::test]
    async fn a_target_that_refuses_the_filter_is_read_in_full_and_only_the_runs_names_taken() {
        let server = spawn(ServerConfig::default()).await.expect("the reference server");
        seed(&server, "s1-alice", "s1-Sales").await;
        seed(&server, "alice", "Sales").await;
        for endpoint in ["/Groups", "/Users"] {
            server.inject(Fault { times: Some(1), ..Fault::new(Method::GET, endpoint, 400) });
        }
        let remover = Remover::new(http(), server.url(), server.token());
        let found = find_named(&remover, "s1-").await.expect("the unfiltered listings");
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["s1-Sales", "s1-alice"], "groups first, nothing without the prefix");
        assert!(found[0].path.starts_with("Groups/") && found[1].path.starts_with("Users/"), "{found:?}");
    }

    #[tokio::test]
    async fn a_target_that_does_not_answer_is_asked_once() {
        // Takes each connection and closes it at once, counting them.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let url = format!("http://{}/scim", listener.local_addr().expect("an address"));
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&connections);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                drop(socket);
            }
        });
        let remover = Remover::new(http(), &url, "t0ken");
        let error = find_named(&remover, "s1-").await.expect_err("no answer");
        assert_eq!(error.endpoint, "Groups");
        assert!(error.url.contains("filter="), "{error}");
        assert_eq!(connections.load(Ordering::SeqCst), 1, "no second, unfiltered read of a dead target");
    }
}
