//! The rules, one file per topic of RFC 7644 / RFC 7643 or IdP need.

use super::check::Check;

/// Every rule's check, in report order.
pub(super) fn all() -> Vec<Check> {
    Vec::new()
}
