package org.passerelle.proxy.s2s;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.passerelle.proxy.dns.ConnectTarget;

/** Finds where to connect for a remote domain, in the order to try (RFC 6120 §3.2). */
@FunctionalInterface
public interface TargetResolver {
  CompletionStage<List<ConnectTarget>> resolve(String domain);
}
