"""Cases for the remaining activations (relu6, selu, celu, hardsigmoid, hardswish, hardshrink, softshrink,
tanhshrink, threshold), clamp_min/clamp_max, elu (whose rules they share), softmin, glu and the bitwise
functions, for test_more_activations.py and the shared harnesses test_array_rules.py and
test_non_tensor_arguments.py.

Each activation row is a :class:`more_elementwise_cases.Unary`: the autograd function (also a Tensor
method), a numpy reference evaluated in float64, the domain values are drawn from, the kinks they keep away
from, and the PyTorch function it must match. References are plain numpy, never the code under test.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from more_elementwise_cases import Unary

# PyTorch's SELU constants, as published (Klambauer et al., 2017)
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def elu_ref(alpha: float = 1.0, scale: float = 1.0,
            input_scale: float = 1.0) -> Callable[[np.ndarray], np.ndarray]:
    def ref(x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.where(x > 0, scale * x, scale * alpha * np.expm1(np.minimum(x, 0) * input_scale))

    return ref


def hardswish_ref(x: np.ndarray) -> np.ndarray:
    return x * np.clip(x + 3.0, 0.0, 6.0) / 6.0


def shrink_ref(lambd: float, hard: bool) -> Callable[[np.ndarray], np.ndarray]:
    def ref(x: np.ndarray) -> np.ndarray:
        shrunk = x if hard else x - np.sign(x) * lambd
        return np.where(np.abs(x) > lambd, shrunk, 0.0)

    return ref


ACTIVATIONS = [
    Unary("relu6", "relu6", lambda x: np.minimum(np.maximum(x, 0.0), 6.0), -3.0, 9.0, (0.0, 6.0),
          torch="F.relu6", keeps_integers=True),
    Unary("selu", "selu", elu_ref(SELU_ALPHA, SELU_SCALE), -4.0, 4.0, (0.0,), torch="F.selu"),
    Unary("celu", "celu", elu_ref(), -4.0, 4.0, (0.0,), torch="F.celu"),
    Unary("celu_alpha", "celu", elu_ref(0.5, 1.0, 2.0), -4.0, 4.0, (0.0,), torch="F.celu",
          kwargs={"alpha": 0.5}),
    Unary("celu_negative_alpha", "celu", elu_ref(-1.5, 1.0, -1.0 / 1.5), -4.0, 4.0, (0.0,), torch="F.celu",
          kwargs={"alpha": -1.5}),
    Unary("elu", "elu", elu_ref(), -4.0, 4.0, (0.0,), torch="F.elu"),
    Unary("elu_alpha", "elu", elu_ref(2.0), -4.0, 4.0, (0.0,), torch="F.elu", kwargs={"alpha": 2.0}),
    Unary("hardsigmoid", "hardsigmoid", lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0), -5.0, 5.0, (-3.0, 3.0),
          torch="F.hardsigmoid"),
    Unary("hardswish", "hardswish", hardswish_ref, -5.0, 5.0, (-3.0, 3.0), torch="F.hardswish"),
    Unary("hardshrink", "hardshrink", shrink_ref(0.5, True), -3.0, 3.0, (-0.5, 0.5), torch="F.hardshrink"),
    Unary("hardshrink_lambd", "hardshrink", shrink_ref(1.5, True), -3.0, 3.0, (-1.5, 1.5),
          torch="F.hardshrink", kwargs={"lambd": 1.5}),
    Unary("softshrink", "softshrink", shrink_ref(0.5, False), -3.0, 3.0, (-0.5, 0.5), torch="F.softshrink"),
    Unary("softshrink_lambd", "softshrink", shrink_ref(1.5, False), -3.0, 3.0, (-1.5, 1.5),
          torch="F.softshrink", kwargs={"lambd": 1.5}),
    Unary("tanhshrink", "tanhshrink", lambda x: x - np.tanh(x), -3.0, 3.0, torch="F.tanhshrink"),
    Unary("threshold", "threshold", lambda x: np.where(x > 0.5, x, -2.0), -3.0, 3.0, (0.5,),
          torch="F.threshold", kwargs={"threshold": 0.5, "value": -2.0}, keeps_integers=True),
    Unary("clamp_min", "clamp_min", lambda x: np.maximum(x, 0.5), -3.0, 3.0, (0.5,), torch="clamp_min",
          kwargs={"min": 0.5}, keeps_integers=True),
    Unary("clamp_max", "clamp_max", lambda x: np.minimum(x, 0.5), -3.0, 3.0, (0.5,), torch="clamp_max",
          kwargs={"max": 0.5}, keeps_integers=True),
]
ACTIVATION_IDS = [c.id for c in ACTIVATIONS]

# PyTorch's hardsigmoid multiplies the gradient by 1/6 rounded to float32, even in float64 (ours is exact),
# and has no second derivative ("not implemented"); ours is 0, the derivative of a piecewise constant.
TORCH_ROUNDED_GRADIENT = {"hardsigmoid": 1e-7}
NO_TORCH_SECOND_DERIVATIVE = {"hardsigmoid"}
# integer tensors keep their dtype; bool tensors are refused, as PyTorch refuses them
REFUSE_BOOL = {"relu6", "threshold"}

SOFTMIN_GLU = ["softmin", "glu"]


def softmin_ref(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(-(x - x.min(axis=axis, keepdims=True)))
    return e / e.sum(axis=axis, keepdims=True)


def glu_ref(x: np.ndarray, axis: int = -1) -> np.ndarray:
    a, b = np.split(x, 2, axis=axis)
    return a / (1.0 + np.exp(-b))


# ------------------------------------------------------------------------------------------ other harnesses
def array_rule_rows(rng: np.random.Generator) -> list[tuple]:
    """Rows ``(id, ops, fn, inputs, torch)`` for test_array_rules.CASES, one per activation, with inputs in
    its domain and away from its kinks (above -10: that harness also feeds them through log(x + 10))."""
    rows = []
    for case in ACTIVATIONS:
        x = rng.uniform(max(case.lo, -9.0), case.hi, (3, 4))
        for k in case.kinks:
            x = np.where(np.abs(x - k) < 0.05, k + 0.1, x)
        # that harness compares with torch to 1e-10: hardsigmoid's is compared in test_more_activations.py
        torch = None if case.id in TORCH_ROUNDED_GRADIENT else lambda t, a, case=case: case.torch_op(a)
        rows.append((f"activation_{case.id}", ("clamp",) if case.name.startswith("clamp") else (case.name,),
                     case.method, (x,), torch))
    return rows


MATRIX = [[0.5, -1.0], [2.0, 0.25]]


def _unary_row(ref: Callable[[np.ndarray], np.ndarray], *args: Any) -> tuple:
    return (lambda f, x, n: f(x, *args), ref, "float", MATRIX, False)


def _as_ints(x: Any) -> Any:
    """The argument of the table's kind made integral: 4 * x as ints in a list, an array or a number (the
    bitwise functions refuse floats); a string stays as it is."""
    if isinstance(x, str):
        return x
    if isinstance(x, list):
        return [_as_ints(v) for v in x]
    if isinstance(x, np.ndarray):
        return (x * 4).astype(np.int64)
    return int(x * 4)


def _bitwise_row(ufunc: np.ufunc, *args: int) -> tuple:
    return (lambda f, x, n: f(_as_ints(x), *args), lambda a: ufunc((a * 4).astype(np.int64), *args), "int",
            MATRIX, False)


# test_non_tensor_arguments.CASES rows: name -> (call, numpy reference, result kind, data, needs dims).
# A float argument arrives there as a float32 0-d array, so references keep float32 where numpy does.
NON_TENSOR_CASES = {
    **{c.name: _unary_row(c.ref, *c.kwargs.values()) for c in ACTIVATIONS if c.id == c.name != "elu"},
    "softmin": _unary_row(lambda a: softmin_ref(np.atleast_1d(a)).reshape(a.shape)),
    "glu": (lambda f, x, n: f(x), glu_ref, "float", MATRIX, True),
    "bitwise_and": _bitwise_row(np.bitwise_and, 6),
    "bitwise_or": _bitwise_row(np.bitwise_or, 6),
    "bitwise_xor": _bitwise_row(np.bitwise_xor, 6),
    "bitwise_left_shift": _bitwise_row(np.left_shift, 2),
    "bitwise_right_shift": _bitwise_row(np.right_shift, 1),
    "bitwise_not": _bitwise_row(np.invert),
}
# the functions whose errors call a bad argument "an operand" (they convert two)
OPERAND_NAMES = {"bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift"}
