"""The operations console (/console/): where managers and site supervisors work (UI.md)."""
