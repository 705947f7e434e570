"""Browser tests in headless Chromium against the real demo server (marked `e2e`)."""
