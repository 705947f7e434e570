"""Run the whole suite the way CI does: SQLite, then PostgreSQL, then the browser tests.

PostgreSQL runs when `SAMSPILL_TEST_DATABASE_URL` is set; browser tests run when Chromium is
installed (`SAMSPILL_CHROMIUM`, default /usr/bin/chromium). Exit status is non-zero when any
part fails. Usage: `python -m tests.run_all [extra pytest args]`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def run(label: str, args: list[str], env: dict[str, str]) -> int:
    print(f"\n=== {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    extra = sys.argv[1:]
    base = dict(os.environ)
    pg = base.pop("SAMSPILL_TEST_DATABASE_URL", None)
    workers = ["-n", os.environ.get("SAMSPILL_TEST_WORKERS", "2")]
    failures = 0
    failures += run("unit and API tests on SQLite", [*workers, "-m", "not e2e", *extra], base) != 0
    if pg:
        failures += run("unit and API tests on PostgreSQL", [*workers, "-m", "not e2e", *extra],
                        {**base, "SAMSPILL_TEST_DATABASE_URL": pg}) != 0
    chromium = os.environ.get("SAMSPILL_CHROMIUM", "/usr/bin/chromium")
    if shutil.which(chromium) or os.path.exists(chromium):
        env = {**base, "SAMSPILL_TEST_DATABASE_URL": pg} if pg else base
        # Each worker runs its own demo server and Chromium (tests/e2e/conftest.py).
        failures += run("browser tests in headless Chromium", [*workers, "-m", "e2e", *extra], env) not in (0, 5)
    else:
        print("Chromium not found: browser tests not run", file=sys.stderr)
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
