"""chaingrad.nn: neural networks built on the autograd engine."""

# --- modules, layers, init, functional, serialization (nn/module.py, nn/layers/, nn/mlp.py, ...)
# isort: off
from . import functional, init  # noqa: E402,F401
from .layers import (  # noqa: E402,F401
    ELU, GELU, BatchNorm1d, BatchNorm2d, Dropout, Flatten, Identity, LayerNorm, LeakyReLU, Linear,
    LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh, Unflatten,
)
from .mlp import MLP  # noqa: E402,F401
from .module import Module, ModuleList, Parameter, Sequential  # noqa: E402,F401
from .containers import ModuleDict, ParameterDict, ParameterList  # noqa: E402,F401
from .serialization import load, save  # noqa: E402,F401
# isort: on
# --- end of modules, layers, init, functional, serialization
from . import optim, utils  # noqa: E402,F401
from .layers import (  # noqa: E402,F401
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    Conv1d,
    Conv2d,
    Embedding,
    GroupNorm,
    MaxPool1d,
    MaxPool2d,
    MaxUnpool2d,
    Upsample,
    UpsamplingBilinear2d,
    UpsamplingNearest2d,
    ZeroPad2d,
)
from .losses import (  # noqa: E402,F401
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)

# --- the remaining activation layers (nn/layers/more_activations.py)
# isort: split
from .layers import (  # noqa: E402,F401
    CELU,
    GLU,
    SELU,
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LogSigmoid,
    Mish,
    ReLU6,
    RReLU,
    SiLU,
    Softmin,
    Softshrink,
    Softsign,
    Tanhshrink,
    Threshold,
)

# --- data, training, perceptron (nn/data/, nn/train.py, nn/perceptron.py)
# isort: off
from . import data  # noqa: E402,F401
from .data import DataLoader, Dataset, TensorDataset  # noqa: E402,F401
from .perceptron import Perceptron  # noqa: E402,F401
from .train import History, evaluate, fit  # noqa: E402,F401
# isort: on
