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
