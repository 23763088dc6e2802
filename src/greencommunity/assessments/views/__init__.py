"""Self-assessment pages (自评): thin adapters over `selectors`, `selectors_page` and
`services`. `pages`: the list, starting, the assessment page with its answers, submitting,
reopening and the score sheet; `evidence`: uploading, deleting and serving proof files."""
