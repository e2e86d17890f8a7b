//! The report files of the sample report, written where CI looks for them:
//! `<target dir>/report-fixture/{report.json,junit.xml,report.html,summary.txt}`. `.ci/run`
//! then validates report.json against docs/report.schema.json, parses junit.xml, and opens
//! report.html in headless Chromium (`.ci/check-report-files.py`, `.ci/report-in-browser.py`).

use std::fs;
use std::path::PathBuf;

use scimsim::report::{sample_report, summary, to_html, to_json, to_junit};

/// `<target dir>/report-fixture`: the parent of `CARGO_TARGET_TMPDIR` is the target directory,
/// wherever `CARGO_TARGET_DIR` put it.
fn fixture_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().expect("CARGO_TARGET_TMPDIR is inside the target directory").join("report-fixture")
}

#[test]
fn writes_the_sample_report_in_every_format() {
    let report = sample_report();
    let dir = fixture_dir();
    fs::create_dir_all(&dir).unwrap();
    let files = [
        ("report.json", to_json(&report)),
        ("junit.xml", to_junit(&report)),
        ("report.html", to_html(&report)),
        ("summary.txt", summary(&report)),
    ];
    for (name, text) in &files {
        fs::write(dir.join(name), text).unwrap();
        let back = fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(&back, text, "{name} written whole");
    }
    // What the CI scripts rely on: at least one failed check with evidence and a pointer, and
    // the verdict lines they compare the page with.
    let failed = report.checks.iter().filter(|c| c.evidence.iter().any(|e| e.pointer.is_some())).count();
    assert!(failed > 0);
    let html = &files[2].1;
    assert!(html.contains("<details class=\"evidence\">") && html.contains("<mark class=\"offending\">"));
    for verdict in &report.verdicts {
        assert!(html.contains(&format!("id=\"verdict-{}\">{}</h2>", verdict.idp, verdict.line())));
    }
}
