"""Operation counts: nested count_ops blocks, threads, edges that carry no gradient, the default inputs of
naive_chain_rule_cost on Tensor graphs, and the multiply-adds of einsum.

Every expected number is derived by hand in a comment, never taken from the code under test.
"""

from __future__ import annotations

import math
import threading

import numpy as np

import autograd
from autograd import Tensor, Value, count_ops, counting, naive_chain_rule_cost


def t64(a, requires_grad=True, label=""):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad, label=label)


def sigma(x, y, z, w):
    """Textbook Example 9.3.1: 1 / (w + exp(z + cos(y x^2)))."""
    return 1 / (w + (z + (y * x**2).cos()).exp())


def sigma_inputs_tensor():
    return [t64(v, label=name) for v, name in ((0.5, "x"), (math.pi, "y"), (1.0, "z"), (1.0, "w"))]


def sigma_inputs_value():
    return [Value(v, label=name) for v, name in ((0.5, "x"), (math.pi, "y"), (1.0, "z"), (1.0, "w"))]


def tallies(c):
    return (c.forward, c.local_derivatives, c.multiplications, c.additions)


# ============================================================================ 1. nested count_ops blocks
def test_outer_counter_sees_the_backward_pass_of_an_inner_block():
    A, B = t64(np.ones((2, 3))), t64(np.ones((3, 4)))
    with count_ops() as outer:
        y = A @ B
        with count_ops() as inner:
            y.sum().backward()
    # inner: the sum (1 forward op, 1 element); backward: dA = G B^T is (2, 4) @ (4, 3) = 2*3*4 = 24
    # multiply-adds, dB = A^T G is (3, 2) @ (2, 4) = 3*4*2 = 24: 48. Edges: sum -> y (the root's, no
    # product), matmul -> A and matmul -> B: 3 local derivatives, 2 multiplications.
    assert (inner.forward, inner.forward_macs, inner.backward_macs) == (1, 0, 48)
    assert (inner.local_derivatives, inner.multiplications) == (3, 2)
    # outer: the matmul (2*4 outputs of 3 multiply-adds each = 24) and the sum, and the same backward pass
    assert (outer.forward, outer.forward_macs, outer.backward_macs) == (2, 24, 48)
    assert outer.by_op == {"matmul": 1, "sum": 1}
    assert (outer.local_derivatives, outer.multiplications, outer.additions) == (3, 2, 0)
    assert outer.forward_elements == 2 * 4 + 1
    assert outer.backward_elements == inner.backward_elements > 0


def test_three_nested_value_blocks_each_count_what_ran_inside_them():
    x = Value(2.0)
    with count_ops() as a:
        u = x * x  # a only: 1 op
        with count_ops() as b:
            v = u + x  # a and b: 1 op
            with count_ops() as c:
                v.backward()  # a, b, c: edges add -> u, add -> x (root's, no product), mul -> x twice
            w = v.sin()  # a and b, after c ended
        w.exp()  # a only
    # backward of v: 4 local derivatives, 2 multiplications (the mul's two edges), x receives
    # three contributions (add's, and mul's two): 2 additions
    assert tallies(c) == (0, 4, 2, 2)
    assert tallies(b) == (2, 4, 2, 2)
    assert tallies(a) == (4, 4, 2, 2)
    assert a.by_op == {"mul": 1, "add": 1, "sin": 1, "exp": 1}
    assert b.by_op == {"add": 1, "sin": 1}


def test_forward_work_after_an_inner_block_ends_is_not_booked_as_backward_work():
    # (inner and outer are equal field by field when inner ends: ending inner must not end outer)
    x = t64(np.ones(3))
    with count_ops() as outer:
        with count_ops():
            (x * 2.0).sum().backward()
        x.exp()  # forward work again: one op of 3 elements
    # forward: mul (3 elements), sum (1), exp (3)
    assert outer.forward == 3 and outer.forward_elements == 3 + 1 + 3
    assert outer.by_op == {"mul": 1, "sum": 1, "exp": 1}


def test_a_counter_counts_nothing_another_thread_does():
    # Work done in another thread is not done inside this thread's with block; that thread's own
    # counter gets it.
    x = t64(np.ones(4))
    started, done = threading.Event(), threading.Event()
    seen = {}

    def worker():
        started.wait()
        with count_ops() as mine:
            (x * x).sum().backward()  # forward: mul, sum; edges: sum (root's), mul -> x twice
        seen["mine"] = tallies(mine)
        (x + 1.0).exp()  # counted by nobody
        done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    with count_ops() as main:
        x.sin()  # the only work done in this thread: 1 op
        started.set()
        assert done.wait(10)
    thread.join()
    assert tallies(main) == (1, 0, 0, 0) and main.by_op == {"sin": 1}
    assert seen["mine"] == (2, 3, 2, 1)


# ============================================================ 2. only edges that carry a contribution count
def test_a_constant_operand_takes_no_local_derivative():
    x = t64(np.ones(3))
    with count_ops() as c:
        (x * 3).sum().backward()
    # edges: sum -> mul (the root's: 1 local derivative, no product), mul -> x (1 and 1); the edge to the
    # constant 3 carries nothing
    assert tallies(c) == (2, 2, 1, 0)

    xv = Value(2.0)
    with count_ops() as cv:
        (xv * 3).backward()
    x0 = t64(2.0)
    with count_ops() as ct:
        (x0 * 3).backward()
    # the same expression on a Value and on a 0-d Tensor: one op, one edge, out of the root (no product)
    assert tallies(cv) == tallies(ct) == (1, 1, 0, 0)


def test_an_operand_without_requires_grad_takes_no_local_derivative():
    A, B = t64(np.ones((2, 3))), t64(np.ones((3, 4)), requires_grad=False)
    with count_ops() as c:
        (A @ B).sum().backward()
    # only dA = G B^T, (2, 4) @ (4, 3): 24 multiply-adds; edges sum -> matmul (root's) and matmul -> A
    assert c.backward_macs == 2 * 3 * 4
    assert (c.local_derivatives, c.multiplications) == (2, 1)


def test_sigma_on_0d_tensors_counts_what_it_counts_on_values():
    with count_ops() as cv:
        sigma(*sigma_inputs_value()).backward()
    with count_ops() as ct:
        sigma(*sigma_inputs_tensor()).backward()
    # Edges that carry a gradient: x**2 (1: none to the constant 2), y*p (2), cos (1), z+r (2), exp (1),
    # w+t (2), 1/u (1: none to the constant 1) = 10, all but the root's one needing a product: 9
    assert tallies(ct) == tallies(cv) == (7, 10, 9, 0)
    with count_ops() as c:
        sigma(*sigma_inputs_tensor()).sum().backward()
    # a final sum adds one op and one edge (the root's), and the 1/u edge now needs its product
    assert tallies(c) == (8, 11, 10, 0)


def test_backward_with_inputs_counts_only_the_edges_toward_the_inputs():
    x, y = t64(np.ones(3)), t64(np.ones(3))
    with count_ops() as c:
        (x * y).sum().backward(inputs=[x])
    # sum -> mul (root's) and mul -> x; the contribution to y is dropped, so neither counted nor multiplied
    assert (c.local_derivatives, c.multiplications, c.additions) == (2, 1, 0)
    assert y.grad is None


def test_fan_out_additions_are_still_counted_on_tensors():
    x = t64(np.ones(3))
    with count_ops() as c:
        ((x * 2.0) * x).sum().backward()
    # sum (root's: 1, no product), outer mul -> inner mul and -> x (2, 2), inner mul -> x (1, 1; none to
    # the constant 2); x receives two contributions: 1 addition
    assert tallies(c) == (3, 4, 3, 1)


# ======================================================= 3. naive_chain_rule_cost on Tensor graphs
def test_naive_cost_on_a_tensor_sigma_defaults_to_the_leaves_that_require_grad():
    s = sigma(*sigma_inputs_tensor())
    cost = naive_chain_rule_cost(s)
    # as for Values (textbook 9.3.1): path lengths x 7, y 6, z 4, w 2 = 19 factors; 6 + 5 + 3 + 1 = 15
    # products; the constants 2 (of x**2) and 1 (of 1/u) are no inputs
    assert cost.paths == {"x": 1, "y": 1, "z": 1, "w": 1}
    assert (cost.derivative_factors, cost.multiplications, cost.additions) == (19, 15, 0)
    assert cost == naive_chain_rule_cost(sigma(*sigma_inputs_value()))


def test_naive_cost_default_skips_data_that_needs_no_gradient():
    X = t64(np.ones((4, 3)), requires_grad=False, label="X")
    W = t64(np.ones((3, 2)), label="W")
    loss = ((X @ W) ** 2).sum()
    cost = naive_chain_rule_cost(loss)
    # one path to W: sum -> pow -> matmul -> W, 3 edges: 3 factors, 2 products; X and the 2 are data
    assert cost.paths == {"W": 1}
    assert (cost.derivative_factors, cost.multiplications, cost.additions) == (3, 2, 0)
    # inputs given explicitly are taken as given: X is reached by one path of 3 edges too
    assert naive_chain_rule_cost(loss, [W, X]).paths == {"W": 1, "X": 1}


# ================================================================================ 4. einsum multiply-adds
def test_einsum_macs_of_two_operands_are_those_of_the_same_matmul():
    # (2, 3) @ (3, 4): 2*4 outputs, 3 multiply-adds each
    assert counting.einsum_macs(("ij", "jk"), "ik", {"i": 2, "j": 3, "k": 4}) == 24
    # a batch of 5: 5 * 24
    assert counting.einsum_macs(("bij", "bjk"), "bik", {"b": 5, "i": 2, "j": 3, "k": 4}) == 120
    # a Frobenius inner product 'ij,ij->' is a dot product of 6 elements
    assert counting.einsum_macs(("ij", "ij"), "", {"i": 2, "j": 3}) == 6


def test_einsum_macs_of_products_that_sum_nothing_are_zero_as_for_outer_and_mul():
    # outer product and elementwise product: multiplications only, counted as elements (as outer() and *)
    assert counting.einsum_macs(("i", "j"), "ij", {"i": 3, "j": 4}) == 0
    assert counting.einsum_macs(("i", "i"), "i", {"i": 3}) == 0
    # one operand: a trace, a sum, a transposition do additions only
    assert counting.einsum_macs(("ii",), "", {"i": 3}) == 0
    assert counting.einsum_macs(("ij",), "ji", {"i": 2, "j": 3}) == 0
    a, b = t64([1.0, 2.0, 3.0]), t64([1.0, 2.0, 3.0, 4.0])
    with count_ops() as c:
        autograd.outer(a, b)
    assert c.forward_macs == 0


def test_einsum_macs_of_a_chain_follow_numpys_contraction_path():
    sizes = {"i": 2, "j": 3, "k": 4, "l": 5}
    # numpy's greedy path contracts B (3, 4) with C (4, 5) first: 3*5 outputs of 4 = 60, then A (2, 3)
    # with BC (3, 5): 2*5 outputs of 3 = 30; 90 in all, never the 2 * 120 = 240 of the naive loop
    assert counting.einsum_macs(("ij", "jk", "kl"), "il", sizes) == 60 + 30
    A, B, C = t64(np.ones((2, 3))), t64(np.ones((3, 4))), t64(np.ones((4, 5)))
    with count_ops() as c:
        A @ (B @ C)
    assert c.forward_macs == 90  # the same chain of matmuls
    # a chain ending in a vector: 'ij,jk,k->i' with numpy's path: B (3, 4) with v (4,): 12; A with Bv: 6
    assert counting.einsum_macs(("ij", "jk", "k"), "i", {"i": 2, "j": 3, "k": 4}) == 12 + 6


def test_count_ops_counts_einsum_with_einsum_macs():
    A, B, C = t64(np.ones((2, 3))), t64(np.ones((3, 4))), t64(np.ones((4, 5)))
    with count_ops() as c:
        autograd.einsum("ij,jk,kl->il", A, B, C)
        autograd.einsum("i,j->ij", A[0], B[0])
    assert c.forward_macs == 90 + 0  # as in the two tests above
