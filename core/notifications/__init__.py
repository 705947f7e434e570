"""Notifications: the email outbox, its sender and deadline reminders.

Other domains call `core.notifications.service.notify(...)` inside their transaction and
contribute reminders and passed deadlines through the hooks `samspill_reminders` and
`samspill_passed_deadlines`. The package registers itself as the internal plugin
`notifications` (`core.notifications.plugin`).
"""
