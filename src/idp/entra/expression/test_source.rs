//! Test helpers: the shared expression checks, bound to Entra's parser.

crate::idp::expression_check::checks_for!(super::parsed_expression::Expression::parse);
