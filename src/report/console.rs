//! The summary printed after a run: what was run against what, a table of checks by IdP and
//! severity with each IdP's scenarios, the verdict per IdP, and one line per failed check with
//! its first evidence, so the terminal alone says what to fix first.

use std::fmt::Write as _;

use crate::checks::{Severity, Status};

use super::run_report::{RunReport, idp_name};
use super::status_count::StatusCount;

/// The console summary of `report`, plain text ending in a newline:
///
/// ```text
/// scimsim 0.1.0 against https://scim.example.com/scim/v2
/// started 2026-11-22T15:00:00Z, took 4.3 s: entra (legacy), okta (oin)
///
/// IdP    checks          passed  failed  n/a
/// Entra  MUST                 1       2    0
/// Entra  scenarios            1       1
/// …
/// Entra: 2 MUST failures
/// Okta: compatible
///
/// Failed checks:
///   LIST-START-INDEX [MUST] RFC 7644 §3.4.2.4: features/… › … (entra), seq 1: startIndex is 0; …
/// ```
pub fn summary(report: &RunReport) -> String {
    let mut out = String::new();
    let run = &report.run;
    let _ = writeln!(out, "scimsim {} against {}", run.scimsim_version, run.target);
    let _ = write!(out, "started {}, took {}: {}", run.started_at, run.duration_label(), run.idps_label());
    match &run.tags {
        Some(tags) => {
            let _ = writeln!(out, "; tags {tags}");
        }
        None => out.push('\n'),
    }
    out.push('\n');
    write_table(&mut out, report);
    out.push('\n');
    for verdict in &report.verdicts {
        let _ = writeln!(out, "{}", verdict.line());
    }
    let failed: Vec<_> = report.checks.iter().filter(|c| c.status == Status::Fail).collect();
    if !failed.is_empty() {
        out.push_str("\nFailed checks:\n");
        for check in failed {
            let _ = write!(out, "  {} [{}] {}", check.id, check.severity, check.source);
            match check.evidence.first() {
                Some(evidence) => {
                    let _ = writeln!(out, ": {evidence}");
                }
                None => out.push('\n'),
            }
        }
    }
    out
}

/// One row per IdP and severity that has checks (the other IdP's requirements only when they
/// judged something), then the IdP's scenarios; a check's status for an IdP is its status over
/// that IdP's scenarios alone.
fn write_table(out: &mut String, report: &RunReport) {
    let idps: Vec<&str> = report.verdicts.iter().map(|v| v.idp.as_str()).collect();
    let width = idps.iter().map(|idp| idp_name(idp).len()).max().unwrap_or(0).max("IdP".len()) + 2;
    let _ = writeln!(out, "{:<width$}{:<16}{:>6}{:>8}{:>5}", "IdP", "checks", "passed", "failed", "n/a");
    for idp in idps {
        let name = idp_name(idp);
        for severity in Severity::ALL {
            let count: StatusCount =
                report.checks.iter().filter(|c| c.severity == severity).map(|c| c.status_for(idp)).collect();
            // Another IdP's requirement judges that IdP's traffic: a row of only "n/a" is noise.
            let foreign = matches!(severity, Severity::EntraRequires | Severity::OktaRequires) && !severity.blocks(idp);
            let shown = if foreign { count.passed + count.failed > 0 } else { !count.is_empty() };
            if shown {
                let _ = writeln!(
                    out,
                    "{name:<width$}{:<16}{:>6}{:>8}{:>5}",
                    severity.label(),
                    count.passed,
                    count.failed,
                    count.not_applicable
                );
            }
        }
        let scenarios = report.scenarios.iter().filter(|s| s.idp.as_deref() == Some(idp));
        let (passed, failed) = scenarios.fold((0, 0), |(p, f), s| if s.passed { (p + 1, f) } else { (p, f + 1) });
        let _ = writeln!(out, "{name:<width$}{:<16}{passed:>6}{failed:>8}", "scenarios");
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::sample_report;
    use super::*;

    #[test]
    fn verdict_lines_table_and_failed_checks() {
        let text = summary(&sample_report());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("scimsim {} against https://scim.example.com/scim/v2", env!("CARGO_PKG_VERSION")));
        assert_eq!(
            lines[1],
            "started 2026-11-22T15:00:00Z, took 4.3 s: entra (legacy, aadOptscim062020), okta (oin); tags @entra or @okta"
        );
        assert!(lines.contains(&"Entra: 2 MUST failures, 1 Entra requires failure"), "{text}");
        assert!(lines.contains(&"Okta: compatible"), "{text}");
        assert!(lines.contains(&"IdP    checks          passed  failed  n/a"), "{text}");
        assert!(lines.contains(&"Entra  MUST                 1       2    0"), "{text}");
        assert!(!text.contains("Entra  Okta requires") && !text.contains("Okta   Entra requires"), "{text}");
        assert!(lines.contains(&"Okta   MUST                 2       0    1"), "{text}");
        assert!(lines.contains(&"Okta   SHOULD               1       1    0"), "{text}");
        assert!(lines.contains(&"Entra  scenarios            1       1"), "{text}");
        assert!(lines.contains(&"Okta   scenarios            2       0"), "{text}");
        assert!(
            lines.contains(
                &"  LIST-START-INDEX [MUST] RFC 7644 §3.4.2.4: features/entra/user_lifecycle.feature › \
                  Create, update, disable and hard delete a user (entra), seq 1: startIndex is 0; RFC 7644 \
                  §3.4.2.4 numbers results from 1"
            ),
            "{text}"
        );
        let failed = lines.iter().skip_while(|l| **l != "Failed checks:").skip(1).count();
        assert_eq!(failed, 4, "{text}");
        assert!(text.ends_with('\n'));
    }
}
