//! Microsoft Entra ID's attribute-mapping expression language: the parser and evaluator for
//! expression mappings such as `Switch([IsSoftDeleted], , "False", "True", "True", "False")`.
//!
//! The source of truth is Microsoft's "Reference for writing expressions for attribute
//! mappings in Microsoft Entra Application Provisioning" (FUNCS, entra-wire.md §3.4).
//! Behaviour FUNCS does not state is marked \[Inf] where it is implemented.

mod app_role;
mod case;
mod condition;
mod date_time;
mod diacritics;
mod evaluator;
mod function;
mod multi_value;
mod parsed_expression;
mod parser;
mod presence;
mod replace;
mod syntax;
#[cfg(test)]
mod test_source;
mod text;
mod token;
mod value;

pub use crate::idp::expression_error::ExpressionError;
pub use parsed_expression::{Entra, Expression};
pub use parser::MAX_LENGTH;
