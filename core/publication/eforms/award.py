"""The contract award notice (eForms subtype 29, or the national E4 below the EEA threshold),
modelled on the SDK's `can_24_minimal.xml`: per lot the winner, how many tenders were received
and the value of the contracts each buyer signed (one settled contract per buyer).

Only public facts from `core.publication.stages`: no tender content and no losing tender's price.
"""

from __future__ import annotations

from decimal import Decimal

from core.publication.eforms.contract import classification_and_place, criterion, extension_of, header, oslo
from core.publication.eforms.notice_data import NoticeData
from core.publication.eforms.pin import contracting_parties, organisations
from core.publication.eforms.ubl import NS, path, root, serialise, sub
from core.publication.stages import Stages

PROCEDURE = {"open": "open", "restricted": "restricted", "competitive_dialogue": "comp-dial",
             "competition_with_negotiation": "neg-w-call", "innovation_partnership": "innovation",
             "below_threshold": "open"}
APPEAL_DEADLINES = ("A complaint may be brought before KOFA within six months of the contract being signed.")


def _nok(ore: int) -> str:
    return f"{Decimal(ore) / 100:.2f}"


def lot_ids(stages: Stages) -> dict[str | None, str]:
    """Our lot id (None: the whole) -> the notice's LOT-nnnn."""
    if not stages.lots:
        return {None: "LOT-0000"}
    return {str(lot.id): f"LOT-{number:04d}" for number, lot in enumerate(stages.lots, start=1)}


def suppliers(extension, data: NoticeData, stages: Stages, sizes: dict[str, str],
              nuts: dict[str, str]) -> dict[str, str]:
    """The winners as organisations after the buyers and the review body; org number -> ORG ref."""
    orgs = extension.find("efac:Organizations", NS)
    refs: dict[str, str] = {}
    index = len(data.parties())
    for winner in stages.winners:
        key = winner.org_number or winner.supplier
        if key in refs:
            continue
        index += 1
        refs[key] = data.org_ref(index)
        company = path(orgs, "efac:Organization", "efac:Company")
        sub(company, "efbc:CompanySizeCode", sizes[winner.org_number], listName="economic-operator-size")
        sub(path(company, "cac:PartyIdentification"), "cbc:ID", refs[key], schemeName="organization")
        sub(path(company, "cac:PartyName"), "cbc:Name", winner.supplier, languageID=data.language)
        address = path(company, "cac:PostalAddress")
        sub(address, "cbc:CityName", winner.city)
        sub(address, "cbc:PostalZone", winner.postal_zone)
        sub(address, "cbc:CountrySubentityCode", nuts.get(winner.municipality[:2], ""), listName="nuts")
        sub(path(address, "cac:Country"), "cbc:IdentificationCode", "NOR", listName="country")
        if winner.org_number:
            sub(path(company, "cac:PartyLegalEntity"), "cbc:CompanyID", winner.org_number)
        if winner.email:
            sub(path(company, "cac:Contact"), "cbc:ElectronicMail", winner.email)
    return refs


def statistics(parent, counts: dict[str, int]) -> None:
    for code, count in counts.items():
        element = sub(parent, "efac:ReceivedSubmissionsStatistics")
        sub(element, "efbc:StatisticsCode", code, listName="received-submission-type")
        sub(element, "efbc:StatisticsNumeric", str(count))


def result(extension, data: NoticeData, stages: Stages, refs: dict[str, str], lots: dict[str | None, str],
           sizes: dict[str, str], subcontracting: dict[str, str]) -> None:
    notice_result = sub(extension, "efac:NoticeResult")
    extension.insert(0, notice_result)  # NoticeResult comes first in the eForms extension
    sub(notice_result, "cbc:TotalAmount", _nok(sum(c.value_ore or 0 for c in stages.contracts)), currencyID="NOK")
    buyer_ref = {b.org_number: data.org_ref(i) for i, b in enumerate(data.buyers, start=1)}
    contracts = {}
    for number, contract in enumerate(stages.contracts, start=1):
        contracts.setdefault((contract.supplier_org_number, contract.lot_id), []).append((number, contract))
    for number, winner in enumerate(stages.winners, start=1):
        lot_result = sub(notice_result, "efac:LotResult")
        sub(lot_result, "cbc:ID", f"RES-{number:04d}", schemeName="result")
        sub(lot_result, "cbc:TenderResultCode", "selec-w", listName="winner-selection-status")
        sub(path(lot_result, "efac:LotTender"), "cbc:ID", f"TEN-{number:04d}", schemeName="tender")
        if stages.tender_count is not None:
            # every tender is submitted electronically by a supplier with a Norwegian organisation number
            statistics(lot_result, {
                "tenders": stages.tender_count, "t-esubm": stages.tender_count, "t-no-eea": 0, "t-oth-eea": 0,
                "t-sme": sum(1 for _name, org in stages.tenderers if sizes.get(org) != "large")})
        for contract_number, _contract in contracts.get((winner.org_number, winner.lot_id), []):
            sub(path(lot_result, "efac:SettledContract"), "cbc:ID", f"CON-{contract_number:04d}",
                schemeName="contract")
        sub(path(lot_result, "efac:TenderLot"), "cbc:ID", lots.get(winner.lot_id, "LOT-0000"), schemeName="Lot")
    for number, winner in enumerate(stages.winners, start=1):
        tender = sub(notice_result, "efac:LotTender")
        sub(tender, "cbc:ID", f"TEN-{number:04d}", schemeName="tender")
        sub(tender, "cbc:RankCode", "1")
        sub(tender, "efbc:TenderRankedIndicator", "true")
        value = sum(c.value_ore or 0 for _n, c in contracts.get((winner.org_number, winner.lot_id), []))
        sub(path(tender, "cac:LegalMonetaryTotal"), "cbc:PayableAmount", _nok(value), currencyID="NOK")
        sub(path(tender, "efac:SubcontractingTerm"), "efbc:TermCode", subcontracting[winner.org_number],
            listName="applicability")
        sub(path(tender, "efac:TenderingParty"), "cbc:ID", f"TPA-{number:04d}", schemeName="tendering-party")
        sub(path(tender, "efac:TenderLot"), "cbc:ID", lots.get(winner.lot_id, "LOT-0000"), schemeName="Lot")
        sub(path(tender, "efac:TenderReference"), "cbc:ID", f"TEN-{number:04d}")
    for (_key, numbered) in contracts.items():
        tender_number = next((i for i, w in enumerate(stages.winners, start=1)
                              if (w.org_number, w.lot_id) == _key), 1)
        for number, contract in numbered:
            settled = sub(notice_result, "efac:SettledContract")
            sub(settled, "cbc:ID", f"CON-{number:04d}", schemeName="contract")
            day = contract.signed_on.isoformat() + data.issue_date[10:]
            sub(settled, "cbc:IssueDate", day)
            sub(path(settled, "cac:SignatoryParty", "cac:PartyIdentification"), "cbc:ID",
                buyer_ref.get(contract.buyer_org_number, data.org_ref(1)), schemeName="organization")
            sub(path(settled, "efac:ContractReference"), "cbc:ID", f"{contract.buyer} {number}")
            sub(path(settled, "efac:LotTender"), "cbc:ID", f"TEN-{tender_number:04d}", schemeName="tender")
    for number, winner in enumerate(stages.winners, start=1):
        party = sub(notice_result, "efac:TenderingParty")
        sub(party, "cbc:ID", f"TPA-{number:04d}", schemeName="tendering-party")
        sub(path(party, "efac:Tenderer"), "cbc:ID", refs[winner.org_number or winner.supplier],
            schemeName="organization")


def lot(notice, data: NoticeData, stages: Stages, lot_id: str, number: int, name: str, description: str) -> None:
    element = sub(notice, "cac:ProcurementProjectLot")
    sub(element, "cbc:ID", lot_id, schemeName="Lot")
    terms = sub(element, "cac:TenderingTerms")
    sub(terms, "cbc:FundingProgramCode", "no-eu-funds", listName="eu-funded")
    if stages.criteria:
        awarding = path(terms, "cac:AwardingTerms", "cac:AwardingCriterion")
        for item in stages.criteria:
            criterion(awarding, data, item)
    if data.subtype != "E4":
        appeal = sub(terms, "cac:AppealTerms")
        sub(path(appeal, "cac:PresentationPeriod"), "cbc:Description", APPEAL_DEADLINES, languageID=data.language)
        sub(path(appeal, "cac:AppealReceiverParty", "cac:PartyIdentification"), "cbc:ID",
            data.org_ref(len(data.buyers) + 1), schemeName="organization")
    process = sub(element, "cac:TenderingProcess")
    if data.subtype != "E4":  # BT-115 (the GPA) is forbidden in the national subtypes
        sub(process, "cbc:GovernmentAgreementConstraintIndicator", "true")
    sub(path(process, "cac:AuctionTerms"), "cbc:AuctionConstraintIndicator", "false")
    sub(path(process, "cac:ContractingSystem"), "cbc:ContractingSystemTypeCode", "none",
        listName="framework-agreement")
    sub(path(process, "cac:ContractingSystem"), "cbc:ContractingSystemTypeCode", "none", listName="dps-usage")
    project = sub(element, "cac:ProcurementProject")
    sub(project, "cbc:ID", str(number), schemeName="InternalID")
    sub(project, "cbc:Name", name, languageID=data.language)
    sub(project, "cbc:Description", description or name, languageID=data.language)
    sub(project, "cbc:ProcurementTypeCode", data.contract_nature, listName="contract-nature")
    classification_and_place(project, data)


def build(data: NoticeData, stages: Stages, procedure: str, folder: str, sizes: dict[str, str],
          subcontracting: dict[str, str], nuts: dict[str, str]) -> bytes:
    """The notice's XML (not yet validated)."""
    national = data.subtype == "E4"
    notice = root("ContractAwardNotice")
    extension = extension_of(notice, data)
    organisations(extension, data)
    lots = lot_ids(stages)
    result(extension, data, stages, suppliers(extension, data, stages, sizes, nuts), lots, sizes, subcontracting)
    header(notice, data, folder)
    sub(notice, "cbc:RegulatoryDomain", "other" if national else "32014L0024")
    sub(notice, "cbc:NoticeTypeCode", "can-standard", listName="result")
    sub(notice, "cbc:NoticeLanguageCode", data.language)
    contracting_parties(notice, data, with_types=not national)
    if national:
        legislation = path(notice, "cac:TenderingTerms", "cac:ProcurementLegislationDocumentReference")
        sub(legislation, "cbc:ID", "LocalLegalBasis")
        sub(legislation, "cbc:DocumentDescription", data.legal_basis, languageID=data.language)
    sub(path(notice, "cac:TenderingProcess"), "cbc:ProcedureCode", PROCEDURE.get(procedure, "open"),
        listName="procurement-procedure-type")
    project = sub(notice, "cac:ProcurementProject")
    sub(project, "cbc:Name", data.title, languageID=data.language)
    sub(project, "cbc:Description", data.description, languageID=data.language)
    sub(project, "cbc:ProcurementTypeCode", data.contract_nature, listName="contract-nature")
    classification_and_place(project, data)
    if stages.lots:
        for number, item in enumerate(stages.lots, start=1):
            lot(notice, data, stages, f"LOT-{number:04d}", number, item.title, item.description)
    else:
        lot(notice, data, stages, "LOT-0000", 1, data.title, data.description)
    sub(path(notice, "cac:TenderResult"), "cbc:AwardDate", oslo(stages.award_date)[0])
    return serialise(notice)
