"""Tensor: a numpy array that remembers how it was computed.

This module holds the class, its dtype policy, the recording of operations and the one place where
gradients are summed back to each operand's shape (:func:`unbroadcast`). The operations themselves live
in :mod:`autograd.ops`, one module per family, each forward next to its vector-Jacobian rule.
"""

from __future__ import annotations

import copy
import functools
import math
import reprlib
import warnings
from typing import Any, Callable, Iterator, Sequence, Union

import numpy as np

from . import counting, engine, hooks, modifications
from .default_dtype import get_default_dtype
from .grad_mode import grad_enabled, no_grad
from .memory import keep_freed_memory

ArrayLike = Union["Tensor", np.ndarray, float, int, bool, Sequence[Any]]
_new = object.__new__
_next_seq = engine.next_sequence_number

_FLOAT_KINDS = ("f",)
_BUILTIN_DTYPES = {dt: dt for dt in map(np.dtype, "?" + np.typecodes["AllInteger"] + np.typecodes["Float"])}
"""numpy's builtin dtype objects, each the one instance of its dtype that numpy hands out, keyed by equal
dtypes: an unpickled array (and anything computed from it) has a copy of its dtype, which ``is`` would
tell apart from ``autograd.float32``."""


class TensorOp:
    """A tensor primitive: its name and its vector-Jacobian rules.

    ``rule(node, grad)`` returns one contribution per parent (or ``None``), computed with Tensor
    operations so that a pass with ``create_graph=True`` records it. :meth:`vjp` then sums each
    contribution back to its parent's shape and casts it to its parent's dtype, so no rule has to
    handle broadcasting itself.

    ``array_rule(node, grad)``, when given, computes the same contributions from numpy arrays: ``grad``
    is an array, and the rule reads its operands' ``.data``. A pass that records nothing (the default
    ``create_graph=False``) runs it instead of ``rule``, which spares a Tensor for every intermediate
    result: most of the cost of a backward pass on small arrays. Gradients that reach a leaf or a
    tensor that retains its gradient are still Tensors; interior ones stay arrays between the rules.

    ``reads_values=False`` declares that the rules read no operand's values, nor the result's, only
    shapes and what the op saved: such nodes pass the check for values changed in place
    (:mod:`autograd.modifications`).
    """

    __slots__ = ("name", "rule", "array_rule", "reads_values")

    def __init__(self, name: str, rule: Callable[["Tensor", "Tensor"], Sequence[Any]],
                 array_rule: Callable[["Tensor", np.ndarray], Sequence[Any]] | None = None, *,
                 reads_values: bool = True) -> None:
        self.name = name
        self.rule = rule
        self.array_rule = array_rule
        self.reads_values = reads_values

    def vjp(self, node: "Tensor", grad: Any) -> Sequence[Any]:
        array_rule = self.array_rule
        # An operation counter tallies the work of backward rules through the Tensor ops they call.
        if array_rule is None or grad_enabled() or counting._stack:
            return self._recorded_vjp(node, grad)
        if type(grad) is not np.ndarray:
            grad = grad.data if isinstance(grad, Tensor) else np.asarray(grad)
        if node._retains_grad:
            # Each array rule owns the gradient it is given, and may write into it (the elementwise
            # functions do) or pass it, or views of it, to its operands; a node that keeps its gradient
            # as its .grad gives its rule a copy.
            grad = grad.copy()
        contributions = array_rule(node, grad)
        parents = node._parents
        if len(parents) == 1:  # unrolled, as the engine's loop: most ops have one or two operands
            return (_fitted(parents[0], contributions[0]),)
        if len(parents) == 2:
            first, second = contributions
            if second is first and first is not None and parents[1]._requires_grad:
                # one array for both operands (a sum's rule): the second gets its own, or in-place
                # changes to one operand's gradient would change the other's
                second = first.copy()
            return (_fitted(parents[0], first), _fitted(parents[1], second))
        if len(parents) == 3:  # linear's x, weight and bias
            first, second, third = contributions
            if first is None or first is not second and first is not third:
                if second is None or second is not third:
                    return (_fitted(parents[0], first), _fitted(parents[1], second),
                            _fitted(parents[2], third))
        return tuple(map(_fitted, parents, _own_arrays(contributions)))

    def _recorded_vjp(self, node: "Tensor", grad: Any) -> list:
        if not isinstance(grad, Tensor):  # the array an array rule passed down
            grad = _constant(np.asarray(grad))
        contributions = self.rule(node, grad)
        out = []
        for parent, g in zip(node._parents, contributions):
            if g is None or not parent._requires_grad:
                out.append(None)
                continue
            if g.data.shape != parent.data.shape:
                g = unbroadcast(g, parent.data.shape)
            if g.data.dtype != parent.data.dtype:
                g = g.astype(parent.data.dtype)
            out.append(g)
        return out

    def __repr__(self) -> str:
        return f"TensorOp({self.name!r})"


def _fitted(parent: "Tensor", g: Any) -> Any:
    """An array rule's contribution made ready for ``parent``: None where it needs none, otherwise summed
    to its shape and cast to its dtype."""
    if g is None or not parent._requires_grad:
        return None
    data = parent.data
    if g.shape != data.shape:  # a shape the parent was broadcast to
        g = unbroadcast(g, data.shape)
    if g.dtype is not data.dtype and g.dtype != data.dtype:
        g = g.astype(data.dtype)
    # A gradient someone will read (a leaf's, a retained one) is a Tensor like any other .grad. Until
    # then a 0-d result may be a numpy scalar, which the next array rule takes as it is.
    if not parent._parents or parent._retains_grad:
        g = np.asarray(g)
        # Users scale and clip .grad in place, so it must be a writeable array, and not a slice (cat's,
        # stack's) that would keep a much larger array alive for as long as the gradient is kept.
        base = g.base
        if not g.flags.writeable or base is not None and base.nbytes > 2 * g.nbytes:
            g = g.copy()
        return _constant(g)
    return g


def _own_arrays(contributions: Sequence[Any]) -> Sequence[Any]:
    """The contributions, each array given to one operand only: a rule may hand the same array to
    several, but the operands' rules write into what they are given."""
    out: list = []
    for g in contributions:
        if g is not None and any(g is h for h in out):
            g = g.copy()
        out.append(g)
    return out


def as_dtype(dtype: Any, where: str) -> np.dtype:
    """The numpy dtype ``dtype`` names: a numpy dtype, type or name, or one of PyTorch's dtypes
    (``torch.float64``), for code written against PyTorch; anything else raises a TypeError naming
    ``where``.

    Examples
    --------
    >>> as_dtype("float64", "Tensor"), as_dtype(np.int32, "Tensor")
    (dtype('float64'), dtype('int32'))
    """
    if type(dtype) is not type and not isinstance(dtype, np.dtype):
        name = str(dtype)  # PyTorch's dtypes print as "torch.float64"; numpy knows the name after the dot
        if name.startswith("torch."):
            dtype = name[len("torch."):]
    try:
        return np.dtype(dtype)
    except (TypeError, ValueError):  # ValueError: an object whose .dtype numpy cannot read (a torch tensor)
        raise TypeError(f"{where}: got dtype {dtype!r}; expected a numpy dtype or its name, such as "
                        "'float32' or np.int64") from None


def _as_array(data: Any, dtype: Any, where: str) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        dtype = as_dtype(dtype, where)
    if isinstance(data, np.ndarray):
        arr = data if dtype is None else data.astype(dtype, copy=False)
    elif isinstance(data, np.generic):  # numpy scalars keep their dtype, like arrays
        arr = np.asarray(data) if dtype is None else np.asarray(data, dtype=dtype)
    elif isinstance(data, (list, tuple)) and _holds_tensor(data):
        # numpy would read each Tensor's array and build a new one, cut off from the Tensors' graph
        raise TypeError(
            f"{where}: got a {type(data).__name__} that holds Tensors; expected numbers or arrays (combine "
            "Tensors with autograd.stack or autograd.cat, which keep their gradients)"
        )
    else:
        arr = np.asarray(data, dtype=dtype)
        if dtype is None and arr.dtype.kind == "f":
            # Python floats and lists of them take the default dtype, as in PyTorch; numpy floats in a list
            # keep their dtype there too, so [np.float64(1.0), 2.0] is float64 (numpy would make any list
            # float64)
            want = _list_float_dtype(data) if isinstance(data, (list, tuple)) else get_default_dtype()
            if arr.dtype != want:
                arr = arr.astype(want)
    if arr.dtype.kind not in "fiub":
        raise TypeError(
            f"{where}: got data of dtype {arr.dtype}; expected floating-point, integer or bool values"
        )
    return arr


_PYTHON_NUMBERS = frozenset({float, int, bool})


def _list_float_dtype(items: list | tuple) -> np.dtype:
    """The floating dtype PyTorch gives a (nested) list or tuple of numbers that holds a float: the
    promotion of its numpy floating scalars' and arrays' dtypes, Python floats counting as the default
    dtype (float32 unless :func:`~autograd.set_default_dtype` changed it).

    Examples
    --------
    >>> _list_float_dtype([1.5, [2, np.float16(1.0)]]), _list_float_dtype([np.float64(1.0), 2.0])
    (dtype('float32'), dtype('float64'))
    >>> _list_float_dtype([np.float16(1.0), np.array([2.0], dtype=np.float16)])
    dtype('float16')
    """
    found: set[np.dtype] = set()
    python_float = False
    stack = [items]
    while stack:
        seq = stack.pop()
        kinds = set(map(type, seq))  # a list of Python numbers is checked at C speed
        python_float = python_float or float in kinds
        if kinds <= _PYTHON_NUMBERS:
            continue
        for item in seq:
            if isinstance(item, (np.ndarray, np.generic)):
                if item.dtype.kind == "f":
                    found.add(item.dtype)
            elif isinstance(item, (list, tuple)):
                stack.append(item)
            elif isinstance(item, float):
                python_float = True
    default = get_default_dtype()
    if not found:
        return default
    return np.result_type(*found, *([default] if python_float else []))


def _holds_tensor(items: list | tuple) -> bool:
    """Whether a (nested) list or tuple has a Tensor anywhere in it."""
    for item in items:
        if isinstance(item, Tensor) or isinstance(item, (list, tuple)) and _holds_tensor(item):
            return True
    return False


def _is_size(n: Any) -> bool:
    return isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_))


def _requires_grad_error(where: str, data: Any, requires_grad: Any, dtype: Any) -> TypeError:
    """The error for a ``requires_grad`` that is not a bool. ``Tensor(2, 3)`` makes an uninitialised 2x3
    tensor in PyTorch, where the first argument here is the data: sizes given that way get a hint."""
    if _is_size(data) and _is_size(requires_grad):
        sizes = (data, requires_grad) + ((dtype,) if _is_size(dtype) else ())
        shape = ", ".join(str(int(n)) for n in sizes)
        return TypeError(
            f"{where}: got {where}({shape}), sizes as PyTorch's torch.Tensor({shape}) takes them; expected "
            f"{where}(data, requires_grad=False, dtype=None), whose first argument is the data, not a shape: "
            f"use autograd.zeros({shape}) or autograd.empty({shape}) for a tensor of shape ({shape})"
        )
    return TypeError(f"{where}: got requires_grad {describe(requires_grad)}; expected a bool")


def _check_requires_grad(arr: np.ndarray, where: str) -> None:
    if arr.dtype.kind not in _FLOAT_KINDS:
        raise TypeError(
            f"{where}: only floating-point tensors can require gradients; got dtype {arr.dtype} "
            "(integer and bool tensors hold indices, labels and masks)"
        )


# chaingrad's classes are named as users write them (Tensor, Parameter), as are Python's
_SHORT_NAMED = ("builtins", "autograd", "nn")


def describe(x: Any) -> str:
    """How an error message says what it got, after the argument's name (``"got dim " + describe(x)``):
    ``x``'s type, then the dtype and shape of an array of any library (numpy, PyTorch, chaingrad) or else
    a short repr. A type from outside Python and chaingrad is named with its module, so that a PyTorch
    tensor (``torch.Tensor``) is told apart from chaingrad's (``Tensor``).

    Examples
    --------
    >>> describe("a"), describe(None), describe(1.5)
    ("of type str ('a')", 'of type NoneType (None)', 'of type float (1.5)')
    >>> describe(np.zeros((2, 3))), describe(Tensor([1.0]))
    ('of type numpy.ndarray (dtype float64, shape (2, 3))', 'of type Tensor (dtype float32, shape (1,))')
    """
    kind = type(x)
    name = kind.__qualname__
    if kind.__module__.partition(".")[0] not in _SHORT_NAMED:
        name = f"{kind.__module__}.{name}"
    shape, dtype = getattr(x, "shape", None), getattr(x, "dtype", None)
    if isinstance(shape, tuple) and dtype is not None and not isinstance(x, np.generic):
        return f"of type {name} (dtype {dtype}, shape {tuple(shape)})"
    return f"of type {name} ({reprlib.repr(x)})"


def _grad_error(t: "Tensor", value: Any) -> Exception:
    """Why ``value`` cannot be ``t.grad`` (only called once a check has failed). The exception classes
    are PyTorch's: TypeError for what is not a tensor, RuntimeError for a tensor that does not fit."""
    want = f"a Tensor of the tensor's shape {t.data.shape} and dtype {t.data.dtype}, or None"
    if not isinstance(value, Tensor):
        return TypeError(
            f"grad: got a value {describe(value)}; expected {want} (wrap an array: "
            "x.grad = Tensor(array, dtype=x.dtype))"
        )
    if value is t:
        return RuntimeError(
            "grad: got the tensor itself; expected another tensor, as a tensor cannot be its own gradient "
            "(assign a copy: x.grad = autograd.tensor(x))"
        )
    g = value.data
    hint = ("a gradient is never broadcast" if g.shape != t.data.shape
            else f"convert it: x.grad = g.astype({str(t.data.dtype)!r})")
    return RuntimeError(
        f"grad: got a Tensor of shape {g.shape} and dtype {g.dtype}; expected {want} ({hint})"
    )


class Tensor(engine.GraphNode):
    """A numpy array with an optional gradient and the record of the operation that produced it.

    Parameters
    ----------
    data : array_like
        Numbers, nested lists or a numpy array. Python floats and lists of floats take the default
        dtype (float32 unless :func:`~autograd.set_default_dtype` changed it); numpy arrays keep their
        dtype (use float64 for gradient checks).
    requires_grad : bool, optional
        Record operations on this tensor so that ``backward`` fills its ``.grad``. Only floating-point
        tensors can require grad.
    dtype : numpy dtype or str, optional
        Convert the data to this dtype.
    label : str, optional
        A name shown in pictures of the graph.

    Examples
    --------
    >>> from autograd import Tensor
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad.numpy()
    array([2., 4., 6.], dtype=float32)
    """

    # .grad and .requires_grad are properties over _grad and _requires_grad, which check what a user
    # assigns; the engine, the ops and nn read and write the slots themselves.
    # _hooks is set by register_hook only (autograd.hooks); the others by __init__ or result()
    __slots__ = ("data", "_grad", "_requires_grad", "label", "_parents", "_op", "_ctx", "_retains_grad",
                 "_seq", "_hooks", "__weakref__")
    __array_priority__ = 1000  # numpy's older protocol; __array_ufunc__ below decides

    def __init__(self, data: ArrayLike, requires_grad: bool = False, dtype: Any = None,
                 label: str = "") -> None:
        if requires_grad is not False and type(requires_grad) is not bool:
            # as PyTorch: a 1, a numpy bool or None is likely a slip
            raise _requires_grad_error("Tensor", data, requires_grad, dtype)
        arr = _as_array(data, dtype, "Tensor")
        if requires_grad:
            _check_requires_grad(arr, "Tensor")
        self.data = arr
        self._grad: Tensor | None = None
        self._requires_grad = bool(requires_grad)
        self.label = "" if label is None else str(label)
        self._parents: tuple = ()
        self._op: TensorOp | None = None
        self._ctx: Any = None
        self._retains_grad = False

    # ------------------------------------------------------------------ gradient attributes
    @property
    def grad(self) -> "Tensor | None":
        """The gradient that ``backward`` accumulated, or None.

        Leaves keep theirs, and so do interior tensors that called :meth:`retain_grad`; reading it on any
        other interior tensor warns (``UserWarning``, as PyTorch does), since it stays None. An assigned
        gradient must be None or a Tensor of this tensor's shape and dtype (it may carry a graph of its
        own, as ``backward(create_graph=True)`` makes): anything else raises ``TypeError`` (not a Tensor)
        or ``RuntimeError`` (another shape or dtype, or the tensor itself), as in PyTorch.
        ``del x.grad`` sets it to None.

        Examples
        --------
        >>> import numpy as np
        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> x.grad = Tensor(np.ones(2, dtype=np.float32))
        >>> (x * x).sum().backward(); x.grad.tolist()
        [3.0, 5.0]
        >>> x.grad = Tensor(np.ones(3, dtype=np.float32))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        RuntimeError: grad: got a Tensor of shape (3,) and dtype float32; expected a Tensor of the ...
        """
        if self._parents and not self._retains_grad and self._grad is None:
            warnings.warn(
                f"grad: read on a tensor computed by {self._op.name!r}, which is not a leaf: backward() "
                "does not keep its gradient, so .grad stays None; call .retain_grad() on it before "
                "backward() to keep it, or read the .grad of the leaf tensor you meant",
                UserWarning, stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: "Tensor | None") -> None:
        if value is not None and (not isinstance(value, Tensor) or value is self
                                  or value.data.shape != self.data.shape
                                  or value.data.dtype != self.data.dtype):
            raise _grad_error(self, value)
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded, so that ``backward`` reaches it.

        Only a leaf's can be set, to a bool (True only for a floating-point tensor); a computed tensor
        requires grad as long as it is part of a graph (use :meth:`detach` for one that does not).
        Anything else raises, as in PyTorch.

        Examples
        --------
        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0])
        >>> x.requires_grad = True
        >>> (x * 2).requires_grad
        True
        >>> (x * 2).requires_grad = False  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        RuntimeError: requires_grad: can only change requires_grad of a leaf tensor; got one computed by ...
        """
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        self._set_requires_grad(flag, "requires_grad")

    def _set_requires_grad(self, flag: bool, where: str) -> None:
        """Set ``_requires_grad`` to ``flag`` once it is a bool that this tensor may take (a leaf's, and
        True only where the dtype is floating point)."""
        if type(flag) is not bool:
            raise TypeError(
                f"{where}: got a value {describe(flag)}; expected a bool (convert it with "
                "bool())"
            )
        if self._parents:
            hint = ("it requires grad already, as every computed tensor does" if flag else
                    "use .detach() for a tensor with its data that does not require grad")
            raise RuntimeError(
                f"{where}: can only change requires_grad of a leaf tensor; got one computed by "
                f"{self._op.name!r} ({hint})"
            )
        if flag:
            _check_requires_grad(self.data, where)
        self._requires_grad = flag

    # ------------------------------------------------------------------ properties
    @property
    def shape(self) -> tuple[int, ...]:
        """The array's shape."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """Number of dimensions."""
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype of the data: numpy's own instance of it, so that ``x.dtype is autograd.float32``
        holds as ``x.dtype is torch.float32`` does.

        Examples
        --------
        >>> import autograd
        >>> autograd.zeros(2).dtype is autograd.float32
        True
        """
        dt = self.data.dtype
        return _BUILTIN_DTYPES.get(dt, dt)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def numpy(self) -> np.ndarray:
        """Return the underlying numpy array (shared, not copied).

        Examples
        --------
        >>> from autograd import Tensor
        >>> Tensor([1, 2]).numpy()
        array([1, 2])
        """
        return self.data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        # numpy's protocol: copy=True asks for a copy, copy=False for the data itself or an error
        if dtype is not None and np.dtype(dtype) != self.data.dtype:
            if copy is False:
                raise ValueError(f"__array__: a tensor of dtype {self.data.dtype} cannot be given as "
                                 f"{np.dtype(dtype)} without a copy")
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """numpy's ufunc protocol, so that mixing arrays and tensors does what it would in PyTorch.

        ``array op tensor`` (``+ - * / ** @ // % & | ^ << >>`` and comparisons) is the tensor's reflected
        operator, recorded as usual. A ufunc that writes into numpy arrays (``out=``: ``p.data -= lr *
        p.grad``, PyTorch's old update through ``.data``) computes on the tensors' data and leaves those
        arrays arrays; without this numpy would hand the in-place update to the reflected operator and
        ``p.data`` would silently become a Tensor. Any other ufunc (``np.exp(t)``, reductions) works on the
        data and returns arrays, as numpy does with ``__array__``.
        """
        out = kwargs.get("out")
        if out is None and method == "__call__" and len(inputs) == 2 and not kwargs:
            names = _OPERATOR_METHODS.get(ufunc)
            if names is not None:
                first, second = inputs
                if isinstance(first, Tensor):
                    return getattr(first, names[0])(second)
                return getattr(second, names[1])(first)
        if out is not None and not all(isinstance(o, np.ndarray) for o in out):
            return NotImplemented  # writing into a tensor goes through its own in-place methods
        arrays = [x.data if isinstance(x, Tensor) else x for x in inputs]
        return getattr(ufunc, method)(*arrays, **kwargs)

    def __iter__(self) -> Iterator["Tensor"]:
        # without it Python would iterate through __getitem__ until an IndexError: nothing at all for a
        # 0-d tensor, silently
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.data.shape[0]))

    # ------------------------------------------------------------------ copying and pickling
    # As in PyTorch: a deep copy is of a leaf only (copying a graph's nodes would silently detach the copy
    # from the leaves it was computed from); pickling and copy.copy keep the data and requires_grad but
    # not the graph or the gradient.
    def __deepcopy__(self, memo: dict) -> "Tensor":
        if self._parents:
            raise RuntimeError(
                f"deepcopy: got a tensor computed by {self._op.name!r}; expected a leaf (a tensor created "
                "by the user), the only kind that can be deep-copied: copy t.detach(), or the leaves"
            )
        out = _new(type(self))
        memo[id(self)] = out
        for name in _STATE:
            value = getattr(self, name)
            if name == "_grad" and isinstance(value, Tensor) and value._parents:
                value = value.detach()  # a gradient recorded by create_graph=True: its values
            setattr(out, name, copy.deepcopy(value, memo))
        if hasattr(self, "__dict__"):  # a subclass's own attributes (nn's Parameter)
            out.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return out

    def __reduce_ex__(self, protocol: Any) -> tuple:
        extra = getattr(self, "__dict__", None)
        return (_rebuilt_leaf, (type(self), self.data, self._requires_grad, self.label, extra or None))

    # ------------------------------------------------------------------ in place
    def _update(self, ufunc: np.ufunc, other: Any, symbol: str) -> "Tensor":
        """``self <symbol>= other``: in place on the data when nothing is being recorded, as an
        optimizer's update under ``no_grad()``; otherwise recorded as ``self <symbol> other``, and the
        name is bound to the result (other references keep the old tensor)."""
        other_requires = isinstance(other, Tensor) and other._requires_grad
        if grad_enabled() and (self._requires_grad or other_requires):
            if self._requires_grad and not self._parents:
                raise RuntimeError(
                    f"{symbol}=: a leaf tensor that requires grad cannot be changed in place while gradients "
                    f"are recorded; update it under `with autograd.no_grad():` (as optimizers do), or "
                    f"write `x = x {symbol} y` for a new tensor"
                )
            return NotImplemented  # Python then computes self <symbol> other, which is recorded
        return self._write(ufunc, other, f"{symbol}=", f"`x = x {symbol} y`")

    def _write(self, ufunc: Any, other: Any, name: str, rewrite: str) -> "Tensor":
        """``ufunc(self.data, other)`` into ``self.data``, keeping its dtype and shape, for the in-place
        operation ``name``; ``rewrite`` is the out-of-place form the errors suggest. The caller has made
        sure that nothing is being recorded."""
        value = other.data if isinstance(other, Tensor) else other
        self._prepare_write(name, rewrite)
        try:
            ufunc(self.data, value, out=self.data, casting="same_kind")
            modifications.record_change(self.data, name)  # after: a write that fails changes nothing
        except (TypeError, ValueError) as exc:
            what = f"a tensor of shape {np.shape(value)}" if isinstance(other, Tensor) else repr(other)
            raise (TypeError if isinstance(exc, TypeError) else ValueError)(
                f"{name}: cannot update a tensor of shape {self.data.shape} and dtype {self.data.dtype} "
                f"in place with {what}; expected a value that broadcasts to its shape and whose result "
                f"keeps its dtype ({exc})"
            ) from None
        return self

    def _prepare_write(self, name: str, rewrite: str) -> None:
        """Refuse to change the data in place where it is a read-only view (the in-place operation
        ``name``; ``rewrite`` is the out-of-place form the error suggests). The caller stamps the data as
        changed once it has written (:func:`autograd.modifications.record_change`), so that a write that
        fails leaves no stamp."""
        if not self.data.flags.writeable:
            raise ValueError(
                f"{name}: this tensor's data is read-only (a broadcast view, as expand gives); expected "
                f"a tensor with data of its own: write {rewrite} for a new one"
            )

    def __iadd__(self, other: Any) -> "Tensor":
        return self._update(np.add, other, "+")

    def __imul__(self, other: Any) -> "Tensor":
        return self._update(np.multiply, other, "*")

    def __itruediv__(self, other: Any) -> "Tensor":
        return self._update(np.true_divide, other, "/")

    def __ipow__(self, other: Any) -> "Tensor":
        return self._update(np.power, other, "**")


    def item(self) -> float | int | bool:
        """Return the value of a one-element tensor as a Python number.

        Examples
        --------
        >>> from autograd import Tensor
        >>> Tensor([[3.5]]).item()
        3.5
        """
        if self.data.size != 1:
            raise ValueError(f"item: got a tensor of shape {self.data.shape}; expected exactly one element")
        return self.data.item()

    def tolist(self) -> Any:
        """Return the data as nested Python lists."""
        return self.data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"bool: the truth value of a tensor of shape {self.data.shape} is ambiguous; "
                "use .any() or .all()"
            )
        return bool(self.data.item())

    def __repr__(self) -> str:
        body = np.array2string(self.data, precision=4, separator=", ", threshold=20, edgeitems=3,
                               prefix="tensor(")
        extras = []
        if self.data.dtype != get_default_dtype():  # as PyTorch, which shows any other dtype
            extras.append(f"dtype={self.data.dtype}")
        if self._op is not None:
            extras.append(f"op={self._op.name}")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        if self.label:
            extras.append(f"label={self.label!r}")
        return "tensor(" + body + "".join(", " + e for e in extras) + ")"

    # ------------------------------------------------------------------ gradient control
    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set ``requires_grad`` in place on a leaf and return ``self``.

        It is checked as an assignment to :attr:`requires_grad` is, except that, as in PyTorch, a
        computed tensor may be asked to require grad (it does already).

        Examples
        --------
        >>> from autograd import Tensor
        >>> Tensor([1.0]).requires_grad_().requires_grad
        True
        """
        if requires_grad is True and self._parents:
            return self
        self._set_requires_grad(requires_grad, "requires_grad_")
        return self

    def detach(self) -> "Tensor":
        """A new leaf sharing this tensor's data, cut from the graph.

        Examples
        --------
        >>> from autograd import Tensor
        >>> x = Tensor([1.0], requires_grad=True)
        >>> (x * 2).detach().requires_grad
        False
        """
        return _constant(self.data)

    def detach_(self) -> "Tensor":
        """Cut this tensor from the graph in place and return it, as PyTorch's ``detach_``: it becomes a
        leaf that does not require grad, keeping its data and its ``.grad``.

        A tensor computed as a view of another's memory (indexing, ``reshape``, ``transpose``, ...) is
        refused, as in PyTorch: use :meth:`detach`. A backward pass through a graph recorded before the
        change that used this tensor as an operand raises, where PyTorch goes on past it when the rule did
        not save it: chaingrad's graph links tensors, so nothing would reach the operations behind it.

        Examples
        --------
        >>> from autograd import tensor
        >>> h = tensor([1.0, 2.0], requires_grad=True) * 2
        >>> h.detach_() is h, h.requires_grad, h.is_leaf
        (True, False, True)
        """
        if not self._parents:
            self._requires_grad = False
            return self
        memory = modifications.owner(self.data)
        if any(modifications.owner(p.data) is memory for p in self._parents):
            raise RuntimeError(
                f"detach_: got a view of another tensor's memory (computed by {self._op.name!r}); expected a "
                "tensor with memory of its own, as views cannot be detached in place: use x.detach() for a "
                "new tensor"
            )
        modifications.record_detach(self, "detach_()")
        self._parents = ()
        self._op = None
        self._ctx = None
        self._requires_grad = False
        self._retains_grad = False
        del self._seq  # leaves carry no creation number
        return self

    def register_hook(self, hook: Callable[["Tensor"], "Tensor | None"]) -> hooks.RemovableHandle:
        """Call ``hook(grad)`` each time a backward pass computes the gradient with respect to this tensor;
        a Tensor it returns replaces the gradient. See :func:`autograd.hooks.register_hook`.

        Examples
        --------
        >>> from autograd import tensor
        >>> x = tensor([1.0, 2.0], requires_grad=True)
        >>> handle = x.register_hook(lambda g: g.clamp(max=3.0))
        >>> (x * x).sum().backward(); x.grad.tolist()
        [2.0, 3.0]
        """
        return hooks.register_hook(self, hook)

    @property
    def grad_fn(self) -> "GradFn | None":
        """The operation that computed this tensor (None for a leaf), as PyTorch's ``grad_fn``.

        Examples
        --------
        >>> from autograd import tensor
        >>> x = tensor([1.0], requires_grad=True)
        >>> y = (x * 2).exp()
        >>> x.grad_fn is None, y.grad_fn, y.grad_fn.next_functions
        (True, <exp backward>, ((<mul backward>, 0),))
        """
        return GradFn(self) if self._parents else None

    def retain_grad(self) -> "Tensor":
        """Keep the gradient of this interior tensor in ``.grad`` after backward (to inspect or draw it).

        Examples
        --------
        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> h = (x * 3).retain_grad()
        >>> (h * h).sum().backward()
        >>> h.grad.numpy()
        array([ 6., 12.], dtype=float32)
        """
        if not self._requires_grad:
            raise RuntimeError("retain_grad: this tensor does not require grad")
        self._retains_grad = True
        return self

    @property
    def retains_grad(self) -> bool:
        """Whether this tensor, computed by an operation, keeps its gradient in ``.grad``: True once
        :meth:`retain_grad` was called on it. A leaf keeps its gradient anyway, and reads False, as in
        PyTorch. Read-only.

        Examples
        --------
        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> h = x * 3
        >>> h.retains_grad, h.retain_grad().retains_grad, x.retain_grad().retains_grad
        (False, True, False)
        """
        return self._retains_grad and bool(self._parents)

    @retains_grad.setter
    def retains_grad(self, value: Any) -> None:
        raise AttributeError(f"retains_grad: got an assigned value {describe(value)}; expected no "
                             "assignment, as the attribute is read-only: call retain_grad() instead")

    def zero_grad(self) -> None:
        """Set ``.grad`` to None."""
        self._grad = None

    def backward(self, gradient: ArrayLike | None = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Sequence["Tensor"] | None = None) -> None:
        """Accumulate d self / d leaf into the ``.grad`` of every leaf that requires grad.

        Parameters
        ----------
        gradient : array_like, optional
            d L / d self for an outer quantity L. Required unless ``self`` has one element.
        retain_graph : bool, optional
            Keep what the ops saved so that this graph can be differentiated again. Defaults to
            ``create_graph``.
        create_graph : bool, optional
            Record the backward pass, so that the gradients themselves can be differentiated.
        inputs : sequence of Tensor, optional
            Accumulate into these tensors' ``.grad`` only; the rest of the graph is left untouched.

        Examples
        --------
        >>> from autograd import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> y = x * x
        >>> y.backward(gradient=[1.0, 1.0])
        >>> x.grad.numpy()
        array([2., 4.], dtype=float32)
        """
        if not self._requires_grad:
            raise RuntimeError(
                "backward: this tensor does not require grad: none of its inputs had requires_grad=True "
                "(or it was computed under no_grad())"
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward: the output has shape {self.data.shape}, so d output / d x is not a "
                    "gradient but a Jacobian; pass gradient= a tensor of the same shape (for the "
                    "gradient of the sum, y.backward(autograd.ones_like(y)))"
                )
            seed = _constant(np.array(1, dtype=self.data.dtype).reshape(self.data.shape))
        else:
            seed_arr = np.array(gradient.data if isinstance(gradient, Tensor) else gradient,
                                dtype=self.data.dtype)
            if seed_arr.shape != self.data.shape:
                raise ValueError(
                    f"backward: gradient has shape {seed_arr.shape}; expected the output's shape "
                    f"{self.data.shape}"
                )
            if create_graph and isinstance(gradient, Tensor):
                # kept as it is, so that the gradients are functions of it; cast (recorded) to the
                # output's dtype, as the seed array is, so that a leaf's gradient takes the leaf's dtype
                same = gradient.data.dtype == self.data.dtype
                seed = gradient if same else gradient.astype(self.data.dtype)
            else:
                seed = Tensor(seed_arr)
        if retain_graph is None:
            retain_graph = create_graph
        if inputs is not None:
            inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
            if not inputs:
                raise ValueError("backward: got inputs=[]; expected at least one tensor (or inputs=None)")
            for i, t in enumerate(inputs):
                if not isinstance(t, Tensor) or not t._requires_grad:
                    got = "a tensor that does not require grad" if isinstance(t, Tensor) else repr(t)
                    raise ValueError(f"backward: inputs[{i}] is {got}; expected tensors that require grad")
        keep_freed_memory()  # once per process: the steps of a training loop then reuse their blocks
        engine.backward(self, seed, retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)

    def astype(self, dtype: Any) -> "Tensor":
        """A copy converted to ``dtype`` (differentiable between float dtypes).

        Examples
        --------
        >>> from autograd import Tensor
        >>> Tensor([1.5]).astype("float64").dtype
        dtype('float64')
        """
        dtype = as_dtype(dtype, "astype")
        if dtype.kind not in "fiub":
            raise TypeError(f"astype: got dtype {dtype}; expected a floating-point, integer or bool dtype")
        if dtype == self.data.dtype:
            return self
        if dtype.kind != "f":
            with no_grad():
                return result(self.data.astype(dtype), (self,), _ASTYPE)
        return result(self.data.astype(dtype), (self,), _ASTYPE)

    def float(self) -> "Tensor":
        """Convert to float32."""
        return self.astype(np.float32)

    def double(self) -> "Tensor":
        """Convert to float64."""
        return self.astype(np.float64)


class GradFn:
    """A view of the operation that computed a tensor, for code written against PyTorch's ``grad_fn``:
    ``name()`` and ``next_functions`` (one ``(grad_fn, 0)`` pair per input, with None for a leaf or a
    constant). chaingrad's pictures of the graph (:func:`autograd.draw_graph`) show the same thing."""

    __slots__ = ("_node",)

    def __init__(self, node: Tensor) -> None:
        self._node = node

    def name(self) -> str:
        """The operation's name, such as ``'mul'``."""
        op = self._node._op
        return op.name if op is not None else "freed"

    @property
    def next_functions(self) -> tuple:
        """``(grad_fn, 0)`` for each input of the operation (``grad_fn`` None where the input has none)."""
        return tuple((p.grad_fn if p._requires_grad else None, 0) for p in self._node._parents)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GradFn) and other._node is self._node

    def __hash__(self) -> int:
        return id(self._node)

    def __repr__(self) -> str:
        return f"<{self.name()} backward>"


def identity_rule(node: Tensor, g: Any) -> tuple:
    """The backward rule (recorded and array form alike) of an op whose input's gradient is its output's:
    astype, clone, frac, ... :meth:`TensorOp.vjp` fits it to the input's shape and dtype, and an array rule
    may hand down the gradient it owns."""
    return (g,)


_ASTYPE = TensorOp("astype", identity_rule, identity_rule, reads_values=False)


_OPERATOR_METHODS: dict[Any, tuple[str, str]] = {
    np.add: ("__add__", "__radd__"), np.subtract: ("__sub__", "__rsub__"),
    np.multiply: ("__mul__", "__rmul__"), np.true_divide: ("__truediv__", "__rtruediv__"),
    np.power: ("__pow__", "__rpow__"), np.matmul: ("__matmul__", "__rmatmul__"),
    np.floor_divide: ("__floordiv__", "__rfloordiv__"), np.remainder: ("__mod__", "__rmod__"),
    np.bitwise_and: ("__and__", "__rand__"), np.bitwise_or: ("__or__", "__ror__"),
    np.bitwise_xor: ("__xor__", "__rxor__"), np.left_shift: ("__lshift__", "__rlshift__"),
    np.right_shift: ("__rshift__", "__rrshift__"),
    # a comparison with the operands swapped is the mirrored comparison
    np.less: ("__lt__", "__gt__"), np.less_equal: ("__le__", "__ge__"), np.greater: ("__gt__", "__lt__"),
    np.greater_equal: ("__ge__", "__le__"), np.equal: ("__eq__", "__eq__"),
    np.not_equal: ("__ne__", "__ne__"),
}
"""The ufuncs behind Python's binary operators, with the Tensor methods for a tensor first and second:
what ``array op tensor`` becomes (:meth:`Tensor.__array_ufunc__`)."""


_STATE = tuple(name for name in Tensor.__slots__ if name not in ("_seq", "_hooks", "__weakref__"))
"""The slots a leaf has set (``_seq`` belongs to recorded nodes; hooks are not copied, as in PyTorch)."""


def _rebuilt_leaf(cls: type, data: np.ndarray, requires_grad: bool, label: str, extra: dict | None) -> Tensor:
    """A leaf of class ``cls`` holding ``data``: what an unpickled or copied tensor becomes."""
    builtin = _BUILTIN_DTYPES.get(data.dtype)
    if builtin is not None and data.dtype is not builtin:  # unpickling copies the dtype object
        data = data.view(builtin)
    out = _constant(data, cls)
    out._requires_grad = requires_grad
    out.label = label
    if extra:
        out.__dict__.update(extra)
    return out


def _constant(data: np.ndarray, cls: type = Tensor) -> Tensor:
    """A leaf that does not require grad, built without ``__init__``'s checks: ``data`` is an array."""
    out = _new(cls)
    out.data = data
    out._grad = None
    out._requires_grad = False
    out.label = ""
    out._parents = ()
    out._op = None
    out._ctx = None
    out._retains_grad = False
    return out


def result(data: np.ndarray, parents: tuple, op: TensorOp, ctx: Any = None, macs: int = 0) -> Tensor:
    """Wrap the output of a primitive, recording it in the graph when any input requires grad.

    Parameters
    ----------
    data : numpy.ndarray
        The primitive's output.
    parents : tuple of Tensor
        Its tensor inputs, in argument order (constants included, so that pictures show them).
    op : TensorOp
        The primitive, whose rule will run in the backward pass.
    ctx : object, optional
        What the rule needs beyond the parents and the output (an axis, a mask, ...).
    macs : int, optional
        Multiply-adds the primitive did, for :func:`autograd.count_ops` (matmul, einsum, convolution).

    Examples
    --------
    >>> import numpy as np
    >>> from autograd.tensor import Tensor, TensorOp, result
    >>> DOUBLE = TensorOp("double", lambda node, g: (g * 2,))
    >>> x = Tensor([1.0], requires_grad=True)
    >>> y = result(x.data * 2, (x,), DOUBLE)
    >>> y.sum().backward(); x.grad.numpy()
    array([2.], dtype=float32)
    """
    if type(data) is not np.ndarray:  # numpy gives a scalar for 0-d results; .data is always an array
        data = np.asarray(data)
    out = _new(Tensor)
    out.data = data
    out._grad = None
    out.label = ""
    out._retains_grad = False
    recorded = False
    if grad_enabled():
        for p in parents:
            if p._requires_grad:  # one input that requires grad is enough
                recorded = True
                out._requires_grad = True
                out._parents = parents
                out._op = op
                out._ctx = ctx
                out._seq = _next_seq()
                break
    if not recorded:  # a constant as far as any later backward pass can tell
        out._requires_grad = False
        out._parents = ()
        out._op = None
        out._ctx = None
    if counting._stack:
        counting._stack[-1].record_tensor_op(op.name, elements=data.size, macs=macs)
    return out


def as_tensor(x: Any, like: Tensor | None = None) -> Tensor:
    """Return ``x`` if it is a Tensor, otherwise a constant Tensor holding it.

    A Python number next to a tensor takes that tensor's dtype (numpy's rule for Python scalars),
    so ``x_float32 * 2.0`` stays float32; a Python float next to an integer or bool tensor takes the
    default dtype.

    Examples
    --------
    >>> from autograd.tensor import Tensor, as_tensor
    >>> as_tensor(2.0, like=Tensor([1.0])).dtype
    dtype('float32')
    """
    if isinstance(x, Tensor):
        return x
    if like is not None and isinstance(x, (int, float)) and not isinstance(x, bool):
        kind = like.data.dtype.kind
        if kind == "f" or (kind in "iu" and isinstance(x, int)):
            return _constant(np.asarray(x, dtype=like.data.dtype))
        if kind in "iub" and isinstance(x, float):
            return _constant(np.asarray(x, dtype=get_default_dtype()))
    return _constant(_as_array(x, None, "tensor"))


def constant_like(array: Any, like: Any) -> Any:
    """A constant (no-grad) Tensor holding ``array`` in the dtype of ``like``; a numpy array when
    ``like`` is one.

    Backward rules and layers use it for masks and coefficients, so that a float32 computation stays
    float32. Taking arrays too lets a rule that multiplies its gradient by such a constant serve as its
    own array rule.

    Examples
    --------
    >>> from autograd.tensor import Tensor, constant_like
    >>> constant_like([1, 0], Tensor([2.0, 3.0])).dtype
    dtype('float32')
    """
    if isinstance(like, Tensor):
        return as_tensor(np.asarray(array, dtype=like.data.dtype))
    return np.asarray(array, dtype=like.dtype)


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` down to ``shape``, undoing numpy broadcasting (the one place this is done).

    Parameters
    ----------
    grad : Tensor or numpy.ndarray
        A gradient with the broadcast shape: a Tensor in a rule, an array in an array rule. The result
        is of the same kind.
    shape : tuple of int
        The operand's shape.

    Examples
    --------
    >>> from autograd import ones
    >>> unbroadcast(ones(4, 2, 3), (2, 1)).shape
    (2, 1)
    """
    gshape = grad.data.shape if isinstance(grad, Tensor) else grad.shape
    if gshape == shape:
        return grad
    lead = len(gshape) - len(shape)
    if lead < 0:
        raise ValueError(f"unbroadcast: gradient shape {gshape} has fewer dimensions than operand {shape}")
    kept = tuple(lead + i for i, n in enumerate(shape) if n == 1 and gshape[lead + i] != 1)
    if not kept:  # only added leading axes (a bias, say): summing them away leaves the shape
        if lead == 1 and type(grad) is np.ndarray and grad.ndim == 2 and grad.dtype.kind == "f":
            return sum_rows(grad)
        return grad.sum(tuple(range(lead)))
    return grad.sum(tuple(range(lead)) + kept, keepdims=True).reshape(shape)


def sum_rows(a: np.ndarray) -> np.ndarray:
    """The sum of the rows of a 2-D floating-point array (``a.sum(axis=0)``), as a matrix-vector product.

    BLAS computes ``ones @ a`` about twice as fast as numpy sums down the columns, and every bias
    gradient of a batch is such a sum.

    Examples
    --------
    >>> import numpy as np
    >>> sum_rows(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([4., 6.])
    """
    return _ones(a.shape[0], a.dtype) @ a


@functools.lru_cache(maxsize=16)
def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    ones = np.ones(n, dtype=dtype)
    ones.flags.writeable = False  # shared between calls
    return ones


_SMALL = 1 << 16


def broadcast_array(array: Any, shape: tuple[int, ...]) -> np.ndarray:
    """``array`` broadcast to ``shape``, for array rules.

    A small result is a fresh copy: the gradients of a backward pass are mostly small, and a copy costs
    less than building a broadcast view (``np.broadcast_to`` runs several microseconds of Python). A large
    one is a read-only view, which costs no memory.

    Examples
    --------
    >>> import numpy as np
    >>> broadcast_array(np.float32(2.0), (2, 3)).tolist()
    [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]
    """
    if math.prod(shape) > _SMALL:
        return np.broadcast_to(array, shape)
    out = np.empty(shape, dtype=array.dtype)
    out[...] = array
    return out


def tensor(data: ArrayLike, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Create a Tensor from a copy of ``data``, as ``torch.tensor`` does (``Tensor(array)`` wraps the
    array itself, without copying).

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import tensor
    >>> a = np.zeros(2)
    >>> t = tensor(a); t.data[0] = 1.0; a.tolist()
    [0.0, 0.0]
    """
    if requires_grad is not False and type(requires_grad) is not bool:
        raise _requires_grad_error("tensor", data, requires_grad, dtype)
    if isinstance(data, Tensor):
        data = data.data
    if not isinstance(data, (list, tuple, int, float, bool)):
        # arrays, numpy scalars and anything with __array__ or the buffer protocol (a torch tensor, a
        # memoryview) are copied; Python numbers and lists become fresh arrays anyway, with their own
        # dtype rules (Python floats give the default dtype)
        data = np.asarray(data).copy()  # asarray then copy: np.array(copy=True) warns on old __array__s
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)
