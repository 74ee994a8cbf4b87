"""Samplers, ConcatDataset and DataLoader(sampler=, batch_sampler=); nn.init.eye_ and dirac_;
Module.state_dict(destination=, prefix=, keep_vars=); the argument names of the modules' forward.

Deterministic results (sequential and batch samplers, concatenation, lengths, errors) are compared with
torch exactly; random samplers are checked for their properties, since the random streams differ."""

from __future__ import annotations

import collections
import inspect
import warnings

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from nn import init
from nn.data import (
    BatchSampler,
    ConcatDataset,
    DataLoader,
    Dataset,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
)


def _ids(loader) -> list[list[int]]:
    return [batch[0].tolist() for batch in loader]


class _Rows(Dataset):
    """Sample i is (i,) as a plain int: indexed one by one by the loader."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return (i,)


# ====================================================================== deterministic samplers vs torch
@pytest.mark.parametrize("n", [1, 5])
def test_sequential_sampler_matches_torch(torch, n):
    tdata = torch.utils.data
    assert list(SequentialSampler(range(n))) == list(tdata.SequentialSampler(range(n)))
    assert len(SequentialSampler(range(n))) == len(tdata.SequentialSampler(range(n))) == n


@pytest.mark.parametrize("n, size, drop_last", [(10, 3, False), (10, 3, True), (9, 3, True), (2, 5, False),
                                                (2, 5, True), (0, 2, False)])
def test_batch_sampler_matches_torch(torch, n, size, drop_last):
    ours = BatchSampler(SequentialSampler(range(n)), size, drop_last)
    theirs = torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(n)), size, drop_last)
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs)
    # any iterable of indices is a sampler, a list included
    assert list(BatchSampler([4, 2, 7], 2, drop_last)) == list(torch.utils.data.BatchSampler([4, 2, 7], 2,
                                                                                               drop_last))


@pytest.mark.parametrize("make", [
    lambda m: m.BatchSampler(range(4), 0, False), lambda m: m.BatchSampler(range(4), 2.0, False),
    lambda m: m.BatchSampler(range(4), True, False), lambda m: m.BatchSampler(range(4), 2, 1),
    lambda m: m.BatchSampler(range(4), 2, None), lambda m: m.RandomSampler(range(4), num_samples=0),
    lambda m: m.RandomSampler(range(4), num_samples=2.0), lambda m: m.RandomSampler(range(4), replacement=1),
    lambda m: m.RandomSampler(range(0)), lambda m: m.WeightedRandomSampler([1.0, 2.0], 0),
    lambda m: m.WeightedRandomSampler([1.0, 2.0], 3, replacement=0),
    lambda m: m.WeightedRandomSampler([[1.0, 2.0]], 3),
], ids=["batch_size-0", "batch_size-float", "batch_size-bool", "drop_last-int", "drop_last-None",
        "num_samples-0", "num_samples-float", "replacement-int", "empty-dataset", "weighted-num_samples-0",
        "weighted-replacement-int", "weights-2d"])
def test_sampler_argument_errors_have_torchs_classes(torch, make):
    import nn.data as ours
    with pytest.raises(Exception) as theirs:
        make(torch.utils.data)
    with pytest.raises(theirs.type) as got:
        make(ours)
    message = str(got.value)
    assert message.split(":")[0] in ("BatchSampler", "RandomSampler", "WeightedRandomSampler")
    assert "got" in message and "expected" in message


@pytest.mark.parametrize("weights, kwargs", [([1.0, -2.0], {}), ([0.0, 0.0], {}), ([1.0, float("nan")], {}),
                                             ([1.0, float("inf")], {}), ([], {})])
def test_weighted_sampler_bad_weights_raise_runtime_error_as_torch(torch, weights, kwargs):
    with pytest.raises(RuntimeError):
        list(torch.utils.data.WeightedRandomSampler(weights, 3, **kwargs))
    # raised when the sampler is built, not at its first iteration as in torch
    with pytest.raises(RuntimeError, match=r"WeightedRandomSampler: got .*; expected"):
        WeightedRandomSampler(weights, 3, **kwargs)


def test_samplers_refuse_a_generator_of_another_kind():
    for make in (lambda: RandomSampler(range(3), generator=3), lambda: SubsetRandomSampler([1], generator=3),
                 lambda: WeightedRandomSampler([1.0], 1, generator="seed")):
        with pytest.raises(TypeError, match=r"got generator of type \w+ .*; expected a numpy.random"):
            make()


# ============================================================================================ ConcatDataset
def test_concat_dataset_matches_torch(torch):
    parts = [np.arange(4), np.arange(100, 100), np.arange(10, 13), np.arange(20, 22)]
    ours = ConcatDataset([TensorDataset(p) for p in parts])
    theirs = torch.utils.data.ConcatDataset([torch.utils.data.TensorDataset(torch.from_numpy(p))
                                            for p in parts])
    assert len(ours) == len(theirs) == 9
    assert ours.cumulative_sizes == theirs.cumulative_sizes == [4, 4, 7, 9]
    for i in range(-9, 9):
        assert ours[i][0].item() == theirs[i][0].item()
    for bad in (9, -10):
        with pytest.raises(Exception) as expected:
            theirs[bad]
        with pytest.raises(expected.type, match=r"ConcatDataset: got index -?\d+ for 9 samples; expected"):
            ours[bad]


def test_concat_dataset_of_other_datasets_and_addition():
    both = _Rows(3) + TensorDataset(np.arange(50, 52))
    assert isinstance(both, ConcatDataset) and len(both) == 5
    assert both[2] == (2,) and both[3][0].item() == 50
    assert ConcatDataset(iter([_Rows(2), _Rows(1)])).cumulative_sizes == [2, 3]
    # the loader visits a concatenation sample by sample, in order
    assert [b.tolist() for (b,) in DataLoader(both, batch_size=2)] == [[0, 1], [2, 50], [51]]


@pytest.mark.parametrize("datasets, error, pattern", [
    ([], ValueError, "got no datasets"),
    (TensorDataset(np.arange(3)), TypeError, "expected a list of datasets"),
    ([TensorDataset(np.arange(3)), 3], TypeError, "dataset 1 of type int"),
])
def test_concat_dataset_errors(datasets, error, pattern):
    with pytest.raises(error, match=pattern):
        ConcatDataset(datasets)


def test_concat_dataset_refuses_a_float_index():
    with pytest.raises(TypeError, match=r"ConcatDataset: got index of type float \(1.0\); expected an int"):
        ConcatDataset([_Rows(3)])[1.0]


# ======================================================================================= DataLoader samplers
def _both(torch, n=10):
    return TensorDataset(np.arange(n)), torch.utils.data.TensorDataset(torch.arange(n))


@pytest.mark.parametrize("batch_size, drop_last", [(1, False), (4, False), (4, True), (5, True)])
def test_loader_with_a_sampler_matches_torch(torch, batch_size, drop_last):
    ours_ds, theirs_ds = _both(torch)
    order = [9, 8, 7, 1, 0, 3, 3]
    sequential = (SequentialSampler(ours_ds), torch.utils.data.SequentialSampler(theirs_ds))
    for ours_sampler, theirs_sampler in ((order, order), sequential):
        ours = DataLoader(ours_ds, batch_size=batch_size, sampler=ours_sampler, drop_last=drop_last)
        theirs = torch.utils.data.DataLoader(theirs_ds, batch_size=batch_size, sampler=theirs_sampler,
                                             drop_last=drop_last)
        assert _ids(ours) == _ids(theirs)
        assert len(ours) == len(theirs)


def test_loader_with_a_batch_sampler_matches_torch(torch):
    ours_ds, theirs_ds = _both(torch)
    for size, drop_last in ((3, False), (3, True)):
        ours = DataLoader(ours_ds, batch_sampler=BatchSampler(SequentialSampler(ours_ds), size, drop_last))
        theirs = torch.utils.data.DataLoader(theirs_ds, batch_sampler=torch.utils.data.BatchSampler(
            torch.utils.data.SequentialSampler(theirs_ds), size, drop_last))
        assert _ids(ours) == _ids(theirs) and len(ours) == len(theirs)
    lists = [[1, 2], [3], [9, 0, 5]]
    ours = DataLoader(ours_ds, batch_sampler=lists)
    theirs = torch.utils.data.DataLoader(theirs_ds, batch_sampler=lists)
    assert _ids(ours) == _ids(theirs) == lists and len(ours) == len(theirs) == 3


def test_loader_len_with_random_samplers_matches_torch(torch):
    ours_ds, theirs_ds = _both(torch)
    tdata = torch.utils.data
    cases = [
        (RandomSampler(ours_ds, num_samples=7), tdata.RandomSampler(theirs_ds, num_samples=7), 4, False),
        (SubsetRandomSampler([1, 2, 3, 4, 5]), tdata.SubsetRandomSampler([1, 2, 3, 4, 5]), 4, True),
        (WeightedRandomSampler([1.0] * 10, 9), tdata.WeightedRandomSampler([1.0] * 10, 9), 2, False),
    ]
    for ours_sampler, theirs_sampler, size, drop_last in cases:
        ours = DataLoader(ours_ds, batch_size=size, sampler=ours_sampler, drop_last=drop_last)
        theirs = tdata.DataLoader(theirs_ds, batch_size=size, sampler=theirs_sampler, drop_last=drop_last)
        assert len(ours) == len(theirs)
        assert [len(b) for b in _ids(ours)] == [len(b) for b in _ids(theirs)]


@pytest.mark.parametrize("kwargs", [
    {"sampler": "seq", "shuffle": True}, {"batch_sampler": "batches", "batch_size": 2},
    {"batch_sampler": "batches", "shuffle": True}, {"batch_sampler": "batches", "sampler": "seq"},
    {"batch_sampler": "batches", "drop_last": True}, {"batch_sampler": "batches", "batch_size": None},
])
def test_loader_mutually_exclusive_options_as_torch(torch, kwargs):
    ours_ds, theirs_ds = _both(torch)

    def build(module, ds):
        made = {"seq": module.SequentialSampler(ds), "batches": module.BatchSampler(range(len(ds)), 2, False)}
        given = {k: made[v] if isinstance(v, str) else v for k, v in kwargs.items()}
        return module.DataLoader(ds, **given)

    with pytest.raises(ValueError):
        build(torch.utils.data, theirs_ds)
    with pytest.raises(ValueError, match=r"DataLoader: got (batch_)?sampler with .*; expected"):
        build(nn.data, ours_ds)


def test_loader_accepts_the_defaults_beside_a_batch_sampler(torch):
    ds = TensorDataset(np.arange(4))
    loader = DataLoader(ds, batch_sampler=[[0, 1], [2, 3]], batch_size=1, shuffle=False, drop_last=False)
    assert _ids(loader) == [[0, 1], [2, 3]]


@pytest.mark.parametrize("kwargs", [{"sampler": [0], "seed": 0}, {"sampler": [0], "replacement": True},
                                    {"batch_sampler": [[0]], "seed": 1}])
def test_loader_refuses_its_own_order_options_beside_a_sampler(kwargs):
    with pytest.raises(ValueError, match="decides the order"):
        DataLoader(TensorDataset(np.arange(3)), **kwargs)


def test_loader_refuses_a_sampler_that_is_not_iterable():
    with pytest.raises(TypeError, match=r"DataLoader: got sampler of type int \(3\); expected an iterable"):
        DataLoader(TensorDataset(np.arange(3)), sampler=3)


def test_loader_with_a_sampler_on_a_plain_dataset_and_num_batches():
    # indices reach dataset[...] as the sampler gives them; num_batches repeats passes over the sampler
    loader = DataLoader(_Rows(10), batch_size=2, sampler=[4, 1, 7], num_batches=4)
    assert len(loader) == 4
    assert [b[0].tolist() for b in loader] == [[4, 1], [7], [4, 1], [7]]
    empty = DataLoader(_Rows(10), batch_sampler=[], num_batches=3)
    assert list(empty) == []


# ============================================================================================ random samplers
def test_random_sampler_is_a_permutation_and_seeded():
    ds = TensorDataset(np.arange(20))
    draws = list(RandomSampler(ds))
    assert sorted(draws) == list(range(20)) and all(type(i) is int for i in draws)
    autograd.manual_seed(3)
    first = list(RandomSampler(ds))
    autograd.manual_seed(3)
    assert list(RandomSampler(ds)) == first
    gen_a, gen_b = np.random.default_rng(5), np.random.default_rng(5)
    a, b = RandomSampler(ds, generator=gen_a), RandomSampler(ds, generator=gen_b)
    epoch1, epoch2 = list(a), list(a)
    assert epoch1 == list(b) and epoch2 == list(b)
    assert epoch1 != epoch2  # each iteration continues the generator: a new order (1 chance in 20! to fail)


def test_random_sampler_num_samples_without_and_with_replacement():
    ds = TensorDataset(np.arange(5))
    draws = list(RandomSampler(ds, num_samples=12, generator=np.random.default_rng(0)))
    assert len(draws) == 12
    assert sorted(draws[:5]) == sorted(draws[5:10]) == list(range(5))  # whole permutations first
    assert len(set(draws[10:])) == 2
    counts = collections.Counter(draws)
    assert sorted(counts.values()) == [2, 2, 2, 3, 3]
    with_replacement = RandomSampler(ds, replacement=True, num_samples=200,
                                     generator=np.random.default_rng(0))
    drawn = list(with_replacement)
    assert len(with_replacement) == len(drawn) == 200
    assert set(drawn) == set(range(5))  # each of 5 indices in 200 draws (fails with probability < 1e-18)
    assert len(RandomSampler(ds, replacement=True)) == 5


def test_subset_random_sampler():
    sampler = SubsetRandomSampler([10, 30, 20, 50], generator=np.random.default_rng(2))
    assert len(sampler) == 4
    assert sorted(sampler) == [10, 20, 30, 50]
    autograd.manual_seed(1)
    first = list(SubsetRandomSampler(list(range(30))))
    autograd.manual_seed(1)
    assert list(SubsetRandomSampler(list(range(30)))) == first and sorted(first) == list(range(30))


def test_weighted_random_sampler_never_draws_a_zero_weight():
    weights = [0.0, 1.0, 0.0, 3.0]
    sampler = WeightedRandomSampler(weights, 4000, generator=np.random.default_rng(0))
    draws = list(sampler)
    assert len(draws) == len(sampler) == 4000 and all(type(i) is int for i in draws)
    counts = collections.Counter(draws)
    assert set(counts) == {1, 3}
    assert abs(counts[3] / 4000 - 0.75) < 0.04  # 6 standard deviations
    no_repeat = list(WeightedRandomSampler(Tensor([0.0, 2.0, 1.0, 0.0, 5.0]), 3, replacement=False))
    assert sorted(no_repeat) == [1, 2, 4]
    np.testing.assert_array_equal(sampler.weights.numpy(), weights)
    assert sampler.weights.dtype == np.float64


def test_weighted_random_sampler_without_replacement_refuses_more_than_the_nonzero_weights():
    # torch would hand out an index of weight 0 here; a zero weight is never drawn in chaingrad
    with pytest.raises(RuntimeError, match="num_samples=2 without replacement; expected at most the 1"):
        WeightedRandomSampler([1.0, 0.0], 2, replacement=False)


def test_weighted_random_sampler_seeded_in_a_loader():
    ds = TensorDataset(np.arange(6))

    def run():
        return _ids(DataLoader(ds, batch_size=4, sampler=WeightedRandomSampler([1, 1, 1, 0, 0, 1], 10)))

    autograd.manual_seed(7)
    first = run()
    autograd.manual_seed(7)
    assert run() == first
    assert [len(b) for b in first] == [4, 4, 2] and not {3, 4} & set(sum(first, []))


# ============================================================================================ eye_ and dirac_
@pytest.mark.parametrize("shape", [(2, 3), (3, 2), (3, 3), (0, 3)])
def test_eye_matches_torch(torch, shape):
    w = nn.Parameter(np.full(shape, 7.0))
    assert init.eye_(w) is w
    np.testing.assert_array_equal(w.numpy(), init_in_torch(torch, "eye_", shape))


def init_in_torch(torch, name, shape, **kwargs):
    return getattr(torch.nn.init, name)(torch.full(shape, 7.0, dtype=torch.float64), **kwargs).numpy()


@pytest.mark.parametrize("shape, groups", [((4, 2, 3), 1), ((4, 2, 3), 2), ((2, 4, 2, 2), 1),
                                           ((6, 2, 3, 3), 3), ((2, 2, 2, 3, 4), 1), ((4, 3, 5), 4),
                                           ((0, 2, 3), 1)])
def test_dirac_matches_torch(torch, shape, groups):
    w = np.full(shape, 7.0)
    assert init.dirac_(w, groups=groups) is w
    np.testing.assert_array_equal(w, init_in_torch(torch, "dirac_", shape, groups=groups))


def test_a_dirac_convolution_copies_its_input():
    x = Tensor(np.random.default_rng(0).standard_normal((2, 3, 5, 6)))
    conv = nn.Conv2d(3, 3, 3, padding=1, bias=False).double()
    init.dirac_(conv.weight)
    np.testing.assert_array_equal(conv(x).numpy(), x.numpy())
    doubled = nn.Conv2d(3, 6, 3, padding=1, bias=False).double()  # two groups: the input twice
    init.dirac_(doubled.weight, groups=2)
    np.testing.assert_array_equal(doubled(x).numpy(), np.concatenate([x.numpy(), x.numpy()], axis=1))


@pytest.mark.parametrize("name, shape, kwargs", [
    ("eye_", (3,), {}), ("eye_", (2, 2, 2), {}), ("dirac_", (3, 3), {}), ("dirac_", (2,) * 6, {}),
    ("dirac_", (5, 2, 3), {"groups": 2}), ("dirac_", (4, 2, 3), {"groups": 3}),
])
def test_identity_initialisers_errors_as_torch(torch, name, shape, kwargs):
    with pytest.raises(ValueError):
        getattr(torch.nn.init, name)(torch.zeros(shape), **kwargs)
    with pytest.raises(ValueError, match=rf"{name}: got .*; expected"):
        getattr(init, name)(np.zeros(shape), **kwargs)


@pytest.mark.parametrize("groups, error", [(0, ValueError), (-1, ValueError), (1.0, TypeError),
                                           (True, TypeError)])
def test_dirac_refuses_groups_that_are_not_positive_ints(groups, error):
    with pytest.raises(error, match=r"dirac_: got groups"):
        init.dirac_(np.zeros((4, 2, 3)), groups=groups)


def test_dirac_refuses_a_kernel_without_centre(torch):
    with pytest.raises(IndexError):
        torch.nn.init.dirac_(torch.zeros(2, 2, 0))
    with pytest.raises(IndexError, match="dirac_: got tensor .* no centre"):
        init.dirac_(np.zeros((2, 2, 0)))


# ============================================================================================ state_dict
def test_state_dict_signature_is_torchs(torch):
    ours = inspect.signature(nn.Module.state_dict).parameters
    theirs = inspect.signature(torch.nn.Module.state_dict).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.values()]


def _pair(torch):
    ours = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    return ours, theirs


def test_state_dict_keep_vars_gives_the_parameters_and_buffers_themselves(torch):
    ours, theirs = _pair(torch)
    kept = ours.state_dict(keep_vars=True)
    assert list(kept) == list(theirs.state_dict(keep_vars=True))
    assert kept["0.weight"] is ours[0].weight and kept["1.running_mean"] is ours[1].running_mean
    assert kept["1.num_batches_tracked"] is ours[1].num_batches_tracked
    assert isinstance(kept["0.bias"], nn.Parameter) and not isinstance(kept["1.running_var"], nn.Parameter)
    copies = ours.state_dict()
    assert all(isinstance(v, np.ndarray) for v in copies.values())
    copies["0.weight"][...] = 0.0  # copies without keep_vars: the model is untouched
    assert np.abs(ours[0].weight.numpy()).sum() > 0


def test_state_dict_fills_and_returns_a_destination(torch):
    ours, theirs = _pair(torch)
    mine, given = {"extra": 1}, {"extra": 1}
    assert ours.state_dict(destination=mine, prefix="net.") is mine
    theirs.state_dict(destination=given, prefix="net.")
    assert list(mine) == list(given)
    assert list(ours[0].state_dict(prefix="a")) == ["a.weight", "a.bias"]  # a dot is added (torch: "aweight")


def test_state_dict_positional_arguments_warn_as_torch(torch):
    ours, theirs = _pair(torch)
    with pytest.warns(FutureWarning):
        theirs.state_dict(None, "p.", True)
    with pytest.warns(FutureWarning, match="Sequential.state_dict: positional arguments are deprecated"):
        sd = ours.state_dict(None, "p.", True)
    assert list(sd)[0] == "p.0.weight" and sd["p.0.weight"] is ours[0].weight


@pytest.mark.parametrize("call, error, pattern", [
    (lambda m: m.state_dict(destination=[]), TypeError, "got destination of type list"),
    (lambda m: m.state_dict(prefix=3), TypeError, r"got prefix of type int \(3\); expected a str"),
    (lambda m: m.state_dict(None, "a.", prefix="b."), TypeError, "prefix both by position and by keyword"),
    (lambda m: m.state_dict({}, "", False, 4), TypeError, "4 positional arguments; expected at most 3"),
])
def test_state_dict_argument_errors(call, error, pattern):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        with pytest.raises(error, match=pattern):
            call(nn.Linear(1, 1))


# ============================================================================================ forward names
def _module_classes():
    import nn.layers
    import nn.losses
    found = {}
    for space in (nn, nn.layers, nn.losses):
        for name in dir(space):
            cls = getattr(space, name)
            if isinstance(cls, type) and issubclass(cls, nn.Module) and not name.startswith("_"):
                found[name] = cls
    return sorted(found.items())


def test_every_layer_and_loss_names_its_forward_arguments_as_torch(torch):
    compared = 0
    for name, cls in _module_classes():
        theirs = getattr(torch.nn, name, None)
        if theirs is None or name in ("Module", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"):
            continue  # containers have no forward of their own
        ours_names = list(inspect.signature(cls.forward).parameters)
        assert ours_names == list(inspect.signature(theirs.forward).parameters), name
        compared += 1
    assert compared >= 60


def test_modules_take_their_input_by_keyword(torch):
    x = Tensor(np.random.default_rng(0).standard_normal((4, 3)))
    lin = nn.Linear(3, 2).double()
    np.testing.assert_array_equal(lin(input=x).numpy(), lin(x).numpy())
    seq = nn.Sequential(lin, nn.ReLU())
    np.testing.assert_array_equal(seq(input=x).numpy(), nn.ReLU()(input=lin(x)).numpy())
    target = Tensor(np.zeros((4, 2)))
    assert nn.MSELoss()(input=lin(x), target=target).item() == pytest.approx((lin(x).numpy() ** 2).mean())
    pooled, indices = nn.MaxPool2d(2, return_indices=True)(input=Tensor(np.arange(16.0).reshape(1, 1, 4, 4)))
    unpooled = nn.MaxUnpool2d(2)(input=pooled, indices=indices)
    assert unpooled.numpy()[0, 0].tolist() == [[0, 0, 0, 0], [0, 5, 0, 7], [0, 0, 0, 0], [0, 13, 0, 15]]
