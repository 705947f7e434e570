"""Small browser actions shared by the e2e flow tests (beside `conftest.sign_in`)."""

from __future__ import annotations


def accept_confirmations(page) -> None:
    """Forms with `data-confirm` ask `window.confirm` first; say yes, as the person would."""
    page.on("dialog", lambda dialog: dialog.accept())


def watch_server_errors(page, failures: list[str]) -> None:
    """Add every 5xx answer the page receives to `failures` (assert it stays empty)."""
    page.on("response", lambda response: failures.append(f"{response.status} {response.url}")
            if response.status >= 500 else None)


def submit(page, button) -> None:
    """Click a form's submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def accept_buyer_invitation(page, procurement_id, volume: str = "1 500 000") -> None:
    """On the dashboard, accept an invitation as buyer: the answer's own page asks for the
    municipality's mandate (decision reference, date, signatory, estimated volume) and confirms."""
    submit(page, page.locator(f"#accept-{procurement_id}"))
    page.locator("#f-decision_ref").fill("PS 12/26")
    page.locator("#f-decided_on").fill("2026-09-01")
    page.locator("#f-signatory").fill("Kommunedirektøren")
    page.locator("#f-volume_nok").fill(volume)
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, page.locator("#confirm-accept"))
