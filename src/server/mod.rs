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
//! bare-string `manager`); see [`crate::scim`] for the rules. A behaviour [`Profile`] makes it
//! play a real product instead (Omni, Ivanti), and local users ([`RunningServer::add_local_user`],
//! [`ServerConfig::local_users`]) stand for the users such a product has that were not created
//! through SCIM.

mod auth;
mod blank_values;
mod config;
mod discovery;
mod envelope;
mod error;
mod etag;
mod extension_writes;
mod fault;
mod ivanti;
mod local_users;
mod omni;
mod profile;
mod registry;
mod resources;
mod response;
mod router;
mod running;
mod scim_json;
mod serve_task;
mod state;
mod store;

pub use config::{Extension, ServerConfig};
pub use error::ServerError;
pub use etag::EntityTags;
pub use fault::Fault;
pub use local_users::read_local_users;
pub use profile::{Profile, UnknownProfile};
pub use registry::Registry;
pub use response::SCIM_JSON;
pub use running::{RunningServer, spawn};
pub use scim_json::MAX_BODY_BYTES;
pub(crate) use serve_task::ServeTask;
pub use store::{Resource, Store};
