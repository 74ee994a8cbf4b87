"""The dict-like and parameter containers: ModuleDict, ParameterList and ParameterDict.

They register what they hold, as :class:`~nn.module.Sequential` and :class:`~nn.module.ModuleList` do
(both in ``nn/module.py``), so the entries appear in ``parameters()``, ``named_parameters()`` and
``state_dict()`` under their keys or positions: ``"encoder.weight"`` for a ModuleDict entry
``"encoder"``, ``"0"``, ``"1"``, ... for a ParameterList, ``"scale"`` for a ParameterDict entry.

Examples
--------
>>> from nn.containers import ModuleDict, ParameterList
>>> from nn.layers import Linear
>>> import autograd
>>> heads = ModuleDict({"cls": Linear(4, 3), "box": Linear(4, 2)})
>>> [name for name, _ in heads.named_parameters()]
['cls.weight', 'cls.bias', 'box.weight', 'box.bias']
>>> list(ParameterList([autograd.zeros(2), autograd.ones(3)]).state_dict())
['0', '1']
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any, Iterator

import numpy as np

from autograd.tensor import Tensor, describe

from .module import Module, Parameter, _container_index

__all__ = ["ModuleDict", "ParameterList", "ParameterDict"]


class MissingKeyError(KeyError, AttributeError):
    """A key a ParameterDict does not hold: a KeyError as for a dict, and an AttributeError as PyTorch's
    ParameterDict raises, so that either ``except`` catches it."""


def _pairs(entries: Any, where: str) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of ``update``'s argument that is not a mapping: an iterable of pairs."""
    if not isinstance(entries, Iterable) or isinstance(entries, (str, bytes, Tensor, np.ndarray)):
        raise TypeError(f"{where}: got entries {describe(entries)}; expected a mapping or an iterable of "
                        "(key, value) pairs")
    pairs = []
    for j, pair in enumerate(entries):
        if not isinstance(pair, Iterable) or isinstance(pair, (str, bytes)):
            raise TypeError(f"{where}: element #{j} of the sequence is {describe(pair)}; expected a "
                            "(key, value) pair")
        pair = tuple(pair)
        if len(pair) != 2:
            raise ValueError(f"{where}: element #{j} of the sequence has length {len(pair)}; expected a "
                             "(key, value) pair")
        pairs.append(pair)
    return pairs


def _as_entry(value: Any, where: str) -> Any:
    """What a ParameterList or ParameterDict stores for ``value``: a Tensor (or numpy array) that is not a
    Parameter becomes one, requiring grad and sharing the array, as PyTorch makes a Parameter of a tensor;
    anything else is kept as it is."""
    if isinstance(value, Parameter) or not isinstance(value, (Tensor, np.ndarray)):
        return value
    if value.dtype.kind != "f":
        raise TypeError(f"{where}: got a tensor of dtype {value.dtype}; expected a floating-point tensor, "
                        "since a tensor becomes a Parameter, which requires grad (convert it with .float())")
    return Parameter(value)


def _entry_line(key: Any, value: Any) -> str:
    """One line of a ParameterList's or ParameterDict's repr, as PyTorch prints it, with chaingrad's dtype
    names: ``(0): Parameter containing: [float32 of size 2x3]``."""
    if isinstance(value, Tensor):
        kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
        size = "x".join(str(n) for n in value.shape)
        return f"  ({key}): {kind} containing: [{value.dtype} of size {size}]"
    return f"  ({key}): Object of type: {type(value).__name__}"


class ModuleDict(Module):
    """Modules held by key, like a dict that registers them: ``named_parameters()`` and ``state_dict()``
    name a parameter ``"key.weight"``. Insertion order is kept, also for a plain dict (as in PyTorch).

    Parameters
    ----------
    modules : mapping or iterable of (str, Module) pairs, optional

    Examples
    --------
    >>> from nn.containers import ModuleDict
    >>> from nn.layers import Linear, ReLU, Tanh
    >>> acts = ModuleDict({"relu": ReLU()})
    >>> acts["tanh"] = Tanh()
    >>> print(acts)
    ModuleDict(
      (relu): ReLU()
      (tanh): Tanh()
    )
    >>> "relu" in acts, len(acts), list(acts.keys())
    (True, 2, ['relu', 'tanh'])
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        try:
            return self._modules[key]
        except KeyError:
            raise KeyError(f"ModuleDict: no module under the key {key!r}; the keys are "
                           f"{list(self._modules)}") from None
        except TypeError:  # an unhashable key
            raise TypeError(f"ModuleDict: got a key {describe(key)}; expected a str") from None

    def __setitem__(self, key: str, module: Module) -> None:
        self._add_module(key, module, "__setitem__")

    def __delitem__(self, key: str) -> None:
        self[key]  # noqa: B018 -- raises the KeyError that names the keys
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()

    def pop(self, key: str) -> Module:
        """Remove the module under ``key`` and return it.

        Examples
        --------
        >>> from nn.containers import ModuleDict
        >>> from nn.layers import ReLU
        >>> d = ModuleDict({"act": ReLU()})
        >>> d.pop("act"), len(d)
        (ReLU(), 0)
        """
        module = self[key]
        del self[key]
        return module

    def keys(self) -> Any:
        """The keys, in order."""
        return self._modules.keys()

    def items(self) -> Any:
        """The (key, module) pairs, in order."""
        return self._modules.items()

    def values(self) -> Any:
        """The modules, in order."""
        return self._modules.values()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add or replace the modules of a mapping, in its order, or of an iterable of (key, module) pairs.

        A replaced key keeps its position.

        Examples
        --------
        >>> from nn.containers import ModuleDict
        >>> from nn.layers import ReLU, Tanh
        >>> d = ModuleDict([("a", ReLU())])
        >>> d.update({"b": Tanh(), "a": Tanh()}); [(k, type(m).__name__) for k, m in d.items()]
        [('a', 'Tanh'), ('b', 'Tanh')]
        """
        pairs = (list(modules.items()) if isinstance(modules, (Mapping, ModuleDict))
                 else _pairs(modules, "ModuleDict.update"))
        for key, module in pairs:
            self[key] = module

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            "ModuleDict has no forward(): index it in your module's forward (self.heads[name](x))"
        )


class ParameterList(Module):
    """A list of parameters, registered as ``"0"``, ``"1"``, ... A Tensor (or numpy array) that is not a
    Parameter becomes one when it is added; other objects are kept as they are and not registered.

    Parameters
    ----------
    values : iterable, optional

    Examples
    --------
    >>> import autograd
    >>> from nn.containers import ParameterList
    >>> params = ParameterList([autograd.zeros(2, 3)])
    >>> params.append(autograd.ones(3, dtype="float64"))
    ParameterList(...)
    >>> print(params)
    ParameterList(
        (0): Parameter containing: [float32 of size 2x3]
        (1): Parameter containing: [float64 of size 3]
    )
    >>> [name for name, _ in params.named_parameters()], params[1].requires_grad
    (['0', '1'], True)
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def _key(self, idx: int) -> str:
        return str(_container_index(idx, self._size, "ParameterList", "entries"))

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return ParameterList([self[i] for i in range(*idx.indices(self._size))])
        return getattr(self, self._key(idx))

    def __setitem__(self, idx: int, value: Any) -> None:
        setattr(self, self._key(idx), _as_entry(value, "ParameterList"))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(self._size))

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def append(self, value: Any) -> ParameterList:
        """Add ``value`` at the end (a Tensor becomes a Parameter); return ``self``."""
        value = _as_entry(value, "ParameterList.append")
        self._size += 1
        setattr(self, str(self._size - 1), value)
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Append each of ``values``; return ``self``."""
        if not isinstance(values, Iterable) or isinstance(values, (Tensor, np.ndarray)):
            raise TypeError(f"ParameterList.extend: got values {describe(values)}; expected an iterable of "
                            "parameters (use append for a single one)")
        for value in list(values):
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return "\n".join(_entry_line(i, value) for i, value in enumerate(self))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterList cannot be called: index it or iterate over it in your module's "
                           "forward")


class ParameterDict(Module):
    """Parameters held by string keys, like a dict that registers them under those names. A Tensor (or
    numpy array) that is not a Parameter becomes one when it is stored; other objects are kept as they are
    and not registered.

    As in PyTorch, a plain dict given to the constructor or to :meth:`update` is added in the sorted order
    of its keys (an OrderedDict or a ParameterDict in its own order), and a key must be a str that is not
    the name of one of the ParameterDict's attributes (``"keys"``, ``"training"``, ...).

    Parameters
    ----------
    parameters : mapping or iterable of (str, value) pairs, optional

    Examples
    --------
    >>> import autograd
    >>> from nn.containers import ParameterDict
    >>> params = ParameterDict({"shift": autograd.zeros(3), "scale": autograd.ones(3)})
    >>> print(params)
    ParameterDict(
        (scale): Parameter containing: [float32 of size 3]
        (shift): Parameter containing: [float32 of size 3]
    )
    >>> list(params.state_dict()), "scale" in params
    (['scale', 'shift'], True)
    """

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        self._keys: dict[str, None] = {}
        if parameters is not None:
            self.update(parameters)

    def _check_key(self, key: Any, method: str) -> str:
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict.{method}: got a key {describe(key)}; expected a str")
        return key

    def _known(self, key: Any, method: str) -> str:
        key = self._check_key(key, method)
        if key not in self._keys:
            raise MissingKeyError(f"ParameterDict: no entry under the key {key!r}; the keys are "
                                   f"{list(self._keys)}")
        return key

    def __getitem__(self, key: str) -> Any:
        return getattr(self, self._known(key, "__getitem__"))

    def __setitem__(self, key: str, value: Any) -> None:
        key = self._check_key(key, "__setitem__")
        self._check_name(key, "parameter", "__setitem__")
        if key not in self._keys and hasattr(self, key):
            raise KeyError(f"ParameterDict.__setitem__: the key {key!r} is the name of an attribute of "
                           "ParameterDict; expected another key")
        value = _as_entry(value, "ParameterDict")
        setattr(self, key, value)
        self._keys[key] = None

    def __delitem__(self, key: str) -> None:
        key = self._known(key, "__delitem__")
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __reversed__(self) -> Iterator[str]:
        return reversed(list(self._keys))

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same Parameter objects (a shallow copy)."""
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def get(self, key: str, default: Any = None) -> Any:
        """The entry under ``key``, or ``default`` if there is none."""
        return self[key] if key in self else default

    def setdefault(self, key: str, default: Any = None) -> Any:
        """The entry under ``key``, after storing ``default`` there if there was none."""
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: str) -> Any:
        """Remove the entry under ``key`` and return it.

        Examples
        --------
        >>> import autograd
        >>> from nn.containers import ParameterDict
        >>> params = ParameterDict({"w": autograd.zeros(2)})
        >>> params.pop("w").shape, len(params)
        ((2,), 0)
        """
        value = self[key]
        del self[key]
        return value

    def popitem(self) -> tuple[str, Any]:
        """Remove the last entry added and return it as a (key, value) pair."""
        if not self._keys:
            raise KeyError("ParameterDict.popitem: the ParameterDict is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def clear(self) -> None:
        """Remove every entry."""
        for key in list(self._keys):
            del self[key]

    def fromkeys(self, keys: Iterable[str], default: Any = None) -> ParameterDict:
        """A new ParameterDict with ``default`` under each of ``keys``."""
        return ParameterDict([(key, default) for key in keys])

    def keys(self) -> Any:
        """The keys, in order."""
        return self._keys.keys()

    def items(self) -> Iterator[tuple[str, Any]]:
        """The (key, value) pairs, in order."""
        return ((k, self[k]) for k in self._keys)

    def values(self) -> Iterator[Any]:
        """The values, in order."""
        return (self[k] for k in self._keys)

    def update(self, parameters: Any) -> None:
        """Add or replace the entries of a mapping (a plain dict in the sorted order of its keys, as in
        PyTorch) or of an iterable of (key, value) pairs. A replaced key keeps its position."""
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = list(parameters.items())
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items(), key=lambda pair: str(pair[0]))
        else:
            pairs = _pairs(parameters, "ParameterDict.update")
        for key, value in pairs:
            self[key] = value

    def __or__(self, other: Any) -> ParameterDict:
        merged = self.copy()
        merged.update(other)
        return merged

    def __ror__(self, other: Any) -> Any:
        # ``{...} | params``: a copy of the left operand (a dict stays a dict), updated with these entries
        merged = other.copy()
        merged.update(self.items())
        return merged

    def __ior__(self, other: Any) -> ParameterDict:
        self.update(other)
        return self

    def extra_repr(self) -> str:
        return "\n".join(_entry_line(key, value) for key, value in self.items())

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterDict cannot be called: index it by key in your module's forward")
