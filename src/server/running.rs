//! Starting the server in-process and stopping it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use serde_json::Value;
use tokio::net::TcpListener;

use crate::scim::ScimError;

use super::config::normalize_base_path;
use super::fault::{Fault, Faults};
use super::router::router;
use super::serve_task::ServeTask;
use super::state::AppState;
use super::{Registry, ServerConfig, ServerError};

/// A server running on a Tokio task. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningServer {
    url: String,
    token: String,
    addr: SocketAddr,
    state: AppState,
    faults: Faults,
    serving: ServeTask,
}

/// Binds `config.addr` and serves until the returned handle is shut down or dropped.
pub async fn spawn(config: ServerConfig) -> Result<RunningServer, ServerError> {
    let base_path = normalize_base_path(&config.base_path)?;
    let registry = Arc::new(Registry::new(config.profile, &config.extensions)?);
    let listener =
        TcpListener::bind(config.addr).await.map_err(|reason| ServerError::Bind { addr: config.addr, reason })?;
    let addr = listener.local_addr().map_err(|reason| ServerError::Bind { addr: config.addr, reason })?;
    // A wildcard address is reachable through loopback; print that rather than 0.0.0.0.
    let reachable = match addr.ip() {
        ip if !ip.is_unspecified() => addr,
        IpAddr::V4(_) => SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port())),
        IpAddr::V6(_) => SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, addr.port())),
    };
    let url = format!("http://{reachable}{base_path}");
    let token = config.token.unwrap_or_else(generate_token);
    let state = AppState::new(registry, url.clone(), config.max_results, config.profile);
    for (index, user) in config.local_users.iter().enumerate() {
        state.add_local_user(user).map_err(|reason| ServerError::LocalUser { index, reason })?;
    }
    let faults = Faults::new(&base_path);
    let app = router(state.clone(), &base_path, &token, faults.clone());
    let serving = ServeTask::spawn(listener, app);
    Ok(RunningServer { url, token, addr, state, faults, serving })
}

/// 256 random bits, hex-encoded.
fn generate_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

impl RunningServer {
    /// The SCIM base URL, e.g. `http://127.0.0.1:43117/scim/v2`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bearer token clients must send.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Makes the server answer matching requests with `fault` instead of its own answer, for
    /// stories of what an IdP does when a server fails (after the bearer check).
    pub fn inject(&self, fault: Fault) {
        self.faults.inject(fault);
    }

    /// Adds a local user: one the product has that was not created through SCIM, as an admin
    /// makes in the product's own UI. `resource` is a User in the shape of a POST body (with
    /// `schemas`), checked against the schema like one but by no profile rule. Returns its id,
    /// or the SCIM error a POST of it would get (e.g. `409` for a taken `userName`).
    ///
    /// Local users are listed and read like any other; the Ivanti profile takes one over when a
    /// POST names its `userName` ([`super::Profile::Ivanti`]).
    pub fn add_local_user(&self, resource: Value) -> Result<String, ScimError> {
        let user = self.state.add_local_user(&resource)?;
        Ok(user.get("id").and_then(Value::as_str).unwrap_or_default().to_string())
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the server
    /// task. Returns the server's I/O error, if it failed.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.serving.stop().await
    }

    /// Shuts down as [`shutdown`](Self::shutdown) does, but leaves the server's resources to
    /// the process's exit instead of freeing them one by one: for `scimsim serve`, whose
    /// process ends right after. Freeing the store took 1.3 s between Ctrl-C and `stopped`
    /// for 200,000 users; the process's exit returns the same memory at once.
    pub async fn shutdown_for_exit(self) -> std::io::Result<()> {
        let Self { state, serving, .. } = self;
        let stopped = serving.stop().await;
        // The router's copy of the state went with the serving task; this is the last one.
        std::mem::forget(state);
        stopped
    }
}
