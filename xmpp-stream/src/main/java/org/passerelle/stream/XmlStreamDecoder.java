package org.passerelle.stream;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.QName;
import org.passerelle.model.Namespaces;

/**
 * Turns the bytes of an XMPP stream into a {@link StreamHeader}, one dom4j {@link Element} per
 * top-level child (stanzas, features, negotiation elements) and {@link StreamEnd}, without ever
 * blocking: Aalto's asynchronous parser is fed whatever arrived and yields what is complete.
 *
 * <p>Restricted XML (RFC 6120 §11.1) is refused: DTDs, entity references other than the predefined
 * ones, comments and processing instructions end the stream with {@code <restricted-xml/>}; so no
 * entity can expand. Stanza size, nesting and the time a stanza may take to arrive are bounded by
 * {@link StreamLimits}: the size counts every byte buffered for the element being read (its start
 * tag included, complete or not), so no input makes the parser hold more than the limit. Whatever
 * the input, a fault is reported once, through {@code exceptionCaught}, and only as a {@link
 * StreamException}; later input is discarded.
 *
 * <p>Elements are fired one at a time, so a handler that starts a new stream (after {@code
 * <proceed/>} or SASL {@code <success/>}) can call {@link #restart()} before the next byte is read:
 * RFC 6120 §5.4.3.3 and §6.4.6 discard whatever followed.
 *
 * <p>On the component link the decoder is given {@link NamespaceMapping#LINK}: elements arrive in
 * {@code jabber:component:accept} and are made in {@code jabber:server}, the namespace both
 * processes keep stanzas in. The stream header keeps the content namespace the peer declared.
 */
public final class XmlStreamDecoder extends ChannelInboundHandlerAdapter {
  private static final AsyncXMLInputFactory FACTORY = newFactory();
  private static final DocumentFactory DOM = DocumentFactory.getInstance();
  private static final ByteBuf DOCTYPE =
      Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("<!DOCTYPE", StandardCharsets.US_ASCII));

  private final StreamLimits limits;
  private final NamespaceMapping namespaces;
  private ChannelHandlerContext ctx;
  private AsyncXMLStreamReader<AsyncByteBufferFeeder> reader;
  private Element current;
  private int depth;
  private long elementStart;
  private long bytesFed;
  private long readerOrigin;
  private boolean restartRequested;
  private boolean failed;

  /**
   * Where the input not yet part of a complete top-level unit (header, element, whitespace) starts,
   * as an offset into everything fed; what lies beyond it counts against the size limit.
   */
  private long boundary;

  /** Whether markup (not whitespace) has arrived beyond {@link #boundary}. */
  private boolean markupPending;

  /** Counts completed units, so a deadline knows whether its unit is still the one pending. */
  private long unitsCompleted;

  private ScheduledFuture<?> deadline;

  /** A decoder that makes elements in the namespaces the bytes declare. */
  public XmlStreamDecoder(StreamLimits limits) {
    this(limits, NamespaceMapping.NONE);
  }

  /** A decoder that makes elements in the model's namespaces of {@code namespaces}. */
  public XmlStreamDecoder(StreamLimits limits, NamespaceMapping namespaces) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    reset();
  }

  /**
   * Starts a new XML document at the next byte (a stream restart); the rest of input is dropped.
   */
  public void restart() {
    restartRequested = true;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelDeadline();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadline();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (!failed) {
        decode(ctx, buf);
      }
    } catch (StreamException e) {
      fail(e);
    } finally {
      buf.release();
    }
  }

  private void fail(StreamException e) {
    failed = true;
    cancelDeadline();
    ctx.fireExceptionCaught(e);
  }

  private void decode(ChannelHandlerContext ctx, ByteBuf buf) throws StreamException {
    ByteBuffer input =
        buf.nioBufferCount() == 1 ? buf.nioBuffer() : ByteBuffer.wrap(ByteBufUtil.getBytes(buf));
    int inputPosition = input.position();
    int inputLength = input.remaining();
    long inputStart = bytesFed;
    try {
      reader.getInputFeeder().feedInput(input);
      bytesFed += inputLength;
      while (!failed) {
        int event = reader.next();
        if (event == AsyncXMLStreamReader.EVENT_INCOMPLETE) {
          checkPartialSize();
          watchProgress(input, inputPosition, inputStart);
          return;
        }
        handle(ctx, event);
        if (restartRequested) {
          reset();
          return;
        }
      }
    } catch (XMLStreamException e) {
      if (depth == 0 && containsDoctype(buf)) {
        // Aalto's async parser cannot read an internal DTD subset at all and fails on it.
        throw restricted("a document type declaration");
      }
      throw notWellFormed(e);
    } catch (UncheckedStreamException e) {
      // Aalto checks text lazily, in getText(), and wraps what it finds there (a control
      // character, bad UTF-8) in this unchecked exception.
      throw notWellFormed(e.getCause() != null ? e.getCause() : e);
    } catch (RuntimeException e) {
      if (XmlParserFailures.isInputRefusal(e)) {
        throw notWellFormed(e);
      }
      // Anything else from dom4j or our own code is our failure, not the peer's, but it must
      // still end the stream with an error rather than escape the decoder.
      throw new StreamException(
          StreamErrorCondition.INTERNAL_SERVER_ERROR, "cannot parse the input: " + e, e);
    }
  }

  /**
   * A name's local part. Aalto reads {@code <a: …>} as prefix {@code a} with an empty local part,
   * which Namespaces in XML §4 does not allow (a QName's local part is an NCName); dom4j then
   * refuses to make the name. Found by {@code XmlStreamDecoderFuzzTest}.
   */
  private static String localPart(String name) throws StreamException {
    if (name == null || name.isEmpty()) {
      throw new StreamException(
          StreamErrorCondition.NOT_WELL_FORMED, "a name with a prefix and no local part");
    }
    return name;
  }

  private static StreamException notWellFormed(Throwable e) {
    return new StreamException(StreamErrorCondition.NOT_WELL_FORMED, describe(e.getMessage()), e);
  }

  private static boolean containsDoctype(ByteBuf buf) {
    return ByteBufUtil.indexOf(DOCTYPE, buf) >= 0;
  }

  private void handle(ChannelHandlerContext ctx, int event)
      throws XMLStreamException, StreamException {
    switch (event) {
      case XMLStreamConstants.START_DOCUMENT -> checkEncoding();
      case XMLStreamConstants.START_ELEMENT -> startElement(ctx);
      case XMLStreamConstants.END_ELEMENT -> endElement(ctx);
      case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
          characters();
      case XMLStreamConstants.DTD -> throw restricted("a document type declaration");
      case XMLStreamConstants.ENTITY_REFERENCE -> throw restricted("an entity reference");
      case XMLStreamConstants.COMMENT -> throw restricted("a comment");
      case XMLStreamConstants.PROCESSING_INSTRUCTION ->
          throw restricted("a processing instruction");
      default -> {
        // END_DOCUMENT and others carry nothing an XMPP stream needs.
      }
    }
  }

  private void checkEncoding() throws StreamException {
    String declared = reader.getCharacterEncodingScheme();
    if (declared != null && !declared.equalsIgnoreCase("UTF-8")) {
      throw new StreamException(
          StreamErrorCondition.UNSUPPORTED_ENCODING,
          "streams must be UTF-8 (RFC 6120 §11.6), declared " + declared);
    }
  }

  private void startElement(ChannelHandlerContext ctx) throws XMLStreamException, StreamException {
    if (depth == 0) {
      depth = 1;
      StreamHeader header = readHeader();
      unitComplete();
      ctx.fireChannelRead(header);
      return;
    }
    if (depth == 1) {
      elementStart = readerOrigin + reader.getLocationInfo().getStartingByteOffset();
    }
    depth++;
    if (depth - 1 > limits.maxDepth()) {
      throw new StreamException(
          StreamErrorCondition.POLICY_VIOLATION,
          "elements nested deeper than " + limits.maxDepth() + " levels");
    }
    Element element =
        DOM.createElement(
            DOM.createQName(
                localPart(reader.getLocalName()),
                prefix(reader.getPrefix()),
                namespaces.toModel(uri(reader))));
    for (int i = 0, n = reader.getNamespaceCount(); i < n; i++) {
      String prefix = reader.getNamespacePrefix(i);
      if (prefix != null && !prefix.isEmpty()) {
        element.addNamespace(prefix, namespaces.toModel(reader.getNamespaceURI(i)));
      }
    }
    for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
      String namespace = reader.getAttributeNamespace(i);
      QName name =
          namespace == null || namespace.isEmpty()
              ? DOM.createQName(localPart(reader.getAttributeLocalName(i)))
              : DOM.createQName(
                  localPart(reader.getAttributeLocalName(i)),
                  reader.getAttributePrefix(i),
                  namespaces.toModel(namespace));
      element.addAttribute(name, reader.getAttributeValue(i));
    }
    if (current != null) {
      current.add(element);
    }
    current = element;
  }

  private StreamHeader readHeader() throws StreamException {
    if (!"stream".equals(reader.getLocalName()) || !Namespaces.STREAMS.equals(uri(reader))) {
      throw new StreamException(
          StreamErrorCondition.INVALID_NAMESPACE,
          "the root element must be {" + Namespaces.STREAMS + "}stream (RFC 6120 §4.8.1)");
    }
    String contentNamespace = "";
    boolean dialback = false;
    for (int i = 0, n = reader.getNamespaceCount(); i < n; i++) {
      String prefix = reader.getNamespacePrefix(i);
      String uri = reader.getNamespaceURI(i);
      if (prefix == null || prefix.isEmpty()) {
        contentNamespace = uri;
      } else if (prefix.equals("db") && Namespaces.DIALBACK.equals(uri)) {
        dialback = true;
      }
    }
    return new StreamHeader(
        contentNamespace,
        attribute("", "to"),
        attribute("", "from"),
        attribute("", "id"),
        attribute("", "version"),
        attribute(XMLConstants.XML_NS_URI, "lang"),
        dialback);
  }

  private String attribute(String namespace, String localName) {
    String value = reader.getAttributeValue(namespace, localName);
    if (value == null && namespace.isEmpty()) {
      // Aalto reports unprefixed attributes with a null namespace.
      value = reader.getAttributeValue(null, localName);
    }
    return value;
  }

  private void endElement(ChannelHandlerContext ctx) throws XMLStreamException, StreamException {
    depth--;
    if (depth == 0) {
      unitComplete();
      ctx.fireChannelRead(StreamEnd.INSTANCE);
      return;
    }
    if (depth > 1) {
      current = current.getParent();
      return;
    }
    long size = readerOrigin + reader.getLocationInfo().getEndingByteOffset() - elementStart;
    if (size > limits.maxStanzaBytes()) {
      throw tooLarge(size);
    }
    Element complete = current;
    current = null;
    unitComplete();
    ctx.fireChannelRead(complete);
  }

  private void characters() throws XMLStreamException, StreamException {
    if (depth >= 2) {
      current.addText(reader.getText());
    } else if (!reader.isWhiteSpace()) {
      throw new StreamException(
          StreamErrorCondition.BAD_FORMAT, "text is not allowed between top-level elements");
    } else {
      unitComplete();
    }
  }

  /** What is buffered for the unit being read: inside an element, or before or between them. */
  private void checkPartialSize() throws StreamException {
    long pending = bytesFed - (depth >= 2 ? elementStart : boundary);
    if (pending > limits.maxStanzaBytes()) {
      throw tooLarge(pending);
    }
  }

  /** The last event ended a header, an element or whitespace at the top level. */
  private void unitComplete() throws XMLStreamException {
    boundary = readerOrigin + reader.getLocationInfo().getEndingByteOffset();
    markupPending = false;
    unitsCompleted++;
    cancelDeadline();
  }

  /**
   * After a read that left a unit incomplete: if it has begun (an element is open, or markup
   * arrived after the last complete unit; a whitespace keepalive does not count), it must be
   * complete within the stanza timeout.
   */
  private void watchProgress(ByteBuffer input, int position, long inputStart) {
    if (depth < 2 && !markupPending) {
      for (long at = Math.max(boundary, inputStart); at < bytesFed; at++) {
        byte b = input.get(position + (int) (at - inputStart));
        if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
          markupPending = true;
          break;
        }
      }
    }
    if ((depth >= 2 || markupPending) && deadline == null) {
      long unit = unitsCompleted;
      long millis = limits.stanzaTimeout().toMillis();
      deadline =
          ctx.executor()
              .schedule(() -> deadlinePassed(unit, millis), millis, TimeUnit.MILLISECONDS);
    }
  }

  private void deadlinePassed(long unit, long millis) {
    deadline = null;
    if (!failed && unit == unitsCompleted) {
      fail(
          new StreamException(
              StreamErrorCondition.POLICY_VIOLATION,
              "a stanza must arrive within " + millis + " ms of its first byte"));
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private StreamException tooLarge(long size) {
    return new StreamException(
        StreamErrorCondition.POLICY_VIOLATION,
        "element of at least "
            + size
            + " bytes exceeds the limit of "
            + limits.maxStanzaBytes()
            + " (RFC 6120 §13.12)");
  }

  private static StreamException restricted(String what) {
    return new StreamException(
        StreamErrorCondition.RESTRICTED_XML, what + " is not allowed (RFC 6120 §11.1)");
  }

  private void reset() {
    reader = FACTORY.createAsyncForByteBuffer();
    current = null;
    depth = 0;
    elementStart = 0;
    readerOrigin = bytesFed;
    boundary = bytesFed;
    markupPending = false;
    unitsCompleted++;
    cancelDeadline();
    restartRequested = false;
  }

  private static String prefix(String prefix) {
    return prefix == null ? "" : prefix;
  }

  private static String uri(AsyncXMLStreamReader<?> reader) {
    String uri = reader.getNamespaceURI();
    return uri == null ? "" : uri;
  }

  private static String describe(String parserMessage) {
    return parserMessage == null ? "malformed XML" : parserMessage.replace('\n', ' ');
  }

  private static AsyncXMLInputFactory newFactory() {
    AsyncXMLInputFactory factory = new InputFactoryImpl();
    // DTDs are reported as events (and refused) rather than processed; entities never expand.
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return factory;
  }
}
