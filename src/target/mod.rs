//! The HTTP side: the client that sends an IdP's requests to a SCIM server and records each
//! exchange for the transcript.
//!
//! The IdP engines decide everything on the wire (method, path, the query's encoding, every
//! header, the body's key order); [`TargetClient`] carries that unchanged, adds only the
//! `Authorization` header its [`Auth`] mode calls for, and hands back the [`Reply`] with the
//! recorded, already redacted [`Exchange`](crate::transcript::Exchange). It knows no IdP logic.

mod answer_body;
mod auth;
mod body_limit;
mod certificate_trust;
mod client;
mod config;
mod created_object;
mod error;
mod exchange_meta;
mod found_object;
mod id_map;
mod loopback;
mod member_scan;
mod pacer;
mod path_cache;
mod private_ca;
mod removal;
mod reply;
mod request;
mod request_body;
mod request_header;
mod sent_request;
mod sweep;
mod token;
mod transport;
mod write_guard;

pub use answer_body::{AnswerBody, Members};
pub use auth::Auth;
pub use body_limit::MAX_BODY_BYTES;
pub(crate) use body_limit::{BodyError, json_body, read_body_within, read_json};
pub use certificate_trust::CertificateTrust;
pub use client::TargetClient;
pub(crate) use client::check_base_url;
pub use config::{DEFAULT_TIMEOUT, MAX_TIMEOUT, Recording, TargetConfig};
pub use created_object::CreatedObject;
pub use error::TargetError;
pub(crate) use error::{describe, send_failure};
pub use exchange_meta::ExchangeMeta;
pub use found_object::found_object;
pub use id_map::IdMap;
pub use loopback::{is_loopback, is_loopback_ip};
pub use pacer::Pacer;
pub use private_ca::PrivateCa;
pub use removal::{Leftover, Removal, Remover};
pub(crate) use reply::delay_seconds;
pub use reply::{MAX_RETRY_AFTER, Reply};
pub use request::OutgoingRequest;
pub use request_body::RequestBody;
pub use request_header::RequestHeader;
pub use sent_request::SentRequest;
pub use sweep::{Found, SweepError, find_named};
pub use transport::Transport;
pub use write_guard::WriteGuard;
