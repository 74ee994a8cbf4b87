"""Grad mode (generators, plain set_grad_enabled calls, shared instances across threads, bare decorators),
gradcheck's two backward passes, and the functional API's several-input hessian, tuple outputs of
gradgradcheck, pass-through arguments and has_aux: each against PyTorch where it is installed."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import autograd
from autograd import GradcheckError, Tensor, gradcheck, gradgradcheck
from autograd.functional import grad, hessian, value_and_grad
from autograd.tensor import TensorOp, result


def t64(a, requires_grad=False):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


@pytest.fixture(autouse=True)
def _grad_mode_back_on():
    # a failing test of a plain set_grad_enabled(False) must not switch recording off for the others
    yield
    autograd.set_grad_enabled(True)


# ---------------------------------------------------------------- no_grad on generator functions
def _generator_story(no_grad, enable_grad, is_grad_enabled, leaf):
    """What a decorated generator and its caller see at each step, in a library's own terms."""
    seen = []

    @no_grad()
    def quiet(t):
        received = yield t * 2
        seen.append(("body after send", is_grad_enabled(), received))
        try:
            yield t * 3
        except KeyError:
            seen.append(("body caught", is_grad_enabled()))
            yield t * 4
        return "done"

    gen = quiet(leaf)
    seen.append(("first item records", next(gen).requires_grad))
    seen.append(("caller between items", is_grad_enabled()))
    seen.append(("sent item records", gen.send(5).requires_grad))
    seen.append(("thrown item records", gen.throw(KeyError("k")).requires_grad))
    with pytest.raises(StopIteration) as stop:
        next(gen)
    seen.append(("returned", stop.value.value))

    @enable_grad()
    def loud(t):
        yield t * 2

    with no_grad():
        item = next(loud(leaf))
        seen.append(("enable_grad generator inside no_grad", item.requires_grad, is_grad_enabled()))
    seen.append(("after", is_grad_enabled()))
    return seen


def test_no_grad_applies_to_the_body_of_a_generator_function():
    seen = _generator_story(autograd.no_grad, autograd.enable_grad, autograd.is_grad_enabled,
                            t64([1.0], True))
    assert seen == [
        ("first item records", False),
        ("caller between items", True),
        ("body after send", False, 5),
        ("sent item records", False),
        ("body caught", False),
        ("thrown item records", False),
        ("returned", "done"),
        ("enable_grad generator inside no_grad", True, False),
        ("after", True),
    ]


def test_generator_under_no_grad_matches_torch():
    torch = pytest.importorskip("torch")
    ours = _generator_story(autograd.no_grad, autograd.enable_grad, autograd.is_grad_enabled,
                            t64([1.0], True))
    theirs = _generator_story(torch.no_grad, torch.enable_grad, torch.is_grad_enabled,
                              torch.ones(1, dtype=torch.float64, requires_grad=True))
    assert ours == theirs


def test_closing_a_decorated_generator_runs_its_cleanup_in_its_mode():
    modes = []

    @autograd.no_grad()
    def gen():
        try:
            yield 1
        finally:
            modes.append(autograd.is_grad_enabled())

    g = gen()
    next(g)
    g.close()
    assert modes == [False] and autograd.is_grad_enabled()


# ---------------------------------------------------------------- set_grad_enabled as a plain call
def _plain_call_story(set_grad_enabled, is_grad_enabled, leaf):
    seen = []
    set_grad_enabled(False)
    seen.append(("after plain call", is_grad_enabled(), (leaf * 2).requires_grad))
    set_grad_enabled(True)
    seen.append(("switched back", is_grad_enabled()))
    with set_grad_enabled(False):
        seen.append(("inside with", is_grad_enabled()))
    seen.append(("after with", is_grad_enabled()))

    @set_grad_enabled(False)
    def off(t):
        return t * 2

    seen.append(("after decorating", is_grad_enabled()))
    seen.append(("decorated call records", off(leaf).requires_grad, is_grad_enabled()))
    return seen


def test_set_grad_enabled_as_a_plain_call_switches_the_mode():
    seen = _plain_call_story(autograd.set_grad_enabled, autograd.is_grad_enabled, t64([1.0], True))
    assert seen == [
        ("after plain call", False, False),
        ("switched back", True),
        ("inside with", False),
        ("after with", True),
        ("after decorating", True),
        ("decorated call records", False, True),
    ]


def test_set_grad_enabled_plain_call_matches_torch():
    torch = pytest.importorskip("torch")
    ours = _plain_call_story(autograd.set_grad_enabled, autograd.is_grad_enabled, t64([1.0], True))
    theirs = _plain_call_story(torch.set_grad_enabled, torch.is_grad_enabled,
                               torch.ones(1, dtype=torch.float64, requires_grad=True))
    assert ours == theirs


def test_a_set_grad_enabled_instance_can_be_entered_again():
    switch = autograd.set_grad_enabled(False)
    assert not autograd.is_grad_enabled()
    autograd.set_grad_enabled(True)
    with switch:
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()
    with autograd.no_grad():
        with switch:
            assert not autograd.is_grad_enabled()
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()


# ---------------------------------------------------------------- one instance, several threads
def test_one_no_grad_instance_shared_by_two_threads():
    # The first thread leaves the shared instance while the second is still inside it, re-enters it
    # (as recursion does) and leaves by an exception: each thread must get its own mode back.
    shared = autograd.no_grad()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    x = t64([1.0], True)
    seen, errors = {}, []

    def first():
        try:
            try:
                with shared:
                    first_in.set()
                    assert second_in.wait(30)
                    with shared:
                        seen["first nested"] = (x * 2).requires_grad
                    seen["first inside"] = (x * 2).requires_grad
                    raise RuntimeError("boom")
            except RuntimeError as exc:
                if str(exc) != "boom":
                    raise
            seen["first after"] = (x * 2).requires_grad
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            first_out.set()

    def second():
        try:
            assert first_in.wait(30)
            with shared:
                second_in.set()
                assert first_out.wait(30)
                seen["second inside"] = (x * 2).requires_grad
            seen["second after"] = (x * 2).requires_grad
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert seen == {"first nested": False, "first inside": False, "first after": True,
                    "second inside": False, "second after": True}
    assert autograd.is_grad_enabled()


# ---------------------------------------------------------------- bare decorators
def test_no_grad_and_enable_grad_as_bare_decorators_match_torch():
    x = t64([1.0], True)

    @autograd.no_grad
    def off(t):
        """Doubles."""
        return t * 2

    @autograd.enable_grad
    def on(t):
        return t * 2

    assert off.__name__ == "off" and off.__doc__ == "Doubles."
    assert not off(x).requires_grad
    with autograd.no_grad():
        assert on(x).requires_grad
    assert autograd.is_grad_enabled()
    assert isinstance(autograd.no_grad(), autograd.no_grad)

    torch = pytest.importorskip("torch")
    w = torch.ones(1, requires_grad=True)
    assert torch.no_grad(lambda t: t * 2)(w).requires_grad is off(x).requires_grad
    with torch.no_grad():
        assert torch.enable_grad(lambda t: t * 2)(w).requires_grad is True


# ---------------------------------------------------------------- gradcheck: both backward passes
def _square_op(rule_factor: float, array_factor: float) -> TensorOp:
    return TensorOp("square",
                    lambda node, g: (g * rule_factor * node._parents[0],),
                    lambda node, g: (g * array_factor * node._parents[0].data,))


def _square_with(op: TensorOp):
    return lambda x: result(x.data ** 2, (x,), op)


def test_gradcheck_catches_a_wrong_tensor_rule_when_the_array_rule_is_right():
    f = _square_with(_square_op(rule_factor=3.0, array_factor=2.0))
    x0 = [np.array([1.0, 2.0])]
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, x0)
    report = str(info.value)
    assert "wrong in: the backward pass with create_graph=True" in report
    assert "the plain backward pass (their array_rule) agrees" in report
    assert "analytic = 6.0" in report  # 3 * x at x = 2, where the truth is 4
    assert gradcheck(f, x0, raise_exception=False) is False
    with pytest.raises(GradcheckError, match="gradgradcheck \\(first derivatives\\)"):
        gradgradcheck(f, x0)


def test_gradcheck_catches_a_wrong_array_rule_when_the_tensor_rule_is_right():
    f = _square_with(_square_op(rule_factor=2.0, array_factor=3.0))
    wrong_plain = r"wrong in: the plain backward pass .* create_graph=True .* agrees"
    with pytest.raises(GradcheckError, match=wrong_plain):
        gradcheck(f, [np.array([1.0, 2.0])])


def test_gradcheck_reports_both_passes_when_both_are_wrong_and_passes_when_both_are_right():
    f = _square_with(_square_op(rule_factor=3.0, array_factor=3.0))
    with pytest.raises(GradcheckError, match="wrong in: both the plain backward pass and the backward pass"):
        gradcheck(f, [np.array([1.0, 2.0])])
    right = _square_with(_square_op(rule_factor=2.0, array_factor=2.0))
    assert gradcheck(right, [np.array([1.0, 2.0])]) and gradgradcheck(right, [np.array([1.0, 2.0])])


# ---------------------------------------------------------------- hessian of several inputs
def _two_input_f(x, y):
    return (x * x * y).sum() + (y ** 3).sum() + (x.sin() * y[0]).sum()


def test_hessian_of_several_inputs_by_hand():
    x, y = np.array([0.5, -1.0]), np.array([2.0, 3.0])
    (hxx, hxy), (hyx, hyy) = hessian(_two_input_f, x, y)
    e0 = np.array([1.0, 0.0])
    np.testing.assert_allclose(hxx.numpy(), np.diag(2 * y - np.sin(x) * y[0]), rtol=1e-12)
    np.testing.assert_allclose(hxy.numpy(), np.diag(2 * x) + np.outer(np.cos(x), e0), rtol=1e-12)
    np.testing.assert_allclose(hyx.numpy(), hxy.numpy().T, rtol=1e-12)
    np.testing.assert_allclose(hyy.numpy(), np.diag(6 * y), rtol=1e-12)
    assert hxy.shape == (2, 2) and not hxy.requires_grad
    # shapes follow inputs[a].shape + inputs[b].shape, even when they differ
    (a, b), (c, d) = hessian(lambda s, m: s * (m * m).sum(), np.array(1.5), np.ones((2, 3)))
    assert (a.shape, b.shape, c.shape, d.shape) == ((), (2, 3), (2, 3), (2, 3, 2, 3))
    np.testing.assert_allclose(b.numpy(), 2 * np.ones((2, 3)))


def test_hessian_of_several_inputs_matches_torch():
    torch = pytest.importorskip("torch")
    x, y = np.array([0.5, -1.0]), np.array([2.0, 3.0])
    ours = hessian(_two_input_f, x, y)
    theirs = torch.autograd.functional.hessian(_two_input_f, (torch.tensor(x), torch.tensor(y)))
    for a in range(2):
        for b in range(2):
            np.testing.assert_allclose(ours[a][b].numpy(), theirs[a][b].numpy(), rtol=1e-12)


def test_hessian_names_itself_when_given_pytorchs_tuple():
    with pytest.raises(TypeError, match=r"hessian: argument 0 is a tuple; pass several inputs"):
        hessian(_two_input_f, (t64([0.5, -1.0]), t64([2.0, 3.0])))
    assert isinstance(hessian(lambda t: (t ** 3).sum(), t64([1.0])), Tensor)  # one input: one Tensor


# ---------------------------------------------------------------- gradgradcheck with tuple outputs
def test_gradgradcheck_accepts_tuple_outputs_like_gradcheck():
    f = lambda x, y: (x.sin() * y, (x * x * y).sum())
    inputs = [np.array([0.3, 0.7]), np.array([1.5, -2.0])]
    assert gradcheck(f, inputs) and gradgradcheck(f, inputs)
    # a lost second derivative in the second output is caught
    frozen = TensorOp("frozen_square", lambda node, g: (g * Tensor(2.0 * node._parents[0].data),))
    g = lambda x: (x.sin(), result(x.data ** 2, (x,), frozen))
    with pytest.raises(GradcheckError, match=r"gradgradcheck \(derivatives of the vjp\)"):
        gradgradcheck(g, [np.array([0.3, 0.7])])
    with pytest.raises(TypeError, match="gradgradcheck: output 1 of the function is float"):
        gradgradcheck(lambda x: (x, 1.0), [np.array([0.3])])


# ---------------------------------------------------------------- arguments not in argnums
def test_arguments_not_in_argnums_reach_the_function_unchanged():
    labels = np.array([2, 0])  # integer labels: a float tensor would break the indexing
    received = []

    def loss(labels, scores, axis):
        received.append((labels, axis))
        return scores.log_softmax(axis=axis)[np.arange(2), labels].sum()

    scores = np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]])
    g = grad(loss, argnums=1)(labels, scores, 1)
    assert received[0][0] is labels and received[0][1] == 1
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(g.numpy(), np.eye(3)[labels] - p, rtol=1e-12)
    # a function that needed a Tensor there gets a TypeError that says why
    with pytest.raises(TypeError, match=r"argument 0 is a numpy array, passed unchanged because it is not "
                                        r"in argnums"):
        grad(lambda a, b: a.sum(), argnums=1)(np.array([1.0, 2.0]), np.array([3.0]))

    # torch.func.grad does not make them floats either
    torch = pytest.importorskip("torch")
    dtypes = []

    def pick(labels, scores):
        dtypes.append(labels.dtype)
        return scores[labels].sum()

    torch.func.grad(pick, argnums=1)(torch.tensor([2, 0]), torch.tensor([0.1, 0.2, 0.3]))
    grad(pick, argnums=1)(np.array([2, 0]), np.array([0.1, 0.2, 0.3]))
    assert dtypes == [torch.int64, np.int64]


# ---------------------------------------------------------------- has_aux
def test_grad_and_value_and_grad_with_has_aux():
    x = np.array([1.0, 2.0])
    f = lambda t: ((t ** 3).sum(), {"norm": (t * t).sum(), "n": 2})
    g, aux = grad(f, has_aux=True)(x)
    np.testing.assert_allclose(g.numpy(), 3 * x ** 2)
    assert aux["n"] == 2 and aux["norm"].item() == 5.0
    (value, aux2), g2 = value_and_grad(f, has_aux=True)(x)
    assert value.item() == 9.0 and aux2["n"] == 2
    np.testing.assert_allclose(g2.numpy(), 3 * x ** 2)
    (gx, gy), aux3 = grad(lambda a, b: ((a * b).sum(), "tag"), argnums=(0, 1), has_aux=True)(x, [3.0, 4.0])
    assert gx.tolist() == [3.0, 4.0] and gy.tolist() == [1.0, 2.0] and aux3 == "tag"
    with pytest.raises(TypeError, match=r"has_aux=True the function must return a pair \(output, aux\)"):
        grad(lambda t: (t * t).sum(), has_aux=True)(x)


def test_has_aux_matches_torch_func():
    torch = pytest.importorskip("torch")
    x = np.array([0.5, -1.5])
    f = lambda t: ((t.sin() * t).sum(), t.exp())
    g, aux = grad(f, has_aux=True)(x)
    tg, taux = torch.func.grad(f, has_aux=True)(torch.tensor(x))
    np.testing.assert_allclose(g.numpy(), tg.numpy(), rtol=1e-12)
    np.testing.assert_allclose(aux.numpy(), taux.numpy(), rtol=1e-12)


def test_one_no_grad_instance_shared_by_interleaved_asyncio_tasks():
    import asyncio

    from autograd import is_grad_enabled, no_grad

    shared = no_grad()
    seen = {}

    async def recording():  # starts with recording on
        with shared:
            await asyncio.sleep(0.01)
        seen["recording"] = is_grad_enabled()

    async def not_recording():  # created under no_grad: starts with recording off
        with shared:
            await asyncio.sleep(0.02)
        seen["not_recording"] = is_grad_enabled()

    async def main():
        first = asyncio.create_task(recording())
        with no_grad():
            second = asyncio.create_task(not_recording())
        await asyncio.gather(first, second)

    asyncio.run(main())
    assert seen == {"recording": True, "not_recording": False}


def test_grad_mode_switches_leave_nothing_behind_in_the_context():
    import contextvars

    from autograd import enable_grad, no_grad, set_grad_enabled

    before = len(contextvars.copy_context())
    for _ in range(50):
        with no_grad():
            pass
        with enable_grad():
            pass
        with set_grad_enabled(False):
            pass
    assert len(contextvars.copy_context()) <= before + 1  # one shared stack at most, not one per switch
