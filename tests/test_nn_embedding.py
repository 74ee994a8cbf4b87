"""``nn.Embedding`` and ``nn.functional.embedding``: lookups and their gradients (scatter-added for repeated
indices, none for the padding row, divided by frequency) against PyTorch in float64 and against sums done
by hand, ``max_norm``'s in-place renormalisation, initialisation, ``from_pretrained``, state dicts, reprs
and argument errors."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import compare_with_torch

import autograd
import nn
import nn.functional as F
from autograd import Tensor
from nn import Embedding

RNG = np.random.default_rng(20240811)
W = RNG.standard_normal((6, 4))
INDICES = [np.array(3), np.array([1, 1, 5, 0, 1]), RNG.integers(0, 6, (2, 3, 4))]
OPTIONS = [{}, dict(padding_idx=1), dict(padding_idx=-1), dict(scale_grad_by_freq=True),
           dict(scale_grad_by_freq=True, padding_idx=0)]


# ------------------------------------------------------------------------------------------ against torch
@pytest.mark.parametrize("index", INDICES, ids=["0-d", "1-d", "3-d"])
@pytest.mark.parametrize("options", OPTIONS, ids=["plain", "padding", "padding-negative", "freq",
                                                  "freq-padding"])
def test_values_and_gradients_match_torch(torch, index, options):
    # PyTorch's double backward ignores scale_grad_by_freq (checked by hand below): compare first order only
    second_order = "scale_grad_by_freq" not in options
    compare_with_torch(torch, lambda w: F.embedding(Tensor(index), w, **options) ** 3,
                       lambda w: torch.nn.functional.embedding(torch.tensor(index), w, **options) ** 3,
                       W, second_order=second_order)


def test_repeated_indices_add_their_gradients_by_hand():
    w = Tensor(W.copy(), requires_grad=True)
    index = np.array([[2, 0, 2], [2, 5, 0]])
    g = RNG.standard_normal(index.shape + (4,))
    (F.embedding(index, w) * Tensor(g)).sum().backward()
    expected = np.zeros_like(W)
    expected[2] = g[0, 0] + g[0, 2] + g[1, 0]
    expected[0] = g[0, 1] + g[1, 2]
    expected[5] = g[1, 1]
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-14)


def test_padding_and_frequency_scale_the_gradient_by_hand():
    w = Tensor(W.copy(), requires_grad=True)
    index = np.array([4, 4, 4, 1, 3, 3])
    g = RNG.standard_normal((6, 4))
    (F.embedding(index, w, padding_idx=1, scale_grad_by_freq=True) * Tensor(g)).sum().backward()
    expected = np.zeros_like(W)
    expected[4] = g[:3].sum(axis=0) / 3
    expected[3] = g[4:].sum(axis=0) / 2  # row 1 is the padding row: nothing
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-14)


def test_second_derivative_through_the_scaled_gradient_by_hand():
    # loss = sum(c * out**2). The recorded gradient applies the per-lookup factor s_i (1 / count(idx_i),
    # 0 at the padding row) to the gradient of each lookup: grad_w[r] = sum_{i: idx_i = r} 2 c_i s_i out_i.
    # Differentiating <grad_w, v> back through out_i = w[idx_i], whose gradient takes s_i once more, gives
    # sum_{i: idx_i = r} 2 c_i s_i**2 v[r]. (PyTorch's double backward leaves out one factor 1 / count.)
    index = np.array([0, 0, 2, 3, 0])
    c, v = RNG.standard_normal((5, 4)), RNG.standard_normal((6, 4))
    w = Tensor(W.copy(), requires_grad=True)
    out = F.embedding(index, w, padding_idx=3, scale_grad_by_freq=True)
    (grad,) = autograd.grad((Tensor(c) * out * out).sum(), [w], create_graph=True)
    (second,) = autograd.grad((grad * Tensor(v)).sum(), [w])
    s = np.array([1 / 3, 1 / 3, 1.0, 0.0, 1 / 3])
    expected = np.zeros_like(W)
    for i, r in enumerate(index):
        expected[r] += 2 * c[i] * s[i] ** 2 * v[r]
    np.testing.assert_allclose(second.numpy(), expected, rtol=1e-13)


@pytest.mark.parametrize("norm_type", [1, 2, 3, float("inf"), 0.5])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_norm_renormalises_the_rows_looked_up_in_place_as_torch(torch, norm_type, dtype):
    w0 = (RNG.standard_normal((6, 4)) * 2).astype(dtype)
    index = np.array([[0, 2, 2], [5, 4, 0]])
    ours, theirs = Tensor(w0.copy(), requires_grad=True), torch.tensor(w0.copy(), requires_grad=True)
    out = F.embedding(index, ours, max_norm=1.5, norm_type=norm_type)
    expected = torch.nn.functional.embedding(torch.tensor(index), theirs, max_norm=1.5, norm_type=norm_type)
    tol = dict(rtol=1e-6, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-14, atol=0)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), **tol)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), **tol)
    # by hand: rows 1 and 3 are not looked up; the others end with norm at most 1.5
    np.testing.assert_array_equal(ours.data[[1, 3]], w0[[1, 3]])
    norms = np.linalg.norm(ours.data[[0, 2, 4, 5]].astype(np.float64), ord=norm_type, axis=1)
    assert (norms <= 1.5 + 1e-6).all()
    g = RNG.standard_normal(out.shape)
    (out * Tensor(g.astype(dtype))).sum().backward()
    (expected * torch.tensor(g.astype(dtype))).sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), **tol)


def test_max_norm_leaves_short_rows_alone_and_lookups_stay_differentiable():
    w = Tensor(np.array([[3.0, 4.0], [0.3, 0.4]]), requires_grad=True)
    first = F.embedding([0, 1], w, max_norm=1.0)
    second = F.embedding([0], w, max_norm=1.0)  # a lookup after the in-place change still differentiates
    np.testing.assert_allclose(w.data, [[3.0 / (5 + 1e-7), 4.0 / (5 + 1e-7)], [0.3, 0.4]], rtol=1e-15)
    (first.sum() + second.sum()).backward()
    np.testing.assert_array_equal(w.grad.numpy(), [[2.0, 2.0], [1.0, 1.0]])


def test_max_norm_after_a_use_of_the_weight_refuses_the_backward_pass_as_torch(torch):
    w = Tensor(np.array([[3.0, 4.0], [0.3, 0.4]]), requires_grad=True)
    loss = (w * w).sum() + F.embedding([0], w, max_norm=1.0).sum()
    with pytest.raises(RuntimeError, match=r"embedding\(max_norm=1.0\)"):
        loss.backward()
    t = torch.tensor([[3.0, 4.0], [0.3, 0.4]], requires_grad=True)
    t_loss = (t * t).sum() + torch.nn.functional.embedding(torch.tensor([0]), t, max_norm=1.0).sum()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        t_loss.backward()


# ------------------------------------------------------------------------------------------ the layer
def test_initialisation_is_standard_normal_seeded_with_a_zero_padding_row():
    autograd.manual_seed(3)
    a = Embedding(2000, 50, padding_idx=7)
    autograd.manual_seed(3)
    b = Embedding(2000, 50, padding_idx=7)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert a.weight.dtype == np.float32 and a.weight.requires_grad
    np.testing.assert_array_equal(a.weight.data[7], 0.0)
    rest = np.delete(a.weight.data, 7, axis=0).astype(np.float64)
    # 99950 draws of N(0, 1): the mean's standard error is 0.0032, the std's about 0.0022
    assert abs(rest.mean()) < 0.02 and abs(rest.std() - 1.0) < 0.015
    assert Embedding(3, 2, dtype=autograd.float64).weight.dtype == np.float64


def test_the_padding_row_takes_no_gradient_and_stays_zero_through_training():
    autograd.manual_seed(0)
    emb = Embedding(5, 3, padding_idx=-1)
    assert emb.padding_idx == 4
    opt = nn.optim.SGD(emb.parameters(), lr=0.5, momentum=0.9)
    for _ in range(3):
        opt.zero_grad()
        (emb(Tensor(np.array([[4, 1], [4, 4]]))) ** 2).sum().backward()
        np.testing.assert_array_equal(emb.weight.grad.numpy()[4], 0.0)
        opt.step()
    np.testing.assert_array_equal(emb.weight.data[4], 0.0)


def test_a_layer_matches_torch_after_loading_its_state_dict(torch):
    theirs = torch.nn.Embedding(7, 3, padding_idx=2, scale_grad_by_freq=True, dtype=torch.float64)
    ours = Embedding(7, 3, padding_idx=2, scale_grad_by_freq=True, dtype="float64")
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    ours.load_state_dict(theirs.state_dict())
    index = RNG.integers(0, 7, (4, 5))
    out, expected = ours(Tensor(index)), theirs(torch.tensor(index))
    np.testing.assert_array_equal(out.numpy(), expected.detach().numpy())
    g = RNG.standard_normal(out.shape)
    (out * Tensor(g)).sum().backward()
    (expected * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-14)
    back = torch.nn.Embedding(7, 3, dtype=torch.float64)
    back.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    np.testing.assert_array_equal(back.weight.detach().numpy(), ours.weight.data)


REPR_CASES = [
    ((10, 3), {}),
    ((10, 3), dict(padding_idx=0)),
    ((10, 3), dict(padding_idx=-2)),
    ((4, 2), dict(max_norm=1)),
    ((4, 2), dict(max_norm=1.0, norm_type=2)),
    ((4, 2), dict(max_norm=2.5, norm_type=1, scale_grad_by_freq=True)),
    ((0, 2), dict(norm_type=3.0)),
]


@pytest.mark.parametrize("args, kwargs", REPR_CASES)
def test_reprs_match_torch(torch, args, kwargs):
    assert repr(Embedding(*args, **kwargs)) == repr(torch.nn.Embedding(*args, **kwargs))


def test_from_pretrained_shares_the_table_and_freezes_it_as_torch(torch):
    table = np.arange(12.0).reshape(4, 3)
    emb = Embedding.from_pretrained(table, padding_idx=1)
    t_emb = torch.nn.Embedding.from_pretrained(torch.tensor(table), padding_idx=1)
    assert repr(emb) == repr(t_emb) == "Embedding(4, 3, padding_idx=1)"
    assert emb.weight.requires_grad is t_emb.weight.requires_grad is False
    assert emb.weight.data is table  # shared, and the padding row kept as given
    np.testing.assert_array_equal(emb(Tensor(np.array([1, 3]))).numpy(), table[[1, 3]])
    trainable = Embedding.from_pretrained(Tensor(table), freeze=False, max_norm=100.0)
    assert trainable.weight.requires_grad and trainable.weight.dtype == np.float64
    trainable(Tensor(np.array([0, 0]))).sum().backward()
    np.testing.assert_array_equal(trainable.weight.grad.numpy()[0], [2.0, 2.0, 2.0])


def test_weight_and_freeze_arguments():
    given = Tensor(np.ones((3, 2)))
    emb = Embedding(3, 2, padding_idx=0, _weight=given, _freeze=True)
    assert emb.weight.data is given.data and not emb.weight.requires_grad
    np.testing.assert_array_equal(emb.weight.data[0], [1.0, 1.0])  # a given weight keeps its padding row
    assert not Embedding(3, 2, _freeze=True).weight.requires_grad


def test_reset_parameters_draws_again_and_zeros_the_padding_row():
    emb = Embedding(4, 2, padding_idx=3)
    emb.weight.data[...] = 5.0
    emb.reset_parameters()
    assert (emb.weight.data[:3] != 5.0).all()
    np.testing.assert_array_equal(emb.weight.data[3], 0.0)


def test_lookups_of_lists_and_unbatched_indices():
    emb = Embedding.from_pretrained(np.eye(3))
    assert emb([2, 0]).tolist() == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    assert emb(Tensor(np.array(1, dtype=np.int32))).tolist() == [0.0, 1.0, 0.0]
    assert emb(Tensor(np.zeros((2, 0), dtype=np.int64))).shape == (2, 0, 3)


# ------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("make, error, message", [
    (lambda: Embedding(-1, 3), ValueError, r"Embedding: got num_embeddings=-1; expected a non-negative int"),
    (lambda: Embedding(4, 2.0), ValueError, r"Embedding: got embedding_dim=2.0; expected a non-negative int"),
    (lambda: Embedding(5, 3, padding_idx=5), ValueError,
     r"Embedding: got padding_idx=5 for 5 embeddings; expected an int in \[-5, 4\]"),
    (lambda: Embedding(5, 3, padding_idx=-6), ValueError, r"got padding_idx=-6 for 5 embeddings"),
    (lambda: Embedding(5, 3, padding_idx=1.0), TypeError,
     r"Embedding: got padding_idx=1.0; expected None or an int"),
    (lambda: Embedding(5, 3, sparse=True), ValueError,
     r"Embedding: got sparse=True; chaingrad has dense gradients only \(expected sparse=False"),
    (lambda: Embedding(5, 3, max_norm=-1.0), ValueError,
     r"Embedding: got max_norm=-1.0; expected None or a number >= 0"),
    (lambda: Embedding(5, 3, norm_type="fro"), ValueError,
     r"Embedding: got norm_type='fro'; expected a number"),
    (lambda: Embedding(5, 3, _weight=np.zeros((4, 3))), ValueError,
     r"Embedding: got _weight of shape \(4, 3\); expected \(5, 3\)"),
    (lambda: Embedding(5, 3, device="cuda"), RuntimeError, r"Embedding: got device 'cuda'"),
    (lambda: Embedding.from_pretrained(np.zeros(3)), ValueError,
     r"Embedding.from_pretrained: got embeddings of shape \(3,\); expected a 2-D"),
])
def test_bad_arguments_raise_clear_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("call, error, message", [
    (lambda w: F.embedding([0, 6], w), IndexError,
     r"embedding: got index 6 for a weight of 6 rows; expected indices in \[0, 6\)"),
    (lambda w: F.embedding([-1], w), IndexError, r"embedding: got index -1 for a weight of 6 rows"),
    (lambda w: F.embedding(Tensor([1.0]), w), TypeError,
     r"embedding: got input of dtype float32; expected integer indices"),
    (lambda w: F.embedding(np.array([True]), w), TypeError, r"embedding: got input of dtype bool"),
    (lambda w: F.embedding([1], w[0]), ValueError,
     r"embedding: got weight of shape \(4,\); expected a 2-D \(num_embeddings, embedding_dim\)"),
    (lambda w: F.embedding([1], W), TypeError, r"embedding: got weight ndarray; expected a Tensor"),
    (lambda w: F.embedding([1], w, padding_idx=6), ValueError, r"embedding: got padding_idx=6 for 6"),
    (lambda w: F.embedding([1], w, sparse=True), ValueError, r"embedding: got sparse=True"),
])
def test_bad_lookups_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(Tensor(W.copy()))


def test_the_layer_names_itself_in_lookup_errors():
    with pytest.raises(IndexError, match=r"Embedding\(3, 2\): embedding: got index 3 for a weight of 3 rows"):
        Embedding(3, 2)(Tensor(np.array([3])))
    with pytest.raises(TypeError, match=r"Embedding\(3, 2\): embedding: got input of dtype float64"):
        Embedding(3, 2)(np.array([0.0]))
