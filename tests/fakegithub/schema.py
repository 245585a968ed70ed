"""GitHub's published GraphQL schema (tests/github_schema) and validation of queries against it.

The stand-in answers a query that fails validation the way GitHub does: HTTP 200, no `data`,
one error per problem (message, locations, `extensions.code`). graphql-core's standard rules are
the ones graphql-js (and GitHub) apply: unknown fields and arguments, wrong argument and variable
types, unused or undefined variables and fragments, and fields that cannot merge (`state` asked
for on both Issue and PullRequest under one name).
"""

from __future__ import annotations

import gc
import re
from functools import cache
from pathlib import Path
from typing import Any

import graphql

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "github_schema"
SCHEMA_FILE = SCHEMA_DIR / "schema.graphql"


def schema_version() -> str:
    return (SCHEMA_DIR / "VERSION").read_text(encoding="utf-8").strip()


@cache
def github_schema() -> graphql.GraphQLSchema:
    built = graphql.build_schema(SCHEMA_FILE.read_text(encoding="utf-8"), assume_valid_sdl=True)
    # Hundreds of thousands of long-lived objects: keep them out of the cyclic collector, whose
    # full passes would otherwise stall the stand-in's answers past short client timeouts.
    gc.collect()
    gc.freeze()
    return built


def validate(query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """GitHub's error objects for `query` (and its variables); [] when GitHub would run it."""
    schema = github_schema()
    try:
        document = graphql.parse(query)
    except graphql.GraphQLError as e:
        return [_error(e, "parseError")]
    errors = [_error(e, "validationError") for e in graphql.validate(schema, document)]
    if errors:
        return errors
    ops = [d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)]
    if len(ops) != 1:
        return [{"message": "This endpoint expects exactly one operation"}]
    coerced = graphql.execution.values.get_variable_values(
        schema, ops[0].variable_definitions or [], variables or {}
    )
    if isinstance(coerced, list):
        return [_error(e, "variableMismatch") for e in coerced]
    return []


#: graphql-js wording → GitHub's (graphql-ruby) wording, for the messages tests look for.
_RUBY_WORDING = (
    (re.compile(r"Cannot query field '(\w+)' on type '(\w+)'\..*"), r"Field '\1' doesn't exist on type '\2'"),
    (re.compile(r"Variable '\$(\w+)' is never used in operation '(\w+)'\."),
     r"Variable $\1 is declared by \2 but not used"),
    (re.compile(r"Fragment '(\w+)' is never used\."), r"Fragment \1 was defined, but not used"),
)


def _error(e: graphql.GraphQLError, code: str) -> dict[str, Any]:
    message = e.message
    for pattern, ruby in _RUBY_WORDING:
        message = pattern.sub(ruby, message)
    out: dict[str, Any] = {"message": message, "extensions": {"code": code}}
    if e.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in e.locations]
    return out


NODE_LIMIT = 500_000


def cost(query: str, variables: dict[str, Any] | None = None) -> tuple[int, int]:
    """(rateLimit.cost, possible nodes) of a valid query, computed as GitHub documents it.

    Every connection is assumed to reach its `first`/`last`; a connection inside another needs
    one request per parent node. The cost is the requests needed divided by 100, rounded, at
    least 1; the node count is the sum over connections of the nodes they can return.
    """
    document = graphql.parse(query)
    frags = {d.name.value: d for d in document.definitions
             if isinstance(d, graphql.FragmentDefinitionNode)}
    ops = [d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)]
    given = variables or {}
    requests = nodes = 0

    def size(field: graphql.FieldNode) -> int | None:
        for arg in field.arguments or ():
            if arg.name.value in ("first", "last"):
                v = arg.value
                if isinstance(v, graphql.VariableNode):
                    got = given.get(v.name.value)
                    return int(got) if isinstance(got, int) else None
                if isinstance(v, graphql.IntValueNode):
                    return int(v.value)
        return None

    def walk(sel: graphql.SelectionSetNode | None, parents: int, seen: frozenset[str]) -> None:
        nonlocal requests, nodes
        for s in (sel.selections if sel else ()):
            if isinstance(s, graphql.FieldNode):
                n = size(s)
                if n is None:
                    walk(s.selection_set, parents, seen)
                else:
                    requests += parents
                    nodes += parents * n
                    walk(s.selection_set, parents * n, seen)
            elif isinstance(s, graphql.InlineFragmentNode):
                walk(s.selection_set, parents, seen)
            elif isinstance(s, graphql.FragmentSpreadNode) and s.name.value not in seen:
                frag = frags.get(s.name.value)
                if frag is not None:
                    walk(frag.selection_set, parents, seen | {s.name.value})

    for op in ops:
        walk(op.selection_set, 1, frozenset())
    return max(1, round(requests / 100)), nodes
