#!/usr/bin/env bash
# Install the realist-review package from the project folder into the rule environment.
set -euo pipefail
python -m pip install --no-deps --no-build-isolation . || python -m pip install --no-deps .
