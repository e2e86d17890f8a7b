//! The catalogue of functions: names, signatures and argument counts (FUNCS "List of
//! Functions"), checked when an expression is parsed.

use super::syntax::{Call, Node};
use super::{case, date_time, replace, text};
use crate::idp::expression_error::ExpressionError;
use crate::scim::closest;

/// A function this simulator evaluates. Names are case-sensitive, as in Entra.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    /// `Append(source, suffix)`
    Append,
    /// `AppRoleAssignmentsComplex([appRoleAssignments])`
    AppRoleAssignmentsComplex,
    /// `AssertiveAppRoleAssignmentsComplex([appRoleAssignments])`
    AssertiveAppRoleAssignmentsComplex,
    /// `CBool(expression)`
    CBool,
    /// `Coalesce(source1, …, defaultValue)`
    Coalesce,
    /// `ConvertToBase64(source)`
    ConvertToBase64,
    /// `ConvertToUTF8Hex(source)`
    ConvertToUtf8Hex,
    /// `Count(attribute)`
    Count,
    /// `CStr(value)`
    CStr,
    /// `FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)`
    FormatDateTime,
    /// `IgnoreFlowIfNullOrEmpty(expression)`
    IgnoreFlowIfNullOrEmpty,
    /// `IIF(condition, valueIfTrue, valueIfFalse)`
    Iif,
    /// `InStr(value1, value2, start, compareType)`
    InStr,
    /// `IsNull(expression)`
    IsNull,
    /// `IsNullOrEmpty(expression)`
    IsNullOrEmpty,
    /// `IsPresent(expression)`
    IsPresent,
    /// `IsString(expression)`
    IsString,
    /// `Item(attribute, index)`
    Item,
    /// `Join(separator, source1, …)`
    Join,
    /// `Left(String, NumChars)`
    Left,
    /// `Mid(source, start, length)`
    Mid,
    /// `NormalizeDiacritics(source)`
    NormalizeDiacritics,
    /// `Not(source)`
    Not,
    /// `PCase(source, wordSeparators)`
    PCase,
    /// `Redact(value)`
    Redact,
    /// `RemoveDuplicates(attribute)`
    RemoveDuplicates,
    /// `Replace(source, oldValue, regexPattern, regexGroupName, replacementValue,
    /// replacementAttributeName, template)`
    Replace,
    /// `SingleAppRoleAssignment([appRoleAssignments])`
    SingleAppRoleAssignment,
    /// `Split(source, delimiter)`
    Split,
    /// `StripSpaces(source)`
    StripSpaces,
    /// `Switch(source, defaultValue, key1, value1, …)`
    Switch,
    /// `ToLower(source, culture)`
    ToLower,
    /// `ToUpper(source, culture)`
    ToUpper,
    /// `Word(String, WordNumber, Delimiters)`
    Word,
}

/// Functions FUNCS documents that this simulator does not evaluate, and why.
const UNSUPPORTED: [(&str, &str); 12] = [
    ("BitAnd", "its &H hexadecimal literals are not supported"),
    ("CDate", "DateTime values are not supported; use FormatDateTime"),
    ("DateAdd", "DateTime values are not supported; use FormatDateTime"),
    ("DateDiff", "DateTime values are not supported; use FormatDateTime"),
    ("DateFromNum", "DateTime values are not supported; use FormatDateTime"),
    ("Guid", "it is nondeterministic"),
    ("Now", "it is nondeterministic"),
    ("NumFromDate", "DateTime values are not supported"),
    ("RandomString", "it is nondeterministic"),
    ("SelectUniqueValue", "Entra supports it only for Active Directory targets, not SCIM apps"),
    ("Len", "it is not in the function reference this simulator follows"),
    ("DefaultDomain", "it is not in the function reference this simulator follows"),
];

/// How many arguments a function takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Arity {
    min: usize,
    max: Option<usize>,
}

impl Function {
    /// Every supported function.
    pub(crate) const ALL: [Self; 34] = [
        Self::Append,
        Self::AppRoleAssignmentsComplex,
        Self::AssertiveAppRoleAssignmentsComplex,
        Self::CBool,
        Self::Coalesce,
        Self::ConvertToBase64,
        Self::ConvertToUtf8Hex,
        Self::Count,
        Self::CStr,
        Self::FormatDateTime,
        Self::IgnoreFlowIfNullOrEmpty,
        Self::Iif,
        Self::InStr,
        Self::IsNull,
        Self::IsNullOrEmpty,
        Self::IsPresent,
        Self::IsString,
        Self::Item,
        Self::Join,
        Self::Left,
        Self::Mid,
        Self::NormalizeDiacritics,
        Self::Not,
        Self::PCase,
        Self::Redact,
        Self::RemoveDuplicates,
        Self::Replace,
        Self::SingleAppRoleAssignment,
        Self::Split,
        Self::StripSpaces,
        Self::Switch,
        Self::ToLower,
        Self::ToUpper,
        Self::Word,
    ];

    /// The name as written in expressions.
    pub(crate) fn name(self) -> &'static str {
        self.signature().split('(').next().unwrap_or_default()
    }

    /// The signature as FUNCS writes it; error hints show it, and the name is what precedes
    /// the parenthesis.
    pub(crate) fn signature(self) -> &'static str {
        match self {
            Self::Append => "Append(source, suffix)",
            Self::AppRoleAssignmentsComplex => "AppRoleAssignmentsComplex([appRoleAssignments])",
            Self::AssertiveAppRoleAssignmentsComplex => "AssertiveAppRoleAssignmentsComplex([appRoleAssignments])",
            Self::CBool => "CBool(expression)",
            Self::Coalesce => "Coalesce(source1, source2, ..., defaultValue)",
            Self::ConvertToBase64 => "ConvertToBase64(source)",
            Self::ConvertToUtf8Hex => "ConvertToUTF8Hex(source)",
            Self::Count => "Count(attribute)",
            Self::CStr => "CStr(value)",
            Self::FormatDateTime => "FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)",
            Self::IgnoreFlowIfNullOrEmpty => "IgnoreFlowIfNullOrEmpty(expression)",
            Self::Iif => "IIF(condition, valueIfTrue, valueIfFalse)",
            Self::InStr => "InStr(value1, value2, start, compareType)",
            Self::IsNull => "IsNull(expression)",
            Self::IsNullOrEmpty => "IsNullOrEmpty(expression)",
            Self::IsPresent => "IsPresent(expression)",
            Self::IsString => "IsString(expression)",
            Self::Item => "Item(attribute, index)",
            Self::Join => "Join(separator, source1, source2, ...)",
            Self::Left => "Left(String, NumChars)",
            Self::Mid => "Mid(source, start, length)",
            Self::NormalizeDiacritics => "NormalizeDiacritics(source)",
            Self::Not => "Not(source)",
            Self::PCase => "PCase(source, wordSeparators)",
            Self::Redact => "Redact(value)",
            Self::RemoveDuplicates => "RemoveDuplicates(attribute)",
            Self::Replace => {
                "Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template)"
            }
            Self::SingleAppRoleAssignment => "SingleAppRoleAssignment([appRoleAssignments])",
            Self::Split => "Split(source, delimiter)",
            Self::StripSpaces => "StripSpaces(source)",
            Self::Switch => "Switch(source, defaultValue, key1, value1, key2, value2, ...)",
            Self::ToLower => "ToLower(source, culture)",
            Self::ToUpper => "ToUpper(source, culture)",
            Self::Word => "Word(String, WordNumber, Delimiters)",
        }
    }

    /// The function called `name` (case-sensitive).
    pub(crate) fn lookup(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|function| function.name() == name)
    }

    /// Why `name` cannot be called: unsupported, or unknown (with the closest known name).
    pub(crate) fn unknown(name: &str, column: usize) -> ExpressionError {
        if let Some((_, why)) = UNSUPPORTED.iter().find(|(known, _)| *known == name) {
            return ExpressionError::in_function(name, column, format!("not supported by this simulator: {why}"));
        }
        let names = Self::ALL.iter().map(|function| function.name()).chain(UNSUPPORTED.iter().map(|(known, _)| *known));
        let error = ExpressionError::syntax(column, format!("unknown function {name:?}"));
        match closest(name, names) {
            Some(suggestion) => error.with_hint(format!("did you mean {suggestion:?}?")),
            None => error,
        }
    }

    fn arity(self) -> Arity {
        let (min, max) = match self {
            Self::Coalesce => (1, None),
            Self::Join => (2, None),
            Self::Switch => (4, None),
            Self::Append | Self::Item | Self::Left | Self::Split => (2, Some(2)),
            Self::Iif | Self::Mid | Self::Word => (3, Some(3)),
            Self::FormatDateTime => (3, Some(4)),
            Self::InStr => (2, Some(4)),
            Self::PCase | Self::ToLower | Self::ToUpper => (1, Some(2)),
            Self::Replace => (7, Some(7)),
            Self::AppRoleAssignmentsComplex
            | Self::AssertiveAppRoleAssignmentsComplex
            | Self::CBool
            | Self::ConvertToBase64
            | Self::ConvertToUtf8Hex
            | Self::Count
            | Self::CStr
            | Self::IgnoreFlowIfNullOrEmpty
            | Self::IsNull
            | Self::IsNullOrEmpty
            | Self::IsPresent
            | Self::IsString
            | Self::NormalizeDiacritics
            | Self::Not
            | Self::Redact
            | Self::RemoveDuplicates
            | Self::SingleAppRoleAssignment
            | Self::StripSpaces => (1, Some(1)),
        };
        Arity { min, max }
    }

    /// Checks a parsed call against the function's rules: the argument count, then what can be
    /// checked before any source object is seen (Switch's pairs, Replace's argument forms,
    /// constant regex patterns, cultures, formats and indexes).
    pub(crate) fn check(call: &Call) -> Result<(), ExpressionError> {
        let function = call.function;
        let fail = |message: String| Err(ExpressionError::in_function(function.name(), call.column, message));
        let count = call.args.len();
        if function == Self::Switch {
            let after = count.saturating_sub(1);
            if count == 0 {
                return fail("expects a source, a default value and key/value pairs, got no arguments".to_string());
            }
            if after.is_multiple_of(2) {
                return fail(format!("expects an odd number of arguments after the source, got {after}"));
            }
            if after == 1 {
                return fail("expects at least one key and value after the default value".to_string());
            }
            return Ok(());
        }
        let Arity { min, max } = function.arity();
        let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
        match max {
            Some(max) if min == max && count != min => {
                return fail(format!("expects {min} {}, got {count}", plural(min)));
            }
            Some(max) if count < min || count > max => {
                let between = if max == min + 1 { "or" } else { "to" };
                return fail(format!("expects {min} {between} {max} arguments, got {count}"));
            }
            None if count < min => return fail(format!("expects at least {min} {}, got {count}", plural(min))),
            _ => {}
        }
        match function {
            Self::Replace => replace::check(call),
            Self::ToLower | Self::ToUpper => case::check(call),
            Self::FormatDateTime => date_time::check(call),
            Self::Item => check_literal_index(call),
            Self::InStr => text::check_in_str(call),
            _ => Ok(()),
        }
    }
}

/// `Item(…, 0)` with a constant index: FUNCS says index 0 shouldn't be used (indexes are
/// 1-based), so it is rejected when parsed.
fn check_literal_index(call: &Call) -> Result<(), ExpressionError> {
    if let Some(Node::Literal(serde_json::Value::Number(index))) = call.args.get(1)
        && index.as_i64().is_some_and(|index| index < 1)
    {
        return Err(ExpressionError::in_function("Item", call.column, format!("index {index} is out of range"))
            .with_hint("indexes are 1-based: Item([proxyAddresses], 1) is the first value"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for function in Function::ALL {
            assert_eq!(Function::lookup(function.name()), Some(function), "{}", function.name());
        }
        assert_eq!(Function::Iif.name(), "IIF");
        assert_eq!(Function::ConvertToUtf8Hex.name(), "ConvertToUTF8Hex");
        assert_eq!(Function::lookup("iif"), None);
        assert_eq!(Function::lookup("switch"), None);
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let err = Function::unknown("Swtch", 1);
        assert_eq!(err.to_string(), "unknown function \"Swtch\" at column 1 (did you mean \"Switch\"?)");
        let err = Function::unknown("Frobnicate", 7);
        assert_eq!(err.to_string(), "unknown function \"Frobnicate\" at column 7");
    }

    #[test]
    fn documented_but_unsupported_names_say_why() {
        let err = Function::unknown("Guid", 3);
        assert_eq!(err.to_string(), "Guid: not supported by this simulator: it is nondeterministic (column 3)");
    }
}
