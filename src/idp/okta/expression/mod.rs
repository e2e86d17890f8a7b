//! The Okta Expression Language (EL): the parser and evaluator for Okta's profile mappings,
//! such as `(user.email != null && user.email != '') ? 'work' : ''` (okta-wire.md §2.4, §3.2).
//!
//! The source of truth is Okta's "Okta Expression Language overview"
//! (okta/okta-developer-docs, `packages/@okta/vuepress-site/docs/reference/okta-expression-language/index.md`,
//! read at commit 468de9c of August 2026; called "the EL doc" below). Its examples of the
//! supported features are tests here. The EL is a subset of Spring's SpEL, so where the EL doc
//! is silent this module follows SpEL's grammar and Java's behaviour; such choices are marked
//! \[INFERRED] where they are implemented.
//!
//! Supported: references (`user.firstName`, `appuser.x`, `app.x`, `org.x`, `zendesk.x`, any
//! `name.name`), `user.getInternalProperty("id" | "status")`, string, number, boolean, null and
//! inline-array literals, array indexing, the operators `+ - * / %`, `== != < <= > >=`,
//! `matches`, `AND`/`&&`, `OR`/`||`, `!`/`NOT`, the ternary `c ? a : b` and Elvis `a ?: b`, and
//! the `String.*`, deprecated string, `Arrays.*`, `Convert.*` and group-membership functions.
//! Other documented functions (time, country codes, manager, linked objects, group claims)
//! are recognised and rejected with the reason.
//!
//! How the engine supplies values: a reference `a.b` reads source attribute `"a.b"`,
//! `user.getInternalProperty("id")` reads `"user#id"` (likewise `"user#status"`), and the group
//! functions read `"user#groupNames"` and `"user#groupIds"` (arrays of strings).
//!
//! Uncertain: the EL doc says Conversion, Array and Time functions "aren't supported" in
//! conditions, yet its group-rule section allows `Arrays.contains(...)` in one. This module
//! does not restrict which functions a condition may call.

mod array;
mod conversion;
mod evaluator;
mod function;
mod group;
mod operator;
mod parsed_expression;
mod parser;
mod pattern;
mod syntax;
#[cfg(test)]
mod test_source;
mod text;
mod token;
mod value;

pub use crate::idp::expression_error::ExpressionError;
pub use parsed_expression::{Expression, OktaEl};
pub use parser::{MAX_DEPTH, MAX_LENGTH};
