package org.passerelle.model.address;

import java.net.IDN;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.passerelle.model.address.AddressException.Reason;

/**
 * The parts of a {@code sip:} or {@code sips:} URI the gateway needs (RFC 3261 §19.1): scheme,
 * user, host, port and URI parameters, among them {@code gr}, the device of a public GRUU (RFC 5627
 * §3.1.1).
 *
 * <p>Enough for addresses of record and GRUUs, not a full RFC 3261 parser: a password in the user
 * part, URI headers ({@code ?…}), telephone-subscriber syntax beyond the {@code user} characters
 * and IPv6 zone identifiers are refused with an {@link AddressException}.
 *
 * <p>Values are canonical: scheme and host in lower case, host without a trailing dot and with
 * A-labels, user and parameters held percent-decoded (UTF-8) and written back by {@link
 * #toString()} with only the characters RFC 3261 §25.1 does not allow percent-encoded, in
 * upper-case hex. So {@code sip:m%26m@x} and {@code sip:m&m@x} are equal: RFC 7247 §6.4 decodes
 * both to the same user. Parameter names are lower-cased; a parameter without a value ({@code ;lr})
 * has the empty string as its value, which no {@code name=value} parameter can have.
 */
public final class SipUri {
  /** The two schemes of RFC 3261 §19.1. */
  public enum Scheme {
    SIP("sip"),
    SIPS("sips");

    private final String text;

    Scheme(String text) {
      this.text = text;
    }

    /** The scheme as written before the colon, in lower case. */
    public String text() {
      return text;
    }
  }

  /** The GRUU parameter (RFC 5627 §3.1). */
  public static final String GR = "gr";

  /** RFC 3261 §25.1 {@code port = 1*DIGIT}, bounded by TCP and UDP port numbers. */
  public static final int MAX_PORT = 65535;

  static final int NO_PORT = -1;

  private final Scheme scheme;
  private final String user;
  private final String rawUser;
  private final String host;
  private final int port;
  private final Map<String, String> parameters;
  private String text;

  SipUri(
      Scheme scheme,
      String user,
      String rawUser,
      String host,
      int port,
      Map<String, String> parameters) {
    this.scheme = scheme;
    this.user = user;
    this.rawUser = rawUser;
    this.host = host;
    this.port = port;
    this.parameters = parameters;
  }

  /**
   * Parses a SIP or SIPS URI without a display name or angle brackets, e.g. {@code
   * sip:alice@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6}.
   *
   * @throws AddressException with reason {@link Reason#MALFORMED_URI} if the text breaks RFC 3261
   *     §25.1, or {@link Reason#UNSUPPORTED_URI} for a valid URI this type does not hold
   */
  public static SipUri parse(String text) {
    return SipUriParser.parse(Objects.requireNonNull(text, "text"));
  }

  /**
   * A builder for a URI of the given scheme and host: a host name (U-labels are turned into
   * A-labels), an IPv4 address or a bracketed IPv6 address.
   *
   * @throws AddressException if the host is not one of those; the other methods of the builder
   *     throw {@link IllegalArgumentException} for bad arguments
   */
  public static Builder builder(Scheme scheme, String host) {
    return new Builder(scheme, host);
  }

  public Scheme scheme() {
    return scheme;
  }

  /** The user part, percent-decoded; empty for a URI without one ({@code sip:example.com}). */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /**
   * The user part as it was written in the parsed text, escapes and all; for a built URI, as {@link
   * #toString()} writes it.
   */
  public Optional<String> rawUser() {
    if (user == null) {
      return Optional.empty();
    }
    if (rawUser != null) {
      return Optional.of(rawUser);
    }
    StringBuilder out = new StringBuilder(user.length() + 8);
    PercentEncoding.encode(out, user, PercentEncoding.USER);
    return Optional.of(out.toString());
  }

  /** Lower case, A-labels, no trailing dot; an IPv6 address keeps its brackets. */
  public String host() {
    return host;
  }

  public OptionalInt port() {
    return port == NO_PORT ? OptionalInt.empty() : OptionalInt.of(port);
  }

  /** All URI parameters in the order written, names in lower case, values percent-decoded. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** One parameter by its name, case-insensitively; the empty string for a valueless one. */
  public Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The user part as {@link #toString()} writes it (percent-encoded where RFC 3261 §25.1 requires,
   * whatever escapes the parsed text had); empty for a URI without one.
   */
  public Optional<String> writtenUser() {
    if (user == null) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder(user.length() + 8);
    PercentEncoding.encode(out, user, PercentEncoding.USER);
    return Optional.of(out.toString());
  }

  /**
   * The parameters as {@link #toString()} writes them, in order: names and values percent-encoded,
   * the empty string for a parameter without a value. For building a SIP library's URI from the
   * parts instead of having it parse the text again.
   */
  public Map<String, String> writtenParameters() {
    if (parameters.isEmpty()) {
      return Map.of();
    }
    Map<String, String> written = new LinkedHashMap<>(2 * parameters.size());
    StringBuilder out = new StringBuilder(32);
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      out.setLength(0);
      PercentEncoding.encode(out, parameter.getKey(), PercentEncoding.PARAM);
      String name = out.toString();
      out.setLength(0);
      PercentEncoding.encode(out, parameter.getValue(), PercentEncoding.PARAM);
      written.put(name, out.toString());
    }
    return Collections.unmodifiableMap(written);
  }

  /**
   * The {@code gr} value of a public GRUU (RFC 5627 §3.1.1): the device, which RFC 7247 §6.3 maps
   * to a resourcepart. Empty when there is no {@code gr}, and for a temporary GRUU ({@code ;gr}
   * without a value, RFC 5627 §3.1.2).
   */
  public Optional<String> gruu() {
    String gr = parameters.get(GR);
    return gr == null || gr.isEmpty() ? Optional.empty() : Optional.of(gr);
  }

  /** The address of record: the same scheme, user and host, without port or parameters. */
  public SipUri addressOfRecord() {
    if (port == NO_PORT && parameters.isEmpty()) {
      return this;
    }
    return new SipUri(scheme, user, rawUser, host, NO_PORT, Map.of());
  }

  /**
   * The public GRUU of one device of this address of record (RFC 5627 §3.1.1): the same scheme,
   * user and host, no port, and only the {@code gr} parameter. RFC 7247 §6.3 maps a JID's
   * resourcepart to it.
   *
   * @param device the {@code gr} value, not escaped; non-empty
   */
  public SipUri withGruu(String device) {
    Objects.requireNonNull(device, "device");
    if (device.isEmpty()) {
      throw new IllegalArgumentException("a public GRUU needs a gr value (RFC 5627 §3.1.1)");
    }
    PercentEncoding.requireWellFormed(device, "gr");
    return new SipUri(scheme, user, rawUser, host, NO_PORT, Map.of(GR, device));
  }

  // Package-private reads for the mapper, without Optional on the hot path.
  String userOrNull() {
    return user;
  }

  String grOrNull() {
    return parameters.get(GR);
  }

  /** The canonical text of this URI (see the class comment). */
  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      StringBuilder out = new StringBuilder(64);
      out.append(scheme.text()).append(':');
      if (user != null) {
        PercentEncoding.encode(out, user, PercentEncoding.USER);
        out.append('@');
      }
      out.append(host);
      if (port != NO_PORT) {
        out.append(':').append(port);
      }
      for (Map.Entry<String, String> parameter : parameters.entrySet()) {
        out.append(';');
        PercentEncoding.encode(out, parameter.getKey(), PercentEncoding.PARAM);
        if (!parameter.getValue().isEmpty()) {
          out.append('=');
          PercentEncoding.encode(out, parameter.getValue(), PercentEncoding.PARAM);
        }
      }
      t = out.toString();
      text = t; // racy single-check: every thread computes the same immutable String
    }
    return t;
  }

  /** Equal when the canonical forms are: parameter order does not count, nor the user's escapes. */
  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof SipUri other
            && scheme == other.scheme
            && port == other.port
            && host.equals(other.host)
            && Objects.equals(user, other.user)
            && parameters.equals(other.parameters));
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, user, host, port, parameters);
  }

  /** Builds a {@link SipUri} from decoded parts; the host is checked as {@link #parse} does. */
  public static final class Builder {
    private final Scheme scheme;
    private final String host;
    private String user;
    private int port = NO_PORT;
    private final LinkedHashMap<String, String> parameters = new LinkedHashMap<>();

    private Builder(Scheme scheme, String host) {
      this.scheme = Objects.requireNonNull(scheme, "scheme");
      Objects.requireNonNull(host, "host");
      String ascii;
      try {
        ascii = IDN.toASCII(host, Domains.IDN_FLAGS);
      } catch (IllegalArgumentException e) {
        throw new AddressException(
            Reason.MALFORMED_URI, "host is not a valid internationalized domain name");
      }
      this.host = Domains.sipHost(ascii, 0, ascii.length());
    }

    /** The user part, not escaped (the URI escapes it when written); non-empty. */
    public Builder user(String user) {
      Objects.requireNonNull(user, "user");
      if (user.isEmpty()) {
        throw new IllegalArgumentException("user must not be empty (RFC 3261 §25.1)");
      }
      PercentEncoding.requireWellFormed(user, "user");
      this.user = user;
      return this;
    }

    public Builder port(int port) {
      if (port < 1 || port > MAX_PORT) {
        throw new IllegalArgumentException("port must be between 1 and " + MAX_PORT + ": " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Adds or replaces a parameter; {@code value} not escaped, the empty string for a parameter
     * without a value.
     */
    public Builder parameter(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("parameter name must not be empty");
      }
      PercentEncoding.requireWellFormed(name, "parameter name");
      PercentEncoding.requireWellFormed(value, "parameter value");
      parameters.put(name.toLowerCase(Locale.ROOT), value);
      return this;
    }

    /** The {@code gr} parameter of a public GRUU (RFC 5627 §3.1.1); non-empty. */
    public Builder gruu(String device) {
      Objects.requireNonNull(device, "device");
      if (device.isEmpty()) {
        throw new IllegalArgumentException("a public GRUU needs a gr value (RFC 5627 §3.1.1)");
      }
      return parameter(GR, device);
    }

    public SipUri build() {
      Map<String, String> params =
          parameters.isEmpty()
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
      return new SipUri(scheme, user, null, host, port, params);
    }
  }
}
