"""Plain multi-row INSERT through the DB-API `executemany`, for imports of 10^5 rows.

`bulk_create` compiles SQL and prepares every value in Python (about 25 µs a value), which
dominates an import of the national registry; this sends the same rows as a driver would.
The caller gives every NOT NULL column; values are adapted for the backend here (dates,
datetimes, decimals); no model `save()` or signals run, exactly as with `bulk_create`.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model

BATCH = 5000
ADAPTED_TYPES = {"DateTimeField", "DateField", "DecimalField"}


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    same: dict[str, Any] | None = None,
) -> int:
    """INSERT `rows` (sequences in the order of `fields`) into `model`'s table, each with the
    values of `same` too (e.g. the timestamps); returns the count."""
    same = same or {}
    fields = [*fields, *same]
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    qn = connection.ops.quote_name
    concrete = {f.name: f.column for f in opts.concrete_fields if f.column}
    columns = ", ".join(qn(concrete[f]) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Identifiers come from model metadata, quoted by the backend; values are parameters.
    sql = f"INSERT INTO {qn(opts.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    ops = connection.ops

    # Only date, datetime and decimal columns need the backend's adaptation; the others go as
    # they are. Imports repeat the same timestamps, so adapted values are remembered.
    field_types = {f.name: f.get_internal_type() for f in opts.concrete_fields}
    to_adapt = [i for i, f in enumerate(fields) if field_types[f] in ADAPTED_TYPES]
    adapters: dict[str, Callable[[Any], Any]] = {
        "DateTimeField": ops.adapt_datetimefield_value,
        "DateField": ops.adapt_datefield_value,
        "DecimalField": ops.adapt_decimalfield_value,
    }
    memo: dict[Any, Any] = {}

    def adapt(value: Any, kind: str) -> Any:
        if value is None:
            return None
        key = (kind, value)
        if key not in memo:
            memo[key] = adapters[kind](value)
        return memo[key]

    constant = tuple(
        adapt(v, field_types[f]) if field_types[f] in ADAPTED_TYPES else v for f, v in same.items()
    )
    to_adapt = [i for i in to_adapt if i < len(fields) - len(same)]
    kinds = [field_types[fields[i]] for i in to_adapt]
    count, batch = 0, list[Sequence[Any]]()
    with connection.cursor() as cursor:
        for row in rows:
            if to_adapt:
                values = list(row)
                for i, kind in zip(to_adapt, kinds, strict=True):
                    values[i] = adapt(values[i], kind)
                batch.append((*values, *constant))
            else:
                batch.append((*row, *constant))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
