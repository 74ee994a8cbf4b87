"""``scatter_reduce`` (and ``scatter_reduce_``), ``index_put`` (and ``index_put_``) and ``detach_``.

Against torch: values, dtypes, gradients in float64 (ties of amax/amin and zeros of prod included) and
which calls raise; on their own: ``gradcheck``/``gradgradcheck``, the messages of the errors, and the
rules of in-place methods (nothing recorded, every change stamped for the backward pass's check)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor, gradcheck, gradgradcheck

torch = pytest.importorskip("torch")

REDUCTIONS = ["sum", "prod", "mean", "amax", "amin"]
_RNG = np.random.default_rng(20260521)


def _pair(a: np.ndarray, grad: bool = True) -> tuple[Tensor, object]:
    """The same float64 data as a chaingrad leaf and a torch leaf."""
    return autograd.tensor(a, requires_grad=grad), torch.tensor(a, requires_grad=grad)


def _torch_self(a: np.ndarray, dim: int, index: np.ndarray, reduce: str, include_self: bool) -> np.ndarray:
    """The tensor to give PyTorch for a comparison: where ``include_self=False`` leaves its values out of
    amax/amin, they are moved beyond every src value. The output is the same, and PyTorch then counts no
    tie with them (it counts such ties and loses their share: a documented difference, tested below)."""
    if include_self or reduce not in ("amax", "amin"):
        return a
    out = a.copy()
    np.put_along_axis(out, index, -np.inf if reduce == "amax" else np.inf, axis=dim)
    return out


def _both_raise(ours, theirs, cls, match):
    with pytest.raises(cls, match=match):
        ours()
    with pytest.raises(Exception):  # noqa: B017 - torch's class differs (mostly RuntimeError)
        theirs()


# ------------------------------------------------------------------------------------------ scatter_reduce

# (self, dim, index, src): repeated indices, ties and zeros (torch's backward refuses a src larger than the
# index: see test_scatter_reduce_uses_the_corner_of_a_larger_src)
SELF = np.array([[3.0, 2.0, 7.0, 4.0], [0.0, 5.0, 5.0, 1.0]])
INDEX = np.array([[0, 1, 0, 1, 2], [3, 3, 1, 1, 1]])
SRC = np.array([[3.0, 6.0, 1.0, 6.0, 5.0], [0.0, 2.0, 5.0, 0.0, 5.0]])
GRAD = np.arange(1.0, 9.0).reshape(2, 4)


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", REDUCTIONS)
def test_scatter_reduce_values_and_gradients_match_torch(reduce, include_self):
    x, _ = _pair(SELF)
    tx = torch.tensor(_torch_self(SELF, 1, INDEX, reduce, include_self), requires_grad=True)
    s, ts = _pair(SRC)
    out = autograd.scatter_reduce(x, 1, autograd.tensor(INDEX), s, reduce, include_self=include_self)
    tout = torch.scatter_reduce(tx, 1, torch.tensor(INDEX), ts, reduce, include_self=include_self)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-12)
    out.backward(autograd.tensor(GRAD))
    tout.backward(torch.tensor(GRAD))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(s.grad.numpy(), ts.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", REDUCTIONS)
def test_scatter_reduce_along_dim_0_with_the_method(reduce, include_self):
    index = INDEX.T.copy()
    x, _ = _pair(SELF.T.copy())
    tx = torch.tensor(_torch_self(SELF.T.copy(), 0, index, reduce, include_self), requires_grad=True)
    s, ts = _pair(SRC.T.copy())
    out = x.scatter_reduce(0, index, s, reduce, include_self=include_self)
    tout = tx.scatter_reduce(0, torch.tensor(index), ts, reduce, include_self=include_self)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-12)
    (out * out).sum().backward()
    (tout * tout).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(s.grad.numpy(), ts.grad.numpy(), rtol=1e-12, atol=1e-15)



@pytest.mark.parametrize("reduce, value", [("amax", 5.0), ("amin", -5.0)])
def test_scatter_reduce_counts_no_tie_with_a_left_out_value(reduce, value):
    # the result is src's first value alone; the tensor's equal value took no part (hand math)
    x = autograd.tensor([value], requires_grad=True)
    s = autograd.tensor([value, 0.0], requires_grad=True)
    out = x.scatter_reduce(0, [0, 0], s, reduce, include_self=False)
    out.backward(autograd.tensor([1.0]))
    assert out.tolist() == [value] and x.grad.tolist() == [0.0] and s.grad.tolist() == [1.0, 0.0]
    tx, ts = torch.tensor([value], requires_grad=True), torch.tensor([value, 0.0], requires_grad=True)
    tx.scatter_reduce(0, torch.tensor([0, 0]), ts, reduce, include_self=False).backward(torch.ones(1))
    assert ts.grad.tolist() == [0.5, 0.0]  # PyTorch's share for the left-out value is lost


def test_scatter_reduce_uses_the_corner_of_a_larger_src():
    x = autograd.tensor(np.array([1.0, 2.0]), requires_grad=True)
    src = autograd.tensor(np.array([3.0, 4.0, 5.0]), requires_grad=True)
    out = x.scatter_reduce(0, [1, 1], src, "prod")
    assert out.tolist() == [1.0, 24.0]  # 2 * 3 * 4; the 5 is not used
    (out * autograd.tensor(np.array([10.0, 100.0]))).sum().backward()
    assert x.grad.tolist() == [10.0, 1200.0]
    assert src.grad.tolist() == [800.0, 600.0, 0.0]


@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", REDUCTIONS)
def test_scatter_reduce_passes_gradcheck_and_gradgradcheck(reduce, include_self):
    # distinct values with no zeros: every reduction is smooth there
    x = _RNG.uniform(0.5, 2.0, (2, 3))
    src = _RNG.uniform(0.5, 2.0, (2, 4))
    index = np.array([[0, 2, 0, 0], [1, 1, 2, 1]])

    def f(a, b):
        return autograd.scatter_reduce(a, 1, index, b, reduce, include_self=include_self)

    assert gradcheck(f, [x, src])
    assert gradgradcheck(f, [x, src])


def test_scatter_reduce_prod_with_one_zero_per_position_differentiates_twice():
    x = np.array([0.0, 2.0, 3.0])
    src = np.array([1.5, 0.0, 4.0, 0.5])  # position 0: self is the zero; position 1: a src zero
    index = np.array([0, 1, 1, 2])

    def f(a, b):
        return autograd.scatter_reduce(a, 0, index, b, "prod")

    assert gradcheck(f, [x, src])
    assert gradgradcheck(f, [x, src])


def test_scatter_reduce_prod_refuses_double_backward_with_two_src_zeros_at_one_position():
    x, tx = _pair(np.array([2.0, 3.0]))
    s, ts = _pair(np.array([0.0, 0.0, 4.0]))
    index = np.array([0, 0, 1])
    gx, gs = autograd.grad(autograd.scatter_reduce(x, 0, index, s, "prod").sum(), (x, s), create_graph=True)
    tgx, tgs = torch.autograd.grad(torch.scatter_reduce(tx, 0, torch.tensor(index), ts, "prod").sum(),
                                   (tx, ts), create_graph=True)
    np.testing.assert_allclose(gx.numpy(), tgx.detach().numpy())
    np.testing.assert_allclose(gs.numpy(), tgs.detach().numpy())
    with pytest.raises(RuntimeError, match="^scatter_reduce: cannot differentiate"):
        gs.sum().backward()
    with pytest.raises(RuntimeError):
        tgs.sum().backward()


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8"])
@pytest.mark.parametrize("reduce", REDUCTIONS)
def test_scatter_reduce_on_integers_matches_torch(reduce, dtype):
    x = np.array([[7, 2, 9], [1, 4, 6]], dtype=dtype)
    src = np.array([[3, 5, 2, 8], [2, 2, 7, 1]], dtype=dtype)
    index = np.array([[0, 0, 2, 0], [1, 1, 1, 2]])
    for include_self in (True, False):
        out = autograd.tensor(x).scatter_reduce(1, index, autograd.tensor(src), reduce,
                                                include_self=include_self)
        tout = torch.tensor(x).scatter_reduce(1, torch.tensor(index), torch.tensor(src), reduce,
                                              include_self=include_self)
        assert out.dtype == np.dtype(dtype)
        assert out.tolist() == tout.tolist()


def test_scatter_reduce_integer_mean_rounds_down_as_torch():
    x = np.array([-7, 0])
    out = autograd.tensor(x).scatter_reduce(0, [0, 0], autograd.tensor([1, 1]), "mean")
    assert out.tolist() == [-2, 0] == torch.tensor(x).scatter_reduce(0, torch.tensor([0, 0]),
                                                                     torch.tensor([1, 1]), "mean").tolist()


@pytest.mark.parametrize("reduce", ["sum", "prod", "amax", "amin"])
def test_scatter_reduce_on_bools_and_float32_matches_torch(reduce):
    x, src = np.array([True, False, False]), np.array([False, True, True, False])
    index = np.array([0, 1, 1, 2])
    out = autograd.tensor(x).scatter_reduce(0, index, autograd.tensor(src), reduce)
    tout = torch.tensor(x).scatter_reduce(0, torch.tensor(index), torch.tensor(src), reduce)
    assert out.dtype == np.bool_ and out.tolist() == tout.tolist()
    f = np.array([1.5, -2.0, 0.25], dtype=np.float32)
    fs = np.array([3.0, 0.5, -1.0, 2.0], dtype=np.float32)
    out = autograd.tensor(f).scatter_reduce(0, index, autograd.tensor(fs), reduce, include_self=False)
    tout = torch.tensor(f).scatter_reduce(0, torch.tensor(index), torch.tensor(fs), reduce,
                                          include_self=False)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), tout.numpy())


def test_scatter_reduce_of_a_0d_tensor_and_nan_as_torch():
    x, tx = _pair(np.array(5.0))
    s, ts = _pair(np.array(3.0))
    out = x.scatter_reduce(0, 0, s, "prod")
    tout = tx.scatter_reduce(0, torch.tensor(0), ts, "prod")
    assert out.shape == () and out.item() == tout.item() == 15.0
    out.backward()
    tout.backward()
    assert (x.grad.item(), s.grad.item()) == (tx.grad.item(), ts.grad.item()) == (3.0, 5.0)
    nan = autograd.tensor([1.0, 2.0]).scatter_reduce(0, [0, 0], autograd.tensor([3.0, np.nan]), "amax")
    assert np.isnan(nan.numpy()[0]) and nan.numpy()[1] == 2.0


def test_scatter_reduce_bad_arguments_raise_errors_naming_the_op():
    x, s = autograd.tensor(SELF), autograd.tensor(SRC)
    tx, ts, ti = torch.tensor(SELF), torch.tensor(SRC), torch.tensor(INDEX)
    _both_raise(lambda: x.scatter_reduce(1, INDEX, s, "add"), lambda: tx.scatter_reduce(1, ti, ts, "add"),
                ValueError, r"^scatter_reduce: got reduce='add'; expected one of 'sum'")
    _both_raise(lambda: x.scatter_reduce(1, INDEX, s, "sum", include_self=1),
                lambda: tx.scatter_reduce(1, ti, ts, "sum", include_self=1),
                TypeError, r"^scatter_reduce: got include_self of type int \(1\); expected a bool")
    _both_raise(lambda: x.scatter_reduce(1, INDEX, s.float(), "sum"),
                lambda: tx.scatter_reduce(1, ti, ts.float(), "sum"),
                TypeError, r"^scatter_reduce: got a source of dtype float32 for a tensor of dtype float64")
    _both_raise(lambda: x.scatter_reduce(1, INDEX + 3, s, "sum"),
                lambda: tx.scatter_reduce(1, ti + 3, ts, "sum"),
                IndexError, r"^scatter_reduce: index 6 is out of bounds for dim 1 with size 4")
    _both_raise(lambda: x.scatter_reduce(1, INDEX[0], s, "sum"),
                lambda: tx.scatter_reduce(1, ti[0], ts, "sum"),
                ValueError, r"^scatter_reduce: got an index of shape \(5,\) for the input of shape \(2, 4\)")
    _both_raise(lambda: x.scatter_reduce(1, INDEX, s[:, :3], "sum"),
                lambda: tx.scatter_reduce(1, ti, ts[:, :3], "sum"),
                ValueError, r"^scatter_reduce: got an index of shape \(2, 5\) for src of shape \(2, 3\)")
    _both_raise(lambda: x.scatter_reduce(2, INDEX, s, "sum"), lambda: tx.scatter_reduce(2, ti, ts, "sum"),
                IndexError, r"^scatter_reduce: ")
    _both_raise(lambda: x.scatter_reduce(1, INDEX.astype(float), s, "sum"),
                lambda: tx.scatter_reduce(1, ti.double(), ts, "sum"),
                TypeError, r"^scatter_reduce: got index of dtype float64")
    b = np.array([True, False])
    _both_raise(lambda: autograd.tensor(b).scatter_reduce(0, [0], autograd.tensor([True]), "mean"),
                lambda: torch.tensor(b).scatter_reduce(0, torch.tensor([0]), torch.tensor([True]), "mean"),
                TypeError, r"^scatter_reduce: got a tensor of dtype bool with reduce='mean'")


def test_scatter_reduce_in_place_writes_back_and_follows_the_in_place_rules():
    x = autograd.tensor(SELF.copy())
    expected = autograd.scatter_reduce(x, 1, INDEX, autograd.tensor(SRC), "amin", include_self=False).numpy()
    assert x.scatter_reduce_(1, INDEX, autograd.tensor(SRC), "amin", include_self=False) is x
    np.testing.assert_array_equal(x.numpy(), expected)
    t = torch.tensor(SELF).scatter_reduce_(1, torch.tensor(INDEX), torch.tensor(SRC), "amin",
                                           include_self=False)
    np.testing.assert_array_equal(x.numpy(), t.numpy())
    leaf = autograd.tensor(SELF, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^scatter_reduce_: cannot change a tensor in place while"):
        leaf.scatter_reduce_(1, INDEX, autograd.tensor(SRC), "sum")
    with pytest.raises(RuntimeError):
        torch.tensor(SELF, requires_grad=True).scatter_reduce_(1, torch.tensor(INDEX), torch.tensor(SRC),
                                                               "sum")
    with pytest.raises(ValueError, match=r"^scatter_reduce_: got reduce='max'"):
        x.scatter_reduce_(1, INDEX, autograd.tensor(SRC), "max")
    w = autograd.tensor(np.array([1.0, 2.0]), requires_grad=True)
    data = autograd.tensor(np.array([3.0, 4.0]))
    loss = (w * data).sum()
    data.scatter_reduce_(0, [0], autograd.tensor(np.array([9.0])), "sum")
    with pytest.raises(RuntimeError, match=r"which scatter_reduce_ changed in place"):
        loss.backward()


# ------------------------------------------------------------------------------------------ index_put

X = np.arange(12.0).reshape(3, 4) / 4 - 1


def _index_put_pair(indices, values, accumulate=False):
    """index_put on X with chaingrad and with torch (float64, leaves that require grad); the outputs and
    the gradients of a weighted sum."""
    x, tx = _pair(X)
    v, tv = _pair(values)
    out = x.index_put(tuple(autograd.tensor(i) for i in indices), v, accumulate=accumulate)
    tout = tx.index_put(tuple(torch.tensor(i) for i in indices), tv, accumulate=accumulate)
    weights = np.arange(1.0, 13.0).reshape(3, 4)
    (out * autograd.tensor(weights)).sum().backward()
    (tout * torch.tensor(weights)).sum().backward()
    return (out, x, v), (tout, tx, tv)


INDEX_PUT_CASES = {
    "two int indices": ((np.array([0, 2]), np.array([1, -1])), np.array([5.0, 6.0])),
    "one index, rows": ((np.array([2, 0]),), np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])),
    "a value broadcast": ((np.array([0, 2]),), np.array([7.0])),
    "a 0-d value": ((np.array([1]), np.array([2])), np.array(7.0)),
    "broadcast indices": ((np.array([[0], [2]]), np.array([0, 1, 3])), np.array([1.0, 2.0, 3.0])),
    "int32 indices": ((np.array([1, 2], dtype=np.int32),), np.array([[1.0], [2.0]])),
    "a bool mask of rows": ((np.array([True, False, True]),), np.array([9.0, 8.0, 7.0, 6.0])),
    "a bool mask of entries": ((X > 0.5,), np.array([3.0])),
    "a mask and an index": ((np.array([0, 2]), np.array([True, False, False, True])), np.array([4.0, 5.0])),
    "an empty index": ((np.array([], dtype=np.int64),), np.array(2.0)),
}


@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("case", sorted(INDEX_PUT_CASES))
def test_index_put_values_and_gradients_match_torch(case, accumulate):
    indices, values = INDEX_PUT_CASES[case]
    (out, x, v), (tout, tx, tv) = _index_put_pair(indices, values, accumulate)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.numpy(), tout.detach().numpy())
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())
    np.testing.assert_array_equal(v.grad.numpy(), tv.grad.numpy())


def test_index_put_accumulate_sums_repeated_positions_as_torch():
    indices = (np.array([[0, 0, 2], [0, 0, 2]]), np.array([1, 1, 3]))
    (out, x, v), (tout, tx, tv) = _index_put_pair(indices, np.array([[1.0], [2.0]]), accumulate=True)
    np.testing.assert_array_equal(out.numpy(), tout.detach().numpy())
    assert out.numpy()[0, 1] == X[0, 1] + 6.0  # 1 + 1 + 2 + 2 added at one position
    np.testing.assert_array_equal(v.grad.numpy(), tv.grad.numpy())
    ints = autograd.tensor([1, 2]).index_put(([0, 0],), autograd.tensor(5), accumulate=True)
    tints = torch.tensor([1, 2]).index_put((torch.tensor([0, 0]),), torch.tensor(5), accumulate=True)
    assert ints.tolist() == [11, 2] == tints.tolist()


@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_passes_gradcheck_and_gradgradcheck(accumulate):
    index = (np.array([[0], [2]]), np.array([3, 1]))

    def f(a, b):
        return autograd.index_put(a * a, index, b * b, accumulate=accumulate)

    assert gradcheck(f, [_RNG.standard_normal((3, 4)), _RNG.standard_normal((2,))])
    assert gradgradcheck(f, [_RNG.standard_normal((3, 4)), _RNG.standard_normal((2,))])


def test_index_put_bad_arguments_raise_errors_naming_the_op():
    x, tx = autograd.tensor(X), torch.tensor(X)
    v, tv = autograd.tensor(np.array(1.0)), torch.tensor(1.0, dtype=torch.float64)
    i, ti = autograd.tensor([0, 2]), torch.tensor([0, 2])
    _both_raise(lambda: x.index_put(i, v), lambda: tx.index_put(ti, tv),
                TypeError, r"^index_put: got indices of type Tensor")
    _both_raise(lambda: x.index_put((i.float(),), v), lambda: tx.index_put((ti.float(),), tv),
                IndexError, r"^index_put: got index 0 of dtype float32; expected int64, int32 or bool")
    _both_raise(lambda: x.index_put((i + 1,), v), lambda: tx.index_put((ti + 1,), tv),
                IndexError, r"^index_put: index 3 is out of bounds for dim 0 with size 3")
    _both_raise(lambda: x.index_put((i - 5,), v), lambda: tx.index_put((ti - 5,), tv),
                IndexError, r"^index_put: index -5 is out of bounds for dim 0 with size 3")
    _both_raise(lambda: x.index_put((i, i, i), v), lambda: tx.index_put((ti, ti, ti), tv),
                IndexError, r"^index_put: got indices for 3 dimensions of a tensor of shape \(3, 4\)")
    _both_raise(lambda: x.index_put((autograd.tensor([True, False]),), v),
                lambda: tx.index_put((torch.tensor([True, False]),), tv),
                IndexError, r"^index_put: got mask 0 of shape \(2,\) for dimensions 0 to 0")
    _both_raise(lambda: x.index_put((i, autograd.tensor([0, 1, 2])), v),
                lambda: tx.index_put((ti, torch.tensor([0, 1, 2])), tv),
                IndexError, r"^index_put: got index tensors of shapes \(2,\), \(3,\)")
    _both_raise(lambda: x.index_put((i, i), autograd.tensor(np.ones(3))),
                lambda: tx.index_put((ti, ti), torch.ones(3, dtype=torch.float64)),
                ValueError, r"^index_put: got values of shape \(3,\) for the indexed shape \(2,\)")
    _both_raise(lambda: x.index_put((i,), v.float()), lambda: tx.index_put((ti,), tv.float()),
                TypeError, r"^index_put: got a source of dtype float32 for a tensor of dtype float64")
    _both_raise(lambda: x.index_put((i,), v, accumulate=1), lambda: tx.index_put((ti,), tv, accumulate=1),
                TypeError, r"^index_put: got accumulate of type int \(1\); expected a bool")
    _both_raise(lambda: autograd.tensor(3.0).index_put((autograd.tensor(0),), v),
                lambda: torch.tensor(3.0).index_put((torch.tensor(0),), tv),
                IndexError, r"^index_put: got indices for 1 dimensions of a tensor of shape \(\)")


def test_index_put_in_place_writes_back_and_follows_the_in_place_rules():
    x = autograd.tensor(X.copy())
    mask = X > 0
    assert x.index_put_((autograd.tensor(mask),), autograd.tensor(np.array(0.0))) is x
    t = torch.tensor(X).index_put_((torch.tensor(mask),), torch.tensor(0.0, dtype=torch.float64))
    np.testing.assert_array_equal(x.numpy(), t.numpy())
    x.index_put_((autograd.tensor([0, 0]),), autograd.tensor(np.ones(4)), accumulate=True)
    t.index_put_((torch.tensor([0, 0]),), torch.ones(4, dtype=torch.float64), accumulate=True)
    np.testing.assert_array_equal(x.numpy(), t.numpy())
    leaf = autograd.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^index_put_: cannot change a tensor in place while"):
        leaf.index_put_((autograd.tensor([0]),), autograd.tensor(np.array(1.0)))
    with pytest.raises(RuntimeError):
        torch.tensor(X, requires_grad=True).index_put_((torch.tensor([0]),),
                                                       torch.tensor(1.0, dtype=torch.float64))
    with pytest.raises(IndexError, match=r"^index_put_: index 3 is out of bounds"):
        x.index_put_((autograd.tensor([3]),), autograd.tensor(np.array(1.0)))
    w = autograd.tensor(np.array([1.0, 2.0]), requires_grad=True)
    data = autograd.tensor(np.array([3.0, 4.0]))
    loss = (w * data).sum()
    data.index_put_((autograd.tensor([1]),), autograd.tensor(np.array(9.0)))
    with pytest.raises(RuntimeError, match=r"which index_put_ changed in place"):
        loss.backward()


# ------------------------------------------------------------------------------------------ detach_


def test_detach_in_place_on_a_leaf_keeps_its_data_and_grad_as_torch():
    x, tx = _pair(np.array([1.0, 2.0]))
    (x * x).sum().backward()
    (tx * tx).sum().backward()
    assert x.detach_() is x and tx.detach_() is tx
    assert (x.requires_grad, x.is_leaf, x.grad_fn) == (tx.requires_grad, tx.is_leaf, tx.grad_fn) == (
        False, True, None)
    assert x.grad.tolist() == tx.grad.tolist() == [2.0, 4.0]
    assert not (x * 2).requires_grad


def test_detach_in_place_on_a_computed_tensor_makes_it_a_leaf_as_torch():
    x, tx = _pair(np.array([1.0, 2.0]))
    h, th = x * 2, tx * 2
    assert h.detach_() is h and th.detach_() is th
    assert (h.requires_grad, h.is_leaf, h.grad_fn, h.op) == (False, True, None, "")
    assert (th.requires_grad, th.is_leaf, th.grad_fn) == (False, True, None)
    assert h.tolist() == th.tolist() == [2.0, 4.0]
    w, tw = _pair(np.array([3.0, 5.0]))
    (h * w).sum().backward()  # a new graph uses it as a constant
    (th * tw).sum().backward()
    assert w.grad.tolist() == tw.grad.tolist() == [2.0, 4.0]
    assert x.grad is None and tx.grad is None
    h.requires_grad_()  # a leaf again, which may require grad
    (h * h).sum().backward()
    assert h.grad.tolist() == [4.0, 8.0]


def test_detach_in_place_refuses_a_view_as_torch():
    x, tx = _pair(np.arange(6.0).reshape(2, 3))
    views = [(x[1:], tx[1:]), (x.reshape(3, 2), tx.reshape(3, 2)), ((x * 2)[:, None], (tx * 2)[:, None]),
             (x.T, tx.T)]
    for view, tview in views:
        with pytest.raises(RuntimeError, match=r"^detach_: got a view of another tensor's memory"):
            view.detach_()
        with pytest.raises(RuntimeError, match="Can't detach views in-place"):
            tview.detach_()
        assert view.requires_grad


def test_backward_through_a_graph_that_used_a_tensor_detached_in_place_since_raises():
    x, tx = _pair(np.array([1.0, 2.0]))
    h, th = x * 2, tx * 2
    loss, tloss = (h * h).sum(), (th * th).sum()
    h.detach_()
    th.detach_()
    with pytest.raises(RuntimeError, match=r"^backward: 'mul' was recorded with its first operand computed "
                                           r"by an operation, which detach_\(\) cut from the graph"):
        loss.backward()
    with pytest.raises(RuntimeError, match="detached in-place"):
        tloss.backward()
    assert x.grad is None
    later = (x * 3).sum()  # graphs recorded after the change are not concerned
    later.backward()
    assert x.grad.tolist() == [3.0, 3.0]
