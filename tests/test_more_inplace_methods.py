"""The in-place methods PyTorch's initialisation and masking code uses: ``masked_fill_``, ``scatter_``,
``scatter_add_``, the random fills (``uniform_``, ``normal_``, ``bernoulli_`` here; ``random_``,
``exponential_``, ``geometric_``, ``cauchy_`` and ``log_normal_`` share the tests of their rules here, and
have their distributions tested in test_random_fills.py), which draw from the generator
``autograd.manual_seed`` seeds, and the shape changes ``squeeze_``, ``unsqueeze_``, ``t_`` and
``transpose_``, against torch and against the rules of in-place methods here (nothing recorded, every
change stamped for the backward pass's check)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor

DATA = np.array([[0.5, -1.25, 2.0], [3.0, 0.75, -0.5]])
MASK = np.array([True, False, True])


def _both(torch, data=DATA):
    return Tensor(data.copy()), torch.tensor(data.copy())


# ---------------------------------------------------------------------------------------------- masks


@pytest.mark.parametrize("mask, value", [
    (MASK, 9.5), (DATA > 0, -1.0), (np.array(True), 2.0), (MASK, "tensor"),
])
def test_masked_fill_changes_the_tensor_as_torch_does(mask, value, torch):
    ours, theirs = _both(torch)
    array = ours.data
    our_value, their_value = value, value
    if value == "tensor":
        our_value, their_value = Tensor(np.array(4.25)), torch.tensor(4.25)
    assert ours.masked_fill_(Tensor(mask), our_value) is ours and ours.data is array
    theirs.masked_fill_(torch.tensor(mask), their_value)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_masked_fill_truncates_a_float_into_an_integer_tensor_as_torch(torch):
    ours, theirs = Tensor(np.arange(3)), torch.arange(3)
    ours.masked_fill_(Tensor(MASK), 2.7)
    theirs.masked_fill_(torch.tensor(MASK), 2.7)
    assert ours.tolist() == theirs.tolist() == [2, 1, 2] and ours.dtype == np.int64


@pytest.mark.parametrize("mask, value, error, match", [
    (np.ones((2, 2, 3), dtype=bool), 1.0, ValueError, r"masked_fill_: got a mask of shape \(2, 2, 3\)"),
    (np.ones(3), 1.0, TypeError, "masked_fill_: got a mask of dtype float64; expected booleans"),
    (MASK, np.array([1.0]), ValueError, r"masked_fill_: got a value of shape \(1,\); expected a number"),
])
def test_masked_fill_refuses_what_torch_refuses(mask, value, error, match, torch):
    with pytest.raises(RuntimeError):
        torch.tensor(DATA).masked_fill_(torch.tensor(mask), torch.tensor(value))
    ours = Tensor(DATA.copy())
    with pytest.raises(error, match=match):
        ours.masked_fill_(Tensor(mask), Tensor(value))
    np.testing.assert_array_equal(ours.numpy(), DATA)  # unchanged


def test_masked_fill_with_a_value_that_requires_grad_is_refused_while_recording():
    x = Tensor(DATA.copy())
    value = Tensor(np.array(1.0), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"masked_fill_: cannot change a tensor in place .* "
                                           r"`x\.masked_fill\(mask, value\)`"):
        x.masked_fill_(Tensor(MASK), value)
    with autograd.no_grad():
        x.masked_fill_(Tensor(MASK), value)
    assert x.tolist()[0] == [1.0, -1.25, 1.0]


# -------------------------------------------------------------------------------------------- scatter


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
def test_scatter_and_scatter_add_in_place_match_torch(torch):
    index = np.array([[2, 0], [0, 1]])
    src = np.array([[10.0, 20.0], [30.0, 40.0]])
    calls = [
        lambda t, lib: t.scatter_(1, lib.tensor(index), lib.tensor(src)),
        lambda t, lib: t.scatter_(0, lib.tensor([[1, 0, 1]]), 7.5),
        lambda t, lib: t.scatter_(1, lib.tensor(index), lib.tensor(src), reduce="add"),
        lambda t, lib: t.scatter_add_(1, lib.tensor([[0, 0], [2, 2]]), lib.tensor(src)),
    ]
    for call in calls:
        ours, theirs = _both(torch)
        array = ours.data
        assert call(ours, autograd) is ours and ours.data is array
        call(theirs, torch)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    # written out for scatter_add_: row 0 gets 10 + 20 at column 0, row 1 gets 30 + 40 at column 2
    x = Tensor(np.zeros((2, 3)))
    assert x.scatter_add_(1, [[0, 0], [2, 2]], src).tolist() == [[30.0, 0, 0], [0, 0, 70.0]]


def test_scatter_errors_name_the_in_place_method():
    with pytest.raises(IndexError, match=r"^scatter_: index 5 is out of bounds"):
        Tensor(np.zeros(3)).scatter_(0, [5], 1.0)
    with pytest.raises(RuntimeError, match=r"scatter_add_: cannot change a tensor in place"):
        Tensor(np.zeros(3)).scatter_add_(0, [0], Tensor(np.ones(1), requires_grad=True))


# --------------------------------------------------------------------------------------- random fills


def _fill(call, seed, shape=(4, 5), dtype=np.float64):
    autograd.manual_seed(seed)
    return call(Tensor(np.zeros(shape, dtype=dtype))).numpy().copy()


RANDOM_CALLS = {
    "uniform_": lambda t: t.uniform_(-2.0, 3.0),
    "normal_": lambda t: t.normal_(1.5, 0.5),
    "bernoulli_": lambda t: t.bernoulli_(0.3),
    # their distributions are tested in test_random_fills.py
    "random_": lambda t: t.random_(-5, 100),
    "exponential_": lambda t: t.exponential_(2.0),
    "geometric_": lambda t: t.geometric_(0.2),
    "cauchy_": lambda t: t.cauchy_(1.0, 0.5),
    "log_normal_": lambda t: t.log_normal_(0.0, 0.5),
}


@pytest.mark.parametrize("name", sorted(RANDOM_CALLS))
def test_random_fills_draw_from_the_seeded_generator(name):
    call = RANDOM_CALLS[name]
    first, again, other = _fill(call, 7), _fill(call, 7), _fill(call, 8)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    np.random.seed(0)  # numpy's global state plays no part
    np.testing.assert_array_equal(_fill(call, 7), first)
    # and the fill advances the library's generator, as any draw does
    autograd.manual_seed(7)
    after_nothing = autograd.rand(3).numpy()
    autograd.manual_seed(7)
    call(Tensor(np.zeros((4, 5))))
    assert not np.array_equal(autograd.rand(3).numpy(), after_nothing)


def test_uniform_samples_lie_in_the_half_open_interval_with_its_mean_and_variance():
    x = _fill(lambda t: t.uniform_(-2.0, 3.0), 0, shape=(20000,))
    assert x.min() >= -2.0 and x.max() < 3.0
    # U(a, b): mean (a + b) / 2 = 0.5, variance (b - a)^2 / 12 = 25 / 12; standard errors 0.018 and 0.013
    assert abs(x.mean() - 0.5) < 0.08 and abs(x.var() - 25 / 12) < 0.06
    # a sample just below b must not round up to b in float16
    y = _fill(lambda t: t.uniform_(0.0, 1.0), 0, shape=(20000,), dtype=np.float16)
    assert y.dtype == np.float16 and y.max() < 1.0
    assert _fill(lambda t: t.uniform_(), 0, shape=(100,)).min() >= 0.0


def test_normal_samples_have_the_mean_and_standard_deviation_asked_for():
    x = _fill(lambda t: t.normal_(1.5, 0.5), 0, shape=(20000,))
    # standard errors: 0.5 / sqrt(20000) = 0.0035 for the mean, about 0.0025 for the standard deviation
    assert abs(x.mean() - 1.5) < 0.02 and abs(x.std() - 0.5) < 0.015
    assert _fill(lambda t: t.normal_(2.0, 0.0), 0, shape=(3,)).tolist() == [2.0, 2.0, 2.0]
    z = _fill(lambda t: t.normal_(), 0, shape=(20000,))
    assert abs(z.mean()) < 0.04 and abs(z.std() - 1.0) < 0.03


def test_bernoulli_draws_ones_with_probability_p():
    x = _fill(lambda t: t.bernoulli_(0.3), 0, shape=(20000,))
    assert set(np.unique(x)) <= {0.0, 1.0}
    assert abs(x.mean() - 0.3) < 0.02  # standard error sqrt(0.3 * 0.7 / 20000) = 0.0032
    assert abs(_fill(lambda t: t.bernoulli_(), 0, shape=(20000,)).mean() - 0.5) < 0.02


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_bernoulli_with_a_tensor_of_certain_probabilities_matches_torch(dtype, torch):
    p = np.array([0.0, 1.0, 1.0])
    ours = Tensor(np.zeros((2, 3), dtype=dtype)).bernoulli_(Tensor(p))
    theirs = torch.zeros((2, 3), dtype=getattr(torch, dtype)).bernoulli_(torch.tensor(p))
    assert ours.dtype == np.dtype(dtype)
    assert ours.tolist() == theirs.tolist() == [[0, 1, 1], [0, 1, 1]]


def test_bernoulli_with_a_tensor_of_probabilities_draws_each_entry_with_its_own():
    p = np.array([0.1, 0.5, 0.9])
    x = _fill(lambda t: t.bernoulli_(Tensor(p)), 0, shape=(20000, 3))
    np.testing.assert_allclose(x.mean(axis=0), p, atol=0.02)


@pytest.mark.parametrize("call, error, match", [
    (lambda t: t.uniform_(2.0, 1.0), ValueError, r"uniform_: got a=2.0 and b=1.0; expected finite bounds"),
    (lambda t: t.normal_(0.0, -1.0), ValueError, r"normal_: got std=-1.0; expected std >= 0"),
    (lambda t: t.bernoulli_(1.5), ValueError, r"bernoulli_: got p=1.5; expected a probability in \[0, 1\]"),
    (lambda t: t.bernoulli_("tensor", [0.0, 2.0, 1.0]), ValueError,
     r"bernoulli_: got probabilities from 0.0 to 2.0; expected values in \[0, 1\]"),
    (lambda t: t.bernoulli_("tensor", np.zeros((2, 2, 3))), ValueError,
     r"bernoulli_: got probabilities of shape \(2, 2, 3\); expected a number or a tensor that broadcasts"),
])
def test_random_fills_refuse_what_torch_refuses(call, error, match, torch):
    ours = Tensor(DATA.copy())
    with pytest.raises(RuntimeError):
        call(_Tensors(torch.tensor(DATA.copy()), torch))
    with pytest.raises(error, match=match):
        call(_Tensors(ours, autograd))
    np.testing.assert_array_equal(ours.numpy(), DATA)  # unchanged


class _Tensors:
    """A tensor of either library whose ``bernoulli_("tensor", values)`` passes the values as a tensor of
    that library."""

    def __init__(self, t, lib):
        self.t, self.lib = t, lib

    def uniform_(self, *args):
        return self.t.uniform_(*args)

    def normal_(self, *args):
        return self.t.normal_(*args)

    def bernoulli_(self, p, values=None):
        if isinstance(p, str):
            p = self.lib.tensor(np.asarray(values, dtype=np.float64))
        return self.t.bernoulli_(p)


@pytest.mark.parametrize("name", ["uniform_", "normal_"])
def test_uniform_and_normal_need_a_floating_tensor_as_in_torch(name, torch):
    with pytest.raises(NotImplementedError):
        getattr(torch.zeros(3, dtype=torch.int64), name)()
    with pytest.raises(TypeError, match=rf"{name}: got a tensor of dtype int64; expected a floating-point"):
        getattr(Tensor(np.zeros(3, dtype=np.int64)), name)()
    with pytest.raises(TypeError, match=rf"{name}: got .* \(True\); expected a number"):
        getattr(Tensor(np.zeros(3)), name)(True)


@pytest.mark.parametrize("name", sorted(RANDOM_CALLS))
def test_random_fills_of_a_leaf_that_requires_grad_need_no_grad_as_in_torch(name, torch):
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        RANDOM_CALLS[name](torch.zeros(3, requires_grad=True))
    w = Tensor(np.zeros(3), requires_grad=True)
    with pytest.raises(RuntimeError, match=rf"^{name}: cannot change a tensor in place while gradients are "):
        RANDOM_CALLS[name](w)
    with autograd.no_grad():
        assert RANDOM_CALLS[name](w) is w
    assert w.requires_grad


@pytest.mark.parametrize("name", sorted(RANDOM_CALLS))
def test_a_fill_after_the_forward_pass_makes_its_backward_pass_raise_as_in_torch(name, torch):
    t = torch.ones(3, requires_grad=True)
    loss = (t * t).sum()
    with torch.no_grad():
        RANDOM_CALLS[name](t)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()
    w = Tensor(np.ones(3), requires_grad=True)
    loss = (w * w).sum()
    with autograd.no_grad():
        RANDOM_CALLS[name](w)
    with pytest.raises(RuntimeError, match=rf"'mul' needs the values of its \w+ operand .* which {name} "
                                           "changed"):
        loss.backward()


# ------------------------------------------------------------------------------------ shape in place


SHAPE_CALLS = [
    ("squeeze_", (), (2, 1, 3, 1)), ("squeeze_", (1,), (2, 1, 3, 1)), ("squeeze_", (-1,), (2, 1, 3, 1)),
    ("squeeze_", (0,), (2, 1, 3, 1)), ("unsqueeze_", (0,), (2, 3)), ("unsqueeze_", (-1,), (2, 3)),
    ("unsqueeze_", (1,), (2, 3)), ("t_", (), (2, 3)), ("t_", (), (3,)), ("t_", (), ()),
    ("transpose_", (0, 2), (2, 3, 4)), ("transpose_", (-1, 0), (2, 3)),
]


@pytest.mark.parametrize("name, args, shape", SHAPE_CALLS)
def test_shape_methods_change_the_shape_in_place_as_torch(name, args, shape, torch):
    data = np.arange(float(np.prod(shape, dtype=int))).reshape(shape)
    ours, theirs = _both(torch, data)
    memory = ours.data
    assert getattr(ours, name)(*args) is ours
    getattr(theirs, name)(*args)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert np.shares_memory(ours.data, memory) or memory.size == 0


def test_views_keep_their_shape_and_still_share_memory_as_in_torch(torch):
    for lib in (autograd, torch):
        x = lib.zeros(2, 3)
        v = x.view(6)
        x.t_()
        assert tuple(x.shape) == (3, 2) and tuple(v.shape) == (6,)
        x[2, 0] = 5.0  # element (0, 2) of the untransposed memory
        assert v.tolist() == [0.0, 0.0, 5.0, 0.0, 0.0, 0.0]


def test_shape_methods_refuse_what_torch_refuses(torch):
    for lib in (autograd, torch):
        with pytest.raises((RuntimeError, ValueError, IndexError)):
            lib.zeros(2, 3, 4).t_()
        with pytest.raises((RuntimeError, ValueError, IndexError)):
            lib.zeros(2, 3).unsqueeze_(3)
        with pytest.raises((RuntimeError, ValueError, IndexError)):
            lib.zeros(2, 3).transpose_(0, 2)
    with pytest.raises(ValueError, match=r"^t_: got a tensor of shape \(2, 3, 4\); expected at most 2"):
        autograd.zeros(2, 3, 4).t_()
    with pytest.raises(ValueError, match=r"^unsqueeze_: axis 3 is out of range"):
        autograd.zeros(2, 3).unsqueeze_(3)


def test_shape_methods_on_a_tensor_that_requires_grad_need_no_grad(torch):
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        torch.zeros(1, 3, requires_grad=True).squeeze_()
    w = Tensor(np.zeros((1, 3)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^squeeze_: cannot change a tensor in place .* `x = x\.squeeze"):
        w.squeeze_()
    with autograd.no_grad():
        w.squeeze_()
    assert w.shape == (3,) and w.requires_grad
    (w * 2).sum().backward()  # a graph recorded after the change is differentiated as usual
    assert w.grad.tolist() == [2.0, 2.0, 2.0]
    with autograd.no_grad(), pytest.raises(RuntimeError, match=r"unsqueeze_: got a tensor with a \.grad of "
                                                                 r"shape \(3,\), which would no longer fit"):
        w.unsqueeze_(0)
    w.grad = None
    with autograd.no_grad():
        w.unsqueeze_(0)
    assert w.shape == (1, 3)


@pytest.mark.parametrize("op, raises", [("add", False), ("cat", False), ("mul", True)])
def test_a_constant_reshaped_after_the_forward_pass_stops_rules_that_read_it_as_in_torch(op, raises, torch):
    def make_loss(lib, w, c):
        return {"add": lambda: (w + c).sum(), "cat": lambda: lib.cat([c, w]).sum(),
                "mul": lambda: (w * c).sum()}[op]()

    grads = []
    for lib in (autograd, torch):
        w = lib.tensor(np.ones(3), requires_grad=True)
        c = lib.tensor(np.arange(3.0))
        loss = make_loss(lib, w, c)
        c.unsqueeze_(0)  # c requires no grad: allowed while recording, as in PyTorch
        if raises:  # mul's rule reads c's values, now of another shape
            with pytest.raises(RuntimeError, match="its second operand|modified by an inplace"):
                loss.backward()
            assert w.grad is None
        else:
            loss.backward()
            grads.append(w.grad.tolist())
    assert grads == ([] if raises else [[1.0, 1.0, 1.0]] * 2)


def test_changing_the_shape_of_the_leaf_itself_stops_its_older_graph():
    w = Tensor(np.ones((1, 3)), requires_grad=True)
    loss = (w + 1).sum()
    with autograd.no_grad():
        w.squeeze_()
    with pytest.raises(RuntimeError, match=r"'add' was recorded with its first operand of another shape, "
                                           r"which squeeze_ changed in place \(to \(3,\)\)"):
        loss.backward()


def test_a_shape_method_that_changes_nothing_stamps_nothing():
    w = Tensor(np.ones(3), requires_grad=True)
    c = Tensor(np.arange(3.0))
    loss = (w * c).sum()
    assert c.squeeze_() is c and c.shape == (3,)
    loss.backward()
    assert w.grad.tolist() == [0.0, 1.0, 2.0]
