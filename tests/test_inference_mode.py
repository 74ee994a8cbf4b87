"""``autograd.inference_mode`` and ``is_inference_mode_enabled`` against PyTorch's: the grad and inference
modes seen inside nested blocks, decorated functions and generators, and what tensors computed inside
record."""

from __future__ import annotations

import threading

import pytest

import autograd
from autograd import inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad

SWITCHES = {
    "inference": lambda lib: lib.inference_mode(),
    "inference(False)": lambda lib: lib.inference_mode(False),
    "inference(mode=False)": lambda lib: lib.inference_mode(mode=False),
    "no_grad": lambda lib: lib.no_grad(),
    "enable_grad": lambda lib: lib.enable_grad(),
    "set_grad_enabled(False)": lambda lib: lib.set_grad_enabled(False),
}
NESTINGS = [
    ["inference"], ["inference(False)"], ["inference(mode=False)"],
    ["no_grad", "inference(False)"], ["no_grad", "inference"], ["inference", "enable_grad"],
    ["inference", "no_grad"], ["inference", "inference(False)"], ["inference(False)", "inference"],
    ["set_grad_enabled(False)", "inference(False)", "no_grad"], ["inference", "inference", "enable_grad"],
]


def _modes_through(lib, names):
    """(inference mode, grad mode) at each depth going in, then after each block going out."""
    seen = []

    def enter(depth):
        if depth == len(names):
            return
        with SWITCHES[names[depth]](lib):
            seen.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled()))
            enter(depth + 1)
        seen.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled()))

    enter(0)
    return seen


@pytest.mark.parametrize("names", NESTINGS, ids="-".join)
def test_nested_blocks_see_the_modes_torch_sees(names, torch):
    assert _modes_through(autograd, names) == _modes_through(torch, names)


def test_the_modes_torch_gives_inference_mode(torch):
    # the rules the nestings above check, written out: inference_mode(False) records even inside no_grad
    assert _modes_through(torch, ["inference"]) == [(True, False), (False, True)]
    assert _modes_through(autograd, ["no_grad", "inference(False)"]) == [
        (False, False), (False, True), (False, False), (False, True)]


def test_tensors_computed_inside_do_not_require_grad_and_mode_false_records(torch):
    for lib in (autograd, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        with lib.inference_mode():
            y = x * 2
        with lib.no_grad(), lib.inference_mode(False):
            z = x * 2
        assert (y.requires_grad, z.requires_grad) == (False, True)
        z.sum().backward()
        assert x.grad.tolist() == [2.0, 2.0]


def _library(name, torch):
    return torch if name == "torch" else autograd


@pytest.mark.parametrize("lib_name", ["autograd", "torch"])
@pytest.mark.parametrize("parentheses", [True, False])
def test_decorated_functions_run_in_inference_mode(lib_name, parentheses, torch):
    lib = _library(lib_name, torch)
    decorate = lib.inference_mode() if parentheses else lib.inference_mode

    @decorate
    def modes(a, b=0):
        return lib.is_inference_mode_enabled(), lib.is_grad_enabled(), a + b

    assert modes(1, b=2) == (True, False, 3)
    assert (lib.is_inference_mode_enabled(), lib.is_grad_enabled()) == (False, True)
    assert modes.__name__ == "modes"


@pytest.mark.parametrize("lib_name", ["autograd", "torch"])
def test_decorating_with_mode_false_records_inside_no_grad(lib_name, torch):
    lib = _library(lib_name, torch)

    @lib.inference_mode(False)
    def modes():
        return lib.is_inference_mode_enabled(), lib.is_grad_enabled()

    with lib.no_grad():
        assert modes() == (False, True)
        assert lib.is_grad_enabled() is False


@pytest.mark.parametrize("lib_name", ["autograd", "torch"])
def test_a_decorated_generator_gives_the_caller_its_own_modes_between_items(lib_name, torch):
    lib = _library(lib_name, torch)

    @lib.inference_mode()
    def gen():
        for _ in range(2):
            yield lib.is_inference_mode_enabled(), lib.is_grad_enabled()

    items = []
    outside = []
    for item in gen():
        items.append(item)
        outside.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled()))
    assert items == [(True, False)] * 2
    assert outside == [(False, True)] * 2


def test_an_exception_leaves_the_modes_as_they_were():
    with pytest.raises(ZeroDivisionError), inference_mode():
        raise ZeroDivisionError
    assert (is_inference_mode_enabled(), is_grad_enabled()) == (False, True)

    @inference_mode
    def fails():
        raise KeyError("x")

    with no_grad():
        with pytest.raises(KeyError):
            fails()
        assert (is_inference_mode_enabled(), is_grad_enabled()) == (False, False)


def test_one_instance_can_be_entered_again_inside_itself():
    mode = inference_mode()
    with mode:
        with mode:
            assert is_inference_mode_enabled()
        assert is_inference_mode_enabled() and not is_grad_enabled()
    assert not is_inference_mode_enabled() and is_grad_enabled()


def test_the_mode_belongs_to_the_thread():
    seen = []

    def record():
        seen.append((is_inference_mode_enabled(), is_grad_enabled()))

    with inference_mode():
        thread = threading.Thread(target=record)
        thread.start()
        thread.join()
    assert seen == [(False, True)]


@pytest.mark.parametrize("mode", [1, 0, None, "yes", 2.5])
def test_a_mode_that_is_not_a_bool_raises_naming_inference_mode(mode, torch):
    with pytest.raises(TypeError, match=r"inference_mode: got mode .* expected a bool"):
        inference_mode(mode)
    with pytest.raises(TypeError):  # torch takes it for a function to decorate, and fails at the `with`
        with torch.inference_mode(mode):
            pass
