//! The parser: tokens to a checked syntax tree, with SpEL's grammar and precedence (lowest
//! first):
//!
//! ```text
//! expression := or ( "?:" expression | "?" expression ":" expression )?
//! or         := and ( ("OR" | "||") and )*
//! and        := relational ( ("AND" | "&&") relational )*
//! relational := sum ( ("==" | "!=" | "<" | "<=" | ">" | ">=" | "matches") sum )?
//! sum        := product ( ("+" | "-") product )*
//! product    := unary ( ("*" | "/" | "%") unary )*
//! unary      := ("!" | "NOT" | "-") unary | postfix
//! postfix    := primary ( "[" expression "]" )*
//! primary    := string | number | true | false | null | "(" expression ")"
//!             | "{" ( expression ( "," expression )* )? "}"
//!             | name "." name                       (a reference such as user.firstName)
//!             | name ( "." name )? "(" arguments? ")"  (a function call)
//! ```
//!
//! The ternary and Elvis operators are right-associative and take whole expressions as their
//! branches (`a ? b : c ? d : e` is `a ? b : (c ? d : e)`), and comparisons do not chain, all
//! as in SpEL.
//!
//! \[INFERRED] A bare name (`firstName`) is rejected although the EL doc's "Profile mapping
//! samples" write some: in an Okta-to-app mapping every attribute is read through its profile
//! (`user.firstName`), and a simulator that read bare names as null would hide the mistake.

use serde_json::Value;

use super::function::{Function, INTERNAL_PROPERTY};
use super::pattern;
use super::syntax::{ArithmeticOp, Call, CompareOp, Kind, LogicalOp, Node};
use super::token::{Spanned, Token, tokenize};
use crate::idp::expression_error::ExpressionError;

/// The longest expression accepted, in characters. \[INFERRED] Okta documents no limit; this
/// one is far above any mapping in the EL doc and keeps hostile input cheap.
pub const MAX_LENGTH: usize = 4096;

/// How deeply expressions may nest (parentheses, arguments, array items, indexes, unary
/// operators, ternary and Elvis branches). \[INFERRED] Okta documents no limit; the EL doc's
/// deepest example nests four levels. Thirty-two keeps the recursive parser and evaluator
/// inside a 1 MiB stack on any input, even unoptimised (a test checks this).
pub const MAX_DEPTH: usize = 32;

/// Parses `text` into a syntax tree whose calls all passed [`Function::check`].
pub(crate) fn parse(text: &str) -> Result<Node, ExpressionError> {
    let length = ExpressionError::check_length(text, MAX_LENGTH, &format!("at most {MAX_LENGTH} are allowed"))?;
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

/// A parsing function for one precedence level.
type Level = fn(&mut Parser, usize) -> Result<Node, ExpressionError>;

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

    fn peek_token(&self) -> Option<&Token> {
        self.peek().map(|spanned| &spanned.token)
    }

    fn next(&mut self) -> Option<Spanned> {
        let spanned = self.tokens.get(self.position).cloned();
        self.position += 1;
        spanned
    }

    /// The column of the next token, or the end of the input.
    fn column(&self) -> usize {
        self.peek().map_or(self.end_column, |spanned| spanned.column)
    }

    /// `depth + 1` for the construct at `column`, or an error there when that is too deep.
    fn deeper(depth: usize, column: usize) -> Result<usize, ExpressionError> {
        if depth >= MAX_DEPTH {
            return Err(ExpressionError::syntax(column, format!("expression nests more than {MAX_DEPTH} levels deep")));
        }
        Ok(depth + 1)
    }

    /// Consumes `expected` or fails with `missing` (what is missing, e.g. `")" to close …`).
    fn expect(&mut self, expected: &Token, missing: &str) -> Result<(), ExpressionError> {
        match self.next() {
            Some(Spanned { token, .. }) if token == *expected => Ok(()),
            Some(Spanned { token, column }) => {
                Err(ExpressionError::syntax(column, format!("expected {missing}, found {}", token.describe())))
            }
            None => Err(ExpressionError::syntax(self.end_column, format!("missing {missing}"))),
        }
    }

    /// `or ( "?:" expression | "?" expression ":" expression )?`
    fn expression(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        let first = self.or(depth)?;
        let column = first.column;
        match self.peek_token() {
            Some(Token::Elvis) => {
                let depth = Self::deeper(depth, self.column())?;
                self.position += 1;
                let fallback = self.expression(depth)?;
                Ok(Node { column, kind: Kind::Elvis { value: Box::new(first), fallback: Box::new(fallback) } })
            }
            Some(Token::Question) => {
                let question = self.column();
                let depth = Self::deeper(depth, question)?;
                self.position += 1;
                let then = self.expression(depth)?;
                self.expect(&Token::Colon, &format!("\":\" for the \"?\" at column {question}"))?;
                let otherwise = self.expression(depth)?;
                let kind =
                    Kind::Ternary { condition: Box::new(first), then: Box::new(then), otherwise: Box::new(otherwise) };
                Ok(Node { column, kind })
            }
            _ => Ok(first),
        }
    }

    fn or(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        self.logical(depth, LogicalOp::Or, Self::and)
    }

    fn and(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        self.logical(depth, LogicalOp::And, Self::relational)
    }

    /// `operand ( op operand )*` for a boolean connective.
    fn logical(&mut self, depth: usize, op: LogicalOp, operand: Level) -> Result<Node, ExpressionError> {
        let first = operand(self, depth)?;
        let column = first.column;
        let mut operands = vec![first];
        while self.peek_token() == Some(&Token::Logical(op)) {
            self.position += 1;
            operands.push(operand(self, depth)?);
        }
        Ok(match operands.len() {
            1 => operands.remove(0),
            _ => Node { column, kind: Kind::Logical { op, operands } },
        })
    }

    /// `sum ( compare-op sum )?`
    fn relational(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        let left = self.sum(depth)?;
        let Some(&Token::Compare(op)) = self.peek_token() else {
            return Ok(left);
        };
        let column = self.column();
        self.position += 1;
        let right = self.sum(depth)?;
        if let Some(Spanned { token: Token::Compare(second), column: at }) = self.peek() {
            return Err(ExpressionError::syntax(*at, format!("unexpected {:?}", second.symbol()))
                .with_hint("comparisons cannot be chained; combine them with AND or OR"));
        }
        if let (CompareOp::Matches, Kind::Literal(Value::String(text))) = (op, &right.kind) {
            pattern::compile(text).map_err(|message| ExpressionError::syntax(right.column, message))?;
        }
        let start = left.column;
        Ok(Node { column: start, kind: Kind::Comparison { op, left: Box::new(left), right: Box::new(right), column } })
    }

    fn sum(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        self.arithmetic(depth, &[ArithmeticOp::Add, ArithmeticOp::Subtract], Self::product)
    }

    fn product(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        self.arithmetic(depth, &[ArithmeticOp::Multiply, ArithmeticOp::Divide, ArithmeticOp::Remainder], Self::unary)
    }

    /// `operand ( op operand )*` for the arithmetic operators `ops` of one precedence level.
    fn arithmetic(&mut self, depth: usize, ops: &[ArithmeticOp], operand: Level) -> Result<Node, ExpressionError> {
        let first = operand(self, depth)?;
        let mut rest = Vec::new();
        while let Some(&Spanned { token: Token::Arithmetic(op), column }) = self.peek()
            && ops.contains(&op)
        {
            self.position += 1;
            rest.push((op, column, operand(self, depth)?));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        Ok(Node { column: first.column, kind: Kind::Arithmetic { first: Box::new(first), rest } })
    }

    /// `("!" | "NOT" | "-") unary | postfix`
    fn unary(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        let column = self.column();
        let wrap: fn(Box<Node>) -> Kind = match self.peek_token() {
            Some(Token::Not) => Kind::Not,
            Some(Token::Arithmetic(ArithmeticOp::Subtract)) => Kind::Negate,
            _ => return self.postfix(depth),
        };
        let depth = Self::deeper(depth, column)?;
        self.position += 1;
        let operand = self.unary(depth)?;
        Ok(Node { column, kind: wrap(Box::new(operand)) })
    }

    /// `primary ( "[" expression "]" )*`
    fn postfix(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        let mut node = self.primary(depth)?;
        let mut depth = depth;
        loop {
            match self.peek() {
                Some(Spanned { token: Token::LBracket, column }) => {
                    let column = *column;
                    depth = Self::deeper(depth, column)?;
                    self.position += 1;
                    let index = self.expression(depth)?;
                    self.expect(&Token::RBracket, &format!("\"]\" to close the index opened at column {column}"))?;
                    let start = node.column;
                    node = Node {
                        column: start,
                        kind: Kind::Index { target: Box::new(node), index: Box::new(index), column },
                    };
                }
                Some(Spanned { token: Token::Dot, column }) => {
                    let hint = "nested properties are not supported; read attributes as profile.attribute";
                    return Err(ExpressionError::syntax(*column, "unexpected \".\" after a value").with_hint(hint));
                }
                _ => return Ok(node),
            }
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Node, ExpressionError> {
        let Some(Spanned { token, column }) = self.next() else {
            return Err(ExpressionError::syntax(self.end_column, "expected a value at the end of the expression"));
        };
        let literal = |value: Value| Ok(Node { column, kind: Kind::Literal(value) });
        match token {
            Token::Str(text) => literal(Value::String(text)),
            Token::Integer(number) => literal(Value::from(number)),
            Token::Decimal(number) => literal(Value::Number(number)),
            Token::Bool(value) => literal(Value::Bool(value)),
            Token::Null => literal(Value::Null),
            Token::LParen => {
                let inner = self.expression(Self::deeper(depth, column)?)?;
                self.expect(&Token::RParen, &format!("\")\" to close the parenthesis opened at column {column}"))?;
                Ok(inner)
            }
            Token::LBrace => self.array(column, depth),
            Token::Name(name) => self.name(name, column, depth),
            other => Err(ExpressionError::syntax(column, format!("expected a value, found {}", other.describe()))),
        }
    }

    /// `{ a, b, … }`, after the `{` at `column`.
    fn array(&mut self, column: usize, depth: usize) -> Result<Node, ExpressionError> {
        let depth = Self::deeper(depth, column)?;
        let mut items = Vec::new();
        if self.peek_token() == Some(&Token::RBrace) {
            self.position += 1;
            return Ok(Node { column, kind: Kind::Array(items) });
        }
        loop {
            items.push(self.expression(depth)?);
            match self.next() {
                Some(Spanned { token: Token::Comma, .. }) => {}
                Some(Spanned { token: Token::RBrace, .. }) => return Ok(Node { column, kind: Kind::Array(items) }),
                Some(Spanned { token: Token::Colon, column: at }) => {
                    return Err(ExpressionError::syntax(at, "inline maps are not supported"));
                }
                Some(Spanned { token, column: at }) => {
                    return Err(ExpressionError::syntax(
                        at,
                        format!(
                            "expected \",\" or \"}}\" after array item {}, found {}",
                            items.len(),
                            token.describe()
                        ),
                    ));
                }
                None => {
                    return Err(ExpressionError::syntax(
                        self.end_column,
                        format!("missing \"}}\" to close the array opened at column {column}"),
                    ));
                }
            }
        }
    }

    /// What follows a name at `column`: a reference, a call, or a mistake.
    fn name(&mut self, name: String, column: usize, depth: usize) -> Result<Node, ExpressionError> {
        if self.peek_token() == Some(&Token::LParen) {
            return self.call(&name, column, depth);
        }
        if self.peek_token() != Some(&Token::Dot) {
            let error = ExpressionError::syntax(column, format!("unexpected name {name:?}"));
            return Err(match Function::signature(&name) {
                Some(signature) => error.with_hint(format!("call it with parentheses: {signature}")),
                None => error.with_hint(format!(
                    "read attributes through their profile (user.{name}) and write text in quotes ('{name}')"
                )),
            });
        }
        self.position += 1;
        let member = match self.next() {
            Some(Spanned { token: Token::Name(member), .. }) => member,
            Some(Spanned { token, column: at }) => {
                return Err(ExpressionError::syntax(
                    at,
                    format!("expected an attribute name after \"{name}.\", found {}", token.describe()),
                ));
            }
            None => {
                return Err(ExpressionError::syntax(
                    self.end_column,
                    format!("expected an attribute name after \"{name}.\" at the end of the expression"),
                ));
            }
        };
        let qualified = format!("{name}.{member}");
        if self.peek_token() == Some(&Token::LParen) {
            return self.call(&qualified, column, depth);
        }
        if let Some(signature) = Function::signature(&qualified) {
            return Err(ExpressionError::syntax(column, format!("unexpected function name {qualified:?}"))
                .with_hint(format!("call it with parentheses: {signature}")));
        }
        if Function::is_namespace(&name) {
            return Err(Function::unknown(&qualified, column));
        }
        Ok(Node { column, kind: Kind::Reference(qualified) })
    }

    /// `name "(" arguments? ")"`, with the name at `column` and the `(` next.
    fn call(&mut self, name: &str, column: usize, depth: usize) -> Result<Node, ExpressionError> {
        if name == INTERNAL_PROPERTY {
            let args = self.arguments(name, column, depth)?;
            return internal_property(&args, column);
        }
        let (name, function) = Function::lookup(name).ok_or_else(|| Function::unknown(name, column))?;
        let args = self.arguments(name, column, depth)?;
        let call = Call { function, name, args, column };
        Function::check(&call)?;
        Ok(Node { column, kind: Kind::Call(call) })
    }

    /// `"(" ( expression ( "," expression )* )? ")"` for function `name` at `column`.
    fn arguments(&mut self, name: &str, column: usize, depth: usize) -> Result<Vec<Node>, ExpressionError> {
        let depth =
            Self::deeper(depth, column).map_err(|error| ExpressionError::in_function(name, column, error.message))?;
        let open = self.next().map_or(column, |spanned| spanned.column);
        let mut args = Vec::new();
        if self.peek_token() == Some(&Token::RParen) {
            self.position += 1;
            return Ok(args);
        }
        loop {
            args.push(self.expression(depth)?);
            match self.next() {
                Some(Spanned { token: Token::Comma, .. }) => {}
                Some(Spanned { token: Token::RParen, .. }) => return Ok(args),
                Some(Spanned { token, column: at }) => {
                    return Err(ExpressionError::in_function(
                        name,
                        at,
                        format!("expected \",\" or \")\" after argument {}, found {}", args.len(), token.describe()),
                    ));
                }
                None => {
                    return Err(ExpressionError::in_function(
                        name,
                        self.end_column,
                        format!("missing \")\" to close the arguments opened at column {open}"),
                    ));
                }
            }
        }
    }
}

/// `user.getInternalProperty("id" | "status")` as the reference `user#id` / `user#status`
/// (EL doc "Okta user ID and status"; the parameter must be a quoted constant).
fn internal_property(args: &[Node], column: usize) -> Result<Node, ExpressionError> {
    match args {
        [Node { kind: Kind::Literal(Value::String(property)), .. }] if property == "id" || property == "status" => {
            Ok(Node { column, kind: Kind::Reference(format!("user#{property}")) })
        }
        [_] => Err(ExpressionError::in_function(INTERNAL_PROPERTY, column, "expects \"id\" or \"status\"")),
        _ => Err(ExpressionError::in_function(
            INTERNAL_PROPERTY,
            column,
            format!("expects 1 argument, got {}", args.len()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::idp::okta::expression::test_source::parse_error;

    fn reference(name: &str, column: usize) -> Node {
        Node { column, kind: Kind::Reference(name.to_string()) }
    }

    fn literal(value: Value, column: usize) -> Node {
        Node { column, kind: Kind::Literal(value) }
    }

    /// The tree as a compact string, with the grouping explicit.
    fn shape(node: &Node) -> String {
        let list = |nodes: &mut dyn Iterator<Item = &Node>| nodes.map(shape).collect::<Vec<_>>().join(", ");
        match &node.kind {
            Kind::Literal(value) => value.to_string(),
            Kind::Reference(name) => name.clone(),
            Kind::Array(items) => format!("{{{}}}", list(&mut items.iter())),
            Kind::Index { target, index, .. } => format!("{}[{}]", shape(target), shape(index)),
            Kind::Not(operand) => format!("!{}", shape(operand)),
            Kind::Negate(operand) => format!("-{}", shape(operand)),
            Kind::Arithmetic { first, rest } => {
                let tail: String =
                    rest.iter().map(|(op, _, node)| format!(" {} {}", op.symbol(), shape(node))).collect();
                format!("({}{tail})", shape(first))
            }
            Kind::Logical { op, operands } => {
                let joiner = if *op == LogicalOp::And { " AND " } else { " OR " };
                format!("({})", operands.iter().map(shape).collect::<Vec<_>>().join(joiner))
            }
            Kind::Comparison { op, left, right, .. } => format!("({} {} {})", shape(left), op.symbol(), shape(right)),
            Kind::Ternary { condition, then, otherwise } => {
                format!("({} ? {} : {})", shape(condition), shape(then), shape(otherwise))
            }
            Kind::Elvis { value, fallback } => format!("({} ?: {})", shape(value), shape(fallback)),
            Kind::Call(call) => format!("{}({})", call.name, list(&mut call.args.iter())),
        }
    }

    fn parsed(text: &str) -> String {
        shape(&parse(text).unwrap_or_else(|e| panic!("{text}: {e}")))
    }

    #[test]
    fn references_literals_and_calls() {
        assert_eq!(parse(" user.firstName ").unwrap(), reference("user.firstName", 2));
        assert_eq!(parse("'x'").unwrap(), literal(json!("x"), 1));
        assert_eq!(parse("NULL").unwrap(), literal(json!(null), 1));
        assert_eq!(parse("3.141").unwrap(), literal(json!("3.141".parse::<f64>().unwrap()), 1));
        assert_eq!(parse(r#"user.getInternalProperty("id")"#).unwrap(), reference("user#id", 1));
        assert_eq!(parse("user.getInternalProperty('status')").unwrap(), reference("user#status", 1));
        assert_eq!(
            parse("String.len(user.a)").unwrap(),
            Node {
                column: 1,
                kind: Kind::Call(Call {
                    function: Function::Len,
                    name: "String.len",
                    args: vec![reference("user.a", 12)],
                    column: 1,
                }),
            }
        );
        assert_eq!(parsed("substring(user.a, 0, 1)"), "substring(user.a, 0, 1)");
        assert_eq!(parsed("{}"), "{}");
        assert_eq!(parsed("{1, {2}}[0]"), "{1, {2}}[0]");
        assert_eq!(parsed("Arrays.flatten()"), "Arrays.flatten()");
        assert_eq!(parsed("zendesk_9ao1g13.firstName"), "zendesk_9ao1g13.firstName");
        assert_eq!(parsed("user.and"), "user.and");
    }

    #[test]
    fn spel_precedence() {
        assert_eq!(parsed("a.a + a.b * a.c"), "(a.a + (a.b * a.c))");
        assert_eq!(parsed("a.a - a.b - a.c"), "(a.a - a.b - a.c)");
        assert_eq!(parsed("a.a + a.b == a.c"), "((a.a + a.b) == a.c)");
        assert_eq!(parsed("a.a == a.b AND a.c"), "((a.a == a.b) AND a.c)");
        assert_eq!(parsed("a.a OR a.b AND a.c"), "(a.a OR (a.b AND a.c))");
        assert_eq!(parsed("a.a || a.b or a.c"), "(a.a OR a.b OR a.c)");
        assert_eq!(parsed("!a.a == a.b"), "(!a.a == a.b)", "unary binds tightest");
        assert_eq!(parsed("NOT a.a AND a.b"), "(!a.a AND a.b)");
        assert_eq!(parsed("-a.a * 2"), "(-a.a * 2)");
        assert_eq!(parsed("a.a ? a.b : a.c ? a.d : a.e"), "(a.a ? a.b : (a.c ? a.d : a.e))");
        assert_eq!(parsed("a.a ? a.b ? 1 : 2 : 3"), "(a.a ? (a.b ? 1 : 2) : 3)");
        assert_eq!(parsed("a.a OR a.b ? 1 : 2"), "((a.a OR a.b) ? 1 : 2)");
        assert_eq!(parsed("a.a ?: a.b ?: 'c'"), "(a.a ?: (a.b ?: \"c\"))");
        assert_eq!(parsed("a.a ?: 'x' + 'y'"), "(a.a ?: (\"x\" + \"y\"))");
        assert_eq!(parsed("a.a + 'x' ?: 'y'"), "((a.a + \"x\") ?: \"y\")");
        assert_eq!(parsed("a.a matches 'x' AND a.b"), "((a.a matches \"x\") AND a.b)");
        assert_eq!(
            parsed("(user.email != null && user.email != '') ? 'work' : ''"),
            "(((user.email != null) AND (user.email != \"\")) ? \"work\" : \"\")"
        );
        assert_eq!(
            parsed(r#"user.employeeNumber != "" AND user.employeeNumber != null ? user.employeeNumber : "none""#),
            "(((user.employeeNumber != \"\") AND (user.employeeNumber != null)) ? user.employeeNumber : \"none\")"
        );
    }

    #[test]
    fn columns_of_nodes_and_operators() {
        let node = parse("user.a + user.b == 1").unwrap();
        let Kind::Comparison { left, column, .. } = &node.kind else { panic!("{node:?}") };
        assert_eq!((node.column, *column), (1, 17));
        let Kind::Arithmetic { rest, .. } = &left.kind else { panic!("{left:?}") };
        assert_eq!(rest[0].1, 8);
        let node = parse("  (user.a)[0]").unwrap();
        assert_eq!(node.column, 4);
        let Kind::Index { column, .. } = node.kind else { panic!() };
        assert_eq!(column, 11);
    }

    #[test]
    fn unknown_functions_suggest_a_name() {
        let err = parse_error("String.toLowercase(user.login)");
        assert_eq!(err.message, "unknown function \"String.toLowercase\"");
        assert_eq!((err.column, err.function.as_deref()), (1, None));
        assert_eq!(err.hint.as_deref(), Some("did you mean \"String.toLowerCase\"?"));
        let err = parse_error("'x' + tolowercase(user.login)");
        assert_eq!(err.to_string(), "unknown function \"tolowercase\" at column 7 (did you mean \"toLowerCase\"?)");
        let err = parse_error("Time.now()");
        assert_eq!(err.to_string(), "Time.now: not supported by this simulator: it is nondeterministic (column 1)");
        let err = parse_error("hasWorkdayUser() ? findWorkdayUser().employeeID : null");
        assert_eq!(err.function.as_deref(), Some("hasWorkdayUser"));
        let err = parse_error("appuser.getInternalProperty('id')");
        assert_eq!(err.message, "unknown function \"appuser.getInternalProperty\"");
    }

    #[test]
    fn argument_counts_are_checked() {
        let err = parse_error("String.substringBefore(user.email)");
        assert_eq!(err, ExpressionError::in_function("String.substringBefore", 1, "expects 2 arguments, got 1"));
        let err = parse_error("'a' + substring(user.a, 1)");
        assert_eq!(err.to_string(), "substring: expects 3 arguments, got 2 (column 7)");
        assert_eq!(parse_error("String.len()").message, "expects 1 argument, got 0");
        assert_eq!(parse_error("String.join()").message, "expects at least 1 argument, got 0");
        assert_eq!(parse_error("isMemberOfAnyGroup()").message, "expects at least 1 argument, got 0");
        assert_eq!(parse_error("String.stringSwitch('a')").message, "expects at least 2 arguments, got 1");
        let err = parse_error("String.stringSwitch('a', 'd', 'k')");
        assert_eq!(err.message, "expects key/value pairs after the input and the default; the last key has no value");
        let err = parse_error("user.getInternalProperty('login')");
        assert_eq!(err.to_string(), "user.getInternalProperty: expects \"id\" or \"status\" (column 1)");
        let err = parse_error("user.getInternalProperty(user.a)");
        assert_eq!(err.message, "expects \"id\" or \"status\"");
        let err = parse_error("user.getInternalProperty()");
        assert_eq!(err.message, "expects 1 argument, got 0");
    }

    #[test]
    fn constant_patterns_are_checked() {
        let err = parse_error("isMemberOfGroupNameRegex('a(')");
        assert_eq!(
            err.to_string(),
            "isMemberOfGroupNameRegex: invalid regular expression \"a(\": unclosed group (column 1)"
        );
        let err = parse_error("user.a matches '(x'");
        assert_eq!((err.message.as_str(), err.column), ("invalid regular expression \"(x\": unclosed group", 16));
        assert!(parse("user.a matches user.b").is_ok(), "patterns from the source are checked when evaluated");
    }

    #[test]
    fn syntax_errors_carry_columns() {
        let err = parse_error("");
        assert_eq!((err.message.as_str(), err.column), ("empty expression", 1));
        assert_eq!(parse_error("  ").message, "empty expression");
        let err = parse_error("String.len(user.a");
        assert_eq!(err.to_string(), "String.len: missing \")\" to close the arguments opened at column 11 (column 18)");
        let err = parse_error("String.append('a' 'b')");
        assert_eq!(
            err.to_string(),
            "String.append: expected \",\" or \")\" after argument 1, found string \"b\" (column 19)"
        );
        let err = parse_error("'abc");
        assert_eq!((err.message.as_str(), err.column), ("unterminated string", 1));
        let err = parse_error("user.a user.b");
        assert_eq!(err.to_string(), "unexpected name \"user\" after the end of the expression at column 8");
        let err = parse_error("(user.a");
        assert_eq!(err.to_string(), "missing \")\" to close the parenthesis opened at column 1 at column 8");
        let err = parse_error("(user.a]");
        assert_eq!(
            err.to_string(),
            "expected \")\" to close the parenthesis opened at column 1, found \"]\" at column 8"
        );
        let err = parse_error("user.a ? 'x'");
        assert_eq!(err.to_string(), "missing \":\" for the \"?\" at column 8 at column 13");
        let err = parse_error("user.a ? : 'x'");
        assert_eq!((err.message.as_str(), err.column), ("expected a value, found \":\"", 10));
        let err = parse_error("user.a +");
        assert_eq!((err.message.as_str(), err.column), ("expected a value at the end of the expression", 9));
        let err = parse_error("user.");
        assert_eq!(err.message, "expected an attribute name after \"user.\" at the end of the expression");
        let err = parse_error("user.'x'");
        assert_eq!(
            (err.message.as_str(), err.column),
            ("expected an attribute name after \"user.\", found string \"x\"", 6)
        );
        let err = parse_error("user.a == 1 == true");
        assert_eq!((err.message.as_str(), err.column), ("unexpected \"==\"", 13));
        assert_eq!(err.hint.as_deref(), Some("comparisons cannot be chained; combine them with AND or OR"));
        let err = parse_error("{1, 2");
        assert_eq!(err.message, "missing \"}\" to close the array opened at column 1");
        let err = parse_error("{1 2}");
        assert_eq!(err.to_string(), "expected \",\" or \"}\" after array item 1, found number 2 at column 4");
        let err = parse_error("{'a': 1}");
        assert_eq!((err.message.as_str(), err.column), ("inline maps are not supported", 5));
        let err = parse_error("user.list[0");
        assert_eq!(err.message, "missing \"]\" to close the index opened at column 10");
        let err = parse_error("user.a.b");
        assert_eq!((err.message.as_str(), err.column), ("unexpected \".\" after a value", 7));
        let err = parse_error("String.len('x').y");
        assert_eq!(err.column, 16);
        let err = parse_error(")");
        assert_eq!(err.message, "expected a value, found \")\"");
        let err = parse_error("user.a AND");
        assert_eq!(err.column, 11);
    }

    #[test]
    fn bare_names_are_rejected_with_a_hint() {
        let err = parse_error("firstName + ' ' + lastName");
        assert_eq!((err.message.as_str(), err.column), ("unexpected name \"firstName\"", 1));
        assert_eq!(
            err.hint.as_deref(),
            Some("read attributes through their profile (user.firstName) and write text in quotes ('firstName')")
        );
        let err = parse_error("String.len");
        assert_eq!(err.message, "unexpected function name \"String.len\"");
        assert_eq!(err.hint.as_deref(), Some("call it with parentheses: String.len(String input)"));
        let err = parse_error("toUpperCase + 'x'");
        assert_eq!(err.hint.as_deref(), Some("call it with parentheses: toUpperCase(String input)"));
        let err = parse_error("user.getInternalProperty == 'x'");
        assert_eq!(
            err.hint.as_deref(),
            Some("call it with parentheses: user.getInternalProperty(\"id\" | \"status\")")
        );
        // A namespace is never a profile, so a misspelt function is not read as an attribute.
        let err = parse_error("'x' + String.toLowercase");
        assert_eq!(
            err.to_string(),
            "unknown function \"String.toLowercase\" at column 7 (did you mean \"String.toLowerCase\"?)"
        );
        let err = parse_error("Time.now");
        assert_eq!(err.function.as_deref(), Some("Time.now"));
    }

    #[test]
    fn length_limit() {
        let inside = "a".repeat(MAX_LENGTH - 2);
        assert!(parse(&format!("'{inside}'")).is_ok());
        let err = parse_error(&format!("'{inside}a'"));
        assert_eq!(
            (err.column, err.message.as_str()),
            (MAX_LENGTH + 1, "expression is 4097 characters long; at most 4096 are allowed")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let ok = format!("{}user.a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let err = parse_error(&format!("{}user.a{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1)));
        assert_eq!((err.message.as_str(), err.column), ("expression nests more than 32 levels deep", MAX_DEPTH + 1));
        let err = parse_error(&format!("user.a{}", " ?: user.a".repeat(MAX_DEPTH + 1)));
        assert_eq!(err.column, 7 + 10 * MAX_DEPTH + 1, "at the operator one level too deep");
        // Every construct that nests counts, up to the length limit.
        let hostile = [
            "(".repeat(MAX_LENGTH),
            "!".repeat(MAX_LENGTH),
            "-".repeat(MAX_LENGTH),
            "{".repeat(MAX_LENGTH),
            "String.len(".repeat(MAX_LENGTH / 11),
            format!("user.a{}", "[0".repeat(MAX_LENGTH / 2 - 3)),
            "user.a ? 1 : ".repeat(MAX_LENGTH / 13),
            "user.a ?: ".repeat(MAX_LENGTH / 10),
        ];
        for text in hostile {
            let err = parse_error(&text);
            assert!(err.message.contains("nests more than 32"), "{}: {err}", &text[..20]);
        }
        let index = format!("user.a{}", "[0]".repeat(MAX_DEPTH + 1));
        assert!(parse_error(&index).message.contains("nests more than 32"));
        let err = parse_error(&format!("{}1{}", "String.len(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1)));
        assert_eq!((err.function.as_deref(), err.column), (Some("String.len"), 11 * MAX_DEPTH + 1));
    }

    #[test]
    fn long_flat_chains_are_fine() {
        // A chain of operators at one level is one node, so its length is not its depth.
        let sum = vec!["1"; MAX_LENGTH / 2].join("+");
        let Kind::Arithmetic { rest, .. } = parse(&sum).unwrap().kind else { panic!() };
        assert_eq!(rest.len(), MAX_LENGTH / 2 - 1);
        let and = vec!["true"; 400].join(" AND ");
        assert!(parse(&and).is_ok());
    }
}
