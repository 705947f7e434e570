"""Argon2id at the library's defaults unless the test suite's setting asks for the cheapest
parameters (core.identity.service); a hash of either kind verifies under the other."""

from __future__ import annotations

import os
import subprocess
import sys

from argon2 import PasswordHasher, profiles

PROBE = ("from core.identity import service; h = service.hash_password('correct horse battery');"
         "print(h.split('$')[3])")


def _parameters(env: dict[str, str]) -> str:
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_an_instance_hashes_with_argon2s_defaults():
    env = {k: v for k, v in os.environ.items() if k != "SAMSPILL_INSECURE_PASSWORD_HASHING_FOR_TESTS"}
    assert _parameters(env) == "m=65536,t=3,p=4"
    assert _parameters({**env, "SAMSPILL_INSECURE_PASSWORD_HASHING_FOR_TESTS": "yes"}) == "m=65536,t=3,p=4"


def test_the_suite_hashes_with_the_cheapest_parameters():
    from core.identity import service

    assert service.hash_password("correct horse battery").split("$")[3] == "m=8,t=1,p=1"
    assert _parameters({**os.environ, "SAMSPILL_INSECURE_PASSWORD_HASHING_FOR_TESTS": "1"}) == "m=8,t=1,p=1"


def test_either_kind_of_hash_verifies_under_the_other():
    strong, cheap = PasswordHasher(), PasswordHasher.from_parameters(profiles.CHEAPEST)
    assert cheap.verify(strong.hash("correct horse battery"), "correct horse battery")
    assert strong.verify(cheap.hash("correct horse battery"), "correct horse battery")
