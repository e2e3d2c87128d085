# syntax=docker/dockerfile:1
# Passerelle xmpp-gateway (internal). Build from the repository root:
#   docker build -f docker/gateway.Dockerfile -t passerelle/xmpp-gateway .
# Configuration (examples/gateway.yml) is read from /etc/passerelle/gateway.yml; state (the
# subscription store) goes to /var/lib/passerelle. See docker/README.md.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -q -DskipTests -pl xmpp-gateway -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/passerelle --create-home passerelle \
    && mkdir -p /etc/passerelle \
    && chown passerelle:passerelle /etc/passerelle
COPY --from=build /src/xmpp-gateway/target/lib/ /opt/passerelle/lib/
COPY --from=build /src/xmpp-gateway/target/xmpp-gateway-*.jar /opt/passerelle/lib/
USER passerelle
WORKDIR /var/lib/passerelle
VOLUME ["/etc/passerelle", "/var/lib/passerelle"]
# SIP, as configured (sip.udp / sip.tcp; 5060 by default).
EXPOSE 5060/udp 5060/tcp
# SIGTERM (docker stop) drains within shutdown.drain, then closes; give the container a stop
# timeout longer than that (docker stop -t, or stop_grace_period in compose).
CMD ["java", "-cp", "/opt/passerelle/lib/*", "org.passerelle.gateway.GatewayMain", "/etc/passerelle/gateway.yml"]
