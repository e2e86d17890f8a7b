//! The pre-flight step check: before any scenario runs, every step of the selected scenarios
//! and of their backgrounds is matched against the step definitions the way cucumber will
//! match it, by the kind of its keyword (`And` and `But` take the kind of the step above
//! them, as gherkin's parser resolves them). A run whose features hold a step that matches
//! no definition, or several, stops with every such step listed, each with its file, line
//! and the closest phrasings scimsim knows, instead of failing scenarios one by one after
//! others have already sent requests.
//!
//! Only the wording is checked here. What a step's arguments mean (an expression, an
//! attribute path) depends on the IdP the scenario plays and on what earlier steps set up,
//! so those are checked when the step runs, and fail its scenario.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cucumber::gherkin::{Feature, Step, StepType};
use regex::Regex;

use crate::scim::edit_distance;

use super::error::BddError;
use super::step_phrasing::{normalized, phrasings};
use super::steps::{self, StepDef};

/// At most this many phrasings are offered for one step.
const MAX_SUGGESTIONS: usize = 3;

/// A phrasing is offered when at least this similar to the step (1 is the same text)…
const MIN_SIMILARITY: f64 = 0.6;

/// …and at most this much less similar than the closest one.
const NEAR_BEST: f64 = 0.1;

/// A step that cannot run as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepProblem {
    /// The feature file.
    pub path: PathBuf,
    /// The step's 1-based line.
    pub line: usize,
    /// The step as written, keyword first: `When the moon is full`.
    pub step: String,
    /// What is wrong: `matches no step definition`.
    pub problem: String,
    /// How to fix it: the closest phrasings, or the keyword to use.
    pub fix: String,
}

impl StepProblem {
    /// Every problem, one `file:line: step` line each with its problem and fix under it.
    pub(crate) fn report(problems: &[Self]) -> String {
        let count = match problems.len() {
            1 => "a step".to_string(),
            n => format!("{n} steps"),
        };
        let mut report = format!("{count} of the selected scenarios cannot run as written, so no scenario ran:");
        for p in problems {
            report.push_str(&format!("\n  {}:{}: {}\n    {}; {}", p.path.display(), p.line, p.step, p.problem, p.fix));
        }
        report
    }
}

/// A step definition with its pattern compiled.
struct Definition {
    kinds: &'static [StepType],
    pattern: &'static str,
    regex: Regex,
}

/// Checks every step of `features` (their scenarios, and the backgrounds that run before
/// them) against the step definitions.
pub(crate) fn check(features: &[Feature]) -> Result<(), BddError> {
    let definitions = steps::all()
        .into_iter()
        .map(|StepDef { kinds, pattern, .. }| {
            Regex::new(pattern)
                .map(|regex| Definition { kinds, pattern, regex })
                .map_err(|e| BddError::StepPattern { pattern: pattern.into(), detail: e.to_string() })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut problems = BTreeMap::new();
    for feature in features {
        let path = feature.path.clone().unwrap_or_default();
        for step in steps_to_run(feature) {
            // An outline's rows repeat its steps: one report per line.
            if !problems.contains_key(&(path.clone(), step.position.line))
                && let Some(problem) = judge(&definitions, step, &path)
            {
                problems.insert((path.clone(), step.position.line), problem);
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(BddError::Steps { problems: problems.into_values().collect() }) }
}

/// The steps of the feature's scenarios and of the backgrounds that run before them.
fn steps_to_run(feature: &Feature) -> impl Iterator<Item = &Step> {
    let has_scenarios = !feature.scenarios.is_empty() || feature.rules.iter().any(|r| !r.scenarios.is_empty());
    let background = feature.background.iter().filter(move |_| has_scenarios).flat_map(|b| b.steps.iter());
    let rules = feature.rules.iter().filter(|r| !r.scenarios.is_empty()).flat_map(|rule| {
        rule.background.iter().flat_map(|b| b.steps.iter()).chain(rule.scenarios.iter().flat_map(|s| s.steps.iter()))
    });
    background.chain(feature.scenarios.iter().flat_map(|s| s.steps.iter())).chain(rules)
}

/// The problem with `step`, if it does not match exactly one definition of its kind.
fn judge(definitions: &[Definition], step: &Step, path: &Path) -> Option<StepProblem> {
    let keyword = step.keyword.trim();
    let matching = |kind_matches: bool| -> Vec<&Definition> {
        definitions
            .iter()
            .filter(|d| d.kinds.contains(&step.ty) == kind_matches && d.regex.is_match(&step.value))
            .collect()
    };
    let (problem, fix) = match matching(true).as_slice() {
        [_] => return None,
        [] => match matching(false).first() {
            Some(other) => {
                let kinds: Vec<&str> = other.kinds.iter().map(|k| kind_name(*k)).collect();
                let here = match keyword {
                    "And" | "But" | "*" => {
                        format!("here `{keyword}` continues the {} steps above it", kind_name(step.ty))
                    }
                    _ => format!("here it is a {} step", kind_name(step.ty)),
                };
                (
                    format!("this phrasing is a {} step, but {here}", kinds.join(" or ")),
                    format!("write `{} {}`", nearest_kind(other.kinds), step.value),
                )
            }
            None => ("matches no step definition".to_string(), suggestion(definitions, step)),
        },
        several => (
            format!(
                "matches {} step definitions ({})",
                several.len(),
                several.iter().map(|d| format!("{:?}", d.pattern)).collect::<Vec<_>>().join(", ")
            ),
            "reword it so that one matches, and report the overlap as a scimsim bug".to_string(),
        ),
    };
    Some(StepProblem {
        path: path.to_path_buf(),
        line: step.position.line,
        step: format!("{keyword} {}", step.value),
        problem,
        fix,
    })
}

/// The closest phrasings scimsim knows, as the fix for a step that matches none.
fn suggestion(definitions: &[Definition], step: &Step) -> String {
    let text = normalized(&step.value).to_lowercase();
    let mut ranked: Vec<(f64, String)> = definitions
        .iter()
        .filter_map(|d| {
            let best = phrasings(d.pattern)
                .into_iter()
                .map(|phrasing| (similarity(&text, &phrasing.to_lowercase()), phrasing))
                .max_by(|a, b| a.0.total_cmp(&b.0))?;
            let keyword = if d.kinds.contains(&step.ty) { step.keyword.trim() } else { nearest_kind(d.kinds) };
            Some((best.0, format!("`{keyword} {}`", best.1)))
        })
        .filter(|(score, _)| *score >= MIN_SIMILARITY)
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.dedup_by(|a, b| a.1 == b.1);
    let best = ranked.first().map_or(1.0, |(score, _)| *score);
    let offered: Vec<String> = ranked
        .into_iter()
        .take_while(|(score, _)| best - score <= NEAR_BEST)
        .take(MAX_SUGGESTIONS)
        .map(|(_, phrasing)| phrasing)
        .collect();
    match offered.as_slice() {
        [] => "no known step reads like it: start from a bundled feature (`scimsim features` lists them), \
               whose steps show the step language"
            .to_string(),
        [one] => format!("did you mean {one}?"),
        several => format!("did you mean one of {}?", several.join(", ")),
    }
}

/// How alike two texts are: 1 minus their edit distance over the longer one's length.
fn similarity(a: &str, b: &str) -> f64 {
    let longest = a.chars().count().max(b.chars().count()).max(1);
    // Lengths of step texts are far below f64's exact integer range.
    1.0 - edit_distance(a, b) as f64 / longest as f64
}

/// The keyword to suggest for a definition of `kinds`: the last, as the one nearest to a
/// Then step that used it (`When` for an event that may also be a Given).
fn nearest_kind(kinds: &[StepType]) -> &'static str {
    kinds.last().map_or("Given", |kind| kind_name(*kind))
}

/// `Given`, `When` or `Then`.
fn kind_name(kind: StepType) -> &'static str {
    match kind {
        StepType::Given => "Given",
        StepType::When => "When",
        StepType::Then => "Then",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bdd::feature_source::FeatureSource;

    /// The problems `text`'s steps have.
    fn problems(text: &str) -> Vec<StepProblem> {
        let feature = FeatureSource { path: "f.feature".into(), text: text.to_string().into() }.parse().unwrap();
        match check(&[feature]) {
            Ok(()) => Vec::new(),
            Err(BddError::Steps { problems }) => problems,
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn known_steps_pass_and_and_takes_the_kind_above_it() {
        let text = "Feature: f\n  Background:\n    Given an Okta org\n  Scenario: s\n    Given the user \"a\" with:\n      | attribute | value |\n      | login | a@b |\n    And \"a\" is assigned to the app\n    When \"a\" is disabled\n    And \"a\" is reactivated\n    Then the IdP sent nothing\n    And the target has no user \"a\"\n";
        assert_eq!(problems(text), []);
    }

    #[test]
    fn every_unknown_step_is_listed_with_its_line_and_the_closest_phrasing() {
        let text = "Feature: f\n  Background:\n    Given an Okta orgg\n  Scenario: s\n    When the moon is full\n    Then the target has user \"alice\" inactive\n  Scenario Outline: o\n    When the provisoning cycle runs <n> times\n    Examples:\n      | n |\n      | 1 |\n      | 2 |\n";
        let found = problems(text);
        let lines: Vec<usize> = found.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 5, 6, 8], "{found:#?}");
        assert!(found[0].fix.contains("`Given an Okta org`"), "{}", found[0].fix);
        assert!(found[1].fix.starts_with("no known step reads like it"), "{}", found[1].fix);
        assert_eq!(found[2].step, "Then the target has user \"alice\" inactive");
        assert!(found[2].fix.contains("`Then the target has the user \"…\" inactive`"), "{}", found[2].fix);
        assert!(found[3].fix.contains("`When the provisioning cycle runs`"), "{}", found[3].fix);
        let report = StepProblem::report(&found);
        assert!(report.starts_with("4 steps of the selected scenarios cannot run as written"), "{report}");
        assert!(
            report.contains("\n  f.feature:5: When the moon is full\n    matches no step definition; "),
            "{report}"
        );
    }

    #[test]
    fn a_step_under_the_wrong_keyword_is_told_which_one_it_needs() {
        let text = "Feature: f\n  Scenario: s\n    Given an Okta org\n    Then the IdP sent nothing\n    And \"alice\" is disabled\n";
        let found = problems(text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].line, 5);
        assert_eq!(found[0].problem, "this phrasing is a When step, but here `And` continues the Then steps above it");
        assert_eq!(found[0].fix, "write `When \"alice\" is disabled`");
        let text = "Feature: f\n  Scenario: s\n    Given an Entra ID tenant\n    Then the provisioning cycle runs\n";
        let found = problems(text);
        assert_eq!(found[0].problem, "this phrasing is a Given or When step, but here it is a Then step");
        assert_eq!(found[0].fix, "write `When the provisioning cycle runs`");
    }

    #[test]
    fn a_step_that_two_definitions_match_is_ambiguous() {
        // No two of scimsim's definitions overlap (steps::tests), so two made-up ones do.
        let definition =
            |pattern: &'static str| Definition { kinds: steps::GIVEN, pattern, regex: Regex::new(pattern).unwrap() };
        let definitions = [definition("^a (.+)$"), definition("^(.+) step$")];
        let feature =
            FeatureSource { path: "f.feature".into(), text: "Feature: f\n  Scenario: s\n    Given a step\n".into() }
                .parse()
                .unwrap();
        let step = &feature.scenarios[0].steps[0];
        let problem = judge(&definitions, step, Path::new("f.feature")).expect("two definitions match");
        assert_eq!(problem.problem, r#"matches 2 step definitions ("^a (.+)$", "^(.+) step$")"#);
        assert!(problem.fix.starts_with("reword it so that one matches"), "{}", problem.fix);
    }

    #[test]
    fn steps_of_scenarios_left_out_are_not_checked() {
        let mut feature = FeatureSource {
            path: "f.feature".into(),
            text: "Feature: f\n  Background:\n    Given nonsense\n  Scenario: s\n    Given more nonsense\n".into(),
        }
        .parse()
        .unwrap();
        feature.scenarios.clear();
        assert!(check(&[feature]).is_ok());
    }

    #[test]
    fn similarity_is_one_for_the_same_text() {
        assert!((similarity("abc", "abc") - 1.0).abs() < f64::EPSILON);
        assert!(similarity("the provisoning cycle runs", "the provisioning cycle runs") > 0.9);
        assert!(similarity("the moon is full", "force sync runs") < MIN_SIMILARITY);
    }
}
