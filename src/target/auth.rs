//! How requests to the target authenticate (the IdP admin's "Authentication Method").

use std::fmt;

/// The authentication the IdP was configured with; the client turns it into the
/// `Authorization` header (entra-wire.md §0, okta-wire.md §1.0 "Authorization forms").
///
/// `Debug` never shows a secret.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Auth {
    /// No `Authorization` header (unless the IdP's own headers carry one).
    #[default]
    None,
    /// `Authorization: Bearer <token>`: Entra's Secret Token, Okta's "Bearer" mode.
    Bearer(String),
    /// `Authorization: <value>` verbatim: Okta's "Header" mode (the raw API token, no scheme).
    Header(String),
    /// `Authorization: Basic base64(user:password)`: Okta AIW apps.
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
    /// OAuth 2.0 client credentials (Entra's "OAuth2 Client Credentials Grant"): a token is
    /// fetched from `token_url`, cached, and sent as `Authorization: Bearer <access token>`.
    OAuth2ClientCredentials {
        /// The token endpoint.
        token_url: String,
        /// The client identifier.
        client_id: String,
        /// The client secret, sent in the form body (`client_secret_post`).
        client_secret: String,
        /// The `scope` parameter, when the authorization server wants one.
        scope: Option<String>,
    },
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HIDDEN: &str = crate::transcript::REDACTED;
        match self {
            Auth::None => f.write_str("None"),
            Auth::Bearer(_) => f.debug_tuple("Bearer").field(&HIDDEN).finish(),
            Auth::Header(_) => f.debug_tuple("Header").field(&HIDDEN).finish(),
            Auth::Basic { user, .. } => f.debug_struct("Basic").field("user", user).field("password", &HIDDEN).finish(),
            Auth::OAuth2ClientCredentials { token_url, client_id, scope, .. } => f
                .debug_struct("OAuth2ClientCredentials")
                .field("token_url", token_url)
                .field("client_id", client_id)
                .field("client_secret", &HIDDEN)
                .field("scope", scope)
                .finish(),
        }
    }
}

impl Auth {
    /// Every secret this mode holds, in the spellings that may show up in output: the token,
    /// the header value and its credential part, the password and the Basic credentials as
    /// base64, the client secret. Access tokens obtained later are added by the client.
    pub fn secrets(&self) -> Vec<String> {
        match self {
            Auth::None => Vec::new(),
            Auth::Bearer(token) => vec![token.clone()],
            Auth::Header(value) => {
                let mut secrets = vec![value.clone()];
                if let Some((_scheme, credential)) = value.trim().split_once(' ') {
                    secrets.push(credential.trim().to_string());
                }
                secrets
            }
            Auth::Basic { user, password } => vec![password.clone(), base64(format!("{user}:{password}").as_bytes())],
            Auth::OAuth2ClientCredentials { client_secret, .. } => vec![client_secret.clone()],
        }
    }

    /// The `Authorization` value for the modes that need no network: `None` for [`Auth::None`]
    /// and for OAuth (its token is fetched by the client).
    pub(crate) fn static_header(&self) -> Option<String> {
        match self {
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
            Auth::Header(value) => Some(value.clone()),
            Auth::Basic { user, password } => {
                Some(format!("Basic {}", base64(format!("{user}:{password}").as_bytes())))
            }
            Auth::None | Auth::OAuth2ClientCredentials { .. } => None,
        }
    }
}

/// Standard base64 with padding (RFC 4648 §4), as HTTP Basic credentials use it (RFC 7617).
fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
        for (input, want) in cases {
            assert_eq!(base64(input.as_bytes()), want);
        }
        // RFC 7617 §2's example.
        assert_eq!(base64(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    #[test]
    fn headers_per_mode() {
        assert_eq!(Auth::None.static_header(), None);
        assert_eq!(Auth::Bearer("t0k".into()).static_header().unwrap(), "Bearer t0k");
        assert_eq!(Auth::Header("SSWS abc".into()).static_header().unwrap(), "SSWS abc");
        let basic = Auth::Basic { user: "Aladdin".into(), password: "open sesame".into() };
        assert_eq!(basic.static_header().unwrap(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(basic.secrets(), ["open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="]);
        assert_eq!(Auth::Header("SSWS abcd".into()).secrets(), ["SSWS abcd", "abcd"]);
    }

    #[test]
    fn debug_hides_secrets() {
        let modes = [
            Auth::Bearer("secret-1".into()),
            Auth::Header("secret-1".into()),
            Auth::Basic { user: "u".into(), password: "secret-1".into() },
            Auth::OAuth2ClientCredentials {
                token_url: "https://idp/token".into(),
                client_id: "id".into(),
                client_secret: "secret-1".into(),
                scope: None,
            },
        ];
        for mode in modes {
            let debug = format!("{mode:?}");
            assert!(!debug.contains("secret-1"), "{debug}");
            assert!(debug.contains("[redacted]"), "{debug}");
        }
    }
}
