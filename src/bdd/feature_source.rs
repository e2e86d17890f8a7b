//! Where features come from: the bundled suite compiled into the binary (features/ at build
//! time), or the user's own files and directories.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use cucumber::feature::Ext as _;
use cucumber::gherkin::{Feature, GherkinEnv};

use super::error::BddError;
use super::feature_layout;

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
            let metadata = std::fs::metadata(path).map_err(|reason| BddError::Read { path: path.clone(), reason })?;
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
        files.into_iter().map(Self::read).collect()
    }

    /// The feature file at `path`; one that is not UTF-8 is a parse error at its first bad
    /// byte.
    fn read(path: PathBuf) -> Result<Self, BddError> {
        let bytes = std::fs::read(&path).map_err(|reason| BddError::Read { path: path.clone(), reason })?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Self { path, text: Cow::Owned(text) }),
            Err(error) => {
                let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
                // The valid prefix is UTF-8, so it can be counted in characters.
                let before = String::from_utf8_lossy(valid);
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                Err(BddError::Parse {
                    line: before.matches('\n').count() + 1,
                    column: Some(before[line_start..].chars().count() + 1),
                    problem: format!("byte 0x{:02x} is not UTF-8 text", error.as_bytes()[valid.len()]),
                    fix: "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)".into(),
                    path,
                })
            }
        }
    }

    /// Parses the feature and expands its Scenario Outlines. A malformed file is an error
    /// naming the file, the line and the fix.
    pub fn parse(&self) -> Result<Feature, BddError> {
        feature_layout::check(&self.path, &self.text)?;
        let mut feature =
            Feature::parse(self.text.as_ref(), GherkinEnv::default()).map_err(|error| self.gherkin_error(&error))?;
        feature.path = Some(self.path.clone());
        feature.expand_examples().map_err(|error| BddError::Parse {
            path: self.path.clone(),
            line: error.pos.line,
            column: Some(error.pos.col),
            problem: format!("the placeholder <{}> names no column of the Examples table", error.name),
            fix: format!("add a column `| {} |` to the Examples, or correct the placeholder", error.name),
        })
    }

    /// gherkin's `Error at 3:5: {"unknown keyword"}` as a parse error at line 3, column 5.
    fn gherkin_error(&self, error: &impl std::fmt::Display) -> BddError {
        let message = error.to_string();
        let located = message.strip_prefix("Error at ").and_then(|rest| {
            let (position, expected) = rest.split_once(": ")?;
            let (line, column) = position.split_once(':')?;
            Some((line.parse().ok()?, column.parse().ok()?, expected.trim_matches(['{', '}']).replace('"', "")))
        });
        let (line, column, expected) = located.unwrap_or((1, 1, message));
        BddError::Parse {
            path: self.path.clone(),
            line,
            column: Some(column),
            problem: format!("not valid Gherkin here (the parser expected {expected})"),
            fix: "a file starts with `Feature:`; each `Scenario:` under it holds step lines that start with \
                  Given, When, Then, And or But"
                .into(),
        }
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), BddError> {
    let entries = std::fs::read_dir(dir).map_err(|reason| BddError::Read { path: dir.to_path_buf(), reason })?;
    for entry in entries {
        let path = entry.map_err(|reason| BddError::Read { path: dir.to_path_buf(), reason })?.path();
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
    fn what_gherkin_refuses_is_reported_at_its_position_with_the_fix() {
        // A tag with nothing after its @: the layout is right, gherkin refuses it (at the
        // position its parser got furthest, which it reports).
        let source = FeatureSource { path: "x.feature".into(), text: "Feature: f\n  @ bad\n  Scenario: s\n".into() };
        let error = source.parse().unwrap_err().to_string();
        assert!(error.starts_with("x.feature:3:12: not valid Gherkin here"), "{error}");
        assert!(error.contains("each `Scenario:` under it holds step lines"), "{error}");
    }

    #[test]
    fn a_placeholder_without_a_column_names_its_line() {
        let text = "Feature: f\n  Scenario Outline: s\n    Given a <m>\n    Examples:\n      | n |\n      | 1 |\n";
        let error = FeatureSource { path: "f.feature".into(), text: text.into() }.parse().unwrap_err().to_string();
        assert!(error.starts_with("f.feature:3:") && error.contains("<m> names no column"), "{error}");
        assert!(error.contains("add a column `| m |`"), "{error}");
    }

    #[test]
    fn outlines_are_expanded() {
        let text = "Feature: f\n  Scenario Outline: s <n>\n    Given a <n>\n    Examples:\n      | n |\n      | 1 |\n      | 2 |\n";
        let feature = FeatureSource { path: "f.feature".into(), text: text.into() }.parse().unwrap();
        assert_eq!(feature.scenarios[0].steps[0].value, "a 1");
        assert_eq!(feature.path.as_deref(), Some(Path::new("f.feature")));
    }
}
