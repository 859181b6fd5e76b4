# Sourced by the ensure-*.sh scripts: sets SUDO to what runs apt-get here (nothing as root, sudo
# otherwise), or stops, saying what to install as root.
# Usage: use_root "<what is missing>" "<apt-get install arguments>"
use_root() {
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=
	elif command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "$1 is missing and this user cannot install packages: run 'apt-get install $2' as root" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
}
