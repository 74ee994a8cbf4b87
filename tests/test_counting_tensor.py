"""Counting tensor work: lecture 004's rule of thumb that backward costs about two forward passes.

For a layer y = x W^T, the forward pass does batch * in * out multiply-adds; the backward pass does the
same number twice, once for dL/dW and once for dL/dx, except the first layer, whose input needs no
gradient. The expected counts are derived by hand from the layer sizes.
"""

import numpy as np

import autograd as ag


def _mlp_counts(sizes, batch):
    rng = np.random.default_rng(0)
    x = ag.tensor(rng.standard_normal((batch, sizes[0])))
    weights = [ag.tensor(rng.standard_normal((n_out, n_in)), requires_grad=True)
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    with ag.count_ops() as c:
        h = x
        for i, w in enumerate(weights):
            h = h @ w.T
            if i + 1 < len(weights):
                h = h.relu()
        h.sum().backward()
    return c


def test_forward_macs_are_one_per_weight_and_example():
    sizes, batch = (5, 7, 3), 4
    c = _mlp_counts(sizes, batch)
    assert c.forward_macs == batch * (5 * 7 + 7 * 3)


def test_backward_macs_are_two_per_weight_and_example_except_the_first_input():
    sizes, batch = (5, 7, 6, 3), 4
    c = _mlp_counts(sizes, batch)
    weights = [5 * 7, 7 * 6, 6 * 3]
    assert c.backward_macs == batch * (2 * sum(weights) - weights[0])


def test_backward_tends_to_twice_the_forward_as_the_first_layer_shrinks():
    ratios = []
    for n_in in (64, 8, 1):
        c = _mlp_counts((n_in, 64, 64, 64), batch=2)
        ratios.append(c.backward_macs / c.forward_macs)
    assert ratios[0] < ratios[1] < ratios[2] < 2.0
    assert ratios[2] > 1.95


def test_elementwise_work_is_counted_forward_and_backward_apart():
    x = ag.tensor(np.ones((3, 4)), requires_grad=True)
    with ag.count_ops() as c:
        y = (x * 2.0).exp().sum()
        assert (c.forward_elements, c.backward_elements) == (12 + 12 + 1, 0)
        y.backward()
    assert c.backward_elements > 0
    assert c.forward_elements == 25  # backward work is never booked as forward work
