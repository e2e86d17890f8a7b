//! report.html: the report a vendor hands to a customer. One self-contained file (inline CSS
//! and script, nothing fetched, a Content-Security-Policy that forbids fetching) that reads the
//! same without JavaScript: everything is rendered here, the script only filters the checks.
//!
//! Stable hooks for tests and for people who script against the page: `#verdict-<idp>`,
//! `#count-checks-passed|failed|na`, `#count-scenarios-passed|failed`, `tr.check-row` with
//! `data-id`, `data-severity`, `data-status`, `data-idps` (the IdPs it judged) and
//! `data-status-<idp>`, `details.evidence` under a failed check, `mark.offending` inside an
//! exchange, `tr.scenario-row` with `data-idp` and `data-status`.

use std::fmt::Write as _;

use crate::checks::{CheckVerdict, Evidence, Severity, Status};

use super::escaped::Escaped;
use super::exchange_view::ExchangeView;
use super::run_report::{RunReport, idp_name};
use super::status_count::StatusCount;

const STYLE: &str = include_str!("assets/report.css");
const SCRIPT: &str = include_str!("assets/report.js");

/// No network at all: styles and the script are inline, and nothing else may load.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/// `report` as one HTML document: verdicts, run metadata and counts, the checks table with the
/// evidence of each failure (request and response, offending part marked), the scenarios.
pub fn to_html(report: &RunReport) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>scimsim report: {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        Escaped(&report.run.target)
    );
    write_header(&mut out, report);
    write_checks(&mut out, report);
    write_scenarios(&mut out, report);
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// A status as the page's data attributes and filter values spell it (report.json's spelling).
fn status_key(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::NotApplicable => "not_applicable",
    }
}

/// A status as the page shows it.
fn status_label(status: Status) -> &'static str {
    match status {
        Status::Pass => "passed",
        Status::Fail => "failed",
        Status::NotApplicable => "not applicable",
    }
}

fn write_header(out: &mut String, report: &RunReport) {
    let run = &report.run;
    out.push_str("<header>\n<h1>SCIM conformance report</h1>\n<section class=\"verdicts\">\n");
    for verdict in &report.verdicts {
        let class = if verdict.compatible { "compatible" } else { "incompatible" };
        let dialects = run.idps.get(&verdict.idp).map(|d| d.join(", ")).unwrap_or_default();
        let _ = writeln!(
            out,
            "<div class=\"verdict-box {class}\"><h2 class=\"verdict\" id=\"verdict-{}\">{}</h2>\
             <p class=\"verdict-detail\">scenarios: {} passed, {} failed · {}</p></div>",
            Escaped(&verdict.idp),
            Escaped(&verdict.line()),
            verdict.scenarios_passed,
            verdict.scenarios_failed,
            Escaped(&dialects)
        );
    }
    out.push_str("</section>\n<dl class=\"meta\">\n");
    let mut meta = vec![
        ("scimsim", run.scimsim_version.clone()),
        ("Target", run.target.clone()),
        ("Started", run.started_at.clone()),
        ("Duration", run.duration_label()),
        ("IdPs and dialects", run.idps_label()),
    ];
    if let Some(tags) = &run.tags {
        meta.push(("Tags", tags.clone()));
    }
    for (term, value) in meta {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{}</dd>", Escaped(&value));
    }
    out.push_str("</dl>\n<section class=\"counts\">\n");
    let checks: StatusCount = report.checks.iter().map(|c| c.status).collect();
    let scenarios_failed = report.scenarios.iter().filter(|s| !s.passed).count();
    let counts = [
        ("pass", "checks-passed", checks.passed, "check", "passed"),
        ("fail", "checks-failed", checks.failed, "check", "failed"),
        ("na", "checks-na", checks.not_applicable, "check", "not applicable"),
        ("pass", "scenarios-passed", report.scenarios.len() - scenarios_failed, "scenario", "passed"),
        ("fail", "scenarios-failed", scenarios_failed, "scenario", "failed"),
    ];
    for (class, id, n, noun, outcome) in counts {
        let plural = if n == 1 { "" } else { "s" };
        let _ = writeln!(
            out,
            "<div class=\"count {class}\"><span class=\"n\" id=\"count-{id}\">{n}</span>{noun}{plural} {outcome}</div>"
        );
    }
    out.push_str("</section>\n</header>\n");
}

fn write_checks(out: &mut String, report: &RunReport) {
    let idps: Vec<&str> = report.verdicts.iter().map(|v| v.idp.as_str()).collect();
    out.push_str("<main>\n<h2>Checks</h2>\n<div class=\"filters\" id=\"check-filters\">\n");
    out.push_str("<label>IdP<select id=\"filter-idp\"><option value=\"\">all</option>");
    for idp in &idps {
        let _ = write!(out, "<option value=\"{}\">{}</option>", Escaped(idp), Escaped(idp_name(idp)));
    }
    out.push_str("</select></label>\n<label>Severity<select id=\"filter-severity\"><option value=\"\">all</option>");
    for severity in Severity::ALL.iter().filter(|s| report.checks.iter().any(|c| c.severity == **s)) {
        let _ = write!(out, "<option value=\"{0}\">{0}</option>", Escaped(severity.label()));
    }
    out.push_str("</select></label>\n<label>Status<select id=\"filter-status\"><option value=\"\">all</option>");
    for status in [Status::Fail, Status::Pass, Status::NotApplicable] {
        let _ = write!(out, "<option value=\"{}\">{}</option>", status_key(status), status_label(status));
    }
    let _ = writeln!(
        out,
        "</select></label>\n<span id=\"filter-count\">{0} of {0} checks</span>\n</div>",
        report.checks.len()
    );
    out.push_str(
        "<table id=\"checks\">\n<thead><tr><th>Id</th><th>Check</th><th>Severity</th><th>Clause</th>\
         <th>Status</th><th class=\"num\">Judged</th><th class=\"num\">Failed</th></tr></thead>\n",
    );
    for check in &report.checks {
        write_check(out, check, &idps);
    }
    out.push_str("</table>\n");
}

/// A check's row, and for a failed check a second row with its evidence, in one `<tbody>` so
/// that the filter hides both at once.
fn write_check(out: &mut String, check: &CheckVerdict, idps: &[&str]) {
    let judged_by: Vec<&str> = check.by_idp.iter().filter(|(_, t)| t.judged > 0).map(|(idp, _)| idp.as_str()).collect();
    let status = status_key(check.status);
    let _ = write!(
        out,
        "<tbody class=\"check\">\n<tr class=\"check-row {status}\" id=\"check-{0}\" data-id=\"{0}\" \
         data-severity=\"{1}\" data-status=\"{status}\" data-idps=\"{2}\"",
        Escaped(check.id),
        Escaped(check.severity.label()),
        Escaped(&judged_by.join(" "))
    );
    for idp in idps {
        let _ = write!(out, " data-status-{}=\"{}\"", Escaped(idp), status_key(check.status_for(idp)));
    }
    let per_idp: Vec<String> =
        idps.iter().map(|idp| format!("{}: {}", idp_name(idp), status_label(check.status_for(idp)))).collect();
    let _ = writeln!(
        out,
        "><td><code>{}</code></td><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td>\
         <td><span class=\"badge {status}\">{}</span><span class=\"per-idp\">{}</span></td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        Escaped(check.id),
        Escaped(check.title),
        Escaped(check.severity.label()),
        Escaped(check.source.url),
        Escaped(&check.source.to_string()),
        status_label(check.status),
        Escaped(&per_idp.join(" · ")),
        check.judged,
        check.failed
    );
    if check.status == Status::Fail {
        let kept = check.evidence.len();
        let plural = if check.failed == 1 { "" } else { "s" };
        let count =
            if kept == check.failed { check.failed.to_string() } else { format!("first {kept} of {}", check.failed) };
        let _ = writeln!(
            out,
            "<tr class=\"evidence-row\"><td colspan=\"7\"><details class=\"evidence\">\
             <summary>Evidence: {count} failed exchange{plural}</summary>"
        );
        for evidence in &check.evidence {
            write_evidence(out, evidence);
        }
        if check.failed > check.evidence.len() {
            let _ = writeln!(
                out,
                "<p class=\"more\">… and {} more failures, not kept as evidence.</p>",
                check.failed - check.evidence.len()
            );
        }
        out.push_str("</details></td></tr>\n");
    }
    out.push_str("</tbody>\n");
}

/// One failure: where (feature › scenario, IdP, seq, transcript), what, and the exchange with
/// the pointer's target marked.
fn write_evidence(out: &mut String, evidence: &Evidence) {
    let place = &evidence.scenario;
    let _ = write!(
        out,
        "<article class=\"evidence-item\" data-idp=\"{}\">\n<p class=\"where\">{} · {} · seq {}",
        Escaped(&place.idp),
        Escaped(idp_name(&place.idp)),
        Escaped(&place.to_string()),
        evidence.seq
    );
    if let Some(transcript) = &place.transcript {
        let _ = write!(out, " · <code>{}</code>", Escaped(transcript));
    }
    let _ = writeln!(out, "</p>\n<p class=\"message\">{}</p>", Escaped(&evidence.message));
    let view = ExchangeView::of(&evidence.exchange, evidence.pointer.as_deref());
    if let Some(pointer) = &evidence.pointer {
        let note = if view.marked { "marked below" } else { "absent from the exchange" };
        let _ = writeln!(out, "<p class=\"pointer\">Offending part: <code>{}</code>, {note}.</p>", Escaped(pointer));
    }
    out.push_str(&view.html);
    out.push_str("</article>\n");
}

fn write_scenarios(out: &mut String, report: &RunReport) {
    out.push_str(
        "<h2>Scenarios</h2>\n<table id=\"scenarios\">\n<thead><tr><th>Feature</th><th>Scenario</th><th>IdP</th>\
         <th>Dialect</th><th>Result</th><th>Failure</th></tr></thead>\n<tbody>\n",
    );
    for scenario in &report.scenarios {
        let result = if scenario.passed { "passed" } else { "failed" };
        let idp = scenario.idp.as_deref().unwrap_or("");
        let _ = write!(
            out,
            "<tr class=\"scenario-row {result}\" data-idp=\"{}\" data-status=\"{result}\"><td><code>{}</code></td>\
             <td>{}",
            Escaped(idp),
            Escaped(&scenario.feature),
            Escaped(&scenario.name)
        );
        if !scenario.judged {
            out.push_str(" <span class=\"not-judged\">(answers shaped on purpose, not judged)</span>");
        }
        let _ = writeln!(
            out,
            "</td><td>{}</td><td>{}</td><td class=\"result\">{result}</td><td>{}</td></tr>",
            Escaped(idp_name(idp)),
            Escaped(scenario.dialect.as_deref().unwrap_or("")),
            Escaped(scenario.failure.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody>\n</table>\n</main>\n");
}

#[cfg(test)]
mod tests {
    use super::super::sample::sample_report;
    use super::*;

    #[test]
    fn verdicts_and_counts_head_the_page() {
        let html = to_html(&sample_report());
        assert!(html.starts_with("<!DOCTYPE html>\n"));
        assert!(html.contains(
            "<div class=\"verdict-box incompatible\"><h2 class=\"verdict\" id=\"verdict-entra\">\
             Entra: 2 MUST failures, 1 Entra requires failure</h2>"
        ));
        assert!(html.contains(
            "<div class=\"verdict-box compatible\"><h2 class=\"verdict\" id=\"verdict-okta\">Okta: compatible</h2>"
        ));
        assert!(html.contains("<span class=\"n\" id=\"count-checks-passed\">2</span>"));
        assert!(html.contains("<span class=\"n\" id=\"count-checks-failed\">4</span>"));
        assert!(html.contains("<span class=\"n\" id=\"count-checks-na\">1</span>check not applicable</div>"));
        assert!(html.contains("<span class=\"n\" id=\"count-scenarios-passed\">3</span>"));
        assert!(html.contains("<span class=\"n\" id=\"count-scenarios-failed\">1</span>"));
        assert!(html.contains("<dd>entra (legacy, aadOptscim062020), okta (oin)</dd>"));
        assert!(html.contains("<dd>4.3 s</dd>"));
        assert!(html.contains("<p class=\"verdict-detail\">scenarios: 2 passed, 0 failed · oin</p>"));
    }

    #[test]
    fn every_check_has_a_row_with_its_data_attributes() {
        let report = sample_report();
        let html = to_html(&report);
        assert_eq!(html.matches("<tr class=\"check-row ").count(), report.checks.len());
        for (id, severity, status, idps, entra, okta) in [
            ("USR-CREATE-201", "MUST", "pass", "entra okta", "pass", "pass"),
            ("RESP-MEDIA-TYPE", "MUST", "fail", "entra okta", "fail", "pass"),
            ("LIST-START-INDEX", "MUST", "fail", "entra", "fail", "not_applicable"),
            ("ENTRA-ANSWERED", "Entra requires", "fail", "entra", "fail", "not_applicable"),
            ("USR-CREATE-LOCATION", "SHOULD", "fail", "entra okta", "fail", "fail"),
            ("OKTA-FILTER-EQ", "Okta requires", "not_applicable", "", "not_applicable", "not_applicable"),
            ("ETAG-WEAK", "SHOULD", "pass", "entra okta", "pass", "pass"),
        ] {
            let row = format!(
                "<tr class=\"check-row {status}\" id=\"check-{id}\" data-id=\"{id}\" data-severity=\"{severity}\" \
                 data-status=\"{status}\" data-idps=\"{idps}\" data-status-entra=\"{entra}\" data-status-okta=\"{okta}\">"
            );
            assert!(html.contains(&row), "{row}");
        }
        assert!(
            html.contains("<a href=\"https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4\">RFC 7644 §3.4.2.4</a>")
        );
        assert_eq!(html.matches("<details class=\"evidence\">").count(), 4, "one per failed check");
    }

    #[test]
    fn evidence_shows_the_exchange_with_the_offending_part_marked() {
        let html = to_html(&sample_report());
        assert!(html.contains("<summary>Evidence: 1 failed exchange</summary>"));
        assert!(html.contains("<summary>Evidence: 2 failed exchanges</summary>"));
        assert!(html.contains(
            "<p class=\"where\">Entra · features/entra/user_lifecycle.feature › Create, update, disable and hard \
             delete a user · seq 1 · <code>transcripts/user_lifecycle/create__update__disable_and_hard_delete_a_user.jsonl</code></p>"
        ));
        assert!(html.contains(
            "<p class=\"pointer\">Offending part: <code>/response/body/startIndex</code>, marked below.</p>"
        ));
        assert!(html.contains("<mark class=\"offending\">&quot;startIndex&quot;: 0</mark>"));
        assert!(html.contains("<mark class=\"offending\">content-type: text/html; charset=utf-8</mark>"));
        assert!(html.contains("HTTP <mark class=\"offending\">502</mark>"));
        assert!(html.contains(
            "<p class=\"pointer\">Offending part: <code>/response/headers/location</code>, absent from the exchange.</p>"
        ));
        assert_eq!(html.matches("<article class=\"evidence-item\"").count(), 6);
    }

    #[test]
    fn evidence_cut_at_the_limit_says_how_many_more_failed() {
        let mut report = sample_report();
        report.checks[2].failed = 30;
        let html = to_html(&report);
        assert!(html.contains("<summary>Evidence: first 1 of 30 failed exchanges</summary>"));
        assert!(html.contains("<p class=\"more\">… and 29 more failures, not kept as evidence.</p>"));
    }

    #[test]
    fn markup_from_the_target_stays_text() {
        let mut report = sample_report();
        report.scenarios[0].failure = Some("<img src=x onerror=alert(1)>".to_string());
        let html = to_html(&report);
        assert_eq!(html.matches("<script").count(), 1, "only the report's own script");
        assert!(html.contains("&lt;html&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;") && !html.contains("<img"));
        assert!(html.contains("authorization: [redacted]"));
        assert!(!html.contains("src=\"http") && !html.contains("<link"), "nothing is fetched");
    }

    #[test]
    fn scenarios_are_listed() {
        let html = to_html(&sample_report());
        assert_eq!(html.matches("<tr class=\"scenario-row ").count(), 4);
        assert!(html.contains("<tr class=\"scenario-row failed\" data-idp=\"entra\" data-status=\"failed\">"));
        assert!(html.contains("(answers shaped on purpose, not judged)"));
        assert!(html.contains("equal to &quot;Sales &amp; Marketing&quot;: it is &quot;Sales&quot;</td></tr>"));
    }
}
