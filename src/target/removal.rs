//! Removing what a run created on a target: `DELETE`, or, where the target answers 405 or 501
//! to `DELETE` (some servers can only deactivate), a `PATCH` that sets a user's `active` to
//! false. Used at the end of each scenario, after an interrupted run and by `scimsim cleanup`.
//!
//! It only ever touches the paths it is given: the caller knows the run created them.

use std::fmt;

use serde_json::json;

use super::error::describe;

/// How removing one object ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// The target deleted it.
    Deleted,
    /// It was gone already (404).
    AlreadyGone,
    /// The target cannot delete (405/501), so the user was deactivated instead: it stays on
    /// the target.
    Deactivated,
    /// It is still on the target: why, as the target answered.
    Failed(String),
}

impl Removal {
    /// True when nothing of the object is left on the target.
    pub fn removed(&self) -> bool {
        matches!(self, Self::Deleted | Self::AlreadyGone)
    }
}

impl fmt::Display for Removal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Deleted => f.write_str("deleted"),
            Self::AlreadyGone => f.write_str("already gone"),
            Self::Deactivated => f.write_str("deactivated (the target cannot delete it)"),
            Self::Failed(reason) => f.write_str(reason),
        }
    }
}

/// An object a run could not remove, for the run's last lines and `scimsim cleanup`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// `Users/<id>` or `Groups/<id>`.
    pub path: String,
    /// Why it is still there.
    pub removal: Removal,
}

impl fmt::Display for Leftover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.removal)
    }
}

/// Removes objects from one target with a bearer token.
#[derive(Debug, Clone)]
pub struct Remover {
    http: reqwest::Client,
    base_url: String,
    token: String,
}

impl Remover {
    /// A remover for the target at `base_url` (trailing slashes ignored) that sends `token`.
    pub fn new(http: reqwest::Client, base_url: &str, token: &str) -> Self {
        Self { http, base_url: base_url.trim_end_matches('/').to_string(), token: token.to_string() }
    }

    /// The target's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The HTTP client and token, for reading the target.
    pub(crate) fn get(&self, path_and_query: &str) -> reqwest::RequestBuilder {
        self.http.get(format!("{}/{path_and_query}", self.base_url)).bearer_auth(&self.token)
    }

    /// Removes `path` (`Users/<id>` or `Groups/<id>`): DELETE; on 405 or 501 a user is
    /// deactivated instead.
    pub async fn remove(&self, path: &str) -> Removal {
        let url = format!("{}/{path}", self.base_url);
        let status = match self.http.delete(&url).bearer_auth(&self.token).send().await {
            Ok(response) => response.status().as_u16(),
            Err(error) => return Removal::Failed(format!("DELETE {url}: {}", describe(&error))),
        };
        match status {
            200..=299 => Removal::Deleted,
            404 | 410 => Removal::AlreadyGone,
            405 | 501 if path.starts_with("Users/") => self.deactivate(&url, status).await,
            405 | 501 => Removal::Failed(format!("DELETE {url}: HTTP {status}, and a group cannot be deactivated")),
            _ => Removal::Failed(format!("DELETE {url}: HTTP {status}")),
        }
    }

    /// Sets a user's `active` to false, as both IdPs do when they cannot delete.
    async fn deactivate(&self, url: &str, delete_status: u16) -> Removal {
        let body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": false}],
        });
        let sent = self
            .http
            .patch(url)
            .bearer_auth(&self.token)
            .header("content-type", "application/scim+json")
            .body(body.to_string())
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => Removal::Deactivated,
            Ok(response) => Removal::Failed(format!(
                "DELETE {url}: HTTP {delete_status}; deactivating it instead: PATCH HTTP {}",
                response.status().as_u16()
            )),
            Err(error) => Removal::Failed(format!(
                "DELETE {url}: HTTP {delete_status}; deactivating it instead: PATCH: {}",
                describe(&error)
            )),
        }
    }
}
