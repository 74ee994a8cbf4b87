"""The public functions of ``autograd`` given a numpy array, a nested list, a Python number or something
else where they expect a tensor.

Policy (docs/tensor.md, "Operations"): numbers, (nested) lists and numpy arrays become constant tensors
by the rules of ``autograd.tensor`` (Python floats and lists of floats give float32, arrays keep their
dtype), as numpy's functions accept lists; anything else raises a TypeError that names the function,
what it got and what it expected. One group keeps rules of its own: the elementwise functions shared
with ``Value`` (``exp``, ``log``, ...), which give a Python float for a number and refuse lists.

Every reference below is computed by numpy (or ``math``) on the input itself, never by autograd.
"""

from __future__ import annotations

import math
import re

import linalg_fused_cases
import more_elementwise_cases
import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, Value

MATRIX = [[0.5, -1.0], [2.0, 0.25]]
VECTOR = [0.5, -1.0, 2.0]
KINDS = ["ndarray", "list", "float", "str"]
EXPECTED = "expected a Tensor, a number, or an array or (nested) list of numbers"


def make(kind: str, data: list) -> object:
    """The argument of the given kind; ``data`` (a list of floats) is used by the array and the list."""
    return {"ndarray": np.array(data, dtype=np.float64), "list": data, "float": 0.5, "str": "a"}[kind]


def reference_input(kind: str, data: list) -> np.ndarray:
    """What the argument should become: float64 for an array, float32 for Python floats and lists."""
    if kind == "ndarray":
        return np.array(data, dtype=np.float64)
    return np.asarray(data if kind == "list" else 0.5, dtype=np.float32)


def _erf(a: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf, otypes=[np.float64])(a).astype(a.dtype)


def _softmax(a: np.ndarray) -> np.ndarray:
    b = np.atleast_1d(a)
    e = np.exp(b - b.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).reshape(a.shape)


def _scatter(a: np.ndarray) -> np.ndarray:
    out = np.zeros((2,) + a.shape[1:], dtype=a.dtype)
    np.add.at(out, ([0, 0],) if a.ndim else (0,), a)
    return out


def _scatter_call(f, x, ndim):
    return f(x, ([0, 0],) if ndim else (0,), (2,) + ((2,) if ndim else ()))


# name: (call(fn, x, ndim), numpy reference(a), kind of result, data, whether a 0-d input is an error)
# The call takes the input's ndim so that one entry serves a matrix and a number (a 0-d tensor).
CASES = {
    "neg": (lambda f, x, n: f(x), np.negative, "float", MATRIX, False),
    "clamp": (lambda f, x, n: f(x, 0.0, 1.0), lambda a: np.clip(a, 0.0, 1.0), "float", MATRIX, False),
    "clip": (lambda f, x, n: f(x, 0.0, 1.0), lambda a: np.clip(a, 0.0, 1.0), "float", MATRIX, False),
    "elu": (lambda f, x, n: f(x), lambda a: np.where(a > 0, a, np.expm1(a)), "float", MATRIX, False),
    "erf": (lambda f, x, n: f(x), _erf, "float", MATRIX, False),
    "gelu": (lambda f, x, n: f(x), lambda a: a * 0.5 * (1 + _erf(a / np.sqrt(2.0))), "float", MATRIX, False),
    "sign": (lambda f, x, n: f(x), np.sign, "float", MATRIX, False),
    "sum": (lambda f, x, n: f(x), np.sum, "float", MATRIX, False),
    "mean": (lambda f, x, n: f(x), np.mean, "float", MATRIX, False),
    "var": (lambda f, x, n: f(x), np.var, "float", MATRIX, False),
    "std": (lambda f, x, n: f(x), np.std, "float", MATRIX, False),
    "prod": (lambda f, x, n: f(x), np.prod, "float", MATRIX, False),
    "max": (lambda f, x, n: f(x), np.max, "float", MATRIX, False),
    "min": (lambda f, x, n: f(x), np.min, "float", MATRIX, False),
    "amax": (lambda f, x, n: f(x), np.amax, "float", MATRIX, False),
    "amin": (lambda f, x, n: f(x), np.amin, "float", MATRIX, False),
    "argmax": (lambda f, x, n: f(x), np.argmax, "int", MATRIX, False),
    "argmin": (lambda f, x, n: f(x), np.argmin, "int", MATRIX, False),
    "logsumexp": (lambda f, x, n: f(x), lambda a: np.log(np.sum(np.exp(a))), "float", MATRIX, False),
    "softmax": (lambda f, x, n: f(x), _softmax, "float", MATRIX, False),
    "log_softmax": (lambda f, x, n: f(x), lambda a: np.log(_softmax(a)), "float", MATRIX, False),
    "trace": (lambda f, x, n: f(x), np.trace, "float", MATRIX, True),
    "swapaxes": (lambda f, x, n: f(x, 0, -1), lambda a: np.swapaxes(a, 0, -1) if a.ndim else a, "float",
                 MATRIX, False),
    "reshape": (lambda f, x, n: f(x, -1), lambda a: a.reshape(-1), "float", MATRIX, False),
    "permute": (lambda f, x, n: f(x, *range(n - 1, -1, -1)), np.transpose, "float", MATRIX, False),
    "transpose": (lambda f, x, n: f(x), np.transpose, "float", MATRIX, False),
    "broadcast_to": (lambda f, x, n: f(x, (3, 2, 2)), lambda a: np.broadcast_to(a, (3, 2, 2)), "float",
                     MATRIX, False),
    "expand": (lambda f, x, n: f(x, 3, 2, 2), lambda a: np.broadcast_to(a, (3, 2, 2)), "float", MATRIX,
               False),
    "flatten": (lambda f, x, n: f(x), lambda a: a.reshape(-1), "float", MATRIX, False),
    "squeeze": (lambda f, x, n: f(x), np.squeeze, "float", [[0.5, -1.0]], False),
    "unsqueeze": (lambda f, x, n: f(x, 0), lambda a: np.expand_dims(a, 0), "float", MATRIX, False),
    "flip": (lambda f, x, n: f(x), np.flip, "float", MATRIX, False),
    "roll": (lambda f, x, n: f(x, 1), lambda a: np.roll(a, 1), "float", MATRIX, False),
    "tile": (lambda f, x, n: f(x, 2), lambda a: np.tile(a, 2), "float", MATRIX, False),
    "repeat_interleave": (lambda f, x, n: f(x, 2), lambda a: np.repeat(a, 2), "float", MATRIX, False),
    "pad": (lambda f, x, n: f(x, 1), lambda a: np.pad(a, 1), "float", MATRIX, False),
    "scatter_add": (_scatter_call, _scatter, "float", MATRIX, False),
    "einsum": (lambda f, x, n: f("...->", x), np.sum, "float", MATRIX, False),
    "clone": (lambda f, x, n: f(x), np.copy, "float", MATRIX, False),
    # functions that converted their operands already, through the same dtype rules
    "add": (lambda f, x, n: f(x, 2.0), lambda a: a + 2.0, "float", MATRIX, False),
    "sub": (lambda f, x, n: f(x, 2.0), lambda a: a - 2.0, "float", MATRIX, False),
    "mul": (lambda f, x, n: f(x, 2.0), lambda a: a * 2.0, "float", MATRIX, False),
    "div": (lambda f, x, n: f(x, 2.0), lambda a: a / 2.0, "float", MATRIX, False),
    "pow": (lambda f, x, n: f(x, 2.0), lambda a: a ** 2.0, "float", MATRIX, False),
    "maximum": (lambda f, x, n: f(x, 0.25), lambda a: np.maximum(a, 0.25), "float", MATRIX, False),
    "minimum": (lambda f, x, n: f(x, 0.25), lambda a: np.minimum(a, 0.25), "float", MATRIX, False),
    "eq": (lambda f, x, n: f(x, 0.5), lambda a: a == 0.5, "bool", MATRIX, False),
    "ne": (lambda f, x, n: f(x, 0.5), lambda a: a != 0.5, "bool", MATRIX, False),
    "lt": (lambda f, x, n: f(x, 0.5), lambda a: a < 0.5, "bool", MATRIX, False),
    "le": (lambda f, x, n: f(x, 0.5), lambda a: a <= 0.5, "bool", MATRIX, False),
    "gt": (lambda f, x, n: f(x, 0.5), lambda a: a > 0.5, "bool", MATRIX, False),
    "ge": (lambda f, x, n: f(x, 0.5), lambda a: a >= 0.5, "bool", MATRIX, False),
    "matmul": (lambda f, x, n: f(x, [1.0, 2.0]), lambda a: a @ np.array([1.0, 2.0], a.dtype), "float", MATRIX,
               True),
    "dot": (lambda f, x, n: f(x, [1.0, 2.0, 3.0]), lambda a: a @ np.array([1.0, 2.0, 3.0], a.dtype), "float",
            VECTOR, True),
    "outer": (lambda f, x, n: f(x, [1.0, 2.0]), lambda a: np.outer(a, np.array([1.0, 2.0], a.dtype)), "float",
              VECTOR, True),
    "mm": (lambda f, x, n: f(x, [[1.0], [2.0]]), lambda a: a @ np.array([[1.0], [2.0]], a.dtype), "float",
           MATRIX, True),
    "mv": (lambda f, x, n: f(x, [1.0, 2.0]), lambda a: a @ np.array([1.0, 2.0], a.dtype), "float", MATRIX,
           True),
    "bmm": (lambda f, x, n: f(x, [[[1.0], [2.0]]]), lambda a: a @ np.array([[[1.0], [2.0]]], a.dtype),
            "float", [MATRIX], True),
}
CASES.update(more_elementwise_cases.NON_TENSOR_CASES)  # log1p, floor, atan2, isnan, all, ...


def _swap_rows(n):  # an index for gather: a 0-d one for a number
    return [[1, 0], [0, 1]] if n else 0


def _scattered(a: np.ndarray) -> np.ndarray:
    out = a.copy()
    if a.ndim:
        out[1, 0] = out[0, 1] = 9.0
    else:
        out[()] = 9.0
    return out


def _diagonal_mask(n):
    return np.array([[True, False], [False, True]]) if n else np.array(True)


def _if_dims(fn):  # a reference for a 2-D input that leaves a number as it is (a 0-d tensor has one entry)
    return lambda a: fn(a) if a.ndim else a


# indexing, running, sorting, triangular and rearranging ops and norm
CASES.update({
    "gather": (lambda f, x, n: f(x, 0, _swap_rows(n)),
               _if_dims(lambda a: np.take_along_axis(a, np.array(_swap_rows(2)), 0)), "float", MATRIX, False),
    "scatter": (lambda f, x, n: f(x, 0, [[1, 0]] if n else 0, value=9.0), _scattered, "float", MATRIX, False),
    "scatter_add": CASES["scatter_add"],
    "index_select": (lambda f, x, n: f(x, 0, [1] if n else [0]), _if_dims(lambda a: a[[1]]), "float", MATRIX,
                     False),
    "take_along_dim": (lambda f, x, n: f(x, [3, 0] if n else [0]),
                       lambda a: a.reshape(-1)[[3, 0] if a.ndim else [0]], "float", MATRIX, False),
    "masked_fill": (lambda f, x, n: f(x, _diagonal_mask(n), 0.0),
                    lambda a: np.where(_diagonal_mask(a.ndim), a.dtype.type(0), a), "float", MATRIX, False),
    "masked_select": (lambda f, x, n: f(x, _diagonal_mask(n)), lambda a: a[_diagonal_mask(a.ndim)], "float",
                      MATRIX, False),
    "cumsum": (lambda f, x, n: f(x, 0), _if_dims(lambda a: np.cumsum(a, 0)), "float", MATRIX, False),
    "cumprod": (lambda f, x, n: f(x, 0), _if_dims(lambda a: np.cumprod(a, 0)), "float", MATRIX, False),
    "cummax": (lambda f, x, n: f(x, 0).values, _if_dims(lambda a: np.maximum.accumulate(a, 0)), "float",
               MATRIX, False),
    "cummin": (lambda f, x, n: f(x, 0).values, _if_dims(lambda a: np.minimum.accumulate(a, 0)), "float",
               MATRIX, False),
    "diff": (lambda f, x, n: f(x), np.diff, "float", MATRIX, True),
    "sort": (lambda f, x, n: f(x).values, _if_dims(lambda a: np.sort(a, -1)), "float", MATRIX, False),
    "argsort": (lambda f, x, n: f(x), lambda a: np.argsort(a, -1) if a.ndim else np.array(0), "int", MATRIX,
                False),
    "topk": (lambda f, x, n: f(x, 1).values, _if_dims(lambda a: np.sort(a, -1)[..., -1:]), "float", MATRIX,
             False),
    "kthvalue": (lambda f, x, n: f(x, 1).values, _if_dims(lambda a: np.sort(a, -1)[..., 0]), "float", MATRIX,
                 False),
    "median": (lambda f, x, n: f(x), lambda a: np.sort(a.reshape(-1))[(a.size - 1) // 2], "float", MATRIX,
               False),
    "tril": (lambda f, x, n: f(x), np.tril, "float", MATRIX, True),
    "triu": (lambda f, x, n: f(x), np.triu, "float", MATRIX, True),
    "diag": (lambda f, x, n: f(x), np.diag, "float", MATRIX, True),
    "diagonal": (lambda f, x, n: f(x), np.diagonal, "float", MATRIX, True),
    "diag_embed": (lambda f, x, n: f(x), lambda a: a[..., None] * np.eye(a.shape[-1], dtype=a.dtype), "float",
                   MATRIX, True),
    "unbind": (lambda f, x, n: f(x)[1], lambda a: a[1], "float", MATRIX, True),
    "narrow": (lambda f, x, n: f(x, 0, 1, 1), lambda a: a[1:2], "float", MATRIX, True),
    "movedim": (lambda f, x, n: f(x, 0, -1), _if_dims(lambda a: np.moveaxis(a, 0, -1)), "float", MATRIX,
                False),
    "moveaxis": (lambda f, x, n: f(x, 0, -1), _if_dims(lambda a: np.moveaxis(a, 0, -1)), "float", MATRIX,
                 False),
    "unflatten": (lambda f, x, n: f(x, 0, (2, 1)), lambda a: a.reshape(2, 1, 2), "float", MATRIX, True),
    "norm": (lambda f, x, n: f(x), lambda a: np.sqrt((a * a).sum()), "float", MATRIX, False),
})


def _written(a: np.ndarray, where_: tuple, values: list, add: bool = False) -> np.ndarray:
    """A copy of ``a`` with ``values`` written (or added) at the numpy index ``where_`` (all of a number)."""
    out = a.copy()
    place = where_ if a.ndim else ()
    values = np.asarray(values if a.ndim else values[0], dtype=a.dtype)
    out[place] = out[place] + values if add else values
    return out


# the writes at indices and take (the sources, lists, take the input's dtype)
CASES.update({
    "index_add": (lambda f, x, n: f(x, 0, [1] if n else [0], [[1.0, 2.0]] if n else 1.0, alpha=2),
                  lambda a: _written(a, (1,), [2.0, 4.0], add=True) if a.ndim else a + a.dtype.type(2.0),
                  "float", MATRIX, False),
    "index_copy": (lambda f, x, n: f(x, 0, [1] if n else [0], [[7.0, 8.0]] if n else 7.0),
                   lambda a: _written(a, (1,), [7.0, 8.0]), "float", MATRIX, False),
    "index_reduce": (lambda f, x, n: f(x, 0, [1] if n else [0], [[3.0, 2.0]] if n else 3.0, "prod"),
                     lambda a: a * np.array([[1.0, 1.0], [3.0, 2.0]] if a.ndim else 3.0, dtype=a.dtype),
                     "float", MATRIX, False),
    "index_fill": (lambda f, x, n: f(x, 1 if n else 0, [0], 9.0),
                   lambda a: _written(a, (slice(None), 0), [9.0]), "float", MATRIX, False),
    "masked_scatter": (lambda f, x, n: f(x, _diagonal_mask(n), [7.0, 8.0]),
                       lambda a: _written(a, ([0, 1], [0, 1]), [7.0, 8.0]), "float", MATRIX, False),
    "put": (lambda f, x, n: f(x, [3, 0] if n else [0], [7.0, 8.0] if n else [7.0]),
            lambda a: _written(a, ([1, 0], [1, 0]), [7.0, 8.0]), "float", MATRIX, False),
    "take": (lambda f, x, n: f(x, [3, 0] if n else [0]), lambda a: a.reshape(-1)[[3, 0] if a.ndim else [0]],
             "float", MATRIX, False),
    "diagonal_scatter": (lambda f, x, n: f(x, [7.0, 8.0]),
                         lambda a: _written(a, ([0, 1], [0, 1]), [7.0, 8.0]), "float", MATRIX, True),
    "select_scatter": (lambda f, x, n: f(x, [7.0, 8.0], 0, 1), lambda a: _written(a, (1,), [7.0, 8.0]),
                       "float", MATRIX, True),
    "slice_scatter": (lambda f, x, n: f(x, [[7.0, 8.0]], 0, 1),
                      lambda a: _written(a, (slice(1, None),), [7.0, 8.0]), "float", MATRIX, True),
})


# reducing into a tensor along an axis, and writing where advanced indexing points
CASES.update({
    "scatter_reduce": (lambda f, x, n: f(x, 0, [[1, 0]] if n else 0, [[7.0, 8.0]] if n else 7.0, "sum"),
                       lambda a: _written(a, ([1, 0], [0, 1]), [7.0, 8.0], add=True) if a.ndim
                       else a + a.dtype.type(7.0), "float", MATRIX, False),
    "index_put": (lambda f, x, n: f(x, ([1, 0], [0, 1]), [7.0, 8.0]),
                  lambda a: _written(a, ([1, 0], [0, 1]), [7.0, 8.0]), "float", MATRIX, True),
})


def _histc_reference(a: np.ndarray) -> np.ndarray:
    """torch.histc(a, bins=4) by numpy: the entries' range, widened by 1 each way when it is one point."""
    lo, hi = a.min(), a.max()
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    return np.histogram(a, 4, range=(lo, hi))[0].astype(a.dtype)


# statistics and nan-ignoring reductions, and the counting and searching ops (bincount, which counts
# integers, is checked in test_discrete_ops.py)
SORTED_VECTOR = [-1.0, 0.5, 2.0]
CASES.update({
    "nansum": (lambda f, x, n: f(x), np.nansum, "float", MATRIX, False),
    "nanmean": (lambda f, x, n: f(x), np.nanmean, "float", MATRIX, False),
    "var_mean": (lambda f, x, n: f(x)[0], np.var, "float", MATRIX, False),
    "std_mean": (lambda f, x, n: f(x)[0], np.std, "float", MATRIX, False),
    "aminmax": (lambda f, x, n: f(x).max, np.max, "float", MATRIX, False),
    "count_nonzero": (lambda f, x, n: f(x), np.count_nonzero, "int", MATRIX, False),
    "logcumsumexp": (lambda f, x, n: f(x, 0), _if_dims(lambda a: np.logaddexp.accumulate(a, 0)), "float",
                     MATRIX, False),
    "nonzero": (lambda f, x, n: f(x), np.argwhere, "int", MATRIX, False),
    "argwhere": (lambda f, x, n: f(x), np.argwhere, "int", MATRIX, False),
    "unique": (lambda f, x, n: f(x), np.unique, "float", MATRIX, False),
    "histc": (lambda f, x, n: f(x, bins=4), _histc_reference, "float", MATRIX, False),
    "searchsorted": (lambda f, x, n: f(x, 0.0), lambda a: np.searchsorted(a, 0.0), "int", SORTED_VECTOR,
                     True),
    "bucketize": (lambda f, x, n: f(x, [0.0, 1.0]), lambda a: np.searchsorted([0.0, 1.0], a), "int", MATRIX,
                  False),
})
# PyTorch's whole-tensor comparisons, numel and other names for shape ops; those that give a Python bool
# or int have it wrapped in a tensor to be checked like the others
CASES.update({
    "t": (lambda f, x, n: f(x), np.transpose, "float", MATRIX, False),
    "swapdims": (lambda f, x, n: f(x, 0, -1), _if_dims(lambda a: np.swapaxes(a, 0, -1)), "float", MATRIX,
                 False),
    "negative": (lambda f, x, n: f(x), np.negative, "float", MATRIX, False),
    "isclose": (lambda f, x, n: f(x, 0.5), lambda a: np.isclose(a, 0.5), "bool", MATRIX, False),
    "allclose": (lambda f, x, n: ag.tensor(f(x, 0.5)), lambda a: np.allclose(a, 0.5), "bool", MATRIX, False),
    "equal": (lambda f, x, n: ag.tensor(f(x, 0.5)), lambda a: np.array_equal(a, 0.5), "bool", MATRIX, False),
    "numel": (lambda f, x, n: ag.tensor(f(x)), np.size, "int", MATRIX, False),
})
# creation functions, which take data rather than a tensor, and is_tensor, which takes anything
NOT_TAKING_A_TENSOR = {"empty", "empty_like", "from_numpy", "as_tensor", "is_tensor"}

CASES.update(linalg_fused_cases.NON_TENSOR_CASES)  # addmm, kron, det, cdist, meshgrid, atleast_1d, ...
# Functions that convert their first argument only here, and whose errors call it "an argument"; the
# binary ops above call theirs "an operand" (and einsum "operand 0").
OPERAND_FUNCTIONS = {"add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt",
                     "ge", "matmul", "dot", "outer", "mm", "mv", "bmm"} | more_elementwise_cases.OPERAND_NAMES
OPERAND_FUNCTIONS |= {"isclose", "allclose", "equal"}

# the remaining activations, clamp_min/clamp_max, softmin, glu and the bitwise functions
import activation_cases  # noqa: E402

CASES.update(activation_cases.NON_TENSOR_CASES)
OPERAND_FUNCTIONS |= activation_cases.OPERAND_NAMES
OPERAND_FUNCTIONS |= linalg_fused_cases.OPERAND_NAMES

# PyTorch's dtype facts, division with rounding, membership, the mode and the triangles' indices (MATRIX's
# rows hold distinct values, so each row's mode is its smallest)
CASES.update({
    "is_floating_point": (lambda f, x, n: ag.tensor(f(x)), lambda a: a.dtype.kind == "f", "bool", MATRIX,
                          False),
    "isin": (lambda f, x, n: f(x, [0.5, 2.0]), lambda a: np.isin(a, [0.5, 2.0]), "bool", MATRIX, False),
    "mode": (lambda f, x, n: f(x).values, _if_dims(lambda a: a.min(axis=-1)), "float", MATRIX, False),
})
OPERAND_FUNCTIONS |= {"isin"}
NOT_TAKING_A_TENSOR |= {"finfo", "iinfo", "get_default_dtype", "set_default_dtype", "triu_indices",
                        "tril_indices"}

# The elementwise functions shared with Value, with references on numbers and arrays alike.
VALUE_FUNCTIONS = {
    "exp": np.exp, "log": np.log, "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)), "relu": lambda a: np.maximum(a, 0.0),
    "abs": np.abs, "sqrt": np.sqrt, "softplus": lambda a: np.logaddexp(0.0, a),
    "leaky_relu": lambda a: np.where(a > 0, a, 0.01 * a),
}


def test_the_tables_cover_every_public_function_that_takes_a_tensor():
    elsewhere = {"where", "split", "chunk", "cat", "concatenate", "stack"}  # tested on their own below
    elsewhere |= set(more_elementwise_cases.ALIASES)  # the same functions as those they stand for
    # random draws, whose arguments test_matrix_shape_norm_and_sampling_ops.py checks
    elsewhere |= {"normal", "bernoulli"}
    elsewhere |= {"bincount"}  # its input holds integers: test_discrete_ops.py checks its arguments
    elsewhere |= {"backward"}  # takes output tensors and their gradients: test_grad_of_tensors.py
    elsewhere |= {"divide"}  # div under PyTorch's other name: the same function
    elsewhere |= linalg_fused_cases.SEQUENCE_FUNCTIONS  # with cat and stack's rules, test_combining_ops.py
    not_taking_a_tensor = {
        "Value", "value_sum", "value_dot", "Tensor", "tensor", "unbroadcast", "topological_order",
        "GraphFreedError", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "zero_grad",
        "inference_mode", "is_inference_mode_enabled",
        "arange", "default_generator", "eye", "full", "full_like", "manual_seed", "ones", "ones_like", "rand",
        "rand_like", "randn", "randn_like", "zeros", "zeros_like", "grad", "value_and_grad", "vjp",
        "jacobian", "hessian", "hvp", "gradcheck", "gradgradcheck", "GradcheckError", "count_ops",
        "OpCounter", "naive_chain_rule_cost", "NaiveCost", "draw_graph", "render", "retain_grads", "ops",
        "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
        "half", "double", "short", "long",
        "linspace", "logspace", "randint", "randperm", "ValuesIndices", "device", "cuda",
    }
    not_taking_a_tensor |= NOT_TAKING_A_TENSOR
    covered = set(CASES) | set(VALUE_FUNCTIONS) | elsewhere | not_taking_a_tensor
    assert set(ag.__all__) - covered == set()


def _check_against_numpy(out, expected, result_kind, dtype):
    assert type(out) is Tensor
    assert not out.requires_grad  # a constant: nothing to differentiate
    expected = np.asarray(expected)
    want = {"float": dtype, "int": np.dtype(np.int64), "bool": np.dtype(np.bool_)}[result_kind]
    assert out.dtype == want
    assert out.shape == expected.shape
    tol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(out.numpy().astype(np.float64), expected.astype(np.float64), rtol=tol,
                               atol=tol, equal_nan=True)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_functions_take_arrays_lists_and_numbers_as_constants(name, kind):
    call, ref, result_kind, data, needs_dims = CASES[name]
    fn = getattr(ag, name)
    arg = make(kind, data)
    if kind == "str":
        what = "an operand" if name in OPERAND_FUNCTIONS else "an argument"
        what = "operand 0" if name == "einsum" else what
        named = "clamp" if name == "clip" else name  # clip is clamp under another name, as in PyTorch
        message = f"{named}: got {what} of type str ('a'); {EXPECTED}"
        with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
            call(fn, arg, 2)
        return
    a = reference_input(kind, data)
    if kind == "float" and needs_dims:
        with pytest.raises(ValueError, match=f"^{name}: "):
            call(fn, arg, 0)
        return
    with np.errstate(all="ignore"):
        expected = ref(a)
    _check_against_numpy(call(fn, arg, a.ndim), expected, result_kind, a.dtype)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(VALUE_FUNCTIONS))
def test_functions_shared_with_value_take_arrays_give_floats_for_numbers_and_refuse_lists(name, kind):
    fn = getattr(ag, name)
    arg = make(kind, MATRIX)
    if kind == "ndarray":
        with np.errstate(all="ignore"):
            expected = VALUE_FUNCTIONS[name](arg)
        _check_against_numpy(fn(arg), expected, "float", np.dtype(np.float64))
    elif kind == "float":
        out = fn(arg)
        assert type(out) is float
        assert out == pytest.approx(float(VALUE_FUNCTIONS[name](np.float64(0.5))), rel=1e-12)
    else:
        got = r"list \(\[\[0\.5, -1\.0\], \[2\.0, 0\.25\]\]\)" if kind == "list" else r"str \('a'\)"
        hint = r" \(for a list, pass autograd\.tensor\(x\)\)" if kind == "list" else ""
        with pytest.raises(TypeError, match=rf"^{name}: got an argument of type {got}; expected a Value, "
                                            rf"a Tensor \(any object with a \.{name}\(\) method\), a numpy "
                                            rf"array of numbers or a real number{hint}$"):
            fn(arg)


def test_functions_shared_with_value_refuse_an_array_of_strings():
    with pytest.raises(TypeError, match=r"^exp: got an argument of type numpy\.ndarray "
                                        r"\(dtype <U1, shape \(1,\)\); expected a Value"):
        ag.exp(np.array(["a"]))


@pytest.mark.parametrize("bad, got", [
    (None, r"NoneType \(None\)"),
    ({"a": 1}, r"dict \(\{'a': 1\}\)"),
    (Value(2.0), r"Value \(.*\)"),
    (1 + 2j, r"complex \(\(1\+2j\)\)"),
], ids=["None", "dict", "Value", "complex"])
@pytest.mark.parametrize("name", ["sum", "reshape", "pad", "softmax", "transpose", "flip", "clamp", "trace",
                                  "neg", "scatter_add"])
def test_other_objects_raise_a_type_error_naming_the_function(name, bad, got):
    with pytest.raises(TypeError, match=rf"^{name}: got an argument of type {got}; {re.escape(EXPECTED)}$"):
        CASES[name][0](getattr(ag, name), bad, 2)


def test_lists_of_ints_and_numpy_scalars_follow_the_tensor_rules():
    out = ag.sum([1, 2, 3])
    assert out.dtype == np.int64 and out.item() == 6
    out = ag.reshape(np.float16(1.5), -1)
    assert out.dtype == np.float16 and out.tolist() == [1.5]
    out = ag.flip((1.0, 2.0))  # a tuple is a sequence, as for numpy
    assert out.dtype == np.float32 and out.tolist() == [2.0, 1.0]
    a = np.arange(4, dtype=np.int32).reshape(2, 2)
    out = ag.flip(a, 0)
    assert out.dtype == np.int32 and out.tolist() == np.flip(a, 0).tolist()
    out = ag.sum(a, axis=0)
    assert out.dtype == a.sum(axis=0).dtype and out.tolist() == a.sum(axis=0).tolist()


def test_a_ragged_list_and_a_list_of_tensors_raise_errors_naming_the_function():
    with pytest.raises(ValueError, match=r"^sum: got an argument of type list "
                                         r"\(\[\[1\.0\], \[2\.0, 3\.0\]\]\) whose nested lists differ"):
        ag.sum([[1.0], [2.0, 3.0]])
    with pytest.raises(TypeError, match=r"^mean: got a list that holds Tensors; .*autograd\.stack"):
        ag.mean([ag.ones(2), ag.ones(2)])
    with pytest.raises(TypeError, match=r"^flip: got an argument of type list \(\['a', 'b'\]\); "):
        ag.flip(["a", "b"])


def test_a_tensor_subclass_is_used_as_it_is_and_keeps_its_gradient():
    nn = pytest.importorskip("nn")
    p = nn.Parameter(np.array([[1.0, 2.0], [3.0, 4.0]]))
    y = ag.sum(ag.transpose(p) * np.array([[1.0, 10.0], [100.0, 1000.0]]))
    y.backward()
    assert p.grad.tolist() == np.array([[1.0, 10.0], [100.0, 1000.0]]).T.tolist()


def test_the_converted_array_is_a_constant_next_to_a_tensor_that_requires_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    scale = ag.softmax(np.array([0.0, 0.0], dtype=np.float32))  # [0.5, 0.5]
    (x * scale).sum().backward()
    assert x.grad.tolist() == [0.5, 0.5]
    assert scale.grad is None


def test_swapaxes_of_an_array_gives_a_tensor():
    a = np.arange(6.0).reshape(2, 3)
    out = ag.swapaxes(a, 0, 1)
    assert type(out) is Tensor and out.tolist() == a.T.tolist()


@pytest.mark.parametrize("kind", KINDS)
def test_where_takes_a_boolean_condition_of_any_kind(kind):
    cond = {"ndarray": np.array([True, False]), "list": [True, False], "float": True, "str": "a"}[kind]
    if kind == "str":
        with pytest.raises(TypeError, match=r"^where: got a condition of type str \('a'\), of dtype <U1; "
                                            r"expected booleans"):
            ag.where(cond, 1.0, 0.0)
        return
    out = ag.where(cond, np.array([1.0, 2.0]), [3.0, 4.0])
    _check_against_numpy(out, np.where(cond, [1.0, 2.0], [3.0, 4.0]), "float", np.dtype(np.float64))


def test_einsum_reads_one_list_of_tensors_or_arrays_as_the_operands():
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    assert ag.einsum("i,i->", [a, b]).item() == float(a @ b)
    assert ag.einsum("i,i->", (ag.tensor(a), b)).item() == float(a @ b)
    # a nested list of numbers alone is one operand, as an array would be
    assert ag.einsum("ij->i", [[1.0, 2.0], [3.0, 4.0]]).tolist() == [3.0, 7.0]


def test_einsum_checks_its_subscripts_before_its_operands():
    with pytest.raises(TypeError, match=r"^einsum: got subscripts of type Tensor \(.*\); expected a string"):
        ag.einsum(ag.ones(2), "i")


@pytest.mark.parametrize("name", ["split", "chunk"])
@pytest.mark.parametrize("kind", KINDS)
def test_split_and_chunk_take_what_the_other_functions_take(name, kind):
    fn = getattr(ag, name)
    if kind == "str":
        with pytest.raises(TypeError, match=rf"^{name}: got an argument of type str \('a'\); "
                                            + re.escape(EXPECTED) + "$"):
            fn(make(kind, VECTOR), 1)
    elif kind == "float":  # a number becomes a 0-d tensor, which has no axis to cut
        with pytest.raises(ValueError, match=rf"^{name}: got a 0-d tensor"):
            fn(make(kind, VECTOR), 1)
    else:
        pieces = fn(make(kind, VECTOR), 2 if name == "split" else 2)
        ref = reference_input(kind, VECTOR)
        assert [p.tolist() for p in pieces] == [ref[:2].tolist(), ref[2:].tolist()]
        assert all(type(p) is Tensor and p.dtype == ref.dtype and not p.requires_grad for p in pieces)


@pytest.mark.parametrize("name", ["cat", "concatenate", "stack"])
def test_joining_functions_take_arrays_and_lists_among_their_tensors(name):
    a, b = np.array([[1.0, 2.0]]), [[3.0, 4.0]]
    ref = {"cat": np.concatenate, "concatenate": np.concatenate, "stack": np.stack}[name]
    _check_against_numpy(getattr(ag, name)([a, b]), ref([a, np.array(b)]), "float", np.dtype(np.float64))
