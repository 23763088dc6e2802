from collections.abc import Callable, Mapping
from typing import Any

from greencommunity.documents.commands import ImportCommand
from greencommunity.regions.services.data_import import COMPOUND_ALIASES, compounds_import


class Command(ImportCommand):
    help = "Import residential compounds (upsert by community and name), all rows or none."

    def aliases(self) -> Mapping[str, Any]:
        return COMPOUND_ALIASES

    def importer(self) -> Callable[..., Any]:
        return compounds_import
