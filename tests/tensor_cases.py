"""Shared cases for the Tensor tests: one row per elementwise op, with its numpy reference and its domain.

References are written with plain numpy/math (never with the code under test). Domains keep the drawn
values away from the points where an op is not differentiable (kinks), so that finite differences are
meaningful.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _gelu(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


@dataclass
class UnaryCase:
    name: str
    op: Callable[[Any], Any]          # applied to an autograd Tensor
    ref: Callable[[np.ndarray], np.ndarray]  # numpy reference, evaluated in float64
    lo: float
    hi: float
    kinks: tuple = ()
    torch: Callable[[Any], Any] | None = None  # applied to a torch tensor (torch imported lazily)


def _t(name: str, **kw: Any) -> Callable[[Any], Any]:
    def fn(x: Any) -> Any:
        import torch
        import torch.nn.functional as F

        if name.startswith("F."):
            return getattr(F, name[2:])(x, **kw)
        return getattr(torch, name)(x, **kw)

    return fn


UNARY = [
    UnaryCase("neg", lambda x: -x, lambda x: -x, -3, 3, torch=lambda x: -x),
    UnaryCase("exp", lambda x: x.exp(), np.exp, -3, 3, torch=_t("exp")),
    UnaryCase("log", lambda x: x.log(), np.log, 0.1, 5, torch=_t("log")),
    UnaryCase("sqrt", lambda x: x.sqrt(), np.sqrt, 0.1, 5, torch=_t("sqrt")),
    UnaryCase("sin", lambda x: x.sin(), np.sin, -3, 3, torch=_t("sin")),
    UnaryCase("cos", lambda x: x.cos(), np.cos, -3, 3, torch=_t("cos")),
    UnaryCase("tan", lambda x: x.tan(), np.tan, -1.2, 1.2, torch=_t("tan")),
    UnaryCase("tanh", lambda x: x.tanh(), np.tanh, -4, 4, torch=_t("tanh")),
    UnaryCase("sigmoid", lambda x: x.sigmoid(), lambda x: 1.0 / (1.0 + np.exp(-x)), -6, 6,
              torch=_t("sigmoid")),
    UnaryCase("relu", lambda x: x.relu(), lambda x: np.where(x > 0, x, 0.0), -3, 3, (0.0,), _t("relu")),
    UnaryCase("abs", lambda x: abs(x), np.abs, -3, 3, (0.0,), _t("abs")),
    UnaryCase("softplus", lambda x: x.softplus(), lambda x: np.log(1.0 + np.exp(x)), -5, 5,
              torch=_t("F.softplus")),
    UnaryCase("sign", lambda x: x.sign(), np.sign, -3, 3, (0.0,), _t("sign")),
    UnaryCase("leaky_relu", lambda x: x.leaky_relu(0.1), lambda x: np.where(x > 0, x, 0.1 * x), -3, 3,
              (0.0,), _t("F.leaky_relu", negative_slope=0.1)),
    UnaryCase("leaky_relu_default", lambda x: x.leaky_relu(), lambda x: np.where(x > 0, x, 0.01 * x),
              -3, 3, (0.0,), _t("F.leaky_relu")),
    UnaryCase("elu", lambda x: x.elu(), lambda x: np.where(x > 0, x, np.exp(x) - 1.0), -3, 3, (0.0,),
              _t("F.elu")),
    UnaryCase("elu_alpha", lambda x: x.elu(0.5), lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1.0)),
              -3, 3, (0.0,), _t("F.elu", alpha=0.5)),
    UnaryCase("gelu", lambda x: x.gelu(), _gelu, -3, 3, torch=_t("F.gelu")),
    UnaryCase("gelu_tanh", lambda x: x.gelu(approximate="tanh"), _gelu_tanh, -3, 3,
              torch=_t("F.gelu", approximate="tanh")),
    UnaryCase("clamp", lambda x: x.clamp(-1.0, 1.5), lambda x: np.clip(x, -1.0, 1.5), -3, 3, (-1.0, 1.5),
              lambda x: x.clamp(-1.0, 1.5)),
    UnaryCase("clamp_min", lambda x: x.clamp(min=0.5), lambda x: np.maximum(x, 0.5), -3, 3, (0.5,),
              lambda x: x.clamp(min=0.5)),
    UnaryCase("pow_int", lambda x: x ** 3, lambda x: x ** 3, -2, 2, torch=lambda x: x ** 3),
    UnaryCase("pow_half", lambda x: x ** 0.5, np.sqrt, 0.1, 4, torch=lambda x: x ** 0.5),
    UnaryCase("rpow", lambda x: 2.0 ** x, lambda x: 2.0 ** x, -3, 3, torch=lambda x: 2.0 ** x),
    UnaryCase("rsub", lambda x: 2.0 - x, lambda x: 2.0 - x, -3, 3, torch=lambda x: 2.0 - x),
    UnaryCase("rdiv", lambda x: 2.0 / x, lambda x: 2.0 / x, 0.3, 3, torch=lambda x: 2.0 / x),
    UnaryCase("radd_rmul", lambda x: 1.5 + 3 * x, lambda x: 1.5 + 3 * x, -3, 3, torch=lambda x: 1.5 + 3 * x),
    UnaryCase("div_scalar", lambda x: x / 4.0, lambda x: x / 4.0, -3, 3, torch=lambda x: x / 4.0),
    UnaryCase("sub_scalar", lambda x: x - 1, lambda x: x - 1, -3, 3, torch=lambda x: x - 1),
]
UNARY_IDS = [c.name for c in UNARY]

SMALL_SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)


def values(case: UnaryCase, shape: tuple, dtype: Any = np.float64) -> st.SearchStrategy:
    """Arrays of ``shape`` in the case's domain, at least 0.05 away from its kinks."""
    elements = st.floats(case.lo, case.hi, allow_nan=False, allow_infinity=False, width=64)
    if case.kinks:
        elements = elements.filter(lambda v: all(abs(v - k) > 0.05 for k in case.kinks))
    return hnp.arrays(np.float64, shape, elements=elements).map(lambda a: a.astype(dtype))


def int_values(dtype: Any) -> np.ndarray:
    """A few values of the bool or integer ``dtype`` for the tests of integer inputs: True and False,
    small non-negative ones for an unsigned dtype, negative ones too for a signed one."""
    if dtype is np.bool_:
        return np.array([True, False, True])
    if np.issubdtype(dtype, np.unsignedinteger):
        return np.array([0, 1, 3], dtype=dtype)
    return np.array([-3, -1, 0, 1, 2], dtype=dtype)


def floats_in(lo: float, hi: float, avoid_zero: bool = False) -> st.SearchStrategy:
    """Scalars in [lo, hi] (optionally with |v| >= 0.3), for arrays of binary operands."""
    s = st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=64)
    if avoid_zero:
        s = s.filter(lambda v: abs(v) >= 0.3)
    return s


def unbroadcast_reference(g: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``g`` back to ``shape`` with plain numpy: drop leading axes, then sum stretched axes."""
    g = np.asarray(g)
    lead = g.ndim - len(shape)
    if lead:
        g = g.sum(axis=tuple(range(lead)))
    for i, n in enumerate(shape):
        if n == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g.reshape(shape)
