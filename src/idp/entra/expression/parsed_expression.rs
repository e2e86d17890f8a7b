//! A parsed Entra expression: the mapping type the engine stores and evaluates.

use std::fmt;
use std::str::FromStr;

use super::evaluator::{Evaluator, Interrupt};
use super::parser::parse;
use super::syntax::Node;
use crate::idp::expression_error::ExpressionError;
use crate::idp::mapping::{AttributeSource, Flow, MappingError, SourceExpression};

/// An expression in Entra's attribute-mapping language (FUNCS), parsed and checked, ready to
/// evaluate against each source object.
///
/// Parsing catches everything that does not depend on a source object (syntax, unknown
/// functions, argument counts, constant regex patterns), the way the portal refuses to save
/// such a mapping; evaluation reports the rest (e.g. `IIF` over a null source) as a
/// [`MappingError`] for that object.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    text: String,
    root: Node,
}

impl Expression {
    /// Parses `text`, e.g. `Switch([IsSoftDeleted], , "False", "True", "True", "False")`.
    pub fn parse(text: &str) -> Result<Self, ExpressionError> {
        Ok(Self { text: text.to_string(), root: parse(text)? })
    }

    /// The `[attribute]` names the expression reads, deduplicated, in order of first
    /// appearance, so the engine can tell which source changes affect the mapping.
    pub fn source_attributes(&self) -> Vec<String> {
        let mut names = Vec::new();
        self.root.collect_attributes(&mut names);
        names
    }
}

impl SourceExpression for Expression {
    fn text(&self) -> &str {
        &self.text
    }

    fn evaluate(&self, source: &dyn AttributeSource) -> Result<Flow, MappingError> {
        match Evaluator::new(source).eval(&self.root) {
            Ok(value) => Ok(Flow::Value(value)),
            Err(Interrupt::Ignore) => Ok(Flow::Ignore),
            Err(Interrupt::Error(error)) => {
                Err(MappingError { expression: self.text.clone(), message: error.to_string() })
            }
        }
    }
}

impl FromStr for Expression {
    type Err = ExpressionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::idp::entra::expression::test_source::{Source, value};

    const ACTIVE: &str = r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#;

    #[test]
    fn default_active_mapping_yields_strings() {
        // entra-wire.md §1.5 and §3.2: the default `active` mapping yields "True"/"False".
        assert_eq!(value(ACTIVE, json!({"IsSoftDeleted": false})), json!("True"));
        assert_eq!(value(ACTIVE, json!({"IsSoftDeleted": true})), json!("False"));
        // [Inf] With no IsSoftDeleted at all nothing matches and there is no default: null.
        assert_eq!(value(ACTIVE, json!({})), json!(null));
    }

    #[test]
    fn join_given_name_and_surname() {
        let text = r#"Join(" ", [givenName], [surname])"#;
        assert_eq!(value(text, json!({"givenName": "John", "surname": "Doe"})), json!("John Doe"));
        assert_eq!(value(text, json!({"surname": "Doe"})), json!("Doe"));
        assert_eq!(value(text, json!({})), json!(""));
    }

    #[test]
    fn text_display_and_from_str_keep_the_original() {
        let text = "  Append( [userPrincipalName] , \".test\" ) ";
        let expression: Expression = text.parse().unwrap();
        assert_eq!(expression.text(), text);
        assert_eq!(expression.to_string(), text);
    }

    #[test]
    fn source_attributes_in_order_of_first_appearance() {
        let expression = Expression::parse(
            r#"IIF([country]="USA", Join(" ", [givenName], [country]), Coalesce([mail], [givenName]))"#,
        )
        .unwrap();
        assert_eq!(expression.source_attributes(), vec!["country", "givenName", "mail"]);
        assert_eq!(Expression::parse(r#""constant""#).unwrap().source_attributes(), Vec::<String>::new());
        assert_eq!(Expression::parse(ACTIVE).unwrap().source_attributes(), vec!["IsSoftDeleted"]);
    }

    #[test]
    fn ignore_flow_yields_ignore() {
        // FUNCS IgnoreFlowIfNullOrEmpty example 1.
        let expression = Expression::parse("IgnoreFlowIfNullOrEmpty([department])").unwrap();
        assert_eq!(expression.evaluate(&Source::new(json!({}))), Ok(Flow::Ignore));
        assert_eq!(
            expression.evaluate(&Source::new(json!({"department": "Retail"}))),
            Ok(Flow::Value(json!("Retail")))
        );
    }

    #[test]
    fn errors_become_mapping_errors_naming_the_expression() {
        let text = r#"IIF([country]="USA",[country],[department])"#;
        let error = Expression::parse(text).unwrap().evaluate(&Source::new(json!({}))).unwrap_err();
        assert_eq!(error.expression, text);
        assert_eq!(
            error.message,
            "IIF: source attribute [country] is null or empty, so the condition check fails (column 1)"
        );
    }

    #[test]
    fn deepest_nesting_evaluates() {
        use crate::idp::entra::expression::parser::MAX_DEPTH;
        let text = format!("{}[x]{}", "Coalesce(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(value(&text, json!({"x": "deep"})), json!("deep"));
        let text = format!(
            "{}[x]{}",
            "ToLower(Replace(".repeat(MAX_DEPTH / 2),
            r#", "A", , , "B", , ))"#.repeat(MAX_DEPTH / 2)
        );
        assert_eq!(value(&text, json!({"x": "AAA"})), json!("bbb"));
    }

    #[test]
    fn arbitrary_input_never_panics() {
        // A deterministic scramble of expression fragments: every result must be a value, an
        // ignore, a parse error or an evaluation error.
        const FRAGMENTS: [&str; 40] = [
            "Switch(",
            "IIF(",
            "Replace(",
            "FormatDateTime(",
            "Join(",
            "Split(",
            "Item(",
            "Mid(",
            "Left(",
            "Word(",
            "InStr(",
            "PCase(",
            "ToUpper(",
            "Coalesce(",
            "IgnoreFlowIfNullOrEmpty(",
            "AppRoleAssignmentsComplex(",
            "SingleAppRoleAssignment(",
            "NormalizeDiacritics(",
            "CBool(",
            "Not(",
            "[a]",
            "[n]",
            "[roles]",
            "[list]",
            "\"\"",
            "\"x\"",
            "\"yyyy-MM-dd\"",
            "\"(?<g>a)\"",
            "\"g\"",
            "\"$1${g}$\"",
            "0",
            "-1",
            "2",
            "99999999999",
            ",",
            ",",
            ")",
            ")",
            "=",
            " ",
        ];
        let object = json!({
            "a": "2021-03-04", "n": 3, "list": ["a", "b"],
            "roles": [{"value": "Admin", "displayName": "Administrator"}, {"value": "Reader"}],
        });
        let source = Source::new(object);
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut parsed = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            for _ in 0..(state % 24) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(FRAGMENTS[(state % FRAGMENTS.len() as u64) as usize]);
            }
            if let Ok(expression) = Expression::parse(&text) {
                parsed += 1;
                let _ = expression.evaluate(&source);
            }
        }
        assert!(parsed > 100, "only {parsed} inputs parsed");
    }

    #[test]
    fn random_calls_never_panic() {
        // Random well-formed calls of every function with random arguments and argument counts.
        use crate::idp::entra::expression::function::Function;
        const LEAVES: [&str; 14] = [
            "[a]",
            "[n]",
            "[list]",
            "[roles]",
            "[missing]",
            "\"\"",
            "\"x\"",
            "\"yyyy-MM-dd\"",
            "\"(?<g>a)\"",
            "\"g\"",
            "0",
            "-1",
            "2",
            "",
        ];
        fn next(state: &mut u64) -> u64 {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            *state
        }
        fn build(state: &mut u64, depth: usize) -> String {
            if depth == 0 || next(state).is_multiple_of(3) {
                return LEAVES[(next(state) % LEAVES.len() as u64) as usize].to_string();
            }
            let function = Function::ALL[(next(state) % Function::ALL.len() as u64) as usize];
            let count = (next(state) % 8) as usize;
            let args: Vec<String> = (0..count).map(|_| build(state, depth - 1)).collect();
            format!("{}({})", function.name(), args.join(", "))
        }
        let source = Source::new(json!({
            "a": "2021-03-04", "n": 3, "list": ["a", "b"],
            "roles": [{"value": "Admin", "displayName": "Administrator"}, {"value": "Reader"}],
        }));
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let (mut parsed, mut evaluated) = (0, 0);
        for _ in 0..5_000 {
            let text = build(&mut state, 4);
            if let Ok(expression) = Expression::parse(&text) {
                parsed += 1;
                evaluated += usize::from(expression.evaluate(&source).is_ok());
            }
        }
        assert!(parsed > 1_000 && evaluated > 500, "{parsed} parsed, {evaluated} evaluated");
    }

    #[test]
    fn parse_errors_surface_unchanged() {
        let error = Expression::parse(r#"Swtch([x], "a", "b", "c")"#).unwrap_err();
        assert_eq!(error.to_string(), "unknown function \"Swtch\" at column 1 (did you mean \"Switch\"?)");
    }
}
