//! Entra's attribute-mapping language as a [`Language`]: the mapping type the engine stores
//! and evaluates.

use super::evaluator::{Evaluator, Interrupt};
use super::parser::parse;
use super::syntax::Node;
use crate::idp::expression_error::ExpressionError;
use crate::idp::mapping::{AttributeSource, Flow};
use crate::idp::parsed_expression::{Language, ParsedExpression};

/// Entra's attribute-mapping expression language (FUNCS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entra;

/// A parsed expression's syntax tree; opaque outside the language.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree(Node);

impl Language for Entra {
    type Tree = Tree;

    const NAME: &'static str = "Entra ID";

    const REFERENCE: &'static str =
        "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/functions-for-customizing-application-data";

    fn parse(text: &str) -> Result<Tree, ExpressionError> {
        parse(text).map(Tree)
    }

    /// `IgnoreFlowIfNullOrEmpty` over a null or empty value yields [`Flow::Ignore`]; the rest
    /// (e.g. `IIF` over a null source) may fail for one object.
    fn evaluate(tree: &Tree, source: &dyn AttributeSource) -> Result<Flow, ExpressionError> {
        match Evaluator::new(source).eval(&tree.0) {
            Ok(value) => Ok(Flow::Value(value.into_owned())),
            Err(Interrupt::Ignore) => Ok(Flow::Ignore),
            Err(Interrupt::Error(error)) => Err(error),
        }
    }

    /// The `[attribute]` names.
    fn references(tree: &Tree) -> Vec<String> {
        let mut names = Vec::new();
        tree.0.collect_attributes(&mut names);
        names
    }
}

/// An expression in Entra's attribute-mapping language, parsed and checked, e.g.
/// `Switch([IsSoftDeleted], , "False", "True", "True", "False")`.
pub type Expression = ParsedExpression<Entra>;

#[cfg(test)]
mod tests {
    use crate::idp::mapping::SourceExpression;
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
    fn references_in_order_of_first_appearance() {
        let expression = Expression::parse(
            r#"IIF([country]="USA", Join(" ", [givenName], [country]), Coalesce([mail], [givenName]))"#,
        )
        .unwrap();
        assert_eq!(expression.references(), vec!["country", "givenName", "mail"]);
        assert_eq!(Expression::parse(r#""constant""#).unwrap().references(), Vec::<String>::new());
        assert_eq!(Expression::parse(ACTIVE).unwrap().references(), vec!["IsSoftDeleted"]);
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
