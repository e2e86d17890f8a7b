#!/usr/bin/env python3
"""Opens a scimsim report.html in headless Chromium and checks what a reader sees.

Usage: .ci/report-in-browser.py DIR
  DIR holds report.html and report.json (written by `cargo test`, tests/integration/report_files.rs).

Speaks the Chrome DevTools Protocol over --remote-debugging-pipe (Chromium reads commands on its
fd 3 and writes replies on its fd 4, NUL-terminated JSON), so it needs only the standard library
and the `chromium` binary. It checks, against report.json:
  - each IdP's verdict (#verdict-<idp>) reads as the verdict says, green or red;
  - the counts (#count-checks-*, #count-scenarios-*) are report.json's;
  - a failed check's evidence (details.evidence) opens on a click, and the offending part
    (mark.offending) inside is then laid out and visible;
  - the filters hide rows; the page loaded nothing from the network; no script of a response
    body ran (no dialog opened, only the report's own <script> exists).
Saves a screenshot of the whole page, that evidence open, as DIR/report.png and prints its path.
"""

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIMEOUT = 30.0  # seconds for any one reply or event


class Browser:
    """A headless Chromium and one page in it, driven over the debugging pipe."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="scimsim-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        args = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}", "about:blank",
        ]
        # Put the pipe ends on fds 3 and 4 in the child: a shell's redirections do it portably
        # (pass_fds keeps fd numbers, it cannot move them).
        # stderr to a file: a pipe nobody reads could fill up and stall Chromium.
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            ["sh", "-c", 'exec "$@" 3<&"$IN_FD" 4>&"$OUT_FD"', "sh", *args],
            pass_fds=(to_chrome_r, from_chrome_w),
            env={**os.environ, "IN_FD": str(to_chrome_r), "OUT_FD": str(from_chrome_w)},
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no message from Chromium in time")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the pipe: " + self._stderr())
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(message)
        if message.get("method") == "Page.javascriptDialogOpening":
            # An alert() blocks the page, so say why now rather than time out later.
            raise RuntimeError(f"the page opened a dialog ({message['params'].get('message')!r}): "
                               "a script that is not the report's ran")
        return message

    def _stderr(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def send(self, method, params=None, session=True):
        """Sends a command (to the page's session unless session=False) and returns its result."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method):
        """Returns the first event `method` of the page's session, waiting for it."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == self.session:
                    self.events.remove(event)
                    return event
            self.events.append(self._read_message(deadline))

    def attach_to_page(self):
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        pages = [t for t in targets if t["type"] == "page"]
        target = pages[0]["targetId"] if pages else self.send(
            "Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def shown_checks(browser, filters):
    """The ids of the check rows left visible with `filters` ({select id: value}) chosen; the
    selects are set back to "all" afterwards."""
    choose = "".join(f"set({json.dumps(k)}, {json.dumps(v)});" for k, v in filters.items())
    reset = "".join(f"set({json.dumps(k)}, '');" for k in filters)
    return browser.evaluate(
        "(() => { const set = (id, v) => { const s = document.getElementById(id); s.value = v;"
        " s.dispatchEvent(new Event('change')); };"
        f" {choose} const ids = [...document.querySelectorAll('tr.check-row')]"
        " .filter(r => r.offsetParent !== null).map(r => r.dataset.id);"
        f" {reset} return ids; }})()")


def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    sys.exit("no chromium on PATH (apt-get install chromium)")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = Path(sys.argv[1]).resolve()
    page = folder / "report.html"
    report = json.loads((folder / "report.json").read_text())
    failures = []

    def expect(what, got, want):
        status = "ok" if got == want else "FAILED"
        print(f"  {status}: {what}: {got!r}" + ("" if got == want else f", expected {want!r}"))
        if got != want:
            failures.append(what)

    browser = Browser(find_chromium())
    try:
        browser.attach_to_page()
        browser.send("Page.enable")
        browser.send("Network.enable")
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        browser.send("Page.navigate", {"url": page.as_uri()})
        browser.wait_for("Page.loadEventFired")
        print(f"opened {page.as_uri()} in {browser.evaluate('navigator.userAgent')}")

        for verdict in report["verdicts"]:
            idp = verdict["idp"]
            seen = browser.evaluate(
                f"(() => {{ const v = document.getElementById('verdict-{idp}');"
                " return v && {text: v.textContent.trim(), colour: getComputedStyle(v).color}; })()")
            expect(f"#verdict-{idp} is shown", seen is not None, True)
            if seen is None:
                continue
            name = {"entra": "Entra", "okta": "Okta"}.get(idp, idp)
            if verdict["compatible"]:
                expect(f"#verdict-{idp} text", seen["text"], f"{name}: compatible")
            else:
                expect(f"#verdict-{idp} names failures",
                       seen["text"].startswith(f"{name}: ") and "failure" in seen["text"], True)
            red, green = "rgb(179, 38, 30)", "rgb(27, 127, 59)"
            expect(f"#verdict-{idp} colour", seen["colour"], green if verdict["compatible"] else red)

        statuses = [check["status"] for check in report["checks"]]
        scenarios = report["scenarios"]
        want = {
            "count-checks-passed": statuses.count("pass"),
            "count-checks-failed": statuses.count("fail"),
            "count-checks-na": statuses.count("not_applicable"),
            "count-scenarios-passed": sum(1 for s in scenarios if s["passed"]),
            "count-scenarios-failed": sum(1 for s in scenarios if not s["passed"]),
        }
        for element, count in want.items():
            text = browser.evaluate(f"document.getElementById('{element}').textContent")
            expect(f"#{element}", text, str(count))
        expect("check rows", browser.evaluate("document.querySelectorAll('tr.check-row').length"),
               len(report["checks"]))

        # The first failed check whose evidence has a pointer: its details start closed, so the
        # mark inside is not laid out; a click on the summary opens it.
        failed = next(c for c in report["checks"] if any(e["pointer"] for e in c["evidence"]))
        details = f"document.querySelector('tr.check-row[data-id=\"{failed['id']}\"]')" \
                  ".closest('tbody').querySelector('details.evidence')"
        # checkVisibility() is false inside a closed <details> (its content is
        # content-visibility: hidden), whatever box the layout keeps for it.
        mark_box = f"(() => {{ const m = {details}.querySelector('mark.offending');" \
                   " const r = m.getBoundingClientRect();" \
                   " return {shown: m.checkVisibility(), top: r.top, left: r.left, width: r.width, height: r.height};" \
                   " })()"
        expect(f"{failed['id']}: evidence open before a click", browser.evaluate(f"{details}.open"), False)
        expect(f"{failed['id']}: mark hidden while closed", browser.evaluate(mark_box)["shown"], False)
        browser.evaluate(f"{details}.scrollIntoView({{block: 'start'}})")
        summary = browser.evaluate(
            f"(() => {{ const r = {details}.querySelector('summary').getBoundingClientRect();"
            " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()")
        for kind in ("mousePressed", "mouseReleased"):
            browser.send("Input.dispatchMouseEvent",
                         {"type": kind, "x": summary["x"], "y": summary["y"], "button": "left", "clickCount": 1})
        expect(f"{failed['id']}: evidence opens on a click", browser.evaluate(f"{details}.open"), True)
        box = browser.evaluate(mark_box)
        visible = (box["shown"] and box["width"] > 0 and box["height"] > 0
                   and box["top"] < 900 and box["top"] + box["height"] > 0)
        pointer = next(e["pointer"] for e in failed["evidence"] if e["pointer"])
        mark_text = browser.evaluate(f"{details}.querySelector('mark.offending').textContent")
        print(f"  mark.offending for {pointer}: {mark_text!r} at {box}")
        expect(f"{failed['id']}: mark.offending visible after opening", visible, True)

        # The filters: failed MUST checks, then each IdP's failed checks (by its own status).
        shown = shown_checks(browser, {"filter-severity": "MUST", "filter-status": "fail"})
        want_ids = [c["id"] for c in report["checks"] if c["severity"] == "MUST" and c["status"] == "fail"]
        expect("filter MUST + failed shows", shown, want_ids)
        for idp in (v["idp"] for v in report["verdicts"]):
            shown = shown_checks(browser, {"filter-idp": idp, "filter-status": "fail"})
            want_ids = [c["id"] for c in report["checks"] if c["by_idp"].get(idp, {}).get("failed", 0) > 0]
            expect(f"filter {idp} + failed shows", shown, want_ids)

        expect("only the report's own script", browser.evaluate("document.scripts.length"), 1)
        fetched = [e["params"]["request"]["url"] for e in browser.events
                   if e.get("method") == "Network.requestWillBeSent"
                   and not e["params"]["request"]["url"].startswith(("file:", "data:", "about:"))]
        expect("nothing fetched from the network", fetched, [])

        # The whole page, with the evidence left open.
        size = browser.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = browser.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
        screenshot = folder / "report.png"
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        print(f"screenshot: {screenshot}")
    finally:
        browser.close()

    if failures:
        sys.exit(f"report.html in Chromium: {len(failures)} failed: {', '.join(failures)}")
    print("report.html in Chromium: all checks passed")


if __name__ == "__main__":
    main()
