//! The SCIM 2.0 vocabulary (RFC 7643, RFC 7644): URNs, attribute paths, the filter grammar,
//! PATCH operations, list responses, errors, schemas — and their meaning over JSON resources
//! (filter matching, sorting, attribute projection, PATCH application, validation).
//!
//! No I/O and nothing about identity providers lives here: the reference server, the IdP
//! engines and the checks all speak this vocabulary.

mod date_time;
mod document;
mod error;
mod filter;
mod json_template;
mod list_response;
mod locator;
mod matcher;
mod patch_op;
mod patcher;
mod path;
mod projection;
mod query;
mod resource_schema;
mod resource_type;
mod schema;
mod sorter;
mod suggestion;
mod syntax_error;
mod token;
pub mod urn;
mod validation;

pub use date_time::{format_timestamp, parse_date_time};
pub use document::{equalities, get_path, set_path};
pub use error::{ScimError, ScimType};
pub use filter::{CompValue, CompareOp, Filter, MAX_DEPTH, MAX_LENGTH};
pub use json_template::{HoleValue, JsonTemplate, fits_a_hole, shaped_by_kinds};
pub use list_response::ListResponse;
pub use matcher::Matcher;
pub use patch_op::{PatchKind, PatchOp, PatchOperation};
pub use patcher::apply_patch;
pub use path::{AttrPath, PatchPath};
pub use projection::{Projected, Projection};
pub use query::{ListQuery, SortOrder};
pub use resource_schema::{Resolved, ResourceSchema, Target};
pub use resource_type::{ResourceType, SchemaExtension};
pub use schema::{AttrType, Attribute, Mutability, Returned, Schema, SchemaError, Uniqueness};
pub use schema::{COMMON, ENTERPRISE_USER, GROUP, USER};
pub use sorter::Sorter;
pub use suggestion::{closest, edit_distance};
pub use syntax_error::SyntaxError;
pub use validation::{canonicalize, preserve_on_replace, set_schemas};
