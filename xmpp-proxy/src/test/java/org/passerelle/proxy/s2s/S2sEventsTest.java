package org.passerelle.proxy.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class S2sEventsTest {

  @Test
  void bothForwardsEveryEventToEachObserverInOrder() throws Exception {
    List<String> seen = new ArrayList<>();
    S2sEvents both = S2sEvents.both(recorder("first", seen), recorder("second", seen));

    List<Method> events =
        Arrays.stream(S2sEvents.class.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .toList();
    for (Method event : events) {
      event.invoke(both, arguments(event));
    }

    List<String> expected = new ArrayList<>();
    for (Method event : events) {
      expected.add("first." + event.getName());
      expected.add("second." + event.getName());
    }
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void bothWithNoneIsTheOtherObserver() {
    S2sEvents observer = new S2sEvents() {};

    assertThat(S2sEvents.both(S2sEvents.NONE, observer)).isSameAs(observer);
    assertThat(S2sEvents.both(observer, S2sEvents.NONE)).isSameAs(observer);
  }

  /** Nulls, or false for a primitive: {@code both} only passes them on. */
  private static Object[] arguments(Method event) {
    return Arrays.stream(event.getParameterTypes())
        .map(type -> type == boolean.class ? (Object) false : null)
        .toArray();
  }

  private static S2sEvents recorder(String name, List<String> seen) {
    return (S2sEvents)
        Proxy.newProxyInstance(
            S2sEvents.class.getClassLoader(),
            new Class<?>[] {S2sEvents.class},
            (proxy, method, args) -> {
              seen.add(name + "." + method.getName());
              return null;
            });
  }
}
