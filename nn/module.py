"""Module, Parameter and the containers Sequential and ModuleList (ModuleDict, ParameterList and
ParameterDict are in nn/containers.py).

A :class:`Module` registers what is assigned to its attributes: a :class:`Parameter` becomes one of its
parameters, a Module one of its submodules, and a tensor given to :meth:`Module.register_buffer` one of its
buffers (state that is saved but not trained, such as BatchNorm's running statistics). Registration keeps
insertion order, so ``named_parameters()`` and ``state_dict()`` list entries in the order the layers were
built, with PyTorch's dotted names (``"0.weight"``, ``"layer1.bias"``).

Examples
--------
>>> from nn.module import Module, Parameter
>>> import numpy as np
>>> class Scale(Module):
...     def __init__(self):
...         super().__init__()
...         self.s = Parameter(np.ones(2))
...     def forward(self, x):
...         return x * self.s
>>> [name for name, _ in Scale().named_parameters()]
['s']
"""

from __future__ import annotations

import itertools
import warnings
from collections import OrderedDict
from typing import Any, Callable, Iterable, Iterator, Mapping, MutableMapping, NamedTuple, NoReturn, overload

import numpy as np

from autograd.default_dtype import get_default_dtype
from autograd.devices import check_device
from autograd.grad_mode import grad_enabled
from autograd.modifications import record_change
from autograd.tensor import Tensor, as_dtype, describe
from autograd.to_arguments import parse_to

from . import backward_hooks
from .state_dict_arguments import parse_state_dict_arguments

__all__ = ["Parameter", "Module", "Sequential", "ModuleList", "IncompatibleKeys", "RemovableHandle"]


class Parameter(Tensor):
    """A tensor that is a trainable parameter of a :class:`Module`.

    Assigning a Parameter to a Module attribute registers it, so it appears in ``parameters()`` and in the
    ``state_dict()``. Parameters are floating point (Python floats, integers and bools become the default
    dtype) and require gradients unless ``requires_grad=False``.

    Parameters
    ----------
    data : array_like or Tensor
        The initial values. A Tensor's array is shared, not copied. ``None`` raises ``TypeError``.
    requires_grad : bool, optional
        Whether ``backward`` fills ``.grad`` (default True).

    Examples
    --------
    >>> from nn.module import Parameter
    >>> p = Parameter([1.0, 2.0])
    >>> p.requires_grad, p.dtype
    (True, dtype('float32'))
    >>> p
    Parameter([1., 2.], requires_grad=True)
    """

    def __init__(self, data: Any, requires_grad: bool = True) -> None:
        if data is None:
            raise TypeError(
                "Parameter: got None for data; expected an array_like or a Tensor "
                "(for an empty parameter pass np.empty(0))"
            )
        if isinstance(data, Tensor):
            data = data.data
        if isinstance(data, np.ndarray):
            arr = data
        else:
            arr = np.asarray(data)
            if arr.dtype.kind == "f" and arr.dtype != get_default_dtype():
                arr = arr.astype(get_default_dtype())  # Python floats take the default dtype, as for Tensor
        if arr.dtype.kind != "f":
            if arr.dtype.kind not in "iub":
                raise TypeError(f"Parameter: got data of dtype {arr.dtype}; expected numbers")
            arr = arr.astype(get_default_dtype())
        super().__init__(arr, requires_grad=requires_grad)

    def __repr__(self) -> str:
        text = super().__repr__()  # "tensor(...)"
        body = text[len("tensor("):]
        # re-align continuation lines under the longer prefix
        body = body.replace("\n" + " " * len("tensor("), "\n" + " " * len("Parameter("))
        return "Parameter(" + body

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (_rebuild_parameter, (self.data, self._requires_grad, self._grad))


def _rebuild_parameter(data: np.ndarray, requires_grad: bool, grad: Any) -> Parameter:
    p = Parameter(data, requires_grad=requires_grad)
    p._grad = grad
    return p


def _floating_dtype(dtype: Any, where: str) -> np.dtype:
    dtype = as_dtype(dtype, where)
    if dtype.kind != "f":
        raise TypeError(f"{where}: got dtype {dtype}; expected a floating-point dtype (float16, float32 or "
                        "float64)")
    return dtype


def layer_dtype(dtype: Any, device: Any, where: str) -> np.dtype:
    """The floating dtype of a layer's parameters from its ``dtype=`` argument (None: the default dtype,
    :func:`~autograd.get_default_dtype`), which may be a numpy dtype or name, ``autograd.float64`` or a
    PyTorch dtype; ``device`` must be the CPU or None.

    Examples
    --------
    >>> layer_dtype(None, "cpu", "Linear"), layer_dtype("float64", None, "Linear")
    (dtype('float32'), dtype('float64'))
    """
    if device is not None:
        check_device(device, where)
    return get_default_dtype() if dtype is None else _floating_dtype(dtype, where)


def bad_data_error(where: str, what: str, data: Any) -> TypeError:
    """The error for a parameter or buffer (``what``, such as ``"parameter 'weight'"``) whose ``.data`` is
    ``data``, not a numpy array, found by ``where``; it says how such a ``.data`` usually comes about.

    Examples
    --------
    >>> str(bad_data_error("Linear", "parameter 'weight'", [1.0])).split(";")[0]
    "Linear: parameter 'weight' has a .data of type list ([1.0])"
    """
    message = f"{where}: {what} has a .data {describe(data)}; expected a numpy array"
    if isinstance(data, Tensor):
        message += (". `p.data = p.data - lr * p.grad` stores a Tensor there, since p.grad is a Tensor: "
                    "write `p.data -= lr * p.grad`, or `with autograd.no_grad(): p -= lr * p.grad`")
    else:
        message += " (assign one: p.data = np.asarray(values, dtype=p.dtype))"
    return TypeError(message)


class IncompatibleKeys(NamedTuple):
    """What :meth:`Module.load_state_dict` did not match (PyTorch's ``_IncompatibleKeys``), printed as
    PyTorch prints it: ``<All keys matched successfully>`` when both lists are empty.

    Examples
    --------
    >>> IncompatibleKeys([], ["extra.weight"])
    IncompatibleKeys(missing_keys=[], unexpected_keys=['extra.weight'])
    """

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (f"IncompatibleKeys(missing_keys={self.missing_keys!r}, "
                f"unexpected_keys={self.unexpected_keys!r})")

    __str__ = __repr__


_hook_ids = itertools.count()


class RemovableHandle:
    """What registering a hook returns: :meth:`remove` unregisters the hook (PyTorch's
    ``torch.utils.hooks.RemovableHandle``). Also a context manager that removes the hook on exit.

    Attributes
    ----------
    id : int
        The hook's key, unique in the process.

    Examples
    --------
    >>> from nn.layers import ReLU
    >>> relu = ReLU()
    >>> seen = []
    >>> with relu.register_forward_hook(lambda module, args, output: seen.append(output.shape)):
    ...     _ = relu([1.0, -1.0])
    >>> _ = relu([2.0]); seen
    [(2,)]
    """

    def __init__(self, hooks: OrderedDict) -> None:
        self.id = next(_hook_ids)
        self._hooks = hooks

    def remove(self) -> None:
        """Unregister the hook; removing it again does nothing."""
        self._hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"RemovableHandle(id={self.id})"


class _Hook(NamedTuple):
    fn: Callable[..., Any]
    with_kwargs: bool
    always_call: bool = False

    def after(self, module: Module, args: tuple, kwargs: dict, output: Any) -> Any:
        """Call a forward hook, with the keyword arguments if it was registered to take them."""
        return self.fn(module, args, kwargs, output) if self.with_kwargs else self.fn(module, args, output)


def _addindent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


def _described(module: Module, path: str) -> str:
    """``module`` and where it sits, for messages: "Linear (at '0.fc')", or "Linear" for the root."""
    return f"{module._get_name()} (at {path!r})" if path else module._get_name()


class Module:
    """Base class of every network component.

    Subclasses call ``super().__init__()`` first, assign their Parameters, submodules and buffers as
    attributes, and implement :meth:`forward`; calling the module runs ``forward``.

    Attributes
    ----------
    training : bool
        True in training mode (the default), False after :meth:`eval`. Dropout and BatchNorm read it.

    Examples
    --------
    >>> from nn.module import Module
    >>> from nn.layers import Linear, ReLU
    >>> class Net(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = Linear(2, 3)
    ...         self.act = ReLU()
    ...     def forward(self, x):
    ...         return self.act(self.fc(x))
    >>> net = Net()
    >>> [name for name, _ in net.named_parameters()]
    ['fc.weight', 'fc.bias']
    >>> net.eval().training, net.fc.training
    (False, False)
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_backward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_backward_hooks", OrderedDict())
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------------ registration
    def _check_init(self, what: str) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: cannot assign {what} before Module.__init__() is called; "
                "call super().__init__() first in your __init__"
            )

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Parameter):
            self._check_init("parameters")
            if name not in self._parameters and hasattr(type(self), name):
                # PyTorch's rule: a Parameter may replace an instance's attribute, buffer or submodule,
                # never a method or other attribute of the class, which it would shadow
                raise KeyError(
                    f"{type(self).__name__}: cannot assign a Parameter to {name!r}: attribute {name!r} "
                    f"already exists ({self._taken_by(name)}); expected a new name, or the name of a "
                    "parameter, buffer, submodule or instance attribute"
                )
            # an existing parameter of that name keeps its place in the order, as in PyTorch
            self._discard(name, keep="_parameters")
            self._parameters[name] = value
            return
        if self._reassign("_parameters", name, value, Parameter, "parameter", "a Parameter or None"):
            return
        if isinstance(value, Module):
            self._check_init("submodules")
            self._discard(name, keep="_modules")
            self._modules[name] = value
            return
        if self._reassign("_modules", name, value, Module, "child module", "a Module or None"):
            return
        if self._reassign("_buffers", name, value, Tensor, "buffer", "a Tensor or None"):
            return
        object.__setattr__(self, name, value)

    def _reassign(self, table: str, name: str, value: Any, kind: type, what: str, expected: str) -> bool:
        """Assign ``value`` (a ``kind`` or None) to the entry ``name`` of ``table`` if there is one.

        Returns False, changing nothing, when ``table`` has no entry ``name``.
        """
        entries = self.__dict__.get(table)
        if entries is None or name not in entries:
            return False
        if value is not None and not isinstance(value, kind):
            raise TypeError(
                f"{type(self).__name__}: cannot assign {type(value).__name__} as {what} {name!r} "
                f"(expected {expected})"
            )
        entries[name] = value
        return True

    def _discard(self, name: str, keep: str) -> None:
        """Drop the plain attribute and the entries of the other tables named ``name``; the entry of the
        table ``keep`` stays, so that assigning over it keeps its place in ``state_dict`` order."""
        self.__dict__.pop(name, None)
        for table in ("_parameters", "_buffers", "_modules"):
            if table != keep:
                self.__dict__[table].pop(name, None)
        self._non_persistent_buffers.discard(name)

    def __getattr__(self, name: str) -> Any:
        # only called when normal lookup fails
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            entries = d.get(table)
            if entries is not None and name in entries:
                return entries[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for table in ("_parameters", "_buffers", "_modules"):
            entries = self.__dict__.get(table)
            if entries is not None and name in entries:
                del entries[name]
                self._non_persistent_buffers.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        # PyTorch's list: the class's names, the instance's, then the members'; names that start with a
        # digit (a Sequential's "0") are no Python identifiers, so tab completion must not offer them
        names = [*dir(type(self)), *self.__dict__, *self._parameters, *self._modules, *self._buffers]
        return sorted(name for name in names if not name[:1].isdigit())

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a ``None`` placeholder, as for ``bias=False``) under ``name``.

        Parameters
        ----------
        name : str
            A new name or that of an existing parameter, which is replaced in place (it keeps its position
            in ``named_parameters()`` and ``state_dict()``). As in PyTorch, the name of a buffer, submodule,
            method or other attribute raises ``KeyError``, and so does an empty name or one with a ``'.'``;
            a name that is not a str raises ``TypeError``.
        param : Parameter or None
            The parameter; anything else, a plain Tensor included, raises ``TypeError``.

        Examples
        --------
        >>> from nn.module import Module, Parameter
        >>> m = Module(); m.register_parameter("w", Parameter([1.0]))
        >>> list(dict(m.named_parameters()))
        ['w']
        >>> m.register_parameter("forward", Parameter([1.0]))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        KeyError: "Module.register_parameter: attribute 'forward' already exists (it is a method ..."
        """
        self._check_init("parameters")
        self._check_name(name, "parameter", "register_parameter")
        self._check_free(name, "_parameters", "register_parameter")
        self._check_kind(name, param, Parameter, "register_parameter", "a Parameter or None")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | np.ndarray | None, persistent: bool = True) -> None:
        """Add a buffer: state that belongs to the module and its ``state_dict`` but is not trained.

        Parameters
        ----------
        name : str
            Attribute name of the buffer: a new name or that of an existing buffer, which is replaced in
            place (as in PyTorch, the name of a parameter, submodule or other attribute raises
            ``KeyError``).
        tensor : Tensor, numpy.ndarray or None
            Its value (an array is wrapped in a Tensor that shares it). ``None`` registers a placeholder
            that ``state_dict`` skips.
        persistent : bool, optional
            If False the buffer is left out of ``state_dict``.

        Examples
        --------
        >>> import numpy as np
        >>> from nn.module import Module
        >>> m = Module(); m.register_buffer("running_mean", np.zeros(3, dtype=np.float32))
        >>> list(m.state_dict())
        ['running_mean']
        """
        self._check_init("buffers")
        self._check_name(name, "buffer", "register_buffer")
        self._check_free(name, "_buffers", "register_buffer")
        if isinstance(tensor, np.ndarray):
            tensor = Tensor(tensor)
        self._check_kind(name, tensor, Tensor, "register_buffer", "a Tensor, a numpy array or None")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under ``name`` (``setattr`` does the same for valid identifiers).

        Parameters
        ----------
        name : str
            A new name or that of an existing submodule, which is replaced in place. As in PyTorch, the
            name of a parameter, buffer, method or other attribute raises ``KeyError``, and so does an
            empty name or one with a ``'.'``; a name that is not a str raises ``TypeError``.
        module : Module or None
            The submodule; anything else raises ``TypeError``.

        Examples
        --------
        >>> from nn.module import Module
        >>> from nn.layers import ReLU
        >>> m = Module(); m.add_module("act", ReLU())
        >>> [n for n, _ in m.named_children()]
        ['act']
        """
        self._add_module(name, module, "add_module")

    def register_module(self, name: str, module: Module | None) -> None:
        """The same as :meth:`add_module` (PyTorch has both names).

        Examples
        --------
        >>> from nn.module import Module
        >>> from nn.layers import ReLU
        >>> m = Module(); m.register_module("act", ReLU())
        >>> [n for n, _ in m.named_children()]
        ['act']
        """
        self._add_module(name, module, "register_module")

    def _add_module(self, name: str, module: Module | None, method: str) -> None:
        self._check_init("submodules")
        self._check_name(name, "module", method)
        self._check_free(name, "_modules", method)
        self._check_kind(name, module, Module, method, "a Module or None")
        self._modules[name] = module

    def _check_kind(self, name: str, value: Any, kind: type, method: str, expected: str) -> None:
        if value is not None and not isinstance(value, kind):
            raise TypeError(
                f"{type(self).__name__}.{method}: got {type(value).__name__} for {name!r}; "
                f"expected {expected}"
            )

    def _check_name(self, name: Any, what: str, method: str) -> None:
        if not isinstance(name, str):
            raise TypeError(
                f"{type(self).__name__}.{method}: got a {what} name {describe(name)}; "
                "expected a str"
            )
        if name == "" or "." in name:
            # no double quotes in a KeyError's message: its str() is the repr of the message
            raise KeyError(
                f"{type(self).__name__}.{method}: got the {what} name {name!r}; expected a non-empty name "
                "(names contain no '.', which joins the names of nested modules)"
            )

    def _check_free(self, name: str, table: str, method: str) -> None:
        """Raise KeyError if ``name`` is taken by anything but an entry of ``table`` (PyTorch's rule: a
        register method may replace a member of its own kind, never another attribute)."""
        if name in self.__dict__[table] or not hasattr(self, name):
            return
        own = {"_parameters": "parameter", "_buffers": "buffer", "_modules": "submodule"}[table]
        raise KeyError(
            f"{type(self).__name__}.{method}: attribute {name!r} already exists ({self._taken_by(name)}); "
            f"expected a new name or the name of an existing {own}"
        )

    def _taken_by(self, name: str) -> str:
        """What the existing attribute ``name`` is, for messages: "it is a buffer", ..."""
        for table, what in (("_parameters", "a parameter"), ("_buffers", "a buffer"),
                            ("_modules", "a submodule")):
            if name in self.__dict__[table]:
                return f"it is {what}"
        if name in self.__dict__:
            return "it is an attribute"
        owner = type(self).__name__
        member = getattr(type(self), name, None)
        if isinstance(member, property):
            return f"it is a property of {owner}"
        return f"it is a method of {owner}" if callable(member) else f"it is an attribute of {owner}"

    # ------------------------------------------------------------------ lookup by name
    def get_submodule(self, target: str) -> Module:
        """The submodule a dotted name such as ``"encoder.layers.0"`` names (``""``: this module).

        Raises
        ------
        AttributeError
            If a name along the path is not an attribute, or not a Module.

        Examples
        --------
        >>> from nn.layers import Linear, ReLU
        >>> from nn.module import Sequential
        >>> net = Sequential(Sequential(Linear(2, 3), ReLU()), Linear(3, 1))
        >>> net.get_submodule("0.0")
        Linear(in_features=2, out_features=3, bias=True)
        """
        self._check_target(target, "get_submodule")
        return self._walk(target, f"get_submodule({target!r})")

    def _check_target(self, target: Any, method: str) -> None:
        if not isinstance(target, str):
            raise TypeError(f"{type(self).__name__}.{method}: got a target {describe(target)}; "
                            "expected a dotted name (str)")

    def _walk(self, path: str, call: str) -> Module:
        """The submodule at the dotted ``path``; errors name the ``call`` that asked for it."""
        module: Module = self
        if path == "":
            return module
        seen = ""
        for name in path.split("."):
            if not hasattr(module, name):
                raise AttributeError(f"{type(self).__name__}.{call}: {_described(module, seen)} has no "
                                     f"attribute {name!r}")
            child = getattr(module, name)
            seen = f"{seen}.{name}" if seen else name
            if not isinstance(child, Module):
                raise AttributeError(f"{type(self).__name__}.{call}: {seen!r} is a {type(child).__name__}, "
                                     "not a Module")
            module = child
        return module

    def _get_member(self, target: str, table: str, method: str, kind: str) -> Tensor:
        """The parameter or buffer (``table``) that the dotted name ``target`` names."""
        self._check_target(target, method)
        call = f"{method}({target!r})"
        path, _, name = target.rpartition(".")
        module = self._walk(path, call)
        if module.__dict__[table].get(name) is None:  # a None entry (bias=False) is no member either
            found = (f"has an attribute {name!r}, but it is not a {kind}" if hasattr(module, name)
                     else f"has no attribute {name!r}")
            raise AttributeError(f"{type(self).__name__}.{call}: {_described(module, path)} {found}")
        return module.__dict__[table][name]

    def get_parameter(self, target: str) -> Parameter:
        """The parameter a dotted name such as ``"encoder.0.weight"`` names.

        Raises
        ------
        AttributeError
            If the path names no submodule, or the last name no parameter of it.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> from nn.module import Sequential
        >>> Sequential(Linear(2, 3)).get_parameter("0.bias").shape
        (3,)
        """
        return self._get_member(target, "_parameters", "get_parameter", "parameter")  # type: ignore[return-value]

    def get_buffer(self, target: str) -> Tensor:
        """The buffer a dotted name such as ``"1.running_mean"`` names.

        Raises
        ------
        AttributeError
            If the path names no submodule, or the last name no buffer of it.

        Examples
        --------
        >>> from nn.layers import BatchNorm1d, Linear
        >>> from nn.module import Sequential
        >>> Sequential(Linear(2, 3), BatchNorm1d(3)).get_buffer("1.running_var").tolist()
        [1.0, 1.0, 1.0]
        """
        return self._get_member(target, "_buffers", "get_buffer", "buffer")

    # ------------------------------------------------------------------ traversal
    def named_modules(self, memo: set[Module] | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """This module and all its descendants with dotted names (this one is ``prefix``).

        A module reachable along several paths is listed once, under the first name, unless
        ``remove_duplicate=False`` lists it under every name. The arguments are PyTorch's, in its order.

        Parameters
        ----------
        memo : set of Module, optional
            Modules to leave out, with their descendants; the modules listed are added to it (unless
            ``remove_duplicate=False``).
        prefix : str, optional
            The name of this module, prepended to the others' with a ``'.'``.
        remove_duplicate : bool, optional
            List a module reachable along several paths once (the default) or under every name.

        Examples
        --------
        >>> from nn.layers import Linear, ReLU
        >>> from nn.module import Sequential
        >>> [name for name, _ in Sequential(Linear(1, 1), ReLU()).named_modules(prefix="net")]
        ['net', 'net.0', 'net.1']
        >>> relu = ReLU()
        >>> [name for name, _ in Sequential(relu, relu).named_modules(remove_duplicate=False)]
        ['', '0', '1']
        """
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """This module and all its descendants, each once.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> from nn.module import Sequential
        >>> len(list(Sequential(Linear(1, 1)).modules()))
        2
        """
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct submodules with their attribute names.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> from nn.module import Sequential
        >>> [name for name, _ in Sequential(Linear(1, 1)).named_children()]
        ['0']
        """
        seen: set[int] = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        """The direct submodules.

        Examples
        --------
        >>> from nn.layers import Linear, ReLU
        >>> from nn.module import Sequential
        >>> [type(m).__name__ for m in Sequential(Linear(1, 1), ReLU()).children()]
        ['Linear', 'ReLU']
        """
        for _, module in self.named_children():
            yield module

    def _named_members(self, table: str, prefix: str, recurse: bool,
                       remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        seen: set[int] = set()
        modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse
                   else [(prefix, self)])
        for mod_prefix, module in modules:
            for name, value in module.__dict__[table].items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield mod_prefix + ("." if mod_prefix else "") + name, value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """Parameters with dotted names, in registration order.

        A parameter shared by several modules (or registered under several names) is listed once, under
        its first name, unless ``remove_duplicate=False`` lists it under every name, as ``state_dict``
        does.

        Examples
        --------
        >>> from nn.layers import Linear, ReLU
        >>> from nn.module import Sequential
        >>> [name for name, _ in Sequential(Linear(2, 3), ReLU(), Linear(3, 1)).named_parameters()]
        ['0.weight', '0.bias', '2.weight', '2.bias']
        >>> shared = Linear(1, 1)
        >>> [name for name, _ in Sequential(shared, shared).named_parameters(remove_duplicate=False)]
        ['0.weight', '0.bias', '1.weight', '1.bias']
        """
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)  # type: ignore[misc]

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """The parameters (of the submodules too, unless ``recurse=False``), each once.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> sum(p.numel() for p in Linear(3, 2).parameters())
        8
        """
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Buffers with dotted names, in registration order; a shared one is listed once unless
        ``remove_duplicate=False``.

        Examples
        --------
        >>> from nn.layers import BatchNorm1d
        >>> [name for name, _ in BatchNorm1d(3).named_buffers()]
        ['running_mean', 'running_var', 'num_batches_tracked']
        """
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """The buffers (of the submodules too, unless ``recurse=False``).

        Examples
        --------
        >>> from nn.layers import BatchNorm1d
        >>> len(list(BatchNorm1d(3).buffers()))
        3
        """
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every submodule (children first) and on this module; return ``self``.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> from nn.module import Sequential
        >>> from nn import init
        >>> def zero(m):
        ...     if isinstance(m, Linear):
        ...         init.zeros_(m.weight)
        >>> net = Sequential(Linear(2, 2)).apply(zero)
        >>> float(abs(net[0].weight.numpy()).sum())
        0.0
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ modes and gradients
    def train(self, mode: bool = True) -> Module:
        """Set training mode on this module and every descendant; return ``self``.

        Examples
        --------
        >>> from nn.layers import Dropout
        >>> Dropout().train(False).training
        False
        """
        if not isinstance(mode, bool):
            raise ValueError(f"{type(self).__name__}.train: got mode={mode!r}; expected a bool")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode (``train(False)``): Dropout is the identity, BatchNorm uses running stats.

        Examples
        --------
        >>> from nn.layers import BatchNorm1d
        >>> BatchNorm1d(2).eval().training
        False
        """
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set ``requires_grad`` on every parameter (freeze with False); return ``self``.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> all(not p.requires_grad for p in Linear(2, 2).requires_grad_(False).parameters())
        True
        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter (``.grad = None``; zeros with ``set_to_none=False``).

        Examples
        --------
        >>> from nn.layers import Linear
        >>> from autograd import ones
        >>> lin = Linear(2, 1); lin(ones(1, 2)).sum().backward()
        >>> lin.zero_grad(); lin.weight.grad is None
        True
        """
        for p in self.parameters():
            if set_to_none or p._grad is None:
                p._grad = None
            else:
                p._grad = Tensor(np.zeros_like(p.data))

    # ------------------------------------------------------------------ dtype and device
    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Convert every floating-point parameter and buffer to a dtype in place, as PyTorch's
        ``nn.Module.to``; return ``self``.

        Takes PyTorch's forms: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(tensor)`` (the
        tensor's dtype: chaingrad's, PyTorch's or a numpy array), each optionally followed by
        ``non_blocking`` as a bool, and the keywords ``device=``, ``dtype=`` and ``non_blocking=``, read as
        for :meth:`Tensor.to <autograd.Tensor.to>` (by :func:`autograd.to_arguments.parse_to`). A dtype is
        a numpy dtype or its name, ``autograd.float64`` and the like, or a PyTorch dtype
        (``torch.float64``). The device must be the CPU (``"cpu"``, ``"cpu:0"``, ``torch.device("cpu")``):
        chaingrad has no other. ``non_blocking`` is ignored (nothing is asynchronous on the CPU). There is
        no ``copy``, as in PyTorch: the module is converted in place.

        Integer and bool parameters and buffers (BatchNorm's ``num_batches_tracked``) keep their dtype, as
        in PyTorch. The Parameter objects stay the same (an optimizer holding them keeps working, though
        its state keeps the old dtype); their arrays, and those of their gradients, are replaced by
        converted copies.

        Raises
        ------
        TypeError
            If the dtype is not a floating-point one, or the arguments are not one of the forms above
            (two dtypes, an argument that is neither a device, a dtype nor a tensor, ...).
        RuntimeError
            If the device is not the CPU.

        Examples
        --------
        >>> import autograd
        >>> from nn.layers import Linear
        >>> lin = Linear(2, 2)
        >>> lin.to(autograd.float64) is lin, lin.weight.dtype
        (True, dtype('float64'))
        >>> lin.to("cpu", dtype="float32").weight.dtype
        dtype('float32')
        """
        where = f"{type(self).__name__}.to"
        dtype, _ = parse_to(where, args, kwargs, flags=("non_blocking",))  # non_blocking: nothing to wait for
        if dtype is None:
            return self
        dtype = _floating_dtype(dtype, where)
        for t in list(self.parameters()) + list(self.buffers()):
            if t.data.dtype.kind == "f" and t.data.dtype != dtype:
                t.data = t.data.astype(dtype)
                grad = t._grad
                if grad is not None and grad.data.dtype != dtype:
                    grad.data = grad.data.astype(dtype)  # PyTorch converts the gradient along
        return self

    def cpu(self) -> Module:
        """This module: its parameters and buffers always live in main memory (PyTorch's ``cpu()``).

        Examples
        --------
        >>> from nn.layers import Linear
        >>> lin = Linear(2, 2)
        >>> lin.cpu() is lin
        True
        """
        return self

    def cuda(self, device: Any = None) -> NoReturn:
        """PyTorch's move to a GPU, which chaingrad does not have: always raises.

        It exists so that porting code fails here with a message that says why, and so that, as in
        PyTorch, ``cuda`` cannot become the name of a parameter, buffer or submodule.

        Raises
        ------
        RuntimeError
            Always: chaingrad computes on the CPU only.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> Linear(2, 2).cuda()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        RuntimeError: Linear.cuda: got device 'cuda'; chaingrad computes on the CPU only, ...
        """
        got = device if device is not None else "cuda"
        if isinstance(got, (int, np.integer)):
            got = f"cuda:{got}"  # PyTorch's index of a GPU
        raise RuntimeError(f"{type(self).__name__}.cuda: got device {got!r}; chaingrad computes on the CPU "
                           "only, where every module already is (expected no move: drop the call, or use "
                           "to('cpu'))")

    def double(self) -> Module:
        """Convert floating-point parameters and buffers to float64 (for gradient checks).

        Examples
        --------
        >>> from nn.layers import Linear
        >>> Linear(2, 2).double().bias.dtype
        dtype('float64')
        """
        return self.to(np.float64)

    def float(self) -> Module:
        """Convert floating-point parameters and buffers to float32.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> Linear(2, 2).double().float().bias.dtype
        dtype('float32')
        """
        return self.to(np.float32)

    def half(self) -> Module:
        """Convert floating-point parameters and buffers to float16.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> Linear(2, 2).half().bias.dtype
        dtype('float16')
        """
        return self.to(np.float16)

    # ------------------------------------------------------------------ state
    def _state_entries(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """Every (name, tensor) in the state dict, duplicates (shared tensors) included, as PyTorch."""
        dot = prefix + ("." if prefix else "")
        for name, p in self._parameters.items():
            if p is not None:
                yield dot + name, p
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers:
                yield dot + name, b
        for name, module in self._modules.items():
            if module is not None:
                yield from module._state_entries(dot + name)

    def state_dict(self, *args: Any, destination: MutableMapping[str, Any] | None = None, prefix: str = "",
                   keep_vars: bool = False) -> MutableMapping[str, Any]:
        """Copies of every parameter and persistent buffer, by dotted name, in registration order.

        Names are PyTorch's, so a state dict lines up with an equivalent ``torch.nn`` model
        (``torch_model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})``).

        Parameters
        ----------
        destination : dict, optional
            Filled with the entries and returned (default: a new OrderedDict).
        prefix : str, optional
            Prepended to every name, with a dot added if it lacks one (PyTorch prepends it as it is).
        keep_vars : bool, optional
            With True the entries are the parameters and buffers themselves (Tensors, as PyTorch gives
            its Parameters and buffers), not copies of their arrays.

        Returns
        -------
        OrderedDict of str to numpy.ndarray (or Tensor with ``keep_vars``)
            Independent copies: changing them does not change the module (PyTorch's entries share
            memory with the parameters; here load the changed copies back with :meth:`load_state_dict`).

        Examples
        --------
        >>> from nn.layers import Linear, BatchNorm1d
        >>> from nn.module import Sequential
        >>> net = Sequential(Linear(2, 3), BatchNorm1d(3))
        >>> list(net.state_dict())  # doctest: +NORMALIZE_WHITESPACE
        ['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var',
         '1.num_batches_tracked']
        >>> net.state_dict(keep_vars=True)["0.weight"] is net[0].weight
        True
        """
        destination, prefix, keep_vars = parse_state_dict_arguments(
            type(self).__name__, args, destination, prefix, keep_vars)
        if prefix and not prefix.endswith("."):
            prefix += "."
        out = OrderedDict() if destination is None else destination
        for name, t in self._state_entries():
            out[prefix + name] = t if keep_vars else np.array(t.data, copy=True)
        return out

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into this module's parameters and buffers, in place.

        Values are cast to each entry's dtype and written into the existing arrays, so Parameter objects
        (and optimizers that hold them) stay valid.

        Parameters
        ----------
        state_dict : mapping of str to array_like
            As returned by :meth:`state_dict` (numpy arrays, Tensors, or anything ``np.asarray`` takes,
            such as torch CPU tensors).
        strict : bool, optional
            If True (default), missing or unexpected keys raise a KeyError listing all of them.
            Shape mismatches always raise a ValueError.

        Returns
        -------
        IncompatibleKeys
            ``(missing_keys, unexpected_keys)``; both empty when ``strict=True`` succeeds.

        Examples
        --------
        >>> from nn.layers import Linear
        >>> a, b = Linear(2, 2), Linear(2, 2)
        >>> b.load_state_dict(a.state_dict())
        <All keys matched successfully>
        >>> bool((a.weight.numpy() == b.weight.numpy()).all())
        True
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"{type(self).__name__}.load_state_dict: got {type(state_dict).__name__}; expected a mapping "
                "of names to arrays (a state_dict)"
            )
        own = OrderedDict(self._state_entries())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            parts = []
            if missing:
                parts.append("missing keys: " + ", ".join(repr(k) for k in missing))
            if unexpected:
                parts.append("unexpected keys: " + ", ".join(repr(k) for k in unexpected))
            raise KeyError(
                f"{type(self).__name__}.load_state_dict: the state dict does not match the module; "
                + "; ".join(parts)
            )
        arrays: dict[str, np.ndarray] = {}
        mismatches = []
        wrong_types = []
        for name, target in own.items():
            if name not in state_dict:
                continue
            given = state_dict[name]
            value = given.data if isinstance(given, Tensor) else given
            if hasattr(value, "detach") and hasattr(value, "cpu") and not isinstance(value, np.ndarray):
                value = value.detach().cpu().numpy()  # a torch tensor
            arr = np.asarray(value)
            if arr.dtype.kind not in "fiub":
                # checked before the shape: a str or None is a 0-d array, and "got shape ()" would mislead
                got = type(given).__name__
                if isinstance(given, (str, bytes)) or given is None:
                    got += f" ({given!r})" if len(repr(given)) <= 40 else ""
                else:
                    got += f" of dtype {arr.dtype}"
                wrong_types.append(f"{name!r}: got {got}; expected an array of numbers of shape "
                                   f"{target.data.shape}")
            elif arr.shape != target.data.shape:
                mismatches.append(f"{name!r}: expected shape {target.data.shape}, got {arr.shape}")
            else:
                arrays[name] = arr
        if wrong_types:
            raise TypeError(
                f"{type(self).__name__}.load_state_dict: wrong value type for " + "; ".join(wrong_types)
            )
        if mismatches:
            raise ValueError(
                f"{type(self).__name__}.load_state_dict: size mismatch for " + "; ".join(mismatches)
            )
        for name, arr in arrays.items():
            target = own[name]
            if not target.data.flags.writeable:
                target.data = np.array(target.data)
            record_change(target.data, "load_state_dict")
            np.copyto(target.data, arr, casting="unsafe")
        return IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ calling and printing
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the module's output; every subclass defines it."""
        raise NotImplementedError(
            f"{type(self).__name__}: Module subclasses must implement forward(); "
            f"{type(self).__name__} does not"
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # A parameter whose .data is no longer an array (`p.data = p.data - lr * p.grad` stores a Tensor)
        # would fail deep inside forward with a message about methods and ints; only this module's own
        # entries are checked, since each submodule checks its own when it is called.
        ndarray = np.ndarray
        for t in self._parameters.values():
            if t is not None and type(t.data) is not ndarray:
                self._check_data()
        if self._buffers:
            for t in self._buffers.values():
                if t is not None and type(t.data) is not ndarray:
                    self._check_data()
        if self._forward_pre_hooks or self._forward_hooks or self._backward_hooks or self._backward_pre_hooks:
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs)

    def _call_with_hooks(self, args: tuple, kwargs: dict) -> Any:
        """``forward`` between the forward pre-hooks and the forward hooks (the slow path of __call__), with
        the inputs and the output routed through the backward hooks' junctions (nn/backward_hooks.py)."""
        output = None
        hooked = None
        done: set[int] = set()  # the always_call hooks that ran
        try:
            for hook in list(self._forward_pre_hooks.values()):
                if hook.with_kwargs:
                    changed = hook.fn(self, args, kwargs)
                    if changed is not None:
                        if not (isinstance(changed, tuple) and len(changed) == 2):
                            raise RuntimeError(
                                f"{type(self).__name__}: a forward pre-hook registered with_kwargs=True "
                                f"returned a value {describe(changed)}; expected None or a pair (args, "
                                "kwargs)"
                            )
                        args, kwargs = changed
                else:
                    changed = hook.fn(self, args)
                    if changed is not None:
                        args = changed if isinstance(changed, tuple) else (changed,)
            if (self._backward_hooks or self._backward_pre_hooks) and grad_enabled():
                args, hooked = backward_hooks.hook_inputs(self, args)
            output = self.forward(*args, **kwargs)
            for key, hook in list(self._forward_hooks.items()):
                if hook.always_call:
                    done.add(key)
                changed = hook.after(self, args, kwargs, output)
                if changed is not None:
                    output = changed
            return output if hooked is None else backward_hooks.hook_outputs(output, hooked)
        except Exception:
            self._run_always_call_hooks(args, kwargs, output, done)
            raise

    def _run_always_call_hooks(self, args: tuple, kwargs: dict, output: Any, done: set[int]) -> None:
        """After an exception in a call: the forward hooks registered with ``always_call=True`` that have
        not run yet, each given the output so far (None if forward failed). An exception of theirs is
        turned into a warning, so that the first error is the one raised."""
        for key, hook in list(self._forward_hooks.items()):
            if not hook.always_call or key in done:
                continue
            try:
                changed = hook.after(self, args, kwargs, output)
            except Exception as exc:  # noqa: BLE001 -- reported, and the original error is raised
                warnings.warn(f"{type(self).__name__}: a forward hook with always_call=True raised {exc!r} "
                              "while handling an earlier error, which is raised instead", stacklevel=3)
                continue
            if changed is not None:
                output = changed

    # ------------------------------------------------------------------ hooks
    def _add_hook(self, table: OrderedDict, hook: _Hook, prepend: bool, method: str) -> RemovableHandle:
        if not callable(hook.fn):
            raise TypeError(f"{type(self).__name__}.{method}: got a hook {describe(hook.fn)}; expected a "
                            "callable")
        handle = RemovableHandle(table)
        table[handle.id] = hook
        if prepend:
            table.move_to_end(handle.id, last=False)
        return handle

    def register_forward_pre_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """Call ``hook(module, args)`` before every ``forward``, ``args`` being the positional arguments.

        If the hook returns something other than None, that becomes the arguments: a tuple as it is, any
        other value as a 1-tuple. With ``with_kwargs=True`` the hook is ``hook(module, args, kwargs)`` and
        returns None or a pair ``(args, kwargs)``. Hooks run in the order they were registered, a hook
        registered with ``prepend=True`` before the others.

        Returns
        -------
        RemovableHandle
            Its ``remove()`` unregisters the hook.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.layers import ReLU
        >>> relu = ReLU()
        >>> handle = relu.register_forward_pre_hook(lambda module, args: -args[0])
        >>> relu(tensor([1.0, -2.0])).tolist()
        [0.0, 2.0]
        >>> handle.remove(); relu(tensor([1.0, -2.0])).tolist()
        [1.0, 0.0]
        """
        return self._add_hook(self._forward_pre_hooks, _Hook(hook, bool(with_kwargs)), prepend,
                              "register_forward_pre_hook")

    def register_forward_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                              with_kwargs: bool = False, always_call: bool = False) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after every ``forward``; a value other than None that it
        returns replaces the output.

        ``args`` are the positional arguments ``forward`` was given (after the pre-hooks); with
        ``with_kwargs=True`` the hook is ``hook(module, args, kwargs, output)``. Hooks run in the order
        they were registered, one registered with ``prepend=True`` before the others. With
        ``always_call=True`` the hook also runs when the call raises (``output`` is then None if
        ``forward`` itself failed); the exception is raised after it.

        Returns
        -------
        RemovableHandle
            Its ``remove()`` unregisters the hook.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.layers import Linear
        >>> from nn.module import Sequential
        >>> net = Sequential(Linear(3, 4), Linear(4, 2))
        >>> shapes = {}
        >>> def record(module, args, output):
        ...     shapes[type(module).__name__ + str(module.out_features)] = output.shape
        >>> handles = [layer.register_forward_hook(record) for layer in net]
        >>> _ = net(tensor([[1.0, 2.0, 3.0]])); shapes
        {'Linear4': (1, 4), 'Linear2': (1, 2)}
        >>> for h in handles:
        ...     h.remove()
        """
        return self._add_hook(self._forward_hooks, _Hook(hook, bool(with_kwargs), bool(always_call)), prepend,
                              "register_forward_hook")

    def register_full_backward_pre_hook(self, hook: Callable[..., Any], *,
                                        prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` in each backward pass through a call of this module, once the
        gradients with respect to all of its outputs are known, before they flow into ``forward``'s graph.

        ``grad_output`` is a tuple with one entry per output (the output itself, or each element of an
        output tuple): a Tensor, or None for one that got no gradient or does not require grad. A tuple
        the hook returns, of the same length, replaces it. Hooks run in the order they were registered, a
        hook registered with ``prepend=True`` first. Calls made while gradients are not recorded
        (``no_grad()``) are not hooked.

        Returns
        -------
        RemovableHandle
            Its ``remove()`` unregisters the hook.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.layers import Linear
        >>> layer = Linear(2, 1)
        >>> seen = []
        >>> handle = layer.register_full_backward_pre_hook(lambda module, go: seen.append(go[0].shape))
        >>> layer(tensor([[1.0, 2.0]], requires_grad=True)).sum().backward(); seen
        [(1, 1)]
        """
        return self._add_hook(self._backward_pre_hooks, _Hook(hook, False), prepend,
                              "register_full_backward_pre_hook")

    def register_full_backward_hook(self, hook: Callable[..., Any], *,
                                    prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` in each backward pass through a call of this
        module, once the gradients with respect to its inputs are known.

        ``grad_input`` has one entry per positional argument of the call: the gradient with respect to that
        argument through this module alone (uses of the same tensor elsewhere do not count), or None for an
        argument that is not a tensor requiring grad or got no gradient. ``grad_output`` is as for
        :meth:`register_full_backward_pre_hook`, after those hooks. A tuple the hook returns, of the same
        length, replaces ``grad_input`` for later hooks and for what flows on to the arguments. Gradients
        with respect to the module's parameters are not part of either: use their ``.grad``. If no
        argument requires grad the hooks run as soon as ``grad_output`` is known, with ``grad_input`` all
        None, and a warning says so. A call whose output is not a Tensor or a tuple is not hooked (a
        warning says so), nor one made under ``no_grad()``.

        Returns
        -------
        RemovableHandle
            Its ``remove()`` unregisters the hook.

        Examples
        --------
        >>> from autograd import tensor
        >>> from nn.layers import ReLU
        >>> relu = ReLU()
        >>> seen = []
        >>> handle = relu.register_full_backward_hook(
        ...     lambda module, gi, go: seen.append((gi[0].tolist(), go[0].tolist())))
        >>> relu(tensor([-1.0, 2.0], requires_grad=True)).sum().backward(); seen
        [([0.0, 1.0], [1.0, 1.0])]
        """
        return self._add_hook(self._backward_hooks, _Hook(hook, False), prepend,
                              "register_full_backward_hook")

    def _check_data(self) -> None:
        """Raise for the first parameter or buffer whose ``.data`` is not a numpy array (a subclass, such
        as np.memmap, is one): the slow path of ``__call__``'s check."""
        for kind, table in (("parameter", self._parameters), ("buffer", self._buffers)):
            for name, t in table.items():
                if t is not None and not isinstance(t.data, np.ndarray):
                    raise bad_data_error(type(self).__name__, f"{kind} {name!r}", t.data)

    def extra_repr(self) -> str:
        """The text between the parentheses of this module's repr (its configuration); '' by default."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({name}): " + _addindent(repr(module), 2) for name, module in self._modules.items()
        ]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        # modules pickled before hooks existed
        self.__dict__.setdefault("_forward_pre_hooks", OrderedDict())
        self.__dict__.setdefault("_forward_hooks", OrderedDict())
        self.__dict__.setdefault("_backward_pre_hooks", OrderedDict())
        self.__dict__.setdefault("_backward_hooks", OrderedDict())


def _container_index(idx: int, n: int, where: str, what: str = "modules") -> int:
    """``idx`` as a position in ``[0, n)`` of a container of ``n`` entries (negative: from the end)."""
    if not isinstance(idx, (int, np.integer)):
        raise TypeError(f"{where}: indices must be integers or slices, not {type(idx).__name__}")
    if not -n <= idx < n:
        raise IndexError(f"{where}: index {idx} is out of range for {n} {what}")
    return int(idx) % n


class Sequential(Module):
    """Modules applied one after the other; indexable like a list.

    Parameters
    ----------
    *modules : Module, or one OrderedDict of str to Module
        Positional modules are named ``"0"``, ``"1"``, ...; an OrderedDict gives its own names.

    Examples
    --------
    >>> from nn.module import Sequential
    >>> from nn.layers import Linear, ReLU
    >>> net = Sequential(Linear(2, 2), ReLU())
    >>> print(net)
    Sequential(
      (0): Linear(in_features=2, out_features=2, bias=True)
      (1): ReLU()
    )
    >>> len(net), type(net[-1]).__name__
    (2, 'ReLU')
    """

    def __init__(self, *modules: Any) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self._add(str(name), module)
        else:
            for i, module in enumerate(modules):
                self._add(str(i), module)

    def _add(self, name: str, module: Any) -> None:
        if not isinstance(module, Module):
            raise TypeError(
                f"Sequential: got {type(module).__name__} at position {name!r}; expected a Module "
                "(wrap functions in a Module subclass)"
            )
        self.add_module(name, module)

    def _index(self, idx: int) -> int:
        return _container_index(idx, len(self._modules), self._get_name())

    @overload
    def __getitem__(self, idx: int) -> Module: ...

    @overload
    def __getitem__(self, idx: slice) -> Sequential: ...

    def __getitem__(self, idx: int | slice) -> Module:
        if isinstance(idx, slice):
            return Sequential(OrderedDict(list(self._modules.items())[idx]))
        return list(self._modules.values())[self._index(idx)]

    def __setitem__(self, idx: int, module: Module) -> None:
        key = list(self._modules)[self._index(idx)]
        self._add(key, module)

    def __delitem__(self, idx: int | slice) -> None:
        keys = list(self._modules)
        doomed = keys[idx] if isinstance(idx, slice) else [keys[self._index(idx)]]
        for key in doomed:
            del self._modules[key]
        # renumber, as PyTorch does, so names stay "0", "1", ...
        if all(k.isdigit() for k in self._modules):
            items = list(self._modules.values())
            self._modules.clear()
            for i, m in enumerate(items):
                self._modules[str(i)] = m

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end; return ``self``.

        Examples
        --------
        >>> from nn.module import Sequential
        >>> from nn.layers import ReLU
        >>> len(Sequential().append(ReLU()))
        1
        """
        self._add(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> Sequential:
        """Append each of ``modules`` (another Sequential, say); return ``self``."""
        for module in list(modules):
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Insert ``module`` before position ``index`` (``len(self)`` appends) and number the modules
        ``"0"``, ``"1"``, ... again, as PyTorch does; return ``self``.

        Examples
        --------
        >>> from nn.module import Sequential
        >>> from nn.layers import ReLU, Tanh
        >>> [name for name, _ in Sequential(ReLU(), ReLU()).insert(1, Tanh()).named_children()]
        ['0', '1', '2']
        """
        n = len(self)
        if not isinstance(index, (int, np.integer)) or not -n <= index <= n:
            raise IndexError(f"{self._get_name()}.insert: index {index!r} is out of range for {n} modules")
        items = list(self._modules.values())
        items.insert(int(index), module)
        self._modules.clear()
        for i, m in enumerate(items):
            self._add(str(i), m)
        return self

    def pop(self, idx: int | slice) -> Module:
        """Remove the module at ``idx`` (as ``del self[idx]``) and return it."""
        module = self[idx]
        del self[idx]
        return module

    def _check_sequential(self, other: Any, op: str) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(f"{self._get_name()} {op}: got an operand {describe(other)}; expected a "
                             "Sequential (wrap modules in Sequential(...) first)")
        return other

    def _check_factor(self, factor: Any, op: str) -> int:
        if not isinstance(factor, (int, np.integer)):
            raise TypeError(f"{self._get_name()} {op}: got a factor {describe(factor)}; "
                            "expected an int")
        if factor <= 0:
            raise ValueError(f"{self._get_name()} {op}: got the factor {factor}; expected an int >= 1")
        return int(factor)

    def __add__(self, other: Sequential) -> Sequential:
        """A new Sequential of these modules followed by those of ``other`` (the same module objects),
        numbered ``"0"``, ``"1"``, ... as in PyTorch.

        Examples
        --------
        >>> from nn.module import Sequential
        >>> from nn.layers import ReLU, Tanh
        >>> print(Sequential(ReLU()) + Sequential(Tanh()))
        Sequential(
          (0): ReLU()
          (1): Tanh()
        )
        """
        self._check_sequential(other, "+")
        return Sequential(*self, *other)

    def __iadd__(self, other: Sequential) -> Sequential:
        """Append the modules of the Sequential ``other`` in place (named by their positions)."""
        modules = list(self._check_sequential(other, "+="))
        offset = len(self)
        for i, module in enumerate(modules):
            self.add_module(str(offset + i), module)
        return self

    def __mul__(self, factor: int) -> Sequential:
        """A new Sequential that repeats these modules ``factor`` times: the same module objects, so the
        copies share their parameters (as in PyTorch; build new layers for independent ones).

        Examples
        --------
        >>> from nn.module import Sequential
        >>> from nn.layers import Linear, ReLU
        >>> block = Sequential(Linear(2, 2), ReLU())
        >>> deep = block * 3
        >>> len(deep), deep[0] is deep[2], len(list(deep.parameters()))
        (6, True, 2)
        """
        return Sequential(*(list(self) * self._check_factor(factor, "*")))

    def __rmul__(self, factor: int) -> Sequential:
        return self.__mul__(factor)

    def __imul__(self, factor: int) -> Sequential:
        """Repeat these modules ``factor`` times in place (the same module objects)."""
        modules = list(self)
        for _ in range(self._check_factor(factor, "*=") - 1):
            for module in modules:
                self.add_module(str(len(self)), module)
        return self

    def forward(self, input: Any) -> Any:
        """Apply the modules in order."""
        for module in self._modules.values():
            input = module(input)
        return input


class ModuleList(Module):
    """A list of modules whose parameters are registered (it has no forward of its own).

    Parameters
    ----------
    modules : iterable of Module, optional

    Examples
    --------
    >>> from nn.module import ModuleList
    >>> from nn.layers import Linear
    >>> layers = ModuleList([Linear(2, 2) for _ in range(3)])
    >>> layers.append(Linear(2, 1))
    ModuleList(...)
    >>> len(layers), len(list(layers.parameters()))
    (4, 8)
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _check(self, module: Any, where: str) -> Module:
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList.{where}: got {type(module).__name__}; expected a Module")
        return module

    def _index(self, idx: int) -> int:
        return _container_index(idx, len(self._modules), "ModuleList")

    def _renumber(self, items: list[Module]) -> None:
        self._modules.clear()
        for i, m in enumerate(items):
            self._modules[str(i)] = m

    @overload
    def __getitem__(self, idx: int) -> Module: ...

    @overload
    def __getitem__(self, idx: slice) -> ModuleList: ...

    def __getitem__(self, idx: int | slice) -> Module:
        if isinstance(idx, slice):
            return ModuleList(list(self._modules.values())[idx])
        return self._modules[str(self._index(idx))]

    def __setitem__(self, idx: int, module: Module) -> None:
        self._modules[str(self._index(idx))] = self._check(module, "__setitem__")

    def __delitem__(self, idx: int | slice) -> None:
        items = list(self._modules.values())
        if isinstance(idx, slice):
            del items[idx]
        else:
            del items[self._index(idx)]
        self._renumber(items)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, modules: Iterable[Module]) -> ModuleList:
        """A new ModuleList of these modules followed by ``modules``."""
        return ModuleList(list(self) + list(modules))

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; return ``self``."""
        self._modules[str(len(self))] = self._check(module, "append")
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Add each of ``modules`` at the end; return ``self``."""
        if isinstance(modules, Module) and not isinstance(modules, ModuleList):
            raise TypeError(
                "ModuleList.extend: got a single Module; expected an iterable of Modules (use append)"
            )
        for m in list(modules):
            self.append(m)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before position ``index``."""
        items = list(self._modules.values())
        items.insert(index, self._check(module, "insert"))
        self._renumber(items)

    def pop(self, idx: int | slice) -> Module:
        """Remove the module at ``idx`` (as ``del self[idx]``) and return it."""
        module = self[idx]
        del self[idx]
        return module

    def __repr__(self) -> str:
        """As PyTorch prints a ModuleList: a run of modules with one repr is one line, ``(i-j): n x ...``.

        Examples
        --------
        >>> from nn.module import ModuleList
        >>> from nn.layers import Linear, ReLU
        >>> print(ModuleList([Linear(2, 2), ReLU(), ReLU()]))
        ModuleList(
          (0): Linear(in_features=2, out_features=2, bias=True)
          (1-2): 2 x ReLU()
        )
        """
        runs: list[list] = []  # [first index, last index, repr]
        for i, module in enumerate(self._modules.values()):
            text = repr(module)
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        if not runs:
            return self._get_name() + "()"
        lines = [_addindent(f"({a}): {text}" if a == b else f"({a}-{b}): {b - a + 1} x {text}", 2)
                 for a, b, text in runs]
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            "ModuleList has no forward(): iterate over it in your module's forward "
            "(for layer in self.layers: ...)"
        )
