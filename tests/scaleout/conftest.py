"""moto's S3 server and the dialogue tests' world (tenants, officers, suppliers, a procurement in dialogue) for the
two-host test, which drives it over HTTP through nginx."""

from __future__ import annotations

from tests.dialogue.conftest import open_world, world  # noqa: F401  (the fixtures, shared)
from tests.ops.conftest import moto_server  # noqa: F401  (the fixture, shared)
