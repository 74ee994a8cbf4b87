"""The optimizer base class: parameter groups, ``zero_grad``, ``step`` and ``state_dict`` (PyTorch's API).

Optimizers update the parameters *in place*: each step writes into the parameter's numpy array (the
array object is never replaced) and keeps its per-parameter state (momentum buffers, running averages)
as numpy arrays. A step is plain numpy work: it creates no Tensor objects and records nothing.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Callable, Iterable, Optional, Union

import numpy as np

from autograd.grad_mode import enable_grad
from autograd.modifications import record_change
from autograd.tensor import Tensor, describe

from ..module import bad_data_error

__all__ = ["Optimizer", "ParamsT", "Closure", "required"]

ParamsT = Union[Iterable[Tensor], Iterable[dict]]
Closure = Optional[Callable[[], Any]]


class _Required:
    """Marks a hyper-parameter without a default (every group must then give it)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()

def sqrt_array(a: Any) -> np.ndarray:
    """``np.sqrt(a)`` as a fresh array, even for a 0-d ``a`` (where numpy gives a scalar): the update
    rules go on to write into it with ``out=``.

    Examples
    --------
    >>> type(sqrt_array(np.array(4.0)))
    <class 'numpy.ndarray'>
    """
    a = np.asarray(a)
    return np.sqrt(a, out=np.empty_like(a))


# State entries that hold a count (a number), not an array shaped like the parameter.
_COUNT_KEYS = frozenset({"step"})

# Group entries of torch optimizers that choose how torch computes a step (multi-tensor or fused kernels,
# CUDA graph capture, autograd through the step) or name its parameters; the update itself does not
# depend on them. Each optimizer here takes the ones its torch twin takes, with torch's defaults, so that
# its groups look the same; loading a state dict drops those it does not take (param_names always), so
# its groups hold only the keys it knows (plus any a user or a scheduler added, such as 'initial_lr').
_TORCH_ONLY_GROUP_KEYS = frozenset({"foreach", "fused", "capturable", "differentiable", "param_names"})


class Optimizer:
    """Base class of the optimizers.

    Parameters
    ----------
    params : iterable of Tensor or iterable of dict
        The tensors to optimize (Parameters or leaf Tensors), or parameter groups: dicts with a
        ``'params'`` entry and optional per-group hyper-parameters that override ``defaults``.
    defaults : dict
        The default hyper-parameters of every group.

    Attributes
    ----------
    param_groups : list of dict
        One dict per group: ``'params'`` (a list of tensors) and every hyper-parameter.
    state : dict
        Per-parameter state (keyed by the parameter object): dicts of numpy arrays and step counts.

    Notes
    -----
    Assigning a wrong ``.grad`` (not a Tensor, or of another shape or dtype than its parameter) raises at
    once, as in PyTorch. A gradient can still stop fitting afterwards, when the parameter's ``.data`` or the
    gradient's ``.data`` is replaced, so :meth:`step` checks every gradient again, before any parameter
    changes, and names the parameter's group and index.

    Examples
    --------
    A subclass implements :meth:`step` (and may validate hyper-parameters in :meth:`_validate_group`);
    :meth:`_checked_grads` gives it each group's parameters that have a gradient, with their gradient
    arrays, once every gradient has been checked:

    >>> import numpy as np
    >>> from autograd import tensor
    >>> class PlainGD(Optimizer):
    ...     def __init__(self, params, lr=0.1):
    ...         super().__init__(params, {"lr": lr})
    ...     def step(self):
    ...         for group, pairs in self._checked_grads():
    ...             for p, g in pairs:
    ...                 p.data -= group["lr"] * g
    >>> w = tensor([1.0, 2.0], requires_grad=True)
    >>> opt = PlainGD([w])
    >>> (w * w).sum().backward(); opt.step()
    >>> w.tolist()
    [0.800000011920929, 1.600000023841858]
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        name = type(self).__name__
        if isinstance(params, Tensor):
            raise TypeError(
                f"{name}: params should be an iterable of Tensors or of dicts (parameter groups); got a "
                "single Tensor (wrap it in a list: [x])"
            )
        if isinstance(params, dict):
            raise TypeError(
                f"{name}: params should be an iterable of Tensors or of dicts; got one dict (wrap it in a "
                "list: [group])"
            )
        if isinstance(params, (set, frozenset)):
            raise TypeError(
                f"{name}: parameters must be given in an ordered collection (list, tuple, generator); "
                "a set's order changes between runs, and so would the optimizer state's indices"
            )
        groups = list(params)
        if not groups:
            raise ValueError(f"{name}: got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------------ groups
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyper-parameters (e.g. a layer to fine-tune).

        Parameters
        ----------
        param_group : dict
            ``'params'`` (a Tensor or an iterable of Tensors) and any hyper-parameters to override;
            the others take the optimizer's defaults.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> a, b = tensor([1.0], requires_grad=True), tensor([2.0], requires_grad=True)
        >>> opt = SGD([a], lr=0.1)
        >>> opt.add_param_group({"params": [b], "lr": 0.01})
        >>> [g["lr"] for g in opt.param_groups]
        [0.1, 0.01]
        """
        name = type(self).__name__
        if not isinstance(param_group, dict):
            raise TypeError(f"{name}.add_param_group: got {type(param_group).__name__}; expected a dict")
        if "params" not in param_group:
            raise ValueError(f"{name}.add_param_group: the group has no 'params' entry")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(
                f"{name}: parameters must be given in an ordered collection (list, tuple, generator); "
                "a set's order changes between runs, and so would the optimizer state's indices"
            )
        else:
            params = list(params)
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"{name}: parameter {i} of the group is a {type(p).__name__}; expected a Tensor"
                )
            if not p.is_leaf:
                raise ValueError(
                    f"{name}: parameter {i} of the group is not a leaf tensor (it was computed by "
                    f"'{p.op}'); optimize the leaf it was computed from"
                )
            if p.data.dtype.kind != "f":
                raise TypeError(f"{name}: parameter {i} has dtype {p.data.dtype}; expected floating point")
        if len({id(p) for p in params}) != len(params):
            raise ValueError(f"{name}: a parameter appears twice in the same group")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError(f"{name}: some parameters appear in more than one parameter group")
        group = dict(param_group)
        group["params"] = params
        for key, default in self.defaults.items():
            if default is required and key not in group:
                raise ValueError(f"{name}: parameter group didn't specify a value of required '{key}'")
            group.setdefault(key, default)
        self._validate_group(group)
        self.param_groups.append(group)

    def _validate_group(self, group: dict[str, Any]) -> None:
        """Check a group's hyper-parameters (subclasses extend this)."""
        lr = group.get("lr")
        if lr is not None and not (isinstance(lr, (int, float)) and lr >= 0 and math.isfinite(lr)):
            raise ValueError(f"{type(self).__name__}: invalid learning rate lr={lr!r}; expected lr >= 0")
        self._check_implementation_flags(group)

    def _check_implementation_flags(self, group: dict[str, Any]) -> None:
        """Check the entries of ``group`` that choose how PyTorch computes a step.

        ``foreach`` and ``fused`` are taken and change nothing: every step here is one numpy update per
        parameter, with the same arithmetic. ``capturable`` (CUDA graphs) and ``differentiable`` (autograd
        through the step) have no meaning here, so True is refused, when the optimizer is made (PyTorch
        fails at the first step).
        """
        name = type(self).__name__
        for key in ("foreach", "fused", "capturable", "differentiable"):
            value = group.get(key)
            if value is not None and not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{name}: got {key}={value!r}; expected True, False or None")
        if group.get("fused") and group.get("foreach"):
            raise RuntimeError(f"{name}: got fused=True and foreach=True; expected at most one of them True")
        if group.get("capturable"):
            raise RuntimeError(f"{name}: got capturable=True, which is for CUDA graphs; chaingrad computes "
                               "on the CPU only (expected capturable=False)")
        if group.get("differentiable"):
            raise NotImplementedError(
                f"{name}: got differentiable=True; chaingrad's optimizers update parameters in place, "
                "outside any graph (expected differentiable=False; write the update with Tensor operations "
                "to differentiate through it)"
            )

    @staticmethod
    def _check(condition: bool, message: str) -> None:
        if not condition:
            raise ValueError(message)

    def _check_nonnegative(self, group: dict[str, Any], *keys: str) -> None:
        """Check ``group[key] >= 0`` for each of ``keys``, in order (NaN fails too)."""
        name = type(self).__name__
        for key in keys:
            self._check(group[key] >= 0, f"{name}: invalid {key}={group[key]!r}; expected >= 0")

    # ------------------------------------------------------------------ stepping
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients of all parameters.

        Parameters
        ----------
        set_to_none : bool, optional
            Set ``.grad`` to None (the default, as in PyTorch) instead of to a tensor of zeros.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> w = tensor([1.0], requires_grad=True)
        >>> opt = SGD([w], lr=0.1)
        >>> (w * 3).sum().backward(); opt.zero_grad(); w.grad is None
        True
        """
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    # A fresh array: a gradient's array may be shared or be a read-only view.
                    p._grad = Tensor(np.zeros_like(p.data))

    def step(self, closure: Closure = None) -> Any:
        """Update every parameter that has a gradient (parameters whose ``.grad`` is None are skipped).

        Parameters
        ----------
        closure : callable, optional
            Called first, with gradients enabled, as in PyTorch: it clears the gradients, recomputes the
            loss, calls ``backward()`` and returns the loss, which ``step`` returns (None without it).

        Raises
        ------
        TypeError
            If a ``.grad`` is not a Tensor, or its dtype is not its parameter's, or a parameter's ``.data``
            is not a numpy array; nothing is updated then.
        ValueError
            If a gradient's shape is not its parameter's; nothing is updated then.
        """
        raise NotImplementedError(f"{type(self).__name__}.step is not implemented")

    @staticmethod
    def _evaluate(closure: Closure) -> Any:
        """What a :meth:`step` does with its ``closure`` before updating: call it with gradients enabled
        and return its loss (None without a closure)."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def _checked_grads(self) -> list[tuple[dict[str, Any], list[tuple[Tensor, np.ndarray]]]]:
        """Each group with its ``(parameter, gradient array)`` pairs, parameters without a gradient left
        out: what a :meth:`step` updates.

        Every gradient of every group is checked before the first is returned, so a refused gradient
        leaves all parameters and all optimizer state as they were.

        Raises
        ------
        TypeError
            If a ``.grad`` is not a Tensor (or None), or its dtype is not the parameter's, or a parameter's
            ``.data`` is not a numpy array.
        ValueError
            If a gradient's shape is not the parameter's.
        """
        checked = []
        for gi, group in enumerate(self.param_groups):
            pairs = []
            for i, p in enumerate(group["params"]):
                if type(p.data) is not np.ndarray and not isinstance(p.data, np.ndarray):
                    # `p.data = p.data - lr * p.grad` leaves a Tensor there; the update would fail obscurely
                    where = f"{type(self).__name__}.step"
                    raise bad_data_error(where, f"parameter {i} of group {gi}", p.data)
                grad = p._grad
                if grad is None:
                    continue
                if not isinstance(grad, Tensor):
                    raise self._bad_grad(gi, i, p, grad)
                g = grad.data
                if g.shape != p.data.shape or g.dtype != p.data.dtype:
                    raise self._bad_grad(gi, i, p, grad)
                pairs.append((p, g))
            checked.append((group, pairs))
        step = f"{type(self).__name__}.step()"
        for _, pairs in checked:  # the step changes them in place: graphs recorded before may not use them
            for p, _ in pairs:
                record_change(p.data, step)
        return checked

    def _bad_grad(self, gi: int, i: int, p: Tensor, grad: Any) -> Exception:
        """The error for parameter ``i`` of group ``gi`` whose ``.grad`` is not a Tensor of its shape and
        dtype (only called once a check has failed)."""
        where = f"{type(self).__name__}.step: parameter {i} of group {gi}"
        want = f"shape {p.data.shape} and dtype {p.data.dtype}"
        if not isinstance(grad, Tensor):
            return TypeError(
                f"{where} has a .grad {describe(grad)}; "
                f"expected a Tensor of the parameter's {want}, or None (wrap an array: "
                "p.grad = Tensor(array, dtype=p.dtype))"
            )
        g = grad.data
        message = (f"{where} has a gradient of shape {g.shape} and dtype {g.dtype}; "
                   f"expected the parameter's {want}")
        if g.shape != p.data.shape:
            return ValueError(message)
        return TypeError(f"{message} (convert it: p.grad = p.grad.astype(p.dtype))")

    def _effective_grads(self, group: dict[str, Any], pairs: list[tuple[Tensor, np.ndarray]],
                         l2: bool = True) -> Iterable[tuple[Tensor, np.ndarray]]:
        """The gradients of ``pairs`` (a group's entry of :meth:`_checked_grads`), each negated when the
        group's ``maximize`` is set and, when ``l2``, with the L2 penalty ``weight_decay * p`` added.
        Optimizers with decoupled weight decay pass ``l2=False`` and shrink ``p`` themselves.

        The caller must not write into the yielded array: without ``maximize`` and weight decay it is the
        parameter's gradient array itself.
        """
        maximize, wd = group["maximize"], group["weight_decay"]
        for p, grad in pairs:
            g = -grad if maximize else grad
            if l2 and wd != 0:
                g = g + wd * p.data
            yield p, g

    # ------------------------------------------------------------------ checkpoints
    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state as plain data: ``{'state': {index: {...}}, 'param_groups': [...]}``.

        As in PyTorch, parameters are replaced by their index in the order of ``param_groups``; the
        state's arrays are copies, so the dict stays valid while training goes on.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> w = tensor([1.0], requires_grad=True)
        >>> SGD([w], lr=0.1, momentum=0.9).state_dict()["param_groups"][0]["params"]
        [0]
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            ids = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            packed["params"] = ids
            groups.append(packed)
        state = {index[id(p)]: copy.deepcopy(s) for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict` (into an optimizer over the same parameters).

        Hyper-parameters come from the saved groups; arrays are copied and cast to each parameter's dtype.

        Parameters
        ----------
        state_dict : dict
            ``{'state': ..., 'param_groups': ...}`` as returned by :meth:`state_dict`, or by a torch
            optimizer of the same kind: Tensors and torch tensors in the state become numpy arrays, and
            0-d step counts become Python numbers, so training resumes where torch left off. Torch's
            group entries that only choose its implementation (``foreach``, ``fused``, ``capturable``,
            ``differentiable``, ``param_names``) are dropped unless this optimizer has such a
            hyper-parameter; every other entry is kept.

        Raises
        ------
        ValueError
            If the groups or parameter counts differ, or a state array does not have its parameter's
            shape; the optimizer is left unchanged then.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> w = tensor([1.0], requires_grad=True)
        >>> saved = SGD([w], lr=0.5).state_dict()
        >>> opt = SGD([w], lr=0.1); opt.load_state_dict(saved); opt.param_groups[0]["lr"]
        0.5
        """
        name = type(self).__name__
        if not isinstance(state_dict, dict) or "state" not in state_dict or "param_groups" not in state_dict:
            raise ValueError(f"{name}.load_state_dict: expected a dict with 'state' and 'param_groups'")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{name}.load_state_dict: the saved state has {len(saved_groups)} parameter groups; this "
                f"optimizer has {len(self.param_groups)}"
            )
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"{name}.load_state_dict: parameter group {i} has {len(saved['params'])} parameters "
                    f"in the saved state and {len(group['params'])} here"
                )
        id_to_param = {}
        for saved, group in zip(saved_groups, self.param_groups):
            for idx, p in zip(saved["params"], group["params"]):
                id_to_param[idx] = p
        new_state: dict[Tensor, dict[str, Any]] = {}
        for idx, s in state_dict["state"].items():
            if idx not in id_to_param:
                raise ValueError(
                    f"{name}.load_state_dict: the state names parameter {idx}, which no group has"
                )
            p = id_to_param[idx]
            new_state[p] = {key: self._restore_state_value(value, key, idx, p) for key, value in s.items()}
        self.state = new_state
        new_groups = []
        for saved, group in zip(saved_groups, self.param_groups):
            merged = {k: copy.deepcopy(v) for k, v in saved.items()
                      if k != "params" and (k not in _TORCH_ONLY_GROUP_KEYS or k in self.defaults)}
            merged["params"] = group["params"]
            new_groups.append(merged)
        self.param_groups = new_groups

    def _restore_state_value(self, value: Any, key: str, idx: Any, p: Tensor) -> Any:
        """One entry of a parameter's saved state, converted to what :meth:`step` works with."""
        name = type(self).__name__
        if isinstance(value, Tensor):
            value = value.data
        elif hasattr(value, "detach") and hasattr(value, "cpu") and not isinstance(value, np.ndarray):
            value = value.detach().cpu().numpy()  # a torch tensor (torch is never imported here)
        if key in _COUNT_KEYS and isinstance(value, (np.ndarray, np.generic)):
            # torch keeps step counts as 0-d float tensors; ours are Python numbers.
            if value.size != 1:
                raise ValueError(
                    f"{name}.load_state_dict: state '{key}' of parameter {idx} has shape {value.shape}; "
                    "expected a single number"
                )
            number = value.reshape(()).item()
            return int(number) if isinstance(number, float) and number.is_integer() else number
        if not isinstance(value, np.ndarray):
            return copy.deepcopy(value)
        if value.shape != p.data.shape:
            raise ValueError(
                f"{name}.load_state_dict: state '{key}' of parameter {idx} has shape {value.shape}; "
                f"expected {p.data.shape} (the parameter's shape)"
            )
        if value.dtype.kind not in "fiub":
            raise ValueError(
                f"{name}.load_state_dict: state '{key}' of parameter {idx} has dtype {value.dtype}; "
                f"expected numbers (it is cast to the parameter's dtype {p.data.dtype})"
            )
        return value.astype(p.data.dtype, copy=True)

    def __repr__(self) -> str:
        """PyTorch's text: each group's entries but its parameters, sorted by key, groups apart by a blank
        line.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.optim import SGD
        >>> print(SGD([tensor([1.0], requires_grad=True)], lr=0.1))
        SGD (
        Parameter Group 0
            dampening: 0
            differentiable: False
            foreach: None
            fused: None
            lr: 0.1
            maximize: False
            momentum: 0
            nesterov: False
            weight_decay: 0
        )
        """
        groups = [f"Parameter Group {i}\n" + "".join(f"    {key}: {group[key]}\n" for key in sorted(group)
                                                     if key != "params")
                  for i, group in enumerate(self.param_groups)]
        return f"{type(self).__name__} (\n" + "\n".join(groups) + ")"
