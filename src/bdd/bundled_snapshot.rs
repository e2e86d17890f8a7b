//! The bundled suite's committed snapshots, compiled into the binary (`snapshots/<idp>/<feature>/`
//! at build time), so `scimsim run` outside the repository compares the bundled scenarios with
//! them instead of failing on a missing file.

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_snapshots.rs"));
}

/// The bundled snapshot at `relative` (`okta/import/a_page.snap`), if there is one: its body,
/// without insta's header.
pub(crate) fn find(relative: &str) -> Option<&'static str> {
    bundled::BUNDLED.iter().find(|(path, _)| *path == relative).map(|(_, text)| body(text))
}

/// The part of an insta snapshot file after its `---` header.
fn body(file: &str) -> &str {
    file.strip_prefix("---\n").and_then(|rest| rest.split_once("\n---\n")).map_or(file, |(_, body)| body)
}

/// Compares a run's snapshot text with a bundled one; a difference is shown as a unified diff.
pub(crate) fn compare(relative: &str, expected: &str, actual: &str) -> Result<(), String> {
    let (expected, actual) = (expected.trim_end(), actual.trim_end());
    if expected == actual {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(expected, actual);
    Err(format!(
        "the exchanges differ from the bundled snapshot {relative}:\n{}",
        diff.unified_diff().context_radius(3).header("bundled", "this run")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_snapshot_has_a_header_and_a_body() {
        assert!(!bundled::BUNDLED.is_empty());
        for (path, text) in bundled::BUNDLED {
            assert!(path.ends_with(".snap") && !path.starts_with("tenants/"), "{path}");
            assert!(text.starts_with("---\n") && body(text).starts_with('['), "{path}: no insta header");
        }
    }

    #[test]
    fn a_difference_is_a_diff() {
        assert_eq!(compare("a.snap", "[\n  1\n]\n", "[\n  1\n]"), Ok(()));
        let err = compare("a.snap", "[\n  1\n]", "[\n  2\n]").unwrap_err();
        assert!(err.contains("a.snap") && err.contains("-  1") && err.contains("+  2"), "{err}");
        assert_eq!(body("---\nsource: f\n---\n[]\n"), "[]\n");
    }
}
