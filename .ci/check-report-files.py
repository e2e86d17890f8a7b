#!/usr/bin/env python3
"""Checks the report files `cargo test` wrote (tests/integration/report_files.rs) with tools
that are not scimsim's own, so a renderer cannot agree with itself and still be wrong.

Usage: .ci/check-report-files.py DIR   (run with CI's venv: .ci/venv installs jsonschema)
  - DIR/report.json validates against docs/report.schema.json (JSON Schema draft 2020-12; the
    schema itself is checked against the draft's metaschema first);
  - DIR/junit.xml is well-formed XML whose tests/failures attributes count its test cases;
  - DIR/report.html parses as HTML with every element it opens closed.
"""

import json
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

ROOT = Path(__file__).resolve().parent.parent


def check_json(folder):
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    report = json.loads((folder / "report.json").read_text())
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = list(validator.iter_errors(report))
    if errors:
        error = best_match(errors)
        raise SystemExit(f"report.json: {len(errors)} schema errors, first at "
                         f"/{'/'.join(map(str, error.absolute_path))}: {error.message}")
    print(f"report.json: valid against docs/report.schema.json (schema_version {report['schema_version']}, "
          f"{len(report['checks'])} checks, {len(report['scenarios'])} scenarios)")


def counted(element):
    """The (tests, failures) an element's test cases add up to."""
    cases = element.iter("testcase")
    tests = failures = 0
    for case in cases:
        tests += 1
        failures += case.find("failure") is not None
    return tests, failures


def check_junit(folder):
    root = ET.parse(folder / "junit.xml").getroot()
    if root.tag != "testsuites":
        raise SystemExit(f"junit.xml: root element is <{root.tag}>, not <testsuites>")
    for element in [root, *root.findall("testsuite")]:
        declared = (int(element.get("tests")), int(element.get("failures")))
        if declared != counted(element):
            raise SystemExit(f"junit.xml: <{element.tag} name={element.get('name')!r}> declares "
                             f"tests, failures = {declared}, its test cases make {counted(element)}")
    suites = ", ".join(f"{s.get('name')} {s.get('tests')} tests/{s.get('failures')} failures"
                       for s in root.findall("testsuite"))
    print(f"junit.xml: well-formed, counts match ({suites})")


class Balance(HTMLParser):
    """Follows open and close tags; void elements (meta, br, …) need no close tag."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.open = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append((tag, self.getpos()))

    def handle_endtag(self, tag):
        if not self.open or self.open[-1][0] != tag:
            raise SystemExit(f"report.html: </{tag}> at line {self.getpos()[0]} closes "
                             f"{self.open[-1] if self.open else 'nothing'}")
        self.open.pop()


def check_html(folder):
    parser = Balance()
    parser.feed((folder / "report.html").read_text())
    parser.close()
    if parser.open:
        raise SystemExit(f"report.html: unclosed {parser.open}")
    print("report.html: every element closed")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = Path(sys.argv[1])
    check_json(folder)
    check_junit(folder)
    check_html(folder)


if __name__ == "__main__":
    main()
