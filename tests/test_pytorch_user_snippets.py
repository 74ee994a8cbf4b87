"""Code a PyTorch user writes, run once with ``torch`` and once with chaingrad, compared.

Each snippet below is a function of a library namespace ``L`` (see ``pytorch_snippets.py``, which holds the
adapter and the comparison): ``L.torch`` is ``torch`` or ``autograd``, ``L.nn`` is ``torch.nn`` or ``nn``,
``L.F`` is ``torch.nn.functional`` or ``nn.functional``, ``L.optim`` is ``torch.optim`` or ``nn.optim`` and
``L.data`` is ``torch.utils.data`` or ``nn.data``. Each snippet is written as PyTorch code and returns what
it computed; the test compares chaingrad's results with torch's: values (float64 data with
``rtol=1e-10``, float32 with ``rtol=1e-5``), dtypes, shapes, Python types, and whether something raised.
Only snippets that behave the same in both libraries are here; ``test_pytorch_user_snippets_2.py`` has
more (losses' and optimizers' options, the Module API, tensor idioms, data).
"""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
from pytorch_snippets import attempt, data, fill_parameters, run_snippet, snippet_registry

SNIPPETS, snippet = snippet_registry()


# ------------------------------------------------------------------------------------- autograd basics
@snippet
def scalar_backward(L):
    x = L.torch.tensor([1.0, 2.0, 3.0], dtype=L.torch.float64, requires_grad=True)
    y = (x ** 2 + 3 * x).sum()
    before = x.grad is None
    y.backward()
    return dict(grad=x.grad, y=y, before=before, x_leaf=x.is_leaf, y_leaf=y.is_leaf,
                y_requires_grad=y.requires_grad, x_fn=x.grad_fn is None, y_fn=y.grad_fn is not None)


@snippet
def backward_with_gradient_argument(L):
    x = L.torch.tensor(data(3), requires_grad=True)
    y = x * x * 2
    y.backward(gradient=L.torch.tensor([0.1, 1.0, 10.0], dtype=L.torch.float64))
    g1 = x.grad.clone()
    x.grad = None
    z = x.exp()
    z.backward(L.torch.ones_like(z))
    return g1, x.grad


@snippet
def backward_non_scalar_without_gradient_raises(L):
    x = L.torch.tensor(data(3), requires_grad=True)
    return attempt(lambda: (x * 2).backward()), x.grad is None


@snippet
def gradients_accumulate_and_zero(L):
    x = L.torch.tensor(data(4), requires_grad=True)
    (x * x).sum().backward()
    (3 * x).sum().backward()
    accumulated = x.grad.clone()
    x.grad.zero_()
    zeroed = x.grad.clone()
    x.sin().sum().backward()
    return accumulated, zeroed, x.grad


@snippet
def retain_graph(L):
    x = L.torch.tensor(data(3), requires_grad=True)
    y = (x.tanh() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    second = x.grad.clone()
    third = attempt(lambda: y.backward())
    return first, second, third


@snippet
def second_derivative_with_create_graph(L):
    x = L.torch.tensor([0.5, -1.5, 2.0], dtype=L.torch.float64, requires_grad=True)
    y = (x ** 3 + x.sin()).sum()
    y.backward(create_graph=True)
    g = x.grad
    fn = g.grad_fn is not None
    x.grad = None
    g.sum().backward()
    return g, x.grad, fn


@snippet
def detach_cuts_the_graph(L):
    x = L.torch.tensor(data(3), requires_grad=True)
    y = x * 2
    z = y.detach()
    (y * z).sum().backward()
    return x.grad, z.requires_grad, z.is_leaf, z.grad_fn is None


@snippet
def no_grad_enable_grad_set_grad_enabled(L):
    x = L.torch.tensor(data(2), requires_grad=True)
    with L.torch.no_grad():
        a = x * 2
        with L.torch.enable_grad():
            b = x * 2
        inside = L.torch.is_grad_enabled()
    with L.torch.set_grad_enabled(False):
        c = x * 2
    L.torch.set_grad_enabled(False)
    d = x * 2
    L.torch.set_grad_enabled(True)

    @L.torch.no_grad()
    def predict(t):
        return t * 2

    return (a.requires_grad, b.requires_grad, inside, c.requires_grad, d.requires_grad,
            predict(x).requires_grad, L.torch.is_grad_enabled())


@snippet
def requires_grad_method(L):
    a = L.torch.tensor(data(2, 2))
    flags = [a.requires_grad]
    same = a.requires_grad_() is a
    flags.append(a.requires_grad)
    b = (a * a).sum()
    b.backward()
    a.requires_grad_(False)
    flags.append(a.requires_grad)
    return flags, same, a.grad


@snippet
def hooks_change_gradient(L):
    x = L.torch.tensor(data(3), requires_grad=True)
    seen = []
    h = x * 3
    h.register_hook(lambda g: seen.append(g.clone()))
    handle = x.register_hook(lambda g: g * 10)
    (h * h).sum().backward()
    first = x.grad.clone()
    handle.remove()
    x.grad = None
    (h.detach() * x).sum().backward()
    return first, seen, x.grad


@snippet
def retain_grad_of_intermediate(L):
    x = L.torch.tensor(data(3), requires_grad=True)
    y = x.exp()
    y.retain_grad()
    z = (y * y).mean()
    z.backward()
    return y.grad, x.grad


@snippet
def grad_of_non_leaf_is_none_with_warning(L):
    x = L.torch.tensor(data(3), requires_grad=True)
    y = x * 2
    y.sum().backward()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = y.grad
    return g is None, len(caught) > 0


@snippet
def integer_tensor_cannot_require_grad(L):
    return attempt(lambda: L.torch.tensor([1, 2, 3], requires_grad=True))


@snippet
def inplace_on_leaf_raises_outside_no_grad(L):
    w = L.torch.tensor(data(2), requires_grad=True)
    return attempt(lambda: w.add_(1.0))


@snippet
def manual_sgd_step(L):
    w = L.torch.tensor(data(3), requires_grad=True)
    b = L.torch.tensor(0.5, dtype=L.torch.float64, requires_grad=True)
    x = L.torch.tensor(data(5, 3, seed=1))
    y = L.torch.tensor(data(5, seed=2))
    lr = 0.1
    losses = []
    for _ in range(3):
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        with L.torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
        losses.append(loss.item())
    return w, b, losses, w.requires_grad, w.is_leaf


# --------------------------------------------------------------------------------- creation and dtypes
@snippet
def default_dtypes(L):
    T = L.torch
    return [T.tensor([1, 2]).dtype, T.tensor([1.0, 2.0]).dtype, T.tensor([True]).dtype,
            T.zeros(2, 3).dtype, T.ones((2,)).dtype, T.arange(5).dtype, T.arange(5.0).dtype,
            T.arange(0, 1, 0.25).dtype, T.tensor(np.arange(3.0)).dtype, T.full((2,), 7).dtype,
            T.eye(2).dtype, T.linspace(0, 1, 5).dtype, T.zeros_like(T.tensor([1, 2])).dtype]


@snippet
def creation_values(L):
    T = L.torch
    return [T.arange(0, 1, 0.25), T.arange(2, 11, 3), T.linspace(-1, 1, 5), T.eye(3),
            T.full((2, 2), 1.5), T.zeros(2, 3), T.ones([2]), T.ones_like(T.tensor(data(2, 2)))]


@snippet
def dtype_conversions(L):
    T = L.torch
    x = T.tensor([1.7, -2.2, 3.5])
    return [x.double(), x.long(), x.int(), x.to(T.float64), x.to(T.int64), x.float(), x.bool(),
            x.double().dtype == T.float64, x.long().dtype == T.int64, x.type_as(T.tensor([1]))]


@snippet
def float_tensor_with_python_numbers_stays_float32(L):
    x = L.torch.tensor([1.0, 2.0])
    return [(x * 0.1).dtype, (x + 1).dtype, (2 ** x).dtype, (x / 3).dtype, x.mean().dtype]


@snippet
def item_tolist_numpy(L):
    x = L.torch.tensor(data(2, 3))
    s = x.sum()
    arr = x.numpy()
    i = L.torch.tensor([4, 5]).sum()
    return (s.item(), type(s.item()), x.tolist(), type(arr).__name__, arr,
            i.item(), type(i.item()), x[0, 1].item(), L.torch.tensor([True]).item())


@snippet
def numpy_roundtrip_shares_memory(L):
    a = np.arange(4.0)
    t = L.torch.from_numpy(a)
    a[0] = 10.0
    c = L.torch.tensor(a)
    a[1] = 20.0
    return t, c, t.dtype


@snippet
def manual_seed_reproducible(L):
    L.torch.manual_seed(123)
    a = L.torch.randn(4)
    L.torch.manual_seed(123)
    b = L.torch.randn(4)
    r = L.torch.rand(1000)
    k = L.torch.randint(0, 5, (100,))
    return (bool((a == b).all()), a.dtype, r.dtype, bool(((r >= 0) & (r < 1)).all()), k.dtype,
            int(k.min()) >= 0, int(k.max()) < 5, L.torch.randn(2, 3).shape)


# ------------------------------------------------------------------------------------ shape and layout
@snippet
def view_reshape_permute(L):
    x = L.torch.arange(24).reshape(2, 3, 4)
    return [x.view(6, 4), x.view(-1), x.permute(2, 0, 1), x.permute(2, 0, 1).contiguous().view(4, -1),
            x.transpose(0, 1), x.reshape(-1, 2).shape, x.flatten(1), x.unsqueeze(1).shape,
            x[:, :1].squeeze(1).shape, x.unsqueeze(-1).squeeze().shape, x.size(), x.size(1),
            x.dim(), x.numel(), x.T.shape if x.dim() == 2 else None]


@snippet
def cat_stack_split_chunk(L):
    T = L.torch
    a = T.tensor(data(2, 3), requires_grad=True)
    b = T.tensor(data(2, 3, seed=1), requires_grad=True)
    c = T.cat([a, b], dim=0)
    d = T.cat((a, b), dim=1)
    s = T.stack([a, b])
    s1 = T.stack([a, b], dim=1)
    parts = T.split(T.arange(7), 3)
    chunks = T.arange(6).chunk(3)
    (c.sum() + (d * d).sum() + (s[1] * 3).sum() + s1[:, 0].sum()).backward()
    return c.shape, d.shape, s.shape, s1.shape, list(parts), list(chunks), a.grad, b.grad


@snippet
def expand_repeat_broadcast(L):
    T = L.torch
    v = T.tensor(data(3), requires_grad=True)
    e = v.expand(2, 3)
    r = v.repeat(2, 2)
    r1 = T.tensor([1, 2, 3]).repeat(2)
    ri = T.tensor([1, 2, 3]).repeat_interleave(2)
    ((e * T.tensor([[1.0], [2.0]], dtype=T.float64)).sum() + r.sum()).backward()
    return e, r, r1, ri, v.grad


@snippet
def squeeze_non_unit_dim_is_noop(L):
    x = L.torch.zeros(2, 1, 3)
    return x.squeeze(0).shape, x.squeeze(1).shape, x.squeeze(-1).shape, x.squeeze().shape


# ------------------------------------------------------------------------------------------- indexing
@snippet
def boolean_mask_indexing(L):
    x = L.torch.tensor(data(3, 4), requires_grad=True)
    mask = x > 0
    picked = x[mask]
    rows = x[x[:, 0] > 0]
    (picked.sum() * 2 + rows.sum()).backward()
    y = x.detach().clone()
    y[y < 0] = 0.0
    return mask, picked, rows, x.grad, y, mask.dtype, mask.sum(), mask.float().mean()


@snippet
def integer_tensor_indexing(L):
    T = L.torch
    x = T.tensor(data(4, 3), requires_grad=True)
    idx = T.tensor([0, 2, 2])
    a = x[idx]
    b = x[:, T.tensor([1, 0])]
    c = x[T.tensor([0, 1, 3]), T.tensor([2, 0, 1])]
    d = x[-1]
    e = x[1:3, ::2]
    f = x[None, :, 1]
    (a.sum() + 2 * b.sum() + 3 * c.sum() + d.sum() + e.sum() + f.sum()).backward()
    return a, b, c, d, e, f.shape, x.grad


@snippet
def where_masked_fill_clamp(L):
    T = L.torch
    x = T.tensor(data(2, 4), requires_grad=True)
    a = T.where(x > 0, x, T.zeros_like(x))
    b = T.where(x > 0, x * 2, x / 2)
    c = x.masked_fill(x < 0, 0.0)
    d = x.clamp(min=-0.5)
    e = x.clamp(-1.0, 1.0)
    f = T.clamp(x, max=0.3)
    (a.sum() + b.sum() + c.sum() + d.sum() + e.sum() + f.sum()).backward()
    return a, b, c, d, e, f, x.grad


@snippet
def gather_scatter(L):
    T = L.torch
    logits = T.tensor(data(3, 4), requires_grad=True)
    labels = T.tensor([1, 0, 3])
    picked = logits.gather(1, labels.unsqueeze(1))
    picked.sum().backward()
    onehot = T.zeros(3, 4).scatter(1, labels.unsqueeze(1), 1.0)
    src = T.tensor(data(3, 1))
    sc = T.zeros(3, 4, dtype=T.float64).scatter(1, labels.view(-1, 1), src)
    added = T.zeros(5, dtype=T.float64).scatter_add(0, T.tensor([0, 1, 1, 4]), T.tensor(data(4)))
    return picked, logits.grad, onehot, sc, added


@snippet
def argmax_topk_sort_cumsum(L):
    T = L.torch
    x = T.tensor(data(3, 5), requires_grad=True)
    am = x.argmax(dim=1)
    am_all = x.argmax()
    amk = T.argmax(x, dim=0, keepdim=True)
    top = x.topk(2, dim=1)
    values, indices = T.sort(x, dim=1, descending=True)
    cs = x.cumsum(dim=0)
    cp = T.cumsum(x, 1)
    (top.values.sum() + values[:, 0].sum() + cs.sum() + (cp * cp).sum()).backward()
    return am, am_all, amk, top.values, top.indices, values, indices, cs, x.grad, indices.dtype


@snippet
def max_min_without_dim_and_elementwise(L):
    T = L.torch
    x = T.tensor(data(2, 3), requires_grad=True)
    y = T.tensor(data(2, 3, seed=1))
    m = x.max()
    n = T.min(x)
    e = T.max(x, y)
    mx = T.maximum(x, y)
    (m + n + e.sum() + mx.sum()).backward()
    return m, n, e, mx, x.grad


@snippet
def reductions_with_dim_and_keepdim(L):
    x = L.torch.tensor(data(2, 3, 4), requires_grad=True)
    parts = [x.sum(), x.sum(dim=0), x.sum(1, keepdim=True), x.mean(dim=(0, 2)), x.mean(-1),
             x.prod(dim=2), x.amax(dim=1), x.logsumexp(dim=2), x.norm(), x.abs().sum(dim=[0, 1])]
    sum(p.sum() for p in parts).backward()
    return parts, x.grad


@snippet
def var_std_with_unbiased_flag(L):
    x = L.torch.tensor(data(3, 4), requires_grad=True)
    parts = [x.var(dim=1, unbiased=False), x.std(dim=0, unbiased=True), x.var(unbiased=True),
             x.std(dim=1, keepdim=True, unbiased=False), x.var(dim=0, correction=0)]
    sum(p.sum() for p in parts).backward()
    return parts, x.grad


# ------------------------------------------------------------------------------------ linear algebra
@snippet
def matmul_broadcasting(L):
    T = L.torch
    a = T.tensor(data(4, 2, 3), requires_grad=True)
    b = T.tensor(data(3, 5, seed=1), requires_grad=True)
    v = T.tensor(data(3, seed=2), requires_grad=True)
    w = T.tensor(data(2, 3, 5, seed=3), requires_grad=True)
    p1 = a @ b
    p2 = T.matmul(a, v)
    p3 = a[0] @ w
    p4 = v @ b
    p5 = T.bmm(a[:2], w)
    p6 = T.mm(a[0], b)
    (p1.sum() + p2.sum() + p3.sum() + p4.sum() + p5.sum() + p6.sum()).backward()
    return p1, p2, p3, p4, p5, p6, a.grad, b.grad, v.grad, w.grad


@snippet
def einsum_patterns(L):
    T = L.torch
    a = T.tensor(data(2, 3, 4), requires_grad=True)
    b = T.tensor(data(2, 4, 5, seed=1), requires_grad=True)
    m = T.tensor(data(3, 3, seed=2), requires_grad=True)
    r = [T.einsum("bij,bjk->bik", a, b), T.einsum("ii->", m), T.einsum("ij->ji", m),
         T.einsum("bij,bij->b", a, a), T.einsum("i,j->ij", m[0], m[1]), T.einsum("ii->i", m)]
    sum(t.sum() for t in r).backward()
    return r, a.grad, b.grad, m.grad


# ------------------------------------------------------------------------------------------------ nn
def make_mlp_class(L):
    class Net(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = L.nn.Linear(4, 8)
            self.act = L.nn.ReLU()
            self.drop = L.nn.Dropout(0.5)
            self.fc2 = L.nn.Linear(8, 3)

        def forward(self, x):
            return self.fc2(self.drop(self.act(self.fc1(x))))

    return Net


@snippet
def module_subclass_parameters(L):
    L.torch.manual_seed(0)
    net = make_mlp_class(L)()
    names = [n for n, _ in net.named_parameters()]
    shapes = [tuple(p.shape) for p in net.parameters()]
    count = sum(p.numel() for p in net.parameters())
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    children = [type(c).__name__ for c in net.children()]
    return (names, shapes, count, trainable, children, net.fc1.weight.dtype,
            net.fc1.weight.requires_grad, net.fc1.weight.is_leaf, net.training)


@snippet
def module_forward_backward_eval_mode(L):
    L.torch.manual_seed(0)
    net = make_mlp_class(L)().double()
    fill_parameters(L, net)
    x = L.torch.tensor(data(5, 4, seed=10))
    net.eval()
    out = net(x)
    out.sum().backward()
    return (out, net.training, net.fc1.training, [p.grad for p in net.parameters()],
            out.dtype, net.fc1.weight.dtype)


@snippet
def default_linear_init_range(L):
    L.torch.manual_seed(0)
    lin = L.nn.Linear(50, 20)
    bound = 1 / np.sqrt(50)
    w = lin.weight.detach().numpy()
    b = lin.bias.detach().numpy()
    return (bool(np.abs(w).max() <= bound), bool(np.abs(w).max() > 0.9 * bound),
            bool(np.abs(b).max() <= bound), lin.weight.shape, lin.bias.shape, w.dtype.name)


@snippet
def sequential_state_dict_roundtrip(L):
    L.torch.manual_seed(0)
    model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.ReLU(), L.nn.Linear(4, 2))
    fill_parameters(L, model, seed=5)
    sd = model.state_dict()
    other = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.ReLU(), L.nn.Linear(4, 2))
    result = other.load_state_dict(sd)
    x = L.torch.tensor(data(2, 3, seed=1), dtype=L.torch.float32)
    same = bool((other(x) == model(x)).all())
    return (list(sd.keys()), [tuple(v.shape) for v in sd.values()], list(result.missing_keys),
            list(result.unexpected_keys), same, type(model[0]).__name__, len(model))


@snippet
def load_state_dict_strict_mismatch_raises(L):
    model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.ReLU(), L.nn.Linear(4, 2))
    sd = model.state_dict()
    del sd["2.bias"]
    strict = attempt(lambda: model.load_state_dict(sd))
    loose = model.load_state_dict(sd, strict=False)
    return strict, list(loose.missing_keys)


@snippet
def dropout_train_and_eval(L):
    L.torch.manual_seed(0)
    drop = L.nn.Dropout(p=0.25)
    x = L.torch.ones(2000, dtype=L.torch.float64)
    y = drop(x)
    values = sorted(set(np.round(y.detach().numpy(), 12).tolist()))
    frac = float((y == 0).double().mean())
    drop.eval()
    return values, 0.2 < frac < 0.3, drop(x), L.F.dropout(x, p=0.5, training=False), L.F.dropout(x, p=0.0)


@snippet
def batchnorm1d_train_then_eval(L):
    bn = L.nn.BatchNorm1d(3).double()
    x = L.torch.tensor(data(6, 3, seed=3), requires_grad=True)
    y = bn(x)
    (y * L.torch.tensor(data(6, 3, seed=4))).sum().backward()
    bn.eval()
    z = bn(L.torch.tensor(data(2, 3, seed=5)))
    return (y, x.grad, bn.weight.grad, bn.bias.grad, bn.running_mean, bn.running_var,
            list(bn.state_dict().keys()), z)


@snippet
def conv_pool_flatten_network(L):
    L.torch.manual_seed(0)
    model = L.nn.Sequential(
        L.nn.Conv2d(2, 4, kernel_size=3, padding=1), L.nn.ReLU(), L.nn.MaxPool2d(2),
        L.nn.Flatten(), L.nn.Linear(4 * 3 * 3, 5),
    ).double()
    fill_parameters(L, model, seed=20)
    x = L.torch.tensor(data(2, 2, 6, 6, seed=7), requires_grad=True)
    out = model(x)
    out.pow(2).sum().backward()
    return out, x.grad, [p.grad for p in model.parameters()], model[0].weight.shape


@snippet
def conv2d_stride_no_bias(L):
    conv = L.nn.Conv2d(3, 2, kernel_size=(2, 3), stride=2, bias=False).double()
    fill_parameters(L, conv, seed=8)
    x = L.torch.tensor(data(1, 3, 7, 8, seed=9), requires_grad=True)
    y = conv(x)
    y.sum().backward()
    return y, x.grad, conv.weight.grad, conv.bias is None


@snippet
def training_loop_sgd_momentum(L):
    L.torch.manual_seed(0)
    model = L.nn.Sequential(L.nn.Linear(3, 5), L.nn.Tanh(), L.nn.Linear(5, 1)).double()
    fill_parameters(L, model, seed=30)
    opt = L.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-3)
    loss_fn = L.nn.MSELoss()
    x = L.torch.tensor(data(8, 3, seed=1))
    y = L.torch.tensor(data(8, 1, seed=2))
    losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, list(model.parameters())


@snippet
def training_loop_adam_cross_entropy(L):
    L.torch.manual_seed(0)
    model = L.nn.Sequential(L.nn.Linear(4, 6), L.nn.ReLU(), L.nn.Linear(6, 3)).double()
    fill_parameters(L, model, seed=40)
    opt = L.optim.Adam(model.parameters(), lr=0.01)
    criterion = L.nn.CrossEntropyLoss()
    x = L.torch.tensor(data(10, 4, seed=1))
    y = L.torch.tensor([0, 1, 2, 1, 0, 2, 2, 1, 0, 0])
    running = 0.0
    for _ in range(4):
        opt.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()
        running += loss.item()
    model.eval()
    with L.torch.no_grad():
        preds = model(x).argmax(dim=1)
        acc = (preds == y).float().mean().item()
    return running, list(model.parameters()), preds, acc, y.dtype


@snippet
def optimizer_zero_grad_sets_none(L):
    lin = L.nn.Linear(2, 1)
    opt = L.optim.SGD(lin.parameters(), lr=0.1)
    lin(L.torch.ones(3, 2)).sum().backward()
    had = lin.weight.grad is not None
    opt.zero_grad()
    after_opt = lin.weight.grad is None
    lin(L.torch.ones(3, 2)).sum().backward()
    lin.zero_grad()
    return had, after_opt, lin.weight.grad is None


@snippet
def frozen_parameters_are_skipped(L):
    model = L.nn.Sequential(L.nn.Linear(2, 2), L.nn.Linear(2, 1)).double()
    fill_parameters(L, model, seed=50)
    for p in model[0].parameters():
        p.requires_grad_(False)
    opt = L.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.5)
    model(L.torch.tensor(data(4, 2))).pow(2).mean().backward()
    opt.step()
    return list(model.parameters()), model[0].weight.grad is None


@snippet
def param_groups_and_manual_lr(L):
    a = L.nn.Linear(2, 2)
    b = L.nn.Linear(2, 1)
    opt = L.optim.SGD([{"params": a.parameters()}, {"params": b.parameters(), "lr": 0.01}],
                      lr=0.1, momentum=0.9)
    lrs = [g["lr"] for g in opt.param_groups]
    for g in opt.param_groups:
        g["lr"] *= 0.5
    return lrs, [g["lr"] for g in opt.param_groups], [g["momentum"] for g in opt.param_groups]


@snippet
def lr_schedulers(L):
    out = {}
    for name, kw in [("StepLR", dict(step_size=2, gamma=0.5)), ("ExponentialLR", dict(gamma=0.9)),
                     ("CosineAnnealingLR", dict(T_max=4)), ("LinearLR", dict(start_factor=0.5,
                                                                               total_iters=3))]:
        p = L.nn.Parameter(L.torch.zeros(1))
        opt = L.optim.SGD([p], lr=0.1)
        sched = getattr(L.optim.lr_scheduler, name)(opt, **kw)
        seen = []
        for _ in range(5):
            opt.step()
            sched.step()
            seen.append(opt.param_groups[0]["lr"])
        out[name] = (seen, sched.get_last_lr())
    return out


@snippet
def cross_entropy_variants(L):
    T, F = L.torch, L.F
    logits = T.tensor(data(4, 3), requires_grad=True)
    labels = T.tensor([2, 0, 1, 2])
    parts = [F.cross_entropy(logits, labels), F.cross_entropy(logits, labels, reduction="sum"),
             F.cross_entropy(logits, labels, reduction="none"),
             F.cross_entropy(logits, T.tensor([2, -100, 1, 2])),
             F.cross_entropy(logits, labels, label_smoothing=0.1),
             F.nll_loss(F.log_softmax(logits, dim=1), labels),
             L.nn.CrossEntropyLoss(weight=T.tensor([1.0, 2.0, 0.5], dtype=T.float64))(logits, labels)]
    sum(p.sum() for p in parts).backward()
    return parts, logits.grad


@snippet
def mse_l1_losses(L):
    T, F = L.torch, L.F
    pred = T.tensor(data(3, 2), requires_grad=True)
    target = T.tensor(data(3, 2, seed=1))
    parts = [F.mse_loss(pred, target), F.mse_loss(pred, target, reduction="sum"),
             F.mse_loss(pred, target, reduction="none"), L.nn.MSELoss()(pred, target),
             L.nn.L1Loss()(pred, target), F.smooth_l1_loss(pred, target, beta=0.5)]
    sum(p.sum() for p in parts).backward()
    return parts, pred.grad


@snippet
def bce_losses(L):
    T, F = L.torch, L.F
    logits = T.tensor(data(4, 2), requires_grad=True)
    target = T.tensor([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [0.0, 1.0]], dtype=T.float64)
    parts = [L.nn.BCEWithLogitsLoss()(logits, target),
             L.nn.BCEWithLogitsLoss(pos_weight=T.tensor([2.0, 0.5], dtype=T.float64))(logits, target),
             F.binary_cross_entropy_with_logits(logits, target, reduction="none"),
             L.nn.BCELoss()(T.sigmoid(logits), target),
             F.binary_cross_entropy(logits.sigmoid(), target, reduction="sum")]
    sum(p.sum() for p in parts).backward()
    return parts, logits.grad


@snippet
def init_functions(L):
    L.torch.manual_seed(0)
    w = L.torch.empty(30, 40)
    L.nn.init.constant_(w, 0.3)
    c = w.clone()
    L.nn.init.zeros_(w)
    z = w.clone()
    L.nn.init.ones_(w)
    o = w.clone()
    L.nn.init.xavier_uniform_(w)
    bound = np.sqrt(6 / (30 + 40))
    xu = (bool(w.abs().max() <= bound), bool(w.abs().max() > 0.9 * bound))
    L.nn.init.kaiming_uniform_(w, nonlinearity="relu")
    kb = np.sqrt(2) * np.sqrt(3 / 40)
    ku = (bool(w.abs().max() <= kb), bool(w.abs().max() > 0.9 * kb))
    L.nn.init.uniform_(w, -0.1, 0.1)
    un = bool(w.abs().max() <= 0.1)
    L.nn.init.normal_(w, mean=0.0, std=0.01)
    nm = bool(w.std() < 0.02)
    gains = [float(L.nn.init.calculate_gain(n)) for n in ("relu", "tanh", "linear", "sigmoid")]
    lin = L.nn.Linear(3, 3)
    L.nn.init.xavier_normal_(lin.weight)
    L.nn.init.zeros_(lin.bias)
    return c, z, o, xu, ku, un, nm, gains, lin.bias, lin.weight.requires_grad, w.dtype


@snippet
def functional_softmax_and_pad(L):
    T, F = L.torch, L.F
    x = T.tensor(data(2, 3), requires_grad=True)
    sm = F.softmax(x, dim=1)
    lsm = F.log_softmax(x, dim=0)
    sm2 = x.softmax(dim=-1)
    p1 = F.pad(x, (1, 2))
    p2 = F.pad(x, (1, 0, 2, 1), value=-1.0)
    (sm[:, 0].sum() + lsm.sum() + (sm2 * sm2).sum() + p1.sum() + p2.sum()).backward()
    return sm, lsm, sm2, p1, p2, x.grad


@snippet
def functional_activations(L):
    T, F = L.torch, L.F
    x = T.tensor(data(3, 4), requires_grad=True)
    r = [F.relu(x), T.relu(x), T.sigmoid(x), T.tanh(x), F.leaky_relu(x, 0.2), F.gelu(x), F.elu(x),
         F.softplus(x), F.silu(x), x.relu(), L.nn.LeakyReLU(0.1)(x), L.nn.Softmax(dim=1)(x)]
    sum((t * t).sum() for t in r).backward()
    return r, x.grad


@snippet
def modulelist_and_modules(L):
    class Stack(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = L.nn.ModuleList([L.nn.Linear(3, 3) for _ in range(3)])
            self.register_buffer("scale", L.torch.ones(3))

        def forward(self, x):
            for layer in self.layers:
                x = layer(x).relu()
            return x * self.scale

    m = Stack().double()
    fill_parameters(L, m, seed=60)
    out = m(L.torch.tensor(data(2, 3)))
    return (out, [n for n, _ in m.named_parameters()], list(m.state_dict().keys()),
            [n for n, _ in m.named_buffers()], len(list(m.modules())), len(m.layers))


@snippet
def train_eval_flags_propagate(L):
    model = L.nn.Sequential(L.nn.Linear(2, 2), L.nn.Dropout(), L.nn.BatchNorm1d(2))
    a = [m.training for m in model.modules()]
    model.eval()
    b = [m.training for m in model.modules()]
    r = model.train()
    return a, b, [m.training for m in model.modules()], r is model


@snippet
def batchnorm2d_and_layernorm(L):
    bn = L.nn.BatchNorm2d(2).double()
    ln = L.nn.LayerNorm(4).double()
    fill_parameters(L, ln, seed=3)
    x = L.torch.tensor(data(3, 2, 2, 4), requires_grad=True)
    y = bn(x)
    z = ln(x)
    (y * y).sum().backward()
    g1 = x.grad.clone()
    x.grad = None
    (z ** 3).sum().backward()
    return y, z, g1, x.grad, bn.running_mean, bn.running_var, bn.num_batches_tracked


@snippet
def eval_mode_uses_running_statistics(L):
    model = L.nn.Sequential(L.nn.Linear(3, 4), L.nn.BatchNorm1d(4), L.nn.ReLU(), L.nn.Dropout(0.3),
                            L.nn.Linear(4, 2)).double()
    fill_parameters(L, model, seed=70)
    x = L.torch.tensor(data(8, 3))
    opt = L.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(2):
        opt.zero_grad()
        model[1](model[0](x)).pow(2).mean().backward()
        opt.step()
    model.eval()
    with L.torch.no_grad():
        out = model(x)
    return out, out.requires_grad, model[1].running_mean, model[1].running_var


@snippet
def linear_on_1d_and_3d_inputs(L):
    lin = L.nn.Linear(4, 2).double()
    fill_parameters(L, lin)
    x = L.torch.tensor(data(2, 5, 4), requires_grad=True)
    y = lin(x)
    y.sum().backward()
    flat = y.view(-1)
    return y, x.grad, lin.weight.grad, lin(L.torch.tensor(data(4))), flat, y.transpose(0, 1).reshape(-1)


@snippet
def weight_tying_and_plain_attributes(L):
    class Tied(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = L.nn.Linear(3, 3, bias=False)
            self.b = L.nn.Linear(3, 3, bias=False)
            self.b.weight = self.a.weight
            self.plain = L.torch.ones(2)          # a plain tensor attribute: not a parameter

        def forward(self, x):
            return self.b(self.a(x))

    m = Tied().double()
    fill_parameters(L, m, seed=3)
    m(L.torch.tensor(data(2, 3))).sum().backward()
    names = [n for n, _ in m.named_parameters()]
    return names, list(m.state_dict()), m.a.weight.grad, m.b.weight is m.a.weight


@snippet
def sequential_from_ordered_dict(L):
    from collections import OrderedDict

    model = L.nn.Sequential(OrderedDict([("fc1", L.nn.Linear(2, 3)), ("act", L.nn.ReLU()),
                                         ("fc2", L.nn.Linear(3, 1))]))
    m = L.nn.Module()
    m.add_module("lin", L.nn.Linear(2, 2))
    m.register_parameter("alpha", L.nn.Parameter(L.torch.ones(1)))
    return ([n for n, _ in model.named_parameters()], type(model.fc1).__name__, type(model[-1]).__name__,
            type(model[:2]).__name__, [n for n, _ in m.named_modules()], [n for n, _ in m.named_parameters()])


@snippet
def all_optimizers_three_steps(L):
    out = {}
    for name, kw in [("SGD", dict(lr=0.1)), ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
                     ("Adam", dict(lr=0.01)), ("Adam", dict(lr=0.01, amsgrad=True, betas=(0.8, 0.9))),
                     ("AdamW", dict(lr=0.01)), ("RMSprop", dict(lr=0.01)), ("Adagrad", dict(lr=0.1))]:
        w = L.nn.Parameter(L.torch.tensor(data(3)))
        opt = getattr(L.optim, name)([w], **kw)
        for _ in range(3):
            opt.zero_grad()
            ((w - 0.3) ** 4).sum().backward()
            opt.step()
        out[name + str(sorted(kw))] = w
    return out


@snippet
def resume_optimizer_from_state_dict(L):
    def run(model, opt, steps):
        x = L.torch.tensor(data(6, 2, seed=1))
        for _ in range(steps):
            opt.zero_grad()
            model(x).pow(2).mean().backward()
            opt.step()

    model = L.nn.Linear(2, 1).double()
    fill_parameters(L, model)
    opt = L.optim.Adam(model.parameters(), lr=0.05)
    run(model, opt, 2)
    # deep-copied, as saving to a file does: torch's in-memory state dict shares the optimizer's state
    checkpoint = copy.deepcopy({"model": model.state_dict(), "opt": opt.state_dict()})
    fresh = L.nn.Linear(2, 1).double()
    fresh.load_state_dict(checkpoint["model"])
    fresh_opt = L.optim.Adam(fresh.parameters(), lr=0.05)
    fresh_opt.load_state_dict(checkpoint["opt"])
    run(fresh, fresh_opt, 2)
    run(model, opt, 2)
    return list(fresh.parameters()), list(model.parameters())


@snippet
def optimizer_zero_grad_keeping_zeros(L):
    lin = L.nn.Linear(2, 1).double()
    opt = L.optim.SGD(lin.parameters(), 0.1)
    lin(L.torch.ones(1, 2, dtype=L.torch.float64)).sum().backward()
    opt.zero_grad(set_to_none=False)
    return lin.weight.grad, lin.bias.grad, opt.param_groups[0]["lr"]


@snippet
def cross_entropy_probabilities_and_spatial(L):
    F = L.F
    logits = L.torch.tensor(data(3, 4), requires_grad=True)
    probs = L.torch.tensor(data(3, 4, seed=1)).softmax(dim=1)
    a = F.cross_entropy(logits, probs)
    seg = L.torch.tensor(data(2, 3, 4, seed=2), requires_grad=True)
    b = F.cross_entropy(seg, L.torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]]))
    logp = L.torch.tensor(data(5, 3, seed=3)).log_softmax(1).requires_grad_()
    c = F.nll_loss(logp, L.torch.tensor([0, 2, -100, 1, 1]),
                   weight=L.torch.tensor([1.0, 0.5, 2.0], dtype=L.torch.float64))
    d = F.kl_div(logp, L.torch.tensor(data(5, 3, seed=4)).softmax(1), reduction="batchmean")
    (a + b + c + d).backward()
    wrong = attempt(lambda: F.cross_entropy(logits, L.torch.tensor([0.0, 2.0, 1.0], dtype=L.torch.float64)))
    return a, b, c, d, logits.grad, seg.grad, logp.grad, wrong


@snippet
def losses_at_extreme_logits(L):
    T, F = L.torch, L.F
    x = T.tensor([-800.0, -40.0, 0.0, 40.0, 800.0], dtype=T.float64, requires_grad=True)
    t = T.tensor([1.0, 0.0, 1.0, 0.0, 0.0], dtype=T.float64)
    z = T.tensor([[1000.0, 0.0, -1000.0]], dtype=T.float64, requires_grad=True)
    parts = [F.logsigmoid(x), F.softplus(x), T.sigmoid(x), F.binary_cross_entropy_with_logits(x, t),
             F.cross_entropy(z, T.tensor([2])), F.log_softmax(z, dim=1)]
    sum(p.sum() for p in parts[:5]).backward()
    return parts, x.grad, z.grad


@snippet
def binary_classifier_with_sigmoid(L):
    m = L.nn.Sequential(L.nn.Linear(2, 1), L.nn.Sigmoid()).double()
    fill_parameters(L, m)
    x = L.torch.tensor(data(5, 2))
    y = L.torch.tensor([[1.0], [0.0], [1.0], [1.0], [0.0]], dtype=L.torch.float64)
    loss = L.nn.BCELoss()(m(x), y)
    loss.backward()
    pred = (m(x) > 0.5).float()
    return loss, [p.grad for p in m.parameters()], pred, (pred == y).float().mean()


@snippet
def accuracy_bookkeeping(L):
    lin = L.nn.Linear(3, 2).double()
    fill_parameters(L, lin)
    x = L.torch.tensor(data(6, 3))
    y = L.torch.tensor([0, 1, 1, 0, 1, 0])
    correct, total, preds = 0, 0, []
    with L.torch.no_grad():
        for i in range(0, 6, 2):
            out = lin(x[i:i + 2])
            predicted = out.argmax(dim=1)
            total += y[i:i + 2].size(0)
            correct += (predicted == y[i:i + 2]).sum().item()
            preds.append(predicted.numpy())
    return correct, type(correct), total, 100 * correct / total, np.concatenate(preds)


@snippet
def attention_with_causal_mask(L):
    T, F = L.torch, L.F
    q = T.tensor(data(2, 4, 3), requires_grad=True)
    k = T.tensor(data(2, 4, 3, seed=1))
    scores = q @ k.transpose(-2, -1) / 3 ** 0.5
    mask = T.triu(T.ones(4, 4), diagonal=1).bool()
    att = F.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
    (att * T.tensor(data(2, 4, 4, seed=2))).sum().backward()
    return att, q.grad, mask


@snippet
def gradients_at_kinks_and_ties(L):
    T = L.torch
    x = T.tensor([-1.0, 0.0, 1.0, 2.0], dtype=T.float64, requires_grad=True)
    (x.clamp(-1.0, 1.0).sum() + x.relu().sum() * 10 + x.abs().sum() * 100 + T.sign(x).sum()).backward()
    t = T.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], dtype=T.float64, requires_grad=True)
    (T.amax(t, dim=1).sum() + t.max()).backward()
    u = T.tensor([-1.0, 4.0], dtype=T.float64, requires_grad=True)
    T.where(u > 0, u.sqrt(), T.zeros_like(u)).sum().backward()
    return x.grad, t.grad, u.grad, t.argmax(dim=1), t.argmin(dim=1)


@snippet
def leaf_changed_after_use_refuses_backward(L):
    w = L.torch.tensor(data(2), requires_grad=True)
    loss = (w * w).sum()
    with L.torch.no_grad():
        w.mul_(2.0)
    y = L.torch.tensor(data(2), requires_grad=True) * 2
    return attempt(lambda: loss.backward()), attempt(lambda: (y.detach() * 2).sum().backward())


@snippet
def searching_and_selecting(L):
    T = L.torch
    x = T.tensor([[0.0, 1.5, -2.0], [3.0, 0.0, 0.5]], dtype=T.float64)
    return [T.nonzero(x), x.nonzero(as_tuple=True), T.where(x > 0), T.masked_select(x, x > 0),
            x.index_select(1, T.tensor([2, 0])), T.isnan(x).any(), (x > 0).any(dim=1), (x >= 0).all(),
            x.eq(0), x.ne(0).sum(dim=1), T.logical_and(x > 0, x < 2), x.tril(), T.triu(x, 1),
            T.take_along_dim(x, T.tensor([[1], [0]]), dim=1),
            T.unique(T.tensor([2, 0, 2, 1]), return_counts=True),
            T.bincount(T.tensor([2, 0, 2, 1]), minlength=5)]


@snippet
def elementwise_math_gradients(L):
    T = L.torch
    x = T.tensor(data(6, low=0.1, high=3.0), requires_grad=True)
    r = [T.pow(x, 2), x.pow(0.5), x.exp().log(), T.sqrt(x), x.floor(), x.ceil(), x.round(), T.rsqrt(x),
         x.reciprocal(), T.log1p(x), x.sin().cos(), T.erf(x), x ** x, 2 ** x, x.square()]
    sum(t.sum() for t in r).backward()
    return r, x.grad


@snippet
def vector_and_matrix_products(L):
    T = L.torch
    a = T.tensor(data(3), requires_grad=True)
    b = T.tensor(data(3, seed=1), requires_grad=True)
    m = T.tensor(data(3, 3, seed=2), requires_grad=True)
    r = [T.matmul(a, b), T.dot(a, b), T.outer(a, b), m @ a, a @ m, T.mv(m, b), T.inverse(m), T.det(m),
         m.trace(), T.linalg.solve(m, b), T.linalg.norm(m, dim=1), m.norm(dim=0, keepdim=True)]
    sum(t.sum() for t in r).backward()
    return r, a.grad, b.grad, m.grad


@snippet
def integer_arithmetic(L):
    T = L.torch
    a = T.tensor([-7, 7, -7, 7])
    b = T.tensor([2, -2, -2, 2])
    f = T.tensor([-7.5, 7.5])
    i8 = T.tensor([100, 100], dtype=T.int8)
    i = T.tensor([1, 2])
    return (a // b, a % b, f // 2, f % 2, T.fmod(f, 2), T.remainder(a, 3), T.tensor([True, False]).sum(),
            i8.sum(), T.tensor([1, 2], dtype=T.int32).cumsum(0), T.round(T.tensor([0.5, 1.5, 2.5, -0.5])),
            attempt(lambda: i.add_(0.5)), i * 2, T.full_like(a, 2.7))


@snippet
def dataloader_batches(L):
    X = L.torch.arange(20.0).view(10, 2)
    y = L.torch.arange(10)
    ds = L.data.TensorDataset(X, y)
    batches = [(xb, yb) for xb, yb in L.data.DataLoader(ds, batch_size=4)]
    dropped = L.data.DataLoader(ds, batch_size=4, drop_last=True)
    shuffled = L.data.DataLoader(ds, batch_size=3, shuffle=True)
    seen = sorted(int(v) for _, yb in shuffled for v in yb)
    return len(ds), ds[3], batches, len(dropped), len(list(dropped)), seen, len(shuffled)


@snippet
def iterate_unpack_and_truth_values(L):
    x = L.torch.tensor(data(2, 3))
    rows = [r for r in x]
    a, b = x
    flags = [bool((x > 0).any()), bool(x.sum() > 0), bool(L.torch.tensor([1.0]))]
    return rows, a, b, len(x), flags, attempt(lambda: bool(x > 0)), attempt(lambda: x.item())



@snippet
def model_parameters_updated_by_hand(L):
    model = L.nn.Sequential(L.nn.Linear(3, 2), L.nn.Tanh(), L.nn.Linear(2, 1)).double()
    fill_parameters(L, model)
    x = L.torch.tensor(data(4, 3))
    for _ in range(3):
        loss = model(x).pow(2).mean()
        model.zero_grad()
        loss.backward()
        with L.torch.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
    one = L.torch.tensor([2.0], dtype=L.torch.float64, requires_grad=True)
    (one * 3).backward()  # one element: no gradient argument needed
    return list(model.parameters()), one.grad


@snippet
def schedulers_chained_and_past_t_max(L):
    p = L.nn.Parameter(L.torch.zeros(1))
    opt = L.optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.5)
    opt.add_param_group({"params": [L.nn.Parameter(L.torch.zeros(2))], "lr": 0.5})
    linear = L.optim.lr_scheduler.LinearLR(opt)
    step = L.optim.lr_scheduler.StepLR(opt, 2, 0.5)
    chained = []
    for _ in range(6):
        opt.step()
        linear.step()
        step.step()
        chained.append([g["lr"] for g in opt.param_groups])
    opt2 = L.optim.SGD([L.nn.Parameter(L.torch.zeros(1))], lr=0.1)
    cosine = L.optim.lr_scheduler.CosineAnnealingLR(opt2, T_max=3, eta_min=0.01)
    past = []
    for _ in range(8):
        opt2.step()
        cosine.step()
        past.append(opt2.param_groups[0]["lr"])
    return np.array(chained), np.array(past)


@snippet
def batchnorm_options(L):
    cumulative = L.nn.BatchNorm1d(2, momentum=None).double()
    for i in range(3):
        cumulative(L.torch.tensor(np.arange(8.0).reshape(4, 2) * (i + 1)))
    plain = L.nn.BatchNorm1d(2, affine=False, track_running_stats=False).double()
    plain.eval()
    seq = L.nn.BatchNorm1d(2).double()
    y = seq(L.torch.tensor(data(4, 2, 3)))
    return (cumulative.running_mean, cumulative.running_var, plain(L.torch.tensor(data(4, 2))),
            len(list(plain.parameters())), list(plain.state_dict()), y, seq.running_var,
            attempt(lambda: L.nn.BatchNorm1d(2)(L.torch.ones(1, 2))))

@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_behaves_as_in_torch(name):
    run_snippet(SNIPPETS[name])
