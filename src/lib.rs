//! # scimsim
//!
//! An identity-provider simulator and SCIM 2.0 conformance harness. It plays Microsoft Entra
//! ID and Okta the way they really provision users and groups, drives that traffic against a
//! target SCIM server, and judges every response. A story is written in Gherkin:
//!
//! ```gherkin
//! Feature: Entra disables a user
//!   Scenario: accountEnabled becomes false
//!     Given an Entra ID tenant
//!     And the user "alice" with:
//!       | attribute         | value             |
//!       | userPrincipalName | alice@contoso.com |
//!     And "alice" is assigned to the app
//!     When the provisioning cycle runs
//!     And "alice" is disabled
//!     And the provisioning cycle runs
//!     Then the target has the user "alice" inactive
//! ```
//!
//! With no target named, scimsim runs against its own embedded reference SCIM server
//! ([`server`]), a strict implementation of RFC 7643/7644 started on a loopback port.
//!
//! Modules:
//! - [`scim`]: the SCIM 2.0 vocabulary (paths, filters, PATCH, schemas, errors), no I/O;
//! - [`server`]: the embedded reference SCIM server (axum);
//! - [`idp`]: the simulated identity providers (directory, app, mappings, links, engines);
//! - [`target`]: the HTTP side: the client that sends an IdP's requests to a SCIM server;
//! - [`transcript`]: recorded exchanges, the public transcript format, secret redaction;
//! - [`capture`]: recorded IdP traffic: the recording proxy, replay, and the diff with the model;
//! - [`cli`]: the `scimsim` command line;
//! - [`exit_code`]: the documented process exit codes.

pub mod bdd;
pub mod capture;
pub mod checks;
pub mod cli;
pub mod exit_code;
pub mod idp;
pub mod load;
pub mod report;
pub mod scim;
pub mod server;
pub mod target;
pub mod transcript;
