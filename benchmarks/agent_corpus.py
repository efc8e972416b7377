"""The admin agent's sentence corpus: how many sentences it gets right, part by part.

    .venv/bin/python benchmarks/agent_corpus.py            # both parts
    .venv/bin/python benchmarks/agent_corpus.py --failures # and each sentence not right

Each sentence runs through the agent (the planner and executor ``auxot ask`` uses) against a
copy of its seeded SQLite workspace; a positive's plan is run and the state it leaves is
checked, a negative's plan (if any) is run and every row compared. The held-out part was
written before the fixes and is not tuned on. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.agent_corpus.runner import PARTS, Workspaces, run_part


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--failures", action="store_true", help="list each sentence not right")
    args = parser.parse_args()
    spaces = Workspaces()
    try:
        print(
            f"{'part':<8} {'positives':>9} {'right':>6} {'asked':>6} {'not done':>9} {'wrong':>6}"
            f" {'right %':>8} {'negatives':>10} {'changed':>8}"
        )
        for part in PARTS:
            score = run_part(spaces, part)
            pos, neg = score.positives, score.negatives
            print(
                f"{part:<8} {score.positive_total:>9} {pos['right']:>6} {pos['asked']:>6}"
                f" {pos['not done']:>9} {pos['wrong']:>6} {100 * score.right_share:>7.1f}%"
                f" {sum(neg.values()):>10} {neg['changed']:>8}"
            )
            if args.failures:
                for sentence, what in score.failures:
                    print(f"    {sentence!r}: {what}")
    finally:
        spaces.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
