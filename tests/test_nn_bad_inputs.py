"""Bad inputs to ``nn`` get a clear error naming the operation, what it got and what it expected."""

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from nn import MLP, Conv2d, CrossEntropyLoss, Linear, Module, NLLLoss, Parameter
from nn.data import Subset, TensorDataset
from nn.train import accuracy


# --------------------------------------------------------------------------------- register_buffer
@pytest.mark.parametrize("name, what", [("weight", "parameter"), ("bias", "parameter"),
                                        ("forward", "method of Linear"), ("training", "attribute")])
def test_register_buffer_refuses_an_existing_attribute(name, what):
    m = Linear(3, 2)
    before = m.weight
    with pytest.raises(KeyError, match=rf"Linear.register_buffer: attribute '{name}' already exists.*{what}"):
        m.register_buffer(name, np.ones(2))
    assert m.weight is before and [n for n, _ in m.named_parameters()] == ["weight", "bias"]
    assert list(m.named_buffers()) == []


def test_register_buffer_refuses_a_submodule_and_a_plain_attribute():
    m = Module()
    m.child = Linear(1, 1)
    m.note = "x"
    with pytest.raises(KeyError, match=r"attribute 'child' already exists \(it is a submodule\)"):
        m.register_buffer("child", np.ones(1))
    with pytest.raises(KeyError, match=r"attribute 'note' already exists \(it is an attribute\)"):
        m.register_buffer("note", np.ones(1))
    assert isinstance(m.child, Linear) and m.note == "x"


def test_register_buffer_may_replace_a_buffer():
    m = Module()
    m.register_buffer("stat", np.zeros(2))
    m.register_buffer("stat", np.ones(3))
    assert m.stat.shape == (3,)
    m.register_buffer("stat", None)
    assert m.stat is None


# --------------------------------------------------------------------------------------- Parameter
def test_parameter_refuses_none():
    with pytest.raises(TypeError, match=r"Parameter: got None for data; expected an array_like or a Tensor"):
        Parameter(None)
    assert Parameter(np.empty(0)).shape == (0,)  # an empty parameter is still possible, explicitly


# ---------------------------------------------------------------------------------------- accuracy
def test_accuracy_refuses_one_score_outputs_with_labels_of_another_shape():
    with pytest.raises(ValueError, match=r"accuracy: got outputs of shape \(4,\) .*labels of shape \(2, 2\); "
                                         r"expected labels of shape \(4,\) or \(4, 1\)"):
        accuracy(Tensor(np.ones(4)), Tensor(np.array([[0, 1], [1, 0]])))
    with pytest.raises(ValueError, match=r"outputs of shape \(4, 1\) .*labels of shape \(1, 4\)"):
        accuracy(np.ones((4, 1)), np.ones((1, 4)))


def test_accuracy_still_takes_matching_one_score_shapes():
    assert accuracy(np.array([1.0, -1.0]), np.array([1, 0])) == 1.0
    assert accuracy(np.array([[1.0], [-1.0]]), np.array([1, 0])) == 1.0
    assert accuracy(np.array([1.0, -1.0]), np.array([[1], [1]])) == 0.5


def test_accuracy_class_scores_need_index_or_one_hot_labels():
    with pytest.raises(ValueError, match=r"labels of shape \(3, 4\); expected labels of shape \(4,\)"):
        accuracy(np.ones((4, 3)), np.ones((3, 4)))


# ------------------------------------------------------------------------------------------ Subset
@pytest.mark.parametrize("indices", [[0.5], [1.0, 2.0], [True], np.array([False, True]), ["a"], None])
def test_subset_refuses_non_integer_indices(indices):
    ds = TensorDataset(np.arange(10))
    with pytest.raises(TypeError, match=r"Subset: got .*; expected a sequence of integers"):
        Subset(ds, indices)


def test_subset_refuses_non_integer_item_index():
    sub = Subset(TensorDataset(np.arange(10)), [3, 4])
    for index in (0.5, True):
        with pytest.raises(TypeError, match=r"Subset: got index .*; expected an integer"):
            sub[index]
    assert sub[np.int64(1)][0].item() == 4
    assert len(Subset(TensorDataset(np.arange(3)), [])) == 0


# --------------------------------------------------------------------------------------------- MLP
def test_mlp_checks_the_activation_without_hidden_layers():
    with pytest.raises(ValueError, match=r"MLP: unknown activation 'foo'; expected one of"):
        MLP([2, 3], activation="foo")
    with pytest.raises(TypeError, match=r"MLP: got activation of type int"):
        MLP([2, 3], activation=3)
    with pytest.raises(ValueError, match=r"MLP: unknown output_activation 'bar'"):
        MLP([2, 3], output_activation="bar")
    assert len(MLP([2, 3], activation="tanh")) == 1


# -------------------------------------------------------------------------------------- messages
def test_conv2d_reports_the_unbatched_shape_it_was_given():
    with pytest.raises(ValueError) as info:
        Conv2d(3, 2, 3)(autograd.randn(2, 3, 8))
    msg = str(info.value)
    assert "input of shape (2, 3, 8)" in msg and "(1, 2, 3, 8)" not in msg
    assert "has 2 channels" in msg and "expects 3 input channels" in msg
    with pytest.raises(ValueError, match=r"conv2d: input of shape \(2, 3, 8\) \(read as an unbatched"):
        nn.functional.conv2d(autograd.randn(2, 3, 8), autograd.randn(2, 3, 3, 3))


def test_conv2d_reports_the_shape_before_its_own_padding():
    layer = Conv2d(3, 2, 3, padding=1, padding_mode="reflect")
    with pytest.raises(ValueError, match=r"input of shape \(5, 2, 8, 8\) .*has 2 channels"):
        layer(autograd.randn(5, 2, 8, 8))


def test_cross_entropy_integer_target_of_the_input_shape():
    target = Tensor(np.array([[0, 1, 0]] * 4))
    with pytest.raises(ValueError) as info:
        CrossEntropyLoss()(autograd.randn(4, 3), target)
    msg = str(info.value)
    assert "does not match" not in msg
    assert "integer targets must be class indices of shape (4,)" in msg
    assert "float class probabilities of the input's shape (4, 3)" in msg
    with pytest.raises(ValueError, match=r"nll_loss: .*class indices of shape \(4,\)") as info:
        NLLLoss()(autograd.randn(4, 3), target)
    assert "probabilities" not in str(info.value)


@pytest.mark.parametrize("value, got", [("abc", r"str \('abc'\)"), (None, r"NoneType \(None\)"),
                                        (np.array(["a", "b"]), r"ndarray of dtype <U1")])
def test_load_state_dict_names_a_wrong_value_type(value, got):
    m = Linear(3, 2)
    state = m.state_dict()
    state["weight"] = value
    with pytest.raises(TypeError, match=rf"Linear.load_state_dict: wrong value type for 'weight': got {got}; "
                                        r"expected an array of numbers of shape \(2, 3\)"):
        m.load_state_dict(state)


def test_save_to_a_directory_names_the_path(tmp_path):
    with pytest.raises(IsADirectoryError, match=r"save: path .* is a directory; expected a file") as info:
        nn.save(Linear(2, 2), tmp_path)
    assert ".tmp" not in str(info.value)
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
