"""Plain multi-row INSERT through the DB-API `executemany`, for imports of 10^5 rows.

`bulk_create` compiles SQL and prepares every value in Python (about 25 µs a value), which
dominates an import of the national registry; this sends the same rows as a driver would.
The caller gives every NOT NULL column; values are adapted for the backend here (dates,
datetimes, decimals); no model `save()` or signals run, exactly as with `bulk_create`.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.db.models import Model

BATCH = 5000


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT `rows` (tuples in the order of `fields`) into `model`'s table; returns the count."""
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    qn = connection.ops.quote_name
    concrete = {f.name: f.column for f in opts.concrete_fields if f.column}
    columns = ", ".join(qn(concrete[f]) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Identifiers come from model metadata, quoted by the backend; values are parameters.
    sql = f"INSERT INTO {qn(opts.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    ops = connection.ops

    adapted: dict[Any, Any] = {}  # imports repeat the same timestamps and dates

    def adapt(value: Any) -> Any:
        if value is None or type(value) in (str, int, bool):
            return value
        if value not in adapted:
            if isinstance(value, datetime):
                adapted[value] = ops.adapt_datetimefield_value(value)
            elif isinstance(value, date):
                adapted[value] = ops.adapt_datefield_value(value)
            elif isinstance(value, Decimal):
                return ops.adapt_decimalfield_value(value)
            else:
                return value
        return adapted[value]

    count, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(adapt(v) for v in row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
