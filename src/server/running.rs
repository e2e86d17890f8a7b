//! Starting the server in-process and stopping it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::normalize_base_path;
use super::router::router;
use super::state::AppState;
use super::{Registry, ServerConfig, ServerError};

/// A server running on a Tokio task. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningServer {
    url: String,
    token: String,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

/// Binds `config.addr` and serves until the returned handle is shut down or dropped.
pub async fn spawn(config: ServerConfig) -> Result<RunningServer, ServerError> {
    let base_path = normalize_base_path(&config.base_path)?;
    let registry = Arc::new(Registry::new(&config.extensions)?);
    let listener =
        TcpListener::bind(config.addr).await.map_err(|source| ServerError::Bind { addr: config.addr, source })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Bind { addr: config.addr, source })?;
    // A wildcard address is reachable through loopback; print that rather than 0.0.0.0.
    let reachable = match addr.ip() {
        ip if !ip.is_unspecified() => addr,
        IpAddr::V4(_) => SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port())),
        IpAddr::V6(_) => SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, addr.port())),
    };
    let url = format!("http://{reachable}{base_path}");
    let token = config.token.unwrap_or_else(generate_token);
    let app = router(AppState::new(registry, url.clone(), config.max_results), &base_path, &token);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                // Either an explicit stop or the handle being dropped ends the server.
                let _ = stopped.await;
            })
            .await
    });
    Ok(RunningServer { url, token, addr, stop: Some(stop), task: Some(task) })
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

    /// Stops accepting connections, lets in-flight requests finish, and waits for the server
    /// task. Returns the server's I/O error, if it failed.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or_else(|e| Err(std::io::Error::other(e))),
            None => Ok(()),
        }
    }
}
