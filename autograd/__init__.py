"""chaingrad's engine: reverse-mode automatic differentiation you can see."""

from .counting import NaiveCost, OpCounter, count_ops, naive_chain_rule_cost
from .engine import GraphFreedError, topological_order
from .functions import (abs, cos, exp, leaky_relu, log, relu, sigmoid, sin, softplus, sqrt, tan, tanh,
                        zero_grad)
from .graph import draw_graph, render
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .value import Value, value_dot, value_sum
from .tensor import Tensor, tensor, unbroadcast
from . import ops as _ops
from .factories import (arange, default_generator, eye, full, full_like, manual_seed, ones, ones_like,
                        rand, rand_like, randn, randn_like, zeros, zeros_like)

from .functional import grad, hessian, hvp, jacobian, value_and_grad, vjp
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
globals().update({_name: _fn for _name, _fn in _ops.FUNCTIONS.items() if _name not in globals()})

__all__ = [
    "Tensor", "tensor", "unbroadcast", "arange", "default_generator", "eye", "full", "full_like",
    "manual_seed", "ones", "ones_like", "rand", "rand_like", "randn", "randn_like", "zeros", "zeros_like",
    "naive_chain_rule_cost", "NaiveCost",
    "exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "leaky_relu", "abs", "sqrt", "softplus",
    "zero_grad",
    "draw_graph", "render",
    "Value", "value_sum", "value_dot", "count_ops", "OpCounter", "GraphFreedError",
    "topological_order", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
]
__all__ += ["grad", "value_and_grad", "vjp", "jacobian", "hessian", "hvp",
            "gradcheck", "gradgradcheck", "GradcheckError"]
__all__ += [_name for _name in _ops.FUNCTIONS if _name not in __all__]
__version__ = "0.1.0"
