"""Rows read with written-out SQL (where the ORM's building costs more than the query), converted as the ORM
converts its own: JSON parsed, and on SQLite dates, times and booleans from what it stores."""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Field

# (vendor, id of a fields tuple) -> (that tuple, [(position, converters)] of the fields that have any). Keyed by
# identity: hashing the fields on every row cost more than converting it (a Field hashes its model's names). The
# tuple is kept in the value, so while it is cached no other object can take its id.
_CONVERTERS: dict[tuple[str, int], tuple[tuple[Field, ...], list]] = {}


def _converters(fields: tuple[Field, ...]) -> list:
    key = (connection.vendor, id(fields))
    found = _CONVERTERS.get(key)
    if found is None:
        converting = []
        for position, field in enumerate(fields):
            functions = connection.ops.get_db_converters(field.get_col(field.model._meta.db_table))
            functions += field.get_db_converters(connection)
            if functions:
                converting.append((position, functions))
        found = _CONVERTERS[key] = (fields, converting)
    return found[1]


def from_db(fields: tuple[Field, ...], values: Sequence) -> list:
    """The values of `fields` (a tuple made once, at import), in order, as the model's attributes take them."""
    row = list(values)
    if len(row) != len(fields):
        raise ValueError(f"{len(row)} values for {len(fields)} fields")
    for position, functions in _converters(fields):
        value = row[position]
        field = fields[position]
        for convert in functions:
            value = convert(value, field, connection)
        row[position] = value
    return row
