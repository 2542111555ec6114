"""The emergency detector before issue 10 (a copy of narrative/ at b6f3d6f).

Kept only for the BEFORE figures of bench/bench_narrative.py; nothing else imports it.
"""
