"""API for violations (mounted at /api/v1/violations/), and the public counts."""

from ninja import Router

router = Router()
public_router = Router()
