//! The id of one run: every name the run gives an object on the target starts with it, so a
//! run against a shared staging tenant never collides with what is already there (or with
//! another run), and `scimsim cleanup --run-id` can find what an interrupted run left.

use std::fmt;

/// How many hex digits follow the leading `s`.
const HEX_DIGITS: usize = 8;

/// A run id: `s` and eight lower-case hex digits (`s3f9a20c1`). Scenario `n` of the run names
/// its objects `<run id>-<n in hex>-<name>`: `s3f9a20c1-1f-alice@contoso.com`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RunId(String);

/// A string that is not a run id, with what one looks like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{given:?} is not a run id: a run id is `s` and {HEX_DIGITS} hex digits, like s3f9a20c1, as the run printed it"
)]
pub struct BadRunId {
    /// What was given.
    pub given: String,
}

impl RunId {
    /// A fresh id: 32 random bits (of a version-4 UUID), so runs started at once from two
    /// machines or processes get different ids.
    pub fn generate() -> Self {
        let random = uuid::Uuid::new_v4().simple().to_string();
        Self(format!("s{}", &random[..HEX_DIGITS]))
    }

    /// Reads an id as a run printed it.
    pub fn parse(text: &str) -> Result<Self, BadRunId> {
        let text = text.trim();
        let valid = text.len() == HEX_DIGITS + 1
            && text.starts_with('s')
            && text[1..].chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
        if valid { Ok(Self(text.to_string())) } else { Err(BadRunId { given: text.to_string() }) }
    }

    /// What every name of the run starts with: the id and a dash.
    pub fn name_prefix(&self) -> String {
        format!("{}-", self.0)
    }

    /// The prefix of the names scenario `n` gives its objects.
    pub fn scenario_prefix(&self, n: usize) -> String {
        format!("{}-{n:x}-", self.0)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for RunId {
    /// A fresh id, as [`RunId::generate`] makes.
    fn default() -> Self {
        Self::generate()
    }
}

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_shaped_and_prefixes_nest() {
        let id = RunId::generate();
        assert_eq!(RunId::parse(id.as_str()), Ok(id.clone()));
        assert_eq!(id.as_str().len(), 9);
        let scenario = id.scenario_prefix(31);
        assert!(scenario.starts_with(&id.name_prefix()));
        assert!(scenario.ends_with("-1f-"));
    }

    #[test]
    fn anything_else_is_refused_with_the_shape() {
        for bad in ["", "s123", "x3f9a20c1", "s3F9A20C1", "s3f9a20c1-", "s3f9a20cz"] {
            let error = RunId::parse(bad).unwrap_err();
            assert!(error.to_string().contains("like s3f9a20c1"), "{error}");
        }
        assert_eq!(RunId::parse(" s3f9a20c1 ").map(|id| id.to_string()), Ok("s3f9a20c1".to_string()));
    }
}
