"""axe-core for the browser tests: installed from npm on first use, evaluated in every page.

`tests/e2e/axe_js/package.json` pins axe-core (its lock file makes `npm ci` exact), installed
the way `tests/oidc_provider_js` is: `npm ci` in that folder the first time a test needs it.

`add_axe(context)` makes a browser context evaluate axe-core at the start of every document it
loads (an init script: its 650 kB are read once per session and handed to Chromium once per
context, instead of being sent with every check; measured in docs/benchmarks.md, speed round 8).
`violations(page)` runs every axe rule on the page as it is and returns what it found, each as
"rule-id: help (selectors of the first nodes)"; on a page of a context without `add_axe` it
injects axe-core first. Running it again after resizing the viewport checks the same document
at the new width.
"""

from __future__ import annotations

import fcntl
import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

JS_DIR = Path(__file__).resolve().parent / "axe_js"
AXE_SCRIPT = JS_DIR / "node_modules" / "axe-core" / "axe.min.js"


def ensure_axe() -> Path:
    """Install axe-core with `npm ci` when it is not there yet; the path of axe.min.js."""
    if AXE_SCRIPT.is_file():
        return AXE_SCRIPT
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH; it is needed to install tests/e2e/axe_js")
    with (Path(tempfile.gettempdir()) / "samspill-axe-npm-ci.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one installer at a time
        if not AXE_SCRIPT.is_file():
            result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=JS_DIR,
                                    capture_output=True, text=True, timeout=300, check=False)
            if result.returncode != 0 or not AXE_SCRIPT.is_file():
                raise RuntimeError(f"npm ci in {JS_DIR} failed ({result.returncode}):\n"
                                   f"{result.stdout}\n{result.stderr}")
    return AXE_SCRIPT


@functools.cache
def axe_source() -> str:
    """The text of axe.min.js, read once per test session."""
    return ensure_axe().read_text(encoding="utf-8") + "\n//# sourceURL=axe.min.js\n"


def add_axe(context) -> None:
    """Evaluate axe-core in every document the context loads from now on (before the page's scripts)."""
    context.add_init_script(script=axe_source())


def violations(page) -> list[str]:
    """Every axe-core rule the page breaks (all of axe's default rules, WCAG 2.x A/AA and best practice)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    found = page.evaluate("""async () => {
        const result = await window.axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => v.id + ': ' + v.help + ' ('
            + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + ')');
    }""")
    return list(found)
