# Passerelle xmpp-gateway. Build from the repository root:
#   docker build -f docker/gateway.Dockerfile -t passerelle/xmpp-gateway .
# Run with a configuration (see examples/gateway.yml) mounted at /etc/passerelle/gateway.yml.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q -DskipTests -pl passerelle-cli -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/passerelle --create-home passerelle
COPY --from=build /src/passerelle-cli/target/passerelle-cli.jar /opt/passerelle/passerelle-cli.jar
COPY --from=build /src/passerelle-cli/target/lib/ /opt/passerelle/lib/
USER passerelle
WORKDIR /var/lib/passerelle
EXPOSE 5060/udp 5060/tcp
ENTRYPOINT ["java", "-jar", "/opt/passerelle/passerelle-cli.jar", "gateway"]
CMD ["/etc/passerelle/gateway.yml"]
