//! Test support shared by the IdPs' expression languages: a source object backed by a JSON
//! object, and shortcuts that parse an expression and evaluate it, expecting a value, an
//! evaluation error or a parse error.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Debug;

use serde_json::Value;

use super::expression_error::ExpressionError;
use super::mapping::{AttributeSource, Flow, SourceExpression};

/// A source object whose attributes are the keys of a JSON object, named as the engine names
/// them (Entra `mail`; Okta `user.firstName`, `user#id`).
#[derive(Debug, Default)]
pub(crate) struct Source(HashMap<String, Value>);

impl Source {
    /// The attributes of `object` (a JSON object; nulls count as absent, never set).
    pub(crate) fn new(object: Value) -> Self {
        let Value::Object(map) = object else { panic!("test sources are JSON objects") };
        Self(map.into_iter().filter(|(_, value)| !value.is_null()).collect())
    }
}

impl AttributeSource for Source {
    fn attribute(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.0.get(name).map(Cow::Borrowed)
    }
}

/// A language's parser.
pub(crate) type Parse<E> = fn(&str) -> Result<E, ExpressionError>;

/// Parses `text` and evaluates it against `object`, expecting a value.
pub(crate) fn value<E: SourceExpression>(parse: Parse<E>, text: &str, object: Value) -> Value {
    let expression = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    match expression.evaluate(&Source::new(object)) {
        Ok(Flow::Value(value)) => value,
        other => panic!("{text}: expected a value, got {other:?}"),
    }
}

/// Parses `text` and evaluates it against `object`, expecting an evaluation error; returns
/// its message.
pub(crate) fn failure<E: SourceExpression>(parse: Parse<E>, text: &str, object: Value) -> String {
    let expression = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    match expression.evaluate(&Source::new(object)) {
        Err(error) => error.message,
        other => panic!("{text}: expected an error, got {other:?}"),
    }
}

/// Parses `text`, expecting a parse error; returns it.
pub(crate) fn parse_error<E: Debug>(parse: Parse<E>, text: &str) -> ExpressionError {
    match parse(text) {
        Err(error) => error,
        Ok(expression) => panic!("{text}: expected a parse error, got {expression:?}"),
    }
}

/// Defines `value`, `failure` and `parse_error` for one language's test modules, bound to its
/// parser, and re-exports [`Source`].
macro_rules! checks_for {
    ($parse:path) => {
        pub(crate) use $crate::idp::expression_check::Source;

        /// Parses `text` and evaluates it against `object`, expecting a value.
        pub(crate) fn value(text: &str, object: serde_json::Value) -> serde_json::Value {
            $crate::idp::expression_check::value($parse, text, object)
        }

        /// Parses `text` and evaluates it against `object`, expecting an evaluation error;
        /// returns its message.
        pub(crate) fn failure(text: &str, object: serde_json::Value) -> String {
            $crate::idp::expression_check::failure($parse, text, object)
        }

        /// Parses `text`, expecting a parse error; returns it.
        pub(crate) fn parse_error(text: &str) -> $crate::idp::expression_error::ExpressionError {
            $crate::idp::expression_check::parse_error($parse, text)
        }
    };
}
pub(crate) use checks_for;
