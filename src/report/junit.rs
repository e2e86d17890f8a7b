//! junit.xml: the run as test results CI systems already display (GitLab's test report,
//! Jenkins' JUnit plugin, GitHub test-reporter actions).
//!
//! One `<testsuite>` per IdP, because the verdict is per IdP and CI systems show suites as the
//! top-level grouping. In it, one `<testcase>` per scenario (classname `<idp>.<feature>`, so
//! Jenkins shows the IdP as the package and the feature as the class) and one per check that
//! failed in that IdP's scenarios (classname `checks.<severity>`), whose `<failure>` lists the
//! clause and that IdP's evidence. Passed and not applicable checks are not test cases: the
//! HTML report and report.json list them.

use std::fmt::Write as _;

use crate::checks::{CheckVerdict, Severity, Status};

use super::escaped::Escaped;
use super::run_report::{RunReport, ScenarioResult};

/// `report` as a JUnit XML document (UTF-8, with an XML declaration).
pub fn to_junit(report: &RunReport) -> String {
    let suites: Vec<Suite<'_>> = suite_idps(report).into_iter().map(|idp| Suite::of(report, idp)).collect();
    let tests: usize = suites.iter().map(Suite::tests).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"scimsim\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{:.3}\">",
        report.run.duration_ms as f64 / 1_000.0
    );
    for suite in &suites {
        suite.write(&mut out, report);
    }
    out.push_str("</testsuites>\n");
    out
}

/// The IdPs of the verdicts in their order, then any a scenario names that has no verdict, then
/// `None` when a scenario failed before choosing an IdP: every scenario lands in one suite.
fn suite_idps(report: &RunReport) -> Vec<Option<&str>> {
    let mut idps: Vec<Option<&str>> = report.verdicts.iter().map(|v| Some(v.idp.as_str())).collect();
    for scenario in &report.scenarios {
        let idp = scenario.idp.as_deref();
        if !idps.contains(&idp) {
            idps.push(idp);
        }
    }
    idps
}

/// One IdP's test cases.
struct Suite<'a> {
    idp: Option<&'a str>,
    scenarios: Vec<&'a ScenarioResult>,
    failed_checks: Vec<&'a CheckVerdict>,
}

impl<'a> Suite<'a> {
    fn of(report: &'a RunReport, idp: Option<&'a str>) -> Self {
        let scenarios = report.scenarios.iter().filter(|s| s.idp.as_deref() == idp).collect();
        let failed_checks = match idp {
            Some(idp) => report.checks.iter().filter(|c| c.status_for(idp) == Status::Fail).collect(),
            None => Vec::new(),
        };
        Self { idp, scenarios, failed_checks }
    }

    fn tests(&self) -> usize {
        self.scenarios.len() + self.failed_checks.len()
    }

    fn failures(&self) -> usize {
        self.scenarios.iter().filter(|s| !s.passed).count() + self.failed_checks.len()
    }

    fn write(&self, out: &mut String, report: &RunReport) {
        let name = self.idp.unwrap_or("no IdP");
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            Escaped(name),
            self.tests(),
            self.failures()
        );
        self.write_properties(out, report);
        for scenario in &self.scenarios {
            let stem = scenario.feature.rsplit('/').next().unwrap_or(&scenario.feature).trim_end_matches(".feature");
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}.{}\" file=\"{}\"",
                Escaped(&scenario.name),
                Escaped(name),
                Escaped(stem),
                Escaped(&scenario.feature)
            );
            if scenario.passed {
                out.push_str("/>\n");
            } else {
                let failure = scenario.failure.as_deref().unwrap_or("the scenario failed");
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{0}\" type=\"scenario\">{0}</failure>\n    </testcase>",
                    Escaped(failure)
                );
            }
        }
        if let Some(idp) = self.idp {
            for check in &self.failed_checks {
                write_check(out, check, idp);
            }
        }
        out.push_str("  </testsuite>\n");
    }

    /// What CI systems show next to the suite: the target, the dialects and the verdict line.
    fn write_properties(&self, out: &mut String, report: &RunReport) {
        let Some(idp) = self.idp else { return };
        let mut properties = vec![("target", report.run.target.clone())];
        if let Some(dialects) = report.run.idps.get(idp) {
            properties.push(("dialects", dialects.join(", ")));
        }
        if let Some(verdict) = report.verdicts.iter().find(|v| v.idp == idp) {
            properties.push(("verdict", verdict.line()));
        }
        out.push_str("    <properties>\n");
        for (name, value) in properties {
            let _ = writeln!(out, "      <property name=\"{name}\" value=\"{}\"/>", Escaped(&value));
        }
        out.push_str("    </properties>\n");
    }
}

/// A failed check as a test case of `idp`'s suite, with `idp`'s evidence only.
fn write_check(out: &mut String, check: &CheckVerdict, idp: &str) {
    let evidence: Vec<_> = check.evidence.iter().filter(|e| e.scenario.idp == idp).collect();
    let failed = check.by_idp.get(idp).map_or(0, |t| t.failed);
    let message = evidence.first().map_or_else(|| format!("failed on {failed} exchanges"), |e| e.message.clone());
    let mut details = format!("{} {}\n", check.source, check.source.url);
    for item in &evidence {
        let _ = writeln!(details, "{item}");
    }
    if failed > evidence.len() {
        let _ = writeln!(details, "… and {} more failures not kept as evidence", failed - evidence.len());
    }
    let _ = writeln!(
        out,
        "    <testcase name=\"{}: {}\" classname=\"checks.{}\">\n      \
         <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
        Escaped(check.id),
        Escaped(check.title),
        severity_slug(check.severity),
        Escaped(&message),
        Escaped(check.severity.label()),
        Escaped(&details)
    );
}

/// The severity as a classname segment: `must`, `entra_requires`.
fn severity_slug(severity: Severity) -> String {
    severity.label().to_lowercase().replace(' ', "_")
}

#[cfg(test)]
mod tests {
    use super::super::sample::sample_report;
    use super::*;

    /// The value of `attribute` in the first element that starts with `open` (`<testsuite name="okta"`).
    fn attribute<'x>(xml: &'x str, open: &str, attribute: &str) -> &'x str {
        let start = xml.find(open).unwrap_or_else(|| panic!("no {open} in {xml}"));
        let element = &xml[start..start + xml[start..].find('>').unwrap()];
        let key = format!(" {attribute}=\"");
        let at = element.find(&key).unwrap_or_else(|| panic!("no {attribute} in {element}")) + key.len();
        &element[at..at + element[at..].find('"').unwrap()]
    }

    #[test]
    fn counts_match_the_test_cases() {
        let xml = to_junit(&sample_report());
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"scimsim\""));
        // Entra: 2 scenarios (1 failed), 4 failed checks; Okta: 2 scenarios, 1 failed check.
        assert_eq!(attribute(&xml, "<testsuite name=\"entra\"", "tests"), "6");
        assert_eq!(attribute(&xml, "<testsuite name=\"entra\"", "failures"), "5");
        assert_eq!(attribute(&xml, "<testsuite name=\"okta\"", "tests"), "3");
        assert_eq!(attribute(&xml, "<testsuite name=\"okta\"", "failures"), "1");
        assert_eq!(attribute(&xml, "<testsuites", "tests"), "9");
        assert_eq!(attribute(&xml, "<testsuites", "failures"), "6");
        assert_eq!(attribute(&xml, "<testsuites", "time"), "4.321");
        assert_eq!(xml.matches("<testcase ").count(), 9);
        assert_eq!(xml.matches("<failure ").count(), 6);
        assert_eq!(xml.matches("<testsuite ").count(), 2);
        assert!(
            !xml.contains("OKTA-FILTER-EQ") && !xml.contains("USR-CREATE-201"),
            "only failed checks are test cases"
        );
        assert!(xml.ends_with("</testsuites>\n"));
    }

    #[test]
    fn a_failed_check_names_its_clause_and_its_idps_evidence() {
        let xml = to_junit(&sample_report());
        let okta = &xml[xml.find("<testsuite name=\"okta\"").unwrap()..];
        assert_eq!(
            attribute(okta, "<testcase name=\"USR-CREATE-LOCATION", "classname"),
            "checks.should",
            "one test case per IdP it failed for"
        );
        assert_eq!(attribute(okta, "<failure message=\"POST", "type"), "SHOULD");
        assert!(okta.contains(
            "RFC 7644 §3.1 https://www.rfc-editor.org/rfc/rfc7644#section-3.1\n\
             features/okta/assign_and_create.feature › A user the app does not hold is created after the \
             existence check (okta), seq 2: POST /Users answered 201 without a Location header\n</failure>"
        ));
        assert!(!okta.contains("(entra)"), "Okta's suite shows Okta's evidence only");
        assert_eq!(attribute(&xml, "<testcase name=\"ENTRA-ANSWERED", "classname"), "checks.entra_requires");
        assert!(xml.contains("<property name=\"verdict\" value=\"Okta: compatible\"/>"));
    }

    #[test]
    fn markup_in_messages_is_escaped() {
        let mut report = sample_report();
        report.scenarios[1].failure = Some("expected <&\"'> got </failure>".to_string());
        let xml = to_junit(&report);
        assert!(xml.contains(
            "<failure message=\"expected &lt;&amp;&quot;&#39;&gt; got &lt;/failure&gt;\" type=\"scenario\">\
             expected &lt;&amp;&quot;&#39;&gt; got &lt;/failure&gt;</failure>"
        ));
    }
}
