//! "Did you mean …?" for misspelled function names.

/// The candidate closest to `name` (ignoring case) when it is within two edits, so that
/// `Swtch` and `switch` both point at `Switch`.
pub(crate) fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<char> = name.to_lowercase().chars().collect();
    candidates
        .into_iter()
        .map(|candidate| {
            let other: Vec<char> = candidate.to_lowercase().chars().collect();
            (levenshtein(&wanted, &other), candidate)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance (insertions, deletions, substitutions) between two character strings.
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn distances() {
        assert_eq!(levenshtein(&chars("Swtch"), &chars("Switch")), 1);
        assert_eq!(levenshtein(&chars(""), &chars("abc")), 3);
        assert_eq!(levenshtein(&chars("IIF"), &chars("IIF")), 0);
        assert_eq!(levenshtein(&chars("kitten"), &chars("sitting")), 3);
    }

    #[test]
    fn suggests_within_two_edits_ignoring_case() {
        let names = ["Switch", "Split", "IIF"];
        assert_eq!(closest("Swtch", names), Some("Switch"));
        assert_eq!(closest("switch", names), Some("Switch"));
        assert_eq!(closest("iif", names), Some("IIF"));
        assert_eq!(closest("Frobnicate", names), None);
    }
}
