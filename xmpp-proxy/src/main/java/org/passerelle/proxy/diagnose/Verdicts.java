package org.passerelle.proxy.diagnose;

import java.util.List;
import java.util.Optional;
import org.passerelle.proxy.s2s.DomainPair;

/** Reads a diagnosis's checks into its verdict, and dialback answers into what they mean. */
final class Verdicts {
  private static final String TARGET = "target ";

  private Verdicts() {}

  /**
   * OK when a target established a stream and nothing needs attention; WARN when one did but
   * something does (or when nothing failed but nothing could be confirmed); FAIL naming the first
   * failure otherwise. The policy and DNS fail before any target is tried.
   */
  static Diagnosis.Verdict of(DomainPair pair, List<Section> sections) {
    for (Section section : sections) {
      if (!section.title().startsWith(TARGET)) {
        Optional<Check> failed = section.first(Status.FAIL);
        if (failed.isPresent()) {
          return new Diagnosis.Verdict(
              Status.FAIL, failed.get().name(), failed.get().name() + ": " + failed.get().text());
        }
      }
    }
    List<Section> targets = sections.stream().filter(s -> s.title().startsWith(TARGET)).toList();
    Optional<Section> working =
        targets.stream()
            .filter(
                s ->
                    s.check(TargetProbe.ESTABLISHED)
                        .map(c -> c.status() == Status.OK)
                        .orElse(false))
            .findFirst();
    if (working.isPresent()) {
      String works =
          pair.local()
              + " federates with "
              + pair.remote()
              + ", "
              + working.get().check(TargetProbe.ESTABLISHED).orElseThrow().text()
              + " on "
              + shortTitle(working.get());
      for (Section section : sections) {
        Optional<Check> attention =
            section.checks().stream()
                .filter(c -> c.status() == Status.WARN || c.status() == Status.FAIL)
                .findFirst();
        if (attention.isPresent()) {
          Check check = attention.get();
          return new Diagnosis.Verdict(
              Status.WARN,
              check.name(),
              works + "; but " + where(section) + check.name() + ": " + check.text());
        }
      }
      return new Diagnosis.Verdict(Status.OK, "", works);
    }
    for (Section section : targets) {
      Optional<Check> failed = section.first(Status.FAIL);
      if (failed.isPresent()) {
        Check check = failed.get();
        return new Diagnosis.Verdict(
            Status.FAIL,
            check.name(),
            check.name() + " on " + shortTitle(section) + ": " + check.text());
      }
    }
    for (Section section : targets) {
      Optional<Check> warned = section.first(Status.WARN);
      if (warned.isPresent()) {
        Check check = warned.get();
        return new Diagnosis.Verdict(
            Status.WARN,
            check.name(),
            "inconclusive: " + check.name() + " on " + shortTitle(section) + ": " + check.text());
      }
    }
    return new Diagnosis.Verdict(
        Status.FAIL, "targets", "no target of " + pair.remote() + " was tried");
  }

  private static String where(Section section) {
    return section.title().startsWith(TARGET) ? shortTitle(section) + ", " : "";
  }

  /** "target 1: 192.0.2.1:5269 (host, STARTTLS)" as "target 1 (192.0.2.1:5269)". */
  private static String shortTitle(Section section) {
    String title = section.title();
    int colon = title.indexOf(": ");
    int space = title.indexOf(' ', colon + 2);
    if (colon < 0 || space < 0) {
      return title;
    }
    return title.substring(0, colon) + " (" + title.substring(colon + 2, space) + ")";
  }

  /**
   * What a dialback answer means, given whether diagnose took the remote's call to verify our key
   * (XEP-0220 §2.2.2) and what it answered.
   */
  static Check dialback(
      Check answer,
      String remote,
      String local,
      FederationDiagnosis.Callback callback,
      List<Boolean> verifications) {
    String type = String.valueOf(answer.facts().get("type"));
    String condition = String.valueOf(answer.facts().getOrDefault("condition", ""));
    String suffix = answer.text().startsWith(type) ? answer.text().substring(type.length()) : "";
    boolean listening = callback == FederationDiagnosis.Callback.LISTENING;
    boolean confirmed = verifications.contains(true);
    switch (type) {
      case "valid" -> {
        String how =
            !listening
                ? ""
                : confirmed
                    ? ": " + remote + " called back and we confirmed our key"
                    : ": "
                        + remote
                        + " accepted it without calling back (it trusts our certificate, XEP-0344)";
        return answer.with(Status.OK, "valid" + how + suffix);
      }
      case "invalid" -> {
        if (!listening) {
          return answer.with(
              Status.WARN,
              "inconclusive: invalid, which is expected when diagnose cannot take "
                  + remote
                  + "'s call back (the server that answered for "
                  + local
                  + " did not send this key)"
                  + suffix);
        }
        if (confirmed) {
          return answer.with(
              Status.FAIL,
              "invalid, although we confirmed our key when " + remote + " called back" + suffix);
        }
        return answer.with(
            Status.FAIL,
            "invalid: "
                + remote
                + " did not ask us to verify our key, so it asked another server for "
                + local
                + ": check that "
                + local
                + "'s DNS (_xmpp-server._tcp."
                + local
                + " SRV, or its A record) leads to this proxy"
                + suffix);
      }
      default -> {
        if (condition.equals("remote-server-not-found")
            || condition.equals("remote-server-timeout")) {
          return answer.with(
              Status.FAIL,
              "error <"
                  + condition
                  + "/>: "
                  + remote
                  + " could not connect back to "
                  + local
                  + " to verify our key: publish _xmpp-server._tcp."
                  + local
                  + " (or an A record) leading to this proxy, and let "
                  + remote
                  + " reach it on port 5269"
                  + suffix);
        }
        return answer;
      }
    }
  }
}
