//! Why the reference server could not start.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::scim::{SchemaError, ScimError};

/// A server that could not be configured or started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The listening address could not be bound.
    // The causes are named `reason`, not `source`: the message shows them once, and a
    // `source` would be shown again by every printer that walks the error chain.
    #[error("cannot listen on {addr}: {reason} (pick another port with --addr 127.0.0.1:PORT, or 0 for any free port)")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What the OS said.
        reason: std::io::Error,
    },
    /// A `--schema` file could not be read.
    #[error(
        "cannot read schema file {}: {reason}; name a readable JSON file holding an RFC 7643 §7 schema, \
         as FILE, User=FILE or Group=FILE",
        path.display()
    )]
    SchemaRead {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        reason: std::io::Error,
    },
    /// A `--schema` file is not a usable schema.
    #[error("schema file {}: {reason}", path.display())]
    SchemaInvalid {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: SchemaError,
    },
    /// An extension names a resource type the server does not have, or clashes.
    #[error("{0}")]
    Extension(String),
    /// A `--seed` file could not be read.
    #[error("cannot read local users file {}: {reason}", path.display())]
    LocalUsersRead {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        reason: std::io::Error,
    },
    /// A `--seed` file is not a JSON array of User resources.
    #[error("local users file {}: {detail}", path.display())]
    LocalUsersInvalid {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
    },
    /// A local user was refused, as a POST of it would be.
    #[error("local user {index} (counting from 0): {reason}")]
    LocalUser {
        /// Its position among [`super::ServerConfig::local_users`].
        index: usize,
        /// Why it was refused.
        reason: ScimError,
    },
    /// The base path has characters a URL path segment cannot hold.
    #[error("base path {0:?} is not a URL path such as /scim/v2")]
    BasePath(String),
}
