"""The Group Policy template (packaging/windows/admx) against the app's own policy (core.policy): one
policy per key, writing the registry type and range that core.policy.from_registry accepts, and every
text it names present in the English ADML. The expected keys, types and ranges come from core.policy,
never from a list copied here. Loading it in the Group Policy editor needs Windows (docs/deploy.md).
"""

from __future__ import annotations

import os
import plistlib
import re
import typing
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from core import errors
from core.policy import KEYS, REG_DWORD, REG_MULTI_SZ, REG_SZ, WINDOWS_KEY, Policy, from_registry, parse
from core.redaction.types import ENTITY_TYPES

ROOT = Path(__file__).resolve().parents[2]
ADMX = ROOT / "packaging" / "windows" / "admx" / "VaultScribe.admx"
ADML = ROOT / "packaging" / "windows" / "admx" / "en-US" / "VaultScribe.adml"
PROFILE = ROOT / "packaging" / "macos" / "org.vaultscribe.app.mobileconfig"
NS = {"pd": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
#: The ADMX element each kind of policy value needs, and the ADML control that shows it.
#: The registry has no decimal type: a float is written as text (core.policy.from_registry parses it).
ELEMENT = {
    int: ("decimal", "decimalTextBox"),
    str: ("text", "textBox"),
    float: ("text", "textBox"),
    tuple: ("multiText", "multiTextBox"),
}


def _xml(path: Path) -> etree._Element:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()


def _kind(key: str) -> type:
    """bool, int, str or tuple, from the Policy field's annotation (``X | None``)."""
    hint = typing.get_type_hints(Policy)[key]
    (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    kind: type = typing.get_origin(inner) or inner
    return kind


def _accepts(key: str, value: Any) -> bool:
    try:
        parse({key: value}, source="test")
    except errors.PolicyInvalid:
        return False
    return True


def _policies() -> dict[str, etree._Element]:
    policies = _xml(ADMX).findall("pd:policies/pd:policy", NS)
    names = [p.get("name") for p in policies]
    assert sorted(names) == sorted(KEYS), "one policy per key of core.policy, each once"
    return {str(p.get("name")): p for p in policies}


def _example_values() -> dict[str, Any]:
    """Valid values for every key: the shipped configuration profile's, which its own test checks."""
    payload = plistlib.loads(PROFILE.read_bytes())["PayloadContent"][0]
    return {k: v for k, v in payload.items() if not k.startswith("Payload")}


def test_every_policy_writes_its_key_under_the_policies_key_of_the_machine() -> None:
    for name, policy in _policies().items():
        assert policy.get("class") == "Machine", name
        assert str(policy.get("key")).lower() == WINDOWS_KEY.lower(), name
        elements = policy.findall("pd:elements/*", NS)
        value_names = [policy.get("valueName")] if policy.get("valueName") else [e.get("valueName") for e in elements]
        assert value_names == [name], "the registry value is named as the policy key"
        assert all(e.get("key") in (None, policy.get("key")) for e in elements), name


def test_each_policy_has_the_element_and_range_of_its_type() -> None:
    for name, policy in _policies().items():
        kind = _kind(name)
        elements = policy.findall("pd:elements/*", NS)
        if kind is bool:
            assert elements == [], name
            assert policy.find("pd:enabledValue/pd:decimal", NS).get("value") == "1", name
            assert policy.find("pd:disabledValue/pd:decimal", NS).get("value") == "0", name
            continue
        (element,) = elements
        assert etree.QName(element).localname == ELEMENT[kind][0], name
        assert element.get("required") == "true", name
        assert element.get("storeAsText") in (None, "false") and element.get("expandable") in (None, "false"), name
        if kind is int:
            lo, hi = int(str(element.get("minValue"))), int(str(element.get("maxValue")))
            assert _accepts(name, lo) and _accepts(name, hi), f"{name}: the ADMX allows what the app refuses"
            assert not _accepts(name, lo - 1) and not _accepts(name, hi + 1), f"{name}: the ADMX is narrower"


def test_what_group_policy_writes_is_what_the_app_reads() -> None:
    """Each policy enabled (and each boolean disabled), as registry values, read by core.policy.from_registry."""
    examples = _example_values()
    written: list[list[tuple[str, int, Any]]] = []
    for name, policy in _policies().items():
        element = policy.find("pd:elements/*", NS)
        if element is None:
            written += [[(name, REG_DWORD, 1)], [(name, REG_DWORD, 0)]]
        elif etree.QName(element).localname == "decimal":
            written += [[(name, REG_DWORD, int(str(element.get(bound))))] for bound in ("minValue", "maxValue")]
        elif etree.QName(element).localname == "multiText":
            written.append([(name, REG_MULTI_SZ, list(examples[name]))])
        else:
            written.append([(name, REG_SZ, examples[name])])
    for values in written:
        ((name, _, value),) = values
        policy = from_registry(values, source="HKLM\\" + WINDOWS_KEY)
        assert policy.is_set(name), name
        assert getattr(policy, name) == (tuple(value) if isinstance(value, list) else value)


def test_every_reference_resolves_in_the_english_texts() -> None:
    admx, adml = _xml(ADMX), _xml(ADML)
    strings = {s.get("id"): (s.text or "") for s in adml.findall("pd:resources/pd:stringTable/pd:string", NS)}
    presentations = {p.get("id"): p for p in adml.findall("pd:resources/pd:presentationTable/pd:presentation", NS)}
    refs = [m for e in admx.iter() for v in e.attrib.values() for m in re.findall(r"\$\((\w+)\.(\w+)\)", v)]
    assert {kind for kind, _ in refs} == {"string", "presentation"}
    used_strings = {ref for kind, ref in refs if kind == "string"}
    used_presentations = {ref for kind, ref in refs if kind == "presentation"}
    assert used_strings <= strings.keys() and used_presentations <= presentations.keys()
    assert strings.keys() <= used_strings and presentations.keys() <= used_presentations, "no stray texts"
    assert all(text.strip() for text in strings.values())
    for name, policy in _policies().items():
        assert policy.get("explainText") == f"$(string.{name}_Help)", name
        elements = policy.findall("pd:elements/*", NS)
        if not elements:
            assert policy.get("presentation") is None, name
            continue
        controls = list(presentations[name])
        assert [(c.get("refId"), etree.QName(c).localname) for c in controls] == [
            (e.get("id"), ELEMENT[_kind(name)][1]) for e in elements
        ], name
        for control, element in zip(controls, elements, strict=True):
            if control.get("defaultValue") is not None:
                assert (
                    int(str(element.get("minValue")))
                    <= int(str(control.get("defaultValue")))
                    <= int(str(element.get("maxValue")))
                ), name
    assert all(t in strings["redaction_entities_Help"] for t in ENTITY_TYPES)


def test_the_parent_category_and_supported_on_are_defined_here() -> None:
    admx = _xml(ADMX)
    categories = {c.get("name") for c in admx.findall("pd:categories/pd:category", NS)}
    supported = {d.get("name") for d in admx.findall("pd:supportedOn/pd:definitions/pd:definition", NS)}
    for name, policy in _policies().items():
        assert policy.find("pd:parentCategory", NS).get("ref") in categories, name
        assert policy.find("pd:supportedOn", NS).get("ref") in supported, name
    assert admx.find("pd:policyNamespaces/pd:using", NS) is None  # needs no other template in the store


def test_the_template_is_valid_against_microsofts_admx_schema() -> None:
    """When the schema is at hand (Microsoft's download; not redistributable here, see docs/deploy.md)."""
    folder = os.environ.get("VAULTSCRIBE_ADMX_SCHEMA_DIR")
    if not folder:
        pytest.skip("set VAULTSCRIBE_ADMX_SCHEMA_DIR to a folder with PolicyDefinitionFiles.xsd (with multiText)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    schema = etree.XMLSchema(etree.parse(str(Path(folder) / "PolicyDefinitionFiles.xsd"), parser))
    for path in (ADMX, ADML):
        assert schema.validate(etree.parse(str(path), parser)), (path.name, schema.error_log)
