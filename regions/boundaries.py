"""Boundaries and centroids shipped with the app (no tile server, no download)."""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA / "regions-kepmendagri-2025.csv.gz"
TPS_PER_VILLAGE_CSV = DATA / "pemilu2024-tps-per-village.csv.gz"

# level -> boundary files that hold that level (national for 1-2, Kaltim only for 3-4).
FILES = {
    1: ["provinces.geojson.gz"],
    2: ["regencies.geojson.gz"],
    3: ["districts-64.geojson.gz"],
    4: ["villages-64.geojson.gz"],
}


@lru_cache(maxsize=8)
def _features(filename: str) -> dict[str, dict[str, Any]]:
    with gzip.open(DATA / filename, "rt", encoding="utf-8") as f:
        data = json.load(f)
    return {feat["properties"]["code"]: feat for feat in data["features"]}


def features_for_level(level: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name in FILES.get(level, []):
        out.update(_features(name))
    return out


# A feature's "properties" object, when it is flat (no nested object), as the shipped files are.
_PROPERTIES = re.compile(rb'"properties"\s*:\s*(\{[^{}]*\})')


def _properties(filename: str) -> list[dict[str, Any]]:
    """The features' properties, without decoding the geometries (nearly all of the file)."""
    with gzip.open(DATA / filename, "rb") as f:
        raw = f.read()
    found = [json.loads(m.group(1)) for m in _PROPERTIES.finditer(raw)]
    if len(found) != raw.count(b'"properties"'):  # a nested object somewhere: decode it all
        return [feat["properties"] for feat in _features(filename).values()]
    return found


def centroids() -> dict[str, tuple[float, float]]:
    """code -> (lat, lng) for every region that has a shipped boundary."""
    out = {}
    for names in FILES.values():
        for name in names:
            for p in _properties(name):
                if p.get("lat") is not None and p.get("lng") is not None:
                    out[p["code"]] = (float(p["lat"]), float(p["lng"]))
    return out


def feature_collection(codes: list[str], level: int, props: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """GeoJSON of the given regions (those with a shipped boundary), with extra properties."""
    feats = features_for_level(level)
    out = []
    for code in codes:
        feat = feats.get(code)
        if feat is None:
            continue
        out.append(
            {
                "type": "Feature",
                "geometry": feat["geometry"],
                "properties": {**feat["properties"], **props.get(code, {})},
            }
        )
    return {"type": "FeatureCollection", "features": out}
