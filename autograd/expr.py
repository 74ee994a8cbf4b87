"""A safe parser for formulas such as ``1/(w + exp(z + cos(y*x**2)))``, behind the command line.

The text is parsed by Python's :mod:`ast` (which reads code without running it) and checked against a
strict whitelist before anything is evaluated:

- numbers (int and float literals), converted to float at once, so that ``10**10**10`` overflows to
  ``inf`` instead of building a huge integer;
- the variable names given to :func:`parse`, and the constants ``pi`` and ``e``;
- the binary operators ``+ - * / **`` and unary ``-`` and ``+``;
- calls, by bare name and with positional arguments, of the functions of :mod:`autograd.functions`
  (``exp log sin cos tan tanh sigmoid relu leaky_relu abs sqrt softplus``); ``leaky_relu`` may take
  a constant slope as second argument.

Anything else (attribute access, subscripts, lambdas, comprehensions, keyword arguments, strings,
comparisons, boolean operators, unknown names, ...) raises :class:`ExprError` naming the construct and
its column. The checked tree is compiled to a flat list of instructions and evaluated by a loop, so
neither checking nor evaluating recurses on the depth of the formula.
"""

from __future__ import annotations

import ast
import keyword
import math
from typing import Any, Iterable

from . import functions
from .tensor import describe
from .value import Value, _divide, _is_number, _pow

__all__ = ["ExprError", "Expression", "parse", "FUNCTIONS", "CONSTANTS", "MAX_SOURCE_LENGTH"]

MAX_SOURCE_LENGTH = 10_000
"""Longest formula accepted, in characters."""

# Callable names, each with its minimum and maximum number of arguments.
FUNCTIONS: dict[str, tuple[int, int]] = {
    **{
        name: (1, 1)
        for name in ("exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "abs", "sqrt", "softplus")
    },
    "leaky_relu": (1, 2),
}

CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}

_BINARY_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED_BINARY = {
    ast.FloorDiv: "'//' (floor division)",
    ast.Mod: "'%' (modulo)",
    ast.MatMult: "'@' (matrix product)",
    ast.LShift: "'<<' (shift)",
    ast.RShift: "'>>' (shift)",
    ast.BitOr: "'|' (bitwise or)",
    ast.BitXor: "'^' (bitwise xor; use ** for powers)",
    ast.BitAnd: "'&' (bitwise and)",
}
_CONSTRUCTS = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Slice: "slice",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "generator expression",
    ast.BoolOp: "boolean operator",
    ast.Compare: "comparison",
    ast.JoinedStr: "f-string",
    ast.FormattedValue: "f-string",
    ast.Starred: "starred argument",
    ast.IfExp: "conditional expression",
    ast.NamedExpr: "assignment expression (:=)",
    ast.Tuple: "tuple",
    ast.List: "list",
    ast.Set: "set",
    ast.Dict: "dict",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}

# Instructions of the compiled formula (postfix order).
_CONST, _VAR, _NEG, _BIN, _CALL = range(5)


class ExprError(ValueError):
    """A formula outside the accepted grammar, or a bad variable set; nothing has been evaluated."""


def _float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer literal beyond the float range
        return math.inf


def _column(source: str, node: ast.AST) -> str:
    line = getattr(node, "lineno", 1)
    # ast offsets count UTF-8 bytes; people count characters.
    text = source.splitlines()[line - 1] if source.splitlines() else ""
    col = len(text.encode("utf-8")[: getattr(node, "col_offset", 0)].decode("utf-8", "replace")) + 1
    return f"line {line}, column {col}" if "\n" in source.strip() else f"column {col}"


def _snippet(source: str, node: ast.AST) -> str:
    text = ast.get_source_segment(source, node) or ""
    text = " ".join(text.split())
    return repr(text if len(text) <= 40 else text[:37] + "...")


class _Compiler:
    def __init__(self, source: str, variables: tuple[str, ...]) -> None:
        self.source = source
        self.variables = set(variables)
        names = ", ".join(variables) if variables else "none"
        self.hint = (
            f"allowed: numbers, the variables ({names}), pi, e, + - * / **, and calls of "
            + ", ".join(sorted(FUNCTIONS))
        )

    def fail(self, what: str, node: ast.AST) -> ExprError:
        return ExprError(f"{what} is not allowed ({_column(self.source, node)}); {self.hint}")

    def refuse(self, node: ast.AST) -> ExprError:
        if isinstance(node, ast.Constant):
            kinds = {str: "string literal", bytes: "bytes literal", bool: "boolean literal",
                     complex: "complex number"}
            what = kinds.get(type(node.value), f"constant {node.value!r}")
            return self.fail(f"{what} {_snippet(self.source, node)}", node)
        if isinstance(node, ast.BinOp):
            what = _REFUSED_BINARY.get(type(node.op), type(node.op).__name__)
            return self.fail(f"operator {what}", node)
        if isinstance(node, ast.UnaryOp):
            what = "'not'" if isinstance(node.op, ast.Not) else "'~' (bitwise not)"
            return self.fail(f"operator {what}", node)
        what = _CONSTRUCTS.get(type(node), type(node).__name__)
        return self.fail(f"{what} {_snippet(self.source, node)}", node)

    def compile(self, tree: ast.Expression) -> list[tuple]:
        code: list[tuple] = []
        # Iterative post-order walk: (node, children_done). Each node is checked when first seen, so the
        # outermost offending construct is the one reported.
        stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
        while stack:
            node, done = stack.pop()
            if done:
                code.append(self.emit(node))
                continue
            children = self.check(node)
            if children is None:  # a leaf of the formula: compiled directly
                code.append(self.emit(node))
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
        return code

    def check(self, node: ast.AST) -> list[ast.AST] | None:
        """Refuse ``node`` or return the children to compile before it (None for a leaf)."""
        if isinstance(node, ast.Constant):
            if type(node.value) in (int, float):
                return None
            raise self.refuse(node)
        if isinstance(node, ast.Name):
            name = node.id
            if name in self.variables or name in CONSTANTS:
                return None
            if name in FUNCTIONS:
                raise self.fail(f"function {name!r} without a call (write {name}(...))", node)
            raise ExprError(
                f"unknown name {name!r} ({_column(self.source, node)}); expected one of the variables "
                f"({', '.join(sorted(self.variables)) or 'none'}) or the constants pi, e"
            )
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY_SYMBOLS:
                raise self.refuse(node)
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise self.refuse(node)
            return [node.operand]
        if isinstance(node, ast.Call):
            return self.check_call(node)
        raise self.refuse(node)

    def check_call(self, node: ast.Call) -> list[ast.AST]:
        func = node.func
        if not isinstance(func, ast.Name):
            raise self.refuse(func)
        name = func.id
        if name not in FUNCTIONS:
            if name in self.variables:
                raise self.fail(f"call of the variable {name!r}", func)
            raise self.fail(f"call of {name!r}", func)
        if node.keywords:
            kw = node.keywords[0]
            what = "'**' argument unpacking" if kw.arg is None else f"keyword argument {kw.arg!r}"
            raise self.fail(f"{what} in {name}()", kw)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.refuse(arg)
        low, high = FUNCTIONS[name]
        if not low <= len(node.args) <= high:
            expected = str(low) if low == high else f"{low} or {high}"
            raise ExprError(
                f"{name}() takes {expected} argument{'s' if high > 1 else ''}, got {len(node.args)} "
                f"({_column(self.source, node)})"
            )
        if name == "leaky_relu" and len(node.args) == 2:
            # The slope is a number, not a differentiable input: it may not depend on a variable.
            for sub in ast.walk(node.args[1]):
                if isinstance(sub, ast.Name) and sub.id in self.variables:
                    raise self.fail(f"variable {sub.id!r} in the slope of leaky_relu()", sub)
        return list(node.args)

    def emit(self, node: ast.AST) -> tuple:
        if isinstance(node, ast.Constant):
            return (_CONST, _float(node.value))
        if isinstance(node, ast.Name):
            if node.id in self.variables:  # a variable named like a constant is refused by parse()
                return (_VAR, node.id)
            return (_CONST, CONSTANTS[node.id])
        if isinstance(node, ast.BinOp):
            return (_BIN, _BINARY_SYMBOLS[type(node.op)])
        if isinstance(node, ast.UnaryOp):
            return (_NEG,) if isinstance(node.op, ast.USub) else (_NEG, "+")
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        return (_CALL, node.func.id, len(node.args))


def _binary(symbol: str, a: Any, b: Any) -> Any:
    if isinstance(a, float) and isinstance(b, float):
        # Constant sub-formulas: IEEE results (inf, nan) instead of ZeroDivisionError or OverflowError.
        if symbol == "/":
            return _divide(a, b)
        if symbol == "**":
            return _pow(a, b)
    if symbol == "+":
        return a + b
    if symbol == "-":
        return a - b
    if symbol == "*":
        return a * b
    if symbol == "/":
        return a / b
    return a**b


class Expression:
    """A checked formula, ready to be evaluated into a Value graph. Create it with :func:`parse`.

    Attributes
    ----------
    source : str
        The formula as written.
    variables : tuple of str
        The variable names, in the order given to :func:`parse`.
    """

    __slots__ = ("source", "variables", "_code")

    def __init__(self, source: str, variables: tuple[str, ...], code: list[tuple]) -> None:
        self.source = source
        self.variables = variables
        self._code = code

    def __repr__(self) -> str:
        return f"Expression({self.source!r}, variables={self.variables!r})"

    def evaluate(self, **values: Any) -> Value:
        """Build the Value graph of the formula at the given point and return its output.

        Parameters
        ----------
        **values : Value or real number
            One per variable. A number becomes a leaf Value labelled with the variable's name; a Value is
            used as it is (so that its ``.grad`` can be read after ``backward()``).

        Returns
        -------
        Value
            The output node (a leaf Value when the formula has no variables).

        Examples
        --------
        >>> from autograd.expr import parse
        >>> f = parse("x * y + sin(x)", ["x", "y"])
        >>> out = f.evaluate(x=0.0, y=3.0)
        >>> out.backward()
        >>> [(leaf.label, leaf.grad) for leaf in out.parents[0].parents]
        [('x', 4.0), ('y', 0.0)]
        """
        missing = [name for name in self.variables if name not in values]
        extra = sorted(set(values) - set(self.variables))
        if missing or extra:
            got = ", ".join(sorted(values)) or "none"
            raise ExprError(
                f"evaluate: got values for ({got}); expected exactly the variables "
                f"({', '.join(self.variables) or 'none'})"
            )
        env: dict[str, Value] = {}
        for name in self.variables:
            given = values[name]
            if isinstance(given, Value):
                env[name] = given
            elif _is_number(given):
                env[name] = Value(given, label=name)
            else:
                raise TypeError(
                    f"evaluate: got {type(given).__name__} for {name!r}; expected a Value or a real number"
                )
        stack: list[Any] = []
        for instr in self._code:
            kind = instr[0]
            if kind == _CONST:
                stack.append(instr[1])
            elif kind == _VAR:
                stack.append(env[instr[1]])
            elif kind == _NEG:
                if len(instr) == 1:  # unary minus; unary plus changes nothing
                    stack[-1] = -stack[-1]
            elif kind == _BIN:
                b = stack.pop()
                stack[-1] = _binary(instr[1], stack[-1], b)
            else:
                _, name, n_args = instr
                args = stack[len(stack) - n_args :]
                del stack[len(stack) - n_args :]
                stack.append(getattr(functions, name)(*args))
        (result,) = stack
        return result if isinstance(result, Value) else Value(result)


def parse(source: str, variables: Iterable[str] = ()) -> Expression:
    """Check a formula against the whitelist and compile it, without evaluating anything.

    Parameters
    ----------
    source : str
        The formula, in Python syntax, at most :data:`MAX_SOURCE_LENGTH` characters.
    variables : iterable of str
        The names the formula may use as inputs (identifiers, not ``pi``, ``e`` or a function name).

    Returns
    -------
    Expression

    Raises
    ------
    ExprError
        For anything outside the grammar, naming the construct and its column.

    Examples
    --------
    >>> from autograd.expr import parse
    >>> parse("1/(w + exp(z + cos(y*x**2)))", "xyzw").evaluate(x=0.5, y=3.0, z=1, w=1).data > 0
    True
    >>> parse("x.__class__", ["x"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    autograd.expr.ExprError: attribute access 'x.__class__' is not allowed (column 1); allowed: ...
    """
    if not isinstance(source, str):
        raise TypeError(f"parse: got source {describe(source)}; expected a str")
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExprError(
            f"parse: got a formula of {len(source)} characters; expected at most {MAX_SOURCE_LENGTH}"
        )
    if not source.strip():
        raise ExprError("parse: got an empty formula; expected an expression such as 'x * y'")
    names = tuple(dict.fromkeys(variables))  # keep the caller's order, drop repeats
    for name in names:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ExprError(f"parse: got variable name {name!r}; expected a Python identifier")
        if name in FUNCTIONS or name in CONSTANTS:
            raise ExprError(
                f"parse: got variable name {name!r}; expected a name that is not a function or a constant"
            )
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        # Python reports offset 0 for a formula that ends too early.
        where = f"column {exc.offset}" if exc.offset else "end of formula"
        detail = "" if exc.msg == "invalid syntax" else f": {exc.msg}"
        raise ExprError(f"invalid syntax ({where}){detail}") from None
    except (RecursionError, MemoryError):
        raise ExprError("parse: the formula is nested too deeply to be read") from None
    except ValueError as exc:  # e.g. null bytes in the source
        raise ExprError(f"invalid formula: {exc}") from None
    code = _Compiler(source.strip(), names).compile(tree)
    return Expression(source, names, code)
