"""The procurement overview's Python (speed round 9). The page, its header and the dialogue's
navigation render into one string each (set blocks); the header's phase stepper, the labels, the
three sentences with values and the empty lesson form come from `procurement/_texts.html`, kept
per language (`core.web.layout.constant_texts`), and print exactly what the templates printed
before; the packages' tabs reach the header as unpacked rows (`procurement_pages.Tab`)."""
# ruff: noqa: E501  (the reference templates are the templates' own lines, copied as they were)

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from types import SimpleNamespace

import pytest
from flask import render_template, render_template_string, url_for
from flask_babel import force_locale
from markupsafe import Markup

from core.plugin_platform import procurement_pages
from core.procurement.models import Phase, ProcurementStatus
from core.web.layout import constant_texts
from tests.catalogue_calls import messages_per_visit
from tests.jinja_joins import pieces_of, record_joins
from tests.procurement.conftest import World

# The header's stepper as `_header.html` rendered it before it was kept per language.
# (The header prints the line's indentation before it.)
HEADER_STEPPER = """{% set phase_labels = procurement_labels.phase %}{% set phase_values = phase_labels.keys()|list %}
  {% set current = phase_values.index(procurement.phase.value) %}
  {% set status = procurement.status.value %}
  <ol class="phase-stepper" id="phase-stepper" aria-label="{{ _('Phases') }}">
    {% for value in phase_values[:6] %}
      <li data-phase="{{ value }}" class="{{ 'done' if loop.index0 < current or status == 'completed' else ('current' if loop.index0 == current else 'ahead') }}"{% if loop.index0 == current and status == 'active' %} aria-current="step"{% endif %}>{{ phase_labels[value] }}</li>
    {% endfor %}
  </ol>"""

# The overview's lesson form as `show.html` rendered it through the form macros.
LESSON_FORM = """{% from "macros.html" import csrf, field, error_summary %}<details{% if errors %} open{% endif %}>
      <summary>{{ _('Share a lesson learned') }}</summary>
      <p class="hint">{{ _('Lessons learned are visible to every municipality in the learning arena. Never include supplier information or business secrets.') }}</p>
      <form method="post" action="{{ action }}" novalidate id="lesson-form">
        {{ csrf() }}
        {{ field('title', _('Title'), lesson_form.get('title', ''), errors=errors, required=True) }}
        {{ field('body', _('What did you learn?'), lesson_form.get('body', ''), type='textarea', errors=errors, required=True) }}
        <button class="ds-button" data-variant="secondary" type="submit">{{ _('Share') }}</button>
      </form>
    </details>"""


@pytest.fixture
def world(app, make):
    return World(app, make)




def test_the_kept_stepper_is_the_headers_markup_for_every_phase_status_and_language(app):
    for lang in ("nb", "nn", "en"):
        with app.test_request_context("/"), force_locale(lang):
            texts = constant_texts("procurement/_texts.html")
            for status in ProcurementStatus:
                for phase in Phase:
                    procurement = SimpleNamespace(phase=phase, status=status)
                    expected = render_template_string(HEADER_STEPPER, procurement=procurement)
                    assert str(texts.steppers[(phase.value, status.value)]) == expected, (lang, phase, status)


def test_the_kept_labels_and_sentences_print_what_the_templates_printed(app):
    labels = app.jinja_env.globals["procurement_labels"]
    for lang in ("nb", "nn", "en"):
        with app.test_request_context("/"), force_locale(lang):
            texts = constant_texts("procurement/_texts.html")
            for kind in ("phase", "procedure", "contract_kind", "part", "key_date"):
                for value, label in labels[kind].items():
                    assert render_template_string("{{ n }}", n=texts.names[kind][value]) == \
                        render_template_string("{{ n }}", n=label)
            name = 'Asker & "Bærum" <kommune>'
            assert texts.led_by % {"name": name} == render_template_string(
                "{{ _('Led by %(name)s', name=name) }}", name=name)
            assert texts.gate_progress % {"met": 3, "total": 7} == render_template_string(
                "{{ _('%(met)s of %(total)s items done or waived.', met=3, total=7) }}")
            assert texts.started_from % {"title": name, "number": 2} == render_template_string(
                "{{ _('Started from “%(title)s”, version %(number)s.', title=name, number=2) }}", name=name)


def _tokens_out(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value="-"', html)


def test_the_empty_lesson_form_is_the_form_macros_markup_in_every_language(app, world):
    pid = world.procurement(title='Rør & "sikkerhet" <b>')["id"]
    browser = world.browser("baerum")
    action = f"/t/baerum/procurements/{pid}/lessons"
    for lang in ("nb", "nn", "en"):
        with browser.session_transaction() as session:
            session["lang"] = lang
        page = _tokens_out(browser.get(f"/t/baerum/procurements/{pid}/").get_data(as_text=True))
        with app.test_request_context("/"), force_locale(lang):
            expected = _tokens_out(render_template_string(LESSON_FORM, errors={}, lesson_form={}, action=action))
        assert expected in page, lang
        assert "&lt;b&gt;" in page and "<b>" not in page.split("<main", 1)[1]


def test_a_refused_lesson_is_shown_again_through_the_form_macros(world):
    pid = world.procurement()["id"]
    browser = world.browser("baerum")
    page = browser.get(f"/t/baerum/procurements/{pid}/").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 2)[2].split('"', 1)[0]
    refused = browser.post(f"/t/baerum/procurements/{pid}/lessons",
                           data={"title": 'Kort & "godt" <x>', "body": "", "csrf_token": token})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'class="error-summary"' in html and "<details open>" in html and 'id="f-body-error"' in html
    assert 'value="Kort &amp; &#34;godt&#34; &lt;x&gt;"' in html


def test_an_overview_visit_asks_the_catalogue_for_few_messages(app, world, monkeypatch):
    pid = world.procurement(estimated_value_ore=150_000_000_00, procedure="open")["id"]
    browser = world.browser("baerum")
    # the header, facts, gate, lesson form and tabs' texts are kept per language; what is left:
    # the notice's band and venue sentences, the next step, and the packages' tab labels
    asked = messages_per_visit(app, browser, f"/t/baerum/procurements/{pid}/", monkeypatch)
    print("messages asked", asked)
    assert asked <= 12


def test_the_overview_reaches_the_layout_in_one_piece(app, world, monkeypatch):
    pid = world.procurement()["id"]
    browser = world.browser("baerum")
    joins = record_joins(app, monkeypatch)
    page = browser.get(f"/t/baerum/procurements/{pid}/").get_data(as_text=True)
    header = next(p for p in reversed(joins) if "".join(p).lstrip().startswith("<p><a href=")
                  and 'id="procurement-title"' in "".join(p))
    content = next(p for p in reversed(joins) if 'id="lesson-form"' in "".join(p) and "<!doctype" not in "".join(p))
    assert len(header) > 1 and len(content) > 1  # each a set block's buffer, joined once
    # the page's content reaches the layout's buffer as one piece, holding the header as one
    layout = next(p for p in reversed(joins) if "".join(p) == page)
    assert sum('id="lesson-form"' in piece for piece in layout) == 1
    assert [piece for piece in layout if 'id="procurement-title"' in piece] == \
        [piece for piece in layout if 'id="lesson-form"' in piece]
    assert pieces_of(joins, "".join(content)) == len(content)


def test_tab_rows_print_what_the_header_printed_for_each_kind_of_answer(app):
    Tab, tab_rows = procurement_pages.Tab, procurement_pages.tab_rows
    class Item:
        url, label = "/x/", "Objekt"

    class Answer(Mapping):  # a mapping that is not a dict: Jinja read its keys
        def __init__(self, **values):
            self.values = values

        def __getitem__(self, key):
            return self.values[key]

        def __iter__(self):
            return iter(self.values)

        def __len__(self):
            return len(self.values)

    rows = tab_rows([[{"url": "/a/", "label": "A", "id": "a"}], None, [{"label": "No url"}, Item()],
                     [{"url": None, "label": Markup("<b>B</b>")}]])
    assert rows == [Tab("/a/", "A", "a"), Tab("", "No url", None), Tab("/x/", "Objekt", None),
                    Tab(None, Markup("<b>B</b>"), None)]
    old = ('{% for item in tabs %}<li><a {% if item.id %}id="tab-{{ item.id }}" {% endif %}href="{{ item.url }}"'
           '{% if item.id and active_tab == item.id %} aria-current="page"{% endif %}>{{ item.label }}</a></li>{% endfor %}')
    new = ('{% for url, label, tab_id in tabs %}<li><a {% if tab_id %}id="tab-{{ tab_id }}" {% endif %}href="{{ url }}"'
           '{% if tab_id and active_tab == tab_id %} aria-current="page"{% endif %}>{{ label }}</a></li>{% endfor %}')
    answers = [[{"url": "/a/", "label": "A", "id": "a"}], None, [{"label": "No url"}, Item()],
               [{"url": None, "label": Markup("<b>B</b>")}], [Answer(url="/m/", label="M", id="m")]]
    with app.test_request_context("/"):
        for active in ("a", "overview"):
            assert render_template_string(new, tabs=tab_rows(answers), active_tab=active) == render_template_string(
                old, tabs=[item for result in answers for item in result or []], active_tab=active)


def test_the_dialogue_navigation_is_one_piece_with_the_same_links_in_every_language(app, world, monkeypatch):
    pid = uuid.UUID(world.procurement(title='A & "B" <c>')["id"])
    crumb = SimpleNamespace(title='A & "B" <c>')
    joins = record_joins(app, monkeypatch)
    for lang in ("nb", "nn", "en"):
        with app.test_request_context(f"/t/baerum/procurements/{pid}/dialogue/"), force_locale(lang):
            app.preprocess_request()
            html = render_template("dialogue/group/_nav.html", pid=pid, dialogue_procurement=lambda: crumb)
            index, show = url_for("procurement.index"), url_for("procurement.show", procurement_id=pid)
            dialogue = url_for("dialogue.overview", procurement_id=pid)
        assert f'<p><a href="{index}">' in html and f'id="crumb-procurement" href="{show}">A &amp; &#34;B&#34; &lt;c&gt;</a>' in html
        for tail in ("", "conference", "questions", "questionnaires", "meetings", "calendar.ics"):
            assert f'href="{dialogue}{tail}"' in html
        assert pieces_of(joins, html) == 1, lang


# The header's own tabs as `_header.html` rendered them before they were kept per language.
HEADER_TABS = """
      {% set urls = urls %}
      {% set tabs = [('overview', urls.base, _('Overview')),
                     ('needs', urls['procurement_needs.show'], _('Needs and files')),
                     ('gates', urls['procurement_gates.show'], _('Phases and gates')),
                     ('participants', urls['procurement_group.show'], _('Participants and project group')),
                     ('protocol', urls['procurement.protocol_page'], _('Protocol'))] %}
      {% for key, href, text in tabs %}
        <li><a id="tab-{{ key }}" href="{{ href }}"{% if active_tab == key %} aria-current="page"{% endif %}>{{ text }}</a></li>
      {% endfor %}
      """


def test_the_kept_tabs_with_their_links_are_the_headers_markup_for_every_current_tab(app):
    urls = {"base": "/t/a&b/procurements/1/", "procurement_needs.show": "/n?x=<1>",
            "procurement_gates.show": "/g/", "procurement_group.show": '/p"/', "procurement.protocol_page": "/pr/"}
    links = [urls["base"], *(urls[k] for k in list(urls)[1:])]
    for lang in ("nb", "nn", "en"):
        with app.test_request_context("/"), force_locale(lang):
            texts = constant_texts("procurement/_texts.html")
            for active in ("overview", "needs", "gates", "participants", "protocol", "requirements", None):
                runs = texts.tab_runs.get(active) or texts.tab_runs[None]
                kept = render_template_string(
                    "\n      {{ r[0] }}{{ l[0] }}{{ r[1] }}{{ l[1] }}{{ r[2] }}{{ l[2] }}{{ r[3] }}{{ l[3] }}"
                    "{{ r[4] }}{{ l[4] }}{{ r[5] }}", r=runs, l=links)
                old = render_template_string(HEADER_TABS, urls=_Urls(urls), active_tab=active)
                assert kept == old, (lang, active)


class _Urls(dict):
    """`ProcurementUrls`' two ways in: `urls.base` and `urls[endpoint]`."""

    @property
    def base(self):
        return self["base"]


def test_gate_items_keep_the_first_of_each_key_in_phase_order(app, world):
    from core import isolation
    from core.db import db
    from core.procurement import gates
    from core.procurement.models import PHASE_ORDER, Procurement

    custom = [{"phase": "contract", "key": "c-1", "text": "Kontrakt"}, {"phase": "anchoring", "key": "a-1", "text": "A"},
              {"phase": "needs", "key": "c-1", "text": "Duplicate key: the first wins"}]
    pid = world.procurement()["id"]
    with app.app_context(), isolation.system_scope():
        procurement = db.session.get(Procurement, uuid.UUID(pid))
        procurement.custom_gate_items = custom
        items = gates.gate_items(procurement)
        # the previous rule: the first of each key, stably sorted by phase
        everything = [*gates.CORE_ITEMS, *(gates._as_item(raw, "template") for raw in custom),
                      *(gates._as_item(raw, raw["source"]) for raw in gates.gate_items_for(procurement))]
        first = {}
        for item in everything:
            first.setdefault(item.key, item)
        expected = sorted(first.values(), key=lambda i: PHASE_ORDER.index(i.phase))
        assert items == expected
        assert next(i for i in items if i.key == "c-1").text == "Kontrakt"
        db.session.rollback()


def test_the_procurement_urls_read_the_request_g_and_app_without_proxies(app, monkeypatch):
    from flask import g

    from core.procurement import urls as procurement_urls

    class NoProxy:
        def __getattr__(self, name):
            raise AssertionError(f"looked up through the proxy: {name}")

    pid = uuid.UUID(int=7)
    with app.test_request_context("/t/baerum/", base_url="http://localhost/kommune"):
        g.tenant_slug = "baerum"
        expected = [url_for(e, procurement_id=pid) for e in ("procurement.show", "procurement_gates.show",
                                                               "dialogue.overview")]
        procurement_urls.ProcurementUrls(pid)["procurement_gates.show"]  # the tails learnt once
        monkeypatch.setattr(procurement_urls, "current_app", NoProxy())
        built = procurement_urls.ProcurementUrls(uuid.UUID(int=7))
        assert [built.base, built["procurement_gates.show"], procurement_urls.page_url("dialogue.overview", pid)] \
            == expected
        assert expected[0] == f"/kommune/t/baerum/procurements/{pid}/"
        monkeypatch.undo()
    with app.test_request_context("/t/asker/"):  # the next request builds its own overview URL
        g.tenant_slug = "asker"
        assert procurement_urls.ProcurementUrls(pid).base == f"/t/asker/procurements/{pid}/"
