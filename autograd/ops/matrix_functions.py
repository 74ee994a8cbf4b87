"""Functions of square matrices with ``torch.linalg``'s semantics: inv, det, slogdet, solve and cholesky.

Each takes a matrix ``(n, n)`` or a batch ``(..., n, n)`` of float32 or float64 entries (numpy's linear
algebra has no float16, and PyTorch refuses integers here too) and is one recorded primitive. The backward
rules are written with these same primitives, so every order of derivative is exact:

- ``inv``: ``-A^-T G A^-T``;
- ``det``: ``g * det(A) * A^-T``, the matrix of cofactors. At a singular matrix ``A^-1`` does not exist, but
  the cofactors do: the plain backward pass computes them from an SVD, and a recorded one
  (``create_graph=True``) as determinants of the minors, which are again differentiable (work that grows
  as n**5, paid at singular matrices only). PyTorch gives 0 there in a plain pass and nan second
  derivatives;
- ``slogdet``: ``g * A^-T`` for ``logabsdet`` (infinite at a singular matrix, as in PyTorch); ``sign``
  has no gradient;
- at a matrix with nan or inf entries both gradients are nan (PyTorch's too where an entry is nan; with
  an inf its LU gives some numbers); a recorded pass keeps that nan recorded, as PyTorch's is, and gives
  the other matrices of a batch their exact second derivatives;
- ``solve``: ``X = A^-1 B`` gives ``B`` the gradient ``A^-T G`` (another solve) and ``A`` ``-A^-T G X^T``;
- ``cholesky``: PyTorch's symmetric gradient (see :func:`cholesky`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..tensor import Tensor, TensorOp, as_tensor, constant_like, result
from ._common import tensor_arg
from .arithmetic import where
from .reductions import prod_others

_LINALG_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def float_matrices(x: Any, name: str, what: str = "a tensor", square: bool = True) -> Tensor:
    """``x`` as a Tensor of float32 or float64 matrices ``(..., m, n)`` (square ones when ``square``), or
    an error that names the op ``name`` and says what it got.

    Examples
    --------
    >>> float_matrices([[1.0, 2.0], [3.0, 4.0]], "inv").shape
    (2, 2)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, name)
    shape = x.data.shape
    if len(shape) < 2:
        raise ValueError(f"{name}: got {what} of shape {shape}; expected a matrix or a batch of matrices "
                         "(at least 2 dimensions)")
    if square and shape[-1] != shape[-2]:
        raise ValueError(f"{name}: got {what} of shape {shape}, whose matrices are {shape[-2]} by "
                         f"{shape[-1]}; expected square matrices (..., n, n)")
    check_linalg_dtype(x, name, what)
    return x


def check_linalg_dtype(x: Tensor, name: str, what: str = "a tensor") -> None:
    """Raise unless ``x`` holds float32 or float64 numbers, the dtypes numpy's linear algebra computes in."""
    dtype = x.data.dtype
    if dtype not in _LINALG_DTYPES:
        hint = "numpy's linear algebra has no float16" if dtype.kind == "f" else "convert it with .double()"
        raise TypeError(f"{name}: got {what} of dtype {dtype}; expected float32 or float64 ({hint})")


def _singular_error(name: str, a: np.ndarray) -> np.linalg.LinAlgError:
    """The error for singular matrices among ``a`` (a matrix or a batch of them): which one, if a batch."""
    if not np.isfinite(a).all():
        return np.linalg.LinAlgError(f"{name}: got a tensor of shape {a.shape} with nan or inf entries; "
                                     "expected finite matrices (LAPACK cannot factor the others)")
    singular = np.argwhere(np.linalg.det(a) == 0) if a.ndim > 2 else None
    if singular is None or not len(singular):
        return np.linalg.LinAlgError(f"{name}: the matrix is singular; expected an invertible matrix")
    index = tuple(int(i) for i in singular[0])
    return np.linalg.LinAlgError(f"{name}: matrix {index} of the batch (shape {a.shape}) is singular; "
                                 "expected invertible matrices")


def _matrices_of(v: Any) -> Any:
    """A batch of numbers as a batch of 1 x 1 matrices, ready to broadcast against ``(..., n, n)``."""
    return v.reshape(tuple(v.shape) + (1, 1))


# ----------------------------------------------------------------------------------------- inv


def _inv_grads(y: Any, g: Any) -> tuple:
    y_t = y.mT
    return (-(y_t @ g @ y_t),)


INV = TensorOp("inv", lambda node, g: _inv_grads(node, g), lambda node, g: _inv_grads(node.data, g))


def inv(x: Any) -> Tensor:
    """The inverse of square matrices ``(..., n, n)`` (``torch.linalg.inv``); a singular matrix raises
    ``numpy.linalg.LinAlgError`` (a ValueError).

    Examples
    --------
    >>> from autograd import linalg, tensor
    >>> linalg.inv(tensor([[2.0, 0.0], [0.0, 4.0]])).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    return _inverse(x, "inv")


def inverse(x: Any) -> Tensor:
    """PyTorch's top-level name for :func:`inv` (``torch.inverse``).

    Examples
    --------
    >>> from autograd import inverse, tensor
    >>> inverse(tensor([[0.0, 1.0], [1.0, 0.0]])).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    return _inverse(x, "inverse")


def _inverse(x: Any, name: str) -> Tensor:
    x = float_matrices(x, name)
    try:
        out = np.linalg.inv(x.data)
    except np.linalg.LinAlgError:
        raise _singular_error(name, x.data) from None
    return result(out, (x,), INV)


# ----------------------------------------------------------------------------------------- det


def cofactors(a: np.ndarray) -> np.ndarray:
    """The matrices of cofactors of square matrices ``a`` (``(..., n, n)``): ``det(A) A^-T`` where ``A`` is
    invertible, and from the SVD ``A = U S V^T`` where it is not, ``det(U) det(V) U diag(prod_{j != i} s_j)
    V^T``, which holds for every matrix.

    Examples
    --------
    >>> import numpy as np
    >>> cofactors(np.array([[1.0, 2.0], [2.0, 4.0]])).round(12).tolist()
    [[4.0, -2.0], [-2.0, 1.0]]
    """
    n = a.shape[-1]
    if not a.size:
        return np.zeros_like(a)
    flat = a.reshape((-1, n, n))
    det = _determinants(flat)
    out = np.full_like(flat, np.nan)  # the cofactors of matrices with nan or inf entries
    finite = np.isfinite(flat).all(axis=(-2, -1))
    regular = finite & (det != 0)
    singular = finite & (det == 0)
    if regular.any():
        out[regular] = det[regular, None, None] * np.linalg.inv(flat[regular]).mT
    if singular.any():
        u, s, vh = np.linalg.svd(flat[singular])
        others = prod_others(as_tensor(s), (1,)).data
        sign = np.linalg.det(u) * np.linalg.det(vh)
        out[singular] = sign[:, None, None] * (u * others[:, None, :]) @ vh
    return out.reshape(a.shape)


def _determinants(a: np.ndarray) -> np.ndarray:
    """``np.linalg.det``, but nan for a matrix with a nan entry (numpy's LU gives 0 there, PyTorch nan)."""
    with np.errstate(invalid="ignore"):
        det = np.linalg.det(a)
    return np.where(np.isnan(a).any(axis=(-2, -1)), np.nan, det)


def _minor_indices(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays that take from ``(..., n, n)`` the ``n x n`` minors ``(..., n, n, n - 1, n - 1)``:
    minor ``(i, j)`` leaves out row ``i`` and column ``j``."""
    others = np.array([[k for k in range(n) if k != i] for i in range(n)], dtype=np.intp).reshape(n, n - 1)
    return others[:, None, :, None], others[None, :, None, :]


def _recorded_cofactors(a: Tensor) -> Tensor:
    """The cofactors of ``a`` as a recorded computation (signed determinants of the minors), which holds
    at singular matrices too and can be differentiated again."""
    n = a.data.shape[-1]
    rows, cols = _minor_indices(n)
    signs = 1 - 2 * ((np.arange(n)[:, None] + np.arange(n)) % 2)
    return det(a[..., rows, cols]) * constant_like(signs, a)


def _finite_cofactors(a: Tensor, d: Tensor) -> Tensor:
    """The cofactors of finite matrices ``a`` whose determinants are ``d``, recorded: ``det(A) A^-T`` when
    every matrix is invertible, the determinants of the minors otherwise."""
    if (d.data != 0).all():
        return _matrices_of(d) * inv(a).mT
    return _recorded_cofactors(a)


def _nonfinite_matrices(a: Tensor) -> np.ndarray:
    """Which matrices of ``a`` hold a nan or an inf, as a mask ``(..., 1, 1)``."""
    return ~np.isfinite(a.data).all(axis=(-2, -1), keepdims=True)


def _stand_in(a: Tensor, keep: np.ndarray) -> Tensor:
    """``a`` with the identity in place of the matrices outside ``keep``, so that a recorded rule can work
    on the others as a batch; no gradient reaches the replaced ones through it."""
    return where(keep, a, constant_like(np.eye(a.data.shape[-1]), a))


def _nan_at(bad: np.ndarray, a: Tensor, g: Tensor, rest: Tensor) -> Tensor:
    """``rest``, with nan for the matrices in ``bad`` (those with nan or inf entries; PyTorch's LU gives
    nan for the first). The nan is ``g * a`` times a constant nan, so it stays recorded through both
    (PyTorch's gradient there can be differentiated again, to nan); the constant is 0 for the other
    matrices, which keeps the second derivatives of those free of the nan."""
    return where(bad, g * a * constant_like(np.where(bad, np.nan, 0.0), a), rest)


def _det_rule(node: Tensor, g: Tensor) -> tuple:
    a = node._parents[0]
    if not a.data.size:
        return (_matrices_of(g).broadcast_to(a.data.shape),)
    g = _matrices_of(g)
    bad = _nonfinite_matrices(a)
    if not bad.any():
        return (g * _finite_cofactors(a, node),)
    safe = _stand_in(a, ~bad)
    return (_nan_at(bad, a, g, g * _finite_cofactors(safe, det(safe))),)


def _det_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return (_matrices_of(np.asarray(g)) * cofactors(node._parents[0].data),)


DET = TensorOp("det", _det_rule, _det_array_rule)


def det(x: Any) -> Tensor:
    """The determinants of square matrices ``(..., n, n)`` (``torch.linalg.det``; 1 for ``n = 0``).

    Its gradient is the matrix of cofactors, exact at singular matrices too (PyTorch's is 0 there in a
    plain backward pass).

    Examples
    --------
    >>> from autograd import det, tensor
    >>> a = tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    >>> d = det(a); d.item()
    0.0
    >>> d.backward(); a.grad.numpy().round(4).tolist()
    [[4.0, -2.0], [-2.0, 1.0]]
    """
    x = float_matrices(x, "det")
    return result(np.asarray(_determinants(x.data), dtype=x.data.dtype), (x,), DET)


# ----------------------------------------------------------------------------------------- slogdet


class SignLogAbsDet(NamedTuple):
    """What :func:`slogdet` returns: the sign of the determinant and the log of its absolute value."""

    sign: Tensor
    logabsdet: Tensor


def _inverse_transposed(a: np.ndarray) -> np.ndarray:
    """``A^-T``, with inf or nan entries for singular matrices (the gradient of ``log|det A|``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return cofactors(a) / _matrices_of(_determinants(a))


def _logabsdet_rule(node: Tensor, g: Tensor) -> tuple:
    a = node._parents[0]
    g = _matrices_of(g)
    if np.isfinite(node.data).all():
        return (g * inv(a).mT,)
    # The invertible matrices keep their recorded rule; a singular one has an infinite gradient, a constant
    # here (PyTorch's recorded pass raises there); those with nan or inf entries get a recorded nan.
    regular = _matrices_of(np.isfinite(node.data))
    singular = g * constant_like(_inverse_transposed(a.data), g)
    rest = where(regular, g * inv(_stand_in(a, regular)).mT, singular)
    return (_nan_at(_nonfinite_matrices(a), a, g, rest),)


def _logabsdet_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return (_matrices_of(np.asarray(g)) * _inverse_transposed(node._parents[0].data),)


LOGABSDET = TensorOp("slogdet", _logabsdet_rule, _logabsdet_array_rule)
SIGN_OF_DET = TensorOp("slogdet_sign", lambda node, g: (None,))  # the sign has no gradient


def slogdet(x: Any) -> SignLogAbsDet:
    """The sign and the log of the absolute value of the determinants of square matrices ``(..., n, n)``
    (``torch.linalg.slogdet``), computed without forming the determinant, which may overflow.

    Returns the named pair ``(sign, logabsdet)``; for a singular matrix ``sign`` is 0 and ``logabsdet``
    ``-inf``. ``sign`` has no gradient.

    Examples
    --------
    >>> from autograd import slogdet, tensor
    >>> sign, logabsdet = slogdet(tensor([[0.0, 2.0], [4.0, 0.0]]))
    >>> sign.item(), round(logabsdet.item(), 4)
    (-1.0, 2.0794)
    """
    x = float_matrices(x, "slogdet")
    with np.errstate(invalid="ignore"):
        sign, logabsdet = np.linalg.slogdet(x.data)
    nan = np.isnan(x.data).any(axis=(-2, -1))  # numpy's LU gives (0, -inf) there; PyTorch (0, nan)
    logabsdet = np.where(nan, np.nan, logabsdet)
    dtype = x.data.dtype
    return SignLogAbsDet(result(np.asarray(sign, dtype=dtype), (x,), SIGN_OF_DET),
                         result(np.asarray(logabsdet, dtype=dtype), (x,), LOGABSDET))


# ----------------------------------------------------------------------------------------- solve


def _solve_grads(node: Tensor, g: Any, a: Any, x: Any, solve_fn: Any) -> tuple:
    vector = node._ctx
    if vector:
        g, x = g.reshape(tuple(g.shape) + (1,)), x.reshape(tuple(x.shape) + (1,))
    g_b = solve_fn(a.mT, g)
    g_a = -(g_b @ x.mT) if node._parents[0]._requires_grad else None
    if vector:
        g_b = g_b.reshape(tuple(g_b.shape)[:-1])
    return g_a, g_b


def _solve_rule(node: Tensor, g: Tensor) -> tuple:
    return _solve_grads(node, g, node._parents[0], node, lambda a, b: _solve(a, b, False))


def _solve_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return _solve_grads(node, np.asarray(g), node._parents[0].data, node.data, np.linalg.solve)


SOLVE = TensorOp("solve", _solve_rule, _solve_array_rule)


def solve(A: Any, B: Any, left: bool = True) -> Tensor:  # noqa: N803 - PyTorch's names
    """The solution ``X`` of ``A X = B`` (``torch.linalg.solve``), or of ``X A = B`` with ``left=False``.

    ``A`` is ``(..., n, n)``; ``B`` is a batch of vectors ``(..., n)`` when it is 1-D or its shape is
    ``A.shape[:-1]``, otherwise a batch of matrices ``(..., n, k)`` (``(..., k, n)`` with ``left=False``,
    which takes no vectors). Batch dimensions broadcast. A singular ``A`` raises
    ``numpy.linalg.LinAlgError``.

    Examples
    --------
    >>> from autograd import linalg, tensor
    >>> linalg.solve(tensor([[2.0, 1.0], [1.0, 3.0]]), tensor([3.0, 5.0])).tolist()
    [0.800000011920929, 1.399999976158142]
    """
    A = float_matrices(A, "solve", "A")  # noqa: N806
    if type(B) is not Tensor:
        B = tensor_arg(B, "solve")  # noqa: N806
    check_linalg_dtype(B, "solve", "B")
    if left is not True and left is not False:
        raise TypeError(f"solve: got left={left!r}; expected True or False")
    sa, sb = A.data.shape, B.data.shape
    vector = len(sb) == 1 or len(sb) == len(sa) - 1 and sb == sa[:-1]
    if not left:
        if vector or sb[-1] != sa[-1]:
            raise ValueError(f"solve: got A of shape {sa} and B of shape {sb} for X A = B (left=False); "
                             f"expected B of shape (..., k, {sa[-1]}) other than {sa[:-1]} (which, as in "
                             "PyTorch, reads as a batch of vectors)")
        return _solve(A.mT, B.mT, False).mT
    if (sb[-1] if vector else sb[-2] if len(sb) > 1 else None) != sa[-1]:
        raise ValueError(f"solve: got A of shape {sa} and B of shape {sb}; expected B of shape "
                         f"(..., {sa[-1]}) or (..., {sa[-1]}, k)")
    return _solve(A, B, vector)


def _solve(A: Tensor, B: Tensor, vector: bool) -> Tensor:  # noqa: N803
    """``A^-1 B`` for shapes already checked; ``vector``: ``B`` is a batch of vectors."""
    b = B.data[..., None] if vector else B.data
    try:
        np.broadcast_shapes(A.data.shape[:-2], b.shape[:-2])
    except ValueError:
        raise ValueError(f"solve: the batch dimensions of A (shape {A.data.shape}) and B (shape "
                         f"{B.data.shape}) cannot be broadcast together") from None
    try:
        out = np.linalg.solve(A.data, b)
    except np.linalg.LinAlgError:
        raise _singular_error("solve", A.data) from None
    return result(out[..., 0] if vector else out, (A, B), SOLVE, vector)


# ----------------------------------------------------------------------------------------- cholesky


def _cholesky_grads(low: Any, g: Any, tril: Any, inverse: Any) -> tuple:
    """PyTorch's rule for ``L = cholesky(A)``: ``L^-T Phi L^-1``, where ``Phi`` is the symmetric matrix
    whose lower triangle is ``tril(L^T G)`` with its diagonal halved; the gradient is symmetric, as ``A``
    is taken to be."""
    m = tril(low.mT @ g)
    phi = (m + tril(m, -1).mT) * 0.5
    low_inv = inverse(low)
    return (low_inv.mT @ phi @ low_inv,)


CHOLESKY = TensorOp("cholesky", lambda node, g: _cholesky_grads(node, g, lambda t, k=0: t.tril(k), inv),
                    lambda node, g: _cholesky_grads(node.data, g, np.tril, np.linalg.inv))


def cholesky(x: Any, upper: bool = False) -> Tensor:
    """The Cholesky factor ``L`` of symmetric positive-definite matrices ``(..., n, n)``: lower triangular
    with ``A = L @ L.mT`` (``torch.linalg.cholesky``; ``upper=True`` gives ``L.mT``).

    Only the lower triangle of ``A`` is read, and ``A`` is taken to be symmetric: the gradient is the
    symmetric one, as in PyTorch (check it through a function that symmetrizes, such as
    ``cholesky(x + x.mT)``). A matrix that is not positive-definite raises ``numpy.linalg.LinAlgError``.

    Examples
    --------
    >>> from autograd import linalg, tensor
    >>> linalg.cholesky(tensor([[4.0, 2.0], [2.0, 5.0]])).tolist()
    [[2.0, 0.0], [1.0, 2.0]]
    """
    x = float_matrices(x, "cholesky")
    if upper is not True and upper is not False:
        raise TypeError(f"cholesky: got upper={upper!r}; expected True or False")
    try:
        low = np.linalg.cholesky(x.data)
    except np.linalg.LinAlgError:
        where = "" if x.data.ndim == 2 else f" (one of the batch of shape {x.data.shape})"
        raise np.linalg.LinAlgError(f"cholesky: the matrix{where} is not positive-definite; expected "
                                    "symmetric positive-definite matrices") from None
    out = result(low, (x,), CHOLESKY)
    return out.mT if upper else out


METHODS: dict[str, Any] = {"inverse": inverse, "det": det, "slogdet": slogdet, "cholesky": cholesky}
FUNCTIONS: dict[str, Any] = {"inv": inv, "inverse": inverse, "det": det, "slogdet": slogdet, "solve": solve,
                             "cholesky": cholesky}
