from collections.abc import Callable, Mapping
from typing import Any

from greencommunity.documents.commands import ImportCommand
from greencommunity.reviews.services.titles_import import ALIASES, titles_import


class Command(ImportCommand):
    help = (
        "Import titles named before the platform (区划代码, 称号, 年度, 命名日期, 证书编号, 状态, "
        "撤销日期), all rows or none."
    )

    def aliases(self) -> Mapping[str, Any]:
        return ALIASES

    def importer(self) -> Callable[..., Any]:
        return titles_import
