//! "Did you mean …?" for misspelled names in errors.

/// The candidate closest to `name` (ignoring case) when it is within two edits, so that
/// `Swtch` and `switch` both point at `Switch`. Shared by every "did you mean" in scimsim:
/// attribute names here, function names in the IdPs' expression languages.
///
/// Candidates whose length differs from `name`'s by more than two are skipped without
/// computing a distance (which is at least the difference), so a hostile name of a million
/// characters costs a length count, not a million-by-candidate table.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let length = lower.chars().count();
    candidates
        .into_iter()
        .map(|c| (c, c.to_lowercase()))
        .filter(|(_, folded)| folded.chars().count().abs_diff(length) <= MAX_EDITS)
        .map(|(c, folded)| (edit_distance(&lower, &folded), c))
        .filter(|(d, _)| *d <= MAX_EDITS)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// How many edits away a suggestion may be.
const MAX_EDITS: usize = 2;

/// `" (did you mean \"title\"?)"` when a candidate is within two edits of `name`
/// (ignoring case), else an empty string.
pub(crate) fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(name, candidates).map(|c| format!(" (did you mean {c:?}?)")).unwrap_or_default()
}

/// The Levenshtein distance between `a` and `b`, in characters: how many insertions,
/// deletions and substitutions turn one into the other. Exact (case-sensitive); callers
/// lower-case what should not count.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn suggests_the_closest_within_two_edits() {
        assert_eq!(did_you_mean("titel", ["title", "userName"]), " (did you mean \"title\"?)");
        assert_eq!(did_you_mean("USERNAM", ["title", "userName"]), " (did you mean \"userName\"?)");
        assert_eq!(did_you_mean("zzzzzz", ["title"]), "");
    }

    #[test]
    fn a_huge_name_is_compared_by_length_first() {
        // Found by tests/integration/server_abuse.rs: a PATCH path of a million letters took
        // seconds in the edit-distance table of every "did you mean".
        // Thirty candidates made that 300 million table cells; skipped, it takes milliseconds.
        let names: Vec<String> = (0..30).map(|i| format!("attribute{i}")).collect();
        let huge = "a".repeat(1_000_000);
        let started = std::time::Instant::now();
        assert_eq!(closest(&huge, names.iter().map(String::as_str)), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
        assert_eq!(closest("atribute7", names.iter().map(String::as_str)), Some("attribute7"));
    }

    #[test]
    fn closest_ignores_case() {
        let names = ["Switch", "Split", "IIF"];
        assert_eq!(closest("Swtch", names), Some("Switch"));
        assert_eq!(closest("switch", names), Some("Switch"));
        assert_eq!(closest("iif", names), Some("IIF"));
        assert_eq!(closest("Frobnicate", names), None);
    }
}
