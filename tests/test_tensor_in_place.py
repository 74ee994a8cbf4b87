"""In-place operators, item assignment, iteration and numpy conversion of Tensors, as PyTorch users write
them."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor, no_grad, tensor


def t64(values, requires_grad=False):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_an_sgd_loop_over_a_parameter_list_updates_the_parameters():
    w = t64([1.0, 2.0], requires_grad=True)
    params = [w]
    (w * w).sum().backward()
    with no_grad():
        for p in params:
            p -= 0.25 * p.grad  # binds p only; the tensor itself must change
    np.testing.assert_array_equal(w.data, [0.5, 1.0])
    assert w.requires_grad and w.is_leaf
    w.grad = None
    (w * w).sum().backward()  # still a leaf of the next step's graph
    np.testing.assert_array_equal(w.grad.data, [1.0, 2.0])


@pytest.mark.parametrize("op, expected", [("+=", [3.0, 6.0]), ("-=", [-1.0, -2.0]), ("*=", [2.0, 8.0]),
                                          ("/=", [0.5, 0.5]), ("**=", [1.0, 16.0])])
def test_every_in_place_operator_changes_the_tensor_and_its_aliases(op, expected):
    a = t64([1.0, 2.0])
    alias = a
    other = t64([2.0, 4.0])
    namespace = {"a": a, "other": other}
    exec(f"a {op} other", namespace)
    assert namespace["a"] is alias
    np.testing.assert_array_equal(alias.data, expected)


def test_scaling_a_gradient_in_place_changes_the_gradient():
    x = t64([1.0, 2.0], requires_grad=True)
    (x * 3.0).sum().backward()
    g = x.grad
    g *= 0.5
    np.testing.assert_array_equal(x.grad.data, [1.5, 1.5])


def test_a_leaf_that_requires_grad_is_not_changed_in_place_while_recording():
    x = t64([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"\+=: a leaf tensor that requires grad .*no_grad"):
        x += 1.0
    np.testing.assert_array_equal(x.data, [1.0, 2.0])


def test_an_interior_tensor_is_updated_as_a_recorded_operation():
    x = t64([1.0, 2.0], requires_grad=True)
    h = x * 2.0
    h += x  # recorded: h is now x * 2 + x
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_in_place_updates_keep_dtype_and_shape_or_say_why_not():
    ints = Tensor(np.array([2, 4]))
    with pytest.raises(TypeError, match=r"/=: cannot update a tensor of shape \(2,\) and dtype int64"):
        ints /= 2
    ints += 1
    assert ints.dtype == np.int64 and ints.tolist() == [3, 5]
    one = t64([1.0])
    with pytest.raises(ValueError, match=r"\+=: cannot update a tensor of shape \(1,\) .* shape \(2,\)"):
        one += t64([1.0, 2.0])
    f32 = Tensor(np.array([1.0], dtype=np.float32))
    f32 += t64([0.5])  # float64 into float32: the same kind, as PyTorch allows
    assert f32.dtype == np.float32 and f32.tolist() == [1.5]


def test_in_place_updates_vs_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = t64([1.0, -2.0, 3.0]), torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64)
    others = (t64([0.5, 0.25, 2.0]), torch.tensor([0.5, 0.25, 2.0], dtype=torch.float64))
    for t, lib_other in zip((ours, theirs), others):
        t += lib_other
        t *= 3.0
        t -= 1.0
        t /= lib_other
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-15)


def test_item_assignment():
    t = t64(np.zeros((2, 3)))
    t[0] = t64([1.0, 2.0, 3.0])
    t[1, Tensor(np.array([0, 2]))] = 5.0
    np.testing.assert_array_equal(t.data, [[1.0, 2.0, 3.0], [5.0, 0.0, 5.0]])
    w = t64([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="setitem: cannot assign into a tensor while gradients are"):
        w[0] = 0.0
    with no_grad():
        w[0] = 0.0
    np.testing.assert_array_equal(w.data, [0.0, 2.0])


def test_iteration_gives_rows_and_refuses_a_0d_tensor():
    x = t64([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(x)
    assert [r.tolist() for r in rows] == [[1.0, 2.0], [3.0, 4.0]]
    (rows[0] * rows[1]).sum().backward()  # each row is recorded, as x[i] is
    np.testing.assert_array_equal(x.grad.data, [[3.0, 4.0], [1.0, 2.0]])
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        list(Tensor(5.0))


def test_numpy_conversion_copies_when_asked():
    t = t64([1.0, 2.0])
    np.array(t, copy=True)[0] = 100.0
    np.copy(t)[1] = 100.0
    assert t.tolist() == [1.0, 2.0]
    assert np.asarray(t) is t.data  # no copy unless asked: np.asarray shares, like t.numpy()
    assert np.asarray(t, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="cannot be given as float32 without a copy"):
        np.asarray(t, dtype=np.float32, copy=False)


def test_tensor_copies_its_data_and_Tensor_wraps_it():
    a = np.zeros(2)
    copied, wrapped = tensor(a), Tensor(a)
    a[0] = 1.0
    assert copied.tolist() == [0.0, 0.0]
    assert wrapped.tolist() == [1.0, 0.0]
    source = t64([1.0], requires_grad=True)
    again = tensor(source)
    again.data[0] = 5.0
    assert source.tolist() == [1.0] and not again.requires_grad
    assert autograd.tensor([1, 2]).dtype == np.int64


def test_tensor_copies_buffers_and_array_likes():
    buffer = bytearray(np.arange(3.0).tobytes())
    t = tensor(memoryview(buffer).cast("d"))
    t.data[0] = 9.0
    assert np.frombuffer(buffer)[0] == 0.0
    torch = pytest.importorskip("torch")
    source = torch.zeros(3)
    copied = tensor(source)
    copied.data[0] = 5.0
    assert source.tolist() == [0.0, 0.0, 0.0] and copied.dtype == np.float32


def test_updating_read_only_data_in_place_says_so():
    x = t64([1.0, 2.0]).expand(3, 2)
    with pytest.raises(ValueError, match=r"\+=: this tensor's data is read-only"):
        x += 1.0
