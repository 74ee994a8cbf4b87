"""Products: matmul with PyTorch's 1-D, 2-D and batched rules, dot, outer, einsum and trace.

``einsum`` is one primitive for every contraction: the gradient of each operand is another einsum of the
output gradient with the other operands, so every order of derivative is an einsum too.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

from .. import counting
from ..tensor import ArrayLike, Tensor, TensorOp, as_tensor, describe, result
from ._common import pair, tensor_arg


def _is_transposed_layout(arr: np.ndarray) -> bool:
    # A matrix stored as the transpose of a C-ordered array (e.g. the W.T of a linear layer).
    return arr.ndim >= 2 and not arr.flags.c_contiguous and arr.swapaxes(-1, -2).flags.c_contiguous


def matmul_grads(a: Any, b: Any, g: Any, a_data: np.ndarray, b_data: np.ndarray, need_a: bool,
                  need_b: bool) -> tuple:
    """dA = G B^T and dB = A^T G, written with what Tensors and numpy arrays share (``@``, ``.mT``,
    ``.reshape``), so the same lines are the Tensor rule and the array rule. ``a_data`` and ``b_data``
    are the operands' arrays, whose memory layout decides the order of the products."""
    A, B, G = a, b, g
    if a.ndim == 1 or b.ndim == 1:
        # Promote 1-D operands to matrices, as the forward did, so one pair of formulas serves every case.
        A = a if a.ndim > 1 else a.reshape(1, -1)
        B = b if b.ndim > 1 else b.reshape(-1, 1)
        G = g.reshape(np.broadcast_shapes(A.shape[:-2], B.shape[:-2]) + (A.shape[-2], B.shape[-1]))
    ga = gb = None
    # An operand stored transposed (the W.T of a linear layer) gets its gradient computed as the
    # transpose of the transposed product, so that it comes out in the operand's own memory layout and
    # in-place updates stay contiguous. Batch axes are summed away by TensorOp.vjp; a promoted axis is
    # dropped here first.
    if need_a:
        ga = (B @ G.mT).mT if _is_transposed_layout(a_data) else G @ B.mT
        if a.ndim == 1:
            ga = ga.reshape(ga.shape[:-2] + ga.shape[-1:])
    if need_b:
        gb = (G.mT @ A).mT if _is_transposed_layout(b_data) else A.mT @ G
        if b.ndim == 1:
            gb = gb.reshape(gb.shape[:-1])
    return (ga, gb)


def _matmul_rule(node: Tensor, g: Tensor) -> tuple:
    a, b = node._parents
    return matmul_grads(a, b, g, a.data, b.data, a._requires_grad, b._requires_grad)


def _matmul_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    a, b = node._parents
    return matmul_grads(a.data, b.data, g, a.data, b.data, a._requires_grad, b._requires_grad)


MATMUL = TensorOp("matmul", _matmul_rule, _matmul_array_rule)


def matmul(a: Any, b: Any) -> Tensor:
    """Matrix product with PyTorch's rules: 1-D @ 1-D is a dot product, 1-D operands are promoted to
    a row or column and the promoted axis removed, leading axes broadcast as batches.

    Examples
    --------
    >>> from autograd import ones
    >>> (ones(5, 2, 3) @ ones(3, 4)).shape
    (5, 2, 4)
    """
    a, b = pair(a, b, "matmul")
    if a.data.ndim == 0 or b.data.ndim == 0:
        raise ValueError(
            f"matmul: {a.data.shape} @ {b.data.shape}: both operands need at least one dimension "
            "(use * for scalars)"
        )
    k_a = a.data.shape[-1]
    k_b = b.data.shape[-2] if b.data.ndim > 1 else b.data.shape[0]
    if k_a != k_b:
        raise ValueError(
            f"matmul: {a.data.shape} @ {b.data.shape}: inner dimensions {k_a} and {k_b} differ"
        )
    try:
        out = np.matmul(a.data, b.data)
    except ValueError:
        raise ValueError(
            f"matmul: {a.data.shape} @ {b.data.shape}: batch dimensions cannot be broadcast together"
        ) from None
    out = np.asarray(out)
    return result(out, (a, b), MATMUL, macs=out.size * k_a)


def swapaxes(x: ArrayLike, axis0: int, axis1: int) -> Tensor:
    """Swap two axes (numpy's name for ``transpose(dim0, dim1)``).

    Examples
    --------
    >>> from autograd import zeros
    >>> zeros(2, 3, 4).swapaxes(-1, -2).shape
    (2, 4, 3)
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "swapaxes")
    return x.transpose(axis0, axis1)


def dot(a: Any, b: Any) -> Tensor:
    """Inner product of two 1-D tensors of the same length (``torch.dot``).

    Examples
    --------
    >>> from autograd import tensor, dot
    >>> dot(tensor([1.0, 2.0]), tensor([3.0, 4.0])).item()
    11.0
    """
    return _vector_product("dot", a, b, " (use matmul or einsum for matrices)")


def _vector_product(name: str, a: Any, b: Any, hint: str = "") -> Tensor:
    """``a @ b`` of two 1-D tensors of the same length (dot, vdot), which matmul alone would not demand;
    ``hint`` ends the error."""
    a, b = pair(a, b, name)
    if a.data.ndim != 1 or b.data.ndim != 1 or a.data.shape != b.data.shape:
        raise ValueError(f"{name}: got shapes {a.data.shape} and {b.data.shape}; expected two 1-D tensors of "
                         f"the same length{hint}")
    return matmul(a, b)


def _strict_product(name: str, a: Any, b: Any, ranks: tuple[int, int], expected: str) -> Tensor:
    """``a @ b`` for the fixed-rank products (mm, mv, bmm), which refuse what matmul would promote or
    broadcast: PyTorch code relies on them to catch a misplaced batch axis."""
    a, b = pair(a, b, name)
    check_product_shapes(name, a.data.shape, b.data.shape, ranks, expected)
    return matmul(a, b)


def check_product_shapes(name: str, sa: tuple, sb: tuple, ranks: tuple[int, int], expected: str) -> None:
    """Raise unless shapes ``sa`` and ``sb`` have the ``ranks`` of a fixed-rank product (mm, mv, bmm and
    the fused ops built on them), the same batch size for two 3-D operands and a matching inner
    dimension. ``expected`` says, in the error, what the op ``name`` takes."""
    if (len(sa), len(sb)) != ranks or ranks[0] == 3 and sa[0] != sb[0]:
        raise ValueError(f"{name}: got shapes {sa} and {sb}; expected {expected}")
    if sa[-1] != sb[-2 if len(sb) > 1 else 0]:
        raise ValueError(f"{name}: got shapes {sa} and {sb}, whose inner dimensions differ; expected "
                         f"{expected} and a matching inner dimension")


def mm(a: Any, b: Any) -> Tensor:
    """Product of two matrices, ``(n, k) @ (k, m)`` (``torch.mm``); other ranks raise.

    Examples
    --------
    >>> from autograd import ones, mm
    >>> mm(ones(2, 3), ones(3, 4)).shape
    (2, 4)
    """
    return _strict_product("mm", a, b, (2, 2), "two 2-D tensors (use matmul to broadcast)")


def mv(a: Any, b: Any) -> Tensor:
    """Product of a matrix and a vector, ``(n, k) @ (k,)`` (``torch.mv``).

    Examples
    --------
    >>> from autograd import ones, mv
    >>> mv(ones(2, 3), ones(3)).tolist()
    [3.0, 3.0]
    """
    return _strict_product("mv", a, b, (2, 1), "a 2-D tensor and a 1-D one")


def bmm(a: Any, b: Any) -> Tensor:
    """Batched matrix product, ``(b, n, k) @ (b, k, m)``, with the same batch size on both sides
    (``torch.bmm``; matmul broadcasts batches instead).

    Examples
    --------
    >>> from autograd import ones, bmm
    >>> bmm(ones(5, 2, 3), ones(5, 3, 4)).shape
    (5, 2, 4)
    """
    return _strict_product("bmm", a, b, (3, 3), "two 3-D tensors with the same batch size")


def outer(a: Any, b: Any) -> Tensor:
    """Outer product of two 1-D tensors: ``out[i, j] = a[i] * b[j]``.

    Examples
    --------
    >>> from autograd import tensor, outer
    >>> outer(tensor([1.0, 2.0]), tensor([1.0, 10.0, 100.0])).tolist()
    [[1.0, 10.0, 100.0], [2.0, 20.0, 200.0]]
    """
    a, b = pair(a, b, "outer")
    if a.data.ndim != 1 or b.data.ndim != 1:
        raise ValueError(f"outer: got shapes {a.data.shape} and {b.data.shape}; expected two 1-D tensors")
    return a.reshape(-1, 1) * b.reshape(1, -1)


def _trace_rule(node: Tensor, g: Tensor) -> tuple:
    shape = node._parents[0].data.shape
    return (g * as_tensor(np.eye(*shape, dtype=g.data.dtype)),)


TRACE = TensorOp("trace", _trace_rule)


def trace(x: ArrayLike) -> Tensor:
    """Sum of the main diagonal of a 2-D tensor (rectangular allowed, as in ``torch.trace``).

    Examples
    --------
    >>> from autograd import tensor
    >>> tensor([[1.0, 2.0], [3.0, 4.0]]).trace().item()
    5.0
    """
    if type(x) is not Tensor:
        x = tensor_arg(x, "trace")
    if x.data.ndim != 2:
        raise ValueError(f"trace: got a tensor of shape {x.data.shape}; expected a 2-D tensor "
                         "(use einsum('...ii->...', x) for batches)")
    return result(np.asarray(np.trace(x.data)), (x,), TRACE)


# ----------------------------------------------------------------------------------------- einsum

_LABELS = frozenset(string.ascii_letters)
_OPTIMIZE_FROM = 1 << 14  # iteration-space size from which einsum asks numpy for a contraction path


def _parse_einsum(subscripts: str, shapes: list[tuple[int, ...]]) -> tuple[tuple[str, ...], str, dict]:
    """Explicit labels for every operand and the output (ellipses replaced by unused letters), and the
    size of every label after broadcasting. Raises errors that name the offending term."""
    spec = subscripts.replace(" ", "")
    if spec.count("->") > 1:
        raise ValueError(f"einsum: subscripts {subscripts!r} contain '->' more than once")
    lhs, arrow, rhs = spec.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: subscripts {subscripts!r} name {len(terms)} operand(s); got {len(shapes)}")
    for term in terms + ([rhs] if arrow else []):
        bare = term.replace("...", "", 1)
        bad = [c for c in bare if c not in _LABELS]
        if bad:
            raise ValueError(f"einsum: term {term!r} of {subscripts!r} has invalid character(s) {bad}; "
                             "expected letters and at most one '...'")
    ell_dims = []
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        named = len(term.replace("...", ""))
        if ("..." in term and named > len(shape)) or ("..." not in term and named != len(shape)):
            raise ValueError(f"einsum: operand {k} has shape {shape} ({len(shape)} dimensions) but its "
                             f"subscripts {term!r} name {named}")
        ell_dims.append(len(shape) - named if "..." in term else 0)
    n_ell = max(ell_dims, default=0)
    free = [c for c in string.ascii_letters if c not in spec]
    if n_ell > len(free):
        raise ValueError(f"einsum: {subscripts!r} leaves too few unused letters for the '...' dimensions")
    ell = "".join(free[:n_ell])
    terms = [t.replace("...", ell[n_ell - k:] if k else "") for t, k in zip(terms, ell_dims)]
    if arrow:
        out = rhs.replace("...", ell)  # without '...' the broadcast dimensions are summed (as in PyTorch)
    else:
        counts: dict[str, int] = {}
        for t in terms:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    if len(set(out)) != len(out):
        raise ValueError(f"einsum: output subscripts {rhs!r} repeat a label")
    missing = [c for c in out if not any(c in t for t in terms)]
    if missing:
        raise ValueError(f"einsum: output label(s) {missing} of {subscripts!r} appear in no operand")
    sizes: dict[str, int] = {}
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        own: dict[str, int] = {}
        for c, n in zip(term, shape):
            if own.setdefault(c, n) != n:
                raise ValueError(f"einsum: operand {k} of shape {shape} repeats label {c!r} over axes of "
                                 f"different sizes {own[c]} and {n}")
            seen = sizes.setdefault(c, n)
            if seen != n and 1 not in (seen, n):
                raise ValueError(f"einsum: label {c!r} has size {seen} in one operand and {n} in operand {k} "
                                 f"(shape {shape}); sizes must match or be 1")
            sizes[c] = max(seen, n)
    return tuple(terms), out, sizes


def _einsum_operand_grad(node: Tensor, g: Tensor, i: int) -> Tensor:
    terms, out, sizes = node._ctx
    parents = node._parents
    term = terms[i]
    own = dict(zip(term, parents[i].data.shape))
    labels = list(dict.fromkeys(term))  # unique, in order of first appearance
    others = [j for j in range(len(terms)) if j != i]
    present = set(out).union(*(terms[j] for j in others))
    # labels summed within operand i alone reappear by broadcasting; labels that operand i broadcast
    # (size 1 against a larger size) are summed over
    keep = "".join(c for c in labels if c in present and not (own[c] == 1 and sizes[c] > 1))
    if not others and sorted(keep) == sorted(out):
        gk = g.permute(*[out.index(c) for c in keep]) if keep != out else g
    else:
        spec = ",".join([out] + [terms[j] for j in others]) + "->" + keep
        gk = einsum(spec, g, *[parents[j] for j in others])
    gk = gk.reshape(tuple(gk.data.shape[keep.index(c)] if c in keep else 1 for c in labels))
    gk = gk.broadcast_to(tuple(own[c] for c in labels))
    if len(labels) == len(term):
        return gk
    # a label repeated within the operand (a diagonal): put the values on the diagonal, zeros elsewhere
    first = {c: term.index(c) for c in labels}
    gk = gk.reshape(tuple(own[c] if first[c] == p else 1 for p, c in enumerate(term)))
    mask = np.ones((1,) * len(term), dtype=bool)
    for c in labels:
        positions = [p for p, d in enumerate(term) if d == c]
        if len(positions) > 1:
            ranges = [np.arange(own[c]).reshape(tuple(own[c] if q == p else 1 for q in range(len(term))))
                      for p in positions]
            for r in ranges[1:]:
                mask = mask & (ranges[0] == r)
    return gk * as_tensor(np.broadcast_to(mask, parents[i].data.shape).astype(g.data.dtype))


def _einsum_rule(node: Tensor, g: Tensor) -> tuple:
    return tuple(_einsum_operand_grad(node, g, i) if p._requires_grad else None
                 for i, p in enumerate(node._parents))


EINSUM = TensorOp("einsum", _einsum_rule)


def einsum(subscripts: str, *operands: Any) -> Tensor:
    """Einstein summation over labelled axes, as ``numpy.einsum`` / ``torch.einsum``.

    Supports explicit (``'ij,jk->ik'``) and implicit (``'ij,jk'``: the labels that appear once, sorted)
    outputs, ``...`` for broadcast batch dimensions, size-1 broadcasting, and labels repeated within an
    operand (diagonals such as ``'ii->i'`` and the trace ``'ii'``). The operands may also be given as one
    list of Tensors or arrays, as in PyTorch. The gradient of each operand is again an einsum.

    Parameters
    ----------
    subscripts : str
        The labels of each operand's axes, separated by commas, optionally ``->`` and the output's.
    *operands : Tensor, array or (nested) list of numbers
        One tensor per term (arrays and lists become constant tensors).

    Examples
    --------
    >>> from autograd import einsum, ones, tensor
    >>> einsum('bij,bjk->bik', ones(5, 2, 3), ones(5, 3, 4)).shape
    (5, 2, 4)
    >>> einsum('ii', tensor([[1.0, 2.0], [3.0, 4.0]])).item()
    5.0
    """
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: got subscripts {describe(subscripts)}; expected a string such as "
                        "'ij,jk->ik'")
    if (len(operands) == 1 and isinstance(operands[0], (list, tuple))
            and any(isinstance(t, (Tensor, np.ndarray)) for t in operands[0])):
        operands = tuple(operands[0])  # PyTorch's form; a list of numbers alone is one operand
    ts = tuple(t if type(t) is Tensor else tensor_arg(t, "einsum", f"operand {i}")
               for i, t in enumerate(operands))
    if not ts:
        raise ValueError("einsum: got no operands; expected at least one tensor")
    terms, out, sizes = _parse_einsum(subscripts, [t.data.shape for t in ts])
    spec = ",".join(terms) + "->" + out
    points = int(np.prod([sizes[c] for c in sizes], dtype=np.int64))
    # numpy's contraction-path search (which hands matmul-like contractions to BLAS) costs ~0.1 ms: worth it
    # for large products only
    optimize = "greedy" if len(ts) > 1 and points >= _OPTIMIZE_FROM else False
    out_data = np.einsum(spec, *[t.data for t in ts], optimize=optimize)
    macs = counting.einsum_macs(terms, out, sizes) if counting._stack else 0  # only a counter reads it
    return result(np.asarray(out_data), ts, EINSUM, (terms, out, sizes), macs=macs)


def _rmatmul(self: Tensor, other: Any) -> Tensor:
    return matmul(other, self)


METHODS: dict[str, Any] = {"matmul": matmul, "__matmul__": matmul, "__rmatmul__": _rmatmul,
                           "swapaxes": swapaxes, "dot": dot, "outer": outer, "trace": trace, "mm": mm,
                           "mv": mv, "bmm": bmm}
FUNCTIONS: dict[str, Any] = {"matmul": matmul, "swapaxes": swapaxes, "dot": dot, "outer": outer,
                             "trace": trace, "einsum": einsum, "mm": mm, "mv": mv, "bmm": bmm}
