"""Learning transfer: from a package in the learning arena to a published market dialogue.

`service.start_from_package` creates a procurement with everything a template version holds
(needs, gate items, lineage, invitation text, conference with agenda, questionnaire with its
questions, one-to-one round with its agenda) from one short form; `publishing` lists what is
still missing and publishes the dialogue. Pages: `views` (tenant space), the form is also
embedded on the package's arena page, and a dashboard panel offers the packages. The package
registers itself as the internal plugin `transfer` (`core.transfer.plugin`).
"""
