"""Read a guard's narrative: emergency mentions (negation-aware) and the completeness of the report.

Pure Python, importable without Django; the rules in `backend.rules` call it. By concern:
`sentences` (sentence splitting, offset-keeping normalisation), `terms` (the vocabulary: service
terms, 911 calls, hints, benign compounds), `gazetteer` (agency words: defaults, a company's and a
site's own, named officers, misspelt service words), `scope` (negation and hypotheticals in a
clause), `context` (ConText categories via negspacy: historical, hypothetical or someone's intent,
training, not attending), `emergency` (`find_emergency_mentions`: the services a narrative says
came, or only mentions, each with its sentence and reason) and `completeness`
(what/where/when/who/action, meaningful words, thin narratives).
"""
