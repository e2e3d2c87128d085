# syntax=docker/dockerfile:1
# Kamailio with its presence modules, from the Debian 12 packages the integration tests run
# (Kamailio 5.6). Runs examples/kamailio.cfg with the addresses of the compose network put in
# place of its loopback ones (docker/kamailio/run.sh).
#   docker build -f docker/kamailio.Dockerfile -t passerelle/kamailio .

FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       kamailio kamailio-presence-modules \
    && rm -rf /var/lib/apt/lists/*
COPY docker/kamailio/run.sh /usr/local/bin/passerelle-kamailio
EXPOSE 5060/udp 5060/tcp
ENTRYPOINT ["/usr/local/bin/passerelle-kamailio"]
