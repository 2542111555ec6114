"""The emergency detector as it was before issue 10 (a copy of narrative/ at b6f3d6f), for the BEFORE figures of bench/bench_narrative.py only."""
