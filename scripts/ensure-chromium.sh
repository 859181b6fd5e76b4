#!/usr/bin/env bash
# Chromium from Debian's packages for the editor suite (npm run test:editor); installed only when missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "Chromium is missing and this user cannot install packages: run 'apt-get install chromium' as root" >&2
		exit 1
	fi
else
	SUDO=
fi
echo "installing chromium from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
/usr/bin/chromium --version
