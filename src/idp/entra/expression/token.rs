//! The tokenizer of Entra's expression language (FUNCS "Syntax overview").
//!
//! Attributes come whole (`[proxy-Addresses]` is one token, so names may hold `-` and `.`),
//! string literals come unescaped, and every token remembers the 1-based character column it
//! started at, which is what errors report.

use serde_json::Number;

use super::syntax::CompareOp;
use crate::idp::expression_error::ExpressionError;

/// One lexical token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// `[name]`: a source attribute.
    Attribute(String),
    /// `"text"`, already unescaped.
    Str(String),
    /// `3`, `-10`, `1.5`.
    Number(Number),
    /// A bare name: a function name, or a constant such as `vbTextCompare`.
    Name(String),
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `=`, `<>`, `<`, `<=`, `>`, `>=` (FUNCS IIF).
    Compare(CompareOp),
}

impl Token {
    /// How an error message names the token, e.g. `attribute [mail]` or `","`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Attribute(name) => format!("attribute [{name}]"),
            Self::Str(text) => format!("string {text:?}"),
            Self::Number(number) => format!("number {number}"),
            Self::Name(name) => format!("name {name:?}"),
            Self::LParen => "\"(\"".to_string(),
            Self::RParen => "\")\"".to_string(),
            Self::Comma => "\",\"".to_string(),
            Self::Compare(op) => format!("operator {:?}", op.symbol()),
        }
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

/// Characters allowed in `[attribute]` names: letters, digits, `_`, `-` and `.`.
fn is_attribute_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `text` into tokens; whitespace between tokens is skipped.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Spanned>, ExpressionError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let (token, next) = match c {
            '(' => (Token::LParen, i + 1),
            ')' => (Token::RParen, i + 1),
            ',' => (Token::Comma, i + 1),
            '=' => (Token::Compare(CompareOp::Equal), i + 1),
            '<' => match chars.get(i + 1) {
                Some('>') => (Token::Compare(CompareOp::NotEqual), i + 2),
                Some('=') => (Token::Compare(CompareOp::LessOrEqual), i + 2),
                _ => (Token::Compare(CompareOp::Less), i + 1),
            },
            '>' => match chars.get(i + 1) {
                Some('=') => (Token::Compare(CompareOp::GreaterOrEqual), i + 2),
                _ => (Token::Compare(CompareOp::Greater), i + 1),
            },
            '[' => attribute(&chars, i)?,
            '"' => string(&chars, i)?,
            '-' | '0'..='9' => number(&chars, i)?,
            _ if is_name_start(c) => {
                let end = scan(&chars, i, is_name_char);
                (Token::Name(chars[i..end].iter().collect()), end)
            }
            '\'' => {
                return Err(ExpressionError::syntax(column, "unexpected single quote")
                    .with_hint("string constants use double quotes: \"United States\""));
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                return Err(ExpressionError::syntax(column, "unexpected operator \"!=\"")
                    .with_hint("write \"not equal\" as <>"));
            }
            _ => return Err(ExpressionError::syntax(column, format!("unexpected character {c:?}"))),
        };
        tokens.push(Spanned { token, column });
        i = next;
    }
    Ok(tokens)
}

/// The index of the first character at or after `from` that is not `accept`ed.
fn scan(chars: &[char], from: usize, accept: impl Fn(char) -> bool) -> usize {
    chars[from..].iter().position(|&c| !accept(c)).map_or(chars.len(), |offset| from + offset)
}

/// `[name]` starting at `start` (the `[`).
fn attribute(chars: &[char], start: usize) -> Result<(Token, usize), ExpressionError> {
    let end = scan(chars, start + 1, is_attribute_char);
    let name: String = chars[start + 1..end].iter().collect();
    match chars.get(end) {
        Some(']') if name.is_empty() => Err(ExpressionError::syntax(start + 1, "empty attribute name \"[]\"")),
        Some(']') => Ok((Token::Attribute(name), end + 1)),
        Some(&other) => {
            Err(ExpressionError::syntax(end + 1, format!("unexpected character {other:?} in attribute name [{name}"))
                .with_hint("attribute names hold letters, digits, \"_\", \"-\" and \".\""))
        }
        None => Err(ExpressionError::syntax(start + 1, format!("unterminated attribute [{name}"))
            .with_hint("close the attribute name with \"]\"")),
    }
}

/// `"text"` starting at `start` (the opening quote). `\"` and `\\` are escapes; a backslash
/// before any other character is kept as it is, so `"\d"` and `"\\d"` both read `\d`.
///
/// \[Inf] FUNCS says quotes and backslashes must be escaped but not what happens to a lone
/// backslash; keeping it is the lenient reading and matches what regex patterns need.
fn string(chars: &[char], start: usize) -> Result<(Token, usize), ExpressionError> {
    let mut text = String::new();
    let mut i = start + 1;
    while let Some(&c) = chars.get(i) {
        match c {
            '"' => return Ok((Token::Str(text), i + 1)),
            '\\' => match chars.get(i + 1) {
                Some(&escaped @ ('"' | '\\')) => {
                    text.push(escaped);
                    i += 2;
                    continue;
                }
                _ => text.push('\\'),
            },
            _ => text.push(c),
        }
        i += 1;
    }
    Err(ExpressionError::syntax(start + 1, "unterminated string").with_hint("close the string with a double quote"))
}

/// `-?digits(.digits)?` starting at `start`.
fn number(chars: &[char], start: usize) -> Result<(Token, usize), ExpressionError> {
    let digits_from = if chars[start] == '-' { start + 1 } else { start };
    let mut end = scan(chars, digits_from, |c| c.is_ascii_digit());
    if end == digits_from {
        return Err(ExpressionError::syntax(start + 1, "expected digits after \"-\""));
    }
    let mut fraction = false;
    if chars.get(end) == Some(&'.') {
        let after = scan(chars, end + 1, |c| c.is_ascii_digit());
        if after == end + 1 {
            return Err(ExpressionError::syntax(end + 1, "expected digits after the decimal point"));
        }
        fraction = true;
        end = after;
    }
    let literal: String = chars[start..end].iter().collect();
    let parsed = if fraction {
        literal.parse::<f64>().ok().and_then(Number::from_f64)
    } else {
        literal.parse::<i64>().ok().map(Number::from)
    };
    parsed
        .map(|number| (Token::Number(number), end))
        .ok_or_else(|| ExpressionError::syntax(start + 1, format!("number {literal} is out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Token> {
        tokenize(text).unwrap().into_iter().map(|s| s.token).collect()
    }

    #[test]
    fn splits_a_call_and_keeps_columns() {
        let tokens = tokenize(r#"Join(" ", [givenName])"#).unwrap();
        let columns: Vec<usize> = tokens.iter().map(|t| t.column).collect();
        assert_eq!(columns, vec![1, 5, 6, 9, 11, 22]);
        assert_eq!(
            kinds(r#"Join(" ", [givenName])"#),
            vec![
                Token::Name("Join".into()),
                Token::LParen,
                Token::Str(" ".into()),
                Token::Comma,
                Token::Attribute("givenName".into()),
                Token::RParen,
            ]
        );
    }

    #[test]
    fn attribute_names_hold_dashes_dots_and_digits() {
        assert_eq!(
            kinds("[proxy-Addresses] [extension_1a2b_costCenter] [a.b]"),
            vec![
                Token::Attribute("proxy-Addresses".into()),
                Token::Attribute("extension_1a2b_costCenter".into()),
                Token::Attribute("a.b".into()),
            ]
        );
    }

    #[test]
    fn strings_unescape_quotes_and_backslashes() {
        // FUNCS "Syntax overview": "Company name: \"Contoso\""
        assert_eq!(kinds(r#""Company name: \"Contoso\"""#), vec![Token::Str("Company name: \"Contoso\"".into())]);
        assert_eq!(kinds(r#""\\+(?<isdCode>\\d* )""#), vec![Token::Str(r"\+(?<isdCode>\d* )".into())]);
        assert_eq!(kinds(r#""a\db""#), vec![Token::Str(r"a\db".into())]);
        assert_eq!(kinds(r#""ünï""#), vec![Token::Str("ünï".into())]);
    }

    #[test]
    fn numbers_and_operators() {
        assert_eq!(
            kinds("-10 3 1.5"),
            vec![
                Token::Number(Number::from(-10)),
                Token::Number(Number::from(3)),
                Token::Number(Number::from_f64(1.5).unwrap()),
            ]
        );
        assert_eq!(
            kinds("= <> < <= > >="),
            vec![
                Token::Compare(CompareOp::Equal),
                Token::Compare(CompareOp::NotEqual),
                Token::Compare(CompareOp::Less),
                Token::Compare(CompareOp::LessOrEqual),
                Token::Compare(CompareOp::Greater),
                Token::Compare(CompareOp::GreaterOrEqual),
            ]
        );
    }

    #[test]
    fn errors_carry_columns() {
        let err = tokenize(r#"Append([a], "open"#).unwrap_err();
        assert_eq!((err.message.as_str(), err.column), ("unterminated string", 13));
        let err = tokenize("IsNull([mail)").unwrap_err();
        assert_eq!((err.message.as_str(), err.column), ("unexpected character ')' in attribute name [mail", 13));
        let err = tokenize("IsNull([mail").unwrap_err();
        assert_eq!((err.message.as_str(), err.column), ("unterminated attribute [mail", 8));
        assert_eq!(tokenize("[]").unwrap_err().message, "empty attribute name \"[]\"");
        assert_eq!(tokenize("a # b").unwrap_err().column, 3);
        assert_eq!(tokenize("'x'").unwrap_err().message, "unexpected single quote");
        assert_eq!(tokenize("- 1").unwrap_err().message, "expected digits after \"-\"");
        assert_eq!(tokenize("1.").unwrap_err().column, 2);
        assert_eq!(
            tokenize("99999999999999999999").unwrap_err().message,
            "number 99999999999999999999 is out of range"
        );
        assert_eq!(tokenize("[a] != [b]").unwrap_err().column, 5);
    }
}
