"""Background work of self-assessments. Enqueue after commit, e.g. once an indicator import
has written its values:
`transaction.on_commit(lambda: rescore_drafts.enqueue(community_ids=ids))`."""

from django.tasks import task

from .services import assessments_rescore_drafts


@task()
def rescore_drafts(*, community_ids: list[int] | None = None) -> int:
    """Re-score the drafts of these communities (all drafts when None); idempotent."""
    return assessments_rescore_drafts(community_ids=community_ids)
