"""The competition: announcing it, sealed tenders, the opening on the record, competition Q&A.

Services (every rule) live in `settings` (deadlines, qualification, announcing), `tenders`
(a supplier's own tender: draft, submit, withdraw, receipt), `opening` (the count before the
opening time, the opening protocol, opened tenders) and `questions` (anonymised Q&A with the
six-day rule above the EEA threshold). `sealing` encrypts tender content with a key per
procurement wrapped by the instance's key-encryption key, which is never in the database.
Faces: the JSON API (`api`), project-group pages (`group_views`) and supplier-portal pages
(`supplier_views`). The package registers itself as the internal plugin `competition`.
"""
