//! The error every SCIM grammar in this crate reports: what was wrong and where.

use std::fmt;

/// A filter or attribute path that does not follow the RFC 7644 grammar.
///
/// `column` is 1-based and counts characters, so it can be shown under the input with a caret;
/// `hint` says how to fix the input when there is an obvious fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SyntaxError {
    /// What is wrong, e.g. `expected a comparison operator after "userName"`.
    pub message: String,
    /// 1-based character column where the problem was found.
    pub column: usize,
    /// How to fix it, when the parser knows.
    pub hint: Option<String>,
}

impl SyntaxError {
    /// Builds an error at the byte offset `at` of `input`.
    pub(crate) fn at(input: &str, at: usize, message: impl Into<String>) -> Self {
        let column = input.get(..at.min(input.len())).map_or(1, |head| head.chars().count() + 1);
        Self { message: message.into(), column, hint: None }
    }

    /// Adds a fix to the error.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_counts_characters_not_bytes() {
        let err = SyntaxError::at("ünï x", 5, "boom");
        assert_eq!(err.column, 4);
        assert_eq!(err.to_string(), "boom at column 4");
    }

    #[test]
    fn hint_is_shown() {
        let err = SyntaxError::at("abc", 0, "boom").hint("do this");
        assert_eq!(err.to_string(), "boom at column 1 (do this)");
    }
}
