"""A small GraphQL engine for the fake GitHub: parse, validate the way GitHub does, execute.

It understands the language subset real clients send (operations with variables, aliases,
arguments of every literal kind, named and inline fragments) and rejects what GitHub rejects:
unknown fields, unused fragments and variables, undeclared variables, and connections asked for
without `first`/`last` or with more than 100 nodes. The schema is a dict of resolvers per type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>[\s,\ufeff]+|\#[^\n]*)
  | (?P<spread>\.\.\.)
  | (?P<punct>[!$():=@\[\]{}|&])
  | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
  | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
    """,
    re.X,
)


class GraphQLError(Exception):
    def __init__(self, message: str, path: list[Any] | None = None, type_: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.type = type_


@dataclass
class Field:
    name: str
    alias: str
    args: dict[str, Any]
    selections: list[Any] = field(default_factory=list)


@dataclass
class Spread:
    name: str


@dataclass
class Inline:
    type_condition: str | None
    selections: list[Any]


@dataclass
class Var:
    name: str


@dataclass
class Enum:
    value: str


@dataclass
class Operation:
    name: str
    variables: dict[str, str]  # name → type text
    selections: list[Any]


@dataclass
class Fragment:
    name: str
    type_condition: str
    selections: list[Any]


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise GraphQLError(f"Parse error on {text[pos:pos + 10]!r}")
        pos = m.end()
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append((kind, m.group()))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str]:
        return self.toks[self.i] if self.i < len(self.toks) else ("eof", "")

    def take(self, value: str | None = None, kind: str | None = None) -> str:
        k, v = self.peek()
        if (value is not None and v != value) or (kind is not None and k != kind) or k == "eof":
            raise GraphQLError(f"Parse error on \"{v}\" ({k.upper()}), expected {value or kind}")
        self.i += 1
        return v

    def document(self) -> tuple[list[Operation], dict[str, Fragment]]:
        ops: list[Operation] = []
        frags: dict[str, Fragment] = {}
        while self.peek()[0] != "eof":
            k, v = self.peek()
            if v == "{":
                ops.append(Operation("", {}, self.selection_set()))
            elif v in ("query", "mutation"):
                self.take()
                name = self.take(kind="name") if self.peek()[0] == "name" else ""
                variables: dict[str, str] = {}
                if self.peek()[1] == "(":
                    self.take("(")
                    while self.peek()[1] != ")":
                        self.take("$")
                        vname = self.take(kind="name")
                        self.take(":")
                        variables[vname] = self.type_ref()
                        if self.peek()[1] == "=":
                            self.take("=")
                            self.value()
                    self.take(")")
                ops.append(Operation(name, variables, self.selection_set()))
            elif v == "fragment":
                self.take()
                name = self.take(kind="name")
                self.take("on")
                cond = self.take(kind="name")
                frags[name] = Fragment(name, cond, self.selection_set())
            else:
                raise GraphQLError(f"Parse error on \"{v}\" ({k.upper()})")
        return ops, frags

    def type_ref(self) -> str:
        if self.peek()[1] == "[":
            self.take("[")
            inner = self.type_ref()
            self.take("]")
            text = f"[{inner}]"
        else:
            text = self.take(kind="name")
        if self.peek()[1] == "!":
            self.take("!")
            text += "!"
        return text

    def selection_set(self) -> list[Any]:
        self.take("{")
        out: list[Any] = []
        while self.peek()[1] != "}":
            if self.peek()[0] == "spread":
                self.take()
                if self.peek()[1] == "on":
                    self.take("on")
                    cond = self.take(kind="name")
                    out.append(Inline(cond, self.selection_set()))
                elif self.peek()[1] == "{":
                    out.append(Inline(None, self.selection_set()))
                else:
                    out.append(Spread(self.take(kind="name")))
                continue
            name = self.take(kind="name")
            alias = name
            if self.peek()[1] == ":":
                self.take(":")
                name = self.take(kind="name")
            args: dict[str, Any] = {}
            if self.peek()[1] == "(":
                self.take("(")
                while self.peek()[1] != ")":
                    key = self.take(kind="name")
                    self.take(":")
                    args[key] = self.value()
                self.take(")")
            sels = self.selection_set() if self.peek()[1] == "{" else []
            out.append(Field(name, alias, args, sels))
        self.take("}")
        return out

    def value(self) -> Any:
        k, v = self.peek()
        if v == "$":
            self.take("$")
            return Var(self.take(kind="name"))
        if k == "number":
            self.take()
            return float(v) if any(c in v for c in ".eE") else int(v)
        if k == "string":
            self.take()
            return _unescape(v[1:-1])
        if v == "[":
            self.take("[")
            items = []
            while self.peek()[1] != "]":
                items.append(self.value())
            self.take("]")
            return items
        if v == "{":
            self.take("{")
            obj = {}
            while self.peek()[1] != "}":
                key = self.take(kind="name")
                self.take(":")
                obj[key] = self.value()
            self.take("}")
            return obj
        if k == "name":
            self.take()
            return {"true": True, "false": False, "null": None}.get(v, Enum(v))
        raise GraphQLError(f"Parse error on \"{v}\" ({k.upper()})")


def _unescape(s: str) -> str:
    simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc.startswith("u"):
            return chr(int(esc[1:], 16))
        return simple[esc]

    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", repl, s)


Resolver = Callable[[Any, dict[str, Any], "Context"], tuple[Any, str | None]]


@dataclass
class Context:
    schema: dict[str, dict[str, Resolver]]
    fragments: dict[str, Fragment]
    variables: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)
    state: Any = None


#: Abstract types and the concrete types that satisfy them.
ABSTRACT = {
    "IssueOrPullRequest": {"Issue", "PullRequest"},
    "Actor": {"User", "Bot", "Organization", "Mannequin"},
    "Node": {"Issue", "PullRequest", "IssueComment", "Repository", "User", "Bot"},
}
CONNECTION_FIELDS = {"issues", "comments", "labels", "milestones", "assignees", "search"}


def _resolve_args(args: dict[str, Any], variables: dict[str, Any]) -> dict[str, Any]:
    def conv(v: Any) -> Any:
        if isinstance(v, Var):
            return variables.get(v.name)
        if isinstance(v, Enum):
            return v.value
        if isinstance(v, list):
            return [conv(x) for x in v]
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        return v

    return {k: conv(v) for k, v in args.items()}


def _applies(cond: str | None, type_name: str) -> bool:
    return cond is None or cond == type_name or type_name in ABSTRACT.get(cond, ())


def _collect(selections: list[Any], type_name: str, ctx: Context) -> list[Field]:
    out: list[Field] = []
    for s in selections:
        if isinstance(s, Field):
            out.append(s)
        elif isinstance(s, Spread):
            frag = ctx.fragments.get(s.name)
            if frag is None:
                raise GraphQLError(f"Fragment {s.name} was used, but not defined")
            if _applies(frag.type_condition, type_name):
                out += _collect(frag.selections, type_name, ctx)
        elif isinstance(s, Inline) and _applies(s.type_condition, type_name):
            out += _collect(s.selections, type_name, ctx)
    return out


def execute_selections(
    selections: list[Any], obj: Any, type_name: str, ctx: Context, path: list[Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    resolvers = ctx.schema.get(type_name, {})
    for f in _collect(selections, type_name, ctx):
        if f.name == "__typename":
            out[f.alias] = type_name
            continue
        resolver = resolvers.get(f.name)
        if resolver is None:
            raise GraphQLError(f"Field '{f.name}' doesn't exist on type '{type_name}'")
        args = _resolve_args(f.args, ctx.variables)
        if f.name in CONNECTION_FIELDS:
            first, last = args.get("first"), args.get("last")
            if first is None and last is None:
                raise GraphQLError(
                    f"You must provide a `first` or `last` value to properly paginate the "
                    f"`{f.name}` connection."
                )
            for key, n in (("first", first), ("last", last)):
                if n is not None and not 0 <= n <= 100:
                    raise GraphQLError(
                        f"Requesting {n} records on the `{f.name}` connection exceeds the "
                        f"`{key}` limit of 100 records."
                    )
        try:
            value, value_type = resolver(obj, args, ctx)
        except GraphQLError as e:
            ctx.errors.append({
                "type": e.type or "INVALID", "path": [*path, f.alias],
                "locations": [{"line": 1, "column": 1}], "message": e.message,
            })
            out[f.alias] = None
            continue
        out[f.alias] = _complete(f, value, value_type, ctx, [*path, f.alias])
    return out


def _complete(f: Field, value: Any, value_type: str | None, ctx: Context, path: list[Any]) -> Any:
    if value is None or value_type is None or not f.selections:
        return value
    if isinstance(value, list):
        return [
            None if v is None
            else execute_selections(f.selections, v, _runtime_type(v, value_type), ctx, [*path, i])
            for i, v in enumerate(value)
        ]
    return execute_selections(f.selections, value, _runtime_type(value, value_type), ctx, path)


def _runtime_type(value: Any, declared: str) -> str:
    kind = getattr(value, "graphql_type", None)
    return str(kind) if kind else declared


def _used_variables(selections: list[Any], frags: dict[str, Fragment], seen: set[str]) -> set[str]:
    used: set[str] = set()

    def walk_value(v: Any) -> None:
        if isinstance(v, Var):
            used.add(v.name)
        elif isinstance(v, list):
            for x in v:
                walk_value(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk_value(x)

    for s in selections:
        if isinstance(s, Field):
            for v in s.args.values():
                walk_value(v)
            used |= _used_variables(s.selections, frags, seen)
        elif isinstance(s, Inline):
            used |= _used_variables(s.selections, frags, seen)
        elif isinstance(s, Spread) and s.name not in seen and s.name in frags:
            seen.add(s.name)
            used |= _used_variables(frags[s.name].selections, frags, seen)
    return used


def _spreads(selections: list[Any], frags: dict[str, Fragment], seen: set[str]) -> None:
    for s in selections:
        if isinstance(s, Field | Inline):
            _spreads(s.selections, frags, seen)
        elif isinstance(s, Spread) and s.name not in seen:
            seen.add(s.name)
            if s.name in frags:
                _spreads(frags[s.name].selections, frags, seen)


def run(
    query: str, variables: dict[str, Any] | None, schema: dict[str, dict[str, Resolver]], state: Any
) -> dict[str, Any]:
    """Execute a request body the way GitHub's endpoint answers it: {"data": ..., "errors": ...}."""
    try:
        ops, frags = _Parser(query).document()
        if len(ops) != 1:
            raise GraphQLError("This endpoint expects exactly one operation")
        op = ops[0]
        used_frags: set[str] = set()
        _spreads(op.selections, frags, used_frags)
        for name in frags:
            if name not in used_frags:
                raise GraphQLError(f"Fragment {name} was defined, but not used")
        used = _used_variables(op.selections, frags, set())
        op_name = op.name or "anonymous query"
        for name in op.variables:
            if name not in used:
                raise GraphQLError(f"Variable ${name} is declared by {op_name} but not used")
        for name in used:
            if name not in op.variables:
                raise GraphQLError(f"Variable ${name} is used by {op_name} but not declared")
        given = variables or {}
        for name, type_text in op.variables.items():
            if type_text.endswith("!") and given.get(name) is None:
                raise GraphQLError(f"Variable ${name} of type {type_text} was provided invalid value")
        ctx = Context(schema, frags, dict(given), state=state)
        data = execute_selections(op.selections, None, "Query", ctx, [])
    except GraphQLError as e:
        return {"errors": [{"message": e.message, "locations": [{"line": 1, "column": 1}]}]}
    result: dict[str, Any] = {"data": data}
    if ctx.errors:
        result["errors"] = ctx.errors
    return result
