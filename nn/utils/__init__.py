"""Helpers for training loops, with the names of ``torch.nn.utils``: gradient clipping
(:func:`clip_grad_norm_`, :func:`clip_grad_value_`, and the two halves of the first,
:func:`get_total_norm` and :func:`clip_grads_with_norm_`) and the conversion between a model's parameters
and one flat vector (:func:`parameters_to_vector`, :func:`vector_to_parameters`); and
:func:`record_module_calls`, which lets :func:`autograd.draw_graph` draw each module call in a box.

Examples
--------
>>> import autograd
>>> import nn
>>> model = nn.Linear(3, 1)
>>> model(autograd.ones(4, 3)).sum().backward()
>>> total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
>>> float(nn.utils.get_total_norm([p.grad for p in model.parameters()])) <= 1.0
True
"""

from .clip_grad import clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .module_calls import ModuleCalls, record_module_calls

__all__ = ["clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
           "parameters_to_vector", "vector_to_parameters", "ModuleCalls", "record_module_calls"]
