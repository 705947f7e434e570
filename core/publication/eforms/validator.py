"""The eForms validator: the SDK's XSD (lxml) and its schematron (saxonche running SchXslt).

Compiling `complete-validation.sch` into a validating XSLT takes about half a minute, so the
compiled stylesheet is written once to a cache folder, keyed by the SDK's version, a hash of its
schematron files and of SchXslt, and the phase; every later process reads that file. The SDK
declares one schematron phase per notice subtype (`eforms-4`, `eforms-E2`, ...): a notice is
checked with its subtype's phase, whose compiled validator is a fraction of the whole one and
loads in seconds instead of more than a minute (a notice without a known subtype gets every
pattern, `#ALL`). One process keeps each loaded phase (`validator_for`).
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from core.publication.eforms.ubl import NS

SVRL = "http://purl.oclc.org/dsdl/svrl"
ROOTS = {
    "PriorInformationNotice": "UBL-PriorInformationNotice-2.3.xsd",
    "ContractNotice": "UBL-ContractNotice-2.3.xsd",
    "ContractAwardNotice": "UBL-ContractAwardNotice-2.3.xsd",
}


@dataclass
class Failure:
    """One problem: an XSD error or a failed schematron assertion (`rule` is its id)."""

    rule: str
    message: str
    location: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message, "location": self.location}


@dataclass
class Result:
    """What the validator found; `valid` when neither the XSD nor a schematron rule failed."""

    xsd: list[Failure] = field(default_factory=list)
    schematron: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)  # rules with role WARN: reported, not blocking

    @property
    def failures(self) -> list[Failure]:
        return self.xsd + self.schematron

    @property
    def valid(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        return {"valid": self.valid, "xsd_errors": len(self.xsd), "failed_assertions": len(self.schematron),
                "failures": [f.as_dict() for f in self.failures],
                "warnings": [f.as_dict() for f in self.warnings]}


class EformsValidator:
    """XSD and schematron of one SDK folder, with the compiled schematron cached in `cache_dir`."""

    def __init__(self, sdk_dir: Path, schxslt_dir: Path, cache_dir: Path):
        self.sdk_dir = Path(sdk_dir)
        self.schxslt_dir = Path(schxslt_dir)
        self.cache_dir = Path(cache_dir)
        self._schemas: dict[str, etree.XMLSchema] = {}
        self._executables: dict[str, object] = {}
        self._processor = None
        self._phases: set[str] | None = None
        self._lock = threading.RLock()

    # -- XSD ---------------------------------------------------------------------------------

    def _schema(self, root: str) -> etree.XMLSchema:
        if root not in self._schemas:
            path = self.sdk_dir / "schemas" / "maindoc" / ROOTS[root]
            self._schemas[root] = etree.XMLSchema(etree.parse(str(path)))
        return self._schemas[root]

    def check_xsd(self, document: etree._ElementTree) -> list[Failure]:
        root = etree.QName(document.getroot()).localname
        if root not in ROOTS:
            return [Failure("XSD", f"unknown notice root element {root}")]
        schema = self._schema(root)
        if schema.validate(document):
            return []
        return [Failure("XSD", error.message, f"line {error.line}") for error in schema.error_log]

    # -- schematron --------------------------------------------------------------------------

    def cache_key(self) -> str:
        digest = hashlib.sha256()
        for folder in (self.sdk_dir / "schematrons" / "static", self.schxslt_dir / "xslt" / "2.0"):
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(str(path.relative_to(folder)).encode())
                    digest.update(path.read_bytes())
        return f"{self.sdk_dir.name}-{digest.hexdigest()[:16]}"

    def schematron_path(self) -> Path:
        return self.sdk_dir / "schematrons" / "static" / "complete-validation.sch"

    def phases(self) -> set[str]:
        if self._phases is None:
            root = etree.parse(str(self.schematron_path())).getroot()
            self._phases = {p.get("id") for p in root.iter("{http://purl.oclc.org/dsdl/schematron}phase")}
        return self._phases

    def phase_for(self, document: etree._ElementTree) -> str:
        codes = document.getroot().xpath(
            "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension/efac:NoticeSubType/"
            "cbc:SubTypeCode/text()", namespaces=NS)
        phase = f"eforms-{codes[0].strip()}" if codes else ""
        return phase if phase in self.phases() else "#ALL"

    def compiled_path(self, phase: str = "#ALL") -> Path:
        """The compiled validator of `phase`, compiling the schematron first if it is not cached."""
        label = phase.strip("#").lower()
        path = self.cache_dir / f"eforms-{self.cache_key()}-{label}.xsl"
        if path.exists():
            return path
        from saxonche import PySaxonProcessor  # noqa: PLC0415 - heavy optional dependency, loaded on first use

        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with PySaxonProcessor(license=False) as processor:
            compiler = processor.new_xslt30_processor()
            pipeline = compiler.compile_stylesheet(
                stylesheet_file=str(self.schxslt_dir / "xslt" / "2.0" / "pipeline-for-svrl.xsl"))
            pipeline.set_parameter("phase", processor.make_string_value(phase))
            compiled = pipeline.transform_to_string(source_file=str(self.schematron_path()))
        # Write next to the target and rename: a concurrent process never reads half a file.
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(compiled, encoding="utf-8")
        partial.replace(path)
        return path

    def _validator(self, phase: str = "#ALL"):
        with self._lock:
            if phase not in self._executables:
                from saxonche import PySaxonProcessor  # noqa: PLC0415 - heavy optional dependency

                path = self.compiled_path(phase)
                if self._processor is None:
                    self._processor = PySaxonProcessor(license=False)
                compiler = self._processor.new_xslt30_processor()
                # The compiled XSLT resolves the SDK's code lists relative to the schematron.
                compiler.set_cwd(str(self.schematron_path().parent))
                self._executables[phase] = compiler.compile_stylesheet(
                    stylesheet_text=path.read_text(encoding="utf-8"), base_uri=self.schematron_path().as_uri())
            return self._executables[phase]

    def check_schematron(self, xml: bytes, phase: str = "#ALL") -> tuple[list[Failure], list[Failure]]:
        """(errors, warnings): failed assertions, split by the rule's role."""
        executable = self._validator(phase)
        with self._lock:
            node = self._processor.parse_xml(xml_text=xml.decode("utf-8"))
            svrl = executable.transform_to_string(xdm_node=node)
        report = etree.fromstring(svrl.encode("utf-8"))
        errors, warnings = [], []
        for failed in report.iter(f"{{{SVRL}}}failed-assert"):
            text = " ".join("".join(failed.itertext()).split())
            found = Failure(failed.get("id") or "schematron", text, failed.get("location") or "")
            (warnings if (failed.get("role") or "").upper() in ("WARN", "WARNING", "INFO") else errors).append(found)
        return errors, warnings

    def validate(self, xml: bytes) -> Result:
        try:
            document = etree.ElementTree(etree.fromstring(xml))
        except etree.XMLSyntaxError as exc:
            return Result(xsd=[Failure("XML", str(exc))])
        result = Result(xsd=self.check_xsd(document))
        result.schematron, result.warnings = self.check_schematron(xml, self.phase_for(document))
        return result


_validators: dict[tuple[str, str, str], EformsValidator] = {}
_validators_lock = threading.Lock()


def validator_for(sdk_dir: Path, schxslt_dir: Path, cache_dir: Path) -> EformsValidator:
    """One validator per process and SDK: loading the compiled schematron is the slow part."""
    key = (str(sdk_dir), str(schxslt_dir), str(cache_dir))
    with _validators_lock:
        if key not in _validators:
            _validators[key] = EformsValidator(sdk_dir, schxslt_dir, cache_dir)
        return _validators[key]
