//! The shape a feature file must have, checked line by line before gherkin reads it, for the
//! mistakes gherkin lets through silently or reports without saying what is wrong:
//!
//! - a table row with more cells than the table's first row loses the extra cells; one with
//!   fewer is reported at the end of the file;
//! - a step directly under `Feature:`, or a misspelled keyword (`Scenaro:`), becomes
//!   description text, so its steps never run;
//! - a doc string never closed, a doc string line left of its opening `"""`, an empty file,
//!   text where a step belongs.
//!
//! Only English keywords are known: a file whose `# language:` directive names another
//! language is left to gherkin.

use std::path::Path;

use crate::scim::edit_distance;

use super::error::BddError;

/// The keywords that open a block, by the block they open (gherkin's English list).
const SECTIONS: [(&str, Block); 11] = [
    ("Feature", Block::Feature),
    ("Business Need", Block::Feature),
    ("Ability", Block::Feature),
    ("Rule", Block::Rule),
    ("Background", Block::Steps),
    ("Scenario", Block::Steps),
    ("Example", Block::Steps),
    ("Scenario Outline", Block::Steps),
    ("Scenario Template", Block::Steps),
    ("Examples", Block::Examples),
    ("Scenarios", Block::Examples),
];

/// The keywords that start a step, with the space that follows them.
const STEP_KEYWORDS: [&str; 6] = ["Given ", "When ", "Then ", "And ", "But ", "* "];

/// The fix for text that is neither a step nor a keyword.
const STEP_FIX: &str = "a step starts with Given, When, Then, And or But; a table row starts and ends with |";

/// Where in the file a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    /// Before `Feature:`.
    Start,
    /// Under `Feature:`, before its first scenario or rule: description text.
    Feature,
    /// Under `Rule:`, before its first scenario: description text.
    Rule,
    /// Under `Scenario:`, `Scenario Outline:` or `Background:`.
    Steps,
    /// Under `Examples:`.
    Examples,
}

/// What one line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line<'a> {
    /// Blank, or a comment.
    Nothing,
    /// `@tag @other`.
    Tags,
    /// `"""` or ```` ``` ````, opening or closing a doc string.
    DocString(&'a str),
    /// `| a | b |`.
    TableRow,
    /// `Scenario: …` and the other block keywords.
    Section(&'a str, Block),
    /// `Given …` and the other step keywords.
    Step,
    /// Anything else: description text, or a mistake.
    Text,
}

impl<'a> Line<'a> {
    fn of(trimmed: &'a str) -> Self {
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return Self::Nothing;
        }
        if trimmed.starts_with('@') {
            return Self::Tags;
        }
        if let Some(delimiter) = ["\"\"\"", "```"].into_iter().find(|d| trimmed.starts_with(d)) {
            return Self::DocString(delimiter);
        }
        if trimmed.starts_with('|') {
            return Self::TableRow;
        }
        let section = SECTIONS
            .iter()
            .find(|(keyword, _)| trimmed.strip_prefix(keyword).is_some_and(|rest| rest.starts_with(':')));
        if let Some((keyword, block)) = section {
            return Self::Section(keyword, *block);
        }
        if STEP_KEYWORDS.iter().any(|keyword| trimmed.starts_with(keyword)) {
            return Self::Step;
        }
        Self::Text
    }
}

/// A problem on one line: what is wrong and how to fix it.
struct Problem {
    line: usize,
    problem: String,
    fix: String,
}

impl Problem {
    fn new(line: usize, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        Self { line, problem: problem.into(), fix: fix.into() }
    }
}

/// Checks the layout of the feature file `path` holding `text`; the first problem is a
/// [`BddError::Parse`] with its line and fix.
pub(crate) fn check(path: &Path, text: &str) -> Result<(), BddError> {
    layout(text).map_err(|p| BddError::Parse {
        path: path.to_path_buf(),
        line: p.line,
        column: None,
        problem: p.problem,
        fix: p.fix,
    })
}

fn layout(text: &str) -> Result<(), Problem> {
    if other_language(text) {
        return Ok(());
    }
    let mut block = Block::Start;
    // The block has a step or an Examples table: text is no longer description.
    let mut started = false;
    // The line before (blank lines and comments aside) was a step, so a table or a doc
    // string may follow.
    let mut after_step = false;
    // The table being read: the line of its first row and its cell count.
    let mut table: Option<(usize, usize)> = None;
    // The doc string being read: its opening line, column and delimiter.
    let mut doc_string: Option<(usize, usize, &str)> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = raw.trim_start();
        let indent = raw.chars().count() - trimmed.chars().count();
        if let Some((opened, column, delimiter)) = doc_string {
            if trimmed.starts_with(delimiter) {
                doc_string = None;
            } else if !trimmed.is_empty() && indent < column {
                return Err(Problem::new(
                    number,
                    format!("this doc string line starts left of the {delimiter} that opens it (line {opened})"),
                    format!("indent every line of a doc string at least as far as its opening {delimiter}"),
                ));
            }
            continue;
        }
        let line = Line::of(trimmed);
        if !matches!(line, Line::Nothing | Line::TableRow) {
            table = None;
        }
        match line {
            Line::Nothing => continue,
            Line::Tags => {}
            Line::DocString(delimiter) => {
                if !after_step {
                    return Err(Problem::new(
                        number,
                        format!("a doc string ({delimiter}) that follows no step"),
                        "put a doc string right under the step it belongs to",
                    ));
                }
                doc_string = Some((number, indent, delimiter));
                continue;
            }
            Line::TableRow => {
                if !(after_step || table.is_some() || block == Block::Examples) {
                    return Err(Problem::new(
                        number,
                        "a table row that follows no step and no Examples:",
                        "put a table right under the step or the Examples: it belongs to",
                    ));
                }
                let cells = table_cells(trimmed)
                    .map_err(|problem| Problem::new(number, problem, "end every table row with |"))?;
                match table {
                    Some((first, expected)) if cells != expected => {
                        return Err(Problem::new(
                            number,
                            format!(
                                "this table row has {}, the table's first row (line {first}) has {expected}",
                                cells_count(cells)
                            ),
                            "give every row the same cells as the first; write \\| for a | inside a value",
                        ));
                    }
                    Some(_) => {}
                    None => table = Some((number, cells)),
                }
                started = true;
                continue;
            }
            Line::Section(keyword, next) => {
                if next == Block::Feature && block != Block::Start {
                    return Err(Problem::new(
                        number,
                        format!("a second `{keyword}:`"),
                        "a file holds one feature; move this one to a file of its own",
                    ));
                }
                if next != Block::Feature && block == Block::Start {
                    return Err(Problem::new(
                        number,
                        format!("`{keyword}:` before `Feature:`"),
                        "start the file with `Feature: <name>`, then the scenarios under it",
                    ));
                }
                block = next;
                started = false;
            }
            Line::Step => match block {
                Block::Steps => started = true,
                // `* ` is a step keyword too, but under a feature it is far likelier a bullet
                // of the description, and gherkin reads it as one.
                Block::Feature | Block::Rule if trimmed.starts_with("* ") => {}
                Block::Start | Block::Feature | Block::Rule => {
                    return Err(Problem::new(
                        number,
                        "a step outside any scenario (gherkin would take it for description text)",
                        "put steps under `Scenario: <name>`, or under `Background:` to run them before every scenario",
                    ));
                }
                Block::Examples => {
                    return Err(Problem::new(
                        number,
                        "a step under `Examples:`",
                        "steps go above the Examples of their Scenario Outline",
                    ));
                }
            },
            Line::Text => {
                if let Some(keyword) = misspelled_keyword(trimmed) {
                    return Err(Problem::new(
                        number,
                        format!("{:?} is not a Gherkin keyword", trimmed.split(':').next().unwrap_or_default()),
                        format!("did you mean `{keyword}:`? (keywords are case-sensitive)"),
                    ));
                }
                if block == Block::Start {
                    return Err(Problem::new(
                        number,
                        "text before `Feature:`",
                        "start the file with `Feature: <name>` (only comments, tags and `# language:` may come before it)",
                    ));
                }
                if started {
                    return Err(Problem::new(number, format!("{trimmed:?} is not a step"), STEP_FIX));
                }
            }
        }
        after_step = line == Line::Step;
    }
    if let Some((opened, _, delimiter)) = doc_string {
        return Err(Problem::new(
            opened,
            "the doc string opened here is never closed",
            format!("end it with a line holding only {delimiter}"),
        ));
    }
    if block == Block::Start {
        let what = if text.trim().is_empty() { "the file is empty" } else { "the file holds only comments and tags" };
        return Err(Problem::new(
            1,
            what,
            "a feature file starts with `Feature: <name>` and holds scenarios: `Scenario: <name>` followed by its steps",
        ));
    }
    Ok(())
}

/// A `# language:` directive naming a language other than English.
fn other_language(text: &str) -> bool {
    text.lines().take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#')).any(|l| {
        let comment = l.trim_start().trim_start_matches('#').trim_start();
        comment.strip_prefix("language").and_then(|rest| rest.trim_start().strip_prefix(':')).is_some_and(|lang| {
            let lang = lang.trim();
            !lang.eq_ignore_ascii_case("en")
        })
    })
}

/// The cells of a table row (`| a | b |` has 2), or why it is not a row. `\|` is a `|`
/// inside a cell.
fn table_cells(row: &str) -> Result<usize, &'static str> {
    let row = row.trim_end();
    let mut pipes = 0;
    let mut ends_with_pipe = false;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        ends_with_pipe = c == '|';
        match c {
            '\\' => {
                chars.next();
            }
            '|' => pipes += 1,
            _ => {}
        }
    }
    if !ends_with_pipe {
        return Err("this table row does not end with |");
    }
    Ok(pipes - 1)
}

/// `1 cell`, `3 cells`.
fn cells_count(cells: usize) -> String {
    if cells == 1 { "1 cell".into() } else { format!("{cells} cells") }
}

/// The block keyword `line` misspells (`Scenaro: …`, `scenario: …`), if it reads like one:
/// one or two words and a colon, within one edit of a keyword (two for the long ones).
fn misspelled_keyword(line: &str) -> Option<&'static str> {
    let (head, _) = line.split_once(':')?;
    let words = head.split(' ').count();
    if words > 2 || !head.chars().all(|c| c.is_alphabetic() || c == ' ') {
        return None;
    }
    let head = head.to_lowercase();
    SECTIONS.iter().map(|(keyword, _)| *keyword).find(|keyword| {
        let allowed = match keyword.len() {
            0..6 => 0,
            6..10 => 1,
            _ => 2,
        };
        edit_distance(&head, &keyword.to_lowercase()) <= allowed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line and problem of `text`'s first layout problem.
    fn problem(text: &str) -> (usize, String) {
        let problem = layout(text).err().unwrap_or_else(|| panic!("no problem found in:\n{text}"));
        (problem.line, problem.problem)
    }

    #[test]
    fn a_well_formed_feature_passes() {
        let text = "# comment\n@tag\nFeature: f\n  Text about it.\n\n  Background:\n    Given a\n\n  Rule: r\n  \
                    Scenario Outline: s <n>\n    Given the user \"x\" with:\n      | a | b \\| c |\n      # note\n      | 1 | 2 |\n    \
                    Then the body includes:\n      \"\"\"\n      {\"a\": 1}\n        nested\n      \"\"\"\n    Examples:\n      | n |\n      | 1 |\n";
        assert!(layout(text).is_ok());
    }

    #[test]
    fn tables_with_rows_of_other_sizes_are_refused_at_the_row() {
        let text = "Feature: f\n  Scenario: s\n    Given x:\n      | a | b |\n      | 1 | 2 | 3 |\n";
        assert_eq!(problem(text), (5, "this table row has 3 cells, the table's first row (line 4) has 2".into()));
        let text = "Feature: f\n  Scenario: s\n    Given x:\n      | a | b |\n      | 1 |\n";
        assert_eq!(problem(text), (5, "this table row has 1 cell, the table's first row (line 4) has 2".into()));
        let text = "Feature: f\n  Scenario: s\n    Given x:\n      | a | b\n";
        assert_eq!(problem(text), (4, "this table row does not end with |".into()));
    }

    #[test]
    fn doc_strings_must_close_and_stay_right_of_their_opening() {
        let text = "Feature: f\n  Scenario: s\n    Given x:\n      \"\"\"\n      {}\n";
        assert_eq!(problem(text), (4, "the doc string opened here is never closed".into()));
        let text = "Feature: f\n  Scenario: s\n    Given x:\n      \"\"\"\n  {}\n      \"\"\"\n";
        assert_eq!(problem(text).0, 5);
        let text = "Feature: f\n  Scenario: s\n    \"\"\"\n    x\n    \"\"\"\n";
        assert_eq!(problem(text).0, 3);
    }

    #[test]
    fn steps_and_text_out_of_place_are_refused() {
        assert_eq!(problem("Feature: f\n  Given a step\n  Scenario: s\n").0, 2);
        assert_eq!(problem("Scenario: s\n  Given a step\n"), (1, "`Scenario:` before `Feature:`".into()));
        assert_eq!(
            problem("Feature: f\n  Scenario: s\n    Given a\n    Giv b\n"),
            (4, "\"Giv b\" is not a step".into())
        );
        assert_eq!(problem("Feature: f\n  Scenaro: s\n    Given a\n").0, 2);
        assert_eq!(problem("Feature: f\n  scenario: s\n").0, 2);
        assert_eq!(problem("Feature: f\nFeature: g\n").0, 2);
        assert_eq!(problem("hello\nFeature: f\n").0, 1);
    }

    #[test]
    fn descriptions_may_say_anything_that_is_not_a_keyword() {
        assert!(layout("Feature: f\n  Note: Rules: apply. The admin edits it.\n  Scenario: s\n    Given a\n").is_ok());
        assert!(
            layout("Feature: f\n  What it covers:\n  * creates\n  * updates\n  Scenario: s\n    Given a\n").is_ok()
        );
    }

    #[test]
    fn empty_files_and_other_languages() {
        assert_eq!(problem(""), (1, "the file is empty".into()));
        assert_eq!(problem("# only a comment\n"), (1, "the file holds only comments and tags".into()));
        assert!(layout("# language: fr\nFonctionnalité: f\n").is_ok());
        assert!(layout("# language: en\nFeature: f\n").is_ok());
    }
}
