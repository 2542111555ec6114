"""Geofence engine: where guards' phones are relative to site fences, in metres.

Pure geometry, importable without Django: `classify` (inside / near / outside verdicts,
`PreparedFence`, `FenceSet`), `frame` (local metric frames), `grid` and `hull` (fast exact
distances), `fixes`, `presence` (presence timelines) and `integrity` (evidence findings).
The same verdicts computed in the database live in `backend/sites/fence_sql.py`.
"""
