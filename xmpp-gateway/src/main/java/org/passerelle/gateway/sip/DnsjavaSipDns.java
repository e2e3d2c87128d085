package org.passerelle.gateway.sip;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.hosts.HostsFileParser;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * {@link SipDns} over dnsjava, with the system's resolvers and {@code /etc/hosts} for A records.
 * dnsjava types stay in this class.
 */
final class DnsjavaSipDns implements SipDns {

  private final LookupSession session;

  DnsjavaSipDns(Executor executor) {
    this.session =
        LookupSession.builder()
            .resolver(new ExtendedResolver())
            .hostsFileParser(new HostsFileParser())
            .executor(executor)
            .build();
  }

  @Override
  public CompletableFuture<List<Srv>> srv(String name) {
    return lookup(
        name,
        Type.SRV,
        r ->
            new Srv(
                ((SRVRecord) r).getPriority(),
                ((SRVRecord) r).getWeight(),
                ((SRVRecord) r).getPort(),
                ((SRVRecord) r).getTarget().toString(true)));
  }

  @Override
  public CompletableFuture<List<InetAddress>> ipv4(String host) {
    return lookup(host, Type.A, r -> ((ARecord) r).getAddress());
  }

  private <T> CompletableFuture<List<T>> lookup(String name, int type, Function<Record, T> map) {
    Name absolute;
    try {
      absolute = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return CompletableFuture.failedFuture(e);
    }
    return session
        .lookupAsync(absolute, type)
        .toCompletableFuture()
        .handle(
            (LookupResult result, Throwable error) -> {
              if (error == null) {
                return result.getRecords().stream()
                    .filter(r -> r.getType() == type)
                    .map(map)
                    .collect(Collectors.toList());
              }
              Throwable cause = error.getCause() != null ? error.getCause() : error;
              if (cause instanceof NoSuchDomainException || cause instanceof NoSuchRRSetException) {
                return List.<T>of();
              }
              throw new java.util.concurrent.CompletionException(cause);
            });
  }
}
