//! Walks a syntax tree against one source object.
//!
//! `AND`, `OR`, the ternary and the Elvis operator evaluate only the operands they need, as in
//! SpEL, so `user.a != null AND user.a > 5` never compares a null. A condition (of a ternary,
//! `AND`, `OR` or `!`) must be a boolean: the EL doc says conditions "must evaluate to a
//! Boolean", and SpEL fails on anything else, null included.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use super::function::Function;
use super::operator::{arithmetic, negate, relation};
use super::syntax::{ArithmeticOp, Call, CompareOp, Kind, LogicalOp, Node};
use super::value::{describe, is_null_or_empty, to_integer, to_text};
use super::{array, conversion, group, text};
use crate::idp::expression_error::ExpressionError;
use crate::idp::mapping::AttributeSource;

/// What evaluating a node gives: a value, or why the expression failed for this object.
pub(crate) type Outcome<T = Value> = Result<T, ExpressionError>;

impl Call {
    /// An evaluation error in this call, naming the function and where it is written.
    pub(crate) fn fail(&self, message: impl Into<String>) -> ExpressionError {
        ExpressionError::in_function(self.name, self.column, message)
    }
}

/// Evaluates nodes against one source object.
#[derive(Clone, Copy)]
pub(crate) struct Evaluator<'a> {
    source: &'a dyn AttributeSource,
}

impl fmt::Debug for Evaluator<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Evaluator").finish_non_exhaustive()
    }
}

impl<'a> Evaluator<'a> {
    /// An evaluator reading `source`.
    pub(crate) fn new(source: &'a dyn AttributeSource) -> Self {
        Self { source }
    }

    /// Source value `name`, null when the object has none.
    pub(crate) fn attribute(&self, name: &str) -> Value {
        self.source.attribute(name).map_or(Value::Null, Cow::into_owned)
    }

    /// The value of `node`.
    ///
    /// Each kind is evaluated in its own function, which keeps this recursive function's stack
    /// frame small: unoptimised builds give every arm's temporaries their own slots.
    pub(crate) fn eval(&self, node: &Node) -> Outcome {
        match &node.kind {
            Kind::Literal(value) => Ok(value.clone()),
            Kind::Reference(name) => Ok(self.attribute(name)),
            Kind::Array(items) => self.array(items),
            Kind::Index { target, index, column } => self.index(target, index, *column),
            Kind::Not(operand) => Ok(Value::Bool(!self.condition(operand)?)),
            Kind::Negate(operand) => self.negate(operand, node.column),
            Kind::Arithmetic { first, rest } => self.arithmetic(first, rest),
            Kind::Logical { op, operands } => self.logical(*op, operands),
            Kind::Comparison { op, left, right, column } => self.comparison(*op, left, right, *column),
            Kind::Ternary { condition, then, otherwise } => self.ternary(condition, then, otherwise),
            Kind::Elvis { value, fallback } => self.elvis(value, fallback),
            Kind::Call(call) => self.call(call),
        }
    }

    fn array(&self, items: &[Node]) -> Outcome {
        items.iter().map(|item| self.eval(item)).collect::<Outcome<_>>().map(Value::Array)
    }

    fn negate(&self, operand: &Node, column: usize) -> Outcome {
        negate(&self.eval(operand)?).map_err(|message| ExpressionError::syntax(column, message))
    }

    fn arithmetic(&self, first: &Node, rest: &[(ArithmeticOp, usize, Node)]) -> Outcome {
        let mut value = self.eval(first)?;
        for (op, column, operand) in rest {
            value = arithmetic(*op, &value, &self.eval(operand)?)
                .map_err(|message| ExpressionError::syntax(*column, message))?;
        }
        Ok(value)
    }

    fn logical(&self, op: LogicalOp, operands: &[Node]) -> Outcome {
        // OR stops at the first true operand, AND at the first false one.
        let decisive = op == LogicalOp::Or;
        for operand in operands {
            if self.condition(operand)? == decisive {
                return Ok(Value::Bool(decisive));
            }
        }
        Ok(Value::Bool(!decisive))
    }

    fn comparison(&self, op: CompareOp, left: &Node, right: &Node, column: usize) -> Outcome {
        let (left, right) = (self.eval(left)?, self.eval(right)?);
        relation(op, &left, &right).map(Value::Bool).map_err(|message| ExpressionError::syntax(column, message))
    }

    fn ternary(&self, condition: &Node, then: &Node, otherwise: &Node) -> Outcome {
        self.eval(if self.condition(condition)? { then } else { otherwise })
    }

    fn elvis(&self, value: &Node, fallback: &Node) -> Outcome {
        let value = self.eval(value)?;
        if is_null_or_empty(&value) { self.eval(fallback) } else { Ok(value) }
    }

    /// The value of a condition, which must be a boolean.
    fn condition(&self, node: &Node) -> Outcome<bool> {
        match self.eval(node)? {
            Value::Bool(value) => Ok(value),
            other => Err(ExpressionError::syntax(
                node.column,
                format!("a condition must be true or false, got {}", describe(&other)),
            )),
        }
    }

    /// `target[index]`: an array's element or a string's character, 0-based as in SpEL (EL doc
    /// "Constants and operators": `{1, 2, 3}[0]`). As in SpEL, indexing null or past the end
    /// is an error.
    fn index(&self, target: &Node, index: &Node, column: usize) -> Outcome {
        let container = self.eval(target)?;
        let position = self.eval(index)?;
        let fail = |message: String| ExpressionError::syntax(column, message);
        let position = to_integer(&position).map_err(|message| fail(format!("index {message}")))?;
        let slot = usize::try_from(position).ok();
        let item = match &container {
            Value::Array(items) => slot.and_then(|i| items.get(i)).cloned(),
            Value::String(text) => slot.and_then(|i| text.chars().nth(i)).map(|c| Value::String(c.to_string())),
            other => return Err(fail(format!("cannot index into {}", describe(other)))),
        };
        item.ok_or_else(|| fail(format!("index {position} is out of range for {}", describe(&container))))
    }

    /// Argument `index` of `call`.
    pub(crate) fn arg(&self, call: &Call, index: usize) -> Outcome {
        call.args.get(index).map_or(Ok(Value::Null), |node| self.eval(node))
    }

    /// Argument `index` read as text, `None` for null.
    pub(crate) fn text_arg(&self, call: &Call, index: usize) -> Outcome<Option<String>> {
        to_text(&self.arg(call, index)?).map_err(|message| call.fail(format!("argument {} {message}", index + 1)))
    }

    /// Argument `index` read as a whole number.
    pub(crate) fn integer_arg(&self, call: &Call, index: usize) -> Outcome<i64> {
        to_integer(&self.arg(call, index)?).map_err(|message| call.fail(format!("argument {} {message}", index + 1)))
    }

    fn call(&self, call: &Call) -> Outcome {
        match call.function {
            Function::Append => text::append(self, call),
            Function::Join => text::join(self, call),
            Function::Len => text::len(self, call),
            Function::RemoveSpaces => text::transform(self, call, |input| input.replace(' ', "")),
            Function::ToUpperCase => text::transform(self, call, |input| input.to_uppercase()),
            Function::ToLowerCase => text::transform(self, call, |input| input.to_lowercase()),
            Function::Replace => text::replace(self, call, usize::MAX),
            Function::ReplaceFirst => text::replace(self, call, 1),
            Function::StartsWith => text::starts_with(self, call),
            Function::StringContains => text::string_contains(self, call),
            Function::StringSwitch => text::string_switch(self, call),
            Function::Substring => text::substring(self, call),
            Function::SubstringAfter => text::substring_after(self, call),
            Function::SubstringBefore => text::substring_before(self, call),
            Function::ArraysAdd => array::add(self, call),
            Function::ArraysRemove => array::remove(self, call),
            Function::ArraysClear => array::clear(self, call),
            Function::ArraysGet => array::get(self, call),
            Function::ArraysFlatten => array::flatten(self, call),
            Function::ArraysContains => array::contains(self, call),
            Function::ArraysSize => array::size(self, call),
            Function::ArraysIsEmpty => array::is_empty(self, call),
            Function::ArraysToCsvString => array::to_csv_string(self, call),
            Function::ToInt => conversion::to_int(self, call),
            Function::ToNum => conversion::to_num(self, call),
            Function::IsMemberOfGroupName
            | Function::IsMemberOfGroup
            | Function::IsMemberOfAnyGroup
            | Function::IsMemberOfGroupNameStartsWith
            | Function::IsMemberOfGroupNameContains
            | Function::IsMemberOfGroupNameRegex => group::is_member(self, call),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::idp::okta::expression::test_source::{failure, value};

    fn eval(text: &str) -> serde_json::Value {
        let user = json!({
            "user.n": 5, "user.s": "abc", "user.blank": "", "user.t": true, "user.f": false, "user.list": [10, 20],
        });
        value(text, user)
    }

    fn fail(text: &str) -> String {
        failure(text, json!({"user.n": 5, "user.s": "abc", "user.t": true, "user.list": [10, 20]}))
    }

    #[test]
    fn literals() {
        assert_eq!(eval("'Hello world'"), json!("Hello world"));
        assert_eq!(eval("1234"), json!(1234));
        assert_eq!(eval("3.141"), json!("3.141".parse::<f64>().unwrap()), "3.141, not π");
        assert_eq!(eval("true"), json!(true));
        assert_eq!(eval("NULL"), json!(null));
        assert_eq!(eval("{10, 'a', null, {}}"), json!([10, "a", null, []]));
        assert_eq!(eval("-5"), json!(-5));
        assert_eq!(eval("--5"), json!(5));
    }

    #[test]
    fn concatenation_and_arithmetic() {
        // EL doc "Constants and operators".
        let winston = json!({"user.firstName": "Winston", "user.lastName": "Churchill"});
        assert_eq!(value("user.firstName + user.lastName", winston.clone()), json!("WinstonChurchill"));
        assert_eq!(value(r#"user.firstName + " " + user.lastName"#, winston), json!("Winston Churchill"));
        // SpEL: a null operand concatenates as "null".
        assert_eq!(eval("user.missing + '@x'"), json!("null@x"));
        assert_eq!(eval("'id-' + user.missing"), json!("id-null"));
        assert_eq!(eval("user.blank + '@x'"), json!("@x"));
        assert_eq!(eval("user.n + 1"), json!(6));
        assert_eq!(eval("user.n + 1 + 'x'"), json!("6x"), "left to right");
        assert_eq!(eval("'x' + user.n + 1"), json!("x51"));
        assert_eq!(eval("'x' + (user.n + 1)"), json!("x6"));
        assert_eq!(eval("user.n - 2 * 3"), json!(-1));
        assert_eq!(eval("(user.n - 2) * 3"), json!(9));
        assert_eq!(eval("10 - 4 - 3"), json!(3), "left-associative");
        assert_eq!(eval("7 / 2 * 2"), json!(6));
        assert_eq!(eval("7 % 4 + 1"), json!(4));
        assert_eq!(eval("-user.n + 1"), json!(-4));
        assert_eq!(eval("1.5 + 1"), json!(2.5));
        assert_eq!(eval("'n=' + 1.0"), json!("n=1.0"));
        assert_eq!(eval("'' + user.list"), json!("10,20"));
        assert_eq!(
            fail("user.missing + user.other"),
            "operator \"+\" is not supported between null and null at column 14"
        );
        assert_eq!(fail("user.n / 0"), "division by zero at column 8");
        assert_eq!(fail("-user.s"), "operator \"-\" needs a number, got \"abc\" at column 1");
        assert_eq!(fail("1 + 2 - 'a'"), "operator \"-\" is not supported between 3 and \"a\" at column 7");
    }

    #[test]
    fn comparisons() {
        assert_eq!(eval("user.n == 5"), json!(true));
        assert_eq!(eval("user.n == 5.0"), json!(true));
        assert_eq!(eval("user.n == '5'"), json!(false), "no conversion between types");
        assert_eq!(eval("user.n != 5"), json!(false));
        assert_eq!(eval("user.s == 'abc'"), json!(true));
        assert_eq!(eval("user.s == \"abc\""), json!(true));
        assert_eq!(eval("user.s < 'abd'"), json!(true));
        assert_eq!(eval("user.n >= 5 AND user.n <= 5 AND user.n > 4 AND user.n < 6"), json!(true));
        assert_eq!(eval("user.missing < 1"), json!(true), "null is less than anything");
        assert_eq!(eval("user.missing >= 1"), json!(false));
        assert_eq!(eval("user.list == {10, 20}"), json!(true));
        assert_eq!(eval("user.t == true"), json!(true));
        assert_eq!(eval("user.s matches '[a-c]+'"), json!(true));
        assert_eq!(eval("user.s MATCHES 'b'"), json!(false));
        assert_eq!(fail("user.s < 5"), "cannot compare \"abc\" with 5 at column 8");
        assert_eq!(fail("user.missing matches 'x'"), "\"matches\" needs a string on its left, got null at column 14");
        assert_eq!(fail("user.s matches user.n"), "\"matches\" needs a pattern string on its right, got 5 at column 8");
    }

    #[test]
    fn null_and_blank_are_different() {
        assert_eq!(eval("user.missing == null"), json!(true));
        assert_eq!(eval("user.missing == ''"), json!(false));
        assert_eq!(eval("user.blank == null"), json!(false));
        assert_eq!(eval("user.blank == ''"), json!(true));
        assert_eq!(eval("user.blank"), json!(""));
        assert_eq!(eval("user.missing"), json!(null));
    }

    #[test]
    fn logic_and_precedence() {
        assert_eq!(eval("user.t AND user.f"), json!(false));
        assert_eq!(eval("user.t and user.f || user.t"), json!(true), "AND binds tighter than OR");
        assert_eq!(eval("user.f OR user.t && user.f"), json!(false));
        assert_eq!(eval("(user.f OR user.t) && user.f"), json!(false));
        assert_eq!(eval("user.t && !user.f"), json!(true));
        assert_eq!(eval("NOT user.f"), json!(true));
        assert_eq!(eval("not not user.t"), json!(true));
        assert_eq!(eval("!!user.t"), json!(true));
        assert_eq!(eval("!(user.n == 5)"), json!(false));
        assert_eq!(eval("user.n == 5 OR user.n == 6 AND user.f"), json!(true));
        assert_eq!(eval("user.n + 1 == 6 AND user.s + 'd' == 'abcd'"), json!(true), "arithmetic binds tighter");
        // Short-circuits: the right side would fail.
        assert_eq!(eval("user.f AND user.missing"), json!(false));
        assert_eq!(eval("user.t OR user.missing"), json!(true));
        assert_eq!(eval("user.missing != null AND user.missing > 'a'"), json!(false));
    }

    #[test]
    fn conditions_must_be_booleans() {
        assert_eq!(fail("user.missing AND user.t"), "a condition must be true or false, got null at column 1");
        assert_eq!(fail("user.t AND user.s"), "a condition must be true or false, got \"abc\" at column 12");
        assert_eq!(fail("user.s ? 1 : 2"), "a condition must be true or false, got \"abc\" at column 1");
        assert_eq!(fail("!user.n"), "a condition must be true or false, got 5 at column 2");
        assert_eq!(fail("'true' ? 1 : 2"), "a condition must be true or false, got \"true\" at column 1");
        assert_eq!(fail("1 + (user.n ? 1 : 2)"), "a condition must be true or false, got 5 at column 6");
    }

    #[test]
    fn ternaries_and_elvis() {
        assert_eq!(eval("user.t ? 'yes' : 'no'"), json!("yes"));
        assert_eq!(eval("user.f ? 'yes' : 'no'"), json!("no"));
        assert_eq!(eval("user.f ? 1 : user.t ? 2 : 3"), json!(2), "right-associative");
        assert_eq!(eval("user.t ? user.f ? 1 : 2 : 3"), json!(2));
        assert_eq!(eval("user.f ? 'a' : 'b' + 'c'"), json!("bc"), "the branch takes the whole expression");
        assert_eq!(eval("user.t ? user.missing : 'x'"), json!(null));
        assert_eq!(eval("user.t ? 'ok' : user.missing + user.other"), json!("ok"), "only the chosen branch runs");
        // EL doc: Elvis replaces null and the empty string.
        assert_eq!(eval("user.missing ?: 'default'"), json!("default"));
        assert_eq!(eval("user.blank ?: 'default'"), json!("default"));
        assert_eq!(eval("user.s ?: 'default'"), json!("abc"));
        assert_eq!(eval("user.f ?: true"), json!(false));
        assert_eq!(eval("user.missing ?: {}"), json!([]));
        assert_eq!(eval("user.missing ?: user.blank ?: 'last'"), json!("last"));
        assert_eq!(eval("user.s ?: user.missing + user.other"), json!("abc"), "the fallback runs only when needed");
        assert_eq!(eval("user.missing ?: 'a' + 'b'"), json!("ab"));
        assert_eq!(eval("user.t ? user.missing ?: 'x' : 'y'"), json!("x"));
    }

    #[test]
    fn indexing() {
        // EL doc "Constants and operators": {1, 2, 3}[0] and user.arrayProperty[0].
        assert_eq!(eval("{1, 2, 3}[0]"), json!(1));
        assert_eq!(eval("user.list[1]"), json!(20));
        assert_eq!(eval("user.list['1']"), json!(20));
        assert_eq!(eval("{{1, 2}, {3}}[0][1]"), json!(2));
        assert_eq!(eval("user.s[2]"), json!("c"));
        assert_eq!(eval("Arrays.add(user.list, 30)[2]"), json!(30));
        assert_eq!(fail("user.list[2]"), "index 2 is out of range for an array of 2 values at column 10");
        assert_eq!(fail("user.list[-1]"), "index -1 is out of range for an array of 2 values at column 10");
        assert_eq!(fail("user.missing[0]"), "cannot index into null at column 13");
        assert_eq!(fail("user.n[0]"), "cannot index into 5 at column 7");
        assert_eq!(fail("user.list[user.s]"), "index must be a whole number, got \"abc\" at column 10");
        assert_eq!(fail("user.s[3]"), "index 3 is out of range for \"abc\" at column 7");
    }
}
