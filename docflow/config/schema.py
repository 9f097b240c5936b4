"""Build frozen dataclasses from parsed TOML, collecting every problem with its key path and a hint."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import types
import typing
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

T = TypeVar("T")

_TYPE_NAMES = {
    str: "chữ (đặt trong dấu ngoặc kép)",
    int: "số nguyên",
    float: "số",
    bool: "true hoặc false",
    dt.date: "ngày dạng 2024-01-31",
    Path: "đường dẫn (chữ trong dấu ngoặc kép)",
}


def build(cls: type[T], raw: Any, path: str, problems: list[str]) -> T | None:
    """Convert a TOML table into `cls`; problems are appended, never raised."""
    if not isinstance(raw, dict):
        problems.append(f"{path or '(gốc)'}: phải là một bảng [..] các khóa; đang là {_kind(raw)}.")
        return None
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    for key in raw:
        if key not in fields:
            near = difflib.get_close_matches(key, list(fields), n=1)
            hint = f" Có phải ý bạn là `{near[0]}`?" if near else ""
            allowed = ", ".join(sorted(fields))
            problems.append(
                f"{_join(path, key)}: khóa không được hỗ trợ.{hint} Các khóa hợp lệ: {allowed}."
            )
    values: dict[str, Any] = {}
    ok = True
    for name, f in fields.items():
        key_path = _join(path, name)
        if name not in raw:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                problems.append(f"{key_path}: thiếu khóa bắt buộc; cần {describe(hints[name])}.")
                ok = False
            continue
        before = len(problems)
        value = convert(hints[name], raw[name], key_path, problems)
        if len(problems) > before:
            ok = False
        else:
            values[name] = value
    if not ok:
        return None
    return cls(**values)


def convert(tp: Any, raw: Any, path: str, problems: list[str]) -> Any:
    """Convert one TOML value to the annotated type, reporting a mismatch at `path`."""
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if raw is None:
            return None
        return convert(options[0], raw, path, problems)
    if origin is Literal:
        allowed = get_args(tp)
        if raw not in allowed:
            problems.append(
                f"{path}: giá trị {raw!r} không hợp lệ; chọn một trong: "
                + ", ".join(repr(a) for a in allowed) + "."
            )
        return raw
    if origin in (list, tuple):
        if not isinstance(raw, list):
            problems.append(f"{path}: cần một danh sách [..]; đang là {_kind(raw)}.")
            return ()
        (item_tp, *_) = get_args(tp) or (Any,)
        items = [convert(item_tp, v, f"{path}[{i}]", problems) for i, v in enumerate(raw)]
        return tuple(items)
    if origin is dict:
        if not isinstance(raw, dict):
            problems.append(f"{path}: cần một bảng các khóa; đang là {_kind(raw)}.")
            return {}
        _, val_tp = get_args(tp)
        return {k: convert(val_tp, v, _join(path, k), problems) for k, v in raw.items()}
    if dataclasses.is_dataclass(tp):
        return build(tp, raw, path, problems)
    return _scalar(tp, raw, path, problems)


def describe(tp: Any) -> str:
    """A Vietnamese description of an annotated type, for hints."""
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return describe([a for a in get_args(tp) if a is not type(None)][0])
    if origin is Literal:
        return "một trong: " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (list, tuple):
        return "một danh sách"
    if origin is dict or dataclasses.is_dataclass(tp):
        return "một bảng các khóa"
    return _TYPE_NAMES.get(tp, str(tp))


def _scalar(tp: Any, raw: Any, path: str, problems: list[str]) -> Any:
    if tp is Any:
        return raw
    if tp is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    if tp is Path and isinstance(raw, str):
        return Path(raw)
    if tp is dt.date and isinstance(raw, dt.datetime):
        return raw.date()
    if tp is bool and not isinstance(raw, bool):
        problems.append(f"{path}: cần {describe(tp)}; đang là {raw!r}.")
        return raw
    if tp in (int, float) and isinstance(raw, bool):
        problems.append(f"{path}: cần {describe(tp)}; đang là {raw!r}.")
        return raw
    if isinstance(tp, type) and not isinstance(raw, tp):
        problems.append(f"{path}: cần {describe(tp)}; đang là {_kind(raw)} {raw!r}.")
    return raw


def _kind(raw: Any) -> str:
    return {dict: "một bảng", list: "một danh sách", str: "chữ", int: "số nguyên",
            float: "số", bool: "true/false", dt.date: "ngày",
            dt.datetime: "ngày giờ"}.get(type(raw), "giá trị")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
