# syntax=docker/dockerfile:1
# Passerelle xmpp-gateway (internal), run by the `passerelle` command. Build from the repository
# root:
#   docker build -f docker/gateway.Dockerfile -t passerelle/xmpp-gateway .
# Configuration (examples/gateway.yml) is read from /etc/passerelle/gateway.yml; state (the
# subscription store) goes to /var/lib/passerelle. See docker/README.md.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -q -DskipTests -pl passerelle-cli -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/passerelle --create-home passerelle \
    && mkdir -p /etc/passerelle \
    && chown passerelle:passerelle /etc/passerelle
# The jar finds its class path in lib/ beside it (its manifest says so).
COPY --from=build /src/passerelle-cli/target/lib/ /opt/passerelle/lib/
COPY --from=build /src/passerelle-cli/target/passerelle-cli.jar /opt/passerelle/passerelle-cli.jar
# The launcher maps a class data sharing archive (docs/decisions/0014-class-data-sharing-archive.md),
# written into the state volume when the first container of this image stops.
COPY --from=build /src/passerelle /opt/passerelle/passerelle
ENV PASSERELLE_CDS_DIR=/var/lib/passerelle
USER passerelle
WORKDIR /var/lib/passerelle
VOLUME ["/etc/passerelle", "/var/lib/passerelle"]
# SIP, as configured (sip.udp / sip.tcp; 5060 by default); 9270: the admin endpoint (metrics,
# health, status page), served only with an admin: section listening beyond loopback.
EXPOSE 5060/udp 5060/tcp 9270
# SIGTERM (docker stop) drains within shutdown.drain, then closes; give the container a stop
# timeout longer than that (docker stop -t, or stop_grace_period in compose).
CMD ["/opt/passerelle/passerelle", "gateway", "/etc/passerelle/gateway.yml"]
