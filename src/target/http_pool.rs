//! The process's HTTP clients, one per set of transport options and shared by every
//! [`TargetClient`](super::TargetClient) that asks for the same ones.
//!
//! Building a rustls client reads and parses the system's root certificates, which costs
//! milliseconds; a suite run makes several clients per scenario, so building each anew spent
//! most of the run in PEM decoding. A `reqwest::Client` is a handle to a shared pool, so
//! clones are cheap, and connections are keyed by scheme, host and port, so sharing one across
//! targets mixes nothing.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use super::error::{TargetError, describe};

/// What makes two clients different: the request timeout, whether environment proxies apply,
/// and whether invalid certificates are accepted. Redirects are never followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Transport {
    /// The whole-request timeout.
    pub timeout: Duration,
    /// Honour `HTTPS_PROXY` and friends (not for loopback targets).
    pub use_env_proxy: bool,
    /// Accept any certificate (only when the user names it).
    pub accept_invalid_certs: bool,
}

/// The clients built so far; a handful at most.
static CLIENTS: Mutex<Vec<(Transport, reqwest::Client)>> = Mutex::new(Vec::new());

/// A client for `transport`, built on first use.
pub(crate) fn client(transport: Transport) -> Result<reqwest::Client, TargetError> {
    let mut clients = CLIENTS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, client)) = clients.iter().find(|(t, _)| *t == transport) {
        return Ok(client.clone());
    }
    let mut builder = reqwest::Client::builder().timeout(transport.timeout).redirect(reqwest::redirect::Policy::none());
    if !transport.use_env_proxy {
        builder = builder.no_proxy();
    }
    if transport.accept_invalid_certs {
        builder = builder.tls_danger_accept_invalid_certs(true);
    }
    let client = builder.build().map_err(|err| TargetError::Client { reason: describe(&err) })?;
    clients.push((transport, client.clone()));
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_transport_gets_the_same_pool_and_another_gets_its_own() {
        let loopback = Transport { timeout: Duration::from_secs(7), use_env_proxy: false, accept_invalid_certs: false };
        client(loopback).unwrap();
        client(loopback).unwrap();
        client(Transport { use_env_proxy: true, ..loopback }).unwrap();
        let clients = CLIENTS.lock().unwrap();
        assert_eq!(clients.iter().filter(|(t, _)| *t == loopback).count(), 1);
        assert!(clients.iter().any(|(t, _)| t.use_env_proxy && t.timeout == loopback.timeout));
    }
}
