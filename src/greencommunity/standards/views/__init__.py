"""The standards pages: the catalogue, a standard's page with its drafts edited in place, the
diff, versions, refinement and adoption, import and export. Thin adapters over the app's
selectors, policies and services."""
