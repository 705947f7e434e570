"""Benefit realisation (gevinstrealisering): per buyer municipality and KPI a baseline, a target
and measurements per period, also after the procurement is completed; charts, the benefits
report, the results shown in the learning arena, and the lesson learned that completes a
procurement."""
