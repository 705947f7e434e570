"""Templates whose globals are copied into a new render's context with `dict.update`.

Each `render` (a page, and each dashboard panel through `core.web.panels.render_panel`) starts
a context holding a copy of the template's globals. Jinja keeps those globals as a `ChainMap` of
the template's own (usually none) over the environment's (about thirty: `_`, `url_for`,
`csrf_token`, `layout_texts`, …) and copies them with `dict(chain_map, **vars)`, which reads
every name through `ChainMap.__iter__` and `ChainMap.__getitem__`: about sixty Python calls
per render. `Template.new_context` here builds the same dict from the chain's maps with
`dict.update` (the environment's first, the template's own over them, then the render's
variables) and hands it to Jinja as the context's own; the names, their values and their
precedence are Jinja's. Globals of any other shape take Jinja's own path.
"""

from __future__ import annotations

from collections import ChainMap
from typing import Any

from flask import Flask
from jinja2 import Template
from jinja2.runtime import Context, new_context


class FlatGlobalsTemplate(Template):
    """A template whose unshared contexts copy its globals map by map."""

    def new_context(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: dict[str, Any] | None = None) -> Context:
        chain = self.globals
        if shared or type(chain) is not ChainMap or any(type(m) is not dict for m in chain.maps):
            return super().new_context(vars, shared, locals)
        parent: dict[str, Any] = {}
        for names in reversed(chain.maps):  # the first map wins, as in the ChainMap
            parent.update(names)
        if vars:
            parent.update(vars)
        # `shared`: Jinja takes `parent` as the context's own dict (it is this render's copy).
        return new_context(self.environment, self.name, self.blocks, parent, True, chain, locals)


def init_app(app: Flask) -> None:
    app.jinja_env.template_class = FlatGlobalsTemplate
