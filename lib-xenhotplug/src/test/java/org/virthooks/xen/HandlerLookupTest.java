package org.virthooks.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virthooks.core.hotplug.HotplugHandler;

/** Several handlers of a kind are an error naming them, never a silent pick. */
class HandlerLookupTest {
  @Test
  void noneOneOrSeveral() {
    assertThat(HandlerLookup.single(HotplugHandler.class, List.of())).isEmpty();
    HotplugHandler one = mock(HotplugHandler.class);
    assertThat(HandlerLookup.single(HotplugHandler.class, List.of(one))).containsSame(one);
    HotplugHandler other = new StockBlockHandler();
    assertThatThrownBy(() -> HandlerLookup.single(HotplugHandler.class, List.of(one, other)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("several HotplugHandler implementations")
        .hasMessageContaining(StockBlockHandler.class.getName())
        .hasMessageContaining(one.getClass().getName());
  }

  @Test
  void theClassPathOfTheseTestsHasNoHandlerOfItsOwn() {
    assertThat(HandlerLookup.single(NetworkHandler.class)).isEmpty();
  }
}
