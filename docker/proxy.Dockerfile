# Passerelle xmpp-proxy. Build from the repository root:
#   docker build -f docker/proxy.Dockerfile -t passerelle/xmpp-proxy .
# Run with a configuration (see examples/proxy.yml) mounted at /etc/passerelle/proxy.yml.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q -DskipTests -pl xmpp-proxy -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/passerelle --create-home passerelle
COPY --from=build /src/xmpp-proxy/target/xmpp-proxy-*.jar /opt/passerelle/xmpp-proxy.jar
COPY --from=build /src/xmpp-proxy/target/lib/ /opt/passerelle/lib/
USER passerelle
WORKDIR /var/lib/passerelle
EXPOSE 5269 23456
ENTRYPOINT ["java", "-cp", "/opt/passerelle/xmpp-proxy.jar:/opt/passerelle/lib/*", "org.passerelle.proxy.ProxyMain"]
CMD ["/etc/passerelle/proxy.yml"]
