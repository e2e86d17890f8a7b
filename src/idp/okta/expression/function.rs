//! The catalogue of functions: names, parameters and argument counts (EL doc "Functions"),
//! checked when an expression is parsed.

use serde_json::Value;

use super::pattern;
use super::syntax::{Call, Kind};
use crate::idp::expression_error::ExpressionError;
use crate::scim::closest;

/// A function this simulator evaluates. Names are case-sensitive, as in SpEL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    /// `String.append(str, suffix)`
    Append,
    /// `String.join(separator, strings...)`
    Join,
    /// `String.len(input)`
    Len,
    /// `String.removeSpaces(input)`
    RemoveSpaces,
    /// `String.replace(input, match, replacement)`
    Replace,
    /// `String.replaceFirst(input, match, replacement)`
    ReplaceFirst,
    /// `String.startsWith(input, starts)`
    StartsWith,
    /// `String.stringContains(input, searchString)`
    StringContains,
    /// `String.stringSwitch(input, defaultString, keyValuePairs...)`
    StringSwitch,
    /// `String.substring(input, startIndex, endIndex)`, and the deprecated `substring`.
    Substring,
    /// `String.substringAfter(input, searchString)`, and the deprecated `substringAfter`.
    SubstringAfter,
    /// `String.substringBefore(input, searchString)`, and the deprecated `substringBefore`.
    SubstringBefore,
    /// `String.toUpperCase(input)`, and the deprecated `toUpperCase`.
    ToUpperCase,
    /// `String.toLowerCase(input)`, and the deprecated `toLowerCase`.
    ToLowerCase,
    /// `Arrays.add(array, value)`
    ArraysAdd,
    /// `Arrays.remove(array, value)`
    ArraysRemove,
    /// `Arrays.clear(array)`
    ArraysClear,
    /// `Arrays.get(array, position)`
    ArraysGet,
    /// `Arrays.flatten(values...)`
    ArraysFlatten,
    /// `Arrays.contains(array, value)`
    ArraysContains,
    /// `Arrays.size(array)`
    ArraysSize,
    /// `Arrays.isEmpty(array)`
    ArraysIsEmpty,
    /// `Arrays.toCsvString(array)`
    ArraysToCsvString,
    /// `Convert.toInt(value)`
    ToInt,
    /// `Convert.toNum(value)`
    ToNum,
    /// `isMemberOfGroupName(name)`
    IsMemberOfGroupName,
    /// `isMemberOfGroup(id)`
    IsMemberOfGroup,
    /// `isMemberOfAnyGroup(ids...)`
    IsMemberOfAnyGroup,
    /// `isMemberOfGroupNameStartsWith(prefix)`
    IsMemberOfGroupNameStartsWith,
    /// `isMemberOfGroupNameContains(text)`
    IsMemberOfGroupNameContains,
    /// `isMemberOfGroupNameRegex(pattern)`
    IsMemberOfGroupNameRegex,
}

/// Every name a supported function is called by, with the function. The deprecated bare
/// string functions (EL doc, the table after "String functions") share their `String.*`
/// counterpart's behaviour.
const NAMES: [(&str, Function); 36] = [
    ("String.append", Function::Append),
    ("String.join", Function::Join),
    ("String.len", Function::Len),
    ("String.removeSpaces", Function::RemoveSpaces),
    ("String.replace", Function::Replace),
    ("String.replaceFirst", Function::ReplaceFirst),
    ("String.startsWith", Function::StartsWith),
    ("String.stringContains", Function::StringContains),
    ("String.stringSwitch", Function::StringSwitch),
    ("String.substring", Function::Substring),
    ("String.substringAfter", Function::SubstringAfter),
    ("String.substringBefore", Function::SubstringBefore),
    ("String.toUpperCase", Function::ToUpperCase),
    ("String.toLowerCase", Function::ToLowerCase),
    ("toUpperCase", Function::ToUpperCase),
    ("toLowerCase", Function::ToLowerCase),
    ("substringBefore", Function::SubstringBefore),
    ("substringAfter", Function::SubstringAfter),
    ("substring", Function::Substring),
    ("Arrays.add", Function::ArraysAdd),
    ("Arrays.remove", Function::ArraysRemove),
    ("Arrays.clear", Function::ArraysClear),
    ("Arrays.get", Function::ArraysGet),
    ("Arrays.flatten", Function::ArraysFlatten),
    ("Arrays.contains", Function::ArraysContains),
    ("Arrays.size", Function::ArraysSize),
    ("Arrays.isEmpty", Function::ArraysIsEmpty),
    ("Arrays.toCsvString", Function::ArraysToCsvString),
    ("Convert.toInt", Function::ToInt),
    ("Convert.toNum", Function::ToNum),
    ("isMemberOfGroupName", Function::IsMemberOfGroupName),
    ("isMemberOfGroup", Function::IsMemberOfGroup),
    ("isMemberOfAnyGroup", Function::IsMemberOfAnyGroup),
    ("isMemberOfGroupNameStartsWith", Function::IsMemberOfGroupNameStartsWith),
    ("isMemberOfGroupNameContains", Function::IsMemberOfGroupNameContains),
    ("isMemberOfGroupNameRegex", Function::IsMemberOfGroupNameRegex),
];

/// `user.getInternalProperty`, which the parser reads as a reference (`user#id`,
/// `user#status`) rather than a call.
pub(crate) const INTERNAL_PROPERTY: &str = "user.getInternalProperty";

/// The namespaces of qualified function names. A name such as `String.x` is always a function,
/// never a profile attribute, so without parentheses it is a mistake rather than a reference.
const NAMESPACES: [&str; 6] = ["String", "Arrays", "Convert", "Iso3166Convert", "Time", "Groups"];

/// Functions the EL doc documents that this simulator does not evaluate, and why.
const UNSUPPORTED: [(&str, &str); 25] = [
    ("Iso3166Convert.toAlpha2", COUNTRY),
    ("Iso3166Convert.toAlpha3", COUNTRY),
    ("Iso3166Convert.toNumeric", COUNTRY),
    ("Iso3166Convert.toName", COUNTRY),
    ("Time.now", "it is nondeterministic"),
    ("Time.fromWindowsToIso8601", TIME),
    ("Time.fromUnixToIso8601", TIME),
    ("Time.fromStringToIso8601", TIME),
    ("Time.fromIso8601ToWindows", TIME),
    ("Time.fromIso8601ToUnix", TIME),
    ("Time.fromIso8601ToString", TIME),
    ("getFilteredGroups", GROUP_OBJECTS),
    ("user.getGroups", GROUP_OBJECTS),
    ("Groups.contains", CLAIMS),
    ("Groups.startsWith", CLAIMS),
    ("Groups.endsWith", CLAIMS),
    ("user.getLinkedObject", OTHER_USERS),
    ("getManagerUser", OTHER_USERS),
    ("getManagerAppUser", OTHER_USERS),
    ("getAssistantUser", OTHER_USERS),
    ("getAssistantAppUser", OTHER_USERS),
    ("hasDirectoryUser", DIRECTORIES),
    ("hasWorkdayUser", DIRECTORIES),
    ("findDirectoryUser", DIRECTORIES),
    ("findWorkdayUser", DIRECTORIES),
];

const COUNTRY: &str = "it needs the ISO 3166-1 country table, which this simulator does not carry";
const TIME: &str = "time conversions are not simulated";
const GROUP_OBJECTS: &str = "it returns group objects, which profile mappings here do not model";
const CLAIMS: &str = "Okta allows it only in group claims, not in profile mappings";
const OTHER_USERS: &str = "it reads other users, which this simulator does not model";
const DIRECTORIES: &str = "Active Directory and Workday assignments are not simulated";

/// How many arguments a function takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arity {
    /// Exactly this many.
    Exactly(usize),
    /// This many or more (varargs).
    AtLeast(usize),
}

impl Function {
    /// The function called `name` and its name as a `'static` string (case-sensitive).
    pub(crate) fn lookup(name: &str) -> Option<(&'static str, Self)> {
        NAMES.iter().find(|(known, _)| *known == name).copied()
    }

    /// Every name a supported function is called by.
    pub(crate) fn names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(name, _)| *name)
    }

    /// How to call the function named `name`, for hints: `String.len(String input)`.
    pub(crate) fn signature(name: &str) -> Option<String> {
        if name == INTERNAL_PROPERTY {
            return Some(format!("{INTERNAL_PROPERTY}(\"id\" | \"status\")"));
        }
        Self::lookup(name).map(|(known, function)| format!("{known}{}", function.parameters()))
    }

    /// Whether `name` is a namespace of functions (`String`, `Arrays`, …).
    pub(crate) fn is_namespace(name: &str) -> bool {
        NAMESPACES.contains(&name)
    }

    /// The parameters as the EL doc lists them, for hints: `(String input, String searchString)`.
    pub(crate) fn parameters(self) -> &'static str {
        match self {
            Self::Append => "(String str, String suffix)",
            Self::Join => "(String separator, String... strings)",
            Self::Len | Self::RemoveSpaces | Self::ToUpperCase | Self::ToLowerCase => "(String input)",
            Self::Replace | Self::ReplaceFirst => "(String input, String match, String replacement)",
            Self::StartsWith => "(String input, String starts)",
            Self::StringContains | Self::SubstringAfter | Self::SubstringBefore => {
                "(String input, String searchString)"
            }
            Self::StringSwitch => "(String input, String defaultString, String... keyValuePairs)",
            Self::Substring => "(String input, int startIndex, int endIndex)",
            Self::ArraysAdd | Self::ArraysRemove | Self::ArraysContains => "(array, value)",
            Self::ArraysClear | Self::ArraysSize | Self::ArraysIsEmpty | Self::ArraysToCsvString => "(array)",
            Self::ArraysGet => "(array, position)",
            Self::ArraysFlatten => "(list of values)",
            Self::ToInt | Self::ToNum => "(value)",
            Self::IsMemberOfGroupName | Self::IsMemberOfGroupNameStartsWith | Self::IsMemberOfGroupNameContains => {
                "(String name)"
            }
            Self::IsMemberOfGroup => "(String groupId)",
            Self::IsMemberOfAnyGroup => "(String... groupIds)",
            Self::IsMemberOfGroupNameRegex => "(String regularExpression)",
        }
    }

    /// The source name a group function reads (`user#groupNames` or `user#groupIds`), if it is
    /// one.
    pub(crate) fn membership_source(self) -> Option<&'static str> {
        match self {
            Self::IsMemberOfGroupName
            | Self::IsMemberOfGroupNameStartsWith
            | Self::IsMemberOfGroupNameContains
            | Self::IsMemberOfGroupNameRegex => Some("user#groupNames"),
            Self::IsMemberOfGroup | Self::IsMemberOfAnyGroup => Some("user#groupIds"),
            _ => None,
        }
    }

    /// Why `name` cannot be called: unsupported, or unknown (with the closest known name).
    pub(crate) fn unknown(name: &str, column: usize) -> ExpressionError {
        if let Some((_, why)) = UNSUPPORTED.iter().find(|(known, _)| *known == name) {
            return ExpressionError::in_function(name, column, format!("not supported by this simulator: {why}"));
        }
        let names =
            Self::names().chain(std::iter::once(INTERNAL_PROPERTY)).chain(UNSUPPORTED.iter().map(|(known, _)| *known));
        let error = ExpressionError::syntax(column, format!("unknown function {name:?}"));
        match closest(name, names) {
            Some(suggestion) => error.with_hint(format!("did you mean {suggestion:?}?")),
            None => error,
        }
    }

    fn arity(self) -> Arity {
        match self {
            Self::ArraysFlatten => Arity::AtLeast(0),
            Self::Join | Self::IsMemberOfAnyGroup => Arity::AtLeast(1),
            Self::StringSwitch => Arity::AtLeast(2),
            Self::Len
            | Self::RemoveSpaces
            | Self::ToUpperCase
            | Self::ToLowerCase
            | Self::ArraysClear
            | Self::ArraysSize
            | Self::ArraysIsEmpty
            | Self::ArraysToCsvString
            | Self::ToInt
            | Self::ToNum
            | Self::IsMemberOfGroupName
            | Self::IsMemberOfGroup
            | Self::IsMemberOfGroupNameStartsWith
            | Self::IsMemberOfGroupNameContains
            | Self::IsMemberOfGroupNameRegex => Arity::Exactly(1),
            Self::Append
            | Self::StartsWith
            | Self::StringContains
            | Self::SubstringAfter
            | Self::SubstringBefore
            | Self::ArraysAdd
            | Self::ArraysRemove
            | Self::ArraysGet
            | Self::ArraysContains => Arity::Exactly(2),
            Self::Replace | Self::ReplaceFirst | Self::Substring => Arity::Exactly(3),
        }
    }

    /// Checks a parsed call against the function's rules: the argument count, then what can be
    /// checked before any source object is seen (`stringSwitch`'s pairs, constant patterns).
    pub(crate) fn check(call: &Call) -> Result<(), ExpressionError> {
        let fail = |message: String| Err(ExpressionError::in_function(call.name, call.column, message));
        let count = call.args.len();
        let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
        match call.function.arity() {
            Arity::Exactly(n) if count != n => return fail(format!("expects {n} {}, got {count}", plural(n))),
            Arity::AtLeast(n) if count < n => return fail(format!("expects at least {n} {}, got {count}", plural(n))),
            _ => {}
        }
        match (call.function, call.args.first().map(|arg| &arg.kind)) {
            (Self::StringSwitch, _) if count % 2 == 1 => {
                fail("expects key/value pairs after the input and the default; the last key has no value".to_string())
            }
            (Self::IsMemberOfGroupNameRegex, Some(Kind::Literal(Value::String(text)))) => {
                pattern::compile(text).map(drop).or_else(fail)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_case_sensitive() {
        let names: Vec<&str> = Function::names().collect();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[i + 1..].contains(name), "{name} twice");
            assert_eq!(Function::lookup(name).map(|(n, _)| n), Some(*name));
            assert!(!UNSUPPORTED.iter().any(|(known, _)| known == name), "{name} both supported and not");
        }
        assert_eq!(Function::lookup("String.tolowercase"), None);
        assert_eq!(Function::lookup("substring"), Some(("substring", Function::Substring)));
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let err = Function::unknown("String.toLowercase", 1);
        assert_eq!(
            err.to_string(),
            "unknown function \"String.toLowercase\" at column 1 (did you mean \"String.toLowerCase\"?)"
        );
        let err = Function::unknown("user.getInternalPropety", 3);
        assert_eq!(err.hint.as_deref(), Some("did you mean \"user.getInternalProperty\"?"));
        let err = Function::unknown("Frobnicate", 7);
        assert_eq!(err.to_string(), "unknown function \"Frobnicate\" at column 7");
    }

    #[test]
    fn documented_but_unsupported_names_say_why() {
        let err = Function::unknown("Time.now", 3);
        assert_eq!(err.to_string(), "Time.now: not supported by this simulator: it is nondeterministic (column 3)");
        let err = Function::unknown("Groups.startsWith", 1);
        assert_eq!(
            err.message,
            "not supported by this simulator: Okta allows it only in group claims, not in profile mappings"
        );
    }

    #[test]
    fn signatures_and_namespaces() {
        assert_eq!(Function::signature("String.len").as_deref(), Some("String.len(String input)"));
        assert_eq!(
            Function::signature("substring").as_deref(),
            Some("substring(String input, int startIndex, int endIndex)")
        );
        assert_eq!(
            Function::signature(INTERNAL_PROPERTY).as_deref(),
            Some("user.getInternalProperty(\"id\" | \"status\")")
        );
        assert_eq!(Function::signature("user.firstName"), None);
        for name in Function::names().chain(UNSUPPORTED.iter().map(|(name, _)| *name)) {
            if let Some((namespace, _)) = name.split_once('.') {
                assert!(namespace == "user" || Function::is_namespace(namespace), "{name}");
            }
        }
        assert!(!Function::is_namespace("user"));
    }

    #[test]
    fn group_functions_name_their_source() {
        assert_eq!(Function::IsMemberOfGroupName.membership_source(), Some("user#groupNames"));
        assert_eq!(Function::IsMemberOfAnyGroup.membership_source(), Some("user#groupIds"));
        assert_eq!(Function::Len.membership_source(), None);
    }
}
