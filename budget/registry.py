"""What the budget app contributes to the shared shell (see core/registry.py)."""
