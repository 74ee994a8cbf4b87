"""chaingrad's engine: reverse-mode automatic differentiation you can see.

``Value`` is a differentiable scalar, ``Tensor`` a differentiable numpy array; both share one backward
pass (:mod:`autograd.engine`). The tensor primitives live in :mod:`autograd.ops`, one module per family,
and are re-exported here under their PyTorch names.
"""

import numpy as _np

from . import ops  # binds the tensor operators and methods onto Tensor
from .counting import NaiveCost, OpCounter, count_ops, naive_chain_rule_cost
from .devices import cuda, device
from .engine import GraphFreedError, topological_order
from .factories import (
    arange,
    default_generator,
    eye,
    full,
    full_like,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randn,
    randn_like,
    zeros,
    zeros_like,
)
from .functional import grad, hessian, hvp, jacobian, value_and_grad, vjp
from .functions import (
    abs,
    cos,
    exp,
    leaky_relu,
    log,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    tan,
    tanh,
    zero_grad,
)
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .grad_of_tensors import backward
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .graph import draw_graph, render, retain_grads
from .ops.arithmetic import add, div, eq, ge, gt, le, lt, mul, ne, neg, pow, sub, where
from .ops.combine import cat, chunk, concatenate, pad, split, stack
from .ops.conversion import clone
from .ops.cumulative import cummax, cummin, cumprod, cumsum, diff
from .ops.gather_scatter import (
    gather,
    index_select,
    masked_fill,
    masked_select,
    scatter,
    scatter_add,
    take_along_dim,
)
from .ops.linalg import bmm, dot, einsum, matmul, mm, mv, outer, swapaxes, trace
from .ops.norms import norm
from .ops.rearrange import moveaxis, movedim, narrow, unbind, unflatten
from .ops.reductions import (
    amax,
    amin,
    argmax,
    argmin,
    logsumexp,
    max,
    maximum,
    mean,
    min,
    minimum,
    prod,
    std,
    sum,
    var,
)
from .ops.shape import (
    broadcast_to,
    expand,
    flatten,
    flip,
    permute,
    repeat_interleave,
    reshape,
    roll,
    squeeze,
    tile,
    transpose,
    unsqueeze,
)
from .ops.softmax import log_softmax, softmax
from .ops.sorting import ValuesIndices, argsort, kthvalue, median, sort, topk
from .ops.triangular import diag, diag_embed, diagonal, tril, triu
from .ops.unary import clamp, clip, elu, erf, gelu, sign
from .sampling import bernoulli, normal, randint, randperm
from .sequences import linspace, logspace
from .tensor import Tensor, tensor, unbroadcast
from .value import Value, value_dot, value_sum

# isort: split
# More elementwise functions, logic and rounding (Tensor only: Value has none of them)
from .ops.binary_math import arctan2, atan2, hypot, logaddexp
from .ops.finite import isfinite, isinf, isnan, isneginf, isposinf, nan_to_num
from .ops.logical import all, any, logical_and, logical_not, logical_or, logical_xor
from .ops.rounding import ceil, fix, floor, floor_divide, fmod, frac, remainder, round, trunc
from .ops.unary import (
    acos,
    acosh,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    asin,
    asinh,
    atan,
    atanh,
    cosh,
    expm1,
    hardtanh,
    log1p,
    log2,
    log10,
    logsigmoid,
    mish,
    reciprocal,
    rsqrt,
    silu,
    sinc,
    sinh,
    softsign,
    square,
)

# isort: split
# statistics and nan-ignoring reductions, and the counting and searching ops
from .ops.cumulative import logcumsumexp
from .ops.discrete import argwhere, bincount, bucketize, histc, nonzero, searchsorted, unique
from .ops.reductions import aminmax, count_nonzero, nanmean, nansum, std_mean, var_mean

# isort: split
# PyTorch's creation helpers, whole-tensor comparisons and other names for shape ops
from .factories import as_tensor, empty, empty_like, from_numpy
from .ops.aliases import negative
from .ops.comparison import allclose, equal, isclose
from .ops.conversion import is_tensor, numel
from .ops.shape import swapdims, t

# isort: split
# The remaining activations, clamp_min/clamp_max, softmin/glu and the bitwise operators
from .ops.axis_activations import glu, softmin
from .ops.bitwise import (
    bitwise_and,
    bitwise_left_shift,
    bitwise_not,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
)
from .ops.unary import (
    celu,
    clamp_max,
    clamp_min,
    hardshrink,
    hardsigmoid,
    hardswish,
    relu6,
    selu,
    softshrink,
    tanhshrink,
    threshold,
)

# isort: split
# PyTorch's dtype facts, division with rounding, membership, the mode and the triangles' indices
from .default_dtype import get_default_dtype, set_default_dtype
from .dtype_info import finfo, iinfo
from .factories import tril_indices, triu_indices
from .ops.arithmetic import divide
from .ops.comparison import isin
from .ops.conversion import is_floating_point
from .ops.sorting import mode

# isort: split
# Fused arithmetic, more products, matrix functions, distances and grids; torch.linalg's namespace
from . import linalg  # noqa: F401 - autograd.linalg, as torch.linalg
from .ops.combine import atleast_1d, atleast_2d, atleast_3d, column_stack, dstack, hstack, row_stack, vstack
from .ops.distances import cdist, cosine_similarity, dist, pairwise_distance
from .ops.fused_arithmetic import addbmm, addcdiv, addcmul, addmm, addmv, baddbmm, lerp
from .ops.grids import broadcast_tensors, cartesian_prod, meshgrid
from .ops.matrix_functions import det, inverse, slogdet
from .ops.products import cross, inner, kron, matrix_power, tensordot, vdot

# isort: split
# Writing at indices (PyTorch's index_add and its kin, the *_scatter functions) and reading by flat index
from .ops.gather_scatter import take
from .ops.index_writes import (
    diagonal_scatter,
    index_add,
    index_copy,
    index_fill,
    index_reduce,
    masked_scatter,
    put,
    select_scatter,
    slice_scatter,
)

# isort: split
# Reducing into a tensor along an axis, and writing where advanced indexing points
from .ops.index_put import index_put
from .ops.scatter_reduce import scatter_reduce

# PyTorch's dtype names, for ``dtype=autograd.float64``, ``x.to(autograd.int64)`` and ``x.dtype is
# autograd.float32``: numpy's dtype objects, which every ``dtype=`` argument takes, rather than its scalar
# types, because a tensor's ``.dtype`` is a dtype object (numpy's builtin ones are singletons, so ``is``
# and dict lookups work as with PyTorch's). PyTorch's other names are here too; those that would hide a
# Python builtin (``float``, ``int``, ``bool``) are left out of ``__all__``, so that ``from autograd
# import *`` keeps Python's own.
float16, float32, float64 = map(_np.dtype, ("float16", "float32", "float64"))
int8, int16, int32, int64, uint8 = map(_np.dtype, ("int8", "int16", "int32", "int64", "uint8"))
half, double, short, long = float16, float64, int16, int64
float, int, bool = float32, int32, _np.dtype(_np.bool_)  # not in __all__ (see above)

__all__ = [
    # dtypes
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "half",
    "double",
    "short",
    "long",
    # nodes and the backward pass
    "Value",
    "value_sum",
    "value_dot",
    "Tensor",
    "tensor",
    "unbroadcast",
    "topological_order",
    "GraphFreedError",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "inference_mode",
    "device",
    "cuda",
    "is_inference_mode_enabled",
    "zero_grad",
    # creation
    "arange",
    "default_generator",
    "eye",
    "full",
    "full_like",
    "manual_seed",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randn",
    "randn_like",
    "zeros",
    "zeros_like",
    "clone",
    # elementwise functions (Value and Tensor)
    "exp",
    "log",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sigmoid",
    "relu",
    "leaky_relu",
    "abs",
    "sqrt",
    "softplus",
    # tensor primitives
    "add",
    "sub",
    "mul",
    "div",
    "pow",
    "neg",
    "where",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "clamp",
    "clip",
    "elu",
    "erf",
    "gelu",
    "sign",
    "sum",
    "mean",
    "var",
    "std",
    "prod",
    "max",
    "min",
    "amax",
    "amin",
    "argmax",
    "argmin",
    "logsumexp",
    "maximum",
    "minimum",
    "softmax",
    "log_softmax",
    "matmul",
    "mm",
    "mv",
    "bmm",
    "dot",
    "outer",
    "einsum",
    "trace",
    "swapaxes",
    "reshape",
    "permute",
    "transpose",
    "broadcast_to",
    "expand",
    "flatten",
    "squeeze",
    "unsqueeze",
    "flip",
    "roll",
    "tile",
    "repeat_interleave",
    "cat",
    "concatenate",
    "stack",
    "split",
    "chunk",
    "pad",
    "scatter_add",
    # calculus on functions
    "grad",
    "backward",
    "value_and_grad",
    "vjp",
    "jacobian",
    "hessian",
    "hvp",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    # counting and pictures
    "count_ops",
    "OpCounter",
    "naive_chain_rule_cost",
    "NaiveCost",
    "draw_graph",
    "render",
    "retain_grads",
    "ops",
]
__all__ += [
    # more elementwise functions (Tensor only)
    "log1p", "expm1", "log2", "log10", "square", "rsqrt", "reciprocal", "sinc",
    "asin", "arcsin", "acos", "arccos", "atan", "arctan", "sinh", "cosh",
    "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh",
    "silu", "mish", "softsign", "logsigmoid", "hardtanh",
    "atan2", "arctan2", "hypot", "logaddexp",
    # rounding and the rounding divisions
    "floor", "ceil", "round", "trunc", "fix", "frac", "floor_divide", "remainder", "fmod",
    # non-finite values and logic
    "isnan", "isinf", "isfinite", "isposinf", "isneginf", "nan_to_num",
    "logical_and", "logical_or", "logical_xor", "logical_not", "all", "any",
]
# indexing, running and sorting ops, triangles and diagonals, PyTorch's shape helpers, norms, and the
# sequence and sampling factories
__all__ += [
    "gather", "scatter", "index_select", "take_along_dim", "masked_fill", "masked_select",
    "cumsum", "cumprod", "cummax", "cummin", "diff",
    "sort", "argsort", "topk", "kthvalue", "median", "ValuesIndices",
    "tril", "triu", "diag", "diagonal", "diag_embed",
    "unbind", "narrow", "movedim", "moveaxis", "unflatten",
    "norm",
    "linspace", "logspace", "randint", "randperm", "normal", "bernoulli",
]
# statistics and nan-ignoring reductions, and the counting and searching ops
__all__ += [
    "nansum", "nanmean", "var_mean", "std_mean", "aminmax", "count_nonzero", "logcumsumexp",
    "nonzero", "argwhere", "unique", "bincount", "histc", "searchsorted", "bucketize",
]
# PyTorch's creation helpers, whole-tensor comparisons and other names for shape ops
__all__ += [
    "empty", "empty_like", "from_numpy", "as_tensor", "is_tensor", "numel",
    "isclose", "allclose", "equal",
    "t", "swapdims", "negative",
]
# the remaining activations (PyTorch has most in torch.nn.functional), softmin, glu and bitwise operators
__all__ += [
    "relu6", "selu", "celu", "hardsigmoid", "hardswish", "hardshrink", "softshrink", "tanhshrink",
    "threshold", "clamp_min", "clamp_max", "softmin", "glu",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift", "bitwise_right_shift",
]
# fused arithmetic, more products, matrix functions, distances and grids (torch.linalg's functions are in
# autograd.linalg)
__all__ += [
    "addmm", "addmv", "baddbmm", "addbmm", "addcmul", "addcdiv", "lerp",
    "tensordot", "kron", "cross", "inner", "vdot", "matrix_power", "inverse", "det", "slogdet",
    "cdist", "dist", "cosine_similarity", "pairwise_distance",
    "meshgrid", "cartesian_prod", "broadcast_tensors", "atleast_1d", "atleast_2d", "atleast_3d",
    "hstack", "vstack", "dstack", "column_stack", "row_stack",
]
# writing at indices, and reading by flat index
__all__ += [
    "index_add", "index_copy", "index_reduce", "index_fill", "masked_scatter", "put", "take",
    "diagonal_scatter", "select_scatter", "slice_scatter",
]
# PyTorch's dtype facts, division with rounding, membership, the mode and the triangles' indices
__all__ += [
    "finfo", "iinfo", "get_default_dtype", "set_default_dtype", "is_floating_point",
    "divide", "isin", "mode", "triu_indices", "tril_indices",
]
# reducing into a tensor along an axis, writing where advanced indexing points
__all__ += ["scatter_reduce", "index_put"]
__version__ = "0.1.0"
