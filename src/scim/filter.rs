//! The filter grammar of RFC 7644 §3.4.2.2: parsing, the syntax tree, and printing.
//!
//! ```text
//! FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
//! valuePath = attrPath "[" valFilter "]"
//! attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
//! logExp    = FILTER SP ("and" / "or") SP FILTER      ; "and" binds tighter than "or"
//! ```
//! Operators and keywords are case-insensitive (`EQ`, `And`, `NOT`); attribute names keep
//! the spelling they were given and are matched case-insensitively against the schema. JSON
//! literals (`true`, `false`, `null`) are lowercase, as in RFC 7159. Evaluation against
//! resources lives in [`super::Matcher`], which knows the schema (caseExact, types).

use std::fmt;
use std::str::FromStr;

use super::SyntaxError;
use super::path::{AttrPath, PatchPath};
use super::token::{Spanned, Token, tokenize};

/// Deepest nesting of parentheses, `not` and value filters a filter may have. Bounds the
/// recursion of parsing, evaluation and printing so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// The longest filter or attribute path accepted, in characters. RFC 7644 sets no limit; an
/// IdP's match query is well under a hundred characters, and an `or` of two hundred ids under
/// ten thousand. The bound keeps a query's cost (filter size times resources) proportionate
/// when a `POST /.search` body carries a megabyte of filter; a `GET` URL is cut shorter still
/// by the HTTP layer (`414 URI Too Long` past 64 KiB).
pub const MAX_LENGTH: usize = 64 * 1024;

/// Refuses `input` longer than [`MAX_LENGTH`] characters, before any parsing.
pub(crate) fn check_length(input: &str) -> Result<(), SyntaxError> {
    match input.char_indices().nth(MAX_LENGTH) {
        Some((at, _)) => Err(SyntaxError::at(input, at, format!("longer than {MAX_LENGTH} characters"))),
        None => Ok(()),
    }
}

/// A parsed SCIM filter.
///
/// `and` / `or` chains are n-ary, so `a and b and c` is one node with three operands: the
/// depth of the tree reflects real nesting only, never the length of a chain.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attr pr`: the attribute has a non-empty value.
    Present(AttrPath),
    /// `attr op value`.
    Compare(AttrPath, CompareOp, CompValue),
    /// `attr[filter]`: some element of the multi-valued complex `attr` matches `filter`,
    /// whose attribute paths name sub-attributes of `attr`.
    ValuePath(AttrPath, Box<Filter>),
    /// `not (filter)`.
    Not(Box<Filter>),
    /// `a and b and …` (at least two operands).
    And(Vec<Filter>),
    /// `a or b or …` (at least two operands).
    Or(Vec<Filter>),
}

/// The comparison operators of RFC 7644 §3.4.2.2, table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// equal
    Eq,
    /// not equal
    Ne,
    /// contains
    Co,
    /// starts with
    Sw,
    /// ends with
    Ew,
    /// greater than
    Gt,
    /// greater than or equal to
    Ge,
    /// less than
    Lt,
    /// less than or equal to
    Le,
}

impl CompareOp {
    const ALL: [(&'static str, CompareOp); 9] = [
        ("eq", Self::Eq),
        ("ne", Self::Ne),
        ("co", Self::Co),
        ("sw", Self::Sw),
        ("ew", Self::Ew),
        ("gt", Self::Gt),
        ("ge", Self::Ge),
        ("lt", Self::Lt),
        ("le", Self::Le),
    ];

    /// Recognises an operator in any letter case.
    pub fn from_keyword(word: &str) -> Option<Self> {
        Self::ALL.iter().find(|(k, _)| word.eq_ignore_ascii_case(k)).map(|&(_, op)| op)
    }

    /// The operator as RFC 7644 spells it (lowercase).
    pub fn keyword(self) -> &'static str {
        Self::ALL.iter().find(|(_, op)| *op == self).map_or("eq", |(k, _)| k)
    }

    /// True for the ordering operators `gt ge lt le`.
    pub fn is_ordering(self) -> bool {
        matches!(self, Self::Gt | Self::Ge | Self::Lt | Self::Le)
    }

    /// True for the substring operators `co sw ew`.
    pub fn is_substring(self) -> bool {
        matches!(self, Self::Co | Self::Sw | Self::Ew)
    }
}

/// The literal on the right of a comparison (RFC 7644 §3.4.2.2 `compValue`).
#[derive(Debug, Clone, PartialEq)]
pub enum CompValue {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A JSON number.
    Number(serde_json::Number),
    /// A JSON string, unescaped.
    Str(String),
}

impl fmt::Display for CompValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::Str(s) => write!(f, "{}", serde_json::Value::String(s.clone())),
        }
    }
}

impl FromStr for Filter {
    type Err = SyntaxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parser = Parser::new(s)?;
        let filter = parser.or_expr(false)?;
        parser.expect_end()?;
        Ok(filter)
    }
}

impl Filter {
    /// Writes an operand of an `and` / `or` chain, in parentheses where the text would
    /// otherwise parse back to a different tree: an `or` under an `and` (precedence), and a
    /// chain under a chain of its own kind (which would merge into the outer chain).
    fn write_operand(&self, f: &mut fmt::Formatter<'_>, parent_is_and: bool) -> fmt::Result {
        match self {
            Self::Or(_) | Self::And(_) if parent_is_and => write!(f, "({self})"),
            Self::Or(_) => write!(f, "({self})"),
            _ => write!(f, "{self}"),
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Present(path) => write!(f, "{path} pr"),
            Self::Compare(path, op, value) => write!(f, "{path} {} {value}", op.keyword()),
            Self::ValuePath(path, inner) => write!(f, "{path}[{inner}]"),
            Self::Not(inner) => write!(f, "not ({inner})"),
            Self::And(operands) | Self::Or(operands) => {
                let is_and = matches!(self, Self::And(_));
                for (i, operand) in operands.iter().enumerate() {
                    if i > 0 {
                        f.write_str(if is_and { " and " } else { " or " })?;
                    }
                    operand.write_operand(f, is_and)?;
                }
                Ok(())
            }
        }
    }
}

/// Recursive-descent parser over the shared token stream; also parses PATCH paths.
pub(crate) struct Parser<'a> {
    input: &'a str,
    tokens: Vec<Spanned>,
    pos: usize,
    depth: usize,
}

fn is_keyword(token: Option<&Spanned>, keyword: &str) -> bool {
    matches!(token, Some(Spanned { token: Token::Word(w), .. }) if w.eq_ignore_ascii_case(keyword))
}

impl<'a> Parser<'a> {
    pub(crate) fn new(input: &'a str) -> Result<Self, SyntaxError> {
        check_length(input)?;
        let tokens = tokenize(input)?;
        if tokens.is_empty() {
            return Err(SyntaxError::at(input, 0, "empty expression"));
        }
        Ok(Self { input, tokens, pos: 0, depth: 0 })
    }

    fn peek(&self) -> Option<&Spanned> {
        self.tokens.get(self.pos)
    }

    fn bump(&mut self) -> Option<Spanned> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    /// Byte offset of the current token, or the end of input.
    fn here(&self) -> usize {
        self.peek().map_or(self.input.len(), |t| t.start)
    }

    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError::at(self.input, self.here(), message)
    }

    fn describe_here(&self) -> String {
        match self.peek().map(|t| &t.token) {
            None => "the end of the expression".into(),
            Some(Token::LParen) => "'('".into(),
            Some(Token::RParen) => "')'".into(),
            Some(Token::LBracket) => "'['".into(),
            Some(Token::RBracket) => "']'".into(),
            Some(Token::Word(w)) => format!("{w:?}"),
            Some(Token::Str(s)) => format!("the string {s:?}"),
            Some(Token::Number(n)) => format!("the number {n}"),
        }
    }

    pub(crate) fn expect_end(&self) -> Result<(), SyntaxError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self
                .error(format!("unexpected {} ", self.describe_here()).trim_end().to_string())
                .hint("join expressions with 'and' or 'or'")),
        }
    }

    fn expect(&mut self, token: &Token, what: &str) -> Result<(), SyntaxError> {
        if self.peek().map(|t| &t.token) == Some(token) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(format!("expected {what} but found {}", self.describe_here())))
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("filter nests deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    pub(crate) fn or_expr(&mut self, in_brackets: bool) -> Result<Filter, SyntaxError> {
        let mut operands = vec![self.and_expr(in_brackets)?];
        while is_keyword(self.peek(), "or") {
            self.bump();
            operands.push(self.and_expr(in_brackets)?);
        }
        Ok(if operands.len() == 1 { operands.remove(0) } else { Filter::Or(operands) })
    }

    fn and_expr(&mut self, in_brackets: bool) -> Result<Filter, SyntaxError> {
        let mut operands = vec![self.unary(in_brackets)?];
        while is_keyword(self.peek(), "and") {
            self.bump();
            operands.push(self.unary(in_brackets)?);
        }
        Ok(if operands.len() == 1 { operands.remove(0) } else { Filter::And(operands) })
    }

    fn unary(&mut self, in_brackets: bool) -> Result<Filter, SyntaxError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error("expected an attribute path, '(' or 'not' but the expression ended"));
        };
        match token.token {
            Token::LParen => {
                self.enter()?;
                self.bump();
                let inner = self.or_expr(in_brackets)?;
                self.expect(&Token::RParen, "')'")?;
                self.depth -= 1;
                Ok(inner)
            }
            Token::Word(word) if word.eq_ignore_ascii_case("not") => {
                self.bump();
                if self.peek().map(|t| &t.token) != Some(&Token::LParen) {
                    return Err(self
                        .error(format!("expected '(' after 'not' but found {}", self.describe_here()))
                        .hint("negate with not (expression)"));
                }
                self.enter()?;
                self.bump();
                let inner = self.or_expr(in_brackets)?;
                self.expect(&Token::RParen, "')'")?;
                self.depth -= 1;
                Ok(Filter::Not(Box::new(inner)))
            }
            Token::Word(word) => {
                self.bump();
                let path = AttrPath::from_word(self.input, &word, token.start)?;
                self.after_path(path, in_brackets)
            }
            _ => {
                Err(self.error(format!("expected an attribute path, '(' or 'not' but found {}", self.describe_here())))
            }
        }
    }

    fn after_path(&mut self, path: AttrPath, in_brackets: bool) -> Result<Filter, SyntaxError> {
        match self.peek().map(|t| t.token.clone()) {
            Some(Token::LBracket) => {
                if in_brackets {
                    return Err(self.error("value filters cannot be nested inside a value filter"));
                }
                let inner = self.value_filter(&path)?;
                if let Some(Spanned { token: Token::Word(w), .. }) = self.peek()
                    && w.starts_with('.')
                {
                    return Err(self.error("a sub-attribute after ']' is only allowed in PATCH paths")
                            .hint("filter on the sub-attribute inside the brackets, e.g. emails[type eq \"work\" and value co \"@\"]"));
                }
                Ok(Filter::ValuePath(path, Box::new(inner)))
            }
            Some(Token::Word(op)) if op.eq_ignore_ascii_case("pr") => {
                self.bump();
                Ok(Filter::Present(path))
            }
            Some(Token::Word(op)) if CompareOp::from_keyword(&op).is_some() => {
                let op = CompareOp::from_keyword(&op).unwrap_or(CompareOp::Eq);
                self.bump();
                let value = self.comp_value(&path, op)?;
                Ok(Filter::Compare(path, op, value))
            }
            _ => Err(self
                .error(format!("expected an operator after \"{path}\" but found {}", self.describe_here()))
                .hint("operators are eq, ne, co, sw, ew, gt, ge, lt, le and pr")),
        }
    }

    /// Parses `[valFilter]` after `path`; the caller has seen the `[`.
    fn value_filter(&mut self, path: &AttrPath) -> Result<Filter, SyntaxError> {
        if path.sub.is_some() {
            return Err(self
                .error(format!("{:?} has a sub-attribute before '['", path.to_string()))
                .hint("write attribute[filter].subAttribute"));
        }
        self.enter()?;
        self.bump();
        if self.peek().map(|t| &t.token) == Some(&Token::RBracket) {
            return Err(self.error("empty value filter"));
        }
        let inner = self.or_expr(true)?;
        self.expect(&Token::RBracket, "']'")?;
        self.depth -= 1;
        Ok(inner)
    }

    fn comp_value(&mut self, path: &AttrPath, op: CompareOp) -> Result<CompValue, SyntaxError> {
        let found = self.describe_here();
        match self.peek().map(|t| t.token.clone()) {
            Some(Token::Str(s)) => {
                self.bump();
                Ok(CompValue::Str(s))
            }
            Some(Token::Number(n)) => {
                self.bump();
                Ok(CompValue::Number(n))
            }
            Some(Token::Word(w)) if matches!(w.as_str(), "true" | "false" | "null") => {
                self.bump();
                Ok(match w.as_str() {
                    "true" => CompValue::Bool(true),
                    "false" => CompValue::Bool(false),
                    _ => CompValue::Null,
                })
            }
            Some(Token::Word(w)) if ["true", "false", "null"].iter().any(|l| w.eq_ignore_ascii_case(l)) => {
                Err(self.error(format!("{w:?} is not a JSON literal")).hint(format!(
                    "JSON literals are lowercase: {}; quote it if you mean a string",
                    w.to_ascii_lowercase()
                )))
            }
            _ => Err(self
                .error(format!("expected a value after \"{path} {}\" but found {found}", op.keyword()))
                .hint("quote string values: userName eq \"bjensen\"")),
        }
    }

    /// `PATH = attrPath / valuePath [subAttr]` (RFC 7644 §3.5.2), the whole input.
    pub(crate) fn patch_path(&mut self) -> Result<PatchPath, SyntaxError> {
        let Some(Spanned { token: Token::Word(word), start }) = self.bump() else {
            self.pos -= 1;
            return Err(self.error(format!("expected an attribute path but found {}", self.describe_here())));
        };
        let mut attr = AttrPath::from_word(self.input, &word, start)?;
        let mut filter = None;
        if self.peek().map(|t| &t.token) == Some(&Token::LBracket) {
            filter = Some(self.value_filter(&attr)?);
            if let Some(Spanned { token: Token::Word(sub), start }) = self.peek().cloned() {
                let Some(name) = sub.strip_prefix('.') else {
                    return Err(self.error(format!("unexpected {sub:?} after ']'")).hint("write ].subAttribute"));
                };
                if name.contains('.') || name.contains(':') {
                    return Err(SyntaxError::at(self.input, start, format!("{sub:?} is not a sub-attribute"))
                        .hint("PATCH paths have at most one sub-attribute after ']'"));
                }
                super::path::check_name(self.input, name, start + 1)?;
                attr.sub = Some(name.to_string());
                self.bump();
            }
        }
        self.expect_end()?;
        Ok(PatchPath { attr, filter })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Filter {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn round_trip(s: &str) {
        assert_eq!(parse(s).to_string(), s);
    }

    #[test]
    fn rfc_examples_parse_and_print_back() {
        // RFC 7644 §3.4.2.2, figure 2 (each example as the RFC writes it).
        for s in [
            r#"userName eq "bjensen""#,
            r#"name.familyName co "O'Malley""#,
            r#"userName sw "J""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
            "title pr",
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
            r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
            r#"title pr and userType eq "Employee""#,
            r#"title pr or userType eq "Intern""#,
            r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
            r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
            r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
            r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
            r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
        ] {
            round_trip(s);
        }
    }

    #[test]
    fn operators_and_keywords_are_case_insensitive() {
        assert_eq!(parse(r#"UserName EQ "x" AND title Pr"#).to_string(), r#"UserName eq "x" and title pr"#);
        assert_eq!(parse(r#"NOT (a Sw "x") oR b gE 3"#).to_string(), r#"not (a sw "x") or b ge 3"#);
    }

    #[test]
    fn not_may_touch_its_parenthesis() {
        // The ABNF `*1"not" "(" FILTER ")"` has no space between "not" and "(".
        assert_eq!(parse(r#"not(a eq "1")"#), Filter::Not(Box::new(parse(r#"a eq "1""#))));
        assert!(matches!(parse(r#"emails[not(type eq "work")]"#), Filter::ValuePath(_, _)));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let f = parse("a pr or b pr and c pr");
        let Filter::Or(ops) = &f else { panic!("{f:?}") };
        assert_eq!(ops.len(), 2);
        assert!(matches!(&ops[1], Filter::And(and) if and.len() == 2));
        assert_eq!(parse("(a pr or b pr) and c pr").to_string(), "(a pr or b pr) and c pr");
    }

    #[test]
    fn nested_chains_print_back_to_the_same_tree() {
        // Found by tests/integration/parser_fuzz.rs: `a or (b or c)` printed as `a or b or c`,
        // which parses back to one three-operand chain.
        for s in
            ["a pr or (b pr or c pr)", "(a pr and b pr) and c pr", "a pr and (b pr or c pr)", "a pr or b pr and c pr"]
        {
            round_trip(s);
        }
    }

    #[test]
    fn chains_are_flat() {
        let chain = vec!["a pr"; 5_000].join(" and ");
        let Filter::And(ops) = parse(&chain) else { panic!() };
        assert_eq!(ops.len(), 5_000);
    }

    #[test]
    fn literals() {
        assert_eq!(
            parse("active eq true"),
            Filter::Compare(AttrPath::new("active"), CompareOp::Eq, CompValue::Bool(true))
        );
        assert!(matches!(parse("x eq null"), Filter::Compare(_, _, CompValue::Null)));
        assert!(matches!(parse("x gt -5.5"), Filter::Compare(_, CompareOp::Gt, CompValue::Number(_))));
        let err = "active eq True".parse::<Filter>().unwrap_err();
        assert!(err.hint.as_deref().unwrap().contains("lowercase: true"), "{err}");
    }

    #[test]
    fn qualified_and_vendor_paths() {
        let Filter::Compare(p, _, _) = parse(r#"urn:omni:params:1.0:UserAttribute:blob_entity eq "x""#) else {
            panic!()
        };
        assert_eq!(p.urn.as_deref(), Some("urn:omni:params:1.0:UserAttribute"));
        let Filter::Compare(p, _, _) =
            parse(r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "42""#)
        else {
            panic!()
        };
        assert_eq!((p.name.as_str(), p.sub.as_deref()), ("manager", Some("value")));
    }

    #[test]
    fn member_filter_of_entra_group_probe() {
        // entra-wire.md §1.9 (historical): id eq "G" and members eq "U"
        round_trip(r#"id eq "G" and members eq "U""#);
        round_trip(r#"members[value eq "abc"]"#);
    }

    #[test]
    fn strings_with_escapes_round_trip() {
        round_trip(r#"userName eq "a\"b\\c""#);
        assert_eq!(parse(r#"displayName eq "ünï""#).to_string(), r#"displayName eq "ünï""#);
    }

    #[test]
    fn errors_name_the_column_and_the_fix() {
        let cases: &[(&str, usize, &str)] = &[
            ("userName eq", 12, "expected a value"),
            (r#"userName "x""#, 10, "expected an operator"),
            (r#"(userName eq "a""#, 17, "expected ')'"),
            (r#"userName eq "a" userName eq "b""#, 17, "unexpected"),
            ("not a pr", 5, "expected '(' after 'not'"),
            (r#"emails[type eq "work"].value eq "x""#, 23, "only allowed in PATCH paths"),
            (r#"a[b[c pr]]"#, 4, "cannot be nested"),
            ("a[]", 3, "empty value filter"),
            ("1user eq \"x\"", 1, "expected an attribute path"),
            ("and", 4, "expected an operator"),
            (")", 1, "expected an attribute path"),
            ("", 1, "empty expression"),
            (r#"name.givenName[x pr]"#, 15, "sub-attribute before '['"),
        ];
        for (input, column, needle) in cases {
            let err = input.parse::<Filter>().unwrap_err();
            assert!(err.message.contains(needle), "{input}: {err}");
            assert_eq!(err.column, *column, "{input}: {err}");
        }
    }

    #[test]
    fn length_is_bounded() {
        let longest = format!(r#"userName eq "{}""#, "x".repeat(MAX_LENGTH - 14));
        assert_eq!(longest.chars().count(), MAX_LENGTH);
        assert!(longest.parse::<Filter>().is_ok());
        let err = format!("{longest} ").parse::<Filter>().unwrap_err();
        assert_eq!((err.column, err.message.as_str()), (MAX_LENGTH + 1, "longer than 65536 characters"));
        let path = format!(r#"emails[value eq "{}"]"#, "ü".repeat(MAX_LENGTH));
        assert_eq!(path.parse::<PatchPath>().unwrap_err().column, MAX_LENGTH + 1, "counted in characters");
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}a pr{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert!(deep.parse::<Filter>().unwrap_err().message.contains("nests deeper"));
        let ok = format!("{}a pr{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(ok.parse::<Filter>().is_ok());
        let nots = format!("{}a pr{}", "not (".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert!(nots.parse::<Filter>().is_err());
    }
}
