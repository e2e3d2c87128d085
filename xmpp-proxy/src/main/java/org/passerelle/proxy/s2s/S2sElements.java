package org.passerelle.proxy.s2s;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.passerelle.model.Namespaces;

/** The negotiation elements of server-to-server streams, built and recognised in one place. */
final class S2sElements {
  private static final DocumentFactory DOM = DocumentFactory.getInstance();
  private static final Namespace STREAM = Namespace.get("stream", Namespaces.STREAMS);
  private static final Namespace DB = Namespace.get("db", Namespaces.DIALBACK);
  private static final Namespace TLS = Namespace.get(Namespaces.TLS);
  private static final Namespace SASL = Namespace.get(Namespaces.SASL);

  static final String EXTERNAL = "EXTERNAL";

  private S2sElements() {}

  // --- recognising (always by namespace and name, RFC 6120 §4.8) ---

  static boolean is(Element element, String namespace, String name) {
    return name.equals(element.getName()) && namespace.equals(element.getNamespaceURI());
  }

  static boolean isFeatures(Element e) {
    return is(e, Namespaces.STREAMS, "features");
  }

  static boolean isDialbackResult(Element e) {
    return is(e, Namespaces.DIALBACK, "result");
  }

  static boolean isDialbackVerify(Element e) {
    return is(e, Namespaces.DIALBACK, "verify");
  }

  // --- features (RFC 6120 §4.3.2) ---

  /**
   * Features offered by a receiving entity.
   *
   * @param startTls offer STARTTLS (§5.3.1)
   * @param tlsRequired mark STARTTLS as required; then nothing else is offered (§5.3.1)
   * @param external offer SASL EXTERNAL (XEP-0178 §3)
   * @param dialback announce dialback with error support (XEP-0220 §2.4.2)
   */
  static Element features(
      boolean startTls, boolean tlsRequired, boolean external, boolean dialback) {
    Element features = DOM.createElement(QName.get("features", STREAM));
    if (startTls) {
      Element starttls = features.addElement(QName.get("starttls", TLS));
      if (tlsRequired) {
        starttls.addElement(QName.get("required", TLS));
        return features;
      }
    }
    if (external) {
      features
          .addElement(QName.get("mechanisms", SASL))
          .addElement(QName.get("mechanism", SASL))
          .addText(EXTERNAL);
    }
    if (dialback) {
      features
          .addElement(QName.get("dialback", Namespaces.DIALBACK_FEATURE))
          .addElement(QName.get("errors", Namespaces.DIALBACK_FEATURE));
    }
    return features;
  }

  static boolean offersStartTls(Element features) {
    return features.element(QName.get("starttls", TLS)) != null;
  }

  static boolean offersDialback(Element features) {
    return features.element(QName.get("dialback", Namespaces.DIALBACK_FEATURE)) != null;
  }

  static boolean offersExternal(Element features) {
    Element mechanisms = features.element(QName.get("mechanisms", SASL));
    if (mechanisms == null) {
      return false;
    }
    for (Element mechanism : mechanisms.elements(QName.get("mechanism", SASL))) {
      if (EXTERNAL.equals(mechanism.getTextTrim())) {
        return true;
      }
    }
    return false;
  }

  // --- STARTTLS (RFC 6120 §5.4) ---

  static Element startTls() {
    return DOM.createElement(QName.get("starttls", TLS));
  }

  static Element proceed() {
    return DOM.createElement(QName.get("proceed", TLS));
  }

  static Element tlsFailure() {
    return DOM.createElement(QName.get("failure", TLS));
  }

  // --- SASL EXTERNAL (RFC 6120 §6.4, XEP-0178) ---

  /** {@code <auth mechanism='EXTERNAL'>=</auth>}: '=' is an empty initial response (§6.4.2). */
  static Element authExternal() {
    Element auth = DOM.createElement(QName.get("auth", SASL));
    auth.addAttribute("mechanism", EXTERNAL);
    auth.addText("=");
    return auth;
  }

  /** The authorization identity in an {@code <auth/>}, or {@code null} if none was sent. */
  static String authorizationIdentity(Element auth) {
    String text = auth.getTextTrim();
    if (text.isEmpty() || text.equals("=")) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  static Element saslSuccess() {
    return DOM.createElement(QName.get("success", SASL));
  }

  static Element saslFailure(String condition) {
    Element failure = DOM.createElement(QName.get("failure", SASL));
    failure.addElement(QName.get(condition, SASL));
    return failure;
  }

  // --- Server dialback (XEP-0220 §2) ---

  static Element dialbackResult(String from, String to, String key) {
    Element result = DOM.createElement(QName.get("result", DB));
    result.addAttribute("from", from);
    result.addAttribute("to", to);
    result.addText(key);
    return result;
  }

  static Element dialbackResultAnswer(String from, String to, String type) {
    Element result = DOM.createElement(QName.get("result", DB));
    result.addAttribute("from", from);
    result.addAttribute("to", to);
    result.addAttribute("type", type);
    return result;
  }

  /** A dialback error answer with its stanza error condition (XEP-0220 §2.5). */
  static Element dialbackError(String localName, String from, String to, String condition) {
    Element answer = DOM.createElement(QName.get(localName, DB));
    answer.addAttribute("from", from);
    answer.addAttribute("to", to);
    answer.addAttribute("type", "error");
    Element error = answer.addElement(QName.get("error", Namespaces.SERVER));
    error.addAttribute("type", "cancel");
    error.addElement(QName.get(condition, Namespaces.STANZA_ERRORS));
    return answer;
  }

  static Element dialbackVerify(String from, String to, String id, String key) {
    Element verify = DOM.createElement(QName.get("verify", DB));
    verify.addAttribute("from", from);
    verify.addAttribute("to", to);
    verify.addAttribute("id", id);
    verify.addText(key);
    return verify;
  }

  static Element dialbackVerifyAnswer(String from, String to, String id, boolean valid) {
    Element verify = DOM.createElement(QName.get("verify", DB));
    verify.addAttribute("from", from);
    verify.addAttribute("to", to);
    verify.addAttribute("id", id);
    verify.addAttribute("type", valid ? "valid" : "invalid");
    return verify;
  }
}
