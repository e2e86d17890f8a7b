//! The syntax tree of a parsed expression.
//!
//! Chains of operators of one precedence level (`a + b - c`, `a AND b AND c`) are one node
//! holding every operand, evaluated left to right exactly like SpEL's left-associative binary
//! nodes. This keeps the tree as shallow as the expression's nesting, however long a
//! concatenation gets.

use serde_json::Value;

use super::function::Function;

/// A relational operator (EL doc "Conditional expressions"; `matches` is deprecated there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    /// `==`
    Equal,
    /// `!=`
    NotEqual,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `matches`: the left string against the right regular expression.
    Matches,
}

impl CompareOp {
    /// The operator as written.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Self::Equal => "==",
            Self::NotEqual => "!=",
            Self::Less => "<",
            Self::LessOrEqual => "<=",
            Self::Greater => ">",
            Self::GreaterOrEqual => ">=",
            Self::Matches => "matches",
        }
    }
}

/// An arithmetic operator; `+` also concatenates strings (EL doc "Constants and operators").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithmeticOp {
    /// `+`
    Add,
    /// `-`
    Subtract,
    /// `*`
    Multiply,
    /// `/`
    Divide,
    /// `%`
    Remainder,
}

impl ArithmeticOp {
    /// The operator as written.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Self::Add => "+",
            Self::Subtract => "-",
            Self::Multiply => "*",
            Self::Divide => "/",
            Self::Remainder => "%",
        }
    }
}

/// A boolean connective: `AND`/`and`/`&&` or `OR`/`or`/`||`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LogicalOp {
    /// Both operands true; the right one is evaluated only when the left one is true.
    And,
    /// Either operand true; the right one is evaluated only when the left one is false.
    Or,
}

/// One node of the tree and the 1-based column where it starts, which is where evaluation
/// errors about its value (e.g. a condition that is not a boolean) point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// Where the node's first token starts.
    pub(crate) column: usize,
    /// What the node is.
    pub(crate) kind: Kind,
}

/// The kinds of node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A string, number, boolean or null constant.
    Literal(Value),
    /// A value read from the source under this name: `user.firstName`, or `user#id` for
    /// `user.getInternalProperty("id")`.
    Reference(String),
    /// `{a, b, …}`: an inline array.
    Array(Vec<Node>),
    /// `target[index]`; the column is the `[`.
    Index {
        /// The array or string indexed.
        target: Box<Node>,
        /// The index.
        index: Box<Node>,
        /// Where `[` stands.
        column: usize,
    },
    /// `!operand` or `NOT operand`.
    Not(Box<Node>),
    /// `-operand`.
    Negate(Box<Node>),
    /// `first op operand op operand …` at one arithmetic precedence level.
    Arithmetic {
        /// The leftmost operand.
        first: Box<Node>,
        /// Each further operator, its column and its right operand, in order.
        rest: Vec<(ArithmeticOp, usize, Node)>,
    },
    /// `a AND b AND …` or `a OR b OR …`.
    Logical {
        /// The connective.
        op: LogicalOp,
        /// Two or more operands, in order.
        operands: Vec<Node>,
    },
    /// `left op right`; the column is the operator's.
    Comparison {
        /// The operator.
        op: CompareOp,
        /// Left operand.
        left: Box<Node>,
        /// Right operand.
        right: Box<Node>,
        /// Where the operator stands.
        column: usize,
    },
    /// `condition ? then : otherwise`.
    Ternary {
        /// Must evaluate to a boolean.
        condition: Box<Node>,
        /// The value when the condition is true.
        then: Box<Node>,
        /// The value when the condition is false.
        otherwise: Box<Node>,
    },
    /// `value ?: fallback`: the fallback when the value is null or `""`.
    Elvis {
        /// The value tried first.
        value: Box<Node>,
        /// The value used instead.
        fallback: Box<Node>,
    },
    /// A function call.
    Call(Call),
}

/// A function call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    /// Which function.
    pub(crate) function: Function,
    /// The name as written (`String.substring`, or the deprecated `substring`), for errors.
    pub(crate) name: &'static str,
    /// The arguments.
    pub(crate) args: Vec<Node>,
    /// Where the function name starts.
    pub(crate) column: usize,
}

impl Node {
    /// Appends the source names this node reads to `names`, skipping names already there, in
    /// order of first appearance.
    pub(crate) fn collect_references(&self, names: &mut Vec<String>) {
        match &self.kind {
            Kind::Literal(_) => {}
            Kind::Reference(name) => push_unique(names, name),
            Kind::Call(call) => {
                if let Some(name) = call.function.membership_source() {
                    push_unique(names, name);
                }
                call.args.iter().for_each(|arg| arg.collect_references(names));
            }
            Kind::Array(items) => items.iter().for_each(|item| item.collect_references(names)),
            Kind::Logical { operands, .. } => operands.iter().for_each(|operand| operand.collect_references(names)),
            Kind::Not(operand) | Kind::Negate(operand) => operand.collect_references(names),
            Kind::Index { target: left, index: right, .. }
            | Kind::Comparison { left, right, .. }
            | Kind::Elvis { value: left, fallback: right } => {
                left.collect_references(names);
                right.collect_references(names);
            }
            Kind::Arithmetic { first, rest } => {
                first.collect_references(names);
                rest.iter().for_each(|(_, _, operand)| operand.collect_references(names));
            }
            Kind::Ternary { condition, then, otherwise } => {
                for node in [condition, then, otherwise] {
                    node.collect_references(names);
                }
            }
        }
    }
}

/// Appends `name` to `names` unless it is already there.
fn push_unique(names: &mut Vec<String>, name: &str) {
    if !names.iter().any(|known| known == name) {
        names.push(name.to_string());
    }
}
