//! A private certificate authority the user trusts for one run (`--ca-cert FILE`).

use std::fmt;
use std::path::{Path, PathBuf};

use super::error::{TargetError, describe};

/// The CA certificates of a PEM file, checked when read, added to the system's roots: a
/// staging target whose certificate a company CA issued verifies without turning
/// verification off.
#[derive(Clone)]
pub struct PrivateCa {
    path: PathBuf,
    certificates: Vec<reqwest::Certificate>,
}

impl fmt::Debug for PrivateCa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateCa").field("path", &self.path).field("certificates", &self.certificates.len()).finish()
    }
}

impl PrivateCa {
    /// Reads the PEM file at `path`: one or more `-----BEGIN CERTIFICATE-----` blocks, each a
    /// certificate rustls accepts as a trust anchor. Fails, naming the path and what to give
    /// instead, when the file cannot be read, holds no certificate, or holds a broken one.
    pub fn read(path: &Path) -> Result<Self, TargetError> {
        let fail = |reason: String| TargetError::CaCert { path: path.to_path_buf(), reason };
        let pem = std::fs::read(path).map_err(|err| fail(format!("cannot read it: {err}")))?;
        let certificates =
            reqwest::Certificate::from_pem_bundle(&pem).map_err(|err| fail(format!("not PEM: {}", describe(&err))))?;
        if certificates.is_empty() {
            return Err(fail("it holds no -----BEGIN CERTIFICATE----- block".into()));
        }
        // Building a client that trusts only these parses each one as a trust anchor, without
        // reading the system's roots: a broken certificate fails here, naming the file, rather
        // than when the run's clients are built.
        reqwest::Client::builder()
            .tls_certs_only(certificates.iter().cloned())
            .build()
            .map_err(|err| fail(format!("not a usable CA certificate: {}", describe(&err))))?;
        Ok(Self { path: path.to_path_buf(), certificates })
    }

    /// The file the certificates came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The certificates, for a client builder.
    pub(crate) fn certificates(&self) -> impl Iterator<Item = reqwest::Certificate> + '_ {
        self.certificates.iter().cloned()
    }
}
