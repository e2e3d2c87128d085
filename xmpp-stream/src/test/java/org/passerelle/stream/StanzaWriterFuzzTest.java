package org.passerelle.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.passerelle.model.Namespaces;

/**
 * Random element trees (names, default, prefixed and no namespaces, clashing prefixes, attributes
 * in namespaces and in {@code xml:}, extra namespace nodes, text and CDATA with characters to
 * escape, control characters, non-ASCII, surrogate pairs and now and then an unpaired surrogate)
 * are written by {@link StanzaWriter} byte for byte as {@code writeUtf8(asXML())} wrote them,
 * including where dom4j's own output is not well-formed (control characters as {@code &#1;}, a
 * prefix declared twice in one start tag): the writer reproduces it rather than fixing it.
 */
class StanzaWriterFuzzTest {
  /** Generated as values, built into a fresh dom4j tree per try (dom4j trees are mutable). */
  sealed interface Content permits Text, Cdata, Child, ExtraNamespace {
    void addTo(Element parent);

    /** The same content with every namespace URI passed through {@code uris}. */
    default Content withUris(UnaryOperator<String> uris) {
      return this;
    }
  }

  record Text(String text) implements Content {
    @Override
    public void addTo(Element parent) {
      parent.addText(text);
    }
  }

  record Cdata(String text) implements Content {
    @Override
    public void addTo(Element parent) {
      parent.addCDATA(text);
    }
  }

  record Child(Tree tree) implements Content {
    @Override
    public void addTo(Element parent) {
      parent.add(tree.build());
    }

    @Override
    public Content withUris(UnaryOperator<String> uris) {
      return new Child(tree.withUris(uris));
    }
  }

  record ExtraNamespace(Namespace namespace) implements Content {
    @Override
    public void addTo(Element parent) {
      parent.add(namespace);
    }

    @Override
    public Content withUris(UnaryOperator<String> uris) {
      return new ExtraNamespace(map(namespace, uris));
    }
  }

  record Attr(String name, Namespace namespace, String value) {}

  record Tree(String name, Namespace namespace, List<Attr> attributes, List<Content> content) {
    Element build() {
      Element element = DocumentHelper.createElement(QName.get(name, namespace));
      for (Attr a : attributes) {
        element.addAttribute(QName.get(a.name(), a.namespace()), a.value());
      }
      content.forEach(c -> c.addTo(element));
      return element;
    }

    Tree withUris(UnaryOperator<String> uris) {
      return new Tree(
          name,
          map(namespace, uris),
          attributes.stream()
              .map(a -> new Attr(a.name(), map(a.namespace(), uris), a.value()))
              .toList(),
          content.stream().map(c -> c.withUris(uris)).toList());
    }
  }

  /** The namespace itself when its URI stays (the writer compares some by identity). */
  private static Namespace map(Namespace namespace, UnaryOperator<String> uris) {
    String uri = uris.apply(namespace.getURI());
    return uri.equals(namespace.getURI()) ? namespace : Namespace.get(namespace.getPrefix(), uri);
  }

  @Property
  void randomTreesAreWrittenAsAsXmlWritesThem(@ForAll("trees") Tree tree) {
    StanzaWriterTest.assertWritesAsAsXml(tree.build());
  }

  /**
   * For the component link the writer writes what {@code asXML} writes for the same tree with
   * {@code jabber:server} replaced by {@code jabber:component:accept} everywhere: element names,
   * extra namespace nodes, attributes; by the writer and by its fallback.
   */
  @Property
  void randomTreesAreWrittenForTheLinkAsAsXmlWritesTheirWireForm(@ForAll("modelTrees") Tree tree) {
    ByteBuf expected = Unpooled.buffer();
    Tree wire =
        tree.withUris(uri -> uri.equals(Namespaces.SERVER) ? Namespaces.COMPONENT_ACCEPT : uri);
    ByteBufUtil.writeUtf8(expected, wire.build().asXML());
    ByteBuf actual = Unpooled.buffer();
    StanzaWriter.write(tree.build(), actual, NamespaceMapping.LINK);
    try {
      assertThat(ByteBufUtil.getBytes(actual))
          .as("%s", expected.toString(UTF_8))
          .isEqualTo(ByteBufUtil.getBytes(expected));
    } finally {
      expected.release();
      actual.release();
    }
  }

  @Provide
  Arbitrary<Tree> trees() {
    return tree(3);
  }

  /** Trees as the processes hold them: the link's wire namespace never appears in the model. */
  @Provide
  Arbitrary<Tree> modelTrees() {
    return tree(3)
        .map(
            tree ->
                tree.withUris(
                    uri -> uri.equals(Namespaces.COMPONENT_ACCEPT) ? "urn:xmpp:receipts" : uri));
  }

  private Arbitrary<Tree> tree(int depth) {
    Arbitrary<Content> leaf =
        Arbitraries.frequencyOf(
            Tuple.of(6, texts().map(Text::new)),
            Tuple.of(1, texts().map(Cdata::new)),
            Tuple.of(1, namespaces().map(ExtraNamespace::new)));
    Arbitrary<Content> content =
        depth == 0
            ? leaf
            : Arbitraries.frequencyOf(
                Tuple.of(2, leaf),
                Tuple.of(3, Arbitraries.lazy(() -> tree(depth - 1)).map(Child::new)));
    return Combinators.combine(
            names(), namespaces(), attributes().list().ofMaxSize(4), content.list().ofMaxSize(4))
        .as(Tree::new);
  }

  private Arbitrary<Attr> attributes() {
    Arbitrary<Namespace> namespace =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.just(Namespace.NO_NAMESPACE)),
            Tuple.of(1, Arbitraries.just(Namespace.XML_NAMESPACE)),
            Tuple.of(2, prefixedNamespaces()));
    return Combinators.combine(names(), namespace, texts()).as(Attr::new);
  }

  private Arbitrary<Namespace> namespaces() {
    return Arbitraries.oneOf(
        Arbitraries.just(Namespace.NO_NAMESPACE),
        uris().map(uri -> Namespace.get("", uri)),
        prefixedNamespaces());
  }

  /** Few prefixes and URIs, so that prefixes are rebound and namespaces repeat. */
  private Arbitrary<Namespace> prefixedNamespaces() {
    return Combinators.combine(Arbitraries.of("a", "b", "db", "stream"), uris()).as(Namespace::get);
  }

  private Arbitrary<String> uris() {
    return Arbitraries.of(
        "jabber:server",
        "jabber:component:accept",
        "urn:xmpp:receipts",
        "http://jabber.org/protocol/chatstates",
        "urn:caf\u00e9");
  }

  private Arbitrary<String> names() {
    return Arbitraries.of("message", "body", "x", "lang", "a", "caf\u00e9", "\u540d\u524d");
  }

  /** Strings made of the characters that matter to escaping and encoding. */
  private Arbitrary<String> texts() {
    Arbitrary<String> wellFormed =
        Arbitraries.of(
            "a",
            "Z",
            "0",
            " ",
            "&",
            "<",
            ">",
            "\"",
            "'",
            ";",
            "]]>",
            "\t",
            "\n",
            "\r",
            "\u0001",
            "\u001f",
            "\u007f",
            "\u00e9",
            "\u00ff",
            "\u4f60",
            "\uffff",
            "\ud83c\udf39",
            "\ud83d\ude00",
            "&amp;");
    // Rare, so that most trees are written by the writer and not by its fallback.
    Arbitrary<String> unpairedSurrogate = Arbitraries.of("\ud83c", "\udf39");
    return Arbitraries.frequencyOf(Tuple.of(200, wellFormed), Tuple.of(1, unpairedSurrogate))
        .list()
        .ofMaxSize(12)
        .map(parts -> String.join("", parts));
  }
}
