//! Bad input, as a user gives it to the `scimsim` binary: each is refused with a message that
//! names the file and line (where there is one), says how to fix it, and exits with the code
//! DESIGN.md gives it, without a panic.
//!
//! - schema files: 2.

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
