"""Story page, cached and uncached, against a "hello" view: not measurable on this branch,
because the stories (cms) app is not merged here. Prints honest n/a lines, never numbers."""

import sys


def main() -> None:
    for name in ("story-cached", "story-uncached"):
        sys.stdout.write(f"{name}: ratio=n/a project=n/a baseline=n/a (cms not merged)\n")


if __name__ == "__main__":
    main()
