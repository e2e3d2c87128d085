package org.passerelle.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.passerelle.model.errors.StanzaCondition;
import org.xmpp.packet.PacketError;

class StanzaErrorsTest {
  private static final String MESSAGE =
      "<message xmlns='jabber:server' from='alice@a.example/phone' to='bob@b.example' id='m1'>"
          + "<body>hi</body></message>";

  // RFC 6120 §8.3.1: to and from swapped, same id, type='error', payload kept.
  @Test
  void bounceAnswersTheSenderWithTheCondition() throws Exception {
    Element bounce =
        StanzaErrors.bounce(stanza(MESSAGE), StanzaCondition.POLICY_VIOLATION, "too large");

    assertThat(bounce.attributeValue("from")).isEqualTo("bob@b.example");
    assertThat(bounce.attributeValue("to")).isEqualTo("alice@a.example/phone");
    assertThat(bounce.attributeValue("id")).isEqualTo("m1");
    assertThat(bounce.attributeValue("type")).isEqualTo("error");
    assertThat(bounce.elementText("body")).isEqualTo("hi");
    Element error = bounce.element("error");
    assertThat(error.attributeValue("type")).isEqualTo("modify");
    assertThat(error.element(QName.get("policy-violation", Namespaces.STANZA_ERRORS))).isNotNull();
    assertThat(error.elementText(QName.get("text", Namespaces.STANZA_ERRORS)))
        .isEqualTo("too large");
    assertThat(StanzaErrors.definedConditionOf(bounce)).isEqualTo(StanzaCondition.POLICY_VIOLATION);
  }

  // RFC 6120 §8.3.3.6: internal-server-error is "cancel", where Tinder's default says "wait".
  @Test
  void tinderConditionsGetTheRfc6120Type() throws Exception {
    Element bounce =
        StanzaErrors.bounce(stanza(MESSAGE), PacketError.Condition.internal_server_error, null);

    assertThat(bounce.element("error").attributeValue("type")).isEqualTo("cancel");
    assertThat(StanzaErrors.conditionOf(bounce))
        .isEqualTo(PacketError.Condition.internal_server_error);
  }

  @Test
  void conditionTinderLacksReadsAsUndefinedThere() throws Exception {
    Element bounce = StanzaErrors.bounce(stanza(MESSAGE), StanzaCondition.POLICY_VIOLATION, null);

    assertThat(StanzaErrors.conditionOf(bounce))
        .isEqualTo(PacketError.Condition.undefined_condition);
  }

  // RFC 6120 §8.3.1: never answer an error with an error.
  @Test
  void errorsAreNotBounced() throws Exception {
    Element error =
        stanza("<message xmlns='jabber:server' from='a@a.example' to='b@b.example' type='error'/>");

    assertThat(StanzaErrors.bounce(error, StanzaCondition.BAD_REQUEST, null)).isNull();
    assertThat(StanzaErrors.definedConditionOf(error)).isNull();
  }

  private static Element stanza(String xml) throws Exception {
    return DocumentHelper.parseText(xml).getRootElement();
  }
}
