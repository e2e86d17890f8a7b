//! `--concurrency N`, shared by `scimsim run` and `scimsim certify`: how many scenarios run at
//! once.

/// Parses `--concurrency`: a whole number, 1 or more. Zero would run nothing, so it is
/// refused with the fix rather than quietly raised to 1.
pub(crate) fn parse(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("no scenario would run; give 1 or more (1 runs the scenarios one at a time)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("expected how many scenarios run at once, a whole number such as 4".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_or_more() {
        assert_eq!(parse("4"), Ok(4));
        assert!(parse("0").unwrap_err().contains("1 or more"));
        assert!(parse("zero").unwrap_err().contains("whole number"));
        assert!(parse("-1").is_err());
    }
}
