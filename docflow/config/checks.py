"""Cross-checks of a structurally valid config: references, uniqueness, document conventions."""

from __future__ import annotations

import re

from docflow.catalog import KINDS, WITH_RECIPIENTS as DOCUMENTS
from docflow.config.deadlines import check_deadlines
from docflow.config.model import _CODE, Config
from docflow.config.forms import FormSpec
from docflow.text import fold

HISTORY_SHEET = "Sổ khen thưởng"
# Field keys the outputs read from each built-in form; renaming a label is fine, dropping a key is not.
REQUIRED_KEYS = {
    "DN": {"Thông tin": ("unit_code", "proposal_number", "proposal_date", "head_title",
                         "signer", "signer_title"),
           "Danh sách": ("kind", "name", "workplace", "award")},
    "LS": {"Sổ khen thưởng": ("kind", "name", "birth_date", "workplace", "title", "year",
                              "decision_number", "decision_date")},
}


def check(config: Config) -> list[str]:
    """Every semantic problem of the config, each with its key path and a hint."""
    problems: list[str] = []
    problems += _check_campaign(config)
    problems += _check_units(config)
    problems += _check_awards(config)
    problems += _check_recipients(config)
    problems += _check_bases(config)
    problems += _check_criteria(config)
    problems += _check_limits(config)
    problems += _check_web(config)
    problems += _check_history(config)
    problems += check_deadlines(config)
    for code, form in config.forms.items():
        problems += _check_form(code, form, config)
    if "DN" not in config.forms:
        problems.append("forms.DN: thiếu biểu mẫu Đề nghị khen thưởng; hãy khai báo [forms.DN].")
    return problems


def _check_campaign(config: Config) -> list[str]:
    c = config.campaign
    if c.period_start > c.period_end:
        return ["campaign.period_start: ngày bắt đầu sau ngày kết thúc (period_end); hãy đổi lại."]
    return []


def _check_units(config: Config) -> list[str]:
    problems, seen = [], set()
    for i, unit in enumerate(config.units):
        path = f"units[{i}]"
        if not _CODE.match(unit.code):
            problems.append(f"{path}.code: {unit.code!r} không dùng được làm tên thư mục; "
                            "chỉ dùng chữ in hoa không dấu, chữ số và dấu -, ví dụ UBND-DAITU.")
        if unit.code in seen:
            problems.append(f"{path}.code: mã {unit.code!r} bị trùng; mỗi đơn vị một mã riêng.")
        seen.add(unit.code)
        if unit.valid_to and unit.valid_to < unit.valid_from:
            problems.append(f"{path}.valid_to: trước valid_from; hãy kiểm tra lại ngày.")
        if unit.successor:
            after = config.unit(unit.successor)
            if after is None or after.code == unit.code:
                problems.append(f"{path}.successor: không có đơn vị mã {unit.successor!r} "
                                "(khác đơn vị này) trong [[units]].")
            elif unit.valid_to is None:
                problems.append(f"{path}.successor: đơn vị chưa có valid_to (ngày kết thúc); "
                                "chỉ ghi đơn vị kế thừa cho đơn vị đã kết thúc hoạt động.")
        if unit.vocabulary and unit.vocabulary not in config.vocabularies:
            problems.append(f"{path}.vocabulary: không có mục [vocabularies.{unit.vocabulary}]; "
                            "chọn một trong: " + ", ".join(sorted(config.vocabularies)) + ".")
    if not config.units:
        problems.append("units: chưa có đơn vị nào; thêm ít nhất một mục [[units]].")
    return problems


def _check_awards(config: Config) -> list[str]:
    problems, seen = [], set()
    for i, award in enumerate(config.awards):
        key = fold(award.name)
        if key in seen or award.code in {a.code for a in config.awards[:i]}:
            problems.append(f"awards[{i}]: hình thức {award.name!r} hoặc mã {award.code!r} bị trùng.")
        seen.add(key)
        for attr in ("coefficient_collective", "coefficient_individual"):
            if getattr(award, attr) < 0:
                problems.append(f"awards[{i}].{attr}: hệ số không được âm.")
    if not config.money.base_salaries:
        problems.append("money.base_salaries: cần ít nhất một mức lương cơ sở [[money.base_salaries]].")
    if config.money.round_to < 1:
        problems.append("money.round_to: phải từ 1 trở lên (ví dụ 1000 hoặc 10000).")
    return problems


def _check_recipients(config: Config) -> list[str]:
    problems = []
    first = {k.name: k.first_recipient for k in KINDS if k.first_recipient}
    for doc in config.recipients:
        if doc not in DOCUMENTS:
            problems.append(f"recipients.{doc}: không có văn bản này; dùng một trong: "
                            + ", ".join(DOCUMENTS) + ".")
    for doc in DOCUMENTS:
        lines = config.recipients.get(doc)
        path = f"recipients.{doc}"
        if not lines:
            problems.append(f"{path}: thiếu danh sách Nơi nhận của văn bản này.")
            continue
        if doc in first and fold(lines[0]) != fold(first[doc]):
            problems.append(f"{path}[0]: dòng đầu phải là {first[doc]!r} (Nghị định 30).")
        if not fold(lines[-1]).startswith("lưu:"):
            problems.append(f"{path}: dòng cuối phải là dòng lưu, ví dụ 'Lưu: VT, NC'.")
        for j, line in enumerate(lines):
            if line.strip().startswith("-") or line.rstrip().endswith((";", ".")):
                problems.append(f"{path}[{j}]: bỏ '- ' ở đầu và dấu ';' hoặc '.' ở cuối; "
                                "docflow tự thêm khi lập văn bản.")
    return problems


def _check_bases(config: Config) -> list[str]:
    problems = []
    for i, basis in enumerate(config.legal_bases):
        unknown = [d for d in basis.documents if d not in DOCUMENTS]
        if unknown:
            problems.append(f"legal_bases[{i}].documents: không có văn bản {unknown}; dùng: "
                            + ", ".join(DOCUMENTS) + ".")
        if basis.effective_to and basis.effective_to < basis.effective_from:
            problems.append(f"legal_bases[{i}].effective_to: trước effective_from.")
        path = f"legal_bases[{i}]"
        if basis.date is None:
            problems.append(f"{path}.date: thiếu ngày ban hành của văn bản làm căn cứ (ví dụ "
                            "date = 2025-06-14); mỗi căn cứ phải ghi đủ số, ngày, cơ quan ban "
                            "hành và trích yếu.")
        elif basis.date > basis.effective_from:
            problems.append(f"{path}.date: ngày ban hành sau ngày có hiệu lực (effective_from); "
                            "hãy kiểm tra lại hai ngày này.")
        if basis.number and not basis.issuer:
            problems.append(f"{path}.issuer: văn bản có số thì ghi cơ quan ban hành, ví dụ "
                            'issuer = "Chính phủ".')
        for key in ("kind", "title"):
            if not getattr(basis, key).strip():
                problems.append(f"{path}.{key}: không được để trống.")
        if basis.title.rstrip().endswith((";", ".")):
            problems.append(f"{path}.title: bỏ dấu ';' hoặc '.' ở cuối; docflow tự thêm.")
        units = {u.code for u in config.units}
        for code in basis.units:
            if code not in units:
                problems.append(f"{path}.units: không có đơn vị mã {code!r} trong [[units]].")
    return problems


def _check_criteria(config: Config) -> list[str]:
    from docflow.config.rules import RuleError, compile_rule  # noqa

    problems = []
    form = config.forms.get("DN")
    known = {f.key for _, f in form.all_fields()} if form else set()
    for i, crit in enumerate(config.criteria):
        path = f"criteria[{i}]"
        if config.award(crit.award) is None:
            problems.append(f"{path}.award: không có hình thức {crit.award!r} trong [[awards]].")
        if crit.field and crit.field not in known:
            problems.append(f"{path}.field: biểu mẫu DN không có trường {crit.field!r}.")
        try:
            compile_rule(crit.rule, known)
        except RuleError as exc:
            problems.append(f"{path}.rule: {exc}")
    for i, quota in enumerate(config.quotas):
        if config.award(quota.award) is None:
            problems.append(f"quotas[{i}].award: không có hình thức {quota.award!r} trong [[awards]].")
        if quota.per_unit < 0:
            problems.append(f"quotas[{i}].per_unit: không được âm.")
    return problems


def _check_limits(config: Config) -> list[str]:
    limits = [("intake.attachment_wait_minutes", config.intake.attachment_wait_minutes, 0),
              ("intake.max_zip_bytes", config.intake.max_zip_bytes, 1),
              ("intake.max_zip_entries", config.intake.max_zip_entries, 1),
              ("watch.workers", config.watch.workers, 1),
              ("watch.stability_seconds", config.watch.stability_seconds, 0),
              ("output.instances", config.output.instances, 1),
              ("output.timeout_seconds", config.output.timeout_seconds, 1)]
    problems = [f"{key}: phải từ {low} trở lên; đang là {value}." for key, value, low in limits
                if value < low]
    if config.engine.kind == "celery" and not config.engine.broker.startswith(("redis://",
                                                                              "rediss://")):
        problems.append(f"engine.broker: cần địa chỉ Redis dạng redis://máy:6379/0; đang là "
                        f"{config.engine.broker!r}.")
    if config.engine.kind == "celery" and not config.ledger.url:
        problems.append("ledger.url: chạy nhiều máy ([engine] kind = \"celery\") cần sổ theo dõi "
                        "PostgreSQL, dạng postgresql://docflow@máy-csdl/docflow; sổ SQLite trên ổ "
                        "chung sẽ hỏng.")
    if config.ledger.url and not config.ledger.url.startswith(("postgresql://", "postgres://",
                                                               "postgresql+psycopg://")):
        problems.append(f"ledger.url: cần địa chỉ PostgreSQL dạng postgresql://người-dùng@máy/"
                        f"tên-csdl (bỏ trống để dùng SQLite trong state/); đang là "
                        f"{config.ledger.url!r}.")
    if config.register.url and not config.register.url.startswith(
            ("postgresql://", "postgres://", "postgresql+psycopg://")):
        problems.append(f"register.url: cần địa chỉ PostgreSQL dạng postgresql://người-dùng@máy/"
                        f"tên-csdl (bỏ trống để dùng tệp SQLite); đang là "
                        f"{config.register.url!r}.")
    return problems


def to_confirm(config: Config) -> list[str]:
    """Figures the office has yet to confirm: announced base salaries, rules cited second-hand."""
    notes = [f"money.base_salaries: mức {b.amount:,} đồng từ {b.effective_from:%d/%m/%Y} "
             "chưa được xác nhận (confirmed = false)".replace(",", ".")
             for b in config.money.base_salaries if not b.confirmed]
    notes += [f"eligibility[{i}]: “{r.label}” ({r.award}; {r.article}) cần văn phòng xác nhận "
              "số liệu và điều khoản (confirm = true)"
              for i, r in enumerate(config.eligibility) if r.confirm]
    return notes


def _check_history(config: Config) -> list[str]:
    """Eligibility rules name known awards and carry what their kind needs."""
    problems = []
    needs = {"consecutive": ("titles", "years"), "count": ("titles", "years", "count"),
             "ratings": ("ratings", "years"), "prior": ("titles",), "not_twice": ()}
    for i, rule in enumerate(config.eligibility):
        path = f"eligibility[{i}]"
        if config.award(rule.award) is None:
            problems.append(f"{path}.award: không có hình thức {rule.award!r} trong [[awards]].")
        for key in needs[rule.kind]:
            if not getattr(rule, key):
                problems.append(f"{path}.{key}: quy tắc kiểu {rule.kind!r} cần khóa này.")
        if rule.effective_to and rule.effective_to < rule.effective_from:
            problems.append(f"{path}.effective_to: trước effective_from.")
    form = config.forms.get(config.register.history_form)
    if form is not None and form.sheet(HISTORY_SHEET) is None:
        problems.append(f"forms.{form.code}: sổ khen thưởng cần trang tính {HISTORY_SHEET!r}.")
    return problems


def _check_form(code: str, form: FormSpec, config: Config) -> list[str]:
    problems: list[str] = []
    keys: dict[str, str] = {}
    for si, sheet in enumerate(form.sheets):
        labels: set[str] = set()
        for fi, spec in enumerate(sheet.fields):
            path = f"forms.{code}.sheets[{si}].fields[{fi}]"
            if spec.key in keys:
                problems.append(f"{path}.key: {spec.key!r} đã dùng ở trang {keys[spec.key]!r}; "
                                "mỗi trường một key riêng.")
            keys[spec.key] = sheet.name
            if spec.folded_label in labels:
                problems.append(f"{path}.label: nhãn {spec.label!r} bị trùng trong trang tính.")
            labels.add(spec.folded_label)
            if spec.type == "choice" and not (spec.choices or spec.choices_from):
                problems.append(f"{path}: trường kiểu choice cần choices = [...] hoặc "
                                'choices_from = "awards".')
            if spec.pattern:
                try:
                    re.compile(spec.pattern)
                except re.error as exc:
                    problems.append(f"{path}.pattern: biểu thức không hợp lệ ({exc}).")
    all_keys = set(keys)
    for si, sheet in enumerate(form.sheets):
        for fi, spec in enumerate(sheet.fields):
            path = f"forms.{code}.sheets[{si}].fields[{fi}]"
            refs = [*spec.required_when, *spec.empty_when, spec.not_after, spec.age_on]
            for ref in filter(None, refs):
                if ref not in all_keys:
                    problems.append(f"{path}: tham chiếu tới trường {ref!r} không có trong biểu mẫu "
                                    f"{code}; các key hiện có: {', '.join(sorted(all_keys))}.")
    # A form with only tables (LS) belongs to the unit whose folder it came from.
    has_fields = any(s.layout == "fields" for s in form.sheets)
    if has_fields and sum(1 for _, f in form.all_fields() if f.role == "unit_code") != 1:
        problems.append(f"forms.{code}: cần đúng một trường có role = \"unit_code\" (Mã đơn vị).")
    for sheet_name, needed in REQUIRED_KEYS.get(code, {}).items():
        sheet = form.sheet(sheet_name)
        have = {f.key for f in sheet.fields} if sheet else set()
        for key in needed:
            if key not in have:
                problems.append(f"forms.{code}: trang tính {sheet_name!r} thiếu trường key = "
                                f"{key!r}; các văn bản đầu ra cần trường này.")
    return problems


_ACCOUNT = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _check_web(config: Config) -> list[str]:
    """A deadline's period is one of its form's periods (the rest of the rows: deadlines.py);
    accounts are unique, hashed, of a unit."""
    problems, seen = [], set()
    for i, d in enumerate(config.deadlines):
        form = config.forms.get(d.form)
        spec = form.field_by_role("period") if form is not None else None
        periods = tuple(spec.choices) if spec is not None else ()
        if periods and d.period.strip() and d.period not in periods:
            problems.append(f"deadlines[{i}].period: {d.period!r} không phải kỳ của biểu mẫu "
                            f"{d.form}; chọn một trong: " + (", ".join(map(repr, periods))
                                                             or "'' (biểu mẫu không chia kỳ)") + ".")
    for i, account in enumerate(config.web.accounts):
        path = f"web.accounts[{i}]"
        if not _ACCOUNT.match(account.name) or account.name in seen:
            problems.append(f"{path}.name: {account.name!r} trùng hoặc có ký tự không dùng được; "
                            "chỉ dùng chữ không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới.")
        seen.add(account.name)
        if not account.password_hash.startswith("scrypt$"):
            problems.append(f"{path}.password_hash: không phải mật khẩu đã băm; tạo bằng lệnh "
                            "`docflow serve --hash-password` rồi dán kết quả vào đây.")
        if account.unit and config.unit(account.unit) is None:
            problems.append(f"{path}.unit: không có đơn vị {account.unit!r} trong [[units]]; "
                            "để trống cho tài khoản của cơ quan thường trực.")
    return problems
