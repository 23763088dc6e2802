"""The built-in standards as plain data (no Django imports): the national standard and the
three local ones of the seeds. A data migration loads them; tests check them against the seeds."""

from .huantai import HUANTAI
from .national import NATIONAL
from .sichuan import SICHUAN
from .tianjin import TIANJIN

BUILTIN = [NATIONAL, TIANJIN, HUANTAI, SICHUAN]

__all__ = ["BUILTIN", "HUANTAI", "NATIONAL", "SICHUAN", "TIANJIN"]
