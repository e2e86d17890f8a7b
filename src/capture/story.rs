//! The story behind a recording, in scimsim's step language: which IdP, which users and
//! groups, and what happened to them. `scimsim diff` plays it through scimsim's engines and
//! `--emit-feature` writes it as a feature file, so a capture becomes a regression scenario.

use std::fmt::Write as _;

/// The Gherkin keyword a step needs: some phrasings exist only as `Given`, some only as
/// `When` (DESIGN.md "Step language").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Set-up.
    Given,
    /// An event.
    When,
}

/// One step, with the attribute table a `the user … with:` step carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryStep {
    /// `Given` or `When`.
    pub kind: StepKind,
    /// The step's text after the keyword.
    pub text: String,
    /// `| attribute | value |` rows, empty for most steps.
    pub table: Vec<(String, String)>,
}

impl StoryStep {
    /// A step without a table.
    pub fn new(kind: StepKind, text: impl Into<String>) -> Self {
        Self { kind, text: text.into(), table: Vec::new() }
    }
}

/// An inferred story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// `entra` or `okta`: the feature's tag.
    pub idp: String,
    /// The scenario's name.
    pub name: String,
    /// Lines of comment put above the feature: where the story came from, what could not be
    /// inferred.
    pub comments: Vec<String>,
    /// The steps, in order.
    pub steps: Vec<StoryStep>,
}

impl Story {
    /// The story as a feature file: one scenario, `Given`/`When` where the kind changes and
    /// `And` otherwise, tables aligned.
    pub fn to_feature(&self) -> String {
        let mut text = String::new();
        for comment in &self.comments {
            let _ = writeln!(text, "# {comment}");
        }
        let _ = writeln!(text, "@{}\nFeature: recorded {} traffic\n", self.idp, self.idp);
        let _ = writeln!(text, "  Scenario: {}", self.name);
        let mut previous = None;
        for step in &self.steps {
            let keyword = match (previous, step.kind) {
                (Some(kind), now) if kind == now => "And",
                (_, StepKind::Given) => "Given",
                (_, StepKind::When) => "When",
            };
            previous = Some(step.kind);
            let _ = writeln!(text, "    {keyword} {}", step.text);
            if !step.table.is_empty() {
                let rows: Vec<(String, String)> = std::iter::once(("attribute".to_string(), "value".to_string()))
                    .chain(step.table.iter().map(|(a, v)| (cell(a), cell(v))))
                    .collect();
                let width =
                    |f: fn(&(String, String)) -> &String| rows.iter().map(|r| f(r).chars().count()).max().unwrap_or(0);
                let (left, right) = (width(|r| &r.0), width(|r| &r.1));
                for (attribute, value) in &rows {
                    let _ = writeln!(text, "      | {attribute:<left$} | {value:<right$} |");
                }
            }
        }
        text
    }
}

/// A table cell: `|` and `\` escaped as Gherkin wants.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace('\n', "\\n")
}

/// `text` as a quoted step argument: a `"` cannot be written inside one, so it is refused by
/// the inference before it gets here.
pub fn quote(text: &str) -> String {
    format!("\"{text}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_renders_as_a_feature_with_aligned_tables() {
        let story = Story {
            idp: "entra".into(),
            name: "recording".into(),
            comments: vec!["Inferred by scimsim diff".into()],
            steps: vec![
                StoryStep::new(StepKind::Given, "an Entra ID tenant"),
                StoryStep {
                    kind: StepKind::Given,
                    text: "the user \"alice\" with:".into(),
                    table: vec![
                        ("userPrincipalName".into(), "alice@contoso.com".into()),
                        ("department".into(), "R|D".into()),
                    ],
                },
                StoryStep::new(StepKind::When, "the provisioning cycle runs"),
                StoryStep::new(StepKind::When, "\"alice\" is disabled"),
            ],
        };
        assert_eq!(
            story.to_feature(),
            "# Inferred by scimsim diff\n@entra\nFeature: recorded entra traffic\n\n  Scenario: recording\n    \
             Given an Entra ID tenant\n    And the user \"alice\" with:\n      \
             | attribute         | value             |\n      \
             | userPrincipalName | alice@contoso.com |\n      \
             | department        | R\\|D              |\n    \
             When the provisioning cycle runs\n    And \"alice\" is disabled\n"
        );
    }
}
