"""Array rules: the numpy versions of the vector-Jacobian rules that a plain backward pass runs.

Every primitive with an ``array_rule`` has at least one row in :data:`CASES` (a test discovers the
primitives and fails for one without a row). For each row, the gradients of a plain ``backward()`` (array
rules) must equal those of ``backward(create_graph=True)`` (Tensor rules) to 1e-12, pass ``gradcheck``
and, where torch is installed, equal torch's in float64. A wrapper around every array rule checks that
the row really runs the array rules it names, and that a recorded pass runs none.

The second half checks what the engine promises around array rules: every ``.grad`` anyone can read is
a Tensor of its tensor's dtype and shape, float32 stays float32, a pass that raises leaves no array
behind, freed graphs still raise, and operation counters still count.
"""

from __future__ import annotations

import importlib
import pkgutil
import types
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable

import activation_cases
import linalg_fused_cases
import more_elementwise_cases
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import GraphFreedError, Tensor, gradcheck, topological_order
from autograd.tensor import TensorOp, result

TOL = 1e-12  # array rules vs Tensor rules: the same formulas, so only rounding may differ
TORCH_RTOL, TORCH_ATOL = 1e-10, 1e-12


# ---------------------------------------------------------------------------------------------- discovery
def _skip_module(name: str) -> bool:
    return name.endswith("__main__")  # importing it would run the command line


def _collect(obj: Any, found: dict[int, TensorOp], depth: int = 0) -> None:
    """TensorOps held by a module global: the object itself, or one a function closes over (the
    elementwise ops of autograd.ops.unary live in closures), through decorators' ``__wrapped__``."""
    if isinstance(obj, TensorOp):
        found[id(obj)] = obj
        return
    if depth > 3:
        return
    if isinstance(obj, types.FunctionType):
        for cell in obj.__closure__ or ():
            try:
                _collect(cell.cell_contents, found, depth + 1)
            except ValueError:  # an empty cell
                continue
        if hasattr(obj, "__wrapped__"):
            _collect(obj.__wrapped__, found, depth + 1)
    elif isinstance(obj, property):
        _collect(obj.fget, found, depth + 1)
    elif isinstance(obj, dict) and depth == 0:  # METHODS / FUNCTIONS tables
        for value in obj.values():
            _collect(value, found, depth + 1)


_DISCOVERED: list[TensorOp] = []


def ops_with_array_rules() -> list[TensorOp]:
    """Every TensorOp with an array rule in the modules of autograd and nn: autograd.tensor,
    autograd.ops.*, autograd.functional, nn.fused, nn.conv_ops, nn.losses and nn.functional first, then
    every other module of the two packages, so that a rule added anywhere is found."""
    if _DISCOVERED:
        return _DISCOVERED
    modules = [importlib.import_module(name) for name in (
        "autograd.tensor", "autograd.functional", "nn.fused", "nn.conv_ops", "nn.losses", "nn.functional")]
    modules += [importlib.import_module(f"autograd.ops.{m.name}")
                for m in pkgutil.iter_modules(autograd.ops.__path__)]
    for package in (autograd, nn):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not _skip_module(info.name):
                modules.append(importlib.import_module(info.name))
    found: dict[int, TensorOp] = {}
    for module in modules:
        for value in list(vars(module).values()):
            _collect(value, found)
    _DISCOVERED.extend(sorted((op for op in found.values() if op.array_rule is not None),
                              key=lambda op: op.name))
    return _DISCOVERED


@pytest.fixture
def array_rule_calls(monkeypatch) -> Counter:
    """Counts, by op name, the array rules that run while the test does (every discovered op wrapped)."""
    calls: Counter = Counter()
    for op in ops_with_array_rules():
        def counted(node, g, _rule=op.array_rule, _name=op.name):
            calls[_name] += 1
            return _rule(node, g)

        monkeypatch.setattr(op, "array_rule", counted)
    return calls


# ---------------------------------------------------------------------------------------------- inputs
_RNG = np.random.default_rng(20240613)


def normal(*shape: int) -> np.ndarray:
    return _RNG.standard_normal(shape)


def uniform(lo: float, hi: float, *shape: int) -> np.ndarray:
    return _RNG.uniform(lo, hi, shape)


def away_from_zero(*shape: int, lo: float = 0.2, hi: float = 1.5) -> np.ndarray:
    """Values with |x| in [lo, hi] and random signs: no kink of relu, abs, sign... within reach of a
    finite-difference step."""
    return uniform(lo, hi, *shape) * _RNG.choice([-1.0, 1.0], shape)


def distinct(*shape: int) -> np.ndarray:
    """A random permutation of well separated values: no ties for max, min and max pooling."""
    n = int(np.prod(shape))
    return (_RNG.permutation(n) * 0.1 - 0.05 * n + 0.03).reshape(shape)


def transposed_layout(rows: int, cols: int) -> np.ndarray:
    """A (rows, cols) array stored as the transpose of a C-ordered (cols, rows) one (a W.T)."""
    out = np.ascontiguousarray(normal(cols, rows)).T
    assert not out.flags.c_contiguous and out.T.flags.c_contiguous
    return out


# ---------------------------------------------------------------------------------------------- the cases
@dataclass(frozen=True)
class Case:
    id: str
    ops: tuple[str, ...]  # the ops whose array rules this row must run
    fn: Callable[..., Tensor]  # of float64 Tensors
    inputs: tuple[np.ndarray, ...]
    torch: Callable[..., Any] | None = None  # fn(torch, *torch_tensors)
    eps: float = 1e-6  # finite-difference step of gradcheck
    # False for a rule that is no derivative by design (embedding's padding row and frequency scaling)
    gradcheck: bool = True


def _grad_of(f: Callable[[Tensor], Tensor]) -> Callable[[Tensor], Tensor]:
    return autograd.grad(f, create_graph=True)


def _max_pool_grad(x: Tensor) -> Tensor:
    # d/dx sum(max_pool(x)^2): a max_pool2d_backward node whose input (2 * pooled) depends on x
    return _grad_of(lambda z: (F.max_pool2d(z, 2, 1) ** 2).sum())(x)


def _max_pool_grad_of_grad(x: Tensor) -> Tensor:
    # differentiating through the max_pool2d_backward node records its adjoint, max_pool2d_gather
    inner = _grad_of(lambda z: (F.max_pool2d(z, 2, 1) ** 3).sum())
    return _grad_of(lambda z: (inner(z) ** 2).sum())(x)


def _avg_pool_grad(x: Tensor) -> Tensor:
    return _grad_of(lambda z: (F.avg_pool2d(z, 2, 1) ** 2).sum())(x)


def _interpolate_grad(x: Tensor) -> Tensor:
    # d/dx sum(interpolate(x)^2): a take_sorted_backward node (the scatter) whose input depends on x
    return _grad_of(lambda z: (F.interpolate(z, scale_factor=2.5, mode="linear") ** 2).sum())(x)


def _torch_grad(torch, f, x, create_graph=True):
    (g,) = torch.autograd.grad(f(x), x, create_graph=create_graph)
    return g


def _t_max_pool_grad(torch, x):
    return _torch_grad(torch, lambda z: (torch.nn.functional.max_pool2d(z, 2, 1) ** 2).sum(), x)


def _t_max_pool_grad_of_grad(torch, x):
    def inner(z):
        return _torch_grad(torch, lambda w: (torch.nn.functional.max_pool2d(w, 2, 1) ** 3).sum(), z)

    return _torch_grad(torch, lambda z: (inner(z) ** 2).sum(), x)


def _t_avg_pool_grad(torch, x):
    return _torch_grad(torch, lambda z: (torch.nn.functional.avg_pool2d(z, 2, 1) ** 2).sum(), x)


def _t_interpolate_grad(torch, x):
    def f(z):
        return (torch.nn.functional.interpolate(z, scale_factor=2.5, mode="linear") ** 2).sum()

    return _torch_grad(torch, f, x)


def _idx(torch, values):
    return torch.tensor(np.asarray(values))


_LABELS_32x10 = _RNG.integers(0, 10, 32)
_LABELS_5x10 = np.array([3, 0, 9, 3, 3])
_CLASS_WEIGHT = uniform(0.5, 2.0, 10)
_MASK = normal(3, 4) > 0
_ROWS = np.array([0, 2, 0, 0, 1])
_COLS = np.array([1, 3, 1, 1, 0])
_TOKENS = np.array([[2, 1, 2], [5, 2, 0]])  # embedding rows, 2 repeated
CASES = [
    # ---------------------------------------------------------------- arithmetic
    Case("add_broadcast_3x1_4", ("add",), lambda a, b: a + b, (normal(3, 1), normal(4)),
         lambda t, a, b: a + b),
    Case("add_0d", ("add",), lambda a, s: a + s, (normal(2, 3), normal()), lambda t, a, s: a + s),
    Case("add_same_operand", ("add",), lambda a: a + a, (normal(2, 3),), lambda t, a: a + a),
    Case("sub_broadcast", ("sub",), lambda a, b: a - b, (normal(2, 3, 1), normal(1, 4)),
         lambda t, a, b: a - b),
    Case("sub_0d_minus_tensor", ("sub",), lambda s, a: s - a, (normal(), normal(3)), lambda t, s, a: s - a),
    Case("neg", ("neg",), lambda a: -a, (normal(2, 3),), lambda t, a: -a),
    Case("mul_broadcast", ("mul",), lambda a, b: a * b, (normal(3, 1), normal(4)), lambda t, a, b: a * b),
    Case("mul_0d_and_constant", ("mul",), lambda a, s: a * s * 2.5, (normal(2, 3), normal()),
         lambda t, a, s: a * s * 2.5),
    Case("mul_square", ("mul",), lambda a: a * a, (normal(4),), lambda t, a: a * a),
    Case("div_broadcast", ("div",), lambda a, b: a / b, (normal(3, 4), away_from_zero(4)),
         lambda t, a, b: a / b),
    Case("div_0d_by_tensor", ("div",), lambda s, b: s / b, (normal(), away_from_zero(2, 3)),
         lambda t, s, b: s / b),
    Case("rdiv_constant", ("div",), lambda b: 3.0 / b, (away_from_zero(5),), lambda t, b: 3.0 / b),
    Case("pow_tensor_exponent", ("pow",), lambda a, b: a ** b, (uniform(0.5, 2.0, 3, 1), normal(4)),
         lambda t, a, b: a ** b),
    Case("pow_constant_exponent", ("pow",), lambda a: a ** 3, (normal(2, 3),), lambda t, a: a ** 3),
    Case("where_broadcast", ("where",), lambda a, b: autograd.where(_MASK, a, b), (normal(3, 4), normal(4)),
         lambda t, a, b: t.where(t.tensor(_MASK), a, b)),
    # ---------------------------------------------------------------- elementwise functions
    Case("exp", ("exp",), lambda a: a.exp(), (normal(2, 3),), lambda t, a: a.exp()),
    Case("log", ("log",), lambda a: a.log(), (uniform(0.3, 3.0, 2, 3),), lambda t, a: a.log()),
    Case("sqrt", ("sqrt",), lambda a: a.sqrt(), (uniform(0.3, 3.0, 2, 3),), lambda t, a: a.sqrt()),
    Case("tan", ("tan",), lambda a: a.tan(), (uniform(-1.0, 1.0, 2, 3),), lambda t, a: a.tan()),
    Case("tanh", ("tanh",), lambda a: a.tanh(), (normal(2, 3),), lambda t, a: a.tanh()),
    Case("sigmoid", ("sigmoid",), lambda a: a.sigmoid(), (normal(2, 3),), lambda t, a: a.sigmoid()),
    Case("relu", ("relu",), lambda a: a.relu(), (away_from_zero(3, 4),), lambda t, a: a.relu()),
    Case("abs", ("abs",), lambda a: abs(a), (away_from_zero(3, 4),), lambda t, a: a.abs()),
    Case("sign", ("sign",), lambda a, b: a.sign() * b + a * a, (away_from_zero(3, 4), normal(3, 4)),
         lambda t, a, b: a.sign() * b + a * a),
    Case("gelu", ("gelu",), lambda a: a.gelu(), (normal(3, 4),), lambda t, a: t.nn.functional.gelu(a)),
    Case("gelu_tanh", ("gelu",), lambda a: a.gelu(approximate="tanh"), (normal(3, 4),),
         lambda t, a: t.nn.functional.gelu(a, approximate="tanh")),
    Case("leaky_relu", ("leaky_relu",), lambda a: a.leaky_relu(0.1), (away_from_zero(3, 4),),
         lambda t, a: t.nn.functional.leaky_relu(a, 0.1)),
    Case("clamp", ("clamp",), lambda a: a.clamp(-0.5, 0.5), (away_from_zero(3, 4, lo=0.1, hi=1.0),),
         lambda t, a: a.clamp(-0.5, 0.5)),
    Case("astype_float32_roundtrip", ("astype",), lambda a, b: a.astype(np.float32).astype(np.float64) * b,
         (normal(2, 3), normal(2, 3)), lambda t, a, b: a.float().double() * b, eps=1e-3),
    Case("clone", ("clone",), lambda a, b: a.clone() * b, (normal(2, 3), normal(2, 3)),
         lambda t, a, b: a.clone() * b),
    Case("contiguous_of_transpose", ("clone",), lambda a, b: a.T.contiguous() * b,
         (normal(2, 3), normal(3, 2)), lambda t, a, b: a.T.contiguous() * b),
    # ---------------------------------------------------------------- reductions
    Case("sum_all", ("sum",), lambda a: a.sum(), (normal(2, 3, 4),), lambda t, a: a.sum()),
    Case("sum_axis_tuple_keepdims", ("sum",), lambda a: a.sum(axis=(0, 2), keepdims=True),
         (normal(2, 3, 4),), lambda t, a: a.sum(dim=(0, 2), keepdim=True)),
    Case("sum_last_axis", ("sum",), lambda a: a.sum(axis=-1), (normal(2, 3, 4),), lambda t, a: a.sum(-1)),
    Case("sum_middle_axis", ("sum",), lambda a: a.sum(axis=1), (normal(2, 3, 4),), lambda t, a: a.sum(1)),
    Case("sum_of_0d", ("sum",), lambda s: s.sum() * s, (normal(),), lambda t, s: s.sum() * s),
    Case("mean_axis_tuple", ("sum", "mul"), lambda a: a.mean(axis=(0, 2)), (normal(2, 3, 4),),
         lambda t, a: a.mean(dim=(0, 2))),
    Case("mean_keepdims", ("sum", "mul"), lambda a: a.mean(axis=1, keepdims=True), (normal(3, 5),),
         lambda t, a: a.mean(1, keepdim=True)),
    Case("max_axis", ("max",), lambda a: a.max(axis=1), (distinct(3, 4),), lambda t, a: t.amax(a, 1)),
    Case("cdist_inf_batch", ("cdist",), lambda a, b: autograd.cdist(a, b, float("inf")),
         (normal(2, 3, 4), normal(5, 4)), lambda t, a, b: t.cdist(a, b, float("inf"))),
    Case("min_axis_tuple_keepdims", ("min",), lambda a: a.min(axis=(0, 2), keepdims=True),
         (distinct(2, 3, 4),), lambda t, a: t.amin(a, (0, 2), keepdim=True)),
    Case("maximum_broadcast", ("maximum",), lambda a, b: autograd.maximum(a, b),
         (distinct(3, 1), distinct(4)), lambda t, a, b: t.maximum(a, b)),
    Case("minimum", ("minimum",), lambda a, b: autograd.minimum(a, b),
         (distinct(3, 4), distinct(3, 4) + 0.01), lambda t, a, b: t.minimum(a, b)),
    # ---------------------------------------------------------------- shape
    Case("reshape", ("reshape",), lambda a: a.reshape(3, 4) * 1.0, (normal(2, 6),),
         lambda t, a: a.reshape(3, 4) * 1.0),
    Case("reshape_minus_one", ("reshape",), lambda a: a.reshape(-1), (normal(2, 3, 2),),
         lambda t, a: a.reshape(-1)),
    Case("permute", ("permute",), lambda a: a.permute(2, 0, 1), (normal(2, 3, 4),),
         lambda t, a: a.permute(2, 0, 1)),
    Case("transpose_T", ("permute",), lambda a: a.T, (normal(2, 3),), lambda t, a: a.T),
    Case("transpose_mT", ("permute",), lambda a: a.mT, (normal(2, 3, 4),), lambda t, a: a.mT),
    Case("transpose_dims", ("permute",), lambda a: a.transpose(0, 2), (normal(2, 3, 4),),
         lambda t, a: a.transpose(0, 2)),
    Case("broadcast_to", ("broadcast_to",), lambda a: a.broadcast_to(2, 3, 4), (normal(3, 1),),
         lambda t, a: a.broadcast_to(2, 3, 4)),
    Case("expand", ("broadcast_to",), lambda a: a.expand(-1, 4), (normal(3, 1),),
         lambda t, a: a.expand(-1, 4)),
    Case("broadcast_0d", ("broadcast_to",), lambda s: s.broadcast_to(2, 2), (normal(),),
         lambda t, s: s.broadcast_to(2, 2)),
    # ---------------------------------------------------------------- indexing
    Case("getitem_basic", ("getitem",), lambda a: a[1:, ::2], (normal(3, 4),), lambda t, a: a[1:, ::2]),
    Case("getitem_int_to_0d", ("getitem",), lambda a: a[1, 2], (normal(3, 4),), lambda t, a: a[1, 2]),
    Case("getitem_repeated_rows", ("getitem",), lambda a: a[[0, 2, 0, 0]], (normal(3, 4),),
         lambda t, a: a[_idx(t, [0, 2, 0, 0])]),
    Case("getitem_repeated_pairs", ("getitem",), lambda a: a[_ROWS, _COLS], (normal(3, 4),),
         lambda t, a: a[_idx(t, _ROWS), _idx(t, _COLS)]),
    Case("getitem_columns_repeated", ("getitem",), lambda a: a[:, [1, 1, 3]], (normal(3, 4),),
         lambda t, a: a[:, _idx(t, [1, 1, 3])]),
    Case("getitem_mask", ("getitem",), lambda a: a[_MASK], (normal(3, 4),), lambda t, a: a[t.tensor(_MASK)]),
    Case("scatter_add_1d", ("scatter_add",), lambda s: autograd.scatter_add(s, ([0, 0, 2],), (3,)),
         (normal(3),), lambda t, s: t.zeros(3, dtype=t.float64).index_add(0, _idx(t, [0, 0, 2]), s)),
    Case("scatter_add_rows", ("scatter_add",), lambda s: autograd.scatter_add(s, ([0, 2, 0, 1],), (3, 2)),
         (normal(4, 2),), lambda t, s: t.zeros(3, 2, dtype=t.float64).index_add(0, _idx(t, [0, 2, 0, 1]), s)),
    # ---------------------------------------------------------------- matmul
    Case("matmul_1d_1d", ("matmul",), lambda a, b: a @ b, (normal(4), normal(4)), lambda t, a, b: a @ b),
    Case("matmul_1d_2d", ("matmul",), lambda a, b: a @ b, (normal(3), normal(3, 4)), lambda t, a, b: a @ b),
    Case("matmul_2d_1d", ("matmul",), lambda a, b: a @ b, (normal(3, 4), normal(4)), lambda t, a, b: a @ b),
    Case("matmul_2d_2d", ("matmul",), lambda a, b: a @ b, (normal(2, 3), normal(3, 4)),
         lambda t, a, b: a @ b),
    Case("matmul_batched_broadcast", ("matmul",), lambda a, b: a @ b, (normal(2, 1, 3, 4), normal(3, 4, 2)),
         lambda t, a, b: a @ b),
    Case("matmul_batched_with_2d", ("matmul",), lambda a, b: a @ b, (normal(2, 3, 4), normal(4, 5)),
         lambda t, a, b: a @ b),
    Case("matmul_1d_batched", ("matmul",), lambda a, b: a @ b, (normal(3), normal(2, 3, 4)),
         lambda t, a, b: a @ b),
    Case("matmul_w_T", ("matmul", "permute"), lambda x, w: x @ w.T, (normal(5, 3), normal(4, 3)),
         lambda t, x, w: x @ w.T),
    Case("matmul_w_T_left", ("matmul", "permute"), lambda w, x: w.T @ x, (normal(4, 3), normal(4, 2)),
         lambda t, w, x: w.T @ x),
    Case("matmul_batched_mT", ("matmul", "permute"), lambda a, b: a @ b.mT,
         (normal(2, 3, 4), normal(2, 5, 4)), lambda t, a, b: a @ b.mT),
    Case("matmul_transposed_leaves", ("matmul",), lambda a, b: a @ b,
         (transposed_layout(3, 4), transposed_layout(4, 2)), lambda t, a, b: a @ b),
    # ---------------------------------------------------------------- combine
    Case("cat_axis1", ("cat",), lambda a, b: autograd.cat([a, b], axis=1), (normal(2, 3), normal(2, 1)),
         lambda t, a, b: t.cat([a, b], 1)),
    Case("stack_last", ("stack",), lambda a, b: autograd.stack([a, b], axis=-1), (normal(2, 3), normal(2, 3)),
         lambda t, a, b: t.stack([a, b], -1)),
    Case("pad", ("pad",), lambda a: autograd.pad(a, ((1, 0), (2, 1))), (normal(2, 3),),
         lambda t, a: t.nn.functional.pad(a, (2, 1, 1, 0))),
    # ---------------------------------------------------------------- softmax
    Case("softmax_axis0", ("softmax",), lambda a: a.softmax(axis=0), (normal(3, 4),),
         lambda t, a: a.softmax(0)),
    Case("softmax_axis1", ("softmax",), lambda a: a.softmax(axis=1), (normal(3, 4),),
         lambda t, a: a.softmax(1)),
    Case("softmax_row_max_transposed", ("softmax",), lambda a: a.softmax(axis=-1), (normal(20, 5),),
         lambda t, a: a.softmax(-1)),
    Case("softmax_wide_rows", ("softmax",), lambda a: a.softmax(axis=1), (normal(16, 70),),
         lambda t, a: a.softmax(1)),
    Case("softmax_3d_axis1", ("softmax",), lambda a: a.softmax(axis=1), (normal(2, 3, 4),),
         lambda t, a: a.softmax(1)),
    Case("log_softmax_axis0", ("log_softmax",), lambda a: a.log_softmax(axis=0), (normal(3, 4),),
         lambda t, a: a.log_softmax(0)),
    Case("log_softmax_axis1", ("log_softmax",), lambda a: a.log_softmax(axis=1), (normal(3, 4),),
         lambda t, a: a.log_softmax(1)),
    Case("log_softmax_row_max_transposed", ("log_softmax",), lambda a: a.log_softmax(axis=1),
         (normal(24, 6),), lambda t, a: a.log_softmax(1)),
    # ---------------------------------------------------------------- fused (nn.fused)
    Case("linear", ("linear",), lambda x, w, b: F.linear(x, w, b), (normal(4, 3), normal(2, 3), normal(2)),
         lambda t, x, w, b: t.nn.functional.linear(x, w, b)),
    Case("linear_batched_no_bias", ("linear",), lambda x, w: F.linear(x, w), (normal(2, 3, 4), normal(5, 4)),
         lambda t, x, w: t.nn.functional.linear(x, w)),
    Case("cross_entropy_classes_first", ("cross_entropy",), lambda x: F.cross_entropy(x, _LABELS_32x10),
         (normal(32, 10),), lambda t, x: t.nn.functional.cross_entropy(x, _idx(t, _LABELS_32x10))),
    Case("cross_entropy_rows_weighted_sum", ("cross_entropy",),
         lambda x: F.cross_entropy(x, _LABELS_5x10, weight=_CLASS_WEIGHT, reduction="sum"), (normal(5, 10),),
         lambda t, x: t.nn.functional.cross_entropy(x, _idx(t, _LABELS_5x10), weight=t.tensor(_CLASS_WEIGHT),
                                                    reduction="sum")),
    # ---------------------------------------------------------------- convolution and pooling (nn.conv_ops)
    Case("conv2d", ("conv2d",), lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
         (normal(2, 2, 5, 5), normal(3, 2, 3, 3), normal(3)),
         lambda t, x, w, b: t.nn.functional.conv2d(x, w, b, stride=2, padding=1)),
    Case("max_pool2d_overlapping", ("max_pool2d",), lambda x: F.max_pool2d(x, 2, 1), (distinct(1, 2, 4, 4),),
         lambda t, x: t.nn.functional.max_pool2d(x, 2, 1)),
    Case("avg_pool2d_padded", ("avg_pool2d",), lambda x: F.avg_pool2d(x, 3, 2, 1), (normal(1, 2, 5, 5),),
         lambda t, x: t.nn.functional.avg_pool2d(x, 3, 2, 1)),
    Case("max_pool2d_backward", ("max_pool2d_backward",), _max_pool_grad, (distinct(1, 2, 4, 4),),
         _t_max_pool_grad),
    Case("max_pool2d_gather", ("max_pool2d_gather",), _max_pool_grad_of_grad, (distinct(1, 1, 4, 4),),
         _t_max_pool_grad_of_grad),
    Case("avg_pool2d_backward", ("avg_pool2d_backward",), _avg_pool_grad, (normal(1, 2, 4, 4),),
         _t_avg_pool_grad),
    Case("max_unpool2d", ("max_unpool2d",),
         lambda y: nn.conv_ops.max_unpool2d(y, np.array([[[[0, 3], [9, 14]], [[5, 2], [12, 15]]]]), 2),
         (normal(1, 2, 2, 2),), lambda t, y: t.nn.functional.max_unpool2d(
             y, t.tensor(np.array([[[[0, 3], [9, 14]], [[5, 2], [12, 15]]]])), 2)),
    Case("conv1d_grouped", ("conv2d",), lambda x, w, b: F.conv1d(x, w, b, padding="same", groups=2),
         (normal(2, 4, 6), normal(2, 2, 3), normal(2)),
         lambda t, x, w, b: t.nn.functional.conv1d(x, w, b, padding="same", groups=2)),
    Case("interpolate_bilinear", ("take_sorted",),
         lambda x: F.interpolate(x, scale_factor=(1.5, 2), mode="bilinear"), (normal(1, 2, 3, 4),),
         lambda t, x: t.nn.functional.interpolate(x, scale_factor=(1.5, 2), mode="bilinear")),
    Case("adaptive_avg_pool1d", ("take_sorted",), lambda x: F.adaptive_avg_pool1d(x, 3), (normal(2, 2, 7),),
         lambda t, x: t.nn.functional.adaptive_avg_pool1d(x, 3)),
    Case("take_sorted_backward", ("take_sorted_backward",), _interpolate_grad, (normal(1, 2, 5),),
         _t_interpolate_grad),
    Case("embedding_repeated_rows", ("embedding",), lambda w: F.embedding(_TOKENS, w), (normal(6, 3),),
         lambda t, w: t.nn.functional.embedding(t.tensor(_TOKENS), w)),
    Case("embedding_padding_and_frequency", ("embedding",),
         lambda w: F.embedding(_TOKENS, w, padding_idx=1, scale_grad_by_freq=True), (normal(6, 3),),
         lambda t, w: t.nn.functional.embedding(t.tensor(_TOKENS), w, padding_idx=1, scale_grad_by_freq=True),
         gradcheck=False),
]
CASES += [Case(*row) for row in more_elementwise_cases.array_rule_rows(_RNG)]  # log1p, floor, atan2, ...


# nansum, logcumsumexp and weighted bincount (torch's bincount has no derivative: index_add is the same sum).
# nansum's nan entries are put in by where, so that the inputs (which other tests wrap in log and exp) are
# finite.
_NANS = np.arange(12).reshape(3, 4) % 3 == 0


def _nans_in(a: Tensor) -> Tensor:
    return autograd.where(_NANS[: a.shape[0], : a.shape[1]], float("nan"), a)


def _t_nans_in(torch: Any, a: Any) -> Any:
    return torch.where(torch.tensor(_NANS[: a.shape[0], : a.shape[1]]), float("nan"), a)


_BINS = np.array([3, 0, 3, 1, 5, 3])
CASES += [
    Case("nansum_axis1", ("nansum", "where"), lambda a: _nans_in(a).nansum(axis=1), (normal(3, 4),),
         lambda t, a: _t_nans_in(t, a).nansum(1)),
    Case("nansum_all", ("nansum",), lambda a: _nans_in(a).nansum() ** 2, (normal(2, 3),),
         lambda t, a: _t_nans_in(t, a).nansum() ** 2),
    Case("logcumsumexp_axis1", ("logcumsumexp",), lambda a: a.logcumsumexp(1), (normal(3, 4),),
         lambda t, a: a.logcumsumexp(1)),
    Case("logcumsumexp_large", ("logcumsumexp",), lambda a: (a * 300.0).logcumsumexp(0), (normal(5, 2),),
         lambda t, a: (a * 300.0).logcumsumexp(0)),
    Case("bincount_weights", ("bincount",), lambda w: autograd.bincount(_BINS, w, minlength=8), (normal(6),),
         lambda t, w: t.zeros(8, dtype=t.float64).index_add(0, t.tensor(_BINS), w)),
]
CASES += [Case(*row) for row in activation_cases.array_rule_rows(_RNG)]  # relu6, selu, elu, ...
CASES += [Case(*row) for row in linalg_fused_cases.array_rule_rows(_RNG)]  # addmm, lerp, inv, det, svd, ...

# add and sub with alpha, and div's rounding modes (whose zero gradient is multiplied by a product's, so
# that the row has a gradient to compare); inputs of their own, so that the rows above keep theirs
_RNG_2 = np.random.default_rng(20261206)
_A, _B = _RNG_2.uniform(-4.0, 4.0, (3, 4)), _RNG_2.uniform(0.3, 1.7, 4) * _RNG_2.choice([-1.0, 1.0], 4)
CASES += [
    Case("add_alpha_broadcast", ("add",), lambda a, b: autograd.add(a, b, alpha=-2.5), (_A, _B),
         lambda t, a, b: t.add(a, b, alpha=-2.5)),
    Case("sub_alpha_broadcast", ("sub",), lambda a, b: a.sub(b, alpha=0.75), (_A, _B),
         lambda t, a, b: a.sub(b, alpha=0.75)),
    Case("div_floor", ("div_floor", "mul"), lambda a, b: a.div(b, rounding_mode="floor") * a, (_A, _B),
         lambda t, a, b: t.div(a, b, rounding_mode="floor") * a),
    Case("div_trunc", ("div_trunc", "mul"), lambda a, b: autograd.div(a, b, rounding_mode="trunc") * b,
         (_A, _B), lambda t, a, b: t.div(a, b, rounding_mode="trunc") * b),
]
CASE_IDS = [c.id for c in CASES]


def _leaves(case: Case) -> list[Tensor]:
    return [Tensor(a.copy(order="K"), requires_grad=True) for a in case.inputs]


def _seed_for(out: Tensor, case_id: str) -> np.ndarray:
    rng = np.random.default_rng(sum(map(ord, case_id)))
    return np.asarray(rng.standard_normal(out.shape))


def _run(case: Case, create_graph: bool) -> tuple[Tensor, list[Tensor]]:
    leaves = _leaves(case)
    out = case.fn(*leaves)
    out.backward(_seed_for(out, case.id), create_graph=create_graph)
    return out, leaves


# ---------------------------------------------------------------------------------------------- coverage
def test_discovery_finds_the_array_rules_named_in_the_design():
    names = {op.name for op in ops_with_array_rules()}
    expected = {"add", "sub", "neg", "mul", "div", "exp", "log", "sqrt", "tan", "tanh", "sigmoid", "relu",
                "sign", "matmul", "permute", "reshape", "broadcast_to", "sum", "softmax", "log_softmax",
                "getitem", "scatter_add", "astype", "linear", "cross_entropy"}
    assert expected <= names, f"not found: {sorted(expected - names)}"
    assert "sin" not in names and "einsum" not in names  # ops without an array rule are not listed


def test_every_array_rule_has_a_case():
    covered = {name for case in CASES for name in case.ops}
    missing = sorted({op.name for op in ops_with_array_rules()} - covered)
    assert not missing, f"array rules without a row in CASES: {missing}"
    assert len(set(CASE_IDS)) == len(CASE_IDS)


# ---------------------------------------------------------------------------------------------- per case
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_array_rules_match_tensor_rules(case, array_rule_calls):
    leaves = _leaves(case)
    out = case.fn(*leaves)
    seed = _seed_for(out, case.id)
    array_rule_calls.clear()
    out.backward(seed)
    plain_calls = Counter(array_rule_calls)
    for name in case.ops:
        assert plain_calls[name] > 0, f"{case.id}: {name!r}'s array rule did not run ({dict(plain_calls)})"
    for node in topological_order(out):  # no array is left where a user can read it
        if node._parents:  # the slot itself: reading .grad on these interior tensors warns
            assert node._grad is None, f"{case.id}: interior {node.op} kept a {type(node._grad).__name__}"
    for leaf in leaves:
        assert isinstance(leaf.grad, Tensor) and isinstance(leaf.grad.data, np.ndarray)
        assert leaf.grad.shape == leaf.shape and leaf.grad.dtype == np.float64
        assert not leaf.grad.requires_grad

    array_rule_calls.clear()
    out_r, recorded = _run(case, create_graph=True)
    assert sum(array_rule_calls.values()) == 0, f"a recording pass ran array rules: {dict(array_rule_calls)}"
    np.testing.assert_array_equal(out_r.data, out.data)
    for i, (a, b) in enumerate(zip(leaves, recorded)):
        assert isinstance(b.grad, Tensor)
        np.testing.assert_allclose(a.grad.data, b.grad.data, rtol=TOL, atol=TOL,
                                   err_msg=f"{case.id}: input {i}, array rules vs Tensor rules")


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_rules_that_write_into_their_gradient_change_nothing_else(case):
    # The elementwise functions' array rules multiply into the gradient they are given, which is theirs
    # alone (TensorOp.vjp). Behind every operand here sit exp and log, whose rules do that: had an op's
    # rule handed down an array it keeps (saved for the backward pass, its output, the seed), the second
    # pass, the output or the seed would change.
    leaves = _leaves(case)
    out = case.fn(*[(leaf + 10.0).log().exp() - 10.0 for leaf in leaves])  # x, up to rounding
    output, seed = out.data.copy(), _seed_for(out, case.id)
    seed_before = seed.copy()
    out.backward(seed, retain_graph=True)
    first = [leaf.grad.data.copy() for leaf in leaves]
    out.backward(seed)
    np.testing.assert_array_equal(seed, seed_before)
    np.testing.assert_array_equal(out.data, output)
    _, plain = _run(case, create_graph=False)
    for i, (leaf, g, ref) in enumerate(zip(leaves, first, plain)):
        np.testing.assert_allclose(leaf.grad.data, 2 * g, rtol=1e-12, atol=1e-12, err_msg=f"{case.id}: {i}")
        np.testing.assert_allclose(g, ref.grad.data, rtol=1e-8, atol=1e-8, err_msg=f"{case.id}: input {i}")


@pytest.mark.parametrize("view", [lambda t: t.reshape(t.shape), lambda t: t.expand(t.shape),
                                  lambda t: t.astype(t.dtype)], ids=["reshape", "expand", "astype"])
def test_a_retained_gradient_is_not_written_into_by_the_rules_behind_it(view):
    # these ops hand their gradient down as it is, or as a view of it
    x = Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    kept = view(x.exp())
    kept.retain_grad()
    c = np.array([1.0, 2.0, 3.0])
    (kept * Tensor(c)).sum().backward()
    np.testing.assert_array_equal(kept.grad.data, c)
    np.testing.assert_allclose(x.grad.data, c * np.exp(x.data), rtol=1e-15)


def test_functional_vjp_leaves_the_cotangent_alone():
    v = np.array([1.0, 2.0, 3.0])
    _, g = autograd.functional.vjp(lambda x: x.exp(), Tensor(np.array([0.0, 1.0, 2.0])), v=v)
    np.testing.assert_array_equal(v, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(g.data, v * np.exp([0.0, 1.0, 2.0]), rtol=1e-15)


@pytest.mark.parametrize("case", [c for c in CASES if c.gradcheck], ids=[c.id for c in CASES if c.gradcheck])
def test_gradcheck(case):
    assert gradcheck(case.fn, [a.copy() for a in case.inputs], eps=case.eps, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("case", [c for c in CASES if c.torch is not None],
                         ids=[c.id for c in CASES if c.torch is not None])
def test_against_torch(case):
    torch = pytest.importorskip("torch")
    out, leaves = _run(case, create_graph=False)
    refs = [torch.tensor(a.copy(), requires_grad=True) for a in case.inputs]
    ref = case.torch(torch, *refs)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=TORCH_RTOL, atol=TORCH_ATOL)
    ref.backward(torch.tensor(_seed_for(out, case.id)))
    for i, (ours, theirs) in enumerate(zip(leaves, refs)):
        expected = theirs.grad.numpy() if theirs.grad is not None else np.zeros(theirs.shape)
        np.testing.assert_allclose(ours.grad.data, expected, rtol=TORCH_RTOL, atol=TORCH_ATOL,
                                   err_msg=f"{case.id}: input {i} vs torch")


# ---------------------------------------------------------------------------------------------- engine
def t64(a, requires_grad=True) -> Tensor:
    return Tensor(np.array(a, dtype=np.float64), requires_grad=requires_grad)


def test_leaf_grads_take_their_leafs_dtype_and_shape():
    a = Tensor(normal(3, 1).astype(np.float32), requires_grad=True)
    b = t64(normal(4))
    s = t64(normal())
    (a * b * s).sum().backward()
    assert isinstance(a.grad, Tensor) and a.grad.shape == (3, 1) and a.grad.dtype == np.float32
    assert isinstance(b.grad, Tensor) and b.grad.shape == (4,) and b.grad.dtype == np.float64
    assert isinstance(s.grad, Tensor) and s.grad.shape == () and s.grad.dtype == np.float64
    a64 = a.data.astype(np.float64)
    np.testing.assert_allclose(a.grad.data, (b.data * s.data).sum() * np.ones((3, 1)), rtol=1e-6)
    np.testing.assert_allclose(b.grad.data, a64.sum() * s.data * np.ones(4), rtol=1e-12)
    np.testing.assert_allclose(s.grad.data, (a64 * b.data).sum(), rtol=1e-12)


def test_leaf_grads_accumulate_as_tensors_across_passes():
    x = t64(normal(2, 3))
    for _ in range(2):
        (x.exp() * 2.0).sum().backward()
    assert isinstance(x.grad, Tensor)
    np.testing.assert_allclose(x.grad.data, 4.0 * np.exp(x.data), rtol=1e-14)


def test_retained_interior_grads_are_tensors():
    x, w = t64(normal(3, 4)), t64(normal(2, 4))
    h = (x @ w.T).retain_grad()
    r = h.exp().retain_grad()  # one contribution: it arrives as it is
    y = (h * h).sum() + h.sum() + (r * 3.0).sum()  # h gets three contributions, summed
    y.backward()
    hd = x.data @ w.data.T
    dh = 2.0 * hd + 1.0 + 3.0 * np.exp(hd)
    for t, expected in ((h, dh), (r, np.full((3, 2), 3.0))):
        assert isinstance(t.grad, Tensor) and t.grad.dtype == np.float64 and not t.grad.requires_grad
        np.testing.assert_allclose(t.grad.data, expected, rtol=1e-13)
    np.testing.assert_allclose(x.grad.data, dh @ w.data, rtol=1e-13)
    np.testing.assert_allclose(w.grad.data, dh.T @ x.data, rtol=1e-13)


def test_backward_inputs_gives_an_interior_tensor_a_tensor_grad():
    x = t64(normal(2, 3))
    h = x * 2.0
    y = (h * h).sum() + h.exp().sum()  # h gets two contributions from array rules
    y.backward(inputs=[h])
    assert isinstance(h.grad, Tensor) and h.grad.shape == (2, 3) and h.grad.dtype == np.float64
    np.testing.assert_allclose(h.grad.data, 2.0 * h.data + np.exp(h.data), rtol=1e-14)
    assert x.grad is None  # the pass stops at its inputs


def test_backward_inputs_single_interior_contribution_and_a_leaf():
    x, w, v = t64(normal(4, 3)), t64(normal(3)), t64(normal(2))
    h = x @ w
    y = h.tanh().sum() + (v * v).sum()
    y.backward(inputs=[h, v])
    assert isinstance(h.grad, Tensor) and isinstance(v.grad, Tensor)
    np.testing.assert_allclose(h.grad.data, 1.0 - np.tanh(x.data @ w.data) ** 2, rtol=1e-13)
    np.testing.assert_allclose(v.grad.data, 2.0 * v.data, rtol=1e-14)
    assert x.grad is None and w.grad is None  # not among the inputs


def test_functional_grad_and_vjp_return_tensors():
    x0, w0 = normal(3, 4), normal(2, 4)
    x = t64(x0, requires_grad=False)
    g = autograd.grad(lambda z: (z.exp() * z).sum())(x)
    assert isinstance(g, Tensor) and g.shape == (3, 4) and g.dtype == np.float64
    np.testing.assert_allclose(g.data, (x0 + 1.0) * np.exp(x0), rtol=1e-14)

    dx, dw = autograd.grad(lambda a, b: (a @ b.T).relu().sum(), argnums=(0, 1))(x0, w0)
    mask = (x0 @ w0.T > 0).astype(np.float64)
    assert isinstance(dx, Tensor) and isinstance(dw, Tensor)
    np.testing.assert_allclose(dx.data, mask @ w0, rtol=1e-13)
    np.testing.assert_allclose(dw.data, mask.T @ x0, rtol=1e-13)

    v = normal(3, 4)
    out, gv = autograd.vjp(lambda z: z.softmax(axis=1), x, v=v)
    e = np.exp(x0 - x0.max(axis=1, keepdims=True))
    s = e / e.sum(axis=1, keepdims=True)
    assert isinstance(out, Tensor) and isinstance(gv, Tensor)
    np.testing.assert_allclose(out.data, s, rtol=1e-14)
    np.testing.assert_allclose(gv.data, s * (v - (v * s).sum(axis=1, keepdims=True)), rtol=1e-12, atol=1e-15)
    assert x.grad is None


def test_matmul_gradients_come_out_in_the_operands_layout():
    # linalg's layout trick: an operand stored transposed (W.T) gets its gradient computed so that it is
    # stored transposed too, and the leaf behind a .T gets a C-ordered gradient
    x0, w0, a0 = normal(5, 3), normal(4, 3), transposed_layout(3, 2)
    x, w, a = t64(x0), t64(w0), Tensor(a0.copy(order="K"), requires_grad=True)
    g = normal(5, 4)
    (x @ w.T).backward(g)
    assert w.grad.data.flags.c_contiguous and x.grad.data.flags.c_contiguous
    np.testing.assert_allclose(w.grad.data, g.T @ x0, rtol=1e-13)
    np.testing.assert_allclose(x.grad.data, g @ w0, rtol=1e-13)
    h = normal(5, 2)
    (x @ a).backward(h)
    assert a.grad.data.T.flags.c_contiguous and not a.grad.data.flags.c_contiguous
    np.testing.assert_allclose(a.grad.data, x0.T @ h, rtol=1e-13)


def test_mixed_graph_of_ops_with_and_without_array_rules(array_rule_calls):
    a0, b0, c0 = normal(3, 4), normal(4, 5), normal(5)
    a, b, c = t64(a0), t64(b0), t64(c0)
    z = a @ b
    s = z.sin() + c  # sin: no array rule
    m = autograd.maximum(s, 0.1)
    loss = m.softplus().sum() + (s ** 2).mean()  # softplus: no array rule
    loss.backward()
    assert array_rule_calls["matmul"] and array_rule_calls["maximum"] and array_rule_calls["pow"]
    # the same derivative, by hand
    z_ = a0 @ b0
    s_ = np.sin(z_) + c0
    m_ = np.maximum(s_, 0.1)
    ds = (1.0 / (1.0 + np.exp(-m_))) * (s_ > 0.1) + 2.0 * s_ / s_.size
    dz = ds * np.cos(z_)
    np.testing.assert_allclose(a.grad.data, dz @ b0.T, rtol=1e-12)
    np.testing.assert_allclose(b.grad.data, a0.T @ dz, rtol=1e-12)
    np.testing.assert_allclose(c.grad.data, ds.sum(axis=0), rtol=1e-12)
    assert all(isinstance(t.grad, Tensor) for t in (a, b, c))


def test_zero_dimensional_results_flow_through_array_rules():
    x0, s0, t0 = normal(4), 0.7, -0.4
    x, s, t = t64(x0), t64(s0), t64(t0)
    u = (x * s).sum()  # 0-d from here on
    loss = (u * t).exp() / (t * t + 1.0) + u.tanh()
    assert loss.shape == ()
    loss.backward()
    u_ = s0 * x0.sum()
    e = np.exp(u_ * t0)
    dl_du = t0 * e / (t0 ** 2 + 1.0) + 1.0 - np.tanh(u_) ** 2
    dl_dt = u_ * e / (t0 ** 2 + 1.0) - 2.0 * t0 * e / (t0 ** 2 + 1.0) ** 2
    # numpy's ufuncs give scalars for 0-d results; a Tensor's .data is an array all the same
    assert all(type(n.data) is np.ndarray for n in topological_order(loss))
    for leaf in (s, t):
        assert isinstance(leaf.grad, Tensor) and leaf.grad.shape == () and leaf.grad.dtype == np.float64
        assert type(leaf.grad.data) is np.ndarray
    np.testing.assert_allclose(t.grad.data, dl_dt, rtol=1e-13)
    np.testing.assert_allclose(s.grad.data, dl_du * x0.sum(), rtol=1e-13)
    np.testing.assert_allclose(x.grad.data, dl_du * s0 * np.ones(4), rtol=1e-13)


def _many_ops_loss(x, w, b):
    """A loss that runs most array rules, written with Python-float constants."""
    h = F.linear(x, w, b)
    loss = ((h.relu() * 0.5 + 1.0).log().sum() + (x.exp() / 3.0).mean() + x.sqrt().sum() * 0.25
            + h.softmax(axis=1).max() + F.cross_entropy(h, np.arange(20) % 5) + h.log_softmax(axis=0).mean()
            - (x ** 2.0).sum() + h.tanh().sigmoid().sum() + (x @ w.T).sum() + autograd.maximum(h, 0.1).sum()
            + h[[0, 0, 1]].sum() + (2.0 - h).sum() + (-h / 2.0).sum() + (1.0 / (x + 1.0)).sum()
            + autograd.cat([h, x], axis=1).sum() + h.abs().clamp(0.1, 2.0).leaky_relu(0.1).sum())
    return loss, h


def test_float32_stays_float32(array_rule_calls, monkeypatch):
    upcasts = []
    for op in ops_with_array_rules():  # on top of the counting wrapper: watch every contribution's dtype
        def watched(node, g, _rule=op.array_rule, _name=op.name):
            out = _rule(node, g)
            dtypes = {np.asarray(g).dtype} | {np.asarray(c).dtype for c in out if c is not None}
            if dtypes != {np.dtype(np.float32)}:
                upcasts.append((_name, dtypes))
            return out

        monkeypatch.setattr(op, "array_rule", watched)
    rng = np.random.default_rng(1)
    x = Tensor(rng.uniform(0.1, 1.0, (20, 3)).astype(np.float32), requires_grad=True)
    w = Tensor(rng.standard_normal((5, 3)).astype(np.float32), requires_grad=True)
    b = Tensor(rng.standard_normal(5).astype(np.float32), requires_grad=True)
    loss, h = _many_ops_loss(x, w, b)
    h.retain_grad()
    assert loss.dtype == np.float32
    loss.backward()
    assert sum(array_rule_calls.values()) > 20
    for t in (x, w, b, h):
        assert isinstance(t.grad, Tensor) and t.grad.dtype == np.float32, t.grad.dtype
    assert not upcasts, f"array rules that left float32: {upcasts}"

    # the same loss in float64 gives the same gradients, to float32 precision
    x64, w64, b64 = (t64(t.data.astype(np.float64)) for t in (x, w, b))
    _many_ops_loss(x64, w64, b64)[0].backward()
    for t, t64_ in ((x, x64), (w, w64), (b, b64)):
        np.testing.assert_allclose(t.grad.data, t64_.grad.data, rtol=2e-4, atol=2e-4)


def _boom(node, g):
    raise ValueError("boom: this rule always fails")


@pytest.mark.parametrize("op", [TensorOp("boom", _boom), TensorOp("boom", _boom, _boom)],
                         ids=["tensor_rule_only", "with_array_rule"])
def test_a_pass_that_raises_leaves_no_array_behind(op):
    x, c = t64(normal(3)), t64(normal(3))
    h = x * 2.0
    bad = result(h.data.copy(), (h,), op)
    r = bad.exp().retain_grad()
    y = (r * c).sum() + (x * x).sum()
    with pytest.raises(ValueError, match="boom"):
        y.backward()
    nodes = topological_order(y)
    for node in nodes:  # the slot itself: reading .grad on the interior tensors warns
        assert node._grad is None or isinstance(node._grad, Tensor), (node.op, type(node._grad))
        if node._parents and node is not r:
            assert node._grad is None, f"interior {node.op!r} kept {node._grad!r}"
    assert isinstance(r.grad, Tensor)  # retained: its gradient was complete before the failure
    np.testing.assert_array_equal(r.grad.data, c.data)
    assert isinstance(c.grad, Tensor) and isinstance(x.grad, Tensor)  # the leaves reached before the failure
    np.testing.assert_allclose(x.grad.data, 2.0 * x.data, rtol=1e-15)  # only the x * x branch arrived
    assert autograd.is_grad_enabled()


def test_second_backward_through_a_freed_graph_names_retain_graph():
    x = t64(normal(3))
    y = (x.exp() * 2.0).sum()
    y.backward()
    with pytest.raises(GraphFreedError, match="retain_graph"):
        y.backward()
    np.testing.assert_allclose(x.grad.data, 2.0 * np.exp(x.data), rtol=1e-15)  # the failed pass added nothing

    x.grad = None
    y = (x.exp() * 2.0).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.data, 4.0 * np.exp(x.data), rtol=1e-15)


def _matmul_relu_sum(x, w):
    return (x @ w.T).relu().sum()


@pytest.mark.parametrize("x_requires_grad", [True, False])
def test_count_ops_counts_backward_macs_of_array_rule_ops(x_requires_grad, array_rule_calls):
    n, k, m = 4, 3, 5
    x0, w0 = normal(n, k), normal(m, k)
    x, w = t64(x0, x_requires_grad), t64(w0)
    with autograd.count_ops() as c:
        y = _matmul_relu_sum(x, w)
        y.backward()
    assert sum(array_rule_calls.values()) == 0  # a counted pass runs the Tensor rules, which it can see
    assert c.forward == 4 and c.by_op == Counter({"permute": 1, "matmul": 1, "relu": 1, "sum": 1})
    assert c.forward_macs == n * k * m
    # dW = G^T X always; dX = G W only when x needs it
    assert c.backward_macs == (2 if x_requires_grad else 1) * n * k * m
    # edges that carry a gradient: sum 1, relu 1, matmul 2 (the one to x only when x requires grad),
    # permute 1; the root's edge needs no multiplication; no fan-out
    expected = (5, 4, 0) if x_requires_grad else (4, 3, 0)
    assert (c.local_derivatives, c.multiplications, c.additions) == expected
    # ... and the gradients are those of a plain pass
    x2, w2 = t64(x0, x_requires_grad), t64(w0)
    _matmul_relu_sum(x2, w2).backward()
    np.testing.assert_allclose(w.grad.data, w2.grad.data, rtol=1e-14)
    if x_requires_grad:
        np.testing.assert_allclose(x.grad.data, x2.grad.data, rtol=1e-14)


def test_count_ops_counts_backward_elements_and_fan_out():
    n, k = 3, 4
    x, w, b = t64(normal(n, k)), t64(normal(n, k)), t64(normal(k))
    with autograd.count_ops() as c:
        y = ((x * w).exp() + b).sum()
        y.backward()
    # sum: broadcasts the seed to (n, k); add: passes g on, and sums it to (k,) for b; exp: g * y;
    # mul: g * w and g * x
    assert c.backward_elements == n * k + k + n * k + 2 * n * k
    assert c.backward_macs == 0
    assert (c.local_derivatives, c.multiplications, c.additions) == (1 + 2 + 1 + 2, 5, 0)

    h0 = t64(normal(n, k))
    with autograd.count_ops() as c:
        h = h0 @ w.T  # (n, n)
        (h * h).sum().backward()
    assert c.additions == 1  # h receives two contributions
    assert c.backward_macs == 2 * n * k * n
