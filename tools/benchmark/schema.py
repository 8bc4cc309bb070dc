"""The shape of the JSON the parts write, as pydantic models: strict, so that a field renamed,
missing, added or of another type fails. ./dev bench validates each file before it writes it;
tests/performance/test_published.py validates every committed docs/benchmarks/*.json."""

import datetime
from typing import Literal

import pydantic


class Strict(pydantic.BaseModel):
    # Validated from JSON text (model_validate_json), where strict mode still reads dates.
    model_config = pydantic.ConfigDict(extra="forbid", strict=True, frozen=True)


class Machine(Strict):
    """render.machine(): where and when a run was measured."""

    date: datetime.date
    cpu: str
    cores: int
    os: str
    python: str
    rustc: str
    wrk: str


class Document(Strict):
    """What every part's file holds besides its own figures."""

    machine: Machine


# Which build of the Rust samples a run measured.
Profile = Literal["release", "debug"]
# A CPU list for taskset ("0", "0-1"), or None where nothing was pinned.
Cpus = str | None
