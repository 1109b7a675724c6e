"""The occupation coder: free text as a returnee says it ("trabajé 6 años de framer en Houston",
"line cook", "hacía tablaroca", "montacarguista en bodega") → ranked O*NET-SOC occupations, each
with a calibrated confidence and the reasons, in stages:

- `normalize`: folding, filler, Spanglish and regional words, light stems; short words only in
  pairs; where a description joins several jobs;
- `index`: the TF-IDF index of titles, tasks and tools, and the typo fix;
- `score`: raw scores per occupation;
- `context`: a role ("ayudante de", "foreman") or a place ("en la carretera") said around a trade;
- `calibrate`: fitted models that turn what the coder saw into the probability of being right;
- `explain`: the reasons, in the reader's language;
- `answer`: the `Coder` itself — `code`, `code_jobs`.

Plain Python (NumPy, SciPy, rapidfuzz). The index is built from the database by
`incluye.skills.coding` (the bundled taxonomy plus whatever official distribution was imported);
nothing is downloaded.
"""

from incluye.skills.coder.answer import Coder, Job, Match
from incluye.skills.coder.calibrate import Calibration
from incluye.skills.coder.context import Context
from incluye.skills.coder.explain import Reason
from incluye.skills.coder.index import Document
from incluye.skills.coder.normalize import Normalizer, fast_fold, features, stem

__all__ = [
    "Calibration",
    "Coder",
    "Context",
    "Document",
    "Job",
    "Match",
    "Normalizer",
    "Reason",
    "fast_fold",
    "features",
    "stem",
]
