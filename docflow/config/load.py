"""Read config.toml into a Config: syntax, structure, then the cross-checks, every problem at once."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from docflow.config.checks import check
from docflow.config.forms import FormSpec
from docflow.config.model import Config
from docflow.config.schema import build
from docflow.config.where import humanize, syntax_message
from docflow.errors import ConfigError

def load(path: Path | str) -> Config:
    """Read and validate config.toml; raise ConfigError listing every problem."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(str(path), ["đây là một thư mục, không phải tệp cấu hình; hãy chỉ "
                                      f"tới tệp, ví dụ --config {path / 'config.toml'}."])
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), ["không tìm thấy tệp; kiểm tra đường dẫn --config."]) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), ["tệp không được lưu bằng mã UTF-8; mở bằng Notepad, chọn "
                                      "Lưu thành… và chọn Mã hóa: UTF-8."]) from None
    except OSError as exc:
        raise ConfigError(str(path), [f"không đọc được tệp ({exc.strerror}); kiểm tra quyền "
                                      "đọc tệp."]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), [syntax_message(exc, text)]) from None
    try:
        return parse(raw, path.resolve().parent, str(path))
    except ConfigError as exc:  # key paths counted from 0 -> the line and block a person sees
        raise ConfigError(str(path), humanize(exc.problems, text)) from None


def parse(raw: dict, root: Path, source: str = "config.toml") -> Config:
    """Build a Config from parsed TOML; raise ConfigError listing every problem."""
    problems: list[str] = []
    forms_raw = raw.get("forms", {})
    rest = {k: v for k, v in raw.items() if k != "forms"}
    forms: dict[str, FormSpec] = {}
    if not isinstance(forms_raw, dict):
        problems.append("forms: cần một bảng [forms.<MÃ>] cho mỗi biểu mẫu.")
        forms_raw = {}
    for code, form_raw in forms_raw.items():
        data = dict(form_raw, code=code) if isinstance(form_raw, dict) else form_raw
        spec = build(FormSpec, data, f"forms.{code}", problems)
        if spec is not None:
            forms[code] = spec
    if "root" in rest:
        problems.append("root: khóa không được hỗ trợ; đường dẫn tính từ thư mục chứa config.toml.")
        del rest["root"]
    rest["forms"] = {}
    config = build(Config, rest, "", problems)
    if config is None or problems:
        raise ConfigError(source, problems)
    config = replace(config, forms=forms, root=root)
    problems.extend(check(config))
    if problems:
        raise ConfigError(source, problems)
    return config
