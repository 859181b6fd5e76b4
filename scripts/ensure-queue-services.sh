#!/usr/bin/env bash
# Redis and PostgreSQL from Debian's packages for the queue-mode suite (npm run test:queue); installed
# only when missing. Nothing is started here: the suite runs its own servers in a temporary folder.
set -euo pipefail
have_postgres() {
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}
if command -v redis-server >/dev/null 2>&1 && have_postgres; then
	exit 0
fi
# shellcheck source=scripts/debian-packages.sh
. "$(dirname "$0")/debian-packages.sh"
use_root "Redis or PostgreSQL" "redis-server postgresql"
echo "installing redis-server and postgresql from Debian's packages"
# The packages' own services are not wanted: the suite starts its servers on free ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod +x /usr/sbin/policy-rc.d
	trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server postgresql >/dev/null
command -v redis-server >/dev/null
have_postgres
