//! The Okta Expression Language as a [`Language`]: the mapping type the engine stores and
//! evaluates.

use super::evaluator::Evaluator;
use super::parser::parse;
use super::syntax::{Kind, Node};
use crate::idp::expression_error::ExpressionError;
use crate::idp::mapping::{AttributeSource, Flow};
use crate::idp::parsed_expression::{Language, ParsedExpression};

/// The Okta Expression Language (EL doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OktaEl;

/// A parsed expression's syntax tree; opaque outside the language.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree(Node);

impl Language for OktaEl {
    type Tree = Tree;

    const NAME: &'static str = "Okta";

    const REFERENCE: &'static str = "https://developer.okta.com/docs/reference/okta-expression-language/";

    fn parse(text: &str) -> Result<Tree, ExpressionError> {
        parse(text).map(Tree)
    }

    /// The EL always yields a value, never [`Flow::Ignore`]; it may fail for one object (e.g.
    /// a condition that is null for this user).
    fn evaluate(tree: &Tree, source: &dyn AttributeSource) -> Result<Flow, ExpressionError> {
        Evaluator::new(source).eval(&tree.0).map(Flow::Value)
    }

    /// The names read: `user.firstName`, `user#id`, `user#groupNames`, ….
    fn references(tree: &Tree) -> Vec<String> {
        let mut names = Vec::new();
        tree.0.collect_references(&mut names);
        names
    }

    /// `user.firstName` alone: the evaluator reads a reference as the source's value, null
    /// when missing.
    fn bare_reference(tree: &Tree) -> Option<&str> {
        match &tree.0.kind {
            Kind::Reference(name) => Some(name),
            _ => None,
        }
    }
}

/// An expression in the Okta Expression Language, parsed and checked, e.g.
/// `(user.email != null && user.email != '') ? 'work' : ''`.
pub type Expression = ParsedExpression<OktaEl>;

#[cfg(test)]
mod tests {
    use crate::idp::mapping::SourceExpression;
    use serde_json::json;

    use super::*;
    use crate::idp::okta::expression::test_source::{Source, value};

    const EMAIL_TYPE: &str = "(user.email != null && user.email != '') ? 'work' : ''";
    const EMPLOYEE_NUMBER: &str =
        r#"user.employeeNumber != "" AND user.employeeNumber != null ? user.employeeNumber : "none""#;

    #[test]
    fn template_type_mapping_yields_work_or_blank() {
        // okta-wire.md §2.4 and §3.5: the SCIM template's type mappings.
        assert_eq!(value(EMAIL_TYPE, json!({"user.email": "a@example.com"})), json!("work"));
        assert_eq!(value(EMAIL_TYPE, json!({"user.email": ""})), json!(""), "cleared: blank");
        assert_eq!(value(EMAIL_TYPE, json!({})), json!(""), "never set: null");
        let phone = "(user.primaryPhone != null && user.primaryPhone != '') ? 'work' : ''";
        assert_eq!(value(phone, json!({"user.primaryPhone": "+1 555"})), json!("work"));
        assert_eq!(value(phone, json!({})), json!(""));
    }

    #[test]
    fn null_and_blank_check() {
        // okta-wire.md §3.2; EL doc "Check for null and blank attributes".
        assert_eq!(value(EMPLOYEE_NUMBER, json!({"user.employeeNumber": "1234"})), json!("1234"));
        assert_eq!(value(EMPLOYEE_NUMBER, json!({"user.employeeNumber": ""})), json!("none"));
        assert_eq!(value(EMPLOYEE_NUMBER, json!({})), json!("none"));
        let documented = r#"user.employeeNumber != "" AND user.employeeNumber != null ? user.employeeNumber : user.nonEmployeeNumber"#;
        assert_eq!(value(documented, json!({"user.nonEmployeeNumber": "C-7"})), json!("C-7"));
        assert_eq!(value("user.employeeNumber == null", json!({})), json!(true));
        assert_eq!(value("user.employeeNumber == null", json!({"user.employeeNumber": ""})), json!(false));
        assert_eq!(value(r#"user.employeeNumber == """#, json!({"user.employeeNumber": ""})), json!(true));
        assert_eq!(value(r#"user.employeeNumber == """#, json!({})), json!(false));
    }

    #[test]
    fn popular_expressions() {
        // EL doc "Popular expressions", for Winston Churchill.
        let winston = || {
            json!({
                "user.firstName": "Winston", "user.lastName": "Churchill",
                "user.email": "winston.churchill@gmail.com", "user.login": "winston.churchill@gmail.com",
            })
        };
        let cases = [
            ("user.firstName", "Winston"),
            ("user.firstName + user.lastName", "WinstonChurchill"),
            (r#"user.firstName + "." + user.lastName"#, "Winston.Churchill"),
            ("substring(user.firstName, 0, 1) + user.lastName", "WChurchill"),
            ("substring(user.firstName, 0, 1) + substring(user.lastName, 0, 6)", "WChurch"),
            // The EL doc prints "w.churchhill", a typo for the lower-cased last name.
            (r#"toLowerCase(substring( user.firstName, 0, 1)) + "." + toLowerCase(user.lastName)"#, "w.churchill"),
            (
                r#"toUpperCase(substringBefore( substringAfter(user.email, "@"), ".")) + "\" + substringBefore( user.email, "@")"#,
                r"GMAIL\winston.churchill",
            ),
            (
                r#"toUpperCase(substringBefore( substringAfter(user.email, "@"), ".")) + "\" + toLowerCase(substring( user.firstName, 0, 1)) + toLowerCase(user.lastName)"#,
                r"GMAIL\wchurchill",
            ),
            (
                r#""XDOMAIN\" + toLowerCase(substring( user.firstName, 0, 1)) + toLowerCase(user.lastName)"#,
                r"XDOMAIN\wchurchill",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(value(text, winston()), json!(expected), "{text}");
        }
    }

    #[test]
    fn profile_mapping_samples() {
        // EL doc "Profile mapping samples", with the attributes read through user.
        let full_name = r#"user.firstName + " " + (String.len(user.middleInitial) == 0 ? "" : (String.substring(user.middleInitial, 0, 1) + ". ")) + user.lastName"#;
        let person = json!({"user.firstName": "John", "user.lastName": "Smith", "user.middleInitial": "Quincy"});
        assert_eq!(value(full_name, person), json!("John Q. Smith"));
        let person = json!({"user.firstName": "John", "user.lastName": "Smith", "user.middleInitial": ""});
        assert_eq!(value(full_name, person), json!("John Smith"));
        let person = json!({"user.firstName": "John", "user.lastName": "Smith"});
        assert_eq!(value(full_name, person), json!("John Smith"), "String.len(null) is 0");

        let titled = r#"(user.courtesyTitle != "" ? (user.courtesyTitle + " ") : user.honorificPrefix != "" ? (user.honorificPrefix + " ") : "") + user.firstName + " " + (String.len(user.middleInitial) == 0 ? "" : (String.substring(user.middleInitial, 0, 1) + ". ")) + user.lastName"#;
        let person = |courtesy: &str, prefix: &str| {
            json!({
                "user.courtesyTitle": courtesy, "user.honorificPrefix": prefix,
                "user.firstName": "Ada", "user.middleInitial": "", "user.lastName": "Lovelace",
            })
        };
        assert_eq!(value(titled, person("Countess", "Lady")), json!("Countess Ada Lovelace"));
        assert_eq!(value(titled, person("", "Lady")), json!("Lady Ada Lovelace"));
        assert_eq!(value(titled, person("", "")), json!("Ada Lovelace"));
    }

    #[test]
    fn group_rule_samples() {
        // EL doc "Group rules samples": each condition, true and false.
        let cases = [
            (
                r#"String.stringContains(user.department, "Sales")"#,
                json!({"user.department": "Inside Sales"}),
                json!({"user.department": "R&D"}),
            ),
            (r#"user.city == "San Francisco""#, json!({"user.city": "San Francisco"}), json!({"user.city": "Oakland"})),
            ("user.salary >= 1000000", json!({"user.salary": 1_000_000}), json!({"user.salary": 999_999})),
            ("!user.isContractor", json!({"user.isContractor": false}), json!({"user.isContractor": true})),
            (
                "user.salary > 1000000 AND !user.isContractor",
                json!({"user.salary": 2_000_000, "user.isContractor": false}),
                json!({"user.salary": 2_000_000, "user.isContractor": true}),
            ),
            (
                r#"user.department matches "California-[a-zA-Z]+-Sales""#,
                json!({"user.department": "California-Bay-Sales"}),
                json!({"user.department": "Nevada-Bay-Sales"}),
            ),
            (
                r#"user.primaryPhone matches "(\+\d{1,2}\s)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}""#,
                json!({"user.primaryPhone": "+1 (415) 555-0100"}),
                json!({"user.primaryPhone": "555-0100"}),
            ),
            (
                "user.title matches '(?i)engineer'",
                json!({"user.title": "ENGINEER"}),
                json!({"user.title": "Engineer II"}),
            ),
            ("user.hasBadge", json!({"user.hasBadge": true}), json!({"user.hasBadge": false})),
            (
                r#"String.stringContains(user.email, "@example.com")"#,
                json!({"user.email": "a@example.com"}),
                json!({"user.email": "a@b.org"}),
            ),
            (
                r#"user.getInternalProperty("status") == "ACTIVE""#,
                json!({"user#status": "ACTIVE"}),
                json!({"user#status": "SUSPENDED"}),
            ),
        ];
        for (text, yes, no) in cases {
            assert_eq!(value(text, yes), json!(true), "{text}");
            assert_eq!(value(text, no), json!(false), "{text}");
        }
    }

    #[test]
    fn constants_and_operators() {
        // EL doc "Constants and operators", every row.
        let user = || json!({"user.firstName": "Ada", "user.lastName": "Lovelace", "user.arrayProperty": [7, 8]});
        assert_eq!(value("'Hello world'", user()), json!("Hello world"));
        assert_eq!(value("1234", user()), json!(1234));
        assert_eq!(value("true", user()), json!(true));
        assert_eq!(value("{1, 2, 3}[0]", user()), json!(1));
        assert_eq!(value("user.arrayProperty[0]", user()), json!(7));
        assert_eq!(value("user.firstName + user.lastName", user()), json!("AdaLovelace"));
        assert_eq!(value(r#"user.firstName + " " + user.lastName"#, user()), json!("Ada Lovelace"));
        let ternary = "user.groupCode == 123 ? 'Sales' : 'Other'";
        assert_eq!(value(ternary, json!({"user.groupCode": 123})), json!("Sales"));
        assert_eq!(value(ternary, json!({"user.groupCode": 124})), json!("Other"));
        assert_eq!(value(ternary, json!({"user.groupCode": "123"})), json!("Other"), "a string is not 123");
        // The Elvis row's example calls Groups.startsWith, which Okta allows in group claims only.
        let error = Expression::parse(r#"Groups.startsWith("OKTA", "TEST", 100) ?: {}"#).unwrap_err();
        assert_eq!(error.function.as_deref(), Some("Groups.startsWith"));
        assert_eq!(value("user.groups ?: {}", json!({})), json!([]));
    }

    #[test]
    fn internal_properties_and_other_profiles() {
        let source = json!({
            "user#id": "00u1", "user#status": "ACTIVE", "appuser.email": "a@app", "app.domain": "example.com",
            "org.subDomain": "acme", "zendesk.firstName": "Z", "idpuser.subjectCn": "cn", "session.amr": ["pwd"],
        });
        assert_eq!(value(r#"user.getInternalProperty("id")"#, source.clone()), json!("00u1"));
        assert_eq!(value("user.getInternalProperty('status')", source.clone()), json!("ACTIVE"));
        assert_eq!(value("appuser.email", source.clone()), json!("a@app"));
        assert_eq!(value("app.domain", source.clone()), json!("example.com"));
        assert_eq!(value("org.subDomain", source.clone()), json!("acme"));
        assert_eq!(value("zendesk.firstName", source.clone()), json!("Z"));
        assert_eq!(value("idpuser.subjectCn", source.clone()), json!("cn"));
        assert_eq!(value("session.amr[0]", source.clone()), json!("pwd"));
        assert_eq!(value("appuser.missing", source), json!(null));
    }

    #[test]
    fn smart_card_samples() {
        // help.okta.com "Smart card expression examples".
        let text = r#"String.stringContains(idpuser.subjectAltNameEmail, "@") ? String.substringBefore(idpuser.subjectAltNameEmail, "@") : idpuser.subjectAltNameEmail"#;
        assert_eq!(value(text, json!({"idpuser.subjectAltNameEmail": "jdoe@example.com"})), json!("jdoe"));
        assert_eq!(value(text, json!({"idpuser.subjectAltNameEmail": "jdoe"})), json!("jdoe"));
        let text = r#"String.toLowerCase(String.substringBefore(idpuser.subjectAltNameUpn, "@"))"#;
        assert_eq!(value(text, json!({"idpuser.subjectAltNameUpn": "JDoe@Example.com"})), json!("jdoe"));
    }

    #[test]
    fn text_display_and_from_str_keep_the_original() {
        let text = "  user.firstName +  ' ' ";
        let expression: Expression = text.parse().unwrap();
        assert_eq!(expression.text(), text);
        assert_eq!(expression.to_string(), text);
    }

    #[test]
    fn references_in_order_of_first_appearance() {
        let expression = Expression::parse(EMPLOYEE_NUMBER).unwrap();
        assert_eq!(expression.references(), vec!["user.employeeNumber"]);
        let expression = Expression::parse(concat!(
            r#"isMemberOfGroup("x") || user.getInternalProperty("id") == appuser.id ? {user.a, user.b[0]} : "#,
            "isMemberOfGroupName(user.a) ? -user.c : String.len(user.d) ?: org.e",
        ))
        .unwrap();
        assert_eq!(
            expression.references(),
            vec![
                "user#groupIds",
                "user#id",
                "appuser.id",
                "user.a",
                "user.b",
                "user#groupNames",
                "user.c",
                "user.d",
                "org.e"
            ]
        );
        assert_eq!(Expression::parse("'constant'").unwrap().references(), Vec::<String>::new());
    }

    #[test]
    fn errors_become_mapping_errors_naming_the_expression() {
        let text = "user.isContractor ? 'C' : 'E'";
        let error = Expression::parse(text).unwrap().evaluate(&Source::new(json!({}))).unwrap_err();
        assert_eq!(error.expression, text);
        assert_eq!(error.message, "a condition must be true or false, got null at column 1");
        let error = Expression::parse("String.substring('a', user.n, 1)")
            .unwrap()
            .evaluate(&Source::new(json!({"user.n": "x"})))
            .unwrap_err();
        assert_eq!(error.message, "String.substring: argument 2 must be a whole number, got \"x\" (column 1)");
    }

    #[test]
    fn parse_errors_surface_unchanged() {
        let error = Expression::parse("String.toLowercase(user.login)").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown function \"String.toLowercase\" at column 1 (did you mean \"String.toLowerCase\"?)"
        );
        assert_eq!("String.len('a'".parse::<Expression>().unwrap_err().function.as_deref(), Some("String.len"));
    }

    #[test]
    fn arbitrary_input_never_panics() {
        // A deterministic scramble of expression fragments: every result must be a value, a
        // parse error or an evaluation error.
        const FRAGMENTS: [&str; 44] = [
            "user.a",
            "user.n",
            "user.list",
            "user.flag",
            "appuser.x",
            "user.getInternalProperty('id')",
            "String.substring(",
            "String.stringSwitch(",
            "String.len(",
            "substringBefore(",
            "Arrays.get(",
            "Arrays.flatten(",
            "Convert.toInt(",
            "Convert.toNum(",
            "isMemberOfGroupNameRegex(",
            "isMemberOfAnyGroup(",
            "'x'",
            "\"\"",
            "'@'",
            "'a,b'",
            "0",
            "-1",
            "2",
            "1.5",
            "9223372036854775807",
            "null",
            "true",
            "{",
            "}",
            "[",
            "]",
            "(",
            ")",
            ",",
            ",",
            "?",
            ":",
            "?:",
            "+",
            "-",
            "/",
            "==",
            " AND ",
            "!",
        ];
        let source = Source::new(json!({
            "user.a": "a@b.c", "user.n": 3, "user.list": ["x", 1, null], "user.flag": true, "appuser.x": 2.5,
            "user#id": "00u1", "user#groupNames": ["g"],
        }));
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut parsed, mut evaluated) = (0, 0);
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(next() % 16) {
                text.push_str(FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize]);
            }
            if let Ok(expression) = Expression::parse(&text) {
                parsed += 1;
                evaluated += usize::from(expression.evaluate(&source).is_ok());
            }
        }
        assert!(parsed > 500 && evaluated > 200, "{parsed} parsed, {evaluated} evaluated");
    }

    #[test]
    fn deepest_nesting_evaluates() {
        use crate::idp::okta::expression::MAX_DEPTH;
        // Every level of the grammar on each nesting level, as deep as allowed: a parenthesis,
        // a ternary branch and a call nest three levels each time.
        let level = "(true ? user.n + 1 * 2 == 0 OR user.n < String.len(";
        let close = ") AND true : false)";
        let depth = MAX_DEPTH / 3;
        let text = format!("{}'x'{}", level.repeat(depth), close.repeat(depth));
        assert!(text.chars().count() <= crate::idp::okta::expression::MAX_LENGTH);
        assert_eq!(value(&text, json!({"user.n": 0})), json!(true));
    }

    #[test]
    fn the_deepest_trees_fit_a_one_megabyte_stack() {
        use crate::idp::okta::expression::{MAX_DEPTH, MAX_LENGTH};
        // Each level nests seven nodes (a call or parenthesis, ternary, OR, AND, ==, +, *)
        // before the next one; the innermost "?" is one level deeper than its parenthesis.
        let mut in_parentheses = "1".to_string();
        let mut in_calls = "1".to_string();
        for _ in 1..MAX_DEPTH {
            in_parentheses = format!("(user.f OR user.t AND 1 == 1 + 2 * {in_parentheses} ? 1 : 2)");
            in_calls = format!("String.len(user.f OR user.t AND 1 == 1 + 2 * {in_calls} ? 1 : 22)");
        }
        for (text, expected) in [(in_parentheses, json!(2)), (in_calls, json!(2))] {
            assert!(text.chars().count() <= MAX_LENGTH);
            let evaluate = move || value(&text, json!({"user.t": true, "user.f": false}));
            let thread = std::thread::Builder::new().stack_size(1024 * 1024).spawn(evaluate).unwrap();
            assert_eq!(thread.join().unwrap(), expected);
        }
    }
}
