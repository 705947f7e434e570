"""Guidance on procurement and dialogue pages: the phase stepper, the next step, breadcrumbs
back to the procurement, and an action that would fail shown disabled with its reason."""

from __future__ import annotations

import re

import pytest

DIALOGUE_PAGES = ("", "conference", "questions", "questionnaires", "meetings")


@pytest.fixture
def started(world, package):
    response = package.start(world.browser("drammen"))
    return re.search(r"/procurements/([0-9a-f-]{36})/ready$", response.headers["Location"]).group(1)


def test_every_procurement_page_shows_the_phases_and_the_next_step(world, started):
    browser = world.browser("drammen")
    for path in ("", "needs", "gates", "participants"):
        html = browser.get(f"/t/drammen/procurements/{started}/{path}").get_data(as_text=True)
        stepper = re.search(r'<ol class="phase-stepper" id="phase-stepper".*?</ol>', html, re.S).group(0)
        assert re.findall(r'data-phase="(\w+)"', stepper) == ["anchoring", "needs", "dialogue", "competition",
                                                               "evaluation", "contract"], path
        assert re.search(r'data-phase="anchoring" class="current" aria-current="step"', stepper), path
        assert 'id="next-step" data-step="publish-dialogue"><strong>' in html, path
        assert f'href="/t/drammen/procurements/{started}/ready"' in html, path


def test_the_next_step_follows_the_dialogue_once_published(world, started):
    browser = world.browser("drammen")
    confirm = ["core-mandate", "core-project-group", "core-needs-prioritised", "wt-users-involved"]
    waiver = {"waive-core-benefits-baseline": "Baselines follow before the competition."}
    assert browser.post(f"/t/drammen/procurements/{started}/ready",
                        data={"confirm": confirm, **waiver}).status_code == 303
    html = browser.get(f"/t/drammen/procurements/{started}/").get_data(as_text=True)
    assert 'id="next-step" data-step="follow-dialogue"' in html
    assert 'data-phase="anchoring" class="done"' in html and 'data-phase="needs" class="done"' in html


def test_every_dialogue_page_leads_back_to_the_procurement(world, started):
    browser = world.browser("drammen")
    for page in DIALOGUE_PAGES:
        response = browser.get(f"/t/drammen/procurements/{started}/dialogue/{page}")
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        crumb = f'id="crumb-procurement" href="/t/drammen/procurements/{started}/">Tryggere hverdag i Drammen<'
        assert crumb in html, page


def test_opening_the_dialogue_too_early_is_shown_disabled_with_the_reason(world, started):
    browser = world.browser("drammen")
    html = browser.get(f"/t/drammen/procurements/{started}/dialogue/").get_data(as_text=True)
    assert 'id="open-dialogue" disabled aria-describedby="f-phase"' in html and 'id="f-phase"' in html
    assert 'id="open-dialogue-form"' not in html
    refused = browser.post(f"/t/drammen/procurements/{started}/dialogue/open")
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert 'href="#f-phase"' in page and 'id="f-phase"' in page  # the error's link has a target
