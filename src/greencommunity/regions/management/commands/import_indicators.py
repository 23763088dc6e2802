from collections.abc import Callable, Mapping
from typing import Any

from greencommunity.documents.commands import ImportCommand
from greencommunity.regions.services.data_import import indicator_aliases, indicators_import


class Command(ImportCommand):
    help = "Import yearly indicator values (one column per indicator), all rows or none."

    def aliases(self) -> Mapping[str, Any]:
        return indicator_aliases()

    def importer(self) -> Callable[..., Any]:
        return indicators_import
