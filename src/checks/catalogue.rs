//! The catalogue: every check, in the order reports list them.

use super::check::Check;
use super::rules;

/// Every check scimsim knows.
pub fn catalogue() -> Vec<Check> {
    rules::all()
}
