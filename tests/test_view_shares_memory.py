"""``view`` and ``view_as`` against PyTorch's: a view shares the tensor's memory, and a shape that the
memory layout cannot give without a copy raises (where ``reshape`` copies), as in PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor

DATA = np.arange(24, dtype=np.float64).reshape(4, 6)

# (how to make the tensor from a 4x6 one, the shape to view it as); the layouts are those torch gives
# these tensors too, so that whether a view exists is the same question in both libraries
CASES = [
    (lambda x: x, (24,)), (lambda x: x, (-1,)), (lambda x: x, (2, 3, 4)), (lambda x: x, (6, -1)),
    (lambda x: x.t(), (24,)), (lambda x: x.t(), (-1,)), (lambda x: x.t(), (4, 6)),
    (lambda x: x.t(), (6, 1, 4)), (lambda x: x.t(), (3, 2, 4)), (lambda x: x.t(), (6, 2, 2)),
    (lambda x: x.transpose(0, 1).unsqueeze(0), (6, 4)),
    (lambda x: x[:, :2], (-1,)), (lambda x: x[:, :2], (4, 2, 1)), (lambda x: x[1:3], (-1,)),
    (lambda x: x[::2], (-1,)), (lambda x: x[::2], (2, 2, 3)),
    (lambda x: x.reshape(2, 3, 4).permute(2, 0, 1), (4, 6)), (lambda x: x.reshape(2, 3, 4).permute(2, 0, 1),
                                                              (4, 2, 3)),
    (lambda x: x[:, :1].expand(4, 5), (-1,)), (lambda x: x[:1].expand(3, 6), (3, 2, 3)),
]


def _make(lib, make):
    return make(lib.tensor(DATA.copy()))


@pytest.mark.parametrize("index", range(len(CASES)))
def test_view_raises_where_torch_raises_and_shares_memory_where_it_views(index, torch):
    make, shape = CASES[index]
    theirs = _make(torch, make)
    ours = _make(autograd, make)
    try:
        expected = theirs.view(shape)
    except RuntimeError as exc:
        assert "view size is not compatible" in str(exc)
        with pytest.raises(RuntimeError, match=r"^view: cannot view a tensor of shape") as info:
            ours.view(shape)
        message = str(info.value)
        assert f"as shape {shape}" in message and f"of shape {tuple(theirs.shape)}" in message
        assert ".reshape(" in message
        # reshape still copies where it must, as torch's does
        np.testing.assert_array_equal(ours.reshape(shape).numpy(), theirs.reshape(shape).numpy())
        return
    out = ours.view(shape)
    np.testing.assert_array_equal(out.numpy(), expected.numpy())
    assert np.shares_memory(out.data, ours.data)
    if ours.data.flags.writeable:  # an expanded tensor is read-only here
        corner = (-1,) * len(expected.shape)
        out[corner] = 100.0
        expected[corner] = 100.0
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert (ours.numpy() == 100.0).sum() == 1


def test_a_view_shares_memory_or_is_refused_never_a_copy(torch):
    for lib in (autograd, torch):
        x = lib.zeros(2, 3)
        v = x.view(3, 2)
        v[2, 1] = 7.0  # element 5 of both
        v.view(-1).add_(1.0)
        assert x.tolist() == [[1.0, 1.0, 1.0], [1.0, 1.0, 8.0]]
    with pytest.raises(RuntimeError, match="view: cannot view a tensor of shape"):
        Tensor(DATA).t().view(24)
    # the table above tests both outcomes, or its comparison would prove little
    outcomes = set()
    for make, shape in CASES:
        try:
            _make(torch, make).view(shape)
            outcomes.add("viewed")
        except RuntimeError:
            outcomes.add("refused")
    assert outcomes == {"viewed", "refused"}


def test_view_as_refuses_as_view_does_and_size_errors_stay_reshape_errors(torch):
    t = Tensor(DATA).t()
    with pytest.raises(RuntimeError, match=r"^view_as: cannot view .* \.reshape_as\(other\)"):
        t.view_as(autograd.zeros(24))
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        torch.tensor(DATA).t().view_as(torch.zeros(24))
    assert t.view_as(autograd.zeros(6, 1, 4)).shape == (6, 1, 4)
    # sizes that no layout could give keep reshape's errors
    with pytest.raises(ValueError, match=r"view: cannot reshape a tensor of shape \(6, 4\) \(24 elements\)"):
        t.view(5)
    with pytest.raises(ValueError, match="with size -2"):
        t.view(-2, 12)
    with pytest.raises(ValueError, match="2 negative sizes"):
        t.view(-1, -1)
    with pytest.raises(TypeError, match="expected ints"):
        t.view(2.5)
