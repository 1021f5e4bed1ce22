"""Hypothesis settings and strategies shared by the importers' property tests.

Every importer gets arbitrary bytes and must either import them or refuse them with a
reason; an exception of any other kind is a failure ("500 from a malformed file").
"""

from __future__ import annotations

import gzip
import io
import zipfile

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

#: Arbitrary bytes, small: the interesting failures are in the first bytes of a file.
raw = st.binary(max_size=600)
#: Text of any characters, control characters and separators included.
text = st.text(max_size=300)


def text_after(header: str):
    """Bytes of a file that starts right (its header) and goes on with anything."""
    return st.one_of(
        raw,
        st.builds(lambda body: (header + body).encode("utf-8"), text),
        st.builds(lambda body: header.encode("utf-8") + body, raw),
    )


def mutated(valid: bytes):
    """A valid file with a few bytes overwritten: gets past the first check of the format."""

    def mutate(positions_and_values):
        data = bytearray(valid)
        for position, value in positions_and_values:
            data[position % len(data)] = value
        return bytes(data)

    return st.builds(
        mutate,
        st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
    )


def gzipped(strategy):
    return st.builds(gzip.compress, strategy)


def zipped(name: str, strategy):
    """A zip whose member ``name`` holds what the strategy gives (an .xlsx or .docx part)."""

    def build(content: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, content)
        return buffer.getvalue()

    return st.builds(build, raw)
