//! Test helpers: a source object backed by a map, and shortcuts to evaluate expressions.

use std::collections::HashMap;

use serde_json::Value;

use super::parsed_expression::Expression;
use crate::idp::mapping::{AttributeSource, Flow, SourceExpression};

/// A source object whose attributes are the keys of a JSON object.
#[derive(Debug, Default)]
pub(crate) struct Source(HashMap<String, Value>);

impl Source {
    /// The attributes of `object` (a JSON object; nulls count as absent).
    pub(crate) fn new(object: Value) -> Self {
        let Value::Object(map) = object else { panic!("test sources are JSON objects") };
        Self(map.into_iter().filter(|(_, value)| !value.is_null()).collect())
    }
}

impl AttributeSource for Source {
    fn attribute(&self, name: &str) -> Option<Value> {
        self.0.get(name).cloned()
    }
}

/// Parses `text` and evaluates it against `object`, expecting a value.
pub(crate) fn value(text: &str, object: Value) -> Value {
    let expression = Expression::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    match expression.evaluate(&Source::new(object)) {
        Ok(Flow::Value(value)) => value,
        other => panic!("{text}: expected a value, got {other:?}"),
    }
}

/// Parses `text` and evaluates it against `object`, expecting an evaluation error; returns
/// its message.
pub(crate) fn failure(text: &str, object: Value) -> String {
    let expression = Expression::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    match expression.evaluate(&Source::new(object)) {
        Err(error) => error.message,
        other => panic!("{text}: expected an error, got {other:?}"),
    }
}

/// Parses `text`, expecting a parse error; returns it.
pub(crate) fn parse_error(text: &str) -> crate::idp::expression_error::ExpressionError {
    match Expression::parse(text) {
        Err(error) => error,
        Ok(expression) => panic!("{text}: expected a parse error, got {expression:?}"),
    }
}
