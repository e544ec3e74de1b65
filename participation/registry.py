"""What the participation app contributes to the shared shell (see core/registry.py)."""
