"""set_default_dtype / get_default_dtype against PyTorch's.

Each comparison runs with float64 as the default of both libraries (``torch.set_default_dtype``) and
restores float32 afterwards, whatever happens in the test: the tests share their worker processes with
the rest of the suite, which expects float32.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F


def name_of(t) -> str:
    """The dtype's name, the same for chaingrad's and PyTorch's tensors."""
    return str(t.dtype).removeprefix("torch.")


@contextlib.contextmanager
def default_dtype(torch, name: str):
    """``name`` as the default dtype of both libraries inside the block, and their earlier defaults
    afterwards, even when the block raises."""
    ours, theirs = ag.get_default_dtype(), torch.get_default_dtype()
    try:
        ag.set_default_dtype(name)
        torch.set_default_dtype(getattr(torch, name))
        yield
    finally:
        ag.set_default_dtype(ours)
        torch.set_default_dtype(theirs)


@pytest.fixture
def float64(torch):
    with default_dtype(torch, "float64"):
        yield torch


@pytest.fixture(autouse=True)
def _default_left_alone():
    """No test of this file leaves the default changed for the tests that share its process."""
    assert ag.get_default_dtype() is ag.float32
    yield
    assert ag.get_default_dtype() is ag.float32


# ============================================================================ set and get
@pytest.mark.parametrize("spelling", ["float64", np.float64, np.dtype("float64"), "double", float])
def test_spellings_of_float64(float64, spelling):
    ag.set_default_dtype(ag.float32)
    ag.set_default_dtype(spelling)
    assert ag.get_default_dtype() is ag.float64  # numpy's own instance, as the aliases are
    assert ag.get_default_dtype().name == name_of(float64.empty(0))


def test_torch_dtypes_and_float16(torch):
    with default_dtype(torch, "float16"):
        assert ag.get_default_dtype() is ag.float16
        assert name_of(ag.tensor([1.5])) == name_of(torch.tensor([1.5])) == "float16"
        assert name_of(ag.tensor([True]) * 0.5) == name_of(torch.tensor([True]) * 0.5) == "float16"
        # numpy's promotion: int64 with float16 is float64 (a difference from PyTorch, in docs/tensor.md)
        assert name_of(ag.tensor([1]) * 0.5) == "float64" and name_of(torch.tensor([1]) * 0.5) == "float16"
        assert name_of(nn.Linear(2, 3).weight) == name_of(torch.nn.Linear(2, 3).weight) == "float16"
        ag.set_default_dtype(torch.float32)
        assert ag.get_default_dtype() is ag.float32


REFUSED = ["int64", "bool", "complex64"]


@pytest.mark.parametrize("name", REFUSED)
def test_non_floating_torch_dtypes_are_refused_as_in_torch(torch, name):
    with pytest.raises(TypeError):
        torch.set_default_dtype(getattr(torch, name))
    with pytest.raises(TypeError, match=rf"^set_default_dtype: got d of type torch\.dtype \(torch\.{name}\), "
                       rf"which is dtype {name}; expected a floating dtype: float16, float32 or float64"):
        ag.set_default_dtype(getattr(torch, name))
    assert torch.get_default_dtype() is torch.float32


@pytest.mark.parametrize("bad, got", [
    ("int64", r"of type str \('int64'\), which is dtype int64"),
    (ag.int32, r"of type numpy\.dtypes\.Int32DType \(dtype\('int32'\)\), which is dtype int32"),
    (bool, r"of type type \(<class 'bool'>\), which is dtype bool"),
    (np.longdouble, r"of type type \(<class 'numpy\.longdouble'>\), which is dtype float128"),
    (">f8", r"of type str \('>f8'\), which is dtype >f8"),
    ("float65", r"of type str \('float65'\)"),
    (None, r"of type NoneType \(None\)"),  # numpy reads None as float64
    (3, r"of type int \(3\)"),
])
def test_what_is_refused_says_what_it_got(bad, got):
    if bad is np.longdouble and np.dtype(np.longdouble) == np.float64:
        pytest.skip("longdouble is float64 on this platform")
    with pytest.raises(TypeError, match=rf"^set_default_dtype: got d {got}; expected a floating dtype: "
                       "float16, float32 or float64"):
        ag.set_default_dtype(bad)
    assert ag.get_default_dtype() is ag.float32


def test_a_tensor_is_refused_as_in_torch(torch):
    with pytest.raises(TypeError):
        torch.set_default_dtype(torch.zeros(1, dtype=torch.float64))
    # numpy would read the tensor's .dtype and take it
    with pytest.raises(TypeError, match=r"^set_default_dtype: got d of type Tensor \(dtype float64, shape "
                       r"\(1,\)\); expected"):
        ag.set_default_dtype(ag.zeros(1, dtype="float64"))


def test_the_fixture_restores_the_default_when_the_block_raises(torch):
    with pytest.raises(ZeroDivisionError), default_dtype(torch, "float64"):
        assert ag.get_default_dtype() is ag.float64
        1 / 0  # noqa: B018
    assert ag.get_default_dtype() is ag.float32 and torch.get_default_dtype() is torch.float32


def test_existing_tensors_and_layers_keep_their_dtype(float64):
    ag.set_default_dtype("float32")
    x, layer = ag.zeros(2), nn.Linear(2, 2)
    ag.set_default_dtype("float64")
    assert x.dtype is ag.float32 and layer.weight.dtype is ag.float32
    assert (x + 1.5).dtype is ag.float32  # a Python float takes the tensor's dtype
    assert layer(ag.zeros(1, 2, dtype="float32")).dtype is ag.float32


# ============================================================================ tensors and factories
# (chaingrad's call, PyTorch's call) on the module of each library; the values are compared too
TENSORS = {
    "tensor(1.5)": lambda m: m.tensor(1.5),
    "tensor(list of floats)": lambda m: m.tensor([[1.5, 2.0], [3.0, -1.25]]),
    "tensor(ints and a float)": lambda m: m.tensor([1, 2, 3.5]),
    "tensor(ints)": lambda m: m.tensor([1, 2]),
    "tensor(bools)": lambda m: m.tensor([True, False]),
    "tensor(float32 scalar and a float)": lambda m: m.tensor([np.float32(1.5), 2.0]),
    "tensor(float16 scalar and an int)": lambda m: m.tensor([np.float16(1.5), 2]),
    "tensor(float32 array)": lambda m: m.tensor(np.array([1.5], dtype=np.float32)),
    "as_tensor(list of floats)": lambda m: m.as_tensor([1.5, 2.5]),
    "zeros": lambda m: m.zeros(2, 3),
    "ones": lambda m: m.ones(2),
    "empty": lambda m: m.zeros_like(m.empty(2)),  # values unspecified: zeros_like keeps the dtype
    "full(float)": lambda m: m.full((2,), 1.5),
    "full(int)": lambda m: m.full((2,), 3),
    "full(bool)": lambda m: m.full((2,), True),
    "eye": lambda m: m.eye(3),
    "arange(ints)": lambda m: m.arange(4),
    "arange(float step)": lambda m: m.arange(0, 1, 0.25),
    "arange(float stop)": lambda m: m.arange(3.0),
    "linspace": lambda m: m.linspace(0, 1, 5),
    "logspace": lambda m: m.logspace(0, 2, 3),
    "zeros_like(int)": lambda m: m.zeros_like(m.tensor([1, 2])),
    "ones_like(float32)": lambda m: m.ones_like(m.tensor([1.0], dtype=m.float32)),
    "full_like(int, float)": lambda m: m.full_like(m.tensor([1, 2]), 2.5),
    "new_tensor": lambda m: m.tensor([1.0], dtype=m.float32).new_tensor([2.5]),
    "float()": lambda m: m.tensor([1, 2]).float(),
}
RANDOM = {
    "rand": lambda m: m.rand(2, 3),
    "randn": lambda m: m.randn(4),
    "normal(numbers, size)": lambda m: m.normal(0.0, 1.0, (2,)),
    "normal(float32 tensor, number)": lambda m: m.normal(m.zeros(2, dtype=m.float32), 1.0),
    "rand_like(float32)": lambda m: m.rand_like(m.zeros(2, dtype=m.float32)),
    "randn_like(default)": lambda m: m.randn_like(m.zeros(2)),
    "bernoulli": lambda m: m.bernoulli(m.full((3,), 0.5)),
}


@pytest.mark.parametrize("case", sorted(TENSORS))
def test_tensors_and_factories(float64, case):
    ours, theirs = TENSORS[case](ag), TENSORS[case](float64)
    assert name_of(ours) == name_of(theirs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-15, atol=0)


@pytest.mark.parametrize("case", sorted(RANDOM))
def test_random_factories(float64, case):
    ours, theirs = RANDOM[case](ag), RANDOM[case](float64)
    assert name_of(ours) == name_of(theirs) and ours.shape == tuple(theirs.shape)


def test_repr_names_dtypes_other_than_the_default(float64):
    torch = float64
    for make in (lambda m: m.tensor([1.5]), lambda m: m.tensor([1.5], dtype=m.float32)):
        assert ("dtype=" in repr(make(ag))) == ("dtype=" in repr(make(torch)))
    assert repr(ag.tensor([1.5], dtype="float32")).endswith("dtype=float32)")


# ============================================================================ promotion with Python floats
INTS = np.array([1, 2, 7, -3])
PROMOTIONS = {
    "int64 * float": lambda m: m.tensor(INTS) * 0.5,
    "float + int64": lambda m: 0.25 + m.tensor(INTS),
    "int16 * float": lambda m: m.tensor(INTS.astype(np.int16)) * 0.5,
    "uint8 - float": lambda m: m.tensor(np.array([1, 200], dtype=np.uint8)) - 1.5,
    "bool * float": lambda m: m.tensor([True, False]) * 1.5,
    "int64 / int": lambda m: m.tensor(INTS) / 2,
    "int64 / int64": lambda m: m.tensor(INTS) / m.tensor([2, 3, 4, 5]),
    "int8 / int": lambda m: m.tensor(INTS.astype(np.int8)) / 3,
    "true_divide": lambda m: m.div(m.tensor(INTS), 4),
    "int64 ** float": lambda m: m.tensor([1, 4, 9]) ** 0.5,
    "where(int64, float)": lambda m: m.where(m.tensor(INTS) > 1, m.tensor(INTS), 0.5),
    "clamp(int64, float)": lambda m: m.clamp(m.tensor(INTS), 0.5),
    "logsumexp(int64)": lambda m: m.logsumexp(m.tensor(INTS), 0),
    "float32 * float": lambda m: m.tensor([1.5], dtype=m.float32) * 0.1,
    "float32 + int": lambda m: m.tensor([1.5], dtype=m.float32) + 2,
    "int64 * int": lambda m: m.tensor(INTS) * 3,
}


@pytest.mark.parametrize("case", sorted(PROMOTIONS))
def test_integer_tensors_with_python_floats(float64, case):
    ours, theirs = PROMOTIONS[case](ag), PROMOTIONS[case](float64)
    assert name_of(ours) == name_of(theirs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-15, atol=0)


def test_integer_inputs_that_torch_refuses_take_the_default(float64):
    # PyTorch has no kernel for these on integers; chaingrad converts to the default dtype first
    assert ag.softmax(ag.tensor([0, 0]), 0).tolist() == [0.5, 0.5]
    assert ag.softmax(ag.tensor([0, 0]), 0).dtype is ag.float64
    assert ag.log_softmax(ag.tensor([1, 1]), 0).dtype is ag.float64
    assert ag.logcumsumexp(ag.tensor([0, 0]), 0).tolist() == [0.0, np.log(2.0)]
    image = ag.tensor(np.arange(9).reshape(1, 1, 3, 3))
    out = F.conv2d(image, ag.ones(1, 1, 2, 2))
    assert out.dtype is ag.float64 and out.tolist() == [[[[8.0, 12.0], [20.0, 24.0]]]]


# ============================================================================ nn
LAYERS = {
    "Linear": lambda m: m.nn.Linear(3, 2),
    "Conv1d": lambda m: m.nn.Conv1d(2, 3, 2),
    "Conv2d": lambda m: m.nn.Conv2d(1, 2, 3),
    "BatchNorm1d": lambda m: m.nn.BatchNorm1d(3),
    "BatchNorm2d": lambda m: m.nn.BatchNorm2d(2),
    "LayerNorm": lambda m: m.nn.LayerNorm(4),
    "GroupNorm": lambda m: m.nn.GroupNorm(2, 4),
    "Embedding": lambda m: m.nn.Embedding(5, 3),
    "Linear.float()": lambda m: m.nn.Linear(3, 2).float(),
}


class _Namespace:
    nn = nn


@pytest.mark.parametrize("case", sorted(LAYERS))
def test_layers_parameters_and_buffers(float64, case):
    ours, theirs = LAYERS[case](_Namespace), LAYERS[case](float64)
    assert {k: name_of(v) for k, v in ours.state_dict().items()} == \
        {k: name_of(v) for k, v in theirs.state_dict().items()}


def test_parameter_from_numbers(float64):
    torch = float64
    assert name_of(nn.Parameter([1.5, 2.0])) == name_of(torch.nn.Parameter(torch.tensor([1.5, 2.0])))
    assert nn.Parameter([1, 2]).dtype is ag.float64  # integers become the default float
    assert nn.Parameter(np.zeros(2, dtype=np.float32)).dtype is ag.float32  # an array keeps its dtype


def test_init_clip_grad_and_one_hot(float64):
    torch = float64
    assert name_of(nn.init.kaiming_uniform_(ag.empty(3, 4))) == \
        name_of(torch.nn.init.kaiming_uniform_(torch.empty(3, 4))) == "float64"
    assert name_of(nn.utils.clip_grad_norm_([], 1.0)) == name_of(torch.nn.utils.clip_grad_norm_([], 1.0))
    assert name_of(F.one_hot(ag.tensor([0, 2]))) == name_of(torch.nn.functional.one_hot(torch.tensor([0, 2])))
    assert name_of(F.one_hot(ag.tensor([0, 2])).float()) == "float32"


def test_finfo_without_argument(float64):
    torch = float64
    ours, theirs = ag.finfo(), torch.finfo()
    assert (ours.dtype, ours.eps, ours.max, ours.tiny, ours.bits) == \
        (str(theirs.dtype), theirs.eps, theirs.max, theirs.tiny, theirs.bits)


# ============================================================================ gradients
def test_gradients_of_a_float64_default_model_match_torch(float64):
    torch = float64
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    reference = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    reference.load_state_dict({k: torch.tensor(v) for k, v in model.state_dict().items()})
    rows = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]  # Python floats: the default dtype in both
    x, tx = ag.tensor(rows, requires_grad=True), torch.tensor(rows, requires_grad=True)
    (model(x) ** 2).mean().backward()
    (reference(tx) ** 2).mean().backward()
    assert x.grad.dtype is ag.float64
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    for (name, p), tp in zip(model.named_parameters(), reference.parameters()):
        assert p.grad.dtype is ag.float64, name
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-12, atol=1e-14, err_msg=name)


def test_gradcheck_of_default_tensors(float64):
    x = ag.tensor([0.5, -1.25, 2.0], requires_grad=True)
    w = ag.randn(3, requires_grad=True)
    assert x.dtype is ag.float64 and w.dtype is ag.float64
    assert ag.gradcheck(lambda a, b: (a * b).tanh().sum() / 2, [x, w])
    y = (x * 0.5).exp().sum()
    (g,) = ag.grad(y, [x], create_graph=True)
    assert g.dtype is ag.float64
    np.testing.assert_allclose(g.numpy(), 0.5 * np.exp(0.5 * np.array([0.5, -1.25, 2.0])), rtol=1e-15)
