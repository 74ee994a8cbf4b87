"""Loading state that was not written by chaingrad itself: torch optimizer state dicts (and state holding
our own Tensors) in ``Optimizer.load_state_dict``, and zip files that are not checkpoints in ``nn.load``."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from autograd import Tensor
from nn import optim
from nn.module import Parameter
from nn.serialization import load, save

X0 = np.array([1.0, -2.0, 0.5])
M0 = np.array([[0.3, -0.2], [1.5, 0.7]])
C = np.array([[1.0, 2.0], [0.5, 3.0]])


def _grads(x: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The gradient of 0.5 |x|^2 + sum(x^3) / 3 + sum(c * m^2) + x[0] * sum(m), by hand."""
    gx = x + x * x
    gx[0] += m.sum()
    return gx, 2 * C * m + x[0]


def _torch_step(torch, opt, params) -> None:
    x, m = params
    loss = 0.5 * (x * x).sum() + (x ** 3).sum() / 3 + (torch.tensor(C) * m * m).sum() + x[0] * m.sum()
    opt.zero_grad()
    loss.backward()
    opt.step()


def _our_step(opt, params) -> None:
    for p, g in zip(params, _grads(params[0].data, params[1].data)):
        p.grad = Tensor(g)
    opt.step()


# ---------------------------------------------------------------------------------------------- optimizers
RESUME_CASES = [
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.05)),
    ("Adam", dict(lr=0.05, amsgrad=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.05, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)),
]


@pytest.mark.parametrize("name, kw", RESUME_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(RESUME_CASES)])
def test_resuming_from_torch_optimizer_state_follows_torch(name, kw):
    torch = pytest.importorskip("torch")
    theirs = [torch.tensor(X0, requires_grad=True), torch.tensor(M0, requires_grad=True)]
    torch_opt = getattr(torch.optim, name)(theirs, **kw)
    for _ in range(3):
        _torch_step(torch, torch_opt, theirs)

    ours = [Parameter(t.detach().numpy().copy()) for t in theirs]
    opt = getattr(optim, name)(ours)  # default hyper-parameters: the loaded groups must bring torch's
    opt.load_state_dict(torch_opt.state_dict())
    for p in ours:
        for key, value in opt.state[p].items():
            if key == "step":
                assert type(value) is int and value == 3
            else:
                assert type(value) is np.ndarray and value.dtype == np.float64 and value.shape == p.data.shape
    for _ in range(4):
        _torch_step(torch, torch_opt, theirs)
        _our_step(opt, ours)
        for p, t in zip(ours, theirs):
            np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=0, atol=1e-6)


def test_torch_state_for_scalar_parameter():
    # A 0-d parameter: its 'exp_avg' has the parameter's shape () and must stay an array, while 'step'
    # (also 0-d in torch) becomes a number.
    torch = pytest.importorskip("torch")
    w_t = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    torch_opt = torch.optim.Adam([w_t], lr=0.1)
    for _ in range(2):
        torch_opt.zero_grad()
        (w_t ** 2).backward()
        torch_opt.step()
    w = Parameter(np.array(w_t.item()))
    opt = optim.Adam([w])
    opt.load_state_dict(torch_opt.state_dict())
    state = opt.state[w]
    assert state["step"] == 2 and type(state["step"]) is int
    for key in ("exp_avg", "exp_avg_sq"):
        assert type(state[key]) is np.ndarray and state[key].shape == () and state[key].dtype == np.float64
        assert float(state[key]) == torch_opt.state[w_t][key].item()


def test_torch_state_is_cast_to_parameter_dtype():
    torch = pytest.importorskip("torch")
    w_t = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch_opt = torch.optim.SGD([w_t], lr=0.1, momentum=0.9)
    (w_t * w_t).sum().backward()
    torch_opt.step()
    w = Parameter(np.array([1.0, 2.0], dtype=np.float32))
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    opt.load_state_dict(torch_opt.state_dict())
    buf = opt.state[w]["momentum_buffer"]
    assert buf.dtype == np.float32
    np.testing.assert_array_equal(buf, [2.0, 4.0])
    w.grad = Tensor(np.ones(2, dtype=np.float32))
    opt.step()
    assert w.data.dtype == np.float32
    np.testing.assert_allclose(w.data, [1.0 - 0.1 * 2.8, 2.0 - 0.1 * 4.6], rtol=1e-6)


def test_torch_state_of_wrong_shape_is_rejected_at_load():
    torch = pytest.importorskip("torch")
    w_t = torch.zeros(3, requires_grad=True)
    torch_opt = torch.optim.Adam([w_t], lr=0.1)
    w_t.sum().backward()
    torch_opt.step()
    w = Parameter(np.zeros(2))
    opt = optim.Adam([w])
    with pytest.raises(ValueError, match=r"Adam\.load_state_dict.*'exp_avg' of parameter 0.*\(3,\).*\(2,\)"):
        opt.load_state_dict(torch_opt.state_dict())
    assert opt.state == {} and opt.param_groups[0]["lr"] == 1e-3  # nothing half-loaded


def test_our_tensors_in_state_are_converted_to_arrays():
    w = Parameter(np.array([1.0, -1.0], dtype=np.float32))
    opt = optim.SGD([w], lr=0.5, momentum=0.9)
    saved = opt.state_dict()
    saved["state"] = {0: {"momentum_buffer": Tensor(np.array([1.0, 2.0]))}}
    opt.load_state_dict(saved)
    buf = opt.state[w]["momentum_buffer"]
    assert type(buf) is np.ndarray and buf.dtype == np.float32
    w.grad = Tensor(np.array([1.0, 1.0], dtype=np.float32))
    opt.step()
    np.testing.assert_allclose(w.data, [1.0 - 0.5 * 1.9, -1.0 - 0.5 * 2.8], rtol=1e-6)


def test_scalar_step_array_becomes_a_python_int():
    # What a torch Adam state looks like after conversion to numpy: 'step' is a 0-d float array.
    w = Parameter(np.array([1.0, 2.0]))
    opt = optim.Adam([w], lr=0.1)
    saved = opt.state_dict()
    saved["state"] = {0: {"step": np.array(2.0, dtype=np.float32), "exp_avg": Tensor(np.array([0.1, 0.2])),
                          "exp_avg_sq": np.array([0.01, 0.04])}}
    opt.load_state_dict(saved)
    assert opt.state[w]["step"] == 2 and type(opt.state[w]["step"]) is int
    w.grad = Tensor(np.array([1.0, 1.0]))
    opt.step()
    assert opt.state[w]["step"] == 3
    m = 0.9 * np.array([0.1, 0.2]) + 0.1
    v = 0.999 * np.array([0.01, 0.04]) + 0.001
    expected = np.array([1.0, 2.0]) - 0.1 / (1 - 0.9 ** 3) * m / (np.sqrt(v) / np.sqrt(1 - 0.999 ** 3) + 1e-8)
    np.testing.assert_allclose(w.data, expected, rtol=1e-12)


def test_wrong_shapes_in_state_name_optimizer_parameter_and_shapes():
    a, b = Parameter(np.zeros(2)), Parameter(np.zeros((2, 3)))
    opt = optim.RMSprop([a, b])
    saved = opt.state_dict()
    saved["state"] = {1: {"step": 1, "square_avg": Tensor(np.zeros(3))}}
    with pytest.raises(ValueError, match=r"RMSprop\.load_state_dict: state 'square_avg' of parameter 1 has "
                                         r"shape \(3,\); expected \(2, 3\)"):
        opt.load_state_dict(saved)
    saved["state"] = {0: {"step": np.array([1, 2]), "square_avg": np.zeros(2)}}
    with pytest.raises(ValueError, match=r"RMSprop\.load_state_dict: state 'step' of parameter 0 has shape "
                                         r"\(2,\); expected a single number"):
        opt.load_state_dict(saved)
    assert opt.state == {}


# ---------------------------------------------------------------------------------------------- nn.load
def test_load_refuses_a_torch_save_file(tmp_path):
    torch = pytest.importorskip("torch")
    path = tmp_path / "torch_model.pt"
    torch.save(torch.nn.Linear(2, 1).state_dict(), path)
    assert zipfile.is_zipfile(path)
    with pytest.raises(ValueError, match=r"torch_model\.pt.*not a chaingrad checkpoint.*\.npy"):
        load(path)


def test_load_refuses_a_zip_with_members_that_are_not_arrays(tmp_path):
    path = tmp_path / "notes.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "not an array")
        z.writestr("w.npy", "a .npy name, but no .npy header")
    with pytest.raises(ValueError, match=r"notes\.zip.*not a chaingrad checkpoint.*'readme\.txt'"):
        load(path)
    only_fake = tmp_path / "fake.npz"
    with zipfile.ZipFile(only_fake, "w") as z:
        z.writestr("w.npy", "a .npy name, but no .npy header")
    with pytest.raises(ValueError, match=r"fake\.npz.*not a chaingrad checkpoint.*'w\.npy'"):
        load(only_fake)


def test_load_still_reads_checkpoints_and_plain_npz(tmp_path):
    path = tmp_path / "ok.npz"
    save({"w": np.arange(3.0), "epoch": 2}, path)
    out = load(path)
    assert out["epoch"] == 2 and out["w"].tolist() == [0.0, 1.0, 2.0]
    plain = tmp_path / "plain.npz"
    np.savez(plain, a=np.ones(2), b=np.zeros((1, 2), dtype=np.int32))
    out = load(plain)
    assert list(out) == ["a", "b"] and out["b"].dtype == np.int32
