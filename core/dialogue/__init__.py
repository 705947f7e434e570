"""The market dialogue: invitation, conference, Q&A, questionnaires, one-to-one meetings.

Services (every rule) live in `invitation`, `registrations`, `conference`, `questions`,
`questionnaires`, `responses`, `exports`, `meetings`, `calendar`, `attachments`, with access
and the freeze in `rules`. Faces: the JSON API (`api*`), project-group pages in the tenant
space (`group_views*`), and supplier-portal pages (`supplier_views`).

The package registers itself as the internal plugin `dialogue` (`core.dialogue.plugin`). It
asks the packages below it, through hooks, for the invitation draft of a procurement's template
(`samspill_invitation_template`) and for suggested questionnaire questions (the lead's domain
plugins, `samspill_questionnaire_questions`); `core.dialogue.templating.template_material`
gives the dialogue's reusable parts for a template, never anything a supplier wrote.
"""
