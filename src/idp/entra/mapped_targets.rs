//! The target side of an object type's mappings, worked out once per edit of the app rather
//! than once per object: the attribute-list entry each mapping writes and its path, parsed.
//! A load run evaluates the mappings of every user; parsing each target path and copying each
//! attribute-list entry per user was a tenth of its time.

use std::sync::Arc;

use crate::idp::app::{ObjectMapping, TargetAttribute};
use crate::scim::PatchPath;

/// Where one mapping's value goes.
#[derive(Debug)]
pub(super) struct MappedTarget {
    /// The target path as the mapping names it, shared with the log entries that name it.
    pub(super) path: Arc<str>,
    /// The same, parsed.
    pub(super) parsed: PatchPath,
    /// The target attribute.
    pub(super) attribute: TargetAttribute,
}

/// The targets of one object type's mappings, in the mappings' order. Made from the mappings
/// as they stand: the tenant makes it again whenever the app is edited.
#[derive(Debug, Clone, Default)]
pub(super) struct MappedTargets {
    /// By mapping position; `None` where the attribute list lacks the target or the target
    /// does not parse (such a mapping sends nothing).
    targets: Vec<Option<Arc<MappedTarget>>>,
    /// The targets of the matching mappings, in precedence order.
    matching: Arc<[String]>,
}

impl MappedTargets {
    /// The targets of `list`'s mappings.
    pub(super) fn of(list: &ObjectMapping) -> Self {
        let targets = list
            .mappings
            .iter()
            .map(|m| {
                let attribute = list.attribute(&m.target)?;
                let parsed = m.target.parse::<PatchPath>().ok()?;
                Some(Arc::new(MappedTarget { path: m.target.as_str().into(), parsed, attribute: attribute.clone() }))
            })
            .collect();
        let matching = list.matching().iter().map(|m| m.target.clone()).collect();
        Self { targets, matching }
    }

    /// The target of the mapping at `position`.
    pub(super) fn get(&self, position: usize) -> Option<&Arc<MappedTarget>> {
        self.targets.get(position)?.as_ref()
    }

    /// The targets of the matching mappings, in precedence order.
    pub(super) fn matching(&self) -> Arc<[String]> {
        Arc::clone(&self.matching)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idp::app::{Mapping, MappingSource, TargetType};

    #[test]
    fn targets_follow_the_mappings_and_skip_what_cannot_be_sent() {
        let mut list = ObjectMapping::default();
        list.put_attribute(TargetAttribute::new(r#"emails[type eq "work"].value"#, TargetType::String));
        list.put_attribute(TargetAttribute::new("userName", TargetType::String));
        list.put_attribute(TargetAttribute::new("bad[", TargetType::String));
        for target in ["userName", "nickName", r#"emails[type eq "work"].value"#, "bad["] {
            list.put_mapping(Mapping::new(MappingSource::Direct("mail".into()), target));
        }
        list.mappings[0].matching_precedence = Some(1);
        let targets = MappedTargets::of(&list);
        assert_eq!(&*targets.get(0).unwrap().path, "userName");
        assert!(targets.get(1).is_none(), "nickName is not in the attribute list");
        let email = targets.get(2).unwrap();
        assert!(email.parsed.filter.is_some());
        assert_eq!(email.attribute.name, r#"emails[type eq "work"].value"#);
        assert!(targets.get(3).is_none(), "a target that does not parse sends nothing");
        assert!(targets.get(4).is_none());
        assert_eq!(&*targets.matching(), ["userName".to_string()]);
    }
}
