"""The requirement specification of a procurement: lots, requirements traced to the needs they
answer, award criteria with weights and a declared price model, and the simulation of a ranking.

It sits above `core.procurement` and `core.library` and below the dialogue and the transfer; the
competition package builds tenders on these models.
"""
