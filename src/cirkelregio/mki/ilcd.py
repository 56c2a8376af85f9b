# SPDX-License-Identifier: EUPL-1.2
"""Reading one EPD in the ILCD+EPD XML format (the ILCD process data set with the EPD
extension, as published by EPD programmes such as ÖKOBAUDAT and EPD Norge) into one
environmental profile with EN 15804+A2 indicator codes.

What is read:

- the name (``processInformation/dataSetInformation/name/baseName``, English first)
  and the UUID (``common:UUID``), which becomes the profile code unless one is given;
- the reference flow (``quantitativeReference/referenceToReferenceFlow`` names the
  exchange by ``dataSetInternalID``): its ``meanAmount`` and its unit, from an inline
  ``epd:referenceToUnitGroupDataSet`` or flow property reference, unless a unit is
  given;
- every ``LCIAResults/LCIAResult``: the indicator from the ``common:shortDescription``
  (or the UUID) of ``referenceToLCIAMethodDataSet``, and the values per module from
  ``common:other/epd:amount`` (attribute ``epd:module``; with several scenarios for a
  module, the one marked ``epd:default="true"``). ``ND``, ``MND`` and ``MNR`` (not
  declared) are skipped.

Security: the file is parsed with the standard library's expat parser, refusing any
document type declaration, so no entity can be declared, expanded or fetched (no
"billion laughs", no external entities). Every element keeps its line number, so a
problem names the file, the line and the field.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

from cirkelregio.engine.dataio import Collector, Problem
from cirkelregio.engine.mki import MODULES

MAX_BYTES = 20 * 1024 * 1024

# EN 15804+A2 indicators as ILCD+EPD data sets name them, mapped to the indicator codes
# of the nmd-a2 weighting set (docs/mki-method.md).
# Source: the indicator list of EN 15804:2012+A2:2019 (core environmental impact
# indicators, table 3, and additional impact indicators, table 4), with the names and
# LCIA method UUIDs published by the InData working group as authoritative identifiers
# of the ILCD+EPD format ("EN15804+A2 (EF3.0) indicators" and "EN15804+A2 (EF3.1)
# indicators", github.com/InDataWG/ILCD-EPD-Data-Format, doc/identifiers). Names are
# matched case-insensitively with punctuation and spacing normalised. A name that is
# not in the list is matched by the code in brackets at its end only where that code
# is an A2 code no EN 15804+A1 indicator shares: "(AP)", "(ODP)", "(POCP)", "(ADPE)"
# and "(ADPF)" also end A1 names, in other units, and are never guessed.
A2_INDICATORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # code: ((names...), (LCIA method UUIDs: EF 3.0, EF 3.1 where it differs))
    "GWP-total": (
        ("Global Warming Potential - total (GWP-total)",),
        (
            "6a37f984-a4b3-458a-a20a-64418c145fa2",
            "a7ea142a-9749-11ed-a8fc-0242ac120002",
        ),
    ),
    "GWP-fossil": (
        ("Global Warming Potential - fossil fuels (GWP-fossil)",),
        (
            "5f635281-343e-44fb-83df-1971b155e6b6",
            "a7ea19c0-9749-11ed-a8fc-0242ac120002",
        ),
    ),
    "GWP-biogenic": (
        ("Global Warming Potential - biogenic (GWP-biogenic)",),
        (
            "2356e1ab-0185-4db5-86e5-16de51c7485c",
            "a7ea186c-9749-11ed-a8fc-0242ac120002",
        ),
    ),
    "GWP-luluc": (
        ("Global Warming Potential - land use and land use change (GWP-luluc)",),
        (
            "4331bbdb-978a-490d-8707-eeb047f01a55",
            "a7ea1ae2-9749-11ed-a8fc-0242ac120002",
        ),
    ),
    "ODP": (
        ("Depletion potential of the stratospheric ozone layer (ODP)",),
        ("b5c629d6-def3-11e6-bf01-fe55135034f3",),
    ),
    "AP": (
        ("Acidification potential, Accumulated Exceedance (AP)",),
        ("b5c611c6-def3-11e6-bf01-fe55135034f3",),
    ),
    "EP-freshwater": (
        ("Eutrophication potential - freshwater (EP-freshwater)",),
        ("b53ec18f-7377-4ad3-86eb-cc3f4f276b2b",),
    ),
    "EP-marine": (
        ("Eutrophication potential - marine (EP-marine)",),
        ("b5c619fa-def3-11e6-bf01-fe55135034f3",),
    ),
    "EP-terrestrial": (
        ("Eutrophication potential - terrestrial (EP-terrestrial)",),
        ("b5c614d2-def3-11e6-bf01-fe55135034f3",),
    ),
    "POCP": (
        ("Photochemical Ozone Creation Potential (POCP)",),
        ("b5c610fe-def3-11e6-bf01-fe55135034f3",),
    ),
    "PM": (
        ("Potential incidence of disease due to PM emissions (PM)",),
        ("b5c602c6-def3-11e6-bf01-fe55135034f3",),
    ),
    "IRP": (
        ("Potential Human exposure efficiency relative to U235 (IRP)",),
        ("b5c632be-def3-11e6-bf01-fe55135034f3",),
    ),
    "ADP-minerals-metals": (
        ("Abiotic depletion potential - non-fossil resources (ADPE)",),
        ("b2ad6494-c78d-11e6-9d9d-cec0c932ce01",),
    ),
    "ADP-fossil": (
        ("Abiotic depletion potential - fossil resources (ADPF)",),
        ("b2ad6110-c78d-11e6-9d9d-cec0c932ce01",),
    ),
    "WDP": (
        ("Water (user) deprivation potential (WDP)",),
        ("b2ad66ce-c78d-11e6-9d9d-cec0c932ce01",),
    ),
    "ETP-fw": (
        ("Potential Comparative Toxic Unit for ecosystems (ETP-fw)",),
        (
            "ee1082d1-b0f7-43ca-a1f0-21e2a4a74511",
            "05316e7a-b254-4bea-9cf0-6bf33eb5c630",
        ),
    ),
    "HTP-c": (
        ("Potential Comparative Toxic Unit for humans - cancer effects (HTP-c)",),
        ("2299222a-bbd8-474f-9d4f-4dd1f18aea7c",),
    ),
    "HTP-nc": (
        ("Potential Comparative Toxic Unit for humans - non-cancer effects (HTP-nc)",),
        (
            "3af763a5-b7a1-48c9-9cee-1f223481fcef",
            "7cfdcfcf-b222-4b26-888a-a55f9fbf7ac8",
        ),
    ),
    "SQP": (
        ("Potential Soil quality index (SQP)",),
        ("b2ad6890-c78d-11e6-9d9d-cec0c932ce01",),
    ),
}

# Reference units of the ILCD unit groups and flow properties a reference flow may
# name (ILCD reference data: "Flow properties and unit groups" of the same source).
REFERENCE_UNITS = {
    "units of mass": "kg",
    "mass": "kg",
    "units of volume": "m3",
    "volume": "m3",
    "units of area": "m2",
    "area": "m2",
    "units of length": "m",
    "length": "m",
    "units of items": "piece",
    "number of items": "piece",
    "item(s)": "piece",
    "units of energy": "MJ",
    "net calorific value": "MJ",
}

SHARED_WITH_A1 = {"AP", "ODP", "POCP"}

NOT_DECLARED = {"ND", "MND", "MNR", "NR", "-", ""}


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-–,_&]+", " ", name.strip().lower()).strip()


def _build_lookup() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    uuids: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    for code, (labels, ids) in A2_INDICATORS.items():
        for label in labels:
            names[_normalise(label)] = code
        if code not in SHARED_WITH_A1:
            abbreviations[_normalise(code)] = code
        for uuid in ids:
            uuids[uuid.lower()] = code
    return names, uuids, abbreviations


_NAMES, _UUIDS, _ABBREVIATIONS = _build_lookup()


def indicator_code(names: list[str], uuid: str | None) -> str | None:
    """The A2 code of an LCIA result, from its method UUID or one of its names."""
    if uuid and uuid.lower() in _UUIDS:
        return _UUIDS[uuid.lower()]
    for name in names:
        key = _normalise(name)
        if key in _NAMES:
            return _NAMES[key]
        match = re.search(r"\(([^()]+)\)\s*$", name.strip())
        if match and _normalise(match.group(1)) in _ABBREVIATIONS:
            return _ABBREVIATIONS[_normalise(match.group(1))]
    return None


@dataclass
class Node:
    tag: str
    """Local name, without namespace."""
    attrs: dict[str, str]
    """Attributes by local name."""
    line: int
    children: list[Node] = field(default_factory=list)
    text: str = ""
    lang: str = ""

    def find(self, *path: str) -> Node | None:
        node: Node | None = self
        for name in path:
            node = (
                next((c for c in node.children if c.tag == name), None)
                if node
                else None
            )
        return node

    def findall(self, name: str) -> list[Node]:
        return [c for c in self.children if c.tag == name]

    def iter(self, name: str) -> list[Node]:
        found = []
        stack = [self]
        while stack:
            node = stack.pop()
            if node.tag == name:
                found.append(node)
            stack.extend(reversed(node.children))
        return found


class UnsafeXMLError(ValueError):
    pass


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def parse_xml(content: bytes) -> Node:
    """Parse XML into a tree of Nodes with line numbers; refuses DTDs and entities.
    Raises UnsafeXMLError or xml.parsers.expat.ExpatError."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root = Node("", {}, 0)
    stack = [root]

    def start(name: str, attrs: dict[str, str]) -> None:
        node = Node(
            _local(name),
            {_local(k): v for k, v in attrs.items()},
            parser.CurrentLineNumber,
            lang=attrs.get("http://www.w3.org/XML/1998/namespace lang", ""),
        )
        stack[-1].children.append(node)
        stack.append(node)

    def end(name: str) -> None:
        node = stack.pop()
        node.text = node.text.strip()

    def chars(data: str) -> None:
        stack[-1].text += data

    def forbid_doctype(*args: object) -> None:
        raise UnsafeXMLError("a document type declaration (DTD) is not accepted")

    def forbid_entity(*args: object) -> None:
        raise UnsafeXMLError("entity declarations are not accepted")

    def forbid_external(*args: object) -> int:
        raise UnsafeXMLError("external entities are not accepted")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = forbid_doctype
    parser.EntityDeclHandler = forbid_entity
    parser.UnparsedEntityDeclHandler = forbid_entity
    parser.ExternalEntityRefHandler = forbid_external
    parser.Parse(content, True)
    if not root.children:
        raise UnsafeXMLError("the file holds no XML element")
    return root.children[0]


@dataclass
class EPDProfile:
    profile_id: str
    name: str
    unit: str
    rows: list[tuple[str, str, float, int]]
    """(module, indicator, value, line) per declared value."""
    skipped: list[str] = field(default_factory=list)
    """LCIA results that are not EN 15804+A2 indicators, by name."""


def _text_in(node: Node, name: str, languages: tuple[str, ...] = ("en",)) -> str:
    options = node.findall(name)
    for lang in languages:
        for option in options:
            if option.lang == lang and option.text:
                return option.text
    return next((o.text for o in options if o.text), "")


def _default_scenarios(root: Node) -> set[str]:
    return {
        s.attrs.get("name", "")
        for s in root.iter("scenario")
        if s.attrs.get("default", "").lower() == "true"
    }


def _unit_of(exchange: Node) -> str | None:
    for tag in ("referenceToUnitGroupDataSet", "referenceToFlowPropertyDataSet"):
        for ref in exchange.iter(tag):
            label = _text_in(ref, "shortDescription")
            if label:
                return REFERENCE_UNITS.get(label.strip().lower(), label.strip())
    return None


def _number(raw: str) -> float:
    return float(raw.strip())


def read_epd(
    content: bytes,
    filename: str,
    c: Collector,
    *,
    profile_id: str | None = None,
    unit: str | None = None,
) -> EPDProfile | None:
    """One EPD as one profile; problems go to the collector (None when any)."""
    before = len(c.problems)
    if len(content) > MAX_BYTES:
        c.add(Problem(filename, f"is larger than {MAX_BYTES // (1024 * 1024)} MB"))
        return None
    try:
        root = parse_xml(content)
    except UnsafeXMLError as exc:
        c.add(Problem(filename, f"is refused: {exc}"))
        return None
    except xml.parsers.expat.ExpatError as exc:
        c.add(
            Problem(
                filename,
                f"is not well-formed XML ({xml.parsers.expat.ErrorString(exc.code)})",
                exc.lineno,
            )
        )
        return None
    if root.tag != "processDataSet":
        c.add(
            Problem(
                filename,
                f"is not an ILCD process data set (root element {root.tag!r})",
                root.line,
            )
        )
        return None

    info = root.find("processInformation", "dataSetInformation")
    name_node = info.find("name") if info else None
    name = _text_in(name_node, "baseName", ("en", "nl", "de")) if name_node else ""
    uuid_node = info.find("UUID") if info else None
    code = (profile_id or "").strip() or (uuid_node.text if uuid_node else "")
    if not name:
        c.add(
            Problem(
                filename,
                "the data set has no name",
                info.line if info else None,
                field="baseName",
            )
        )
    if not code:
        c.add(
            Problem(
                filename, "the data set has no UUID; give a profile code", field="UUID"
            )
        )

    declared_unit = (unit or "").strip()
    amount = 1.0
    ref = root.find(
        "processInformation", "quantitativeReference", "referenceToReferenceFlow"
    )
    exchanges = root.find("exchanges")
    reference = None
    if ref is None or exchanges is None:
        c.add(
            Problem(
                filename,
                "the data set has no reference flow",
                root.line,
                field="quantitativeReference",
            )
        )
    else:
        reference = next(
            (
                e
                for e in exchanges.findall("exchange")
                if e.attrs.get("dataSetInternalID") == ref.text
            ),
            None,
        )
        if reference is None:
            c.add(
                Problem(
                    filename,
                    f"no exchange has the dataSetInternalID {ref.text!r} of the "
                    "reference flow",
                    ref.line,
                    field="referenceToReferenceFlow",
                )
            )
    if reference is not None:
        mean = reference.find("meanAmount") or reference.find("resultingAmount")
        if mean is not None:
            try:
                amount = _number(mean.text)
                if not amount > 0:
                    raise ValueError
            except ValueError:
                c.add(
                    Problem(
                        filename,
                        f"must be a number above 0 (got {mean.text!r})",
                        mean.line,
                        field="meanAmount",
                    )
                )
        if not declared_unit:
            declared_unit = _unit_of(reference) or ""
            if declared_unit and amount != 1.0:
                declared_unit = f"{amount:g} {declared_unit}"
        if not declared_unit:
            c.add(
                Problem(
                    filename,
                    "the reference flow names no unit; give the declared unit "
                    "with the upload",
                    reference.line,
                    field="unit",
                )
            )

    defaults = _default_scenarios(root)
    rows: list[tuple[str, str, float, int]] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    results = root.find("LCIAResults")
    for result in results.findall("LCIAResult") if results else []:
        method = result.find("referenceToLCIAMethodDataSet")
        names = (
            [n.text for n in method.findall("shortDescription") if n.text]
            if method
            else []
        )
        indicator = indicator_code(
            names, method.attrs.get("refObjectId") if method else None
        )
        if indicator is None:
            skipped.append(names[0] if names else "?")
            continue
        if indicator in seen:
            c.add(
                Problem(
                    filename,
                    f"indicator {indicator} appears twice "
                    f"(first on line {seen[indicator]})",
                    result.line,
                    field="LCIAResult",
                )
            )
            continue
        seen[indicator] = result.line
        per_module: dict[str, list[tuple[str, str, int]]] = {}
        for node in result.iter("amount"):
            module = node.attrs.get("module", "").strip().replace("–", "-")
            if module not in MODULES:
                c.add(
                    Problem(
                        filename,
                        f"unknown module {module!r}; modules are " + ", ".join(MODULES),
                        node.line,
                        field="module",
                    )
                )
                continue
            per_module.setdefault(module, []).append(
                (node.attrs.get("scenario", ""), node.text, node.line)
            )
        for module, amounts in per_module.items():
            if len(amounts) > 1:
                chosen = [a for a in amounts if a[0] in defaults]
                if len(chosen) != 1:
                    c.add(
                        Problem(
                            filename,
                            f"module {module} of {indicator} has several scenarios ("
                            + ", ".join(a[0] or "none" for a in amounts)
                            + ") and not one default scenario",
                            amounts[0][2],
                            field="scenario",
                        )
                    )
                    continue
                amounts = chosen
            _scenario, raw, line = amounts[0]
            if raw.strip().upper() in NOT_DECLARED:
                continue
            try:
                value = _number(raw)
                if value != value or value in (float("inf"), float("-inf")):
                    raise ValueError
            except ValueError:
                c.add(
                    Problem(
                        filename,
                        f"must be a number, ND or MND (got {raw!r})",
                        line,
                        field="amount",
                    )
                )
                continue
            rows.append((module, indicator, value, line))
    if len(c.problems) == before and not rows:
        c.add(
            Problem(
                filename,
                "declares no value for any EN 15804+A2 indicator"
                + (" (found: " + "; ".join(skipped) + ")" if skipped else ""),
                results.line if results else root.line,
                field="LCIAResults",
            )
        )
    if len(c.problems) > before:
        return None
    return EPDProfile(code, name, declared_unit, rows, skipped)
