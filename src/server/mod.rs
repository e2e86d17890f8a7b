//! The embedded reference SCIM server: a strict RFC 7643/7644 implementation on axum, started
//! on a loopback port by `scimsim serve`, by tests and by every run that names no target.
//!
//! ```no_run
//! # async fn demo() -> Result<(), scimsim::server::ServerError> {
//! let server = scimsim::server::spawn(scimsim::server::ServerConfig::default()).await?;
//! println!("{} (token {})", server.url(), server.token());
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Strict where the RFC is, lenient only where the RFC allows it and real IdPs need it
//! (case-insensitive attribute names and `op`, Entra's `"True"`/`"False"` strings, Entra's
//! bare-string `manager`); see [`crate::scim`] for the rules.

mod auth;
mod config;
mod discovery;
mod envelope;
mod error;
mod etag;
mod registry;
mod resources;
mod response;
mod router;
mod running;
mod scim_json;
mod state;
mod store;

pub use config::{Extension, ServerConfig};
pub use error::ServerError;
pub use etag::EntityTags;
pub use registry::Registry;
pub use response::SCIM_JSON;
pub use running::{RunningServer, spawn};
pub use scim_json::MAX_BODY_BYTES;
pub use store::{Resource, Store};
