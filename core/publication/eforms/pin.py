"""The prior information notice of a market dialogue (eForms subtype 4 or the national E2).

At or above the EEA threshold the dialogue is announced "for information only" (subtype 4,
regulatory domain 2014/24/EU); below it, as the national variant E2 (regulatory domain
`other`, a local legal basis). Every buyer of a joint procurement is a contracting party
(FOA § 26-1 (3)), identified by its organisation number. BT-776 (innovation) is forbidden in
subtypes 4 and E2 by the SDK, so the innovation goes into the description; the contract notice
carries BT-776.
"""

from __future__ import annotations

from core.publication.eforms.notice_data import NoticeData
from core.publication.eforms.ubl import path, root, serialise, sub


def organisations(extension, data: NoticeData) -> None:
    orgs = path(extension, "efac:Organizations")
    joint = len(data.buyers) > 1
    for index, buyer in enumerate(data.parties(), start=1):
        organisation = sub(orgs, "efac:Organization")
        if joint and index <= len(data.buyers):  # OPP-050: the lead buyer of a joint procurement
            sub(organisation, "efbc:GroupLeadIndicator", "true" if index == 1 else "false")
        company = sub(organisation, "efac:Company")
        if buyer.website:
            sub(company, "cbc:WebsiteURI", buyer.website)
        sub(path(company, "cac:PartyIdentification"), "cbc:ID", data.org_ref(index), schemeName="organization")
        sub(path(company, "cac:PartyName"), "cbc:Name", buyer.name, languageID=data.language)
        address = path(company, "cac:PostalAddress")
        if buyer.city:
            sub(address, "cbc:CityName", buyer.city)
        if buyer.postal_zone:
            sub(address, "cbc:PostalZone", buyer.postal_zone)
        if buyer.nuts:
            sub(address, "cbc:CountrySubentityCode", buyer.nuts, listName="nuts")
        sub(path(address, "cac:Country"), "cbc:IdentificationCode", "NOR", listName="country")
        if buyer.org_number:
            sub(path(company, "cac:PartyLegalEntity"), "cbc:CompanyID", buyer.org_number)
        contact = path(company, "cac:Contact")
        if buyer.telephone or data.contact_phone:
            sub(contact, "cbc:Telephone", buyer.telephone or data.contact_phone)
        sub(contact, "cbc:ElectronicMail", buyer.email or data.contact_email)


def header(notice, data: NoticeData, notice_type: str) -> None:
    sub(notice, "cbc:UBLVersionID", "2.3")
    sub(notice, "cbc:CustomizationID", data.customization_id)
    sub(notice, "cbc:ID", str(data.notice_id), schemeName="notice-id")
    sub(notice, "cbc:IssueDate", data.issue_date)
    sub(notice, "cbc:IssueTime", data.issue_time)
    sub(notice, "cbc:VersionID", f"{data.version:02d}")


def contracting_parties(notice, data: NoticeData, *, with_types: bool) -> None:
    for index, _buyer in enumerate(data.buyers, start=1):
        party = sub(notice, "cac:ContractingParty")
        if with_types:
            sub(path(party, "cac:ContractingPartyType"), "cbc:PartyTypeCode", "ra", listName="buyer-legal-type")
            sub(path(party, "cac:ContractingActivity"), "cbc:ActivityTypeCode", "gen-pub",
                listName="authority-activity")
        sub(path(party, "cac:Party", "cac:PartyIdentification"), "cbc:ID", data.org_ref(index),
            schemeName="organization")


def project(parent, data: NoticeData, name: str, description: str) -> None:
    procurement_project = sub(parent, "cac:ProcurementProject")
    sub(procurement_project, "cbc:Name", name, languageID=data.language)
    sub(procurement_project, "cbc:Description", description, languageID=data.language)
    sub(procurement_project, "cbc:ProcurementTypeCode", data.contract_nature, listName="contract-nature")
    if data.estimated_value is not None and parent.tag.endswith("Notice"):
        sub(path(procurement_project, "cac:RequestedTenderTotal"), "cbc:EstimatedOverallContractAmount",
            f"{data.estimated_value:.2f}", currencyID="NOK")
    sub(path(procurement_project, "cac:MainCommodityClassification"), "cbc:ItemClassificationCode",
        data.cpv_codes[0], listName="cpv")
    for code in data.cpv_codes[1:]:
        sub(path(procurement_project, "cac:AdditionalCommodityClassification"), "cbc:ItemClassificationCode",
            code, listName="cpv")
    places = sorted({buyer.nuts for buyer in data.buyers if buyer.nuts}) or [""]
    for nuts in places:
        location = sub(procurement_project, "cac:RealizedLocation")
        sub(location, "cbc:Description", ", ".join(b.city or b.name for b in data.buyers if b.nuts == nuts),
            languageID=data.language)
        address = sub(location, "cac:Address")
        if nuts:
            sub(address, "cbc:CountrySubentityCode", nuts, listName="nuts")
        sub(path(address, "cac:Country"), "cbc:IdentificationCode", "NOR", listName="country")


def build(data: NoticeData) -> bytes:
    """The notice's XML (not yet validated)."""
    national = data.subtype == "E2"
    notice = root("PriorInformationNotice")
    extension = path(notice, "ext:UBLExtensions", "ext:UBLExtension", "ext:ExtensionContent",
                     "efext:EformsExtension")
    sub(path(extension, "efac:NoticeSubType"), "cbc:SubTypeCode", data.subtype, listName="notice-subtype")
    organisations(extension, data)
    header(notice, data, "pin-only")
    if data.planned_date and not national:
        sub(notice, "cbc:PlannedDate", data.planned_date)
    sub(notice, "cbc:RegulatoryDomain", "other" if national else "32014L0024")
    sub(notice, "cbc:NoticeTypeCode", "pin-only", listName="planning")
    sub(notice, "cbc:NoticeLanguageCode", data.language)
    contracting_parties(notice, data, with_types=not national)
    if national:
        legislation = path(notice, "cac:TenderingTerms", "cac:ProcurementLegislationDocumentReference")
        sub(legislation, "cbc:ID", "LocalLegalBasis")
        sub(legislation, "cbc:DocumentDescription", data.legal_basis, languageID=data.language)
    project(notice, data, data.title, data.description)
    lot = sub(notice, "cac:ProcurementProjectLot")
    sub(lot, "cbc:ID", "PAR-0001" if national else "PAR-0000", schemeName="Part")
    if not national:
        terms = sub(lot, "cac:TenderingTerms")
        sub(path(terms, "cac:AdditionalInformationParty", "cac:PartyIdentification"), "cbc:ID",
            data.org_ref(1), schemeName="organization")
        appeal = sub(terms, "cac:AppealTerms")
        sub(path(appeal, "cac:AppealReceiverParty", "cac:PartyIdentification"), "cbc:ID",
            data.org_ref(len(data.buyers) + 1), schemeName="organization")
    project(lot, data, data.title, data.description)
    return serialise(notice)
