"""API for budget (mounted at /api/v1/budget/), and its public figures."""

from ninja import Router

router = Router()
public_router = Router()
