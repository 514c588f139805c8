"""``python -m tools.demo [--screening]``: rebuild the embedded demo review (fictional data)."""

import argparse
import logging
import sys

from realist_review.errors import InputError
from tools.demo import add_arguments, run

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
parser = argparse.ArgumentParser(prog="python -m tools.demo", description=__doc__)
add_arguments(parser)
try:
    sys.exit(run(parser.parse_args()))
except InputError as exc:
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(2)
