"""SDMX for exchange: each release version's indicator values as the national statistics
offices, the ECB, Eurostat and the IMF read them, written with pysdmx.

In the version's folder, sdmx/ holds
    structure.xml   SDMX-ML 3.0 structures: the code lists (ids declared in sdmx_codes.yaml,
                    names in Chinese and English), the concepts, the data structure
                    definition DSD_PSW_INDICATOR and the dataflow DF_PSW_INDICATOR;
    data.csv        SDMX-CSV 2.0: one row per released observation;
    data.xml        the same as SDMX-ML 3.0 structure-specific data.
Both XML files are validated against the SDMX schemas (pysdmx[xml] ships them) before the
version is released. A held figure is an observation without a value, CONF_STATUS C; a
figure that changed from the version before is OBS_STATUS R.

pysdmx writes one name per artefact, tagged English: the Chinese names are added as a second
`Name xml:lang="zh"`. It also writes, for an observation-level attribute, the optional
`MeasureRelationship`, which sdmx1 (the second reader of the tests) cannot read; it is left out.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml
from lxml import etree
from pysdmx.io import write_sdmx
from pysdmx.io.format import Format
from pysdmx.io.pd import PandasDataset
from pysdmx.io.xml.doc_validation import validate_doc
from pysdmx.model import (
    Code,
    Codelist,
    Component,
    Components,
    Concept,
    ConceptScheme,
    Dataflow,
    DataStructureDefinition,
    DataType,
    Role,
    Schema,
)
from pysdmx.model.message import Header

CODES_FILE = Path(__file__).with_name("sdmx_codes.yaml")
DSD_ID, DATAFLOW_ID, CONCEPTS_ID = "DSD_PSW_INDICATOR", "DF_PSW_INDICATOR", "CS_PSW"
SDMX_ID = re.compile(r"[A-Za-z0-9_@$\-]+")
NS = {
    "str": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure",
    "com": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DIMENSIONS = ("INDICATOR", "SCOPE_TYPE", "SCOPE", "FREQ", "TIME_PERIOD")
ATTRIBUTES = ("UNIT_MEASURE", "UNIT_MULT", "DECIMALS", "OBS_STATUS", "CONF_STATUS")
COLUMNS = (*DIMENSIONS, "OBS_VALUE", *ATTRIBUTES)


class SdmxInvalid(Exception):
    """A code with no SDMX id, two codes with one id, or a file the schemas reject."""


@cache
def codes() -> dict:
    return yaml.safe_load(CODES_FILE.read_text(encoding="utf-8"))


def scope_id(scope_type: str, scope_code: str) -> str:
    """The SDMX id of a scope: its code, or the id sdmx_codes.yaml declares for it."""
    declared = codes()["scope_ids"].get(scope_type, {})
    if scope_code in declared:
        return declared[scope_code]
    if not SDMX_ID.fullmatch(scope_code):
        raise SdmxInvalid(
            f"scope {scope_type} {scope_code!r} is not an SDMX id: declare its id under "
            f"scope_ids.{scope_type} in {CODES_FILE}"
        )
    return scope_code


class _Names:
    """Each artefact's Chinese name, by its XML element and id, added after pysdmx writes."""

    def __init__(self) -> None:
        self.zh: dict[tuple[str, str, str], str] = {}

    def code(self, codelist: str, id_: str, zh: str | None, en: str | None) -> Code:
        if zh:
            self.zh[("Code", codelist, id_)] = zh
        return Code(id=id_, name=en or zh or id_)

    def codelist(self, id_: str, zh: str, en: str, items: list[Code]) -> Codelist:
        self.zh[("Codelist", "", id_)] = zh
        agency = codes()["agency"]
        return Codelist(id=id_, agency=agency, version=codes()["version"], name=en, items=items)


def _urn(concept: str) -> str:
    c = codes()
    return (
        "urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept="
        f"{c['agency']}:{CONCEPTS_ID}({c['version']}).{concept}"
    )


def structure(conn: duckdb.DuckDBPyConnection, database: str = "draft") -> tuple:
    """The code lists, concepts, data structure and dataflow of the indicator table, from the
    release's catalogue and scopes. Returns (artefacts, the DSD, the Chinese names)."""
    c, names = codes(), _Names()
    release = f"{database}.release"
    indicators = conn.execute(
        f"select indicator_code, indicator_name_zh, indicator_name_en "
        f"from {release}.indicator order by headline_order nulls last, indicator_code"
    ).fetchall()
    scopes = conn.execute(
        f"select scope_type, scope_code, scope_name_zh, scope_name_en from {release}.scope "
        "order by scope_type, scope_order, scope_code"
    ).fetchall()
    seen: dict[str, tuple[str, str]] = {}
    scope_codes = []
    for scope_type, code, zh, en in scopes:
        id_ = scope_id(scope_type, code)
        if id_ in seen:
            raise SdmxInvalid(
                f"SDMX id {id_} stands for two scopes, {seen[id_]} and {(scope_type, code)}: "
                f"declare distinct ids in {CODES_FILE}"
            )
        seen[id_] = (scope_type, code)
        scope_codes.append(names.code("CL_SCOPE", id_, zh or code, en))

    def listed(id_: str, zh: str, en: str, key: str) -> Codelist:
        return names.codelist(
            id_, zh, en, [names.code(id_, k, v["zh"], v["en"]) for k, v in c[key].items()]
        )

    lists = {
        "INDICATOR": names.codelist(
            "CL_INDICATOR", "指标", "Indicators",
            [names.code("CL_INDICATOR", i, zh, en) for i, zh, en in indicators],
        ),
        "SCOPE_TYPE": listed("CL_SCOPE_TYPE", "范围类型", "Scope types", "scope_types"),
        "SCOPE": names.codelist("CL_SCOPE", "范围", "Scopes", scope_codes),
        "FREQ": listed("CL_FREQ", "频率", "Frequencies", "frequencies"),
        "UNIT_MEASURE": names.codelist(
            "CL_UNIT", "计量单位", "Units of measure",
            [names.code("CL_UNIT", u["id"], u["zh"], u["en"]) for u in c["units"].values()],
        ),
        "OBS_STATUS": listed("CL_OBS_STATUS", "观测值状态", "Observation status", "obs_status"),
        "CONF_STATUS": listed(
            "CL_CONF_STATUS", "保密状态", "Confidentiality status", "conf_status"
        ),
    }  # fmt: skip
    concepts = {
        id_: Concept(id=id_, name=text["en"], urn=_urn(id_)) for id_, text in c["concepts"].items()
    }
    for id_, text in c["concepts"].items():
        names.zh[("Concept", "", id_)] = text["zh"]
    scheme = ConceptScheme(
        id=CONCEPTS_ID, agency=c["agency"], version=c["version"], name="psw concepts",
        items=list(concepts.values()),
    )  # fmt: skip
    names.zh[("ConceptScheme", "", CONCEPTS_ID)] = "psw 概念"
    types = {
        "TIME_PERIOD": DataType.PERIOD,
        "OBS_VALUE": DataType.DOUBLE,
        "UNIT_MULT": DataType.INTEGER,
        "DECIMALS": DataType.INTEGER,
    }

    def component(id_: str, role: Role, required: bool) -> Component:
        return Component(
            id=id_, required=required, role=role, concept=concepts[id_],
            local_dtype=types.get(id_, DataType.STRING), local_codes=lists.get(id_),
            attachment_level="O" if role == Role.ATTRIBUTE else None,
        )  # fmt: skip

    dsd = DataStructureDefinition(
        id=DSD_ID, agency=c["agency"], version=c["version"],
        name="Producer services indicators, Wujin District",
        components=Components(
            [component(d, Role.DIMENSION, True) for d in DIMENSIONS]
            + [component("OBS_VALUE", Role.MEASURE, False)]
            + [component(a, Role.ATTRIBUTE, a == "CONF_STATUS") for a in ATTRIBUTES]
        ),
    )  # fmt: skip
    names.zh[("DataStructure", "", DSD_ID)] = "武进区生产性服务业统计指标"
    flow = Dataflow(
        id=DATAFLOW_ID, agency=c["agency"], version=c["version"],
        name="Producer services indicators, Wujin District (monthly release)", structure=dsd,
    )  # fmt: skip
    names.zh[("Dataflow", "", DATAFLOW_ID)] = "武进区生产性服务业统计指标（月度发布）"
    return [*lists.values(), scheme, dsd, flow], dsd, names


def _header(prepared: dt.datetime) -> Header:
    return Header(prepared=prepared, sender=codes()["agency"])


def _bilingual(text: str, names: _Names) -> str:
    """The Chinese names beside pysdmx's English ones, and without MeasureRelationship."""
    tree = etree.fromstring(text.encode("utf-8"))
    for element in tree.findall(".//str:MeasureRelationship", NS):
        element.getparent().remove(element)
    for (tag, parent, id_), zh in names.zh.items():
        for element in tree.iterfind(f".//str:{tag}[@id='{id_}']", NS):
            if tag == "Code" and element.getparent().get("id") != parent:
                continue
            english = element.find("com:Name", NS)
            chinese = etree.Element(f"{{{NS['com']}}}Name")
            chinese.set(XML_LANG, "zh")
            chinese.text = zh
            chinese.tail = english.tail
            english.addnext(chinese)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def observations(
    conn: duckdb.DuckDBPyConnection, month: str, revised: set[tuple[str, str, str]],
    database: str = "draft",
) -> pd.DataFrame:  # fmt: skip
    """Every released observation of the month, in the data structure's columns."""
    rows = conn.execute(
        f"""
        select value.indicator_code, value.scope_type, value.scope_code, value.value,
               value.unit, indicator.decimals, value.conf_status
        from {database}.release.indicator_value as value
        join {database}.release.indicator using (indicator_code)
        where strftime(value.period, '%Y-%m') = ?
        order by indicator.headline_order nulls last, value.indicator_code, value.scope_type,
                 value.scope_code
        """,
        [month],
    ).fetchall()
    units = codes()["units"]
    out = []
    for indicator, scope_type, scope_code, value, unit, places, conf in rows:
        if unit not in units:
            raise SdmxInvalid(f"unit {unit!r} of {indicator} has no SDMX id in {CODES_FILE}")
        out.append(
            {
                "INDICATOR": indicator,
                "SCOPE_TYPE": scope_type,
                "SCOPE": scope_id(scope_type, scope_code),
                "FREQ": "M",
                "TIME_PERIOD": month,
                "OBS_VALUE": value,
                "UNIT_MEASURE": units[unit]["id"],
                "UNIT_MULT": units[unit]["multiplier"],
                "DECIMALS": places,
                "OBS_STATUS": "R" if (indicator, scope_type, scope_code) in revised else "A",
                "CONF_STATUS": "C" if conf != "F" else "F",
            }
        )
    return pd.DataFrame(out, columns=list(COLUMNS))


def write_version(
    conn: duckdb.DuckDBPyConnection,
    month: str,
    version: int,
    folder: Path,
    revised: set[tuple[str, str, str]],
    prepared: dt.datetime | None = None,
) -> list[Path]:
    """structure.xml, data.csv and data.xml of one release version, the XML validated."""
    prepared = prepared or dt.datetime.now(dt.UTC)
    folder.mkdir(parents=True, exist_ok=True)
    artefacts, dsd, names = structure(conn)
    text = _bilingual(
        write_sdmx(artefacts, Format.STRUCTURE_SDMX_ML_3_0, header=_header(prepared)), names
    )
    data = observations(conn, month, revised)
    schema = Schema(
        context="dataflow", agency=dsd.agency, id=DATAFLOW_ID, version=dsd.version,
        components=dsd.components,
    )  # fmt: skip
    dataset = PandasDataset(structure=schema, data=data)
    data_xml = write_sdmx([dataset], Format.DATA_SDMX_ML_3_0, header=_header(prepared))
    for name, xml in (("structure.xml", text), ("data.xml", data_xml)):
        try:
            validate_doc(xml)
        except Exception as error:  # pysdmx's Invalid, with the schema's messages
            raise SdmxInvalid(f"{month} v{version} {name}: {error}") from error
    files = {
        "structure.xml": text,
        "data.xml": data_xml,
        "data.csv": write_sdmx([dataset], Format.DATA_SDMX_CSV_2_0_0),
    }
    paths = []
    for name, content in files.items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    return paths
