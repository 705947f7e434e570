"""Measure (not a test; run explicitly with -s): statements and CPU per rush save and per add_need.

    .venv/bin/python -m pytest tests/scaleout/rush_cpu.py -s -p no:randomly
"""

from __future__ import annotations

import os
import time

from tests.dialogue.helpers import answer_body, make_questionnaire

N = int(os.environ.get("RUSH_N", "200"))


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
