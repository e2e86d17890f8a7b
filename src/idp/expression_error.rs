//! The error a mapping expression reports, in either IdP's language: what is wrong, where,
//! and in which function.

use std::fmt;

/// An expression that the IdP would reject, or that failed while it was evaluated (Entra's
/// functions, Okta's expression language).
///
/// Parse errors (bad syntax, unknown functions, wrong argument counts) and evaluation errors
/// (e.g. Entra's `IIF` over a null source) share this type so that both point at the same place: the
/// 1-based character `column` of the token (for a function, of its name) where the problem
/// was found, and the `function` whose rules were broken, when there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ExpressionError {
    /// What is wrong, e.g. `expects an odd number of arguments after the source, got 2`.
    pub message: String,
    /// 1-based character column where the problem was found.
    pub column: usize,
    /// The function whose rules were broken (`Some("Switch")`), or `None` for plain syntax
    /// errors and unknown function names.
    pub function: Option<String>,
    /// How to fix it, when there is an obvious fix (e.g. `did you mean "Switch"?`).
    pub hint: Option<String>,
}

impl ExpressionError {
    /// A syntax error at `column`, outside any function's rules.
    pub(crate) fn syntax(column: usize, message: impl Into<String>) -> Self {
        Self { message: message.into(), column, function: None, hint: None }
    }

    /// A broken rule of `function`, whose name starts at `column`.
    pub(crate) fn in_function(function: &str, column: usize, message: impl Into<String>) -> Self {
        Self { message: message.into(), column, function: Some(function.to_string()), hint: None }
    }

    /// Adds a fix to the error.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl ExpressionError {
    /// The length of `text` in characters, or the error for an expression longer than `max`,
    /// which `limit` explains (`Entra allows at most 10000`).
    pub(crate) fn check_length(text: &str, max: usize, limit: &str) -> Result<usize, Self> {
        let length = text.chars().count();
        if length > max {
            return Err(Self::syntax(max + 1, format!("expression is {length} characters long; {limit}")));
        }
        Ok(length)
    }
}

impl fmt::Display for ExpressionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.function {
            Some(function) => write!(f, "{function}: {} (column {})", self.message, self.column)?,
            None => write!(f, "{} at column {}", self.message, self.column)?,
        }
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
    fn function_errors_name_the_function_then_the_column() {
        let err =
            ExpressionError::in_function("Switch", 1, "expects an odd number of arguments after the source, got 2");
        assert_eq!(err.to_string(), "Switch: expects an odd number of arguments after the source, got 2 (column 1)");
        assert_eq!(err.function.as_deref(), Some("Switch"));
    }

    #[test]
    fn syntax_errors_show_the_column_and_the_hint() {
        let err = ExpressionError::syntax(1, "unknown function \"Swtch\"").with_hint("did you mean \"Switch\"?");
        assert_eq!(err.to_string(), "unknown function \"Swtch\" at column 1 (did you mean \"Switch\"?)");
        assert_eq!(err.function, None);
    }
}
