"""Measure (not a test; run explicitly with -s): statements and CPU per rush save and per add_need.

    .venv/bin/python -m pytest tests/scaleout/rush_cpu.py -s -p no:randomly

`RUSH_N` saves per figure (default 200). The rush's questionnaire (text, choice, multichoice, as
`samspill bench rush` opens it) is measured for later saves (two suppliers alternating, after a
warm-up) and for first saves (`RUSH_FIRST` new questionnaires, each saved once by both
suppliers); `RUSH_PROFILE=1` prints a cProfile (CPU time) of the later saves instead of timing
them, `RUSH_DB_CPU=1` adds the PostgreSQL backends' CPU per save (utime + stime from `/proc`,
when the server runs on this machine).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import time

from sqlalchemy import text

from core.db import db
from tests.dialogue.helpers import answer_body, make_questionnaire

N = int(os.environ.get("RUSH_N", "200"))
FIRST = int(os.environ.get("RUSH_FIRST", "20"))
RUSH_QUESTIONS = [{"kind": "text", "text": "Beskriv løsningen", "required": True},
                  {"kind": "choice", "text": "Modenhet", "options": ["Idé", "Pilot", "I drift"]},
                  {"kind": "multichoice", "text": "Standarder", "options": ["SCAIP", "Normen"]}]


def _backend_cpu(app) -> float | None:
    """Seconds of CPU used so far by every PostgreSQL backend of this server (None elsewhere)."""
    if not os.environ.get("RUSH_DB_CPU"):
        return None
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return None
        pids = [r[0] for r in db.session.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' "
            "AND datname = current_database()"))]
        db.session.rollback()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def _timed(app, label: str, calls) -> None:
    db_before = _backend_cpu(app)
    t0 = time.process_time()
    for call in calls:
        r = call()
        assert r.status_code == 200, r.get_data(as_text=True)
    cpu = (time.process_time() - t0) / len(calls) * 1000
    db_after = _backend_cpu(app)
    extra = "" if db_before is None else f", database CPU ms {(db_after - db_before) / len(calls) * 1000:.2f}"
    print(f"{label} CPU ms per request: {cpu:.2f}{extra}")


def test_measure_the_rush_questionnaire(app, open_world, count_queries):
    w = open_world
    q = make_questionnaire(w, questions=RUSH_QUESTIONS)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    body = answer_body(q, "Endelig svar")
    for tok in (w.a, w.b):
        r = w.api("put", path, tok, json=answer_body(q, "Første"))
        assert r.status_code == 200, r.get_data(as_text=True)
    with count_queries() as counted:
        r = w.api("put", path, w.a, json=body)
    assert r.status_code == 200
    print("\nrush later save statements:", counted.count)
    for s in counted.statements:
        print("   ", str(s)[:200].replace("\n", " "))
    for i in range(50):  # warm-up
        w.api("put", path, w.a if i % 2 else w.b, json=body)
    calls = [lambda tok=(w.a if i % 2 else w.b): w.api("put", path, tok, json=body) for i in range(N)]
    if os.environ.get("RUSH_PROFILE"):
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for call in calls:
            call()
        profile.disable()
        profile.dump_stats(os.environ.get("RUSH_PROFILE_OUT", "/tmp/rush_save.prof"))
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(90)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(50)
        print(out.getvalue())
        return
    _timed(app, "rush later save", calls)
    fresh = [make_questionnaire(w, questions=RUSH_QUESTIONS) for _ in range(FIRST)]
    with count_queries() as counted:
        r = w.api("put", f"/api/v1/questionnaires/{fresh[0]['id']}/response", w.a,
                  json=answer_body(fresh[0], "Første"))
    assert r.status_code == 200
    print("rush first save statements:", counted.count)
    firsts = [lambda p=f"/api/v1/questionnaires/{f['id']}/response", f=f, tok=tok:
              w.api("put", p, tok, json=answer_body(f, "Første"))
              for f in fresh[1:] for tok in (w.a, w.b)]
    _timed(app, "rush first save", firsts)


def test_measure_rush_save(open_world, count_queries):
    w = open_world
    q = make_questionnaire(w)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    for tok in (w.a, w.b):
        r = w.api("put", path, tok, json=answer_body(q, "Første"))
        assert r.status_code == 200, r.get_data(as_text=True)
    with count_queries() as counted:
        r = w.api("put", path, w.a, json=answer_body(q, "Andre"))
    assert r.status_code == 200
    print("\nrush_save statements:", counted.count)
    for s in counted.statements:
        print("   ", str(s)[:160].replace("\n", " "))
    body = answer_body(q, "Endelig svar")
    t0 = time.process_time()
    for i in range(N):
        r = w.api("put", path, w.a if i % 2 else w.b, json=body)
    cpu = (time.process_time() - t0) / N * 1000
    assert r.status_code == 200
    print(f"rush_save CPU ms per request: {cpu:.2f}")
    needs = f"/api/v1/procurements/{w.pid}/needs"
    nb = {"statement": "Users need a safe way to call for help at night.", "user_group": "Eldre",
          "source": "interview", "priority": 1}
    r = w.api("post", needs, w.officer_token, json=nb)
    assert r.status_code in (200, 201), r.get_data(as_text=True)
    with count_queries() as counted:
        r = w.api("post", needs, w.officer_token, json=nb)
    print("add_need statements:", counted.count)
    for s in counted.statements:
        print("   ", str(s)[:160].replace("\n", " "))
    t0 = time.process_time()
    for _ in range(N):
        r = w.api("post", needs, w.officer_token, json=nb)
    cpu = (time.process_time() - t0) / N * 1000
    print(f"add_need CPU ms per request: {cpu:.2f}")
