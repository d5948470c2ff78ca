"""Paper presets and printer geometry taken from python-escpos profiles.

A ticket layout needs three facts about a printer: how many characters fit
on a line (font A), how many dots the paper is wide, and whether the printer
draws QR codes itself (``GS ( k``). All three come from the python-escpos
capabilities database; a paper preset (``58mm``/``80mm``) only names a
default profile whose figures match the common printers of that width.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from printers.errors import PrinterConfigError

#: paper preset -> python-escpos profile name (384 dots/32 columns, 576 dots/48 columns)
PAPER_PRESETS: dict[str, str] = {
    "58mm": "Sunmi-V2",
    "80mm": "TM-T20II",
}
DEFAULT_PAPER = "80mm"
#: fallback pixel width when a profile does not know its own
_PIXELS_BY_PAPER = {"58mm": 384, "80mm": 576}
#: code pages in order of preference for Indonesian text (all hold é, ü, ...)
_PREFERRED_ENCODINGS = ("CP858", "CP850", "CP1252", "CP437")


@dataclass(frozen=True)
class PrinterSpec:
    """What the layout needs to know about one printer model."""

    profile_name: str
    paper: str
    columns: int
    pixel_width: int
    native_qr: bool
    encoding: str

    def profile(self) -> Any:
        """The python-escpos profile object for this spec."""
        from escpos.capabilities import get_profile  # its capability database is slow to load

        return get_profile(self.profile_name)


def normalise_paper(paper: str | None) -> str:
    """Map ``58``, ``58mm``, ``58 MM`` to a preset name; reject unknown widths."""
    if paper is None or not paper.strip():
        return DEFAULT_PAPER
    key = paper.strip().lower().replace(" ", "")
    if not key.endswith("mm"):
        key += "mm"
    if key not in PAPER_PRESETS:
        known = ", ".join(PAPER_PRESETS)
        raise PrinterConfigError(f"Unknown paper width {paper!r}; use one of: {known}.")
    return key


def _paper_for_mm(mm: Any) -> str:
    try:
        return "58mm" if float(mm) < 70 else "80mm"
    except (TypeError, ValueError):
        return DEFAULT_PAPER


@cache
def resolve_spec(paper: str | None = None, profile: str | None = None) -> PrinterSpec:
    """Build the spec for a paper preset or an explicit python-escpos profile name."""
    # Loaded here, not at import: the capability database costs a quarter second and
    # `loket serve` (which registers the printer commands) never prints.
    from escpos.capabilities import CAPABILITIES, get_profile

    if profile:
        if profile not in CAPABILITIES["profiles"]:
            raise PrinterConfigError(f"Unknown printer profile {profile!r}.")
        profile_name = profile
    else:
        profile_name = PAPER_PRESETS[normalise_paper(paper)]
    escpos_profile = get_profile(profile_name)
    media = escpos_profile.profile_data.get("media", {}).get("width", {})
    paper_name = normalise_paper(paper) if paper else _paper_for_mm(media.get("mm"))
    pixels = media.get("pixels")
    pixel_width = pixels if isinstance(pixels, int) else _PIXELS_BY_PAPER[paper_name]
    code_pages = escpos_profile.get_code_pages()
    usable = [name for name in code_pages if name != "Unknown"] or ["CP437"]
    encoding = next((e for e in _PREFERRED_ENCODINGS if e in code_pages), usable[0])
    return PrinterSpec(
        profile_name=profile_name,
        paper=paper_name,
        columns=escpos_profile.get_columns("a"),
        pixel_width=pixel_width,
        native_qr=bool(escpos_profile.supports("qrCode")),
        encoding=encoding,
    )
