"""Database helpers for the few hot paths that write many rows at once."""

from django.db import connections, router


def insert_many(model, objects: list, *, batch_size: int = 5000) -> None:
    """INSERT unsaved model instances with `executemany`.

    Same effect as `bulk_create` for models that need no signals (an auto-increment primary key
    is left to the database and not read back), but without building one large SQL string per
    batch: for a 100 000-row manifest that string building costs more than the database does. Values go through each
    field's `pre_save` and `get_db_prep_save`, so defaults, auto_now and type conversion are the
    ORM's own.
    """
    if not objects:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.db_returning)]
    quote = connection.ops.quote_name
    # Table and column names come from the model and are quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            batch = objects[start : start + batch_size]
            rows = [
                [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields] for obj in batch
            ]
            if connection.vendor == "postgresql":
                # COPY is PostgreSQL's bulk path: several times faster than row-by-row INSERTs.
                copy_sql = "COPY {} ({}) FROM STDIN".format(
                    quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
                )
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, rows)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = using
