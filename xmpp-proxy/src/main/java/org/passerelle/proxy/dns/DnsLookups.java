package org.passerelle.proxy.dns;

import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * Single SRV and A/AAAA questions over a dnsjava {@link LookupSession}, each bounded by a timeout.
 * The returned futures never fail: every outcome, errors included, becomes a lookup record.
 */
final class DnsLookups {

  private final LookupSession session;
  private final Executor executor;

  DnsLookups(LookupSession session, Executor executor) {
    this.session = Objects.requireNonNull(session, "session");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  CompletableFuture<SrvLookup> srv(SrvService service, String domain, Duration timeout) {
    String name = service.queryName(domain);
    return lookup(name, Type.SRV, timeout)
        .thenApply(
            outcome -> {
              if (outcome.status() != LookupStatus.ANSWERED) {
                return new SrvLookup(service, name, outcome.status(), List.of(), outcome.detail());
              }
              List<ServiceRecord> records =
                  outcome.records().stream()
                      .filter(SRVRecord.class::isInstance)
                      .map(r -> toServiceRecord(service, (SRVRecord) r))
                      .collect(Collectors.toList());
              if (records.isEmpty()) {
                return new SrvLookup(service, name, LookupStatus.NO_RECORDS, List.of(), "no data");
              }
              LookupStatus status =
                  records.size() == 1 && records.get(0).isRootTarget()
                      ? LookupStatus.DECIDEDLY_ABSENT
                      : LookupStatus.ANSWERED;
              return new SrvLookup(service, name, status, records, "");
            });
  }

  CompletableFuture<AddressLookup> address(
      String hostname, AddressFamily family, Duration timeout) {
    int type = family == AddressFamily.IPV4 ? Type.A : Type.AAAA;
    return lookup(hostname + ".", type, timeout)
        .thenApply(
            outcome -> {
              if (outcome.status() != LookupStatus.ANSWERED) {
                return new AddressLookup(
                    hostname, family, outcome.status(), List.of(), outcome.detail());
              }
              List<InetAddress> addresses =
                  outcome.records().stream()
                      .map(DnsLookups::addressOf)
                      .filter(Objects::nonNull)
                      .distinct()
                      .collect(Collectors.toList());
              return addresses.isEmpty()
                  ? new AddressLookup(
                      hostname, family, LookupStatus.NO_RECORDS, List.of(), "no data")
                  : new AddressLookup(hostname, family, LookupStatus.ANSWERED, addresses, "");
            });
  }

  private CompletableFuture<Outcome> lookup(String name, int type, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      return CompletableFuture.completedFuture(
          Outcome.failed(LookupStatus.TIMED_OUT, "resolution deadline reached before asking"));
    }
    Name query;
    try {
      query = Name.fromString(name);
    } catch (TextParseException e) {
      return CompletableFuture.completedFuture(Outcome.failed(LookupStatus.FAILED, e.getMessage()));
    }
    // The hop to the executor keeps the hosts-file read inside LookupSession off the caller's
    // thread, which may be a Netty event loop.
    return CompletableFuture.supplyAsync(() -> session.lookupAsync(query, type), executor)
        .thenCompose(Function.identity())
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .handle(
            (result, error) ->
                error == null ? Outcome.answered(result.getRecords()) : Outcome.of(error));
  }

  private static ServiceRecord toServiceRecord(SrvService service, SRVRecord srv) {
    Name target = srv.getTarget();
    String host =
        target.equals(Name.root)
            ? ServiceRecord.ROOT_TARGET
            : target.toString(true).toLowerCase(Locale.ROOT);
    return new ServiceRecord(service, srv.getPriority(), srv.getWeight(), srv.getPort(), host);
  }

  private static InetAddress addressOf(Record record) {
    if (record instanceof ARecord a) {
      return a.getAddress();
    }
    if (record instanceof AAAARecord aaaa) {
      return aaaa.getAddress();
    }
    return null;
  }

  /** What one question produced, before it is typed as SRV or address lookup. */
  private record Outcome(LookupStatus status, List<Record> records, String detail) {

    static Outcome answered(List<Record> records) {
      return new Outcome(LookupStatus.ANSWERED, records, "");
    }

    static Outcome failed(LookupStatus status, String detail) {
      return new Outcome(status, List.of(), detail);
    }

    static Outcome of(Throwable error) {
      Throwable cause = error;
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof NoSuchDomainException) {
        return failed(LookupStatus.NO_RECORDS, "NXDOMAIN");
      }
      if (cause instanceof NoSuchRRSetException) {
        return failed(LookupStatus.NO_RECORDS, "no data");
      }
      if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
        return failed(LookupStatus.TIMED_OUT, "");
      }
      String message = cause.getMessage();
      return failed(
          LookupStatus.FAILED,
          cause.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }
  }
}
