//! OAuth 2.0 client-credentials access tokens: fetched, cached, refreshed.

use std::fmt;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::Value;

use super::body_limit::{BodyError, read_body, snippet};
use super::error::{TargetError, describe};
use super::{Auth, MAX_BODY_BYTES};
use crate::transcript::Redactor;

/// A cached token is replaced this long before it expires, so it never expires in flight.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(30);

/// Where access tokens come from, and the current one.
pub(crate) struct TokenSource {
    token_url: String,
    client_id: String,
    client_secret: String,
    scope: Option<String>,
    /// Held while a token is fetched, so concurrent requests share one fetch.
    cached: tokio::sync::Mutex<Option<CachedToken>>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource").field("token_url", &self.token_url).field("client_id", &self.client_id).finish()
    }
}

struct CachedToken {
    value: String,
    /// `None` when the endpoint gave no usable `expires_in`: used until the target answers 401.
    expires_at: Option<Instant>,
}

/// An access token and whether it was fetched for this very request (a fresh token that
/// gets a 401 is not worth replacing).
pub(crate) struct Bearer {
    pub(crate) token: String,
    pub(crate) fresh: bool,
}

/// What a token fetch needs from the client.
pub(crate) struct FetchContext<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) timeout: Duration,
    pub(crate) redactor: &'a RwLock<Redactor>,
    /// The request that needs the token, for error messages.
    pub(crate) request: &'a str,
}

impl FetchContext<'_> {
    fn redact(&self, text: &str) -> String {
        self.redactor.read().unwrap_or_else(std::sync::PoisonError::into_inner).redact_str(text).into_owned()
    }
}

impl TokenSource {
    /// The token source of an OAuth mode; `None` for the others.
    pub(crate) fn from_auth(auth: &Auth) -> Option<Self> {
        match auth {
            Auth::OAuth2ClientCredentials { token_url, client_id, client_secret, scope } => Some(Self {
                token_url: token_url.clone(),
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
                scope: scope.clone(),
                cached: tokio::sync::Mutex::new(None),
            }),
            _ => None,
        }
    }

    /// The cached token while it has more than [`REFRESH_MARGIN`] left, else a new one.
    pub(crate) async fn bearer(&self, context: &FetchContext<'_>) -> Result<Bearer, TargetError> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref()
            && token.expires_at.is_none_or(|at| Instant::now() + REFRESH_MARGIN < at)
        {
            return Ok(Bearer { token: token.value.clone(), fresh: false });
        }
        let token = self.fetch(context).await?;
        let value = token.value.clone();
        *cached = Some(token);
        Ok(Bearer { token: value, fresh: true })
    }

    /// Forgets `rejected` (the target answered 401 to it), unless another request has
    /// already replaced it.
    pub(crate) async fn invalidate(&self, rejected: &str) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|token| token.value == rejected) {
            *cached = None;
        }
    }

    /// POSTs `grant_type=client_credentials` (RFC 6749 §4.4) with the client credentials in
    /// the form body, and reads `access_token` and `expires_in` from the JSON answer. The
    /// token joins the redactor before anything else can see it.
    async fn fetch(&self, context: &FetchContext<'_>) -> Result<CachedToken, TargetError> {
        let fail = |status: Option<u16>, detail: String| TargetError::Token {
            request: context.request.to_string(),
            token_url: context.redact(&self.token_url),
            status,
            detail: context.redact(&detail),
        };
        // The serializer is not `Send`: finish it before the first await.
        let form = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials")
                .append_pair("client_id", &self.client_id)
                .append_pair("client_secret", &self.client_secret);
            if let Some(scope) = &self.scope {
                form.append_pair("scope", scope);
            }
            form.finish()
        };
        let send = context
            .http
            .post(&self.token_url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(form);
        let deadline = tokio::time::Instant::now() + context.timeout;
        let no_answer = || format!("no answer within {} s", context.timeout.as_secs_f64());
        let response = match tokio::time::timeout_at(deadline, send.send()).await {
            Err(_) => return Err(fail(None, no_answer())),
            Ok(Err(err)) if err.is_timeout() => return Err(fail(None, no_answer())),
            Ok(Err(err)) => return Err(fail(None, describe(&err))),
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        let code = Some(status.as_u16());
        let bytes = match tokio::time::timeout_at(deadline, read_body(response)).await {
            Err(_) => return Err(fail(code, format!("HTTP {status}, then {}", no_answer()))),
            Ok(Err(BodyError::Read(err))) => {
                return Err(fail(code, format!("HTTP {status}, body unreadable: {}", describe(&err))));
            }
            Ok(Err(BodyError::TooLarge)) => {
                return Err(fail(code, format!("HTTP {status}, body larger than {} MiB", MAX_BODY_BYTES >> 20)));
            }
            Ok(Ok(bytes)) => bytes,
        };
        if !status.is_success() {
            return Err(fail(code, format!("HTTP {status}: {}", snippet(&bytes))));
        }
        let Ok(answer) = serde_json::from_slice::<Value>(&bytes) else {
            return Err(fail(code, format!("HTTP {status} but the body is not JSON: {}", snippet(&bytes))));
        };
        let Some(token) = answer.get("access_token").and_then(Value::as_str).filter(|token| !token.is_empty()) else {
            // A success body may hold other credentials: name its keys, never its values.
            let keys: Vec<&str> =
                answer.as_object().map(|map| map.keys().map(String::as_str).collect()).unwrap_or_default();
            return Err(fail(code, format!("HTTP {status} but no access_token in the answer (keys: {keys:?})")));
        };
        context.redactor.write().unwrap_or_else(std::sync::PoisonError::into_inner).add_secret(token);
        // An expiry too far away for the clock (`"expires_in": 1e30`) counts as none.
        let expires_at = answer
            .get("expires_in")
            .and_then(seconds)
            .and_then(|secs| Instant::now().checked_add(Duration::from_secs(secs)));
        Ok(CachedToken { value: token.to_string(), expires_at })
    }
}

/// `expires_in` as whole seconds: a number (RFC 6749 §5.1) or, as some servers send it, a
/// numeric string.
fn seconds(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => {
            number.as_u64().or_else(|| number.as_f64().filter(|secs| *secs >= 0.0).map(|secs| secs as u64))
        }
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn expires_in_forms() {
        assert_eq!(seconds(&json!(3600)), Some(3600));
        assert_eq!(seconds(&json!(59.9)), Some(59));
        assert_eq!(seconds(&json!("120")), Some(120));
        assert_eq!(seconds(&json!(-1)), None);
        assert_eq!(seconds(&json!(null)), None);
    }
}
