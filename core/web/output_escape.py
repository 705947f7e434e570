"""Escaping of the values a page prints (`{{ value }}` under autoescape), without a `Markup`
per value.

Jinja compiles each printed value of an HTML template to `escape(value)` (markupsafe's), and a
render joins the pieces into one string. `escape` wraps every result in a `Markup`: for a plain
string that is two Python frames (`escape`, `Markup.__new__`) and five calls; for a value that is
already `Markup` (a panel, a text rendered once per language, a translated label) seven calls
that give back the same text; for a UUID seven. A dashboard prints about 240 values. The join
reads only the text, so the type of each piece is lost anyway: `escape_output` gives the same
text as a plain `str` — a string escaped by markupsafe's own escaping of the text (the
characters `& < > ' "`), `Markup` as it is, a UUID or an int as its text (hex digits and hyphens,
digits and a sign: nothing to escape), anything else through markupsafe's `escape` — in one
frame and two or three calls.

`OutputEscapingCodeGenerator` (the app's `jinja_env.code_generator_class`, set before any
template is compiled) writes `escape_output(` where Jinja writes `escape(` for a printed value
under autoescape; values under `{% autoescape %}` that changes at run time, and environments
with a `finalize`, keep Jinja's own code. Both rely on Jinja's and markupsafe's internals
(`CodeGenerator._output_child_pre`, `markupsafe._escape_inner`): decision "[shared] Printed
values escaped without a Markup each"; `tests/foundation/test_output_escape.py` fails when
either changes underneath.
"""

from __future__ import annotations

import uuid
from typing import Any

from jinja2.compiler import CodeGenerator
from markupsafe import Markup, escape

try:  # markupsafe's C escaping of a str (what `escape` runs before wrapping the result)
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe without its C extension
    from markupsafe._native import _escape_inner

_UUID = uuid.UUID


def escape_output(value: Any) -> str:
    """The text `markupsafe.escape(value)` gives, as a `str` (for a piece of a render)."""
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is Markup:
        return value
    if kind is _UUID or kind is int:  # hex digits and hyphens, or digits and a sign: nothing to escape
        return str(value)
    return escape(value)


class OutputEscapingCodeGenerator(CodeGenerator):
    """Jinja's code generator, printing autoescaped values through `escape_output`."""

    def visit_Template(self, node, frame=None) -> None:  # noqa: N802 (Jinja's visitor name)
        self.writeline(f"from {__name__} import escape_output")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is None:
            self.write("escape_output(")
            return
        super()._output_child_pre(node, frame, finalize)
