//! A source object's attributes laid out for reading many of them, as evaluating an object's
//! mappings does.

use serde_json::Value;

use super::directory::SourceObject;

/// Objects with at most this many attributes are scanned; larger ones are searched.
const SCANNED: usize = 12;

/// The attributes of one source object, in name order, in a slice. A user has a handful of
/// attributes and each of its mappings reads one, often one it lacks. Walking the directory's
/// map costs tens of instructions per key; a scan of this slice that compares lengths first
/// settles most names without comparing bytes. Made once per object evaluated.
#[derive(Debug, Clone)]
pub struct AttributeIndex<'a>(Vec<(&'a str, &'a Value)>);

impl<'a> AttributeIndex<'a> {
    /// The attributes of `object`.
    pub fn of(object: &'a SourceObject) -> Self {
        Self(object.attributes.iter().map(|(name, value)| (name.as_str(), value)).collect())
    }

    /// Attribute `name` (names match exactly, as in the directory's map).
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        if self.0.len() <= SCANNED {
            self.0.iter().find_map(|&(key, value)| (key == name).then_some(value))
        } else {
            self.0.binary_search_by(|&(key, _)| key.cmp(name)).ok().map(|at| self.0[at].1)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::idp::directory::Directory;

    #[test]
    fn finds_every_attribute_of_few_and_of_many_and_only_those() {
        // Objects with few attributes are scanned, objects with many searched.
        let mut dir = Directory::default();
        for count in [0, 1, 5, 12, 13, 40] {
            let attributes: BTreeMap<String, Value> =
                (0..count).map(|n| (format!("attribute{n}"), json!(format!("value {n}")))).collect();
            let id = dir.add_user(&format!("user{count}"), attributes).unwrap();
            let user = dir.get(&id).unwrap();
            let index = AttributeIndex::of(user);
            for (name, value) in &user.attributes {
                assert_eq!(index.get(name), Some(value));
            }
            for absent in ["attribute", "attribute1x", "Attribute0", "", "zzz"] {
                assert_eq!(index.get(absent), None, "{absent} of {count}");
            }
        }
    }
}
