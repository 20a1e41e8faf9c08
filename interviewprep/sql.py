"""Rows read with written-out SQL (where the ORM's building costs more than the query), converted as the ORM
converts its own: JSON parsed, and on SQLite dates, times and booleans from what it stores."""

from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Field


@cache
def _converters(vendor: str, fields: tuple[Field, ...]) -> tuple:
    return tuple(
        tuple(connection.ops.get_db_converters(f.get_col(f.model._meta.db_table)) + f.get_db_converters(connection))
        for f in fields
    )


def from_db(fields: tuple[Field, ...], values: Sequence) -> list:
    """The values of `fields`, in order, as the model's attributes take them."""
    row = []
    for value, field, functions in zip(values, fields, _converters(connection.vendor, fields), strict=True):
        for convert in functions:
            value = convert(value, field, connection)
        row.append(value)
    return row
