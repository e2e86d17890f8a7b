//! The tokenizer shared by the filter grammar and the PATCH path grammar (RFC 7644 §3.4.2.2,
//! §3.5.2).

use super::SyntaxError;

/// One lexical token of a filter or path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// An attribute path, an operator, a keyword (`and`, `not`, …) or a JSON literal
    /// (`true`, `false`, `null`). Words are classified by the parser, which knows the position.
    Word(String),
    /// A JSON string literal, already unescaped.
    Str(String),
    /// A JSON number literal.
    Number(serde_json::Number),
}

/// A token and the byte range it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned {
    pub(crate) token: Token,
    pub(crate) start: usize,
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '$' || c == '.' || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '$')
}

/// Splits `input` into tokens. Whitespace separates tokens and is otherwise ignored.
pub(crate) fn tokenize(input: &str) -> Result<Vec<Spanned>, SyntaxError> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        let single = match c {
            '(' => Some(Token::LParen),
            ')' => Some(Token::RParen),
            '[' => Some(Token::LBracket),
            ']' => Some(Token::RBracket),
            _ => None,
        };
        if let Some(token) = single {
            chars.next();
            tokens.push(Spanned { token, start });
            continue;
        }
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let token = if c == '"' {
            let end = string_end(input, start)?;
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
            let text: String = serde_json::from_str(&input[start..end]).map_err(|e| {
                SyntaxError::at(input, start, format!("invalid string literal: {e}"))
                    .hint("escape quotes and backslashes inside strings as in JSON: \\\" and \\\\")
            })?;
            Token::Str(text)
        } else if c.is_ascii_digit() || c == '-' {
            let mut end = start;
            while let Some(&(i, d)) = chars.peek() {
                if !(d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-')) {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let number = serde_json::from_str(&input[start..end])
                .map_err(|_| SyntaxError::at(input, start, format!("invalid number {:?}", &input[start..end])))?;
            Token::Number(number)
        } else if is_word_start(c) {
            let mut end = start;
            while let Some(&(i, d)) = chars.peek() {
                if !is_word_char(d) {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            Token::Word(input[start..end].to_string())
        } else if c == '\'' {
            return Err(SyntaxError::at(input, start, "unexpected single quote")
                .hint("SCIM quotes string values with double quotes: userName eq \"bjensen\""));
        } else {
            return Err(SyntaxError::at(input, start, format!("unexpected character {c:?}")));
        };
        tokens.push(Spanned { token, start });
    }
    Ok(tokens)
}

/// Byte offset just past the closing quote of the string that starts at `start`.
fn string_end(input: &str, start: usize) -> Result<usize, SyntaxError> {
    let mut escaped = false;
    for (i, c) in input[start + 1..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Ok(start + 1 + i + 1),
            _ => {}
        }
    }
    Err(SyntaxError::at(input, start, "unterminated string").hint("close the string with a double quote"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<Token> {
        tokenize(input).unwrap().into_iter().map(|s| s.token).collect()
    }

    #[test]
    fn splits_a_comparison() {
        assert_eq!(
            kinds(r#"userName eq "bjensen""#),
            vec![Token::Word("userName".into()), Token::Word("eq".into()), Token::Str("bjensen".into())]
        );
    }

    #[test]
    fn brackets_and_sub_attribute_after_them() {
        assert_eq!(
            kinds(r#"emails[type eq "work"].value"#),
            vec![
                Token::Word("emails".into()),
                Token::LBracket,
                Token::Word("type".into()),
                Token::Word("eq".into()),
                Token::Str("work".into()),
                Token::RBracket,
                Token::Word(".value".into()),
            ]
        );
    }

    #[test]
    fn not_glued_to_parenthesis() {
        assert_eq!(kinds("not(x pr)")[..2], [Token::Word("not".into()), Token::LParen]);
    }

    #[test]
    fn urn_paths_are_one_word() {
        let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value";
        assert_eq!(kinds(urn), vec![Token::Word(urn.into())]);
    }

    #[test]
    fn strings_are_unescaped_and_keep_unicode() {
        assert_eq!(kinds(r#""a\"b\\c ünï""#), vec![Token::Str("a\"b\\c ünï".into())]);
    }

    #[test]
    fn numbers() {
        assert_eq!(kinds("-12 3.5 1e3").len(), 3);
        assert!(matches!(&kinds("42")[0], Token::Number(n) if n.as_i64() == Some(42)));
    }

    #[test]
    fn errors_carry_columns() {
        let err = tokenize(r#"userName eq "open"#).unwrap_err();
        assert_eq!(err.column, 13);
        assert!(err.to_string().contains("unterminated string"));
        let err = tokenize("userName eq 'x'").unwrap_err();
        assert_eq!(err.column, 13);
        assert!(err.hint.unwrap().contains("double quotes"));
        assert_eq!(tokenize("a eq 1.2.3").unwrap_err().column, 6);
        assert_eq!(tokenize("a # b").unwrap_err().column, 3);
        assert!(tokenize(r#""bad \q escape""#).is_err());
    }
}
