"""Read a guard's narrative: emergency mentions (negation-aware) and the completeness of the report.

Pure Python, importable without Django; the rules in `backend.rules` call it.
"""
