"""Read a guard's narrative: emergency mentions (negation-aware) and the completeness of the report.

Pure Python, importable without Django; the rules in `backend.rules` call it. By concern:
`sentences` (sentence splitting, offset-keeping normalisation), `terms` (the vocabulary: service
terms, 911 calls, hints, benign compounds), `scope` (negation and hypotheticals: the seam for a
negation library), `emergency` (`find_emergency_mentions`, the services a narrative says came)
and `completeness` (what/where/when/who/action, meaningful words, thin narratives).
"""
