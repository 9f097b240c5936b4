"""Safe evaluation of the criteria the administrator writes in config.toml.

An expression is parsed with Python's `ast` and walked by this module: only comparisons,
boolean logic, arithmetic, literals, field names and a few named functions are allowed, so an
expression can never reach Python objects, files or the network. `compile_rule` checks the
expression once, at config load, against the fields the form has.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from docflow.text import fold
from docflow.values import age_on
from docflow.errors import RuleError


def _year(value: Any) -> int | None:
    return value.year if isinstance(value, dt.date) else None


def _age(birth: Any, day: Any) -> int | None:
    return age_on(birth, day) if isinstance(birth, dt.date) and isinstance(day, dt.date) else None


def _len(value: Any) -> int:
    return 0 if value is None else len(str(value))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": _len, "year": _year, "age": _age, "fold": lambda v: fold(str(v or "")),
    "abs": abs, "min": min, "max": max,
}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
            ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
_ARITH = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
          ast.Div: operator.truediv, ast.Mod: operator.mod}
_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub,
            ast.Compare, ast.BinOp, ast.Name, ast.Load, ast.Constant, ast.Call, ast.In, ast.NotIn,
            ast.Tuple, ast.List, *_COMPARE, *_ARITH)


@dataclass(frozen=True)
class Rule:
    """A checked expression, ready to evaluate against a row's values."""

    source: str
    tree: ast.Expression
    names: frozenset[str]

    def __call__(self, values: dict[str, Any]) -> bool:
        """True when the row satisfies the rule; a value that cannot be compared fails it."""
        try:
            return bool(_eval(self.tree.body, values))
        except (TypeError, ArithmeticError, ValueError):
            return False


def compile_rule(source: str, known: set[str]) -> Rule:
    """Parse and check an expression; RuleError says what is wrong in Vietnamese."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise RuleError(f"biểu thức không đúng cú pháp ở ký tự {exc.offset}: {source!r}") from None
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise RuleError(f"không được dùng “{type(node).__name__}” trong biểu thức; chỉ dùng "
                            "so sánh, and/or/not, + - * /, số, chữ trong ngoặc kép, tên trường và các hàm "
                            + ", ".join(FUNCTIONS) + ".")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
                raise RuleError("chỉ được gọi các hàm " + ", ".join(FUNCTIONS) + ".")
        elif isinstance(node, ast.Name) and node.id not in FUNCTIONS:
            names.add(node.id)
    unknown = sorted(names - known)
    if unknown:
        raise RuleError(f"không có trường {', '.join(unknown)}; các trường có thể dùng: "
                        + ", ".join(sorted(known)) + ".")
    return Rule(source, tree, frozenset(names))


def _eval(node: ast.AST, values: dict[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return _number(values.get(node.id))
    if isinstance(node, ast.BoolOp):
        results = (_eval(v, values) for v in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return (not operand) if isinstance(node.op, ast.Not) else -operand
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        # Numbers only: "x" * 10**9 would be a memory bomb written in config.
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
            raise TypeError("arithmetic on non-numbers")
        return _ARITH[type(node.op)](left, right)
    if isinstance(node, (ast.Tuple, ast.List)):
        return [_eval(e, values) for e in node.elts]
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(_eval(a, values) for a in node.args))
    if isinstance(node, ast.Compare):
        left = _eval(node.left, values)
        for op, right_node in zip(node.ops, node.comparators):
            right = _eval(right_node, values)
            if isinstance(op, (ast.In, ast.NotIn)):
                found = left in right
                ok = found if isinstance(op, ast.In) else not found
            else:
                if left is None or right is None:
                    ok = op.__class__ in (ast.Eq, ast.NotEq) and _COMPARE[type(op)](left, right)
                else:
                    ok = _COMPARE[type(op)](left, right)
            if not ok:
                return False
            left = right
        return True
    raise RuleError(f"không đánh giá được {type(node).__name__}")


def _number(value: Any) -> Any:
    """Decimals from the form compare and add with the plain numbers an expression holds."""
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value
