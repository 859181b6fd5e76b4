#!/usr/bin/env bash
# Chromium from Debian's packages for the editor suite (npm run test:editor); installed only when missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
	exit 0
fi
# shellcheck source=scripts/debian-packages.sh
. "$(dirname "$0")/debian-packages.sh"
use_root Chromium chromium
echo "installing chromium from Debian's packages"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
/usr/bin/chromium --version
