//! The syntax tree of a parsed expression.

use serde_json::Value;

use super::function::Function;

/// A comparison operator inside a condition (FUNCS IIF: `=`, `<>`, `>`, `>=`, `<`, `<=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    /// `=`
    Equal,
    /// `<>`
    NotEqual,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
}

impl CompareOp {
    /// The operator as written.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Self::Equal => "=",
            Self::NotEqual => "<>",
            Self::Less => "<",
            Self::LessOrEqual => "<=",
            Self::Greater => ">",
            Self::GreaterOrEqual => ">=",
        }
    }
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// `[name]`, read from the source object.
    Attribute {
        /// The attribute name, case-sensitive.
        name: String,
        /// Where `[` stands.
        column: usize,
    },
    /// A string or number constant (or a constant name such as `vbTextCompare`, kept as its
    /// name).
    Literal(Value),
    /// An argument left empty (`Switch([IsSoftDeleted], , …)`): null.
    Omitted,
    /// `Name(arg, …)`.
    Call(Call),
    /// `left op right`.
    Comparison(Box<Comparison>),
}

impl Node {
    /// Appends the names of the attributes this node reads to `names`, skipping names already
    /// there, in order of first appearance.
    pub(crate) fn collect_attributes(&self, names: &mut Vec<String>) {
        match self {
            Self::Attribute { name, .. } => {
                if !names.iter().any(|known| known == name) {
                    names.push(name.clone());
                }
            }
            Self::Literal(_) | Self::Omitted => {}
            Self::Call(call) => call.args.iter().for_each(|arg| arg.collect_attributes(names)),
            Self::Comparison(comparison) => {
                comparison.left.collect_attributes(names);
                comparison.right.collect_attributes(names);
            }
        }
    }
}

/// A function call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    /// Which function.
    pub(crate) function: Function,
    /// Its arguments as written, empty ones as [`Node::Omitted`].
    pub(crate) args: Vec<Node>,
    /// Where the function name starts.
    pub(crate) column: usize,
}

impl Call {
    /// Whether argument `index` was written (neither left empty nor left out).
    pub(crate) fn has_arg(&self, index: usize) -> bool {
        self.args.get(index).is_some_and(|arg| !matches!(arg, Node::Omitted))
    }
}

/// `left op right`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Comparison {
    /// The operator.
    pub(crate) op: CompareOp,
    /// Left operand.
    pub(crate) left: Node,
    /// Right operand.
    pub(crate) right: Node,
    /// Where the operator stands.
    pub(crate) column: usize,
}
