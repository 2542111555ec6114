"""Geofence engine: where guards' phones are relative to site fences, in metres.

Pure geometry, importable without Django: `classify` (inside / near / outside verdicts,
`PreparedFence`, `FenceSet`), `frame` (local metric frames), `grid` and `hull` (fast exact
distances), `fixes`, `presence` (presence timelines) and `integrity` (evidence findings).
`postgis` is the one Django-bound module: the same verdicts computed in the database.
"""
