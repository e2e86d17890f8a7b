//! Attribute-based scoping filters on source users (entra-wire.md §3.6, SCOPE): clauses of a
//! filter are ANDed, filters are ORed, and a null or empty attribute makes a clause false.

use std::borrow::Cow;

use regex::Regex;
use serde_json::Value;

use crate::idp::mapping::AttributeSource;

/// A clause operator, as the portal names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `&`: the attribute's value occurs in the clause value (SCOPE: "the evaluated attribute
    /// exists in the input string value").
    In,
    /// `!&`: the attribute's value does not occur in the clause value.
    NotIn,
    /// `ENDS_WITH`.
    EndsWith,
    /// `EQUALS`, case-sensitive.
    Equals,
    /// `NOT EQUALS`, case-sensitive.
    NotEquals,
    /// `Greater_Than`, integers only.
    GreaterThan,
    /// `Greater_Than_OR_EQUALS`, integers only.
    GreaterThanOrEquals,
    /// `Includes`: contains the value, case-sensitive.
    Includes,
    /// `IS FALSE`.
    IsFalse,
    /// `IS TRUE`.
    IsTrue,
    /// `IS NULL`: null or empty.
    IsNull,
    /// `IS NOT NULL`.
    IsNotNull,
    /// `REGEX MATCH`.
    RegexMatch,
    /// `NOT REGEX MATCH` (false when the attribute is null or empty).
    NotRegexMatch,
}

impl Operator {
    const NAMES: [(&'static str, Operator); 14] = [
        ("&", Self::In),
        ("!&", Self::NotIn),
        ("ENDS_WITH", Self::EndsWith),
        ("EQUALS", Self::Equals),
        ("NOT EQUALS", Self::NotEquals),
        ("Greater_Than", Self::GreaterThan),
        ("Greater_Than_OR_EQUALS", Self::GreaterThanOrEquals),
        ("Includes", Self::Includes),
        ("IS FALSE", Self::IsFalse),
        ("IS TRUE", Self::IsTrue),
        ("IS NULL", Self::IsNull),
        ("IS NOT NULL", Self::IsNotNull),
        ("REGEX MATCH", Self::RegexMatch),
        ("NOT REGEX MATCH", Self::NotRegexMatch),
    ];

    /// Reads an operator as the portal writes it (case and `_`/space insensitive).
    pub fn parse(text: &str) -> Option<Self> {
        let norm = |s: &str| s.trim().to_ascii_uppercase().replace('_', " ");
        Self::NAMES.iter().find(|(name, _)| norm(name) == norm(text)).map(|&(_, op)| op)
    }

    /// The portal's name.
    pub fn name(self) -> &'static str {
        Self::NAMES.iter().find(|(_, op)| *op == self).map_or("", |(name, _)| name)
    }
}

/// Why a clause cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopingError {
    /// The operator is not one of the portal's.
    #[error(
        "unknown scoping operator {0:?}; use one of &, !&, ENDS_WITH, EQUALS, NOT EQUALS, Greater_Than, Greater_Than_OR_EQUALS, Includes, IS FALSE, IS TRUE, IS NULL, IS NOT NULL, REGEX MATCH, NOT REGEX MATCH"
    )]
    Operator(String),
    /// The pattern of a regex clause does not compile.
    #[error("scoping clause on {attribute}: invalid regular expression {pattern:?}: {message}")]
    Regex {
        /// The clause's attribute.
        attribute: String,
        /// The pattern.
        pattern: String,
        /// What the regex engine said.
        message: String,
    },
    /// A numeric operator with a value that is not an integer.
    #[error("scoping clause on {attribute}: {operator} needs an integer value, got {value:?}")]
    NotInteger {
        /// The clause's attribute.
        attribute: String,
        /// The operator.
        operator: &'static str,
        /// The value given.
        value: String,
    },
}

/// One clause: attribute, operator, value.
#[derive(Debug, Clone)]
pub struct Clause {
    /// The source attribute.
    pub attribute: String,
    /// The operator.
    pub operator: Operator,
    /// The value compared with.
    pub value: String,
    regex: Option<Regex>,
}

impl Clause {
    /// Builds a clause, compiling its pattern and checking integer values up front.
    pub fn new(attribute: &str, operator: Operator, value: &str) -> Result<Self, ScopingError> {
        let regex = match operator {
            Operator::RegexMatch | Operator::NotRegexMatch => {
                Some(Regex::new(value).map_err(|e| ScopingError::Regex {
                    attribute: attribute.to_string(),
                    pattern: value.to_string(),
                    message: e.to_string(),
                })?)
            }
            _ => None,
        };
        if matches!(operator, Operator::GreaterThan | Operator::GreaterThanOrEquals)
            && value.trim().parse::<i64>().is_err()
        {
            return Err(ScopingError::NotInteger {
                attribute: attribute.to_string(),
                operator: operator.name(),
                value: value.to_string(),
            });
        }
        Ok(Self { attribute: attribute.to_string(), operator, value: value.to_string(), regex })
    }

    /// Whether `source` passes the clause.
    pub fn passes(&self, source: &dyn AttributeSource) -> bool {
        let value = source.attribute(&self.attribute);
        let text: Option<Cow<'_, str>> = match value.as_deref() {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(Cow::Borrowed(s)),
            Some(Value::Bool(b)) => Some(Cow::Borrowed(if *b { "True" } else { "False" })),
            Some(Value::Number(n)) => Some(Cow::Owned(n.to_string())),
            // Multi-valued attributes cannot be filtered on (SCOPE).
            Some(_) => None,
        };
        let Some(text) = text else { return self.operator == Operator::IsNull };
        let integer = || text.trim().parse::<i64>().ok().zip(self.value.trim().parse::<i64>().ok());
        match self.operator {
            Operator::In => self.value.contains(&*text),
            Operator::NotIn => !self.value.contains(&*text),
            Operator::EndsWith => text.ends_with(&self.value),
            Operator::Equals => text == self.value,
            Operator::NotEquals => text != self.value,
            Operator::GreaterThan => integer().is_some_and(|(a, b)| a > b),
            Operator::GreaterThanOrEquals => integer().is_some_and(|(a, b)| a >= b),
            Operator::Includes => text.contains(&self.value),
            Operator::IsFalse => text.eq_ignore_ascii_case("false"),
            Operator::IsTrue => text.eq_ignore_ascii_case("true"),
            Operator::IsNull => false,
            Operator::IsNotNull => true,
            Operator::RegexMatch => self.regex.as_ref().is_some_and(|r| r.is_match(&text)),
            Operator::NotRegexMatch => self.regex.as_ref().is_some_and(|r| !r.is_match(&text)),
        }
    }
}

/// A scoping filter: all of its clauses must pass.
#[derive(Debug, Clone, Default)]
pub struct ScopingFilter {
    /// The clauses, ANDed.
    pub clauses: Vec<Clause>,
}

/// Whether `source` is in scope: no filters, or every clause of some filter passes.
pub fn passes(filters: &[ScopingFilter], source: &dyn AttributeSource) -> bool {
    filters.is_empty() || filters.iter().any(|f| f.clauses.iter().all(|c| c.passes(source)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    struct User(HashMap<&'static str, Value>);

    impl AttributeSource for User {
        fn attribute(&self, name: &str) -> Option<Cow<'_, Value>> {
            self.0.get(name).map(Cow::Borrowed)
        }
    }

    fn user() -> User {
        User(HashMap::from([
            ("department", json!("Sales")),
            ("userPrincipalName", json!("alice@contoso.com")),
            ("employeeId", json!("1500000")),
            ("accountEnabled", json!(true)),
            ("jobTitle", json!("")),
            ("proxyAddresses", json!(["SMTP:a@b"])),
        ]))
    }

    fn clause(attribute: &str, operator: &str, value: &str) -> Clause {
        Clause::new(attribute, Operator::parse(operator).unwrap(), value).unwrap()
    }

    #[test]
    fn every_operator() {
        let u = user();
        let cases = [
            ("department", "&", "Sales,Marketing", true),
            ("department", "!&", "Sales,Marketing", false),
            ("userPrincipalName", "ENDS_WITH", "@contoso.com", true),
            ("department", "EQUALS", "Sales", true),
            ("department", "EQUALS", "sales", false),
            ("department", "NOT EQUALS", "sales", true),
            ("employeeId", "Greater_Than", "1000000", true),
            ("employeeId", "Greater_Than_OR_EQUALS", "1500000", true),
            ("employeeId", "Greater_Than", "2000000", false),
            ("userPrincipalName", "Includes", "@contoso", true),
            ("accountEnabled", "IS TRUE", "", true),
            ("accountEnabled", "IS FALSE", "", false),
            ("jobTitle", "IS NULL", "", true),
            ("jobTitle", "IS NOT NULL", "", false),
            ("manager", "IS NULL", "", true),
            ("userPrincipalName", "REGEX MATCH", r".*\@contoso.com", true),
            ("userPrincipalName", "NOT REGEX MATCH", r".*\@contoso.com", false),
            ("employeeId", "REGEX MATCH", "(1[0-9][0-9][0-9][0-9][0-9][0-9])", true),
        ];
        for (attribute, operator, value, expected) in cases {
            assert_eq!(clause(attribute, operator, value).passes(&u), expected, "{attribute} {operator} {value}");
        }
    }

    #[test]
    fn null_or_empty_makes_clauses_false_and_multi_valued_cannot_be_filtered() {
        let u = user();
        assert!(!clause("jobTitle", "NOT EQUALS", "x").passes(&u));
        assert!(!clause("manager", "NOT REGEX MATCH", "x").passes(&u));
        assert!(!clause("proxyAddresses", "Includes", "SMTP").passes(&u));
    }

    #[test]
    fn filters_or_clauses_and() {
        let u = user();
        let sales = ScopingFilter {
            clauses: vec![clause("department", "EQUALS", "Sales"), clause("jobTitle", "IS NOT NULL", "")],
        };
        let contoso = ScopingFilter { clauses: vec![clause("userPrincipalName", "ENDS_WITH", "@contoso.com")] };
        assert!(!passes(std::slice::from_ref(&sales), &u));
        assert!(passes(&[sales, contoso], &u));
        assert!(passes(&[], &u));
    }

    #[test]
    fn bad_clauses_are_refused_with_the_fix() {
        assert!(Operator::parse("LIKE").is_none());
        assert!(matches!(Clause::new("x", Operator::RegexMatch, "("), Err(ScopingError::Regex { .. })));
        let err = Clause::new("employeeId", Operator::GreaterThan, "ten").unwrap_err();
        assert!(err.to_string().contains("needs an integer"));
        assert_eq!(Operator::parse("greater than or equals"), Some(Operator::GreaterThanOrEquals));
    }
}
