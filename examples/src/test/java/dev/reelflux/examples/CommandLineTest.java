package dev.reelflux.examples;

import dev.reelflux.examples.CommandLine.UsageException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    private static final Set<String> FLAGS = Set.of("keyframes", "summary-json");
    private static final Set<String> VALUED = Set.of("stride", "budget");

    @Test
    void splitsPositionalArgumentsFlagsAndValuedOptionsInEitherSpelling() {
        CommandLine line = CommandLine.parse(
                new String[] {"--stride", "5", "clip.mp4", "--keyframes", "--budget=2s", "--", "-x"}, FLAGS, VALUED);

        assertThat(line.positional()).containsExactly("clip.mp4", "--", "-x");
        assertThat(List.copyOf(line.options().keySet())).containsExactly("stride", "keyframes", "budget");
        assertThat(line.options()).containsEntry("stride", "5").containsEntry("keyframes", "true")
                .containsEntry("budget", "2s");
    }

    @Test
    void theLastOfARepeatedOptionWins() {
        assertThat(CommandLine.parse(new String[] {"--stride", "2", "--stride", "3"}, FLAGS, VALUED).options())
                .containsEntry("stride", "3");
    }

    @Test
    void refusesUnknownOptionsMissingValuesAndValuedFlags() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--strid", "2"}, FLAGS, VALUED))
                .isInstanceOf(UsageException.class).hasMessage("unknown option --strid");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"clip.mp4", "--stride"}, FLAGS, VALUED))
                .isInstanceOf(UsageException.class).hasMessage("--stride needs a value");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--keyframes=yes"}, FLAGS, VALUED))
                .isInstanceOf(UsageException.class).hasMessage("--keyframes takes no value");
    }

    @Test
    void unionHoldsEveryName() {
        assertThat(CommandLine.union(FLAGS, VALUED, Set.of("port")))
                .containsExactlyInAnyOrder("keyframes", "summary-json", "stride", "budget", "port");
        assertThat(List.copyOf(CommandLine.union())).isEmpty();
    }
}
