#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every test on a fresh Debian 12 machine: installs what tattle needs, builds everything (zero warnings
# enforced with -Werror), checks formatting, and runs the whole GoogleTest suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh -DTATTLE_BUILD_TESTS=ON -DTATTLE_BUILD_BENCH=ON -DCMAKE_CXX_FLAGS=-Werror
unformatted=$(git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run 2>&1 | grep -c 'warning:' || true)
if [ "$unformatted" != "0" ]; then
    echo "clang-format: $unformatted formatting differences (run clang-format -i on the files above)" >&2
    git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run 2>&1 | grep 'warning:' | head -20 >&2
    exit 1
fi
if [ ! -d ../shared/samples ]; then
    echo "warning: ../shared/samples is missing: the conformance tests will fail" >&2
fi
ctest --test-dir build --output-on-failure --parallel "$(nproc)" --timeout 300
