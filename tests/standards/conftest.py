import pytest


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read service messages: compare them in English, whatever the default."""
    from django.utils import translation

    with translation.override("en"):
        yield
