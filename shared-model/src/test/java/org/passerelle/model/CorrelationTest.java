package org.passerelle.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;

class CorrelationTest {
  private static Element message() {
    Element message = DocumentHelper.createElement(QName.get("message", Namespaces.SERVER));
    message.addAttribute("from", "alice@xmpp.test/phone");
    message.addAttribute("to", "bob@sip.test");
    message.addAttribute("id", "m1");
    message.addElement(QName.get("body", Namespaces.SERVER)).addText("hi");
    return message;
  }

  @Test
  void idsAreTwelveLowerCaseBase32CharactersAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = Correlation.newId();
      assertThat(id).matches("[0-9a-hjkmnp-tv-z]{12}");
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void assignedIdIsReadBackAndSerialisedWithItsNamespaceDeclared() {
    Element message = message();

    String id = Correlation.assign(message);

    assertThat(Correlation.of(message)).isEqualTo(id);
    assertThat(message.asXML())
        .contains("xmlns:pl=\"" + Correlation.NAMESPACE + "\"")
        .contains("pl:cid=\"" + id + "\"");
  }

  @Test
  void assignReplacesAnIdTheStanzaAlreadyCarries() {
    Element message = message();
    String first = Correlation.assign(message);

    String second = Correlation.assign(message);

    assertThat(second).isNotEqualTo(first);
    assertThat(Correlation.of(message)).isEqualTo(second);
    assertThat(message.attributes())
        .filteredOn(a -> a.getQName().equals(Correlation.ATTRIBUTE))
        .hasSize(1);
  }

  @Test
  void ensureKeepsAWellFormedIdAndReplacesAnythingElse() {
    Element carrying = message();
    String id = Correlation.assign(carrying);
    assertThat(Correlation.ensure(carrying)).isEqualTo(id);

    Element forged = message();
    forged.addAttribute(Correlation.ATTRIBUTE, "x\nINFO fake log line");
    assertThat(Correlation.of(forged)).isNull();
    assertThat(Correlation.forLog(forged)).isEqualTo(Correlation.NONE);
    String replaced = Correlation.ensure(forged);
    assertThat(replaced).matches("[0-9a-z]{12}");
    assertThat(forged.attributeValue(Correlation.ATTRIBUTE)).isEqualTo(replaced);
  }

  @Test
  void stripRemovesTheIdAndItsNamespaceSoNothingOfItIsSerialised() {
    Element message = message();
    message.addNamespace(Correlation.PREFIX, Correlation.NAMESPACE);
    String id = Correlation.assign(message);

    assertThat(Correlation.strip(message)).isEqualTo(id);

    assertThat(message.asXML()).doesNotContain(id).doesNotContain(Correlation.NAMESPACE);
    assertThat(Correlation.of(message)).isNull();
    assertThat(Correlation.strip(message)).isNull();
  }

  @Test
  void aBounceIsACopyAndCarriesTheIdOfItsStanza() {
    Element message = message();
    String id = Correlation.assign(message);

    Element bounce =
        StanzaErrors.bounce(
            message, org.passerelle.model.errors.StanzaCondition.ITEM_NOT_FOUND, "gone");

    assertThat(Correlation.of(bounce)).isEqualTo(id);
  }
}
