"""The site stage: the mkdocs hook (the only importer of mkdocs) and its helpers."""
