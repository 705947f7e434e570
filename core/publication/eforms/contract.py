"""The contract notice of an announced competition (eForms subtype 16, or the national E3 below
the EEA threshold), modelled on the SDK's `cn_24_minimal.xml`.

Every buyer of a joint procurement is a contracting party; each lot (or the whole as LOT-0000)
carries the tender deadline, the opening, the award criteria with their weights (BT-539/541,
BT-734) and the innovation codes (BT-776). The review body (KOFA) receives appeals.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.publication.eforms.notice_data import NoticeData
from core.publication.eforms.pin import contracting_parties, organisations
from core.publication.eforms.ubl import path, root, serialise, sub
from core.publication.stages import Criterion, Stages

OSLO = ZoneInfo("Europe/Oslo")
PROCEDURE = {"open": "open", "restricted": "restricted", "competitive_dialogue": "comp-dial",
             "competition_with_negotiation": "neg-w-call", "innovation_partnership": "innovation",
             "below_threshold": "open"}
# BT-99: the review deadlines of the Norwegian rules (FOA § 4-1 standstill; the courts' six months).
APPEAL_DEADLINES = ("A complaint may be brought before KOFA within six months of the contract being "
                    "signed; an application for an interim injunction must be made during the standstill period.")


def oslo(value: datetime) -> tuple[str, str]:
    """("YYYY-MM-DD+01:00", "HH:MM:SS+01:00") in Oslo time."""
    local = value.astimezone(OSLO)
    offset = local.strftime("%z")
    zone = f"{offset[:3]}:{offset[3:]}"
    return local.strftime("%Y-%m-%d") + zone, local.strftime("%H:%M:%S") + zone


def header(notice, data: NoticeData, folder: str) -> None:
    sub(notice, "cbc:UBLVersionID", "2.3")
    sub(notice, "cbc:CustomizationID", data.customization_id)
    sub(notice, "cbc:ID", str(data.notice_id), schemeName="notice-id")
    sub(notice, "cbc:ContractFolderID", folder)
    sub(notice, "cbc:IssueDate", data.issue_date)
    sub(notice, "cbc:IssueTime", data.issue_time)
    sub(notice, "cbc:VersionID", f"{data.version:02d}")


def extension_of(notice, data: NoticeData):
    extension = path(notice, "ext:UBLExtensions", "ext:UBLExtension", "ext:ExtensionContent",
                     "efext:EformsExtension")
    sub(path(extension, "efac:NoticeSubType"), "cbc:SubTypeCode", data.subtype, listName="notice-subtype")
    return extension


def legal_basis(notice, data: NoticeData) -> None:
    legislation = path(notice, "cac:TenderingTerms", "cac:ProcurementLegislationDocumentReference")
    sub(legislation, "cbc:ID", "LocalLegalBasis")
    sub(legislation, "cbc:DocumentDescription", data.legal_basis, languageID=data.language)


def lot_project(parent, data: NoticeData, number: int, name: str, description: str,
                period: tuple[str, str]) -> None:
    project = sub(parent, "cac:ProcurementProject")
    sub(project, "cbc:ID", str(number), schemeName="InternalID")
    sub(project, "cbc:Name", name, languageID=data.language)
    sub(project, "cbc:Description", description or name, languageID=data.language)
    sub(project, "cbc:ProcurementTypeCode", data.contract_nature, listName="contract-nature")
    for code in data.innovation:  # BT-776
        sub(path(project, "cac:ProcurementAdditionalType"), "cbc:ProcurementTypeCode", code,
            listName="innovative-acquisition")
    sub(path(project, "cac:MainCommodityClassification"), "cbc:ItemClassificationCode", data.cpv_codes[0],
        listName="cpv")
    for code in data.cpv_codes[1:]:
        sub(path(project, "cac:AdditionalCommodityClassification"), "cbc:ItemClassificationCode", code,
            listName="cpv")
    location = sub(project, "cac:RealizedLocation")
    address = sub(location, "cac:Address")
    nuts = next((b.nuts for b in data.buyers if b.nuts), "")
    if nuts:
        sub(address, "cbc:CountrySubentityCode", nuts, listName="nuts")
    sub(path(address, "cac:Country"), "cbc:IdentificationCode", "NOR", listName="country")
    planned = sub(project, "cac:PlannedPeriod")  # BT-536/537 from the key dates
    sub(planned, "cbc:StartDate", period[0])
    sub(planned, "cbc:EndDate", period[1])


def criterion(parent, data: NoticeData, item: Criterion) -> None:
    element = sub(parent, "cac:SubordinateAwardingCriterion")
    parameter = path(element, "ext:UBLExtensions", "ext:UBLExtension", "ext:ExtensionContent",
                     "efext:EformsExtension", "efac:AwardCriterionParameter")
    sub(parameter, "efbc:ParameterCode", "per-exa", listName="number-weight")
    sub(parameter, "efbc:ParameterNumeric", str(item.weight))
    sub(element, "cbc:AwardingCriterionTypeCode", "price" if item.is_price else "quality",
        listName="award-criterion-type")
    sub(element, "cbc:Name", item.name, languageID=data.language)
    details = ", ".join(f"{c.name} {c.weight} %" for c in item.children)
    sub(element, "cbc:Description", details or item.name, languageID=data.language)


def lot(notice, data: NoticeData, stages: Stages, lot_id: str, number: int, name: str, description: str,
        url: str, period: tuple[str, str]) -> None:
    national = data.subtype == "E3"
    element = sub(notice, "cac:ProcurementProjectLot")
    sub(element, "cbc:ID", lot_id, schemeName="Lot")
    terms = sub(element, "cac:TenderingTerms")
    sub(terms, "cbc:VariantConstraintCode", "not-allowed", listName="permission")
    sub(terms, "cbc:FundingProgramCode", "no-eu-funds", listName="eu-funded")
    documents = sub(terms, "cac:CallForTendersDocumentReference")
    sub(documents, "cbc:ID", "1")
    sub(documents, "cbc:DocumentType", "non-restricted-document")
    sub(path(documents, "cac:Attachment", "cac:ExternalReference"), "cbc:URI", url)
    sub(path(terms, "cac:TendererQualificationRequest", "cac:SpecificTendererRequirement"),
        "cbc:TendererRequirementTypeCode", "none", listName="reserved-procurement")
    sub(path(terms, "cac:TendererQualificationRequest", "cac:SpecificTendererRequirement"),
        "cbc:TendererRequirementTypeCode", "epo-procurement-document", listName="selection-criteria-source")
    sub(path(terms, "cac:ContractExecutionRequirement"), "cbc:ExecutionRequirementCode", "no",
        listName="reserved-execution")
    sub(path(terms, "cac:ContractExecutionRequirement"), "cbc:ExecutionRequirementCode", "required",
        listName="einvoicing")
    sub(path(terms, "cac:ContractExecutionRequirement"), "cbc:ExecutionRequirementCode", "allowed",
        listName="ecatalog-submission")
    if stages.criteria:
        awarding = path(terms, "cac:AwardingTerms", "cac:AwardingCriterion")
        for item in stages.criteria:
            criterion(awarding, data, item)
    recipient = sub(terms, "cac:TenderRecipientParty")
    sub(recipient, "cbc:EndpointID", url)
    sub(path(recipient, "cac:PartyIdentification"), "cbc:ID", data.org_ref(1), schemeName="organization")
    sub(path(terms, "cac:TenderValidityPeriod"), "cbc:DurationMeasure", "6", unitCode="MONTH")
    if not national:
        appeal = sub(terms, "cac:AppealTerms")
        sub(path(appeal, "cac:PresentationPeriod"), "cbc:Description", APPEAL_DEADLINES, languageID=data.language)
        sub(path(appeal, "cac:AppealInformationParty", "cac:PartyIdentification"), "cbc:ID",
            data.org_ref(len(data.buyers) + 1), schemeName="organization")
        sub(path(appeal, "cac:AppealReceiverParty", "cac:PartyIdentification"), "cbc:ID",
            data.org_ref(len(data.buyers) + 1), schemeName="organization")
    sub(path(terms, "cac:Language"), "cbc:ID", "NOR")
    post_award = sub(terms, "cac:PostAwardProcess")
    sub(post_award, "cbc:ElectronicOrderUsageIndicator", "false")
    sub(post_award, "cbc:ElectronicPaymentUsageIndicator", "true")
    process = sub(element, "cac:TenderingProcess")
    sub(process, "cbc:SubmissionMethodCode", "required", listName="esubmission")
    if not national:  # BT-115 (the GPA) is forbidden in the national subtypes
        sub(process, "cbc:GovernmentAgreementConstraintIndicator", "true")
    competition = stages.competition
    if competition.tender_deadline:
        day, moment = oslo(competition.tender_deadline)
        deadline = sub(process, "cac:TenderSubmissionDeadlinePeriod")
        sub(deadline, "cbc:EndDate", day)
        sub(deadline, "cbc:EndTime", moment)
    if competition.opening_at:
        day, moment = oslo(competition.opening_at)
        event = sub(process, "cac:OpenTenderEvent")
        sub(event, "cbc:OccurrenceDate", day)
        sub(event, "cbc:OccurrenceTime", moment)
        sub(path(event, "cac:OccurenceLocation"), "cbc:Description", "Samspill (electronic opening)",
            languageID=data.language)
    sub(path(process, "cac:AuctionTerms"), "cbc:AuctionConstraintIndicator", "false")
    sub(path(process, "cac:ContractingSystem"), "cbc:ContractingSystemTypeCode", "none",
        listName="framework-agreement")
    sub(path(process, "cac:ContractingSystem"), "cbc:ContractingSystemTypeCode", "none", listName="dps-usage")
    lot_project(element, data, number, name, description, period)


def classification_and_place(project, data: NoticeData) -> None:
    """The main CPV code and the place of performance (the first buyer's NUTS code, Norway)."""
    sub(path(project, "cac:MainCommodityClassification"), "cbc:ItemClassificationCode", data.cpv_codes[0],
        listName="cpv")
    address = path(project, "cac:RealizedLocation", "cac:Address")
    nuts = next((b.nuts for b in data.buyers if b.nuts), "")
    if nuts:
        sub(address, "cbc:CountrySubentityCode", nuts, listName="nuts")
    sub(path(address, "cac:Country"), "cbc:IdentificationCode", "NOR", listName="country")


def build(data: NoticeData, stages: Stages, procedure: str, folder: str, url: str,
          period: tuple[str, str]) -> bytes:
    """The notice's XML (not yet validated)."""
    national = data.subtype == "E3"
    notice = root("ContractNotice")
    organisations(extension_of(notice, data), data)
    header(notice, data, folder)
    sub(notice, "cbc:RegulatoryDomain", "other" if national else "32014L0024")
    sub(notice, "cbc:NoticeTypeCode", "cn-standard", listName="competition")
    sub(notice, "cbc:NoticeLanguageCode", data.language)
    contracting_parties(notice, data, with_types=not national)
    terms = sub(notice, "cac:TenderingTerms")
    if national:
        legislation = sub(terms, "cac:ProcurementLegislationDocumentReference")
        sub(legislation, "cbc:ID", "LocalLegalBasis")
        sub(legislation, "cbc:DocumentDescription", data.legal_basis, languageID=data.language)
    sub(path(terms, "cac:TendererQualificationRequest", "cac:SpecificTendererRequirement"),
        "cbc:TendererRequirementTypeCode", "epo-procurement-document", listName="exclusion-grounds-source")
    process = sub(notice, "cac:TenderingProcess")
    sub(process, "cbc:ProcedureCode", PROCEDURE.get(procedure, "open"), listName="procurement-procedure-type")
    sub(path(process, "cac:ProcessJustification"), "cbc:ProcessReasonCode", "false",
        listName="accelerated-procedure")
    project = sub(notice, "cac:ProcurementProject")
    sub(project, "cbc:Name", data.title, languageID=data.language)
    sub(project, "cbc:Description", data.description, languageID=data.language)
    sub(project, "cbc:ProcurementTypeCode", data.contract_nature, listName="contract-nature")
    if data.estimated_value is not None:
        sub(path(project, "cac:RequestedTenderTotal"), "cbc:EstimatedOverallContractAmount",
            f"{data.estimated_value:.2f}", currencyID="NOK")
    classification_and_place(project, data)
    if stages.lots:
        for number, item in enumerate(stages.lots, start=1):
            lot(notice, data, stages, f"LOT-{number:04d}", number, item.title, item.description, url, period)
    else:
        lot(notice, data, stages, "LOT-0000", 1, data.title, data.description, url, period)
    return serialise(notice)
