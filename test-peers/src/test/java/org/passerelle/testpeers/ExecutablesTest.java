package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecutablesTest {

  @Test
  void missingProgramNamesTheDebianPackageToInstall() {
    assertThatThrownBy(() -> Executables.require("passerelle-no-such-daemon", "no-such-package"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install no-such-package");
  }

  @Test
  void findsProgramsOnThePath() {
    assertThat(Executables.require("sh", "dash")).isAbsolute().isExecutable();
  }
}
