"""Console views, one module per area (auth, home, reports, live, attendance...)."""
