"""Optimizers and learning-rate schedules, with PyTorch's names, defaults and update formulas.

Every optimizer updates its parameters in place and keeps its state as numpy arrays; see
:class:`Optimizer` for parameter groups, ``zero_grad`` and ``state_dict``.

Examples
--------
>>> from autograd import tensor
>>> from nn import optim
>>> w = tensor([3.0], requires_grad=True)
>>> opt = optim.SGD([w], lr=0.25)
>>> sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
>>> for _ in range(3):
...     opt.zero_grad()
...     (w * w).sum().backward()
...     opt.step()
...     sched.step()
>>> round(w.item(), 4), sched.get_last_lr()
(0.9844, [0.03125])
"""

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]
