"""Convolution, pooling and padding primitives for images in NCHW layout.

Convolution is cross-correlation, as in PyTorch and the textbook (Definition 10.1.3, Remark 10.1.4): no
kernel flip, ``out[n, o, i, j] = sum_{c, a, b} w[o, c, a, b] * xpad[n, c, i*s + a*d, j*s + b*d] + bias[o]``.

How the work is done (all vectorised; the only Python loops run over the kh*kw kernel offsets):

- ``conv2d`` pads once, builds the im2col matrix from a strided *view* of the padded input (one copy, at the
  reshape) and multiplies it by the weight matrix with one batched BLAS ``matmul`` in the input's float dtype.
  With ``groups`` the same im2col matrix and weight are reshaped (for free) to have a group axis, and the
  matmul batches over (image, group) pairs; the backward products do likewise.
- Its backward pass is two fused primitives, each closed under differentiation so that
  ``create_graph=True`` (second and higher derivatives) works:

  * ``conv2d_input_grad(g, w)``: ``w^T @ g`` then col2im (the windows added back with one strided-slice
    ``+=`` per kernel offset), unpadded. Its gradient w.r.t. ``g`` is ``conv2d(h, w)`` and w.r.t. ``w`` is
    ``conv2d_weight_grad(h, g)``.
  * ``conv2d_weight_grad(x, g)``: one matmul of the output gradient with the im2col matrix (reused from the
    forward pass). Its gradient w.r.t. ``x`` is ``conv2d_input_grad(g, h)`` and w.r.t. ``g`` is
    ``conv2d(x, h)``.

- ``max_pool2d`` keeps, per output position, the kernel offset of the FIRST maximum of its window (a strict
  ``>`` scan over the offsets in row-major order, i.e. argmax of the flattened window), and routes the
  gradient there; overlapping windows add up exactly, because within one kernel offset the map from
  output to input positions is one-to-one. Its backward (a scatter) and the scatter's backward (a gather)
  are primitives too. A NaN window's gradient goes to its last NaN, and an all -inf window's to its first
  entry inside the input (not to padding), as in PyTorch; ``return_indices`` turns the masks into flat
  indices, which ``max_unpool2d`` (a scatter whose backward is a gather) takes.
- ``avg_pool2d`` (a window sum times 1 / divisor, the divisor kh*kw or, for ``ceil_mode``'s clipped
  windows, ``count_include_pad=False`` or ``divisor_override``, one per output position) and its adjoint
  are linear primitives, each the other's backward.
- ``ceil_mode`` extends the padded input on the bottom/right (with -inf for the maximum, zeros for the
  mean) so that the last, partial windows are ordinary windows of the same strided views.
- The 1-D operations (``conv1d``, ``max_pool1d``, ``avg_pool1d``, ``adaptive_avg_pool1d``,
  ``adaptive_max_pool1d``) are the 2-D ones on inputs of height 1: their arguments are checked as the
  1-tuples PyTorch's 1-D functions take, then lifted to pairs (kernel, stride and dilation 1, padding 0
  along the height), and their messages describe the 1-D arguments.
- ``adaptive_avg_pool2d`` sums its bins along the rows, then along the columns, with a gather by sorted
  indices (and its adjoint scatter), so an inf or NaN reaches only the bins that hold it.
- ``pad`` follows ``torch.nn.functional.pad``: the pad tuple starts with the LAST dimension,
  ``(left, right, top, bottom, ...)``; modes ``constant`` (the engine's ``autograd.pad``), ``reflect``,
  ``replicate`` and ``circular`` (a differentiable gather); negative widths crop.

Multiply-adds are recorded for :func:`autograd.count_ops`: N*O*Ho*Wo*(C/groups)*kh*kw for the forward
convolution and the same for each of its two backward products.

Examples
--------
>>> import numpy as np
>>> from autograd import tensor
>>> from nn.conv_ops import conv2d, max_pool2d
>>> A = tensor(np.array([[0, 0, 1, 1, 1]] * 5, dtype=np.float32)[None, None])
>>> K = tensor(np.array([[-1.0, 1.0], [-1.0, 1.0]], dtype=np.float32)[None, None])
>>> conv2d(A, K)[0, 0].tolist()[0]
[0.0, 2.0, 0.0, 0.0]
>>> max_pool2d(tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2)[0, 0].tolist()
[[5.0, 7.0], [13.0, 15.0]]
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, Sequence

import numpy as np
from numpy.lib.stride_tricks import as_strided

from autograd.default_dtype import get_default_dtype
from autograd.ops._common import is_int
from autograd.tensor import Tensor, TensorOp, result

__all__ = ["conv2d", "max_pool2d", "max_unpool2d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d",
           "pad", "same_padding", "conv1d", "max_pool1d", "avg_pool1d", "adaptive_avg_pool1d",
           "adaptive_max_pool1d"]

_PAD_MODES = ("constant", "reflect", "replicate", "circular")


# ------------------------------------------------------------------------------------------ arguments
# The 1-D operations (conv1d, max_pool1d, ...) are the 2-D ones on inputs with a unit height: their
# arguments are checked as 1-tuples, then lifted to pairs with a height of 1 (no padding), and messages
# describe the 1-D arguments the caller passed. ``nd`` below is the number of spatial dimensions, 1 or 2.
_TUPLE = {1: "a tuple of one int", 2: "a pair of ints"}
_LAYOUT = {1: "L", 2: "H, W"}
_KERNEL_AXES = {1: "k", 2: "kh, kw"}


def _ntuple(v: Any, nd: int, name: str, where: str, minimum: int) -> tuple[int, ...]:
    """An int or a sequence of ``nd`` ints as an ``nd``-tuple, each at least ``minimum``."""
    if is_int(v):
        out = (int(v),) * nd
    elif isinstance(v, (tuple, list)) and len(v) == nd and all(map(is_int, v)):
        out = tuple(int(a) for a in v)
    else:
        raise TypeError(f"{where}: got {name}={v!r}; expected an int or {_TUPLE[nd]}")
    if min(out) < minimum:
        raise ValueError(f"{where}: got {name}={v!r}; expected values >= {minimum}")
    return out


def _pair(v: Any, name: str, where: str, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints as a pair, each at least ``minimum``."""
    return _ntuple(v, 2, name, where, minimum)  # type: ignore[return-value]


def _lift(t: tuple[int, ...], fill: int) -> tuple[int, int]:
    """A 1-D argument as the pair of its unit-height 2-D operation, ``(fill, t[0])``; a pair as it is."""
    return t if len(t) == 2 else (fill,) + t  # type: ignore[return-value]


def _fmt(p: tuple[int, ...]) -> str:
    return str(p[0]) if len(set(p)) == 1 else str(p)


def _extent(sizes: Sequence[int]) -> str:
    """Sizes as ``HxW`` (or the one size of a 1-D argument)."""
    return "x".join(map(str, sizes))


def _given(pair: tuple[int, int], nd: int) -> tuple[int, ...]:
    """A lifted pair as the caller of an ``nd``-dimensional operation gave it (1-D: without the height)."""
    return pair[2 - nd:]


class _Geom(NamedTuple):
    """Everything that fixes the index maps of a 2-D window operation (a 1-D one has H = kh = 1)."""

    N: int
    C: int
    H: int
    W: int
    kh: int
    kw: int
    sh: int
    sw: int
    ph: int
    pw: int
    dh: int
    dw: int
    Ho: int
    Wo: int
    # rows/columns added below/right of the padded input, so that ceil_mode's last windows, which may run
    # past it, read filler instead of memory outside the array (always 0 for a convolution)
    eh: int = 0
    ew: int = 0
    groups: int = 1
    nd: int = 2  # the spatial dimensions of the operation the caller asked for, which messages describe

    @property
    def Hp(self) -> int:
        return self.H + 2 * self.ph + self.eh

    @property
    def Wp(self) -> int:
        return self.W + 2 * self.pw + self.ew

    def offset_slices(self) -> list[tuple[slice, slice]]:
        """For each kernel offset (a, b) in row-major order, the strided slices of the padded input that
        the windows read at that offset."""
        rows_end = self.sh * (self.Ho - 1) + 1
        cols_end = self.sw * (self.Wo - 1) + 1
        return [(slice(a * self.dh, a * self.dh + rows_end, self.sh),
                 slice(b * self.dw, b * self.dw + cols_end, self.sw))
                for a in range(self.kh) for b in range(self.kw)]

    def crop(self) -> tuple:
        return (slice(None), slice(None), slice(self.ph, self.ph + self.H), slice(self.pw, self.pw + self.W))


def _geometry(where: str, x_shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int],
              padding: tuple[int, int], dilation: tuple[int, int], groups: int = 1,
              ceil_mode: bool = False, nd: int = 2) -> _Geom:
    """The geometry of a window operation on an (N, C, H, W) input, from pairs of arguments (for a 1-D
    operation, ``nd=1``, the input and arguments lifted to a unit height)."""
    N, C, H, W = x_shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    size = _ceil_size if ceil_mode else _floor_size
    (Ho, eh), (Wo, ew) = size(H, kh, sh, ph, dh), size(W, kw, sw, pw, dw)
    if Ho < 1 or Wo < 1:
        def sizes(*pair: int) -> str:  # as the caller sees them: HxW, or the length of a 1-D operation
            return _extent(_given(pair, nd))

        if ceil_mode:
            mode = " and ceil_mode=True"
            room = f" extended by stride - 1, {sizes(H + 2 * ph + sh - 1, W + 2 * pw + sw - 1)}"
        else:
            mode, room = "", f", {sizes(H + 2 * ph, W + 2 * pw)}"
        what = "input" if nd == 2 else "input of length"
        raise ValueError(
            f"{where}: {what} {sizes(H, W)} with kernel {sizes(kh, kw)}, stride {_fmt(_given(stride, nd))}, "
            f"padding {_fmt(_given(padding, nd))}, dilation {_fmt(_given(dilation, nd))}{mode} gives an "
            f"output of size {sizes(Ho, Wo)}; the (dilated) kernel, "
            f"{sizes(dh * (kh - 1) + 1, dw * (kw - 1) + 1)}, must fit in the padded input{room}"
        )
    return _Geom(N, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, Ho, Wo, eh, ew, groups, nd)


def _floor_size(n: int, k: int, s: int, p: int, d: int) -> tuple[int, int]:
    """The output size along one axis (the division rounds down), and 0: no window runs past the padded
    input."""
    return (n + 2 * p - d * (k - 1) - 1) // s + 1, 0


def _ceil_size(n: int, k: int, s: int, p: int, d: int) -> tuple[int, int]:
    """ceil_mode's output size along one axis, and how far its last window runs past the padded input.

    The division rounds up, so a last, partial window is kept, but only if it starts inside the input or
    its leading padding (a window starting in the trailing padding would see no input at all)."""
    out = -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1
    if (out - 1) * s >= n + p:
        out -= 1
    return out, max(0, (out - 1) * s + d * (k - 1) + 1 - (n + 2 * p))


def _as_input(x: Any, where: str) -> Tensor:
    if not isinstance(x, Tensor):
        if isinstance(x, (np.ndarray, list, tuple)):
            x = Tensor(x)
        else:
            raise TypeError(f"{where}: got {type(x).__name__}; expected a Tensor")
    return x


def _floating(x: Tensor, dtype: Any = None) -> Tensor:
    """Integer or bool images become float (``dtype`` or the default dtype); float tensors are left alone."""
    if x.data.dtype.kind == "f":
        return x
    return Tensor(x.data.astype(get_default_dtype() if dtype is None else dtype))


def _batched(x: Tensor, where: str, nd: int = 2) -> tuple[Tensor, bool]:
    """The input as (N, C, H, W), and whether it was unbatched: an unbatched (C, H, W) image gets a batch
    dimension of 1; with ``nd=1`` an (N, C, L) or unbatched (C, L) input gets a height of 1 as well."""
    shape = x.data.shape
    if len(shape) not in (nd + 1, nd + 2):
        raise ValueError(f"{where}: got an input of shape {shape}; expected (N, C, {_LAYOUT[nd]}) or "
                         f"(C, {_LAYOUT[nd]})")
    unbatched = len(shape) == nd + 1
    lifted = (1,) * unbatched + shape[:-1] + (1,) * (2 - nd) + shape[-1:]
    return (x if lifted == shape else x.reshape(lifted)), unbatched


def _restore(y: Any, unbatched: bool, nd: int) -> Any:
    """A result (a Tensor or an index array) of the (N, C, H, W) computation in the caller's layout: without
    the batch dimension :func:`_batched` added, and for ``nd=1`` without the unit height."""
    shape = y.shape[int(unbatched):]
    if nd == 1:
        shape = shape[:-2] + shape[-1:]
    return y if shape == y.shape else y.reshape(shape)


def _channels_message(where: str, shape: tuple[int, ...], expected: int, who: str, nd: int = 2) -> str:
    """The message for an input of ``shape`` ((N, C, H, W) or unbatched (C, H, W); with ``nd=1``, (N, C, L)
    or (C, L)) whose channel count is not ``expected``; ``who`` says what expects it."""
    channels = shape[-nd - 1]
    layout = f"an unbatched C, {_LAYOUT[nd]}" if len(shape) == nd + 1 else f"N, C, {_LAYOUT[nd]}"
    return (f"{where}: input of shape {shape} (read as {layout}) has {channels} channels, but {who} "
            f"{expected} input channels")


def _padded(a: np.ndarray, g: _Geom, value: float = 0.0) -> np.ndarray:
    if not (g.ph or g.pw or g.eh or g.ew):
        return a
    out = np.empty(a.shape[:2] + (g.Hp, g.Wp), dtype=a.dtype)
    if value == 0.0:
        out.fill(0)
    else:
        out.fill(value)
    out[g.crop()] = a
    return out


# ------------------------------------------------------------------------------------------ conv2d kernels
def _im2col(x: np.ndarray, g: _Geom) -> np.ndarray:
    """The (N, C*kh*kw, Ho*Wo) matrix of windows: a strided view of the padded input, copied once."""
    xp = _padded(x, g)
    s0, s1, s2, s3 = xp.strides
    view = as_strided(xp, shape=(g.N, g.C, g.kh, g.kw, g.Ho, g.Wo),
                      strides=(s0, s1, s2 * g.dh, s3 * g.dw, s2 * g.sh, s3 * g.sw), writeable=False)
    return view.reshape(g.N, g.C * g.kh * g.kw, g.Ho * g.Wo)


def _col2im(cols: np.ndarray, g: _Geom) -> np.ndarray:
    """Adjoint of :func:`_im2col`: add every window column back where it was read, then unpad."""
    cols6 = cols.reshape(g.N, g.C, g.kh, g.kw, g.Ho, g.Wo)
    if g.kh == 1 and g.kw == 1 and g.sh == 1 and g.sw == 1 and not (g.ph or g.pw):
        return np.ascontiguousarray(cols6[:, :, 0, 0])
    out = np.zeros((g.N, g.C, g.Hp, g.Wp), dtype=cols.dtype)
    for k, (rs, cs) in enumerate(g.offset_slices()):
        out[:, :, rs, cs] += cols6[:, :, k // g.kw, k % g.kw]
    if g.ph or g.pw:
        out = np.ascontiguousarray(out[g.crop()])
    return out


def _conv_forward(x: np.ndarray, w: np.ndarray, g: _Geom) -> tuple[np.ndarray, np.ndarray]:
    cols = _im2col(x, g)
    if g.groups != 1:
        return _grouped_forward(cols, w, g), cols
    w2 = w.reshape(w.shape[0], -1)
    out = np.matmul(w2, cols)  # (O, K) @ (N, K, L): one BLAS gemm per image, output already NCHW
    return out.reshape(g.N, w.shape[0], g.Ho, g.Wo), cols


def _weight_grad(cols: np.ndarray, gout: np.ndarray, w_shape: tuple[int, ...], groups: int = 1) -> np.ndarray:
    if groups != 1:
        return _grouped_weight_grad(cols, gout, w_shape, groups)
    N, n_out = gout.shape[:2]
    g3 = gout.reshape(N, n_out, math.prod(gout.shape[2:]))  # sizes spelled out: N may be 0
    # one small BLAS gemm per image, (O, L) @ (L, K), summed over the batch; this beats one big
    # (O, N*L) @ (N*L, K) gemm, which first needs two transposed copies (np.tensordot)
    gw = np.matmul(g3, cols.transpose(0, 2, 1))
    gw = gw[0] if N == 1 else gw.sum(axis=0)
    return gw.reshape(w_shape)


def _input_grad(gout: np.ndarray, w: np.ndarray, g: _Geom) -> np.ndarray:
    n_out = w.shape[0]
    w2 = w.reshape(n_out, -1)
    if g.sh == 1 and g.sw == 1:
        return _input_grad_flat(gout, w2, g)
    if g.groups != 1:
        return _col2im(_grouped_transpose(w, gout.reshape(g.N, n_out, g.Ho * g.Wo), g.groups), g)
    gcols = np.matmul(w2.T, gout.reshape(g.N, n_out, g.Ho * g.Wo))  # (K, O) @ (N, O, L) -> (N, K, L)
    return _col2im(gcols, g)


# Grouped convolution: input channel c belongs to group c // (C / G), output channel o to o // (O / G), and
# an output channel sees only the input channels of its group. The im2col rows are ordered (c, a, b), so the
# rows of one group are contiguous and (N, C*kh*kw, L) reshapes for free to (N, G, Cg*kh*kw, L); the weight
# (O, Cg, kh, kw) reshapes to (G, Og, Cg*kh*kw). Every product below is then one batched matmul over the
# (image, group) pairs, and its result reshapes back to NCHW order without a copy.
def _grouped_forward(cols: np.ndarray, w: np.ndarray, g: _Geom) -> np.ndarray:
    G = g.groups
    windows = cols.reshape(g.N, G, cols.shape[1] // G, cols.shape[-1])  # sizes spelled out: N may be 0
    out = np.matmul(w.reshape(G, w.shape[0] // G, -1), windows)
    return out.reshape(g.N, w.shape[0], g.Ho, g.Wo)


def _grouped_weight_grad(cols: np.ndarray, gout: np.ndarray, w_shape: tuple[int, ...],
                         groups: int) -> np.ndarray:
    N, n_out = gout.shape[:2]
    g4 = gout.reshape(N, groups, n_out // groups, math.prod(gout.shape[2:]))
    cols4 = cols.reshape(N, groups, cols.shape[1] // groups, cols.shape[-1])
    gw = np.matmul(g4, cols4.transpose(0, 1, 3, 2))  # (N, G, Og, L) @ (N, G, L, K)
    gw = gw[0] if N == 1 else gw.sum(axis=0)
    return gw.reshape(w_shape)


def _grouped_transpose(w: np.ndarray, g3: np.ndarray, groups: int) -> np.ndarray:
    """``W^T @ g`` per group: (N, O, L) output gradients to (N, C*kh*kw, L) window columns; ``w`` is the
    weight, (O, Cg, kh, kw) or already flattened to (O, Cg*kh*kw)."""
    N, n_out, L = g3.shape
    w3 = w.reshape(groups, n_out // groups, -1).transpose(0, 2, 1)  # (G, K, Og)
    g4 = g3.reshape(N, groups, n_out // groups, L)
    # one output channel per group (depthwise): the product is an outer product, which a broadcast multiply
    # does about twice as fast as matmul's inner dimension of 1
    out = w3 * g4 if n_out == groups else np.matmul(w3, g4)  # (N, G, K, L)
    return out.reshape(N, out.shape[1] * out.shape[2], L)


def _input_grad_flat(gout: np.ndarray, w2: np.ndarray, g: _Geom) -> np.ndarray:
    """Stride-1 input gradient with col2im on flattened rows.

    The output gradient is widened to the padded row length Wp (zeros in the extra columns), so that output
    position (i, j) sits at flat index i*Wp + j and the window tap (a, b) at flat index
    i*Wp + j + a*dh*Wp + b*dw of the flattened padded input: each kernel offset then adds one long
    contiguous 1-D slice, instead of a 4-D strided slice with short rows.
    """
    n_out = w2.shape[0]
    L = g.Ho * g.Wp
    wide = np.zeros((g.N, n_out, g.Ho, g.Wp), dtype=gout.dtype)
    wide[..., :g.Wo] = gout
    if g.groups != 1:
        gcols = _grouped_transpose(w2, wide.reshape(g.N, n_out, L), g.groups)
        gcols = gcols.reshape(g.N, g.C, g.kh * g.kw, L)
    else:
        gcols = np.matmul(w2.T, wide.reshape(g.N, n_out, L)).reshape(g.N, g.C, g.kh * g.kw, L)
    flat = np.zeros((g.N, g.C, (g.kh - 1) * g.dh * g.Wp + (g.kw - 1) * g.dw + L), dtype=gout.dtype)
    for k in range(g.kh * g.kw):
        off = (k // g.kw) * g.dh * g.Wp + (k % g.kw) * g.dw
        flat[:, :, off:off + L] += gcols[:, :, k]
    img = flat[:, :, :g.Hp * g.Wp].reshape(g.N, g.C, g.Hp, g.Wp)
    return np.ascontiguousarray(img[g.crop()]) if (g.ph or g.pw) else np.ascontiguousarray(img)


def _macs(g: _Geom, w_size: int) -> int:
    # one output position of one channel takes (C/groups)*kh*kw multiply-adds, so one position of all O
    # channels takes as many as the weight has entries
    return g.N * g.Ho * g.Wo * w_size


# ------------------------------------------------------------------------------------------ conv2d primitives
def _conv2d_grads(node: Tensor, gout: Any, input_grad: Any, weight_grad: Any) -> tuple:
    """The gradients of a convolution, from Tensors (recorded ops) or arrays, by the helpers given."""
    geom, cols = node._ctx
    x, w = node._parents[0], node._parents[1]
    gx = input_grad(gout, w, geom) if x._requires_grad else None
    gw = weight_grad(x, gout, w.data.shape, geom, cols) if w._requires_grad else None
    if len(node._parents) == 3:
        return (gx, gw, gout.sum(axis=(0, 2, 3)) if node._parents[2]._requires_grad else None)
    return (gx, gw)


def _conv2d_rule(node: Tensor, gout: Tensor) -> tuple:
    return _conv2d_grads(node, gout, _conv2d_input_grad, _conv2d_weight_grad)


def _conv2d_array_rule(node: Tensor, gout: np.ndarray) -> tuple:
    return _conv2d_grads(node, gout, lambda g, w, geom: _input_grad(g, w.data, geom), _weight_grad_array)


def _weight_grad_array(x: Tensor, gout: np.ndarray, w_shape: tuple[int, ...], geom: _Geom,
                       cols: np.ndarray | None) -> np.ndarray:
    return _weight_grad(_im2col(x.data, geom) if cols is None else cols, gout, w_shape, geom.groups)


CONV2D = TensorOp("conv2d", _conv2d_rule, _conv2d_array_rule)


def _input_grad_rule(node: Tensor, h: Tensor) -> tuple:
    geom = node._ctx
    gout, w = node._parents
    # out = A_w^T gout, with A_w the convolution by w: d/d gout = A_w h; d/dw <h, A_w^T gout> = weight grad
    d_gout = _conv2d_raw(h, w, geom) if gout._requires_grad else None
    d_w = _conv2d_weight_grad(h, gout, w.data.shape, geom, None) if w._requires_grad else None
    return (d_gout, d_w)


CONV2D_INPUT_GRAD = TensorOp("conv2d_input_grad", _input_grad_rule)


def _weight_grad_rule(node: Tensor, h: Tensor) -> tuple:
    geom = node._ctx
    x, gout = node._parents
    # out = sum over windows of gout * x-window:
    # d/dx = input grad of gout through kernel h; d/d gout = conv(x, h)
    d_x = _conv2d_input_grad(gout, h, geom) if x._requires_grad else None
    d_gout = _conv2d_raw(x, h, geom) if gout._requires_grad else None
    return (d_x, d_gout)


CONV2D_WEIGHT_GRAD = TensorOp("conv2d_weight_grad", _weight_grad_rule)


def _conv2d_raw(x: Tensor, w: Tensor, geom: _Geom, b: Tensor | None = None) -> Tensor:
    """The forward primitive on already-checked operands."""
    out, cols = _conv_forward(x.data, w.data, geom)
    if b is not None:
        out += b.data.reshape(1, -1, 1, 1)
        parents: tuple = (x, w, b)
    else:
        parents = (x, w)
    keep_cols = cols if w._requires_grad else None
    return result(out, parents, CONV2D, (geom, keep_cols), macs=_macs(geom, w.data.size))


def _conv2d_input_grad(gout: Tensor, w: Tensor, geom: _Geom) -> Tensor:
    out = _input_grad(gout.data, w.data, geom)
    return result(out, (gout, w), CONV2D_INPUT_GRAD, geom, macs=_macs(geom, w.data.size))


def _conv2d_weight_grad(x: Tensor, gout: Tensor, w_shape: tuple[int, ...], geom: _Geom,
                        cols: np.ndarray | None) -> Tensor:
    out = _weight_grad_array(x, gout.data, w_shape, geom, cols)
    return result(out, (x, gout), CONV2D_WEIGHT_GRAD, geom, macs=_macs(geom, out.size))


def same_padding(kernel_size: tuple[int, ...], dilation: tuple[int, ...]) -> tuple[int, ...]:
    """The (left, right, top, bottom) zeros that keep a stride-1 convolution's output as large as its input
    (for a 1-D kernel, (left, right)); an odd total goes one more to the right/bottom.

    Examples
    --------
    >>> from nn.conv_ops import same_padding
    >>> same_padding((3, 4), (1, 1))
    (1, 2, 1, 1)
    >>> same_padding((4,), (1,))
    (1, 2)
    """
    out: list[int] = []
    for k, d in zip(reversed(kernel_size), reversed(dilation)):
        total = d * (k - 1)
        out += [total // 2, total - total // 2]
    return tuple(out)  # type: ignore[return-value]


def _string_padding(where: str, padding: str, stride: tuple[int, ...], kernel: tuple[int, ...],
                    dilation: tuple[int, ...]) -> tuple[int, ...]:
    """``padding='valid'`` or ``'same'`` as (left, right, top, bottom), or (left, right) for a 1-D
    kernel."""
    if padding == "valid":
        return (0,) * (2 * len(kernel))
    if padding != "same":
        raise ValueError(f"{where}: got padding={padding!r}; expected an int, {_TUPLE[len(kernel)]}, 'valid' "
                         "or 'same'")
    if any(s != 1 for s in stride):
        raise ValueError(f"{where}: padding='same' needs stride 1; got stride={stride}")
    return same_padding(kernel, dilation)


def _check_groups(where: str, groups: Any) -> int:
    if not isinstance(groups, (int, np.integer)) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"{where}: got groups={groups!r}; expected a positive int")
    return int(groups)


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D convolution (cross-correlation, no kernel flip) of a batch of multi-channel images.

    ``out[n, o, i, j] = bias[o] + sum_{c, a, b} weight[o, c, a, b] * xpad[n, c, i*sh + a*dh, j*sw + b*dw]``,
    where ``xpad`` is ``x`` with ``padding`` zeros on each side. With ``groups=G`` the channels split into
    G groups and output channel ``o`` reads only the input channels of its group,
    ``xpad[n, g*Cg + c, ...]`` with ``g = o // (O/G)`` and ``Cg = C/G``.

    Parameters
    ----------
    x : Tensor, shape (N, C, H, W) or (C, H, W)
        The images (integer images are converted to the default dtype).
    weight : Tensor, shape (O, C/groups, kh, kw)
        One kernel per output channel and input channel of its group.
    bias : Tensor, shape (O,), optional
        One number per output channel (the textbook's per-position bias matrix b of (10.22) is an ordinary
        tensor addition after the convolution).
    stride, dilation : int or pair of ints, optional
        Step between windows (default 1) and spacing between kernel taps (default 1); a pair gives
        (height, width).
    padding : int, pair of ints, "valid" or "same", optional
        Zeros added on each side (default 0). "valid" is no padding; "same" (stride 1 only) keeps the
        spatial size, with one more zero on the bottom/right when the dilated kernel is even.
    groups : int, optional
        Number of channel groups (default 1); it must divide C and O. ``groups=C`` is a depthwise
        convolution: every input channel has kernels of its own.

    Returns
    -------
    Tensor, shape (N, O, Ho, Wo) (or (O, Ho, Wo) for an unbatched input), with
    ``Ho = (H + 2*ph - dh*(kh - 1) - 1) // sh + 1`` and likewise ``Wo``.

    Raises
    ------
    ValueError
        When the channel counts disagree (with each other or with ``groups``) or the kernel does not fit
        (the message names the input size, kernel, stride, padding and dilation).

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.conv_ops import conv2d
    >>> x = tensor(np.arange(9.0).reshape(1, 1, 3, 3) + 1)
    >>> conv2d(x, tensor(np.ones((1, 1, 2, 2)))).numpy()[0, 0]
    array([[12., 16.],
           [24., 28.]])
    >>> conv2d(x, tensor(np.ones((1, 1, 3, 3))), padding=1, stride=2).shape
    (1, 1, 2, 2)
    >>> depthwise = conv2d(tensor(np.ones((1, 2, 4, 4))), tensor(np.ones((2, 1, 3, 3))), groups=2)
    >>> depthwise.shape, depthwise.numpy()[0, :, 0, 0].tolist()
    ((1, 2, 2, 2), [9.0, 9.0])
    """
    return _convolution("conv2d", 2, x, weight, bias, stride, padding, dilation, groups)


def conv1d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D convolution (cross-correlation, no kernel flip) of a batch of multi-channel sequences: the 2-D
    convolution :func:`conv2d` of the sequences as images of height 1.

    ``out[n, o, i] = bias[o] + sum_{c, a} weight[o, c, a] * xpad[n, c, i*s + a*d]``, where ``xpad`` is ``x``
    with ``padding`` zeros at each end; ``groups`` splits the channels as in :func:`conv2d`.

    Parameters
    ----------
    x : Tensor, shape (N, C, L) or (C, L)
        The sequences (integer ones are converted to the default dtype).
    weight : Tensor, shape (O, C/groups, k)
    bias : Tensor, shape (O,), optional
    stride, dilation : int or tuple of one int, optional
        Default 1.
    padding : int, tuple of one int, "valid" or "same", optional
        Zeros added at each end (default 0); "same" (stride 1 only) keeps the length, with one more zero
        at the end when the dilated kernel is even.
    groups : int, optional
        Number of channel groups (default 1); it must divide C and O.

    Returns
    -------
    Tensor, shape (N, O, Lo) (or (O, Lo) for an unbatched input), ``Lo = (L + 2*p - d*(k - 1) - 1) // s + 1``.
    Gradients (of every order) are those of :func:`conv2d`.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.conv_ops import conv1d
    >>> x = tensor(np.arange(5.0).reshape(1, 1, 5))
    >>> conv1d(x, tensor([[[1.0, -1.0]]])).tolist()
    [[[-1.0, -1.0, -1.0, -1.0]]]
    >>> conv1d(x[0], tensor(np.ones((2, 1, 3))), padding="same").tolist()
    [[1.0, 3.0, 6.0, 9.0, 7.0], [1.0, 3.0, 6.0, 9.0, 7.0]]
    """
    return _convolution("conv1d", 1, x, weight, bias, stride, padding, dilation, groups)


def _convolution(where: str, nd: int, x: Any, weight: Any, bias: Any, stride: Any, padding: Any,
                 dilation: Any, groups: Any) -> Tensor:
    """:func:`conv2d` (``nd=2``) or :func:`conv1d` (``nd=1``, computed as a 2-D convolution of height 1):
    the arguments checked as the caller gave them, then the convolution of the lifted operands."""
    x = _as_input(x, where)
    weight = _as_input(weight, f"{where} (weight)")
    stride = _ntuple(stride, nd, "stride", where, 1)
    dilation = _ntuple(dilation, nd, "dilation", where, 1)
    if weight.data.ndim != nd + 2:
        raise ValueError(f"{where}: weight has shape {weight.data.shape}; expected "
                         f"(out_channels, in_channels / groups, {_KERNEL_AXES[nd]})")
    border = None
    try:
        padding = _ntuple(padding, nd, "padding", where, 0)
    except TypeError:
        if not isinstance(padding, str):
            raise
        border = _string_padding(where, padding, stride, weight.data.shape[2:], dilation)
        padding = border[::2][::-1]  # the padding before each axis, first axis first
    if groups != 1:
        groups = _check_groups(where, groups)
        if weight.data.shape[0] % groups:
            raise ValueError(f"{where}: weight of shape {weight.data.shape} has {weight.data.shape[0]} "
                             f"output channels; expected a multiple of groups={groups}")
    weight = _floating(weight)
    x = _floating(x, weight.data.dtype)
    given = x.data.shape  # the shape the caller passed, for messages (not the batched one)
    x, unbatched = _batched(x, where, nd)
    n_out, Cw = weight.data.shape[:2]
    if x.data.shape[1] != Cw * groups:
        grouped = "" if groups == 1 else f" with groups={groups}"
        who = f"the weight of shape {weight.data.shape}{grouped} expects"
        raise ValueError(_channels_message(where, given, Cw * groups, who, nd))
    if border is not None and border[::2] != border[1::2]:
        # 'same' with an even dilated kernel: pad unevenly here, the convolution then pads nothing
        x, padding = pad(x, border), (0,) * nd
    if bias is not None:
        bias = _floating(_as_input(bias, f"{where} (bias)"))
        if bias.data.shape != (n_out,):
            raise ValueError(f"{where}: bias has shape {bias.data.shape}; expected ({n_out},), one per "
                             f"output channel of the weight of shape {weight.data.shape}")
    dtype = np.result_type(x.data.dtype, weight.data.dtype, *(() if bias is None else (bias.data.dtype,)))
    x, weight = x.astype(dtype), weight.astype(dtype)
    if bias is not None:
        bias = bias.astype(dtype)
    if nd == 1:
        weight = weight.reshape(weight.data.shape[:2] + (1,) + weight.data.shape[2:])
    geom = _geometry(where, x.data.shape, weight.data.shape[2:], _lift(stride, 1), _lift(padding, 0),
                     _lift(dilation, 1), groups, nd=nd)
    return _restore(_conv2d_raw(x, weight, geom, bias), unbatched, nd)


# ------------------------------------------------------------------------------------------ max pooling
def _pool_args(where: str, x: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
               ceil_mode: bool = False, nd: int = 2) -> tuple[Tensor, bool, _Geom]:
    """The input as a float (N, C, H, W) tensor, whether it was unbatched, and the pooling's geometry; the
    arguments of an ``nd``-dimensional pooling are checked as given, then lifted to pairs."""
    x = _floating(_as_input(x, where))
    x, unbatched = _batched(x, where, nd)
    kernel = _ntuple(kernel_size, nd, "kernel_size", where, 1)
    stride = kernel if stride is None else _ntuple(stride, nd, "stride", where, 1)
    padding = _ntuple(padding, nd, "padding", where, 0)
    dilation = _ntuple(dilation, nd, "dilation", where, 1)
    # PyTorch's limit: half the kernel size itself, whatever the dilation (a dilated kernel spans more)
    if any(2 * p > k for p, k in zip(padding, kernel)):
        limit = tuple(k // 2 for k in kernel)
        raise ValueError(
            f"{where}: padding {_fmt(padding)} is more than half the kernel {_extent(kernel)}; "
            f"expected padding at most {_fmt(limit)} (half the kernel size, without dilation, as in PyTorch)"
        )
    return x, unbatched, _geometry(where, x.data.shape, _lift(kernel, 1), _lift(stride, 1), _lift(padding, 0),
                                   _lift(dilation, 1), ceil_mode=ceil_mode, nd=nd)


def _first_real(n: int, n_out: int, k: int, s: int, p: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Along one axis, for each output position: the first kernel offset whose entry lies inside the
    input (not in padding), and whether there is one at all (with dilation a window can skip the input)."""
    pos = (np.arange(n_out) * s - p)[:, None] + np.arange(k) * d
    real = (pos >= 0) & (pos < n)
    return real.argmax(axis=1), real.any(axis=1)


def _max_forward(x: np.ndarray, g: _Geom) -> tuple[np.ndarray, np.ndarray]:
    """Window maxima, and for each kernel offset k (row-major) a boolean mask of the windows whose chosen
    entry sits at offset k (one-hot along k), shape (kh*kw, N, C, Ho, Wo).

    The chosen entry is the FIRST maximum of the window (the argmax of the flattened window); a window
    that holds NaN takes its LAST NaN, and a window of -inf and padding its first entry inside the input,
    so that gradients and indices agree with PyTorch's."""
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    xp = _padded(x, g, fill)
    views = [xp[:, :, rs, cs] for rs, cs in g.offset_slices()]
    best = views[0].copy()
    for v in views[1:]:
        np.maximum(best, v, out=best)  # elementwise max of strided views: no window copy, no np.where
    masks = np.empty((len(views),) + best.shape, dtype=bool)
    taken = np.zeros(best.shape, dtype=bool)
    for k, v in enumerate(views):
        m = np.equal(v, best, out=masks[k])  # NaN equals nothing: NaN windows get no mask here
        m &= ~taken
        taken |= m
    # one pass over the output finds both unusual cases: a NaN maximum, and -inf that may sit in padding
    if x.dtype.kind == "f" and not np.isfinite(best).all():
        _fix_special_windows(views, best, masks, g)
    return best, masks


def _fix_special_windows(views: list[np.ndarray], best: np.ndarray, masks: np.ndarray, g: _Geom) -> None:
    """Choose, in place, the entry of NaN windows (the last NaN) and of -inf windows (the first entry
    inside the input rather than the padding that the plain scan found first)."""
    if g.ph or g.pw or g.eh or g.ew:
        neg = np.isneginf(best)
        if neg.any():
            rows, _ = _first_real(g.H, g.Ho, g.kh, g.sh, g.ph, g.dh)
            cols, _ = _first_real(g.W, g.Wo, g.kw, g.sw, g.pw, g.dw)
            first = np.broadcast_to(rows[:, None] * g.kw + cols, best.shape)[neg]
            masks[:, neg] = False
            masks[(first,) + np.nonzero(neg)] = True
    nan = np.isnan(best)
    if nan.any():
        taken = ~nan
        for k in range(len(views) - 1, -1, -1):
            m = np.isnan(views[k])
            m &= ~taken
            masks[k] |= m
            taken |= m


def _max_indices(masks: np.ndarray, g: _Geom, where: str) -> np.ndarray:
    """The flat index into the input's H*W plane of each window's chosen entry (int64)."""
    rows_ok = _first_real(g.H, g.Ho, g.kh, g.sh, g.ph, g.dh)[1]
    cols_ok = _first_real(g.W, g.Wo, g.kw, g.sw, g.pw, g.dw)[1]
    if not (rows_ok.all() and cols_ok.all()):
        if g.nd == 1:  # a unit height: only a column can be all padding
            bad = (f"the window of output position {int(np.argmin(cols_ok))} holds only padding of the input "
                   f"of length {g.W}")
        else:
            axis, ok = ("row", rows_ok) if not rows_ok.all() else ("column", cols_ok)
            bad = (f"the windows of output {axis} {int(np.argmin(ok))} hold only padding of the {g.H}x{g.W} "
                   "input")
        kernel, stride, padding, dilation = (_given(pair, g.nd) for pair in (
            (g.kh, g.kw), (g.sh, g.sw), (g.ph, g.pw), (g.dh, g.dw)))
        raise ValueError(
            f"{where}: with kernel {_extent(kernel)}, stride {_fmt(stride)}, padding {_fmt(padding)} and "
            f"dilation {_fmt(dilation)}, {bad}; return_indices=True needs an input entry in every window"
        )
    a, b = np.divmod(masks.argmax(axis=0), g.kw)
    rows = (np.arange(g.Ho, dtype=np.int64) * g.sh - g.ph)[:, None] + a * g.dh
    cols = np.arange(g.Wo, dtype=np.int64) * g.sw - g.pw + b * g.dw
    return (rows * g.W + cols).astype(np.int64, copy=False)


def _disjoint(g: _Geom) -> bool:
    return g.sh >= g.dh * (g.kh - 1) + 1 and g.sw >= g.dw * (g.kw - 1) + 1


def _max_scatter(gout: np.ndarray, masks: np.ndarray, g: _Geom) -> np.ndarray:
    """Each output gradient added to the input position of its window's first maximum."""
    out = np.zeros((g.N, g.C, g.Hp, g.Wp), dtype=gout.dtype)
    disjoint = _disjoint(g)
    for k, (rs, cs) in enumerate(g.offset_slices()):
        if disjoint:  # every input position belongs to one window at most: plain strided assignment
            np.multiply(gout, masks[k], out=out[:, :, rs, cs])
        else:  # within one kernel offset, output -> input positions is one-to-one, so += is exact
            out[:, :, rs, cs] += gout * masks[k]
    if g.ph or g.pw or g.eh or g.ew:
        out = np.ascontiguousarray(out[g.crop()])
    return out


def _max_gather(h: np.ndarray, masks: np.ndarray, g: _Geom) -> np.ndarray:
    """Adjoint of :func:`_max_scatter`: each output position reads ``h`` at its window's first maximum."""
    hp = _padded(h, g)
    out = np.zeros(masks.shape[1:], dtype=h.dtype)
    for k, (rs, cs) in enumerate(g.offset_slices()):
        out += hp[:, :, rs, cs] * masks[k]
    return out


def _maxpool_rule(node: Tensor, gout: Tensor) -> tuple:
    masks, geom = node._ctx
    return (_max_scatter_op(gout, masks, geom),)


def _maxpool_array_rule(node: Tensor, gout: np.ndarray) -> tuple:
    return (_max_scatter(gout, *node._ctx),)


MAX_POOL2D = TensorOp("max_pool2d", _maxpool_rule, _maxpool_array_rule)


def _max_scatter_rule(node: Tensor, h: Tensor) -> tuple:
    masks, geom = node._ctx
    return (result(_max_gather(h.data, masks, geom), (h,), MAX_POOL2D_GATHER, (masks, geom)),)


def _max_scatter_array_rule(node: Tensor, h: np.ndarray) -> tuple:
    return (_max_gather(h, *node._ctx),)


MAX_POOL2D_BACKWARD = TensorOp("max_pool2d_backward", _max_scatter_rule, _max_scatter_array_rule)


def _max_gather_rule(node: Tensor, h: Tensor) -> tuple:
    masks, geom = node._ctx
    return (_max_scatter_op(h, masks, geom),)


MAX_POOL2D_GATHER = TensorOp("max_pool2d_gather", _max_gather_rule, _maxpool_array_rule)


def _max_scatter_op(gout: Tensor, masks: np.ndarray, geom: _Geom) -> Tensor:
    return result(_max_scatter(gout.data, masks, geom), (gout,), MAX_POOL2D_BACKWARD, (masks, geom))


def max_pool2d(x: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Maximum over each (dilated) kh x kw window (textbook Definition 10.4.2 when stride = kernel size).

    Parameters
    ----------
    x : Tensor, shape (N, C, H, W) or (C, H, W)
    kernel_size : int or pair of ints
    stride : int or pair of ints, optional
        Defaults to ``kernel_size`` (disjoint blocks, as in the textbook).
    padding : int or pair of ints, optional
        ``-inf`` added on each side (so padding is never the maximum); at most half the kernel size,
        ``kernel_size // 2``, whatever the dilation (as in PyTorch).
    dilation : int or pair of ints, optional
    ceil_mode : bool, optional
        Round the output size up instead of down (default False): a last window that runs past the
        bottom/right edge is kept, and takes the maximum of the part inside, provided it starts inside
        the input or its top/left padding.
    return_indices : bool, optional
        Also return, for each output, the flat index ``row * W + col`` into the input's H x W plane of
        the entry its gradient goes to (default False); :func:`max_unpool2d` takes them.

    Returns
    -------
    Tensor, shape (N, C, Ho, Wo), sizes as for :func:`conv2d`; with ``ceil_mode`` the division by the
    stride rounds up (``Ho = ceil((H + 2*ph - dh*(kh - 1) - 1) / sh) + 1``), minus one if the last window
    would start at or after ``H + ph``. With ``return_indices``, the pair ``(output, indices)``, the
    indices an int64 Tensor of the output's shape that takes no gradient.

    Notes
    -----
    The gradient of each output goes to the FIRST maximum of its window (row-major order, i.e. the argmax of
    the flattened window), as in PyTorch; a tie is not split. Where windows overlap, an input that is the
    maximum of several windows receives the sum of their gradients. A window holding NaN outputs NaN and
    sends its gradient to its LAST NaN; a window holding only -inf (and padding) outputs -inf and sends
    its gradient to its first entry inside the input. These are the entries the indices point at.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.conv_ops import max_pool2d
    >>> x = tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    >>> max_pool2d(x, 2).sum().backward()
    >>> x.grad.numpy()[0, 0]
    array([[1., 0.],
           [0., 0.]])
    >>> max_pool2d(tensor(np.arange(9.0).reshape(1, 1, 3, 3)), 2, ceil_mode=True).numpy()[0, 0]
    array([[4., 5.],
           [7., 8.]])
    >>> y, i = max_pool2d(tensor([[[3.0, 1.0, 4.0], [1.0, 5.0, 9.0]]]), 2, 1, return_indices=True)
    >>> i.tolist()
    [[[4, 5]]]
    """
    return _max_pool("max_pool2d", 2, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool1d(x: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Maximum over each (dilated) window of length ``kernel_size``: :func:`max_pool2d` of the sequences
    as images of height 1, with its rules for the gradient, NaN, -inf and ``ceil_mode``.

    Parameters
    ----------
    x : Tensor, shape (N, C, L) or (C, L)
    kernel_size : int or tuple of one int
    stride : int or tuple of one int, optional
        Defaults to ``kernel_size``.
    padding : int or tuple of one int, optional
        ``-inf`` added at each end, at most ``kernel_size // 2``.
    dilation : int or tuple of one int, optional
    ceil_mode : bool, optional
        Round the output length up (default False).
    return_indices : bool, optional
        Also return the index into L of each output's entry (an int64 Tensor, default False).

    Returns
    -------
    Tensor, shape (N, C, Lo) or (C, Lo), or the pair ``(output, indices)``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.conv_ops import max_pool1d
    >>> y, i = max_pool1d(tensor([[3.0, 1.0, 4.0, 1.0, 5.0]]), 2, return_indices=True)
    >>> y.tolist(), i.tolist()
    ([[3.0, 4.0]], [[0, 2]])
    >>> max_pool1d(tensor([[3.0, 1.0, 4.0, 1.0, 5.0]]), 2, ceil_mode=True).tolist()
    [[3.0, 4.0, 5.0]]
    """
    return _max_pool("max_pool1d", 1, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def _max_pool(where: str, nd: int, x: Any, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
              ceil_mode: bool, return_indices: bool) -> Tensor | tuple[Tensor, Tensor]:
    """:func:`max_pool2d` (``nd=2``) or :func:`max_pool1d` (``nd=1``, a pooling of height 1)."""
    x, unbatched, geom = _pool_args(where, x, kernel_size, stride, padding, dilation, ceil_mode, nd)
    out, masks = _max_forward(x.data, geom)
    y = _restore(result(out, (x,), MAX_POOL2D, (masks, geom)), unbatched, nd)
    if return_indices:
        return y, Tensor(_restore(_max_indices(masks, geom, where), unbatched, nd))
    return y


def _unpool_rule(node: Tensor, gout: Tensor) -> tuple:
    # the adjoint of the scatter is a gather; a repeated index gives its output's gradient to every input
    # that names it (though only one of them was written), as PyTorch does
    flat, shape = node._ctx
    n, c = np.arange(shape[0])[:, None, None], np.arange(shape[1])[None, :, None]
    return (gout.reshape(shape[0], shape[1], -1)[n, c, flat].reshape(shape),)


def _unpool_array_rule(node: Tensor, gout: np.ndarray) -> tuple:
    flat, shape = node._ctx
    return (np.take_along_axis(gout.reshape(shape[0], shape[1], -1), flat, axis=2).reshape(shape),)


MAX_UNPOOL2D = TensorOp("max_unpool2d", _unpool_rule, _unpool_array_rule)


def _unpool_size(where: str, shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int],
                 padding: tuple[int, int], output_size: Any) -> tuple[int, int]:
    default = tuple((n - 1) * s - 2 * p + k for n, k, s, p in zip(shape[-2:], kernel, stride, padding))
    if output_size is None:
        if min(default) < 0:  # PyTorch sets no limit on this padding, but refuses a negative size too
            raise ValueError(
                f"{where}: kernel {kernel[0]}x{kernel[1]}, stride {_fmt(stride)} and padding {_fmt(padding)} "
                f"give an output of size {default[0]}x{default[1]} for a {shape[-2]}x{shape[-1]} input "
                "((H - 1) * stride - 2 * padding + kernel); expected sizes >= 0 (less padding)"
            )
        return default
    size = tuple(output_size) if isinstance(output_size, (tuple, list)) else ()
    if len(size) == 4:
        size = size[2:]
    low = [max(d - s + 1, 0) for d, s in zip(default, stride)]  # a size is never negative
    if (len(size) != 2 or not all(map(is_int, size))
            or not all(lo <= e < d + s for e, lo, d, s in zip(size, low, default, stride))):
        raise ValueError(
            f"{where}: got output_size={output_size!r}; expected (H, W) or (N, C, H, W) with H and W within "
            f"the stride of the default {default[0]}x{default[1]}, i.e. {low[0]}.."
            f"{default[0] + stride[0] - 1} by {low[1]}..{default[1] + stride[1] - 1}"
        )
    return int(size[0]), int(size[1])


def max_unpool2d(x: Tensor, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    """Scatter each value of ``x`` to the position ``indices`` names in a zero image: given the output and
    indices of :func:`max_pool2d` with ``return_indices=True``, the maxima go back where they were found
    and every other entry is 0.

    Parameters
    ----------
    x : Tensor, shape (N, C, H, W) or (C, H, W)
    indices : Tensor or array of ints, the shape of ``x``
        Flat indices ``row * Wout + col`` into each output plane, as :func:`max_pool2d` returns them.
    kernel_size, stride, padding : int or pair of ints
        Those of the pooling; ``stride`` defaults to ``kernel_size``.
    output_size : sequence of ints, optional
        ``(Hout, Wout)`` or ``(N, C, Hout, Wout)``; by default ``Hout = (H - 1) * sh - 2 * ph + kh``, and a
        size given must lie less than a stride away from it (the input size a pooling could start from).

    Returns
    -------
    Tensor, shape (N, C, Hout, Wout) or (C, Hout, Wout); differentiable w.r.t. ``x``, each entry of
    which receives the gradient at its index.

    Notes
    -----
    An index may repeat where pooling windows overlap and share a maximum; one of the values that name it
    is written (which one is not specified, as in PyTorch), and every one of them still receives the
    gradient at that index, as in PyTorch.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.conv_ops import max_pool2d, max_unpool2d
    >>> y, i = max_pool2d(tensor([[[1.0, 2.0], [4.0, 3.0]]]), 2, return_indices=True)
    >>> max_unpool2d(y, i, 2).tolist()
    [[[0.0, 0.0], [4.0, 0.0]]]
    """
    where = "max_unpool2d"
    x, unbatched = _batched(_floating(_as_input(x, where)), where)
    kernel = _pair(kernel_size, "kernel_size", where, 1)
    stride = kernel if stride is None else _pair(stride, "stride", where, 1)
    size = _unpool_size(where, x.data.shape, kernel, stride, _pair(padding, "padding", where, 0), output_size)
    idx = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    N, C = x.data.shape[:2]
    if idx.dtype.kind not in "iu" or idx.shape != x.data.shape[int(unbatched):]:
        raise ValueError(f"{where}: got indices of shape {idx.shape} and dtype {idx.dtype}; expected "
                         f"integers of the input's shape {x.data.shape[int(unbatched):]}")
    flat = idx.reshape(N, C, -1).astype(np.int64, copy=False)
    if flat.size and (flat.min() < 0 or flat.max() >= size[0] * size[1]):
        bad = flat.min() if flat.min() < 0 else flat.max()
        raise ValueError(f"{where}: got index {bad}; expected indices in [0, {size[0] * size[1]}) for an "
                         f"output of size {size[0]}x{size[1]}")
    out = np.zeros((N, C, size[0] * size[1]), dtype=x.data.dtype)
    np.put_along_axis(out, flat, x.data.reshape(N, C, -1), axis=2)
    y = result(out.reshape(N, C, *size), (x,), MAX_UNPOOL2D, (flat, x.data.shape))
    return y.reshape(y.data.shape[1:]) if unbatched else y


# ------------------------------------------------------------------------------------------ average pooling
# An average is a window sum times a scale: 1 / (kh*kw) as a number when every window has the same divisor,
# otherwise an (Ho, Wo) array of 1 / divisor (ceil_mode's clipped last windows, count_include_pad=False).
def _avg_forward(x: np.ndarray, g: _Geom, scale: Any) -> np.ndarray:
    xp = _padded(x, g)
    slices = g.offset_slices()
    acc = xp[:, :, slices[0][0], slices[0][1]].copy()
    for rs, cs in slices[1:]:
        acc += xp[:, :, rs, cs]
    acc *= scale
    return acc


def _avg_adjoint(h: np.ndarray, g: _Geom, scale: Any) -> np.ndarray:
    out = np.zeros((g.N, g.C, g.Hp, g.Wp), dtype=h.dtype)
    share = h * scale
    for rs, cs in g.offset_slices():
        out[:, :, rs, cs] += share
    if g.ph or g.pw or g.eh or g.ew:
        out = np.ascontiguousarray(out[g.crop()])
    return out


def _window_counts(n: int, n_out: int, k: int, s: int, p: int, include_pad: bool) -> np.ndarray:
    """How many entries of each window along one axis the mean divides by: the window clipped to the
    padded input (``include_pad``) or to the input itself. Only ceil_mode's last window can run past the
    padded input."""
    start = np.arange(n_out) * s - p
    end = np.minimum(start + k, n + p)
    if include_pad:
        return end - start
    return np.minimum(end, n) - np.maximum(start, 0)


def _check_divisor(where: str, divisor: Any) -> int | None:
    if divisor is None:
        return None
    if not isinstance(divisor, (int, np.integer)) or isinstance(divisor, bool) or divisor == 0:
        raise ValueError(f"{where}: got divisor_override={divisor!r}; expected None or a nonzero int")
    return int(divisor)


def _avg_scale(g: _Geom, dtype: np.dtype, count_include_pad: bool, divisor_override: int | None) -> Any:
    if divisor_override is not None:
        return dtype.type(1.0 / divisor_override)
    if not (g.eh or g.ew) and (count_include_pad or not (g.ph or g.pw)):
        return dtype.type(1.0 / (g.kh * g.kw))  # every window lies inside the padded input and counts it all
    rows = _window_counts(g.H, g.Ho, g.kh, g.sh, g.ph, count_include_pad)
    cols = _window_counts(g.W, g.Wo, g.kw, g.sw, g.pw, count_include_pad)
    if (rows == g.kh).all() and (cols == g.kw).all():
        return dtype.type(1.0 / (g.kh * g.kw))
    return (1.0 / np.multiply.outer(rows, cols)).astype(dtype)


def _avg_rule(node: Tensor, gout: Tensor) -> tuple:
    geom, scale = node._ctx
    return (result(_avg_adjoint(gout.data, geom, scale), (gout,), AVG_POOL2D_BACKWARD, node._ctx),)


def _avg_array_rule(node: Tensor, gout: np.ndarray) -> tuple:
    return (_avg_adjoint(gout, *node._ctx),)


AVG_POOL2D = TensorOp("avg_pool2d", _avg_rule, _avg_array_rule)


def _avg_adjoint_rule(node: Tensor, h: Tensor) -> tuple:
    geom, scale = node._ctx
    return (result(_avg_forward(h.data, geom, scale), (h,), AVG_POOL2D, node._ctx),)


def _avg_adjoint_array_rule(node: Tensor, h: np.ndarray) -> tuple:
    return (_avg_forward(h, *node._ctx),)


AVG_POOL2D_BACKWARD = TensorOp("avg_pool2d_backward", _avg_adjoint_rule, _avg_adjoint_array_rule)


def avg_pool2d(x: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over each kh x kw window.

    Parameters
    ----------
    x : Tensor, shape (N, C, H, W) or (C, H, W)
    kernel_size : int or pair of ints
    stride : int or pair of ints, optional
        Defaults to ``kernel_size``.
    padding : int or pair of ints, optional
        Zeros on each side, at most half the kernel.
    ceil_mode : bool, optional
        Round the output size up, as in :func:`max_pool2d` (default False). A last window that runs past
        the padded input divides by the number of its entries inside it.
    count_include_pad : bool, optional
        Whether the padding zeros count in the divisor (default True); if False, each window divides by
        the number of its entries inside the input.
    divisor_override : int, optional
        Divide every window sum by this nonzero number instead.

    Returns
    -------
    Tensor, shape (N, C, Ho, Wo), sizes as for :func:`max_pool2d` (no dilation).

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.conv_ops import avg_pool2d
    >>> avg_pool2d(tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2).numpy()[0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    >>> avg_pool2d(tensor(np.ones((1, 1, 3, 3))), 2, padding=1, count_include_pad=False).numpy()[0, 0]
    array([[1., 1.],
           [1., 1.]])
    """
    return _avg_pool("avg_pool2d", 2, x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool1d(x: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Mean over each window of length ``kernel_size``: :func:`avg_pool2d` of the sequences as images of
    height 1 (PyTorch's ``avg_pool1d`` has no ``divisor_override``).

    Parameters
    ----------
    x : Tensor, shape (N, C, L) or (C, L)
    kernel_size : int or tuple of one int
    stride : int or tuple of one int, optional
        Defaults to ``kernel_size``.
    padding : int or tuple of one int, optional
        Zeros at each end, at most half the kernel.
    ceil_mode : bool, optional
        Round the output length up (default False); a last window that runs past the padded input divides
        by the number of its entries inside it.
    count_include_pad : bool, optional
        Whether the padding zeros count in the divisor (default True).

    Returns
    -------
    Tensor, shape (N, C, Lo) or (C, Lo).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.conv_ops import avg_pool1d
    >>> avg_pool1d(tensor([[1.0, 2.0, 3.0, 4.0]]), 2).tolist()
    [[1.5, 3.5]]
    >>> avg_pool1d(tensor([[1.0, 2.0, 3.0]]), 2, padding=1, count_include_pad=False).tolist()
    [[1.0, 2.5]]
    """
    return _avg_pool("avg_pool1d", 1, x, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


def _avg_pool(where: str, nd: int, x: Any, kernel_size: Any, stride: Any, padding: Any, ceil_mode: bool,
              count_include_pad: bool, divisor_override: Any) -> Tensor:
    """:func:`avg_pool2d` (``nd=2``) or :func:`avg_pool1d` (``nd=1``, a pooling of height 1)."""
    if divisor_override is not None:
        divisor_override = _check_divisor(where, divisor_override)
    x, unbatched, geom = _pool_args(where, x, kernel_size, stride, padding, 1, ceil_mode, nd)
    if ceil_mode or not count_include_pad or divisor_override is not None:
        scale = _avg_scale(geom, x.data.dtype, count_include_pad, divisor_override)
    else:
        scale = x.data.dtype.type(1.0 / (geom.kh * geom.kw))
    return _restore(result(_avg_forward(x.data, geom, scale), (x,), AVG_POOL2D, (geom, scale)), unbatched, nd)


# ------------------------------------------------------------------------------------------ sorted gathers
# A gather along one axis by a sorted index array, and its adjoint: adaptive average pooling sums its bins
# with them, and interpolation (nn.interpolation) reads and weights input entries. Neither multiplies
# anything by 0, so an inf or NaN stays in the outputs that read it, as in PyTorch.
def _runs(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values of the sorted index array ``idx`` starts, and its length."""
    starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
    return starts, np.diff(np.r_[starts, len(idx)])


def _scatter(g: np.ndarray, idx: np.ndarray, axis: int, n: int) -> np.ndarray:
    """The adjoint of ``np.take(x, idx, axis)`` for a sorted ``idx``: each slice of ``g`` added to slice
    ``idx[j]`` of a zero array whose ``axis`` has length ``n``. The k-th entries of all runs of equal
    indices name distinct slices, so each of the (longest run) passes is a plain fancy-indexed add."""
    out = np.zeros(g.shape[:axis] + (n,) + g.shape[axis + 1:], dtype=g.dtype)
    starts, lengths = _runs(idx)
    lead = (slice(None),) * axis
    out[lead + (idx[starts],)] = np.take(g, starts, axis=axis)
    for k in range(1, int(lengths.max(initial=1))):
        more = lengths > k
        out[lead + (idx[starts[more]],)] += np.take(g, starts[more] + k, axis=axis)
    return out


def _take_rule(node: Tensor, g: Tensor) -> tuple:
    return (_put(g, *node._ctx),)


def _take_array_rule(node: Tensor, g: np.ndarray) -> tuple:
    return (_scatter(g, *node._ctx),)


def _put_rule(node: Tensor, h: Tensor) -> tuple:
    idx, axis, _ = node._ctx
    return (_take(h, idx, axis),)


def _put_array_rule(node: Tensor, h: np.ndarray) -> tuple:
    idx, axis, _ = node._ctx
    return (np.take(h, idx, axis=axis),)


TAKE = TensorOp("take_sorted", _take_rule, _take_array_rule, reads_values=False)
PUT = TensorOp("take_sorted_backward", _put_rule, _put_array_rule, reads_values=False)


def _take(x: Tensor, idx: np.ndarray, axis: int) -> Tensor:
    """``np.take(x, idx, axis)`` for a sorted index array, recorded."""
    return result(np.take(x.data, idx, axis=axis), (x,), TAKE, (idx, axis, x.data.shape[axis]))


def _put(g: Tensor, idx: np.ndarray, axis: int, n: int) -> Tensor:
    return result(_scatter(g.data, idx, axis, n), (g,), PUT, (idx, axis, n))


# ------------------------------------------------------------------------------------------ adaptive pooling
def _adaptive_args(where: str, x: Any, output_size: Any, nd: int = 2) -> tuple[Tensor, bool, tuple[int, int]]:
    """The input (batched, float, (N, C, H, W)) and whether it was unbatched, and the output size as
    (Ho, Wo); with ``nd=1`` the input (N, C, L) or (C, L) gets a unit height, and so does the output."""
    x = _floating(_as_input(x, where))
    given = x.data.shape
    x, unbatched = _batched(x, where, nd)
    H, W = x.data.shape[2:]
    if H == 0 or W == 0:
        raise ValueError(f"{where}: got an input of shape {given}; expected a non-empty "
                         f"{'height and width' if nd == 2 else 'length'}")
    return x, unbatched, _lift(_adaptive_size(where, output_size, _given((H, W), nd), nd), 1)


def _adaptive_size(where: str, output_size: Any, input_size: tuple[int, ...], nd: int = 2) -> tuple[int, ...]:
    """``output_size`` as an ``nd``-tuple: an int, or a pair of ints or None (None keeping the input's
    size), or for ``nd=1`` an int or a tuple of one int (PyTorch's 1-D poolings take no None)."""
    sizes = (output_size,) * nd if is_int(output_size) else output_size
    if not (isinstance(sizes, (tuple, list)) and len(sizes) == nd
            and all(is_int(v) or (v is None and nd == 2) for v in sizes)):
        also = " (or None, which keeps the input's size)" if nd == 2 else ""
        raise TypeError(f"{where}: got output_size={output_size!r}; expected an int or {_TUPLE[nd]}{also}")
    if any(v is not None and v < 0 for v in sizes):
        raise ValueError(f"{where}: got output_size={output_size!r}; expected sizes >= 0")
    return tuple(n if v is None else int(v) for v, n in zip(sizes, input_size))


def _bins(n: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each of the ``n_out`` bins of an axis of length ``n`` starts and ends (exclusive): from
    floor(i * n / n_out) to ceil((i + 1) * n / n_out), so neighbouring bins may share an entry."""
    i = np.arange(n_out)
    return (i * n) // n_out, -(-(i + 1) * n // n_out)


def adaptive_avg_pool2d(x: Tensor, output_size: Any) -> Tensor:
    """Mean over each of ``Ho x Wo`` bins that tile the image, whatever its size.

    Bin ``i`` of an axis of length ``n`` pooled to ``n_out`` covers ``floor(i * n / n_out)`` up to
    ``ceil((i + 1) * n / n_out)`` (exclusive), as in PyTorch: bins are as equal as can be and
    neighbouring ones overlap by an entry when ``n_out`` does not divide ``n``.

    Parameters
    ----------
    x : Tensor, shape (N, C, H, W) or (C, H, W)
        H and W at least 1 (integer images are converted to the default dtype).
    output_size : int or pair of (int or None)
        ``(Ho, Wo)``; an int for both; None keeps that dimension's size.

    Returns
    -------
    Tensor, shape (N, C, Ho, Wo) or (C, Ho, Wo). The mean is a fixed linear map (sums along the rows,
    then along the columns, then a division by the bin's size), so every derivative comes from the engine;
    an inf or NaN reaches only the bins that hold it.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.conv_ops import adaptive_avg_pool2d
    >>> x = tensor(np.arange(15.0).reshape(1, 3, 5))
    >>> adaptive_avg_pool2d(x, (1, 2)).tolist()
    [[[6.0, 8.0]]]
    >>> adaptive_avg_pool2d(x, (None, 1)).tolist()
    [[[2.0], [7.0], [12.0]]]
    """
    return _adaptive_avg_pool("adaptive_avg_pool2d", 2, x, output_size)


def adaptive_avg_pool1d(x: Tensor, output_size: Any) -> Tensor:
    """Mean over each of ``Lo`` bins that tile the sequence, whatever its length: :func:`adaptive_avg_pool2d`
    of the sequences as images of height 1, with its bins.

    Parameters
    ----------
    x : Tensor, shape (N, C, L) or (C, L)
        L at least 1.
    output_size : int or tuple of one int

    Returns
    -------
    Tensor, shape (N, C, Lo) or (C, Lo).

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.conv_ops import adaptive_avg_pool1d
    >>> adaptive_avg_pool1d(tensor([[1.0, 2.0, 3.0, 4.0, 5.0]]), 2).tolist()
    [[2.0, 4.0]]
    """
    return _adaptive_avg_pool("adaptive_avg_pool1d", 1, x, output_size)


def _adaptive_avg_pool(where: str, nd: int, x: Any, output_size: Any) -> Tensor:
    """:func:`adaptive_avg_pool2d` (``nd=2``) or :func:`adaptive_avg_pool1d` (``nd=1``, height 1)."""
    x, unbatched, (Ho, Wo) = _adaptive_args(where, x, output_size, nd)
    if (Ho, Wo) == (1, 1):  # global average pooling, the usual case
        y = x.mean(axis=(2, 3), keepdims=True)
    else:
        row_sums, widths = _bin_sums(x, Wo, 3)
        sums, heights = _bin_sums(row_sums, Ho, 2)
        y = sums / Tensor(np.multiply.outer(heights, widths).astype(x.data.dtype))
    return _restore(y, unbatched, nd)


def _bin_sums(x: Tensor, n_out: int, axis: int) -> tuple[Tensor, np.ndarray]:
    """The sums of the ``n_out`` adaptive bins along ``axis`` (the k-th entries of all bins at least k + 1
    long added at once), and the bins' sizes."""
    n = x.data.shape[axis]
    if n_out == n:  # every bin is one entry
        return x, np.ones(n, dtype=np.int64)
    start, end = _bins(n, n_out)
    sizes = end - start
    total = _take(x, start, axis)
    for k in range(1, int(sizes.max(initial=1))):
        longer = np.flatnonzero(sizes > k)
        total = total + _put(_take(x, start[longer] + k, axis), longer, axis, n_out)
    return total, sizes


def adaptive_max_pool2d(x: Tensor, output_size: Any,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Maximum over each of ``Ho x Wo`` bins that tile the image, the bins of
    :func:`adaptive_avg_pool2d`.

    Parameters
    ----------
    x : Tensor, shape (N, C, H, W) or (C, H, W)
        H and W at least 1 (integer images are converted to the default dtype).
    output_size : int or pair of (int or None)
        ``(Ho, Wo)``; an int for both; None keeps that dimension's size.
    return_indices : bool, optional
        Also return the flat index ``row * W + col`` into the input's H x W plane of each output's entry
        (an int64 Tensor of the output's shape, default False).

    Returns
    -------
    Tensor, shape (N, C, Ho, Wo) or (C, Ho, Wo), or the pair ``(output, indices)``.

    Notes
    -----
    As in :func:`max_pool2d` and PyTorch, each output is the first maximum of its bin in row-major order
    (a bin holding NaN: its last NaN), and its gradient goes there; an entry shared by overlapping bins
    receives the sum of their gradients. The output is that entry read by indexing, so second derivatives
    come from the engine.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> from nn.conv_ops import adaptive_max_pool2d
    >>> x = tensor(np.array([[[1.0, 5.0, 2.0], [4.0, 0.0, 3.0]]]), requires_grad=True)
    >>> y, i = adaptive_max_pool2d(x, (1, 2), return_indices=True)
    >>> y.tolist(), i.tolist()
    ([[[5.0, 5.0]]], [[[1, 1]]])
    >>> y.sum().backward(); x.grad.tolist()
    [[[0.0, 2.0, 0.0], [0.0, 0.0, 0.0]]]
    """
    return _adaptive_max_pool("adaptive_max_pool2d", 2, x, output_size, return_indices)


def adaptive_max_pool1d(x: Tensor, output_size: Any,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Maximum over each of ``Lo`` bins that tile the sequence: :func:`adaptive_max_pool2d` of the
    sequences as images of height 1, with its bins and its rules for ties and NaN.

    Parameters
    ----------
    x : Tensor, shape (N, C, L) or (C, L)
        L at least 1.
    output_size : int or tuple of one int
    return_indices : bool, optional
        Also return the index into L of each output's entry (an int64 Tensor, default False).

    Returns
    -------
    Tensor, shape (N, C, Lo) or (C, Lo), or the pair ``(output, indices)``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.conv_ops import adaptive_max_pool1d
    >>> y, i = adaptive_max_pool1d(tensor([[1.0, 5.0, 2.0, 4.0, 0.0]]), 2, return_indices=True)
    >>> y.tolist(), i.tolist()
    ([[5.0, 4.0]], [[1, 3]])
    """
    return _adaptive_max_pool("adaptive_max_pool1d", 1, x, output_size, return_indices)


def _adaptive_max_pool(where: str, nd: int, x: Any, output_size: Any,
                       return_indices: bool) -> Tensor | tuple[Tensor, Tensor]:
    """:func:`adaptive_max_pool2d` (``nd=2``) or :func:`adaptive_max_pool1d` (``nd=1``, height 1)."""
    x, unbatched, (Ho, Wo) = _adaptive_args(where, x, output_size, nd)
    N, C, H, W = x.data.shape
    (rs, re), (cs, ce) = _bins(H, Ho), _bins(W, Wo)
    kh, kw = int((re - rs).max(initial=0)), int((ce - cs).max(initial=0))
    # every bin read as a kh x kw window; a shorter bin repeats its last row or column, which changes
    # neither its maximum nor which entry comes first (or last) in row-major order
    rows = np.minimum(rs[:, None] + np.arange(kh), re[:, None] - 1)  # (Ho, kh)
    cols = np.minimum(cs[:, None] + np.arange(kw), ce[:, None] - 1)  # (Wo, kw)
    windows = x.data[:, :, rows[:, None, :, None], cols[None, :, None, :]].reshape(N, C, Ho, Wo, kh * kw)
    choice = windows.argmax(axis=-1) if windows.size else np.zeros((N, C, Ho, Wo), dtype=np.int64)
    nan = np.isnan(windows)
    if nan.any():  # numpy's argmax takes the first NaN; PyTorch's gradient and index go to the last
        last = kh * kw - 1 - nan[..., ::-1].argmax(axis=-1)
        choice = np.where(nan.any(axis=-1), last, choice)
    a, b = np.divmod(choice, kw)
    r = rows[np.arange(Ho)[:, None], a]
    c = cols[np.arange(Wo), b]
    y = x[np.arange(N)[:, None, None, None], np.arange(C)[None, :, None, None], r, c]
    y = _restore(y, unbatched, nd)
    if not return_indices:
        return y
    return y, Tensor(_restore((r * W + c).astype(np.int64), unbatched, nd))


# ------------------------------------------------------------------------------------------ padding
def _pad_index(n: int, before: int, after: int, mode: str) -> np.ndarray:
    i = np.arange(-before, n + after)
    if mode == "circular":
        return i % n
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    # reflect (the edge is not repeated): -1 -> 1, n -> n - 2
    i = np.abs(i)
    return np.where(i > n - 1, 2 * (n - 1) - i, i)


def pad(x: Tensor, pad: Sequence[int], mode: str = "constant", value: float = 0.0) -> Tensor:
    """Pad the last dimensions, with PyTorch's ``F.pad`` convention: ``pad`` lists (before, after) pairs
    starting from the LAST dimension, e.g. ``(left, right, top, bottom)`` for an image.

    Parameters
    ----------
    x : Tensor
    pad : sequence of ints, even length <= 2 * x.ndim
        Negative widths crop.
    mode : {"constant", "reflect", "replicate", "circular"}, optional
        ``constant`` fills with ``value``; ``reflect`` mirrors without repeating the edge (width < size);
        ``replicate`` repeats the edge; ``circular`` wraps around (width <= size), which makes a following
        convolution commute with cyclic shifts (np.roll).
    value : float, optional
        The fill value for ``constant``.

    Examples
    --------
    >>> from autograd import tensor
    >>> from nn.conv_ops import pad
    >>> pad(tensor([[1.0, 2.0]]), (1, 0, 0, 1)).tolist()
    [[0.0, 1.0, 2.0], [0.0, 0.0, 0.0]]
    >>> pad(tensor([[1.0, 2.0, 3.0]]), (1, 1), mode="circular").tolist()
    [[3.0, 1.0, 2.0, 3.0, 1.0]]
    """
    where = "pad"
    x = _as_input(x, where)
    if mode not in _PAD_MODES:
        raise ValueError(f"{where}: got mode={mode!r}; expected one of {', '.join(map(repr, _PAD_MODES))}")
    widths = tuple(pad) if isinstance(pad, (tuple, list)) else None
    if (widths is None or len(widths) % 2 or len(widths) // 2 > x.data.ndim
            or not all(map(is_int, widths))):
        raise ValueError(
            f"{where}: got pad={pad!r} for a tensor of shape {x.data.shape}; expected an even-length "
            f"sequence of at most {2 * x.data.ndim} ints, (before, after) pairs starting from the last "
            "dimension"
        )
    ndim = x.data.ndim
    pairs = [(0, 0)] * ndim
    for i in range(len(widths) // 2):
        pairs[ndim - 1 - i] = (int(widths[2 * i]), int(widths[2 * i + 1]))
    if any(b < 0 or e < 0 for b, e in pairs):  # crop first
        index = tuple(slice(max(-b, 0), n - max(-e, 0)) for (b, e), n in zip(pairs, x.data.shape))
        if any(s.stop - s.start < 0 for s in index):
            raise ValueError(f"{where}: pad={tuple(widths)} crops more than the shape {x.data.shape} holds")
        x = x[index]
        pairs = [(max(b, 0), max(e, 0)) for b, e in pairs]
    if not any(b or e for b, e in pairs):
        return x
    if mode == "constant":
        from autograd.ops.combine import pad as _np_pad

        return _np_pad(x, tuple(pairs), value=value)
    for axis, ((b, e), n) in enumerate(zip(pairs, x.data.shape)):
        if not (b or e):
            continue
        limit = n - 1 if mode == "reflect" else n
        if (mode != "replicate" and max(b, e) > limit) or n == 0:
            raise ValueError(
                f"{where}: {mode} padding ({b}, {e}) of dimension {axis} needs widths at most {limit} "
                f"for its size {n}"
            )
        x = x[(slice(None),) * axis + (_pad_index(n, b, e, mode),)]
    return x
