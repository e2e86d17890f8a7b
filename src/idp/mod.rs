//! The simulated identity providers: their directories, provisioning apps and engines.
//!
//! Shared model: [`directory`] (the IdP's own users and groups), [`app`] (attribute list,
//! mappings, settings), [`mapping`] (evaluating mappings), [`link`] (the IdP's bookkeeping of
//! source ↔ target objects), [`body_shapes`] (the shapes create bodies are written in). Each
//! IdP engine lives in its own module and never uses another's.

pub mod app;
pub mod attribute_index;
pub mod body_shapes;
pub mod clock;
pub mod directory;
pub mod entra;
#[cfg(test)]
mod expression_check;
pub mod expression_error;
pub mod link;
pub mod mapping;
pub mod okta;
pub mod parsed_expression;
pub mod shared_values;
