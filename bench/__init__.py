"""The benchmark harness: data at scale, a load runner, and its report.

Not part of the product: installed on its own (`pip install ./bench`), it plugs into Samspill
through the entry point in `bench/pyproject.toml` (see `bench.plugin`). `samspill bench-data`
fills a database, `samspill bench run` measures a running `samspill serve` with wrk.
"""

CEILING_ENV = "SAMSPILL_BENCH_CEILING"
QUERIES_ENV = "SAMSPILL_BENCH_QUERIES"
