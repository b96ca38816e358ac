"""Progress of an index build on the terminal."""

from __future__ import annotations

import sys


class ProgressBars:
    """A build's progress(label, done, total) as one tqdm bar a label, on stderr."""

    def __init__(self):
        self.bars: dict = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self.bars.get(label)
        if bar is None:
            bar = self.bars[label] = tqdm(total=total, desc=f"{label:>12}", unit="text",
                                          file=sys.stderr)
        bar.update(done - bar.n)

    def close(self) -> None:
        for b in self.bars.values():
            b.close()
