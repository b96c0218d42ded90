"""What a data owner reads of a dbt test in the Dagster UI: a short name (`not_null__project_id`
rather than dbt's `not_null_fct_project_progress_project_id`) and a description in Chinese and
English. dagster-dbt names a check after the test node of the manifest it is given, at
definition and at run time alike, so the manifest's test nodes are renamed here."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

DESCRIPTIONS = {
    "not_null": "{column} 不为空 / {column} is never empty",
    "not_null_columns": "{columns} 均不为空 / none of {columns} is ever empty",
    "unique": "{column} 不重复 / {column} is unique",
    "unique_combination_of_columns": "每个 ({columns}) 仅一行 / one row per ({columns})",
    "relationships": "{column} 均见于 {to}.{field} / every {column} is a {field} of {to}",
    "accepted_values": "{column} 取值限于 {values} / {column} is one of {values}",
    "at_least": "{column} 不小于 {value} / {column} is at least {value}",
    "not_above": (
        "{column} 不大于 {other_column}{plus} / {column} is not above {other_column}{plus}"
    ),
    "value_absent_where_held": (
        "保密状态非F的数值为空、F的不为空 / a value is empty exactly where {column} holds it"
    ),
}


def _kwargs(test: Mapping[str, Any]) -> dict[str, Any]:
    kwargs = dict(test["test_metadata"].get("kwargs", {}))
    for key in ("combination_of_columns", "column_names"):
        if key in kwargs:
            kwargs["columns"] = ", ".join(kwargs[key])
    if "to" in kwargs:  # "ref('dim_board')"
        kwargs["to"] = re.sub(r"^ref\(['\"](.+?)['\"]\)$", r"\1", kwargs["to"])
    if "values" in kwargs:
        kwargs["values"] = "、".join(map(str, kwargs["values"]))
    kwargs["column"] = kwargs.get("column_name")
    tolerance = kwargs.get("tolerance")
    kwargs["plus"] = f" + {tolerance}" if tolerance else ""
    return kwargs


def short_name(test: Mapping[str, Any]) -> str:
    """`<test>__<column>`; a key of several columns is `unique_key`, the columns a model
    always fills `not_null`."""
    kind = test["test_metadata"]["name"]
    if kind == "unique_combination_of_columns":
        return "unique_key"
    if kind == "not_null_columns":
        return "not_null"
    return f"{kind}__{test['test_metadata']['kwargs'].get('column_name', '')}".strip("_")


def description(test: Mapping[str, Any]) -> str:
    """The test's own description if it has one, else what the generic test asks."""
    own = test.get("description") or test.get("config", {}).get("meta", {}).get("description")
    if own:
        return own
    template = DESCRIPTIONS.get(test["test_metadata"]["name"])
    if template is None:
        return f"dbt test {test['test_metadata']['name']}"
    return template.format(**_kwargs(test))


def readable(manifest: dict[str, Any]) -> dict[str, Any]:
    """Give each generic test of the manifest (changed in place, and returned) its short name
    and description; a name two tests of one model would share gets a number
    (`accepted_values__scope_type_2`)."""
    tests = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("test_metadata")
    ]
    seen: Counter = Counter()
    for test in sorted(tests, key=lambda t: t["unique_id"]):
        name = short_name(test)
        seen[test.get("attached_node"), name] += 1
        count = seen[test.get("attached_node"), name]
        meta = test.setdefault("meta", {})
        meta["description"] = description(test)
        test["name"] = name if count == 1 else f"{name}_{count}"
    return manifest
