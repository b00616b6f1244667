"""What a page can say and link to, shared by the generation stage (:mod:`seedpress.site`)
and the ship check (:mod:`seedpress.check`), so the two never disagree:

- :mod:`.data`: every file of the publication through its one validator, read once;
- :mod:`.settings`: mkdocs.yml, read once (the site's address, the navigation,
  the Markdown extensions, where the blog publishes posts); with the hook it is
  the config MkDocs parsed;
- :mod:`.page_names` and the modules it gathers: every computed name a page may
  use (``{{ price(...) }}``, ``{{ rule(...) }}``, the home page's sections, ...);
- :mod:`.render`: the one renderer of those names, and where a failure is;
- :mod:`.tree`, :mod:`.links`, :mod:`.fences`, :mod:`.code_include`: where each page
  sits and what would stop the build in it (links, fragments, addresses from the
  host's root, code blocks never closed, included code).
"""
