"""Random computation graphs, differentiated by the engine and by torch (float64), must agree.

The plain backward pass lets elementwise array rules write into the gradient array they are given (the
engine copies where two owners could see one array: retained gradients, one array handed to two
operands, the seeds of the functional API). A mistake there gives silently wrong gradients, and only in
particular graph shapes: a tensor used several times, views (reshape, transpose, slices, expand) feeding
elementwise functions, interior tensors that retain their gradient, a graph differentiated twice, a pass
restricted to some inputs, a recorded pass differentiated again. Hypothesis builds such graphs from a list
of ops, each with its engine and its torch spelling; the test replays the one program on both and compares
the outputs, every leaf's gradient and the retained ones, for several ways of running backward.

Values stay in a safe range (exp only of moderate inputs, log and sqrt of ``x * x + 1``, denominators
``b * b + 0.5``, steps whose output grows past :data:`BOUND` are dropped), and the clamp bounds are not 0,
where relu's exact zeros would sit on a kink. Ties do occur (expand, repeated indices, ``maximum(x, x)``):
the engine and torch both split the gradient evenly there (``amax``/``amin`` in torch), so they agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor
from autograd.functional import grad as ag_grad
from autograd.functional import vjp as ag_vjp

torch = pytest.importorskip("torch")
# A drawn step whose values overflow (a running product, say) is computed, then dropped: numpy's
# overflow warnings on the way are expected.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
TF = torch.nn.functional

RTOL, ATOL = 1e-9, 1e-10
BOUND = 50.0        # a step whose output leaves [-BOUND, BOUND] is dropped, so values stay tame
MAX_SIZE = 36       # elements of any intermediate
MAX_NDIM = 4
EXAMPLES = settings(max_examples=150, deadline=None, derandomize=True)


# --------------------------------------------------------------------------------------------- the ops
@dataclass(frozen=True)
class Op:
    """One op: its engine and torch spellings, both called as ``fn(*operands, **params)``."""

    arity: int
    engine: Callable[..., Any]
    torch: Callable[..., Any]


def _index(axis: int, index: Any) -> tuple:
    return (slice(None),) * axis + (index,)


OPS: dict[str, Op] = {
    # elementwise, one operand
    "exp": Op(1, lambda x: x.exp(), lambda x: x.exp()),
    "log_sq1": Op(1, lambda x: (x * x + 1.0).log(), lambda x: (x * x + 1.0).log()),
    "sqrt_sq1": Op(1, lambda x: (x * x + 1.0).sqrt(), lambda x: (x * x + 1.0).sqrt()),
    "tanh": Op(1, lambda x: x.tanh(), lambda x: x.tanh()),
    "sigmoid": Op(1, lambda x: x.sigmoid(), lambda x: x.sigmoid()),
    "relu": Op(1, lambda x: x.relu(), lambda x: x.relu()),
    "abs": Op(1, lambda x: abs(x), lambda x: x.abs()),
    "sin": Op(1, lambda x: x.sin(), lambda x: x.sin()),
    "softplus": Op(1, lambda x: x.softplus(), TF.softplus),
    "gelu": Op(1, lambda x: x.gelu(), TF.gelu),
    "leaky_relu": Op(1, lambda x: x.leaky_relu(0.1), lambda x: TF.leaky_relu(x, 0.1)),
    "clamp": Op(1, lambda x: x.clamp(-0.7, 0.9), lambda x: x.clamp(-0.7, 0.9)),
    "affine": Op(1, lambda x, c, d: x * c + d, lambda x, c, d: x * c + d),
    "log1p_sq": Op(1, lambda x: (x * x).log1p(), lambda x: (x * x).log1p()),
    "expm1": Op(1, lambda x: x.expm1(), lambda x: x.expm1()),
    "atan": Op(1, lambda x: x.atan(), lambda x: x.atan()),
    "silu": Op(1, lambda x: x.silu(), TF.silu),
    "mish": Op(1, lambda x: x.mish(), TF.mish),
    "softsign": Op(1, lambda x: x.softsign(), TF.softsign),
    "logsigmoid": Op(1, lambda x: x.logsigmoid(), TF.logsigmoid),
    "square": Op(1, lambda x: x.square(), lambda x: x.square()),
    "clone": Op(1, lambda x: x.clone(), lambda x: x.clone()),
    # elementwise, two operands (broadcasting)
    "add": Op(2, lambda a, b: a + b, lambda a, b: a + b),
    "sub": Op(2, lambda a, b: a - b, lambda a, b: a - b),
    "mul": Op(2, lambda a, b: a * b, lambda a, b: a * b),
    "div": Op(2, lambda a, b: a / (b * b + 0.5), lambda a, b: a / (b * b + 0.5)),
    "maximum": Op(2, ag.maximum, torch.maximum),
    "minimum": Op(2, ag.minimum, torch.minimum),
    "where": Op(2, lambda a, b, cond: ag.where(cond, a, b),
                lambda a, b, cond: torch.where(torch.from_numpy(cond), a, b)),
    "atan2": Op(2, lambda a, b: ag.atan2(a, b * b + 0.5), lambda a, b: torch.atan2(a, b * b + 0.5)),
    "hypot": Op(2, lambda a, b: ag.hypot(a, b * b + 0.5), lambda a, b: torch.hypot(a, b * b + 0.5)),
    "logaddexp": Op(2, ag.logaddexp, torch.logaddexp),
    "matmul": Op(2, lambda a, b: a @ b, lambda a, b: a @ b),
    "cat": Op(2, lambda a, b, axis: ag.cat([a, b], axis=axis),
              lambda a, b, axis: torch.cat([a, b], dim=axis)),
    "stack": Op(2, lambda a, b, axis: ag.stack([a, b], axis=axis),
                lambda a, b, axis: torch.stack([a, b], dim=axis)),
    # reductions
    "sum": Op(1, lambda x, axis, keep: x.sum(axis=axis, keepdims=keep),
              lambda x, axis, keep: x.sum() if axis is None else x.sum(dim=axis, keepdim=keep)),
    "mean": Op(1, lambda x, axis, keep: x.mean(axis=axis, keepdims=keep),
               lambda x, axis, keep: x.mean() if axis is None else x.mean(dim=axis, keepdim=keep)),
    # torch's amax/amin split ties evenly, as the engine's max/min do (torch.max(dim) would pick one)
    "max": Op(1, lambda x, axis, keep: x.max(axis=axis, keepdims=keep),
              lambda x, axis, keep: torch.amax(x, dim=axis, keepdim=keep)),
    "min": Op(1, lambda x, axis, keep: x.min(axis=axis, keepdims=keep),
              lambda x, axis, keep: torch.amin(x, dim=axis, keepdim=keep)),
    "softmax": Op(1, lambda x, axis: x.softmax(axis), lambda x, axis: torch.softmax(x, dim=axis)),
    "cumsum": Op(1, lambda x, axis: x.cumsum(axis), lambda x, axis: x.cumsum(axis)),
    "cumprod": Op(1, lambda x, axis: x.cumprod(axis), lambda x, axis: x.cumprod(axis)),
    "norm": Op(1, lambda x, axis, keep: x.norm(dim=axis, keepdim=keep),
               lambda x, axis, keep: torch.linalg.vector_norm(x, dim=axis, keepdim=keep)),
    "narrow": Op(1, lambda x, axis, start, length: x.narrow(axis, start, length),
                 lambda x, axis, start, length: x.narrow(axis, start, length)),
    "movedim": Op(1, lambda x, i, j: x.movedim(i, j), lambda x, i, j: x.movedim(i, j)),
    "tril": Op(1, lambda x, k: x.tril(k), lambda x, k: x.tril(k)),
    "diagonal": Op(1, lambda x, i, j: x.diagonal(0, i, j), lambda x, i, j: x.diagonal(0, i, j)),
    "log_softmax": Op(1, lambda x, axis: x.log_softmax(axis), lambda x, axis: torch.log_softmax(x, dim=axis)),
    # shapes and views
    "reshape": Op(1, lambda x, shape: x.reshape(shape), lambda x, shape: x.reshape(shape)),
    "transpose": Op(1, lambda x, i, j: x.transpose(i, j), lambda x, i, j: x.transpose(i, j)),
    "T": Op(1, lambda x: x.T, lambda x: x.T),
    "permute": Op(1, lambda x, perm: x.permute(*perm), lambda x, perm: x.permute(*perm)),
    "expand": Op(1, lambda x, shape: x.expand(*shape), lambda x, shape: x.expand(*shape)),
    "unsqueeze": Op(1, lambda x, axis: x.unsqueeze(axis), lambda x, axis: x.unsqueeze(axis)),
    "squeeze": Op(1, lambda x, axis: x.squeeze(axis), lambda x, axis: x.squeeze(axis)),
    "slice": Op(1, lambda x, axis, s: x[_index(axis, slice(*s))],
                lambda x, axis, s: x[_index(axis, slice(*s))]),
    "take": Op(1, lambda x, axis, idx: x[_index(axis, np.array(idx))],
               lambda x, axis, idx: x[_index(axis, torch.tensor(idx))]),
    "flip": Op(1, lambda x, axis: x.flip(axis), lambda x, axis: x.flip(dims=(axis,))),
}


@dataclass
class Program:
    """Leaves (float64 arrays) and steps ``(op name, operand positions, params)``; position ``i`` is the
    i-th leaf, then the results of the steps in order."""

    leaves: list[np.ndarray]
    steps: list[tuple[str, tuple[int, ...], dict]] = field(default_factory=list)

    def run(self, inputs: list, kind: str) -> list:
        nodes = list(inputs)
        for name, args, params in self.steps:
            op = OPS[name]
            fn = op.engine if kind == "engine" else op.torch
            nodes.append(fn(*(nodes[i] for i in args), **params))
        return nodes

    def describe(self) -> str:
        shapes = [a.shape for a in self.leaves]
        return f"leaves {shapes}; " + "; ".join(f"{n}{a}{p or ''}" for n, a, p in self.steps)


# ---------------------------------------------------------------------------------------- drawing graphs
def _broadcastable(a: tuple, b: tuple) -> tuple | None:
    try:
        shape = np.broadcast_shapes(a, b)
    except ValueError:
        return None
    return shape if int(np.prod(shape)) <= MAX_SIZE else None


def _matmul_shape(a: tuple, b: tuple) -> tuple | None:
    if not a or not b:
        return None
    if len(b) == 1:
        return a[:-1] if a[-1] == b[0] else None
    if a[-1] != b[-2]:
        return None
    batch = _broadcastable(a[:-2], b[:-2])
    if batch is None:
        return None
    shape = batch + a[-2:-1] + (b[-1],)
    return shape if int(np.prod(shape)) <= MAX_SIZE else None


def _draw_step(r: random.Random, shapes: list[tuple], values: list[np.ndarray]) -> tuple:
    """One op applicable to the current nodes, with its operands (recent nodes preferred) and params.

    ``r`` comes from hypothesis's ``randoms()``: its choices are close to uniform (``sampled_from`` and
    ``integers`` favour their first option so strongly that most graphs would repeat one op), and
    hypothesis still records and shrinks them.
    """
    pick = r.choice

    n = len(shapes)

    def recent() -> int:  # the latest nodes, more often than earlier ones
        return n - 1 - min(r.randrange(n), r.randrange(n))

    # two different recent nodes first (hypothesis's favourite); a node paired with itself comes last
    pairs = sorted(((i, j) for i in range(n) for j in range(n)), key=lambda p: (p[0] == p[1], -p[0] - p[1]))
    elementwise_pairs = [p for p in pairs if _broadcastable(shapes[p[0]], shapes[p[1]]) is not None]
    matmul_pairs = [p for p in pairs if _matmul_shape(shapes[p[0]], shapes[p[1]]) is not None]
    stack_pairs = [p for p in pairs
                   if shapes[p[0]] == shapes[p[1]] and 2 * int(np.prod(shapes[p[0]])) <= MAX_SIZE]
    cat_pairs = [p for p in pairs if shapes[p[0]] and len(shapes[p[0]]) == len(shapes[p[1]])
                 and shapes[p[0]][1:] == shapes[p[1]][1:]
                 and int(np.prod(shapes[p[0]])) + int(np.prod(shapes[p[1]])) <= MAX_SIZE]
    # binary ops weigh double: two operands handed one gradient array is where ownership matters most
    kinds = ["unary", "unary", "binary", "binary", "reduce", "shape", "shape", "softmax"]
    if matmul_pairs:
        kinds.append("matmul")
    if stack_pairs:
        kinds.append("stack")
    if cat_pairs:
        kinds.append("cat")
    kind = pick(kinds)

    if kind == "unary":
        i = recent()
        names = [k for k, op in OPS.items() if op.arity == 1 and k not in NON_ELEMENTWISE]
        if np.abs(values[i]).max(initial=0.0) > 3.0:
            names = [k for k in names if k not in ("exp", "expm1")]
        name = pick(names)
        params = {"c": pick([-1.5, 0.5, 2.0]), "d": pick([0.0, 0.25])} \
            if name == "affine" else {}
        return name, (i,), params
    if kind == "binary":
        i, j = pick(elementwise_pairs)
        name = pick(["add", "sub", "mul", "div", "maximum", "minimum", "where", "atan2", "hypot",
                     "logaddexp"])
        params = {}
        if name == "where":
            shape = np.broadcast_shapes(shapes[i], shapes[j])
            bits = [r.random() < 0.5 for _ in range(int(np.prod(shape)))]
            params = {"cond": np.array(bits, dtype=bool).reshape(shape)}
        return name, (i, j), params
    if kind == "matmul":
        return "matmul", pick(matmul_pairs), {}
    if kind in ("stack", "cat"):
        i, j = pick(stack_pairs if kind == "stack" else cat_pairs)
        ndim = len(shapes[i])
        axis = r.randint(0, ndim) if kind == "stack" else 0
        return kind, (i, j), {"axis": axis}

    i = recent()
    shape, ndim = shapes[i], len(shapes[i])
    if kind == "reduce":
        name = pick(["sum", "mean", "max", "min", "norm"])
        if ndim == 0 or name in ("sum", "mean", "norm") and r.random() < 0.5:
            return ("sum" if name in ("max", "min") else name), (i,), {"axis": None, "keep": False}
        axis = r.randint(0, ndim - 1)
        return name, (i,), {"axis": axis, "keep": r.random() < 0.5}
    if kind == "softmax":
        if ndim == 0:
            return "tanh", (i,), {}
        name = pick(["softmax", "log_softmax", "cumsum", "cumprod"])
        if name == "cumprod" and (np.abs(values[i]) < 1e-100).any():
            # torch's cumprod divides by the input unless it holds an exact zero, so its (second)
            # derivatives overflow at tiny entries, where the engine's are exact (see the unit tests)
            name = "cumsum"
        return name, (i,), {"axis": r.randint(0, ndim - 1)}

    # shape ops, each only where it applies
    size = int(np.prod(shape))
    names = ["reshape", "unsqueeze"] if ndim < MAX_NDIM else ["reshape"]
    if ndim >= 2:
        names += ["transpose", "permute", "movedim", "tril", "diagonal"]
    if ndim == 2:
        names.append("T")
    if 1 in shape:
        names.append("squeeze")
    if ndim >= 1:
        names += ["slice", "take", "flip", "narrow"]
    if ndim < MAX_NDIM and 2 * size <= MAX_SIZE:
        names.append("expand")
    name = pick(names)
    if name == "reshape":
        if ndim == 0:
            return name, (i,), {"shape": (1,)}
        options = [(size,), (-1,), shape[::-1], (1,) + shape, shape + (1,)]
        if size % 2 == 0:
            options += [(2, size // 2), (size // 2, 1, 2)]
        return name, (i,), {"shape": pick(options)}
    if name == "unsqueeze":
        return name, (i,), {"axis": r.randint(0, ndim)}
    if name == "tril":
        return name, (i,), {"k": r.randint(-1, 1)}
    if name in ("transpose", "movedim", "diagonal"):
        a = r.randint(0, ndim - 1)
        b = r.choice([v for v in range(ndim) if v != a])
        return name, (i,), {"i": a, "j": b}
    if name == "permute":
        return name, (i,), {"perm": tuple(r.sample(range(ndim), ndim))}
    if name == "T":
        return name, (i,), {}
    if name == "squeeze":
        return name, (i,), {"axis": pick([k for k, s in enumerate(shape) if s == 1])}
    if name == "expand":
        ones = [k for k, s in enumerate(shape) if s == 1]
        grow = pick(ones) if ones and r.random() < 0.5 else None
        n_new = r.randint(2, 3)
        if grow is None or n_new * size > MAX_SIZE:
            return name, (i,), {"shape": (2,) + shape}
        return name, (i,), {"shape": shape[:grow] + (n_new,) + shape[grow + 1:]}
    axis = r.randint(0, ndim - 1)
    length = shape[axis]
    if name == "slice":
        start = r.randint(0, length - 1)
        stop = r.randint(start + 1, length)
        return name, (i,), {"axis": axis, "s": (start, stop, r.randint(1, 2))}
    if name == "narrow":
        start = r.randint(0, length - 1)
        return name, (i,), {"axis": axis, "start": start, "length": r.randint(1, length - start)}
    if name == "take":
        count = min(4, MAX_SIZE // (size // length))
        idx = [r.randrange(length) for _ in range(r.randint(1, count))]  # repeats are likely
        return name, (i,), {"axis": axis, "idx": idx}
    return "flip", (i,), {"axis": axis}


NON_ELEMENTWISE = {"add", "sub", "mul", "div", "maximum", "minimum", "where", "matmul", "cat", "stack", "sum",
                   "mean", "max", "min", "softmax", "log_softmax", "reshape", "transpose", "T", "permute",
                   "expand", "unsqueeze", "squeeze", "slice", "take", "flip", "atan2", "hypot", "logaddexp",
                   "cumsum", "cumprod", "norm", "narrow", "movedim", "tril", "diagonal"}

# Leaves have at least one axis: hypothesis favours the simplest shapes, and 0-d leaves would leave most
# shape ops without anything to act on (reductions still give 0-d nodes).
SHAPES = st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple)


@st.composite
def programs(draw: Any) -> Program:
    r = draw(st.randoms(use_true_random=False))
    n_leaves = r.randint(1, 3)
    leaves = []
    for _ in range(n_leaves):
        shape = draw(SHAPES)
        size = int(np.prod(shape))
        elements = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False, width=64)
        leaves.append(np.array(draw(st.lists(elements, min_size=size, max_size=size)),
                               dtype=np.float64).reshape(shape))
    program = Program(leaves)
    values = [a for a in leaves]
    n_steps = r.randint(3, 10)
    tries = 0
    while len(program.steps) < n_steps and tries < 3 * n_steps:
        tries += 1
        step = _draw_step(r, [v.shape for v in values], values)
        name, args, params = step
        with ag.no_grad():
            out = OPS[name].engine(*(Tensor(values[i]) for i in args), **params)
        data = np.asarray(out.data)
        if data.size > MAX_SIZE or data.ndim > MAX_NDIM or not np.all(np.abs(data) <= BOUND):
            continue  # too large or too big: the step is dropped
        program.steps.append(step)
        values.append(data)
    # Every leaf reaches the output: the sum of the latest node computed from a leaf it misses is added.
    deps = depends_on(program)
    while deps[-1] != set(range(n_leaves)):
        k = max(i for i, d in enumerate(deps) if d - deps[-1])
        last = len(deps) - 1
        program.steps += [("sum", (k,), {"axis": None, "keep": False}), ("add", (last, last + 1), {})]
        deps = depends_on(program)
    return program


# ---------------------------------------------------------------------------------------------- helpers
def engine_leaves(program: Program) -> list[Tensor]:
    return [Tensor(a.copy(), requires_grad=True) for a in program.leaves]


def torch_leaves(program: Program) -> list:
    return [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in program.leaves]


def as_np(x: Any) -> np.ndarray | None:
    if x is None:
        return None
    if isinstance(x, Tensor):
        return np.asarray(x.data)
    return x.detach().numpy(force=True)  # force: torch may give a lazily materialised zero tensor


def assert_close(ours: Any, theirs: Any, what: str, program: Program, zeros_for_none: bool = False,
                 shape: tuple | None = None) -> None:
    a, b = as_np(ours), as_np(theirs)
    if zeros_for_none:
        a = np.zeros(shape) if a is None else a
        b = np.zeros(shape) if b is None else b
    if a is None or b is None:
        assert a is None and b is None, f"{what}: engine {a!r}, torch {b!r}\n{program.describe()}"
        return
    assert a.shape == b.shape, f"{what}: shape {a.shape} vs torch {b.shape}\n{program.describe()}"
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL, err_msg=f"{what}\n{program.describe()}")


def depends_on(program: Program) -> list[set[int]]:
    """For each node, the leaves it is computed from."""
    deps = [{i} for i in range(len(program.leaves))]
    for _, args, _ in program.steps:
        deps.append(set().union(*(deps[i] for i in args)))
    return deps


def seed_for(program: Program, shape: tuple, salt: int) -> np.ndarray:
    rng = np.random.default_rng(len(program.steps) * 1000 + salt)
    return rng.standard_normal(shape)


# ---------------------------------------------------------------------------------------------- the tests
# One gradient array handed to two operands whose rules write into it (add of exp and tanh), and a view
# (transpose) feeding such a rule: the shapes the ownership rules exist for, always run.
@EXAMPLES
@example(Program([np.array([0.3, -0.5])], [("exp", (0,), {}), ("tanh", (0,), {}), ("add", (1, 2), {})]))
@example(Program([np.array([[0.3, -0.5, 1.0], [0.1, 0.2, -1.5]])],
                 [("T", (0,), {}), ("sigmoid", (1,), {}), ("exp", (1,), {}), ("add", (2, 3), {}),
                  ("mul", (4, 1), {})]))
@given(programs())
def test_plain_backward_and_forward_values(program: Program) -> None:
    xs, ts = engine_leaves(program), torch_leaves(program)
    ours, theirs = program.run(xs, "engine"), program.run(ts, "torch")
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, f"forward value of node {k}", program)
    seed = seed_for(program, theirs[-1].shape, 0)
    seed_before = seed.copy()
    ours[-1].backward(gradient=seed)
    theirs[-1].backward(gradient=torch.from_numpy(seed.copy()))
    for k, (x, t) in enumerate(zip(xs, ts)):
        assert_close(x.grad, t.grad, f"gradient of leaf {k}", program)
    # in-place gradient arithmetic must not reach the user's seed or any forward value
    np.testing.assert_array_equal(seed, seed_before)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, f"forward value of node {k} after backward", program)


@EXAMPLES
@given(programs(), st.data())
def test_retain_grad_and_backward_twice(program: Program, data: Any) -> None:
    """An interior node retains its gradient through two passes over a retained graph: leaves and the
    retained gradient accumulate (double), exactly as torch's do."""
    xs, ts = engine_leaves(program), torch_leaves(program)
    ours, theirs = program.run(xs, "engine"), program.run(ts, "torch")
    n_leaves = len(xs)
    k = data.draw(st.integers(n_leaves, len(ours) - 1), label="retained node")
    ours[k].retain_grad()
    theirs[k].retain_grad()
    seed = seed_for(program, theirs[-1].shape, 1)
    for rnd in ("first", "second"):
        ours[-1].backward(gradient=Tensor(seed.copy()), retain_graph=True)
        theirs[-1].backward(gradient=torch.from_numpy(seed.copy()), retain_graph=True)
        assert_close(ours[k].grad, theirs[k].grad, f"retained gradient of node {k} ({rnd} pass)", program)
        for i, (x, t) in enumerate(zip(xs, ts)):
            assert_close(x.grad, t.grad, f"gradient of leaf {i} ({rnd} pass)", program)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, f"forward value of node {i} after two passes", program)


@EXAMPLES
@given(programs(), st.data())
def test_backward_with_inputs_and_functional(program: Program, data: Any) -> None:
    """``backward(inputs=[leaf])`` fills that leaf's gradient only; ``functional.vjp`` and
    ``functional.grad`` give every leaf's, without touching the caller's tensors."""
    deps = depends_on(program)[-1]
    chosen = data.draw(st.sampled_from(sorted(deps)), label="input leaf")
    xs, ts = engine_leaves(program), torch_leaves(program)
    ours, theirs = program.run(xs, "engine"), program.run(ts, "torch")
    seed = seed_for(program, theirs[-1].shape, 2)
    ours[-1].backward(gradient=seed, inputs=[xs[chosen]])
    theirs[-1].backward(gradient=torch.from_numpy(seed.copy()), inputs=[ts[chosen]])
    for i, (x, t) in enumerate(zip(xs, ts)):
        assert_close(x.grad, t.grad, f"gradient of leaf {i} with inputs=[leaf {chosen}]", program)

    # the full gradients from torch, for the functional API
    ts = torch_leaves(program)
    torch_out = program.run(ts, "torch")[-1]
    torch_out.backward(gradient=torch.from_numpy(seed.copy()))
    xs = engine_leaves(program)
    seed_before = seed.copy()
    _, cotangents = ag_vjp(lambda *a: program.run(list(a), "engine")[-1], *xs, v=seed)
    if len(xs) == 1:
        cotangents = (cotangents,)
    np.testing.assert_array_equal(seed, seed_before)
    for i, (c, t) in enumerate(zip(cotangents, ts)):
        assert_close(c, t.grad, f"functional.vjp, leaf {i}", program, zeros_for_none=True, shape=t.shape)
        assert xs[i].grad is None
    weights = Tensor(seed)
    grads = ag_grad(lambda *a: (program.run(list(a), "engine")[-1] * weights).sum(),
                    argnums=tuple(range(len(xs))))(*xs)
    for i, (g, t) in enumerate(zip(grads, ts)):
        assert_close(g, t.grad, f"functional.grad, leaf {i}", program, zeros_for_none=True, shape=t.shape)


@EXAMPLES
@given(programs())
def test_create_graph_then_second_backward(program: Program) -> None:
    """A recorded pass, then the backward pass of a weighted sum of the gradients: second derivatives."""
    xs, ts = engine_leaves(program), torch_leaves(program)
    ours, theirs = program.run(xs, "engine"), program.run(ts, "torch")
    seed = seed_for(program, theirs[-1].shape, 3)
    ours[-1].backward(gradient=seed, create_graph=True)
    # torch.autograd.grad rather than backward: torch warns of a reference cycle for the latter
    first_theirs = torch.autograd.grad(theirs[-1], ts, grad_outputs=torch.from_numpy(seed.copy()),
                                       create_graph=True, allow_unused=True)
    first_ours = [x.grad for x in xs]
    for i, (g, h) in enumerate(zip(first_ours, first_theirs)):
        assert_close(g, h, f"recorded gradient of leaf {i}", program)
    for x in xs:
        x.grad = None
    weights = [seed_for(program, a.shape, 10 + i) for i, a in enumerate(program.leaves)]
    ours_total = sum(((g * Tensor(w)).sum() for g, w in zip(first_ours, weights) if g is not None),
                     Tensor(0.0))
    theirs_total = sum(((h * torch.from_numpy(w)).sum() for h, w in zip(first_theirs, weights)
                        if h is not None), torch.zeros((), dtype=torch.float64))
    if ours_total.requires_grad:
        ours_total.backward()
    if theirs_total.requires_grad:
        theirs_total.backward()
    for i, (x, t) in enumerate(zip(xs, ts)):
        assert_close(x.grad, t.grad, f"second derivative at leaf {i}", program, zeros_for_none=True,
                     shape=t.shape)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, f"forward value of node {i} after both passes", program)
