"""mm, mv and bmm: matmul restricted to fixed ranks, as PyTorch's, against torch."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor, gradcheck

torch = pytest.importorskip("torch")

GOOD = [("mm", (2, 3), (3, 4)), ("mv", (2, 3), (3,)), ("bmm", (5, 2, 3), (5, 3, 4))]
BAD = [("mm", (2, 3), (3,)), ("mm", (1, 2, 3), (3, 4)), ("mm", (2, 3), (4, 2)), ("mv", (2, 3), (3, 1)),
       ("mv", (2, 3), (2,)), ("bmm", (2, 3), (3, 4)), ("bmm", (2, 2, 3), (1, 3, 2)),
       ("bmm", (2, 2, 3), (2, 4, 2))]


@pytest.mark.parametrize("name, sa, sb", GOOD, ids=[g[0] for g in GOOD])
def test_values_and_gradients_match_torch(name, sa, sb):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    ta, tb = (torch.tensor(v, requires_grad=True) for v in (a, b))
    ours_a, ours_b = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    out = getattr(autograd, name)(ours_a, ours_b)
    expected = getattr(torch, name)(ta, tb)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-12)
    weights = rng.standard_normal(out.shape)
    (out * Tensor(weights)).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(ours_a.grad.numpy(), ta.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours_b.grad.numpy(), tb.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(getattr(ours_a, name)(ours_b).numpy(), out.numpy())
    assert gradcheck(getattr(autograd, name), [Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)])


@pytest.mark.parametrize("name, sa, sb", BAD, ids=[f"{n}-{a}-{b}" for n, a, b in BAD])
def test_shapes_torch_refuses_are_refused(name, sa, sb):
    with pytest.raises(RuntimeError):
        getattr(torch, name)(torch.ones(sa), torch.ones(sb))
    with pytest.raises(ValueError, match=rf"^{name}: got shapes"):
        getattr(autograd, name)(autograd.ones(*sa), autograd.ones(*sb))
