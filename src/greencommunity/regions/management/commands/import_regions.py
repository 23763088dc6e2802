from collections.abc import Callable, Mapping
from typing import Any

from greencommunity.documents.commands import ImportCommand
from greencommunity.regions.services.registry_import import ALIASES, regions_import


class Command(ImportCommand):
    help = "Import regions and community profiles (upsert by code), all rows or none."

    def aliases(self) -> Mapping[str, Any]:
        return ALIASES

    def importer(self) -> Callable[..., Any]:
        return regions_import
