//! Which server certificates a client accepts.

use super::PrivateCa;

/// Which TLS certificates the target may present. reqwest's `rustls` feature verifies with
/// rustls-platform-verifier: the operating system's trust store (on Linux, its CA bundle),
/// with the certificate's host name and dates checked, as a browser would.
#[derive(Debug, Clone, Default)]
pub enum CertificateTrust {
    /// Certificates the system trusts, and no others. Both IdPs verify this way.
    #[default]
    System,
    /// Certificates the system trusts, and those a private CA issued (`--ca-cert FILE`).
    SystemAndPrivateCa(PrivateCa),
    /// Any certificate, unverified (`--insecure`): for a self-signed staging target only, as
    /// anyone on the network path could then read the token.
    Any,
}
