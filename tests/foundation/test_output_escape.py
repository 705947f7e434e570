"""Printed values escaped without a `Markup` each (core/web/output_escape.py): the same text as
markupsafe's `escape` for every kind of value, the same output as Jinja's own code for every way
a template prints, and the app's templates compiled to it. Fails if Jinja stops asking the code
generator's `_output_child_pre` (the templates would print through `escape` again) or markupsafe
drops `_escape_inner` (the module would not import)."""

from __future__ import annotations

import decimal
import uuid

import pytest
from jinja2 import DictLoader, Environment
from markupsafe import Markup, escape

from core.i18n import _l
from core.web.output_escape import OutputEscapingCodeGenerator, escape_output
from tests.conftest import sign_in


class _Html:
    def __html__(self):
        return "<b>as html</b>"


class _Text(str):
    pass


class _Id(uuid.UUID):
    pass


VALUES = ["", "plain", "<script>alert('x') & \"y\"</script>", "æøå – “sitat” ‘x’ &amp;", "&&<<>>''\"\"",
          Markup("<b>kept</b> &amp;"), Markup(""), _Text("<i>sub</i>"),
          uuid.UUID("4a3c1e52-0d4b-4f8e-9a51-2b0c7d9e6f10"), _Id(int=7), 42, -7, 10**30, -1.5,
          decimal.Decimal("1.10"), None, True, _Html(), ["<a>", 1], {"k": "<v>"}]


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_escape_output_gives_markupsafes_text(value):
    assert escape_output(value) == str(escape(value))


def test_a_lazy_text_is_escaped_as_markupsafe_does(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        app.preprocess_request()
        lazy = _l("Members and roles")
        assert escape_output(lazy) == str(escape(lazy)) == "Members and roles"


TEMPLATES = {
    "page.html": """{% extends "base.html" %}{% block body %}{{ x }}|{{ m }}|{{ n }}|{{ u }}|{{ none }}
{% set block %}<p>{{ x }}{{ m }}</p>{% endset %}{{ block }}{{ block|length }}
{% macro row(v) %}<td>{{ v }}</td>{% endmacro %}{{ row(x) }}{{ row(m) }}
{% macro wrap() %}<div>{{ caller() }}</div>{% endmacro %}{% call wrap() %}{{ x }}{% endcall %}
{% filter upper %}{{ x }}{% endfilter %}
{% for v in [x, m, n] %}{{ loop.index }}:{{ v }};{% endfor %}{{ x ~ m }}{{ "<lit>" }}{{ m|safe }}{{ x|e }}
{% autoescape false %}{{ x }}{% endautoescape %}{% autoescape flag %}{{ x }}{% endautoescape %}
{% include "part.html" %}{{ super() if false }}{% endblock %}""",
    "base.html": "<main>{% block body %}{{ x }}{% endblock %}</main>{{ self.body() }}",
    "part.html": "<i>{{ x }}{{ m }}</i>",
}


@pytest.mark.parametrize("flag", [True, False])
def test_templates_print_the_same_as_jinjas_own_code(flag):
    def env(generator):
        environment = Environment(loader=DictLoader(TEMPLATES), autoescape=True)
        if generator is not None:
            environment.code_generator_class = generator
        return environment
    values = {"x": "<&\"'>", "m": Markup("<em>&amp;</em>"), "n": 3, "u": uuid.uuid4(), "none": None, "flag": flag}
    ours, jinjas = env(OutputEscapingCodeGenerator), env(None)
    assert "escape_output(" in ours.compile(TEMPLATES["page.html"], raw=True)
    assert "escape_output(" not in jinjas.compile(TEMPLATES["page.html"], raw=True)
    assert ours.get_template("page.html").render(values) == jinjas.get_template("page.html").render(values)
    assert "&lt;&amp;&#34;&#39;&gt;" in ours.get_template("page.html").render(values)


def test_the_apps_html_templates_print_through_escape_output_and_text_ones_do_not(app, client, make):
    assert app.jinja_env.code_generator_class is OutputEscapingCodeGenerator
    assert "escape_output(" in app.jinja_env.compile("{{ x }}", name="t.html", raw=True)
    assert "escape_output(" not in app.jinja_env.compile("{{ x }}", name="t.txt", raw=True)
    tenant = make.tenant("nordvik", "<b>Nordvik</b> & \"co\" 'x'")
    sign_in(client, make.user(tenant=tenant, role="officer"))
    page = client.get("/t/nordvik/").get_data(as_text=True)
    assert "<h1>&lt;b&gt;Nordvik&lt;/b&gt; &amp; &#34;co&#34; &#39;x&#39;</h1>" in page and "<b>Nordvik" not in page
