//! An expression in one IdP's mapping language, parsed and kept with the text the admin wrote,
//! ready to evaluate against each source object: the adapter between a language (Entra's
//! functions, Okta's Expression Language) and the engines' [`SourceExpression`].

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use super::expression_error::ExpressionError;
use super::mapping::{AttributeSource, Flow, MappingError, SourceExpression};

/// A mapping-expression language: how text parses into a tree, and how a tree evaluates.
pub trait Language: fmt::Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The parsed form.
    type Tree: fmt::Debug + Clone + PartialEq + Send + Sync;

    /// Who refuses an expression that does not parse, as messages name it (`Entra ID`).
    const NAME: &'static str;

    /// Where the IdP documents the language: the fix messages point to.
    const REFERENCE: &'static str;

    /// Parses `text`, catching everything that does not depend on a source object (syntax,
    /// unknown functions, argument counts), as the IdP's editor refuses to save it.
    fn parse(text: &str) -> Result<Self::Tree, ExpressionError>;

    /// Evaluates `tree` for one source object.
    fn evaluate(tree: &Self::Tree, source: &dyn AttributeSource) -> Result<Flow, ExpressionError>;

    /// The source names `tree` reads, deduplicated, in order of first appearance.
    fn references(tree: &Self::Tree) -> Vec<String>;

    /// The source name `tree` is, when the whole expression reads one name and nothing else
    /// (`user.firstName`) and so evaluates to that attribute's value, null when missing.
    /// A language that does not say has none.
    fn bare_reference(_tree: &Self::Tree) -> Option<&str> {
        None
    }
}

/// An expression of language `L`, parsed and checked. Errors while evaluating become a
/// [`MappingError`] naming the expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedExpression<L: Language> {
    text: String,
    tree: L::Tree,
    language: PhantomData<L>,
}

impl<L: Language> ParsedExpression<L> {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Self, ExpressionError> {
        Ok(Self { text: text.to_string(), tree: L::parse(text)?, language: PhantomData })
    }

    /// The source name the whole expression reads, when it reads one and does nothing else
    /// ([`Language::bare_reference`]).
    pub fn bare_reference(&self) -> Option<&str> {
        L::bare_reference(&self.tree)
    }
}

impl<L: Language> SourceExpression for ParsedExpression<L> {
    fn text(&self) -> &str {
        &self.text
    }

    fn evaluate(&self, source: &dyn AttributeSource) -> Result<Flow, MappingError> {
        L::evaluate(&self.tree, source)
            .map_err(|error| MappingError { expression: self.text.clone(), message: error.to_string() })
    }

    fn references(&self) -> Vec<String> {
        L::references(&self.tree)
    }
}

impl<L: Language> FromStr for ParsedExpression<L> {
    type Err = ExpressionError;

    /// The same as [`ParsedExpression::parse`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl<L: Language> fmt::Display for ParsedExpression<L> {
    /// The expression as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
