//! The parser: tokens to a checked syntax tree (FUNCS "Syntax overview").
//!
//! ```text
//! expression := operand (compare-op operand)?
//! operand    := [attribute] | "string" | number | Name "(" arguments? ")" | vbTextCompare | vbBinaryCompare
//! arguments  := argument ("," argument)*
//! argument   := expression | (nothing: an empty argument, null)
//! ```

use serde_json::Value;

use super::function::Function;
use super::syntax::{Call, Comparison, Node};
use super::token::{Spanned, Token, tokenize};
use crate::idp::expression_error::ExpressionError;

/// The longest expression Entra accepts, in characters (entra-wire.md §3.4).
pub const MAX_LENGTH: usize = 10_000;

/// How deeply function calls may nest. \[Inf] Entra documents no limit; this one keeps the
/// recursive parser and evaluator far from the stack's end on any input.
pub(crate) const MAX_DEPTH: usize = 64;

/// Constant names allowed without brackets or quotes: InStr's `compareType` (FUNCS InStr).
const CONSTANTS: [&str; 2] = ["vbBinaryCompare", "vbTextCompare"];

/// Parses `text` into a syntax tree whose calls all passed [`Function::check`].
pub(crate) fn parse(text: &str) -> Result<Node, ExpressionError> {
    let length = ExpressionError::check_length(text, MAX_LENGTH, &format!("Entra allows at most {MAX_LENGTH}"))?;
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(ExpressionError::syntax(1, "empty expression"));
    }
    let mut parser = Parser { tokens, position: 0, end_column: length + 1 };
    let node = parser.expression(0)?;
    if let Some(extra) = parser.peek() {
        return Err(ExpressionError::syntax(
            extra.column,
            format!("unexpected {} after the end of the expression", extra.token.describe()),
        ));
    }
    Ok(node)
}

/// Recursive-descent state.
struct Parser {
    tokens: Vec<Spanned>,
    position: usize,
    /// The column just past the last character, where "missing …" errors point.
    end_column: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Spanned> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<Spanned> {
        let spanned = self.tokens.get(self.position).cloned();
        self.position += 1;
        spanned
    }

    /// `operand (compare-op operand)?`
    fn expression(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        let left = self.operand(depth)?;
        let Some(Spanned { token: Token::Compare(op), column }) = self.peek().cloned() else {
            return Ok(left);
        };
        self.position += 1;
        let right = self.operand(depth)?;
        if let Some(Spanned { token: Token::Compare(second), column: at }) = self.peek() {
            return Err(ExpressionError::syntax(*at, format!("unexpected operator {:?}", second.symbol()))
                .with_hint("comparisons cannot be chained; nest IIF calls instead"));
        }
        Ok(Node::Comparison(Box::new(Comparison { op, left, right, column })))
    }

    fn operand(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        let Some(Spanned { token, column }) = self.next() else {
            return Err(ExpressionError::syntax(
                self.end_column,
                "expected an attribute, a string, a number or a function call at the end of the expression",
            ));
        };
        match token {
            Token::Attribute(name) => Ok(Node::Attribute { name, column }),
            Token::Str(text) => Ok(Node::Literal(Value::String(text))),
            Token::Number(number) => Ok(Node::Literal(Value::Number(number))),
            Token::Name(name) if matches!(self.peek(), Some(Spanned { token: Token::LParen, .. })) => {
                self.call(name, column, depth)
            }
            Token::Name(name) if CONSTANTS.contains(&name.as_str()) => Ok(Node::Literal(Value::String(name))),
            Token::Name(name) => {
                let error = ExpressionError::syntax(column, format!("unexpected name {name:?}"));
                Err(if let Some(function) = Function::lookup(&name) {
                    error.with_hint(format!("call it with parentheses: {}", function.signature()))
                } else {
                    error.with_hint(format!(
                        "attribute names go in brackets ([{name}]) and string constants in double quotes (\"{name}\")"
                    ))
                })
            }
            other => Err(ExpressionError::syntax(
                column,
                format!("expected an attribute, a string, a number or a function call, found {}", other.describe()),
            )),
        }
    }

    /// `Name "(" arguments? ")"`, with the name at `column` and the `(` next.
    fn call(&mut self, name: String, column: usize, depth: usize) -> Result<Node, ExpressionError> {
        let function = Function::lookup(&name).ok_or_else(|| Function::unknown(&name, column))?;
        if depth >= MAX_DEPTH {
            return Err(ExpressionError::in_function(
                &name,
                column,
                format!("function calls nest more than {MAX_DEPTH} deep"),
            ));
        }
        let open_column = self.next().map_or(column, |open| open.column);
        let mut args = Vec::new();
        if matches!(self.peek(), Some(Spanned { token: Token::RParen, .. })) {
            self.position += 1;
        } else {
            loop {
                let arg = match self.peek() {
                    Some(Spanned { token: Token::Comma | Token::RParen, .. }) | None => Node::Omitted,
                    Some(_) => self.expression(depth + 1)?,
                };
                args.push(arg);
                match self.next() {
                    Some(Spanned { token: Token::Comma, .. }) => {}
                    Some(Spanned { token: Token::RParen, .. }) => break,
                    Some(Spanned { token, column: at }) => {
                        return Err(ExpressionError::in_function(
                            &name,
                            at,
                            format!(
                                "expected \",\" or \")\" after argument {}, found {}",
                                args.len(),
                                token.describe()
                            ),
                        ));
                    }
                    None => {
                        return Err(ExpressionError::in_function(
                            &name,
                            self.end_column,
                            format!("missing \")\" to close the arguments opened at column {open_column}"),
                        ));
                    }
                }
            }
        }
        let call = Call { function, args, column };
        Function::check(&call)?;
        Ok(Node::Call(call))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::idp::entra::expression::syntax::CompareOp;

    fn attribute(name: &str, column: usize) -> Node {
        Node::Attribute { name: name.to_string(), column }
    }

    fn error(text: &str) -> ExpressionError {
        parse(text).unwrap_err()
    }

    #[test]
    fn parses_the_default_active_mapping_with_an_empty_argument() {
        // entra-wire.md §1.5: Switch([IsSoftDeleted], , "False", "True", "True", "False")
        let node = parse(r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#).unwrap();
        assert_eq!(
            node,
            Node::Call(Call {
                function: Function::Switch,
                args: vec![
                    attribute("IsSoftDeleted", 8),
                    Node::Omitted,
                    Node::Literal(json!("False")),
                    Node::Literal(json!("True")),
                    Node::Literal(json!("True")),
                    Node::Literal(json!("False")),
                ],
                column: 1,
            })
        );
    }

    #[test]
    fn bare_attributes_literals_and_comparisons() {
        assert_eq!(parse(" [mail] ").unwrap(), attribute("mail", 2));
        assert_eq!(parse(r#""Contoso""#).unwrap(), Node::Literal(json!("Contoso")));
        assert_eq!(parse("42").unwrap(), Node::Literal(json!(42)));
        assert_eq!(
            parse(r#"[country]="USA""#).unwrap(),
            Node::Comparison(Box::new(Comparison {
                op: CompareOp::Equal,
                left: attribute("country", 1),
                right: Node::Literal(json!("USA")),
                column: 10,
            }))
        );
    }

    #[test]
    fn trailing_empty_arguments_count() {
        // FUNCS Replace example 2: Replace([UserID],"<username>", , , , , "<username>@contoso.com")
        let Node::Call(call) = parse(r#"Replace([mail], "@contoso.com", , ,"", ,)"#).unwrap() else {
            panic!("not a call")
        };
        assert_eq!(call.args.len(), 7);
        assert_eq!(call.args[6], Node::Omitted);
        assert!(call.has_arg(4));
        assert!(!call.has_arg(5));
    }

    #[test]
    fn in_str_takes_vb_constants() {
        let Node::Call(call) = parse(r#"InStr("repEated","e",3,vbBinaryCompare)"#).unwrap() else {
            panic!("not a call")
        };
        assert_eq!(call.args[3], Node::Literal(json!("vbBinaryCompare")));
    }

    #[test]
    fn argument_count_errors_name_the_function_and_column() {
        let err = error(r#"Switch([x], "a", "b")"#);
        assert_eq!(err.to_string(), "Switch: expects an odd number of arguments after the source, got 2 (column 1)");
        assert_eq!((err.column, err.function.as_deref()), (1, Some("Switch")));
        let err = error(r#"Join(" ", Left([x]))"#);
        assert_eq!(
            (err.message.as_str(), err.column, err.function.as_deref()),
            ("expects 2 arguments, got 1", 11, Some("Left"))
        );
        let err = error(r#"ToLower([x], "en-US", "x")"#);
        assert_eq!(err.message, "expects 1 or 2 arguments, got 3");
        let err = error(r#"InStr("a")"#);
        assert_eq!(err.message, "expects 2 to 4 arguments, got 1");
        let err = error(r#"Join(" ")"#);
        assert_eq!(err.message, "expects at least 2 arguments, got 1");
        let err = error(r#"Switch([x], "d")"#);
        assert_eq!(err.message, "expects at least one key and value after the default value");
        let err = error("Switch()");
        assert_eq!(err.message, "expects a source, a default value and key/value pairs, got no arguments");
        let err = error("Item([proxyAddresses], 0)");
        assert_eq!((err.message.as_str(), err.function.as_deref()), ("index 0 is out of range", Some("Item")));
    }

    #[test]
    fn unknown_functions_suggest_a_name() {
        let err = error(r#"Swtch([x], "a", "b", "c")"#);
        assert_eq!(err.to_string(), "unknown function \"Swtch\" at column 1 (did you mean \"Switch\"?)");
        let err = error(r#"Join(" ", toupper([x]))"#);
        assert_eq!(err.to_string(), "unknown function \"toupper\" at column 11 (did you mean \"ToUpper\"?)");
    }

    #[test]
    fn syntax_errors_carry_columns() {
        let err = error("");
        assert_eq!((err.message.as_str(), err.column), ("empty expression", 1));
        assert_eq!(error("   ").message, "empty expression");
        let err = error(r#"Join(" ", [a]"#);
        assert_eq!(err.to_string(), "Join: missing \")\" to close the arguments opened at column 5 (column 14)");
        let err = error(r#"Append([a], "x"#);
        assert_eq!((err.message.as_str(), err.column), ("unterminated string", 13));
        let err = error("[a] [b]");
        assert_eq!(err.to_string(), "unexpected attribute [b] after the end of the expression at column 5");
        let err = error(r#"Join(" " [a])"#);
        assert_eq!(err.to_string(), "Join: expected \",\" or \")\" after argument 1, found attribute [a] (column 10)");
        let err = error("Join)");
        assert_eq!((err.message.as_str(), err.column), ("unexpected name \"Join\"", 1));
        assert_eq!(err.hint.as_deref(), Some("call it with parentheses: Join(separator, source1, source2, ...)"));
        let err = error(r#"Join(" ", [a]))"#);
        assert_eq!(err.to_string(), "unexpected \")\" after the end of the expression at column 15");
        let err = error("mail");
        assert_eq!(err.message, "unexpected name \"mail\"");
        assert_eq!(
            err.hint.as_deref(),
            Some("attribute names go in brackets ([mail]) and string constants in double quotes (\"mail\")")
        );
        let err = error(",");
        assert_eq!(err.message, "expected an attribute, a string, a number or a function call, found \",\"");
        let err = error("[a] =");
        assert_eq!(err.column, 6);
        let err = error(r#"[a] = "x" = "y""#);
        assert_eq!((err.message.as_str(), err.column), ("unexpected operator \"=\"", 11));
    }

    #[test]
    fn length_limit_is_ten_thousand_characters() {
        let inside = "a".repeat(MAX_LENGTH - 2);
        assert!(parse(&format!("\"{inside}\"")).is_ok());
        let err = error(&format!("\"{inside}a\""));
        assert_eq!(err.column, 10_001);
        assert_eq!(err.message, "expression is 10001 characters long; Entra allows at most 10000");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}[x]{}", "Not(".repeat(1_000), ")".repeat(1_000));
        let err = error(&text);
        assert_eq!((err.function.as_deref(), err.column), (Some("Not"), 4 * MAX_DEPTH + 1));
        let ok = format!("{}[x]{}", "Not(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }
}
