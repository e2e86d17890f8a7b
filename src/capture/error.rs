//! Why a recording could not start, or could not keep everything it saw.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::target::TargetError;

/// A recording proxy that cannot start or did not record everything. Each message says what
/// to do. Problems the user fixes on the command line carry their cause as text, so they map
/// to exit code 2; a port that cannot be bound keeps its `io::Error`, so it maps to 3.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// `--listen` names an address other machines can reach, without the flag that allows it.
    #[error(
        "--listen {addr}: not a loopback address, so anyone on the network could reach the proxy and the IdP's bearer token would arrive over plain http; listen on 127.0.0.1 and expose the port through a tunnel that terminates TLS (e.g. `--listen 127.0.0.1:{}`), or pass --listen-non-loopback if this network is trusted",
        addr.port()
    )]
    NonLoopbackListen {
        /// The address given.
        addr: SocketAddr,
    },
    /// The target URL or the HTTP client built for it is unusable.
    #[error("--target: {0}")]
    Target(#[from] TargetError),
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source} (is another program using the port? choose another --listen port)")]
    Bind {
        /// The address given.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The output directory cannot be created.
    #[error("--out {}: cannot create the directory: {reason} (name a directory you can write to)", dir.display())]
    OutDir {
        /// The directory given.
        dir: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// The recording file already exists; recordings are never overwritten.
    #[error(
        "{} exists and a recording is never overwritten (another recording started in the same second: start again, or choose another --out)",
        file.display()
    )]
    FileExists {
        /// The file.
        file: PathBuf,
    },
    /// The recording file cannot be created.
    #[error("cannot create {}: {reason} (name an --out directory you can write to)", file.display())]
    File {
        /// The file.
        file: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// Some exchanges were answered but could not be written to the recording.
    #[error(
        "{count} exchanges were forwarded but could not be written to {}: {reason} (check the disk's free space and the file's permissions)",
        file.display()
    )]
    Unwritten {
        /// The recording file.
        file: PathBuf,
        /// How many exchanges are missing from it.
        count: u64,
        /// The first write failure.
        reason: String,
    },
    /// The proxy's server failed while running.
    #[error("the recording proxy stopped with an error: {0}")]
    Server(#[source] std::io::Error),
}
