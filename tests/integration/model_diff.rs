//! `scimsim diff`: the recordings in fixtures/recordings (the reference documents' request
//! examples against the embedded server) tell stories scimsim's engines retell request for
//! request; an altered recording is reported as exactly the alteration; the inferred story is
//! a feature file `scimsim run` plays.

use crate::process::{TempDir, run};

/// The recordings of fixtures/recordings, by name.
pub(crate) const RECORDINGS: [&str; 4] =
    ["entra-legacy-user", "entra-aadoptscim062020-groups", "okta-oin-user", "okta-group-push"];

/// The path of the recording `name` in fixtures/recordings.
pub(crate) fn fixture(name: &str) -> String {
    format!("{}/fixtures/recordings/{name}.jsonl", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_documented_recording_is_what_scimsim_sends() {
    for name in RECORDINGS {
        let outcome = run(&["diff", &fixture(name)]);
        assert_eq!(outcome.code, Some(0), "{name}: {outcome:?}");
        assert!(
            outcome.stdout.contains("no differences: scimsim sends what was recorded"),
            "{name}: {}",
            outcome.stdout
        );
        assert!(
            !outcome.stdout.contains("not in the story"),
            "{name}: every request is part of the story: {}",
            outcome.stdout
        );
    }
}

#[test]
fn a_replace_turned_lower_case_is_exactly_that_difference() {
    let recording = std::fs::read_to_string(fixture("entra-legacy-user")).unwrap();
    let disable = r#""op": "Replace", "path": "active", "value": "False""#;
    assert_eq!(recording.matches(disable).count(), 1, "the fixture disables the user once");
    let dir = TempDir::new("diff-altered");
    let altered = dir
        .write("altered.jsonl", &recording.replace(disable, r#""op": "replace", "path": "active", "value": "False""#));
    let outcome = run(&["diff", &altered]);
    assert_eq!(outcome.code, Some(1), "{outcome:?}");
    let differences: Vec<&str> = outcome.stdout.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        differences,
        [concat!(
            r#"#7 PATCH /Users/{user:Test_User_{guid}}: body /Operations/0/op: recorded "replace", scimsim sends "Replace"  "#,
            "[entra-wire.md §2 Legacy default vs aadOptscim062020, side by side]"
        )],
        "{}",
        outcome.stdout
    );
    assert!(outcome.stdout.contains("1 difference between the recording and scimsim's model"), "{}", outcome.stdout);
}

#[test]
fn the_inferred_story_is_a_feature_scimsim_runs() {
    let dir = TempDir::new("diff-emit");
    for name in ["entra-aadoptscim062020-groups", "okta-group-push"] {
        let feature = dir.path(&format!("{name}.feature"));
        let outcome = run(&["diff", &fixture(name), "--emit-feature", &feature]);
        assert_eq!(outcome.code, Some(0), "{outcome:?}");
        let text = std::fs::read_to_string(&feature).unwrap();
        let story = if name.starts_with("entra") {
            [
                "Given an Entra ID tenant with the aadOptscim062020 flag",
                "is removed from the group \"displayName\"",
                "the group \"displayName\" is deleted",
            ]
        } else {
            [
                "Given an Okta org",
                "the group \"Test SCIMv2\" is pushed",
                "the group \"Test SCIMv2\" is unlinked, deleting it in the app",
            ]
        };
        for step in story {
            assert!(text.contains(step), "{name}: {step:?} missing from\n{text}");
        }
        let played = run(&["run", &feature]);
        assert_eq!(played.code, Some(0), "{name}: the emitted feature passes: {played:?}");
    }
}

#[test]
fn what_cannot_be_diffed_says_why() {
    let dir = TempDir::new("diff-bad");
    let missing = run(&["diff", &dir.path("nothing.jsonl")]);
    assert_eq!(missing.code, Some(2), "{missing:?}");
    assert!(missing.stderr.contains("cannot open the transcript"), "{}", missing.stderr);
    let broken = dir.write("broken.jsonl", "{\"seq\": 1}\n");
    let outcome = run(&["diff", &broken]);
    assert_eq!(outcome.code, Some(2), "{outcome:?}");
    assert!(outcome.stderr.contains("line 1"), "the bad line is named: {}", outcome.stderr);
    let recording = std::fs::read_to_string(fixture("okta-oin-user")).unwrap();
    // Neither the exchanges' fields nor the headers (no Okta User-Agent, no ADSCIMVersion) say
    // who sent it.
    let anonymous =
        recording.replace("\"idp\": \"okta\"", "\"idp\": \"unknown\"").replace("Okta SCIM Client 1.0.0", "curl/8.5.0");
    let unknown = dir.write("unknown.jsonl", &anonymous);
    let outcome = run(&["diff", &unknown]);
    assert_eq!(outcome.code, Some(2), "{outcome:?}");
    assert!(outcome.stderr.contains("scimsim tells the story of Entra or Okta traffic"), "{}", outcome.stderr);
}
