//! Walks a syntax tree against one source object.
//!
//! Arguments are evaluated only when a function asks for them, so `IIF`, `Switch` and
//! `Coalesce` evaluate only the branch they return, as nested `IIF` chains (FUNCS IIF "Known
//! limitations") rely on.

use std::borrow::Cow;

use serde_json::Value;

use super::function::Function;
use super::syntax::{Call, Node};
use super::value::{into_text, to_integer};
use super::{app_role, case, condition, date_time, diacritics, multi_value, presence, replace, text};
use crate::idp::directory::Assignment;
use crate::idp::expression_error::ExpressionError;
use crate::idp::mapping::AttributeSource;

/// Why evaluation stopped before producing a value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Interrupt {
    /// `IgnoreFlowIfNullOrEmpty` met a null or empty value: the whole mapping yields nothing.
    Ignore,
    /// The expression failed for this object.
    Error(ExpressionError),
}

/// The value of what is absent, left empty or left out, for reads that borrow.
const NULL: &Value = &Value::Null;

/// What evaluating a node gives: a value, or an interruption.
pub(crate) type Outcome<T = Value> = Result<T, Interrupt>;

impl Call {
    /// An evaluation error in this call, naming the function and where it is written.
    pub(crate) fn fail(&self, message: impl Into<String>) -> Interrupt {
        Interrupt::Error(ExpressionError::in_function(self.function.name(), self.column, message))
    }
}

/// Evaluates nodes against one source object.
#[derive(Clone, Copy)]
pub(crate) struct Evaluator<'a> {
    source: &'a dyn AttributeSource,
}

impl std::fmt::Debug for Evaluator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evaluator").finish_non_exhaustive()
    }
}

impl<'a> Evaluator<'a> {
    /// An evaluator reading `source`.
    pub(crate) fn new(source: &'a dyn AttributeSource) -> Self {
        Self { source }
    }

    /// Source attribute `name`, null when the object has none; borrowed where the source
    /// holds it.
    pub(crate) fn attribute(&self, name: &str) -> Cow<'a, Value> {
        self.source.attribute(name).unwrap_or(Cow::Borrowed(NULL))
    }

    /// The app role assignments the source holds as such, if it does (see
    /// [`AttributeSource::app_role_assignments`]).
    pub(crate) fn app_role_assignments(&self) -> Option<&'a [&'a Assignment]> {
        self.source.app_role_assignments()
    }

    /// The value of `node`. Attributes and literals are borrowed, from the source and from the
    /// expression: most functions only read their arguments, so a value is copied only where
    /// it ends up in a result.
    pub(crate) fn eval<'n>(&self, node: &'n Node) -> Outcome<Cow<'n, Value>>
    where
        'a: 'n,
    {
        match node {
            Node::Attribute { name, .. } => Ok(self.attribute(name)),
            Node::Literal(value) => Ok(Cow::Borrowed(value)),
            Node::Omitted => Ok(Cow::Borrowed(NULL)),
            Node::Call(call) => self.call(call).map(Cow::Owned),
            Node::Comparison(comparison) => condition::compare(self, comparison).map(Cow::Owned),
        }
    }

    /// Argument `index` of `call`; null when it was left empty or left out.
    pub(crate) fn arg<'n>(&self, call: &'n Call, index: usize) -> Outcome<Cow<'n, Value>>
    where
        'a: 'n,
    {
        call.args.get(index).map_or(Ok(Cow::Borrowed(NULL)), |node| self.eval(node))
    }

    /// Argument `index` read as a single string (`None` for null), borrowed where the argument
    /// is; `name` is the parameter's name in FUNCS, for the error message.
    pub(crate) fn text_arg<'n>(&self, call: &'n Call, index: usize, name: &str) -> Outcome<Option<Cow<'n, str>>>
    where
        'a: 'n,
    {
        let value = self.arg(call, index)?;
        into_text(value).map_err(|message| call.fail(format!("{name} {message}")))
    }

    /// Argument `index` read as a whole number; null is an error since every numeric parameter
    /// in FUNCS is required.
    pub(crate) fn integer_arg(&self, call: &Call, index: usize, name: &str) -> Outcome<i64> {
        let value = self.arg(call, index)?;
        match to_integer(&value) {
            Ok(Some(number)) => Ok(number),
            Ok(None) => Err(call.fail(format!("{name} is null; it must be a whole number"))),
            Err(message) => Err(call.fail(format!("{name} {message}"))),
        }
    }

    fn call(&self, call: &Call) -> Outcome {
        match call.function {
            Function::Append => text::append(self, call),
            Function::AppRoleAssignmentsComplex | Function::AssertiveAppRoleAssignmentsComplex => {
                app_role::complex(self, call)
            }
            Function::CBool => condition::c_bool(self, call),
            Function::Coalesce => presence::coalesce(self, call),
            Function::ConvertToBase64 => text::convert_to_base64(self, call),
            Function::ConvertToUtf8Hex => text::convert_to_utf8_hex(self, call),
            Function::Count => multi_value::count(self, call),
            Function::CStr => text::c_str(self, call),
            Function::FormatDateTime => date_time::format_date_time(self, call),
            Function::IgnoreFlowIfNullOrEmpty => presence::ignore_flow_if_null_or_empty(self, call),
            Function::Iif => condition::iif(self, call),
            Function::InStr => text::in_str(self, call),
            Function::IsNull => presence::is_null(self, call),
            Function::IsNullOrEmpty => presence::is_null_or_empty(self, call),
            Function::IsPresent => presence::is_present(self, call),
            Function::IsString => presence::is_string(self, call),
            Function::Item => multi_value::item(self, call),
            Function::Join => multi_value::join(self, call),
            Function::Left => text::left(self, call),
            Function::Mid => text::mid(self, call),
            Function::NormalizeDiacritics => diacritics::normalize_diacritics(self, call),
            Function::Not => condition::not(self, call),
            Function::PCase => case::p_case(self, call),
            Function::Redact => self.arg(call, 0).map(Cow::into_owned),
            Function::RemoveDuplicates => multi_value::remove_duplicates(self, call),
            Function::Replace => replace::replace(self, call),
            Function::SingleAppRoleAssignment => app_role::single(self, call),
            Function::Split => multi_value::split(self, call),
            Function::StripSpaces => text::strip_spaces(self, call),
            Function::Switch => condition::switch(self, call),
            Function::ToLower => case::to_lower(self, call),
            Function::ToUpper => case::to_upper(self, call),
            Function::Word => text::word(self, call),
        }
    }
}
