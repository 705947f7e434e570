"""Small helpers for writing eForms UBL with lxml: namespaces and element makers."""

from __future__ import annotations

from lxml import etree

NS = {
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
}
ROOT_NS = {
    "PriorInformationNotice": "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2",
    "ContractNotice": "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
    "ContractAwardNotice": "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
}


def _qname(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def root(name: str) -> etree._Element:
    return etree.Element(f"{{{ROOT_NS[name]}}}{name}", nsmap={None: ROOT_NS[name], **NS})


def sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    """Append `prefix:name` to `parent` with optional text and attributes; returns it."""
    element = etree.SubElement(parent, _qname(tag), {k: v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def path(parent: etree._Element, *tags: str) -> etree._Element:
    """Append a chain of nested elements and return the innermost."""
    for tag in tags:
        parent = sub(parent, tag)
    return parent


def serialise(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
