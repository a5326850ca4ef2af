#!/bin/sh
# Stop the service before its binary goes (not on an upgrade).
set -e
case "$1" in
	remove|purge|0)
		if [ -d /run/systemd/system ]; then
			systemctl disable --now softphone >/dev/null 2>&1 || true
		fi
		;;
esac
