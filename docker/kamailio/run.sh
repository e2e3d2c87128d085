#!/bin/sh
# Runs examples/kamailio.cfg (mounted at $KAMAILIO_TEMPLATE) on a compose network: the example is
# written for loopback, with Kamailio on 127.0.0.3 and the gateway on 127.0.0.1; here each has its
# own address. Usage: run.sh [output file]; with an output file it only writes the configuration
# (the packaging test checks it that way with `kamailio -c`).
set -eu
: "${KAMAILIO_TEMPLATE:=/etc/passerelle/kamailio.cfg}"
: "${KAMAILIO_ADDRESS:?the address Kamailio listens on}"
: "${GATEWAY_ADDRESS:?the address of the gateway}"
out="${1:-/tmp/kamailio.cfg}"
sed -e "s/127\.0\.0\.3/${KAMAILIO_ADDRESS}/g" \
    -e "s/127\.0\.0\.1/${GATEWAY_ADDRESS}/g" \
    "$KAMAILIO_TEMPLATE" > "$out"
if [ $# -gt 0 ]; then
  exit 0
fi
exec kamailio -f "$out" -DD -E -m "${KAMAILIO_MEMORY_MB:-256}" -u kamailio -g kamailio
