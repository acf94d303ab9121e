package dev.reelflux.examples;

import dev.reelflux.examples.ChallengeRequest.BadRequestException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobMessageTest {

    @Test
    void readsTheIdTheUrlAndTheOptionalBudget() {
        assertThat(parse("{\"job_id\": \"a\", \"video_url\": \"https://cdn.example.com/m.mp4\", \"x\": 1}"))
                .isEqualTo(new JobMessage("a", URI.create("https://cdn.example.com/m.mp4"), Optional.empty()));
        assertThat(parse("{\"job_id\": 42, \"video_url\": \"http://h/p.m3u8\", \"budget_seconds\": 2.5}"))
                .isEqualTo(new JobMessage("42", URI.create("http://h/p.m3u8"), Optional.of(Duration.ofMillis(2500))));
    }

    @Test
    void whatIsNotAJobIsRefusedWithTheReason() {
        assertRefused("{\"job_id\": \"a\"}", "missing field video_url");
        assertRefused("{\"job_id\": \"\", \"video_url\": \"http://h/a\"}", "job_id is empty");
        assertRefused("{\"job_id\": [1], \"video_url\": \"http://h/a\"}", "job_id must be a string");
        assertRefused("{\"job_id\": \"a\", \"video_url\": \"file:///etc/passwd\"}",
                "video_url must be an http or https URL");
        assertRefused("{\"job_id\": \"a\", \"video_url\": \"http://h/a\", \"budget_seconds\": \"2s\"}",
                "budget_seconds must be a number");
        assertRefused("{\"job_id\": \"a\", \"video_url\": \"http://h/a\", \"budget_seconds\": 0}",
                "budget_seconds must be above 0 and at most 86400.0");
        assertRefused("{\"job_id\": \"a\", \"video_url\": \"http://h/a\", \"budget_seconds\": 1e9}",
                "budget_seconds must be above 0 and at most 86400.0");
        assertRefused("{\"job_id\": ", "body is not valid JSON");
        assertThatThrownBy(() -> JobMessage.parse(null)).hasMessage("empty message");
        assertThatThrownBy(() -> JobMessage.parse(new byte[] {'"', (byte) 0xc3, '"'}))
                .isInstanceOf(BadRequestException.class).hasMessage("message is not UTF-8");
    }

    private static JobMessage parse(String json) {
        return JobMessage.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String json, String reason) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(BadRequestException.class).hasMessage(reason);
    }
}
