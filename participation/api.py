"""API for participation (mounted at /api/v1/participation/), and its public figures."""

from ninja import Router

router = Router()
public_router = Router()
