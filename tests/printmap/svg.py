"""Reading the print map's SVG as a reader would: its texts, and how each group is drawn.

Independent of the code under test: it parses the SVG with ElementTree and reads the shapes
from the path data and the paint from the style attributes (SVG 1.1 defaults where absent).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
DEFAULTS = {"fill": "#000000", "stroke": "none", "stroke-width": "1", "stroke-opacity": "1"}


@dataclass(frozen=True)
class Mark:
    """One drawn path: its shape and its paint."""

    shape: str  # "circle", "square", "triangle-up" or "path"
    style: dict[str, str]

    @property
    def width(self) -> float:
        return float(self.style["stroke-width"])

    @property
    def dashes(self) -> tuple[float, ...] | None:
        """The dash pattern as multiples of the stroke width, or None for a solid stroke."""
        dash = self.style.get("stroke-dasharray", "none")
        if dash == "none":
            return None
        return tuple(round(float(v) / self.width, 6) for v in re.split(r"[ ,]+", dash.strip()))


def parse_style(text: str | None) -> dict[str, str]:
    out = {}
    for item in (text or "").split(";"):
        if ":" in item:
            key, value = item.split(":", 1)
            out[key.strip()] = value.strip().lower()
    return out


def shape(d: str) -> str:
    """What a path outlines: a circle (curves), a square or an upward triangle, else "path"."""
    if "C" in d:
        return "circle"
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    points = sorted(set(zip(numbers[::2], numbers[1::2], strict=False)))
    if len(points) == 4 and len({x for x, _ in points}) == 2 and len({y for _, y in points}) == 2:
        return "square"
    if len(points) == 3:
        top = min(y for _, y in points)  # SVG's y points down
        apex = [x for x, y in points if y == top]
        base = [x for x, y in points if y != top]
        if len(apex) == 1 and len(base) == 2 and min(base) < apex[0] < max(base):
            return "triangle-up"
    return "path"


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def groups(svg: bytes) -> dict[str, list[ET.Element]]:
    """Every element with an id, by id (matplotlib repeats a gid for each panel)."""
    out: dict[str, list[ET.Element]] = {}
    for element in ET.fromstring(svg).iter():
        if "id" in element.attrib:
            out.setdefault(element.attrib["id"], []).append(element)
    return out


def marks(svg: bytes, gid: str) -> list[Mark]:
    """The paths drawn in every group `gid`: paths directly, or defs used by <use>."""
    root = ET.fromstring(svg)
    defs = {p.attrib["id"]: p for p in root.iter(f"{NS}path") if "id" in p.attrib}
    out = []
    for group in groups(svg).get(gid, []):
        for element in group.iter():
            if element.tag == f"{NS}use":
                path = defs[element.attrib[XLINK].lstrip("#")]
                style = {**parse_style(path.get("style")), **parse_style(element.get("style"))}
            elif element.tag == f"{NS}path" and "id" not in element.attrib:
                path, style = element, parse_style(element.get("style"))
            else:
                continue
            out.append(Mark(shape(path.attrib["d"]), {**DEFAULTS, **style}))
    return out


def clip_rects(svg: bytes) -> dict[str, tuple[float, float, float, float]]:
    """Every clip path's rectangle (x0, x1, y0, y1 in SVG units), by its id."""
    out = {}
    for clip in ET.fromstring(svg).iter(f"{NS}clipPath"):
        rect = clip.find(f"{NS}rect")
        if rect is not None:
            x, y = float(rect.attrib["x"]), float(rect.attrib["y"])
            out[clip.attrib["id"]] = (
                x,
                x + float(rect.attrib["width"]),
                y,
                y + float(rect.attrib["height"]),
            )
    return out


def placed(svg: bytes, gid: str) -> list[tuple[float, float, tuple[float, float, float, float]]]:
    """Each symbol of the groups `gid`: its x, y and the rectangle of the panel it is drawn in."""
    rects, out = clip_rects(svg), []
    for group in groups(svg).get(gid, []):
        for holder in group.iter():
            if "clip-path" not in holder.attrib:
                continue
            clip = holder.attrib["clip-path"][5:-1]  # url(#id)
            for use in holder.iter(f"{NS}use"):
                out.append((float(use.attrib["x"]), float(use.attrib["y"]), rects[clip]))
    return out


def line_extents(
    svg: bytes, prefix: str = "line-"
) -> list[tuple[float, float, tuple[float, float, float, float]]]:
    """Each line path in the groups whose id starts with `prefix`: its least and greatest x, and
    the rectangle of its panel."""
    rects, out = clip_rects(svg), []
    for gid, elements in groups(svg).items():
        if not gid.startswith(prefix):
            continue
        for group in elements:
            for path in group.iter(f"{NS}path"):
                numbers = [
                    float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", path.attrib["d"])
                ]
                xs = numbers[::2]
                out.append((min(xs), max(xs), rects[path.get("clip-path", "")[5:-1]]))
    return out
