"""Rows for the shared harnesses (test_array_rules.py, test_non_tensor_arguments.py) that cover the fused
arithmetic, the products, the matrix functions and norms, the distances and the grids
(tests/test_linalg_and_fused_ops.py and tests/test_combining_ops.py test them in depth).

References are numpy (or torch, imported when a row runs), never the code under test.
"""

from __future__ import annotations

import itertools

import numpy as np

import autograd
from autograd import linalg


def _torch(name: str):
    """``torch.<name>``, looked up when the row runs (dots for submodules: ``"linalg.inv"``)."""
    def fn(t, *args, **kwargs):
        obj = t
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj(*args, **kwargs)

    return fn


def array_rule_rows(rng: np.random.Generator) -> list[tuple]:
    """Rows ``(id, ops, fn, inputs, torch)`` for test_array_rules.CASES, one or more per new array rule."""
    def normal(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape)

    def invertible(n: int, *batch: int) -> np.ndarray:
        return normal(*batch, n, n) + 3.0 * np.eye(n)

    eye = 3.0 * np.eye(3)

    def spd(x, t=None):  # a symmetric positive-definite matrix made from x (in torch when t is given)
        return x @ x.mT + (eye if t is None else t.tensor(eye))

    return [
        ("addmm_scaled_broadcast", ("addmm",),
         lambda i, a, b: autograd.addmm(i, a, b, beta=0.5, alpha=-2.0),
         (normal(3), normal(2, 4), normal(4, 3)),
         lambda t, i, a, b: t.addmm(i, a, b, beta=0.5, alpha=-2.0)),
        ("addmm_transposed_matrix", ("addmm",), lambda i, a, b: autograd.addmm(i, a, b.T),
         (normal(2, 3), normal(2, 4), normal(3, 4)), lambda t, i, a, b: t.addmm(i, a, b.T)),
        ("addmv", ("addmv",), lambda i, a, v: autograd.addmv(i, a, v, beta=2.0, alpha=0.5),
         (normal(1), normal(3, 4), normal(4)), lambda t, i, a, v: t.addmv(i, a, v, beta=2.0, alpha=0.5)),
        ("baddbmm", ("baddbmm",), lambda i, a, b: autograd.baddbmm(i, a, b, alpha=1.5),
         (normal(2, 1), normal(3, 2, 4), normal(3, 4, 5)), lambda t, i, a, b: t.baddbmm(i, a, b, alpha=1.5)),
        ("addbmm", ("addbmm",), lambda i, a, b: autograd.addbmm(i, a, b, beta=-1.0),
         (normal(2, 5), normal(3, 2, 4), normal(3, 4, 5)), lambda t, i, a, b: t.addbmm(i, a, b, beta=-1.0)),
        ("addcmul", ("addcmul",), lambda i, a, b: autograd.addcmul(i, a, b, value=0.5),
         (normal(3, 1), normal(4), normal(3, 4)), lambda t, i, a, b: t.addcmul(i, a, b, value=0.5)),
        ("addcdiv", ("addcdiv",), lambda i, a, b: autograd.addcdiv(i, a, b, value=-2.0),
         (normal(3, 4), normal(4), rng.uniform(0.5, 2.0, (3, 1))),
         lambda t, i, a, b: t.addcdiv(i, a, b, value=-2.0)),
        ("lerp_number", ("lerp",), lambda a, b: autograd.lerp(a, b, 0.75), (normal(3, 4), normal(4)),
         lambda t, a, b: t.lerp(a, b, 0.75)),
        ("lerp_tensor", ("lerp",), lambda a, b, w: autograd.lerp(a, b, w),
         (normal(3, 1), normal(4), rng.uniform(-1.0, 2.0, (3, 4))), lambda t, a, b, w: t.lerp(a, b, w)),
        ("inv_batch", ("inv",), lambda a: linalg.inv(a), (invertible(3, 2),), _torch("linalg.inv")),
        ("det_batch", ("det",), lambda a: linalg.det(a), (normal(2, 3, 3),), _torch("linalg.det")),
        ("slogdet", ("slogdet",), lambda a: linalg.slogdet(a).logabsdet, (normal(2, 3, 3),),
         lambda t, a: t.linalg.slogdet(a).logabsdet),
        ("solve_vector", ("solve",), lambda a, b: linalg.solve(a, b), (invertible(3), normal(3)),
         _torch("linalg.solve")),
        ("solve_broadcast_matrices", ("solve",), lambda a, b: linalg.solve(a, b),
         (invertible(3, 2, 1), normal(4, 3, 2)), _torch("linalg.solve")),
        ("cholesky", ("cholesky",), lambda a: linalg.cholesky(spd(a)), (normal(2, 3, 3),),
         lambda t, a: t.linalg.cholesky(spd(a, t))),
        ("svdvals", ("svd_S",), lambda a: linalg.svdvals(a), (normal(2, 4, 3),), _torch("linalg.svdvals")),
        ("svd_tall", ("svd_U", "svd_S", "svd_Vh"), lambda a: _svd_mix(*linalg.svd(a, full_matrices=False)),
         (normal(5, 3),), lambda t, a: _svd_mix(*t.linalg.svd(a, full_matrices=False))),
        ("svd_wide", ("svd_U", "svd_S", "svd_Vh"), lambda a: _svd_mix(*linalg.svd(a, full_matrices=False)),
         (normal(2, 3, 5),), lambda t, a: _svd_mix(*t.linalg.svd(a, full_matrices=False))),
        ("vector_norm_0", ("count_nonzero",), lambda a: linalg.vector_norm(a, 0, dim=1) * a.sum(1),
         (normal(3, 4),), lambda t, a: t.linalg.vector_norm(a, 0, dim=1) * a.sum(1)),
    ]


def _svd_mix(u, s, vh):
    """A function of all three factors that does not depend on the signs of the singular vectors."""
    return (u ** 2 * s.unsqueeze(-2)) @ vh ** 2


MATRIX = [[0.5, -1.0], [2.0, 0.25]]
VECTOR = [0.5, -1.0, 2.0]
SPD = [[2.0, 0.5], [0.5, 1.0]]


def _of(a: np.ndarray, values) -> np.ndarray:
    return np.array(values, dtype=a.dtype)


def _cdist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = np.broadcast_arrays(a, b)
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# name: (call(fn, x, ndim), numpy reference(a), kind of result, data, whether a 0-d input is an error), in
# the form of test_non_tensor_arguments.CASES
NON_TENSOR_CASES = {
    "addmm": (lambda f, x, n: f(x, [[1.0], [2.0]], [[1.0, 2.0]]),
              lambda a: a + _of(a, [[1.0, 2.0], [2.0, 4.0]]), "float", MATRIX, False),
    "addmv": (lambda f, x, n: f(x, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [1.0, -1.0]),
              lambda a: a + _of(a, [-1.0, -1.0, -1.0]), "float", VECTOR, False),
    "baddbmm": (lambda f, x, n: f(x, [[[1.0], [2.0]]], [[[1.0, 2.0]]]),
                lambda a: a + _of(a, [[[1.0, 2.0], [2.0, 4.0]]]), "float", MATRIX, False),
    "addbmm": (lambda f, x, n: f(x, [[[1.0], [2.0]], [[1.0], [0.0]]], [[[1.0, 2.0]], [[3.0, 4.0]]]),
               lambda a: a + _of(a, [[4.0, 6.0], [2.0, 4.0]]), "float", MATRIX, False),
    "addcmul": (lambda f, x, n: f(x, 2.0, 3.0), lambda a: a + 6.0, "float", MATRIX, False),
    "addcdiv": (lambda f, x, n: f(x, 1.0, 4.0, value=2), lambda a: a + 0.5, "float", MATRIX, False),
    "lerp": (lambda f, x, n: f(x, 1.0, 0.25), lambda a: a + 0.25 * (1.0 - a), "float", MATRIX, False),
    "tensordot": (lambda f, x, n: f(x, x, 1), lambda a: a @ a, "float", MATRIX, True),
    "kron": (lambda f, x, n: f(x, [1.0, 2.0]), lambda a: np.kron(a, _of(a, [1.0, 2.0])), "float", MATRIX,
             False),
    "cross": (lambda f, x, n: f(x, [1.0, 2.0, 3.0]), lambda a: np.cross(a, _of(a, [1.0, 2.0, 3.0])), "float",
              VECTOR, True),
    "inner": (lambda f, x, n: f(x, [1.0, 2.0]), lambda a: np.inner(a, _of(a, [1.0, 2.0])), "float", MATRIX,
              False),
    "vdot": (lambda f, x, n: f(x, [1.0, 2.0, 3.0]), lambda a: np.vdot(a, _of(a, [1.0, 2.0, 3.0])), "float",
             VECTOR, True),
    "matrix_power": (lambda f, x, n: f(x, 3), lambda a: np.linalg.matrix_power(a, 3), "float", MATRIX, True),
    "inverse": (lambda f, x, n: f(x), np.linalg.inv, "float", MATRIX, True),
    "det": (lambda f, x, n: f(x), np.linalg.det, "float", MATRIX, True),
    "slogdet": (lambda f, x, n: f(x).logabsdet, lambda a: np.linalg.slogdet(a)[1], "float", MATRIX, True),
    "cdist": (lambda f, x, n: f(x, [[1.0, 2.0]]), lambda a: _cdist(a, _of(a, [[1.0, 2.0]])), "float", MATRIX,
              True),
    "dist": (lambda f, x, n: f(x, 1.0), lambda a: np.sqrt(((a - 1.0) ** 2).sum()), "float", MATRIX, False),
    "cosine_similarity": (lambda f, x, n: f(x, [[1.0, 2.0]]), lambda a: _cosine(a, _of(a, [[1.0, 2.0]])),
                          "float", MATRIX, False),
    "pairwise_distance": (lambda f, x, n: f(x, [1.0, 2.0], eps=0.0),
                          lambda a: np.sqrt(((a - _of(a, [1.0, 2.0])) ** 2).sum(-1)), "float", MATRIX, False),
    "meshgrid": (lambda f, x, n: f(x, x)[1], lambda a: np.meshgrid(a, a, indexing="ij")[1], "float", VECTOR,
                 False),
    "cartesian_prod": (lambda f, x, n: f(x, x),
                       lambda a: np.array(list(itertools.product(a, a)), dtype=a.dtype), "float", VECTOR,
                       True),
    "broadcast_tensors": (lambda f, x, n: f(x, [[1.0], [2.0], [3.0]])[0],
                          lambda a: np.broadcast_to(a, np.broadcast_shapes(a.shape, (3, 1))), "float", VECTOR,
                          False),
    "atleast_1d": (lambda f, x, n: f(x), np.atleast_1d, "float", MATRIX, False),
    "atleast_2d": (lambda f, x, n: f(x), np.atleast_2d, "float", VECTOR, False),
    "atleast_3d": (lambda f, x, n: f(x), np.atleast_3d, "float", VECTOR, False),
}
# Functions whose errors for a string call it "an operand" (the two-operand ones, as add's do)
OPERAND_NAMES = {"tensordot", "kron", "cross", "inner", "vdot", "cdist", "dist", "cosine_similarity",
                 "pairwise_distance"}
# Functions of a sequence of tensors, tested with cat and stack's rules in test_combining_ops.py
SEQUENCE_FUNCTIONS = {"hstack", "vstack", "dstack", "column_stack", "row_stack"}
