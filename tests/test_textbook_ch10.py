"""Textbook ("Mathematics of Deep Learning", seeds/003) chapter 10, reproduced with nn.functional.

Every expected value is typed from the book (or, for Exercise 10.8.2, whose answers the book does not print,
worked by hand from (10.7) and written here as numbers); none is computed by the code under test.
The book indexes from 1; numpy from 0. Its matrix convolution K * A (Definition 10.1.3) is PyTorch's
conv2d (cross-correlation, no kernel flip); its shifts T_h, T_v (Definition 10.6.1) are cyclic: np.roll by
one column / one row.
"""

from __future__ import annotations

import numpy as np
import pytest

import nn.functional as F
from autograd import Tensor
from nn.layers import Conv2d, ZeroPad2d

RNG = np.random.default_rng(10)


def img(a) -> Tensor:
    """A matrix as a (1, 1, N, M) float64 image."""
    return Tensor(np.asarray(a, dtype=np.float64)[None, None])


def conv(K, A, **kw) -> np.ndarray:
    """The book's K * A for matrices, through F.conv2d."""
    return F.conv2d(img(A), img(K), **kw).numpy()[0, 0]


def pool(X, D=2) -> np.ndarray:
    """The book's max pooling layer p with D x D blocks (Definition 10.4.2)."""
    return F.max_pool2d(img(X), D).numpy()[0, 0]


def T_h(A):
    return np.roll(np.asarray(A), 1, axis=-1)


def T_v(A):
    return np.roll(np.asarray(A), 1, axis=-2)


# (10.8), (10.9)
A_1012 = [[0, 1, 0, 1, 0],
          [1, 2, 1, 2, 1],
          [0, 1, 0, 1, 0],
          [1, 2, 1, 2, 1],
          [0, 1, 0, 1, 0]]
K_1012 = [[0, 1, 0],
          [1, 2, 1],
          [0, 1, 0]]
# (10.16), (10.17)
A_1014 = [[0, 0, 1, 1, 1]] * 5
K_1014 = [[-1, 1],
          [-1, 1]]


def test_example_10_1_2_matrix_convolution():
    B = conv(K_1012, A_1012)
    assert B.tolist() == [[8, 6, 8],
                          [6, 4, 6],
                          [8, 6, 8]]  # (10.11)


def test_example_10_1_3_entry_is_the_hadamard_product_of_the_submatrix():
    A, K = img(A_1012)[0, 0], img(K_1012)[0, 0]
    # (10.12): the book's "Hadamard product" is the Frobenius inner product sum_ij a_ij b_ij
    assert (A[0:3, 0:3] * K).sum().item() == 8  # b_11 = A[1, 1; 3] (.) K, (10.15)
    B = conv(K_1012, A_1012)
    assert B.max() == 8 and B[0, 0] == B.max()  # the feature K = A[1, 1; 3] gives the largest entry


def test_example_10_1_4_vertical_edge_detector_gives_a_column_of_twos():
    B = conv(K_1014, A_1014)
    assert B.tolist() == [[0, 2, 0, 0]] * 4  # (10.18)
    a, b, c, d = 0.3, 1.7, -2.0, 5.0
    assert conv(K_1014, [[a, b], [c, d]]).item() == pytest.approx(b - a + d - c)  # (10.20)


def test_example_10_2_1_convolution_as_a_sparse_matrix_with_shared_weights():
    a, b, c, d = 2.0, 3.0, 5.0, 7.0
    K = [[a, b], [c, d]]
    X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]  # (10.26)
    assert conv(K, X).tolist() == [[1 * a + 2 * b + 4 * c + 5 * d, 2 * a + 3 * b + 5 * c + 6 * d],
                                   [4 * a + 5 * b + 7 * c + 8 * d, 5 * a + 6 * b + 8 * c + 9 * d]]  # (10.27)
    # the matrix of the linear map X-bar -> (K * X)-bar: column k is the convolution of the k-th basis image
    columns = [conv(K, np.eye(9)[k].reshape(3, 3)).reshape(4) for k in range(9)]
    big_k = np.stack(columns, axis=1)
    assert big_k.tolist() == [[a, b, 0, c, d, 0, 0, 0, 0],
                              [0, a, b, 0, c, d, 0, 0, 0],
                              [0, 0, 0, a, b, 0, c, d, 0],
                              [0, 0, 0, 0, a, b, 0, c, d]]  # (10.31)
    # SPEC errata: the text says 15 non-zero entries; (10.31) has 16 (four rows of a, b, c, d)
    assert np.count_nonzero(big_k) == 16
    assert np.allclose(big_k @ np.arange(1, 10), conv(K, X).reshape(4))  # (10.30)


def test_definition_10_3_1_padding_layer():
    M = RNG.standard_normal((3, 3))
    s = 2
    P = ZeroPad2d(s)(img(M)).numpy()[0, 0]
    assert P.shape == (3 + 2 * s, 3 + 2 * s)
    for alpha in range(1, 3 + 2 * s + 1):  # the book's 1-based indices
        for beta in range(1, 3 + 2 * s + 1):
            inside = s + 1 <= alpha <= 3 + s and s + 1 <= beta <= 3 + s
            expected = M[alpha - s - 1, beta - s - 1] if inside else 0.0
            assert P[alpha - 1, beta - 1] == expected
    # Exercise 10.8.7: padding is linear
    B, lam = RNG.standard_normal((3, 3)), -1.5
    pad = ZeroPad2d(s)
    lhs = pad(img(M + lam * B)).numpy()
    assert np.allclose(lhs, pad(img(M)).numpy() + lam * pad(img(B)).numpy())


def test_example_10_4_1_max_pooling_the_edge_map():
    B = F.conv2d(img(A_1014), img(K_1014))  # (10.37)
    pB = F.max_pool2d(B, 2).numpy()[0, 0]
    assert pB.tolist() == [[2, 0],
                           [2, 0]]  # (10.38)


def test_exercise_10_8_2_examples_of_convolutions():
    # The book prints no answers; these were worked by hand from (10.7).
    K1 = [[1, -1], [-1, 1]]
    M1 = [[2, 2, -2], [2, 2, -2], [-2, -2, -2]]
    assert conv(K1, M1).tolist() == [[0, 0], [0, 4]]
    K2 = [[2, -1, -1], [-2, 1, 1], [0, 0, 0]]
    M2 = [[2, 2, 2, -2, -2],
          [2, 2, 2, 2, -2],
          [2, 2, 2, 2, 2],
          [100, 100, 100, 100, 100]]
    B2 = conv(K2, M2)
    assert B2.shape == (2, 3)  # (N - D + 1) x (M - D + 1)
    assert B2.tolist() == [[0, 4, 4], [0, 0, 4]]  # the row of 100s only meets the zero row of K


def test_exercise_10_8_5_and_6_special_kernels():
    M = RNG.standard_normal((4, 4))
    assert np.allclose(conv([[2.5]], M), 2.5 * M)  # i: a 1x1 kernel scales
    assert np.allclose(conv([[1.0]], M), M)  # ii: the identity only for D = 1, K = 1
    assert np.allclose(conv([[1, 0], [0, 0]], M), M[:3, :3])  # iii: a block of M
    assert np.allclose(conv(np.eye(2), M), M[:3, :3] + M[1:, 1:])  # 6: I * M sums a diagonal
    assert not np.allclose(conv(np.eye(2), M).shape, M.shape)


def test_exercise_10_8_8_and_9_max_pooling_is_not_linear():
    M = -np.abs(RNG.standard_normal((6, 6)))
    M[::2, ::2] = 0.0  # one zero per 2x2 block, the rest negative
    assert pool(M).tolist() == [[0, 0, 0]] * 3 and np.any(M != 0)  # 8 ii: p(M) = 0 but M != 0
    A = np.array([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], dtype=float)
    B = np.array([[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], dtype=float)
    assert pool(A + B)[0, 0] == 1 and pool(A)[0, 0] + pool(B)[0, 0] == 2  # 9 iii
    assert np.allclose(pool(3.0 * M), 3.0 * pool(M))  # 9 i: positive homogeneity


def test_definition_10_6_1_shifts_are_cyclic():
    A = np.arange(12.0).reshape(3, 4)
    th = np.empty_like(A)
    tv = np.empty_like(A)
    for i in range(3):
        for j in range(4):
            th[i, j] = A[i, j - 1] if j >= 1 else A[i, 3]  # (10.42), 0-based
            tv[i, j] = A[i - 1, j] if i >= 1 else A[2, j]  # (10.43)
    assert (T_h(A) == th).all() and (T_v(A) == tv).all()


def test_equation_10_45_unpadded_convolution_is_almost_equivariant():
    X = RNG.standard_normal((7, 6))
    K = RNG.standard_normal((3, 3))

    def c(X):  # (10.22) with ReLU and a zero bias
        return np.maximum(conv(K, X), 0.0)

    # equal away from the first column (T_h) / first row (T_v); the first ones differ in general
    assert np.allclose(c(T_h(X))[:, 1:], T_h(c(X))[:, 1:])
    assert np.allclose(c(T_v(X))[1:, :], T_v(c(X))[1:, :])
    assert not np.allclose(c(T_h(X)), T_h(c(X)))


def test_circularly_padded_convolution_commutes_with_cyclic_shifts():
    X = RNG.standard_normal((2, 3, 6, 7))
    layer = Conv2d(3, 4, 3, padding=1, padding_mode="circular", dtype=np.float64)
    y = layer(Tensor(X)).numpy()
    assert np.allclose(layer(Tensor(T_h(X))).numpy(), T_h(y), atol=1e-12)
    assert np.allclose(layer(Tensor(T_v(X))).numpy(), T_v(y), atol=1e-12)
    # the same through the functional form, with a bigger kernel and two shifts at once
    K = Tensor(RNG.standard_normal((2, 3, 5, 5)))

    def f(a):
        return F.conv2d(F.pad(Tensor(a), (2, 2, 2, 2), mode="circular"), K).numpy()

    assert np.allclose(f(T_h(T_v(X))), T_h(T_v(f(X))), atol=1e-12)
    # with zero padding the shift does not commute at the border
    g = lambda a: F.conv2d(Tensor(a), K, padding=2).numpy()  # noqa: E731
    assert not np.allclose(g(T_h(X)), T_h(g(X)))


def test_example_10_6_1_pooling_is_not_shift_equivariant():
    X = [[2, 2, 0, 1]] * 4  # (10.46)
    assert pool(X).tolist() == [[2, 1], [2, 1]]  # (10.47)
    assert T_h(X).tolist() == [[1, 2, 2, 0]] * 4  # (10.48)
    assert pool(T_h(X)).tolist() == [[2, 2], [2, 2]]  # (10.49)
    assert T_h(pool(X)).tolist() == [[1, 2], [1, 2]]  # (10.50): what equivariance would have required
    assert pool(T_h(X)).tolist() != T_h(pool(X)).tolist()


def test_example_10_6_3_padding_makes_the_network_shift_invariant():
    # images whose last column is 0, padding s_k >= D_k, zero bias: exact equivariance of every padded
    # convolution, then a max over the whole matrix and a softmax give a translation-invariant classifier
    N, kappa = 6, 3
    M = RNG.standard_normal((1, 1, N, N))
    M[..., -1] = 0.0
    K1 = Tensor(RNG.standard_normal((1, 1, 2, 2)))
    K2 = Tensor(RNG.standard_normal((kappa, 1, 2, 2)))

    def features(a, s=2):
        h = F.relu(F.conv2d(ZeroPad2d(s)(Tensor(a)), K1))  # P_1 with s_1 = 2 >= D_1 = 2, then c_1
        return F.relu(F.conv2d(ZeroPad2d(s)(h), K2))  # P_2, c_2 with kappa output channels

    def classifier(a):
        q = features(a).numpy().max(axis=(2, 3))  # max pooling over the whole matrix
        return F.softmax(Tensor(q), dim=1).numpy()

    assert np.allclose(features(T_h(M)).numpy(), T_h(features(M).numpy()))
    assert np.allclose(classifier(T_h(M)), classifier(M))
    # without the padding layers the shift is not matched (10.45 holds only away from the border)
    assert not np.allclose(features(T_h(M), s=0).numpy(), T_h(features(M, s=0).numpy()))
