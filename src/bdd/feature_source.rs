//! Where features come from: the bundled suite compiled into the binary (features/ at build
//! time), or the user's own files and directories.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use cucumber::feature::Ext as _;
use cucumber::gherkin::{Feature, GherkinEnv};

use super::error::BddError;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_features.rs"));
}

/// A feature file's text and the path it is shown under (`features/entra/groups.feature`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureSource {
    /// The path messages and snapshots name it by.
    pub path: PathBuf,
    /// Its Gherkin text.
    pub text: Cow<'static, str>,
}

impl FeatureSource {
    /// Every bundled feature, in path order.
    pub fn bundled() -> Vec<Self> {
        bundled::BUNDLED
            .iter()
            .map(|(path, text)| Self { path: Path::new("features").join(path), text: Cow::Borrowed(text) })
            .collect()
    }

    /// The `.feature` files at `paths`: files as given, directories searched recursively, in
    /// path order.
    pub fn from_paths(paths: &[PathBuf]) -> Result<Vec<Self>, BddError> {
        let mut files = Vec::new();
        for path in paths {
            let metadata = std::fs::metadata(path).map_err(|source| BddError::Read { path: path.clone(), source })?;
            if metadata.is_dir() {
                collect(path, &mut files)?;
            } else {
                files.push(path.clone());
            }
        }
        files.sort();
        files.dedup();
        if files.is_empty() {
            return Err(BddError::NoFeatures { paths: paths.to_vec() });
        }
        files
            .into_iter()
            .map(|path| match std::fs::read_to_string(&path) {
                Ok(text) => Ok(Self { path, text: Cow::Owned(text) }),
                Err(source) => Err(BddError::Read { path, source }),
            })
            .collect()
    }

    /// Parses the feature and expands its Scenario Outlines. A syntax error names the file
    /// and the line.
    pub fn parse(&self) -> Result<Feature, BddError> {
        let mut feature = Feature::parse(self.text.as_ref(), GherkinEnv::default())
            .map_err(|error| BddError::Parse { path: self.path.clone(), detail: located(&error.to_string()) })?;
        feature.path = Some(self.path.clone());
        feature
            .expand_examples()
            .map_err(|error| BddError::Parse { path: self.path.clone(), detail: error.to_string() })
    }
}

/// gherkin's `Error at 3:5: {"unknown keyword"}` as `3:5: expected unknown keyword`, so the
/// message reads `path:line:column: …` like a compiler's.
fn located(message: &str) -> String {
    let Some(rest) = message.strip_prefix("Error at ") else { return message.to_string() };
    let Some((position, expected)) = rest.split_once(": ") else { return message.to_string() };
    let expected = expected.trim_matches(|c| c == '{' || c == '}').replace('"', "");
    format!("{position}: the parser expected {expected}")
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), BddError> {
    let entries = std::fs::read_dir(dir).map_err(|source| BddError::Read { path: dir.to_path_buf(), source })?;
    for entry in entries {
        let path = entry.map_err(|source| BddError::Read { path: dir.to_path_buf(), source })?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "feature") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_the_file_and_line() {
        let source = FeatureSource { path: "x.feature".into(), text: "Scenario: no feature\n  Given a step\n".into() };
        let error = source.parse().unwrap_err();
        assert!(error.to_string().starts_with("x.feature:1:"), "{error}");
    }

    #[test]
    fn outlines_are_expanded() {
        let text = "Feature: f\n  Scenario Outline: s <n>\n    Given a <n>\n    Examples:\n      | n |\n      | 1 |\n      | 2 |\n";
        let feature = FeatureSource { path: "f.feature".into(), text: text.into() }.parse().unwrap();
        assert_eq!(feature.scenarios[0].steps[0].value, "a 1");
        assert_eq!(feature.path.as_deref(), Some(Path::new("f.feature")));
    }
}
