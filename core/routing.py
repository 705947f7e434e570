"""URL rules whose builders are compiled once per process, not once per app.

Werkzeug compiles two small Python functions for every URL rule it binds (`Rule.compile` →
`_compile_builder`: an AST, `compile`, `exec`), and an app has about 1 600 rules. A function
depends only on the rule's text, its parsed parts and its defaults' names; it takes the rule as
its first argument and is bound to it afterwards. So every app of a process (each test's app, a
second app in a worker) can share the functions of the first: `Rule` keeps them by that key.

A rule with a default for one of its own variables is compiled as before: Werkzeug turns that
default into a constant through the rule's converter, which the key does not capture.
Flask uses the class through its public `Flask.url_rule_class` (`core.app.create_app`).
`tests/foundation/test_routing_builders.py` checks that every rule's shared builder has the same
code as a freshly compiled one.
"""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.routing import Rule as WerkzeugRule

_builders: dict[tuple, Callable[..., tuple[str, str]]] = {}


class Rule(WerkzeugRule):
    """Werkzeug's rule with its compiled URL builders shared by every equal rule."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        defaults = self.defaults or {}
        if any(dynamic and name in defaults for dynamic, name in self._trace):
            return super()._compile_builder(append_unknown)
        key = (self.rule, append_unknown, tuple(self._trace), tuple(str(name) for name in defaults))
        builder = _builders.get(key)
        if builder is None:
            builder = _builders[key] = super()._compile_builder(append_unknown)
        return builder

