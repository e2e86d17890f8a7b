//! Attribute paths (RFC 7644 §3.10) and PATCH paths (RFC 7644 §3.5.2).
//!
//! ```text
//! attrPath  = [URI ":"] ATTRNAME *1subAttr        name.givenName
//!                                                 urn:…:enterprise:2.0:User:department
//! PATH      = attrPath / valuePath [subAttr]      emails[type eq "work"].value
//!                                                 members[value eq "2819c223"]
//! ```
//! The URN of a qualified path is everything before the last colon, so vendor URNs such as
//! `urn:omni:params:1.0:UserAttribute` qualify `blob_entity` in
//! `urn:omni:params:1.0:UserAttribute:blob_entity`. Attribute names are case-insensitive
//! (RFC 7643 §2.1); a path keeps the spelling it was given and schema resolution ignores case.

use std::fmt;
use std::str::FromStr;

use super::filter::{Filter, Parser, check_length};
use super::{SyntaxError, urn};

/// A possibly URN-qualified attribute with an optional sub-attribute:
/// `[urn:…:]name[.sub]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttrPath {
    /// Schema URN qualifying the attribute, as written.
    pub urn: Option<String>,
    /// Attribute name, as written.
    pub name: String,
    /// Sub-attribute of a complex attribute, as written.
    pub sub: Option<String>,
}

impl AttrPath {
    /// An unqualified attribute with no sub-attribute, e.g. `userName`.
    pub fn new(name: impl Into<String>) -> Self {
        Self { urn: None, name: name.into(), sub: None }
    }

    /// Returns the path with `sub` as its sub-attribute, e.g. `name` → `name.givenName`.
    #[must_use]
    pub fn with_sub(mut self, sub: impl Into<String>) -> Self {
        self.sub = Some(sub.into());
        self
    }

    /// The whole path as one string names exactly `urn` when it has no sub-attribute, e.g.
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` parses as URN
    /// `…:2.0` plus name `User` but names the enterprise extension itself.
    ///
    /// `urn` may hold non-ASCII characters (an extension schema's id), so its halves are taken
    /// with `get`: a split inside a character is simply no match.
    pub fn spells_urn(&self, urn: &str) -> bool {
        self.sub.is_none()
            && self.urn.as_ref().is_some_and(|prefix| {
                urn.len() == prefix.len() + 1 + self.name.len()
                    && urn.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
                    && urn.get(prefix.len() + 1..).is_some_and(|tail| tail.eq_ignore_ascii_case(&self.name))
            })
    }

    /// Parses one word of a filter or path (no brackets, no spaces) starting at byte `at`
    /// of `input`, which is only used to place errors.
    pub(crate) fn from_word(input: &str, word: &str, at: usize) -> Result<Self, SyntaxError> {
        let (urn, rest, rest_at) = match urn::split_qualified(word) {
            (Some(urn), rest) => (Some(urn), rest, at + urn.len() + 1),
            (None, rest) => {
                if let Some(colon) = rest.find(':') {
                    return Err(SyntaxError::at(
                        input,
                        at + colon,
                        format!("{word:?} has a colon but does not start with a schema URN"),
                    )
                    .hint("qualify attributes with the full schema URN, e.g. urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"));
                }
                (None, rest, at)
            }
        };
        if let Some(urn) = urn
            && urn.split(':').any(str::is_empty)
        {
            return Err(SyntaxError::at(input, at, format!("{urn:?} is not a valid URN")));
        }
        let mut parts = rest.splitn(2, '.');
        let name = parts.next().unwrap_or_default();
        let sub = parts.next();
        check_name(input, name, rest_at)?;
        if let Some(sub) = sub {
            let sub_at = rest_at + name.len() + 1;
            if let Some(dot) = sub.find('.') {
                return Err(SyntaxError::at(
                    input,
                    sub_at + dot,
                    format!("{rest:?} goes deeper than attribute.subAttribute"),
                )
                .hint("SCIM attribute paths have at most one sub-attribute (RFC 7644 §3.10)"));
            }
            check_name(input, sub, sub_at)?;
        }
        Ok(Self { urn: urn.map(str::to_string), name: name.to_string(), sub: sub.map(str::to_string) })
    }
}

/// RFC 7644 §3.4.2.2 `ATTRNAME = ALPHA *(nameChar)`, plus RFC 7643's `$ref`.
pub(crate) fn check_name(input: &str, name: &str, at: usize) -> Result<(), SyntaxError> {
    let mut chars = name.chars();
    let valid = name.eq_ignore_ascii_case("$ref")
        || (chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
    if valid {
        Ok(())
    } else if name.is_empty() {
        Err(SyntaxError::at(input, at, "missing attribute name"))
    } else {
        Err(SyntaxError::at(input, at, format!("{name:?} is not a valid attribute name"))
            .hint("attribute names start with a letter and contain letters, digits, '-' and '_'"))
    }
}

impl FromStr for AttrPath {
    type Err = SyntaxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        check_length(s)?;
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(SyntaxError::at(s, 0, "empty attribute path"));
        }
        if let Some(bad) = trimmed.find(|c: char| c.is_whitespace() || "[]()\"".contains(c)) {
            let at = s.len() - s.trim_start().len() + bad;
            return Err(SyntaxError::at(s, at, format!("{trimmed:?} is not an attribute path")));
        }
        Self::from_word(s, trimmed, s.len() - s.trim_start().len())
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// The target of a PATCH operation: an attribute path, optionally narrowed by a value filter
/// on a multi-valued attribute.
///
/// For `emails[type eq "work"].value`, `attr` is `emails.value` (the trailing sub-attribute
/// lives in `attr.sub`) and `filter` is `type eq "work"`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    /// The attribute, with the sub-attribute that follows the filter (if any) in `sub`.
    pub attr: AttrPath,
    /// The value filter selecting elements of a multi-valued attribute.
    pub filter: Option<Filter>,
}

impl FromStr for PatchPath {
    type Err = SyntaxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Parser::new(s)?.patch_path()
    }
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.filter {
            None => write!(f, "{}", self.attr),
            Some(filter) => {
                if let Some(urn) = &self.attr.urn {
                    write!(f, "{urn}:")?;
                }
                write!(f, "{}[{filter}]", self.attr.name)?;
                if let Some(sub) = &self.attr.sub {
                    write!(f, ".{sub}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::filter::CompareOp;

    fn path(s: &str) -> AttrPath {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn simple_and_sub_attribute_paths() {
        assert_eq!(path("userName"), AttrPath::new("userName"));
        assert_eq!(path("name.givenName"), AttrPath::new("name").with_sub("givenName"));
        assert_eq!(path(" members.$ref "), AttrPath::new("members").with_sub("$ref"));
    }

    #[test]
    fn enterprise_qualified_path() {
        let p = path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
        assert_eq!(p.urn.as_deref(), Some(urn::ENTERPRISE_USER));
        assert_eq!(p.name, "department");
        let p = path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
        assert_eq!((p.name.as_str(), p.sub.as_deref()), ("manager", Some("value")));
    }

    #[test]
    fn vendor_urn_is_everything_before_the_last_colon() {
        let p = path("urn:omni:params:1.0:UserAttribute:blob_entity");
        assert_eq!(p.urn.as_deref(), Some("urn:omni:params:1.0:UserAttribute"));
        assert_eq!(p.name, "blob_entity");
        assert_eq!(p.to_string(), "urn:omni:params:1.0:UserAttribute:blob_entity");
    }

    #[test]
    fn a_bare_extension_urn_spells_itself() {
        let p = path(urn::ENTERPRISE_USER);
        assert!(p.spells_urn(urn::ENTERPRISE_USER));
        assert!(p.spells_urn(&urn::ENTERPRISE_USER.to_uppercase()));
        assert!(!p.spells_urn(urn::USER));
        assert!(!path("urn:a:b:c.d").spells_urn("urn:a:b:c.d"));
    }

    #[test]
    fn a_urn_split_inside_a_character_is_no_match() {
        // Found by tests/integration/server_abuse.rs: "urn:abcd:Users" is as long as
        // "urn:acmé:User", and slicing the latter at 8 bytes fell inside the "é" and panicked.
        assert!(!path("urn:abcd:Users").spells_urn("urn:acmé:User"));
        assert!(path("urn:acmé:User").spells_urn("urn:ACMé:user"));
    }

    #[test]
    fn invalid_attribute_paths_say_where() {
        let err = "name.givenName.x".parse::<AttrPath>().unwrap_err();
        assert_eq!(err.column, 15);
        assert!(err.hint.unwrap().contains("one sub-attribute"));
        assert_eq!("1abc".parse::<AttrPath>().unwrap_err().column, 1);
        assert_eq!("name.".parse::<AttrPath>().unwrap_err().to_string(), "missing attribute name at column 6");
        assert!("foo:bar".parse::<AttrPath>().unwrap_err().to_string().contains("schema URN"));
        assert!("a b".parse::<AttrPath>().is_err());
        assert!("".parse::<AttrPath>().is_err());
        assert!("urn::x:y".parse::<AttrPath>().is_err());
        assert!("emails[type eq \"work\"]".parse::<AttrPath>().is_err());
    }

    #[test]
    fn length_is_bounded() {
        let longest = "a".repeat(crate::scim::MAX_LENGTH);
        assert!(longest.parse::<AttrPath>().is_ok());
        let err = format!("{longest}b").parse::<AttrPath>().unwrap_err();
        assert_eq!(err.column, crate::scim::MAX_LENGTH + 1);
    }

    #[test]
    fn patch_path_with_value_filter_and_sub_attribute() {
        let p: PatchPath = r#"emails[type eq "work"].value"#.parse().unwrap();
        assert_eq!(p.attr, AttrPath::new("emails").with_sub("value"));
        assert!(matches!(&p.filter, Some(Filter::Compare(a, CompareOp::Eq, _)) if a.name == "type"));
        assert_eq!(p.to_string(), r#"emails[type eq "work"].value"#);
    }

    #[test]
    fn patch_path_member_filter() {
        let p: PatchPath = r#"members[value eq "2819c223-7f76"]"#.parse().unwrap();
        assert_eq!(p.attr, AttrPath::new("members"));
        assert_eq!(p.to_string(), r#"members[value eq "2819c223-7f76"]"#);
    }

    #[test]
    fn patch_path_qualified_with_filter() {
        let s = r#"urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value"#;
        let p: PatchPath = s.parse().unwrap();
        assert_eq!(p.attr.urn.as_deref(), Some(urn::USER));
        assert_eq!(p.to_string(), s);
    }

    #[test]
    fn patch_path_without_filter() {
        let p: PatchPath = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager".parse().unwrap();
        assert_eq!(p.attr.name, "manager");
        assert!(p.filter.is_none());
    }

    #[test]
    fn patch_path_errors() {
        for bad in [
            "",
            "emails[type eq \"work\"",
            "emails[type eq \"work\"]value",
            "emails[type eq \"work\"].value.x",
            "name.givenName[x pr]",
            "emails[type eq \"work\"] extra",
            "emails[]",
            "a b",
        ] {
            assert!(bad.parse::<PatchPath>().is_err(), "{bad} should not parse");
        }
        let err = "emails[type eq \"work\"".parse::<PatchPath>().unwrap_err();
        assert!(err.to_string().contains("']'"), "{err}");
    }
}
