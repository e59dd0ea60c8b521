"""PDFium functions called in the per-object and per-character loops, with handles as plain integers.

pypdfium2's bindings type every handle as a ctypes pointer: each call checks its arguments' types
and builds a pointer object for what it returns, which costs more than the C function itself when
it is called once per text object or per character (a page holds hundreds of each). These are the
same C functions, reached at the same addresses, typed with ``c_void_p`` (a handle is an ``int``)
and out-parameters passed as addresses, so a call builds nothing. Only the functions those loops
need are here; everything else goes through ``pypdfium2.raw``.
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

_P = ctypes.c_void_p
_I = ctypes.c_int
_D = ctypes.c_double


def _plain(fn, restype, *argtypes):
    """``fn`` (a pypdfium2 binding) typed anew: the same C function at the same address."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, _P).value)


def handle(obj) -> int:
    """A pypdfium2 handle (a ctypes pointer) as the integer these functions take."""
    return ctypes.cast(obj, _P).value or 0


# page objects (FPDF_PAGE / FPDF_PAGEOBJECT / FPDF_TEXTPAGE as int)
page_count_objects = _plain(pdfium_c.FPDFPage_CountObjects, _I, _P)
page_get_object = _plain(pdfium_c.FPDFPage_GetObject, _P, _P, _I)
form_count_objects = _plain(pdfium_c.FPDFFormObj_CountObjects, _I, _P)
form_get_object = _plain(pdfium_c.FPDFFormObj_GetObject, _P, _P, ctypes.c_ulong)
obj_get_type = _plain(pdfium_c.FPDFPageObj_GetType, _I, _P)
obj_has_transparency = _plain(pdfium_c.FPDFPageObj_HasTransparency, _I, _P)
obj_get_matrix = _plain(pdfium_c.FPDFPageObj_GetMatrix, _I, _P, _P)  # (obj, address of an FS_MATRIX)
obj_get_fill_color = _plain(pdfium_c.FPDFPageObj_GetFillColor, _I, _P, _P, _P, _P, _P)  # r, g, b, a: addresses of c_uint
obj_get_bounds = _plain(pdfium_c.FPDFPageObj_GetBounds, _I, _P, _P, _P, _P, _P)  # left, bottom, right, top: addresses of c_float

# text page
text_get_text_object = _plain(pdfium_c.FPDFText_GetTextObject, _P, _P, _I)
text_count_rects = _plain(pdfium_c.FPDFText_CountRects, _I, _P, _I, _I)
text_get_rect = _plain(pdfium_c.FPDFText_GetRect, _I, _P, _I, _P, _P, _P, _P)  # left, top, right, bottom: addresses of c_double
text_get_loose_char_box = _plain(pdfium_c.FPDFText_GetLooseCharBox, _I, _P, _I, _P)  # address of an FS_RECTF
text_is_generated = _plain(pdfium_c.FPDFText_IsGenerated, _I, _P, _I)
