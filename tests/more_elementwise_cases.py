"""Cases for the elementwise functions added beyond the core set (test_more_elementwise_ops.py): unary math
and activations, rounding, the two-operand functions, predicates and logic.

Each row names the autograd function (also a Tensor method), a numpy reference evaluated in float64, the
domain the drawn values come from (away from kinks and jumps, so that finite differences mean something)
and the PyTorch function it must match. References are plain numpy, never the code under test. Rows for
test_array_rules.py and test_non_tensor_arguments.py are built here too, so that those harnesses cover
the new functions without copies of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from tensor_cases import UnaryCase

import autograd


def torch_fn(name: str, **kw: Any) -> Callable[[Any], Any]:
    """``torch.<name>`` (or ``torch.nn.functional.<name>`` for ``"F.<name>"``) with keyword arguments;
    torch is imported when the function is called, so that this module loads without it."""

    def fn(*args: Any) -> Any:
        import torch

        if name.startswith("F."):
            return getattr(torch.nn.functional, name[2:])(*args, **kw)
        return getattr(torch, name)(*args, **kw)

    return fn


def _integers(lo: int, hi: int) -> tuple:
    return tuple(float(k) for k in range(lo, hi + 1))


def _logsigmoid(x: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -x)


def _mish(x: np.ndarray) -> np.ndarray:
    return x * np.tanh(np.logaddexp(0.0, x))


@dataclass(frozen=True)
class Unary:
    """One differentiable function of one tensor: ``autograd.<name>(x, **kwargs)``."""

    id: str
    name: str
    ref: Callable[[np.ndarray], np.ndarray]
    lo: float
    hi: float
    kinks: tuple = ()
    torch: str = ""  # torch_fn's name; "" for the same name
    kwargs: dict = field(default_factory=dict)
    keeps_integers: bool = False  # integer tensors keep their dtype (otherwise: np.exp's float dtype)

    def op(self, x: Any) -> Any:
        return getattr(autograd, self.name)(x, **self.kwargs)

    def method(self, x: Any) -> Any:
        return getattr(x, self.name)(**self.kwargs)

    def torch_op(self, x: Any) -> Any:
        return torch_fn(self.torch or self.name, **self.kwargs)(x)

    def as_unary_case(self) -> UnaryCase:
        """The row in tensor_cases' form, so that its value strategy applies."""
        return UnaryCase(self.id, self.method, self.ref, self.lo, self.hi, self.kinks, self.torch_op)


_HALVES = tuple(k + 0.5 for k in range(-4, 4))
_TENS_HALVES = tuple(10.0 * k + 5.0 for k in range(-3, 3))
UNARY = [
    Unary("log1p", "log1p", np.log1p, -0.9, 3.0),
    Unary("expm1", "expm1", np.expm1, -3.0, 3.0),
    Unary("log2", "log2", np.log2, 0.1, 5.0),
    Unary("log10", "log10", np.log10, 0.1, 5.0),
    Unary("square", "square", np.square, -3.0, 3.0, keeps_integers=True),
    Unary("rsqrt", "rsqrt", lambda x: 1.0 / np.sqrt(x), 0.1, 5.0),
    Unary("reciprocal", "reciprocal", lambda x: 1.0 / x, -3.0, 3.0, (0.0,)),
    Unary("asin", "asin", np.arcsin, -0.9, 0.9),
    Unary("acos", "acos", np.arccos, -0.9, 0.9),
    Unary("atan", "atan", np.arctan, -3.0, 3.0),
    Unary("sinh", "sinh", np.sinh, -3.0, 3.0),
    Unary("cosh", "cosh", np.cosh, -3.0, 3.0),
    Unary("asinh", "asinh", np.arcsinh, -3.0, 3.0),
    Unary("acosh", "acosh", np.arccosh, 1.1, 4.0),
    Unary("atanh", "atanh", np.arctanh, -0.9, 0.9),
    Unary("sinc", "sinc", np.sinc, -3.0, 3.0),
    Unary("silu", "silu", lambda x: x / (1.0 + np.exp(-x)), -5.0, 5.0, torch="F.silu"),
    Unary("mish", "mish", _mish, -5.0, 5.0, torch="F.mish"),
    Unary("softsign", "softsign", lambda x: x / (1.0 + np.abs(x)), -3.0, 3.0, (0.0,), torch="F.softsign"),
    Unary("logsigmoid", "logsigmoid", _logsigmoid, -6.0, 6.0, torch="F.logsigmoid"),
    Unary("hardtanh", "hardtanh", lambda x: np.clip(x, -1.0, 1.0), -3.0, 3.0, (-1.0, 1.0), torch="F.hardtanh",
          keeps_integers=True),
    Unary("hardtanh_bounds", "hardtanh", lambda x: np.clip(x, -0.5, 2.0), -3.0, 3.0, (-0.5, 2.0),
          torch="F.hardtanh", kwargs={"min_val": -0.5, "max_val": 2.0}, keeps_integers=True),
    Unary("floor", "floor", np.floor, -3.0, 3.0, _integers(-3, 3), keeps_integers=True),
    Unary("ceil", "ceil", np.ceil, -3.0, 3.0, _integers(-3, 3), keeps_integers=True),
    Unary("trunc", "trunc", np.trunc, -3.0, 3.0, _integers(-3, 3), keeps_integers=True),
    Unary("round", "round", np.round, -3.0, 3.0, _HALVES, keeps_integers=True),
    Unary("round_tens", "round", lambda x: np.round(x, -1), -30.0, 30.0, _TENS_HALVES,
          kwargs={"decimals": -1}),
    Unary("round_hundredths", "round", lambda x: np.round(x, 2), -3.0, 3.0, kwargs={"decimals": 2}),
    Unary("frac", "frac", lambda x: x - np.trunc(x), -3.0, 3.0, _integers(-3, 3)),
    Unary("nan_to_num", "nan_to_num", np.nan_to_num, -3.0, 3.0, keeps_integers=True),
]
UNARY_IDS = [c.id for c in UNARY]
# round to hundredths jumps every 0.01: finite differences there are meaningless, its forward is tested
DIFFERENTIABLE = [c for c in UNARY if c.id != "round_hundredths"]
DIFFERENTIABLE_IDS = [c.id for c in DIFFERENTIABLE]
ROUNDING = {"floor", "ceil", "trunc", "round", "frac"}  # refused for bool tensors, as PyTorch does
# the functions whose dtype for integers follows neither rule above
NOT_FOR_INTEGERS = {"frac"}  # refused, as in PyTorch
NOT_FOR_DECIMALS = {"round_tens", "round_hundredths"}  # refused for integer tensors with decimals

# Other names of the same function, as PyTorch has them: alias -> name.
ALIASES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh", "arccosh": "acosh",
           "arctanh": "atanh", "fix": "trunc", "arctan2": "atan2"}


@dataclass(frozen=True)
class Binary:
    """A function of two tensors, with each operand's domain as (lo, hi, |v| >= 0.3)."""

    name: str
    ref: Callable[[np.ndarray, np.ndarray], np.ndarray]
    dom_a: tuple
    dom_b: tuple
    rounding: Callable[[np.ndarray], np.ndarray] | None = None  # a / b must stay away from its jumps
    operator: Callable[[Any, Any], Any] | None = None

    def op(self, a: Any, b: Any) -> Any:
        return getattr(autograd, self.name)(a, b)

    def torch_op(self, a: Any, b: Any) -> Any:
        return torch_fn(self.name)(a, b)


BINARY = [
    # atan2(y, x) jumps across the negative x axis: y stays away from 0
    Binary("atan2", np.arctan2, (-3.0, 3.0, True), (-3.0, 3.0, False)),
    Binary("hypot", np.hypot, (-3.0, 3.0, True), (-3.0, 3.0, False)),
    Binary("logaddexp", np.logaddexp, (-5.0, 5.0, False), (-5.0, 5.0, False)),
    Binary("remainder", np.remainder, (-5.0, 5.0, False), (-3.0, 3.0, True), np.floor, lambda a, b: a % b),
    Binary("fmod", np.fmod, (-5.0, 5.0, False), (-3.0, 3.0, True), np.trunc),
]
BINARY_IDS = [c.name for c in BINARY]
FLOOR_DIVIDE = Binary("floor_divide", np.floor_divide, (-5.0, 5.0, False), (-3.0, 3.0, True), np.floor,
                      lambda a, b: a // b)

PREDICATES = {"isnan": np.isnan, "isinf": np.isinf, "isfinite": np.isfinite, "isposinf": np.isposinf,
              "isneginf": np.isneginf}
CONNECTIVES = {"logical_and": np.logical_and, "logical_or": np.logical_or, "logical_xor": np.logical_xor}


# ------------------------------------------------------------------------------------------ other harnesses
def array_rule_rows(rng: np.random.Generator) -> list[tuple]:
    """Rows ``(id, ops, fn, inputs, torch)`` for test_array_rules.CASES: one per unary case and per
    differentiable binary function, with inputs inside the case's domain and away from its kinks."""
    rows = []
    for case in DIFFERENTIABLE:
        # above -10: that harness also feeds the inputs through log(x + 10)
        x = rng.uniform(max(case.lo, -9.0), case.hi, (3, 4))
        for k in case.kinks:
            x = np.where(np.abs(x - k) < 0.05, k + 0.1, x)
        rows.append((f"more_{case.id}", (case.name,), case.method, (x,),
                     lambda t, a, case=case: case.torch_op(a)))
    for case in BINARY:
        a = rng.uniform(case.dom_a[0], case.dom_a[1], (3, 1))
        b = rng.uniform(0.5, case.dom_b[1], (4,)) * rng.choice([-1.0, 1.0], 4)
        if case.dom_a[2]:
            a = np.where(np.abs(a) < 0.3, 0.5, a)
        if case.rounding is not None:  # move a to the middle between two jumps of the rounded quotient
            a = (case.rounding(a / b) + 0.5) * b
        rows.append((f"more_{case.name}_broadcast", (case.name,), case.op, (a, b),
                     lambda t, x, y, case=case: case.torch_op(x, y)))
    return rows


MATRIX = [[0.5, -1.0], [2.0, 0.25]]


def _unary_row(ref: Callable[[np.ndarray], np.ndarray], kind: str = "float") -> tuple:
    return (lambda f, x, n: f(x), ref, kind, MATRIX, False)


def _binary_row(ref: Callable[[np.ndarray, np.ndarray], np.ndarray], kind: str = "float") -> tuple:
    return (lambda f, x, n: f(x, 2.0), lambda a: ref(a, 2.0), kind, MATRIX, False)


# test_non_tensor_arguments.CASES rows: name -> (call, numpy reference, result kind, data, needs dims).
# A float argument arrives there as a float32 0-d array, so references keep float32 where numpy does.
NON_TENSOR_CASES = {
    **{c.name: _unary_row(c.ref) for c in UNARY if c.id == c.name and c.name not in ("round", "sinc")},
    "round": _unary_row(np.round),
    "sinc": _unary_row(np.sinc),
    **{c.name: _binary_row(c.ref) for c in BINARY + [FLOOR_DIVIDE]},
    **{name: _unary_row(ref, "bool") for name, ref in PREDICATES.items()},
    **{name: _binary_row(ref, "bool") for name, ref in CONNECTIVES.items()},
    "logical_not": _unary_row(np.logical_not, "bool"),
    "all": _unary_row(np.all, "bool"),
    "any": _unary_row(np.any, "bool"),
}
# the two-operand functions, whose errors call a bad argument "an operand"
OPERAND_NAMES = {c.name for c in BINARY + [FLOOR_DIVIDE]} | set(CONNECTIVES)
