# syntax=docker/dockerfile:1
# Passerelle xmpp-proxy (edge). Build from the repository root:
#   docker build -f docker/proxy.Dockerfile -t passerelle/xmpp-proxy .
# Configuration (examples/proxy.yml) is read from /etc/passerelle/proxy.yml; state (the dialback
# secret) goes to /var/lib/passerelle. See docker/README.md.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -q -DskipTests -pl xmpp-proxy -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/passerelle --create-home passerelle \
    && mkdir -p /etc/passerelle \
    && chown passerelle:passerelle /etc/passerelle
COPY --from=build /src/xmpp-proxy/target/lib/ /opt/passerelle/lib/
COPY --from=build /src/xmpp-proxy/target/xmpp-proxy-*.jar /opt/passerelle/lib/
USER passerelle
WORKDIR /var/lib/passerelle
VOLUME ["/etc/passerelle", "/var/lib/passerelle"]
# 5269: server-to-server (RFC 6120 §3.2); 23456: the link gateways dial.
EXPOSE 5269 23456
# SIGTERM (docker stop) drains within shutdown.drain, then closes; give the container a stop
# timeout longer than that (docker stop -t, or stop_grace_period in compose).
CMD ["java", "-cp", "/opt/passerelle/lib/*", "org.passerelle.proxy.ProxyMain", "/etc/passerelle/proxy.yml"]
