"""Evaluation, award, standstill, complaints, cancellation and one contract per buyer (issue #14).

An internal plugin above the competition: it reads the opened tenders through the competition's
services, scores them with the specification's price model and ranking, and answers the
platform's hooks for the tender read path, the phase transition and the gate items.
"""
