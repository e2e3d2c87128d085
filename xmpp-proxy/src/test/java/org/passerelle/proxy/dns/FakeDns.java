package org.passerelle.proxy.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A {@link Resolver} answering from canned records, with no network. Unknown questions get
 * NXDOMAIN; every question asked is recorded as {@code "name TYPE"}.
 */
final class FakeDns implements Resolver {

  private static final long TTL = 300;

  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final List<String> questions = new CopyOnWriteArrayList<>();

  /** Answers {@code name}/{@code type} with these records (none: NOERROR with no data). */
  FakeDns answer(String name, int type, Record... records) {
    replies.put(key(name, type), new Reply(Rcode.NOERROR, List.of(records), false));
    return this;
  }

  FakeDns fail(String name, int type, int rcode) {
    replies.put(key(name, type), new Reply(rcode, List.of(), false));
    return this;
  }

  /** Never answers {@code name}/{@code type}. */
  FakeDns hang(String name, int type) {
    replies.put(key(name, type), new Reply(Rcode.NOERROR, List.of(), true));
    return this;
  }

  /** The questions asked so far, e.g. {@code "_xmpp-server._tcp.example.org. SRV"}. */
  List<String> questions() {
    return List.copyOf(questions);
  }

  static SRVRecord srv(String owner, int priority, int weight, int port, String target) {
    return new SRVRecord(
        name(owner),
        DClass.IN,
        TTL,
        priority,
        weight,
        port,
        name(target.endsWith(".") ? target : target + "."));
  }

  static ARecord a(String owner, String address) {
    return new ARecord(name(owner), DClass.IN, TTL, ip(address));
  }

  static AAAARecord aaaa(String owner, String address) {
    return new AAAARecord(name(owner), DClass.IN, TTL, ip(address));
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private static Name name(String absolute) {
    return Name.fromConstantString(absolute);
  }

  private static String key(String name, int type) {
    return name.toLowerCase(Locale.ROOT) + " " + Type.string(type);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    Record question = query.getQuestion();
    String key = key(question.getName().toString(), question.getType());
    questions.add(key);
    Reply reply = replies.getOrDefault(key, new Reply(Rcode.NXDOMAIN, List.of(), false));
    if (reply.hang()) {
      return new CompletableFuture<>();
    }
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RA);
    response.getHeader().setRcode(reply.rcode());
    response.addRecord(question, Section.QUESTION);
    reply.records().forEach(r -> response.addRecord(r, Section.ANSWER));
    return CompletableFuture.completedFuture(response);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, Runnable::run);
  }

  @Override
  public void setPort(int port) {}

  @Override
  public void setTCP(boolean flag) {}

  @Override
  public void setIgnoreTruncation(boolean flag) {}

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

  @Override
  public void setTSIGKey(TSIG key) {}

  @Override
  public void setTimeout(Duration timeout) {}

  private record Reply(int rcode, List<Record> records, boolean hang) {}
}
