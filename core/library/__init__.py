"""The template library and the learning arena: versioned templates, reuse and lessons learned.

Templates come from the platform (`platform_templates/`), from plugins and from tenants; the
format is `samspill.template/1` (docs/template-format.md). The arena lives at `/arena/`. The
package registers itself as the internal plugin `library` (`core.library.plugin`).
"""
