//! Filter evaluation (RFC 7644 §3.4.2.2) against JSON resources, with the schema's types and
//! `caseExact` rules. A filter is checked and compiled once per query, then run per resource.

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::locator::{Locator, compared_leaf, fold};
use super::schema::{AttrType, Attribute};
use super::{AttrPath, CompValue, CompareOp, Filter, ResourceSchema, ScimError, parse_date_time};

/// A filter compiled against a schema, ready to test resources.
#[derive(Debug, Clone)]
pub struct Matcher {
    node: Node,
}

#[derive(Debug, Clone)]
enum Node {
    Present(Locator),
    Compare { at: Locator, op: CompareOp, operand: Operand, case_exact: bool },
    Elements { at: Locator, inner: Box<Node> },
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

#[derive(Debug, Clone)]
enum Operand {
    Bool(bool),
    Number(f64),
    Text(String),
    Time(OffsetDateTime),
}

/// What paths in a filter are resolved against.
#[derive(Clone, Copy)]
enum Scope<'s> {
    Resource(&'s ResourceSchema),
    /// Inside `attr[...]`: names are sub-attributes of `attr`.
    Element(&'s Attribute),
}

impl Matcher {
    /// Compiles `filter` for resources of `schema`. Unknown attributes, comparisons the type
    /// does not support (`gt` on a boolean, `co` on a number) and values of the wrong type are
    /// `400 invalidFilter` errors that say what to write instead.
    pub fn new(schema: &ResourceSchema, filter: &Filter) -> Result<Self, ScimError> {
        Ok(Self { node: compile(Scope::Resource(schema), filter)? })
    }

    /// Compiles a value filter whose paths name sub-attributes of the complex `attr`, as in
    /// the PATCH path `emails[type eq "work"]`; test elements with [`matches`](Self::matches).
    pub fn for_elements(attr: &Attribute, filter: &Filter) -> Result<Self, ScimError> {
        Ok(Self { node: compile(Scope::Element(attr), filter)? })
    }

    /// True when `resource` (or element) matches.
    pub fn matches(&self, resource: &Map<String, Value>) -> bool {
        self.node.eval(resource)
    }
}

fn compile(scope: Scope<'_>, filter: &Filter) -> Result<Node, ScimError> {
    Ok(match filter {
        Filter::Present(path) => {
            let (at, _) = locate(scope, path, false)?;
            Node::Present(at)
        }
        Filter::Compare(path, op, value) => {
            let (at, leaf) = locate(scope, path, true)?;
            compare(path, at, leaf, *op, value)?
        }
        Filter::ValuePath(path, inner) => {
            let Scope::Resource(schema) = scope else {
                return Err(ScimError::invalid_filter(format!("{path}[…] is nested inside another value filter")));
            };
            let resolved = schema.resolve_attribute(path).map_err(as_filter_error)?;
            if resolved.attr.kind != AttrType::Complex || resolved.sub.is_some() {
                return Err(ScimError::invalid_filter(format!(
                    "{path}[…] filters values of a complex attribute, but {} is a {}",
                    resolved.describe(),
                    resolved.leaf().kind.keyword()
                )));
            }
            Node::Elements {
                at: Locator::new(&resolved, false),
                inner: Box::new(compile(Scope::Element(resolved.attr), inner)?),
            }
        }
        Filter::Not(inner) => Node::Not(Box::new(compile(scope, inner)?)),
        Filter::And(items) => Node::And(items.iter().map(|f| compile(scope, f)).collect::<Result<_, _>>()?),
        Filter::Or(items) => Node::Or(items.iter().map(|f| compile(scope, f)).collect::<Result<_, _>>()?),
    })
}

fn as_filter_error(e: ScimError) -> ScimError {
    ScimError::invalid_filter(e.detail)
}

/// Resolves `path` in `scope` to a locator and the definition a comparison uses.
fn locate<'s>(scope: Scope<'s>, path: &AttrPath, implicit_value: bool) -> Result<(Locator, &'s Attribute), ScimError> {
    match scope {
        Scope::Resource(schema) => {
            let resolved = schema.resolve_attribute(path).map_err(as_filter_error)?;
            let leaf = if implicit_value { compared_leaf(&resolved) } else { resolved.leaf() };
            Ok((Locator::new(&resolved, implicit_value), leaf))
        }
        Scope::Element(attr) => {
            let sub = (path.urn.is_none() && path.sub.is_none())
                .then(|| attr.sub_attribute(&path.name))
                .flatten()
                .ok_or_else(|| {
                    let names: Vec<&str> = attr.sub_attributes.iter().map(|a| a.name.as_str()).collect();
                    ScimError::invalid_filter(format!(
                        "{path} is not a sub-attribute of {}; inside {}[…] use one of {}",
                        attr.name,
                        attr.name,
                        names.join(", ")
                    ))
                })?;
            Ok((Locator::in_element(sub), sub))
        }
    }
}

fn compare(
    path: &AttrPath,
    at: Locator,
    leaf: &Attribute,
    op: CompareOp,
    value: &CompValue,
) -> Result<Node, ScimError> {
    let kind = leaf.kind;
    let unsupported = |why: &str| ScimError::invalid_filter(format!("{path} {} {value}: {why}", op.keyword()));
    if kind == AttrType::Complex {
        return Err(unsupported(&format!(
            "{} is complex; compare one of its sub-attributes, e.g. {}.{}",
            leaf.name,
            path,
            leaf.sub_attributes.first().map_or("value", |a| a.name.as_str())
        )));
    }
    if let CompValue::Null = value {
        return match op {
            CompareOp::Eq => Ok(Node::Not(Box::new(Node::Present(at)))),
            CompareOp::Ne => Ok(Node::Present(at)),
            _ => Err(unsupported("null can only be compared with eq or ne")),
        };
    }
    if op.is_ordering() && matches!(kind, AttrType::Boolean | AttrType::Binary) {
        return Err(unsupported(&format!("{} attributes cannot be ordered (RFC 7644 §3.4.2.2)", kind.keyword())));
    }
    if op.is_substring() && matches!(kind, AttrType::Boolean | AttrType::Integer | AttrType::Decimal) {
        return Err(unsupported(&format!("co, sw and ew apply to strings, and {} is a {}", leaf.name, kind.keyword())));
    }
    let operand = match (kind, value) {
        (AttrType::Boolean, CompValue::Bool(b)) => Operand::Bool(*b),
        // Entra and Microsoft's SCIM Validator write booleans as strings: roles[primary eq "True"]
        // (entra-wire.md §1.3, §5.1).
        (AttrType::Boolean, CompValue::Str(s)) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
            Operand::Bool(s.eq_ignore_ascii_case("true"))
        }
        (AttrType::Integer | AttrType::Decimal, CompValue::Number(n)) => {
            Operand::Number(n.as_f64().unwrap_or(f64::NAN))
        }
        (AttrType::DateTime, CompValue::Str(s)) if !op.is_substring() => {
            Operand::Time(parse_date_time(s).ok_or_else(|| {
                unsupported(&format!(
                    "{} is a dateTime; write an xsd:dateTime such as \"2011-05-13T04:42:34Z\"",
                    leaf.name
                ))
            })?)
        }
        (AttrType::String | AttrType::Reference | AttrType::Binary | AttrType::DateTime, CompValue::Str(s)) => {
            Operand::Text(fold(s, leaf.case_exact).into_owned())
        }
        _ => {
            let example = match kind {
                AttrType::Boolean => "true",
                AttrType::Integer | AttrType::Decimal => "42",
                _ => "\"text\"",
            };
            return Err(unsupported(&format!(
                "{} is a {}; compare it with a value such as {example}",
                leaf.name,
                kind.keyword()
            )));
        }
    };
    let node = Node::Compare {
        at,
        op: if op == CompareOp::Ne { CompareOp::Eq } else { op },
        operand,
        case_exact: leaf.case_exact,
    };
    // `ne` matches when no value is equal, so an absent attribute is "not equal".
    Ok(if op == CompareOp::Ne { Node::Not(Box::new(node)) } else { node })
}

fn non_empty(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => items.iter().any(non_empty),
        Value::Object(map) => map.values().any(non_empty),
        _ => true,
    }
}

impl Node {
    fn eval(&self, resource: &Map<String, Value>) -> bool {
        match self {
            Self::Present(at) => at.any(resource, non_empty),
            Self::Compare { at, op, operand, case_exact } => at.any(resource, |v| test(v, *op, operand, *case_exact)),
            Self::Elements { at, inner } => match at.raw(resource) {
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).any(|e| inner.eval(e)),
                Some(Value::Object(element)) => inner.eval(element),
                _ => false,
            },
            Self::Not(inner) => !inner.eval(resource),
            Self::And(items) => items.iter().all(|n| n.eval(resource)),
            Self::Or(items) => items.iter().any(|n| n.eval(resource)),
        }
    }
}

fn test(value: &Value, op: CompareOp, operand: &Operand, case_exact: bool) -> bool {
    use std::cmp::Ordering;
    let ordering = |o: Option<Ordering>| match (op, o) {
        (_, None) => false,
        (CompareOp::Eq, Some(o)) => o == Ordering::Equal,
        (CompareOp::Gt, Some(o)) => o == Ordering::Greater,
        (CompareOp::Ge, Some(o)) => o != Ordering::Less,
        (CompareOp::Lt, Some(o)) => o == Ordering::Less,
        (CompareOp::Le, Some(o)) => o != Ordering::Greater,
        _ => false,
    };
    match operand {
        Operand::Bool(b) => value.as_bool() == Some(*b),
        Operand::Number(n) => ordering(value.as_f64().and_then(|v| v.partial_cmp(n))),
        Operand::Time(t) => ordering(value.as_str().and_then(parse_date_time).map(|v| v.cmp(t))),
        Operand::Text(text) => {
            let Some(v) = value.as_str() else { return false };
            let v = fold(v, case_exact);
            match op {
                CompareOp::Co => v.contains(text.as_str()),
                CompareOp::Sw => v.starts_with(text.as_str()),
                CompareOp::Ew => v.ends_with(text.as_str()),
                _ => ordering(Some(v.as_ref().cmp(text.as_str()))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::urn;
    use serde_json::json;

    fn bjensen() -> Map<String, Value> {
        json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER],
            "id": "2819c223-7f76-453a-919d-413861904646",
            "externalId": "Bjensen-EXT",
            "userName": "bjensen@example.com",
            "name": {"familyName": "Jensen", "givenName": "Barbara", "formatted": "Ms. Barbara J Jensen III"},
            "title": "Tour Guide",
            "userType": "Employee",
            "active": true,
            "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
            ],
            "roles": [{"value": "admin", "primary": true}],
            "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z"},
            (urn::ENTERPRISE_USER): {"employeeNumber": "701984", "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"}}
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn eval(filter: &str) -> bool {
        let f: Filter = filter.parse().unwrap();
        Matcher::new(&ResourceSchema::user(), &f).unwrap_or_else(|e| panic!("{filter}: {e}")).matches(&bjensen())
    }

    fn error(filter: &str) -> ScimError {
        let f: Filter = filter.parse().unwrap();
        Matcher::new(&ResourceSchema::user(), &f).unwrap_err()
    }

    #[test]
    fn strings_compare_case_insensitively_unless_case_exact() {
        assert!(eval(r#"userName eq "BJENSEN@example.com""#));
        assert!(eval(r#"USERNAME Eq "bjensen@example.com""#));
        assert!(!eval(r#"externalId eq "bjensen-ext""#), "externalId is caseExact");
        assert!(eval(r#"externalId eq "Bjensen-EXT""#));
        assert!(!eval(r#"id eq "2819C223-7F76-453A-919D-413861904646""#), "id is caseExact");
    }

    #[test]
    fn every_operator_on_strings() {
        assert!(eval(r#"name.familyName co "ENS""#));
        assert!(eval(r#"userName sw "bj""#));
        assert!(eval(r#"userName ew ".COM""#));
        assert!(eval(r#"title gt "Tour""#));
        assert!(eval(r#"title ge "tour guide""#));
        assert!(eval(r#"title lt "Zebra""#));
        assert!(eval(r#"title le "TOUR GUIDE""#));
        assert!(eval(r#"title ne "Boss""#));
        assert!(!eval(r#"title ne "tour guide""#));
        assert!(eval(r#"nickName ne "x""#), "absent attributes are not equal to anything");
        assert!(!eval(r#"nickName eq "x""#));
    }

    #[test]
    fn presence() {
        assert!(eval("title pr"));
        assert!(!eval("nickName pr"));
        assert!(eval("name pr"));
        assert!(eval("emails pr"));
        assert!(eval("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr"));
        assert!(eval("nickName eq null"));
        assert!(eval("title ne null"));
    }

    #[test]
    fn multi_valued_matches_any_value_and_defaults_to_value() {
        assert!(eval(r#"emails co "jensen.org""#));
        assert!(eval(r#"emails.value co "jensen.org""#));
        assert!(eval(r#"emails.type eq "home""#));
        assert!(!eval(r#"emails.type eq "other""#));
    }

    #[test]
    fn value_filters_match_within_one_element() {
        assert!(eval(r#"emails[type eq "work" and value co "@example.com"]"#));
        assert!(!eval(r#"emails[type eq "home" and value co "@example.com"]"#), "both must hold for the same element");
        assert!(eval(r#"userType eq "Employee" and emails[type eq "work"]"#));
        assert!(eval(r#"emails[not (type eq "work")]"#));
    }

    #[test]
    fn logic_and_precedence() {
        assert!(eval(r#"title pr and userType eq "Employee""#));
        assert!(eval(r#"title pr or userType eq "Intern""#));
        assert!(!eval(r#"nickName pr and title pr"#));
        assert!(eval(r#"nickName pr or title pr and userType eq "Employee""#));
        assert!(!eval(r#"(nickName pr or title pr) and userType eq "Intern""#));
        assert!(!eval(r#"userType ne "Employee" or not (emails co "example.com" or emails.value co "example.org")"#));
    }

    #[test]
    fn booleans_including_entra_strings() {
        assert!(eval("active eq true"));
        assert!(!eval("active eq false"));
        assert!(eval(r#"active eq "True""#));
        assert!(eval(r#"roles[primary eq "True"]"#));
        assert!(eval("active ne false"));
    }

    #[test]
    fn date_times_compare_chronologically() {
        assert!(eval(r#"meta.lastModified gt "2011-05-13T04:42:33Z""#));
        assert!(eval(r#"meta.lastModified ge "2011-05-13T06:42:34+02:00""#));
        assert!(!eval(r#"meta.lastModified lt "2011-05-13T04:42:34Z""#));
        assert!(eval(r#"meta.lastModified le "2011-05-13T04:42:34Z""#));
        assert!(eval(r#"meta.created sw "2010""#));
    }

    #[test]
    fn extension_and_schema_filters() {
        assert!(eval(r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#));
        assert!(eval(r#"employeeNumber eq "701984""#));
        assert!(eval(r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value sw "2611""#));
        assert!(eval(r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#));
        assert!(eval(r#"meta.resourceType eq "User""#));
    }

    #[test]
    fn numbers() {
        let mut schema = ResourceSchema::user();
        let ext = crate::scim::Schema::from_json(
            r#"{"id":"urn:acme:1.0:User","attributes":[{"name":"level","type":"integer"},{"name":"score","type":"decimal"}]}"#,
        )
        .unwrap();
        schema.add_extension(ext, false).unwrap();
        let resource = json!({"urn:acme:1.0:User": {"level": 3, "score": 2.5}});
        let run = |f: &str| Matcher::new(&schema, &f.parse().unwrap()).unwrap().matches(resource.as_object().unwrap());
        assert!(run("level eq 3"));
        assert!(run("level gt 2.5"));
        assert!(run("score le 2.5"));
        assert!(!run("score lt 2"));
        assert!(Matcher::new(&schema, &"level co 3".parse().unwrap()).is_err());
    }

    #[test]
    fn group_members() {
        let group = json!({"displayName": "Admins", "members": [{"value": "u1", "type": "User"}]});
        let schema = ResourceSchema::group();
        let run = |f: &str| Matcher::new(&schema, &f.parse().unwrap()).unwrap().matches(group.as_object().unwrap());
        assert!(run(r#"members eq "u1""#));
        assert!(run(r#"members[value eq "u1"]"#));
        assert!(!run(r#"members[value eq "u2"]"#));
        assert!(run(r#"displayName eq "admins""#));
    }

    #[test]
    fn invalid_filters_say_why() {
        let cases = [
            (r#"nope eq "x""#, "no attribute \"nope\""),
            ("active gt true", "cannot be ordered"),
            (r#"userName eq 5"#, "compare it with a value such as \"text\""),
            (r#"active eq "yes""#, "such as true"),
            (r#"name eq "x""#, "is complex"),
            (r#"meta.created gt "yesterday""#, "xsd:dateTime"),
            (r#"emails[nope eq "x"]"#, "not a sub-attribute of emails"),
            (r#"userName[value eq "x"]"#, "is a string"),
            ("userName gt null", "null can only"),
            (r#"x509Certificates.value gt "a""#, "cannot be ordered"),
        ];
        for (filter, needle) in cases {
            let err = error(filter);
            assert_eq!(err.scim_type, Some(crate::scim::ScimType::InvalidFilter), "{filter}");
            assert!(err.detail.contains(needle), "{filter}: {}", err.detail);
        }
    }

    #[test]
    fn element_matcher_for_patch_paths() {
        let emails = ResourceSchema::user().core.attribute("emails").unwrap().clone();
        let m = Matcher::for_elements(&emails, &r#"type eq "WORK""#.parse().unwrap()).unwrap();
        assert!(m.matches(json!({"type": "work", "value": "x"}).as_object().unwrap()));
        assert!(!m.matches(json!({"type": "home"}).as_object().unwrap()));
    }
}
