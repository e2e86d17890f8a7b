//! Bad input, as a user gives it to the `scimsim` binary: each is refused with a message that
//! names the file and line (where there is one), says how to fix it, and exits with the code
//! DESIGN.md gives it, without a panic.
//!
//! - malformed feature files: 4; a path that does not exist, or holds no features: 2;
//! - steps that match no step definition: 4, every one listed, before any scenario runs;
//! - bad expressions and attribute paths in steps: their scenario fails, 1;
//! - bad tag expressions, flags and schema files: 2.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt as _;

use super::process::{Outcome, TempDir, path_str, run};

/// Checks the exit code, that nothing panicked, and that the output (stdout and stderr)
/// holds every one of `needles`.
#[track_caller]
fn expect(outcome: &Outcome, code: i32, needles: &[&str]) {
    let output = format!("{}{}", outcome.stdout, outcome.stderr);
    assert_eq!(outcome.code, Some(code), "stdout:\n{}\nstderr:\n{}", outcome.stdout, outcome.stderr);
    assert!(!output.contains("panicked"), "{output}");
    for needle in needles {
        assert!(output.contains(needle), "the output has {needle:?}:\n{output}");
    }
}

// ---------------------------------------------------------------------------------------
// Malformed feature files: exit code 4 at the line, 2 for paths that hold no features
// ---------------------------------------------------------------------------------------

/// A malformed feature file: its text, the line the error names, and words of the fix.
struct Malformed {
    name: &'static str,
    text: &'static str,
    line: usize,
    fix: &'static str,
}

const MALFORMED: &[Malformed] = &[
    Malformed {
        name: "no_feature",
        text: "Scenario: alice is created\n  Given an Okta org\n",
        line: 1,
        fix: "start the file with `Feature: <name>`",
    },
    Malformed {
        name: "extra_cell",
        text: "Feature: f\n  Scenario: s\n    Given an Okta org\n    And the user \"alice\" with:\n      | attribute | value |\n      | login     | alice@example.com | Alice |\n",
        line: 6,
        fix: "give every row the same cells as the first",
    },
    Malformed {
        name: "missing_cell",
        text: "Feature: f\n  Scenario: s\n    Given an Okta org\n    And the user \"alice\" with:\n      | attribute | value |\n      | login     |\n      | email     | alice@example.com |\n",
        line: 6,
        fix: "give every row the same cells as the first",
    },
    Malformed {
        name: "doc_string_left_of_its_quotes",
        text: "Feature: f\n  Scenario: s\n    Given an Okta org\n    Then the last request body includes:\n      \"\"\"\n    {\"userName\": \"alice\"}\n      \"\"\"\n",
        line: 6,
        fix: "indent every line of a doc string at least as far as its opening \"\"\"",
    },
    Malformed {
        name: "doc_string_never_closed",
        text: "Feature: f\n  Scenario: s\n    Given an Okta org\n    Then the last request body includes:\n      \"\"\"\n      {\"userName\": \"alice\"}\n",
        line: 5,
        fix: "end it with a line holding only \"\"\"",
    },
    Malformed { name: "empty", text: "", line: 1, fix: "a feature file starts with `Feature: <name>`" },
    Malformed {
        name: "step_under_feature",
        text: "Feature: f\n  Given an Okta org\n  Scenario: s\n    When the connection is tested\n",
        line: 2,
        fix: "put steps under `Scenario: <name>`",
    },
    Malformed {
        name: "misspelled_keyword",
        text: "Feature: f\n  Scenaro: s\n    Given an Okta org\n",
        line: 2,
        fix: "did you mean `Scenario:`?",
    },
    Malformed {
        name: "not_a_step",
        text: "Feature: f\n  Scenario: s\n    Given an Okta org\n    Wen the connection is tested\n",
        line: 4,
        fix: "a step starts with Given, When, Then, And or But",
    },
    Malformed {
        name: "placeholder_without_column",
        text: "Feature: f\n  Scenario Outline: s\n    Given an Okta org with an <kind> app\n    Examples:\n      | app |\n      | OIN |\n",
        line: 3,
        fix: "add a column `| kind |` to the Examples",
    },
];

#[test]
fn malformed_feature_files_stop_run_and_features_with_the_line_and_the_fix() {
    let dir = TempDir::new("bad-input-malformed");
    for malformed in MALFORMED {
        let file = dir.write(&format!("{}.feature", malformed.name), malformed.text);
        let at_line = format!("{file}:{}:", malformed.line);
        for command in ["run", "features"] {
            expect(&run(&[command, &file]), 4, &[&at_line, malformed.fix]);
        }
    }
}

#[test]
fn a_feature_file_that_is_not_utf8_is_refused_at_its_first_bad_byte() {
    let dir = TempDir::new("bad-input-latin1");
    // "Müller" in Latin-1: the ü is byte 0xfc, on line 2, column 13.
    let file = dir.write_bytes("latin1.feature", b"Feature: f\n  # Owner: M\xfcller\n  Scenario: s\n");
    expect(&run(&["run", &file]), 4, &[&format!("{file}:2:13: byte 0xfc is not UTF-8 text"), "save the file as UTF-8"]);
}

#[test]
fn paths_that_hold_no_features_are_usage_errors() {
    let dir = TempDir::new("bad-input-paths");
    let missing = dir.path("missing.feature");
    expect(&run(&["run", &missing]), 2, &[&format!("{missing}: cannot read it"), "check the path"]);
    std::fs::create_dir(dir.0.join("empty")).unwrap();
    dir.write("empty/notes.txt", "not a feature");
    let empty = dir.path("empty");
    expect(&run(&["features", &empty]), 2, &[&format!("no .feature files in {empty}"), "name feature files"]);
}

#[test]
fn a_feature_file_that_cannot_be_read_is_a_usage_error() {
    let dir = TempDir::new("bad-input-unreadable");
    let file = dir.write("locked.feature", "Feature: f\n  Scenario: s\n    Given an Okta org\n");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    // root reads it anyway: then there is nothing to refuse.
    if std::fs::read(&file).is_ok() {
        return;
    }
    expect(&run(&["run", &file]), 2, &[&format!("{file}: cannot read it"), "make it readable"]);
}

// ---------------------------------------------------------------------------------------
// Unknown steps: every one listed, exit code 4, nothing run
// ---------------------------------------------------------------------------------------

/// A story with three unknown steps (one in its Background), one step under the wrong
/// keyword, and a scenario that would create a user if anything ran.
const UNKNOWN_STEPS: &str = r#"Feature: typos
  Background:
    Given an Okta orgg

  Scenario: a user is created
    Given the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
    When "alice" is assigned to the app
    Then the target has user "alice" active

  Scenario: the moon
    When the moon is full
    Then the IdP sent nothing
    And "alice" is disabled
"#;

#[test]
fn unknown_steps_are_listed_together_with_their_fix_before_anything_runs() {
    let dir = TempDir::new("bad-input-unknown-steps");
    let file = dir.write("typos.feature", UNKNOWN_STEPS);
    let transcripts = dir.path("transcripts");
    let outcome = run(&["run", &file, "--transcript", &transcripts]);
    expect(
        &outcome,
        4,
        &[
            "4 steps of the selected scenarios cannot run as written, so no scenario ran",
            &format!("{file}:3: Given an Okta orgg\n    matches no step definition; did you mean `Given an Okta org`?"),
            &format!("{file}:10: Then the target has user \"alice\" active"),
            "did you mean `Then the target has the user \"…\" active`?",
            &format!("{file}:13: When the moon is full\n    matches no step definition; no known step reads like it"),
            &format!(
                "{file}:15: And \"alice\" is disabled\n    this phrasing is a When step, but here `And` continues \
                 the Then steps above it; write `When \"alice\" is disabled`"
            ),
        ],
    );
    assert!(!outcome.stdout.contains("Scenario"), "no scenario ran:\n{}", outcome.stdout);
    assert!(!std::path::Path::new(&transcripts).exists(), "no scenario sent anything");
}

// ---------------------------------------------------------------------------------------
// Bad expressions and attribute paths in steps: the scenario fails at the step, exit code 1
// ---------------------------------------------------------------------------------------

/// Scenarios whose step arguments do not parse. The pre-flight check reads only wording, so
/// these run, and each fails at its step.
const BAD_ARGUMENTS: &str = r#"Feature: bad arguments
  Scenario: an Entra expression that does not close its parenthesis
    Given an Entra ID tenant
    And the expression mapping "Join(" ", [givenName], [surname]" -> "displayName"

  Scenario: an Entra function that does not exist
    Given an Entra ID tenant
    And the expression mapping "Swtch([department], "x")" -> "displayName"

  Scenario: an Entra function with too few arguments
    Given an Entra ID tenant
    And the expression mapping "Switch([department])" -> "displayName"

  Scenario: an Okta expression cut short
    Given an Okta org
    And the expression mapping "user.firstName + " -> "displayName"

  Scenario: a mapping to a path that is none
    Given an Entra ID tenant
    And the mapping "givenName" -> "name..givenName"

  Scenario: an attribute list entry that is no path
    Given an Entra ID tenant
    And the app's attribute list includes "emails[type eq" of type String

  Scenario: an assertion on a path that is none
    Given an Okta org
    Then the target has the user "alice" with "name..givenName" equal to "Alice"
"#;

#[test]
fn bad_expressions_and_paths_fail_their_scenario_at_the_step_with_the_column_and_the_fix() {
    let dir = TempDir::new("bad-input-arguments");
    let file = dir.write("arguments.feature", BAD_ARGUMENTS);
    let outcome = run(&["run", &file]);
    let entra_functions = "functions-for-customizing-application-data";
    expect(
        &outcome,
        1,
        &[
            // The file and line of each step, the problem with its column, the expression with
            // a caret under that column, the fix.
            &format!(
                "{file}:4: Entra ID refuses the expression mapped to \"displayName\": Join: missing \")\" to close the \
             arguments opened at column 5 (column 33)\n"
            ),
            "    Join(\" \", [givenName], [surname]\n",
            &format!("    {}^\n", " ".repeat(32)),
            "fix the expression at column 33",
            entra_functions,
            &format!(
                "{file}:8: Entra ID refuses the expression mapped to \"displayName\": unknown function \"Swtch\" at \
                 column 1 (did you mean \"Switch\"?)"
            ),
            &format!(
                "{file}:12: Entra ID refuses the expression mapped to \"displayName\": Switch: expects an odd number of arguments after the source, got 0 (column 1)"
            ),
            &format!(
                "{file}:16: Okta refuses the expression mapped to \"displayName\": expected a value at the end of \
                 the expression at column 18"
            ),
            "okta-expression-language",
            &format!(
                "{file}:20: \"name..givenName\" is not a SCIM attribute path: \"name..givenName\" goes deeper than \
                 attribute.subAttribute at column 6"
            ),
            "write a SCIM attribute path (RFC 7644 §3.10): userName, name.givenName",
            &format!("{file}:24: \"emails[type eq\" is not a SCIM attribute path"),
            &format!("{file}:28: \"name..givenName\" is not a SCIM attribute path"),
            "0 passed, 7 failed",
        ],
    );
}

#[test]
fn a_step_of_the_other_idp_says_which_idp_it_needs() {
    let dir = TempDir::new("bad-input-other-idp");
    let text = "Feature: f\n  Scenario: Okta's Force Sync in Entra\n    Given an Entra ID tenant\n    When Force Sync runs\n\n  \
                Scenario: Entra's cycle in Okta\n    Given an Okta org\n    When the provisioning cycle runs\n";
    let file = dir.write("other_idp.feature", text);
    expect(
        &run(&["run", &file]),
        1,
        &[
            &format!(
                "{file}:4: this step is Okta's only: it needs a scenario that starts with `Given an Okta org`, and \
                 this one plays Entra ID (`Given an Entra ID tenant`); move it to an Okta scenario"
            ),
            &format!(
                "{file}:8: this step is Entra ID's only: it needs a scenario that starts with `Given an Entra ID tenant`"
            ),
            "0 passed, 2 failed",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Tag expressions and flags: exit code 2
// ---------------------------------------------------------------------------------------

#[test]
fn bad_tag_expressions_show_the_expression_the_column_and_how_to_write_one() {
    let how = "combine tags that start with @ using and, or, not and parentheses, e.g. --tags \"@okta and not";
    let outcome = run(&["features", "--tags", "@a and"]);
    expect(&outcome, 2, &["tag expression \"@a and\": at column 7, expected one of \"(\", \"@\", \"not\"", how]);
    let outcome = run(&["run", "--tags", "(@a"]);
    expect(&outcome, 2, &["tag expression \"(@a\": at column 4, expected one of \")\", \"and\", \"or\";", how]);
}

#[test]
fn bad_flags_are_refused_by_clap_with_exit_code_2() {
    // (An unknown flag to serve and a bad --addr are in cli.rs.)
    expect(&run(&["run", "--no-such-flag"]), 2, &["unexpected argument '--no-such-flag'"]);
    expect(
        &run(&["run", "--concurrency", "zero"]),
        2,
        &["invalid value 'zero' for '--concurrency <N>'", "a whole number such as 4"],
    );
    expect(
        &run(&["certify", "--concurrency", "0"]),
        2,
        &["invalid value '0' for '--concurrency <N>'", "give 1 or more"],
    );
    expect(&run(&["certify", "--idp", "foo"]), 2, &["invalid value 'foo' for '--idp <IDP>'", "entra, okta, all"]);
    expect(
        &run(&["serve", "--token", "a", "--token-env", "B"]),
        2,
        &["the argument '--token <TOKEN>' cannot be used with '--token-env <VAR>'"],
    );
    let version = run(&["--version"]);
    expect(&version, 0, &["scimsim "]);
    assert!(version.stderr.is_empty(), "{}", version.stderr);
}

// ---------------------------------------------------------------------------------------
// Schema files: exit code 2 with the path. cli.rs has a missing file
// (missing_schema_file_is_a_usage_error), invalid JSON with line and column
// (schema_file_with_invalid_json_reports_line_and_column), an id that is no URN and a
// duplicate id; these are the rest.
// ---------------------------------------------------------------------------------------

#[test]
fn a_schema_file_that_is_a_directory_or_cannot_be_read_is_a_usage_error() {
    let dir = TempDir::new("bad-input-schema-dir");
    let schemas = path_str(&dir.0);
    let fix = "name a readable JSON file holding an RFC 7643 §7 schema";
    expect(&run(&["serve", "--schema", &schemas]), 2, &[&format!("cannot read schema file {schemas}: "), fix]);
    let file = dir.write("locked.json", r#"{"id": "urn:example:acme:2.0:User", "attributes": []}"#);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    // root reads it anyway: then there is nothing to refuse.
    if std::fs::read(&file).is_err() {
        expect(&run(&["serve", "--schema", &file]), 2, &[&format!("cannot read schema file {file}: "), fix]);
    }
}

#[test]
fn a_schema_file_without_an_id_says_what_a_schema_holds() {
    let dir = TempDir::new("bad-input-schema-id");
    let file = dir.write("nameless.json", r#"{"name": "Acme", "attributes": []}"#);
    let outcome = run(&["serve", "--schema", &file]);
    expect(&outcome, 2, &[&format!("schema file {file}: line 1, column 34: missing field `id`; "), "\"id\" (its URN)"]);
    assert_eq!(outcome.stderr.matches("missing field").count(), 1, "said once: {}", outcome.stderr);
}
