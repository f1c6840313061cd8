package io.pipeserve.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The node's loopback address plan. */
class AddressesTest {

  @Test
  void address_countsThroughTheLastTwoBytes_skippingZeroAnd255() {
    assertThat(Addresses.address(10, 1)).isEqualTo("127.10.0.1");
    assertThat(Addresses.address(10, 254)).isEqualTo("127.10.0.254");
    assertThat(Addresses.address(10, 255)).isEqualTo("127.10.1.1");
    assertThat(Addresses.address(10, 256 * 254)).isEqualTo("127.10.255.254");
  }

  @Test
  void address_beyondTheNetwork_isRefused_namingIt() {
    assertThatThrownBy(() -> Addresses.address(20, 256 * 254 + 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the node agent ran out of addresses in 127.20/16");
  }

  @Test
  void podsAndServices_getAddressesOfTheirOwnNetworks_neverTheSameTwice() {
    Addresses addresses = new Addresses();

    assertThat(addresses.pod()).isEqualTo("127.10.0.1");
    assertThat(addresses.service()).isEqualTo("127.20.0.1");
    assertThat(addresses.pod()).isEqualTo("127.10.0.2");
    assertThat(addresses.service()).isEqualTo("127.20.0.2");
  }
}
