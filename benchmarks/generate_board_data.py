"""Board benchmark data (benchmarks/board_data.py) from the command line:

python -m benchmarks.generate_board_data --users 20000 --entries 1000000
"""

from __future__ import annotations

import argparse
import sys

from . import common


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    common.setup_django()
    from .board_data import generate  # needs the app registry that setup_django() fills

    generate(users=args.users, entries=args.entries, seed=args.seed, stdout=sys.stdout)


if __name__ == "__main__":
    main()
