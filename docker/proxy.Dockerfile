# Passerelle xmpp-proxy. Build from the repository root:
#   docker build -f docker/proxy.Dockerfile -t passerelle/xmpp-proxy .
# Run with a configuration (see examples/proxy.yml) mounted at /etc/passerelle/proxy.yml.

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
EXPOSE 5269 23456
ENTRYPOINT ["java", "-jar", "/opt/passerelle/passerelle-cli.jar", "proxy"]
CMD ["/etc/passerelle/proxy.yml"]
