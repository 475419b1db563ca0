"""Demo images drawn with Pillow from the specs in psg_content.json: a vertical gradient and one shape."""

import io

from PIL import Image as PILImage
from PIL import ImageDraw


def _rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def render_png(spec):
    """The PNG bytes of one image spec; the same spec always gives the same bytes."""
    width, height = spec["size"]
    top, bottom = (_rgb(colour) for colour in spec["gradient"])
    canvas = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(canvas)
    for y in range(height):
        share = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)

    shape = spec.get("shape")
    if shape:
        fill = _rgb(shape["colour"])
        if shape["kind"] == "triangle":
            draw.polygon([tuple(point) for point in shape["points"]], fill=fill)
        elif shape["kind"] == "ellipse":
            draw.ellipse(shape["box"], fill=fill)
        elif shape["kind"] == "rectangle":
            draw.rectangle(shape["box"], fill=fill)
        else:
            raise ValueError(f"Unknown shape kind: {shape['kind']!r}")

    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
