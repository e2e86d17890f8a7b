//! The tokenizer of the Okta Expression Language, following SpEL's lexical rules.
//!
//! Strings are single- or double-quoted and escape their own quote by doubling it
//! (`'It''s'`); a backslash is an ordinary character, as the EL doc's `"XDOMAIN\" + …` example
//! needs. The textual operators `AND`, `OR`, `NOT` and `matches` and the literals `true`,
//! `false` and `null` are keywords in any case (SpEL), except right after a `.`, where a word
//! is always a property name (`user.and` reads attribute `and`). Every token remembers the
//! 1-based character column it started at, which is what errors report.

use serde_json::Number;

use super::syntax::{ArithmeticOp, CompareOp, LogicalOp};
use crate::idp::expression_error::ExpressionError;

/// One lexical token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// An identifier: a profile, an attribute, a function or a namespace such as `String`.
    Name(String),
    /// A string literal, already unescaped.
    Str(String),
    /// A whole-number literal.
    Integer(i64),
    /// A decimal literal such as `3.141` (always finite).
    Decimal(Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `+`, `-`, `*`, `/`, `%`.
    Arithmetic(ArithmeticOp),
    /// `==`, `!=`, `<`, `<=`, `>`, `>=`, `matches`.
    Compare(CompareOp),
    /// `&&`, `and`, `||`, `or`.
    Logical(LogicalOp),
    /// `!` or `not`.
    Not,
    /// `?`
    Question,
    /// `:`
    Colon,
    /// `?:`
    Elvis,
}

impl Token {
    /// How an error message names the token, e.g. `string "x"` or `")"`.
    pub(crate) fn describe(&self) -> String {
        let symbol = match self {
            Self::Name(name) => return format!("name {name:?}"),
            Self::Str(text) => return format!("string {text:?}"),
            Self::Integer(number) => return format!("number {number}"),
            Self::Decimal(number) => return format!("number {number}"),
            Self::Bool(value) => return value.to_string(),
            Self::Null => return "null".to_string(),
            Self::LParen => "(",
            Self::RParen => ")",
            Self::LBrace => "{",
            Self::RBrace => "}",
            Self::LBracket => "[",
            Self::RBracket => "]",
            Self::Comma => ",",
            Self::Dot => ".",
            Self::Arithmetic(op) => op.symbol(),
            Self::Compare(op) => op.symbol(),
            Self::Logical(LogicalOp::And) => "AND",
            Self::Logical(LogicalOp::Or) => "OR",
            Self::Not => "!",
            Self::Question => "?",
            Self::Colon => ":",
            Self::Elvis => "?:",
        };
        format!("{symbol:?}")
    }
}

/// A token and the 1-based character column it starts at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned {
    /// The token.
    pub(crate) token: Token,
    /// Where it starts.
    pub(crate) column: usize,
}

/// SpEL identifiers: a letter, `_` or `$`, then letters, digits, `_` or `$`.
fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '$'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Splits `text` into tokens; whitespace between tokens is skipped.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Spanned>, ExpressionError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens: Vec<Spanned> = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let (token, end) = match (c, next) {
            ('(', _) => (Token::LParen, i + 1),
            (')', _) => (Token::RParen, i + 1),
            ('{', _) => (Token::LBrace, i + 1),
            ('}', _) => (Token::RBrace, i + 1),
            ('[', _) => (Token::LBracket, i + 1),
            (']', _) => (Token::RBracket, i + 1),
            (',', _) => (Token::Comma, i + 1),
            ('.', _) => (Token::Dot, i + 1),
            ('+', _) => (Token::Arithmetic(ArithmeticOp::Add), i + 1),
            ('-', _) => (Token::Arithmetic(ArithmeticOp::Subtract), i + 1),
            ('*', _) => (Token::Arithmetic(ArithmeticOp::Multiply), i + 1),
            ('/', _) => (Token::Arithmetic(ArithmeticOp::Divide), i + 1),
            ('%', _) => (Token::Arithmetic(ArithmeticOp::Remainder), i + 1),
            ('=', Some('=')) => (Token::Compare(CompareOp::Equal), i + 2),
            ('!', Some('=')) => (Token::Compare(CompareOp::NotEqual), i + 2),
            ('<', Some('=')) => (Token::Compare(CompareOp::LessOrEqual), i + 2),
            ('>', Some('=')) => (Token::Compare(CompareOp::GreaterOrEqual), i + 2),
            ('<', _) => (Token::Compare(CompareOp::Less), i + 1),
            ('>', _) => (Token::Compare(CompareOp::Greater), i + 1),
            ('!', _) => (Token::Not, i + 1),
            ('&', Some('&')) => (Token::Logical(LogicalOp::And), i + 2),
            ('|', Some('|')) => (Token::Logical(LogicalOp::Or), i + 2),
            ('?', Some(':')) => (Token::Elvis, i + 2),
            ('?', _) => (Token::Question, i + 1),
            (':', _) => (Token::Colon, i + 1),
            ('\'' | '"', _) => string(&chars, i)?,
            ('0'..='9', _) => number(&chars, i)?,
            _ if is_name_start(c) => {
                let end = scan(&chars, i, is_name_char);
                let word: String = chars[i..end].iter().collect();
                let after_dot = matches!(tokens.last(), Some(Spanned { token: Token::Dot, .. }));
                (if after_dot { Token::Name(word) } else { keyword(word) }, end)
            }
            ('=', _) => {
                return Err(ExpressionError::syntax(column, "assignment \"=\" is not allowed in expressions")
                    .with_hint("compare with \"==\""));
            }
            ('&', _) => {
                return Err(ExpressionError::syntax(column, "unexpected character '&'").with_hint("write AND or &&"));
            }
            ('|', _) => {
                return Err(ExpressionError::syntax(column, "unexpected character '|'").with_hint("write OR or ||"));
            }
            _ => return Err(ExpressionError::syntax(column, format!("unexpected character {c:?}"))),
        };
        tokens.push(Spanned { token, column });
        i = end;
    }
    Ok(tokens)
}

/// A word as a keyword token when it is one (in any case, as SpEL reads them), else a name.
fn keyword(word: String) -> Token {
    match word.to_ascii_lowercase().as_str() {
        "and" => Token::Logical(LogicalOp::And),
        "or" => Token::Logical(LogicalOp::Or),
        "not" => Token::Not,
        "matches" => Token::Compare(CompareOp::Matches),
        "true" => Token::Bool(true),
        "false" => Token::Bool(false),
        "null" => Token::Null,
        _ => Token::Name(word),
    }
}

/// The index of the first character at or after `from` that is not `accept`ed.
fn scan(chars: &[char], from: usize, accept: impl Fn(char) -> bool) -> usize {
    chars[from..].iter().position(|&c| !accept(c)).map_or(chars.len(), |offset| from + offset)
}

/// A string literal starting at `start` (its opening quote, `'` or `"`). The same quote
/// doubled stands for itself; nothing else is an escape.
fn string(chars: &[char], start: usize) -> Result<(Token, usize), ExpressionError> {
    let quote = chars[start];
    let mut text = String::new();
    let mut i = start + 1;
    while let Some(&c) = chars.get(i) {
        if c == quote {
            if chars.get(i + 1) == Some(&quote) {
                text.push(quote);
                i += 2;
                continue;
            }
            return Ok((Token::Str(text), i + 1));
        }
        text.push(c);
        i += 1;
    }
    Err(ExpressionError::syntax(start + 1, "unterminated string")
        .with_hint(format!("close the string with {quote}; write {quote}{quote} for a {quote} inside it")))
}

/// `digits`, `digits.digits` or either with an exponent (`1e3`, `2.5E-2`), starting at
/// `start`. A `.` not followed by a digit is left alone (`{1}[0].x`).
fn number(chars: &[char], start: usize) -> Result<(Token, usize), ExpressionError> {
    let mut end = scan(chars, start, |c| c.is_ascii_digit());
    let mut decimal = false;
    if chars.get(end) == Some(&'.') && chars.get(end + 1).is_some_and(char::is_ascii_digit) {
        decimal = true;
        end = scan(chars, end + 1, |c| c.is_ascii_digit());
    }
    if matches!(chars.get(end), Some('e' | 'E')) {
        let sign = usize::from(matches!(chars.get(end + 1), Some('+' | '-')));
        let digits_from = end + 1 + sign;
        let after = scan(chars, digits_from, |c| c.is_ascii_digit());
        if after == digits_from {
            return Err(ExpressionError::syntax(end + 1, "expected digits in the exponent"));
        }
        decimal = true;
        end = after;
    }
    let literal: String = chars[start..end].iter().collect();
    let token = if decimal {
        literal.parse::<f64>().ok().and_then(Number::from_f64).map(Token::Decimal)
    } else {
        literal.parse::<i64>().ok().map(Token::Integer)
    };
    token
        .map(|token| (token, end))
        .ok_or_else(|| ExpressionError::syntax(start + 1, format!("number {literal} is out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Token> {
        tokenize(text).unwrap().into_iter().map(|s| s.token).collect()
    }

    fn error(text: &str) -> ExpressionError {
        tokenize(text).unwrap_err()
    }

    #[test]
    fn splits_a_reference_comparison_and_keeps_columns() {
        let tokens = tokenize("user.email != null").unwrap();
        let columns: Vec<usize> = tokens.iter().map(|t| t.column).collect();
        assert_eq!(columns, vec![1, 5, 6, 12, 15]);
        assert_eq!(
            kinds("user.email != null"),
            vec![
                Token::Name("user".into()),
                Token::Dot,
                Token::Name("email".into()),
                Token::Compare(CompareOp::NotEqual),
                Token::Null,
            ]
        );
    }

    #[test]
    fn strings_double_their_own_quote_and_keep_backslashes() {
        assert_eq!(kinds("'It''s'"), vec![Token::Str("It's".into())]);
        assert_eq!(kinds(r#""say ""hi""""#), vec![Token::Str("say \"hi\"".into())]);
        // The other quote needs no escape: the EL doc's "doesn'tExist".
        assert_eq!(kinds(r#""doesn'tExist""#), vec![Token::Str("doesn'tExist".into())]);
        assert_eq!(kinds(r#"'a"b'"#), vec![Token::Str("a\"b".into())]);
        // EL doc "Popular expressions": "XDOMAIN\" is XDOMAIN and a backslash.
        assert_eq!(kinds(r#""XDOMAIN\""#), vec![Token::Str("XDOMAIN\\".into())]);
        assert_eq!(kinds("''"), vec![Token::Str(String::new())]);
        assert_eq!(kinds("'ünï'"), vec![Token::Str("ünï".into())]);
    }

    #[test]
    fn numbers() {
        assert_eq!(kinds("1234"), vec![Token::Integer(1234)]);
        assert_eq!(kinds("3.141"), vec![Token::Decimal("3.141".parse::<Number>().unwrap())]);
        assert_eq!(
            kinds("1e3 2.5E-2"),
            vec![Token::Decimal(Number::from_f64(1000.0).unwrap()), Token::Decimal(Number::from_f64(0.025).unwrap())]
        );
        assert_eq!(kinds("1.x"), vec![Token::Integer(1), Token::Dot, Token::Name("x".into())]);
        assert_eq!(
            kinds("-5"),
            vec![Token::Arithmetic(ArithmeticOp::Subtract), Token::Integer(5)],
            "negative numbers are unary minus, as in SpEL"
        );
    }

    #[test]
    fn operators() {
        assert_eq!(
            kinds("== != < <= > >= && || ! ? : ?: + - * / %"),
            vec![
                Token::Compare(CompareOp::Equal),
                Token::Compare(CompareOp::NotEqual),
                Token::Compare(CompareOp::Less),
                Token::Compare(CompareOp::LessOrEqual),
                Token::Compare(CompareOp::Greater),
                Token::Compare(CompareOp::GreaterOrEqual),
                Token::Logical(LogicalOp::And),
                Token::Logical(LogicalOp::Or),
                Token::Not,
                Token::Question,
                Token::Colon,
                Token::Elvis,
                Token::Arithmetic(ArithmeticOp::Add),
                Token::Arithmetic(ArithmeticOp::Subtract),
                Token::Arithmetic(ArithmeticOp::Multiply),
                Token::Arithmetic(ArithmeticOp::Divide),
                Token::Arithmetic(ArithmeticOp::Remainder),
            ]
        );
        assert_eq!(kinds("a?:b").len(), 3);
        assert_eq!(kinds("{1, 2}[0]").len(), 8);
    }

    #[test]
    fn keywords_in_any_case_except_after_a_dot() {
        assert_eq!(
            kinds("AND and Or NOT matches TRUE False NULL null"),
            vec![
                Token::Logical(LogicalOp::And),
                Token::Logical(LogicalOp::And),
                Token::Logical(LogicalOp::Or),
                Token::Not,
                Token::Compare(CompareOp::Matches),
                Token::Bool(true),
                Token::Bool(false),
                Token::Null,
                Token::Null,
            ]
        );
        assert_eq!(kinds("user.and"), vec![Token::Name("user".into()), Token::Dot, Token::Name("and".into())]);
        assert_eq!(kinds("user.null")[2], Token::Name("null".into()));
        assert_eq!(
            kinds("$x _y a1"),
            vec![Token::Name("$x".into()), Token::Name("_y".into()), Token::Name("a1".into())]
        );
    }

    #[test]
    fn errors_carry_columns() {
        let err = error("user.a + 'open");
        assert_eq!((err.message.as_str(), err.column), ("unterminated string", 10));
        assert_eq!(err.hint.as_deref(), Some("close the string with '; write '' for a ' inside it"));
        let err = error(r#""a"" "#);
        assert_eq!((err.message.as_str(), err.column), ("unterminated string", 1));
        let err = error("user.a = 'x'");
        assert_eq!((err.message.as_str(), err.column), ("assignment \"=\" is not allowed in expressions", 8));
        assert_eq!(err.hint.as_deref(), Some("compare with \"==\""));
        assert_eq!(error("a & b").column, 3);
        assert_eq!(error("a | b").hint.as_deref(), Some("write OR or ||"));
        assert_eq!(error("a # b").message, "unexpected character '#'");
        assert_eq!(error("1e").message, "expected digits in the exponent");
        assert_eq!(error("99999999999999999999").message, "number 99999999999999999999 is out of range");
        assert_eq!(error("1e999").message, "number 1e999 is out of range");
    }

    #[test]
    fn describes_tokens_for_messages() {
        assert_eq!(Token::Name("x".into()).describe(), "name \"x\"");
        assert_eq!(Token::Str("x".into()).describe(), "string \"x\"");
        assert_eq!(Token::Integer(3).describe(), "number 3");
        assert_eq!(Token::Decimal(Number::from_f64(1.5).unwrap()).describe(), "number 1.5");
        assert_eq!(Token::Bool(true).describe(), "true");
        assert_eq!(Token::Null.describe(), "null");
        assert_eq!(Token::RParen.describe(), "\")\"");
        assert_eq!(Token::Logical(LogicalOp::Or).describe(), "\"OR\"");
        assert_eq!(Token::Compare(CompareOp::Matches).describe(), "\"matches\"");
        assert_eq!(Token::Elvis.describe(), "\"?:\"");
    }
}
