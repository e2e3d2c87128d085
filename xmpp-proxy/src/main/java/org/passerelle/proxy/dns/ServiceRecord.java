package org.passerelle.proxy.dns;

import java.util.Objects;

/**
 * One SRV resource record as received (RFC 2782).
 *
 * @param service the service it was published for
 * @param priority lower is tried first
 * @param weight relative chance among records of equal priority
 * @param port TCP port on the target
 * @param target lower-case host name without the trailing dot, or {@code .} for the root
 */
public record ServiceRecord(SrvService service, int priority, int weight, int port, String target) {

  /** RFC 2782: a target of {@code .} means the service is decidedly not available. */
  public static final String ROOT_TARGET = ".";

  private static final int MAX_UNSIGNED_16 = 0xFFFF;

  public ServiceRecord {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(target, "target");
    checkUnsigned16(priority, "priority");
    checkUnsigned16(weight, "weight");
    checkUnsigned16(port, "port");
    if (target.isEmpty()) {
      throw new IllegalArgumentException("target must not be empty");
    }
  }

  /** Whether the target is the root, {@code .}. */
  public boolean isRootTarget() {
    return ROOT_TARGET.equals(target);
  }

  /** Whether this record names something that can be connected to. */
  boolean isUsable() {
    return !isRootTarget() && port != 0;
  }

  private static void checkUnsigned16(int value, String name) {
    if (value < 0 || value > MAX_UNSIGNED_16) {
      throw new IllegalArgumentException(name + " must be in 0..65535: " + value);
    }
  }
}
