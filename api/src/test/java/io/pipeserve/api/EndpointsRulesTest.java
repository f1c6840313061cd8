package io.pipeserve.api;

import static io.pipeserve.api.Specs.onlyOpProblem;
import static io.pipeserve.api.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointsRulesTest {

  @Test
  void dnsName_isValid() {
    assertThat(problems("ops: [{name: op, kind: none, endpoints: {dns: 'rec.ocr.svc:9100'}}]\n"))
        .isEmpty();
  }

  @Test
  void staticAddresses_areValid() {
    assertThat(
            problems(
                "ops: [{name: op, kind: none,"
                    + " endpoints: {addresses: ['127.0.0.2:9100', '[::1]:9100', 'pod-0:9100']}}]\n"))
        .isEmpty();
  }

  @Test
  void neitherDnsNorAddresses_isAProblem() {
    Problem problem = onlyOpProblem("endpoints: {}");

    assertThat(problem.path()).isEqualTo("ops[0].endpoints");
    assertThat(problem.message()).startsWith("set dns (a name resolving to every replica");
  }

  @Test
  void dnsAndAddresses_isAProblem() {
    Problem problem = onlyOpProblem("endpoints: {dns: 'rec:9100', addresses: ['127.0.0.1:9100']}");

    assertThat(problem.path()).isEqualTo("ops[0].endpoints");
    assertThat(problem.message()).contains("not both");
  }

  @Test
  void addressWithoutPort_namesTheEntry() {
    Problem problem = onlyOpProblem("endpoints: {addresses: ['127.0.0.1:9100', 'rec']}");

    assertThat(problem)
        .hasToString(
            "ops[0].endpoints.addresses[1]: 'rec' needs a port: host:port, e.g. rec.ocr.svc:9100");
  }

  @Test
  void portOutOfRange_isAProblem() {
    Problem problem = onlyOpProblem("endpoints: {dns: 'rec:70000'}");

    assertThat(problem)
        .hasToString("ops[0].endpoints.dns: 'rec:70000': the port must be a number in 1..65535");
  }

  @Test
  void addressListedTwice_isAProblem() {
    Problem problem = onlyOpProblem("endpoints: {addresses: ['a:1', 'a:1']}");

    assertThat(problem).hasToString("ops[0].endpoints.addresses[1]: 'a:1' is listed twice");
  }

  @Test
  void refreshWithoutDns_isAProblem() {
    Problem problem = onlyOpProblem("endpoints: {addresses: ['a:1'], refreshMs: 1000}");

    assertThat(problem.path()).isEqualTo("ops[0].endpoints.refreshMs");
  }

  @Test
  void refreshBelow100ms_isAProblem() {
    Problem problem = onlyOpProblem("endpoints: {dns: 'a:1', refreshMs: 10}");

    assertThat(problem).hasToString("ops[0].endpoints.refreshMs: must be >= 100, got 10");
  }

  @Test
  void unbracketedIpv6_isAProblem() {
    assertThatThrownBy(() -> EndpointsSpec.HostPort.parse("::1:9100"))
        .hasMessageContaining("in brackets");
  }

  @Test
  void hostPort_printsAsWritten() {
    assertThat(EndpointsSpec.HostPort.parse("[::1]:9100"))
        .isEqualTo(new EndpointsSpec.HostPort("::1", 9100))
        .hasToString("[::1]:9100");
  }

  @Test
  void unknownEndpointsKey_isAReadingError() {
    assertThatThrownBy(
            () -> SpecLoader.fromYaml("ops: [{name: op, kind: none, endpoints: {dsn: 'a:1'}}]\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("ops[0].endpoints.dsn");
  }
}
