"""Move an existing SQLite ledger to PostgreSQL (`docflow ledger-copy --to postgresql://…`).

Every table the SQLite file has is copied row for row, ids kept, in one transaction; the
identity counters then continue after the highest id. Leases and claims are not copied: they
belong to processes that must be stopped for the move anyway."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docflow.errors import LedgerError
from docflow.store import backend
from docflow.store.schema import SCHEMA

SKIPPED = ("leases", "claims", "schema_version")


def copy_ledger(source: Path, url: str) -> dict[str, int]:
    """Copy the SQLite ledger at `source` into the empty PostgreSQL ledger at `url`; rows per
    table. Refuses a target that already has files, so nothing is ever mixed or doubled."""
    if not source.is_file():
        raise LedgerError(f"Không thấy sổ theo dõi SQLite {source}; kiểm tra đường dẫn --config "
                          "(sổ nằm trong thư mục state/ của đợt).")
    if not url.startswith(("postgresql", "postgres:")):
        raise LedgerError(f"--to cần địa chỉ postgresql://…; đang là {url!r}.")
    return copy_tables(source, backend.connect(url), SCHEMA, "files")


def copy_tables(source: Path, dst: Any, schema: str, guard: str,
                what: str = "Sổ theo dõi") -> dict[str, int]:
    """Copy every table of the SQLite file `source` that `schema` names into the PostgreSQL
    backend `dst` (the ledger, or the office's award register), ids kept; refuses a target whose
    `guard` table has rows. Closes both."""
    src = backend.SqliteBackend(source)
    try:
        backend.prepare(dst, schema)
        tables = [r["name"] for r in src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid")]
        counts: dict[str, int] = {}
        dst.execute("BEGIN IMMEDIATE")
        try:
            if dst.execute(f"SELECT COUNT(*) AS n FROM {guard}").fetchone()["n"]:
                raise LedgerError(f"{what} PostgreSQL đích đã có dữ liệu; chỉ chép vào một "
                                  "cơ sở dữ liệu mới tạo (createdb) để không trộn hai sổ.")
            for table in tables:
                if table in SKIPPED or table.lower() not in dst.tables:
                    continue
                counts[table] = _copy_table(src, dst, table)
            dst.execute("COMMIT")
        except BaseException:
            dst.execute("ROLLBACK")
            raise
        return counts
    except (src.errors + dst.errors) as exc:
        raise LedgerError(f"Không chép được {what.lower()} sang PostgreSQL: {exc}. Sổ SQLite vẫn "
                          "nguyên vẹn; sửa lỗi rồi chạy lại lệnh trên một cơ sở dữ liệu mới.") from exc
    finally:
        src.close()
        dst.close()


def _copy_table(src: backend.SqliteBackend, dst: backend.PostgresBackend, table: str) -> int:
    wanted = dst.tables[table.lower()][0]
    rows = src.execute(f"SELECT * FROM {table}").fetchall()
    for row in rows:
        cols = [c for c in row.keys() if c.lower() in wanted]
        dst.execute(f"INSERT INTO {table}({', '.join(cols)}) VALUES "
                    f"({', '.join('?' for _ in cols)})", tuple(row[c] for c in cols))
    if dst.tables[table.lower()][2]:  # ids were given: the counter continues after them
        dst.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
    return len(rows)
