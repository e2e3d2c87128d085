package org.passerelle.cli.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.cli.Passerelle;
import org.passerelle.gateway.config.GatewayConfig;
import org.passerelle.gateway.config.GatewayConfigLoader;
import org.passerelle.model.config.AdminSettings;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.config.ProxyConfigLoader;
import org.passerelle.testpeers.Executables;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/**
 * {@code docker/} checked without a Docker engine (none runs on our development machines): the
 * compose file wires the four services together, every file it or a Dockerfile names exists, the
 * images copy what the Maven build of this module makes and run the {@code passerelle} command from
 * it, and the configurations compose mounts load and name each other's addresses. Here, in the
 * module the images package, because it runs after {@code package}, when {@code
 * target/passerelle-cli.jar} and {@code target/lib} exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerPackagingIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DOCKER = ROOT.resolve("docker");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern DEFAULTED = Pattern.compile("\\$\\{(\\w+):-([^}]+)}");
  private static final String CLI_JAR = "/opt/passerelle/passerelle-cli.jar";
  private static final String LAUNCHER = "/opt/passerelle/passerelle";

  /** Made by {@code ./dev certs}, not in the repository: compose mounts it, nothing builds it. */
  private static final Path EXAMPLE_CERTS = ROOT.resolve("examples/certs");

  @TempDir Path dir;

  private JsonNode compose;
  private Map<String, String> addresses;

  @BeforeAll
  void readCompose() throws IOException {
    compose = YAML.readTree(DOCKER.resolve("compose.yml").toFile());
    addresses = new HashMap<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            service ->
                addresses.put(
                    service.getKey(),
                    service.getValue().at("/networks/passerelle/ipv4_address").asText()));
  }

  @Test
  void composeRunsProxyGatewayKamailioAndOpenfireEachAtItsOwnAddressOnOneNetwork() {
    assertThat(names(compose.path("services")))
        .containsExactlyInAnyOrder("proxy", "gateway", "kamailio", "openfire");
    String subnet = compose.at("/networks/passerelle/ipam/config/0/subnet").asText();
    assertThat(subnet).isEqualTo("172.30.57.0/24");
    assertThat(addresses.values())
        .allMatch(a -> a.startsWith("172.30.57."))
        .doesNotHaveDuplicates();
  }

  @Test
  void theOpenfireImageIsChosenByAnEnvironmentVariableWithTheIgniteRealtimeImageByDefault() {
    Matcher image = DEFAULTED.matcher(compose.at("/services/openfire/image").asText());

    assertThat(image.matches()).isTrue();
    assertThat(image.group(1)).isEqualTo("OPENFIRE_IMAGE");
    assertThat(image.group(2)).startsWith("ghcr.io/igniterealtime/openfire:");
  }

  @Test
  void everyFileComposeBuildsOrMountsExistsAndEveryVolumeIsDeclared() throws IOException {
    Set<String> declared = names(compose.path("volumes"));
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            service -> {
              JsonNode build = service.getValue().path("build");
              if (!build.isMissingNode()) {
                Path context = DOCKER.resolve(build.path("context").asText()).normalize();
                assertThat(context).isEqualTo(ROOT);
                assertThat(context.resolve(build.path("dockerfile").asText())).isRegularFile();
              }
              for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                  Path path = DOCKER.resolve(source).normalize();
                  if (!path.equals(EXAMPLE_CERTS)) {
                    assertThat(path).as("%s mounts %s", service.getKey(), source).exists();
                  }
                } else {
                  assertThat(declared)
                      .as("%s uses volume %s", service.getKey(), source)
                      .contains(source);
                }
              }
            });
    assertThat(Files.readString(ROOT.resolve("dev")))
        .as("./dev certs makes what compose mounts from examples/certs")
        .contains("certs)")
        .contains("local dir=examples/certs");
  }

  @Test
  void proxyAndGatewayStopWithinComposesGracePeriod() throws IOException {
    for (String service : List.of("proxy", "gateway")) {
      Duration grace = duration(compose.at("/services/" + service + "/stop_grace_period").asText());
      Duration drain =
          duration(
              YAML.readTree(DOCKER.resolve("config/" + service + ".yml").toFile())
                  .at("/shutdown/drain")
                  .asText());
      // Closing after the drain takes up to 5 s (XmppProxy.CLOSE_GRACE; the gateway's link close
      // waits 3 s); leave as much again for the JVM.
      assertThat(grace).as(service).isGreaterThanOrEqualTo(drain.plusSeconds(10));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy", "gateway"})
  void theImageCopiesWhatTheBuildMakesAndRunsThePasserelleCommandOnItsConfiguration(String process)
      throws IOException {
    Dockerfile dockerfile = Dockerfile.read(DOCKER.resolve(process + ".Dockerfile"));
    Dockerfile.Stage build = dockerfile.stages().get(0);
    Dockerfile.Stage runtime = dockerfile.last();
    assertThat(build.name()).isEqualTo("build");
    assertThat(build.all("WORKDIR"))
        .singleElement()
        .extracting(Dockerfile.Instruction::arguments)
        .isEqualTo("/src");
    assertThat(build.all("RUN"))
        .singleElement()
        .satisfies(run -> assertThat(run.arguments()).contains("-pl passerelle-cli -am package"));
    Map<String, Path> copied = new HashMap<>();
    for (Dockerfile.Instruction copy : runtime.all("COPY")) {
      List<String> words = copy.words();
      assertThat(words.get(0)).isEqualTo("--from=build");
      String source = words.get(1);
      assertThat(source).startsWith("/src/");
      List<Path> found = glob(ROOT.resolve(source.substring("/src/".length())));
      assertThat(found).as("%s in the build layout", source).hasSize(1);
      copied.put(words.get(2), found.get(0));
    }

    List<String> command = runtime.all("CMD").get(0).execForm();
    assertThat(command).containsExactly(LAUNCHER, process, "/etc/passerelle/" + process + ".yml");
    List<String> composeCommand = new ArrayList<>();
    compose.at("/services/" + process + "/command").forEach(w -> composeCommand.add(w.asText()));
    assertThat(composeCommand).as("compose runs what the image runs").isEqualTo(command);
    assertThat(Passerelle.commandLine(new Passerelle()).getSubcommands()).containsKey(process);

    // The launcher is the checkout's ./passerelle, which runs java -jar on the jar beside it.
    Path launcher = copied.get(LAUNCHER);
    assertThat(launcher).as("the launcher copied to " + LAUNCHER).isNotNull().isExecutable();
    assertThat(launcher.toRealPath()).isEqualTo(ROOT.resolve("passerelle").toRealPath());
    assertThat(Files.readString(launcher))
        .contains("jar=\"$here/passerelle-cli.jar\"")
        .contains("-jar \"$jar\" \"$@\"");

    // java -jar takes its class path from the manifest: lib/ beside the jar, which the image fills.
    Path jar = copied.get(CLI_JAR);
    assertThat(jar).as("the CLI jar copied to " + CLI_JAR).isNotNull();
    Path lib = copied.get("/opt/passerelle/lib/");
    assertThat(lib).as("target/lib copied beside it").isNotNull();
    try (JarFile file = new JarFile(jar.toFile())) {
      Attributes manifest = file.getManifest().getMainAttributes();
      assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS))
          .isEqualTo(Passerelle.class.getName());
      String[] classPath = manifest.getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+");
      assertThat(classPath).isNotEmpty();
      for (String entry : classPath) {
        assertThat(entry).startsWith("lib/");
        assertThat(lib.resolve(entry.substring("lib/".length()))).as(entry).isRegularFile();
      }
    }

    assertThat(runtime.all("VOLUME").get(0).execForm())
        .containsExactly("/etc/passerelle", "/var/lib/passerelle");
    assertThat(runtime.all("USER"))
        .singleElement()
        .extracting(Dockerfile.Instruction::arguments)
        .isEqualTo("passerelle");
    assertThat(runtime.all("ENTRYPOINT")).as("one command line, easy to replace").isEmpty();
    int adminPort =
        process.equals("proxy")
            ? AdminSettings.DEFAULT_PROXY_PORT
            : AdminSettings.DEFAULT_GATEWAY_PORT;
    assertThat(runtime.all("EXPOSE"))
        .singleElement()
        .satisfies(
            expose ->
                assertThat(expose.words())
                    .as("the admin endpoint's port")
                    .contains(String.valueOf(adminPort)));
  }

  @Test
  void theKamailioImageCopiesItsScriptAndRunsIt() {
    Dockerfile dockerfile = Dockerfile.read(DOCKER.resolve("kamailio.Dockerfile"));
    for (Dockerfile.Instruction copy : dockerfile.last().all("COPY")) {
      assertThat(ROOT.resolve(copy.words().get(0))).isRegularFile().isExecutable();
    }
    assertThat(dockerfile.last().all("RUN").get(0).arguments())
        .contains("kamailio-presence-modules");
  }

  @Test
  void theConfigurationsComposeMountsLoadAndNameEachOthersAddresses() throws Exception {
    Path config = Files.createDirectories(dir.resolve("etc"));
    Path certs = Files.createDirectories(config.resolve("certs"));
    TestCa ca = TestCa.create(dir.resolve("ca"));
    copy(ca.issue("sip.example.test"), certs, "sip.example.test");
    copy(ca.issue("gateway.sip.example.test"), certs, "gateway");
    Files.copy(ca.certificatePath(), certs.resolve("ca.crt"));
    Files.copy(DOCKER.resolve("config/proxy.yml"), config.resolve("proxy.yml"));
    Files.copy(DOCKER.resolve("config/gateway.yml"), config.resolve("gateway.yml"));

    ProxyConfig proxy = ProxyConfigLoader.load(config.resolve("proxy.yml"));
    GatewayConfig gateway = GatewayConfigLoader.load(config.resolve("gateway.yml"));

    InetSocketAddress openfire = proxy.federation().addressOf("xmpp.example.test").orElseThrow();
    assertThat(openfire.getAddress().getHostAddress()).isEqualTo(addresses.get("openfire"));
    assertThat(proxy.dataDir()).isEqualTo(Path.of("/var/lib/passerelle"));
    assertThat(gateway.link().server().getHostString()).isEqualTo(addresses.get("proxy"));
    assertThat(gateway.link().server().getPort())
        .isEqualTo(proxy.link().orElseThrow().listen().getPort());
    assertThat(gateway.sip().bindAddress())
        .isEqualTo(InetAddress.getByName(addresses.get("gateway")));
    assertThat(gateway.sip().outboundProxy().orElseThrow().toString())
        .contains(addresses.get("kamailio"));
    assertThat(gateway.dataDir()).isEqualTo(Path.of("/var/lib/passerelle"));
    assertThat(proxy.admin().orElseThrow().listen().getPort())
        .isEqualTo(AdminSettings.DEFAULT_PROXY_PORT);
    assertThat(gateway.admin().orElseThrow().listen().getPort())
        .isEqualTo(AdminSettings.DEFAULT_GATEWAY_PORT);
    assertThat(compose.at("/services/proxy/ports/0").asText())
        .isEqualTo("127.0.0.1:9269:" + AdminSettings.DEFAULT_PROXY_PORT);
    assertThat(compose.at("/services/gateway/ports/0").asText())
        .isEqualTo("127.0.0.1:9270:" + AdminSettings.DEFAULT_GATEWAY_PORT);
    assertThat(Files.readString(DOCKER.resolve("openfire/openfire.xml")))
        .contains("{sip.example.test," + addresses.get("proxy") + ":5269}")
        .contains("<domain>xmpp.example.test</domain>");
    JsonNode kamailio = compose.at("/services/kamailio/environment");
    assertThat(kamailio.path("KAMAILIO_ADDRESS").asText()).isEqualTo(addresses.get("kamailio"));
    assertThat(kamailio.path("GATEWAY_ADDRESS").asText()).isEqualTo(addresses.get("gateway"));
  }

  @Test
  void theKamailioScriptMakesFromTheExampleAConfigurationKamailioAccepts() throws Exception {
    Path out = dir.resolve("kamailio.cfg");
    ProcessBuilder render =
        new ProcessBuilder("sh", DOCKER.resolve("kamailio/run.sh").toString(), out.toString());
    render.environment().put("KAMAILIO_TEMPLATE", ROOT.resolve("examples/kamailio.cfg").toString());
    render.environment().put("KAMAILIO_ADDRESS", addresses.get("kamailio"));
    render.environment().put("GATEWAY_ADDRESS", addresses.get("gateway"));
    assertThat(run(render)).isZero();
    String rendered = Files.readString(out);
    assertThat(rendered)
        .contains("listen=udp:" + addresses.get("kamailio") + ":5060")
        .contains("$du = \"sip:" + addresses.get("gateway") + ":5070;transport=tcp\"")
        .doesNotContain("127.0.0.");

    Path kamailio = Executables.require("kamailio", "kamailio kamailio-presence-modules");
    ProcessBuilder check = new ProcessBuilder(kamailio.toString(), "-c", "-f", out.toString());
    assertThat(run(check)).as("kamailio -c on the compose configuration").isZero();
  }

  private static int run(ProcessBuilder builder) throws Exception {
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(builder.command() + " did not finish");
    }
    if (process.exitValue() != 0) {
      System.err.println(output);
    }
    return process.exitValue();
  }

  private static void copy(IssuedCertificate cert, Path certs, String name) throws IOException {
    Files.copy(cert.certificatePem(), certs.resolve(name + ".crt"));
    Files.copy(cert.privateKeyPem(), certs.resolve(name + ".key"));
  }

  /** Paths matching a Dockerfile source: a plain path, or one whose last part has a '*'. */
  private static List<Path> glob(Path pattern) throws IOException {
    String last = pattern.getFileName().toString();
    if (!last.contains("*")) {
      return Files.exists(pattern) ? List.of(pattern) : List.of();
    }
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(pattern.getParent())) {
      try (DirectoryStream<Path> matches = Files.newDirectoryStream(pattern.getParent(), last)) {
        matches.forEach(found::add);
      }
    }
    return found;
  }

  private static Set<String> names(JsonNode mapping) {
    Set<String> names = new HashSet<>();
    mapping.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(text.trim());
    assertThat(m.matches()).as("a duration: %s", text).isTrue();
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> Duration.ofMinutes(amount);
    };
  }
}
