"""JSON API of the requirement specification: requirements (with the library to pick from and an
XLSX export), traceability, award criteria and the ranking simulation.

Thin: each endpoint parses input, calls one service function, commits, and shapes the answer.
Unauthorised objects answer 404; writes after the competition is announced 409.
"""

from __future__ import annotations

import uuid

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from core.api.preconditions import etag_pattern, sent_versions
from core.db import db
from core.specification import criteria, exports, lots, present, requirements, traceability
from core.specification import schemas as s
from core.specification.service import reads

blp = Blueprint("specification_api", __name__, url_prefix="/api/v1", description="Requirement specification")
ETAG_RE = etag_pattern("req")


def _if_match() -> int | None:
    """The version named by an `If-Match` header, if one was sent (-1: not one of ours)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    match = ETAG_RE.match(header)
    return int(match.group(1)) if match else -1


def _etag(requirement) -> dict[str, str]:
    return {"ETag": f'"req-{requirement.version}"'}


@blp.route("/procurements/<uuid:procurement_id>/requirements")
class Requirements(MethodView):
    @blp.arguments(s.SpecificationPageQuery, location="query")
    @blp.response(200, s.SpecificationRequirementPageSchema)
    def get(self, query, procurement_id: uuid.UUID):
        """The requirement specification in order, one page at a time (keyset: `next_cursor`)."""
        return requirements.list_requirements(procurement_id, cursor=query["cursor"], limit=query["limit"],
                                              lot_id=query["lot_id"])

    @blp.arguments(s.SpecificationRequirementInputSchema)
    @blp.response(201, s.SpecificationRequirementSchema)
    def post(self, data, procurement_id: uuid.UUID):
        """A new requirement (project group): own, or picked from the library with `library_ref`.
        It must answer at least one need of the procurement (`needs`)."""
        requirement = requirements.create_requirement(procurement_id, data)
        db.session.commit()
        return requirement, 201, _etag(requirement)


@blp.route("/procurements/<uuid:procurement_id>/requirements.xlsx")
class RequirementsExport(MethodView):
    @blp.response(200, description="The requirement specification as an XLSX workbook")
    def get(self, procurement_id: uuid.UUID):
        """The requirement specification with the needs each covers, and the award criteria."""
        name, body = exports.export_xlsx(procurement_id)
        return Response(body, mimetype=exports.XLSX_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/procurements/<uuid:procurement_id>/requirement-library")
class RequirementLibrary(MethodView):
    @blp.response(200, s.SpecificationLibraryItemSchema(many=True))
    def get(self, procurement_id: uuid.UUID):
        """Requirements the domain plugin offers for this procurement (pick with `library_ref`)."""
        return requirements.library(reads(procurement_id).procurement)


@blp.route("/requirements/<uuid:requirement_id>")
class RequirementDetail(MethodView):
    @blp.response(200, s.SpecificationRequirementSchema)
    def get(self, requirement_id: uuid.UUID):
        """One requirement; sends an ETag for `PATCH` and `DELETE`."""
        requirement = requirements.get_requirement(requirement_id)
        return requirement, 200, _etag(requirement)

    @blp.arguments(s.SpecificationRequirementPatchSchema)
    @blp.response(200, s.SpecificationRequirementSchema)
    @blp.alt_response(409, schema=None, description="`version` is stale, or the competition is announced")
    @blp.alt_response(412, schema=None, description="`If-Match` is stale")
    @blp.alt_response(428, schema=None, description="Neither `If-Match` nor `version` was sent")
    def patch(self, data, requirement_id: uuid.UUID):
        """Change a requirement (project group). Send `If-Match` (the ETag) or the `version` you read."""
        requirements.get_requirement(requirement_id)  # who cannot see it learns nothing about preconditions
        if_match, expected = sent_versions(data, ETAG_RE)
        requirement = requirements.update_requirement(requirement_id, data, if_match_version=if_match,
                                                      expected_version=expected)
        db.session.commit()
        return requirement, 200, _etag(requirement)

    @blp.response(204)
    @blp.alt_response(412, schema=None, description="`If-Match` is stale")
    def delete(self, requirement_id: uuid.UUID):
        """Delete a requirement (project group); `If-Match` is checked when sent."""
        requirements.get_requirement(requirement_id)
        requirements.delete_requirement(requirement_id, if_match_version=_if_match())
        db.session.commit()


@blp.route("/procurements/<uuid:procurement_id>/traceability")
class Traceability(MethodView):
    @blp.response(200, s.SpecificationTraceabilitySchema)
    def get(self, procurement_id: uuid.UUID):
        """Every need with the requirements covering it; the priority-1 needs none covers."""
        return present.traceability_dict(traceability.build(procurement_id))


@blp.route("/procurements/<uuid:procurement_id>/award-criteria")
class AwardCriteria(MethodView):
    @blp.response(200, s.SpecificationCriteriaSchema)
    def get(self, procurement_id: uuid.UUID):
        """Criteria, sub-criteria, weights and the price model with its formula."""
        sets = criteria.criteria_sets(procurement_id)
        return present.criteria_dict(sets, reads(procurement_id).procurement)

    @blp.arguments(s.SpecificationCriteriaInputSchema)
    @blp.response(200, s.SpecificationCriteriaSchema)
    @blp.alt_response(422, schema=None, description="Weights do not add up (the problem names the sums in `sums`)")
    def put(self, data, procurement_id: uuid.UUID):
        """Replace every award criterion (project group): top-level weights add up to 100 per lot,
        sub-criteria to their parent's weight, one price criterion with a scoring model."""
        sets = criteria.replace_criteria(procurement_id, data["criteria"])
        db.session.commit()
        return present.criteria_dict(sets, reads(procurement_id).procurement)


@blp.route("/procurements/<uuid:procurement_id>/award-criteria/simulation")
class Simulation(MethodView):
    @blp.arguments(s.SpecificationSimulationInputSchema)
    @blp.response(200, s.SpecificationSimulationSchema)
    def post(self, data, procurement_id: uuid.UUID):
        """Rank hypothetical tenders with the criteria (nothing is stored); ties share a rank."""
        criteria_set, ranking = criteria.simulate(procurement_id, data["tenders"], data["lot_id"])
        return present.ranking_dict(criteria_set, ranking)


@blp.route("/procurements/<uuid:procurement_id>/lots")
class Lots(MethodView):
    @blp.response(200, s.SpecificationLotSchema(many=True))
    def get(self, procurement_id: uuid.UUID):
        """The procurement's lots (delkontrakter); none means one implicit whole."""
        return lots.list_lots(procurement_id)

    @blp.arguments(s.SpecificationLotsInputSchema)
    @blp.response(200, s.SpecificationLotSchema(many=True))
    def put(self, data, procurement_id: uuid.UUID):
        """Replace the lots (project group): kept by `id`, new ones added, the rest removed (their
        requirements move to the whole, their own criteria go)."""
        result = lots.replace_lots(procurement_id, data["lots"])
        db.session.commit()
        return result
