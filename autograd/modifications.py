"""Which arrays were changed in place, and when: the check that a backward pass differentiates the values
its forward pass used.

The backward rules read their operands' arrays when the pass runs, not copies taken by the forward pass,
so an array changed in place in between would silently give a wrong gradient. PyTorch counts versions of
each tensor for this; here every in-place change (the ``*_`` methods, ``x[i] = v``, ``+=`` on a tensor,
the optimizers' steps, the initialisers of :mod:`nn.init`, ``load_state_dict``) stamps the array's memory
with the engine's creation counter, and a backward pass refuses any node created before a stamp on one
of the arrays it reads. Views share the stamp of the memory they look into, as they share PyTorch's
version counter. Writing through ``.data`` directly bypasses the check, as it does in PyTorch.

Costs: nothing per operation; one comparison per backward pass while nothing has been changed in place
since the graph was recorded, which is the usual case of a training loop (the optimizer's step comes
before the next forward pass).
"""

from __future__ import annotations

import weakref
from typing import Any, Sequence

import numpy as np

from . import engine  # engine imports this module too: its names are looked up when used

LATEST = -1
"""The creation number of the latest in-place change (-1: none yet). The backward pass compares it with
its nodes' numbers before looking any further."""

_CHANGED: dict[int, tuple[int, str, weakref.ref]] = {}
"""id of the array that owns a block of memory -> (creation number of its latest in-place change, what
changed it, a weak reference that forgets the entry when the array dies)."""


def owner(array: np.ndarray) -> np.ndarray:
    """The array whose memory ``array`` shows: itself, or the base of a view.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.zeros(4)
    >>> owner(a[1:].reshape(3, 1)) is a
    True
    """
    base = array.base
    while isinstance(base, np.ndarray):
        array, base = base, base.base
    return array


def record_change(array: np.ndarray, what: str) -> None:
    """Stamp ``array``'s memory as changed in place now, by the operation ``what``.

    Every in-place write of the library calls this before it writes; code that writes into a tensor's
    ``.data`` itself may call it too, so that a backward pass through values used before the write
    raises instead of computing a wrong gradient.

    Parameters
    ----------
    array : numpy.ndarray
        The array about to be changed (a tensor's ``.data``, or a view of it).
    what : str
        The operation, named in the error of a backward pass that would read the changed values.

    Examples
    --------
    >>> from autograd import tensor
    >>> w = tensor([1.0, 2.0], requires_grad=True)
    >>> loss = (w * w).sum()
    >>> record_change(w.data, "my_update")
    >>> try:
    ...     loss.backward()
    ... except RuntimeError as error:
    ...     print(str(error)[:53])
    backward: 'mul' needs the values of its first operand
    """
    global LATEST
    memory = owner(array)
    key = id(memory)
    LATEST = engine.next_sequence_number()
    entry = _CHANGED.get(key)
    if entry is not None and entry[2]() is memory:
        ref = entry[2]
    else:
        ref = weakref.ref(memory, _forgetter(key, _CHANGED))
    _CHANGED[key] = (LATEST, what, ref)


_RESHAPED: dict[int, tuple[int, str, weakref.ref]] = {}
"""id of a tensor whose shape an in-place method changed (``squeeze_``, ``t_``, ...) -> (creation number of
the change, the method, a weak reference to the tensor). Rules that read only shapes read them from their
operands when the backward pass runs, so a node recorded before such a change cannot be differentiated."""


def record_shape_change(tensor: Any, what: str) -> None:
    """Stamp ``tensor`` as given a new shape in place now, by the method ``what``, and its memory as
    changed (as PyTorch's ``squeeze_`` and ``t_`` bump the version counter).

    A backward pass through any node recorded before the change that has ``tensor`` as its output, or as
    an operand that requires grad, then raises, whether or not its rule reads values (a rule that reads
    the values of a constant operand meets the stamp on its memory).

    Examples
    --------
    >>> from autograd import tensor
    >>> w = tensor([[1.0, 2.0]], requires_grad=True)
    >>> loss = (w + 1).sum()
    >>> record_shape_change(w, "my_squeeze")
    >>> try:
    ...     loss.backward()
    ... except RuntimeError as error:
    ...     print(str(error)[:51])
    backward: 'add' was recorded with its first operand
    """
    record_change(tensor.data, what)
    key = id(tensor)
    _RESHAPED[key] = (LATEST, what, weakref.ref(tensor, _forgetter(key, _RESHAPED)))


_DETACHED: dict[int, tuple[int, str, weakref.ref]] = {}
"""id of a tensor computed by an operation that ``detach_()`` made a leaf -> (creation number of the change,
what changed it, a weak reference to the tensor). The nodes recorded before that used it as an operand
can no longer pass its gradient on to the operations behind it."""


def record_detach(tensor: Any, what: str) -> None:
    """Stamp ``tensor``, computed by an operation, as cut from its graph now by ``what`` (``detach_()``):
    a backward pass through a node recorded before the change that has ``tensor`` as an operand raises,
    rather than silently giving no gradient to what ``tensor`` was computed from.

    Examples
    --------
    >>> from autograd import tensor
    >>> h = tensor([1.0, 2.0], requires_grad=True) * 2
    >>> loss = (h * 3).sum()
    >>> record_detach(h, "my_detach")
    >>> try:
    ...     loss.backward()
    ... except RuntimeError as error:
    ...     print(str(error)[:48])
    backward: 'mul' was recorded with its first oper
    """
    global LATEST
    LATEST = engine.next_sequence_number()
    key = id(tensor)
    _DETACHED[key] = (LATEST, what, weakref.ref(tensor, _forgetter(key, _DETACHED)))


def _check_detached(node: Any, seq: int) -> None:
    for position, tensor in enumerate(node._parents, 1):
        entry = _DETACHED.get(id(tensor))
        if entry is not None and entry[0] > seq and entry[2]() is tensor:
            raise RuntimeError(
                f"backward: {node._op.name!r} was recorded with its {_ordinal(position)} operand computed by "
                f"an operation, which {entry[1]} cut from the graph after {node._op.name!r} used it, so no "
                "gradient could reach what it was computed from; expected the graph the forward pass "
                "recorded: call backward() before detach_(), or use x.detach() for a new tensor"
            )


def _forgetter(key: int, table: dict) -> Any:
    """The weak reference callback that drops ``table[key]`` when its object dies."""

    def forget(ref: weakref.ref) -> None:
        entry = table.get(key)
        if entry is not None and entry[2] is ref:  # not an entry of a later object with the same id
            del table[key]

    return forget


def _check_shapes(node: Any, seq: int) -> None:
    for position, tensor in enumerate((node, *node._parents)):
        if position and not tensor._requires_grad:
            # a constant operand's shape goes into no gradient, and rules that read its values meet the
            # stamp on its memory
            continue
        entry = _RESHAPED.get(id(tensor))
        if entry is not None and entry[0] > seq and entry[2]() is tensor:
            role = f"its {_ordinal(position)} operand" if position else "its own output"
            raise RuntimeError(
                f"backward: {node._op.name!r} was recorded with {role} of another shape, which {entry[1]} "
                f"changed in place (to {tensor.data.shape}) after {node._op.name!r} used it, so its gradient "
                "would be wrong; expected the shapes the forward pass saw: change the shape after "
                "backward(), or use the out-of-place form (such as x = x.squeeze()) for a new tensor"
            )


def check(order: Sequence[Any]) -> None:
    """Raise if any node of ``order`` (a backward pass's interior nodes) would read values changed in
    place after it was created: its operands', its own, or those of an index, mask or condition it saved.

    Nodes of operations whose rules read only shapes (``reads_values`` False on their op: add, sum,
    reshape, indexing, ...) are let through, as PyTorch lets them through, unless an operand's shape (or
    the node's own) was changed in place since (:func:`record_shape_change`); the arrays they saved (the
    index of an indexing) are checked all the same.

    Raises
    ------
    RuntimeError
        Naming the operation whose gradient needs the values, the changed tensor's shape and dtype, and
        the in-place operation that changed it.
    """
    latest = LATEST
    for node in order:
        seq = node._seq
        if seq > latest or not isinstance(node.data, np.ndarray):
            continue  # recorded after every change, or a Value (its numbers never change in place)
        if _RESHAPED:
            _check_shapes(node, seq)
        if _DETACHED:
            _check_detached(node, seq)
        for array in _saved_arrays(node._ctx):
            _check_array(node, seq, array, "an array it saved (an index, mask or condition)")
        if not getattr(node._op, "reads_values", True):
            continue
        for position, tensor in enumerate((node, *node._parents)):
            _check_array(node, seq, tensor.data, f"its {_ordinal(position)} operand" if position
                         else "its own output")


def _saved_arrays(ctx: Any) -> list:
    """The numpy arrays among what a node saved: its context itself, or the items of a tuple or list in it
    (an index is a tuple of arrays), two levels deep."""
    if isinstance(ctx, np.ndarray):
        return [ctx]
    if not isinstance(ctx, (tuple, list)):
        return []
    found = []
    for item in ctx:
        if isinstance(item, np.ndarray):
            found.append(item)
        elif isinstance(item, (tuple, list)):
            found += [x for x in item if isinstance(x, np.ndarray)]
    return found


def _ordinal(position: int) -> str:
    return ("first", "second", "third")[position - 1] if position <= 3 else f"{position}th"


def _check_array(node: Any, seq: int, data: np.ndarray, role: str) -> None:
    entry = _CHANGED.get(id(owner(data)))
    if entry is not None and entry[0] > seq:
        raise RuntimeError(
            f"backward: {node._op.name!r} needs the values of {role} ({data.dtype}, shape {data.shape}), "
            f"which {entry[1]} changed in place after {node._op.name!r} used them, so its gradient would be "
            "wrong; expected the values the forward pass saw: change the tensor after backward(), or "
            "change a copy (x.clone())"
        )
