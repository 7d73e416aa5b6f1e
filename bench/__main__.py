"""`make bench`: run every benchmark under bench/. Each prints ratios (ours against a baseline measured in the same
run), not absolute times, so results compare across machines."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jewelry_site.settings.local")


def main() -> int:
    from bench import search

    return search.main()


if __name__ == "__main__":
    sys.exit(main())
