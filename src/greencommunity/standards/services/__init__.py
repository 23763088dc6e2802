"""Writes to standards: editing drafts (`drafts`), versions, refinement and adoption
(`versions`), import and export (`transfer`); shared checks in `checks`."""
