"""How much do plugins cost at start-up? `python -m bench.plugin_startup`.

Starts a fresh interpreter per run (imports included, as a worker pays them) and times
`create_app()` with no plugins, with the two first-party plugins, and with those plus the
out-of-tree example plugin (`pip install ./tests/example_plugin`). "warm app" is one more
`create_app()` in the same process, imports done: the per-app cost of loading and wiring the
plugins. Plugins are switched off with `SAMSPILL_BLOCKED_PLUGINS`, so blocked code is never
imported. Prints the numbers.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

PROBE = """
import json, sys, time
started = time.perf_counter()
from core import create_app
imported = time.perf_counter()
app = create_app({"INSTANCE_PATH": sys.argv[1], "SECRET_KEY": "bench"})
done = time.perf_counter()
warm = []
for _ in range(5):
    before = time.perf_counter()
    create_app({"INSTANCE_PATH": sys.argv[1], "SECRET_KEY": "bench"})
    warm.append((time.perf_counter() - before) * 1000)
host = app.extensions["samspill.plugins"]
print(json.dumps({"import_ms": (imported - started) * 1000, "create_ms": (done - imported) * 1000,
                  "total_ms": (done - started) * 1000, "warm_ms": sorted(warm)[2],
                  "plugins": host.active}))
"""

SCENARIOS = [
    ("no plugins", "welfare_tech,smart_mat,samspill_example"),
    ("welfare_tech + smart_mat", "samspill_example"),
    ("+ samspill_example", ""),
]


def run_once(blocked: str, instance: str) -> dict:
    env = {**os.environ, "SAMSPILL_BLOCKED_PLUGINS": blocked}
    env.pop("SAMSPILL_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", PROBE, instance], env=env, check=True,  # noqa: S603
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory(prefix="samspill-startup-") as instance:
        run_once("", instance)  # warm the file-system cache and bytecode
        print(f"create_app() in a fresh interpreter, {runs} runs each (median / min, ms)")
        print(f"{'scenario':<28}{'import core':>14}{'create_app':>14}{'total':>14}"
              f"{'warm app':>14}  plugins")
        results_by = {label: [] for label, _blocked in SCENARIOS}
        for _ in range(runs):  # round-robin, so load drift on a shared machine hits all alike
            for label, blocked in SCENARIOS:
                results_by[label].append(run_once(blocked, instance))
        for label, _blocked in SCENARIOS:
            results = results_by[label]

            def cell(key: str, rows: list[dict] = results) -> str:
                values = [r[key] for r in rows]
                return f"{statistics.median(values):7.0f} /{min(values):5.0f}"

            print(f"{label:<28}{cell('import_ms'):>14}{cell('create_ms'):>14}"
                  f"{cell('total_ms'):>14}{cell('warm_ms'):>14}  "
                  f"{', '.join(results[-1]['plugins']) or '-'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
